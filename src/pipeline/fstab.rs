//! The root tree's /etc/fstab on an ISO. An ISO's root is its iso9660 volume, read-only; a
//! tree made for a disk says `/` is ext4 (often by a label the ISO upper-cases), so systemd's
//! remount-fs fails and the system comes up degraded. ingot makes the root line say what the
//! root is: `LABEL=VOLID / iso9660 ro 0 0`. The rest of the file is left as it is. The root
//! stays read-only, as a Guix ISO's store is; a distribution that wants a writable root on a
//! live medium brings its own overlay (Debian's live-boot).

use std::sync::Arc;

use crate::content::{FileSource, NodeKind, Tree};

use super::host_name::read_small;
use super::BuildError;

/// Rewrites the root line of /etc/fstab for an ISO with `volume_id`; returns a note when it did.
pub fn iso_root(
    tree: &mut Tree,
    volume_id: &str,
    timestamp: i64,
) -> Result<Option<String>, BuildError> {
    let Some(old) = read_small(tree, "/etc/fstab")? else {
        return Ok(None);
    };
    let wanted = format!("LABEL={volume_id} / iso9660 ro 0 0");
    let mut out = Vec::with_capacity(old.len() + wanted.len());
    let mut replaced = None;
    for line in old.split_inclusive(|b| *b == b'\n') {
        let body = line.strip_suffix(b"\n").unwrap_or(line);
        let fields: Vec<&[u8]> = body
            .split(|b| *b == b' ' || *b == b'\t')
            .filter(|f| !f.is_empty())
            .collect();
        let is_root = fields.len() >= 3 && !fields[0].starts_with(b"#") && fields[1] == b"/";
        if is_root && body != wanted.as_bytes() {
            replaced = Some(String::from_utf8_lossy(body).into_owned());
            out.extend_from_slice(wanted.as_bytes());
            out.push(b'\n');
            continue;
        }
        out.extend_from_slice(line);
    }
    let Some(was) = replaced else {
        return Ok(None);
    };
    let id = tree
        .lookup("/etc/fstab")
        .ok_or_else(|| BuildError::Input("/etc/fstab vanished".into()))?;
    let node = tree.node_mut(id);
    node.kind = NodeKind::File {
        size: out.len() as u64,
        source: FileSource::Bytes(Arc::new(out)),
    };
    node.meta.mtime = timestamp;
    Ok(Some(format!(
        "the ISO's root is its read-only iso9660 volume: the root tree's /etc/fstab line \
         {was:?} now reads {wanted:?}"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_line_says_iso9660_read_only() {
        let mut t = Tree::new();
        t.add_bytes(
            "/etc/fstab",
            b"# <fs> <mp> <type>\nLABEL=debian-root / ext4 defaults 0 1\nproc /proc proc defaults 0 0\n"
                .to_vec(),
            0o644,
        )
        .unwrap();
        let note = iso_root(&mut t, "DEBIAN-ROOT", 5).unwrap().unwrap();
        assert!(note.contains("LABEL=debian-root / ext4"), "{note}");
        let text = read_small(&t, "/etc/fstab").unwrap().unwrap();
        assert_eq!(
            String::from_utf8(text).unwrap(),
            "# <fs> <mp> <type>\nLABEL=DEBIAN-ROOT / iso9660 ro 0 0\nproc /proc proc defaults 0 0\n"
        );
        // Once right, nothing changes; no fstab or no root line: nothing either.
        assert_eq!(iso_root(&mut t, "DEBIAN-ROOT", 5).unwrap(), None);
        let mut t = Tree::new();
        assert_eq!(iso_root(&mut t, "X", 5).unwrap(), None);
        t.add_bytes(
            "/etc/fstab",
            b"# UNCONFIGURED FSTAB FOR BASE SYSTEM\n".to_vec(),
            0o644,
        )
        .unwrap();
        assert_eq!(iso_root(&mut t, "X", 5).unwrap(), None);
    }
}
