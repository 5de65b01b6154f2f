//! Root trees from archives as real tools write them (GNU tar, bsdtar, zstd/xz/bzip2): ACLs,
//! sparse members, non-UTF-8 names, sockets, hard links to directories, and a file swapped
//! for a symlink while a build runs. debugfs and tar check what arrived.

mod common;

use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::disk::{debugfs, run, s};
use common::ingot::{
    build_fixture_os, e2fsck_clean, extract, fixture, flagged_partition, ingot_err, show_json,
};

const EPOCH: &str = "1700000000";

/// A root tree with a (fake) kernel, as os-efi.scm needs.
fn base_root(dir: &Path) {
    std::fs::create_dir_all(dir.join("boot")).unwrap();
    std::fs::write(dir.join("boot/vmlinuz"), b"not a kernel").unwrap();
}

/// A scratch directory and, in it, a [`base_root`] at `root`.
fn work_with_root() -> (tempfile::TempDir, PathBuf) {
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("root");
    base_root(&root);
    (work, root)
}

fn tar_c(args: &[&str], archive: &Path, root: &Path) {
    run(Command::new("tar")
        .args(args)
        .arg("-cf")
        .arg(archive)
        .arg("-C")
        .arg(root)
        .arg("."));
}

/// Builds efi-raw from `root_tree` (clamped to EPOCH) and returns the image bytes' path and
/// the root file system, extracted.
fn build_efi(work: &Path, name: &str, root_tree: &Path) -> (PathBuf, tempfile::NamedTempFile) {
    let img = work.join(name);
    let def = fixture("os-efi.scm");
    let mut cmd = build_fixture_os("efi-raw", root_tree, &img);
    cmd.env("SOURCE_DATE_EPOCH", EPOCH);
    run(&mut cmd);
    let plan = show_json(&[&def, "-t", "efi-raw", "--root-tree", s(root_tree)]);
    let (offset, size) = flagged_partition(&plan, "boot");
    let fs = extract(&img, offset, size);
    e2fsck_clean(fs.path());
    (img, fs)
}

/// The bytes of an xattr as debugfs reads it back from the file system.
fn debugfs_xattr(fs: &Path, path: &str, name: &str) -> Vec<u8> {
    let out = tempfile::NamedTempFile::new().unwrap();
    debugfs(fs, &format!("ea_get -f {} {path} {name}", s(out.path())));
    std::fs::read(out.path()).unwrap()
}

/// A POSIX ACL xattr value as (tag, perm, id) entries; the id of the entries that have none
/// (owner, owning group, mask, other) is left out: the kernel writes -1 there, libext2fs 0.
fn acl_entries(value: &[u8]) -> Vec<(u16, u16, Option<u32>)> {
    assert_eq!(&value[..4], &[2, 0, 0, 0], "not a version 2 ACL: {value:?}");
    value[4..]
        .chunks_exact(8)
        .map(|e| {
            let tag = u16::from_le_bytes([e[0], e[1]]);
            let perm = u16::from_le_bytes([e[2], e[3]]);
            let id = u32::from_le_bytes([e[4], e[5], e[6], e[7]]);
            (tag, perm, matches!(tag, 0x02 | 0x08).then_some(id))
        })
        .collect()
}

#[test]
fn acl_pax_records_become_the_kernels_acl_xattrs() {
    let (work, root) = work_with_root();
    std::fs::create_dir_all(root.join("shared")).unwrap();
    std::fs::write(root.join("shared/file"), b"acl'd").unwrap();
    run(Command::new("setfacl")
        .args(["-m", "u:1234:rw-,g:55:r--"])
        .arg(root.join("shared/file")));
    run(Command::new("setfacl")
        .args(["-d", "-m", "u:1234:rwx,g:7:r-x"])
        .arg(root.join("shared")));
    let host = |p: &str, n: &str| {
        ingot::content::read_xattrs(&root.join(p))
            .unwrap()
            .into_iter()
            .find(|(k, _)| k == n.as_bytes())
            .map(|(_, v)| v)
            .unwrap_or_else(|| panic!("{p} has no {n} on the host"))
    };
    let want_access = host("shared/file", "system.posix_acl_access");
    let want_default = host("shared", "system.posix_acl_default");
    // GNU tar --acls alone stores only the text form (SCHILY.acl.*, newlines inside the
    // record); with --xattrs the binary value too. bsdtar writes its own text form.
    let archives = [
        (
            "gnu-acls.tar",
            vec!["--acls", "--numeric-owner", "--format=pax"],
        ),
        (
            "gnu-acls-xattrs.tar",
            vec!["--acls", "--xattrs", "--format=pax"],
        ),
    ];
    for (name, args) in &archives {
        let archive = work.path().join(name);
        tar_c(args, &archive, &root);
        let (_, fs) = build_efi(work.path(), &format!("{name}.img"), &archive);
        assert_eq!(
            acl_entries(&debugfs_xattr(
                fs.path(),
                "/shared/file",
                "system.posix_acl_access"
            )),
            acl_entries(&want_access),
            "{name}: access ACL"
        );
        assert_eq!(
            acl_entries(&debugfs_xattr(
                fs.path(),
                "/shared",
                "system.posix_acl_default"
            )),
            acl_entries(&want_default),
            "{name}: default ACL"
        );
    }
    let bsd = work.path().join("bsd.tar");
    run(Command::new("bsdtar")
        .args(["--acls", "--format", "pax", "-cf"])
        .arg(&bsd)
        .arg("-C")
        .arg(&root)
        .arg("."));
    let (_, fs) = build_efi(work.path(), "bsd.img", &bsd);
    assert_eq!(
        acl_entries(&debugfs_xattr(
            fs.path(),
            "/shared/file",
            "system.posix_acl_access"
        )),
        acl_entries(&want_access),
        "bsdtar: access ACL"
    );
    assert_eq!(
        acl_entries(&debugfs_xattr(
            fs.path(),
            "/shared",
            "system.posix_acl_default"
        )),
        acl_entries(&want_default),
        "bsdtar: default ACL"
    );
}

