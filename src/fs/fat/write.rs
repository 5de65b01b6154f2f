//! Writing a planned FAT file system: boot sector(s), FATs, directories, file data.

use super::geometry::{Geometry, FATS, SECTOR};
use super::names::long_entries;
use super::plan::{Child, Layout, Plan};
use super::{FatError, FatKind, FatParams};
use crate::content::{open_source, FileSource, Tree};
use crate::disk::Target;
use crate::fileio;

/// A FAT date and time.
#[derive(Clone, Copy)]
pub(super) struct FatTime {
    pub(super) date: u16,
    pub(super) time: u16,
}

impl FatTime {
    /// FAT dates run from 1980-01-01 to 2107-12-31 with 2-second steps; clamp to that.
    pub(super) fn from_unix(t: i64) -> FatTime {
        const MIN: i64 = 315_532_800; // 1980-01-01
        const MAX: i64 = 4_354_819_198; // 2107-12-31 23:59:58
        let t = t.clamp(MIN, MAX);
        let (days, secs) = (t.div_euclid(86_400), t.rem_euclid(86_400));
        let (y, m, d) = crate::time::civil_from_days(days);
        FatTime {
            date: (((y - 1980) << 9) | (m << 5) | d) as u16,
            time: (((secs / 3600) << 11) | ((secs / 60 % 60) << 5) | (secs % 60 / 2)) as u16,
        }
    }
}

const ATTR_DIRECTORY: u8 = 0x10;
const ATTR_ARCHIVE: u8 = 0x20;
const ATTR_VOLUME_ID: u8 = 0x08;

fn short_entry(name: &[u8; 11], attr: u8, cluster: u32, size: u32, t: FatTime) -> [u8; 32] {
    let mut e = [0u8; 32];
    e[..11].copy_from_slice(name);
    e[11] = attr;
    for at in [14, 22] {
        e[at..at + 2].copy_from_slice(&t.time.to_le_bytes());
    }
    for at in [16, 18, 24] {
        e[at..at + 2].copy_from_slice(&t.date.to_le_bytes());
    }
    e[20..22].copy_from_slice(&((cluster >> 16) as u16).to_le_bytes());
    e[26..28].copy_from_slice(&(cluster as u16).to_le_bytes());
    e[28..32].copy_from_slice(&size.to_le_bytes());
    e
}

pub(super) struct Writer<'a> {
    pub(super) target: &'a dyn Target,
    pub(super) geo: &'a Geometry,
    pub(super) plan: &'a Plan,
    pub(super) layout: &'a Layout,
    pub(super) stamp: FatTime,
}

