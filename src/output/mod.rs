//! Output formats other than raw disk images: one module per format.

pub mod docker;
pub mod error;
pub mod qcow2;
pub mod tarball;
