//! A container image as the root tree: an OCI image layout (made by skopeo from ingot's own
//! docker output, plus a second layer of whiteouts made with GNU tar) and the docker-archive
//! skopeo writes from it. The layers are applied in order; GNU tar and debugfs check the result.

mod common;

use std::path::Path;
use std::process::Command;

use common::disk::{debugfs, run, s};
use common::ingot::{build_fixture_os, extract, fixture, flagged_partition, ingot, show_json};
use sha2::{Digest, Sha256};

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The base: ingot's docker output of a small tree (one layer, owners and an xattr).
fn base_tree(root: &Path) {
    for d in ["boot", "etc", "opt/old", "var"] {
        std::fs::create_dir_all(root.join(d)).unwrap();
    }
    std::fs::write(root.join("boot/vmlinuz"), b"not a kernel").unwrap();
    std::fs::write(root.join("etc/keep"), b"kept\n").unwrap();
    std::fs::write(root.join("etc/gone"), b"whited out\n").unwrap();
    std::fs::write(root.join("opt/old/a"), b"a\n").unwrap();
    std::fs::write(root.join("opt/old/b"), b"b\n").unwrap();
    std::fs::write(root.join("var/owned"), b"theirs\n").unwrap();
    run(Command::new("chown")
        .arg("1234:42")
        .arg(root.join("var/owned")));
    run(Command::new("setfattr")
        .args(["-n", "user.origin", "-v", "base"])
        .arg(root.join("var/owned")));
}

/// The upper layer, as a container build writes it: whiteout files and an opaque marker.
fn upper_layer(dir: &Path, out: &Path) {
    for d in ["etc", "opt/old"] {
        std::fs::create_dir_all(dir.join(d)).unwrap();
    }
    std::fs::write(dir.join("etc/.wh.gone"), b"").unwrap();
    std::fs::write(dir.join("etc/new"), b"added\n").unwrap();
    std::fs::write(dir.join("opt/old/.wh..wh..opq"), b"").unwrap();
    std::fs::write(dir.join("opt/old/c"), b"c\n").unwrap();
    run(Command::new("tar")
        .args(["--numeric-owner", "--format=pax", "-cf"])
        .arg(out)
        .arg("-C")
        .arg(dir)
        .args(["etc", "opt"]));
}

/// Appends `layer` (an uncompressed tar) to the image in the OCI layout `oci`.
fn add_layer(oci: &Path, layer: &Path) {
    let blobs = oci.join("blobs/sha256");
    let read_json = |digest: &str| -> serde_json::Value {
        let hex = digest.strip_prefix("sha256:").unwrap();
        serde_json::from_slice(&std::fs::read(blobs.join(hex)).unwrap()).unwrap()
    };
    let write_blob = |bytes: &[u8]| -> (String, usize) {
        let hex = sha256_hex(bytes);
        std::fs::write(blobs.join(&hex), bytes).unwrap();
        (format!("sha256:{hex}"), bytes.len())
    };
    let plain = std::fs::read(layer).unwrap();
    let gz = Command::new("gzip")
        .args(["-nc"])
        .arg(layer)
        .output()
        .unwrap()
        .stdout;
    let (layer_digest, layer_size) = write_blob(&gz);
    let mut index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(oci.join("index.json")).unwrap()).unwrap();
    let mut manifest = read_json(index["manifests"][0]["digest"].as_str().unwrap());
    let mut config = read_json(manifest["config"]["digest"].as_str().unwrap());
    config["rootfs"]["diff_ids"]
        .as_array_mut()
        .unwrap()
        .push(format!("sha256:{}", sha256_hex(&plain)).into());
    if let Some(h) = config["history"].as_array_mut() {
        h.push(serde_json::json!({"created_by": "whiteouts"}));
    }
    let (config_digest, config_size) = write_blob(&serde_json::to_vec(&config).unwrap());
    manifest["config"]["digest"] = config_digest.into();
    manifest["config"]["size"] = config_size.into();
    manifest["layers"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({
            "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
            "digest": layer_digest,
            "size": layer_size,
        }));
    let (m_digest, m_size) = write_blob(&serde_json::to_vec(&manifest).unwrap());
    index["manifests"][0]["digest"] = m_digest.into();
    index["manifests"][0]["size"] = m_size.into();
    std::fs::write(oci.join("index.json"), serde_json::to_vec(&index).unwrap()).unwrap();
}

