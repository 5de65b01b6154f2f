//! The tar format as real tools write it: v7/ustar/GNU headers, pax records of any content
//! (values may hold newlines), GNU long names, GNU sparse members and POSIX sparse members
//! (0.0, 0.1, 1.0). The `tar` crate parses pax records line by line and knows no POSIX sparse
//! maps, so ingot reads the headers itself; member data is never copied, only located.

use std::fs::File;
use std::os::unix::fs::FileExt;

use super::acl;

const BLOCK: u64 = 512;

/// Why an archive could not be read; the entry is named where there is one.
#[derive(Debug, thiserror::Error)]
pub enum TarError {
    #[error("not a tar archive or a compression ingot reads")]
    NotTar,
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{entry}: {reason}")]
    Entry { entry: String, reason: String },
    #[error("the archive ends inside a member (truncated?)")]
    Truncated,
}

/// A data segment of a sparse member: `len` bytes at `logical` in the file, stored at `stored`
/// in the archive file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    pub logical: u64,
    pub len: u64,
    pub stored: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Data {
    /// `size` contiguous bytes at this archive offset.
    Contiguous(u64),
    Sparse(Vec<Segment>),
}

/// One member with every extension header applied.
#[derive(Debug, Clone)]
pub struct Member {
    pub path: Vec<u8>,
    pub link: Vec<u8>,
    pub typeflag: u8,
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub mtime: i64,
    pub dev_major: u32,
    pub dev_minor: u32,
    /// The file's real size (for sparse members, including holes).
    pub size: u64,
    pub data: Data,
    pub xattrs: Vec<(Vec<u8>, Vec<u8>)>,
}

/// Shows a name for a message: valid UTF-8 as is, other bytes as `\xNN`.
pub fn display_name(name: &[u8]) -> String {
    name.utf8_chunks()
        .map(|c| {
            let mut s = c.valid().to_string();
            for b in c.invalid() {
                s.push_str(&format!("\\x{b:02x}"));
            }
            s
        })
        .collect()
}

fn cstr(field: &[u8]) -> &[u8] {
    let end = field.iter().position(|b| *b == 0).unwrap_or(field.len());
    &field[..end]
}

/// Octal (space/NUL padded) or GNU base-256 numbers.
fn number(field: &[u8]) -> Option<u64> {
    if let Some(&first) = field.first() {
        if first & 0x80 != 0 {
            if first == 0xff {
                return None; // negative
            }
            let mut v: u64 = u64::from(first & 0x7f);
            for b in &field[1..] {
                v = v.checked_mul(256)?.checked_add(u64::from(*b))?;
            }
            return Some(v);
        }
    }
    let text: Vec<u8> = field
        .iter()
        .copied()
        .skip_while(|b| *b == b' ')
        .take_while(|b| (b'0'..=b'7').contains(b))
        .collect();
    if text.is_empty() {
        return Some(0);
    }
    u64::from_str_radix(std::str::from_utf8(&text).ok()?, 8).ok()
}

fn checksum_ok(h: &[u8; 512]) -> bool {
    let Some(stored) = number(&h[148..156]) else {
        return false;
    };
    let unsigned: u64 = h
        .iter()
        .enumerate()
        .map(|(i, b)| {
            if (148..156).contains(&i) {
                32
            } else {
                u64::from(*b)
            }
        })
        .sum();
    let signed: i64 = h
        .iter()
        .enumerate()
        .map(|(i, b)| {
            if (148..156).contains(&i) {
                32
            } else {
                i64::from(*b as i8)
            }
        })
        .sum();
    stored == unsigned || i64::try_from(stored).ok() == Some(signed)
}

/// True when `h` is a tar header block (used to tell a tar from an unknown format).
pub fn is_tar_header(h: &[u8; 512]) -> bool {
    h.iter().any(|b| *b != 0) && checksum_ok(h)
}

/// Pax records: "LEN KEY=VALUE\n", LEN counting the whole record; values are any bytes.
/// (key, value) pairs of pax records, in archive order.
type Records = Vec<(Vec<u8>, Vec<u8>)>;

