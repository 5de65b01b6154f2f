//! The DSL corpus: Scheme files that must evaluate to exact values, and files that must fail
//! with an exact message (including FILE:LINE:COLUMN).
//!
//! - `tests/scheme/success/NAME.scm` and `tests/guix/NAME.scm` each have `NAME.expected`:
//!   lines `PATH = VALUE` compared with the evaluated image (see `flatten`), `warning ~ TEXT`
//!   (a warning contains TEXT), `@image-type TYPE` (what follows is about the image the value
//!   becomes with that image type), and `# comments`.
//! - `tests/scheme/failure/*.scm` and `tests/guix/failure/*.scm` start with
//!   `;; error: TEXT`: evaluating must fail with a message containing TEXT; further
//!   `;; error: TEXT` lines (a hint on the message's next line) must each be in it too. An
//!   optional line `;; image-type: TYPE` makes the failure happen when the value becomes an
//!   image.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ingot::dsl::{Dsl, Evaluated};
use ingot::model::{
    FileRef, FileSystemDevice, Image, Initializer, OperatingSystem, Partition, SourceLoc, TreeOp,
};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn scheme_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "scm"))
        .collect();
    files.sort();
    files
}

fn loc(l: &Option<SourceLoc>) -> String {
    match l {
        Some(l) => {
            let file = Path::new(&l.file)
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default();
            format!("{file}:{}:{}", l.line, l.column)
        }
        None => "none".into(),
    }
}

fn quoted(s: &str) -> String {
    format!("{s:?}")
}

fn string_list(items: &[String]) -> String {
    format!(
        "({})",
        items
            .iter()
            .map(|s| quoted(s))
            .collect::<Vec<_>>()
            .join(" ")
    )
}

/// Host paths relative to the repository, so that expectations do not depend on where it is.
fn host_path(p: &Path) -> String {
    match p.strip_prefix(root()) {
        Ok(rel) => format!("<repo>/{}", rel.display()),
        Err(_) => p.display().to_string(),
    }
}

fn tree_op(op: &TreeOp) -> String {
    match op {
        TreeOp::Mkdir { path, mode } => format!("mkdir {path} {mode:o}"),
        TreeOp::WriteFile {
            path,
            contents,
            mode,
        } => format!(
            "write-file {path} {mode:o} {}",
            quoted(&String::from_utf8_lossy(contents))
        ),
        TreeOp::CopyFile { source, path, mode } => format!(
            "copy-file {} {path} {}",
            host_path(source),
            mode.map(|m| format!("{m:o}")).unwrap_or_else(|| "-".into())
        ),
        TreeOp::CopyTree { source, path } => {
            format!("copy-tree {} {path}", host_path(source))
        }
        TreeOp::Symlink { target, path } => format!("symlink {target} {path}"),
    }
}

