//! 128-bit identifiers: file system UUIDs, GPT GUIDs. Kept as the canonical text byte order
//! (RFC 4122); GPT's mixed-endian on-disk form is produced by the writers.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Uuid(pub [u8; 16]);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("invalid UUID {0:?}: expected 8-4-4-4-12 hexadecimal digits")]
pub struct UuidError(pub String);

impl Uuid {
    /// The hyphenated 8-4-4-4-12 form only (the `uuid` crate also takes others Guix does not).
    pub fn parse(s: &str) -> Result<Self, UuidError> {
        let groups: Vec<usize> = s.split('-').map(str::len).collect();
        if groups != [8, 4, 4, 4, 12] {
            return Err(UuidError(s.to_string()));
        }
        uuid::Uuid::try_parse(s)
            .map(|u| Uuid(u.into_bytes()))
            .map_err(|_| UuidError(s.to_string()))
    }

    /// A version-4-shaped UUID from 16 bytes of a hash (deterministic, never random).
    pub fn from_hash_bytes(bytes: &[u8]) -> Self {
        let mut out = [0u8; 16];
        out.copy_from_slice(&bytes[..16]);
        Uuid(
            uuid::Builder::from_random_bytes(out)
                .into_uuid()
                .into_bytes(),
        )
    }

    /// The on-disk GPT form: the first three fields little-endian.
    pub fn to_gpt_bytes(self) -> [u8; 16] {
        uuid::Uuid::from_bytes(self.0).to_bytes_le()
    }

    pub fn to_upper_string(self) -> String {
        self.to_string().to_uppercase()
    }
}

impl fmt::Display for Uuid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&uuid::Uuid::from_bytes(self.0).hyphenated(), f)
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
