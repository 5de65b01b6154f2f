//! Streams the rendered file system into the target. Writes arrive roughly in disk order
//! (blocks are handed out in the order they are rendered); touching ones are merged into
//! chunks of up to [`CHUNK`] bytes, filled on the rendering thread (metadata, file data read
//! from the tree) and written by one writer thread, which starts write-back behind itself so
//! the final fsync has little left to do. Memory: a few chunks, whatever the tree.

use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;
use std::sync::mpsc::{self, Receiver, SyncSender};

use super::inventory::path_of;
use super::ExtError;
use crate::content::{self, FileSource, NodeId, NodeKind, Tree};
use crate::context::Progress;
use crate::disk::Target;

const CHUNK: usize = 2 << 20;

/// Where rendered bytes go: one chunk being filled, handed to the writer thread when full or
/// when the next write does not touch it.
pub struct Sink<'a> {
    tree: &'a Tree,
    block_size: u64,
    start: u64,
    /// The chunk: its first `used` bytes are to be written; the rest is stale (buffers are
    /// reused without zeroing what the next writes overwrite anyway).
    buf: Vec<u8>,
    used: usize,
    to_writer: SyncSender<(u64, Vec<u8>, usize)>,
    spare: Receiver<Vec<u8>>,
    /// The tree file being read (one open per file).
    open: Option<(NodeId, File)>,
    progress: &'a dyn Progress,
}

/// Raised on the rendering side when the writer thread stopped (its own error is reported).
fn writer_gone() -> ExtError {
    ExtError::Write {
        offset: 0,
        source: io::Error::other("the writer stopped"),
    }
}

impl Sink<'_> {
    fn end(&self) -> u64 {
        self.start + self.used as u64
    }

    /// Room for `len` bytes at `at`: in the current chunk when they follow it directly or
    /// start the next block after its last, partly filled one; else in a new chunk.
    fn room(&mut self, at: u64, len: usize) -> Result<&mut [u8], ExtError> {
        let end = self.end();
        let touches = self.used > 0
            && (at == end || (at > end && at == end.next_multiple_of(self.block_size)));
        if !touches || self.used + (at - end.min(at)) as usize + len > CHUNK {
            self.flush()?;
            self.start = at;
        }
        let from = (at - self.start) as usize;
        if self.buf.len() < from + len {
            self.buf.resize(from + len, 0);
        }
        // The rest of the last block before this write is zeros.
        self.buf[self.used..from].fill(0);
        self.used = from + len;
        Ok(&mut self.buf[from..from + len])
    }

    pub fn bytes(&mut self, at: u64, bytes: &[u8]) -> Result<(), ExtError> {
        self.room(at, bytes.len())?.copy_from_slice(bytes);
        Ok(())
    }

    /// `len` bytes of tree file `node` from `offset`, to be written at `at`.
    pub fn file(&mut self, at: u64, node: NodeId, offset: u64, len: u64) -> Result<(), ExtError> {
        let tree = self.tree;
        let err = |e: io::Error| ExtError::Read {
            path: path_of(tree, node),
            source: e,
        };
        let NodeKind::File { source, size } = &tree.node(node).kind else {
            return Ok(());
        };
        let len = len as usize;
        match source {
            FileSource::Host(_) | FileSource::Checked(_) => {
                let f = match self.open.take() {
                    Some((open, f)) if open == node => f,
                    // Checked files: no symlink followed, still the file the walk saw.
                    _ => content::open_host(source, *size).map_err(err)?,
                };
                let read = f.read_exact_at(self.room(at, len)?, offset);
                self.open = Some((node, f));
                read.map_err(err)
            }
            other => content::read_at(other, *size, offset, self.room(at, len)?).map_err(err),
        }
    }

    /// `bytes` more of the tree's file data are rendered (or were holes), for the progress.
    pub fn rendered(&self, bytes: u64) {
        self.progress.advance(bytes);
    }

    /// Hands the current chunk to the writer.
    fn flush(&mut self) -> Result<(), ExtError> {
        if self.used == 0 {
            return Ok(());
        }
        let next = self.spare.try_recv().unwrap_or_default();
        let full = std::mem::replace(&mut self.buf, next);
        let used = std::mem::take(&mut self.used);
        self.to_writer
            .send((self.start, full, used))
            .map_err(|_| writer_gone())
    }
}

