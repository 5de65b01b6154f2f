//! The harness's own checks: its ISO modes boot a hybrid ISO made by grub-mkrescue (the
//! reference tool, standing in until ingot writes ISOs), and a boot that does not print the
//! expected marker is reported as a failure.

mod common;

use std::process::Command;

use common::disk::run;
use common::{boot, initramfs, marker_suffix, root_ok, Iface, Kernel, Mode};
use ingot::boot::grub::{self, MenuEntry, RootSearch};

#[test]
fn iso_modes_boot_and_a_wrong_marker_fails() {
    let kernel = Kernel::find();
    let suffix = marker_suffix();
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("iso");
    std::fs::create_dir_all(root.join("boot/grub")).unwrap();
    std::fs::create_dir_all(root.join("etc")).unwrap();
    std::fs::copy(&kernel.vmlinuz, root.join("boot/vmlinuz")).unwrap();
    std::fs::write(root.join("boot/initrd.gz"), initramfs(&kernel)).unwrap();
    std::fs::write(root.join("etc/boot-marker"), format!("{suffix}\n")).unwrap();
    let label = "INGOT_TEST";
    let cfg = grub::grub_cfg(&MenuEntry {
        title: "iso".into(),
        kernel_path: "/boot/vmlinuz".into(),
        initrd_path: Some("/boot/initrd.gz".into()),
        root_arg: format!("LABEL={label}"),
        kernel_arguments: vec!["console=ttyS0".into(), "quiet".into()],
        timeout: 0,
        search: RootSearch::Label(label.into()),
    });
    std::fs::write(root.join("boot/grub/grub.cfg"), cfg).unwrap();
    let iso = work.path().join("test.iso");
    run(Command::new("grub-mkrescue")
        .arg("-o")
        .arg(&iso)
        .arg(&root)
        .args(["--", "-volid", label]));

    // A marker that nothing prints: the guest powers off and the harness says so, with the log.
    let wrong = boot(&iso, Mode::IsoBios, Iface::Virtio, "ROOT-OK-not-this-one").unwrap_err();
    assert!(wrong.contains("without the marker"), "{wrong}");
    assert!(wrong.contains(&root_ok(&suffix)), "{wrong}");

    let log = boot(&iso, Mode::IsoEfi, Iface::Virtio, &root_ok(&suffix))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(log.contains("initramfs: mounted /dev/sr0"), "{log}");
}
