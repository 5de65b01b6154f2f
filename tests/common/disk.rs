//! Assembling test disks: ext4 file systems made by `mke2fs -d` (until ingot's own ext writer
//! takes over), copied sparsely into a partition region.

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::process::Command;

use ingot::disk::Target;

/// An ext4 image of `size` bytes holding the content of `dir`, owned by root.
pub fn mke2fs(dir: &Path, label: &str, uuid: &str, size: u64) -> tempfile::NamedTempFile {
    let img = tempfile::NamedTempFile::new().expect("temporary file");
    img.as_file().set_len(size).unwrap();
    let out = Command::new("mke2fs")
        .args(["-q", "-F", "-t", "ext4", "-L", label, "-U", uuid])
        .args(["-E", "root_owner=0:0", "-d"])
        .arg(dir)
        .arg(img.path())
        .env("E2FSPROGS_FAKE_TIME", "1700000000")
        .output()
        .expect("running mke2fs (package e2fsprogs)");
    assert!(
        out.status.success(),
        "mke2fs failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    img
}

/// Copies the data ranges of `file` to the start of `target` (holes stay holes).
pub fn copy_sparse(file: &File, target: &dyn Target) {
    let len = file.metadata().unwrap().len();
    assert!(len <= target.len(), "{len} bytes do not fit the region");
    let ranges = ingot::fileio::data_ranges(file, len).unwrap();
    let mut buf = vec![0u8; 1 << 20];
    for (start, end) in ranges {
        let mut pos = start;
        while pos < end {
            let n = ((end - pos) as usize).min(buf.len());
            file.read_exact_at(&mut buf[..n], pos).unwrap();
            target.write_at(&buf[..n], pos).unwrap();
            pos += n as u64;
        }
    }
}

/// Runs a tool and returns its stdout, panicking with its stderr on failure.
pub fn run(cmd: &mut Command) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("running {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed ({}):\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `debugfs -R REQUEST` on the file system image `fs`: its stdout.
pub fn debugfs(fs: &Path, request: &str) -> String {
    run(Command::new("debugfs").arg("-R").arg(request).arg(fs))
}

/// Extracts the tar archive `archive` (compressed or not: GNU tar tells) into `dir`, made
/// first.
pub fn untar(archive: &Path, dir: &Path) {
    untar_with(archive, dir, &[]);
}

/// [`untar`] with more options for tar (e.g. `--numeric-owner`, `-p`).
pub fn untar_with(archive: &Path, dir: &Path, options: &[&str]) {
    std::fs::create_dir_all(dir).unwrap();
    run(Command::new("tar")
        .args(options)
        .arg("-xf")
        .arg(archive)
        .arg("-C")
        .arg(dir));
}

/// The path of `p` as text (test paths are UTF-8).
pub fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}
