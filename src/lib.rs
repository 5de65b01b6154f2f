//! ingot: bootable disk images from Guix-style Scheme definitions, built unprivileged.
//!
//! The flow: `dsl` evaluates Scheme into `model` values; `plan` resolves them into an exact byte
//! layout; `output` writes that layout with `fs`, `disk` and `boot`.

pub mod content;
pub mod disk;
pub mod fs;
pub mod model;
pub mod output;
