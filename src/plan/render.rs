//! `ingot show`: the plan as a table for people and as JSON for scripts.

use serde_json::{json, Value};

use super::{Plan, MIB};
use crate::model::SizeSpec;

fn human(bytes: u64) -> String {
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= MIB {
        format!("{:.1} MiB", bytes as f64 / MIB as f64)
    } else if bytes >= 1024 && bytes.is_multiple_of(1024) {
        format!("{} KiB", bytes / 1024)
    } else if bytes >= 1024 {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    } else {
        format!("{bytes} B")
    }
}

/// A FAT volume serial as blkid and Guix write it: "1234-ABCD".
fn fat_serial(serial: u32) -> String {
    format!("{:04X}-{:04X}", serial >> 16, serial & 0xffff)
}

/// ISO, docker, tarball and wsl2 have no partition table: say what they hold instead.
fn render_tree_format(plan: &Plan) -> String {
    let os = plan.image.operating_system.as_ref();
    let mut out = format!("{}  format {}\n", plan.file_name, plan.format.as_str());
    let source = os
        .and_then(|o| o.root_tree.as_ref())
        .map(|t| t.display().to_string())
        .unwrap_or_else(|| "(no root-tree: empty)".into());
    out.push_str(&format!("content  the root tree {source}\n"));
    if let (Some(part), crate::format::FormatPlan::Iso { volume_id }) =
        (plan.partitions.first(), &plan.layout)
    {
        let bootloader = os.and_then(|o| o.bootloader.as_ref());
        out.push_str(&format!(
            "volume   {volume_id}  zisofs {}  about {} of content\n",
            if plan.image.compression { "on" } else { "off" },
            human(part.content.apparent_size())
        ));
        out.push_str(match bootloader {
            Some(_) => "boot     El Torito BIOS (GRUB i386-pc) + EFI (GRUB x86_64-efi), isohybrid MBR/GPT\n",
            None => "boot     none (the operating-system has no bootloader)\n",
        });
    }
    out.push_str(&boot_lines(plan));
    out
}

/// "kernel: …" and "initrd: …" lines, and what the OS replaced in the tree.
fn boot_lines(plan: &Plan) -> String {
    let mut out = String::new();
    for line in plan.boot_files.iter().flat_map(|b| b.summary()) {
        out.push_str(&line);
        out.push('\n');
    }
    if let Some(owners) = &plan.owners {
        out.push_str(&format!("owners: {owners}\n"));
    }
    for note in &plan.notes {
        out.push_str(&format!("note: {note}\n"));
    }
    out
}

fn boot_file_json(file: Option<&crate::pipeline::boot_files::BootFile>) -> Value {
    use crate::pipeline::boot_files::Origin;
    match file {
        None => Value::Null,
        Some(f) => match &f.origin {
            Origin::Tree => json!({ "path": f.path, "from": "root-tree" }),
            Origin::Host(h) => json!({ "path": f.path, "from": "host", "host_path": h }),
        },
    }
}