/// A 100 GiB file with 1 MiB of data in the middle, and one with many small segments (more
/// than a GNU header's four: extension headers).
fn sparse_root(root: &Path) -> Vec<u8> {
    base_root(root);
    std::fs::create_dir_all(root.join("data")).unwrap();
    let big = root.join("data/big");
    run(Command::new("truncate").args(["-s", "100G"]).arg(&big));
    let middle: Vec<u8> = (0..1u32 << 20)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    use std::os::unix::fs::FileExt;
    let f = std::fs::OpenOptions::new().write(true).open(&big).unwrap();
    f.write_all_at(&middle, 50 << 30).unwrap();
    let many = std::fs::File::create(root.join("data/many")).unwrap();
    many.set_len(40 << 20).unwrap();
    for i in 0..10u64 {
        many.write_all_at(format!("segment {i}").as_bytes(), i * (4 << 20) + 12345)
            .unwrap();
    }
    middle
}

#[test]
fn sparse_members_keep_their_holes_and_match_the_directory() {
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("root");
    let middle = sparse_root(&root);
    let start = std::time::Instant::now();
    let (from_dir, _) = build_efi(work.path(), "dir.img", &root);
    let dir_bytes = std::fs::read(&from_dir).unwrap();
    eprintln!("from the directory: {:?}", start.elapsed());
    let archives: [(&str, Vec<&str>); 5] = [
        ("gnu.tar", vec!["--sparse", "--format=gnu"]),
        (
            "posix-0.0.tar",
            vec!["--sparse", "--format=posix", "--sparse-version=0.0"],
        ),
        (
            "posix-0.1.tar",
            vec!["--sparse", "--format=posix", "--sparse-version=0.1"],
        ),
        (
            "posix-1.0.tar",
            vec!["--sparse", "--format=posix", "--sparse-version=1.0"],
        ),
        (
            "posix-1.0.tar.zst",
            vec!["--sparse", "--format=posix", "--zstd"],
        ),
    ];
    for (name, args) in &archives {
        let archive = work.path().join(name);
        tar_c(args, &archive, &root);
        assert!(
            std::fs::metadata(&archive).unwrap().len() < 8 << 20,
            "{name} kept no holes"
        );
        let start = std::time::Instant::now();
        let (img, fs) = build_efi(work.path(), &format!("{name}.img"), &archive);
        eprintln!("from {name}: {:?}", start.elapsed());
        assert!(
            std::fs::read(&img).unwrap() == dir_bytes,
            "{name}: not the same bytes as the build from the directory"
        );
        use std::os::unix::fs::MetadataExt;
        assert!(
            std::fs::metadata(&img).unwrap().blocks() * 512 < 64 << 20,
            "{name}: image not sparse"
        );
        let stat = debugfs(fs.path(), "stat /data/big");
        assert!(stat.contains("Size: 107374182400"), "{stat}");
        // The data is where it was: find its extent and read the blocks.
        let stats = debugfs(fs.path(), "stats");
        let block: u64 = stats
            .lines()
            .find_map(|l| l.strip_prefix("Block size:"))
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        let extents = debugfs(fs.path(), "dump_extents /data/big");
        let line = extents
            .lines()
            .nth(1)
            .unwrap_or_else(|| panic!("{extents}"));
        let nums: Vec<u64> = line
            .split(|c: char| !c.is_ascii_digit())
            .filter(|t| !t.is_empty())
            .map(|t| t.parse().unwrap())
            .collect();
        // level, max, entry, entries, logical start, logical end, physical start, end, length
        let (logical, physical) = (nums[4], nums[6]);
        assert_eq!(logical * block, 50 << 30, "{extents}");
        let mut got = vec![0u8; middle.len()];
        use std::os::unix::fs::FileExt;
        std::fs::File::open(fs.path())
            .unwrap()
            .read_exact_at(&mut got, physical * block)
            .unwrap();
        assert!(got == middle, "{name}: the middle of /data/big differs");
        let many = debugfs(fs.path(), "cat /data/many");
        for i in 0..10 {
            assert!(
                many.contains(&format!("segment {i}")),
                "{name}: segment {i} lost"
            );
        }
    }
}

