//! `ingot build` of raw disk images, end to end: the binary builds from a definition and a
//! root tree; sfdisk/sgdisk, e2fsck, fsck.vfat and debugfs check the result; QEMU boots it.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::disk::run;
use common::ingot::{
    bootable_root, describe_tree, e2fsck_clean, ext_dump, extract, fixture, fsck_vfat_clean, ingot,
    ingot_ok, show_json,
};
use common::{boot, marker_suffix, root_ok, Iface, Mode};

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Builds `def` as `image_type` from `root` into `dir/name`, returns the image path and the
/// plan `show --json` printed for the same arguments.
fn build(
    dir: &Path,
    name: &str,
    def: &str,
    image_type: &str,
    root: &Path,
) -> (PathBuf, serde_json::Value) {
    let out = dir.join(name);
    let args = [def, "-t", image_type, "--root-tree", s(root)];
    let plan = show_json(&args);
    let mut build_args = vec!["build", "-o", s(&out)];
    build_args.extend_from_slice(&args);
    let printed = ingot_ok(&build_args);
    assert_eq!(printed.trim(), s(&out));
    (out, plan)
}

/// sfdisk's view of the table must be what `show` promised.
fn check_table(image: &Path, plan: &serde_json::Value) {
    let dump: serde_json::Value =
        serde_json::from_str(&run(Command::new("sfdisk").arg("--json").arg(image))).unwrap();
    let table = &dump["partitiontable"];
    let parts = table["partitions"].as_array().unwrap();
    let planned = plan["partitions"].as_array().unwrap();
    assert_eq!(parts.len(), planned.len());
    for (got, want) in parts.iter().zip(planned) {
        assert_eq!(
            got["start"].as_u64().unwrap() * 512,
            want["offset"].as_u64().unwrap()
        );
        assert_eq!(
            got["size"].as_u64().unwrap() * 512,
            want["size"].as_u64().unwrap()
        );
        let ty = got["type"].as_str().unwrap().to_uppercase();
        let want_ty = want["type"]
            .as_str()
            .unwrap()
            .trim_start_matches("0X")
            .to_uppercase();
        assert!(
            ty == want_ty || format!("0X{ty}") == want_ty || ty == want_ty.trim_start_matches("0X"),
            "type {ty} vs {want_ty}"
        );
    }
    match plan["partition_table"].as_str().unwrap() {
        "gpt" => {
            assert_eq!(table["label"], "gpt");
            let v = run(Command::new("sgdisk").arg("-v").arg(image));
            assert!(v.contains("No problems found"), "{v}");
            for (got, want) in parts.iter().zip(planned) {
                assert_eq!(got["name"], want["label"]);
                assert_eq!(
                    got["uuid"].as_str().unwrap().to_uppercase(),
                    want["partition_guid"].as_str().unwrap()
                );
            }
        }
        _ => {
            assert_eq!(table["label"], "dos");
            for (got, want) in parts.iter().zip(planned) {
                let boot = want["flags"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|f| f == "boot");
                assert_eq!(got["bootable"].as_bool().unwrap_or(false), boot);
            }
        }
    }
}

/// `ingot inspect` reads back what `show` planned: table, offsets, sizes, types, file systems
/// and labels.
fn check_inspect(image: &Path, plan: &serde_json::Value) {
    let found: serde_json::Value =
        serde_json::from_str(&ingot_ok(&["inspect", "--json", s(image)])).unwrap();
    assert_eq!(found["partition_table"], plan["partition_table"]);
    assert_eq!(found["size"], plan["size"]);
    let (got, want) = (
        found["partitions"].as_array().unwrap(),
        plan["partitions"].as_array().unwrap(),
    );
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(want) {
        for key in ["index", "offset", "size", "type", "label"] {
            assert_eq!(g[key], w[key], "{key}: {g} vs {w}");
        }
        assert_eq!(g["file_system"], w["file_system_built"], "{g} vs {w}");
        let boot = w["flags"].as_array().unwrap().iter().any(|f| f == "boot");
        assert_eq!(g["bootable"], boot);
    }
}

