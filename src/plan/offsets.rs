//! Offsets: where each partition starts (given, or the next aligned boundary after the one
//! before), what the partition table keeps for itself, and no two partitions overlapping.

use super::{align_up, at, PlanError, PlannedPartition, GPT_HEAD_BYTES, TOO_FAR};
use crate::disk::SECTOR;
use crate::model::{Image, Partition, PartitionTableType};

/// The bytes at the start of the disk the table takes.
pub(super) fn table_reserved(table: Option<PartitionTableType>) -> u64 {
    match table {
        Some(PartitionTableType::Gpt) => GPT_HEAD_BYTES,
        Some(PartitionTableType::Mbr) => SECTOR,
        None => 0,
    }
}

/// Where `p` starts: its `offset`, or the first aligned boundary at or after `cursor` (the end
/// of the partition before); 0 outside a disk.
pub(super) fn partition_offset(
    p: &Partition,
    cursor: u64,
    is_disk: bool,
    alignment: u64,
) -> Result<u64, String> {
    if !is_disk {
        Ok(0)
    } else if p.offset != 0 {
        Ok(p.offset)
    } else {
        align_up(cursor, alignment.max(SECTOR))
            .ok_or_else(|| format!("the offset after {cursor} {TOO_FAR}"))
    }
}

/// Where a partition at `offset` of `size` bytes ends, checked to be addressable and, on a
/// disk, to start on a sector after the table.
pub(super) fn partition_end(
    offset: u64,
    size: u64,
    is_disk: bool,
    table_reserved: u64,
) -> Result<u64, String> {
    let end = offset.checked_add(size).ok_or_else(|| {
        format!(
            "offset {offset} + size {size} is past the largest disk ingot can address (2^64 bytes)"
        )
    })?;
    if is_disk {
        if !offset.is_multiple_of(SECTOR) {
            return Err(format!(
                "offset {offset} is not a multiple of 512 bytes (sectors)"
            ));
        }
        if offset < table_reserved {
            return Err(format!(
                "offset {offset} starts inside the partition table, which takes the first \
                 {table_reserved} bytes"
            ));
        }
    }
    Ok(end)
}

/// An MBR entry counts sectors in 32 bits.
pub(super) fn check_mbr_reach(end: u64, table: Option<PartitionTableType>) -> Result<(), String> {
    if table == Some(PartitionTableType::Mbr) {
        let limit = u32::MAX as u64 * SECTOR;
        if end > limit {
            return Err("MBR tables address at most 2 TiB; use gpt".into());
        }
    }
    Ok(())
}

/// No partition may start before the one before it (by start) ends.
pub(super) fn check_overlaps(image: &Image, planned: &[PlannedPartition]) -> Result<(), PlanError> {
    let mut by_start: Vec<&PlannedPartition> = planned.iter().collect();
    by_start.sort_by_key(|p| p.offset);
    for pair in by_start.windows(2) {
        if pair[1].offset < pair[0].end() {
            return Err(PlanError::Partition {
                at: at(&pair[1].location.clone().or(image.location.clone())),
                index: pair[1].index,
                label: pair[1].label.clone(),
                message: format!(
                    "overlaps partition {} ({}): it starts at {} but {} ends at {}",
                    pair[0].index,
                    pair[0].label,
                    pair[1].offset,
                    pair[0].label,
                    pair[0].end()
                ),
            });
        }
    }
    Ok(())
}
