//! The checksums and hashes of the ext4 format: crc32c as the kernel chains it, the directory
//! index hash (half-MD4), and the extended attribute hashes.

/// crc32c without the final inversion, continuing from `seed`, as the kernel's and
/// e2fsprogs' `crc32c_le` compute it (the `crc32c` crate inverts on entry and exit).
pub fn crc32c_raw(seed: u32, data: &[u8]) -> u32 {
    !crc32c::crc32c_append(!seed, data)
}

/// The seed of every metadata checksum: crc32c of the file system UUID.
pub fn csum_seed(uuid: &[u8; 16]) -> u32 {
    crc32c_raw(!0, uuid)
}

/// The per-inode seed (inode number and generation) used by inode, directory and extent
/// checksums.
pub fn inode_seed(fs_seed: u32, ino: u32, generation: u32) -> u32 {
    let s = crc32c_raw(fs_seed, &ino.to_le_bytes());
    crc32c_raw(s, &generation.to_le_bytes())
}

fn half_md4_transform(buf: &mut [u32; 4], input: &[u32; 8]) {
    fn f(x: u32, y: u32, z: u32) -> u32 {
        z ^ (x & (y ^ z))
    }
    fn g(x: u32, y: u32, z: u32) -> u32 {
        (x & y).wrapping_add((x ^ y) & z)
    }
    fn h(x: u32, y: u32, z: u32) -> u32 {
        x ^ y ^ z
    }
    const K2: u32 = 0o13240474631;
    const K3: u32 = 0o15666365641;
    let [mut a, mut b, mut c, mut d] = *buf;
    macro_rules! round {
        ($f:ident, $a:ident, $b:ident, $c:ident, $d:ident, $x:expr, $s:expr) => {
            $a = $a.wrapping_add($f($b, $c, $d)).wrapping_add($x);
            $a = $a.rotate_left($s);
        };
    }
    let i = input;
    round!(f, a, b, c, d, i[0], 3);
    round!(f, d, a, b, c, i[1], 7);
    round!(f, c, d, a, b, i[2], 11);
    round!(f, b, c, d, a, i[3], 19);
    round!(f, a, b, c, d, i[4], 3);
    round!(f, d, a, b, c, i[5], 7);
    round!(f, c, d, a, b, i[6], 11);
    round!(f, b, c, d, a, i[7], 19);
    round!(g, a, b, c, d, i[1].wrapping_add(K2), 3);
    round!(g, d, a, b, c, i[3].wrapping_add(K2), 5);
    round!(g, c, d, a, b, i[5].wrapping_add(K2), 9);
    round!(g, b, c, d, a, i[7].wrapping_add(K2), 13);
    round!(g, a, b, c, d, i[0].wrapping_add(K2), 3);
    round!(g, d, a, b, c, i[2].wrapping_add(K2), 5);
    round!(g, c, d, a, b, i[4].wrapping_add(K2), 9);
    round!(g, b, c, d, a, i[6].wrapping_add(K2), 13);
    round!(h, a, b, c, d, i[3].wrapping_add(K3), 3);
    round!(h, d, a, b, c, i[7].wrapping_add(K3), 9);
    round!(h, c, d, a, b, i[2].wrapping_add(K3), 11);
    round!(h, b, c, d, a, i[6].wrapping_add(K3), 15);
    round!(h, a, b, c, d, i[1].wrapping_add(K3), 3);
    round!(h, d, a, b, c, i[5].wrapping_add(K3), 9);
    round!(h, c, d, a, b, i[0].wrapping_add(K3), 11);
    round!(h, b, c, d, a, i[4].wrapping_add(K3), 15);
    buf[0] = buf[0].wrapping_add(a);
    buf[1] = buf[1].wrapping_add(b);
    buf[2] = buf[2].wrapping_add(c);
    buf[3] = buf[3].wrapping_add(d);
}