impl Writer<'_> {
    fn put(&self, bytes: &[u8], offset: u64) -> Result<(), FatError> {
        self.target.write_at(bytes, offset).map_err(FatError::Write)
    }

    pub(super) fn boot_sectors(
        &self,
        params: &FatParams,
        label: &Option<[u8; 11]>,
    ) -> Result<(), FatError> {
        let g = self.geo;
        let mut b = [0u8; 512];
        b[0] = 0xeb; // jmp short to the boot code (offset set below); nop
        b[2] = 0x90;
        b[3..11].copy_from_slice(b"MSWIN4.1"); // the OEM name Microsoft advises
        b[11..13].copy_from_slice(&(SECTOR as u16).to_le_bytes());
        b[13] = g.sectors_per_cluster as u8;
        b[14..16].copy_from_slice(&(g.reserved_sectors as u16).to_le_bytes());
        b[16] = FATS as u8;
        b[17..19].copy_from_slice(&(g.root_entries as u16).to_le_bytes());
        if g.kind == FatKind::Fat16 && g.total_sectors < 0x10000 {
            b[19..21].copy_from_slice(&(g.total_sectors as u16).to_le_bytes());
        } else {
            b[32..36].copy_from_slice(&g.total_sectors.to_le_bytes());
        }
        b[21] = 0xf8; // fixed disk
        b[24..26].copy_from_slice(&63u16.to_le_bytes()); // sectors per track
        b[26..28].copy_from_slice(&255u16.to_le_bytes()); // heads
        b[28..32].copy_from_slice(&params.hidden_sectors.to_le_bytes());
        let ext = match g.kind {
            FatKind::Fat16 => {
                b[22..24].copy_from_slice(&(g.fat_sectors as u16).to_le_bytes());
                36
            }
            FatKind::Fat32 => {
                b[36..40].copy_from_slice(&g.fat_sectors.to_le_bytes());
                b[44..48].copy_from_slice(&self.layout.dir_cluster[0].to_le_bytes());
                b[48..50].copy_from_slice(&1u16.to_le_bytes()); // FSInfo sector
                b[50..52].copy_from_slice(&6u16.to_le_bytes()); // backup boot sector
                64
            }
        };
        b[ext] = 0x80; // drive number
        b[ext + 2] = 0x29; // extended boot signature: the next three fields are valid
        b[ext + 3..ext + 7].copy_from_slice(&params.volume_id.to_le_bytes());
        b[ext + 7..ext + 18].copy_from_slice(label.as_ref().unwrap_or(b"NO NAME    "));
        b[ext + 18..ext + 26].copy_from_slice(match g.kind {
            FatKind::Fat16 => b"FAT16   ",
            FatKind::Fat32 => b"FAT32   ",
        });
        // Boot code: this volume is not bootable by BIOS; halt rather than run zeros.
        let code = ext + 26;
        b[code..code + 4].copy_from_slice(&[0xfa, 0xf4, 0xeb, 0xfd]); // cli; hlt; jmp $-1
        b[1] = (code - 2) as u8;
        b[510] = 0x55;
        b[511] = 0xaa;
        self.put(&b, 0)?;
        if g.kind == FatKind::Fat32 {
            let mut info = [0u8; 512];
            info[0..4].copy_from_slice(&0x4161_5252u32.to_le_bytes());
            info[484..488].copy_from_slice(&0x6141_7272u32.to_le_bytes());
            let free = g.clusters - self.layout.used;
            info[488..492].copy_from_slice(&free.to_le_bytes());
            let next_free = if free > 0 {
                self.layout.used + 2
            } else {
                u32::MAX
            };
            info[492..496].copy_from_slice(&next_free.to_le_bytes());
            info[508..512].copy_from_slice(&0xaa55_0000u32.to_le_bytes());
            self.put(&info, SECTOR)?;
            self.put(&b, 6 * SECTOR)?;
            self.put(&info, 7 * SECTOR)?;
        }
        Ok(())
    }

    /// Both FATs, up to the last used cluster (the free rest is zeros: a hole).
    pub(super) fn fats(&self) -> Result<(), FatError> {
        let (bytes_per, eoc, media): (usize, u32, u32) = match self.geo.kind {
            FatKind::Fat16 => (2, 0xffff, 0xfff8),
            FatKind::Fat32 => (4, 0x0fff_ffff, 0x0fff_fff8),
        };
        let mut chunk: Vec<u8> = Vec::with_capacity(64 << 10);
        let mut written = 0u64;
        let flush = |chunk: &mut Vec<u8>, written: &mut u64| -> Result<(), FatError> {
            for copy in 0..FATS {
                self.put(chunk, self.geo.fat_offset(copy) + *written)?;
            }
            *written += chunk.len() as u64;
            chunk.clear();
            Ok(())
        };
        let push = |v: u32, chunk: &mut Vec<u8>| {
            chunk.extend_from_slice(&v.to_le_bytes()[..bytes_per]);
        };
        push(media, &mut chunk);
        push(eoc, &mut chunk);
        for &(first, len) in &self.layout.chains {
            for c in first..first + len {
                push(if c + 1 == first + len { eoc } else { c + 1 }, &mut chunk);
                if chunk.len() >= 64 << 10 {
                    flush(&mut chunk, &mut written)?;
                }
            }
        }
        flush(&mut chunk, &mut written)
    }

    pub(super) fn directories(&self, label: Option<&[u8; 11]>) -> Result<(), FatError> {
        let t = self.stamp;
        for (i, dir) in self.plan.dirs.iter().enumerate() {
            let mut bytes: Vec<u8> = Vec::with_capacity(dir.slots() * 32);
            let own = self.layout.dir_cluster[i];
            if i == 0 {
                if let Some(label) = label {
                    bytes.extend_from_slice(&short_entry(label, ATTR_VOLUME_ID, 0, 0, t));
                }
            } else {
                // File times are the tree's; only the label's is ingot's own.
                let parent = self.parent_cluster(i);
                let own_t = FatTime::from_unix(dir.mtime);
                bytes.extend_from_slice(&short_entry(
                    b".          ",
                    ATTR_DIRECTORY,
                    own,
                    0,
                    own_t,
                ));
                bytes.extend_from_slice(&short_entry(
                    b"..         ",
                    ATTR_DIRECTORY,
                    parent,
                    0,
                    own_t,
                ));
            }
            for (j, e) in dir.entries.iter().enumerate() {
                if let Some(long) = &e.name.long {
                    for slot in long_entries(long, &e.name.short) {
                        bytes.extend_from_slice(&slot);
                    }
                }
                let (attr, cluster, size) = match e.what {
                    Child::Dir(sub) => (ATTR_DIRECTORY, self.layout.dir_cluster[sub], 0),
                    Child::File { size, .. } => {
                        (ATTR_ARCHIVE, self.layout.file_cluster[i][j], size as u32)
                    }
                };
                let et = FatTime::from_unix(e.mtime);
                bytes.extend_from_slice(&short_entry(&e.name.short, attr, cluster, size, et));
            }
            // Whole clusters (or the whole FAT16 root region), so the end-of-directory zeros
            // are there whatever the target held.
            let (offset, room) = if i == 0 && self.geo.kind == FatKind::Fat16 {
                (
                    self.geo.root_dir_offset(),
                    u64::from(self.geo.root_entries) * 32,
                )
            } else {
                let clusters = self.plan.dir_clusters(i, self.geo.cluster_bytes());
                (
                    self.geo.cluster_offset(own),
                    clusters * self.geo.cluster_bytes(),
                )
            };
            bytes.resize(room as usize, 0);
            self.put(&bytes, offset)?;
        }
        Ok(())
    }

    /// `..` of a directory: its parent's cluster, 0 for the root (also on FAT32).
    fn parent_cluster(&self, dir: usize) -> u32 {
        match self.plan.dirs[dir].parent {
            0 => 0,
            p => self.layout.dir_cluster[p],
        }
    }

    /// Streams every file's data into its clusters, skipping all-zero blocks (holes).
    pub(super) fn files(&self, tree: &Tree) -> Result<(), FatError> {
        let mut buf = vec![0u8; 1 << 20];
        // Progress: every entry's data (FAT has no hard links: a linked file is copied twice).
        let progress = self.target.progress();
        let copied = |size: u64, node| size > 0 && tree.file_source(node).is_some();
        progress.add_total(
            self.plan
                .dirs
                .iter()
                .flat_map(|d| &d.entries)
                .filter_map(|e| match e.what {
                    Child::File { node, size } if copied(size, node) => Some(size),
                    _ => None,
                })
                .sum(),
        );
        for (i, dir) in self.plan.dirs.iter().enumerate() {
            for (j, e) in dir.entries.iter().enumerate() {
                let Child::File { node, size } = e.what else {
                    continue;
                };
                if size == 0 {
                    continue;
                }
                let path = || {
                    let base = if dir.path == "/" {
                        ""
                    } else {
                        dir.path.as_str()
                    };
                    let name = e.name.long.as_ref().map_or_else(
                        || String::from_utf8_lossy(&e.name.short).trim().to_string(),
                        |l| String::from_utf16_lossy(l),
                    );
                    format!("{base}/{name}")
                };
                let source: &FileSource = match tree.file_source(node) {
                    Some((s, _)) => s,
                    None => continue,
                };
                let mut reader = open_source(source, size).map_err(|source| FatError::Source {
                    path: path(),
                    source,
                })?;
                let start = self.geo.cluster_offset(self.layout.file_cluster[i][j]);
                // The image was zeroed: zero pieces need no write (they count as copied when
                // the next piece or the file's end is reached).
                let mut reported = 0;
                fileio::copy_exact(&mut reader, size, &mut buf, true, |bytes, at| {
                    self.put(bytes, start + at)?;
                    let end = at + bytes.len() as u64;
                    progress.advance(end.saturating_sub(reported));
                    reported = reported.max(end);
                    Ok(())
                })
                .map_err(|e| match e {
                    fileio::CopyError::Read(source) => FatError::Source {
                        path: path(),
                        source,
                    },
                    fileio::CopyError::Write(e) => e,
                    fileio::CopyError::Changed { expected, got } => FatError::SourceChanged {
                        path: path(),
                        expected,
                        got,
                    },
                })?;
                progress.advance(size.saturating_sub(reported));
            }
        }
        Ok(())
    }
}
