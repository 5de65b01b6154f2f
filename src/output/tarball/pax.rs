//! A minimal POSIX (pax) tar writer: ustar headers, with pax extended headers only for what
//! ustar cannot hold (long names and link targets, big sizes, ids and times, xattrs).
//!
//! Written here rather than with the `tar` crate's builder because that builder falls back to
//! GNU `././@LongLink` entries and fills headers from host metadata; every byte of ours comes
//! from the entry, so archives are reproducible by construction.

use std::io::{self, Read, Write};

const BLOCK: usize = 512;

/// What an entry is; the data of regular files is passed separately.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind<'a> {
    File {
        size: u64,
    },
    Dir,
    Symlink(&'a [u8]),
    /// A hard link to an earlier entry, by that entry's archive path.
    HardLink(&'a [u8]),
    CharDevice {
        major: u32,
        minor: u32,
    },
    BlockDevice {
        major: u32,
        minor: u32,
    },
    Fifo,
}

/// One archive member's header fields.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    /// The archive path (directories end with `/`).
    pub path: &'a [u8],
    pub kind: Kind<'a>,
    /// Permission bits (`mode & 0o7777`).
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub mtime: i64,
    /// Extended attributes, stored as `SCHILY.xattr.NAME` records (GNU tar and bsdtar read them).
    pub xattrs: &'a [(Vec<u8>, Vec<u8>)],
}

/// Streams tar members into `W`; call [`TarWriter::finish`] to write the end-of-archive marker.
pub struct TarWriter<W: Write> {
    out: W,
}

// Largest values the ustar numeric fields hold (octal digits + NUL).
const MAX_OCTAL_7: u64 = 0o7777777;
const MAX_OCTAL_11: u64 = 0o77777777777;

impl<W: Write> TarWriter<W> {
    pub fn new(out: W) -> Self {
        TarWriter { out }
    }

    /// Appends one member. For `Kind::File { size }`, exactly `size` bytes are copied from
    /// `data`; a shorter source is an `UnexpectedEof` error (the file changed under us).
    pub fn append(&mut self, entry: &Entry, data: Option<&mut dyn Read>) -> io::Result<()> {
        let mut header = [0u8; BLOCK];
        let mut pax: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();

        if !put_path(&mut header, entry.path) {
            pax.push((b"path".to_vec(), entry.path.to_vec()));
            put_bytes(&mut header[0..100], truncated(entry.path, 100));
        }
        let size = match entry.kind {
            Kind::File { size } => size,
            _ => 0,
        };
        put_octal(&mut header[100..108], u64::from(entry.mode & 0o7777));
        put_numeric(
            &mut header[108..116],
            b"uid",
            u64::from(entry.uid),
            &mut pax,
        );
        put_numeric(
            &mut header[116..124],
            b"gid",
            u64::from(entry.gid),
            &mut pax,
        );
        put_numeric(&mut header[124..136], b"size", size, &mut pax);
        match u64::try_from(entry.mtime) {
            Ok(t) if t <= MAX_OCTAL_11 => put_octal(&mut header[136..148], t),
            _ => {
                pax.push((b"mtime".to_vec(), entry.mtime.to_string().into_bytes()));
                put_octal(&mut header[136..148], 0);
            }
        }
        let (typeflag, link): (u8, Option<&[u8]>) = match entry.kind {
            Kind::File { .. } => (b'0', None),
            Kind::HardLink(target) => (b'1', Some(target)),
            Kind::Symlink(target) => (b'2', Some(target)),
            Kind::CharDevice { .. } => (b'3', None),
            Kind::BlockDevice { .. } => (b'4', None),
            Kind::Dir => (b'5', None),
            Kind::Fifo => (b'6', None),
        };
        header[156] = typeflag;
        if let Some(target) = link {
            if target.len() > 100 {
                pax.push((b"linkpath".to_vec(), target.to_vec()));
            }
            put_bytes(&mut header[157..257], truncated(target, 100));
        }
        header[257..263].copy_from_slice(b"ustar\0");
        header[263..265].copy_from_slice(b"00");
        if entry.uid == 0 {
            put_bytes(&mut header[265..297], b"root");
        }
        if entry.gid == 0 {
            put_bytes(&mut header[297..329], b"root");
        }
        if let Kind::CharDevice { major, minor } | Kind::BlockDevice { major, minor } = entry.kind {
            put_numeric(
                &mut header[329..337],
                b"SCHILY.devmajor",
                major.into(),
                &mut pax,
            );
            put_numeric(
                &mut header[337..345],
                b"SCHILY.devminor",
                minor.into(),
                &mut pax,
            );
        } else {
            put_octal(&mut header[329..337], 0);
            put_octal(&mut header[337..345], 0);
        }
        for (name, value) in entry.xattrs {
            let mut key = b"SCHILY.xattr.".to_vec();
            key.extend_from_slice(name);
            pax.push((key, value.clone()));
        }
        set_checksum(&mut header);

        if !pax.is_empty() {
            self.write_pax_header(entry, &pax)?;
        }
        self.out.write_all(&header)?;
        if size > 0 {
            let data = data.ok_or_else(|| {
                io::Error::new(io::ErrorKind::InvalidInput, "file entry without data")
            })?;
            let copied = io::copy(&mut data.take(size), &mut self.out)?;
            if copied != size {
                return Err(crate::fileio::ended_early(size, copied));
            }
            self.pad(size)?;
        }
        Ok(())
    }

