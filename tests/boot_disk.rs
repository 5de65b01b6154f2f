//! End-to-end boots of disks assembled with ingot's own library functions: partition tables,
//! GRUB (BIOS and UEFI), FAT. The root file system is ext4 made by `mke2fs -d` for now.

mod common;

use std::fs::File;
use std::path::Path;

use common::disk::{copy_sparse, mke2fs};
use common::{boot, initramfs, marker_suffix, root_ok, Iface, Kernel, Mode};
use ingot::boot::grub::{self, MenuEntry, RootSearch};
use ingot::disk::mbr::{write_mbr, MbrEntry};
use ingot::disk::{Region, Target};

const MIB: u64 = 1 << 20;
const SECTOR: u64 = 512;

/// A root directory with the kernel, the initramfs, a grub.cfg and the marker file.
fn root_dir(dir: &Path, kernel: &Kernel, suffix: &str, grub_cfg: &str) {
    std::fs::create_dir_all(dir.join("boot/grub")).unwrap();
    std::fs::create_dir_all(dir.join("etc")).unwrap();
    std::fs::copy(&kernel.vmlinuz, dir.join("boot/vmlinuz")).unwrap();
    std::fs::write(dir.join("boot/initrd.gz"), initramfs(kernel)).unwrap();
    std::fs::write(dir.join("boot/grub/grub.cfg"), grub_cfg).unwrap();
    std::fs::write(dir.join("etc/boot-marker"), format!("{suffix}\n")).unwrap();
}

fn create(path: &Path) -> File {
    File::options()
        .read(true)
        .write(true)
        .create_new(true)
        .open(path)
        .unwrap()
}

fn menu(root_arg: &str, search: RootSearch) -> MenuEntry {
    MenuEntry {
        title: "ingot test".into(),
        kernel_path: "/boot/vmlinuz".into(),
        initrd_path: Some("/boot/initrd.gz".into()),
        root_arg: root_arg.into(),
        kernel_arguments: vec!["console=ttyS0".into(), "quiet".into(), "loglevel=3".into()],
        timeout: 0,
        search,
    }
}

#[test]
fn mbr_ext4_grub_bios_boots_under_seabios() {
    let kernel = Kernel::find();
    let suffix = marker_suffix();
    let work = tempfile::tempdir().unwrap();
    let fs_uuid = "33333333-4444-4555-8666-777777777777";
    let cfg = grub::grub_cfg(&menu(
        &format!("UUID={fs_uuid}"),
        RootSearch::FsUuid(fs_uuid.into()),
    ));
    root_dir(&work.path().join("root"), &kernel, &suffix, &cfg);

    let disk_size = 64 * MIB;
    let first_lba = 2048u64;
    let part_size = disk_size - first_lba * SECTOR;
    let root = mke2fs(&work.path().join("root"), "rootfs", fs_uuid, part_size);

    let img_path = work.path().join("disk.img");
    let img = create(&img_path);
    img.set_len(disk_size).unwrap();
    let disk = Region::new(&img, 0, disk_size);
    // GRUB first, then the table: each keeps the other's bytes.
    let core = grub::bios_core_image(
        "(hd0,msdos1)/boot/grub",
        &grub::bios_early_config(&RootSearch::FsUuid(fs_uuid.into())),
        grub::BIOS_MODULES,
    )
    .unwrap();
    grub::install_bios(&disk, &core, first_lba).unwrap();
    write_mbr(
        &disk,
        0x5eed_1234,
        &[MbrEntry {
            type_code: 0x83,
            bootable: true,
            first_lba: first_lba as u32,
            sectors: (part_size / SECTOR) as u32,
        }],
    )
    .unwrap();
    copy_sparse(
        root.as_file(),
        &disk.sub(first_lba * SECTOR, part_size).unwrap(),
    );
    img.sync_all().unwrap();
    assert!(disk.len() == disk_size);

    let log = boot(&img_path, Mode::Bios, Iface::Virtio, &root_ok(&suffix))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(log.contains("initramfs: mounted /dev/vda1"), "{log}");
}
