//! The qcow2 output, checked with qemu-img (check, compare, info) and rebuilt to prove
//! reproducibility.

mod format_util;

use std::fs::{self, File};
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::process::Command;

use format_util::{run, stdout};
use ingot::output::qcow2::convert_to_qcow2;
use serde_json::Value;

/// A 64 MiB sparse raw image: pseudo-random data, text, explicit zeros and holes.
fn raw_image(path: &Path) {
    let f = File::create(path).unwrap();
    f.set_len(64 << 20).unwrap();
    let noise: Vec<u8> = (0..4u32 << 20)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8)
        .collect();
    f.write_all_at(&noise, 1 << 20).unwrap();
    let text = b"ingot qcow2 test\n".repeat(100_000);
    f.write_all_at(&text, 20 << 20).unwrap();
    f.write_all_at(&vec![0u8; 2 << 20], 40 << 20).unwrap();
    f.write_all_at(b"last sector", (64 << 20) - 512).unwrap();
}

#[test]
fn qcow2_matches_the_raw_image_and_is_reproducible() {
    let dir = tempfile::tempdir().unwrap();
    let raw = dir.path().join("disk.raw");
    raw_image(&raw);
    let a = dir.path().join("a.qcow2");
    let b = dir.path().join("b.qcow2");
    convert_to_qcow2(&raw, &a).unwrap();
    convert_to_qcow2(&raw, &b).unwrap();
    assert!(
        fs::read(&a).unwrap() == fs::read(&b).unwrap(),
        "two conversions differ"
    );

    run(Command::new("qemu-img").arg("check").arg(&a));
    let same = stdout(
        Command::new("qemu-img")
            .args(["compare", "-f", "raw", "-F", "qcow2"])
            .arg(&raw)
            .arg(&a),
    );
    assert!(same.contains("Images are identical"), "{same}");
    let info: Value = serde_json::from_str(&stdout(
        Command::new("qemu-img")
            .args(["info", "--output=json"])
            .arg(&a),
    ))
    .unwrap();
    assert_eq!(info["format"], "qcow2");
    assert_eq!(info["virtual-size"], 64 << 20);
    assert_eq!(
        info["format-specific"]["data"]["compression-type"], "zstd",
        "{info}"
    );
    // Compressed: far smaller than the 6 MiB of data written.
    assert!(fs::metadata(&a).unwrap().len() < 5 << 20);

    // The oracle can fail: a changed byte makes compare report a difference.
    File::options()
        .write(true)
        .open(&raw)
        .unwrap()
        .write_all_at(b"X", 30 << 20)
        .unwrap();
    let status = Command::new("qemu-img")
        .args(["compare", "-q", "-f", "raw", "-F", "qcow2"])
        .arg(&raw)
        .arg(&a)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1));
}

#[test]
fn missing_raw_image_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let err = convert_to_qcow2(&dir.path().join("nope.raw"), &dir.path().join("o.qcow2"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("qemu-img failed") && err.contains("nope.raw"),
        "{err}"
    );
}
