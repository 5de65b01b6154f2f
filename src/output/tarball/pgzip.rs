//! A gzip writer that compresses on the worker pool while its caller keeps producing, and
//! still gives the same bytes everywhere.
//!
//! The input is cut into fixed 1 MiB chunks; each becomes one complete gzip member
//! (libdeflate), and the members are written in input order. A file of several members is
//! one gzip file (RFC 1952 §2.2; gzip, tar, pigz, Go's and Python's readers, skopeo and docker
//! read it as one stream, as they read `bgzip` output). Chunk boundaries depend only on the
//! input, never on the number of threads or their timing, so the output is reproducible. The
//! price is that no chunk refers back into the previous one: about 0.5 % larger than one
//! stream, as `pigz --independent`.
//!
//! At most `2 × pool threads` chunks are in flight, so memory stays a few MiB whatever the
//! input size, and the producer (the tar writer reading files) runs while the pool compresses.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::{self, Write};
use std::sync::mpsc;

use libdeflater::{CompressionLvl, Compressor};

const CHUNK: usize = 1 << 20;

type Member = io::Result<Vec<u8>>;

pub struct ParGzWriter<W: Write> {
    out: W,
    level: CompressionLvl,
    /// The chunk being filled.
    buf: Vec<u8>,
    /// Members being compressed, oldest first.
    in_flight: VecDeque<mpsc::Receiver<Member>>,
    max_in_flight: usize,
    /// Whether any member was handed out (an empty input still needs one).
    started: bool,
}

impl<W: Write> ParGzWriter<W> {
    /// `level`: 1 (fastest) to 12 (smallest), libdeflate's scale.
    pub fn new(out: W, level: i32) -> io::Result<Self> {
        let level = CompressionLvl::new(level)
            .map_err(|e| io::Error::other(format!("gzip level {level}: {e:?}")))?;
        Ok(ParGzWriter {
            out,
            level,
            buf: Vec::with_capacity(CHUNK),
            in_flight: VecDeque::new(),
            max_in_flight: 2 * rayon::current_num_threads().max(1),
            started: false,
        })
    }

    /// Hands the current chunk to the pool; writes the oldest members once enough are queued.
    fn submit(&mut self) -> io::Result<()> {
        let data = std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK));
        let level = self.level;
        let (tx, rx) = mpsc::sync_channel(1);
        rayon::spawn(move || {
            let member = std::panic::catch_unwind(|| gzip_member(&data, level))
                .unwrap_or_else(|_| Err(io::Error::other("a gzip worker panicked")));
            let _ = tx.send(member);
        });
        self.in_flight.push_back(rx);
        self.started = true;
        while self.in_flight.len() >= self.max_in_flight {
            self.write_oldest()?;
        }
        Ok(())
    }

    fn write_oldest(&mut self) -> io::Result<()> {
        if let Some(rx) = self.in_flight.pop_front() {
            let member = wait(&rx).ok_or_else(|| io::Error::other("a gzip worker stopped"))??;
            self.out.write_all(&member)?;
        }
        Ok(())
    }

    /// Writes what is left; returns the inner writer.
    pub fn finish(mut self) -> io::Result<W> {
        if !self.buf.is_empty() || !self.started {
            self.submit()?;
        }
        while !self.in_flight.is_empty() {
            self.write_oldest()?;
        }
        self.out.flush()?;
        Ok(self.out)
    }
}

impl<W: Write> Write for ParGzWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = buf.len().min(CHUNK - self.buf.len());
        self.buf.extend_from_slice(&buf[..n]);
        if self.buf.len() == CHUNK {
            self.submit()?;
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// The member `rx` will get. On a pool thread (a caller inside the pool) it runs queued pool
/// work while waiting, so a pool of one thread cannot deadlock on its own jobs.
fn wait(rx: &mpsc::Receiver<Member>) -> Option<Member> {
    if rayon::current_thread_index().is_none() {
        return rx.recv().ok();
    }
    loop {
        match rx.try_recv() {
            Ok(member) => return Some(member),
            Err(mpsc::TryRecvError::Disconnected) => return None,
            Err(mpsc::TryRecvError::Empty) => {
                if rayon::yield_now() != Some(rayon::Yield::Executed) {
                    std::thread::yield_now();
                }
            }
        }
    }
}

thread_local! {
    /// One compressor per pool thread and level (its state is ~1 MiB; made once).
    static COMPRESSOR: RefCell<Option<(i32, Compressor)>> = const { RefCell::new(None) };
}

/// `data` as one complete gzip member (no name, no time, OS Unix).
fn gzip_member(data: &[u8], level: CompressionLvl) -> io::Result<Vec<u8>> {
    COMPRESSOR.with(|cell| {
        let mut slot = cell.borrow_mut();
        let want = i32::from(level);
        if slot.as_ref().map(|(l, _)| *l) != Some(want) {
            *slot = Some((want, Compressor::new(level)));
        }
        let Some((_, c)) = slot.as_mut() else {
            return Err(io::Error::other("no gzip compressor"));
        };
        let mut out = vec![0u8; c.gzip_compress_bound(data.len())];
        let n = c.gzip_compress(data, &mut out).map_err(io::Error::other)?;
        out.truncate(n);
        // The header `gzip -n` writes: XFL 0, OS Unix (libdeflate puts its level hint and
        // "unknown" there; no checksum covers these bytes).
        if let Some(header) = out.get_mut(8..10) {
            header.copy_from_slice(&[0, 3]);
        }
        Ok(out)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn gz(data: &[u8], threads: usize) -> Vec<u8> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let mut w = ParGzWriter::new(Vec::new(), 6).unwrap();
            // Odd write sizes, to cross chunk boundaries inside writes.
            for piece in data.chunks(333_333) {
                w.write_all(piece).unwrap();
            }
            w.finish().unwrap()
        })
    }

    fn gunzip(bytes: &[u8]) -> Vec<u8> {
        let mut back = Vec::new();
        flate2::read::MultiGzDecoder::new(bytes)
            .read_to_end(&mut back)
            .unwrap();
        back
    }

    #[test]
    fn decodes_and_does_not_depend_on_threads() {
        let data: Vec<u8> = (0..5_000_000u32)
            .map(|i| (i % 251) as u8 ^ (i >> 12) as u8)
            .collect();
        let one = gz(&data, 1);
        assert_eq!(one, gz(&data, 2));
        assert_eq!(one, gz(&data, 7));
        assert_eq!(&one[..10], &[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
        assert!(gunzip(&one) == data);
    }

    #[test]
    fn gnu_gzip_reads_every_member() {
        let data: Vec<u8> = (0..3_500_000u32).map(|i| (i / 7) as u8).collect();
        let bytes = gz(&data, 2);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.gz");
        std::fs::write(&path, &bytes).unwrap();
        let out = std::process::Command::new("gzip")
            .arg("-dc")
            .arg(&path)
            .output()
            .unwrap();
        assert!(out.status.success());
        assert!(out.stdout == data);
    }

    #[test]
    fn empty_input_is_a_valid_gzip() {
        let out = gz(&[], 2);
        assert!(!out.is_empty());
        assert!(gunzip(&out).is_empty());
    }
}
