//! End-to-end boots of disks assembled with ingot's own library functions: partition tables,
//! GRUB (BIOS and UEFI), FAT. The root file system is ext4 made by `mke2fs -d` for now.

mod common;

use std::fs::File;
use std::path::Path;
use std::process::Command;

use common::disk::{copy_sparse, mke2fs, run};
use common::{boot, initramfs, marker_suffix, root_ok, Iface, Kernel, Mode};
use ingot::boot::grub::{self, EfiArch, MenuEntry, RootSearch};
use ingot::content::Tree;
use ingot::disk::gpt::{write_gpt, GptEntry, LEGACY_BIOS_BOOTABLE};
use ingot::disk::mbr::{write_mbr, MbrEntry};
use ingot::disk::{Region, Target};
use ingot::fs::fat::{self, FatKind, FatParams};
use ingot::model::Uuid;

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

#[test]
fn gpt_fat16_esp_grub_efi_boots_under_ovmf() {
    let kernel = Kernel::find();
    let suffix = marker_suffix();
    let work = tempfile::tempdir().unwrap();
    let label = "Guix_image";
    let cfg = grub::grub_cfg(&menu(
        &format!("LABEL={label}"),
        RootSearch::Label(label.into()),
    ));
    root_dir(&work.path().join("root"), &kernel, &suffix, &cfg);

    let esp_first = 2048u64;
    let esp_size = 40 * MIB;
    let root_first = esp_first + esp_size / SECTOR;
    let root_size = 48 * MIB;
    let disk_size = (root_first * SECTOR + root_size).next_multiple_of(MIB) + MIB;
    let root = mke2fs(
        &work.path().join("root"),
        label,
        "22222222-3333-4444-8555-666666666666",
        root_size,
    );

    // The ESP: GRUB with Guix's embedded config, on ingot's FAT16.
    let efi = grub::efi_binary(EfiArch::X86_64, &grub::guix_efi_config(label)).unwrap();
    let mut esp_tree = Tree::new();
    esp_tree
        .add_bytes(EfiArch::X86_64.removable_path(), efi.clone(), 0o644)
        .unwrap();
    let kind = fat::choose_kind(esp_size);
    assert_eq!(kind, FatKind::Fat16);

    let img_path = work.path().join("disk.img");
    let img = create(&img_path);
    img.set_len(disk_size).unwrap();
    let disk = Region::new(&img, 0, disk_size);
    let uuid = |s: &str| Uuid::parse(s).unwrap();
    write_gpt(
        &disk,
        uuid("11111111-2222-4333-8444-555555555555"),
        &[
            GptEntry {
                type_guid: uuid("c12a7328-f81f-11d2-ba4b-00a0c93ec93b"),
                part_guid: uuid("11111111-2222-4333-8444-000000000001"),
                first_lba: esp_first,
                last_lba: root_first - 1,
                name: "GNU-ESP".into(),
                attributes: 0,
            },
            GptEntry {
                type_guid: uuid("0fc63daf-8483-4772-8e79-3d69d8477de4"),
                part_guid: uuid("11111111-2222-4333-8444-000000000002"),
                first_lba: root_first,
                last_lba: root_first + root_size / SECTOR - 1,
                name: label.into(),
                attributes: LEGACY_BIOS_BOOTABLE,
            },
        ],
    )
    .unwrap();
    let esp = disk.sub(esp_first * SECTOR, esp_size).unwrap();
    fat::write(
        &esp,
        &esp_tree,
        &FatParams {
            kind,
            label: "GNU-ESP".into(),
            volume_id: 0x1234_abcd,
            timestamp: 1_700_000_000,
            hidden_sectors: esp_first as u32,
        },
    )
    .unwrap();
    copy_sparse(
        root.as_file(),
        &disk.sub(root_first * SECTOR, root_size).unwrap(),
    );
    img.sync_all().unwrap();

    let verify = run(Command::new("sgdisk").arg("-v").arg(&img_path));
    assert!(verify.contains("No problems found"), "{verify}");
    // The ESP as firmware will read it: fsck-clean, BOOTX64.EFI byte for byte.
    let esp_img = work.path().join("esp.img");
    run(Command::new("dd")
        .arg(format!("if={}", img_path.display()))
        .arg(format!("of={}", esp_img.display()))
        .args(["bs=1M", "skip=1", "count=40", "status=none"]));
    run(Command::new("fsck.vfat").arg("-n").arg(&esp_img));
    let back = work.path().join("BOOTX64.EFI");
    run(Command::new("mcopy")
        .env("MTOOLS_SKIP_CHECK", "1")
        .arg("-i")
        .arg(&esp_img)
        .arg("::/EFI/BOOT/BOOTX64.EFI")
        .arg(&back));
    assert!(std::fs::read(&back).unwrap() == efi);

    let log = boot(&img_path, Mode::Efi, Iface::Virtio, &root_ok(&suffix))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(log.contains("initramfs: mounted /dev/vda2"), "{log}");
}
