//! The plan's refusals that are not about sizes or offsets: what the definition alone shows to
//! be wrong (table capacity, bootloader and platform), and each partition's flags and label.

use super::{at, PlanError};
use crate::format::Layout;
use crate::model::{Image, Partition, PartitionFlag, PartitionTableType};

/// The checks that need only the definition: run before any content is read.
pub fn check_image(image: &Image) -> Result<(), PlanError> {
    let image_err = |message: String| PlanError::Image {
        at: at(&image.location),
        message,
    };
    let layout = crate::format::row(image.format).layout;
    let is_disk = layout == Layout::Disk;
    let table = is_disk.then_some(image.partition_table_type);
    if is_disk && image.partitions.is_empty() {
        return Err(image_err(
            "a disk image needs at least one partition (add one to `partitions`)".into(),
        ));
    }
    check_bootloader(image)?;
    if let Some(bl) = efi_on_mbr(image) {
        // Without an ESP nothing on the disk can start the EFI loader.
        if !image
            .partitions
            .iter()
            .any(|p| p.has_flag(PartitionFlag::Esp))
        {
            return Err(PlanError::Image {
                at: at(&bl.location.clone().or(image.location.clone())),
                message: format!(
                    "{} needs an EFI system partition, and this MBR image has none (use -t \
                     efi-raw or mbr-hybrid-raw, or grub-bootloader)",
                    bl.name
                ),
            });
        }
    }
    if table == Some(PartitionTableType::Mbr) && image.partitions.len() > 4 {
        return Err(image_err(format!(
            "an MBR table holds at most 4 primary partitions, this image has {}",
            image.partitions.len()
        )));
    }
    if table == Some(PartitionTableType::Gpt) && image.partitions.len() > 128 {
        return Err(image_err("a GPT table holds at most 128 partitions".into()));
    }

    Ok(())
}

/// Partitions whose file-system options ask for the Hurd as ext2's creator OS (`-o hurd`, as
/// Guix's Hurd image types do), which ingot does not write: `show` warns, `build` refuses,
/// before anything is written.
pub fn hurd_creator_partitions(image: &Image) -> Vec<PlanError> {
    image
        .partitions
        .iter()
        .enumerate()
        .filter(|(_, p)| asks_for_hurd_creator(p))
        .map(|(i, p)| PlanError::Partition {
            // An image type's partition has no location of its own: the OS form made it.
            at: at(&p.location.clone().or(image.location.clone()).or(image
                .operating_system
                .as_ref()
                .and_then(|os| os.location.clone()))),
            index: i + 1,
            label: p.label.clone(),
            message: format!(
                "file-system option `-o hurd`: {}",
                crate::fs::ext::options::HURD_CREATOR_REFUSED
            ),
        })
        .collect()
}

/// Whether an ext partition's mke2fs options, read as the ext writer reads them, ask for the
/// Hurd as creator OS. Options the writer refuses are not this check's to report.
fn asks_for_hurd_creator(p: &Partition) -> bool {
    use crate::fs::ext::{ExtKind, Options};
    use crate::model::FileSystemKind as K;
    let kind = match p.file_system {
        K::Ext2 => ExtKind::Ext2,
        K::Ext3 => ExtKind::Ext3,
        K::Ext4 => ExtKind::Ext4,
        _ => return false,
    };
    Options::parse(kind, &p.file_system_options).is_ok_and(|o| o.creator_hurd)
}

/// The EFI bootloader of an image with an MBR table, if it has one.
fn efi_on_mbr(image: &Image) -> Option<&crate::model::BootloaderConfig> {
    let disk = crate::format::row(image.format).layout == Layout::Disk;
    let bl = image.operating_system.as_ref()?.bootloader.as_ref()?;
    (disk && image.partition_table_type == PartitionTableType::Mbr && bl.bootloader.is_efi())
        .then_some(bl)
}

/// Guix's default image type (mbr-hybrid-raw) with an EFI GRUB: Guix builds it, and only UEFI
/// firmware boots it, since the MBR gets no BIOS boot code. Made, with this warning.
pub fn efi_on_mbr_warning(image: &Image) -> Option<String> {
    let bl = efi_on_mbr(image)?;
    let at = bl
        .location
        .as_ref()
        .or(image.location.as_ref())
        .map(|l| format!("{l}: "))
        .unwrap_or_default();
    Some(format!(
        "{at}{} on an MBR disk: only UEFI firmware boots this image (BIOS finds no boot code in \
         the MBR); use -t efi-raw for a GPT disk, or grub-bootloader for BIOS",
        bl.name
    ))
}

