//! Extended attributes and POSIX ACLs in Rock Ridge, through libisofs' AAIP (what xorriso
//! writes with `-xattr on -acl on` and restores when it extracts). ACLs arrive in the content
//! tree as Linux's `system.posix_acl_access` / `system.posix_acl_default` xattr values and go
//! to libisofs as the long text form of acl(5), which it encodes itself; every other xattr
//! (security.capability, user.*, trusted.*) is stored as it is.
//!
//! Linux's own iso9660 driver reads none of this: a system booted from the ISO sees no file
//! capabilities or ACLs. [`survey`] says so, so the build can warn.

use std::ffi::{c_char, CString};

use crate::content::{Meta, NodeKind, Tree, ROOT};

use super::ffi::{IsoNode, Lib};
use super::image::check_rc;
use super::IsoError;

const ACL_ACCESS: &[u8] = b"system.posix_acl_access";
const ACL_DEFAULT: &[u8] = b"system.posix_acl_default";
/// The only version of Linux's ACL xattr format.
const ACL_VERSION: u32 = 2;

/// Linux's binary ACL xattr value in acl(5)'s long text form, numeric qualifiers
/// ("user::rwx\nuser:1000:r-x\ngroup::r-x\nmask::r-x\nother::r--\n").
pub fn acl_text(value: &[u8]) -> Result<String, String> {
    let header = value.get(..4).ok_or("shorter than the 4-byte ACL header")?;
    let version = u32::from_le_bytes([header[0], header[1], header[2], header[3]]);
    if version != ACL_VERSION {
        return Err(format!("ACL version {version}, not {ACL_VERSION}"));
    }
    let entries = &value[4..];
    if !entries.len().is_multiple_of(8) {
        return Err("its entries are not 8 bytes each".into());
    }
    let mut text = String::new();
    for e in entries.chunks_exact(8) {
        let tag = u16::from_le_bytes([e[0], e[1]]);
        let perm = u16::from_le_bytes([e[2], e[3]]);
        let id = u32::from_le_bytes([e[4], e[5], e[6], e[7]]);
        let who = match tag {
            0x01 => "user:".to_string(),
            // libisofs takes a qualifier as a name first, then as a number; 0 it refuses.
            0x02 if id == 0 => return Err("a named entry for uid 0".into()),
            0x02 => format!("user:{id}"),
            0x04 => "group:".to_string(),
            0x08 if id == 0 => return Err("a named entry for gid 0".into()),
            0x08 => format!("group:{id}"),
            0x10 => "mask:".to_string(),
            0x20 => "other:".to_string(),
            other => return Err(format!("unknown ACL tag {other:#x}")),
        };
        let bit = |b: u16, c: char| if perm & b != 0 { c } else { '-' };
        text.push_str(&format!(
            "{who}:{}{}{}\n",
            bit(4, 'r'),
            bit(2, 'w'),
            bit(1, 'x')
        ));
    }
    Ok(text)
}

/// What the tree's xattrs become in the ISO.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Survey {
    /// Entries with xattrs or ACLs (each kept in AAIP).
    pub with_attributes: usize,
    /// Paths carrying security.capability (file capabilities a booted ISO loses).
    pub capabilities: Vec<String>,
    /// Paths with an ACL.
    pub acls: Vec<String>,
    /// (path, why) for what cannot be stored and is dropped.
    pub dropped: Vec<(String, String)>,
}

/// Walks the tree once; hard links count per entry.
pub fn survey(tree: &Tree) -> Survey {
    let mut out = Survey::default();
    let mut stack = vec![(ROOT, b"/".to_vec())];
    while let Some((id, path)) = stack.pop() {
        let meta = &tree.node(id).meta;
        if !meta.xattrs.is_empty() {
            let text = String::from_utf8_lossy(&path).into_owned();
            out.with_attributes += 1;
            for (name, value) in &meta.xattrs {
                if name == ACL_ACCESS || name == ACL_DEFAULT {
                    match acl_text(value) {
                        Ok(_) => out.acls.push(text.clone()),
                        Err(why) => out.dropped.push((
                            text.clone(),
                            format!("{}: {why}", String::from_utf8_lossy(name)),
                        )),
                    }
                } else if name == b"security.capability" {
                    out.capabilities.push(text.clone());
                }
            }
        }
        if let NodeKind::Dir(entries) = &tree.node(id).kind {
            for (name, child) in entries.iter().rev() {
                let mut child_path = path.clone();
                if child_path.len() > 1 {
                    child_path.push(b'/');
                }
                child_path.extend_from_slice(name);
                stack.push((*child, child_path));
            }
        }
    }
    out.acls.dedup();
    out
}

