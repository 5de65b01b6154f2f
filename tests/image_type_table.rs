//! Every image type through `show`, checked against Rust's tables: the format each type
//! makes is a row of `format::FORMATS` (name and default file name), and every board's
//! type lays out its table, partitions and root where `boot::board::BOARDS` says, with room
//! for each of its blobs between the partition table and the root. Nothing is built: this is
//! the cross-check that the prelude's lists, generated from those tables, say the same.

mod common;

use common::ingot::{ingot_ok, show_json};
use ingot::boot::board::{self, BoardTable};
use ingot::format::FORMATS;

fn os(bootloader: &str) -> String {
    format!(
        "(operating-system (host-name \"t\") (timezone \"Etc/UTC\") \
           (bootloader (bootloader-configuration (bootloader {bootloader}) (targets '(\"/dev/sda\")))) \
           (file-systems %base-file-systems))"
    )
}

/// The bootloader an image type boots with: its board's, or the GRUB its table needs.
fn bootloader_for(image_type: &str) -> String {
    if let Some(b) = board::board(image_type) {
        return b.bootloader.to_string();
    }
    match image_type {
        "efi-raw" | "qcow2-gpt" => "grub-efi-bootloader",
        "efi32-raw" => "grub-efi32-bootloader",
        _ => "grub-bootloader",
    }
    .to_string()
}

#[test]
fn every_image_type_shows_what_the_tables_say() {
    let types: serde_json::Value =
        serde_json::from_str(&ingot_ok(&["list-image-types", "--json"])).unwrap();
    let types = types.as_array().unwrap();
    let mut boards_seen = Vec::new();
    let mut formats_made = Vec::new();
    for t in types.iter().filter(|t| t["buildable"] == true) {
        let name = t["name"].as_str().unwrap();
        let def = os(&bootloader_for(name));
        let plan = show_json(&["-e", &def, "-t", name]);
        let format = plan["format"].as_str().unwrap();
        let row = FORMATS
            .iter()
            .find(|r| r.name == format)
            .unwrap_or_else(|| panic!("{name}: format {format} is not in FORMATS"));
        formats_made.push(row.name);
        if plan["name"].is_null() {
            assert_eq!(plan["file_name"], row.file_name, "{name}");
        }
        let Some(b) = board::board(name) else {
            continue;
        };
        boards_seen.push(b.name);
        assert_eq!(format, "disk-image", "{name}");
        // show names a board's U-Boot as the definition wrote it.
        assert_eq!(plan["bootloader"], b.bootloader, "{name}");
        let table = match b.table {
            BoardTable::Mbr => "mbr",
            BoardTable::Gpt => "gpt",
        };
        assert_eq!(plan["partition_table"], table, "{name}");
        let parts = plan["partitions"].as_array().unwrap();
        assert_eq!(parts.len(), b.partitions.len() + 1, "{name}");
        for (p, bp) in parts.iter().zip(b.partitions) {
            assert_eq!(p["label"], bp.label, "{name}");
            assert_eq!(p["offset"].as_u64(), Some(bp.offset), "{name}");
            assert_eq!(p["size"].as_u64(), Some(bp.size), "{name}");
            assert_eq!(
                p["type"].as_str(),
                Some(bp.type_guid.to_uppercase().as_str())
            );
        }
        let root = parts.last().unwrap()["offset"].as_u64().unwrap();
        let want_root = match b.table {
            BoardTable::Mbr => b.root_offset,
            // GPT boards: after the board's partitions, on ingot's 1 MiB alignment.
            BoardTable::Gpt => b.root_offset.div_ceil(1 << 20) << 20,
        };
        assert_eq!(root, want_root, "{name}: root partition offset");
        let table_end = match b.table {
            BoardTable::Mbr => 512,
            BoardTable::Gpt => 34 * 512,
        };
        for blob in b.blobs {
            let end = blob.offset + blob.max_size.unwrap_or(1);
            assert!(
                blob.offset >= table_end,
                "{name}: {} inside the table",
                blob.file
            );
            assert!(
                end <= root,
                "{name}: {} reaches the root partition",
                blob.file
            );
        }
    }
    // Every board the table gives an image type is listed, and shown above.
    let defined: Vec<&str> = board::BOARDS
        .iter()
        .filter(|b| b.image.defined)
        .map(|b| b.name)
        .collect();
    assert_eq!(boards_seen, defined);
    // Every format is made by some image type.
    for r in FORMATS {
        assert!(
            formats_made.contains(&r.name),
            "no image type makes {}",
            r.name
        );
    }
}

#[test]
fn an_unknown_bootloader_is_an_error_naming_it() {
    let def = "(operating-system (host-name \"t\") (timezone \"Etc/UTC\") \
        (bootloader (bootloader-configuration (bootloader (bootloader (name 'lilo) (installer #t))))) \
        (file-systems %base-file-systems))";
    let err = common::ingot::ingot_err(&["show", "-e", def, "-t", "mbr-raw"]);
    assert!(
        err.contains("lilo") && err.contains("cannot install"),
        "{err}"
    );
}
