use super::*;
use crate::content::{Meta, Node};

fn symlink(tree: &mut Tree, path: &str, target: &str) {
    tree.insert(
        path,
        Node {
            meta: Meta::new(0o777),
            kind: NodeKind::Symlink(target.as_bytes().to_vec()),
        },
    )
    .unwrap();
}

fn file(tree: &mut Tree, path: &str) {
    tree.add_bytes(path, path.as_bytes().to_vec(), 0o644)
        .unwrap();
}

/// A Debian tree as linux-image-* leaves it: versioned files in /boot, relative symlinks at /.
fn debian(versions: &[&str], initrds: &[&str]) -> Tree {
    let mut t = Tree::new();
    for v in versions {
        file(&mut t, &format!("/boot/vmlinuz-{v}"));
        file(&mut t, &format!("/boot/config-{v}"));
    }
    for v in initrds {
        file(&mut t, &format!("/boot/initrd.img-{v}"));
    }
    if let Some(v) = versions.first() {
        symlink(&mut t, "/vmlinuz", &format!("boot/vmlinuz-{v}"));
        symlink(&mut t, "/initrd.img", &format!("boot/initrd.img-{v}"));
    }
    t
}

#[test]
fn versions_compare_as_dpkg_does() {
    use Ordering::*;
    let cases = [
        ("6.1.0-10-cloud-amd64", "6.1.0-9-cloud-amd64", Greater),
        ("6.1.0-9", "6.1.0-10", Less),
        ("6.10.0", "6.9.12", Greater),
        ("5.10.0-28-amd64", "6.1.0-1-amd64", Less),
        ("6.1.0-10", "6.1.0-10", Equal),
        ("6.1.0-010", "6.1.0-10", Equal),
        ("6.1~rc1", "6.1", Less),
        ("6.1a", "6.1", Greater),
        ("6.1.0", "6.1", Greater),
        ("1.0+b1", "1.0", Greater),
        ("1.0+b1", "1.0.1", Less),
        ("", "1", Less),
    ];
    for (a, b, want) in cases {
        assert_eq!(compare_versions(a, b), want, "{a} vs {b}");
        assert_eq!(compare_versions(b, a), want.reverse(), "{b} vs {a}");
    }
}

#[test]
fn names_parse_into_versions() {
    assert_eq!(
        kernel_version("vmlinuz-6.1.0-10-amd64"),
        Some("6.1.0-10-amd64")
    );
    assert_eq!(kernel_version("vmlinuz"), Some(""));
    assert_eq!(kernel_version("bzImage"), Some(""));
    assert_eq!(kernel_version("vmlinuz.old"), None);
    assert_eq!(kernel_version("config-6.1.0"), None);
    assert_eq!(
        initrd_version("initrd.img-6.1.0-10-amd64"),
        Some("6.1.0-10-amd64")
    );
    assert_eq!(
        initrd_version("initramfs-6.5.6-300.fc39.x86_64.img"),
        Some("6.5.6-300.fc39.x86_64")
    );
    assert_eq!(initrd_version("initramfs-linux.img"), Some("linux"));
    assert_eq!(
        initrd_version("initrd-5.14.21-default"),
        Some("5.14.21-default")
    );
    assert_eq!(initrd_version("initrd.img"), Some(""));
    assert_eq!(initrd_version("initrd.gz"), Some(""));
    assert_eq!(initrd_version("initrd"), Some(""));
    assert_eq!(initrd_version("initrd.img.old"), None);
}

#[test]
fn the_newest_kernel_and_its_own_initrd() {
    let t = debian(
        &["6.1.0-9-amd64", "6.1.0-10-amd64"],
        &["6.1.0-9-amd64", "6.1.0-10-amd64"],
    );
    let (files, warnings) = choose(&t, None, None, None).unwrap();
    assert!(warnings.is_empty());
    let k = files.kernel.unwrap();
    assert_eq!(k.path, "/boot/vmlinuz-6.1.0-10-amd64");
    assert_eq!((k.origin, k.choice), (Origin::Tree, Choice::Newest));
    assert_eq!(
        files.initrd.unwrap().path,
        "/boot/initrd.img-6.1.0-10-amd64"
    );
}

#[test]
fn never_a_mismatched_pair() {
    // The newest kernel has no initrd: none, not the older kernel's.
    let t = debian(&["6.1.0-9-amd64", "6.1.0-10-amd64"], &["6.1.0-9-amd64"]);
    let (files, _) = choose(&t, None, None, None).unwrap();
    assert_eq!(
        files.kernel.as_ref().unwrap().path,
        "/boot/vmlinuz-6.1.0-10-amd64"
    );
    assert_eq!(files.initrd, None);
    let summary = files.summary().join("\n");
    assert!(
        summary.contains("initrd: none (no /boot/initrd.img-6.1.0-10-amd64"),
        "{summary}"
    );
    // Fedora's naming pairs too.
    let mut t = Tree::new();
    file(&mut t, "/boot/vmlinuz-6.5.6-300.fc39.x86_64");
    file(&mut t, "/boot/initramfs-6.5.6-300.fc39.x86_64.img");
    file(&mut t, "/boot/initramfs-6.4.0-1.fc39.x86_64.img");
    let (files, _) = choose(&t, None, None, None).unwrap();
    assert_eq!(
        files.initrd.unwrap().path,
        "/boot/initramfs-6.5.6-300.fc39.x86_64.img"
    );
}

