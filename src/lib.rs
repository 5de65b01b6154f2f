//! ingot: bootable disk images from Guix-style Scheme definitions, built unprivileged.
//!
//! The flow: `dsl` evaluates Scheme into `model` values; `plan` resolves them into an exact byte
//! layout; `output` writes that layout with `fs`, `disk` and `boot`.

pub mod alloc_count;
pub mod boot;
pub mod child;
pub mod cleanup;
pub mod content;
pub mod context;
pub mod disk;
pub mod dsl;
pub mod error;
pub mod file_system;
pub mod fileio;
pub mod format;
pub mod fs;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod plan;
pub mod reference;
pub mod repl;
pub mod tables;
pub mod time;
