//! FAT directory names: which names need a long (VFAT) name, the 8.3 short name each entry
//! gets, and the 32-byte entries that store both.
//!
//! A name is stored as a short name alone only when it already is one exactly (upper case
//! 8.3, e.g. `BOOTX64.EFI`); every other name gets long-name entries, which is what Linux,
//! GRUB and UEFI firmware read. Short names for those are generated in directory order
//! (sorted), as Windows does: the upper-cased name when only case differs, else a `~N` tail.

use std::collections::{HashMap, HashSet};

/// Characters a short name may hold besides A-Z and 0-9.
const SHORT_EXTRA: &[u8] = b"$%'-_@~`!(){}^#&";
/// Characters a long name may not hold (besides controls).
const LONG_FORBIDDEN: &[char] = &['"', '*', '/', ':', '<', '>', '?', '\\', '|'];
/// UTF-16 code units in one long-name entry.
const UNITS_PER_SLOT: usize = 13;
/// The longest long name.
const MAX_LONG_UNITS: usize = 255;

/// How one directory entry is named on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EntryName {
    pub short: [u8; 11],
    /// UTF-16 long name, when the name is not exactly `short`.
    pub long: Option<Vec<u16>>,
}

impl EntryName {
    /// 32-byte slots this entry takes: its long-name entries and the short entry.
    pub fn slots(&self) -> usize {
        1 + self
            .long
            .as_ref()
            .map_or(0, |l| l.len().div_ceil(UNITS_PER_SLOT))
    }
}

fn short_char(c: u8) -> bool {
    c.is_ascii_uppercase() || c.is_ascii_digit() || SHORT_EXTRA.contains(&c)
}

/// The 11-byte form of `name` when it is a valid upper-case 8.3 name.
fn exact_short(name: &str) -> Option<[u8; 11]> {
    let (base, ext) = match name.split_once('.') {
        Some((b, e)) => (b, Some(e)),
        None => (name, None),
    };
    let ok = |s: &str, max: usize| !s.is_empty() && s.len() <= max && s.bytes().all(short_char);
    if !ok(base, 8) || ext.is_some_and(|e| !ok(e, 3)) {
        return None;
    }
    let mut out = [b' '; 11];
    out[..base.len()].copy_from_slice(base.as_bytes());
    if let Some(e) = ext {
        out[8..8 + e.len()].copy_from_slice(e.as_bytes());
    }
    Some(out)
}

/// Checks a name for a long-name entry and returns it as UTF-16.
pub(crate) fn long_name(name: &[u8]) -> Result<Vec<u16>, String> {
    let text = std::str::from_utf8(name)
        .map_err(|_| "the name is not valid UTF-8, which FAT long names need".to_string())?;
    if let Some(c) = text
        .chars()
        .find(|c| c.is_control() || LONG_FORBIDDEN.contains(c))
    {
        return Err(format!("FAT names may not contain {c:?}"));
    }
    if text.ends_with('.') || text.ends_with(' ') {
        return Err("FAT names may not end with a dot or a space".into());
    }
    let units: Vec<u16> = text.encode_utf16().collect();
    if units.len() > MAX_LONG_UNITS {
        return Err(format!(
            "the name is {} UTF-16 units long; FAT allows {MAX_LONG_UNITS}",
            units.len()
        ));
    }
    Ok(units)
}

