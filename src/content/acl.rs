//! POSIX ACLs: the text form tar archives carry (`SCHILY.acl.access`, as `acl_to_text` writes
//! it) to the binary value of the `system.posix_acl_access`/`_default` xattrs the kernel reads
//! (little-endian: a version word, then sorted {tag u16, perm u16, id u32} entries).

pub const ACCESS_XATTR: &str = "system.posix_acl_access";
pub const DEFAULT_XATTR: &str = "system.posix_acl_default";

const VERSION: u32 = 2;
const USER_OBJ: u16 = 0x01;
const USER: u16 = 0x02;
const GROUP_OBJ: u16 = 0x04;
const GROUP: u16 = 0x08;
const MASK: u16 = 0x10;
const OTHER: u16 = 0x20;
const UNDEFINED_ID: u32 = u32::MAX;

fn perms(text: &str) -> Result<u16, String> {
    let mut p = 0;
    for c in text.chars() {
        p |= match c {
            'r' => 4,
            'w' => 2,
            'x' => 1,
            '-' => 0,
            _ => return Err(format!("bad permissions {text:?}")),
        };
    }
    Ok(p)
}

/// Converts ACL text (entries separated by newlines or commas, `#` comments) to the binary
/// xattr value. Qualifiers must be numeric: a user or group name means the archive was made
/// with the builder's user database, which ingot does not consult.
pub fn from_text(text: &[u8]) -> Result<Vec<u8>, String> {
    let text = std::str::from_utf8(text).map_err(|_| "not text".to_string())?;
    let mut entries: Vec<(u16, u32, u16)> = Vec::new();
    for raw in text.split(['\n', ',']) {
        let entry = raw.split('#').next().unwrap_or("").trim();
        if entry.is_empty() {
            continue;
        }
        let mut fields = entry.split(':');
        let (tag, qualifier, perm) = match (fields.next(), fields.next(), fields.next()) {
            (Some(t), Some(q), Some(p)) => (t, q, p),
            _ => return Err(format!("bad entry {entry:?}")),
        };
        let named = !qualifier.is_empty();
        let tag = match (tag, named) {
            ("user" | "u", false) => USER_OBJ,
            ("user" | "u", true) => USER,
            ("group" | "g", false) => GROUP_OBJ,
            ("group" | "g", true) => GROUP,
            ("mask" | "m", _) => MASK,
            ("other" | "o", _) => OTHER,
            _ => return Err(format!("bad entry {entry:?}")),
        };
        let id = if tag == USER || tag == GROUP {
            // star appends the numeric id as a fourth field: user:name:r--:1000.
            let numeric = fields.next().unwrap_or(qualifier);
            numeric.parse::<u32>().map_err(|_| {
                format!(
                    "entry {entry:?} names {qualifier:?} instead of a number; make the archive \
                     with --xattrs too (GNU tar then stores the numeric ACL) or with numeric ids"
                )
            })?
        } else {
            UNDEFINED_ID
        };
        entries.push((tag, id, perms(perm)?));
    }
    entries.sort();
    entries.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
    let mut out = VERSION.to_le_bytes().to_vec();
    for (tag, id, perm) in entries {
        out.extend_from_slice(&tag.to_le_bytes());
        out.extend_from_slice(&perm.to_le_bytes());
        out.extend_from_slice(&id.to_le_bytes());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_to_kernel_format() {
        // What GNU tar 1.34 stored for setfacl -m u:1234:rw-,g:55:r-- (checked against the
        // SCHILY.xattr.system.posix_acl_access value it wrote beside it).
        let v = from_text(
            b"user::rw-\nuser:1234:rw-\ngroup::r--\ngroup:55:r--\nmask::rw-\nother::r--\n",
        )
        .unwrap();
        let expected: &[u8] = b"\x02\x00\x00\x00\x01\x00\x06\x00\xff\xff\xff\xff\x02\x00\x06\x00\xd2\x04\x00\x00\x04\x00\x04\x00\xff\xff\xff\xff\x08\x00\x04\x007\x00\x00\x00\x10\x00\x06\x00\xff\xff\xff\xff \x00\x04\x00\xff\xff\xff\xff";
        assert_eq!(v, expected);
        assert!(from_text(b"group:lp:r-x").unwrap_err().contains("lp"));
        assert!(from_text(b"user:joe:r--:1001,other::---").is_ok());
    }
}
