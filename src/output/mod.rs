//! Output formats: one module per format, each writing a complete image into an open file.

pub mod archive;
pub mod disk;
pub mod docker;
pub mod error;
pub mod iso;
pub mod qcow2;
pub mod tarball;

pub use error::OutputError;