/// Gives `node` the xattrs and ACLs of `meta`; what `survey` reports as dropped is skipped.
///
/// # Safety
/// `node` must be a live node of an image.
pub unsafe fn apply(
    lib: &Lib,
    node: *mut IsoNode,
    meta: &Meta,
    path: &str,
) -> Result<(), IsoError> {
    if meta.xattrs.is_empty() {
        return Ok(());
    }
    let c = |bytes: &[u8]| {
        CString::new(bytes).map_err(|_| IsoError::Content {
            path: path.to_string(),
            reason: "an xattr name contains a NUL byte".into(),
        })
    };
    let mut names = Vec::new();
    let mut values: Vec<&[u8]> = Vec::new();
    let (mut access, mut default) = (None, None);
    for (name, value) in &meta.xattrs {
        if name == ACL_ACCESS {
            access = acl_text(value).ok().map(|t| c(t.as_bytes())).transpose()?;
        } else if name == ACL_DEFAULT {
            default = acl_text(value).ok().map(|t| c(t.as_bytes())).transpose()?;
        } else {
            names.push(c(name)?);
            values.push(value);
        }
    }
    if !names.is_empty() {
        let mut name_ptrs: Vec<*mut c_char> = names.iter().map(|n| n.as_ptr().cast_mut()).collect();
        let mut lengths: Vec<usize> = values.iter().map(|v| v.len()).collect();
        let mut value_ptrs: Vec<*mut c_char> = values
            .iter()
            .map(|v| v.as_ptr().cast::<c_char>().cast_mut())
            .collect();
        // bit3: names outside user.* too (security.capability); libisofs copies everything.
        let rc = (lib.iso_node_set_attrs)(
            node,
            names.len(),
            name_ptrs.as_mut_ptr(),
            lengths.as_mut_ptr(),
            value_ptrs.as_mut_ptr(),
            8,
        );
        check_rc(lib, rc, "iso_node_set_attrs", path)?;
    }
    if access.is_some() || default.is_some() {
        let ptr = |t: &Option<CString>| {
            t.as_ref()
                .map_or(std::ptr::null_mut(), |t| t.as_ptr().cast_mut())
        };
        // bit0: the tree's mode stays what it is (it already reflects the ACL's mask).
        let rc = (lib.iso_node_set_acl_text)(node, ptr(&access), ptr(&default), 1);
        check_rc(lib, rc, "iso_node_set_acl_text", path)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn acl(entries: &[(u16, u16, u32)]) -> Vec<u8> {
        let mut v = ACL_VERSION.to_le_bytes().to_vec();
        for (tag, perm, id) in entries {
            v.extend_from_slice(&tag.to_le_bytes());
            v.extend_from_slice(&perm.to_le_bytes());
            v.extend_from_slice(&id.to_le_bytes());
        }
        v
    }

    #[test]
    fn linux_acl_values_become_acl_text() {
        let value = acl(&[
            (0x01, 7, u32::MAX),
            (0x02, 5, 1000),
            (0x04, 5, u32::MAX),
            (0x08, 6, 42),
            (0x10, 7, u32::MAX),
            (0x20, 4, u32::MAX),
        ]);
        assert_eq!(
            acl_text(&value).unwrap(),
            "user::rwx\nuser:1000:r-x\ngroup::r-x\ngroup:42:rw-\nmask::rwx\nother::r--\n"
        );
        assert!(acl_text(&value[..5]).is_err());
        assert!(acl_text(&acl(&[(0x02, 7, 0)]))
            .unwrap_err()
            .contains("uid 0"));
        let mut v1 = value.clone();
        v1[0] = 1;
        assert!(acl_text(&v1).unwrap_err().contains("version 1"));
        assert!(acl_text(&acl(&[(0x40, 7, 0)])).is_err());
    }

    #[test]
    fn survey_names_capabilities_acls_and_drops() {
        let mut t = Tree::new();
        let ping = t
            .add_bytes("/usr/bin/ping", b"elf".to_vec(), 0o755)
            .unwrap();
        t.node_mut(ping).meta.xattrs = vec![(b"security.capability".to_vec(), vec![1, 2])];
        let dir = t.mkdir_p("/srv/shared").unwrap();
        t.node_mut(dir).meta.xattrs = vec![
            (
                ACL_ACCESS.to_vec(),
                acl(&[(0x01, 7, 0), (0x04, 5, 0), (0x20, 5, 0)]),
            ),
            (ACL_DEFAULT.to_vec(), acl(&[(0x02, 7, 0)])),
        ];
        let s = survey(&t);
        assert_eq!(s.with_attributes, 2);
        assert_eq!(s.capabilities, ["/usr/bin/ping"]);
        assert_eq!(s.acls, ["/srv/shared"]);
        assert_eq!(s.dropped.len(), 1);
        assert!(
            s.dropped[0].1.contains("posix_acl_default"),
            "{:?}",
            s.dropped
        );
    }
}
