//! File byte helpers the writers share: filling a buffer, the data ranges of a sparse file
//! (SEEK_DATA/SEEK_HOLE), copying only what is not zeros, copying exactly a declared size,
//! and the one wording of "an input changed while ingot read it".

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// Reads until `buf` is full or the reader ends; the count read.
pub fn read_full(r: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// The byte ranges of `file` within `size` bytes that hold data (the rest are holes). A file
/// system without SEEK_DATA reports one range: all of it.
pub fn data_ranges(file: &File, size: u64) -> io::Result<Vec<(u64, u64)>> {
    use rustix::fs::{seek, SeekFrom};
    let mut ranges = Vec::new();
    let mut pos = 0u64;
    while pos < size {
        let data = match seek(file, SeekFrom::Data(pos)) {
            Ok(at) => at,
            Err(rustix::io::Errno::NXIO) => break, // no data after pos
            Err(_) => return Ok(vec![(0, size)]),
        };
        if data >= size {
            break;
        }
        let hole = seek(file, SeekFrom::Hole(data)).map_or(size, |h| h.min(size));
        ranges.push((data, hole));
        pos = hole;
    }
    Ok(ranges)
}

/// Whether every byte of `buf` is zero, a word at a time.
pub fn is_zero(buf: &[u8]) -> bool {
    let mut words = buf.chunks_exact(8);
    let body = words
        .by_ref()
        .all(|w| u64::from_ne_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]) == 0);
    body && words.remainder().iter().all(|b| *b == 0)
}

/// Calls `write(run, offset)` for each run of `block`-sized pieces of `data` that are not all
/// zeros (`offset` from the start of `data`); zero blocks are left as holes.
pub fn write_nonzero_runs<E>(
    data: &[u8],
    block: usize,
    mut write: impl FnMut(&[u8], u64) -> Result<(), E>,
) -> Result<(), E> {
    let block = block.max(1);
    let zero_at = |i: usize| is_zero(&data[i..(i + block).min(data.len())]);
    let mut i = 0;
    while i < data.len() {
        if zero_at(i) {
            i = (i + block).min(data.len());
            continue;
        }
        let start = i;
        while i < data.len() && !zero_at(i) {
            i = (i + block).min(data.len());
        }
        write(&data[start..i], start as u64)?;
    }
    Ok(())
}

/// Copies the first `len` bytes of `file` through `write(bytes, offset)`, reading only its
/// data ranges and writing only the `block`-sized pieces that are not zeros.
pub fn copy_sparse<E>(
    file: &File,
    len: u64,
    block: usize,
    mut write: impl FnMut(&[u8], u64) -> Result<(), E>,
) -> Result<(), CopyError<E>> {
    use std::os::unix::fs::FileExt;
    let mut buf = vec![0u8; 1 << 20];
    for (start, end) in data_ranges(file, len).map_err(CopyError::Read)? {
        let mut pos = start;
        while pos < end {
            let n = usize::try_from(end - pos).map_or(buf.len(), |left| left.min(buf.len()));
            file.read_exact_at(&mut buf[..n], pos)
                .map_err(CopyError::Read)?;
            write_nonzero_runs(&buf[..n], block, |run, at| write(run, pos + at))
                .map_err(CopyError::Write)?;
            pos += n as u64;
        }
    }
    Ok(())
}

/// Why a copy stopped.
#[derive(Debug)]
pub enum CopyError<E> {
    Read(io::Error),
    Write(E),
    /// The source did not hold the size it was declared with: it changed while it was read.
    Changed {
        expected: u64,
        got: u64,
    },
}

/// Copies exactly `size` bytes of `reader` through `write(bytes, offset)`, a `buf` at a time;
/// all-zero pieces are skipped when `skip_zeros` (the destination is known to read as zeros).
/// A reader with fewer or more bytes is `Changed` (`got` counts at most one `buf` past `size`).
pub fn copy_exact<E>(
    reader: &mut dyn Read,
    size: u64,
    buf: &mut [u8],
    skip_zeros: bool,
    mut write: impl FnMut(&[u8], u64) -> Result<(), E>,
) -> Result<(), CopyError<E>> {
    let mut done = 0u64;
    loop {
        let n = read_full(reader, buf).map_err(CopyError::Read)?;
        if n == 0 {
            break;
        }
        if done + n as u64 > size {
            return Err(CopyError::Changed {
                expected: size,
                got: done + n as u64,
            });
        }
        if !(skip_zeros && is_zero(&buf[..n])) {
            write(&buf[..n], done).map_err(CopyError::Write)?;
        }
        done += n as u64;
    }
    if done != size {
        return Err(CopyError::Changed {
            expected: size,
            got: done,
        });
    }
    Ok(())
}

/// An input that is not what it was when ingot first looked at it.
pub fn changed(path: &Path, what: &str) -> io::Error {
    io::Error::other(format!(
        "{} changed during the build ({what})",
        path.display()
    ))
}

/// A source that ended before its declared size (the file changed under us).
pub fn ended_early(expected: u64, got: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::UnexpectedEof,
        format!("the source ended after {got} of its {expected} bytes (did it change?)"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn holes_are_skipped_and_runs_kept_together() {
        let mut f = tempfile::tempfile().unwrap();
        f.set_len(1 << 20).unwrap();
        use std::os::unix::fs::FileExt;
        f.write_all_at(&[7u8; 5000], 512 << 10).unwrap();
        f.flush().unwrap();
        let mut runs = Vec::new();
        copy_sparse::<()>(&f, 1 << 20, 4096, |b, at| {
            runs.push((at, b.len()));
            Ok(())
        })
        .unwrap();
        // Two 4 KiB blocks hold the 5000 bytes; every other block reads as zeros.
        assert_eq!(runs, vec![(512 << 10, 8192)]);
        let ranges = data_ranges(&f, 1 << 20).unwrap();
        assert!(ranges
            .iter()
            .all(|(s, e)| *s <= 512 << 10 && *e >= (512 << 10) + 5000));
    }

    #[test]
    fn zero_detection() {
        assert!(is_zero(&[0u8; 4096]));
        let mut b = [0u8; 4097];
        b[4096] = 1;
        assert!(!is_zero(&b));
    }

    #[test]
    fn nonzero_runs_have_their_offsets() {
        let mut data = vec![0u8; 10];
        data[2] = 1;
        data[3] = 1;
        data[8] = 1;
        let mut runs = Vec::new();
        write_nonzero_runs::<()>(&data, 2, |b, at| {
            runs.push((at, b.to_vec()));
            Ok(())
        })
        .unwrap();
        assert_eq!(runs, vec![(2, vec![1, 1]), (8, vec![1, 0])]);
    }

    #[test]
    fn copy_exact_names_a_size_change() {
        let mut buf = [0u8; 4];
        // Fewer bytes than declared, and more.
        for (mut source, got) in [(&b"abcdef"[..], 6), (&b"abcdefghij"[..], 10)] {
            let err = copy_exact::<()>(&mut source, 8, &mut buf, false, |_, _| Ok(())).unwrap_err();
            assert!(
                matches!(err, CopyError::Changed { expected: 8, got: g } if g == got),
                "{err:?}"
            );
        }
        let mut exact: &[u8] = b"\0\0\0\0abcd";
        let mut seen = Vec::new();
        copy_exact::<()>(&mut exact, 8, &mut buf, true, |b, at| {
            seen.push((at, b.to_vec()));
            Ok(())
        })
        .unwrap();
        assert_eq!(seen, vec![(4, b"abcd".to_vec())]);
    }
}
