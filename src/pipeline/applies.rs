//! Options and fields that mean nothing for the image at hand are said so: an error when
//! ignoring them would give the user something else than asked (`--oci` on a disk image,
//! `(max-layers N)` ingot cannot honour), a warning naming them otherwise.

use super::{BuildError, BuildOptions, Overrides};
use crate::model::{Image, ImageFormat};

fn is_archive(format: ImageFormat) -> bool {
    matches!(
        format,
        ImageFormat::Docker | ImageFormat::Tarball | ImageFormat::Wsl2
    )
}

/// Checks `image` (overrides applied) against what was asked; returns the warnings.
pub fn check(image: &Image, opts: &BuildOptions, o: &Overrides) -> Result<Vec<String>, BuildError> {
    let format = image.format;
    let name = format.as_str();
    let mut warnings = Vec::new();
    if opts.oci && format != ImageFormat::Docker {
        return Err(BuildError::Input(format!(
            "--oci applies to docker images only; this image's format is {name}"
        )));
    }
    match (image.max_layers, format) {
        (Some(n), ImageFormat::Docker) if n > 1 => {
            return Err(BuildError::Input(crate::model::at_field(
                image.location.as_ref(),
                "image",
                "max-layers",
                &format!(
                    "(max-layers {n}): ingot writes a docker image as one layer and cannot \
                     split it into {n}; remove the field (or set it to 1)"
                ),
            )))
        }
        (Some(n), f) if f != ImageFormat::Docker => warnings.push(format!(
            "(max-layers {n}) was not used: only docker images have layers, this one is {name}"
        )),
        _ => {}
    }
    if o.volatile && (is_archive(format) || image.operating_system.is_none()) {
        let why = if is_archive(format) {
            format!("a {name} has no root file system to mount")
        } else {
            "the image has no operating-system to boot".to_string()
        };
        warnings.push(format!("--volatile was not used: {why}"));
    }
    if is_archive(format) {
        if let Some(label) = &o.label {
            warnings.push(format!(
                "--label {label} was not used: a {name} has no partition or volume label"
            ));
        }
        if o.image_size.is_some() {
            warnings.push(format!(
                "--image-size was not used: a {name} is as large as its content"
            ));
        }
    }
    Ok(warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(format: ImageFormat) -> Image {
        Image::new(format)
    }

    #[test]
    fn what_does_not_apply_is_refused_or_named() {
        let oci = BuildOptions {
            oci: true,
            ..BuildOptions::default()
        };
        let none = Overrides::default();
        assert!(check(&image(ImageFormat::DiskImage), &oci, &none).is_err());
        assert!(check(&image(ImageFormat::Docker), &oci, &none)
            .unwrap()
            .is_empty());
        let mut layered = image(ImageFormat::Docker);
        layered.max_layers = Some(5);
        let err = check(&layered, &BuildOptions::default(), &none).unwrap_err();
        assert!(err.to_string().contains("max-layers 5"), "{err}");
        layered.format = ImageFormat::Iso9660;
        let w = check(&layered, &BuildOptions::default(), &none).unwrap();
        assert!(w[0].contains("(max-layers 5) was not used"), "{w:?}");
        let asked = Overrides {
            volatile: true,
            label: Some("x".into()),
            ..Overrides::default()
        };
        let w = check(
            &image(ImageFormat::Tarball),
            &BuildOptions::default(),
            &asked,
        )
        .unwrap();
        assert_eq!(w.len(), 2, "{w:?}");
        assert!(w[0].contains("--volatile was not used"));
    }
}
