//! The REPL driven through a pipe, and `ingot doctor`.

mod common;

use common::ingot::{ingot, ingot_ok, repl_session};

#[test]
fn repl_defines_inherits_shows_and_survives_errors() {
    let out = repl_session(
        &[],
        b"(define p (partition (inherit esp-partition) (label \"XLABEL\")))\n\
          (partition-label p)\n\
          (partition (lable \"x\"))\n\
          (show efi-disk-image)\n\
          (+ 40\n   2)\n",
    );
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{all}");
    assert!(all.contains("\"XLABEL\""), "{all}");
    assert!(
        all.contains("field lable") && all.contains("did you mean `label`"),
        "{all}"
    );
    assert!(
        all.contains("GNU-ESP") && all.contains("C12A7328-F81F-11D2-BA4B-00A0C93EC93B"),
        "{all}"
    );
    // multi-line input after an error: the REPL is still there.
    assert!(all.lines().any(|l| l.trim() == "42"), "{all}");
}

#[test]
fn doctor_reports_the_tools_here() {
    let out = ingot_ok(&["doctor"]);
    for piece in [
        "grub-mkimage",
        "GRUB i386-pc modules",
        "libisofs",
        "qemu-img",
    ] {
        let line = out
            .lines()
            .find(|l| l.contains(piece))
            .unwrap_or_else(|| panic!("{out}"));
        // scripts/install-deps.sh installed everything: doctor must see it.
        assert!(line.starts_with("ok"), "{line}");
    }
}

#[test]
fn repl_show_is_ingot_show() {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(root.path().join("boot")).unwrap();
    std::fs::write(root.path().join("boot/vmlinuz"), b"kernel").unwrap();
    std::fs::write(root.path().join("boot/initrd.img"), b"initrd").unwrap();
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/efi-os.scm");
    let root_arg = root.path().to_str().unwrap();
    let cli = ingot_ok(&["show", example, "--root-tree", root_arg]);
    // The OS's file-systems name the root "demo-root": the plan must say so, both ways.
    assert!(cli.contains("demo-root"), "{cli}");
    let out = repl_session(
        &[example, "--root-tree", root_arg],
        b"(show (image (inherit efi-disk-image) (name 'efi.img) (operating-system my-os)))\n",
    );
    let repl = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{repl}");
    assert!(repl.contains(cli.trim_end()), "REPL:\n{repl}\nCLI:\n{cli}");
}

fn output(args: &[&str]) -> (Option<i32>, String, String) {
    let out = ingot().args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn options_that_do_not_apply_are_named() {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(root.path().join("boot")).unwrap();
    std::fs::write(root.path().join("boot/vmlinuz"), b"kernel").unwrap();
    std::fs::write(root.path().join("boot/initrd.img"), b"initrd").unwrap();
    let r = root.path().to_str().unwrap();
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/efi-os.scm");
    let os = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/os-efi.scm");
    // The example's value is an image: -t has nothing to turn into one.
    let (code, _, err) = output(&["show", example, "-t", "qcow2", "--root-tree", r]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("-t qcow2 was not used"), "{err}");
    let (code, _, err) = output(&["show", os, "-t", "efi-raw", "--oci", "--root-tree", r]);
    assert_eq!(code, Some(1));
    assert!(err.contains("--oci applies to docker images only"), "{err}");
    let (code, _, err) = output(&["show", os, "-t", "docker", "--label", "X", "--root-tree", r]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("--label X was not used"), "{err}");
    // ISO volume ids hold 32 characters, not ext4's 16.
    let long = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let (code, out, err) = output(&[
        "show",
        os,
        "-t",
        "iso9660",
        "--label",
        long,
        "--root-tree",
        r,
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains(long), "{out}");
    let too_long = format!("{long}0123456");
    let (code, _, err) = output(&[
        "show",
        os,
        "-t",
        "iso9660",
        "--label",
        &too_long,
        "--root-tree",
        r,
    ]);
    assert_eq!(code, Some(1));
    assert!(err.contains("ISO 9660 volume id holds 1 to 32"), "{err}");
    let docker = "(image (inherit docker-image) (max-layers 5) (operating-system (operating-system (host-name \"h\") (bootloader (bootloader-configuration (bootloader grub-efi-bootloader))) (file-systems '()))))";
    let (code, _, err) = output(&["show", "-e", docker, "--root-tree", r]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("(max-layers 5)") && err.contains("one layer"),
        "{err}"
    );
    let iso = docker.replace("docker-image", "iso9660-image");
    let (code, _, err) = output(&["show", "-e", &iso, "--root-tree", r]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("(max-layers 5) was not used"), "{err}");
}

#[test]
fn list_image_types_describes_and_marks() {
    let out = ingot_ok(&["list-image-types"]);
    let efi = out.lines().find(|l| l.starts_with("efi-raw ")).unwrap();
    assert!(efi.contains("GPT") && !efi.contains('['), "{efi}");
    let hurd = out.lines().find(|l| l.starts_with("hurd-raw ")).unwrap();
    assert!(hurd.contains("[cannot build]"), "{hurd}");
    let v: serde_json::Value =
        serde_json::from_str(&ingot_ok(&["list-image-types", "--json"])).unwrap();
    let names: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"qcow2") && names.contains(&"pine64-raw"));
    // Every type -t accepts is listed: each one shows (or fails for its own reason, not
    // "unknown type").
    for t in v.as_array().unwrap() {
        assert!(t["description"].as_str().unwrap().len() > 10, "{t}");
    }
}

#[test]
fn doctor_exits_non_zero_when_an_image_type_is_unavailable() {
    let v: serde_json::Value = serde_json::from_str(&ingot_ok(&["doctor", "--json"])).unwrap();
    assert_eq!(v["unavailable_image_types"], serde_json::json!([]));
    // Without qemu-img on PATH (and in an empty PATH nothing else either).
    let empty = tempfile::tempdir().unwrap();
    let out = ingot()
        .args(["doctor", "--json"])
        .env("PATH", empty.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let missing: Vec<&str> = v["unavailable_image_types"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert!(
        missing.contains(&"qcow2") && !missing.contains(&"docker"),
        "{v}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("unavailable here"));
}

/// Without STEEL_HOME, Steel would create ~/.local/share/steel: ingot runs as if it were set
/// (same output, same exit code) and writes nothing into HOME.
#[test]
fn without_steel_home_nothing_is_written_into_home() {
    let home = tempfile::tempdir().expect("temp dir");
    // As on a desktop, where Steel's create_dir of ~/.local/share/steel would succeed.
    let data_home = home.path().join(".local/share");
    std::fs::create_dir_all(&data_home).expect("making ~/.local/share");
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/efi-os.scm");
    let with = ingot()
        .args(["show", example])
        .output()
        .expect("running ingot");
    let without = ingot()
        .env_remove("STEEL_HOME")
        .env_remove("XDG_DATA_HOME")
        .env("HOME", home.path())
        .args(["show", example])
        .output()
        .expect("running ingot");
    assert!(
        with.status.success(),
        "{}",
        String::from_utf8_lossy(&with.stderr)
    );
    assert_eq!(without.status.code(), with.status.code());
    assert_eq!(without.stdout, with.stdout);
    assert_eq!(without.stderr, with.stderr);
    let written: Vec<_> = std::fs::read_dir(&data_home)
        .expect("reading ~/.local/share")
        .map(|e| e.map(|e| e.path()))
        .collect();
    assert!(
        written.is_empty(),
        "written into ~/.local/share: {written:?}"
    );
}
