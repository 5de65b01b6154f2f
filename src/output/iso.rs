//! iso9660 / uncompressed-iso9660: the root tree as a hybrid ISO — El Torito BIOS (GRUB
//! i386-pc eltorito core) and EFI (a FAT image holding the GRUB EFI binary), plus an MBR/GPT
//! so the same file boots from a USB stick, as grub-mkrescue makes them for Guix.

use std::fs::File;

use crate::boot::grub::{self, EfiArch, RootSearch};
use crate::content::Tree;
use crate::context::BuildCtx;
use crate::disk::Region;
use crate::error::BuildError;
use crate::fs::{fat, iso};
use crate::plan::Plan;
use std::path::Path;

const ELTORITO_PATH: &str = "boot/grub/i386-pc/eltorito.img";
const CATALOG_PATH: &str = "boot/grub/boot.cat";

/// The ESP image for the EFI El Torito entry, in a temporary file (inside the build's scratch
/// directory, removed when dropped).
fn esp_image(
    search: &RootSearch,
    timestamp: i64,
    volume_id: u32,
    scratch: &Path,
) -> Result<tempfile::NamedTempFile, BuildError> {
    let arch = EfiArch::X86_64;
    let binary = grub::efi_binary(arch, &grub::efi_config(search))?;
    let mut tree = Tree::new();
    tree.add_bytes(arch.removable_path(), binary, 0o644)
        .map_err(|e| BuildError::Input(e.to_string()))?;
    tree.set_all_mtimes(timestamp);
    let size = fat::min_size(&tree, fat::FatKind::Fat16)?;
    // Round to whole MiB: firmware and xorriso both like it, and it costs holes only.
    let size = size.div_ceil(1 << 20) * (1 << 20);
    let file = tempfile::NamedTempFile::new_in(scratch)
        .map_err(|e| BuildError::io("temporary ESP image", e))?;
    file.as_file()
        .set_len(size)
        .map_err(|e| BuildError::io("temporary ESP image", e))?;
    fat::write(
        &Region::new(file.as_file(), 0, size),
        &tree,
        &fat::FatParams {
            kind: fat::FatKind::Fat16,
            label: "ESP".into(),
            volume_id,
            timestamp,
            hidden_sectors: 0,
        },
    )?;
    Ok(file)
}

/// Guix's `root-label`.
const GUIX_ROOT_LABEL: &str = "Guix_image";

/// What the ISO changes or cannot keep: the label (ISO volume ids are upper-case ASCII), and
/// xattrs a booted ISO does not see or that cannot be stored.
pub fn warnings(plan: &Plan) -> Vec<String> {
    let Some(part) = plan.partitions.first() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let id = iso::volume_id(&part.label);
    // Guix's root label (its installer's root file system's) becomes Guix's own ISO label,
    // GUIX_IMAGE: nothing differs from Guix there.
    if id != part.label && part.label != GUIX_ROOT_LABEL {
        out.push(format!(
            "the ISO volume label is {id:?}, not {:?} (ISO 9660 volume ids are upper-case \
             ASCII, at most 32 characters, as Guix makes them): the bootloader looks for \
             LABEL={id}, and an /etc/fstab naming LABEL={} will not find it",
            part.label, part.label
        ));
    }
    let not_utf8: Vec<String> = part
        .content
        .walk_bytes()
        .into_iter()
        .filter(|(p, _)| std::str::from_utf8(p).is_err())
        .map(|(p, _)| crate::content::display_name(&p))
        .collect();
    if !not_utf8.is_empty() {
        let shown: Vec<&str> = not_utf8.iter().take(5).map(String::as_str).collect();
        out.push(format!(
            "ISO: {} names are not UTF-8: Rock Ridge keeps their bytes, Joliet (read by \
             Windows) gets substitutes: {}{}",
            not_utf8.len(),
            shown.join(", "),
            if not_utf8.len() > 5 { ", …" } else { "" }
        ));
    }
    let survey = iso::aaip::survey(&part.content);
    for (path, why) in survey.dropped.iter().take(10) {
        out.push(format!("ISO: the ACL of {path} is dropped ({why})"));
    }
    if survey.dropped.len() > 10 {
        out.push(format!(
            "ISO: {} more ACLs dropped",
            survey.dropped.len() - 10
        ));
    }
    if !survey.capabilities.is_empty() || !survey.acls.is_empty() {
        let mut what = Vec::new();
        if !survey.capabilities.is_empty() {
            what.push(format!(
                "file capabilities of {}",
                first_paths(&survey.capabilities)
            ));
        }
        if !survey.acls.is_empty() {
            what.push(format!("ACLs of {}", first_paths(&survey.acls)));
        }
        out.push(format!(
            "ISO: {} are kept in Rock Ridge AAIP (xorriso -xattr on -acl on restores them), but \
             Linux's iso9660 driver does not read AAIP: a system booted from this ISO sees none \
             of them",
            what.join(" and ")
        ));
    }
    out
}

fn first_paths(paths: &[String]) -> String {
    let shown: Vec<&str> = paths.iter().take(3).map(String::as_str).collect();
    match paths.len() - shown.len() {
        0 => shown.join(", "),
        more => format!("{} and {more} more", shown.join(", ")),
    }
}

pub fn write(plan: &Plan, out: &File, ctx: &BuildCtx) -> Result<(), BuildError> {
    let progress = |stage: &str| ctx.progress.stage(stage);
    let Some(part) = plan.partitions.first() else {
        return Err(BuildError::Input(crate::model::at_field(
            plan.image.location.as_ref(),
            "image",
            "partitions",
            "an iso9660 image needs one partition (its label is the volume id)",
        )));
    };
    let volume_id = iso::volume_id(&part.label);
    let mut tree = part.content.clone();
    let bootable = plan
        .image
        .operating_system
        .as_ref()
        .is_some_and(|o| o.bootloader.is_some());
    let mut esp = None;
    if bootable {
        progress("making the GRUB El Torito images");
        let search = RootSearch::Label(volume_id.clone());
        let core = grub::bios_eltorito_image(&search)?;
        tree.add_bytes(ELTORITO_PATH, core, 0o644)
            .map_err(|e| BuildError::Input(e.to_string()))?;
        if let Some(id) = tree.lookup(ELTORITO_PATH) {
            tree.node_mut(id).meta.mtime = plan.timestamp;
        }
        esp = Some(esp_image(
            &search,
            plan.timestamp,
            part.volume_id,
            ctx.scratch,
        )?);
    }
    progress("writing the ISO 9660 image");
    iso::write_iso_with(
        out,
        &tree,
        &iso::IsoParams {
            volume_id,
            timestamp: plan.timestamp,
            compression: plan.image.compression,
            bios_boot: bootable.then(|| iso::BiosBoot {
                image_path_in_tree: ELTORITO_PATH.into(),
                catalog_path: CATALOG_PATH.into(),
            }),
            efi_boot: esp.as_ref().map(|f| iso::EfiBoot {
                esp_image: f.path().to_path_buf(),
            }),
            isohybrid: bootable,
            // The digits of the timestamp, as grub-mkrescue makes them from its clock.
            volume_uuid: None,
            temp_dir: Some(ctx.scratch.to_path_buf()),
        },
        ctx.progress,
    )?;
    Ok(())
}
