//! xattrs and POSIX ACLs in an ISO (Rock Ridge AAIP), read back by xorriso with
//! `-xattr any -acl on`: what the tree holds is what xorriso sees, and an image of a tree
//! without xattrs carries no AAIP at all.

mod format_util;

use std::fs::File;
use std::path::Path;
use std::process::Command;

use format_util::stdout;
use ingot::content::Tree;
use ingot::fs::iso::{check_library, write_iso, IsoParams};

fn params() -> IsoParams {
    IsoParams::data("AAIP", 1_700_000_000)
}

/// Linux's binary ACL xattr value: version 2, then (tag, perm, id) entries.
fn acl(entries: &[(u16, u16, u32)]) -> Vec<u8> {
    let mut v = 2u32.to_le_bytes().to_vec();
    for (tag, perm, id) in entries {
        v.extend_from_slice(&tag.to_le_bytes());
        v.extend_from_slice(&perm.to_le_bytes());
        v.extend_from_slice(&id.to_le_bytes());
    }
    v
}

fn xorriso(iso: &Path, args: &[&str]) -> String {
    stdout(
        Command::new("xorriso")
            .args(["-acl", "on", "-xattr", "any", "-indev"])
            .arg(iso)
            .args(args),
    )
}

#[test]
fn xattrs_and_acls_reach_rock_ridge() {
    check_library().expect("libisofs6 is installed by scripts/install-deps.sh");
    let mut tree = Tree::new();
    let ping = tree
        .add_bytes("/usr/bin/ping", b"elf".to_vec(), 0o755)
        .unwrap();
    // cap_net_raw=ep as setcap writes it (VFS_CAP_REVISION_2).
    let cap = [
        1, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ];
    tree.node_mut(ping).meta.xattrs = vec![
        (b"security.capability".to_vec(), cap.to_vec()),
        (b"user.note".to_vec(), b"hello".to_vec()),
    ];
    let journal = tree.mkdir_p("/var/log/journal").unwrap();
    let entries = [
        (0x01, 7, u32::MAX),
        (0x04, 5, u32::MAX),
        (0x08, 5, 4),
        (0x10, 5, u32::MAX),
        (0x20, 5, u32::MAX),
    ];
    tree.node_mut(journal).meta.mode = 0o2755;
    tree.node_mut(journal).meta.xattrs = vec![
        (b"system.posix_acl_access".to_vec(), acl(&entries)),
        (b"system.posix_acl_default".to_vec(), acl(&entries)),
    ];
    let dir = tempfile::tempdir().unwrap();
    let iso = dir.path().join("a.iso");
    write_iso(&File::create(&iso).unwrap(), &tree, &params()).unwrap();

    let attrs = xorriso(&iso, &["-getfattr", "/usr/bin/ping", "--"]);
    assert!(
        attrs.contains(r#"security.capability="\001\000\000\002\000\040\000"#),
        "{attrs}"
    );
    assert!(attrs.contains(r#"user.note="hello""#), "{attrs}");
    let facl = xorriso(&iso, &["-getfacl", "/var/log/journal", "--"]);
    for line in [
        "user::rwx",
        "group::r-x",
        "mask::r-x",
        "other::r-x",
        "default:mask::r-x",
    ] {
        assert!(facl.lines().any(|l| l == line), "{line}: {facl}");
    }
    assert!(
        facl.lines()
            .any(|l| l.starts_with("group:") && l.ends_with(":r-x") && l != "group::r-x"),
        "{facl}"
    );

    // No xattrs: no AAIP, so images of plain trees are what they were.
    let plain = dir.path().join("p.iso");
    let mut bare = Tree::new();
    bare.add_bytes("/f", b"x".to_vec(), 0o644).unwrap();
    write_iso(&File::create(&plain).unwrap(), &bare, &params()).unwrap();
    let bytes = std::fs::read(&plain).unwrap();
    let at: Vec<usize> = (0..bytes.len().saturating_sub(9))
        .filter(|i| &bytes[*i..*i + 9] == b"AAIP_0200")
        .collect();
    assert!(
        at.is_empty(),
        "AAIP signature in a plain tree's ISO at {at:?}"
    );
    let bytes = std::fs::read(&iso).unwrap();
    assert!(
        bytes.windows(9).any(|w| w == b"AAIP_0200"),
        "no AAIP signature"
    );
}