fn pax_records(data: &[u8]) -> Result<Records, String> {
    let mut out = Vec::new();
    let mut rest = data;
    while !rest.is_empty() && rest[0] != 0 {
        let space = rest
            .iter()
            .position(|b| *b == b' ')
            .ok_or("a pax record without a length")?;
        let len: usize = std::str::from_utf8(&rest[..space])
            .ok()
            .and_then(|s| s.parse().ok())
            .ok_or("a pax record with a malformed length")?;
        if len <= space + 1 || len > rest.len() || rest[len - 1] != b'\n' {
            return Err("a pax record whose length does not match its content".into());
        }
        let record = &rest[space + 1..len - 1];
        let eq = record
            .iter()
            .position(|b| *b == b'=')
            .ok_or("a pax record without '='")?;
        out.push((record[..eq].to_vec(), record[eq + 1..].to_vec()));
        rest = &rest[len..];
    }
    Ok(out)
}

fn parse_u64(v: &[u8]) -> Option<u64> {
    std::str::from_utf8(v).ok()?.trim().parse().ok()
}

/// Pax times are decimal seconds with an optional fraction (and may be negative).
fn parse_time(v: &[u8]) -> Option<i64> {
    let s = std::str::from_utf8(v).ok()?.trim();
    let whole = s.split('.').next()?;
    whole.parse().ok()
}

/// Reads members one by one from an uncompressed archive file.
pub struct Reader<'a> {
    file: &'a File,
    pos: u64,
    len: u64,
    global: Records,
}

impl<'a> Reader<'a> {
    pub fn new(file: &'a File) -> Result<Self, TarError> {
        let len = file.metadata()?.len();
        let r = Reader {
            file,
            pos: 0,
            len,
            global: Vec::new(),
        };
        let first = r.block(0).map_err(|e| match e {
            TarError::Truncated => TarError::NotTar,
            e => e,
        })?;
        // An empty archive (tar -cf x.tar -T /dev/null) is all end-of-archive zeros.
        let empty = first.iter().all(|b| *b == 0);
        if !empty && !is_tar_header(&first) {
            return Err(TarError::NotTar);
        }
        Ok(r)
    }

    fn block(&self, at: u64) -> Result<[u8; 512], TarError> {
        let mut h = [0u8; 512];
        if at.checked_add(BLOCK).is_none_or(|end| end > self.len) {
            return Err(TarError::Truncated);
        }
        self.file.read_exact_at(&mut h, at)?;
        Ok(h)
    }

    fn bytes(&self, at: u64, size: u64) -> Result<Vec<u8>, TarError> {
        // Extension data (names, pax records, sparse maps) is small; refuse absurd sizes
        // rather than allocating them.
        if size > 64 << 20 {
            return Err(TarError::Entry {
                entry: format!("header at byte {at}"),
                reason: format!("an extension header of {size} bytes"),
            });
        }
        if at.checked_add(size).is_none_or(|end| end > self.len) {
            return Err(TarError::Truncated);
        }
        let mut buf = vec![0u8; size as usize];
        self.file.read_exact_at(&mut buf, at)?;
        Ok(buf)
    }

    /// The next member, or None at the end of the archive.
    pub fn next_member(&mut self) -> Result<Option<Member>, TarError> {
        let mut pax: Records = Vec::new();
        let mut long_name: Option<Vec<u8>> = None;
        let mut long_link: Option<Vec<u8>> = None;
        loop {
            if self.pos.checked_add(BLOCK).is_none_or(|e| e > self.len) {
                return Ok(None); // no end-of-archive blocks: accept as GNU tar does
            }
            let h = self.block(self.pos)?;
            if h.iter().all(|b| *b == 0) {
                return Ok(None);
            }
            let at = self.pos;
            if !checksum_ok(&h) {
                return Err(TarError::Entry {
                    entry: format!("header at byte {at}"),
                    reason: "bad header checksum (a corrupt or truncated archive)".into(),
                });
            }
            let size = number(&h[124..136]).ok_or_else(|| TarError::Entry {
                entry: display_name(cstr(&h[..100])),
                reason: "bad size field".into(),
            })?;
            let typeflag = h[156];
            let data_at = at + BLOCK;
            let padded = size
                .div_ceil(BLOCK)
                .checked_mul(BLOCK)
                .ok_or(TarError::Truncated)?;
            match typeflag {
                b'x' | b'g' | b'L' | b'K' => {
                    let mut data = self.bytes(data_at, size)?;
                    self.pos = data_at + padded;
                    match typeflag {
                        b'x' | b'g' => {
                            let records = pax_records(&data).map_err(|reason| TarError::Entry {
                                entry: display_name(cstr(&h[..100])),
                                reason,
                            })?;
                            if typeflag == b'g' {
                                self.global.extend(records);
                            } else {
                                pax.extend(records);
                            }
                        }
                        _ => {
                            data.truncate(cstr(&data).len());
                            if typeflag == b'L' {
                                long_name = Some(data);
                            } else {
                                long_link = Some(data);
                            }
                        }
                    }
                    continue;
                }
                _ => {}
            }
            let member = self.member(&h, at, size, &pax, long_name, long_link)?;
            return Ok(Some(member));
        }
    }

