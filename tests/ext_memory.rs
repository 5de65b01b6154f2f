//! Memory stays bounded by a constant plus a small cost per tree entry: the peak RSS of
//! `ingot build` (measured by /usr/bin/time) on a 102k-entry tree may exceed that of a
//! 51k-entry tree by at most [`MAX_BYTES_PER_ENTRY`] per added entry. A writer that keeps the
//! inode table, directory blocks or a path per entry in memory (1.4 KiB per entry and more)
//! fails. Both trees are large enough that the peak is the write's, not evaluation's: a
//! one-file tree's peak is evaluation's, and comparing with it hid a part of the growth.

mod common;

use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::Command;

use common::ingot::ingot;

/// The growth allowed per entry: the content tree itself (node, name and host path) and the
/// ext writer's compact records (~40 bytes). Measured here: 285-330 (issue 14 asks for 300:
/// the host path and name kept per entry are what is left to cut); the old writer: 1,228.
const MAX_BYTES_PER_ENTRY: u64 = 384;
const DIRS: usize = 100;
const PER_DIR: usize = 1020;

fn root_tree(dir: &Path, entries_per_dir: usize, dirs: usize) {
    fs::create_dir_all(dir.join("boot")).unwrap();
    fs::write(dir.join("boot/vmlinuz"), b"not a kernel: never booted").unwrap();
    for d in 0..dirs {
        let sub = dir.join(format!("usr/share/d{d:03}"));
        fs::create_dir_all(&sub).unwrap();
        for i in 0..entries_per_dir {
            let name = sub.join(format!("entry-{i:05}"));
            match i % 10 {
                // Some data (each a block on the host and in the image), symlinks, and
                // empty files for the rest: entries, not bytes, are what is measured.
                0 => fs::write(&name, format!("{d}/{i}\n")).unwrap(),
                1 => symlink(format!("entry-{:05}", i - 1), &name).unwrap(),
                _ => fs::write(&name, b"").unwrap(),
            }
        }
    }
}

/// Peak RSS in bytes of building an efi-raw image of `tree`.
fn peak_rss(tree: &Path, out: &Path) -> u64 {
    let times = out.with_extension("time");
    let ingot_cmd = ingot();
    let status = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%M")
        .arg("-o")
        .arg(&times)
        .arg(ingot_cmd.get_program())
        .args([
            "build",
            "-t",
            "efi-raw",
            "--root-tree",
            tree.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "-e",
            "(operating-system (host-name \"m\") (bootloader (bootloader-configuration \
             (bootloader grub-efi-bootloader))) (file-systems %base-file-systems))",
        ])
        .envs(
            ingot_cmd
                .get_envs()
                .filter_map(|(k, v)| v.map(|v| (k.to_owned(), v.to_owned()))),
        )
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .status()
        .expect("running /usr/bin/time (Debian package time)");
    assert!(status.success(), "ingot build of {} failed", tree.display());
    let kib: u64 = fs::read_to_string(&times)
        .unwrap()
        .lines()
        .last()
        .and_then(|l| l.trim().parse().ok())
        .expect("a peak RSS from /usr/bin/time");
    kib * 1024
}

#[test]
fn memory_grows_by_a_few_hundred_bytes_per_entry() {
    let work = tempfile::tempdir().unwrap();
    let half = work.path().join("half");
    let big = work.path().join("big");
    root_tree(&half, PER_DIR, DIRS / 2);
    root_tree(&big, PER_DIR, DIRS);
    let entries = ((DIRS - DIRS / 2) * (PER_DIR + 1)) as u64;
    let base = peak_rss(&half, &work.path().join("half.img"));
    let image = work.path().join("big.img");
    let peak = peak_rss(&big, &image);
    let per_entry = peak.saturating_sub(base) / entries;
    eprintln!(
        "peak RSS: {} MiB for half the tree, {} MiB for all of it ({entries} entries more): \
         {per_entry} bytes per entry",
        base >> 20,
        peak >> 20
    );
    assert!(
        per_entry <= MAX_BYTES_PER_ENTRY,
        "{per_entry} bytes per entry (peak {} MiB, base {} MiB), more than {MAX_BYTES_PER_ENTRY}",
        peak >> 20,
        base >> 20
    );
    // And the image is right: e2fsck on the root partition (the second), and one file read
    // back.
    let out = Command::new("sfdisk")
        .arg("--json")
        .arg(&image)
        .output()
        .unwrap();
    let table: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let part = &table["partitiontable"]["partitions"][1];
    let (start, size) = (
        part["start"].as_u64().unwrap(),
        part["size"].as_u64().unwrap(),
    );
    let root = work.path().join("root.ext4");
    let dd = Command::new("dd")
        .arg(format!("if={}", image.display()))
        .arg(format!("of={}", root.display()))
        .args(["bs=512", "conv=sparse", "status=none"])
        .arg(format!("skip={start}"))
        .arg(format!("count={size}"))
        .status()
        .unwrap();
    assert!(dd.success());
    let fsck = Command::new("e2fsck")
        .arg("-fn")
        .arg(&root)
        .output()
        .unwrap();
    assert!(
        fsck.status.success(),
        "{}",
        String::from_utf8_lossy(&fsck.stdout)
    );
    let cat = Command::new("debugfs")
        .args(["-R", "cat /usr/share/d042/entry-00990"])
        .arg(&root)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&cat.stdout), "42/990\n");
}
