//! The other image formats end to end: qcow2 (qemu-img check/compare, boot), docker (skopeo),
//! tarball and wsl2 (tar), each built twice to the same bytes.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::disk::{run, untar, untar_with};
use common::ingot::{bootable_root, describe_tree, fixture, ingot, ingot_err, ingot_ok};
use common::{boot, marker_suffix, root_ok, Iface, Mode};

/// A root tree with a shell and mount for WSL, modes, a symlink and a hard link.
fn tree(dir: &Path) {
    use std::os::unix::fs::{symlink, PermissionsExt};
    std::fs::create_dir_all(dir.join("bin")).unwrap();
    std::fs::create_dir_all(dir.join("etc/ssl")).unwrap();
    std::fs::write(dir.join("bin/sh"), b"#!shell\n").unwrap();
    std::fs::set_permissions(dir.join("bin/sh"), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::hard_link(dir.join("bin/sh"), dir.join("bin/mount")).unwrap();
    std::fs::write(dir.join("etc/ssl/key"), b"secret\n").unwrap();
    std::fs::set_permissions(
        dir.join("etc/ssl/key"),
        std::fs::Permissions::from_mode(0o600),
    )
    .unwrap();
    symlink("ssl/key", dir.join("etc/key-link")).unwrap();
    std::fs::write(dir.join("etc/big"), vec![42u8; 300_000]).unwrap();
}

fn build_twice(work: &Path, image_type: &str, name: &str, root: &Path) -> PathBuf {
    let def = fixture("os-bios.scm");
    let mut outs = Vec::new();
    for i in 0..2 {
        let out = work.join(format!("{i}-{name}"));
        let mut cmd = ingot();
        cmd.args([
            "build",
            &def,
            "-t",
            image_type,
            "--root-tree",
            root.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ]);
        cmd.env("SOURCE_DATE_EPOCH", "1700000000");
        run(&mut cmd);
        outs.push(out);
    }
    assert!(
        std::fs::read(&outs[0]).unwrap() == std::fs::read(&outs[1]).unwrap(),
        "{image_type}: two builds differ"
    );
    outs.remove(0)
}

fn extract_tar(archive: &Path, into: &Path) {
    untar_with(archive, into, &["--numeric-owner", "-p"]);
}

fn assert_same_tree(got: &Path, want: &Path) {
    let (g, w) = (describe_tree(got), describe_tree(want));
    let missing: Vec<_> = w.iter().filter(|l| !g.contains(l)).collect();
    let extra: Vec<_> = g.iter().filter(|l| !w.contains(l)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing {missing:?}\nextra {extra:?}"
    );
}

#[test]
fn tarball_and_wsl2_hold_the_tree_owned_by_root() {
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("root");
    tree(&root);
    for t in ["tarball", "wsl2"] {
        let archive = build_twice(work.path(), t, &format!("{t}.tar.gz"), &root);
        let listing = run(Command::new("tar")
            .args(["--numeric-owner", "-tvzf"])
            .arg(&archive));
        for line in listing.lines() {
            assert!(line.contains(" 0/0 "), "not root-owned: {line}");
        }
        let out = work.path().join(format!("x-{t}"));
        extract_tar(&archive, &out);
        // The tarball may add what the OS needs (e.g. /etc/hostname): compare the tree's part.
        let hostname = out.join("etc/hostname");
        if hostname.exists() {
            std::fs::remove_file(hostname).unwrap();
        }
        assert_same_tree(&out, &root);
    }
    // WSL needs /bin/sh and /bin/mount.
    let bare = work.path().join("bare");
    std::fs::create_dir_all(bare.join("etc")).unwrap();
    let err = ingot_err(&[
        "build",
        &fixture("os-bios.scm"),
        "-t",
        "wsl2",
        "--root-tree",
        bare.to_str().unwrap(),
        "-o",
        work.path().join("w.tar.gz").to_str().unwrap(),
    ]);
    assert!(err.contains("/bin/sh"), "{err}");
}

#[test]
fn docker_archive_is_accepted_by_skopeo() {
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("root");
    tree(&root);
    let gz = build_twice(work.path(), "docker", "docker.tar.gz", &root);
    // skopeo 1.9 (Debian 12) reads only uncompressed docker archives; docker load reads both.
    let archive = work.path().join("docker.tar");
    let plain = run(Command::new("sh").arg("-c").arg(format!(
        "gzip -dc {} > {} && echo ok",
        gz.display(),
        archive.display()
    )));
    assert_eq!(plain.trim(), "ok");
    let inspect = run(Command::new("skopeo")
        .arg("inspect")
        .arg(format!("docker-archive:{}", archive.display())));
    let v: serde_json::Value = serde_json::from_str(&inspect).unwrap();
    assert_eq!(v["Architecture"], "amd64");
    assert_eq!(v["Os"], "linux");
    assert_eq!(v["Layers"].as_array().unwrap().len(), 1);
    // The layer's content is the tree.
    let copied = work.path().join("copied");
    run(Command::new("skopeo")
        .arg("copy")
        .arg(format!("docker-archive:{}", archive.display()))
        .arg(format!("dir:{}", copied.display())));
    let layer = v["Layers"][0]
        .as_str()
        .unwrap()
        .trim_start_matches("sha256:")
        .to_string();
    let out = work.path().join("layer");
    extract_tar(&copied.join(&layer), &out);
    let hostname = out.join("etc/hostname");
    if hostname.exists() {
        std::fs::remove_file(hostname).unwrap();
    }
    assert_same_tree(&out, &root);
}

#[test]
fn docker_oci_layout_is_accepted_by_skopeo() {
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("root");
    tree(&root);
    let gz = work.path().join("oci.tar.gz");
    ingot_ok(&[
        "build",
        &fixture("os-bios.scm"),
        "-t",
        "docker",
        "--oci",
        "--root-tree",
        root.to_str().unwrap(),
        "-o",
        gz.to_str().unwrap(),
    ]);
    let layout = work.path().join("layout");
    untar(&gz, &layout);
    let inspect = run(Command::new("skopeo")
        .arg("inspect")
        .arg(format!("oci:{}", layout.display())));
    let v: serde_json::Value = serde_json::from_str(&inspect).unwrap();
    assert_eq!(v["Architecture"], "amd64");
    assert_eq!(v["Layers"].as_array().unwrap().len(), 1);
}

#[test]
fn qcow2_matches_the_raw_image_and_boots() {
    let work = tempfile::tempdir().unwrap();
    let suffix = marker_suffix();
    let root = work.path().join("root");
    bootable_root(&root, &suffix);
    let def = fixture("os-bios.scm");
    let r = root.to_str().unwrap();
    let qcow = work.path().join("img.qcow2");
    let raw = work.path().join("img.raw");
    ingot_ok(&[
        "build",
        &def,
        "-t",
        "qcow2",
        "--seed",
        "s",
        "--root-tree",
        r,
        "-o",
        qcow.to_str().unwrap(),
    ]);
    ingot_ok(&[
        "build",
        &def,
        "-t",
        "mbr-hybrid-raw",
        "--seed",
        "s",
        "--root-tree",
        r,
        "-o",
        raw.to_str().unwrap(),
    ]);
    run(Command::new("qemu-img").arg("check").arg(&qcow));
    let info = run(Command::new("qemu-img")
        .args(["info", "--output=json"])
        .arg(&qcow));
    assert!(info.contains("\"format\": \"qcow2\""), "{info}");
    assert!(info.contains("zstd"), "{info}");
    let cmp = run(Command::new("qemu-img")
        .args(["compare", "-f", "raw", "-F", "qcow2"])
        .arg(&raw)
        .arg(&qcow));
    assert!(cmp.contains("Images are identical"), "{cmp}");
    boot(&qcow, Mode::Bios, Iface::Virtio, &root_ok(&suffix)).unwrap_or_else(|log| panic!("{log}"));
}
