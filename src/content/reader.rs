//! Reading a tree file's bytes, whatever holds them: a host file (checked to be the one the
//! walk saw), bytes ingot made, a tar member, or a sparse tar member (holes read as zeros).

use std::fs::File;
use std::io::{self, Read};
use std::os::unix::fs::FileExt;
use std::sync::Arc;

use super::{FileSource, Segment};
use crate::fileio;

/// Opens a regular file's data as a reader of exactly `size` bytes.
pub fn open_source(source: &FileSource, size: u64) -> io::Result<Box<dyn Read + Send>> {
    Ok(match source {
        FileSource::Host(path) => Box::new(File::open(path)?.take(size)),
        FileSource::Checked(host) => Box::new(host.open(size)?.take(size)),
        FileSource::Bytes(bytes) => Box::new(io::Cursor::new(Arc::clone(bytes).to_vec())),
        FileSource::Archive { file, offset } => Box::new(AtReader {
            source: source.clone(),
            file: Arc::clone(file),
            base: *offset,
            pos: 0,
            size,
        }),
        FileSource::Sparse { file, .. } => Box::new(AtReader {
            source: source.clone(),
            file: Arc::clone(file),
            base: 0,
            pos: 0,
            size,
        }),
    })
}

/// Opens a host file source (ingot's own, or a checked root-tree file or declared input) for
/// positional reads, refusing one whose size is no longer `size`.
pub fn open_host(source: &FileSource, size: u64) -> io::Result<File> {
    match source {
        FileSource::Checked(host) => host.open(size),
        FileSource::Host(path) => {
            let f = File::open(path)?;
            let now = f.metadata()?.len();
            if now != size {
                return Err(io::Error::other(format!(
                    "its size changed from {size} to {now} bytes during the build"
                )));
            }
            Ok(f)
        }
        _ => Err(io::Error::other("not a host file")),
    }
}

/// Reads `buf.len()` bytes at `offset` of a file of `size` bytes (for writers that read
/// blocks in any order).
pub fn read_at(source: &FileSource, size: u64, offset: u64, buf: &mut [u8]) -> io::Result<()> {
    let end = offset
        .checked_add(buf.len() as u64)
        .filter(|e| *e <= size)
        .ok_or_else(|| io::Error::other("read past the end of the file"))?;
    match source {
        FileSource::Host(path) => File::open(path)?.read_exact_at(buf, offset),
        FileSource::Checked(host) => host.open(size)?.read_exact_at(buf, offset),
        FileSource::Bytes(bytes) => {
            let src = bytes
                .get(offset as usize..end as usize)
                .ok_or_else(|| io::Error::other("shorter than its recorded size"))?;
            buf.copy_from_slice(src);
            Ok(())
        }
        FileSource::Archive { file, offset: base } => file.read_exact_at(buf, base + offset),
        FileSource::Sparse { file, segments } => read_sparse(file, segments, offset, buf),
    }
}

/// Fills `buf` from logical `offset` of a sparse member: segment bytes, zeros elsewhere.
fn read_sparse(file: &File, segments: &[Segment], offset: u64, buf: &mut [u8]) -> io::Result<()> {
    buf.fill(0);
    let end = offset + buf.len() as u64;
    // Segments are sorted and disjoint: start at the first that ends after `offset`.
    let first = segments.partition_point(|s| s.logical + s.len <= offset);
    for s in &segments[first..] {
        if s.logical >= end {
            break;
        }
        let from = s.logical.max(offset);
        let to = (s.logical + s.len).min(end);
        let dst = &mut buf[(from - offset) as usize..(to - offset) as usize];
        file.read_exact_at(dst, s.stored + (from - s.logical))?;
    }
    Ok(())
}

/// Streams a tar member (contiguous or sparse) with positional reads: no shared cursor.
struct AtReader {
    source: FileSource,
    file: Arc<File>,
    base: u64,
    pos: u64,
    size: u64,
}

impl Read for AtReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let want = buf.len().min((self.size - self.pos).min(1 << 20) as usize);
        if want == 0 {
            return Ok(0);
        }
        match &self.source {
            FileSource::Sparse { segments, .. } => {
                read_sparse(&self.file, segments, self.pos, &mut buf[..want])?;
            }
            _ => {
                let n = self.file.read_at(&mut buf[..want], self.base + self.pos)?;
                if n == 0 {
                    return Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "archive member is truncated",
                    ));
                }
                self.pos += n as u64;
                return Ok(n);
            }
        }
        self.pos += want as u64;
        Ok(want)
    }
}

/// A file's byte ranges that hold data (the rest are holes), for sparse-aware writers.
/// Bytes and plain archive members report one range covering the whole file.
pub fn data_ranges(source: &FileSource, size: u64) -> io::Result<Vec<(u64, u64)>> {
    match source {
        FileSource::Host(path) => fileio::data_ranges(&File::open(path)?, size),
        FileSource::Checked(host) => fileio::data_ranges(&host.open(size)?, size),
        FileSource::Sparse { segments, .. } => {
            let mut out: Vec<(u64, u64)> = Vec::with_capacity(segments.len());
            for s in segments.iter() {
                let (start, end) = (s.logical, (s.logical + s.len).min(size));
                match out.last_mut() {
                    Some(last) if last.1 == start => last.1 = end,
                    _ => out.push((start, end)),
                }
            }
            Ok(out)
        }
        _ => Ok(if size == 0 { vec![] } else { vec![(0, size)] }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn sparse_members_read_zeros_in_holes() {
        let mut f = tempfile::tempfile().unwrap();
        f.write_all(b"xxABCDyyEF").unwrap();
        let segments = vec![
            Segment {
                logical: 3,
                len: 4,
                stored: 2,
            },
            Segment {
                logical: 10,
                len: 2,
                stored: 8,
            },
        ];
        let src = FileSource::Sparse {
            file: Arc::new(f),
            segments: Arc::new(segments),
        };
        let mut all = Vec::new();
        open_source(&src, 14)
            .unwrap()
            .read_to_end(&mut all)
            .unwrap();
        assert_eq!(all, b"\0\0\0ABCD\0\0\0EF\0\0");
        let mut mid = [9u8; 5];
        read_at(&src, 14, 5, &mut mid).unwrap();
        assert_eq!(&mid, b"CD\0\0\0");
        assert_eq!(data_ranges(&src, 14).unwrap(), vec![(3, 7), (10, 12)]);
    }
}
