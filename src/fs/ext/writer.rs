//! Streams the rendered file system into the target: neighbouring writes are merged into
//! chunks of up to a few MiB, and several threads read file data and write chunks at once.

use std::io;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;

use super::build::{Item, Payload};
use super::ExtError;
use crate::content::{self, NodeId, NodeKind, Tree};
use crate::disk::Target;

const CHUNK: u64 = 4 << 20;

/// Consecutive items whose blocks touch, written with one call.
struct Chunk {
    start: u64,
    end: u64,
    items: std::ops::Range<usize>,
}

fn chunks(items: &[Item], block_size: u64) -> Vec<Chunk> {
    let mut out: Vec<Chunk> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let start = item.at;
        let end = item.at + item.len();
        // Items end inside their last block; the rest of that block is theirs (zeros), so
        // a chunk may run through it to the next item.
        let block_end = end.next_multiple_of(block_size);
        match out.last_mut() {
            Some(c)
                if c.end.next_multiple_of(block_size) >= start
                    && start >= c.end
                    && end - c.start <= CHUNK =>
            {
                c.end = end;
                c.items.end = i + 1;
            }
            _ => out.push(Chunk {
                start,
                end,
                items: i..i + 1,
            }),
        }
        let _ = block_end;
    }
    out
}

fn find_path(tree: &Tree, node: NodeId) -> String {
    tree.walk()
        .into_iter()
        .find(|(_, id)| *id == node)
        .map(|(p, _)| p)
        .unwrap_or_else(|| format!("node {node}"))
}

/// Reads `buf.len()` bytes of a tree file at `offset`.
fn read_file(tree: &Tree, node: NodeId, offset: u64, buf: &mut [u8]) -> Result<(), ExtError> {
    let err = |e: io::Error| ExtError::Read {
        path: find_path(tree, node),
        source: e,
    };
    let NodeKind::File { source, size } = &tree.node(node).kind else {
        return Ok(());
    };
    content::read_at(source, *size, offset, buf).map_err(err)
}

/// Writes every item; file data is read by `threads` workers.
pub fn write(
    target: &dyn Target,
    tree: &Tree,
    items: &[Item],
    block_size: u64,
) -> Result<(), ExtError> {
    let chunks = chunks(items, block_size);
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let error: Mutex<Option<ExtError>> = Mutex::new(None);
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .clamp(2, 4);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                let mut buf = Vec::new();
                while !failed.load(Ordering::Relaxed) {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(c) = chunks.get(i) else { break };
                    if let Err(e) = write_chunk(target, tree, &items[c.items.clone()], c, &mut buf)
                    {
                        failed.store(true, Ordering::Relaxed);
                        if let Ok(mut slot) = error.lock() {
                            slot.get_or_insert(e);
                        }
                    }
                }
            });
        }
    });
    match error.into_inner() {
        Ok(Some(e)) => Err(e),
        _ => Ok(()),
    }
}

fn write_chunk(
    target: &dyn Target,
    tree: &Tree,
    items: &[Item],
    c: &Chunk,
    buf: &mut Vec<u8>,
) -> Result<(), ExtError> {
    let len = (c.end - c.start) as usize;
    buf.clear();
    buf.resize(len, 0);
    for item in items {
        let at = (item.at - c.start) as usize;
        match &item.payload {
            Payload::Bytes(b) => buf[at..at + b.len()].copy_from_slice(b),
            Payload::File { node, offset, len } => {
                read_file(tree, *node, *offset, &mut buf[at..at + *len as usize])?
            }
        }
    }
    target
        .write_at(buf, c.start)
        .map_err(|source| ExtError::Write {
            offset: c.start,
            source,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(at: u64, len: usize) -> Item {
        Item {
            at,
            payload: Payload::Bytes(vec![1; len]),
        }
    }

    #[test]
    fn chunks_merge_touching_blocks_only() {
        let items = vec![
            item(0, 100),
            item(1024, 1024),
            item(4096, 10),
            item(5120, 5),
        ];
        let c = chunks(&items, 1024);
        assert_eq!(c.len(), 2);
        assert_eq!((c[0].start, c[0].end), (0, 2048));
        assert_eq!((c[1].start, c[1].end), (4096, 5125));
    }
}
