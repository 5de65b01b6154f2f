//! Builds an ext4 image of a directory with ingot's native writer and with `mke2fs -d`, and
//! prints both times.
//!
//! cargo run --release --example ext_bench -- DIR [OUT_DIR] [mke2fs options...]
//! e.g. cargo run --release --example ext_bench -- /tmp/tree /tmp -O ^metadata_csum,^64bit

use std::fs::File;
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use ingot::content::{load_dir, LoadPolicy};
use ingot::disk::Region;
use ingot::fs::ext::{self, ExtBackend, ExtKind, ExtParams};
use ingot::model::Uuid;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(
        args.next()
            .ok_or("usage: ext_bench DIR [OUT_DIR] [options]")?,
    );
    let out = PathBuf::from(
        args.next()
            .unwrap_or_else(|| std::env::temp_dir().display().to_string()),
    );
    let options: Vec<String> = args.collect();
    let epoch = 1_700_000_000;

    let t = Instant::now();
    let tree = load_dir(
        &dir,
        LoadPolicy {
            owners: ingot::content::Owners::Root,
            clamp_mtime: Some(epoch),
        },
    )?;
    let load = t.elapsed();
    let params = ExtParams {
        kind: ExtKind::Ext4,
        label: "bench".into(),
        uuid: Uuid::parse("33333333-4444-4555-8666-777777777777")?,
        hash_seed: Uuid::parse("0b6f3c1a-2d4e-4f60-8a1b-9c2d3e4f5a6b")?,
        timestamp: epoch,
        options: options.clone(),
        backend: ExtBackend::Native,
    };
    let t = Instant::now();
    let min = ext::min_size(&tree, &params)?;
    let sizing = t.elapsed();
    let size = (min + min / 4).next_multiple_of(1 << 20);

    let native = out.join("ext_bench-native.img");
    let _ = std::fs::remove_file(&native);
    let t = Instant::now();
    {
        let f = File::create(&native)?;
        f.set_len(size)?;
        ext::write(&Region::new(&f, 0, size), &tree, &params)?;
        f.sync_all()?;
    }
    let native_time = t.elapsed();

    let reference = out.join("ext_bench-mke2fs.img");
    let _ = std::fs::remove_file(&reference);
    let t = Instant::now();
    File::create(&reference)?.set_len(size)?;
    let status = Command::new("mke2fs")
        .env("E2FSPROGS_FAKE_TIME", epoch.to_string())
        .args([
            "-q",
            "-F",
            "-t",
            "ext4",
            "-L",
            "bench",
            "-E",
            "root_owner=0:0",
        ])
        .args(&options)
        .arg("-d")
        .arg(&dir)
        .arg(&reference)
        .status()?;
    File::open(&reference)?.sync_all()?;
    let mke2fs_time = t.elapsed();
    if !status.success() {
        return Err(format!("mke2fs failed: {status}").into());
    }
    let nodes = tree.len();
    println!(
        "tree: {nodes} nodes, {} MiB apparent; loaded in {load:.2?}",
        tree.apparent_size() >> 20
    );
    println!(
        "min_size {} MiB (computed in {sizing:.2?}); image {} MiB",
        min >> 20,
        size >> 20
    );
    println!("native writer: {native_time:.2?}  ({})", native.display());
    println!(
        "mke2fs -d:     {mke2fs_time:.2?}  ({})",
        reference.display()
    );
    let total = load + sizing + native_time;
    println!("native load + min_size + write: {total:.2?}");
    println!(
        "ratio: {:.1}x (write only), {:.1}x (load + min_size + write)",
        mke2fs_time.as_secs_f64() / native_time.as_secs_f64().max(1e-9),
        mke2fs_time.as_secs_f64() / total.as_secs_f64().max(1e-9)
    );
    Ok(())
}