    fn member(
        &mut self,
        h: &[u8; 512],
        at: u64,
        stored_size: u64,
        local: &[(Vec<u8>, Vec<u8>)],
        long_name: Option<Vec<u8>>,
        long_link: Option<Vec<u8>>,
    ) -> Result<Member, TarError> {
        let ustar = &h[257..263] == b"ustar\0";
        let gnu = &h[257..265] == b"ustar  \0";
        let mut path = cstr(&h[..100]).to_vec();
        if ustar && h[345] != 0 {
            path = [cstr(&h[345..500]), b"/", &path].concat();
        }
        if let Some(n) = long_name {
            path = n;
        }
        let mut link = long_link.unwrap_or_else(|| cstr(&h[157..257]).to_vec());
        let bad = |what: &str| TarError::Entry {
            entry: display_name(&path),
            reason: format!("bad {what} field"),
        };
        let mut m = Member {
            typeflag: h[156],
            mode: number(&h[100..108]).ok_or_else(|| bad("mode"))? as u32 & 0o7777,
            uid: u32::try_from(number(&h[108..116]).ok_or_else(|| bad("uid"))?)
                .map_err(|_| bad("uid"))?,
            gid: u32::try_from(number(&h[116..124]).ok_or_else(|| bad("gid"))?)
                .map_err(|_| bad("gid"))?,
            mtime: i64::try_from(number(&h[136..148]).unwrap_or(0)).unwrap_or(0),
            dev_major: number(&h[329..337]).unwrap_or(0) as u32,
            dev_minor: number(&h[337..345]).unwrap_or(0) as u32,
            size: stored_size,
            data: Data::Contiguous(at + BLOCK),
            xattrs: Vec::new(),
            path: Vec::new(),
            link: Vec::new(),
        };
        let mut data_at = at + BLOCK;
        // GNU sparse ('S'): the map is in the header and its extension blocks.
        if m.typeflag == b'S' && gnu {
            let mut map = Vec::new();
            let mut push = |entries: &[u8]| {
                for e in entries.chunks_exact(24) {
                    let (off, len) = (number(&e[..12]), number(&e[12..]));
                    if let (Some(o), Some(l)) = (off, len) {
                        if o != 0 || l != 0 {
                            map.push((o, l));
                        }
                    }
                }
            };
            push(&h[386..482]);
            let mut extended = h[482] != 0;
            while extended {
                let ext = self.block(data_at)?;
                data_at += BLOCK;
                push(&ext[..504]);
                extended = ext[504] != 0;
            }
            m.size = number(&h[483..495]).ok_or_else(|| bad("sparse size"))?;
            m.data = Data::Sparse(segments(&map, data_at, stored_size, m.size, &path)?);
            m.typeflag = b'0';
        }
        let mut sparse_map: Vec<u64> = Vec::new();
        let mut sparse_size: Option<u64> = None;
        let mut sparse_name: Option<Vec<u8>> = None;
        let mut sparse_major: Option<u64> = None;
        let mut acl_access: Option<Vec<u8>> = None;
        let mut acl_default: Option<Vec<u8>> = None;
        let mut size_override: Option<u64> = None;
        for (key, value) in self.global.iter().chain(local) {
            let bad_value = || TarError::Entry {
                entry: display_name(&path),
                reason: format!("bad pax value for {}", display_name(key)),
            };
            match key.as_slice() {
                b"path" => path = value.clone(),
                b"linkpath" => link = value.clone(),
                b"size" => size_override = Some(parse_u64(value).ok_or_else(bad_value)?),
                b"uid" => {
                    m.uid = u32::try_from(parse_u64(value).ok_or_else(bad_value)?)
                        .map_err(|_| bad_value())?
                }
                b"gid" => {
                    m.gid = u32::try_from(parse_u64(value).ok_or_else(bad_value)?)
                        .map_err(|_| bad_value())?
                }
                b"mtime" => m.mtime = parse_time(value).ok_or_else(bad_value)?,
                b"GNU.sparse.size" | b"GNU.sparse.realsize" => {
                    sparse_size = Some(parse_u64(value).ok_or_else(bad_value)?)
                }
                b"GNU.sparse.name" => sparse_name = Some(value.clone()),
                b"GNU.sparse.major" => sparse_major = parse_u64(value),
                b"GNU.sparse.offset" | b"GNU.sparse.numbytes" => {
                    sparse_map.push(parse_u64(value).ok_or_else(bad_value)?)
                }
                b"GNU.sparse.map" => {
                    for n in value.split(|b| *b == b',').filter(|n| !n.is_empty()) {
                        sparse_map.push(parse_u64(n).ok_or_else(bad_value)?);
                    }
                }
                b"SCHILY.acl.access" => acl_access = Some(value.clone()),
                b"SCHILY.acl.default" => acl_default = Some(value.clone()),
                // hdrcharset=BINARY says names are not UTF-8: ingot keeps names as bytes
                // either way, so there is nothing to convert.
                _ => {
                    if let Some(name) = key.strip_prefix(b"SCHILY.xattr.") {
                        m.xattrs.retain(|(n, _)| n.as_slice() != name);
                        m.xattrs.push((name.to_vec(), value.clone()));
                    }
                }
            }
        }
        let stored_size = size_override.unwrap_or(stored_size);
        if let Some(n) = sparse_name {
            path = n;
        }
        if sparse_size.is_some() || !sparse_map.is_empty() {
            let real = sparse_size.ok_or_else(|| TarError::Entry {
                entry: display_name(&path),
                reason: "a sparse member without its real size".into(),
            })?;
            let mut stored_at = data_at;
            let mut stored_len = stored_size;
            if sparse_major == Some(1) {
                // 1.0: the map is decimal lines at the start of the data, padded to a block.
                let (map, used) = self.sparse_map_1_0(data_at, stored_size, &path)?;
                sparse_map = map;
                stored_at += used;
                stored_len -= used;
            }
            let pairs: Vec<(u64, u64)> = sparse_map.chunks_exact(2).map(|p| (p[0], p[1])).collect();
            if !sparse_map.len().is_multiple_of(2) {
                return Err(TarError::Entry {
                    entry: display_name(&path),
                    reason: "a sparse map with an odd number of values".into(),
                });
            }
            m.size = real;
            m.data = Data::Sparse(segments(&pairs, stored_at, stored_len, real, &path)?);
        } else if matches!(m.data, Data::Contiguous(_)) {
            m.size = stored_size;
        }
        let has_data = matches!(m.typeflag, b'0' | 0 | b'7');
        if has_data
            && data_at
                .checked_add(stored_size)
                .is_none_or(|e| e > self.len)
        {
            return Err(TarError::Truncated);
        }
        // Whatever the type, `size` bytes follow the header (a hard link may carry data).
        self.pos = data_at
            .checked_add(stored_size.div_ceil(BLOCK) * BLOCK)
            .ok_or(TarError::Truncated)?;
        for (text, name) in [
            (acl_access, acl::ACCESS_XATTR),
            (acl_default, acl::DEFAULT_XATTR),
        ] {
            let Some(text) = text.filter(|t| !t.is_empty()) else {
                continue;
            };
            // GNU tar --xattrs stores the binary value too; it is exact (ids, not names).
            if m.xattrs
                .iter()
                .any(|(n, _)| n.as_slice() == name.as_bytes())
            {
                continue;
            }
            let value = acl::from_text(&text, &acl::host_id).map_err(|reason| TarError::Entry {
                entry: display_name(&path),
                reason: format!("ACL: {reason}"),
            })?;
            m.xattrs.push((name.as_bytes().to_vec(), value));
        }
        m.xattrs.sort();
        m.path = path;
        m.link = link;
        Ok(m)
    }

