//! What the command line and the operating system change in an image before it is planned:
//! Guix's `--image-size`, `--label`, `--volatile`, ingot's `--root-tree`, and the operating
//! system's file-systems tying the root (and ESP) partitions to their labels or UUIDs.

use std::path::PathBuf;

use crate::model::{
    parse_fat_serial, FileSystemDevice, Image, OperatingSystem, PartitionFlag, SizeSpec,
};

#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub image_size: Option<u64>,
    pub label: Option<String>,
    pub volatile: bool,
    pub root_tree: Option<PathBuf>,
    pub firmware_dir: Option<PathBuf>,
}

/// Applies the operating system's file systems, then the command line, to `image`.
pub fn apply(image: &mut Image, o: &Overrides) {
    if let Some(os) = image.operating_system.clone() {
        tie_file_systems(image, &os);
    }
    if let Some(size) = o.image_size {
        image.size = SizeSpec::Bytes(size);
    }
    if let Some(label) = &o.label {
        // Guix's image-with-label: the first partition's label (the ISO volume id).
        if let Some(first) = image.partitions.first_mut() {
            first.label = label.clone();
        }
    }
    if o.volatile {
        image.volatile_root = true;
    }
    if o.root_tree.is_some() || o.firmware_dir.is_some() {
        let os = image
            .operating_system
            .get_or_insert_with(OperatingSystem::default);
        if let Some(tree) = &o.root_tree {
            os.root_tree = Some(tree.clone());
        }
        if let Some(dir) = &o.firmware_dir {
            os.firmware_directory = Some(dir.clone());
        }
    }
}

/// The root file system's label or UUID becomes the root partition's; a `/boot/efi` entry's
/// becomes the ESP's. The root is the first file system on "/", as Guix's
/// `operating-system-root-file-system` takes it (the DSL warns about the others).
fn tie_file_systems(image: &mut Image, os: &OperatingSystem) {
    let root = os.root_file_system();
    for fs in &os.file_systems {
        let target = match fs.mount_point.as_str() {
            "/" if root.is_some_and(|r| std::ptr::eq(r, fs)) => image.root_partition_index(),
            "/" => None,
            "/boot/efi" => image
                .partitions
                .iter()
                .position(|p| p.has_flag(PartitionFlag::Esp)),
            _ => None,
        };
        let Some(i) = target else { continue };
        let part = &mut image.partitions[i];
        match &fs.device {
            FileSystemDevice::Label(label) => {
                part.label = label.clone();
                part.label_location = fs.location.clone();
            }
            FileSystemDevice::Uuid(uuid) => part.uuid = Some(*uuid),
            FileSystemDevice::Other(id) if part.file_system.is_fat() => {
                if let Some(serial) = parse_fat_serial(id) {
                    part.fat_serial = Some(serial);
                }
            }
            FileSystemDevice::Path(_) | FileSystemDevice::Other(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        FileSystemEntry, FileSystemKind, ImageFormat, Initializer, Partition, Uuid,
    };

    fn partition(label: &str, flags: Vec<PartitionFlag>) -> Partition {
        let fs = if flags.contains(&PartitionFlag::Esp) {
            FileSystemKind::Vfat
        } else {
            FileSystemKind::Ext4
        };
        Partition {
            size: SizeSpec::Guess,
            offset: 0,
            file_system: fs,
            file_system_options: vec![],
            label: label.into(),
            uuid: None,
            fat_serial: None,
            flags,
            initializer: Some(Initializer::Root),
            location: None,
            label_location: None,
        }
    }

    #[test]
    fn os_root_label_and_cli_options() {
        let mut img = Image::new(ImageFormat::DiskImage);
        img.partitions = vec![
            partition("GNU-ESP", vec![PartitionFlag::Esp]),
            partition("Guix_image", vec![PartitionFlag::Boot]),
        ];
        let uuid = Uuid::parse("12345678-1234-4234-8234-123456789abc").unwrap();
        img.operating_system = Some(OperatingSystem {
            file_systems: vec![
                FileSystemEntry {
                    device: FileSystemDevice::Label("my-root".into()),
                    mount_point: "/".into(),
                    fs_type: "ext4".into(),
                    location: None,
                },
                FileSystemEntry {
                    device: FileSystemDevice::Uuid(uuid),
                    mount_point: "/boot/efi".into(),
                    fs_type: "vfat".into(),
                    location: None,
                },
                FileSystemEntry {
                    device: FileSystemDevice::Other("1234-ABCD".into()),
                    mount_point: "/boot/efi".into(),
                    fs_type: "vfat".into(),
                    location: None,
                },
            ],
            ..Default::default()
        });
        apply(
            &mut img,
            &Overrides {
                image_size: Some(1 << 30),
                root_tree: Some("/srv/root".into()),
                ..Default::default()
            },
        );
        assert_eq!(img.partitions[1].label, "my-root");
        assert_eq!(img.partitions[0].uuid, Some(uuid));
        assert_eq!(img.partitions[0].fat_serial, Some(0x1234_abcd));
        assert_eq!(parse_fat_serial("12345-678"), None);
        assert_eq!(img.size, SizeSpec::Bytes(1 << 30));
        let os = img.operating_system.as_ref().unwrap();
        assert_eq!(
            os.root_tree.as_deref(),
            Some(std::path::Path::new("/srv/root"))
        );

        apply(
            &mut img,
            &Overrides {
                label: Some("NEW".into()),
                ..Default::default()
            },
        );
        assert_eq!(img.partitions[0].label, "NEW");
    }

    #[test]
    fn the_first_root_file_system_names_the_root_partition() {
        let mut img = Image::new(ImageFormat::DiskImage);
        img.partitions = vec![partition("Guix_image", vec![PartitionFlag::Boot])];
        let at = |line| crate::model::SourceLoc {
            file: "os.scm".into(),
            line,
            column: 3,
        };
        let root = |label: &str, line| FileSystemEntry {
            device: FileSystemDevice::Label(label.into()),
            mount_point: "/".into(),
            fs_type: "ext4".into(),
            location: Some(at(line)),
        };
        img.operating_system = Some(OperatingSystem {
            file_systems: vec![root("first", 5), root("second", 6)],
            ..Default::default()
        });
        apply(&mut img, &Overrides::default());
        assert_eq!(img.partitions[0].label, "first");
        assert_eq!(img.partitions[0].label_location, Some(at(5)));
    }
}