/// Short name basis of a long name (Windows' algorithm): upper case, spaces and leading dots
/// dropped, other invalid characters as `_`, base and extension cut to 8 and 3. `lossy` says
/// whether anything but case was changed.
fn basis(name: &str) -> (Vec<u8>, Vec<u8>, bool) {
    let mut lossy = false;
    let conv = |c: char, lossy: &mut bool| -> Option<u8> {
        if c == ' ' {
            *lossy = true;
            return None;
        }
        let u = c.to_ascii_uppercase();
        if u.is_ascii() && short_char(u as u8) {
            Some(u as u8)
        } else {
            *lossy = true;
            Some(b'_')
        }
    };
    let trimmed = name.trim_start_matches('.');
    if trimmed.len() != name.len() {
        lossy = true;
    }
    let (base, ext) = match trimmed.rfind('.') {
        Some(i) => (&trimmed[..i], Some(&trimmed[i + 1..])),
        None => (trimmed, None),
    };
    let mut b: Vec<u8> = Vec::new();
    for c in base.chars() {
        if c == '.' {
            lossy = true;
            continue;
        }
        if let Some(x) = conv(c, &mut lossy) {
            b.push(x);
        }
    }
    let mut e: Vec<u8> = Vec::new();
    for c in ext.unwrap_or("").chars() {
        if let Some(x) = conv(c, &mut lossy) {
            e.push(x);
        }
    }
    if b.len() > 8 {
        b.truncate(8);
        lossy = true;
    }
    if e.len() > 3 {
        e.truncate(3);
        lossy = true;
    }
    if b.is_empty() {
        b.push(b'_');
        lossy = true;
    }
    (b, e, lossy)
}

fn pack(base: &[u8], ext: &[u8]) -> [u8; 11] {
    let mut out = [b' '; 11];
    out[..base.len()].copy_from_slice(base);
    out[8..8 + ext.len()].copy_from_slice(ext);
    out
}

/// Names the entries of one directory. `names` must be in the order they are written.
/// Errors name the offending entry's index and the reason.
pub(crate) fn name_directory(names: &[&[u8]]) -> Result<Vec<EntryName>, (usize, String)> {
    let mut used: HashSet<[u8; 11]> = HashSet::new();
    let mut folded: HashSet<String> = HashSet::new();
    let mut out: Vec<Option<EntryName>> = vec![None; names.len()];
    let mut next_tail: HashMap<[u8; 11], u32> = HashMap::new();
    // Exact short names first, so generated names never take them.
    for (i, raw) in names.iter().enumerate() {
        let units = long_name(raw).map_err(|e| (i, e))?;
        let text = String::from_utf16_lossy(&units);
        if !folded.insert(text.to_uppercase()) {
            return Err((
                i,
                "another name in this directory differs only in case; FAT ignores case".into(),
            ));
        }
        if let Some(short) = exact_short(&text) {
            used.insert(short);
            out[i] = Some(EntryName { short, long: None });
        }
    }
    for (i, raw) in names.iter().enumerate() {
        if out[i].is_some() {
            continue;
        }
        let units = long_name(raw).map_err(|e| (i, e))?;
        let text = String::from_utf16_lossy(&units);
        let (base, ext, lossy) = basis(&text);
        let plain = pack(&base, &ext);
        let short = if !lossy && !used.contains(&plain) {
            plain
        } else {
            // Numeric tails continue where the last name with this basis stopped, so a
            // directory of many similar names stays linear.
            let from = next_tail.get(&plain).copied().unwrap_or(1);
            let (n, short) = (from..=999_999u32)
                .map(|n| {
                    let tail = format!("~{n}");
                    let keep = base.len().min(8 - tail.len());
                    let mut b = base[..keep].to_vec();
                    b.extend_from_slice(tail.as_bytes());
                    (n, pack(&b, &ext))
                })
                .find(|(_, c)| !used.contains(c))
                .ok_or((i, "no free short name for this entry".to_string()))?;
            next_tail.insert(plain, n + 1);
            short
        };
        used.insert(short);
        out[i] = Some(EntryName {
            short,
            long: Some(units),
        });
    }
    Ok(out.into_iter().flatten().collect())
}

/// Checksum of a short name, stored in each of its long-name entries.
pub(crate) fn checksum(short: &[u8; 11]) -> u8 {
    short
        .iter()
        .fold(0u8, |sum, b| sum.rotate_right(1).wrapping_add(*b))
}

