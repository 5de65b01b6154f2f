//! The tarball and wsl2 outputs, checked with GNU tar and bsdtar (listing, extraction as
//! root) and rebuilt to prove reproducibility.

mod format_util;

use std::fs::{self, File};
use std::path::Path;
use std::process::Command;

use format_util::{assert_same, fixture, load, stdout, walk_bytes, Compare, LATIN1_NAME};
use ingot::content::{NodeKind, Tree};
use ingot::output::tarball::{write_tarball, TarParams};

fn build(tree: &Tree, params: &TarParams, path: &Path) {
    let out = File::create(path).unwrap();
    write_tarball(&out, tree, params).unwrap();
}

const PARAMS: TarParams = TarParams { wsl2: false };

#[test]
fn tarball_extracts_to_the_same_tree() {
    let (dir, mut tree) = fixture();
    // Members carry the tree's times: fix them so the listing can name them.
    tree.set_all_mtimes(1);
    let tgz = dir.path().join("image.tar.gz");
    build(&tree, &PARAMS, &tgz);

    // GNU tar's verbose listing: sorted names, numeric owners, fixed time, links, devices.
    let listing = stdout(
        Command::new("tar")
            .args(["--numeric-owner", "-tvvf"])
            .arg(&tgz),
    );
    let lines: Vec<&str> = listing.lines().collect();
    assert!(
        lines[0].starts_with("drwxr-xr-x 0/0") && lines[0].ends_with(" ./"),
        "{listing}"
    );
    for want in [
        "-rwsr-xr-x 0/0              12 1970-01-01 00:00 ./bin/busybox",
        "lrwxrwxrwx 0/0               0 1970-01-01 00:00 ./bin/sh -> busybox",
        "hrw-r--r-- 0/0               0 1970-01-01 00:00 ./etc/hostname2 link to ./etc/hostname",
        "crw-rw-rw- 0/0             1,3 1970-01-01 00:00 ./dev/null",
        "brw-rw---- 0/0             8,0 1970-01-01 00:00 ./dev/sda",
        "prw------- 0/0               0 1970-01-01 00:00 ./dev/initctl",
        "drwxrwxrwt 0/0               0 1970-01-01 00:00 ./tmp/",
        "-rw------- 1000/100         16 1970-01-01 00:00 ./home/user/.profile",
    ] {
        assert!(lines.contains(&want), "missing {want:?} in\n{listing}");
    }
    assert!(!listing.contains("dev/log"), "sockets are left out");
    // The member order is the tree's sorted depth-first order.
    let expected: Vec<String> = walk_bytes(&tree)
        .into_iter()
        .filter(|(_, id)| !matches!(tree.node(*id).kind, NodeKind::Socket))
        .map(|(p, id)| {
            let slash = if matches!(tree.node(id).kind, NodeKind::Dir(_)) {
                "/"
            } else {
                ""
            };
            format!(".{}{slash}", String::from_utf8_lossy(&p))
        })
        .collect();
    let names = stdout(Command::new("tar").args(["-tf"]).arg(&tgz));
    let names: Vec<String> = names
        .lines()
        .map(|l| l.replace("\\351", "\u{fffd}"))
        .collect();
    assert_eq!(names, expected);

    // bsdtar reads it too (pax headers, long names and link targets, xattrs).
    let bsd = stdout(Command::new("bsdtar").arg("-tvf").arg(&tgz));
    assert_eq!(bsd.lines().count(), expected.len(), "{bsd}");
    assert!(
        bsd.contains(&format!("./etc/long-link -> /{}", "t".repeat(150))),
        "{bsd}"
    );

    // Extract as root with GNU tar, then compare everything with the source tree.
    let x = dir.path().join("x");
    fs::create_dir(&x).unwrap();
    format_util::run(
        Command::new("tar")
            .args(["--numeric-owner", "--xattrs", "--xattrs-include=*", "-xpf"])
            .arg(&tgz)
            .arg("-C")
            .arg(&x),
    );
    let cmp = Compare {
        mtime: Some(1),
        owners: true,
        xattrs: true,
        root_meta: true,
        hardlinks: true,
    };
    let extracted = load(&x);
    assert!(extracted.lookup("/etc").is_some());
    assert!(extracted
        .lookup_in(extracted.lookup("/etc").unwrap(), LATIN1_NAME)
        .is_some());
    assert_same(&tree, &extracted, cmp);

    // And with bsdtar into another directory (bsdtar leaves the time of "./" alone).
    let y = dir.path().join("y");
    fs::create_dir(&y).unwrap();
    format_util::run(
        Command::new("bsdtar")
            .arg("-xpf")
            .arg(&tgz)
            .arg("-C")
            .arg(&y),
    );
    let cmp = Compare {
        root_meta: false,
        ..cmp
    };
    assert_same(&tree, &load(&y), cmp);
}

#[test]
fn tarball_is_reproducible_and_gzip_header_is_clean() {
    let (dir, tree) = fixture();
    let a = dir.path().join("a.tar.gz");
    let b = dir.path().join("b.tar.gz");
    build(&tree, &PARAMS, &a);
    build(&tree, &PARAMS, &b);
    let (a, b) = (fs::read(&a).unwrap(), fs::read(&b).unwrap());
    assert!(a == b, "two builds differ");
    // gzip header: magic, deflate, no FNAME flag, mtime 0, XFL 0, OS Unix (like gzip -6n).
    assert_eq!(&a[..10], &[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
    // Members carry the tree's times (which a load clamps to SOURCE_DATE_EPOCH).
    let other = dir.path().join("c.tar.gz");
    let mut dated = tree.clone();
    dated.set_all_mtimes(1_700_000_000);
    build(&dated, &TarParams { wsl2: false }, &other);
    let listing = stdout(
        Command::new("tar")
            .args(["-tvf"])
            .arg(&other)
            .env("TZ", "UTC"),
    );
    assert!(
        listing.lines().all(|l| l.contains("2023-11-14 22:13")),
        "{listing}"
    );
}

#[test]
fn wsl2_needs_sh_and_mount() {
    let (dir, tree) = fixture();
    let out = dir.path().join("wsl.tar.gz");
    let wsl = TarParams { wsl2: true };
    build(&tree, &wsl, &out);
    let names = stdout(Command::new("tar").args(["-tf"]).arg(&out));
    assert!(names.lines().any(|l| l == "./bin/sh") && names.lines().any(|l| l == "./bin/mount"));

    let mut bare = Tree::new();
    bare.add_bytes("/bin/sh", b"#!\n".to_vec(), 0o755).unwrap();
    let err = write_tarball(&File::create(&out).unwrap(), &bare, &wsl).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("wsl2") && msg.contains("/bin/mount does not exist"),
        "{msg}"
    );
}

#[test]
fn unreadable_source_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut tree = Tree::new();
    let host = dir.path().join("gone");
    fs::write(&host, b"data").unwrap();
    tree.add_host_file("/etc/gone", &host, None).unwrap();
    fs::remove_file(&host).unwrap();
    let err =
        write_tarball(&File::create(dir.path().join("o")).unwrap(), &tree, &PARAMS).unwrap_err();
    assert!(err.to_string().contains("./etc/gone"), "{err}");
}
