//! Running external tools (qemu-img, mke2fs, debugfs, grub-mkimage) so that they never outlive
//! ingot: each child asks the kernel to SIGKILL it when ingot dies (PR_SET_PDEATHSIG, which
//! also covers SIGKILL of ingot), and the interrupt handler kills and waits for the running
//! ones before it removes the files they write.

use std::io;
use std::os::unix::process::CommandExt;
use std::process::{Command, Output, Stdio};
use std::sync::Mutex;

static RUNNING: Mutex<Vec<u32>> = Mutex::new(Vec::new());

/// Like [`Command::output`] (stdin empty, stdout and stderr captured), for a child that dies
/// with ingot.
pub fn output(cmd: &mut Command) -> io::Result<Output> {
    // SAFETY: getpid cannot fail.
    let parent = unsafe { libc::getpid() };
    // SAFETY: the closure runs in the forked child before exec and only makes
    // async-signal-safe calls (prctl, getppid, _exit).
    unsafe {
        cmd.pre_exec(move || {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                return Err(io::Error::last_os_error());
            }
            // The parent may have died before the prctl: then nobody would kill us.
            if libc::getppid() != parent {
                libc::_exit(1);
            }
            Ok(())
        });
    }
    let child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let pid = child.id();
    if let Ok(mut running) = RUNNING.lock() {
        running.push(pid);
    }
    let result = child.wait_with_output();
    if let Ok(mut running) = RUNNING.lock() {
        running.retain(|p| *p != pid);
    }
    // Killed by the interrupt handler: its failure is not this thread's to report.
    crate::cleanup::wait_if_interrupted();
    result
}

/// Kills every running child and waits until each is dead (without reaping it: the thread
/// that started it still waits for it).
pub fn kill_all() {
    let running = match RUNNING.lock() {
        Ok(r) => r,
        Err(poisoned) => poisoned.into_inner(),
    };
    for &pid in running.iter() {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            continue;
        };
        // SAFETY: plain syscalls on a pid this process started and has not yet reaped
        // (it leaves RUNNING only after its wait returned); `info` is a local out-value.
        unsafe {
            libc::kill(pid, libc::SIGKILL);
            let mut info: libc::siginfo_t = std::mem::zeroed();
            libc::waitid(
                libc::P_PID,
                pid as libc::id_t,
                &mut info,
                libc::WEXITED | libc::WNOWAIT,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_is_captured_and_the_child_is_forgotten() {
        let out = output(Command::new("sh").args(["-c", "echo $$; echo err >&2; exit 3"])).unwrap();
        let pid: u32 = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap();
        assert_eq!(out.stderr, b"err\n");
        assert_eq!(out.status.code(), Some(3));
        // Other tests run children at the same time: only this one must be gone.
        assert!(!RUNNING.lock().unwrap().contains(&pid));
    }
}
