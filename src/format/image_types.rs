//! The image types `-t` names, as Rust knows them for `list-image-types` and `doctor`: each
//! type's format (a row of [`super::FORMATS`], whose tools it needs), the GRUB pieces its usual
//! bootloader needs and one line about it. Boards' types follow from `boot::board::BOARDS`.
//! The prelude defines the same types in the same order (`%image-types`; a test checks it).

use super::{row, Tool};
use crate::boot::board::BOARDS;
use crate::model::ImageFormat;

/// A piece an image type needs at build time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// `grub-mkimage`: every image that boots with GRUB.
    Grub,
    /// GRUB's i386-pc modules (BIOS).
    GrubPc,
    /// GRUB's x86_64-efi modules (the ESP).
    GrubEfi,
    /// GRUB's i386-efi modules (32-bit UEFI).
    GrubEfi32,
    /// What the format itself needs.
    Tool(Tool),
}

/// One image type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageType {
    pub name: String,
    pub format: ImageFormat,
    pub description: String,
    /// What building it needs, GRUB's pieces first; nothing when it cannot be built.
    pub needs: Vec<Need>,
    /// ingot can build it (not the Hurd's types).
    pub buildable: bool,
}

/// A type that is not a board's.
struct Row {
    name: &'static str,
    format: ImageFormat,
    /// `None`: the format's own description.
    description: Option<&'static str>,
    grub: &'static [Need],
    buildable: bool,
}

const BIOS: &[Need] = &[Need::Grub, Need::GrubPc];
const HYBRID: &[Need] = &[Need::Grub, Need::GrubPc, Need::GrubEfi];
const EFI: &[Need] = &[Need::Grub, Need::GrubEfi];

const fn row_of(
    name: &'static str,
    format: ImageFormat,
    description: Option<&'static str>,
    grub: &'static [Need],
) -> Row {
    Row {
        name,
        format,
        description,
        grub,
        buildable: true,
    }
}

/// The types before the boards', in `list-image-types`' order.
const GENERIC: &[Row] = &[
    row_of(
        "mbr-raw",
        ImageFormat::DiskImage,
        Some("raw disk, MBR table, GRUB for BIOS"),
        BIOS,
    ),
    row_of(
        "mbr-hybrid-raw",
        ImageFormat::DiskImage,
        Some("raw disk, MBR table with an ESP: boots with BIOS and UEFI (the default)"),
        HYBRID,
    ),
    row_of(
        "efi-raw",
        ImageFormat::DiskImage,
        Some("raw disk, GPT with an ESP: 64-bit UEFI"),
        EFI,
    ),
    row_of(
        "efi32-raw",
        ImageFormat::DiskImage,
        Some("raw disk, GPT with an ESP: 32-bit UEFI"),
        &[Need::Grub, Need::GrubEfi32],
    ),
    row_of(
        "qcow2",
        ImageFormat::CompressedQcow2,
        Some("compressed qcow2 of an mbr-hybrid-raw disk, for QEMU"),
        HYBRID,
    ),
    row_of(
        "qcow2-gpt",
        ImageFormat::CompressedQcow2,
        Some("compressed qcow2 of a GPT (efi-raw) disk, for QEMU"),
        EFI,
    ),
    row_of(
        "iso9660",
        ImageFormat::Iso9660,
        Some("hybrid ISO 9660 (zisofs), boots from CD or USB with BIOS and UEFI"),
        HYBRID,
    ),
    row_of(
        "uncompressed-iso9660",
        ImageFormat::Iso9660,
        Some("the same ISO without zisofs compression"),
        HYBRID,
    ),
    row_of("docker", ImageFormat::Docker, None, &[]),
    row_of("tarball", ImageFormat::Tarball, None, &[]),
    row_of("wsl2", ImageFormat::Wsl2, None, &[]),
    row_of(
        "raw-with-offset",
        ImageFormat::DiskImage,
        Some("raw disk whose root partition starts at an offset (boards)"),
        BIOS,
    ),
];

const HURD: &str = "GNU/Hurd disk (ingot writes only the Linux ext2 layout, not the Hurd's)";

/// The types after the boards'.
const LAST: &[Row] = &[
    Row {
        name: "hurd-raw",
        format: ImageFormat::DiskImage,
        description: Some(HURD),
        grub: &[],
        buildable: false,
    },
    Row {
        name: "hurd-qcow2",
        format: ImageFormat::CompressedQcow2,
        description: Some(HURD),
        grub: &[],
        buildable: false,
    },
];

fn from_row(r: &Row) -> ImageType {
    let format = row(r.format);
    let mut needs = r.grub.to_vec();
    needs.extend(format.tools.iter().map(|t| Need::Tool(*t)));
    ImageType {
        name: r.name.to_string(),
        format: r.format,
        description: r.description.unwrap_or(format.description).to_string(),
        needs: if r.buildable { needs } else { Vec::new() },
        buildable: r.buildable,
    }
}

/// Every image type, in the order `list-image-types` shows them (the prelude's `%image-types`).
pub fn image_types() -> Vec<ImageType> {
    let boards = BOARDS
        .iter()
        .filter(|b| b.image.defined)
        .map(|b| ImageType {
            name: format!("{}-raw", b.name),
            format: ImageFormat::DiskImage,
            description: format!(
                "raw disk for the {} board with its U-Boot (--firmware-dir DIR)",
                b.name
            ),
            needs: Vec::new(),
            buildable: true,
        });
    GENERIC
        .iter()
        .map(from_row)
        .chain(boards)
        .chain(LAST.iter().map(from_row))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prelude_defines_the_same_types_in_the_same_order() {
        let mut dsl = crate::dsl::Dsl::new().unwrap();
        let scheme = dsl.image_type_names().unwrap();
        let rust: Vec<String> = image_types().into_iter().map(|t| t.name).collect();
        assert_eq!(scheme, rust);
    }

    #[test]
    fn formats_bring_their_tools() {
        let types = image_types();
        let needs = |name: &str| types.iter().find(|t| t.name == name).unwrap().needs.clone();
        assert_eq!(
            needs("qcow2"),
            [
                Need::Grub,
                Need::GrubPc,
                Need::GrubEfi,
                Need::Tool(Tool::QemuImg)
            ]
        );
        assert_eq!(needs("docker"), []);
        assert_eq!(
            needs("hurd-qcow2"),
            [],
            "what cannot be built needs nothing"
        );
    }
}
