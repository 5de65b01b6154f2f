//! A real distribution end to end: a Debian bookworm root made by mmdebstrap (systemd, Debian's
//! cloud kernel, sudo, ping; tests/debian/make-root.sh), packed as mmdebstrap's own tar with
//! xattrs, is built by an ordinary user into efi-raw and mbr-raw images with an
//! operating-system whose host-name differs from the tree's, and each image boots under QEMU
//! (OVMF, SeaBIOS) to multi-user.target, where the tree's own check service reports what the
//! guest sees: owners, setuid, file capabilities, the running kernel, the host name, and that
//! no unit failed.
//!
//! The tar is cached under $XDG_CACHE_HOME/ingot (or ~/.cache/ingot), named by a hash of the
//! recipe's files, so a changed recipe makes a new tree and an unchanged one costs nothing.
//! Making it needs root (mmdebstrap --mode=root) and Debian's package mirror.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use common::disk::run;
use common::ingot::ingot;
use common::{boot_with_timeout, Iface, Mode};

/// The recipe: every file that shapes the tree, hashed into the cache key.
const RECIPE: &[&str] = &["make-root.sh", "ingot-check", "ingot-check.service"];
/// The tree's own /etc/hostname (make-root.sh); the OS below must replace it.
const TREE_HOST: &str = "debian-tree";
const OS_HOST: &str = "ingot-guest";
const UNPRIVILEGED: u32 = 65534;

fn recipe_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/debian")
}

fn cache_dir() -> PathBuf {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .expect("neither XDG_CACHE_HOME nor HOME is set");
    base.join("ingot")
}

fn recipe_key() -> String {
    use sha2::Digest;
    let mut hash = sha2::Sha256::new();
    for name in RECIPE {
        let bytes = std::fs::read(recipe_dir().join(name)).unwrap();
        hash.update(name.as_bytes());
        hash.update((bytes.len() as u64).to_le_bytes());
        hash.update(&bytes);
    }
    format!("{:x}", hash.finalize())[..16].to_string()
}

/// The cached Debian root archive, made first when the recipe has none yet.
fn debian_tar() -> &'static Path {
    static TAR: OnceLock<PathBuf> = OnceLock::new();
    TAR.get_or_init(|| {
        let dir = cache_dir();
        let tar = dir.join(format!("debian-bookworm-{}.tar", recipe_key()));
        if tar.is_file() {
            eprintln!("debian root: cached {}", tar.display());
            return tar;
        }
        // SAFETY: geteuid has no side effects.
        assert_eq!(
            unsafe { libc::geteuid() },
            0,
            "making the Debian root ({}) needs root: mmdebstrap --mode=root",
            tar.display()
        );
        std::fs::create_dir_all(&dir).unwrap();
        let partial = tempfile::Builder::new()
            .prefix(".debian-bookworm-")
            .suffix(".tar")
            .tempfile_in(&dir)
            .unwrap();
        let start = Instant::now();
        run(Command::new(recipe_dir().join("make-root.sh")).arg(partial.path()));
        eprintln!(
            "debian root: mmdebstrap made {} in {:.1} s",
            tar.display(),
            start.elapsed().as_secs_f64()
        );
        // tempfile makes it 0600; the unprivileged builder reads it through a hard link.
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(partial.path(), std::fs::Permissions::from_mode(0o644)).unwrap();
        partial.persist(&tar).unwrap();
        tar
    })
}

/// The tree's kernel version, read by GNU tar from the archive (/boot/vmlinuz-VERSION).
fn tree_kernel_version(tar: &Path) -> String {
    let list = run(Command::new("tar").arg("-tf").arg(tar));
    let versions: Vec<&str> = list
        .lines()
        .filter_map(|l| l.strip_prefix("./boot/vmlinuz-"))
        .collect();
    assert_eq!(versions.len(), 1, "one kernel in the tree: {versions:?}");
    versions[0].to_string()
}

/// A directory the unprivileged builder owns, holding the archive (a hard link: the cache
/// itself sits below a home directory nobody else may enter).
fn unprivileged_workdir(tar: &Path) -> (tempfile::TempDir, PathBuf) {
    let work = tempfile::tempdir().unwrap();
    let input = work.path().join("root.tar");
    if std::fs::hard_link(tar, &input).is_err() {
        std::fs::copy(tar, &input).unwrap();
    }
    // SAFETY: geteuid has no side effects.
    if unsafe { libc::geteuid() } == 0 {
        let chown =
            |p: &Path| std::os::unix::fs::chown(p, Some(UNPRIVILEGED), Some(UNPRIVILEGED)).unwrap();
        chown(work.path());
    }
    (work, input)
}

