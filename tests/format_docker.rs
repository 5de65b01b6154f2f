//! The docker output, checked with skopeo (inspect, copy to a directory) and GNU tar, and
//! rebuilt to prove reproducibility.

mod format_util;

use std::fs::{self, File};
use std::path::Path;
use std::process::Command;

use format_util::{assert_same, fixture, load, run, stdout, Compare};
use ingot::content::Tree;
use ingot::output::docker::{write_docker, DockerParams};
use serde_json::Value;

fn params(oci: bool) -> DockerParams {
    DockerParams {
        name: "example.org/ingot/test".into(),
        tag: "v1".into(),
        created: 1_700_000_000,
        architecture: "amd64".into(),
        entrypoint: vec!["/bin/sh".into(), "-l".into()],
        env: vec!["PATH=/bin:/usr/bin".into(), "LANG=C.UTF-8".into()],
        oci,
    }
}

fn build(tree: &Tree, p: &DockerParams, path: &Path) {
    write_docker(&File::create(path).unwrap(), tree, p).unwrap();
}

fn sha256_of(path: &Path) -> String {
    let out = stdout(Command::new("sha256sum").arg(path));
    out.split_whitespace().next().unwrap().to_string()
}

/// skopeo inspect + copy to dir:, then extract the layer and compare it with the tree.
fn check_with_skopeo(transport: &str, oci: bool) {
    let (dir, tree) = fixture();
    let image = dir.path().join("image.tar.gz");
    build(&tree, &params(oci), &image);
    // skopeo 1.9.3 (Debian 12) cannot read a gzip-compressed docker-archive, not even one
    // made by GNU tar + gzip ("loading tar component manifest.json: unexpected EOF"), though
    // `docker load` and newer skopeo do: give it the decompressed archive.
    let image = if oci {
        image
    } else {
        let plain = dir.path().join("image.tar");
        let out = run(Command::new("gzip").arg("-dc").arg(&image));
        fs::write(&plain, out.stdout).unwrap();
        plain
    };
    let reference = format!("{transport}:{}", image.display());

    let inspect: Value = serde_json::from_str(&stdout(
        Command::new("skopeo").args(["inspect", &reference]),
    ))
    .unwrap();
    assert_eq!(inspect["Architecture"], "amd64", "{inspect}");
    assert_eq!(inspect["Os"], "linux");
    assert_eq!(inspect["Created"], "2023-11-14T22:13:20Z");
    assert_eq!(inspect["Env"][0], "PATH=/bin:/usr/bin");
    let layers = inspect["Layers"].as_array().unwrap();
    assert_eq!(layers.len(), 1, "{inspect}");
    // The image is found by its name and tag (RepoTags / the ref.name annotation).
    let by_name = if oci {
        format!("{reference}:v1")
    } else {
        format!("{reference}:example.org/ingot/test:v1")
    };
    run(Command::new("skopeo").args(["inspect", &by_name]));
    let wrong = if oci {
        "v2"
    } else {
        "example.org/ingot/test:v2"
    };
    let status = Command::new("skopeo")
        .args(["inspect", &format!("{reference}:{wrong}")])
        .output()
        .unwrap()
        .status;
    assert!(
        !status.success(),
        "skopeo must not find a tag that is not there"
    );
    let config: Value = serde_json::from_str(&stdout(
        Command::new("skopeo").args(["inspect", "--config", &reference]),
    ))
    .unwrap();
    assert_eq!(config["config"]["Entrypoint"][1], "-l");
    assert_eq!(
        config["rootfs"]["diff_ids"][0], layers[0],
        "uncompressed layer = diff id"
    );

    let copy = dir.path().join("copy");
    run(Command::new("skopeo")
        .args(["copy", &reference])
        .arg(format!("dir:{}", copy.display())));
    let layer_digest = layers[0].as_str().unwrap().strip_prefix("sha256:").unwrap();
    let layer = copy.join(layer_digest);
    assert_eq!(
        sha256_of(&layer),
        layer_digest,
        "the blob matches its digest"
    );

    let x = dir.path().join("x");
    fs::create_dir(&x).unwrap();
    run(Command::new("tar")
        .args(["--numeric-owner", "--xattrs", "--xattrs-include=*", "-xpf"])
        .arg(&layer)
        .arg("-C")
        .arg(&x));
    let names = stdout(Command::new("tar").arg("-tf").arg(&layer));
    assert!(
        !names.lines().any(|l| l.starts_with("./")),
        "docker layers have no ./ prefix"
    );
    let cmp = Compare {
        mtime: None, // layer members carry the tree's times

        owners: true,
        xattrs: true,
        root_meta: false, // a layer has no entry for "/"
        hardlinks: true,
    };
    assert_same(&tree, &load(&x), cmp);
}

#[test]
fn docker_archive_loads_in_skopeo() {
    check_with_skopeo("docker-archive", false);
}

#[test]
fn oci_archive_loads_in_skopeo() {
    check_with_skopeo("oci-archive", true);
}

#[test]
fn docker_archive_layout_and_reproducibility() {
    let (dir, tree) = fixture();
    let a = dir.path().join("a.tar.gz");
    let b = dir.path().join("b.tar.gz");
    for oci in [true, false] {
        build(&tree, &params(oci), &a);
        build(&tree, &params(oci), &b);
        assert!(
            fs::read(&a).unwrap() == fs::read(&b).unwrap(),
            "two builds differ (oci: {oci})"
        );
    }

    let listing = stdout(
        Command::new("tar")
            .args(["--numeric-owner", "-tvf"])
            .arg(&a)
            .env("TZ", "UTC"),
    );
    let names: Vec<&str> = listing
        .lines()
        .map(|l| l.rsplit(' ').next().unwrap())
        .collect();
    assert_eq!(names.len(), 7, "{listing}");
    let id = names[0].trim_end_matches('/');
    assert_eq!(id.len(), 64);
    assert_eq!(
        names[1..],
        [
            format!("{id}/VERSION").as_str(),
            &format!("{id}/json"),
            &format!("{id}/layer.tar"),
            "config.json",
            "manifest.json",
            "repositories"
        ]
    );
    assert!(
        listing
            .lines()
            .all(|l| l.contains(" 0/0 ") && l.contains("2023-11-14 22:13")),
        "{listing}"
    );

    // The layer directory is named by the layer's sha256; manifest and repositories agree.
    let x = dir.path().join("x");
    fs::create_dir(&x).unwrap();
    run(Command::new("tar").arg("-xf").arg(&a).arg("-C").arg(&x));
    assert_eq!(sha256_of(&x.join(id).join("layer.tar")), id);
    let manifest: Value =
        serde_json::from_slice(&fs::read(x.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest[0]["Layers"][0], format!("{id}/layer.tar"));
    assert_eq!(manifest[0]["Config"], "config.json");
    let repos: Value = serde_json::from_slice(&fs::read(x.join("repositories")).unwrap()).unwrap();
    assert_eq!(repos["example.org/ingot/test"]["v1"], id);
}

#[test]
fn bad_name_is_refused_before_writing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o");
    let p = DockerParams {
        name: "Upper/Case".into(),
        ..params(false)
    };
    let err = write_docker(&File::create(&out).unwrap(), &Tree::new(), &p).unwrap_err();
    assert!(
        err.to_string()
            .contains("invalid image name \"Upper/Case\""),
        "{err}"
    );
    assert_eq!(fs::metadata(&out).unwrap().len(), 0);
}
