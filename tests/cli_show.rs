//! `ingot show --json` for every standard image type: Guix's exact values.

mod common;

use common::ingot::{fixture, ingot_err, ingot_ok, show_json};
use serde_json::Value;

const MIB: u64 = 1 << 20;
const ESP_TYPE: &str = "C12A7328-F81F-11D2-BA4B-00A0C93EC93B";
const LINUX_TYPE: &str = "0FC63DAF-8483-4772-8E79-3D69D8477DE4";

/// A root tree with a (fake) kernel, enough for planning.
fn tiny_root() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("boot")).unwrap();
    std::fs::write(dir.path().join("boot/vmlinuz"), b"kernel").unwrap();
    dir
}

fn show(os: &str, image_type: &str) -> Value {
    let root = tiny_root();
    show_json(&[
        &fixture(os),
        "-t",
        image_type,
        "--root-tree",
        root.path().to_str().unwrap(),
    ])
}

fn flags(p: &Value) -> Vec<String> {
    p["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap().to_string())
        .collect()
}

fn assert_esp(p: &Value, ty: &str) {
    assert_eq!(p["label"], "GNU-ESP");
    assert_eq!(p["offset"], MIB);
    assert_eq!(p["size"], 41943040);
    assert_eq!(p["file_system"], "vfat");
    assert_eq!(p["file_system_built"], "fat16");
    assert_eq!(flags(p), ["esp"]);
    assert_eq!(p["type"], ty);
}

fn assert_root(p: &Value, offset: u64, ty: &str) {
    assert_eq!(p["label"], "Guix_image");
    assert_eq!(p["offset"], offset);
    assert_eq!(p["file_system"], "ext4");
    assert_eq!(
        p["file_system_options"],
        serde_json::json!(["-O", "^metadata_csum,^64bit"])
    );
    assert_eq!(flags(p), ["boot"]);
    assert_eq!(p["type"], ty);
    assert_eq!(p["size_guessed"], true);
    assert!(p["size"].as_u64().unwrap() >= MIB);
}

#[test]
fn mbr_raw() {
    let v = show("os-bios.scm", "mbr-raw");
    assert_eq!(v["format"], "disk-image");
    assert_eq!(v["partition_table"], "mbr");
    let parts = v["partitions"].as_array().unwrap();
    assert_eq!(parts.len(), 1);
    assert_root(&parts[0], MIB, "0x83");
    assert_eq!(v["volatile_root"], true);
}

#[test]
fn mbr_hybrid_raw_is_the_default_type() {
    let root = tiny_root();
    let v = show_json(&[
        &fixture("os-bios.scm"),
        "--root-tree",
        root.path().to_str().unwrap(),
    ]);
    assert_eq!(v["partition_table"], "mbr");
    let parts = v["partitions"].as_array().unwrap();
    assert_esp(&parts[0], "0xEF");
    assert_root(&parts[1], 41 * MIB, "0x83");
}

#[test]
fn efi_raw_and_efi32_raw() {
    for t in ["efi-raw", "efi32-raw"] {
        let v = show("os-efi.scm", t);
        assert_eq!(v["partition_table"], "gpt", "{t}");
        let parts = v["partitions"].as_array().unwrap();
        assert_esp(&parts[0], ESP_TYPE);
        assert_root(&parts[1], 41 * MIB, LINUX_TYPE);
        // GPT's backup table at the end fits in the disk.
        let end = parts[1]["offset"].as_u64().unwrap() + parts[1]["size"].as_u64().unwrap();
        assert!(v["size"].as_u64().unwrap() >= end + 33 * 512);
    }
}

#[test]
fn qcow2_types() {
    let v = show("os-bios.scm", "qcow2");
    assert_eq!(v["format"], "compressed-qcow2");
    assert_eq!(v["name"], "image.qcow2");
    assert_eq!(v["partition_table"], "mbr");
    let v = show("os-efi.scm", "qcow2-gpt");
    assert_eq!(v["format"], "compressed-qcow2");
    assert_eq!(v["partition_table"], "gpt");
    assert_esp(&v["partitions"][0], ESP_TYPE);
}

#[test]
fn iso_types() {
    let v = show("os-bios.scm", "iso9660");
    assert_eq!(v["format"], "iso9660");
    assert_eq!(v["compression"], true);
    let parts = v["partitions"].as_array().unwrap();
    assert_eq!(parts.len(), 1);
    assert_eq!(parts[0]["label"], "GUIX_IMAGE");
    assert_eq!(flags(&parts[0]), ["boot"]);
    let v = show("os-bios.scm", "uncompressed-iso9660");
    assert_eq!(v["compression"], false);
}

#[test]
fn tree_types_have_no_partitions() {
    for (t, format) in [
        ("docker", "docker"),
        ("tarball", "tarball"),
        ("wsl2", "wsl2"),
    ] {
        let v = show("os-bios.scm", t);
        assert_eq!(v["format"], format);
        assert_eq!(v["partitions"].as_array().unwrap().len(), 0, "{t}");
        assert_eq!(v["partition_table"], Value::Null);
    }
}

#[test]
fn raw_with_offset() {
    let v = show("os-bios.scm", "raw-with-offset");
    assert_eq!(v["partition_table"], "mbr");
    assert_root(&v["partitions"][0], MIB, "0x83");
    assert_eq!(v["volatile_root"], false);
}

#[test]
fn image_size_and_label_options() {
    let root = tiny_root();
    let r = root.path().to_str().unwrap();
    let os = fixture("os-efi.scm");
    let v = show_json(&[
        &os,
        "-t",
        "efi-raw",
        "--root-tree",
        r,
        "--image-size",
        "64MiB",
        "--label",
        "BOOTME",
    ]);
    assert_eq!(v["partitions"][1]["size"], 64 * MIB);
    assert_eq!(v["partitions"][0]["label"], "BOOTME");
    let v = show_json(&[
        &os,
        "-t",
        "efi-raw",
        "--root-tree",
        r,
        "--image-size",
        "100MB",
    ]);
    // 100 MB is not whole sectors: rounded down to 195312 sectors.
    assert_eq!(v["partitions"][1]["size"], 100_000_000u64 / 512 * 512);
}

#[test]
fn list_image_types_has_the_twelve() {
    let out = ingot_ok(&["list-image-types"]);
    for t in [
        "mbr-raw",
        "mbr-hybrid-raw",
        "efi-raw",
        "efi32-raw",
        "qcow2",
        "qcow2-gpt",
        "iso9660",
        "uncompressed-iso9660",
        "docker",
        "tarball",
        "wsl2",
        "raw-with-offset",
    ] {
        assert!(
            out.lines().any(|l| l.split_whitespace().next() == Some(t)),
            "{t} missing from:\n{out}"
        );
    }
}

/// Guix's default image type with an EFI GRUB (the usual laptop config.scm): planned with its
/// ESP, and one warning that only UEFI boots it.
#[test]
fn efi_grub_on_the_default_hybrid_mbr_warns() {
    let root = tiny_root();
    let out = common::ingot::ingot()
        .args(["show", &fixture("os-efi.scm"), "--root-tree"])
        .arg(root.path())
        .output()
        .expect("running ingot");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("grub-efi-bootloader on an MBR disk: only UEFI firmware boots this image"),
        "{stderr}"
    );
    assert!(stderr.contains("os-efi.scm:"), "{stderr}");
    let plan = show_json(&[
        "--root-tree",
        root.path().to_str().unwrap(),
        &fixture("os-efi.scm"),
    ]);
    assert_eq!(plan["partition_table"], "mbr", "{plan}");
}

