//! Boots an image under QEMU (TCG) until a marker appears on the serial console, with the
//! same runner as the boot tests.
//!
//!   cargo run --release --example boot -- IMAGE bios|efi|iso-bios|iso-efi MARKER

#[path = "../tests/common/qemu.rs"]
#[allow(dead_code)] // the harness serves the tests too
mod qemu;

use std::path::PathBuf;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [image, mode, marker] = args.as_slice() else {
        anyhow::bail!("usage: boot IMAGE bios|efi|iso-bios|iso-efi MARKER");
    };
    let mode = match mode.as_str() {
        "bios" => qemu::Mode::Bios,
        "efi" => qemu::Mode::Efi,
        "iso-bios" => qemu::Mode::IsoBios,
        "iso-efi" => qemu::Mode::IsoEfi,
        other => anyhow::bail!("unknown mode {other}"),
    };
    let start = std::time::Instant::now();
    match qemu::boot(&PathBuf::from(image), mode, qemu::Iface::Virtio, marker) {
        Ok(log) => {
            let lines: Vec<&str> = log.lines().filter(|l| !l.trim().is_empty()).collect();
            for line in lines.iter().rev().take(6).rev() {
                println!("  | {}", line.trim_end());
            }
            println!(
                "booted: {marker} after {:.1} s",
                start.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Err(log) => anyhow::bail!("no {marker} on the console:\n{log}"),
    }
}
