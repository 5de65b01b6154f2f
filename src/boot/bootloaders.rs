//! Every bootloader the prelude defines, from one table: the GRUBs ingot installs, each
//! board's U-Boot (from [`super::board::BOARDS`]), and the Guix bootloaders ingot knows by
//! name but cannot install (an image that boots with one of those is refused, naming it).
//! The prelude's `(%define-bootloaders …)` list is generated from here (see `crate::tables`).

use crate::model::Bootloader;

/// The GRUBs ingot installs, by Guix's names.
const GRUB: &[(&str, Bootloader)] = &[
    ("grub-bootloader", Bootloader::GrubBios),
    // Guix's minimal GRUB (no graphics modules): the same BIOS install for ingot.
    ("grub-minimal-bootloader", Bootloader::GrubBios),
    ("grub-efi-bootloader", Bootloader::GrubEfi),
    (
        "grub-efi-removable-bootloader",
        Bootloader::GrubEfiRemovable,
    ),
    ("grub-efi32-bootloader", Bootloader::GrubEfi32),
];

/// Guix bootloaders defined so that definitions naming them evaluate, refused when an image
/// boots with them. Before the boards' in the prelude's order.
const KNOWN_BEFORE_BOARDS: &[&str] = &[
    "grub-efi-netboot-bootloader",
    "grub-efi-netboot-removable-bootloader",
    "grub-efi-bootloader-chain",
    "grub-efi-bootloader-chain-raspi-64",
    "extlinux-bootloader",
    "syslinux-bootloader",
    "depthcharge-bootloader",
    "u-boot-bootloader",
];

/// Guix's U-Boots of boards ingot has no image type for.
const KNOWN_AFTER_BOARDS: &[&str] = &[
    "u-boot-rpi-arm64-bootloader",
    "u-boot-rpi-bootloader",
    "u-boot-rpi-3-bootloader",
    "u-boot-rpi-4-bootloader",
    "u-boot-qemu-riscv64-bootloader",
    "u-boot-bananapi-m2-ultra-bootloader",
    "u-boot-cubieboard-bootloader",
    "u-boot-cubietruck-bootloader",
    "u-boot-firefly-rk3399-bootloader",
    "u-boot-mx6cuboxi-bootloader",
    "u-boot-nintendo-nes-classic-edition-bootloader",
    "u-boot-pinebook-bootloader",
    "u-boot-puma-rk3399-bootloader",
    "u-boot-rockpro64-rk3399-bootloader",
    "u-boot-wandboard-bootloader",
    "u-boot-ts7970-q-2g-1000mhz-c-bootloader",
];

/// Every bootloader name the prelude defines, in its order.
pub fn names() -> Vec<&'static str> {
    let boards = super::board::BOARDS
        .iter()
        .flat_map(|b| std::iter::once(b.bootloader).chain(b.also.iter().copied()));
    GRUB.iter()
        .map(|(n, _)| *n)
        .chain(KNOWN_BEFORE_BOARDS.iter().copied())
        .chain(boards)
        .chain(KNOWN_AFTER_BOARDS.iter().copied())
        .collect()
}

/// What the bootloader Guix calls `name` is for ingot; `None` when the table has no such
/// bootloader (the prelude defines only the table's, so that is a bug, never a default).
pub fn by_name(name: &str) -> Option<Bootloader> {
    if let Some((_, b)) = GRUB.iter().find(|(n, _)| *n == name) {
        return Some(b.clone());
    }
    if let Some(board) = super::board::board_for_bootloader(name) {
        return Some(Bootloader::UBoot {
            board: board.name.to_string(),
        });
    }
    KNOWN_BEFORE_BOARDS
        .iter()
        .chain(KNOWN_AFTER_BOARDS)
        .any(|n| *n == name)
        .then(|| Bootloader::Other(name.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_is_known_once_and_maps() {
        let names = names();
        for n in &names {
            assert_eq!(names.iter().filter(|o| *o == n).count(), 1, "{n} twice");
            assert!(by_name(n).is_some(), "{n}");
        }
        assert_eq!(
            by_name("grub-minimal-bootloader"),
            Some(Bootloader::GrubBios)
        );
        assert_eq!(
            by_name("u-boot-am335x-evm-bootloader"),
            Some(Bootloader::UBoot {
                board: "am335x-evm".into()
            })
        );
        assert_eq!(by_name("lilo-bootloader"), None);
    }
}
