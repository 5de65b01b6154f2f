//! `ingot doctor` and `ingot list-image-types`: which external pieces are here, which image
//! types they make available, and one line about each type (`format::image_types`, the one
//! table both read).

use std::path::Path;

use anyhow::{bail, Result};
use ingot::format::image_types::{ImageType, Need};
use ingot::format::Tool;
use serde_json::json;

struct Piece {
    what: &'static str,
    present: bool,
    package: &'static str,
    enables: &'static str,
}

fn in_path(tool: &str) -> bool {
    which::which(tool).is_ok()
        || ["/usr/sbin", "/sbin"]
            .iter()
            .any(|d| Path::new(d).join(tool).is_file())
}

fn library(name: &str) -> bool {
    [
        "/usr/lib/x86_64-linux-gnu",
        "/usr/lib64",
        "/usr/lib",
        "/lib/x86_64-linux-gnu",
    ]
    .iter()
    .any(|d| Path::new(d).join(name).exists())
}

const GRUB: &str = "grub-mkimage";
const GRUB_PC: &str = "GRUB i386-pc modules";
const GRUB_EFI: &str = "GRUB x86_64-efi modules";
const GRUB_EFI32: &str = "GRUB i386-efi modules";
const LIBISOFS: &str = "libisofs";
const QEMU_IMG: &str = "qemu-img";

fn pieces() -> Vec<Piece> {
    let grub = in_path("grub-mkimage");
    vec![
        Piece {
            what: GRUB,
            present: grub,
            package: "grub-common",
            enables: "every bootable image",
        },
        Piece {
            what: GRUB_PC,
            present: grub && Path::new("/usr/lib/grub/i386-pc/boot.img").exists(),
            package: "grub-pc-bin",
            enables: "grub-bootloader (BIOS): mbr-raw, mbr-hybrid-raw, qcow2, iso9660 (BIOS)",
        },
        Piece {
            what: GRUB_EFI,
            present: grub && Path::new("/usr/lib/grub/x86_64-efi").is_dir(),
            package: "grub-efi-amd64-bin",
            enables: "the ESP: efi-raw, mbr-hybrid-raw, qcow2, qcow2-gpt, iso9660 (UEFI)",
        },
        Piece {
            what: GRUB_EFI32,
            present: grub && Path::new("/usr/lib/grub/i386-efi").is_dir(),
            package: "grub-efi-ia32-bin",
            enables: "efi32-raw",
        },
        Piece {
            what: LIBISOFS,
            present: library("libisofs.so.6"),
            package: "libisofs6",
            enables: "iso9660, uncompressed-iso9660",
        },
        Piece {
            what: QEMU_IMG,
            present: in_path("qemu-img"),
            package: "qemu-utils",
            enables: "qcow2, qcow2-gpt",
        },
        Piece {
            what: "mke2fs",
            present: in_path("mke2fs"),
            package: "e2fsprogs",
            enables: "--ext-writer mke2fs (ingot's own ext writer needs nothing)",
        },
    ]
}

/// The piece `pieces()` names for what an image type needs.
fn piece(need: Need) -> &'static str {
    match need {
        Need::Grub => GRUB,
        Need::GrubPc => GRUB_PC,
        Need::GrubEfi => GRUB_EFI,
        Need::GrubEfi32 => GRUB_EFI32,
        Need::Tool(Tool::Libisofs) => LIBISOFS,
        Need::Tool(Tool::QemuImg) => QEMU_IMG,
    }
}

/// The image types whose pieces are missing here, with the missing pieces.
fn unavailable(types: &[ImageType], pieces: &[Piece]) -> Vec<(String, Vec<&'static str>)> {
    types
        .iter()
        .filter_map(|t| {
            let missing: Vec<&'static str> = t
                .needs
                .iter()
                .map(|n| piece(*n))
                .filter(|need| pieces.iter().any(|p| p.what == *need && !p.present))
                .collect();
            (!missing.is_empty()).then(|| (t.name.clone(), missing))
        })
        .collect()
}

pub fn list_image_types(types: &[ImageType], json: bool) -> Result<()> {
    let pieces = pieces();
    let missing = unavailable(types, &pieces);
    let rows: Vec<_> = types
        .iter()
        .map(|t| {
            let lacks = missing
                .iter()
                .find(|(n, _)| *n == t.name)
                .map(|(_, m)| m.clone());
            (&t.name, &t.description, t.buildable, lacks)
        })
        .collect();
    if json {
        let v: Vec<_> = rows
            .iter()
            .map(|(t, text, can, lacks)| {
                json!({"name": t, "description": text, "buildable": can,
                       "available": *can && lacks.is_none(), "missing": lacks})
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(());
    }
    let width = types.iter().map(|t| t.name.len()).max().unwrap_or(0);
    for (t, text, can, lacks) in rows {
        let mark = match (can, lacks) {
            (false, _) => "  [cannot build]".to_string(),
            (true, Some(m)) => format!("  [missing here: {}]", m.join(", ")),
            (true, None) => String::new(),
        };
        println!("{t:<width$}  {text}{mark}");
    }
    Ok(())
}

pub fn run(types: &[ImageType], json: bool) -> Result<()> {
    let pieces = pieces();
    let missing = unavailable(types, &pieces);
    if json {
        let v = json!({
            "pieces": pieces.iter().map(|p| json!({
                "name": p.what, "present": p.present, "package": p.package, "enables": p.enables,
            })).collect::<Vec<_>>(),
            "unavailable_image_types": missing.iter().map(|(t, m)| json!({"name": t, "missing": m})).collect::<Vec<_>>(),
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        for p in &pieces {
            let mark = if p.present { "ok     " } else { "MISSING" };
            println!("{mark} {:<24} {}", p.what, p.enables);
            if !p.present {
                println!("        install: apt-get install {}", p.package);
            }
        }
        println!(
            "always available: docker, tarball, wsl2, ext2/3/4 and FAT file systems, GPT/MBR tables"
        );
    }
    if !missing.is_empty() {
        let names: Vec<&str> = missing.iter().map(|(t, _)| t.as_str()).collect();
        bail!(
            "{} image type(s) unavailable here: {}",
            names.len(),
            names.join(", ")
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ingot::format::image_types::image_types;

    #[test]
    fn a_missing_piece_makes_its_types_unavailable() {
        let mut pieces = pieces();
        for p in &mut pieces {
            p.present = p.what != QEMU_IMG;
        }
        let types: Vec<ImageType> = image_types()
            .into_iter()
            .filter(|t| ["efi-raw", "qcow2", "qcow2-gpt", "docker"].contains(&t.name.as_str()))
            .collect();
        let missing = unavailable(&types, &pieces);
        let names: Vec<&str> = missing.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(names, ["qcow2", "qcow2-gpt"]);
        assert_eq!(missing[0].1, [QEMU_IMG]);
    }
}
