use super::*;
use crate::model::{Initializer, Partition};

/// A sizer whose answers are easy to reason about: 64 KiB of overhead plus the content.
struct TestSizer;

impl FsSizer for TestSizer {
    fn min_size(&self, _: FileSystemKind, tree: &Tree, _: &[String]) -> Result<u64, String> {
        Ok(64 * 1024 + tree.apparent_size())
    }
    fn vfat_kind(&self, size: u64) -> FileSystemKind {
        if size < 2 * 1024 * MIB {
            FileSystemKind::Fat16
        } else {
            FileSystemKind::Fat32
        }
    }
}

fn part(label: &str, fs: FileSystemKind, size: SizeSpec, offset: u64) -> Partition {
    Partition {
        size,
        offset,
        file_system: fs,
        file_system_options: vec![],
        label: label.into(),
        uuid: None,
        fat_serial: None,
        flags: vec![],
        initializer: Some(Initializer::Root),
        location: None,
        label_location: None,
    }
}

fn esp() -> Partition {
    let mut p = part(
        "GNU-ESP",
        FileSystemKind::Vfat,
        SizeSpec::Bytes(40 * MIB),
        MIB,
    );
    p.flags = vec![PartitionFlag::Esp];
    p
}

fn root() -> Partition {
    let mut p = part("Guix_image", FileSystemKind::Ext4, SizeSpec::Guess, 0);
    p.flags = vec![PartitionFlag::Boot];
    p
}

fn opts() -> PlanOptions {
    PlanOptions {
        ids: IdSource::new("test"),
        timestamp: 1,
        alignment: MIB,
    }
}

fn run(image: &Image) -> Result<Plan, PlanError> {
    let trees = image.partitions.iter().map(|_| Tree::new()).collect();
    plan(image, trees, &TestSizer, &opts())
}

fn efi_image() -> Image {
    let mut img = Image::new(ImageFormat::DiskImage);
    img.partition_table_type = PartitionTableType::Gpt;
    img.partitions = vec![esp(), root()];
    img
}

#[test]
fn efi_layout_matches_guix_values() {
    let p = run(&efi_image()).unwrap();
    assert_eq!(p.partitions[0].offset, MIB);
    assert_eq!(p.partitions[0].size, 41943040);
    assert_eq!(p.partitions[0].file_system, FileSystemKind::Fat16);
    assert_eq!(
        p.partitions[0].part_type,
        Some(PartType::Gpt(Uuid::parse(GPT_EFI_SYSTEM).unwrap()))
    );
    assert_eq!(p.partitions[1].offset, 41 * MIB);
    assert_eq!(p.partitions[1].size, MIB);
    assert!(p.partitions[1].size_guessed);
    assert_eq!(p.size, 43 * MIB);
    assert_eq!(p.root, Some(1));
}

#[test]
fn image_size_goes_to_a_guess_root() {
    let mut img = efi_image();
    img.size = SizeSpec::Bytes(100 * MIB);
    let p = run(&img).unwrap();
    assert_eq!(p.partitions[1].size, 100 * MIB);
    assert_eq!(p.size, 142 * MIB);
}

#[test]
fn fixed_image_size_bounds_fixed_partitions() {
    let mut img = Image::new(ImageFormat::DiskImage);
    img.partitions = vec![part(
        "a",
        FileSystemKind::Ext4,
        SizeSpec::Bytes(8 * MIB),
        MIB,
    )];
    img.size = SizeSpec::Bytes(4 * MIB);
    let err = run(&img).unwrap_err().to_string();
    assert!(err.contains("past the image size 4194304"), "{err}");
    img.size = SizeSpec::Bytes(9 * MIB);
    assert_eq!(run(&img).unwrap().size, 9 * MIB);
}

#[test]
fn refuses_overlaps_and_table_collisions() {
    let mut img = Image::new(ImageFormat::DiskImage);
    img.partitions = vec![
        part("a", FileSystemKind::Ext4, SizeSpec::Bytes(4 * MIB), MIB),
        part("b", FileSystemKind::Ext4, SizeSpec::Bytes(4 * MIB), 2 * MIB),
    ];
    let err = run(&img).unwrap_err().to_string();
    assert!(
        err.contains("partition 2 (b): overlaps partition 1 (a)"),
        "{err}"
    );

    img.partition_table_type = PartitionTableType::Gpt;
    img.partitions = vec![part("a", FileSystemKind::Ext4, SizeSpec::Bytes(MIB), 4096)];
    let err = run(&img).unwrap_err().to_string();
    assert!(err.contains("starts inside the partition table"), "{err}");
}

#[test]
fn refuses_five_mbr_partitions_and_bad_sizes() {
    let mut img = Image::new(ImageFormat::DiskImage);
    img.partitions = (0..5)
        .map(|i| {
            part(
                &format!("p{i}"),
                FileSystemKind::Ext4,
                SizeSpec::Bytes(MIB),
                0,
            )
        })
        .collect();
    assert!(run(&img).unwrap_err().to_string().contains("at most 4"));
    img.partitions = vec![part("a", FileSystemKind::Ext4, SizeSpec::Bytes(100), 0)];
    assert!(run(&img)
        .unwrap_err()
        .to_string()
        .contains("smaller than one 512-byte sector"));
    img.partitions = vec![part(
        "a",
        FileSystemKind::Ext4,
        SizeSpec::Bytes(MIB + 1000),
        0,
    )];
    assert_eq!(run(&img).unwrap().partitions[0].size, MIB + 512);
}

