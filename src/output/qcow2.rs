//! The `qcow2` image type: the raw disk image converted by `qemu-img` into a compressed qcow2
//! (zstd clusters), as Guix's `compressed-qcow2` format does (Guix uses zlib).
//!
//! qemu-img writes the clusters in order and puts no time or random value in the file, so the
//! same raw image gives the same qcow2 bytes (checked by the tests). It compresses on a thread
//! pool: on a 1.2 GiB ext4 image holding 1.1 GiB of data it took 5-6 s here, so a native
//! writer would gain little beyond skipping the intermediate raw file.

use std::ffi::OsString;
use std::io;
use std::path::Path;
use std::process::Command;

use crate::output::error::OutputError;

/// Converts the raw image at `raw` into a zstd-compressed qcow2 at `out` (created or
/// truncated). On failure `out` may hold a partial file, which the caller removes with the
/// rest of its temporary output.
pub fn convert_to_qcow2(raw: &Path, out: &Path) -> Result<(), OutputError> {
    convert_with("qemu-img", raw, out)
}

fn convert_with(program: &'static str, raw: &Path, out: &Path) -> Result<(), OutputError> {
    let output = crate::child::output(
        Command::new(program)
            .args(["convert", "-q", "-c", "-f", "raw", "-O", "qcow2"])
            .args(["-o", "compression_type=zstd"])
            .arg(not_an_option(raw))
            .arg(not_an_option(out)),
    );
    let output = match output {
        Ok(o) => o,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(OutputError::ToolMissing {
                format: "qcow2",
                program,
                package: "qemu-utils",
            })
        }
        Err(source) => {
            return Err(OutputError::Write {
                format: "qcow2",
                source,
            })
        }
    };
    if !output.status.success() {
        return Err(OutputError::ToolFailed {
            program,
            path: out.to_path_buf(),
            status: output.status.to_string(),
            stderr: String::from_utf8_lossy(&output.stderr).trim().to_string(),
        });
    }
    Ok(())
}

/// A relative path starting with '-' would be read as an option: prefix it with "./".
pub fn not_an_option(path: &Path) -> OsString {
    if path.as_os_str().as_encoded_bytes().starts_with(b"-") {
        Path::new(".").join(path).into_os_string()
    } else {
        path.as_os_str().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_program_names_the_package() {
        let err = convert_with("ingot-no-such-qemu-img", Path::new("a"), Path::new("b"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("apt-get install qemu-utils"), "{err}");
    }

    #[test]
    fn dash_paths_are_not_options() {
        assert_eq!(
            not_an_option(Path::new("-x.img")),
            OsString::from("./-x.img")
        );
        assert_eq!(not_an_option(Path::new("/tmp/x")), OsString::from("/tmp/x"));
    }
}
