//! disk-image: a raw partitioned disk — tables, file systems at their offsets, the bootloader
//! in the gaps. Planning makes GRUB's BIOS core image and checks board blobs, so that nothing
//! is found missing after the first byte is written.

use std::fs::File;
use std::path::Path;

use super::{Format, FormatPlan};
use crate::context::{BuildCtx, BuildOptions};
use crate::error::BuildError;
use crate::model::{Bootloader, PartitionTableType};
use crate::pipeline::populate;
use crate::plan::{self, Plan};

pub struct Disk;

impl Format for Disk {
    fn plan(
        &self,
        plan: &mut Plan,
        opts: &BuildOptions,
        warnings: &mut Vec<String>,
    ) -> Result<FormatPlan, BuildError> {
        plan_disk(plan, opts, warnings)
    }

    fn write(
        &self,
        plan: &Plan,
        out: &File,
        _out_path: &Path,
        ctx: &BuildCtx,
    ) -> Result<(), BuildError> {
        crate::output::disk::write_disk(plan, out, ctx)
    }
}

/// The plan of every disk format (raw and qcow2).
pub(super) fn plan_disk(
    plan: &Plan,
    opts: &BuildOptions,
    warnings: &mut Vec<String>,
) -> Result<FormatPlan, BuildError> {
    check_firmware(plan, opts, warnings)?;
    Ok(FormatPlan::Disk {
        table: plan.image.partition_table_type,
        bios_core: bios_core(plan, opts.dry_run, warnings)?,
    })
}

/// Bounds of GRUB's BIOS core image with ingot's modules (about 160 KiB with GRUB 2.06), for a
/// dry run that does not run GRUB: a gap below the least is refused as build would refuse it,
/// one below the most is left for build to check.
const BIOS_CORE_LEAST: u64 = 64 * 1024;
const BIOS_CORE_MOST: u64 = 512 * 1024;

/// GRUB for BIOS: the core image, checked to fit between the MBR and the first partition. A
/// dry run makes none and checks the gap against the bounds above.
fn bios_core(
    plan: &Plan,
    dry_run: bool,
    warnings: &mut Vec<String>,
) -> Result<Option<Vec<u8>>, BuildError> {
    let Some(os) = &plan.image.operating_system else {
        return Ok(None);
    };
    let Some(bl) = os
        .bootloader
        .as_ref()
        .filter(|b| b.bootloader == Bootloader::GrubBios)
    else {
        return Ok(None);
    };
    // Located at the bootloader-configuration that asks for BIOS GRUB.
    let input = |message: &str| {
        BuildError::Input(crate::model::at_field(
            bl.location.as_ref(),
            "bootloader-configuration",
            "bootloader",
            message,
        ))
    };
    if plan.image.partition_table_type != PartitionTableType::Mbr {
        return Err(input(
            "grub-bootloader (BIOS) lives in the gap after the MBR and needs an MBR table; use \
             -t mbr-raw or mbr-hybrid-raw, or grub-efi-bootloader with GPT",
        ));
    }
    let (root, search) = match (plan.root_partition(), populate::root_search(&plan.image)) {
        (Some(root), Some(search)) => (root, search),
        _ => {
            return Err(input(
                "grub-bootloader needs a root partition (one with the boot flag)",
            ))
        }
    };
    use crate::boot::grub;
    let first = plan.partitions.iter().map(|p| p.offset).min().unwrap_or(0);
    if dry_run {
        let least = plan::SECTOR + BIOS_CORE_LEAST;
        if least > first {
            return Err(input(&format!(
                "GRUB's BIOS core image needs bytes 512..{least} at least after the MBR, but \
                 the first partition starts at {first}; start it at 1 MiB (offset 0 does)"
            )));
        }
        if plan::SECTOR + BIOS_CORE_MOST > first {
            warnings.push(format!(
                "GRUB's BIOS core image may not fit before the first partition at {first}: \
                 build checks it (it takes about 160 KiB)"
            ));
        }
        return Ok(None);
    }
    let prefix = format!("(hd0,msdos{})/boot/grub", root.index);
    let core = grub::bios_core_image(
        &prefix,
        &grub::bios_early_config(&search),
        grub::BIOS_MODULES,
    )?;
    let needed = plan::SECTOR + (core.len() as u64).div_ceil(plan::SECTOR) * plan::SECTOR;
    if needed > first {
        return Err(input(&format!(
            "GRUB's BIOS core image needs bytes 512..{needed} after the MBR, but the first \
             partition starts at {first}; start it at 1 MiB (offset 0 does)"
        )));
    }
    Ok(Some(core))
}

/// A board bootloader's blobs must all be there before anything is written (a dry run
/// warns).
fn check_firmware(
    plan: &Plan,
    opts: &BuildOptions,
    warnings: &mut Vec<String>,
) -> Result<(), BuildError> {
    let Some(os) = &plan.image.operating_system else {
        return Ok(());
    };
    let Some((Bootloader::UBoot { board: name }, location)) = os
        .bootloader
        .as_ref()
        .map(|b| (&b.bootloader, b.location.as_ref()))
    else {
        return Ok(());
    };
    let board = crate::boot::board::board(name).ok_or_else(|| {
        BuildError::Input(crate::model::at_field(
            location,
            "bootloader-configuration",
            "bootloader",
            &format!("no U-Boot board named {name:?} is known"),
        ))
    })?;
    // Each blob's size, when its file is there (looked at once): where each blob goes is known
    // without the firmware, so one that would land in a file system is refused by show too.
    let sizes: Vec<Option<u64>> = board
        .blobs
        .iter()
        .map(|blob| {
            let dir = os.firmware_directory.as_ref()?;
            let md = std::fs::metadata(dir.join(blob.file)).ok()?;
            md.is_file().then_some(md.len())
        })
        .collect();
    let extents = plan.disk_extents();
    for (blob, &size) in board.blobs.iter().zip(&sizes) {
        if let Some(reason) = crate::boot::board::blob_clash(board, blob, size, &extents) {
            let size = size.map(|s| format!(" ({s} bytes)")).unwrap_or_default();
            return Err(BuildError::Input(crate::model::at_field(
                location,
                "bootloader-configuration",
                "bootloader",
                &format!("{}{size} {reason}", blob.file),
            )));
        }
    }
    let names: Vec<&str> = board.blobs.iter().map(|b| b.file).collect();
    let Some(dir) = os.firmware_directory.as_ref() else {
        return populate::need(
            os,
            opts.populate_options(),
            warnings,
            format!(
                "the {name} bootloader writes firmware blobs ({}): give their directory with \
                 --firmware-dir DIR or (firmware-directory \"DIR\")",
                names.join(", ")
            ),
        );
    };
    for (file, size) in names.into_iter().zip(sizes) {
        if size.is_none() {
            let missing = crate::boot::BootError::BlobMissing {
                file: file.to_string(),
                dir: dir.clone(),
            };
            populate::need(os, opts.populate_options(), warnings, missing.to_string())?;
        }
    }
    Ok(())
}
