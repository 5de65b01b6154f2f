//! Positional, bounded access to the image being written. File system and table writers take a
//! `&dyn Target` and write at offsets relative to its start; they never see the whole image.
//! Unwritten bytes stay holes in the output file (sparse), so writers must not write zeros
//! they do not need.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::FileExt;
use std::sync::Mutex;

use crate::context::{NoProgress, Progress};

/// A fixed-size byte range that can be written and read at offsets, from several threads.
pub trait Target: Send + Sync {
    fn len(&self) -> u64;
    fn write_at(&self, buf: &[u8], offset: u64) -> io::Result<()>;
    fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<()>;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Starts writing `len` bytes at `offset` back to the disk without waiting, so a later
    /// fsync has less to do. A hint: targets without a disk ignore it.
    fn start_writeback(&self, _offset: u64, _len: u64) {}
    /// Where the writer reports the bytes it copies (file data), for the progress bar.
    fn progress(&self) -> &dyn Progress {
        &NoProgress
    }
}

/// Where `len` bytes at `offset` end, when that is within `size` bytes; the one bounds check
/// of every target.
fn end_within(offset: u64, len: u64, size: u64) -> io::Result<u64> {
    offset
        .checked_add(len)
        .filter(|end| *end <= size)
        .ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("write of {len} bytes at {offset} past the end of a {size}-byte region"),
            )
        })
}

/// `len` bytes of a file starting at `start`.
pub struct Region<'a> {
    file: &'a File,
    start: u64,
    len: u64,
    progress: &'a dyn Progress,
}

impl<'a> Region<'a> {
    pub fn new(file: &'a File, start: u64, len: u64) -> Self {
        Region {
            file,
            start,
            len,
            progress: &NoProgress,
        }
    }
    /// This region, with writers reporting to `progress` (its sub-regions too).
    pub fn with_progress(self, progress: &'a dyn Progress) -> Self {
        Region { progress, ..self }
    }
    pub fn start(&self) -> u64 {
        self.start
    }
    /// A sub-range of this region.
    pub fn sub(&self, offset: u64, len: u64) -> io::Result<Region<'a>> {
        end_within(offset, len, self.len)?;
        Ok(Region {
            file: self.file,
            start: self.start + offset,
            len,
            progress: self.progress,
        })
    }
}

impl Target for Region<'_> {
    fn len(&self) -> u64 {
        self.len
    }
    fn write_at(&self, buf: &[u8], offset: u64) -> io::Result<()> {
        end_within(offset, buf.len() as u64, self.len)?;
        self.file.write_all_at(buf, self.start + offset)
    }
    fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<()> {
        end_within(offset, buf.len() as u64, self.len)?;
        self.file.read_exact_at(buf, self.start + offset)
    }
    fn start_writeback(&self, offset: u64, len: u64) {
        use std::os::unix::io::AsRawFd;
        let (Ok(at), Ok(len)) = (i64::try_from(self.start + offset), i64::try_from(len)) else {
            return;
        };
        // SAFETY: sync_file_range on a valid fd touches no memory; failure only loses the hint.
        unsafe {
            libc::sync_file_range(self.file.as_raw_fd(), at, len, libc::SYNC_FILE_RANGE_WRITE);
        }
    }
    fn progress(&self) -> &dyn Progress {
        self.progress
    }
}

/// An in-memory target for tests.
pub struct MemTarget {
    bytes: Mutex<Vec<u8>>,
}

impl MemTarget {
    pub fn new(len: usize) -> Self {
        MemTarget {
            bytes: Mutex::new(vec![0; len]),
        }
    }
    pub fn into_inner(self) -> Vec<u8> {
        self.bytes.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Target for MemTarget {
    fn len(&self) -> u64 {
        self.bytes.lock().map(|b| b.len() as u64).unwrap_or(0)
    }
    fn write_at(&self, buf: &[u8], offset: u64) -> io::Result<()> {
        let mut bytes = self
            .bytes
            .lock()
            .map_err(|_| io::Error::other("poisoned"))?;
        let end = end_within(offset, buf.len() as u64, bytes.len() as u64)? as usize;
        bytes[offset as usize..end].copy_from_slice(buf);
        Ok(())
    }
    fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<()> {
        let bytes = self
            .bytes
            .lock()
            .map_err(|_| io::Error::other("poisoned"))?;
        let end = end_within(offset, buf.len() as u64, bytes.len() as u64)? as usize;
        buf.copy_from_slice(&bytes[offset as usize..end]);
        Ok(())
    }
}

/// A `Read + Write + Seek` view of a target, for crates that want a stream (gpt, mbrman,
/// hadris-fat). Writes of all-zero buffers over never-written space are still written; use the
/// positional API on hot paths.
pub struct TargetCursor<'t> {
    target: &'t dyn Target,
    pos: u64,
}

impl<'t> TargetCursor<'t> {
    pub fn new(target: &'t dyn Target) -> Self {
        TargetCursor { target, pos: 0 }
    }
}

impl Read for TargetCursor<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = buf
            .len()
            .min(self.target.len().saturating_sub(self.pos) as usize);
        self.target.read_at(&mut buf[..n], self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl Write for TargetCursor<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.target.write_at(buf, self.pos)?;
        self.pos += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Seek for TargetCursor<'_> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        let new = match pos {
            SeekFrom::Start(p) => p as i128,
            SeekFrom::End(d) => self.target.len() as i128 + d as i128,
            SeekFrom::Current(d) => self.pos as i128 + d as i128,
        };
        if new < 0 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "seek before start",
            ));
        }
        self.pos = new as u64;
        Ok(self.pos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_is_bounded_and_offset() {
        let file = tempfile::tempfile().unwrap();
        file.set_len(100).unwrap();
        let r = Region::new(&file, 10, 20);
        r.write_at(b"abc", 0).unwrap();
        assert!(r.write_at(b"abc", 18).is_err());
        let mut buf = [0u8; 3];
        file.read_exact_at(&mut buf, 10).unwrap();
        assert_eq!(&buf, b"abc");
        let sub = r.sub(5, 5).unwrap();
        assert!(sub.write_at(b"123456", 0).is_err());
        assert!(r.sub(18, 5).is_err());
    }
}