    /// Reads a 1.0 sparse map: returns the numbers and how many bytes (whole blocks) it used.
    fn sparse_map_1_0(
        &self,
        at: u64,
        stored: u64,
        path: &[u8],
    ) -> Result<(Vec<u64>, u64), TarError> {
        let err = |reason: &str| TarError::Entry {
            entry: display_name(path),
            reason: reason.into(),
        };
        let mut text = Vec::new();
        let mut used = 0u64;
        let mut numbers = Vec::new();
        let mut count: Option<u64> = None;
        loop {
            if used >= stored {
                return Err(err("the sparse map runs past the member"));
            }
            text.extend_from_slice(&self.block(at + used)?);
            used += BLOCK;
            // Take complete lines only.
            while let Some(nl) = text.iter().position(|b| *b == b'\n') {
                let line: Vec<u8> = text.drain(..=nl).collect();
                let n = parse_u64(&line[..nl]).ok_or_else(|| err("a malformed sparse map"))?;
                match count {
                    None => {
                        if n > 1 << 24 {
                            return Err(err("a sparse map with too many segments"));
                        }
                        count = Some(n)
                    }
                    Some(_) => numbers.push(n),
                }
                if count.is_some_and(|c| numbers.len() as u64 == c * 2) {
                    return Ok((numbers, used));
                }
            }
        }
    }
}