#[test]
fn refuses_content_larger_than_a_fixed_size() {
    let mut img = Image::new(ImageFormat::DiskImage);
    img.partitions = vec![part("a", FileSystemKind::Ext4, SizeSpec::Bytes(MIB), 0)];
    let mut t = Tree::new();
    t.add_bytes("big", vec![1; 2 << 20], 0o644).unwrap();
    let err = plan(&img, vec![t], &TestSizer, &opts())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("needs a ext4 file system of at least"),
        "{err}"
    );
}

fn efi_grub_os() -> crate::model::OperatingSystem {
    use crate::model::{Bootloader, BootloaderConfig, OperatingSystem};
    OperatingSystem {
        bootloader: Some(BootloaderConfig {
            bootloader: Bootloader::GrubEfi,
            name: "grub-efi-bootloader".into(),
            targets: vec![],
            timeout: 5,
            location: None,
        }),
        ..Default::default()
    }
}

#[test]
fn refuses_efi_bootloader_on_mbr_without_esp() {
    let mut img = Image::new(ImageFormat::DiskImage);
    img.partitions = vec![root()];
    img.operating_system = Some(efi_grub_os());
    let err = run(&img).unwrap_err().to_string();
    assert!(
        err.contains("grub-efi-bootloader needs an EFI system partition"),
        "{err}"
    );
    assert!(super::efi_on_mbr_warning(&img).is_some());
}

#[test]
fn efi_bootloader_on_mbr_with_esp_is_planned_with_a_warning() {
    let mut img = Image::new(ImageFormat::DiskImage);
    img.partitions = vec![esp(), root()];
    img.operating_system = Some(efi_grub_os());
    run(&img).unwrap();
    let warning = super::efi_on_mbr_warning(&img).unwrap();
    assert!(warning.contains("only UEFI firmware boots"), "{warning}");
    img.partition_table_type = PartitionTableType::Gpt;
    assert_eq!(super::efi_on_mbr_warning(&img), None);
}

#[test]
fn unformatted_gpt_partition_uses_uuid_as_type() {
    let mut img = Image::new(ImageFormat::DiskImage);
    img.partition_table_type = PartitionTableType::Gpt;
    let mut spl = part(
        "spl",
        FileSystemKind::Unformatted,
        SizeSpec::Bytes(MIB),
        34 * 512,
    );
    let t = Uuid::parse("5B193300-FC78-40CD-8002-E86C45580B47").unwrap();
    spl.uuid = Some(t);
    img.partitions = vec![spl.clone()];
    let p = run(&img).unwrap();
    assert_eq!(p.partitions[0].part_type, Some(PartType::Gpt(t)));
    spl.uuid = None;
    img.partitions = vec![spl];
    assert!(run(&img)
        .unwrap_err()
        .to_string()
        .contains("needs a `uuid`"));
}

#[test]
fn identifiers_are_deterministic_and_seeded() {
    let a = run(&efi_image()).unwrap();
    let b = run(&efi_image()).unwrap();
    assert_eq!(a.disk_guid, b.disk_guid);
    assert_eq!(a.partitions[1].fs_uuid, b.partitions[1].fs_uuid);
    let trees = vec![Tree::new(), Tree::new()];
    let other = PlanOptions {
        ids: IdSource::new("other"),
        ..opts()
    };
    let c = plan(&efi_image(), trees, &TestSizer, &other).unwrap();
    assert_ne!(a.disk_guid, c.disk_guid);
}

#[test]
fn json_has_the_documented_shape() {
    let p = run(&efi_image()).unwrap();
    let v = render_json(&p);
    assert_eq!(v["format"], "disk-image");
    assert_eq!(v["partition_table"], "gpt");
    assert_eq!(v["partitions"][0]["label"], "GNU-ESP");
    assert_eq!(v["partitions"][0]["offset"], 1048576);
    assert_eq!(v["partitions"][0]["size"], 41943040);
    assert_eq!(v["partitions"][0]["file_system"], "vfat");
    assert_eq!(v["partitions"][0]["flags"][0], "esp");
    assert_eq!(
        v["partitions"][0]["type"],
        "C12A7328-F81F-11D2-BA4B-00A0C93EC93B"
    );
    let table = render_table(&p);
    assert!(table.contains("GNU-ESP"), "{table}");
}

#[test]
fn alignment_note_only_when_a_partition_moves() {
    // Guix's efi layout: the ESP's end is on a MiB boundary, nothing moves, no note.
    let p = run(&efi_image()).unwrap();
    assert!(p.partitions.iter().all(|p| p.unaligned_offset.is_none()));
    assert!(!render::render_table(&p).contains("note:"));
    // A 1.5 MiB partition: the next one starts at 3 MiB, where Guix starts it at 2.5 MiB.
    let mut img = efi_image();
    img.partitions[0].size = SizeSpec::Bytes(3 * MIB / 2);
    let p = run(&img).unwrap();
    assert_eq!(p.partitions[1].offset, 3 * MIB);
    assert_eq!(p.partitions[1].unaligned_offset, Some(5 * MIB / 2));
    let table = render::render_table(&p);
    assert!(
        table.contains(&format!(
            "(Guix aligns to 512 bytes): partition 2 starts at {}, not {}",
            3 * MIB,
            5 * MIB / 2
        )),
        "{table}"
    );
}
