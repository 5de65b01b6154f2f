//! File systems written in-process.

pub mod fat;