    /// Writes a typeflag `x` member carrying `records` for the entry that follows.
    fn write_pax_header(
        &mut self,
        entry: &Entry,
        records: &[(Vec<u8>, Vec<u8>)],
    ) -> io::Result<()> {
        let mut body = Vec::new();
        for (key, value) in records {
            body.extend_from_slice(&pax_record(key, value));
        }
        // GNU tar's reproducible naming: DIR/PaxHeaders/BASENAME.
        let trimmed = entry.path.strip_suffix(b"/").unwrap_or(entry.path);
        let (dir, base) = match trimmed.iter().rposition(|b| *b == b'/') {
            Some(i) => (&trimmed[..i], &trimmed[i + 1..]),
            None => (&b"."[..], trimmed),
        };
        let mut name = dir.to_vec();
        name.extend_from_slice(b"/PaxHeaders/");
        name.extend_from_slice(base);
        let mut header = [0u8; BLOCK];
        put_bytes(&mut header[0..100], truncated(&name, 100));
        put_octal(&mut header[100..108], 0o644);
        put_octal(&mut header[108..116], 0);
        put_octal(&mut header[116..124], 0);
        put_octal(&mut header[124..136], body.len() as u64);
        put_octal(
            &mut header[136..148],
            u64::try_from(entry.mtime).unwrap_or(0).min(MAX_OCTAL_11),
        );
        header[156] = b'x';
        header[257..263].copy_from_slice(b"ustar\0");
        header[263..265].copy_from_slice(b"00");
        put_octal(&mut header[329..337], 0);
        put_octal(&mut header[337..345], 0);
        set_checksum(&mut header);
        self.out.write_all(&header)?;
        self.out.write_all(&body)?;
        self.pad(body.len() as u64)
    }

    fn pad(&mut self, len: u64) -> io::Result<()> {
        let rem = (len % BLOCK as u64) as usize;
        if rem != 0 {
            self.out.write_all(&[0u8; BLOCK][..BLOCK - rem])?;
        }
        Ok(())
    }

    /// Writes the two zero blocks that end an archive and returns the inner writer.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.write_all(&[0u8; 2 * BLOCK])?;
        self.out.flush()?;
        Ok(self.out)
    }
}

/// A pax record "LEN KEY=VALUE\n", where LEN counts the whole record including its own digits.
fn pax_record(key: &[u8], value: &[u8]) -> Vec<u8> {
    let rest = key.len() + value.len() + 3; // ' ', '=', '\n'
    let mut len = rest + 1;
    while len != rest + len.to_string().len() {
        len = rest + len.to_string().len();
    }
    let mut rec = len.to_string().into_bytes();
    rec.push(b' ');
    rec.extend_from_slice(key);
    rec.push(b'=');
    rec.extend_from_slice(value);
    rec.push(b'\n');
    rec
}

/// Puts `path` in the ustar name field, splitting it into prefix/name at a `/` if it is longer
/// than 100 bytes. Returns false when it cannot fit (a pax `path` record is then needed).
fn put_path(header: &mut [u8; BLOCK], path: &[u8]) -> bool {
    if path.len() <= 100 {
        put_bytes(&mut header[0..100], path);
        return true;
    }
    // The name part must be non-empty, so a trailing '/' cannot be the split point.
    let body = path.strip_suffix(b"/").unwrap_or(path);
    let split = body
        .iter()
        .enumerate()
        .filter(|(i, b)| **b == b'/' && *i <= 155 && path.len() - i - 1 <= 100)
        .map(|(i, _)| i)
        .next();
    match split {
        Some(i) if i > 0 => {
            put_bytes(&mut header[345..500], &path[..i]);
            put_bytes(&mut header[0..100], &path[i + 1..]);
            true
        }
        _ => false,
    }
}

fn truncated(bytes: &[u8], max: usize) -> &[u8] {
    &bytes[..bytes.len().min(max)]
}

