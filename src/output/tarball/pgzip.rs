//! A gzip writer that compresses on every core and still gives the same bytes everywhere.
//!
//! The input is cut into fixed 1 MiB chunks, each compressed as independent raw deflate
//! blocks ending on a byte boundary (a sync flush), as `pigz --independent` does; the pieces
//! concatenate into one valid deflate stream. Chunk boundaries depend only on the input, never
//! on the number of threads or their timing, so the output is reproducible. The price is that
//! no chunk can refer back into the previous one: about 0.5 % larger than one stream.

use std::io::{self, Write};

use flate2::{Compress, Compression, Crc, FlushCompress, Status};

const CHUNK: usize = 1 << 20;

/// gzip with no name and no time, OS = Unix: what `gzip -n` writes.
const HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3];

pub struct ParGzWriter<W: Write> {
    out: W,
    level: Compression,
    threads: usize,
    /// Full chunks waiting to be compressed (at most `2 * threads`), then the partial one.
    pending: Vec<Vec<u8>>,
    crc: Crc,
    header_written: bool,
}

impl<W: Write> ParGzWriter<W> {
    pub fn new(out: W, level: Compression) -> Self {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        Self::with_threads(out, level, threads)
    }

    pub fn with_threads(out: W, level: Compression, threads: usize) -> Self {
        ParGzWriter {
            out,
            level,
            threads: threads.max(1),
            pending: vec![Vec::with_capacity(CHUNK)],
            crc: Crc::new(),
            header_written: false,
        }
    }

    /// Compresses the full chunks held so far, in parallel, and writes them in order.
    fn flush_chunks(&mut self, include_partial: bool) -> io::Result<()> {
        if !self.header_written {
            self.out.write_all(&HEADER)?;
            self.header_written = true;
        }
        let partial = if include_partial {
            None
        } else {
            self.pending.pop()
        };
        let chunks = std::mem::take(&mut self.pending);
        let level = self.level;
        let compressed: Vec<io::Result<Vec<u8>>> = if chunks.len() <= 1 || self.threads == 1 {
            chunks.iter().map(|c| deflate_chunk(c, level)).collect()
        } else {
            let per_thread = chunks.len().div_ceil(self.threads);
            std::thread::scope(|scope| {
                let handles: Vec<_> = chunks
                    .chunks(per_thread)
                    .map(|group| {
                        scope.spawn(move || {
                            group
                                .iter()
                                .map(|c| deflate_chunk(c, level))
                                .collect::<Vec<_>>()
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .flat_map(|h| {
                        h.join().unwrap_or_else(|_| {
                            vec![Err(io::Error::other("a compression thread panicked"))]
                        })
                    })
                    .collect()
            })
        };
        for piece in compressed {
            self.out.write_all(&piece?)?;
        }
        self.pending = vec![partial.unwrap_or_else(|| Vec::with_capacity(CHUNK))];
        Ok(())
    }

    /// Writes what is left, the final block and the gzip trailer; returns the inner writer.
    pub fn finish(mut self) -> io::Result<W> {
        self.flush_chunks(true)?;
        // An empty final block closes the deflate stream.
        let mut end = Vec::with_capacity(16);
        let mut c = Compress::new(self.level, false);
        c.compress_vec(&[], &mut end, FlushCompress::Finish)
            .map_err(io::Error::other)?;
        self.out.write_all(&end)?;
        self.out.write_all(&self.crc.sum().to_le_bytes())?;
        self.out.write_all(&self.crc.amount().to_le_bytes())?;
        self.out.flush()?;
        Ok(self.out)
    }
}

impl<W: Write> Write for ParGzWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let last = self.pending.len() - 1;
        let room = CHUNK - self.pending[last].len();
        let n = buf.len().min(room);
        self.pending[last].extend_from_slice(&buf[..n]);
        self.crc.update(&buf[..n]);
        if self.pending[last].len() == CHUNK {
            if self.pending.len() >= 2 * self.threads {
                self.pending.push(Vec::new()); // the partial chunk flush_chunks keeps
                self.flush_chunks(false)?;
            } else {
                self.pending.push(Vec::with_capacity(CHUNK));
            }
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// One chunk as raw deflate blocks ending with a sync flush (byte-aligned, not final).
fn deflate_chunk(data: &[u8], level: Compression) -> io::Result<Vec<u8>> {
    let mut c = Compress::new(level, false);
    let mut out = Vec::with_capacity(data.len() / 2 + 1024);
    loop {
        let consumed = c.total_in() as usize;
        let status = c
            .compress_vec(&data[consumed..], &mut out, FlushCompress::Sync)
            .map_err(io::Error::other)?;
        let done = c.total_in() as usize == data.len();
        if done && out.len() < out.capacity() {
            return Ok(out);
        }
        if status == Status::BufError || out.len() == out.capacity() {
            out.reserve(out.capacity().max(64 * 1024));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn gz(data: &[u8], threads: usize) -> Vec<u8> {
        let mut w = ParGzWriter::with_threads(Vec::new(), Compression::new(6), threads);
        // Odd write sizes, to cross chunk boundaries inside writes.
        for piece in data.chunks(333_333) {
            w.write_all(piece).unwrap();
        }
        w.finish().unwrap()
    }

    #[test]
    fn decodes_and_does_not_depend_on_threads() {
        let data: Vec<u8> = (0..5_000_000u32)
            .map(|i| (i % 251) as u8 ^ (i >> 12) as u8)
            .collect();
        let one = gz(&data, 1);
        assert_eq!(one, gz(&data, 2));
        assert_eq!(one, gz(&data, 7));
        assert_eq!(&one[..10], &HEADER);
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(&one[..])
            .read_to_end(&mut back)
            .unwrap();
        assert!(back == data);
    }

    #[test]
    fn empty_input_is_a_valid_gzip() {
        let out = gz(&[], 2);
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(&out[..])
            .read_to_end(&mut back)
            .unwrap();
        assert!(back.is_empty());
    }
}
