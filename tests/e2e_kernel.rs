//! Which kernel and initrd an image boots, seen through `ingot show --json` and the build's
//! summary: a path is the root tree's first (even when the build host has the same path), the
//! newest /boot kernel by version order, and only its own initrd.

mod common;

use std::path::Path;

use common::ingot::{ingot_ok, show_json};
use common::Kernel;

fn os(kernel: Option<&str>, initrd: Option<&str>) -> String {
    let field =
        |name: &str, v: Option<&str>| v.map(|p| format!("({name} \"{p}\")")).unwrap_or_default();
    format!(
        "(operating-system (host-name \"k\") {} {} \
         (bootloader (bootloader-configuration (bootloader grub-efi-bootloader))) \
         (file-systems %base-file-systems))",
        field("kernel", kernel),
        field("initrd", initrd)
    )
}

fn show(tree: &Path, expr: &str) -> serde_json::Value {
    show_json(&[
        "-t",
        "efi-raw",
        "--root-tree",
        tree.to_str().unwrap(),
        "-e",
        expr,
    ])
}

fn write(root: &Path, rel: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, rel.as_bytes()).unwrap();
}

#[test]
fn the_trees_kernel_even_where_the_host_has_the_same_path() {
    // The build host's own kernel: its path, made to exist in the tree too.
    let host = Kernel::find();
    let host_name = host
        .vmlinuz
        .file_name()
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let version = host_name.strip_prefix("vmlinuz-").unwrap().to_string();
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("root");
    write(&root, &format!("boot/{host_name}"));
    write(&root, &format!("boot/initrd.img-{version}"));
    std::os::unix::fs::symlink(format!("boot/{host_name}"), root.join("vmlinuz")).unwrap();
    std::os::unix::fs::symlink(
        format!("boot/initrd.img-{version}"),
        root.join("initrd.img"),
    )
    .unwrap();

    let host_path = host.vmlinuz.to_str().unwrap();
    for kernel in ["/vmlinuz", host_path] {
        let plan = show(&root, &os(Some(kernel), Some("/initrd.img")));
        assert_eq!(plan["kernel"]["from"], "root-tree", "{kernel}: {plan:#}");
        assert_eq!(plan["kernel"]["path"], format!("/boot/{host_name}"));
        assert_eq!(
            plan["initrd"]["path"],
            format!("/boot/initrd.img-{version}")
        );
    }

    // A tree without it: the host's file, and the build says so.
    let bare = work.path().join("bare");
    write(&bare, "etc/motd");
    let plan = show(&bare, &os(Some(host_path), None));
    assert_eq!(plan["kernel"]["from"], "host", "{plan:#}");
    assert_eq!(plan["kernel"]["host_path"], host_path);
    let built = common::ingot::ingot()
        .args(["build", "-t", "efi-raw", "--root-tree"])
        .arg(&bare)
        .arg("-e")
        .arg(os(Some(host_path), None))
        .arg("-o")
        .arg(work.path().join("h.img"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&built.stderr);
    assert!(built.status.success(), "{stderr}");
    assert!(
        stderr.contains(&format!("kernel: host file {host_path}")),
        "{stderr}"
    );
}

#[test]
fn the_newest_kernel_and_only_its_initrd() {
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("root");
    for v in ["6.1.0-9-amd64", "6.1.0-10-amd64"] {
        write(&root, &format!("boot/vmlinuz-{v}"));
    }
    write(&root, "boot/initrd.img-6.1.0-9-amd64");
    let plan = show(&root, &os(None, None));
    assert_eq!(
        plan["kernel"]["path"], "/boot/vmlinuz-6.1.0-10-amd64",
        "{plan:#}"
    );
    assert_eq!(plan["initrd"], serde_json::Value::Null, "{plan:#}");
    let table = ingot_ok(&[
        "show",
        "-t",
        "efi-raw",
        "--root-tree",
        root.to_str().unwrap(),
        "-e",
        &os(None, None),
    ]);
    assert!(
        table.contains("initrd: none (no /boot/initrd.img-6.1.0-10-amd64"),
        "{table}"
    );
    write(&root, "boot/initrd.img-6.1.0-10-amd64");
    let plan = show(&root, &os(None, None));
    assert_eq!(plan["initrd"]["path"], "/boot/initrd.img-6.1.0-10-amd64");
}
