//! iso9660 end to end: El Torito BIOS and EFI entries, Rock Ridge and Joliet (xorriso, isoinfo),
//! the same bytes twice, and boots as a CD-ROM and as a disk under SeaBIOS and OVMF.

mod common;

use std::path::Path;
use std::process::Command;

use common::disk::run;
use common::ingot::{bootable_root, fixture, ingot};
use common::{boot, marker_suffix, root_ok, Iface, Mode};

fn build_iso(image_type: &str, root: &Path, out: &Path) {
    let mut cmd = ingot();
    cmd.args([
        "build",
        &fixture("os-bios.scm"),
        "-t",
        image_type,
        "--root-tree",
    ])
    .arg(root)
    .arg("-o")
    .arg(out)
    .env("SOURCE_DATE_EPOCH", "1700000000");
    run(&mut cmd);
}

#[test]
fn iso9660_boots_as_cdrom_and_disk_under_bios_and_uefi() {
    let work = tempfile::tempdir().unwrap();
    let suffix = marker_suffix();
    let root = work.path().join("root");
    bootable_root(&root, &suffix);
    let iso = work.path().join("image.iso");
    build_iso("iso9660", &root, &iso);

    let again = work.path().join("again.iso");
    build_iso("iso9660", &root, &again);
    assert!(
        std::fs::read(&iso).unwrap() == std::fs::read(&again).unwrap(),
        "two ISOs differ"
    );

    let report = run(Command::new("xorriso")
        .args(["-indev"])
        .arg(&iso)
        .args(["-report_el_torito", "plain"]));
    assert!(report.contains("BIOS"), "{report}");
    assert!(report.contains("UEFI"), "{report}");
    let info = run(Command::new("isoinfo").args(["-d", "-i"]).arg(&iso));
    assert!(info.contains("Volume id: GUIX_IMAGE"), "{info}");
    assert!(info.contains("Rock Ridge signatures version"), "{info}");
    assert!(info.contains("Joliet"), "{info}");
    let marker = root_ok(&suffix);
    for mode in [Mode::IsoBios, Mode::IsoEfi, Mode::Bios, Mode::Efi] {
        boot(&iso, mode, Iface::Virtio, &marker)
            .unwrap_or_else(|log| panic!("{mode:?} boot failed:\n{log}"));
    }
}

#[test]
fn zisofs_compresses_unless_uncompressed() {
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("root");
    std::fs::create_dir_all(root.join("boot")).unwrap();
    std::fs::write(root.join("boot/vmlinuz"), b"kernel").unwrap();
    std::fs::write(root.join("big.txt"), "compressible text\n".repeat(20000)).unwrap();
    let plain = work.path().join("plain.iso");
    let packed = work.path().join("packed.iso");
    build_iso("uncompressed-iso9660", &root, &plain);
    build_iso("iso9660", &root, &packed);
    let size = |p: &Path| std::fs::metadata(p).unwrap().len();
    assert!(
        size(&packed) < size(&plain),
        "zisofs did not shrink the ISO"
    );
    let out = work.path().join("x");
    run(Command::new("xorriso")
        .args(["-osirrox", "on", "-indev"])
        .arg(&packed)
        .args(["-extract", "/big.txt"])
        .arg(&out));
    assert_eq!(
        std::fs::read(&out).unwrap(),
        std::fs::read(root.join("big.txt")).unwrap()
    );
}
