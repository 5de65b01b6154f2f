//! A bootloader ingot cannot install, or one for another platform, is refused by show and
//! build alike, located at the bootloader-configuration, before anything is written.

mod common;

use common::ingot::ingot_err;

fn refused(expr: &str, ty: &str) -> String {
    let show = ingot_err(&["show", "-t", ty, "-e", expr]);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.img");
    let build = ingot_err(&["build", "-t", ty, "-o", out.to_str().unwrap(), "-e", expr]);
    assert_eq!(
        show.lines().last(),
        build.lines().last(),
        "show and build differ"
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    show
}

fn os(loader: &str) -> String {
    format!(
        "(operating-system (host-name \"b\")\n  (bootloader (bootloader-configuration (bootloader {loader})))\n  (file-systems %base-file-systems))"
    )
}

#[test]
fn chromebook_and_raspberry_pi_loaders_are_named_and_refused() {
    for loader in [
        "depthcharge-bootloader",
        "grub-efi-bootloader-chain-raspi-64",
        "extlinux-bootloader",
    ] {
        let err = refused(&os(loader), "mbr-raw");
        assert!(
            err.contains(&format!(
                "<expr>:2:15: image: {loader}: ingot cannot install this bootloader"
            )),
            "{err}"
        );
    }
}

#[test]
fn a_bootloader_with_its_own_installer_is_refused_for_a_disk() {
    let err = refused(
        &os("(bootloader (name 'dummy-bootloader) (installer '(const #t)))"),
        "efi-raw",
    );
    assert!(
        err.contains("dummy-bootloader: ingot cannot install this bootloader"),
        "{err}"
    );
}

/// A record named as a GRUB ingot installs but inheriting none of its code is refused for
/// that, not as if grub-efi-bootloader itself were refused.
#[test]
fn a_record_named_like_a_known_grub_says_what_makes_it_unknown() {
    let err = refused(
        &os("(bootloader (name 'grub-efi-bootloader) (installer #f))"),
        "efi-raw",
    );
    assert!(
        err.contains(
            "<expr>:2:15: image: grub-efi-bootloader: this bootloader record is not Guix's \
             grub-efi-bootloader: none of its installer, disk-image-installer and \
             configuration-file-generator is inherited from a bootloader ingot knows (inherit \
             grub-efi-bootloader and replace only some of them)"
        ),
        "{err}"
    );
    assert!(!err.contains("it installs"), "{err}");
}

#[test]
fn an_x86_loader_on_aarch64_is_refused() {
    for loader in ["grub-bootloader", "grub-efi32-bootloader"] {
        let expr = format!(
            "(image (inherit mbr-disk-image) (platform aarch64-linux) (operating-system {}))",
            os(loader)
        );
        let err = refused(&expr, "mbr-raw");
        assert!(
            err.contains(&format!(
                "{loader} is an x86 bootloader, but the image's platform is aarch64-linux"
            )),
            "{err}"
        );
    }
}