/// `tar -tv` of ingot's tarball of `root_tree`: "uid/gid path" lines.
fn tarball_listing(work: &Path, root_tree: &Path, name: &str) -> Vec<String> {
    let out = work.join(name);
    run(&mut build_fixture_os("tarball", root_tree, &out));
    let listing = run(Command::new("tar")
        .args(["--numeric-owner", "-tvzf"])
        .arg(&out));
    listing
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            format!("{} {}", f[1], f[5])
        })
        .collect()
}

#[test]
fn oci_layout_and_docker_archive_become_the_root_tree_with_whiteouts() {
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("root");
    base_tree(&root);
    let base = work.path().join("base.tar.gz");
    run(&mut build_fixture_os("docker", &root, &base));
    // skopeo 1.9 reads only uncompressed docker archives.
    let base_plain = work.path().join("base.tar");
    let gunzip = Command::new("gzip").arg("-dc").arg(&base).output().unwrap();
    std::fs::write(&base_plain, gunzip.stdout).unwrap();
    let oci = work.path().join("oci");
    run(Command::new("skopeo")
        .arg("copy")
        .arg(format!("docker-archive:{}", s(&base_plain)))
        .arg(format!("oci:{}:latest", s(&oci))));
    let layer = work.path().join("upper.tar");
    upper_layer(&work.path().join("upper"), &layer);
    add_layer(&oci, &layer);
    // skopeo checks every digest while copying: the layout is a valid two-layer image.
    let archive = work.path().join("two.tar");
    run(Command::new("skopeo")
        .arg("copy")
        .arg(format!("oci:{}:latest", s(&oci)))
        .arg(format!("docker-archive:{}:two:latest", s(&archive))));
    let inspect = run(Command::new("skopeo")
        .arg("inspect")
        .arg(format!("docker-archive:{}", s(&archive))));
    let v: serde_json::Value = serde_json::from_str(&inspect).unwrap();
    assert_eq!(v["Layers"].as_array().unwrap().len(), 2, "{inspect}");

    // ingot's own docker output (gzip-compressed) is a root tree too: the base alone.
    let own = tarball_listing(work.path(), &base, "own.tar.gz");
    assert!(
        own.contains(&"1234/42 ./var/owned".to_string())
            && own.iter().any(|l| l.ends_with(" ./etc/gone")),
        "{own:#?}"
    );
    for (what, source) in [("oci layout", &oci), ("docker-archive", &archive)] {
        let listing = tarball_listing(work.path(), source, &format!("{what}.tar.gz"));
        let has = |p: &str| listing.iter().any(|l| l.ends_with(&format!(" ./{p}")));
        for kept in [
            "etc/keep",
            "etc/new",
            "opt/old/c",
            "var/owned",
            "boot/vmlinuz",
        ] {
            assert!(has(kept), "{what}: {kept} missing:\n{listing:#?}");
        }
        for gone in ["etc/gone", "opt/old/a", "opt/old/b"] {
            assert!(
                !has(gone),
                "{what}: {gone} should be whited out:\n{listing:#?}"
            );
        }
        assert!(
            !listing.iter().any(|l| l.contains(".wh.")),
            "{what}: a whiteout file arrived: {listing:#?}"
        );
        assert!(
            listing.contains(&"1234/42 ./var/owned".to_string()),
            "{what}: {listing:#?}"
        );
    }
    // ext4 from the OCI layout: owners and the xattr, read back by debugfs.
    let img = work.path().join("oci.img");
    let args = [
        &fixture("os-efi.scm"),
        "-t",
        "efi-raw",
        "--root-tree",
        s(&oci),
    ];
    let mut cmd = ingot();
    cmd.arg("build").args(args).args(["-o", s(&img)]);
    run(&mut cmd);
    let plan = show_json(&args);
    let (offset, size) = flagged_partition(&plan, "boot");
    assert!(
        plan["owners"].as_str().unwrap().starts_with("keep"),
        "{}",
        plan["owners"]
    );
    let fs = extract(&img, offset, size);
    let stat = debugfs(fs.path(), "stat /var/owned");
    assert!(stat.contains("User:  1234   Group:    42"), "{stat}");
    let ea = debugfs(fs.path(), "ea_list /var/owned");
    assert!(ea.contains("user.origin") && ea.contains("base"), "{ea}");
    let ls = debugfs(fs.path(), "ls -p /opt/old");
    assert!(
        ls.contains("/c/") && !ls.contains("/a/") && !ls.contains("/b/"),
        "{ls}"
    );
}