fn put_bytes(field: &mut [u8], bytes: &[u8]) {
    field[..bytes.len()].copy_from_slice(bytes);
}

/// Zero-padded octal digits followed by a NUL, filling the field.
fn put_octal(field: &mut [u8], value: u64) {
    let digits = field.len() - 1;
    let text = format!("{value:0digits$o}");
    field[..digits].copy_from_slice(text.as_bytes());
    field[digits] = 0;
}

/// An octal field, or 0 plus a pax record when the value does not fit.
fn put_numeric(field: &mut [u8], key: &[u8], value: u64, pax: &mut Vec<(Vec<u8>, Vec<u8>)>) {
    let max = if field.len() == 8 {
        MAX_OCTAL_7
    } else {
        MAX_OCTAL_11
    };
    if value <= max {
        put_octal(field, value);
    } else {
        pax.push((key.to_vec(), value.to_string().into_bytes()));
        put_octal(field, 0);
    }
}

fn set_checksum(header: &mut [u8; BLOCK]) {
    header[148..156].fill(b' ');
    let sum: u32 = header.iter().map(|b| u32::from(*b)).sum();
    let text = format!("{sum:06o}\0 ");
    header[148..156].copy_from_slice(text.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry<'a>(path: &'a [u8], kind: Kind<'a>) -> Entry<'a> {
        Entry {
            path,
            kind,
            mode: 0o644,
            uid: 0,
            gid: 0,
            mtime: 1,
            xattrs: &[],
        }
    }

    #[test]
    fn pax_record_length_counts_itself() {
        assert_eq!(pax_record(b"path", b"abc"), b"12 path=abc\n");
        // 9 bytes without digits: 1 digit would make 10, which needs 2 digits -> 11.
        let rec = pax_record(b"a", b"bcdef");
        assert_eq!(rec, b"11 a=bcdef\n");
        assert_eq!(rec.len(), 11);
    }

    #[test]
    fn long_names_use_prefix_then_pax() {
        let mut h = [0u8; BLOCK];
        let long = [b"d".repeat(120), b"/".to_vec(), b"f".repeat(50)].concat();
        assert!(put_path(&mut h, &long));
        assert_eq!(&h[345..465], &b"d".repeat(120)[..]);
        let mut h = [0u8; BLOCK];
        assert!(!put_path(&mut h, &b"x".repeat(300)));
    }

    #[test]
    fn the_tar_crate_reads_what_we_write() {
        let long = [b"dir/".repeat(70), b"file".to_vec()].concat();
        let attrs = vec![(b"user.k".to_vec(), b"v\0w".to_vec())];
        let mut w = TarWriter::new(Vec::new());
        let mut e = entry(&long, Kind::File { size: 5 });
        e.xattrs = &attrs;
        e.uid = 3_000_000;
        w.append(&e, Some(&mut &b"hello"[..])).unwrap();
        w.append(&entry(b"l", Kind::HardLink(&long)), None).unwrap();
        w.append(
            &entry(b"dev", Kind::CharDevice { major: 1, minor: 3 }),
            None,
        )
        .unwrap();
        let bytes = w.finish().unwrap();
        assert_eq!(bytes.len() % BLOCK, 0);

        let mut archive = tar::Archive::new(&bytes[..]);
        let mut entries = archive.entries().unwrap();
        let mut first = entries.next().unwrap().unwrap();
        assert_eq!(&*first.path_bytes(), &long[..]);
        let pax: Vec<_> = first
            .pax_extensions()
            .unwrap()
            .unwrap()
            .map(|e| e.unwrap())
            .map(|e| (e.key().unwrap().to_string(), e.value_bytes().to_vec()))
            .collect();
        assert!(pax.contains(&("uid".to_string(), b"3000000".to_vec())));
        assert!(pax.contains(&("SCHILY.xattr.user.k".to_string(), b"v\0w".to_vec())));
        let mut data = String::new();
        first.read_to_string(&mut data).unwrap();
        assert_eq!(data, "hello");
        let second = entries.next().unwrap().unwrap();
        assert_eq!(&*second.link_name_bytes().unwrap(), &long[..]);
        let third = entries.next().unwrap().unwrap();
        assert_eq!(third.header().device_major().unwrap(), Some(1));
        assert_eq!(third.header().device_minor().unwrap(), Some(3));
        assert!(entries.next().is_none());
    }

    #[test]
    fn short_data_is_an_error() {
        let mut w = TarWriter::new(Vec::new());
        let err = w
            .append(
                &entry(b"f", Kind::File { size: 10 }),
                Some(&mut &b"abc"[..]),
            )
            .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
    }
}
