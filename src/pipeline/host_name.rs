//! The operating-system's host-name wins over the root tree's, as Guix's OS makes /etc/hostname
//! from it: /etc/hostname is written, and a 127.0.1.1 line of /etc/hosts (Debian's way of
//! resolving the own name) names it.

use std::io::Read;

use crate::content::{self, Node, NodeKind, Tree};

use super::BuildError;

/// A configuration file larger than this is not one ingot edits (it is left as it is).
const MAX_HOSTS: u64 = 1 << 20;

/// Writes `host` into the tree; returns notes for what it replaced.
pub fn apply(tree: &mut Tree, host: &str, timestamp: i64) -> Result<Vec<String>, BuildError> {
    let mut notes = Vec::new();
    let wanted = format!("{host}\n").into_bytes();
    let old = read_small(tree, "/etc/hostname")?;
    if old.as_deref() != Some(wanted.as_slice()) {
        let id = tree
            .add_bytes("/etc/hostname", wanted, 0o644)
            .map_err(|e| BuildError::Input(e.to_string()))?;
        tree.node_mut(id).meta.mtime = timestamp;
        if let Some(old) = old {
            notes.push(format!(
                "host-name {host:?} replaces the root tree's /etc/hostname ({:?})",
                String::from_utf8_lossy(&old).trim()
            ));
        }
    }
    if let Some(hosts) = read_small(tree, "/etc/hosts")? {
        if let Some(edited) = rename_loopback(&hosts, host) {
            let id = tree
                .lookup("/etc/hosts")
                .ok_or_else(|| BuildError::Input("/etc/hosts vanished".into()))?;
            let node = tree.node_mut(id);
            node.kind = NodeKind::File {
                size: edited.len() as u64,
                source: content::FileSource::Bytes(std::sync::Arc::new(edited)),
            };
            node.meta.mtime = timestamp;
            notes.push(format!(
                "host-name {host:?} replaces the name on the 127.0.1.1 line of the root tree's \
                 /etc/hosts"
            ));
        }
    }
    Ok(notes)
}

/// The bytes of a small regular file at `path` (not through a symlink), or None.
pub(super) fn read_small(tree: &Tree, path: &str) -> Result<Option<Vec<u8>>, BuildError> {
    let Some(id) = tree.lookup(path) else {
        return Ok(None);
    };
    let Node {
        kind: NodeKind::File { size, source },
        ..
    } = tree.node(id)
    else {
        return Ok(None);
    };
    if *size > MAX_HOSTS {
        return Ok(None);
    }
    let mut bytes = Vec::new();
    content::open_source(source, *size)
        .and_then(|mut r| r.read_to_end(&mut bytes))
        .map_err(|e| BuildError::io(format!("root tree {path}"), e))?;
    Ok(Some(bytes))
}

/// `hosts` with the names of its 127.0.1.1 lines replaced by `host`, or None when it has no
/// such line or already says so.
fn rename_loopback(hosts: &[u8], host: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(hosts.len() + host.len());
    let mut changed = false;
    for line in hosts.split_inclusive(|b| *b == b'\n') {
        let body = line.strip_suffix(b"\n").unwrap_or(line);
        let mut fields = body
            .split(|b| *b == b' ' || *b == b'\t')
            .filter(|f| !f.is_empty());
        if fields.next() == Some(b"127.0.1.1".as_slice()) {
            let names: Vec<&[u8]> = fields.take_while(|f| f.first() != Some(&b'#')).collect();
            if names != [host.as_bytes()] {
                changed = true;
                out.extend_from_slice(format!("127.0.1.1\t{host}").as_bytes());
                if line.ends_with(b"\n") {
                    out.push(b'\n');
                }
                continue;
            }
        }
        out.extend_from_slice(line);
    }
    changed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(tree: &Tree, path: &str) -> String {
        String::from_utf8(read_small(tree, path).unwrap().unwrap()).unwrap()
    }

    #[test]
    fn replaces_the_trees_name_and_says_so() {
        let mut t = Tree::new();
        t.add_bytes("/etc/hostname", b"debian-tree\n".to_vec(), 0o644)
            .unwrap();
        t.add_bytes(
            "/etc/hosts",
            b"127.0.0.1\tlocalhost\n127.0.1.1  debian-tree  # the tree's\n::1 localhost\n".to_vec(),
            0o644,
        )
        .unwrap();
        let notes = apply(&mut t, "box", 7).unwrap();
        assert_eq!(text(&t, "/etc/hostname"), "box\n");
        assert_eq!(
            text(&t, "/etc/hosts"),
            "127.0.0.1\tlocalhost\n127.0.1.1\tbox\n::1 localhost\n"
        );
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert!(notes[0].contains("(\"debian-tree\")"), "{notes:?}");
        let id = t.lookup("/etc/hosts").unwrap();
        assert_eq!(t.node(id).meta.mtime, 7);
        // Applying again changes nothing and says nothing.
        assert!(apply(&mut t, "box", 7).unwrap().is_empty());
    }

    #[test]
    fn a_tree_without_the_files() {
        let mut t = Tree::new();
        assert!(apply(&mut t, "box", 1).unwrap().is_empty());
        assert_eq!(text(&t, "/etc/hostname"), "box\n");
        assert!(t.lookup("/etc/hosts").is_none());
        // A hosts file with no 127.0.1.1 line is left alone.
        let hosts = b"127.0.0.1 localhost\n";
        assert_eq!(rename_loopback(hosts, "box"), None);
        assert_eq!(
            rename_loopback(b"127.0.1.1 old", "box").unwrap(),
            b"127.0.1.1\tbox"
        );
    }
}