fn flatten_partition(p: &Partition, prefix: &str, out: &mut BTreeMap<String, String>) {
    let mut put = |k: &str, v: String| {
        out.insert(format!("{prefix}.{k}"), v);
    };
    put("size", p.size.to_string());
    put("offset", p.offset.to_string());
    put("file-system", p.file_system.to_string());
    put("file-system-options", string_list(&p.file_system_options));
    put("label", quoted(&p.label));
    put(
        "uuid",
        p.uuid.map(|u| u.to_string()).unwrap_or_else(|| "#f".into()),
    );
    put(
        "flags",
        format!(
            "({})",
            p.flags
                .iter()
                .map(|f| f.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        ),
    );
    let init = match &p.initializer {
        None => "#f".to_string(),
        Some(Initializer::Root) => "root".into(),
        Some(Initializer::Efi) => "efi".into(),
        Some(Initializer::Efi32) => "efi32".into(),
        Some(Initializer::Unknown(n)) => format!("unknown {n}"),
        Some(Initializer::Custom(ops)) => {
            for (i, op) in ops.iter().enumerate() {
                put(&format!("initializer.ops[{i}]"), tree_op(op));
            }
            format!("custom {}", ops.len())
        }
    };
    put("initializer", init);
    put("location", loc(&p.location));
}

fn file_ref(f: &Option<FileRef>) -> String {
    match f {
        None => "#f".into(),
        Some(FileRef::Host(p)) => format!("host {}", host_path(p)),
        Some(FileRef::InRoot(p)) => format!("in-root {p}"),
    }
}

fn flatten_os(os: &OperatingSystem, prefix: &str, out: &mut BTreeMap<String, String>) {
    let mut put = |k: &str, v: String| {
        out.insert(format!("{prefix}{k}"), v);
    };
    put(
        "host-name",
        os.host_name
            .as_deref()
            .map(quoted)
            .unwrap_or_else(|| "#f".into()),
    );
    put(
        "label",
        os.label
            .as_deref()
            .map(quoted)
            .unwrap_or_else(|| "#f".into()),
    );
    put("kernel", file_ref(&os.kernel));
    put("initrd", file_ref(&os.initrd));
    put("kernel-arguments", string_list(&os.kernel_arguments));
    if let Some(b) = &os.bootloader {
        put("bootloader", b.name.clone());
        put("bootloader.targets", string_list(&b.targets));
        put("bootloader.timeout", b.timeout.to_string());
        put("bootloader.location", loc(&b.location));
    }
    put("file-systems.len", os.file_systems.len().to_string());
    for (i, fs) in os.file_systems.iter().enumerate() {
        let device = match &fs.device {
            FileSystemDevice::Label(l) => format!("label {}", quoted(l)),
            FileSystemDevice::Uuid(u) => format!("uuid {u}"),
            FileSystemDevice::Path(p) => format!("path {p}"),
            FileSystemDevice::Other(o) => format!("other {o}"),
        };
        put(
            &format!("file-systems[{i}]"),
            format!("{device} {} {}", fs.mount_point, fs.fs_type),
        );
    }
    put(
        "root-tree",
        os.root_tree
            .as_deref()
            .map(host_path)
            .unwrap_or_else(|| "#f".into()),
    );
    put(
        "firmware-directory",
        os.firmware_directory
            .as_deref()
            .map(host_path)
            .unwrap_or_else(|| "#f".into()),
    );
    put(
        "ignored",
        if os.ignored.is_empty() {
            "none".into()
        } else {
            os.ignored.join(", ")
        },
    );
    put("location", loc(&os.location));
}

/// Every value of an image as `path = value` lines.
fn flatten(image: &Image) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut put = |k: &str, v: String| {
        out.insert(k.to_string(), v);
    };
    put("name", image.name.clone().unwrap_or_else(|| "#f".into()));
    put("format", image.format.as_str().into());
    put(
        "platform",
        image.platform.clone().unwrap_or_else(|| "#f".into()),
    );
    put("size", image.size.to_string());
    put(
        "max-layers",
        image
            .max_layers
            .map(|m| m.to_string())
            .unwrap_or_else(|| "#f".into()),
    );
    put(
        "partition-table-type",
        image.partition_table_type.as_str().into(),
    );
    put("compression?", image.compression.to_string());
    put("volatile-root?", image.volatile_root.to_string());
    put("shared-store?", image.shared_store.to_string());
    put("shared-network?", image.shared_network.to_string());
    put("substitutable?", image.substitutable.to_string());
    put("location", loc(&image.location));
    put("partitions.len", image.partitions.len().to_string());
    put(
        "operating-system",
        if image.operating_system.is_some() {
            "yes"
        } else {
            "#f"
        }
        .into(),
    );
    for (i, p) in image.partitions.iter().enumerate() {
        flatten_partition(p, &format!("partitions[{i}]"), &mut out);
    }
    if let Some(os) = &image.operating_system {
        flatten_os(os, "os.", &mut out);
    }
    out
}