/// Runs `render` with a sink whose chunks one writer thread writes into `target`.
pub fn stream(
    target: &dyn Target,
    tree: &Tree,
    block_size: u64,
    render: impl FnOnce(&mut Sink) -> Result<(), ExtError>,
) -> Result<(), ExtError> {
    // One chunk queued, one being written, one being filled.
    let (to_writer, from_sink) = mpsc::sync_channel::<(u64, Vec<u8>, usize)>(1);
    let (give_back, spare) = mpsc::channel::<Vec<u8>>();
    std::thread::scope(|s| {
        let writer = s.spawn(move || -> Result<(), ExtError> {
            for (at, buf, used) in from_sink {
                target
                    .write_at(&buf[..used], at)
                    .map_err(|source| ExtError::Write { offset: at, source })?;
                target.start_writeback(at, used as u64);
                let _ = give_back.send(buf);
            }
            Ok(())
        });
        let mut sink = Sink {
            tree,
            block_size,
            start: 0,
            buf: Vec::new(),
            used: 0,
            to_writer,
            spare,
            open: None,
            progress: target.progress(),
        };
        let rendered = render(&mut sink).and_then(|()| sink.flush());
        drop(sink);
        let written = writer.join().unwrap_or_else(|_| Err(writer_gone()));
        // The writer's own error says more than the renderer's "writer stopped".
        written.and(rendered)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::disk::MemTarget;

    #[test]
    fn touching_writes_merge_and_land_where_asked() {
        let target = MemTarget::new(64 << 10);
        let tree = Tree::new();
        stream(&target, &tree, 1024, |sink| {
            sink.bytes(0, &[1; 100])?;
            sink.bytes(1024, &[2; 1024])?; // the next block after a partly filled one
            sink.bytes(8192, &[3; 10])?; // a gap: a new chunk
            sink.bytes(4096, &[4; 5])?; // out of order: a new chunk
            Ok(())
        })
        .unwrap();
        let mut b = vec![0u8; 16 << 10];
        target.read_at(&mut b, 0).unwrap();
        assert!(b[..100].iter().all(|&x| x == 1) && b[100..1024].iter().all(|&x| x == 0));
        assert!(b[1024..2048].iter().all(|&x| x == 2));
        assert_eq!(&b[4096..4102], &[4, 4, 4, 4, 4, 0]);
        assert_eq!(
            &b[8192..8203],
            &[3; 10].iter().chain(&[0]).copied().collect::<Vec<_>>()[..]
        );
    }

    #[test]
    fn reused_buffers_leave_no_stale_bytes_in_gaps() {
        let target = MemTarget::new(16 * CHUNK);
        let tree = Tree::new();
        let at = |k: usize| (2 * k * CHUNK + CHUNK + 4096) as u64;
        stream(&target, &tree, 1024, |sink| {
            for k in 0..8 {
                sink.bytes((2 * k * CHUNK) as u64, &vec![0xAA; CHUNK])?;
                sink.bytes(at(k), &[1; 100])?;
                sink.bytes(at(k) + 1024, &[2; 10])?;
            }
            Ok(())
        })
        .unwrap();
        let bytes = target.into_inner();
        for k in 0..8 {
            let a = at(k) as usize;
            assert!(bytes[a..a + 100].iter().all(|&b| b == 1));
            assert!(bytes[a + 100..a + 1024].iter().all(|&b| b == 0), "gap {k}");
            assert!(bytes[a + 1024..a + 1034].iter().all(|&b| b == 2));
            assert!(bytes[a + 1034..a + 4096].iter().all(|&b| b == 0));
        }
    }
}