/// The long-name entries of `name`, in on-disk order (last part first).
pub(crate) fn long_entries(long: &[u16], short: &[u8; 11]) -> Vec<[u8; 32]> {
    let sum = checksum(short);
    let count = long.len().div_ceil(UNITS_PER_SLOT);
    (1..=count)
        .rev()
        .map(|ord| {
            let mut units = [0xffffu16; UNITS_PER_SLOT];
            let start = (ord - 1) * UNITS_PER_SLOT;
            let part = &long[start..long.len().min(start + UNITS_PER_SLOT)];
            units[..part.len()].copy_from_slice(part);
            if part.len() < UNITS_PER_SLOT {
                units[part.len()] = 0;
            }
            let mut e = [0u8; 32];
            e[0] = ord as u8 | if ord == count { 0x40 } else { 0 };
            e[11] = 0x0f; // attribute: long name
            e[13] = sum;
            // Name characters live at bytes 1..11, 14..26 and 28..32.
            let spots = (1..11)
                .step_by(2)
                .chain((14..26).step_by(2))
                .chain((28..32).step_by(2));
            for (at, u) in spots.zip(units) {
                e[at..at + 2].copy_from_slice(&u.to_le_bytes());
            }
            e
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<(String, Option<String>)> {
        let raw: Vec<&[u8]> = list.iter().map(|s| s.as_bytes()).collect();
        name_directory(&raw)
            .unwrap()
            .into_iter()
            .map(|n| {
                (
                    String::from_utf8(n.short.to_vec()).unwrap(),
                    n.long.map(|l| String::from_utf16(&l).unwrap()),
                )
            })
            .collect()
    }

    #[test]
    fn short_names() {
        let got = names(&[
            "BOOTX64.EFI",
            "EFI",
            "Long File Name.txt",
            "LONGFI~1.TXT",
            "grub.cfg",
            "longfilename.txt",
            ".bashrc",
            "a.b.c",
            "été",
        ]);
        let short: Vec<&str> = got.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(
            short,
            [
                "BOOTX64 EFI",
                "EFI        ",
                "LONGFI~2TXT",
                "LONGFI~1TXT",
                "GRUB    CFG",
                "LONGFI~3TXT",
                "BASHRC~1   ",
                "AB~1    C  ",
                "_T_~1      ",
            ]
        );
        assert_eq!(got[0].1, None);
        assert_eq!(got[3].1, None);
        assert_eq!(got[4].1.as_deref(), Some("grub.cfg"));
    }

    #[test]
    fn bad_names() {
        let err = |list: &[&[u8]]| name_directory(list).unwrap_err();
        assert_eq!(err(&[b"ok", b"a:b"]).0, 1);
        assert_eq!(err(&[b"x."]).0, 0);
        assert_eq!(err(&[b"Readme", b"README"]).0, 1);
        assert_eq!(err(&[b"\xff"]).0, 0);
        assert_eq!(err(&[&[b'a'; 256]]).0, 0);
    }

    #[test]
    fn long_entry_layout() {
        let long: Vec<u16> = "grub.cfg".encode_utf16().collect();
        let short = *b"GRUB    CFG";
        let e = long_entries(&long, &short);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0][0], 0x41);
        assert_eq!(e[0][11], 0x0f);
        assert_eq!(&e[0][1..5], &[b'g', 0, b'r', 0]);
        assert_eq!(&e[0][18..20], &[b'g', 0]); // the 8th character
        assert_eq!(&e[0][20..22], &[0, 0]); // terminator
        assert_eq!(&e[0][22..24], &[0xff, 0xff]); // padding
        let long: Vec<u16> = "a".repeat(26).encode_utf16().collect();
        let e = long_entries(&long, &short);
        assert_eq!((e[0][0], e[1][0]), (0x42, 0x01));
        assert_eq!(&e[0][30..32], &[b'a', 0]); // exactly full: no terminator
    }
}