/// Every partition passes its file system's checker.
fn check_file_systems(image: &Path, plan: &serde_json::Value) {
    for p in plan["partitions"].as_array().unwrap() {
        let part = extract(
            image,
            p["offset"].as_u64().unwrap(),
            p["size"].as_u64().unwrap(),
        );
        match p["file_system_built"].as_str().unwrap() {
            "ext2" | "ext3" | "ext4" => e2fsck_clean(part.path()),
            "fat16" | "fat32" => fsck_vfat_clean(part.path()),
            _ => {}
        }
    }
}

fn root_partition(plan: &serde_json::Value) -> &serde_json::Value {
    plan["partitions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["flags"].as_array().unwrap().iter().any(|f| f == "boot"))
        .unwrap()
}

/// Builds `def` as `image_type` from a bootable root, checks its table and file systems, boots
/// it in each of `modes`, and hands the image and plan to `more` for type-specific checks.
fn build_check_boot(
    def: &str,
    image_type: &str,
    modes: &[Mode],
    more: impl FnOnce(&Path, &serde_json::Value),
) {
    let work = tempfile::tempdir().unwrap();
    let suffix = marker_suffix();
    let root = work.path().join("root");
    bootable_root(&root, &suffix);
    let (img, plan) = build(work.path(), "disk.img", &fixture(def), image_type, &root);
    check_table(&img, &plan);
    check_file_systems(&img, &plan);
    check_inspect(&img, &plan);
    more(&img, &plan);
    for mode in modes {
        boot(&img, *mode, Iface::Virtio, &root_ok(&suffix))
            .unwrap_or_else(|log| panic!("{image_type} {mode:?}: {log}"));
    }
}

#[test]
fn mbr_raw_boots_under_seabios() {
    build_check_boot("os-bios.scm", "mbr-raw", &[Mode::Bios], |_, plan| {
        assert_eq!(plan["partition_table"], "mbr");
        assert_eq!(plan["partitions"][0]["offset"], 1048576);
    });
}

#[test]
fn mbr_hybrid_raw_boots_under_seabios_and_ovmf() {
    build_check_boot(
        "os-bios.scm",
        "mbr-hybrid-raw",
        &[Mode::Bios, Mode::Efi],
        |_, plan| {
            assert_eq!(plan["partitions"][0]["type"], "0xEF");
        },
    );
}

/// The ESP (first partition) holds GRUB's EFI binary where removable media keep it.
fn assert_esp_holds(img: &Path, plan: &serde_json::Value, binary: &str) {
    let esp = &plan["partitions"][0];
    let esp_fs = extract(
        img,
        esp["offset"].as_u64().unwrap(),
        esp["size"].as_u64().unwrap(),
    );
    let listing = run(Command::new("mdir")
        .env("MTOOLS_SKIP_CHECK", "1")
        .args(["-b", "-i"])
        .arg(esp_fs.path())
        .arg("::/EFI/BOOT"));
    assert!(listing.contains(binary), "{listing}");
}

#[test]
fn efi_raw_boots_under_ovmf() {
    build_check_boot("os-efi.scm", "efi-raw", &[Mode::Efi], |img, plan| {
        assert_eq!(plan["partition_table"], "gpt");
        assert_esp_holds(img, plan, "BOOTX64.EFI");
    });
}

#[test]
fn efi32_raw_boots_under_32bit_ovmf() {
    build_check_boot("os-efi.scm", "efi32-raw", &[Mode::Efi32], |img, plan| {
        assert_esp_holds(img, plan, "BOOTIA32.EFI");
    });
}

/// A tree with what real root trees hold: modes, setuid, symlinks, hard links, empty files,
/// nested directories, a FIFO.
fn rich_tree(dir: &Path) {
    use std::os::unix::fs::{symlink, PermissionsExt};
    let p = |rel: &str| dir.join(rel);
    std::fs::create_dir_all(p("usr/bin")).unwrap();
    std::fs::create_dir_all(p("etc/deep/er/still")).unwrap();
    std::fs::create_dir_all(p("var/empty")).unwrap();
    std::fs::write(p("usr/bin/tool"), b"#!/bin/sh\necho tool\n").unwrap();
    std::fs::set_permissions(p("usr/bin/tool"), std::fs::Permissions::from_mode(0o4755)).unwrap();
    std::fs::write(p("etc/deep/er/still/file"), vec![7u8; 100_000]).unwrap();
    std::fs::write(p("etc/empty"), b"").unwrap();
    std::fs::set_permissions(p("etc/empty"), std::fs::Permissions::from_mode(0o600)).unwrap();
    std::fs::hard_link(p("usr/bin/tool"), p("usr/bin/tool-again")).unwrap();
    symlink("../usr/bin/tool", p("etc/tool-link")).unwrap();
    symlink("x".repeat(200), p("etc/long-link")).unwrap();
    for i in 0..300 {
        std::fs::write(p(&format!("var/f{i:03}")), format!("{i}\n")).unwrap();
    }
    run(Command::new("mkfifo").arg(p("var/fifo")));
    set_xattr(&p("usr/bin/tool"), "user.origin", b"ingot-test");
}

fn set_xattr(path: &Path, name: &str, value: &[u8]) {
    let c_path = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    let c_name = std::ffi::CString::new(name).unwrap();
    // SAFETY: valid C strings and a value buffer of the given length.
    let rc = unsafe {
        libc::lsetxattr(
            c_path.as_ptr(),
            c_name.as_ptr(),
            value.as_ptr().cast(),
            value.len(),
            0,
        )
    };
    assert_eq!(
        rc,
        0,
        "setxattr {name} on {}: {}",
        path.display(),
        std::io::Error::last_os_error()
    );
}

/// Builds an efi-raw image of an OS named `host` whose root tree is `source` (a directory or an
/// archive), checks it, and compares its root file system with the directory `root`:
/// contents, modes, links, setuid, FIFO, xattrs, root owners, and the generated /etc/hostname.
fn build_rich_and_compare(work: &Path, host: &str, source: &Path, root: &Path) {
    let def = format!(
        "(operating-system (host-name \"{host}\") (file-systems %base-file-systems) \
         (bootloader (bootloader-configuration (bootloader grub-efi-bootloader))) \
         (kernel \"/usr/bin/tool\"))"
    );
    let img = work.join(format!("{host}.img"));
    let args = [
        "-e",
        def.as_str(),
        "-t",
        "efi-raw",
        "--root-tree",
        s(source),
    ];
    let plan = show_json(&args);
    let mut build = vec!["build", "-o", s(&img)];
    build.extend_from_slice(&args);
    ingot_ok(&build);
    check_table(&img, &plan);
    check_file_systems(&img, &plan);
    let rp = root_partition(&plan);
    let fs = extract(
        &img,
        rp["offset"].as_u64().unwrap(),
        rp["size"].as_u64().unwrap(),
    );
    let dump = ext_dump(fs.path());
    let got: Vec<String> = describe_tree(dump.path())
        .into_iter()
        .filter(|l| !l.starts_with("boot") && !l.starts_with("etc/hostname"))
        .collect();
    // rdump skips special files and drops setuid bits: those are checked with stat below.
    let want: Vec<String> = describe_tree(root)
        .into_iter()
        .filter(|l| !l.ends_with("special 644"))
        .map(|l| l.replace(" 4755", " 755"))
        .collect();
    let missing: Vec<_> = want.iter().filter(|l| !got.contains(l)).collect();
    let extra: Vec<_> = got.iter().filter(|l| !want.contains(l)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing {missing:?}\nextra {extra:?}"
    );
    let hostname = std::fs::read_to_string(dump.path().join("etc/hostname")).unwrap();
    assert_eq!(hostname, format!("{host}\n"));
    let debugfs = |request: &str| {
        run(Command::new("debugfs")
            .arg("-R")
            .arg(request)
            .arg(fs.path()))
    };
    let stat = debugfs("stat /usr/bin/tool");
    assert!(stat.contains("Links: 2"), "{stat}");
    assert!(stat.contains("User:     0   Group:     0"), "{stat}");
    assert!(stat.contains("Mode:  04755"), "{stat}");
    let fifo = debugfs("stat /var/fifo");
    assert!(fifo.contains("Type: FIFO"), "{fifo}");
    let xattrs = debugfs("ea_list /usr/bin/tool");
    assert!(
        xattrs.contains("user.origin") && xattrs.contains("ingot-test"),
        "{xattrs}"
    );
}

#[test]
fn root_tree_arrives_intact_and_root_owned() {
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("root");
    rich_tree(&root);
    build_rich_and_compare(work.path(), "rich", &root, &root);
}

/// A tar archive (here gzip-compressed, with xattrs) is a root tree too.
#[test]
fn root_tree_from_a_tar_archive() {
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("root");
    rich_tree(&root);
    let tarball = work.path().join("root.tar.gz");
    run(Command::new("tar")
        .args(["--xattrs", "--xattrs-include=*", "--numeric-owner", "-czf"])
        .arg(&tarball)
        .arg("-C")
        .arg(&root)
        .arg("."));
    build_rich_and_compare(work.path(), "tar", &tarball, &root);
}

/// Run as an ordinary user (nobody, when the tests run as root), ingot needs no privilege at
/// all; by default (map-self) the user's own files become root's and every other owner is kept.
#[test]
fn unprivileged_build_maps_own_files_to_root_and_keeps_others() {
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("root");
    std::fs::create_dir_all(root.join("boot")).unwrap();
    std::fs::create_dir_all(root.join("home/user")).unwrap();
    std::fs::write(root.join("boot/vmlinuz"), b"k").unwrap();
    std::fs::write(root.join("home/user/notes"), b"mine").unwrap();
    std::fs::write(root.join("home/user/theirs"), b"someone else's").unwrap();
    let img = work.path().join("u.img");
    let mut cmd = ingot();
    cmd.args([
        "build",
        &fixture("os-efi.scm"),
        "-t",
        "efi-raw",
        "--root-tree",
        s(&root),
        "-o",
        s(&img),
    ]);
    // SAFETY: geteuid has no side effects.
    let as_root = unsafe { libc::geteuid() } == 0;
    if as_root {
        run(Command::new("chown")
            .args(["-R", "65534:65534"])
            .arg(work.path()));
        // A file the user cannot have made: its owner is meant, and kept.
        run(Command::new("chown")
            .args(["1234:42"])
            .arg(root.join("home/user/theirs")));
        use std::os::unix::process::CommandExt;
        cmd.uid(65534).gid(65534);
        cmd.env("STEEL_HOME", work.path().join("steel"));
    }
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    if as_root {
        // The rewrite is said once, with the rule.
        assert_eq!(stderr.matches("owners of").count(), 1, "{stderr}");
        assert!(stderr.contains("map-self"), "{stderr}");
    }
    let plan = show_json(&[
        &fixture("os-efi.scm"),
        "-t",
        "efi-raw",
        "--root-tree",
        s(&root),
    ]);
    let rp = root_partition(&plan);
    let fs = extract(
        &img,
        rp["offset"].as_u64().unwrap(),
        rp["size"].as_u64().unwrap(),
    );
    e2fsck_clean(fs.path());
    let stat = run(Command::new("debugfs")
        .arg("-R")
        .arg("stat /home/user/notes")
        .arg(fs.path()));
    assert!(stat.contains("User:     0   Group:     0"), "{stat}");
    if as_root {
        let stat = run(Command::new("debugfs")
            .arg("-R")
            .arg("stat /home/user/theirs")
            .arg(fs.path()));
        assert!(stat.contains("User:  1234   Group:    42"), "{stat}");
    }
}

#[test]
fn same_inputs_same_bytes_and_seed_changes_ids() {
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("root");
    rich_tree(&root);
    let copy = work.path().join("copy");
    run(Command::new("cp").arg("-a").arg(&root).arg(&copy));
    // Different atimes/ctimes and inode numbers in the copy must not matter.
    let def = fixture("os-efi.scm");
    let build_one = |tree: &Path, out: &str, seed: Option<&str>| {
        let out = work.path().join(out);
        let mut cmd = ingot();
        cmd.args([
            "build",
            &def,
            "-t",
            "efi-raw",
            "--root-tree",
            s(tree),
            "-o",
            s(&out),
        ]);
        cmd.env("SOURCE_DATE_EPOCH", "1700000000");
        if let Some(seed) = seed {
            cmd.args(["--seed", seed]);
        }
        run(&mut cmd);
        std::fs::read(out).unwrap()
    };
    // The fixture has no kernel in the tree: give one.
    std::fs::create_dir_all(root.join("boot")).unwrap();
    std::fs::write(root.join("boot/vmlinuz"), b"not really a kernel").unwrap();
    std::fs::create_dir_all(copy.join("boot")).unwrap();
    std::fs::write(copy.join("boot/vmlinuz"), b"not really a kernel").unwrap();
    run(Command::new("touch")
        .args(["-r"])
        .arg(root.join("boot/vmlinuz"))
        .arg(copy.join("boot/vmlinuz")));
    run(Command::new("touch")
        .args(["-r"])
        .arg(root.join("boot"))
        .arg(copy.join("boot")));
    let a = build_one(&root, "a.img", None);
    let b = build_one(&copy, "b.img", None);
    assert!(a == b, "two builds from equal trees differ");
    let c = build_one(&root, "c.img", Some("another seed"));
    assert!(a != c, "the seed changed nothing");
    // Sparse: far fewer blocks allocated than the apparent size.
    use std::os::unix::fs::MetadataExt;
    let md = std::fs::metadata(work.path().join("a.img")).unwrap();
    assert!(
        md.blocks() * 512 < md.len() / 2,
        "not sparse: {} of {}",
        md.blocks() * 512,
        md.len()
    );
}

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect()
}

