//! What MBR and GPT writers share: their error type and the layout checks the `gpt` and
//! `mbrman` crates do not make (both accept overlapping and out-of-disk entries).

use std::io;

/// Sector size of every table ingot writes.
pub const SECTOR: u64 = 512;

#[derive(Debug, thiserror::Error)]
pub enum TableError {
    #[error("the disk is {len} bytes, not a whole number of 512-byte sectors: round the image size to a multiple of 512")]
    UnalignedDisk { len: u64 },
    #[error("the disk is {len} bytes, too small for a {table} partition table (needs at least {min} bytes)")]
    DiskTooSmall {
        table: &'static str,
        len: u64,
        min: u64,
    },
    #[error("{count} partitions do not fit a {table} table (at most {max}); remove some")]
    TooMany {
        table: &'static str,
        count: usize,
        max: usize,
    },
    #[error("partition {index} is empty (0 sectors): give it a size")]
    Empty { index: usize },
    #[error("partition {index} (sectors {first}..={last}) is outside the usable area {usable_first}..={usable_last} of the disk: move or shrink it")]
    OutOfDisk {
        index: usize,
        first: u64,
        last: u64,
        usable_first: u64,
        usable_last: u64,
    },
    #[error("partitions {a} (sectors {a_first}..={a_last}) and {b} (sectors {b_first}..={b_last}) overlap: move one of them")]
    Overlap {
        a: usize,
        a_first: u64,
        a_last: u64,
        b: usize,
        b_first: u64,
        b_last: u64,
    },
    #[error("partition {index}: {reason}")]
    Invalid { index: usize, reason: String },
    #[error("the disk GUID must not be the nil UUID: pass a fixed non-zero GUID")]
    NilDiskGuid,
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: io::Error,
    },
}

impl TableError {
    pub(crate) fn io(what: impl Into<String>) -> impl FnOnce(io::Error) -> TableError {
        let what = what.into();
        move |source| TableError::Io { what, source }
    }
}

/// An inclusive sector range, numbered from 1 for messages.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Extent {
    pub first: u64,
    pub last: u64,
}

/// Refuses empty, out-of-area and overlapping extents. `extents[i]` is partition `i + 1`.
pub(crate) fn check_extents(
    extents: &[Option<Extent>],
    usable_first: u64,
    usable_last: u64,
) -> Result<(), TableError> {
    for (i, e) in extents.iter().enumerate() {
        let Some(e) = e else {
            return Err(TableError::Empty { index: i + 1 });
        };
        if e.first < usable_first || e.last > usable_last || e.first > e.last {
            return Err(TableError::OutOfDisk {
                index: i + 1,
                first: e.first,
                last: e.last,
                usable_first,
                usable_last,
            });
        }
    }
    let mut sorted: Vec<(usize, Extent)> = extents
        .iter()
        .enumerate()
        .filter_map(|(i, e)| e.map(|e| (i + 1, e)))
        .collect();
    sorted.sort_by_key(|(_, e)| e.first);
    for pair in sorted.windows(2) {
        let ((a, ea), (b, eb)) = (pair[0], pair[1]);
        if eb.first <= ea.last {
            let ((a, ea), (b, eb)) = if a < b {
                ((a, ea), (b, eb))
            } else {
                ((b, eb), (a, ea))
            };
            return Err(TableError::Overlap {
                a,
                a_first: ea.first,
                a_last: ea.last,
                b,
                b_first: eb.first,
                b_last: eb.last,
            });
        }
    }
    Ok(())
}

/// The disk's size in sectors, refusing sizes that are not whole sectors.
pub(crate) fn disk_sectors(len: u64) -> Result<u64, TableError> {
    if !len.is_multiple_of(SECTOR) {
        return Err(TableError::UnalignedDisk { len });
    }
    Ok(len / SECTOR)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ext(first: u64, last: u64) -> Option<Extent> {
        Some(Extent { first, last })
    }

    #[test]
    fn overlap_and_bounds_are_refused() {
        assert!(check_extents(&[ext(10, 19), ext(20, 29)], 1, 99).is_ok());
        let err = check_extents(&[ext(20, 29), ext(10, 20)], 1, 99).unwrap_err();
        assert!(
            matches!(err, TableError::Overlap { a: 1, b: 2, .. }),
            "{err}"
        );
        assert!(matches!(
            check_extents(&[ext(0, 9)], 1, 99),
            Err(TableError::OutOfDisk { index: 1, .. })
        ));
        assert!(matches!(
            check_extents(&[ext(10, 19), ext(90, 100)], 1, 99),
            Err(TableError::OutOfDisk { index: 2, .. })
        ));
        assert!(matches!(
            check_extents(&[ext(10, 19), None], 1, 99),
            Err(TableError::Empty { index: 2 })
        ));
        assert!(disk_sectors(1000).is_err());
    }
}
