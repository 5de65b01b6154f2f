//! What each byte writer tells the progress bar: its total before it writes, then advances
//! that add up to exactly that total (the file data of the tree, or the ISO image's bytes),
//! and the image it wrote is still one its checker accepts.

mod format_util;

use std::fs::{self, File};
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::process::Command;

use ingot::content::Tree;
use ingot::context::CountingProgress;
use ingot::disk::Region;
use ingot::fs::ext::{self, ExtBackend, ExtKind, ExtParams};
use ingot::fs::{fat, iso};
use ingot::model::Uuid;
use ingot::output::{docker, tarball};

/// Files of several sizes, an empty one, a hard link (its data once) and a sparse file whose
/// hole counts as its size says.
fn tree(dir: &Path) -> (Tree, u64) {
    let r = dir.join("root");
    fs::create_dir_all(r.join("etc/sub")).unwrap();
    let big: Vec<u8> = (0..(3u32 << 20) + 123)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    fs::write(r.join("etc/big.bin"), &big).unwrap();
    fs::write(r.join("etc/hostname"), b"box\n").unwrap();
    fs::write(r.join("etc/empty"), b"").unwrap();
    fs::hard_link(r.join("etc/hostname"), r.join("etc/sub/hostname2")).unwrap();
    let sparse = File::create(r.join("etc/sparse")).unwrap();
    sparse.write_all_at(b"tail", (5 << 20) - 4).unwrap();
    std::os::unix::fs::symlink("hostname", r.join("etc/link")).unwrap();
    let expected = big.len() as u64 + 4 + (5 << 20);
    (format_util::load(&r), expected)
}

fn ext_params(backend: ExtBackend) -> ExtParams {
    ExtParams {
        kind: ExtKind::Ext4,
        label: "progress".into(),
        uuid: Uuid::parse("33333333-4444-4555-8666-777777777777").unwrap(),
        hash_seed: Uuid::parse("0b6f3c1a-2d4e-4f60-8a1b-9c2d3e4f5a6b").unwrap(),
        timestamp: 1,
        options: Vec::new(),
        backend,
    }
}

/// A fresh sparse image file of `size` bytes.
fn image_file(dir: &Path, name: &str, size: u64) -> (std::path::PathBuf, File) {
    let path = dir.join(name);
    let file = File::create(&path).unwrap();
    file.set_len(size).unwrap();
    (path, file)
}

fn check(tool: &mut Command) {
    let out = tool.output().unwrap();
    assert!(
        out.status.success(),
        "{:?}: {}{}",
        tool,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn ext_native_and_mke2fs_advance_to_their_totals() {
    let dir = tempfile::tempdir().unwrap();
    let (tree, data) = tree(dir.path());
    assert_eq!(tree.file_bytes(), data);
    for backend in [ExtBackend::Native, ExtBackend::Mke2fs] {
        let size = 32 << 20;
        let (path, file) = image_file(dir.path(), "ext.img", size);
        let progress = CountingProgress::default();
        let region = Region::new(&file, 0, size).with_progress(&progress);
        ext::write_in(&region, &tree, &ext_params(backend), dir.path()).unwrap();
        let (total, done) = progress.counts();
        match backend {
            // The file data, holes included, each hard-linked file once.
            ExtBackend::Native => assert_eq!(total, data),
            // The finished image copied into place.
            ExtBackend::Mke2fs => assert_eq!(total, size),
        }
        assert_eq!(done, total, "{backend:?}");
        check(Command::new("e2fsck").args(["-fn"]).arg(&path));
    }
}

#[test]
fn fat_advances_to_its_total() {
    let dir = tempfile::tempdir().unwrap();
    let (mut tree, data) = tree(dir.path());
    // FAT holds no symbolic links.
    let etc = tree.lookup("/etc").unwrap();
    assert!(tree.unlink(etc, b"link"));
    let size = 64 << 20;
    let (path, file) = image_file(dir.path(), "fat.img", size);
    let progress = CountingProgress::default();
    let region = Region::new(&file, 0, size).with_progress(&progress);
    let params = fat::FatParams {
        kind: fat::FatKind::Fat16,
        label: "PROGRESS".into(),
        volume_id: 0x1234_5678,
        timestamp: 1,
        hidden_sectors: 0,
    };
    fat::write(&region, &tree, &params).unwrap();
    // FAT has no hard links: the linked file's data is there twice.
    assert_eq!(progress.counts(), (data + 4, data + 4));
    check(Command::new("fsck.vfat").args(["-n"]).arg(&path));
}

#[test]
fn iso_advances_to_the_image_size() {
    let dir = tempfile::tempdir().unwrap();
    let (tree, _) = tree(dir.path());
    let path = dir.path().join("p.iso");
    let progress = CountingProgress::default();
    let params = iso::IsoParams::data("PROGRESS", 1);
    iso::write_iso_with(&File::create(&path).unwrap(), &tree, &params, &progress).unwrap();
    let len = fs::metadata(&path).unwrap().len();
    assert_eq!(progress.counts(), (len, len));
    let out = Command::new("xorriso")
        .args(["-indev"])
        .arg(&path)
        .args(["-find", "/etc", "-exec", "lsdl"])
        .output()
        .unwrap();
    let listing = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{listing}");
    assert!(
        listing.contains(&((3u32 << 20) + 123).to_string()) && listing.contains("5242880"),
        "{listing}"
    );
}

#[test]
fn tarball_and_docker_advance_to_the_file_data() {
    let dir = tempfile::tempdir().unwrap();
    let (tree, data) = tree(dir.path());
    let path = dir.path().join("t.tar.gz");
    let progress = CountingProgress::default();
    let params = tarball::TarParams { wsl2: false };
    tarball::write_tarball_with(&File::create(&path).unwrap(), &tree, &params, &progress).unwrap();
    assert_eq!(progress.counts(), (data, data));
    check(Command::new("tar").arg("-tzf").arg(&path));

    let path = dir.path().join("d.tar.gz");
    let progress = CountingProgress::default();
    let params = docker::DockerParams {
        name: "progress".into(),
        tag: "latest".into(),
        created: 1,
        architecture: "amd64".into(),
        entrypoint: Vec::new(),
        env: Vec::new(),
        oci: false,
    };
    docker::write_docker_in(
        &File::create(&path).unwrap(),
        &tree,
        &params,
        dir.path(),
        &progress,
    )
    .unwrap();
    assert_eq!(progress.counts(), (data, data));
    check(Command::new("tar").arg("-tzf").arg(&path));
}
