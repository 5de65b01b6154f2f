//! `ingot inspect` on what it must recognise — ingot's disk, ISO, qcow2, docker/OCI and tarball
//! outputs, file systems made by mke2fs and mkfs.vfat — checked against blkid, isoinfo,
//! xorriso, qemu-img, skopeo and tar; and on what it must refuse.

mod common;

use std::path::Path;
use std::process::Command;

use common::disk::{run, untar};
use common::ingot::{fixture, ingot, ingot_err, ingot_ok};
use serde_json::Value;

fn inspect(path: &Path) -> Value {
    let text = ingot_ok(&["inspect", "--json", path.to_str().unwrap()]);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// blkid's low-level probe of `path` at `offset`: KEY=VALUE pairs.
fn blkid(path: &Path, offset: u64) -> std::collections::HashMap<String, String> {
    run(Command::new("blkid")
        .args(["-p", "-o", "export", "-O", &offset.to_string()])
        .arg(path))
    .lines()
    .filter_map(|l| l.split_once('='))
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

/// Builds fixture `os` as `ty` from a small root tree into `dir`; returns the output path.
fn build(dir: &Path, os: &str, ty: &str, extra: &[&str]) -> std::path::PathBuf {
    let root = dir.join("root");
    if !root.exists() {
        std::fs::create_dir_all(root.join("boot")).unwrap();
        std::fs::create_dir_all(root.join("etc")).unwrap();
        std::fs::write(root.join("boot/vmlinuz"), b"kernel").unwrap();
        std::fs::write(root.join("boot/initrd.img"), b"initrd").unwrap();
        std::fs::write(root.join("etc/motd"), b"hello\n").unwrap();
    }
    let out = dir.join(format!("out-{ty}{}", extra.join("")));
    let mut args = vec![
        "build".to_string(),
        fixture(os),
        "-t".into(),
        ty.into(),
        "--root-tree".into(),
        root.display().to_string(),
        "-o".into(),
        out.display().to_string(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    ingot_ok(&args);
    out
}

#[test]
fn what_is_not_an_image_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "a shopping list\n").unwrap();
    let zeros = dir.path().join("zeros");
    std::fs::write(&zeros, vec![0u8; 1 << 16]).unwrap();
    let gz = dir.path().join("notes.gz");
    run(Command::new("sh").arg("-c").arg(format!(
        "gzip -c {} > {}",
        notes.display(),
        gz.display()
    )));
    for (path, why) in [
        (notes.as_path(), "no partition table"),
        (zeros.as_path(), "all zeros"),
        (gz.as_path(), "not a tar archive"),
        (Path::new("/dev/zero"), "not a regular file or block device"),
    ] {
        let err = ingot_err(&["inspect", path.to_str().unwrap()]);
        assert!(
            err.contains("not a disk image, ISO, qcow2 or archive") && err.contains(why),
            "{err}"
        );
    }
}

#[test]
fn a_disk_image_with_types_labels_and_uuids_as_blkid_sees_them() {
    let dir = tempfile::tempdir().unwrap();
    let img = build(dir.path(), "os-efi.scm", "efi-raw", &[]);
    let v = inspect(&img);
    assert_eq!(v["kind"], "disk");
    assert_eq!(v["partition_table"], "gpt");
    let parts = v["partitions"].as_array().unwrap();
    assert_eq!(parts[0]["type_name"], "EFI System");
    assert_eq!(parts[1]["type_name"], "Linux filesystem");
    for p in parts {
        let b = blkid(&img, p["offset"].as_u64().unwrap());
        assert_eq!(p["uuid"].as_str(), b.get("UUID").map(String::as_str), "{p}");
        assert_eq!(
            p["label"].as_str(),
            b.get("LABEL").map(String::as_str),
            "{p}"
        );
    }
    // show's uuid column is what was written: the FAT serial for the ESP.
    let table = ingot_ok(&[
        "show",
        &fixture("os-efi.scm"),
        "-t",
        "efi-raw",
        "--root-tree",
        dir.path().join("root").to_str().unwrap(),
    ]);
    let shown: Vec<&str> = table
        .lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_digit()))
        .map(|l| l.split_whitespace().last().unwrap())
        .collect();
    let found: Vec<&str> = parts.iter().map(|p| p["uuid"].as_str().unwrap()).collect();
    assert_eq!(shown, found, "{table}");
    let text = ingot_ok(&["inspect", img.to_str().unwrap()]);
    assert!(
        text.contains("EFI System") && text.contains("45 MiB"),
        "{text}"
    );
}