#[test]
fn unversioned_names_pair_with_each_other() {
    let mut t = Tree::new();
    file(&mut t, "/boot/vmlinuz");
    file(&mut t, "/boot/initrd.gz");
    let (files, _) = choose(&t, None, None, None).unwrap();
    assert_eq!(files.kernel.unwrap().path, "/boot/vmlinuz");
    assert_eq!(files.initrd.unwrap().path, "/boot/initrd.gz");
    // A versioned kernel is preferred to a plain one, and its symlink to the same file counts
    // once.
    let mut t = debian(&["6.1.0-3"], &["6.1.0-3"]);
    symlink(&mut t, "/boot/vmlinuz", "vmlinuz-6.1.0-3");
    let (files, _) = choose(&t, None, None, None).unwrap();
    assert_eq!(files.kernel.unwrap().path, "/boot/vmlinuz-6.1.0-3");
}

#[test]
fn a_field_path_is_the_trees_first() {
    let t = debian(&["6.1.0-50-cloud-amd64"], &["6.1.0-50-cloud-amd64"]);
    // Debian's own symlinks, even when the build host has /vmlinuz too.
    let k = FileRef::InRoot("/vmlinuz".into());
    let i = FileRef::InRoot("/initrd.img".into());
    let (files, _) = choose(&t, Some(&k), Some(&i), None).unwrap();
    let kernel = files.kernel.unwrap();
    assert_eq!(kernel.path, "/boot/vmlinuz-6.1.0-50-cloud-amd64");
    assert_eq!(
        (kernel.origin, kernel.choice),
        (Origin::Tree, Choice::Field)
    );
    assert_eq!(
        files.initrd.unwrap().path,
        "/boot/initrd.img-6.1.0-50-cloud-amd64"
    );
    // With only the kernel field, the initrd follows the resolved kernel's version.
    let (files, _) = choose(&t, Some(&k), None, None).unwrap();
    assert_eq!(
        files.initrd.unwrap().path,
        "/boot/initrd.img-6.1.0-50-cloud-amd64"
    );
}

#[test]
fn symlinks_never_leave_the_tree() {
    let mut t = Tree::new();
    file(&mut t, "/boot/vmlinuz-1");
    // Absolute and climbing targets are the tree's root, as in a chroot.
    symlink(&mut t, "/abs", "/boot/vmlinuz-1");
    symlink(&mut t, "/boot/up", "../../../../boot/vmlinuz-1");
    symlink(&mut t, "/dir", "boot");
    symlink(&mut t, "/loop1", "loop2");
    symlink(&mut t, "/loop2", "loop1");
    symlink(&mut t, "/host", "/etc/passwd");
    assert_eq!(resolve(&t, "/abs").unwrap().0, "/boot/vmlinuz-1");
    assert_eq!(resolve(&t, "/boot/up").unwrap().0, "/boot/vmlinuz-1");
    assert_eq!(
        resolve(&t, "/dir/./vmlinuz-1").unwrap().0,
        "/boot/vmlinuz-1"
    );
    assert_eq!(
        resolve(&t, "/dir/../dir/vmlinuz-1").unwrap().0,
        "/boot/vmlinuz-1"
    );
    assert_eq!(resolve(&t, "/loop1"), None);
    assert_eq!(resolve(&t, "/boot/vmlinuz-1/x"), None);
    // A dangling symlink in the tree is an error, never the host's /etc/passwd.
    let err = choose(&t, Some(&FileRef::InRoot("/host".into())), None, None).unwrap_err();
    assert!(
        err.to_string().contains("leads to nothing inside the tree"),
        "{err}"
    );
    let err = choose(&t, Some(&FileRef::InRoot("/loop1".into())), None, None).unwrap_err();
    assert!(err.to_string().contains("leads to nothing"), "{err}");
    let err = choose(&t, Some(&FileRef::InRoot("/dir".into())), None, None).unwrap_err();
    assert!(err.to_string().contains("not a regular file"), "{err}");
}

#[test]
fn only_a_path_the_tree_lacks_reads_the_host() {
    let host = tempfile::tempdir().unwrap();
    let kernel = host.path().join("vmlinuz-7.0");
    std::fs::write(&kernel, b"k").unwrap();
    let t = debian(&["7.0"], &["7.0"]);
    let given = FileRef::InRoot(kernel.to_str().unwrap().into());
    let (files, _) = choose(&t, Some(&given), None, None).unwrap();
    let k = files.kernel.clone().unwrap();
    assert_eq!(k.origin, Origin::Host(kernel.clone()));
    assert_eq!(k.path, "/boot/vmlinuz-7.0");
    assert!(files.summary()[0].starts_with(&format!("kernel: host file {}", kernel.display())));
    // Its version picks the tree's initrd of that version.
    assert_eq!(files.initrd.as_ref().unwrap().path, "/boot/initrd.img-7.0");
    let mut placed = t.clone();
    place(&mut placed, &files, None).unwrap();
    assert!(placed.lookup("/boot/vmlinuz-7.0").is_some());
    let missing = FileRef::InRoot("/no/such/vmlinuz".into());
    let err = choose(&t, Some(&missing), None, None).unwrap_err();
    assert!(err
        .to_string()
        .contains("neither in the root tree nor a file on this host"));
}

#[test]
fn an_explicit_mismatch_is_warned() {
    let t = debian(&["6.1.0-10", "6.1.0-9"], &["6.1.0-10", "6.1.0-9"]);
    let k = FileRef::InRoot("/boot/vmlinuz-6.1.0-10".into());
    let i = FileRef::InRoot("/boot/initrd.img-6.1.0-9".into());
    let (_, warnings) = choose(&t, Some(&k), Some(&i), None).unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("6.1.0-9"), "{warnings:?}");
}

#[test]
fn nothing_found_says_so() {
    let (files, _) = choose(&Tree::new(), None, None, None).unwrap();
    assert_eq!(files.kernel, None);
    assert!(files.summary()[0].contains("none found"));
}
