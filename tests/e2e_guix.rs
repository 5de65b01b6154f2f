//! Guix-style files from tests/guix, unchanged, built and booted: the file's own local files
//! and root-tree are replaced by real ones in a copy of its directory.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::disk::run;
use common::ingot::{bootable_root, e2fsck_clean, extract, ingot, show_json};
use common::{boot, initramfs, marker_suffix, root_ok, Iface, Kernel, Mode};

/// A copy of tests/guix (definitions and their files) in a temporary directory.
fn guix_copy() -> (tempfile::TempDir, PathBuf) {
    let work = tempfile::tempdir().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/guix");
    run(Command::new("cp").arg("-a").arg(&src).arg(work.path()));
    let dir = work.path().join("guix");
    (work, dir)
}

/// Builds `file` (relative to `dir`) and returns the image and its stderr (the warnings).
fn build(dir: &Path, file: &str, extra: &[&str]) -> (PathBuf, String) {
    let out = dir.join(format!("{file}.img"));
    let o = ingot()
        .current_dir(dir)
        .args(["build", file, "-o"])
        .arg(&out)
        .args(extra)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "{file}: {stderr}");
    (out, stderr)
}

#[test]
fn server_config_builds_and_boots_under_seabios() {
    let (_work, dir) = guix_copy();
    let suffix = marker_suffix();
    // The file's root-tree, made bootable: kernel + initramfs in /boot.
    bootable_root(&dir.join("files/rootfs"), &suffix);
    let (img, warnings) = build(&dir, "server.scm", &["-t", "mbr-raw"]);
    // One warning lists what was ignored, one the names ingot does not know.
    assert!(
        warnings.contains("ignored: timezone, locale, 2 users"),
        "{warnings}"
    );
    assert!(warnings.contains("openssh-service-type"), "{warnings}");
    let plan = show_json(&["-t", "mbr-raw", dir.join("server.scm").to_str().unwrap()]);
    // The root file system's label from file-systems names the root partition.
    assert_eq!(plan["partitions"][0]["label"], "my-root");
    let p = &plan["partitions"][0];
    let fs = extract(
        &img,
        p["offset"].as_u64().unwrap(),
        p["size"].as_u64().unwrap(),
    );
    e2fsck_clean(fs.path());
    let cat = run(Command::new("debugfs")
        .arg("-R")
        .arg("cat /etc/hostname")
        .arg(fs.path()));
    assert_eq!(cat.trim(), "komputilo");
    let cfg = run(Command::new("debugfs")
        .arg("-R")
        .arg("cat /boot/grub/grub.cfg")
        .arg(fs.path()));
    assert!(cfg.contains("menuentry 'Komputilo, server' {"), "{cfg}");
    boot(&img, Mode::Bios, Iface::Virtio, &root_ok(&suffix)).unwrap_or_else(|log| panic!("{log}"));
}

#[test]
fn mbr_hybrid_file_with_local_kernel_boots_both_ways() {
    let (_work, dir) = guix_copy();
    let suffix = marker_suffix();
    let kernel = Kernel::find();
    std::fs::copy(&kernel.vmlinuz, dir.join("files/bzImage")).unwrap();
    std::fs::write(dir.join("files/initrd.cpio.gz"), initramfs(&kernel)).unwrap();
    std::fs::write(
        dir.join("files/rootfs/etc/boot-marker"),
        format!("{suffix}\n"),
    )
    .unwrap();
    let (img, _) = build(&dir, "mbr-hybrid.scm", &[]);
    boot(&img, Mode::Bios, Iface::Virtio, &root_ok(&suffix)).unwrap_or_else(|log| panic!("{log}"));
    boot(&img, Mode::Efi, Iface::Virtio, &root_ok(&suffix)).unwrap_or_else(|log| panic!("{log}"));
}

#[test]
fn efi_image_with_an_extra_partition_builds_clean() {
    let (_work, dir) = guix_copy();
    std::fs::create_dir_all(dir.join("files/rootfs/boot")).unwrap();
    std::fs::write(dir.join("files/rootfs/boot/vmlinuz"), b"kernel").unwrap();
    let (img, _) = build(&dir, "efi-extra-partition.scm", &[]);
    let plan = show_json(&[dir.join("efi-extra-partition.scm").to_str().unwrap()]);
    let parts = plan["partitions"].as_array().unwrap();
    assert_eq!(parts.len(), 3);
    assert_eq!(
        parts[1]["size"],
        2u64 << 30,
        "the image size goes to the root partition"
    );
    assert_eq!(parts[2]["label"], "data");
    assert_eq!(parts[2]["size"], 256u64 << 20);
    for p in &parts[1..] {
        let fs = extract(
            &img,
            p["offset"].as_u64().unwrap(),
            p["size"].as_u64().unwrap(),
        );
        e2fsck_clean(fs.path());
    }
    let data = &parts[2];
    let fs = extract(
        &img,
        data["offset"].as_u64().unwrap(),
        data["size"].as_u64().unwrap(),
    );
    let readme = run(Command::new("debugfs")
        .arg("-R")
        .arg("cat /README")
        .arg(fs.path()));
    assert_eq!(readme, "Backups go here.\n");
    let v = run(Command::new("sgdisk").arg("-v").arg(&img));
    assert!(v.contains("No problems found"), "{v}");
}

#[test]
fn desktop_config_ties_root_label_and_esp_serial() {
    let (_work, dir) = guix_copy();
    let root = dir.join("rootfs-for-desktop");
    std::fs::create_dir_all(root.join("boot")).unwrap();
    std::fs::write(root.join("boot/vmlinuz"), b"kernel").unwrap();
    let args = ["-t", "efi-raw", "--root-tree", root.to_str().unwrap()];
    let (img, warnings) = build(&dir, "desktop.scm", &args);
    assert!(warnings.contains("41 services"), "{warnings}");
    let mut show = vec![dir.join("desktop.scm").to_str().unwrap().to_string()];
    show.extend(args.iter().map(|a| a.to_string()));
    let show: Vec<&str> = show.iter().map(String::as_str).collect();
    let plan = show_json(&show);
    // (file-system (device (file-system-label "my-root")) (mount-point "/")) names the root;
    // (uuid "1234-ABCD" 'fat) at /boot/efi is the ESP's serial.
    assert_eq!(plan["partitions"][1]["label"], "my-root");
    assert_eq!(plan["partitions"][0]["fat_serial"], "1234-ABCD");
    let esp = &plan["partitions"][0];
    let fs = extract(
        &img,
        esp["offset"].as_u64().unwrap(),
        esp["size"].as_u64().unwrap(),
    );
    let info = run(Command::new("minfo")
        .env("MTOOLS_SKIP_CHECK", "1")
        .arg("-i")
        .arg(fs.path())
        .arg("::"));
    assert!(
        info.to_lowercase().contains("serial number: 1234abcd"),
        "{info}"
    );
}