/// Checks one success file; returns the problems found.
fn check_success(file: &Path) -> Vec<String> {
    let expected_path = file.with_extension("expected");
    let expected = match std::fs::read_to_string(&expected_path) {
        Ok(t) => t,
        Err(e) => return vec![format!("{}: {e}", expected_path.display())],
    };
    let mut dsl = Dsl::new().expect("the prelude loads");
    let value = match dsl.eval_file(file) {
        Ok(v) => v,
        Err(e) => return vec![format!("evaluation failed: {e}")],
    };
    let warnings: Vec<String> = dsl.warnings().iter().map(|w| w.to_string()).collect();
    let mut problems = Vec::new();
    let mut current: Option<BTreeMap<String, String>> = match &value {
        Evaluated::Image(img) => Some(flatten(img)),
        Evaluated::OperatingSystem(os) => {
            let mut m = BTreeMap::new();
            flatten_os(os, "os.", &mut m);
            Some(m)
        }
    };
    for (n, line) in expected.lines().enumerate() {
        let line = line.trim();
        let at = format!("{}:{}", expected_path.display(), n + 1);
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(ty) = line.strip_prefix("@image-type ") {
            current = match dsl.image_for(&value, ty.trim()) {
                Ok(img) => Some(flatten(&img)),
                Err(e) => {
                    problems.push(format!("{at}: image type {ty}: {e}"));
                    None
                }
            };
            continue;
        }
        if let Some(text) = line.strip_prefix("warning ~ ") {
            if !warnings.iter().any(|w| w.contains(text)) {
                problems.push(format!(
                    "{at}: no warning contains {text:?}; warnings: {warnings:#?}"
                ));
            }
            continue;
        }
        if line == "no warnings" {
            if !warnings.is_empty() {
                problems.push(format!("{at}: unexpected warnings {warnings:#?}"));
            }
            continue;
        }
        let Some((key, want)) = line.split_once(" = ") else {
            problems.push(format!("{at}: cannot read this line"));
            continue;
        };
        let Some(values) = &current else { continue };
        match values.get(key.trim()) {
            Some(got) if got == want.trim() => {}
            Some(got) => problems.push(format!("{at}: {key} is {got}, expected {want}")),
            None => problems.push(format!(
                "{at}: no value {key}; known: {:?}",
                values.keys().collect::<Vec<_>>()
            )),
        }
    }
    problems
}

fn header(text: &str, key: &str) -> Option<String> {
    text.lines()
        .take_while(|l| l.starts_with(";;"))
        .find_map(|l| l.strip_prefix(&format!(";; {key}:")))
        .map(|s| s.trim().to_string())
}

fn check_failure(file: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(file).unwrap();
    if !text.starts_with(";; error:") {
        return vec!["the first line must be `;; error: TEXT`".into()];
    }
    let wanted: Vec<String> = text
        .lines()
        .take_while(|l| l.starts_with(";;"))
        .filter_map(|l| l.strip_prefix(";; error:"))
        .map(|s| s.trim().to_string())
        .collect();
    let mut dsl = Dsl::new().expect("the prelude loads");
    let result = dsl
        .eval_file(file)
        .and_then(|v| match header(&text, "image-type") {
            Some(ty) => dsl.image_for(&v, &ty).map(|_| v),
            None => Ok(v),
        });
    match result {
        Ok(_) => vec![format!("evaluated, but should fail with {wanted:?}")],
        Err(e) => {
            let message = e.to_string();
            wanted
                .iter()
                .filter(|w| !message.contains(w.as_str()))
                .map(|w| format!("failed with\n{message}\nexpected a message containing\n{w}"))
                .collect()
        }
    }
}

/// Runs `check` over `files` on two threads (each Dsl is independent) and reports all
/// problems at once; a panic is a problem of its file.
fn run(files: Vec<PathBuf>, check: fn(&Path) -> Vec<String>) {
    assert!(!files.is_empty());
    let (a, b): (Vec<_>, Vec<_>) = files.into_iter().enumerate().partition(|(i, _)| i % 2 == 0);
    let work = |part: Vec<(usize, PathBuf)>| {
        let mut problems = Vec::new();
        for (_, file) in part {
            let outcome = std::panic::catch_unwind(|| check(&file));
            match outcome {
                Ok(p) => problems.extend(p.into_iter().map(|p| format!("{}: {p}", file.display()))),
                Err(_) => problems.push(format!("{}: PANICKED", file.display())),
            }
        }
        problems
    };
    let problems: Vec<String> = std::thread::scope(|s| {
        let ta = s.spawn(|| work(a));
        let tb = s.spawn(|| work(b));
        let mut p = ta.join().unwrap();
        p.extend(tb.join().unwrap());
        p
    });
    assert!(problems.is_empty(), "\n{}", problems.join("\n\n"));
}

#[test]
fn scheme_success() {
    run(
        scheme_files(&root().join("tests/scheme/success")),
        check_success,
    );
}

#[test]
fn scheme_failure() {
    run(
        scheme_files(&root().join("tests/scheme/failure")),
        check_failure,
    );
}

#[test]
fn guix_success() {
    run(scheme_files(&root().join("tests/guix")), check_success);
}

#[test]
fn guix_failure() {
    run(
        scheme_files(&root().join("tests/guix/failure")),
        check_failure,
    );
}