#[test]
fn failed_builds_leave_nothing_behind() {
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let img = out.join("x.img");
    let def = fixture("os-bios.scm");
    // `ingot build DEF -t mbr-raw --root-tree TREE -o IMG EXTRA…`
    let build = |tree: &Path, extra: &[&str]| {
        let mut cmd = ingot();
        cmd.args([
            "build",
            &def,
            "-t",
            "mbr-raw",
            "--root-tree",
            s(tree),
            "-o",
            s(&img),
        ]);
        cmd.args(extra);
        cmd
    };
    let fails = |mut cmd: Command| {
        let o = cmd.output().unwrap();
        assert!(!o.status.success(), "{cmd:?} should have failed");
        String::from_utf8_lossy(&o.stderr).into_owned()
    };

    // A root tree that does not exist.
    let err = fails(build(Path::new("/nonexistent/tree"), &[]));
    assert!(err.contains("/nonexistent/tree"), "{err}");

    // A fixed size too small for the content.
    let root = work.path().join("root");
    std::fs::create_dir_all(root.join("boot")).unwrap();
    std::fs::write(root.join("boot/vmlinuz"), vec![1u8; 3 << 20]).unwrap();
    let err = fails(build(&root, &["--image-size", "1M"]));
    assert!(err.contains("at least"), "{err}");

    // GRUB missing: a PATH without grub-mkimage.
    let mut cmd = build(&root, &[]);
    cmd.env("PATH", "/nonexistent");
    let err = fails(cmd);
    assert!(
        err.contains("grub-common") || err.contains("grub-pc-bin"),
        "{err}"
    );

    // The disk fills up: a file size limit makes writes fail with EFBIG.
    let mut cmd = build(&root, &[]);
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        use std::os::unix::process::CommandExt;
        cmd.pre_exec(|| {
            let lim = libc::rlimit {
                rlim_cur: 2 << 20,
                rlim_max: 2 << 20,
            };
            libc::setrlimit(libc::RLIMIT_FSIZE, &lim);
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            Ok(())
        });
    }
    fails(cmd);

    assert!(!img.exists(), "a failed build left {}", img.display());
    assert_eq!(leftovers(&out), Vec::<String>::new());
}

#[test]
fn interrupted_build_leaves_nothing_behind() {
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("root");
    std::fs::create_dir_all(root.join("boot")).unwrap();
    std::fs::write(root.join("boot/vmlinuz"), b"k").unwrap();
    // Enough data that the build is still running when the signal comes.
    for i in 0..40 {
        std::fs::write(root.join(format!("blob{i}")), vec![i as u8 + 1; 8 << 20]).unwrap();
    }
    let out = work.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let img = out.join("x.img");
    let mut child = ingot()
        .args([
            "build",
            &fixture("os-bios.scm"),
            "-t",
            "mbr-raw",
            "--root-tree",
            s(&root),
            "-o",
            s(&img),
        ])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the scratch directory exists: the build has started writing.
    let start = std::time::Instant::now();
    while leftovers(&out).is_empty() && start.elapsed().as_secs() < 30 {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    unsafe {
        libc::kill(child.id() as i32, libc::SIGINT);
    }
    let status = child.wait().unwrap();
    assert!(!status.success());
    assert!(!img.exists());
    assert_eq!(leftovers(&out), Vec::<String>::new());
}