#[test]
fn non_utf8_names_survive_and_joliet_is_named() {
    let (work, root) = work_with_root();
    std::fs::create_dir_all(root.join("names")).unwrap();
    let names: [&[u8]; 2] = [b"caf\xe9", b"caf\xe8"]; // Latin-1, one byte apart
    for n in names {
        let p = root.join("names").join(std::ffi::OsStr::from_bytes(n));
        std::fs::write(p, n).unwrap();
    }
    for (name, format) in [("pax.tar", "--format=pax"), ("gnu.tar", "--format=gnu")] {
        let archive = work.path().join(name);
        tar_c(&[format], &archive, &root);
        let (_, fs) = build_efi(work.path(), &format!("{name}.img"), &archive);
        let out = Command::new("debugfs")
            .args(["-R", "ls -p /names"])
            .arg(fs.path())
            .output()
            .unwrap();
        for n in names {
            let entry = [b"/", n, b"/"].concat();
            assert!(
                out.stdout
                    .windows(entry.len())
                    .any(|w| w == entry.as_slice()),
                "{name}: {:?} lost:\n{}",
                String::from_utf8_lossy(n),
                String::from_utf8_lossy(&out.stdout)
            );
        }
        // The tarball output keeps them too, byte for byte.
        let tarball = work.path().join(format!("{name}.out.tar.gz"));
        let mut cmd = build_fixture_os("tarball", &archive, &tarball);
        run(&mut cmd);
        let listing = Command::new("tar")
            .args(["--quoting-style=literal", "-tzf"])
            .arg(&tarball)
            .output()
            .unwrap()
            .stdout;
        for n in names {
            let entry = [b"names/", n, b"\n"].concat();
            assert!(
                listing.windows(entry.len()).any(|w| w == entry.as_slice()),
                "{name}: tarball"
            );
        }
    }
    // An ISO keeps the bytes in Rock Ridge (xorriso reads them back); Joliet cannot hold
    // them, which the build names.
    let iso = work.path().join("x.iso");
    let mut cmd = build_fixture_os("iso9660", &work.path().join("pax.tar"), &iso);
    let o = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{stderr}");
    assert!(
        stderr.contains("not UTF-8") && stderr.contains("/names/caf\\xe8"),
        "{stderr}"
    );
    let found = Command::new("xorriso")
        .arg("-indev")
        .arg(&iso)
        .args(["-find", "/names"])
        .output()
        .unwrap()
        .stdout;
    for n in names {
        let entry = [b"/names/", n, b"'"].concat();
        assert!(
            found.windows(entry.len()).any(|w| w == entry.as_slice()),
            "ISO Rock Ridge lost {:?}: {}",
            String::from_utf8_lossy(n),
            String::from_utf8_lossy(&found)
        );
    }
}

#[test]
fn a_hard_link_to_a_directory_is_one_error_in_every_format() {
    let work = tempfile::tempdir().unwrap();
    // No real tool makes one from a file system; a crafted archive does (the tar crate).
    let archive = work.path().join("loop.tar");
    {
        let mut b = tar::Builder::new(std::fs::File::create(&archive).unwrap());
        let mut h = tar::Header::new_ustar();
        h.set_entry_type(tar::EntryType::Directory);
        h.set_mode(0o755);
        h.set_size(0);
        b.append_data(&mut h, "a/", std::io::empty()).unwrap();
        let mut l = tar::Header::new_ustar();
        l.set_entry_type(tar::EntryType::Link);
        l.set_size(0);
        b.append_link(&mut l, "a/loop", "a").unwrap();
        b.finish().unwrap();
    }
    for t in ["efi-raw", "iso9660", "tarball", "docker"] {
        let out = work.path().join(format!("out.{t}"));
        let err = ingot_err(&[
            "build",
            &fixture("os-efi.scm"),
            "-t",
            t,
            "--root-tree",
            s(&archive),
            "-o",
            s(&out),
        ]);
        assert!(
            err.contains("a/loop: a hard link to the directory a"),
            "{t}: {err}"
        );
        assert_eq!(err.matches("error").count(), 1, "{t}: {err}");
        assert!(!out.exists());
    }
}

