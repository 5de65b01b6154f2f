//! GRUB 2.06's own ext2/3/4 driver (through grub-fstest) reads what the native writer makes:
//! extents and extent trees, 64bit, metadata_csum, flex_bg, hashed directories, block maps.

mod ext_util;

use std::fs;
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::process::Command;

use ext_util::*;
use ingot::content::Tree;
use ingot::fs::ext::{self, ExtBackend, ExtKind};

fn grub(image: &Path, args: &[&str]) -> (bool, String) {
    let out = Command::new("grub-fstest")
        .arg(image)
        .args(args)
        .output()
        .expect("grub-fstest (grub-common) must be installed");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success() && !text.contains("error"), text)
}

#[test]
fn grub_reads_every_variant() {
    let work = tempfile::tempdir().unwrap();
    let host = work.path().join("host");
    fs::create_dir(&host).unwrap();
    let mut rng = Rng::new(5);
    let mut tree = Tree::new();
    // A kernel-sized file, a fragmented sparse file (an extent tree below the inode), a
    // config in a big hashed directory, and a deep path.
    let kernel = host.join("vmlinuz");
    fs::write(&kernel, rng.bytes(7 << 20)).unwrap();
    tree.add_host_file("/boot/vmlinuz", &kernel, Some(0o644))
        .unwrap();
    let sparse = host.join("sparse");
    let f = fs::File::create(&sparse).unwrap();
    for i in 0..40u64 {
        f.write_all_at(&rng.bytes(3000), i * 65536).unwrap();
    }
    f.set_len(40 * 65536).unwrap();
    tree.add_host_file("/boot/sparse", &sparse, Some(0o644))
        .unwrap();
    let cfg = host.join("grub.cfg");
    fs::write(
        &cfg,
        b"set timeout=0\nlinux /boot/vmlinuz root=LABEL=root\n",
    )
    .unwrap();
    for i in 0..3000 {
        tree.add_bytes(
            &format!("/boot/grub/f{i:05}"),
            format!("{i}").into_bytes(),
            0o644,
        )
        .unwrap();
    }
    tree.add_host_file("/boot/grub/grub.cfg", &cfg, Some(0o644))
        .unwrap();
    let deep = "/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t/u/v/w/x/y/z";
    tree.add_host_file(&format!("{deep}/grub.cfg"), &cfg, Some(0o644))
        .unwrap();
    tree.set_all_mtimes(TS - 1);
    for (kind, opts) in [
        (ExtKind::Ext4, &[][..]),
        (ExtKind::Ext4, &["-b", "4096"][..]),
        (ExtKind::Ext4, &["-O", "^metadata_csum,^64bit"][..]),
        (ExtKind::Ext3, &[][..]),
        (ExtKind::Ext2, &["-b", "4096"][..]),
    ] {
        let p = params(kind, ExtBackend::Native, opts);
        let size = ext::min_size(&tree, &p).unwrap();
        let image = build(work.path(), &tree, &p, size + size / 4);
        fsck(&image);
        if kind == ExtKind::Ext4 {
            let st = debugfs(&image, "stat /boot/sparse");
            assert!(st.contains("ETB"), "no extent tree block: {st}");
        }
        for (inside, outside) in [
            ("/boot/vmlinuz", &kernel),
            ("/boot/sparse", &sparse),
            ("/boot/grub/grub.cfg", &cfg),
            (&format!("{deep}/grub.cfg")[..], &cfg),
        ] {
            let (ok, text) = grub(&image, &["cmp", inside, outside.to_str().unwrap()]);
            assert!(ok, "{kind:?} {opts:?}: GRUB reads {inside} wrong: {text}");
        }
        let (ok, text) = grub(&image, &["ls", "/boot/grub/"]);
        assert!(
            ok && text.contains("f02999") && text.contains("grub.cfg"),
            "{text}"
        );
    }
}
