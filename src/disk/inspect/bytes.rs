//! Bounds-checked reads: every offset comes from the file being inspected, so every sum is
//! checked and every field access may find the buffer too short.

use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;

/// Up to `len` bytes at `offset` (fewer at the end of the file; none past it or when the
/// offset overflows).
pub fn read(file: &File, offset: u64, len: usize) -> io::Result<Vec<u8>> {
    let mut buf = vec![0u8; len];
    let mut done = 0;
    while done < len {
        let Some(at) = offset.checked_add(done as u64) else {
            break;
        };
        let n = file.read_at(&mut buf[done..], at)?;
        if n == 0 {
            break;
        }
        done += n;
    }
    buf.truncate(done);
    Ok(buf)
}

pub fn field(b: &[u8], at: usize, len: usize) -> Option<&[u8]> {
    b.get(at..at.checked_add(len)?)
}

pub fn le16(b: &[u8], at: usize) -> Option<u64> {
    let f = field(b, at, 2)?;
    Some(u16::from_le_bytes([f[0], f[1]]) as u64)
}

pub fn le32(b: &[u8], at: usize) -> Option<u64> {
    let f = field(b, at, 4)?;
    Some(u32::from_le_bytes([f[0], f[1], f[2], f[3]]) as u64)
}

pub fn le64(b: &[u8], at: usize) -> Option<u64> {
    let mut x = [0u8; 8];
    x.copy_from_slice(field(b, at, 8)?);
    Some(u64::from_le_bytes(x))
}

pub fn be32(b: &[u8], at: usize) -> Option<u64> {
    let f = field(b, at, 4)?;
    Some(u32::from_be_bytes([f[0], f[1], f[2], f[3]]) as u64)
}

pub fn be64(b: &[u8], at: usize) -> Option<u64> {
    let mut x = [0u8; 8];
    x.copy_from_slice(field(b, at, 8)?);
    Some(u64::from_be_bytes(x))
}

/// A space- or NUL-padded text field, None when empty.
pub fn text(b: &[u8], at: usize, len: usize) -> Option<String> {
    let s = String::from_utf8_lossy(field(b, at, len)?)
        .trim_end_matches(['\0', ' '])
        .to_string();
    (!s.is_empty()).then_some(s)
}

/// `a * b`, None on overflow.
pub fn mul(a: u64, b: u64) -> Option<u64> {
    a.checked_mul(b)
}

/// Sizes for people: 321 MiB, 1.5 GiB, 9 B.
pub fn human(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["KiB", "MiB", "GiB", "TiB", "PiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if value.fract() == 0.0 {
        format!("{value} {}", UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_past_the_end_are_none() {
        let b = [1u8, 2, 3, 4, 5];
        assert_eq!(le32(&b, 0), Some(0x04030201));
        assert_eq!(le32(&b, 2), None);
        assert_eq!(le64(&b, usize::MAX - 2), None);
        assert_eq!(be32(&b, 1), Some(0x02030405));
        assert_eq!(text(b"AB  \0", 0, 5).as_deref(), Some("AB"));
        assert_eq!(text(b"   ", 0, 3), None);
    }

    #[test]
    fn human_sizes() {
        assert_eq!(human(9), "9 B");
        assert_eq!(human(336592896), "321 MiB");
        assert_eq!(human(3 << 29), "1.5 GiB");
        assert_eq!(human(1536), "1.5 KiB");
    }
}