#[test]
fn sockets_are_kept_in_ext4_and_named_where_tar_cannot_hold_them() {
    let (work, root) = work_with_root();
    std::fs::create_dir_all(root.join("run")).unwrap();
    let _listener = std::os::unix::net::UnixListener::bind(root.join("run/ctl.sock")).unwrap();
    let (_, fs) = build_efi(work.path(), "sock.img", &root);
    let stat = debugfs(fs.path(), "stat /run/ctl.sock");
    assert!(stat.contains("Type: socket"), "{stat}");
    for t in ["tarball", "docker"] {
        let out = work.path().join(format!("sock.{t}"));
        let mut cmd = build_fixture_os(t, &root, &out);
        let o = cmd.output().unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(o.status.success(), "{stderr}");
        assert!(
            stderr.contains("warning: left out 1 socket") && stderr.contains("/run/ctl.sock"),
            "{t}: {stderr}"
        );
    }
}

#[test]
fn compressed_archives_by_magic_and_one_sentence_for_the_rest() {
    let (work, root) = work_with_root();
    std::fs::create_dir_all(root.join("etc")).unwrap();
    std::fs::write(root.join("etc/motd"), b"compressed\n").unwrap();
    let mut listings = Vec::new();
    for (name, flag) in [
        ("r.tar.zst", "--zstd"),
        ("r.tar.xz", "--xz"),
        ("r.tar.bz2", "--bzip2"),
        ("r.tgz", "--gzip"),
    ] {
        let archive = work.path().join(name);
        tar_c(&[flag, "--numeric-owner"], &archive, &root);
        let out = work.path().join(format!("{name}.out.tar.gz"));
        let mut cmd = build_fixture_os("tarball", &archive, &out);
        cmd.env("SOURCE_DATE_EPOCH", EPOCH);
        run(&mut cmd);
        let motd = run(Command::new("tar").arg("-xOzf").arg(&out).arg("./etc/motd"));
        assert_eq!(motd, "compressed\n", "{name}");
        listings.push(std::fs::read(&out).unwrap());
    }
    assert!(
        listings.windows(2).all(|w| w[0] == w[1]),
        "the compressions gave different images"
    );
    // lz4 is a compression ingot does not read; random bytes are no archive at all.
    let lz4 = work.path().join("r.tar.lz4");
    std::fs::write(
        &lz4,
        [
            0x04u8, 0x22, 0x4d, 0x18, 0x64, 0x40, 0xa7, 0xff, 0xfe, 0x00, 0x9c,
        ],
    )
    .unwrap();
    let err = ingot_err(&[
        "show",
        &fixture("os-efi.scm"),
        "-t",
        "efi-raw",
        "--root-tree",
        s(&lz4),
    ]);
    assert!(
        err.contains("not a tar archive or a compression ingot reads"),
        "{err}"
    );
    assert!(err.chars().all(|c| c == '\n' || !c.is_control()), "{err:?}");
    // One sentence for the error (the fixture's warnings are not about the archive).
    let errors: Vec<&str> = err
        .lines()
        .filter(|l| !l.starts_with("warning: "))
        .collect();
    assert_eq!(errors.len(), 1, "{err}");
}

#[test]
fn a_file_swapped_for_a_symlink_mid_build_fails_the_build() {
    let (work, root) = work_with_root();
    std::fs::create_dir_all(root.join("etc")).unwrap();
    std::fs::write(root.join("etc/motd"), b"public").unwrap();
    // A host file of the same size, which a redirected read would copy into the image.
    let secret = work.path().join("secret");
    std::fs::write(&secret, b"SECRET").unwrap();
    let fifo = work.path().join("pace");
    run(Command::new("mkfifo").arg(&fifo));
    let out = work.path().join("swap.img");
    let mut cmd = build_fixture_os("efi-raw", &root, &out);
    cmd.env("INGOT_TEST_PAUSE_AFTER_WALK", &fifo);
    cmd.stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let child = cmd.spawn().unwrap();
    // Opening the FIFO for writing waits until ingot, done walking, opens it to read.
    let mut pace = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
    std::fs::remove_file(root.join("etc/motd")).unwrap();
    std::os::unix::fs::symlink(&secret, root.join("etc/motd")).unwrap();
    use std::io::Write;
    pace.write_all(b"x").unwrap();
    drop(pace);
    let o = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        !o.status.success(),
        "the build used the swapped file:\n{stderr}"
    );
    assert!(
        stderr.contains("etc/motd") && stderr.contains("changed during the build"),
        "{stderr}"
    );
    assert!(!out.exists());
}