/// The operating system's root file system of another type than the image's root partition:
/// the partition decides, as `guix system image` makes the root partition's file system and
/// gives the system that one (a btrfs root in `file-systems` gets an ext4 image either way).
/// Said, since the file reads otherwise.
pub fn root_type_warning(image: &Image) -> Option<String> {
    if crate::format::row(image.format).layout != Layout::Disk {
        return None;
    }
    let root = image.operating_system.as_ref()?.root_file_system()?;
    let partition = &image.partitions[image.root_partition_index()?];
    let made = partition.file_system.as_str();
    let same = root.fs_type == made
        || (partition.file_system.is_fat()
            && ["vfat", "fat", "msdos"].contains(&root.fs_type.as_str()));
    if same {
        return None;
    }
    let at = root
        .location
        .as_ref()
        .map(|l| format!("{l}: "))
        .unwrap_or_default();
    Some(format!(
        "{at}the root file system is {:?}, but the image's root partition ({}) is made as \
         {made}, as `guix system image` makes it: the image's root partition, not \
         file-systems, decides its type; ingot makes ext2, ext3, ext4 and FAT",
        root.fs_type, partition.label
    ))
}

/// An image that boots needs a bootloader ingot installs, for the image's platform.
fn check_bootloader(image: &Image) -> Result<(), PlanError> {
    let boots = crate::format::row(image.format).layout != Layout::Archive;
    let Some(bl) = image
        .operating_system
        .as_ref()
        .and_then(|os| os.bootloader.as_ref())
        .filter(|_| boots)
    else {
        return Ok(());
    };
    let err = |message: String| PlanError::Image {
        at: at(&bl.location.clone().or(image.location.clone())),
        message,
    };
    use crate::model::Bootloader;
    if let Bootloader::Other(name) = &bl.bootloader {
        let installs = "it installs grub-bootloader, grub-minimal-bootloader, \
                        grub-efi-bootloader, grub-efi-removable-bootloader, \
                        grub-efi32-bootloader and the U-Boot bootloaders of its board image \
                        types";
        // A record ingot knows by name is refused for what makes it unknown: its code.
        let own_code = "none of its installer, disk-image-installer and \
                        configuration-file-generator is inherited from a bootloader ingot knows";
        return Err(err(match crate::boot::bootloaders::by_name(name) {
            Some(Bootloader::Other(_)) => {
                format!("{name}: ingot cannot install this bootloader ({installs})")
            }
            Some(_) => format!(
                "{name}: this bootloader record is not Guix's {name}: {own_code} (inherit \
                 {name} and replace only some of them)"
            ),
            None => {
                format!("{name}: ingot cannot install this bootloader: {own_code} ({installs})")
            }
        }));
    }
    let platform = image.platform.as_deref().unwrap_or("x86_64-linux");
    let x86 = ["x86_64", "i386", "i486", "i586", "i686"]
        .iter()
        .any(|p| platform.starts_with(p));
    if !x86 && matches!(bl.bootloader, Bootloader::GrubBios | Bootloader::GrubEfi32) {
        return Err(err(format!(
            "{} is an x86 bootloader, but the image's platform is {platform}",
            bl.name
        )));
    }
    Ok(())
}

/// A partition's flags against its file system.
pub(super) fn check_partition(p: &Partition) -> Result<(), String> {
    if p.has_flag(PartitionFlag::Esp) && !p.file_system.is_fat() {
        return Err(format!(
            "the esp flag needs a FAT file system (vfat, fat16 or fat32), not {}",
            p.file_system
        ));
    }
    Ok(())
}

/// A partition's label against its file system (or, in an ISO, the volume id's rule), and as
/// a GPT entry's name: what `build` refuses, found from the definition alone.
pub(super) fn check_label(
    p: &Partition,
    layout: Layout,
    table: Option<PartitionTableType>,
) -> Result<(), String> {
    if table == Some(PartitionTableType::Gpt) {
        crate::disk::gpt::check_name(&p.label)?;
    }
    match layout {
        Layout::Disk => crate::file_system::row(p.file_system)
            .writer
            .check_label(p.file_system, &p.label),
        // The label is the volume id, not an ext4 label: ISO's rule, 32 characters.
        Layout::Iso => crate::file_system::iso::check_label(&p.label),
        Layout::Archive => Ok(()),
    }
}