#[test]
fn an_iso_with_its_volume_id_and_el_torito_entries() {
    let dir = tempfile::tempdir().unwrap();
    let iso = build(
        dir.path(),
        "os-efi.scm",
        "iso9660",
        &["--label", "MY_VOLUME"],
    );
    let v = inspect(&iso);
    assert_eq!(v["kind"], "iso9660");
    let isoinfo = run(Command::new("isoinfo").arg("-d").arg("-i").arg(&iso));
    let volume = isoinfo
        .lines()
        .find_map(|l| l.strip_prefix("Volume id: "))
        .unwrap();
    assert_eq!(v["iso"]["volume_id"], volume);
    assert_eq!(volume, "MY_VOLUME");
    assert_eq!(
        v["uuid"].as_str(),
        blkid(&iso, 0).get("UUID").map(String::as_str)
    );
    // xorriso lists the boot catalog: one line per image, platform BIOS or UEFI.
    let report = run(Command::new("xorriso")
        .args(["-indev"])
        .arg(&iso)
        .args(["-report_el_torito", "plain"]));
    let platforms: Vec<&str> = report
        .lines()
        .filter(|l| l.starts_with("El Torito boot img :"))
        .map(|l| l.split_whitespace().nth(6).unwrap())
        .collect();
    let ours: Vec<&str> = v["iso"]["boot_entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["platform"].as_str().unwrap())
        .collect();
    assert_eq!(ours, platforms, "{report}");
    assert!(!ours.is_empty());
}

#[test]
fn a_qcow2_and_the_disk_inside() {
    let dir = tempfile::tempdir().unwrap();
    let q = build(dir.path(), "os-efi.scm", "qcow2-gpt", &[]);
    let v = inspect(&q);
    assert_eq!(v["kind"], "qcow2");
    let info: Value = serde_json::from_str(&run(Command::new("qemu-img")
        .args(["info", "--output=json"])
        .arg(&q)))
    .unwrap();
    assert_eq!(v["qcow2"]["virtual_size"], info["virtual-size"]);
    assert_eq!(v["qcow2"]["cluster_size"], info["cluster-size"]);
    assert_eq!(
        v["qcow2"]["compression"],
        info["format-specific"]["data"]["compression-type"]
    );
    // The disk inside is what show planned.
    let plan: Value = serde_json::from_str(&ingot_ok(&[
        "show",
        "--json",
        &fixture("os-efi.scm"),
        "-t",
        "qcow2-gpt",
        "--root-tree",
        dir.path().join("root").to_str().unwrap(),
    ]))
    .unwrap();
    let disk = &v["qcow2"]["disk"];
    assert_eq!(disk["partition_table"], "gpt");
    for (found, planned) in disk["partitions"]
        .as_array()
        .unwrap()
        .iter()
        .zip(plan["partitions"].as_array().unwrap())
    {
        assert_eq!(found["offset"], planned["offset"]);
        assert_eq!(found["label"], planned["label"]);
        let want = planned.get("fat_serial").unwrap_or(&planned["uuid"]);
        assert_eq!(&found["uuid"], want, "{found} vs {planned}");
    }
}

/// The digests skopeo reports for the image's layers.
fn skopeo_layers(reference: &str) -> Vec<String> {
    let v: Value =
        serde_json::from_str(&run(Command::new("skopeo").args(["inspect", reference]))).unwrap();
    v["Layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn docker_oci_and_tarball_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let docker = build(dir.path(), "os-efi.scm", "docker", &[]);
    let v = inspect(&docker);
    assert_eq!(v["kind"], "docker-archive");
    let layers = v["archive"]["layers"].as_array().unwrap();
    let digests: Vec<String> = layers
        .iter()
        .map(|l| l["digest"].as_str().unwrap().to_string())
        .collect();
    // skopeo 1.9 (Debian 12) reads only uncompressed docker archives: inspect that too.
    let plain_docker = dir.path().join("docker.tar");
    run(Command::new("sh").arg("-c").arg(format!(
        "gzip -dc '{}' > '{}'",
        docker.display(),
        plain_docker.display()
    )));
    let plain = inspect(&plain_docker);
    assert_eq!(plain["archive"]["compression"], "none");
    assert_eq!(plain["archive"]["layers"], v["archive"]["layers"]);
    assert_eq!(
        digests,
        skopeo_layers(&format!("docker-archive:{}", plain_docker.display()))
    );
    // The layer's entries, counted by GNU tar.
    let layer_path = layers[0]["path"].as_str().unwrap();
    let listing = run(Command::new("sh").arg("-c").arg(format!(
        "tar -xzOf '{}' '{layer_path}' | tar -t",
        docker.display()
    )));
    assert_eq!(layers[0]["entries"], listing.lines().count());

    let oci = build(dir.path(), "os-efi.scm", "docker", &["--oci"]);
    let v = inspect(&oci);
    assert_eq!(v["kind"], "oci-archive");
    let layer = &v["archive"]["layers"][0];
    assert_eq!(layer["verified"], true);
    let unpacked = dir.path().join("oci-dir");
    untar(&oci, &unpacked);
    assert_eq!(
        [layer["digest"].as_str().unwrap().to_string()].as_slice(),
        skopeo_layers(&format!("oci:{}", unpacked.display())).as_slice()
    );

    let tarball = build(dir.path(), "os-efi.scm", "tarball", &[]);
    let v = inspect(&tarball);
    assert_eq!(v["kind"], "tarball");
    let listing = run(Command::new("tar").arg("-tzf").arg(&tarball));
    assert_eq!(v["archive"]["entries"], listing.lines().count());
    // A tar ingot did not write, uncompressed.
    let plain = dir.path().join("plain.tar");
    run(Command::new("tar")
        .arg("-cf")
        .arg(&plain)
        .arg("-C")
        .arg(dir.path())
        .arg("root"));
    let v = inspect(&plain);
    assert_eq!(v["archive"]["compression"], "none");
    let listing = run(Command::new("tar").arg("-tf").arg(&plain));
    assert_eq!(v["archive"]["entries"], listing.lines().count());
}

#[test]
fn bare_file_systems_made_by_their_own_tools() {
    let dir = tempfile::tempdir().unwrap();
    let ext4 = dir.path().join("bare.ext4");
    run(Command::new("mkfs.ext4")
        .args(["-q", "-L", "bare-label"])
        .arg(&ext4)
        .arg("8M"));
    let fat = dir.path().join("bare.fat");
    run(Command::new("mkfs.vfat")
        .args(["-F", "32", "-n", "FATLABEL", "-C"])
        .arg(&fat)
        .arg("40000"));
    for (path, kind) in [(&ext4, "ext4"), (&fat, "fat32")] {
        let v = inspect(path);
        let b = blkid(path, 0);
        assert_eq!(v["kind"], "file-system");
        assert_eq!(v["file_system"], kind);
        assert_eq!(v["label"].as_str(), b.get("LABEL").map(String::as_str));
        assert_eq!(v["uuid"].as_str(), b.get("UUID").map(String::as_str));
    }
    // Not a regular file is refused even when it is an image's twin.
    let out = ingot().args(["inspect", "/dev/null"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
}