/// Builds the archive into `image_type` as uid 65534; returns the image and ingot's stderr.
fn build_as_user(
    image_type: &str,
    bootloader: &str,
    tar: &Path,
) -> (tempfile::TempDir, PathBuf, String) {
    let (work, input) = unprivileged_workdir(tar);
    let def = work.path().join("os.scm");
    std::fs::write(
        &def,
        format!(
            "(operating-system\n  (host-name \"{OS_HOST}\")\n  \
             (bootloader (bootloader-configuration (bootloader {bootloader}) (timeout 0)))\n  \
             (kernel-arguments '(\"console=ttyS0\" \"quiet\"))\n  \
             (file-systems (list (file-system (device (file-system-label \"debian-root\"))\n\
             \x20                                  (mount-point \"/\") (type \"ext4\")))))\n"
        ),
    )
    .unwrap();
    let image = work.path().join(format!("debian.{image_type}"));
    let mut cmd = ingot();
    cmd.arg("build")
        .arg(&def)
        .args(["-t", image_type, "--keep-owners", "--root-tree"])
        .arg(&input)
        .arg("-o")
        .arg(&image)
        .env("STEEL_HOME", work.path().join("steel"));
    // SAFETY: geteuid has no side effects.
    if unsafe { libc::geteuid() } == 0 {
        use std::os::unix::process::CommandExt;
        cmd.uid(UNPRIVILEGED).gid(UNPRIVILEGED);
    }
    let start = Instant::now();
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        out.status.success(),
        "ingot build -t {image_type}:\n{stderr}"
    );
    eprintln!(
        "debian {image_type}: built as uid {UNPRIVILEGED} in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    (work, image, stderr)
}

/// "INGOT-CHECK name=value" lines of the serial log.
fn checks(log: &str) -> BTreeMap<String, String> {
    log.lines()
        .filter_map(|l| l.trim().strip_prefix("INGOT-CHECK "))
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.trim().to_string()))
        .collect()
}

fn boot_timeout() -> Duration {
    std::env::var("INGOT_BOOT_TIMEOUT")
        .ok()
        .and_then(|s| s.parse().ok())
        .map(Duration::from_secs)
        .unwrap_or(Duration::from_secs(300))
}

/// What the guest must report; an ISO's root is iso9660 read-only and, since Linux's isofs
/// reads no AAIP, ping has no capability there (the build warns so).
fn expected(iso: bool, version: String) -> Vec<(&'static str, String)> {
    vec![
        ("shadow", "root:shadow".to_string()),
        ("sudo", "root:4755".to_string()),
        ("ping", if iso { "" } else { "cap_net_raw=ep" }.to_string()),
        ("uname", version),
        ("hostname", OS_HOST.to_string()),
        ("hosts", OS_HOST.to_string()),
        ("rootfs", if iso { "iso9660" } else { "ext4" }.to_string()),
        ("rootmode", if iso { "ro" } else { "rw" }.to_string()),
        ("state", "running".to_string()),
        ("failed", String::new()),
    ]
}

fn boots_to_multi_user(image_type: &str, bootloader: &str, mode: Mode) {
    let tar = debian_tar();
    let version = tree_kernel_version(tar);
    let (_work, image, stderr) = build_as_user(image_type, bootloader, tar);
    // The summary names the tree's kernel, not the build host's.
    assert!(
        stderr.contains(&format!(
            "kernel: /boot/vmlinuz-{version} (root tree, the newest in /boot)"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("initrd: /boot/initrd.img-{version} (root tree")),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "replaces the root tree's /etc/hostname (\"{TREE_HOST}\")"
        )),
        "{stderr}"
    );
    // The harness prints the time to the marker (its lock serializes boots).
    let log = boot_with_timeout(
        &image,
        mode,
        Iface::Virtio,
        "INGOT-CHECK-END",
        boot_timeout(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let seen = checks(&log);
    eprintln!(
        "debian {image_type}: {mode:?}: {}; slowest: {}",
        seen.get("startup").map_or("", String::as_str),
        seen.get("slowest").map_or("", String::as_str),
    );
    let iso = matches!(mode, Mode::IsoBios | Mode::IsoEfi);
    if iso {
        assert!(
            stderr.contains("Linux's iso9660 driver does not read AAIP"),
            "{stderr}"
        );
        assert!(
            stderr.contains("now reads \"LABEL=DEBIAN-ROOT / iso9660 ro 0 0\""),
            "{stderr}"
        );
        assert!(
            stderr.contains("the ISO volume label is \"DEBIAN-ROOT\", not \"debian-root\""),
            "{stderr}"
        );
        // What the guest cannot see is in the ISO all the same, as xorriso reads it back.
        let aaip = run(Command::new("xorriso")
            .args(["-acl", "on", "-xattr", "any", "-indev"])
            .arg(&image)
            .args(["-getfattr", "/usr/bin/ping", "--"])
            .args(["-getfacl", "/var/log/journal", "--"]));
        assert!(
            aaip.contains(r#"security.capability="\001\000\000\002\000\040"#),
            "{aaip}"
        );
        assert!(aaip.lines().any(|l| l == "default:mask::r-x"), "{aaip}");
    }
    let want = expected(iso, version);
    for (name, value) in want {
        assert_eq!(
            seen.get(name).map(String::as_str),
            Some(value.as_str()),
            "guest check {name}; all checks: {seen:#?}"
        );
    }
}

#[test]
fn debian_efi_raw_boots_under_ovmf() {
    boots_to_multi_user("efi-raw", "grub-efi-bootloader", Mode::Efi);
}

#[test]
fn debian_mbr_raw_boots_under_seabios() {
    boots_to_multi_user("mbr-raw", "grub-bootloader", Mode::Bios);
}

/// The ISO of a real distribution boots to a clean multi-user.target with its read-only root.
#[test]
fn debian_iso_boots_read_only_and_clean() {
    boots_to_multi_user("uncompressed-iso9660", "grub-efi-bootloader", Mode::IsoBios);
}
