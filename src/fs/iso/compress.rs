//! Which files get zisofs compression. Linux reads zisofs transparently; GRUB does not, so
//! whatever GRUB loads stays plain, as in Guix's `make-iso9660-image` (which excludes /boot,
//! /System, bzImage, unicode.pf2, *.gz and *.png): the kernel and initrd, GRUB's files, and
//! files that would not shrink (already compressed, or smaller than a 4 KiB block pair).

/// Files smaller than this are left alone (one or two ISO blocks: nothing to gain).
const MIN_SIZE: u64 = 4096;

const COMPRESSED_SUFFIXES: &[&str] = &[
    ".gz",
    ".tgz",
    ".xz",
    ".txz",
    ".zst",
    ".bz2",
    ".lz4",
    ".lzma",
    ".lz",
    ".zip",
    ".png",
    ".jpg",
    ".jpeg",
    ".squashfs",
    ".efi",
    ".img",
];

/// Name prefixes of kernels and initial RAM disks, which GRUB loads.
const BOOT_FILE_PREFIXES: &[&str] = &["vmlinuz", "vmlinux", "bzImage", "initrd", "initramfs"];

/// Whether the file at `path` ("/usr/share/doc/x") of `size` bytes should be compressed.
pub fn wanted(path: &[u8], size: u64) -> bool {
    if size < MIN_SIZE {
        return false;
    }
    if path.starts_with(b"/boot/") || path.starts_with(b"/System/") {
        return false;
    }
    let name = path.rsplit(|b| *b == b'/').next().unwrap_or(path);
    let name = String::from_utf8_lossy(name);
    if name == "unicode.pf2" || BOOT_FILE_PREFIXES.iter().any(|p| name.starts_with(p)) {
        return false;
    }
    let lower = name.to_ascii_lowercase();
    !COMPRESSED_SUFFIXES.iter().any(|s| lower.ends_with(s))
}

#[cfg(test)]
mod tests {
    use super::wanted;

    #[test]
    fn grub_files_and_compressed_files_stay_plain() {
        assert!(wanted(b"/usr/share/doc/readme", 10_000));
        assert!(!wanted(b"/usr/share/doc/readme", 100));
        assert!(!wanted(b"/boot/grub/grub.cfg", 10_000));
        assert!(!wanted(b"/gnu/store/abc-linux/bzImage", 10_000_000));
        assert!(!wanted(b"/gnu/store/abc-initrd/initrd.cpio.gz", 10_000_000));
        assert!(!wanted(b"/vmlinuz-6.1", 10_000_000));
        assert!(!wanted(b"/usr/share/man/man1/ls.1.GZ", 10_000));
        assert!(!wanted(b"/usr/share/grub/unicode.pf2", 2_000_000));
    }
}
