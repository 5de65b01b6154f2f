//! The host kernel booted by the tests (Debian's linux-image-cloud-amd64: small, with virtio
//! and ata_piix as modules).

use std::path::PathBuf;
use std::process::Command;

#[derive(Debug, Clone)]
pub struct Kernel {
    pub version: String,
    pub vmlinuz: PathBuf,
}

impl Kernel {
    /// The newest /boot/vmlinuz-* that has a /lib/modules directory. Panics with the package
    /// to install when there is none: boot tests must not skip.
    pub fn find() -> Kernel {
        let mut found: Vec<Kernel> = std::fs::read_dir("/boot")
            .expect("reading /boot")
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                let name = e.file_name().into_string().ok()?;
                let version = name.strip_prefix("vmlinuz-")?.to_string();
                PathBuf::from("/lib/modules")
                    .join(&version)
                    .is_dir()
                    .then(|| Kernel {
                        version,
                        vmlinuz: e.path(),
                    })
            })
            .collect();
        found.sort_by_key(|k| version_key(&k.version));
        found
            .pop()
            .expect("no /boot/vmlinuz-* with modules: install linux-image-cloud-amd64")
    }

    /// Paths of `modules` and their dependencies, dependencies first, each once, as
    /// `modprobe -S VERSION --show-depends` resolves them (built-in modules are skipped).
    pub fn module_closure(&self, modules: &[&str]) -> Vec<PathBuf> {
        let mut out: Vec<PathBuf> = Vec::new();
        for m in modules {
            let o = Command::new("modprobe")
                .args(["-S", &self.version, "--show-depends", m])
                .output()
                .expect("running modprobe (package kmod)");
            assert!(
                o.status.success(),
                "modprobe --show-depends {m} failed: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            for line in String::from_utf8_lossy(&o.stdout).lines() {
                let mut words = line.split_whitespace();
                if words.next() == Some("insmod") {
                    let path = PathBuf::from(words.next().expect("insmod line without a path"));
                    if !out.contains(&path) {
                        out.push(path);
                    }
                }
            }
        }
        out
    }
}

/// Natural ordering key: "6.1.0-10" sorts after "6.1.0-9".
fn version_key(v: &str) -> Vec<(u64, String)> {
    let mut key = Vec::new();
    let mut num = String::new();
    let mut text = String::new();
    for c in v.chars() {
        if c.is_ascii_digit() {
            if !text.is_empty() {
                key.push((0, std::mem::take(&mut text)));
            }
            num.push(c);
        } else {
            if !num.is_empty() {
                key.push((num.parse().unwrap_or(u64::MAX), String::new()));
                num.clear();
            }
            text.push(c);
        }
    }
    if !num.is_empty() {
        key.push((num.parse().unwrap_or(u64::MAX), String::new()));
    }
    if !text.is_empty() {
        key.push((0, text));
    }
    key
}
