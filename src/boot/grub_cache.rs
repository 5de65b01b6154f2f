//! A cache of `grub-mkimage` outputs under `$XDG_CACHE_HOME/ingot/grub` (or
//! `~/.cache/ingot/grub`), so a repeated build does not run it again. An entry is keyed by
//! everything the output depends on: the image format, the prefix, the embedded config, the
//! module list, and the identity (path, size, modification time) of `grub-mkimage`, of the
//! platform's `kernel.img` and `moddep.lst` and of each listed module, which a GRUB upgrade
//! changes. Entries carry a SHA-256 of their image: a corrupt or partial one is rebuilt.
//! Entries are written to a temporary file and renamed, so readers never see half of one.
//! The cache is an optimisation only: when it cannot be read or written, GRUB just runs.

use std::fs;
use std::io::Write;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

const MAGIC: &[u8; 8] = b"ingotgc1";

/// The default cache directory, when a home or XDG cache directory is known.
pub fn default_dir() -> Option<PathBuf> {
    let base = match std::env::var_os("XDG_CACHE_HOME").map(PathBuf::from) {
        Some(dir) if dir.is_absolute() => dir,
        _ => PathBuf::from(std::env::var_os("HOME")?).join(".cache"),
    };
    Some(base.join("ingot").join("grub"))
}

/// What one `grub-mkimage` run depends on.
pub struct Inputs<'a> {
    pub mkimage: &'a Path,
    pub platform_dir: &'a Path,
    pub format: &'a str,
    pub prefix: &'a str,
    pub config: &'a str,
    pub modules: &'a [&'a str],
}

fn hash_field(h: &mut Sha256, bytes: &[u8]) {
    h.update((bytes.len() as u64).to_le_bytes());
    h.update(bytes);
}

fn hash_file_identity(h: &mut Sha256, path: &Path) {
    use std::os::unix::ffi::OsStrExt;
    hash_field(h, path.as_os_str().as_bytes());
    match fs::metadata(path) {
        Ok(md) => {
            for v in [
                md.len() as i64,
                md.mtime(),
                md.mtime_nsec(),
                md.ino() as i64,
            ] {
                h.update(v.to_le_bytes());
            }
        }
        Err(_) => h.update([0xFF; 8]),
    }
}