/// Places a sparse map's segments in the archive (stored one after another) and checks them.
fn segments(
    map: &[(u64, u64)],
    stored_at: u64,
    stored_len: u64,
    real: u64,
    path: &[u8],
) -> Result<Vec<Segment>, TarError> {
    let err = |reason: &str| TarError::Entry {
        entry: display_name(path),
        reason: reason.into(),
    };
    let mut out = Vec::with_capacity(map.len());
    let mut stored = 0u64;
    let mut last_end = 0u64;
    for &(logical, len) in map {
        let end = logical
            .checked_add(len)
            .ok_or_else(|| err("a sparse segment past 2^64"))?;
        if logical < last_end || end > real {
            return Err(err("sparse segments out of order or past the file's size"));
        }
        last_end = end;
        if len == 0 {
            continue;
        }
        out.push(Segment {
            logical,
            len,
            stored: stored_at + stored,
        });
        stored += len;
    }
    if stored > stored_len {
        return Err(err("the sparse map lists more data than the member holds"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pax_values_may_hold_newlines() {
        let value = b"user::rw-\nuser:1000:r--\n";
        let body = [&b" SCHILY.acl.access="[..], value, b"\n"].concat();
        let len = body.len() + 2; // two digits
        let data = [len.to_string().as_bytes(), &body].concat();
        assert_eq!(data.len(), len);
        let r = pax_records(&data).unwrap();
        assert_eq!(r, vec![(b"SCHILY.acl.access".to_vec(), value.to_vec())]);
        assert!(pax_records(b"99 path=x\n").is_err());
    }

    #[test]
    fn numbers_octal_and_base256() {
        assert_eq!(number(b"0000644\0"), Some(0o644));
        assert_eq!(number(b"     17 "), Some(0o17));
        let mut big = [0u8; 12];
        big[0] = 0x80;
        big[7] = 0x19; // 100 GiB = 0x19_0000_0000
        assert_eq!(number(&big), Some(100 << 30));
    }

    #[test]
    fn an_empty_archive_has_no_members() {
        use std::io::Write;
        let mut f = tempfile::tempfile().unwrap();
        f.write_all(&[0u8; 10240]).unwrap();
        assert!(Reader::new(&f).unwrap().next_member().unwrap().is_none());
        let mut g = tempfile::tempfile().unwrap();
        g.write_all(&[7u8; 1024]).unwrap();
        assert!(matches!(Reader::new(&g), Err(TarError::NotTar)));
    }

    #[test]
    fn names_display_without_raw_bytes() {
        assert_eq!(display_name(b"caf\xe9"), "caf\\xe9");
    }
}
