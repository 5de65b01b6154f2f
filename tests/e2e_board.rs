//! Board images: U-Boot blobs from --firmware-dir land at Guix's offsets, byte for byte, next to
//! a checked root file system; a missing blob is a clear error and leaves nothing.

mod common;

use std::os::unix::fs::FileExt;
use std::path::Path;
use std::process::Command;

use common::disk::run;
use common::ingot::{e2fsck_clean, ext_dump, extract, ingot_err, ingot_ok, show_json};
use ingot::boot::board;

fn os(bootloader: &str) -> String {
    format!(
        "(operating-system (host-name \"board\") (timezone \"Etc/UTC\") \
           (bootloader (bootloader-configuration (bootloader {bootloader}) (targets '(\"/dev/mmcblk0\")))) \
           (kernel \"/boot/Image\") (kernel-arguments '(\"console=ttyS0,115200\")) \
           (file-systems %base-file-systems))"
    )
}

/// Blob files of distinct, recognisable content (a few KiB each, within every slot).
fn firmware(dir: &Path, board: &board::Board) -> Vec<(u64, Vec<u8>)> {
    board
        .blobs
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let data: Vec<u8> = (0..3000u32)
                .map(|n| (n * 7 + i as u32 * 31 + 1) as u8)
                .collect();
            let path = dir.join(b.file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &data).unwrap();
            (b.offset, data)
        })
        .collect()
}

fn root_tree(dir: &Path) {
    std::fs::create_dir_all(dir.join("boot")).unwrap();
    std::fs::write(dir.join("boot/Image"), b"an arm64 kernel would be here").unwrap();
}

fn build_board(image_type: &str, bootloader: &str, board_name: &str, expect_table: &str) {
    let work = tempfile::tempdir().unwrap();
    let (root, fw, img) = (
        work.path().join("root"),
        work.path().join("fw"),
        work.path().join("b.img"),
    );
    root_tree(&root);
    let b = board::board(board_name).unwrap();
    let blobs = firmware(&fw, b);
    let def = os(bootloader);
    let args = [
        "-e",
        def.as_str(),
        "-t",
        image_type,
        "--root-tree",
        root.to_str().unwrap(),
        "--firmware-dir",
        fw.to_str().unwrap(),
    ];
    let plan = show_json(&args);
    assert_eq!(plan["partition_table"], expect_table);
    let mut build = vec!["build", "-o", img.to_str().unwrap()];
    build.extend_from_slice(&args);
    ingot_ok(&build);

    let file = std::fs::File::open(&img).unwrap();
    for (offset, data) in &blobs {
        let mut got = vec![0u8; data.len()];
        file.read_exact_at(&mut got, *offset).unwrap();
        assert!(&got == data, "blob at {offset} differs");
    }
    let dump = run(Command::new("sfdisk").arg("--dump").arg(&img));
    let root_part = plan["partitions"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    // MBR boards place the root at Guix's offset; on GPT boards it follows the board's
    // partitions, on ingot's 1 MiB alignment.
    let want_root = match b.table {
        board::BoardTable::Mbr => b.root_offset,
        board::BoardTable::Gpt => b.root_offset.div_ceil(1 << 20) << 20,
    };
    assert_eq!(root_part["offset"].as_u64().unwrap(), want_root, "{dump}");
    if expect_table == "gpt" {
        let v = run(Command::new("sgdisk").arg("-v").arg(&img));
        assert!(v.contains("No problems found"), "{v}");
        for (p, bp) in plan["partitions"]
            .as_array()
            .unwrap()
            .iter()
            .zip(b.partitions)
        {
            assert_eq!(p["label"], bp.label);
            assert_eq!(p["offset"].as_u64().unwrap(), bp.offset);
            assert_eq!(p["type"].as_str().unwrap(), bp.type_guid.to_uppercase());
        }
    }
    let fs = extract(
        &img,
        root_part["offset"].as_u64().unwrap(),
        root_part["size"].as_u64().unwrap(),
    );
    e2fsck_clean(fs.path());
    let tree = ext_dump(fs.path());
    let conf = std::fs::read_to_string(tree.path().join("boot/extlinux/extlinux.conf")).unwrap();
    assert!(conf.contains("LINUX /boot/Image"), "{conf}");
    assert!(
        conf.contains("root=LABEL=Guix_image console=ttyS0,115200"),
        "{conf}"
    );
}

#[test]
fn pine64_blob_at_8_kib() {
    assert_eq!(board::board("pine64").unwrap().blobs[0].offset, 8 * 1024);
    build_board(
        "pine64-raw",
        "u-boot-pine64-lts-bootloader",
        "pine64",
        "mbr",
    );
}

#[test]
fn rock64_blobs_at_guix_offsets() {
    let offsets: Vec<u64> = board::board("rock64")
        .unwrap()
        .blobs
        .iter()
        .map(|b| b.offset)
        .collect();
    assert_eq!(offsets, [64 * 512, 16384 * 512]);
    build_board(
        "rock64-raw",
        "u-boot-rock64-rk3328-bootloader",
        "rock64",
        "mbr",
    );
}

#[test]
fn visionfive2_gpt_partitions_hold_the_blobs() {
    let b = board::board("visionfive2").unwrap();
    assert_eq!(b.partitions[0].offset, 34 * 512);
    assert_eq!(b.partitions[1].offset, 2082 * 512);
    build_board(
        "visionfive2-raw",
        "u-boot-starfive-visionfive2-bootloader",
        "visionfive2",
        "gpt",
    );
}

#[test]
fn missing_blob_is_named_and_nothing_is_written() {
    let work = tempfile::tempdir().unwrap();
    let (root, fw) = (work.path().join("root"), work.path().join("fw"));
    root_tree(&root);
    std::fs::create_dir(&fw).unwrap();
    let out = work.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let img = out.join("b.img");
    let def = os("u-boot-pine64-lts-bootloader");
    let err = ingot_err(&[
        "build",
        "-e",
        &def,
        "-t",
        "pine64-raw",
        "--root-tree",
        root.to_str().unwrap(),
        "--firmware-dir",
        fw.to_str().unwrap(),
        "-o",
        img.to_str().unwrap(),
    ]);
    assert!(err.contains("u-boot-sunxi-with-spl.bin"), "{err}");
    assert_eq!(
        std::fs::read_dir(&out).unwrap().count(),
        0,
        "left files behind"
    );
}
