//! The byte writers of the output formats, each writing a complete image into an open file.
//! What each format is (name, planning, which writer) is `crate::format`; these depend only on
//! the plan, the file systems and the build context, never on the pipeline (`build`).

pub mod disk;
pub mod docker;
pub mod error;
pub mod iso;
pub mod qcow2;
pub mod tarball;

pub use error::OutputError;
