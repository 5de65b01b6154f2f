//! One time rule for every format: file times are the tree's, clamped to SOURCE_DATE_EPOCH when
//! it is set; every time ingot invents (file-system creation, volume dates, generated files such
//! as grub.cfg and /etc/hostname, directories it adds) is SOURCE_DATE_EPOCH, else 1. Checked
//! with debugfs (ext4), mtools (FAT), xorriso (ISO) and GNU tar (tarball, docker layers).

mod common;

use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::process::Command;

use common::disk::{debugfs, run, s, untar};
use common::ingot::{extract, fixture, flagged_partition, ingot, show_json};

const OLD: i64 = 1_000_000_000; // 2001-09-09 01:46:40 UTC
const NEW: i64 = 2_000_000_000; // 2033-05-18 03:33:20 UTC
const EPOCH: i64 = 1_700_000_000; // 2023-11-14 22:13:20 UTC

fn tree(root: &Path) {
    std::fs::create_dir_all(root.join("boot")).unwrap();
    std::fs::create_dir_all(root.join("data")).unwrap();
    std::fs::write(root.join("boot/vmlinuz"), b"not a kernel").unwrap();
    std::fs::write(root.join("data/old"), b"old").unwrap();
    std::fs::write(root.join("data/new"), b"new").unwrap();
    for (p, t) in [
        ("data/old", OLD),
        ("data/new", NEW),
        ("data", OLD),
        ("boot/vmlinuz", OLD),
    ] {
        run(Command::new("touch")
            .arg("-h")
            .arg(format!("-d@{t}"))
            .arg(root.join(p)));
    }
}

/// What each check expects: (file times of old and new, the invented time).
fn expected(epoch: Option<i64>) -> (i64, i64, i64) {
    match epoch {
        Some(e) => (OLD, NEW.min(e), e),
        None => (OLD, NEW, 1),
    }
}

fn build(work: &Path, args: &[&str], out: &Path, epoch: Option<i64>) {
    let mut cmd = ingot();
    cmd.arg("build").args(args).arg("-o").arg(out);
    if let Some(e) = epoch {
        cmd.env("SOURCE_DATE_EPOCH", e.to_string());
    }
    cmd.current_dir(work);
    run(&mut cmd);
}

/// `ingot build` of the fixture OS as image type `t` from `root`.
fn build_os(work: &Path, t: &str, root: &Path, out: &Path, epoch: Option<i64>) {
    build(
        work,
        &[&fixture("os-efi.scm"), "-t", t, "--root-tree", s(root)],
        out,
        epoch,
    );
}

/// `t` (seconds since the epoch) as date(1) prints it in UTC with `format`.
fn utc_date(t: i64, format: &str) -> String {
    run(Command::new("date")
        .env("TZ", "UTC")
        .arg("-d")
        .arg(format!("@{t}"))
        .arg(format))
}

fn partition(args: &[&str], flag: &str) -> (u64, u64) {
    let mut all = args.to_vec();
    all.retain(|a| *a != "build");
    flagged_partition(&show_json(&all), flag)
}

/// debugfs prints inode times as "mtime: 0x<hex>:<extra>".
fn ext_mtime(fs: &Path, path: &str) -> i64 {
    let stat = debugfs(fs, &format!("stat {path}"));
    let hex = stat
        .split("mtime: 0x")
        .nth(1)
        .and_then(|r| r.get(..8))
        .unwrap_or_else(|| panic!("{stat}"));
    i64::from_str_radix(hex, 16).unwrap()
}

fn check_ext4(work: &Path, root: &Path, epoch: Option<i64>) {
    let (old, new, invented) = expected(epoch);
    let img = work.join("ext.img");
    let args = [
        &fixture("os-efi.scm"),
        "-t",
        "efi-raw",
        "--root-tree",
        s(root),
    ];
    build(work, &args, &img, epoch);
    let (off, size) = partition(&args, "boot");
    let fs = extract(&img, off, size);
    assert_eq!(ext_mtime(fs.path(), "/data/old"), old, "ext4 old");
    assert_eq!(ext_mtime(fs.path(), "/data/new"), new, "ext4 new");
    assert_eq!(
        ext_mtime(fs.path(), "/boot/grub/grub.cfg"),
        invented,
        "ext4 grub.cfg"
    );
    assert_eq!(
        ext_mtime(fs.path(), "/boot/grub"),
        invented,
        "ext4 /boot/grub (added)"
    );
    assert_eq!(
        ext_mtime(fs.path(), "/etc/hostname"),
        invented,
        "ext4 hostname"
    );
    let super_block = run(Command::new("dumpe2fs")
        .arg("-h")
        .arg(fs.path())
        .env("TZ", "UTC"));
    let created = super_block
        .lines()
        .find_map(|l| l.strip_prefix("Filesystem created:"))
        .unwrap()
        .trim()
        .to_string();
    let want = run(Command::new("date")
        .env("TZ", "UTC")
        .arg("-d")
        .arg(format!("@{invented}"))
        .arg("+%a %b %e %H:%M:%S %Y"));
    assert_eq!(created, want.trim(), "ext4 creation time");
    // The ESP is all ingot's: FAT's dates start in 1980, so 1 becomes 1980-01-01 00:00.
    let (off, size) = partition(&args, "esp");
    let esp = extract(&img, off, size);
    let listing = run(Command::new("mdir")
        .arg("-i")
        .arg(esp.path())
        .arg("::/EFI/BOOT"));
    check_fat_line(&listing, "BOOTX64", invented);
}

