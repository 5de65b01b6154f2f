//! File system writers: each lays out one file system inside a bounded `disk::Target`
//! (ISO 9660 writes a whole file).

pub mod ext;
pub mod fat;
pub mod iso;
