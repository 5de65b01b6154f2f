//! FAT images checked by the tools users trust: fsck.vfat (dosfstools) for structure, mcopy
//! (mtools) to read every file back, minfo for label and serial.

use super::*;
use crate::content::{NodeKind, Tree};
use crate::disk::{MemTarget, Region};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn run(cmd: &mut Command) -> (bool, String) {
    let out = cmd
        .env("MTOOLS_SKIP_CHECK", "1")
        .output()
        .unwrap_or_else(|e| panic!("{cmd:?} (packages dosfstools, mtools): {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// Deterministic pseudo-random bytes.
fn noise(len: usize, seed: u32) -> Vec<u8> {
    let mut x = seed.wrapping_mul(2_654_435_761) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect()
}

/// A tree exercising names, nesting, sizes and sources; returns it with path -> bytes.
fn sample(host_dir: &Path) -> (Tree, BTreeMap<String, Vec<u8>>) {
    let mut t = Tree::new();
    let mut want = BTreeMap::new();
    let mut add = |t: &mut Tree, path: &str, data: Vec<u8>| {
        t.add_bytes(path, data.clone(), 0o644).unwrap();
        want.insert(path.to_string(), data);
    };
    add(&mut t, "EFI/BOOT/BOOTX64.EFI", noise(300_000, 1));
    add(
        &mut t,
        "EFI/BOOT/grub.cfg",
        b"configfile /boot/grub/grub.cfg\n".to_vec(),
    );
    add(&mut t, "empty", vec![]);
    add(&mut t, "Long File Name with spaces.txt", b"spaces".to_vec());
    add(&mut t, "été.txt", "accents\n".as_bytes().to_vec());
    add(&mut t, "a/b/c/d/deep.bin", noise(2048, 2));
    let mut zeros = vec![0u8; 3 << 20];
    zeros[(2 << 20) + 5] = 7; // mostly a hole, one byte of data
    add(&mut t, "sparse.bin", zeros);
    for i in 0..150 {
        add(
            &mut t,
            &format!("many/file-with-a-long-name-{i:03}.dat"),
            format!("{i}").into_bytes(),
        );
    }
    t.mkdir_p("empty-dir").unwrap();
    let host = host_dir.join("host.bin");
    std::fs::write(&host, noise(70_000, 3)).unwrap();
    t.add_host_file("from-host.bin", &host, None).unwrap();
    want.insert("from-host.bin".into(), noise(70_000, 3));
    (t, want)
}

fn params(kind: FatKind) -> FatParams {
    FatParams {
        kind,
        label: "gnu-esp".into(),
        volume_id: 0x1234_abcd,
        timestamp: 1_700_000_000,
        hidden_sectors: 2048,
    }
}

fn image(tree: &Tree, size: u64, p: &FatParams) -> (tempfile::NamedTempFile, Result<(), FatError>) {
    let file = tempfile::NamedTempFile::new().unwrap();
    file.as_file().set_len(size).unwrap();
    let r = write(&Region::new(file.as_file(), 0, size), tree, p);
    (file, r)
}

fn fsck(path: &Path) {
    let (ok, out) = run(Command::new("fsck.vfat").arg("-n").arg("-v").arg(path));
    assert!(ok, "fsck.vfat -n failed:\n{out}");
    for bad in [
        "differ",
        "Dirty",
        "Free cluster summary",
        "invalid",
        "Contains",
        "Bad",
    ] {
        assert!(!out.contains(bad), "fsck.vfat complains ({bad}):\n{out}");
    }
}

/// Every regular file under `dir`, relative path -> bytes.
fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![PathBuf::from(dir)];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

fn extract(img: &Path) -> (tempfile::TempDir, BTreeMap<String, Vec<u8>>) {
    let out = tempfile::tempdir().unwrap();
    let (ok, text) = run(Command::new("mcopy")
        .args(["-s", "-n", "-i"])
        .arg(img)
        .arg("::/")
        .arg(out.path()));
    assert!(ok, "mcopy failed:\n{text}");
    let files = read_tree(out.path());
    (out, files)
}

fn check_kind(kind: FatKind, size: u64) {
    let host = tempfile::tempdir().unwrap();
    let (tree, want) = sample(host.path());
    let (img, r) = image(&tree, size, &params(kind));
    r.unwrap();
    fsck(img.path());
    let (dir, got) = extract(img.path());
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        want.keys().collect::<Vec<_>>()
    );
    for (path, data) in &want {
        assert!(got[path] == *data, "{path} differs after mcopy");
    }
    assert!(dir.path().join("empty-dir").is_dir());
    let (ok, info) = run(Command::new("minfo").arg("-i").arg(img.path()).arg("::"));
    assert!(ok, "{info}");
    assert!(info.contains("disk label=\"GNU-ESP    \""), "{info}");
    assert!(info.contains("serial number: 1234ABCD"), "{info}");
    assert!(info.contains("hidden sectors: 2048"), "{info}");
    let fs_type = match kind {
        FatKind::Fat16 => "FAT16",
        FatKind::Fat32 => "FAT32",
    };
    assert!(
        info.contains(&format!("disk type=\"{fs_type}   \"")),
        "{info}"
    );
    // The label entry in the root directory, which Linux's blkid and GRUB read.
    let (ok, label) = run(Command::new("mlabel")
        .args(["-s", "-i"])
        .arg(img.path())
        .arg("::"));
    assert!(ok && label.trim() == "Volume label is GNU-ESP", "{label}");
    // Free space and the sparse file's zeros are holes.
    use std::os::unix::fs::MetadataExt;
    let allocated = img.as_file().metadata().unwrap().blocks() * 512;
    assert!(allocated < 2 << 20, "{allocated} bytes allocated");
}

#[test]
fn fat16_passes_fsck_and_mcopy_reads_it_back() {
    check_kind(FatKind::Fat16, 40 << 20);
}

#[test]
fn fat32_passes_fsck_and_mcopy_reads_it_back() {
    check_kind(FatKind::Fat32, 64 << 20);
}

#[test]
fn reproducible() {
    let host = tempfile::tempdir().unwrap();
    let (tree, _) = sample(host.path());
    let bytes = |kind| {
        let t = MemTarget::new(40 << 20);
        write(&t, &tree, &params(kind)).unwrap();
        t.into_inner()
    };
    assert!(bytes(FatKind::Fat16) == bytes(FatKind::Fat16));
    assert!(bytes(FatKind::Fat32) == bytes(FatKind::Fat32));
}

#[test]
fn min_size_is_tight_and_valid() {
    let host = tempfile::tempdir().unwrap();
    let (tree, _) = sample(host.path());
    for kind in [FatKind::Fat16, FatKind::Fat32] {
        let min = min_size(&tree, kind).unwrap();
        let (img, r) = image(&tree, min, &params(kind));
        r.unwrap();
        fsck(img.path());
        let (_, r) = image(&tree, min - 512, &params(kind));
        assert!(
            matches!(r, Err(FatError::TooSmall { needed, .. }) if needed == min)
                || matches!(r, Err(FatError::SizeOutOfRange { .. })),
            "{kind:?} at {}: {r:?}",
            min - 512
        );
    }
    // An empty tree: the smallest FAT16 and FAT32 volumes there are.
    let empty = Tree::new();
    let min16 = min_size(&empty, FatKind::Fat16).unwrap();
    assert!((2 << 20..3 << 20).contains(&min16), "{min16}");
    let (img, r) = image(&empty, min16, &params(FatKind::Fat16));
    r.unwrap();
    fsck(img.path());
    // FAT32 below the specification's 65,525 clusters is made, as mkfs.fat -F 32 does.
    let min32 = min_size(&empty, FatKind::Fat32).unwrap();
    assert!(min32 < 1 << 20, "{min32}");
    assert!(fat32_below_spec(8 << 20).is_some());
    assert!(fat32_below_spec(64 << 20).is_none());
    let (img, r) = image(&empty, 8 << 20, &params(FatKind::Fat32));
    r.unwrap();
    fsck(img.path());
}

#[test]
fn choose_kind_prefers_fat16() {
    assert_eq!(choose_kind(40 << 20), FatKind::Fat16);
    assert_eq!(choose_kind(1 << 30), FatKind::Fat16);
    assert_eq!(choose_kind(3 << 30), FatKind::Fat32);
    assert_eq!(choose_kind(1 << 20), FatKind::Fat16);
}

#[test]
fn refusals() {
    let mut t = Tree::new();
    t.add_bytes("ok", vec![1], 0o644).unwrap();
    let target = MemTarget::new(8 << 20);
    let mut p = params(FatKind::Fat16);
    p.label = "much too long label".into();
    assert!(matches!(
        write(&target, &t, &p),
        Err(FatError::BadLabel { .. })
    ));
    p.label = "a.b".into();
    assert!(matches!(
        write(&target, &t, &p),
        Err(FatError::BadLabel { .. })
    ));
    p.label = "ESP".into();
    assert!(matches!(
        write(&MemTarget::new(1000), &t, &p),
        Err(FatError::Unaligned { size: 1000 })
    ));
    let err = write(&MemTarget::new(1 << 20), &t, &p).unwrap_err();
    assert!(matches!(err, FatError::SizeOutOfRange { .. }), "{err}");
    let mut bad = t.clone();
    bad.insert(
        "dir/link",
        crate::content::Node {
            meta: crate::content::Meta::new(0o777),
            kind: NodeKind::Symlink(b"ok".to_vec()),
        },
    )
    .unwrap();
    let err = write(&target, &bad, &p).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("/dir/link: FAT cannot store a symbolic link"),
        "{err}"
    );
    let mut clash = t.clone();
    clash.add_bytes("OK", vec![2], 0o644).unwrap();
    assert!(matches!(
        write(&target, &clash, &p),
        Err(FatError::BadName { .. })
    ));
    let mut crowded = Tree::new();
    for i in 0..22_000 {
        crowded
            .add_bytes(&format!("d/long-name-{i:05}"), vec![], 0o644)
            .unwrap();
    }
    let err = write(&target, &crowded, &p).unwrap_err();
    assert!(matches!(err, FatError::DirectoryTooBig { .. }), "{err}");
    let mut root_heavy = Tree::new();
    for i in 0..32_765 {
        root_heavy
            .add_bytes(&format!("r{i:05}"), vec![], 0o644)
            .unwrap();
    }
    let err = min_size(&root_heavy, FatKind::Fat16).unwrap_err();
    assert!(
        matches!(err, FatError::DirectoryTooBig { max: 65_520, .. }),
        "{err}"
    );
    assert!(min_size(&root_heavy, FatKind::Fat32).is_ok());
    let mut big = Tree::new();
    big.add_bytes("f", vec![1; 9 << 20], 0o644).unwrap();
    let err = write(&target, &big, &p).unwrap_err();
    assert!(matches!(err, FatError::TooSmall { .. }), "{err}");
}

#[test]
fn dates() {
    let t = FatTime::from_unix(1_700_000_000); // 2023-11-14 22:13:20 UTC
    assert_eq!(t.date, ((2023 - 1980) << 9) | (11 << 5) | 14);
    assert_eq!(t.time, (22 << 11) | (13 << 5) | 10);
    let t = FatTime::from_unix(0);
    assert_eq!(t.date, (1 << 5) | 1);
    assert_eq!(t.time, 0);
}
