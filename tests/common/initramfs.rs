//! A tiny busybox initramfs: loads the disk and file system drivers of the test kernel, mounts
//! the root named by `root=LABEL=…`, `root=UUID=…` or `root=/dev/…` read-only, and prints
//! `ROOT-OK-` followed by the content of /etc/boot-marker read from it (another path with
//! `ingot.marker=/path`), then powers off. On failure it prints `ROOT-FAIL`.

use std::io::Write;
use std::path::Path;
use std::sync::OnceLock;

use flate2::{write::GzEncoder, Compression};

use super::cpio::Cpio;
use super::kernel::Kernel;

/// Drivers for QEMU's IDE (pc machine), virtio-blk/scsi and CD-ROM, and the file systems a
/// test root may use (ext4 is built into Debian's kernel).
const MODULES: &[&str] = &[
    "ata_piix",
    "ata_generic",
    "sd_mod",
    "sr_mod",
    "isofs",
    "virtio_pci",
    "virtio_blk",
    "virtio_scsi",
    "vfat",
    "nls_cp437",
    "nls_ascii",
    "nls_utf8",
];

const APPLETS: &[&str] = &[
    "sh", "mount", "umount", "echo", "cat", "sleep", "poweroff", "insmod", "findfs", "ls", "sync",
];

const INIT: &str = r#"#!/bin/sh
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
exec >/dev/console 2>&1
for ko in $(cat /etc/modules.order); do insmod "$ko" 2>/dev/null; done
ROOT=; FILE=/etc/boot-marker
for w in $(cat /proc/cmdline); do
  case "$w" in
    root=*) ROOT=${w#root=} ;;
    ingot.marker=*) FILE=${w#ingot.marker=} ;;
  esac
done
echo "initramfs: looking for root=$ROOT"
# findfs gives the first device with the label; an isohybrid seen as a disk shows the label
# on the whole disk and on a partition that may not mount, so when the device findfs names
# does not mount, try every block device that holds $FILE.
i=0; ok=
while [ $i -lt 150 ] && [ -z "$ok" ]; do
  case "$ROOT" in
    /dev/*) dev=$ROOT ;;
    *) dev=$(findfs "$ROOT" 2>/dev/null) ;;
  esac
  if [ -n "$dev" ]; then
    if mount -o ro "$dev" /mnt 2>/dev/null; then ok=$dev; break; fi
    for b in /sys/class/block/*; do
      d=/dev/${b##*/}
      mount -o ro "$d" /mnt 2>/dev/null || continue
      [ -f "/mnt$FILE" ] && { ok=$d; break; }
      umount /mnt
    done
  fi
  [ -n "$ok" ] || sleep 0.2
  i=$((i+1))
done
if [ -n "$ok" ] && [ -f "/mnt$FILE" ]; then
  echo "initramfs: mounted $ok"
  echo "ROOT-OK-$(cat "/mnt$FILE")"
else
  echo "ROOT-FAIL: root=$ROOT not mounted or $FILE missing (device: ${ok:-none})"
  ls /sys/class/block
fi
sync
poweroff -f
"#;

/// The gzip-compressed initramfs for `kernel` (built once per test process).
pub fn initramfs(kernel: &Kernel) -> Vec<u8> {
    static CACHE: OnceLock<(String, Vec<u8>)> = OnceLock::new();
    let (version, bytes) = CACHE.get_or_init(|| (kernel.version.clone(), build(kernel)));
    assert_eq!(version, &kernel.version, "one kernel per test process");
    bytes.clone()
}

fn build(kernel: &Kernel) -> Vec<u8> {
    let busybox = std::fs::read("/bin/busybox").expect("reading /bin/busybox (busybox-static)");
    assert!(
        is_static_elf(&busybox),
        "/bin/busybox is dynamically linked: install busybox-static"
    );
    let gz = GzEncoder::new(Vec::new(), Compression::fast());
    let mut cpio = Cpio::new(gz);
    let mut dirs: Vec<String> = ["bin", "dev", "etc", "mnt", "proc", "sys"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let modules = kernel.module_closure(MODULES);
    for m in &modules {
        let mut p = m.parent();
        while let Some(d) = p {
            let rel = d.to_string_lossy().trim_start_matches('/').to_string();
            if !rel.is_empty() && !dirs.contains(&rel) {
                dirs.push(rel);
            }
            p = d.parent();
        }
    }
    dirs.sort(); // parents sort before their children
    let io = |r: std::io::Result<()>| r.expect("writing the initramfs");
    for d in &dirs {
        io(cpio.dir(d));
    }
    io(cpio.char_device("dev/console", 5, 1));
    io(cpio.file("bin/busybox", 0o755, &busybox));
    for a in APPLETS {
        io(cpio.symlink(&format!("bin/{a}"), "busybox"));
    }
    io(cpio.file("init", 0o755, INIT.as_bytes()));
    let mut order = String::new();
    for m in &modules {
        let data = std::fs::read(m).unwrap_or_else(|e| panic!("reading {}: {e}", m.display()));
        io(cpio.file(&rel(m), 0o644, &data));
        order.push_str(&format!("/{}\n", rel(m)));
    }
    io(cpio.file("etc/modules.order", 0o644, order.as_bytes()));
    let mut gz = cpio.finish().expect("writing the initramfs");
    gz.flush().unwrap();
    gz.finish().expect("compressing the initramfs")
}

fn rel(p: &Path) -> String {
    p.to_string_lossy().trim_start_matches('/').to_string()
}

/// An ELF file without a PT_INTERP program header needs no dynamic loader.
fn is_static_elf(elf: &[u8]) -> bool {
    if elf.len() < 64 || &elf[..4] != b"\x7fELF" || elf[4] != 2 {
        return false; // not a 64-bit ELF
    }
    let u64_at = |o: usize| u64::from_le_bytes(elf[o..o + 8].try_into().unwrap()) as usize;
    let u16_at = |o: usize| u16::from_le_bytes([elf[o], elf[o + 1]]) as usize;
    let (phoff, phentsize, phnum) = (u64_at(0x20), u16_at(0x36), u16_at(0x38));
    (0..phnum).all(|i| {
        let at = phoff + i * phentsize;
        at + 4 <= elf.len() && u32::from_le_bytes(elf[at..at + 4].try_into().unwrap()) != 3
    })
}
