//! File system writers.

pub mod iso;
