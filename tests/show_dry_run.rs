//! `ingot show` is a dry run: no kernel, firmware, root tree or GRUB needed, nothing run; what
//! build will need is one located warning each, and build refuses it before writing anything.

mod common;

use std::path::Path;

use common::ingot::{fixture, ingot};

fn run(args: &[&str], path: Option<&str>) -> (bool, String, String) {
    let mut cmd = ingot();
    cmd.args(args);
    if let Some(p) = path {
        cmd.env("PATH", p);
    }
    let out = cmd.output().expect("running ingot");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn root_with_kernel() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("boot")).unwrap();
    std::fs::write(dir.path().join("boot/vmlinuz-6.1"), b"kernel").unwrap();
    dir
}

#[test]
fn an_os_without_a_kernel_shows_its_layout_with_one_warning() {
    let os = fixture("os-efi.scm");
    let (ok, out, err) = run(&["show", "--json", &os, "-t", "efi-raw"], None);
    assert!(ok, "{err}");
    let plan: serde_json::Value = serde_json::from_str(&out).unwrap();
    let parts = plan["partitions"].as_array().unwrap();
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[0]["label"], "GNU-ESP");
    assert_eq!(parts[0]["size"], 40 * 1024 * 1024);
    let kernel: Vec<&str> = err.lines().filter(|l| l.contains("kernel")).collect();
    assert_eq!(kernel.len(), 1, "{err}");
    assert!(
        kernel[0].contains("os-efi.scm:2:1: the grub-efi-bootloader needs a kernel")
            && kernel[0].contains("no root tree given")
            && kernel[0].ends_with("build will need it"),
        "{err}"
    );
    assert!(
        err.contains("size 'guess: estimated, no root tree given"),
        "{err}"
    );
}

#[test]
fn build_refuses_the_same_os_located_before_writing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.img");
    let os = fixture("os-efi.scm");
    let (ok, _, err) = run(
        &["build", &os, "-t", "efi-raw", "-o", out.to_str().unwrap()],
        None,
    );
    assert!(!ok);
    assert!(
        err.contains("error: ")
            && err.contains("os-efi.scm:2:1: the grub-efi-bootloader needs a kernel"),
        "{err}"
    );
    assert!(!err.contains("build will need it"), "{err}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn show_runs_no_tool_but_build_does() {
    // With no PATH there is no grub-mkimage: show still prints the layout, build cannot.
    let empty = tempfile::tempdir().unwrap();
    let path = empty.path().to_str().unwrap();
    let root = root_with_kernel();
    let r = root.path().to_str().unwrap();
    for (os, ty) in [("os-efi.scm", "efi-raw"), ("os-bios.scm", "mbr-raw")] {
        let os = fixture(os);
        let (ok, out, err) = run(
            &["show", "--json", &os, "-t", ty, "--root-tree", r],
            Some(path),
        );
        assert!(ok, "{ty}: {err}");
        assert!(out.contains("\"partitions\""), "{out}");
        assert!(!err.contains("kernel"), "{err}");
        let dest = empty.path().join("x.img");
        let (ok, _, err) = run(
            &[
                "build",
                &os,
                "-t",
                ty,
                "--root-tree",
                r,
                "-o",
                dest.to_str().unwrap(),
            ],
            Some(path),
        );
        assert!(!ok && err.contains("grub-mkimage"), "{ty}: {err}");
        assert!(!dest.exists());
    }
}

