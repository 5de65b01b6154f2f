//! ingot's QEMU boot-test harness: a busybox initramfs that proves the root file system was
//! mounted, a kernel finder, a QEMU runner for BIOS/UEFI disks and ISOs, and small helpers to
//! assemble test disks.
//!
//! The marker a test waits for is `ROOT-OK-<suffix>`, where only `<suffix>` (random, made by
//! [`marker_suffix`]) is stored on the image, in /etc/boot-marker, and /init adds the prefix:
//! nothing but a successful read of the root file system can print the full marker.
#![allow(dead_code, unused_imports)] // each test binary uses a different part of the harness

pub mod corpus;
pub mod cpio;
pub mod disk;
pub mod ingot;
pub mod initramfs;
pub mod kernel;
pub mod qemu;

pub use initramfs::initramfs;
pub use kernel::Kernel;
pub use qemu::{boot, boot_with_timeout, Iface, Mode};

use std::io::Read;

/// A random hex string for the marker file (tests may use randomness; the library may not).
pub fn marker_suffix() -> String {
    let mut bytes = [0u8; 8];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .expect("reading /dev/urandom");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What /init prints once it has read `suffix` from the mounted root file system.
pub fn root_ok(suffix: &str) -> String {
    format!("ROOT-OK-{suffix}")
}
