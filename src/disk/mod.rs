//! The image file and its partition tables.

pub mod target;

pub use target::{MemTarget, Region, Target, TargetCursor};
