//! The raw disk image: tables, file systems in place at their offsets, then the bootloader.
//! The file is sized first and written only where there is data, so it stays sparse.

use std::fs::File;

use crate::boot::{board, grub};
use crate::context::BuildCtx;
use crate::disk::gpt::{self, GptEntry};
use crate::disk::mbr::{self, MbrEntry};
use crate::disk::Region;
use crate::error::BuildError;
use crate::model::{Bootloader, PartitionFlag, PartitionTableType};
use crate::plan::{PartType, Plan, SECTOR};

fn write_table(plan: &Plan, disk: &Region) -> Result<(), BuildError> {
    match plan.table() {
        Some(PartitionTableType::Gpt) => {
            let entries: Vec<GptEntry> = plan
                .partitions
                .iter()
                .map(|p| GptEntry {
                    type_guid: match p.part_type {
                        Some(PartType::Gpt(t)) => t,
                        _ => crate::model::Uuid([0; 16]),
                    },
                    part_guid: p.part_guid,
                    first_lba: p.offset / SECTOR,
                    last_lba: p.end() / SECTOR - 1,
                    name: p.label.clone(),
                    attributes: if p.has_flag(PartitionFlag::Boot) {
                        1 << 2
                    } else {
                        0
                    },
                })
                .collect();
            gpt::write_gpt(disk, plan.disk_guid, &entries)?;
        }
        Some(PartitionTableType::Mbr) => {
            let entries: Vec<MbrEntry> = plan
                .partitions
                .iter()
                .map(|p| MbrEntry {
                    type_code: match p.part_type {
                        Some(PartType::Mbr(c)) => c,
                        _ => 0x83,
                    },
                    bootable: p.has_flag(PartitionFlag::Boot),
                    first_lba: (p.offset / SECTOR) as u32,
                    sectors: (p.size / SECTOR) as u32,
                })
                .collect();
            mbr::write_mbr(disk, plan.mbr_signature, &entries)?;
        }
        None => {}
    }
    Ok(())
}

fn install_bootloader(plan: &Plan, disk: &Region) -> Result<(), BuildError> {
    let Some(os) = &plan.image.operating_system else {
        return Ok(());
    };
    let Some(bl) = &os.bootloader else {
        return Ok(());
    };
    let first_offset = plan.partitions.iter().map(|p| p.offset).min().unwrap_or(0);
    match &bl.bootloader {
        // prepare() made the core image and checked the table and the gap.
        Bootloader::GrubBios => {
            if let crate::format::FormatPlan::Disk {
                bios_core: Some(core),
                ..
            } = &plan.layout
            {
                grub::install_bios(disk, core, first_offset / SECTOR)?;
            }
        }
        Bootloader::UBoot { board: name } => {
            let b = board::board(name).ok_or_else(|| {
                BuildError::Input(crate::model::at_field(
                    bl.location.as_ref(),
                    "bootloader-configuration",
                    "bootloader",
                    &format!("no U-Boot board named {name:?} is known"),
                ))
            })?;
            // prepare() checked the directory and every blob before anything was written.
            let dir = os.firmware_directory.clone().unwrap_or_default();
            board::install_blobs(disk, b, &dir, &plan.disk_extents())?;
        }
        // EFI bootloaders live on the ESP, written with its file system.
        Bootloader::GrubEfi | Bootloader::GrubEfiRemovable | Bootloader::GrubEfi32 => {}
        Bootloader::Other(_) => {}
    }
    Ok(())
}

/// Writes the whole disk image described by `plan` into `file`.
pub fn write_disk(plan: &Plan, file: &File, ctx: &BuildCtx) -> Result<(), BuildError> {
    let progress = |stage: &str| ctx.progress.stage(stage);
    file.set_len(plan.size)
        .map_err(|e| BuildError::io("cannot size the image file", e))?;
    let disk = Region::new(file, 0, plan.size).with_progress(ctx.progress);
    progress("writing the partition table");
    write_table(plan, &disk)?;
    for p in &plan.partitions {
        progress(&format!(
            "writing partition {} ({}, {}, {} bytes)",
            p.index, p.label, p.file_system, p.size
        ));
        let region = disk
            .sub(p.offset, p.size)
            .map_err(|e| BuildError::io(format!("partition {}", p.index), e))?;
        crate::file_system::row(p.file_system)
            .writer
            .write(p, &region, plan, ctx)?;
        ctx.check_cancelled()?;
    }
    progress("installing the bootloader");
    install_bootloader(plan, &disk)?;
    Ok(())
}