/// The JSON shape documented in the README (more keys may be added, none removed).
pub fn render_json(plan: &Plan) -> Value {
    let partitions: Vec<Value> = plan
        .partitions
        .iter()
        .map(|p| {
            let mut v = json!({
                "index": p.index,
                "label": p.label,
                "offset": p.offset,
                "size": p.size,
                "file_system": p.declared_file_system.as_str(),
                "file_system_built": p.file_system.as_str(),
                "file_system_options": p.file_system_options,
                "flags": p.flags.iter().map(|f| f.as_str()).collect::<Vec<_>>(),
                "uuid": p.fs_uuid.to_string(),
                "size_guessed": p.size_guessed,
            });
            if p.file_system.is_fat() {
                v["fat_serial"] = json!(fat_serial(p.volume_id));
            }
            if let Some(t) = p.part_type {
                v["type"] = json!(t.to_string());
            }
            if plan.table() == Some(crate::model::PartitionTableType::Gpt) {
                v["partition_guid"] = json!(p.part_guid.to_upper_string());
            }
            v
        })
        .collect();
    let os = plan.image.operating_system.as_ref();
    json!({
        "name": plan.image.name,
        "file_name": plan.file_name,
        "format": plan.format.as_str(),
        "partition_table": plan.table().map(|t| t.as_str()),
        "size": plan.size,
        "disk_guid": plan.table().map(|_| plan.disk_guid.to_upper_string()),
        "mbr_signature": plan.table().map(|_| format!("0x{:08x}", plan.mbr_signature)),
        "compression": plan.image.compression,
        "volatile_root": plan.image.volatile_root,
        "image_size": match plan.image.size { SizeSpec::Guess => json!("guess"), SizeSpec::Bytes(n) => json!(n) },
        "bootloader": os.and_then(|o| o.bootloader.as_ref()).map(|b| b.name.as_str()),
        "kernel": boot_file_json(plan.boot_files.as_ref().and_then(|b| b.kernel.as_ref())),
        "initrd": boot_file_json(plan.boot_files.as_ref().and_then(|b| b.initrd.as_ref())),
        "owners": plan.owners,
        "seed": plan.seed,
        "timestamp": plan.timestamp,
        "alignment": plan.alignment,
        "partitions": partitions,
    })
}

/// A human table of the plan.
pub fn render_table(plan: &Plan) -> String {
    if !plan.format.is_disk() {
        return render_tree_format(plan);
    }
    let mut out = String::new();
    let table = plan.table().map(|t| t.as_str()).unwrap_or("none");
    out.push_str(&format!(
        "{}  format {}  table {}  size {} ({} bytes)\n",
        plan.file_name,
        plan.format.as_str(),
        table,
        human(plan.size),
        plan.size
    ));
    if let Some(bl) = plan
        .image
        .operating_system
        .as_ref()
        .and_then(|o| o.bootloader.as_ref())
    {
        out.push_str(&format!("bootloader {}\n", bl.name));
    }
    out.push_str(&boot_lines(plan));
    let header = [
        "#", "label", "start", "end", "size", "fs", "flags", "type", "uuid",
    ];
    let mut rows: Vec<[String; 9]> = vec![header.map(String::from)];
    for p in &plan.partitions {
        let fs = if p.declared_file_system == p.file_system {
            p.file_system.to_string()
        } else {
            format!("{} ({})", p.declared_file_system, p.file_system)
        };
        rows.push([
            p.index.to_string(),
            p.label.clone(),
            p.offset.to_string(),
            p.end().to_string(),
            format!(
                "{}{}",
                human(p.size),
                if p.size_guessed { " (guess)" } else { "" }
            ),
            fs,
            p.flags
                .iter()
                .map(|f| f.as_str())
                .collect::<Vec<_>>()
                .join(","),
            p.part_type.map(|t| t.to_string()).unwrap_or_default(),
            // What blkid will read: a FAT file system has a serial, not a UUID.
            if p.file_system.is_fat() {
                fat_serial(p.volume_id)
            } else {
                p.fs_uuid.to_string()
            },
        ]);
    }
    let widths: Vec<usize> = (0..9)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    for row in rows {
        let line: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    // Said only where it moves a partition: Guix's default images give the first partition
    // an offset, and the ones after it start where it ends, on a 1 MiB boundary anyway.
    let moved: Vec<String> = plan
        .partitions
        .iter()
        .filter_map(|p| {
            p.unaligned_offset
                .map(|u| format!("partition {} starts at {}, not {u}", p.index, p.offset))
        })
        .collect();
    if plan.table().is_some() && !moved.is_empty() {
        out.push_str(&format!(
            "note: partitions with offset 0 start on a {} boundary (Guix aligns to 512 bytes): {}\n",
            human(plan.alignment),
            moved.join(", ")
        ));
    }
    out
}
