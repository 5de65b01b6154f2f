//! Makes a small bootable root tree for the examples: the host's kernel, a busybox initramfs
//! (the same one the boot tests use) and /etc/boot-marker.
//!
//!   cargo run --release --example demo_root -- OUT_DIR [MARKER]

#[path = "../tests/common/cpio.rs"]
#[allow(dead_code)]
mod cpio;
#[path = "../tests/common/initramfs.rs"]
#[allow(dead_code)] // the harness serves the tests too
mod initramfs;
#[path = "../tests/common/kernel.rs"]
#[allow(dead_code)]
mod kernel;

use std::path::PathBuf;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args_os().skip(1);
    let out = PathBuf::from(
        args.next()
            .ok_or_else(|| anyhow::anyhow!("usage: demo_root OUT_DIR [MARKER]"))?,
    );
    let marker = args
        .next()
        .map(|m| m.to_string_lossy().into_owned())
        .unwrap_or_else(|| "demo".into());
    let kernel = kernel::Kernel::find();
    std::fs::create_dir_all(out.join("boot"))?;
    std::fs::create_dir_all(out.join("etc"))?;
    std::fs::copy(&kernel.vmlinuz, out.join("boot/vmlinuz"))?;
    std::fs::write(out.join("boot/initrd.img"), initramfs::initramfs(&kernel))?;
    std::fs::write(out.join("etc/boot-marker"), format!("{marker}\n"))?;
    std::fs::write(out.join("etc/motd"), "Built by ingot.\n")?;
    println!("{}", out.display());
    Ok(())
}