#[test]
fn board_firmware_is_a_warning_in_show_and_an_error_in_build() {
    let os = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/guix/pine64.scm");
    let os = os.to_str().unwrap();
    let (ok, _, err) = run(&["show", os], None);
    assert!(ok, "{err}");
    let firmware: Vec<&str> = err.lines().filter(|l| l.contains("firmware")).collect();
    assert_eq!(firmware.len(), 1, "{err}");
    assert!(firmware[0].contains("u-boot-sunxi-with-spl.bin"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let root = root_with_kernel();
    let dest = dir.path().join("p.img");
    let (ok, _, err) = run(
        &[
            "build",
            os,
            "--root-tree",
            root.path().to_str().unwrap(),
            "-o",
            dest.to_str().unwrap(),
        ],
        None,
    );
    assert!(
        !ok && err
            .contains("pine64.scm:20:3: firmware file \"u-boot-sunxi-with-spl.bin\" not found"),
        "{err}"
    );
    assert!(!dest.exists());
}

#[test]
fn a_hurd_ext2_root_shows_with_a_warning_and_build_refuses_it_before_writing() {
    let os = fixture("os-hurd.scm");
    let root = root_with_kernel();
    let root = root.path().to_str().unwrap();
    let (ok, out, err) = run(&["show", &os, "-t", "hurd-raw", "--root-tree", root], None);
    assert!(ok, "{err}");
    assert!(out.contains("mica-root"), "{out}");
    let hurd: Vec<&str> = err.lines().filter(|l| l.contains("-o hurd")).collect();
    assert_eq!(hurd.len(), 1, "{err}");
    assert!(
        hurd[0].contains("os-hurd.scm:2:1: partition 1 (mica-root)")
            && hurd[0].ends_with("build will refuse it"),
        "{err}"
    );
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("h.img");
    let (ok, _, err) = run(
        &[
            "build",
            &os,
            "-t",
            "hurd-raw",
            "--root-tree",
            root,
            "-o",
            dest.to_str().unwrap(),
        ],
        None,
    );
    assert!(
        !ok && err
            .contains("os-hurd.scm:2:1: partition 1 (mica-root): file-system option `-o hurd`"),
        "{err}"
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

/// A config that prints notes, as Guix configs do, to the output port and to the error port:
/// `show --json` still writes nothing but the JSON plan on stdout; the notes go to stderr, in
/// order, and ingot's first warning starts a line of its own. `format` to a port prints there
/// too, and a port that is no port is Guile's error.
#[test]
fn what_a_config_prints_never_mixes_with_the_json_plan() {
    let dir = tempfile::tempdir().unwrap();
    let os = dir.path().join("chatty.scm");
    let text = std::fs::read_to_string(fixture("os-efi.scm")).unwrap();
    std::fs::write(
        &os,
        format!(
            "(display \"one\")\n(newline)\n(display \"two\" (current-output-port))\n\
             (newline (current-error-port))\n(write \"three\" (current-error-port))\n\
             (format #t \"~%four ~a\" 4)\n(format (current-error-port) \"~%five~%\")\n(display 6)\n{text}"
        ),
    )
    .unwrap();
    let (ok, out, err) = run(&["show", "--json", os.to_str().unwrap()], None);
    assert!(ok, "{err}");
    let plan: serde_json::Value = serde_json::from_str(&out).expect("stdout is the JSON plan");
    assert_eq!(plan["partitions"].as_array().map(Vec::len), Some(2));
    assert!(
        err.starts_with("one\ntwo\n\"three\"\nfour 4\nfive\n6\nwarning: "),
        "{err}"
    );

    std::fs::write(&os, format!("(display \"x\" \"port\")\n{text}")).unwrap();
    let (ok, out, err) = run(&["show", "--json", os.to_str().unwrap()], None);
    assert!(!ok && out.is_empty(), "{out}");
    assert!(
        err.contains("chatty.scm:1:1: display: expected an output port such as (current-error-port), got \"port\""),
        "{err}"
    );
}

#[test]
fn the_first_of_two_root_file_systems_names_the_root_partition() {
    let os = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/guix/two-roots.scm");
    let (ok, out, err) = run(&["show", "--json", os.to_str().unwrap()], None);
    assert!(ok, "{err}");
    let plan: serde_json::Value = serde_json::from_str(&out).unwrap();
    let labels: Vec<&str> = plan["partitions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["label"].as_str())
        .collect();
    assert_eq!(labels, ["GNU-ESP", "first"]);
    assert!(
        err.contains("two-roots.scm:9:24: file-system: a second file system on \"/\""),
        "{err}"
    );
}

/// What build refuses about a label, show refuses too, located where the label was written:
/// a GPT partition name over 36 UTF-16 units (the partition form), an ext4 label over 16
/// bytes given by the operating system's root file system (its form).
#[test]
fn show_refuses_the_labels_build_refuses_located_where_they_were_written() {
    let dir = tempfile::tempdir().unwrap();
    let gpt = dir.path().join("gpt-name.scm");
    std::fs::write(
        &gpt,
        "(use-modules (gnu image) (gnu system image))\n\
         (image-without-os (format 'disk-image) (partition-table-type 'gpt)\n  \
         (partitions (list (partition (size (* 1 (expt 2 20)))\n    \
         (label \"a-gpt-partition-name-of-37-code-units\") (file-system \"unformatted\")))))\n",
    )
    .unwrap();
    let os = dir.path().join("ext4-label.scm");
    std::fs::write(
        &os,
        "(use-modules (gnu))\n\
         (operating-system (host-name \"h\")\n  \
         (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '(\"/dev/sda\"))))\n  \
         (file-systems (cons (file-system (device (file-system-label \"label-of-17-bytes\"))\n    \
         (mount-point \"/\") (type \"ext4\")) %base-file-systems)))\n",
    )
    .unwrap();
    for (file, want) in [
        (
            &gpt,
            "gpt-name.scm:3:21: partition 1 (a-gpt-partition-name-of-37-code-units): name \
             \"a-gpt-partition-name-of-37-code-units\" is 37 UTF-16 code units, GPT allows 36: \
             shorten it",
        ),
        (
            &os,
            "ext4-label.scm:4:23: partition 2 (label-of-17-bytes): label \"label-of-17-bytes\" \
             is 17 bytes; ext4 labels hold at most 16",
        ),
    ] {
        let file = file.to_str().unwrap();
        let (ok, _, err) = run(&["show", file], None);
        assert!(!ok && err.contains(want), "{err}");
        let root = root_with_kernel();
        let out = dir.path().join("x.img");
        let (ok, _, err) = run(
            &[
                "build",
                file,
                "--root-tree",
                root.path().to_str().unwrap(),
                "-o",
                out.to_str().unwrap(),
            ],
            None,
        );
        assert!(!ok && err.contains(want), "{err}");
        assert!(!out.exists());
    }
}

/// The kernel warning names the kernel package the definition gave (ingot builds none), and
/// says a Hurd kernel is the Hurd, not Guix's default linux-libre.
#[test]
fn the_kernel_warning_names_the_package_given() {
    let os = |kernel: &str| {
        format!(
            "(operating-system (host-name \"h\") (kernel {kernel}) \
             (bootloader (bootloader-configuration (bootloader grub-bootloader))) \
             (file-systems (list (file-system (device (file-system-label \"r\")) \
             (mount-point \"/\") (type \"ext4\")))))"
        )
    };
    let needs = |err: &str| {
        err.lines()
            .find(|l| l.contains("needs a kernel"))
            .unwrap_or_else(|| panic!("{err}"))
            .to_string()
    };
    let (ok, _, err) = run(&["show", "-e", &os("linux-libre-lts")], None);
    assert!(ok, "{err}");
    let line = needs(&err);
    assert!(
        line.contains("its kernel linux-libre-lts is a package ingot does not build")
            && !line.contains("default linux-libre"),
        "{line}"
    );
    // `hurd` of (gnu packages hurd), which the prelude binds to Guix 1.3's platform.
    let (ok, _, err) = run(&["show", "-e", &os("hurd")], None);
    assert!(ok, "{err}");
    assert!(err.contains("ignored: kernel hurd ("), "{err}");
    assert!(
        needs(&err).contains("its kernel hurd is the Hurd, which ingot neither builds nor boots"),
        "{err}"
    );
}

/// The summary line of a kernel field ingot cannot use says what the field gave, as the
/// warning does: "no kernel field" is only for an OS without one.
#[test]
fn the_kernel_summary_line_says_what_the_kernel_field_gave() {
    let os = |kernel: &str| {
        format!(
            "(operating-system (host-name \"h\") {kernel} \
             (bootloader (bootloader-configuration (bootloader grub-bootloader))) \
             (file-systems (list (file-system (device (file-system-label \"r\")) \
             (mount-point \"/\") (type \"ext4\")))))"
        )
    };
    let summary = |kernel: &str| {
        let (ok, out, err) = run(&["show", "-e", &os(kernel)], None);
        assert!(ok, "{err}");
        out.lines()
            .find(|l| l.starts_with("kernel: "))
            .unwrap_or_else(|| panic!("{out}"))
            .to_string()
    };
    assert_eq!(
        summary("(kernel linux)"),
        "kernel: none found (the kernel field names linux, a package ingot does not build, \
         and no root tree is given)"
    );
    assert_eq!(
        summary("(kernel \"/boot/bzImage-test\")"),
        "kernel: none found (the kernel field's /boot/bzImage-test is neither a host file nor \
         in the root tree)"
    );
    assert_eq!(
        summary(""),
        "kernel: none found (no kernel field and no /boot/vmlinuz-* in the root tree)"
    );
}

/// show prints the bootloader the definition names: grub-minimal-bootloader installs the same
/// i386-pc GRUB as grub-bootloader, but it is not what the user wrote.
#[test]
fn show_prints_the_bootloader_name_written() {
    let os = "(operating-system (host-name \"h\") \
              (bootloader (bootloader-configuration (bootloader grub-minimal-bootloader))) \
              (file-systems (list (file-system (device (file-system-label \"r\")) \
              (mount-point \"/\") (type \"ext4\")))))";
    let (ok, out, err) = run(&["show", "-e", os], None);
    assert!(ok, "{err}");
    assert!(
        out.lines()
            .any(|l| l == "bootloader grub-minimal-bootloader"),
        "{out}"
    );
    let (ok, out, err) = run(&["show", "--json", "-e", os], None);
    assert!(ok, "{err}");
    let plan: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(plan["bootloader"], "grub-minimal-bootloader", "{out}");
}

/// A btrfs root in file-systems gets an ext4 root partition, as `guix system image` makes it:
/// said, located at the file-system form, since the definition reads otherwise.
#[test]
fn a_root_file_system_of_another_type_than_the_partition_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let os = dir.path().join("btrfs-root.scm");
    std::fs::write(
        &os,
        "(operating-system (host-name \"b\")\n  (bootloader (bootloader-configuration \
         (bootloader grub-bootloader) (targets '(\"/dev/vda\"))))\n  (file-systems (cons \
         (file-system (mount-point \"/\") (device (file-system-label \"r\")) (type \"btrfs\"))\n\
         \x20   %base-file-systems)))\n",
    )
    .unwrap();
    let (ok, out, err) = run(&["show", "--json", os.to_str().unwrap()], None);
    assert!(ok, "{err}");
    let plan: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(plan["partitions"][1]["file_system"], "ext4", "{out}");
    assert!(
        err.contains(
            "btrfs-root.scm:3:23: the root file system is \"btrfs\", but the image's root \
             partition (r) is made as ext4"
        ),
        "{err}"
    );
    // The same OS with an ext4 root: no such warning.
    std::fs::write(
        &os,
        std::fs::read_to_string(&os)
            .unwrap()
            .replace("btrfs", "ext4"),
    )
    .unwrap();
    let (ok, _, err) = run(&["show", os.to_str().unwrap()], None);
    assert!(ok && !err.contains("the root file system is"), "{err}");
}

/// An ESP mounted on "/boot/efi/" is the ESP of targets "/boot/efi/": it gets the ESP's FAT
/// serial from its uuid, as on "/boot/efi" (it was refused as "not the ESP").
#[test]
fn an_esp_mount_point_with_a_trailing_slash_is_the_esp() {
    let os = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/guix/esp-mount-trailing-slash.scm");
    let (ok, out, err) = run(&["show", "--json", os.to_str().unwrap()], None);
    assert!(ok, "{err}");
    let plan: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(plan["partitions"][0]["label"], "GNU-ESP", "{out}");
    assert_eq!(plan["partitions"][0]["fat_serial"], "1234-ABCD", "{out}");
}
