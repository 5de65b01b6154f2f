//! 128-bit identifiers: file system UUIDs, GPT GUIDs. Kept as the canonical text byte order
//! (RFC 4122); GPT's mixed-endian on-disk form is produced by the writers.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Uuid(pub [u8; 16]);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("invalid UUID {0:?}: expected 8-4-4-4-12 hexadecimal digits")]
pub struct UuidError(pub String);

impl Uuid {
    pub fn parse(s: &str) -> Result<Self, UuidError> {
        let hex: Vec<u8> = s.bytes().filter(|b| *b != b'-').collect();
        let groups: Vec<usize> = s.split('-').map(str::len).collect();
        if hex.len() != 32 || groups != [8, 4, 4, 4, 12] {
            return Err(UuidError(s.to_string()));
        }
        let mut out = [0u8; 16];
        for (i, pair) in hex.chunks(2).enumerate() {
            let text = std::str::from_utf8(pair).map_err(|_| UuidError(s.to_string()))?;
            out[i] = u8::from_str_radix(text, 16).map_err(|_| UuidError(s.to_string()))?;
        }
        Ok(Uuid(out))
    }

    /// A version-4-shaped UUID from 16 bytes of a hash (deterministic, never random).
    pub fn from_hash_bytes(bytes: &[u8]) -> Self {
        let mut out = [0u8; 16];
        out.copy_from_slice(&bytes[..16]);
        out[6] = (out[6] & 0x0f) | 0x40;
        out[8] = (out[8] & 0x3f) | 0x80;
        Uuid(out)
    }

    /// The on-disk GPT form: the first three fields little-endian.
    pub fn to_gpt_bytes(self) -> [u8; 16] {
        let b = self.0;
        let mut out = b;
        out[0..4].copy_from_slice(&[b[3], b[2], b[1], b[0]]);
        out[4..6].copy_from_slice(&[b[5], b[4]]);
        out[6..8].copy_from_slice(&[b[7], b[6]]);
        out
    }

    pub fn to_upper_string(self) -> String {
        self.to_string().to_uppercase()
    }
}

impl fmt::Display for Uuid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b = &self.0;
        for (i, byte) in b.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                f.write_str("-")?;
            }
            write!(f, "{byte:02x}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_gpt_order() {
        let u = Uuid::parse("C12A7328-F81F-11D2-BA4B-00A0C93EC93B").unwrap();
        assert_eq!(u.to_string(), "c12a7328-f81f-11d2-ba4b-00a0c93ec93b");
        assert_eq!(
            u.to_gpt_bytes()[..8],
            [0x28, 0x73, 0x2a, 0xc1, 0x1f, 0xf8, 0xd2, 0x11]
        );
        assert!(Uuid::parse("c12a7328f81f11d2ba4b00a0c93ec93b").is_err());
        assert!(Uuid::parse("zz2a7328-f81f-11d2-ba4b-00a0c93ec93b").is_err());
    }
}
