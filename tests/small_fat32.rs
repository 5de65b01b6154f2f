//! A FAT32 partition below the specification's 65,525 clusters is made with a warning, as
//! mkfs.fat makes it (Guix uses mkfs.fat), and fsck.vfat finds it clean.

mod common;

use common::ingot::{extract, fsck_vfat_clean, ingot};

#[test]
fn small_fat32_is_built_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("small.img");
    let expr = "(image-without-os (format 'disk-image)\n  (partitions (list (partition (label \"small\") (file-system \"fat32\")\n                                (size (* 8 (expt 2 20)))))))";
    let run = ingot()
        .args(["build", "-o", out.to_str().unwrap(), "-e", expr])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{err}");
    assert!(
        err.contains("<expr>:2:21: partition \"small\": FAT32 with")
            && err.contains("fewer than the 65,525"),
        "{err}"
    );
    let part = extract(&out, 1 << 20, 8 << 20);
    fsck_vfat_clean(part.path());
    let file = std::process::Command::new("file")
        .arg("-s")
        .arg(part.path())
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&file.stdout).contains("FAT (32 bit)"),
        "{}",
        String::from_utf8_lossy(&file.stdout)
    );
}
