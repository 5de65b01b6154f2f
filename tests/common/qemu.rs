//! Boots an image in QEMU (TCG, `-machine pc`) and waits for a marker on the serial console.
//! SeaBIOS (QEMU's default) for BIOS; OVMF through two pflash drives (read-only code, a
//! private copy of the variables) for UEFI. The image is attached with snapshot=on, so it is
//! never modified. QEMU is killed on every path, panics included.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

const OVMF_CODE: &str = "/usr/share/OVMF/OVMF_CODE_4M.fd";
const OVMF_VARS: &str = "/usr/share/OVMF/OVMF_VARS_4M.fd";
/// 32-bit UEFI (package ovmf-ia32): Debian ships only its Secure Boot build, which needs SMM
/// (q35); with no keys enrolled it boots unsigned binaries.
const OVMF32_CODE: &str = "/usr/share/OVMF/OVMF32_CODE_4M.secboot.fd";
const OVMF32_VARS: &str = "/usr/share/OVMF/OVMF32_VARS_4M.fd";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A disk image under SeaBIOS.
    Bios,
    /// A disk image under OVMF.
    Efi,
    /// A disk image under 32-bit OVMF (efi32 images; a 64-bit kernel in EFI mixed mode).
    Efi32,
    /// An ISO as a CD-ROM under SeaBIOS (El Torito BIOS).
    IsoBios,
    /// An ISO as a CD-ROM under OVMF (El Torito EFI).
    IsoEfi,
}

/// How a disk image is attached (ISOs are always IDE CD-ROMs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Iface {
    Virtio,
    Ide,
}

/// Default time to wait for the marker; `INGOT_BOOT_TIMEOUT` (seconds) overrides it.
pub fn default_timeout() -> Duration {
    let secs = std::env::var("INGOT_BOOT_TIMEOUT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    Duration::from_secs(secs)
}

/// Boots `image` and returns the serial log once `marker` appears, or an error with the log.
pub fn boot(image: &Path, mode: Mode, iface: Iface, marker: &str) -> Result<String, String> {
    boot_with_timeout(image, mode, iface, marker, default_timeout())
}

/// Kills and reaps QEMU when dropped.
struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Boots serialize: two TCG guests on a 2-core machine slow each other past the timeouts.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

pub fn boot_with_timeout(
    image: &Path,
    mode: Mode,
    iface: Iface,
    marker: &str,
    timeout: Duration,
) -> Result<String, String> {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let work = tempfile::tempdir().map_err(|e| format!("temporary directory: {e}"))?;
    let log_path = work.path().join("serial.log");
    let qemu_out = work.path().join("qemu.out");
    let mut cmd = Command::new("qemu-system-x86_64");
    // q35 only where the 32-bit firmware needs SMM: the test kernel lacks AHCI, and every
    // disk here is virtio or IDE on pc.
    let machine = if mode == Mode::Efi32 {
        "q35,smm=on"
    } else {
        "pc"
    };
    cmd.args([
        "-machine", machine, "-accel", "tcg", "-m", "512", "-smp", "1",
    ])
    .args(["-display", "none", "-monitor", "none", "-vga", "none"])
    .args(["-nodefaults", "-no-reboot"])
    .arg("-serial")
    .arg(format!("file:{}", log_path.display()));
    if matches!(mode, Mode::Efi | Mode::IsoEfi | Mode::Efi32) {
        let (code, vars_src) = if mode == Mode::Efi32 {
            cmd.args(["-global", "driver=cfi.pflash01,property=secure,value=on"]);
            (OVMF32_CODE, OVMF32_VARS)
        } else {
            (OVMF_CODE, OVMF_VARS)
        };
        let vars = work.path().join("OVMF_VARS.fd");
        std::fs::copy(vars_src, &vars)
            .map_err(|e| format!("copying {vars_src} (packages ovmf, ovmf-ia32): {e}"))?;
        cmd.arg("-drive")
            .arg(format!(
                "if=pflash,format=raw,unit=0,readonly=on,file={code}"
            ))
            .arg("-drive")
            .arg(format!(
                "if=pflash,format=raw,unit=1,file={}",
                vars.display()
            ));
    }
    let image = drive_path(image)?;
    let drive = match mode {
        Mode::Bios | Mode::Efi | Mode::Efi32 => {
            let iface = match iface {
                Iface::Virtio => "virtio",
                Iface::Ide => "ide",
            };
            {
                // qcow2 images are attached as what they are; everything else is raw.
                let format = if image.extension().is_some_and(|e| e == "qcow2") {
                    "qcow2"
                } else {
                    "raw"
                };
                format!(
                    "file={},format={format},if={iface},snapshot=on",
                    image.display()
                )
            }
        }
        Mode::IsoBios | Mode::IsoEfi => format!(
            "file={},format=raw,media=cdrom,if=ide,readonly=on",
            image.display()
        ),
    };
    cmd.arg("-drive").arg(drive);
    let out = std::fs::File::create(&qemu_out).map_err(|e| e.to_string())?;
    let err = out.try_clone().map_err(|e| e.to_string())?;
    cmd.stdin(Stdio::null()).stdout(out).stderr(err);

    let start = Instant::now();
    let mut qemu = Guard(
        cmd.spawn()
            .map_err(|e| format!("starting qemu-system-x86_64 (package qemu-system-x86): {e}"))?,
    );
    let read_log = || {
        std::fs::read(&log_path)
            .map(|b| String::from_utf8_lossy(&b).replace('\r', ""))
            .unwrap_or_default()
    };
    let failure = |why: String, log: String| {
        let stderr = std::fs::read_to_string(&qemu_out).unwrap_or_default();
        let tail: Vec<&str> = log.lines().rev().take(40).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        format!(
            "{why} after {:.1} s ({mode:?}, {})\n--- qemu output ---\n{stderr}\n--- last serial lines ---\n{}",
            start.elapsed().as_secs_f64(),
            image.display(),
            tail.join("\n")
        )
    };
    loop {
        let log = read_log();
        if log.contains(marker) {
            eprintln!(
                "boot {mode:?}: marker after {:.1} s",
                start.elapsed().as_secs_f64()
            );
            return Ok(log);
        }
        if log.contains("ROOT-FAIL") || log.contains("Kernel panic") {
            return Err(failure("the guest failed".into(), log));
        }
        if let Ok(Some(status)) = qemu.0.try_wait() {
            // The marker may have landed between the read and the exit.
            let log = read_log();
            if log.contains(marker) {
                return Ok(log);
            }
            return Err(failure(
                format!("QEMU exited ({status}) without the marker"),
                log,
            ));
        }
        if start.elapsed() > timeout {
            return Err(failure(format!("no {marker:?} within {timeout:?}"), log));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// QEMU's -drive option splits on commas: refuse paths that would be misparsed.
fn drive_path(image: &Path) -> Result<PathBuf, String> {
    let abs = std::fs::canonicalize(image).map_err(|e| format!("{}: {e}", image.display()))?;
    if abs.to_string_lossy().contains(',') {
        return Err(format!(
            "{}: a comma in the path breaks -drive",
            abs.display()
        ));
    }
    Ok(abs)
}
