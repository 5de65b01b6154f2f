//! The native writer: every image passes e2fsck -fn and reads back (debugfs) as its tree.

mod ext_util;

use ext_util::*;
use ingot::fs::ext::{self, ExtBackend, ExtKind};

fn roundtrip(seed: u64, nodes: usize, kind: ExtKind, opts: &[&str], size: Option<u64>) {
    let work = tempfile::tempdir().unwrap();
    let host = work.path().join("host");
    std::fs::create_dir(&host).unwrap();
    let tree = random_tree(seed, nodes, &host);
    let p = params(kind, ExtBackend::Native, opts);
    let min = ext::min_size(&tree, &p).unwrap();
    let size = size.unwrap_or(min);
    let image = build(work.path(), &tree, &p, size);
    fsck(&image);
    compare(&image, &tree, TS, work.path(), u64::MAX);
}

#[test]
fn ext4_defaults() {
    roundtrip(1, 200, ExtKind::Ext4, &[], Some(64 << 20));
}

#[test]
fn guix_root_options() {
    roundtrip(
        2,
        200,
        ExtKind::Ext4,
        &["-O", "^metadata_csum,^64bit"],
        None,
    );
}

#[test]
fn ext4_4k_blocks() {
    roundtrip(3, 200, ExtKind::Ext4, &["-b", "4096"], None);
}

#[test]
fn ext2_and_ext3_block_maps() {
    roundtrip(4, 150, ExtKind::Ext2, &[], None);
    roundtrip(5, 150, ExtKind::Ext3, &[], None);
    roundtrip(6, 100, ExtKind::Ext3, &["-b", "4096"], Some(600 << 20));
}

#[test]
fn small_inodes_and_feature_variants() {
    for (seed, opts) in [
        (7, &["-I", "128"][..]),
        (8, &["-O", "^flex_bg,^dir_index"][..]),
        (
            9,
            &[
                "-O",
                "^extra_isize,^huge_file,^dir_nlink,metadata_csum_seed",
            ][..],
        ),
        (
            10,
            &["-O", "^has_journal,large_dir", "-m", "0", "-N", "3000"][..],
        ),
        (
            11,
            &[
                "-O",
                "^metadata_csum",
                "-G",
                "4",
                "-g",
                "4096",
                "-i",
                "8192",
            ][..],
        ),
        (
            12,
            &[
                "-J",
                "size=4",
                "-e",
                "remount-ro",
                "-M",
                "/",
                "-E",
                "stride=4,stripe_width=8,test_fs",
            ][..],
        ),
        (
            13,
            &[
                "-T",
                "news",
                "-L",
                "other",
                "-U",
                "11111111-2222-4333-8444-555555555555",
            ][..],
        ),
    ] {
        roundtrip(seed, 120, ExtKind::Ext4, opts, None);
    }
}

/// A file that shrinks or vanishes after the tree was read is one clear error naming it,
/// from the streaming writer (which opens each file once, when its data is written).
#[test]
fn a_file_changed_during_the_build_is_named() {
    use ingot::content::{load_dir, LoadPolicy};
    let work = tempfile::tempdir().unwrap();
    let host = work.path().join("host");
    std::fs::create_dir_all(host.join("etc")).unwrap();
    for i in 0..50 {
        std::fs::write(host.join(format!("etc/f{i:02}")), vec![b'x'; 5000 + i]).unwrap();
    }
    let tree = load_dir(&host, LoadPolicy::default()).unwrap();
    let p = params(ExtKind::Ext4, ExtBackend::Native, &[]);
    let size = ext::min_size(&tree, &p).unwrap();
    std::fs::write(host.join("etc/f30"), b"short").unwrap();
    let err = build_at(work.path(), &tree, &p, size, 0)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("/etc/f30")
            && err.contains("changed during the build")
            && err.contains("5030"),
        "{err}"
    );
    std::fs::remove_file(host.join("etc/f30")).unwrap();
    let err = build_at(work.path(), &tree, &p, size, 0)
        .unwrap_err()
        .to_string();
    assert!(err.contains("/etc/f30"), "{err}");
}
