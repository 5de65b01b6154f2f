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

/// A user (`true`) or group name to its id, as `tar -x` resolves ACL names: in the user
/// database of the machine doing the extracting.
pub fn host_id(user: bool, name: &str) -> Option<u32> {
    let c = std::ffi::CString::new(name).ok()?;
    let mut buf = vec![0u8; 16384];
    // SAFETY: the out-structs and buffer are valid for the calls; the result pointer is only
    // read when non-null.
    unsafe {
        if user {
            let mut pw: libc::passwd = std::mem::zeroed();
            let mut out: *mut libc::passwd = std::ptr::null_mut();
            let rc = libc::getpwnam_r(
                c.as_ptr(),
                &mut pw,
                buf.as_mut_ptr().cast(),
                buf.len(),
                &mut out,
            );
            (rc == 0 && !out.is_null()).then_some(pw.pw_uid)
        } else {
            let mut gr: libc::group = std::mem::zeroed();
            let mut out: *mut libc::group = std::ptr::null_mut();
            let rc = libc::getgrnam_r(
                c.as_ptr(),
                &mut gr,
                buf.as_mut_ptr().cast(),
                buf.len(),
                &mut out,
            );
            (rc == 0 && !out.is_null()).then_some(gr.gr_gid)
        }
    }
}

/// Converts ACL text (entries separated by newlines or commas, `#` comments) to the binary
/// xattr value. A named qualifier (GNU tar writes names) is resolved with `resolve`.
pub fn from_text(
    text: &[u8],
    resolve: &dyn Fn(bool, &str) -> Option<u32>,
) -> Result<Vec<u8>, String> {
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
            match numeric.parse::<u32>() {
                Ok(id) => id,
                Err(_) => resolve(tag == USER, qualifier).ok_or_else(|| {
                    format!(
                        "entry {entry:?} names {qualifier:?}, which this machine does not \
                         know; make the archive with --xattrs too (GNU tar then stores the \
                         numeric ACL)"
                    )
                })?,
            }
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
        let none = |_: bool, _: &str| None;
        let v = from_text(
            b"user::rw-\nuser:1234:rw-\ngroup::r--\ngroup:55:r--\nmask::rw-\nother::r--\n",
            &none,
        )
        .unwrap();
        let expected: &[u8] = b"\x02\x00\x00\x00\x01\x00\x06\x00\xff\xff\xff\xff\x02\x00\x06\x00\xd2\x04\x00\x00\x04\x00\x04\x00\xff\xff\xff\xff\x08\x00\x04\x007\x00\x00\x00\x10\x00\x06\x00\xff\xff\xff\xff \x00\x04\x00\xff\xff\xff\xff";
        assert_eq!(v, expected);
        assert!(from_text(b"group:lp:r-x", &none)
            .unwrap_err()
            .contains("lp"));
        let lp = |user: bool, n: &str| (!user && n == "lp").then_some(7);
        assert!(from_text(b"group:lp:r-x", &lp).is_ok());
        assert!(from_text(b"user:joe:r--:1001,other::---", &none).is_ok());
    }
}
