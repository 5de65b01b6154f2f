//! `ingot doctor`: which external pieces are here, and what they enable.

use std::path::Path;

use anyhow::Result;

struct Piece {
    what: &'static str,
    present: bool,
    package: &'static str,
    enables: &'static str,
}

fn in_path(tool: &str) -> bool {
    std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).any(|d| d.join(tool).is_file()))
        .unwrap_or(false)
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

pub fn run() -> Result<()> {
    let grub = in_path("grub-mkimage");
    let pieces = [
        Piece {
            what: "grub-mkimage",
            present: grub,
            package: "grub-common",
            enables: "every bootable image",
        },
        Piece {
            what: "GRUB i386-pc modules",
            present: grub && Path::new("/usr/lib/grub/i386-pc/boot.img").exists(),
            package: "grub-pc-bin",
            enables: "grub-bootloader (BIOS): mbr-raw, mbr-hybrid-raw, qcow2, iso9660 (BIOS)",
        },
        Piece {
            what: "GRUB x86_64-efi modules",
            present: grub && Path::new("/usr/lib/grub/x86_64-efi").is_dir(),
            package: "grub-efi-amd64-bin",
            enables: "the ESP: efi-raw, mbr-hybrid-raw, qcow2, qcow2-gpt, iso9660 (UEFI)",
        },
        Piece {
            what: "GRUB i386-efi modules",
            present: grub && Path::new("/usr/lib/grub/i386-efi").is_dir(),
            package: "grub-efi-ia32-bin",
            enables: "efi32-raw",
        },
        Piece {
            what: "libisofs",
            present: library("libisofs.so.6"),
            package: "libisofs6",
            enables: "iso9660, uncompressed-iso9660",
        },
        Piece {
            what: "qemu-img",
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
    ];
    let mut missing = 0;
    for p in &pieces {
        let mark = if p.present { "ok     " } else { "MISSING" };
        println!("{mark} {:<24} {}", p.what, p.enables);
        if !p.present {
            missing += 1;
            println!("        install: apt-get install {}", p.package);
        }
    }
    println!(
        "always available: docker, tarball, wsl2, ext2/3/4 and FAT file systems, GPT/MBR tables"
    );
    if missing > 0 {
        println!("{missing} piece(s) missing");
    }
    Ok(())
}
