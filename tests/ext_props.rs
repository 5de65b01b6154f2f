//! Properties over generated trees: e2fsck-clean, read back exactly, same bytes from copies
//! of a tree, nothing written when it does not fit, sizes from min_size hold the tree.

mod ext_util;

use std::fs;
use std::os::unix::fs::FileExt;
use std::process::Command;

use ext_util::*;
use ingot::content::{load_dir, LoadPolicy};
use ingot::fs::ext::{self, ExtBackend, ExtError, ExtKind};

#[test]
fn generated_trees_roundtrip_in_every_variant() {
    let variants: &[(ExtKind, &[&str])] = &[
        (ExtKind::Ext4, &[]),
        (ExtKind::Ext4, &["-O", "^metadata_csum,^64bit"]),
        (ExtKind::Ext4, &["-b", "4096"]),
        (ExtKind::Ext4, &["-b", "2048", "-I", "512"]),
        (ExtKind::Ext3, &[]),
        (ExtKind::Ext2, &["-b", "4096"]),
    ];
    let work = tempfile::tempdir().unwrap();
    let host = work.path().join("host");
    fs::create_dir(&host).unwrap();
    for seed in 100..108u64 {
        let (kind, opts) = variants[seed as usize % variants.len()];
        let tree = random_tree(seed, 250, &host);
        let p = params(kind, ExtBackend::Native, opts);
        let min = ext::min_size(&tree, &p).unwrap();
        // Exactly the minimum, and a roomier size, both hold the tree.
        for size in [min, (min + min / 4).next_multiple_of(1 << 20)] {
            let image = build(work.path(), &tree, &p, size);
            fsck(&image);
            compare(&image, &tree, TS, work.path(), u64::MAX);
        }
    }
}

#[test]
fn copies_of_a_tree_give_identical_bytes() {
    let work = tempfile::tempdir().unwrap();
    let a = work.path().join("a");
    fs::create_dir_all(a.join("etc/sub")).unwrap();
    fs::write(a.join("etc/hostname"), b"box\n").unwrap();
    fs::write(a.join("etc/sub/data"), vec![7u8; 100_000]).unwrap();
    fs::hard_link(a.join("etc/hostname"), a.join("hostname-link")).unwrap();
    std::os::unix::fs::symlink("etc/hostname", a.join("link")).unwrap();
    let sparse = fs::File::create(a.join("sparse")).unwrap();
    sparse.write_all_at(b"x", 10 << 20).unwrap();
    for i in 0..300 {
        fs::write(a.join(format!("etc/sub/f{i}")), format!("{i}")).unwrap();
    }
    let b = work.path().join("b");
    // A copy has other inode numbers, ctimes and atimes.
    assert!(Command::new("cp")
        .arg("-a")
        .arg(&a)
        .arg(&b)
        .status()
        .unwrap()
        .success());
    let policy = LoadPolicy {
        owners: ingot::content::Owners::Root,
        clamp_mtime: Some(TS),
    };
    let p = params(ExtKind::Ext4, ExtBackend::Native, &[]);
    let mut images = Vec::new();
    for dir in [&a, &b] {
        let tree = load_dir(dir, policy).unwrap();
        let out = work.path().join(format!("img-{}", images.len()));
        fs::create_dir(&out).unwrap();
        let image = build(&out, &tree, &p, 32 << 20);
        fsck(&image);
        compare(&image, &tree, TS, &out, u64::MAX);
        images.push(fs::read(&image).unwrap());
    }
    assert!(images[0] == images[1], "builds from copies differ");
}

#[test]
fn a_tree_that_does_not_fit_is_refused_before_writing() {
    let work = tempfile::tempdir().unwrap();
    let host = work.path().join("host");
    fs::create_dir(&host).unwrap();
    let tree = random_tree(42, 200, &host);
    for backend in [ExtBackend::Native, ExtBackend::Mke2fs] {
        let p = params(ExtKind::Ext4, backend, &[]);
        let min = ext::min_size(&tree, &p).unwrap();
        let small = min / 2;
        match build_at(work.path(), &tree, &p, small, 0) {
            Err(ExtError::TooSmall { needed, available }) if backend == ExtBackend::Native => {
                assert_eq!(available, small);
                assert_eq!(needed, min);
                // Nothing was written: the image is one big hole.
                let image = work.path().join("image.raw");
                assert_eq!(allocated(&image), 0);
            }
            Err(e) if backend == ExtBackend::Mke2fs => assert!(e.to_string().contains("mke2fs")),
            other => panic!("{backend:?} at {small} bytes: {:?}", other.map(|_| ())),
        }
        // The mke2fs backend fills the size min_size gave it.
        if backend == ExtBackend::Mke2fs {
            let image = build(work.path(), &tree, &p, min);
            fsck(&image);
            compare(&image, &tree, TS, work.path(), u64::MAX);
        }
    }
}

#[test]
fn written_at_an_offset_of_a_larger_image() {
    let work = tempfile::tempdir().unwrap();
    let host = work.path().join("host");
    fs::create_dir(&host).unwrap();
    let tree = random_tree(9, 100, &host);
    let p = params(ExtKind::Ext4, ExtBackend::Native, &[]);
    let image = build_at(work.path(), &tree, &p, 16 << 20, 1 << 20).unwrap();
    fsck(&image);
    compare(&image, &tree, TS, work.path(), u64::MAX);
    // The megabyte before the file system is untouched.
    let whole = fs::File::open(work.path().join("image.raw")).unwrap();
    let mut head = vec![0u8; 1 << 20];
    whole.read_exact_at(&mut head, 0).unwrap();
    assert!(head.iter().all(|b| *b == 0));
}

#[test]
fn bad_options_are_errors() {
    let mut tree = ingot::content::Tree::new();
    for i in 0..20 {
        tree.add_bytes(&format!("/f{i}"), vec![], 0o644).unwrap();
    }
    for opts in [
        &["-O", "inline_data"][..],
        &["-O", "resize_inode"],
        &["-E", "resize=100000"],
        &["-Q"],
        &["-L", "seventeen-bytes!!"],
        &["-N", "5"],
    ] {
        let p = params(ExtKind::Ext4, ExtBackend::Native, opts);
        let err = ext::min_size(&tree, &p).expect_err(&format!("{opts:?} accepted"));
        assert!(!err.to_string().is_empty());
    }
}

#[test]
fn empty_tree_and_root_owner() {
    let work = tempfile::tempdir().unwrap();
    let mut tree = ingot::content::Tree::new();
    tree.node_mut(ingot::content::ROOT).meta.uid = 5;
    for backend in [ExtBackend::Native, ExtBackend::Mke2fs] {
        let p = params(ExtKind::Ext4, backend, &[]);
        let min = ext::min_size(&tree, &p).unwrap();
        assert!(min <= 4 << 20, "an empty ext4 needs little: {min}");
        let image = build(work.path(), &tree, &p, min);
        fsck(&image);
        compare(&image, &tree, TS, work.path(), u64::MAX);
        let p = params(ExtKind::Ext4, backend, &["-E", "root_owner=7:8"]);
        let image = build(work.path(), &tree, &p, 8 << 20);
        fsck(&image);
        let st = parse_stat(&debugfs(&image, "stat /"));
        assert_eq!((st.uid, st.gid), (7, 8), "{backend:?}");
    }
}

#[test]
fn a_big_journal_is_counted() {
    let tree = ingot::content::Tree::new();
    let p = params(ExtKind::Ext4, ExtBackend::Native, &["-J", "size=64"]);
    let min = ext::min_size(&tree, &p).unwrap();
    assert!(min > 64 << 20 && min < 80 << 20, "{min}");
}