/// mtools prints "NAME EXT size YYYY-MM-DD HH:MM".
fn check_fat_line(listing: &str, name: &str, t: i64) {
    let want = if t < 315_532_800 {
        "1980-01-01   0:00".to_string()
    } else {
        let d = run(Command::new("date")
            .env("TZ", "UTC")
            .arg("-d")
            .arg(format!("@{t}"))
            .arg("+%Y-%m-%d %k:%M"));
        let d = d.trim().to_string();
        // mdir pads the hour to two columns and separates date and time by two spaces.
        let (date, time) = d.split_once(' ').unwrap();
        format!("{date}  {time:>5}")
    };
    let line = listing
        .lines()
        .find(|l| l.starts_with(name))
        .unwrap_or_else(|| panic!("{name} not in\n{listing}"));
    assert!(line.contains(&want), "FAT {name}: want {want}: {line}");
}

fn check_fat(work: &Path, root: &Path, epoch: Option<i64>) {
    let (old, new, invented) = expected(epoch);
    let def = "(image (format 'disk-image) (partition-table-type 'gpt) \
               (partitions (list (partition (size (* 40 (expt 2 20))) (label \"data\") \
               (file-system \"vfat\") (flags '(boot)) \
               (initializer (gexp initialize-root-partition))))) \
               (operating-system (operating-system (host-name \"t\") \
               (bootloader (bootloader-configuration (bootloader grub-efi-bootloader))) \
               (file-systems %base-file-systems))))";
    let img = work.join("fat.img");
    let args = ["-e", def, "--root-tree", s(root)];
    build(work, &args, &img, epoch);
    let (off, size) = partition(&args, "boot");
    let fs = extract(&img, off, size);
    let data = run(Command::new("mdir").arg("-i").arg(fs.path()).arg("::/data"));
    check_fat_line(&data, "OLD", old);
    check_fat_line(&data, "NEW", new);
    let grub = run(Command::new("mdir")
        .arg("-i")
        .arg(fs.path())
        .arg("::/boot/grub"));
    check_fat_line(&grub, "GRUB     CFG", invented);
}

fn mtime(p: &Path) -> i64 {
    std::fs::symlink_metadata(p)
        .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        .mtime()
}

/// An extracted tree's times: /data/old and /data/new keep theirs, /etc/hostname (made by
/// ingot) has the invented one.
fn assert_tree_times(dir: &Path, what: &str, (old, new, invented): (i64, i64, i64)) {
    assert_eq!(mtime(&dir.join("data/old")), old, "{what} old");
    assert_eq!(mtime(&dir.join("data/new")), new, "{what} new");
    assert_eq!(
        mtime(&dir.join("etc/hostname")),
        invented,
        "{what} hostname"
    );
}

fn check_iso(work: &Path, root: &Path, epoch: Option<i64>) {
    let (old, new, invented) = expected(epoch);
    let iso = work.join("x.iso");
    build_os(work, "iso9660", root, &iso, epoch);
    let out = work.join("iso-out");
    run(Command::new("xorriso")
        .args(["-osirrox", "on", "-indev"])
        .arg(&iso)
        .args(["-extract", "/", s(&out)]));
    assert_tree_times(&out, "iso", (old, new, invented));
    assert_eq!(
        mtime(&out.join("boot/grub/grub.cfg")),
        invented,
        "iso grub.cfg"
    );
    let pvd = run(Command::new("xorriso")
        .arg("-indev")
        .arg(&iso)
        .arg("-pvd_info"));
    let want = utc_date(invented, "+%Y%m%d%H%M%S");
    for field in ["Creation Time", "Modif. Time"] {
        let line = pvd
            .lines()
            .find(|l| l.starts_with(field))
            .unwrap_or_else(|| panic!("{pvd}"));
        assert!(
            line.contains(want.trim()),
            "iso {field}: want {}: {line}",
            want.trim()
        );
    }
    run(Command::new("chmod").args(["-R", "u+w"]).arg(&out));
    std::fs::remove_dir_all(&out).unwrap();
}

fn check_tarball(work: &Path, root: &Path, epoch: Option<i64>) {
    let (old, new, invented) = expected(epoch);
    let tarball = work.join("t.tar.gz");
    build_os(work, "tarball", root, &tarball, epoch);
    let out = work.join("tar-out");
    untar(&tarball, &out);
    assert_tree_times(&out, "tarball", (old, new, invented));
    std::fs::remove_dir_all(&out).unwrap();
}

fn check_docker(work: &Path, root: &Path, epoch: Option<i64>) {
    let (old, new, invented) = expected(epoch);
    let archive = work.join("d.tar");
    build_os(work, "docker", root, &archive, epoch);
    let outer = work.join("docker-out");
    untar(&archive, &outer);
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(outer.join("manifest.json")).unwrap()).unwrap();
    let layer = manifest[0]["Layers"][0].as_str().unwrap();
    let config: serde_json::Value = serde_json::from_slice(
        &std::fs::read(outer.join(manifest[0]["Config"].as_str().unwrap())).unwrap(),
    )
    .unwrap();
    let want = utc_date(invented, "+%Y-%m-%dT%H:%M:%SZ");
    assert_eq!(
        config["created"].as_str().unwrap(),
        want.trim(),
        "docker created"
    );
    let files = work.join("layer-out");
    untar(&outer.join(layer), &files);
    assert_tree_times(&files, "docker", (old, new, invented));
    std::fs::remove_dir_all(&outer).unwrap();
    std::fs::remove_dir_all(&files).unwrap();
}

#[test]
fn every_format_follows_the_one_time_rule() {
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("root");
    tree(&root);
    for epoch in [None, Some(EPOCH)] {
        check_ext4(work.path(), &root, epoch);
        check_fat(work.path(), &root, epoch);
        check_iso(work.path(), &root, epoch);
        check_tarball(work.path(), &root, epoch);
        check_docker(work.path(), &root, epoch);
    }
}