#[test]
fn refusals_before_anything_is_written() {
    let root = tiny_root();
    let r = root.path().to_str().unwrap();
    let err = ingot_err(&[
        "show",
        &fixture("os-efi.scm"),
        "-t",
        "mbr-raw",
        "--root-tree",
        r,
    ]);
    assert!(
        err.contains(
            "grub-efi-bootloader needs an EFI system partition, and this MBR image has none"
        ),
        "{err}"
    );
    let err = ingot_err(&[
        "show",
        &fixture("os-efi.scm"),
        "-t",
        "no-such-type",
        "--root-tree",
        r,
    ]);
    assert!(err.contains("no-such-type: no such image type"), "{err}");
    let err = ingot_err(&[
        "show",
        &fixture("os-efi.scm"),
        "--image-size",
        "12Q",
        "--root-tree",
        r,
    ]);
    assert!(err.contains("12Q"), "{err}");
    let err = ingot_err(&[
        "show",
        &fixture("os-bios.scm"),
        "-t",
        "efi-raw",
        "--root-tree",
        r,
    ]);
    assert!(
        err.contains("grub-bootloader (BIOS)") && err.contains("MBR"),
        "{err}"
    );
    let err = ingot_err(&[
        "show",
        "-e",
        "(image (inherit (raw-with-offset-disk-image (* 16 1024))) (operating-system \
           (operating-system (host-name \"x\") (file-systems %base-file-systems) \
             (bootloader (bootloader-configuration (bootloader grub-bootloader))))))",
        "--root-tree",
        r,
    ]);
    assert!(err.contains("BIOS core image needs bytes 512.."), "{err}");
}

/// The ISO's upper-cased volume id is not said for Guix's own root label, whose upper-case
/// GUIX_IMAGE is Guix's ISO label too (its installer's case); another label is.
#[test]
fn iso_label_case_is_not_said_for_guix_root_label() {
    let stderr = |os: &str| {
        let out = common::ingot::ingot()
            .args(["show", "-e", os, "-t", "iso9660"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let err = stderr("(operating-system (inherit installation-os) (host-name \"inst\"))");
    assert!(!err.contains("volume label"), "{err}");
    let err = stderr(
        "(operating-system (inherit installation-os) (host-name \"inst\") (file-systems (list \
         (file-system (device (file-system-label \"my-live\")) (mount-point \"/\") \
         (type \"ext4\")))))",
    );
    assert!(
        err.contains("the ISO volume label is \"MY-LIVE\", not \"my-live\""),
        "{err}"
    );
}
