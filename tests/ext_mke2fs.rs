//! The mke2fs backend: e2fsck-clean images that debugfs reads back as the tree.

mod ext_util;

use ext_util::*;
use ingot::fs::ext::{ExtBackend, ExtKind};

#[test]
fn mke2fs_backend_reproduces_the_tree() {
    let work = tempfile::tempdir().unwrap();
    let host = work.path().join("host");
    std::fs::create_dir(&host).unwrap();
    let tree = random_tree(7, 150, &host);
    for (kind, opts) in [
        (ExtKind::Ext4, &[][..]),
        (ExtKind::Ext4, &["-O", "^metadata_csum,^64bit"][..]),
        (ExtKind::Ext2, &[][..]),
    ] {
        let p = params(kind, ExtBackend::Mke2fs, opts);
        let image = build(work.path(), &tree, &p, 64 << 20);
        fsck(&image);
        compare(&image, &tree, TS, work.path(), u64::MAX);
        let sb = superblock(&image);
        assert_eq!(sb["Filesystem volume name"], "ingot-test");
        assert_eq!(
            sb["Filesystem UUID"],
            "33333333-4444-4555-8666-777777777777"
        );
    }
}

#[test]
fn mke2fs_backend_is_sparse_and_reproducible() {
    let work = tempfile::tempdir().unwrap();
    let host = work.path().join("host");
    std::fs::create_dir(&host).unwrap();
    let tree = random_tree(11, 60, &host);
    let p = params(ExtKind::Ext4, ExtBackend::Mke2fs, &["-L", "other"]);
    let a = build(work.path(), &tree, &p, 256 << 20);
    let first = std::fs::read(&a).unwrap();
    assert!(allocated(&a) < 64 << 20, "image is not sparse");
    assert_eq!(superblock(&a)["Filesystem volume name"], "other");
    let b = build(work.path(), &tree, &p, 256 << 20);
    assert!(first == std::fs::read(&b).unwrap(), "two builds differ");
}
