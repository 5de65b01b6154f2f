//! Large shapes, kept cheap: a directory of 100k entries, files over 4 GiB as holes, more
//! than 65000 subdirectories. Every image passes e2fsck -fn and debugfs reads it back.

mod ext_util;

use std::os::unix::fs::FileExt;
use std::sync::Arc;

use ext_util::*;
use ingot::content::{FileSource, Meta, Node, NodeKind, Tree, ROOT};
use ingot::fs::ext::{self, ExtBackend, ExtKind};

fn file(bytes: &[u8]) -> Node {
    let mut meta = Meta::new(0o644);
    meta.mtime = TS - 10;
    Node {
        meta,
        kind: NodeKind::File {
            size: bytes.len() as u64,
            source: FileSource::Bytes(Arc::new(bytes.to_vec())),
        },
    }
}

#[test]
fn directory_of_100k_entries() {
    let work = tempfile::tempdir().unwrap();
    let mut tree = Tree::new();
    tree.node_mut(ROOT).meta.mtime = TS;
    let big = tree.mkdir_p("/big").unwrap();
    tree.node_mut(big).meta.mtime = TS - 1;
    let shared = tree.add_node(file(b"same"));
    for i in 0..100_000u32 {
        let name = format!("entry-{i:06}-{}", "x".repeat((i % 40) as usize));
        if i % 10 == 0 {
            tree.link(big, name.as_bytes(), shared).unwrap();
        } else {
            let id = tree.add_node(file(format!("{i}").as_bytes()));
            tree.link(big, name.as_bytes(), id).unwrap();
        }
    }
    for (kind, opts) in [
        (ExtKind::Ext4, &[][..]),
        (
            ExtKind::Ext4,
            &["-b", "4096", "-O", "^metadata_csum,^64bit"][..],
        ),
    ] {
        let p = params(kind, ExtBackend::Native, opts);
        let size = ext::min_size(&tree, &p).unwrap();
        let image = build(work.path(), &tree, &p, size);
        fsck(&image);
        let st = parse_stat(&debugfs(&image, "stat /big"));
        assert!(st.flags & 0x1000 != 0, "/big is not hash-indexed");
        // Lookups go through the index: spot-check a few names.
        for i in [0u32, 1, 4242, 99_999] {
            let name = format!("/big/entry-{i:06}-{}", "x".repeat((i % 40) as usize));
            let out = debugfs(&image, &format!("cat {name}"));
            let want = if i % 10 == 0 {
                "same".to_string()
            } else {
                i.to_string()
            };
            assert_eq!(out, want, "{name}");
        }
        let st = parse_stat(&debugfs(&image, "stat /big/entry-000000-"));
        assert_eq!(st.links, 10_000);
    }
}

#[test]
fn files_over_4_gib_stay_holes() {
    let work = tempfile::tempdir().unwrap();
    let host = work.path().join("huge");
    let f = std::fs::File::create(&host).unwrap();
    let size = (5u64 << 30) + 12345;
    f.write_all_at(b"start", 0).unwrap();
    f.write_all_at(b"middle", 3 << 30).unwrap();
    f.write_all_at(b"end", size - 3).unwrap();
    f.set_len(size).unwrap();
    let mut tree = Tree::new();
    tree.add_host_file("/data/huge", &host, Some(0o640))
        .unwrap();
    tree.add_bytes("/data/small", b"hello".to_vec(), 0o644)
        .unwrap();
    tree.set_all_mtimes(TS - 100);
    for (kind, opts) in [
        (ExtKind::Ext4, &[][..]),
        (ExtKind::Ext4, &["-O", "^metadata_csum,^64bit"][..]),
        (ExtKind::Ext3, &[][..]),
        (ExtKind::Ext2, &["-b", "1024"][..]),
    ] {
        let p = params(kind, ExtBackend::Native, opts);
        let min = ext::min_size(&tree, &p).unwrap();
        assert!(min < 64 << 20, "holes must not count: min_size {min}");
        let image = build(work.path(), &tree, &p, 64 << 20);
        assert!(allocated(&image) < 32 << 20);
        fsck(&image);
        compare(&image, &tree, TS, work.path(), 1 << 20);
        // Find the data through the file's block map (debugfs bmap) and read it there.
        let bs: u64 = superblock(&image)["Block size"].parse().unwrap();
        let img = std::fs::File::open(&image).unwrap();
        for (offset, want) in [
            (0u64, &b"start"[..]),
            (3 << 30, b"middle"),
            (size - 3, b"end"),
        ] {
            let out = debugfs(&image, &format!("bmap /data/huge {}", offset / bs));
            let phys: u64 = out.trim().parse().unwrap();
            assert!(phys > 0, "block of offset {offset} is not mapped");
            let mut buf = vec![0u8; want.len()];
            img.read_exact_at(&mut buf, phys * bs + offset % bs)
                .unwrap();
            assert_eq!(&buf, want);
        }
        let hole = debugfs(&image, &format!("bmap /data/huge {}", (2u64 << 30) / bs));
        assert_eq!(hole.trim(), "0", "a hole got a block");
    }
}

#[test]
fn more_than_65000_subdirectories() {
    let work = tempfile::tempdir().unwrap();
    let mut tree = Tree::new();
    let top = tree.mkdir_p("/top").unwrap();
    for i in 0..65_010u32 {
        let d = tree.add_node(Node {
            meta: Meta::new(0o755),
            kind: NodeKind::Dir(Vec::new()),
        });
        tree.link(top, format!("d{i}").as_bytes(), d).unwrap();
    }
    let p = params(ExtKind::Ext4, ExtBackend::Native, &[]);
    let size = ext::min_size(&tree, &p).unwrap();
    let image = build(work.path(), &tree, &p, size);
    fsck(&image);
    let st = parse_stat(&debugfs(&image, "stat /top"));
    assert_eq!(
        st.links, 1,
        "dir_nlink: a directory past 65000 links counts 1"
    );
    // Without dir_nlink it is refused, with a message naming the directory.
    let p = params(ExtKind::Ext4, ExtBackend::Native, &["-O", "^dir_nlink"]);
    let err = ext::min_size(&tree, &p).unwrap_err().to_string();
    assert!(err.contains("/top") && err.contains("dir_nlink"), "{err}");
}

/// Many inodes and almost no data: the size is bounded by the inode tables (a group holds
/// at most 8 × block-size inodes), far above four times the data. 300k empty files need
/// 10 groups of 128 MiB.
#[test]
fn many_inodes_without_data() {
    let work = tempfile::tempdir().unwrap();
    let mut tree = Tree::new();
    let empty = |t: &mut Tree| t.add_node(file(b""));
    for d in 0..300u32 {
        let dir = tree.mkdir_p(&format!("/m/{d:03}")).unwrap();
        for i in 0..1000u32 {
            let f = empty(&mut tree);
            tree.link(dir, format!("e{i:04}").as_bytes(), f).unwrap();
        }
    }
    let p = params(ExtKind::Ext4, ExtBackend::Native, &[]);
    let size = ext::min_size(&tree, &p).unwrap();
    assert!(size > 1 << 30, "{size}");
    let image = build(work.path(), &tree, &p, size);
    fsck(&image);
    let st = parse_stat(&debugfs(&image, "stat /m/299/e0999"));
    assert_eq!(st.links, 1);
}
