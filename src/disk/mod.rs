//! The image file and its partition tables.

pub mod gpt;
pub mod inspect;
pub mod mbr;
pub mod table;
pub mod target;

pub use table::{TableError, SECTOR};
pub use target::{MemTarget, Region, Target, TargetCursor};
