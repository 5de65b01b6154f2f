//! One time rule for every format: file times are the tree's, clamped to SOURCE_DATE_EPOCH when
//! it is set; every time ingot invents (file-system creation, volume dates, generated files such
//! as grub.cfg and /etc/hostname, directories it adds) is SOURCE_DATE_EPOCH, else 1. Checked
//! with debugfs (ext4), mtools (FAT), xorriso (ISO) and GNU tar (tarball, docker layers).

mod common;

use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::process::Command;

use common::disk::run;
use common::ingot::{extract, fixture, ingot, show_json};

const OLD: i64 = 1_000_000_000; // 2001-09-09 01:46:40 UTC
const NEW: i64 = 2_000_000_000; // 2033-05-18 03:33:20 UTC
const EPOCH: i64 = 1_700_000_000; // 2023-11-14 22:13:20 UTC

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

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

fn partition(args: &[&str], flag: &str) -> (u64, u64) {
    let mut all = args.to_vec();
    all.retain(|a| *a != "build");
    let plan = show_json(&all);
    let p = plan["partitions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["flags"].as_array().unwrap().iter().any(|f| f == flag))
        .unwrap()
        .clone();
    (p["offset"].as_u64().unwrap(), p["size"].as_u64().unwrap())
}

/// debugfs prints inode times as "mtime: 0x<hex>:<extra>".
fn ext_mtime(fs: &Path, path: &str) -> i64 {
    let stat = run(Command::new("debugfs")
        .arg("-R")
        .arg(format!("stat {path}"))
        .arg(fs));
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

fn check_iso(work: &Path, root: &Path, epoch: Option<i64>) {
    let (old, new, invented) = expected(epoch);
    let iso = work.join("x.iso");
    build(
        work,
        &[
            &fixture("os-efi.scm"),
            "-t",
            "iso9660",
            "--root-tree",
            s(root),
        ],
        &iso,
        epoch,
    );
    let out = work.join("iso-out");
    run(Command::new("xorriso")
        .args(["-osirrox", "on", "-indev"])
        .arg(&iso)
        .args(["-extract", "/", s(&out)]));
    assert_eq!(mtime(&out.join("data/old")), old, "iso old");
    assert_eq!(mtime(&out.join("data/new")), new, "iso new");
    assert_eq!(
        mtime(&out.join("boot/grub/grub.cfg")),
        invented,
        "iso grub.cfg"
    );
    assert_eq!(mtime(&out.join("etc/hostname")), invented, "iso hostname");
    let pvd = run(Command::new("xorriso")
        .arg("-indev")
        .arg(&iso)
        .arg("-pvd_info"));
    let want = run(Command::new("date")
        .env("TZ", "UTC")
        .arg("-d")
        .arg(format!("@{invented}"))
        .arg("+%Y%m%d%H%M%S"));
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
    build(
        work,
        &[
            &fixture("os-efi.scm"),
            "-t",
            "tarball",
            "--root-tree",
            s(root),
        ],
        &tarball,
        epoch,
    );
    let out = work.join("tar-out");
    std::fs::create_dir_all(&out).unwrap();
    run(Command::new("tar")
        .arg("-xzf")
        .arg(&tarball)
        .arg("-C")
        .arg(&out));
    assert_eq!(mtime(&out.join("data/old")), old, "tarball old");
    assert_eq!(mtime(&out.join("data/new")), new, "tarball new");
    assert_eq!(
        mtime(&out.join("etc/hostname")),
        invented,
        "tarball hostname"
    );
    std::fs::remove_dir_all(&out).unwrap();
}

fn check_docker(work: &Path, root: &Path, epoch: Option<i64>) {
    let (old, new, invented) = expected(epoch);
    let archive = work.join("d.tar");
    build(
        work,
        &[
            &fixture("os-efi.scm"),
            "-t",
            "docker",
            "--root-tree",
            s(root),
        ],
        &archive,
        epoch,
    );
    let outer = work.join("docker-out");
    std::fs::create_dir_all(&outer).unwrap();
    run(Command::new("tar")
        .arg("-xf")
        .arg(&archive)
        .arg("-C")
        .arg(&outer));
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(outer.join("manifest.json")).unwrap()).unwrap();
    let layer = manifest[0]["Layers"][0].as_str().unwrap();
    let config: serde_json::Value = serde_json::from_slice(
        &std::fs::read(outer.join(manifest[0]["Config"].as_str().unwrap())).unwrap(),
    )
    .unwrap();
    let want = run(Command::new("date")
        .env("TZ", "UTC")
        .arg("-d")
        .arg(format!("@{invented}"))
        .arg("+%Y-%m-%dT%H:%M:%SZ"));
    assert_eq!(
        config["created"].as_str().unwrap(),
        want.trim(),
        "docker created"
    );
    let files = work.join("layer-out");
    std::fs::create_dir_all(&files).unwrap();
    run(Command::new("tar")
        .arg("-xf")
        .arg(outer.join(layer))
        .arg("-C")
        .arg(&files));
    assert_eq!(mtime(&files.join("data/old")), old, "docker old");
    assert_eq!(mtime(&files.join("data/new")), new, "docker new");
    assert_eq!(
        mtime(&files.join("etc/hostname")),
        invented,
        "docker hostname"
    );
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