/// Packs up to `num * 4` name bytes into words, padded with the length pattern. Bytes are
/// sign-extended: the superblock says "signed directory hash", as mke2fs sets on x86.
fn str_to_words(msg: &[u8], out: &mut [u32]) {
    let len = msg.len() as u32;
    let mut pad = len | (len << 8);
    pad |= pad << 16;
    let mut val = pad;
    let mut num = out.len();
    let mut k = 0;
    for (i, &byte) in msg.iter().take(out.len() * 4).enumerate() {
        let c = byte as i8 as i32 as u32;
        val = c.wrapping_add(val << 8);
        if i % 4 == 3 {
            out[k] = val;
            k += 1;
            val = pad;
            num -= 1;
        }
    }
    if num > 0 {
        out[k] = val;
        k += 1;
        num -= 1;
    }
    while num > 0 {
        out[k] = pad;
        k += 1;
        num -= 1;
    }
}

/// The directory index hash of a name (half-MD4, signed), with the low bit cleared.
pub fn dir_hash(name: &[u8], seed: &[u32; 4]) -> (u32, u32) {
    let mut buf = if seed.iter().any(|w| *w != 0) {
        *seed
    } else {
        [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476]
    };
    let mut rest = name;
    let mut input = [0u32; 8];
    loop {
        str_to_words(rest, &mut input);
        half_md4_transform(&mut buf, &input);
        if rest.len() <= 32 {
            break;
        }
        rest = &rest[32..];
    }
    (buf[1] & !1, buf[2])
}

/// The hash of one extended attribute entry (name bytes, then the value as LE words).
pub fn xattr_entry_hash(name: &[u8], value: &[u8]) -> u32 {
    let mut hash: u32 = 0;
    for &b in name {
        hash = (hash << 5) ^ (hash >> 27) ^ b as u32;
    }
    for word in value.chunks(4) {
        let mut w = [0u8; 4];
        w[..word.len()].copy_from_slice(word);
        hash = (hash << 16) ^ (hash >> 16) ^ u32::from_le_bytes(w);
    }
    hash
}

/// The hash of an extended attribute block header, from its entries' hashes.
pub fn xattr_block_hash(entry_hashes: &[u32]) -> u32 {
    let mut hash: u32 = 0;
    for &h in entry_hashes {
        if h == 0 {
            return 0;
        }
        hash = (hash << 16) ^ (hash >> 16) ^ h;
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32c_matches_the_kernel_convention() {
        // Standard CRC-32C check value for "123456789" is 0xe3069283 (inverted on exit).
        assert_eq!(!crc32c_raw(!0, b"123456789"), 0xe3069283);
        // Chaining equals one pass.
        let a = crc32c_raw(crc32c_raw(7, b"abc"), b"def");
        assert_eq!(a, crc32c_raw(7, b"abcdef"));
    }

    #[test]
    fn dir_hash_is_stable_and_even() {
        let seed = [0u32; 4];
        let (h1, _) = dir_hash(b"hello", &seed);
        let (h2, _) = dir_hash(b"hello", &seed);
        assert_eq!(h1, h2);
        assert_eq!(h1 & 1, 0);
        assert_ne!(dir_hash(b"hellp", &seed).0, h1);
        // Long names go through several rounds.
        let long = vec![b'x'; 200];
        assert_ne!(dir_hash(&long, &seed), dir_hash(&long[..199], &seed));
    }

    /// debugfs' dx_hash is the oracle (signed half-MD4, as the superblock flag says).
    #[test]
    fn dir_hash_matches_debugfs() {
        let seed_text = "0b6f3c1a-2d4e-4f60-8a1b-9c2d3e4f5a6b";
        let uuid = crate::model::Uuid::parse(seed_text).unwrap().0;
        let seed = [0, 1, 2, 3].map(|i| {
            u32::from_le_bytes([
                uuid[4 * i],
                uuid[4 * i + 1],
                uuid[4 * i + 2],
                uuid[4 * i + 3],
            ])
        });
        let long = "x".repeat(70);
        for name in ["hello", "lost+found", "ünïcødé-日本語", &long, "a"] {
            let out = std::process::Command::new("debugfs")
                .args(["-R", &format!("dx_hash -h half_md4 -s {seed_text} {name}")])
                .output()
                .expect("debugfs (e2fsprogs) must be installed");
            let text = String::from_utf8_lossy(&out.stdout);
            let (h, minor) = dir_hash(name.as_bytes(), &seed);
            assert!(
                text.contains(&format!("is 0x{h:08x} (minor 0x{minor:08x})")),
                "{name}: debugfs says {text}, we say {h:08x} {minor:08x}"
            );
        }
    }
}
