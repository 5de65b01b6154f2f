//! Errors of the output formats (tarball, wsl2, docker, qcow2).

use std::io;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// Writing the output (or a temporary file beside it) failed.
    #[error("cannot write the {format} output: {source}")]
    Write {
        format: &'static str,
        #[source]
        source: io::Error,
    },
    /// A file of the content tree could not be read (or changed while being read).
    #[error("cannot read {path} (in the image content): {source}")]
    Read {
        path: String,
        #[source]
        source: io::Error,
    },
    /// The content lacks something the format requires.
    #[error("{format}: {message}")]
    Content {
        format: &'static str,
        message: String,
    },
    /// A parameter cannot be used as given.
    #[error("{format}: invalid {what} {value:?}: {reason}")]
    Parameter {
        format: &'static str,
        what: &'static str,
        value: String,
        reason: String,
    },
    /// A required external program is not installed.
    #[error("{program} is needed for {format} output but was not found: install the Debian package {package} (apt-get install {package})")]
    ToolMissing {
        format: &'static str,
        program: &'static str,
        package: &'static str,
    },
    /// An external program failed.
    #[error("{program} failed ({status}) while writing {path}: {stderr}")]
    ToolFailed {
        program: &'static str,
        path: PathBuf,
        status: String,
        stderr: String,
    },
}
