//! The ISO 9660 volume's rules beside the partitions' ones: its label (the volume id) and how
//! inspect recognises it. It has no registry row: it is the iso9660 format's one volume, not a
//! file system a partition carries, and `crate::output::iso` writes the whole file.

use std::fs::File;
use std::io;

use crate::disk::inspect::bytes::{field, read, text};
use crate::disk::inspect::FoundFs;

/// An ISO's volume id: at most 32 characters (it is upper-cased, as Guix does).
pub fn check_label(label: &str) -> Result<(), String> {
    if label.is_empty() || label.len() > 32 {
        return Err(format!(
            "label {label:?} is {} bytes; an ISO 9660 volume id holds 1 to 32",
            label.len()
        ));
    }
    if !label.bytes().all(|b| b.is_ascii_graphic() || b == b' ') {
        return Err(format!(
            "label {label:?}: an ISO 9660 volume id is printable ASCII"
        ));
    }
    Ok(())
}

/// The ISO 9660 volume whose primary volume descriptor is 32 KiB after `offset`.
pub fn probe(file: &File, offset: u64) -> io::Result<Option<FoundFs>> {
    match offset.checked_add(16 * 2048) {
        Some(at) => Ok(primary_descriptor(&read(file, at, 2048)?)),
        None => Ok(None),
    }
}

fn primary_descriptor(pvd: &[u8]) -> Option<FoundFs> {
    if *pvd.first()? != 1 || field(pvd, 1, 5)? != b"CD001" {
        return None;
    }
    // The creation time: 16 ASCII digits (YYYYMMDDHHMMSSCC) then a zone byte.
    let created = field(pvd, 813, 16)?;
    let uuid = created.iter().all(u8::is_ascii_digit).then(|| {
        let d = String::from_utf8_lossy(created);
        format!(
            "{}-{}-{}-{}-{}-{}-{}",
            &d[0..4],
            &d[4..6],
            &d[6..8],
            &d[8..10],
            &d[10..12],
            &d[12..14],
            &d[14..16]
        )
    });
    Some(FoundFs {
        kind: "iso9660".into(),
        label: text(pvd, 40, 32),
        uuid,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_or_foreign_descriptors_are_nothing() {
        assert_eq!(primary_descriptor(&[1, b'C', b'D']), None);
    }

    #[test]
    fn volume_ids_hold_1_to_32_printable_characters() {
        assert!(check_label("GUIX_IMAGE").is_ok());
        assert!(check_label("").is_err());
        assert!(check_label(&"x".repeat(33)).is_err());
        assert!(check_label("tab\there").is_err());
    }
}
