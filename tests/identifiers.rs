//! One definition has the same identifiers in every disk format (Guix derives them from the
//! OS): a qcow2-gpt is its efi-raw converted; different definitions get different ones.

mod common;

use std::path::Path;
use std::process::Command;

use common::disk::run;
use common::ingot::{build_fixture_os, fixture, show_json};

fn root() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("boot")).unwrap();
    std::fs::write(dir.path().join("boot/vmlinuz-6.1"), b"kernel").unwrap();
    std::fs::create_dir_all(dir.path().join("etc")).unwrap();
    std::fs::write(dir.path().join("etc/motd"), b"same\n").unwrap();
    dir
}

#[test]
fn efi_raw_and_qcow2_gpt_of_one_os_are_the_same_disk() {
    let tree = root();
    let r = tree.path().to_str().unwrap();
    let out = tempfile::tempdir().unwrap();
    let raw = out.path().join("a.img");
    let qcow = out.path().join("a.qcow2");
    let os = fixture("os-efi.scm");
    for (ty, dest) in [("efi-raw", &raw), ("qcow2-gpt", &qcow)] {
        run(&mut build_fixture_os(ty, Path::new(r), dest));
    }
    run(Command::new("qemu-img")
        .args(["compare", "-f", "raw", "-F", "qcow2"])
        .arg(&raw)
        .arg(&qcow));
    let a = show_json(&[&os, "-t", "efi-raw", "--root-tree", r]);
    let b = show_json(&[&os, "-t", "qcow2-gpt", "--root-tree", r]);
    assert_eq!(a["disk_guid"], b["disk_guid"]);
    assert_eq!(a["partitions"], b["partitions"]);
}

#[test]
fn different_operating_systems_get_different_identifiers() {
    let tree = root();
    let r = tree.path().to_str().unwrap();
    let os = |host: &str| {
        format!(
            "(operating-system (host-name \"{host}\")\n\
               (bootloader (bootloader-configuration (bootloader grub-efi-bootloader)))\n\
               (file-systems %base-file-systems))"
        )
    };
    let a = show_json(&["-e", &os("one"), "-t", "efi-raw", "--root-tree", r]);
    let b = show_json(&["-e", &os("two"), "-t", "efi-raw", "--root-tree", r]);
    assert_ne!(a["disk_guid"], b["disk_guid"]);
    assert_ne!(a["partitions"][1]["uuid"], b["partitions"][1]["uuid"]);
    assert_ne!(
        a["partitions"][0]["fat_serial"],
        b["partitions"][0]["fat_serial"]
    );
}
