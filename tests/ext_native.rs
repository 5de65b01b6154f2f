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