impl Inputs<'_> {
    /// The entry's name: a hex SHA-256 over every input.
    pub fn key(&self) -> String {
        let mut h = Sha256::new();
        hash_field(&mut h, MAGIC);
        hash_field(&mut h, self.format.as_bytes());
        hash_field(&mut h, self.prefix.as_bytes());
        hash_field(&mut h, self.config.as_bytes());
        h.update((self.modules.len() as u64).to_le_bytes());
        for m in self.modules {
            hash_field(&mut h, m.as_bytes());
        }
        hash_file_identity(&mut h, self.mkimage);
        for file in ["kernel.img", "moddep.lst"] {
            hash_file_identity(&mut h, &self.platform_dir.join(file));
        }
        for m in self.modules {
            hash_file_identity(&mut h, &self.platform_dir.join(format!("{m}.mod")));
        }
        hex(&h.finalize())
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The cached image for `key`, if a whole, intact entry is there.
pub fn load(dir: &Path, key: &str) -> Option<Vec<u8>> {
    let bytes = fs::read(dir.join(key)).ok()?;
    let rest = bytes.strip_prefix(MAGIC)?;
    if rest.len() < 32 {
        return None;
    }
    let (sum, image) = rest.split_at(32);
    (Sha256::digest(image).as_slice() == sum).then(|| image.to_vec())
}

/// Stores `image` under `key`, replacing any entry atomically. Errors are ignored: the
/// next build runs GRUB again.
pub fn store(dir: &Path, key: &str, image: &[u8]) {
    let write = || -> std::io::Result<()> {
        fs::create_dir_all(dir)?;
        let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
        tmp.write_all(MAGIC)?;
        tmp.write_all(&Sha256::digest(image))?;
        tmp.write_all(image)?;
        tmp.as_file().sync_data()?;
        tmp.persist(dir.join(key)).map_err(|e| e.error)?;
        Ok(())
    };
    let _ = write();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_roundtrip_and_damage_is_detected() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load(dir.path(), "k"), None);
        store(dir.path(), "k", b"grub image");
        assert_eq!(load(dir.path(), "k").as_deref(), Some(&b"grub image"[..]));
        let path = dir.path().join("k");
        let mut bytes = fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        fs::write(&path, &bytes).unwrap();
        assert_eq!(load(dir.path(), "k"), None, "a flipped bit");
        fs::write(&path, &bytes[..20]).unwrap();
        assert_eq!(load(dir.path(), "k"), None, "a partial entry");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary files left");
    }

    #[test]
    fn keys_change_with_every_input() {
        let dir = tempfile::tempdir().unwrap();
        let tool = dir.path().join("grub-mkimage");
        fs::write(&tool, b"v1").unwrap();
        let base = Inputs {
            mkimage: &tool,
            platform_dir: dir.path(),
            format: "x86_64-efi",
            prefix: "/EFI/BOOT",
            config: "search",
            modules: &["fat", "ext2"],
        };
        let k = base.key();
        assert_eq!(k, base.key());
        let variants = [
            Inputs {
                format: "i386-efi",
                ..base
            },
            Inputs {
                prefix: "/boot",
                ..base
            },
            Inputs {
                config: "search ",
                ..base
            },
            Inputs {
                modules: &["ext2", "fat"],
                ..base
            },
        ];
        for v in &variants {
            assert_ne!(v.key(), k);
        }
        fs::write(&tool, b"version 2").unwrap();
        assert_ne!(base.key(), k, "another grub-mkimage");
    }

    /// Runs the real grub-mkimage through a wrapper that counts its runs.
    #[test]
    fn a_repeated_build_does_not_run_grub_mkimage_and_a_damaged_entry_is_rebuilt() {
        use crate::boot::grub::{EfiArch, Grub};
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("bin");
        fs::create_dir(&bin).unwrap();
        let runs = dir.path().join("runs");
        let wrapper = bin.join("grub-mkimage");
        fs::write(
            &wrapper,
            format!(
                "#!/bin/sh\necho run >> '{}'\nexec /usr/bin/grub-mkimage \"$@\"\n",
                runs.display()
            ),
        )
        .unwrap();
        fs::set_permissions(&wrapper, fs::Permissions::from_mode(0o755)).unwrap();
        let cache = dir.path().join("cache");
        let grub = Grub::new("/usr/lib/grub", &bin).with_cache(Some(cache.clone()));
        let count = || {
            fs::read_to_string(&runs)
                .unwrap_or_default()
                .lines()
                .count()
        };
        let cfg = "search --set=root --label x\n";
        let first = grub.efi_binary(EfiArch::X86_64, cfg).unwrap();
        assert_eq!(count(), 1);
        assert_eq!(grub.efi_binary(EfiArch::X86_64, cfg).unwrap(), first);
        assert_eq!(count(), 1, "the second build ran grub-mkimage");
        let uncached = Grub::new("/usr/lib/grub", &bin).efi_binary(EfiArch::X86_64, cfg);
        assert_eq!(
            uncached.unwrap(),
            first,
            "the cached image is grub-mkimage's"
        );
        assert_eq!(count(), 2);
        // Damage the entry: it is rebuilt, and right again.
        let entries: Vec<_> = fs::read_dir(&cache)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(entries.len(), 1);
        let mut bytes = fs::read(&entries[0]).unwrap();
        bytes[100] ^= 0xFF;
        fs::write(&entries[0], &bytes).unwrap();
        assert_eq!(grub.efi_binary(EfiArch::X86_64, cfg).unwrap(), first);
        assert_eq!(count(), 3);
        assert_eq!(grub.efi_binary(EfiArch::X86_64, cfg).unwrap(), first);
        assert_eq!(count(), 3, "the rebuilt entry is used");
        // Another embedded config is another image.
        grub.efi_binary(EfiArch::X86_64, "search --set=root --label y\n")
            .unwrap();
        assert_eq!(count(), 4);
    }
}
