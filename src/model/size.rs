//! Sizes as Guix writes them: a byte count or `'guess`; and the command line's size syntax.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SizeSpec {
    Guess,
    Bytes(u64),
}

impl fmt::Display for SizeSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SizeSpec::Guess => f.write_str("guess"),
            SizeSpec::Bytes(n) => write!(f, "{n}"),
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("invalid size {input:?}: {reason} (examples: 4096, 512K, 40MiB, 2G, 1GB)")]
pub struct SizeError {
    pub input: String,
    pub reason: &'static str,
}

/// Parses `--image-size` style sizes: `K`/`KiB`/`M`/`MiB`/`G`/`GiB`/`T`/`TiB` are powers of 2,
/// `kB`/`MB`/`GB`/`TB` powers of 10, no suffix means bytes (as `guix system image`).
pub fn parse_size(input: &str) -> Result<u64, SizeError> {
    let err = |reason| SizeError {
        input: input.to_string(),
        reason,
    };
    let s = input.trim();
    let digits_end = s
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(s.len());
    let (number, suffix) = s.split_at(digits_end);
    if number.is_empty() {
        return Err(err("no number"));
    }
    let multiplier: u64 = match suffix.trim() {
        "" | "B" => 1,
        "K" | "KiB" | "k" => 1 << 10,
        "M" | "MiB" => 1 << 20,
        "G" | "GiB" => 1 << 30,
        "T" | "TiB" => 1 << 40,
        "kB" | "KB" => 1_000,
        "MB" => 1_000_000,
        "GB" => 1_000_000_000,
        "TB" => 1_000_000_000_000,
        _ => return Err(err("unknown unit")),
    };
    if let Some((whole, frac)) = number.split_once('.') {
        let whole: u64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| err("bad number"))?
        };
        if frac.is_empty() || frac.contains('.') || frac.len() > 9 {
            return Err(err("bad number"));
        }
        let frac_value: u64 = frac.parse().map_err(|_| err("bad number"))?;
        let scale = 10u64.pow(frac.len() as u32);
        let whole_bytes = whole.checked_mul(multiplier).ok_or(err("too large"))?;
        let frac_bytes = (frac_value as u128 * multiplier as u128 / scale as u128) as u64;
        return whole_bytes.checked_add(frac_bytes).ok_or(err("too large"));
    }
    let n: u64 = number.parse().map_err(|_| err("bad number"))?;
    n.checked_mul(multiplier).ok_or(err("too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_and_decimal_units() {
        assert_eq!(parse_size("4096"), Ok(4096));
        assert_eq!(parse_size("512K"), Ok(512 * 1024));
        assert_eq!(parse_size("40MiB"), Ok(40 << 20));
        assert_eq!(parse_size("2G"), Ok(2 << 30));
        assert_eq!(parse_size("1GB"), Ok(1_000_000_000));
        assert_eq!(parse_size("3kB"), Ok(3000));
        assert_eq!(parse_size("1.5G"), Ok(3 << 29));
    }

    #[test]
    fn rejects_garbage() {
        assert!(parse_size("").is_err());
        assert!(parse_size("M").is_err());
        assert!(parse_size("12Q").is_err());
        assert!(parse_size("1.2.3M").is_err());
        assert!(parse_size("99999999999999999999").is_err());
    }
}
