//! File system writers: each lays out one file system inside a bounded `disk::Target`.

pub mod ext;
pub mod fat;
