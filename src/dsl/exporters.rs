//! Which module files under the load path export a name: for a name a file uses but does
//! not define, the `use-modules` it may lack (Guile 3 hints "Did you forget
//! `(use-modules …)`?" for the modules it has loaded; ingot looks at the files, since a
//! module nothing imports is not loaded).
//!
//! Only an error's hint reads these files, and only under the directories the user gave
//! (`-L` and the file's own), bounded in count, size and depth: a hint never makes an error
//! slow or reads the host beyond the declared inputs.

use std::path::{Path, PathBuf};

use super::namespace::{self, Namespace};
use super::reader::{self, Node};

/// At most this many `.scm` files are looked at, over all directories.
const MAX_FILES: usize = 4000;
/// Larger files (a channel's package lists) are skipped.
const MAX_FILE_BYTES: u64 = 2 << 20;
/// Directories deeper than this under a load-path directory are not entered.
const MAX_DEPTH: usize = 8;

/// A module file that exports the name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Exporter {
    /// Its `define-module` name, as `(a b)`.
    pub module: Vec<String>,
    pub path: PathBuf,
    /// The directory from which the module's name leads to its file (`DIR/a/b.scm`), when the
    /// path ends as the name says.
    pub root: Option<PathBuf>,
}

/// The module files under `dirs` that export `name`, in path order, at most three.
pub(super) fn exporters_of(name: &str, dirs: &[PathBuf]) -> Vec<Exporter> {
    let mut files = Vec::new();
    for dir in dirs {
        scheme_files(dir, 0, &mut files);
    }
    // A directory given twice (-L and the file's own) is looked at once.
    files.sort();
    files.dedup();
    let mut found = Vec::new();
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        // Most files do not spell the name at all: they are not parsed.
        if !text.contains(name) {
            continue;
        }
        let nodes = reader::read_all(&text, 0, text.len());
        if let Some(module) = exporting_module(&nodes, name) {
            let root = module_root(&path, &module);
            found.push(Exporter { module, path, root });
            if found.len() == 3 {
                break;
            }
        }
    }
    found
}

/// The `.scm` files under `dir`, not following symbolic links (a link back up would loop),
/// nor entering hidden directories (`.git`).
fn scheme_files(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    if depth > MAX_DEPTH || out.len() >= MAX_FILES {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        if out.len() >= MAX_FILES {
            return;
        }
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let file_name = entry.file_name();
        let file_name = file_name.to_string_lossy();
        if file_name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        if kind.is_dir() {
            scheme_files(&path, depth + 1, out);
        } else if kind.is_file()
            && file_name.ends_with(".scm")
            && entry.metadata().is_ok_and(|m| m.len() <= MAX_FILE_BYTES)
        {
            out.push(path);
        }
    }
}

/// The name of the module these top-level data declare, when it exports `name`.
fn exporting_module(nodes: &[Node], name: &str) -> Option<Vec<String>> {
    let module = nodes.iter().find_map(|n| match n.head() {
        Some("define-module") => namespace::module_name(n.items()?.get(1)?),
        _ => None,
    })?;
    let mut ns = Namespace::default();
    namespace::module_forms(nodes, &mut ns);
    let mut exports: Vec<String> = Vec::new();
    for node in nodes {
        namespace::defined_names(node, &mut Vec::new(), &mut exports);
    }
    let exported = ns
        .exports
        .iter()
        .chain(&ns.re_exports)
        .any(|(_, seen)| seen == name)
        || exports.iter().any(|e| e == name);
    exported.then_some(module)
}

/// `DIR` for a file `DIR/a/b.scm` of module `(a b)`.
fn module_root(path: &Path, module: &[String]) -> Option<PathBuf> {
    let mut dir = path.to_path_buf();
    let (last, parents) = module.split_last()?;
    if dir.file_name()?.to_str()? != format!("{last}.scm") {
        return None;
    }
    dir.pop();
    for part in parents.iter().rev() {
        if dir.file_name()?.to_str()? != part {
            return None;
        }
        dir.pop();
    }
    Some(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, rel: &str, text: &str) -> PathBuf {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn finds_the_module_that_exports_a_name_and_the_directory_its_name_needs() {
        let tmp = tempfile::tempdir().unwrap();
        let file = write(
            tmp.path(),
            "modules/machines/common.scm",
            "(define-module (machines common) #:export (my-pc))\n(define (my-pc n) n)\n",
        );
        write(
            tmp.path(),
            "modules/other.scm",
            "(define-module (other))\n(define (my-pc) 1)\n",
        );
        write(
            tmp.path(),
            "lib/public.scm",
            "(define-module (lib public))\n(define-public (my-pc) 1)\n",
        );
        write(
            tmp.path(),
            ".git/hidden.scm",
            "(define-module (hidden) #:export (my-pc))",
        );
        let found = exporters_of("my-pc", &[tmp.path().to_path_buf()]);
        let modules: Vec<_> = found.iter().map(|e| e.module.join(" ")).collect();
        assert_eq!(modules, ["lib public", "machines common"]);
        assert_eq!(found[0].root.as_deref(), Some(tmp.path()));
        assert_eq!(found[1].path, file);
        assert_eq!(
            found[1].root.as_deref(),
            Some(tmp.path().join("modules").as_path())
        );
    }

    #[test]
    fn a_renamed_export_is_found_by_the_name_importers_see_and_a_misplaced_file_has_no_root() {
        let tmp = tempfile::tempdir().unwrap();
        write(
            tmp.path(),
            "x.scm",
            "(define-module (a b) #:export ((inner . outer)))\n(define inner 1)\n",
        );
        assert!(exporters_of("inner", &[tmp.path().to_path_buf()]).is_empty());
        let found = exporters_of("outer", &[tmp.path().to_path_buf()]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].root, None);
    }

    #[test]
    fn a_file_that_is_not_a_module_is_not_offered() {
        let tmp = tempfile::tempdir().unwrap();
        write(tmp.path(), "plain.scm", "(define-public x 1)\n(export x)\n");
        assert!(exporters_of("x", &[tmp.path().to_path_buf()]).is_empty());
    }
}
