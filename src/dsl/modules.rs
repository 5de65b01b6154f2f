//! Guile's module files: which files `include` and `load` name, and where a user module's
//! file is on the load path.
//!
//! Loading a module evaluates its file once, before the text that uses it, in a namespace of
//! its own (see `namespace`). Guix's, Guile's and a few package-only channels' modules are
//! built in (their names are ingot's prelude or opaque placeholders); every other module must
//! be a file on the load path.

use std::path::{Path, PathBuf};

use super::calls::{read_datum, Datum};

/// Module name roots ingot provides itself (Guix, Guile, SRFIs) or whose names it keeps
/// opaque: the nonguix channel's packages and services, and the Guile libraries the `guix`
/// command propagates, always on its load path (guile-gcrypt's `(gcrypt …)`: a signing key
/// turned into text for a service; guile-git's `(git)` and its `(bytestructures …)`,
/// guile-ssh, gnutls, guile-avahi, guile-sqlite3, guile-zlib, guile-lzlib, guile-zstd).
const BUILT_IN_ROOTS: &[&str] = &[
    "gnu",
    "guix",
    "srfi",
    "ice-9",
    "rnrs",
    "scheme",
    "oop",
    "system",
    "web",
    "json",
    "sxml",
    "texinfo",
    "language",
    "nongnu",
    "nonguix",
    "gcrypt",
    "git",
    "bytestructures",
    "ssh",
    "gnutls",
    "avahi",
    "sqlite3",
    "zlib",
    "lzlib",
    "zstd",
];

/// A file a top-level `(include "file")` or `(load "file")` asks to be read first: a path
/// relative to the including file, and where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct File {
    pub path: String,
    pub at: usize,
}

/// The argument of a top-level `(load EXPR)`/`(include EXPR)` whose path is computed, as
/// `(load (string-append (dirname (current-filename)) "/x.scm"))`: where EXPR is, to evaluate
/// it first (Guile evaluates `load`'s argument; ingot then reads that file as for a literal).
pub(super) fn computed_request(text: &str, start: usize) -> Option<super::source::Form> {
    let node = super::reader::read(text.as_bytes(), &mut start.clone())?;
    let items = node.items()?;
    match (node.head(), items) {
        (Some("load" | "include" | "include-from-path"), [_, arg])
            if matches!(
                arg.kind,
                super::reader::Kind::List(..) | super::reader::Kind::Symbol(_)
            ) =>
        {
            Some(super::source::Form {
                start: arg.start,
                end: arg.end,
            })
        }
        _ => None,
    }
}

/// The `(load "file")` and `(include "file")` calls inside a form, in code (not quoted data),
/// with their span and where the path is written: Guile's `load` returns the value of the
/// file's last form, as in `(operating-system (load "os.scm"))`, and so does an `include`,
/// which splices the file's forms there as a `begin` (`(define hosts (include "hosts.scm"))`).
/// ingot evaluates each file before the form, as a top-level load, and the form reads the
/// value (a computed path stays an error saying so). So an included file does not see the
/// local variables around the `include`, as it does in Guile; a data file needs none.
pub(super) fn nested_loads(text: &str, form: super::source::Form) -> Vec<(usize, usize, File)> {
    fn walk(
        text: &str,
        node: &super::reader::Node,
        top: bool,
        out: &mut Vec<(usize, usize, File)>,
    ) {
        use super::reader::Kind;
        match &node.kind {
            Kind::Prefixed("quote" | "quasiquote" | "syntax" | "quasisyntax", _) => {}
            Kind::Prefixed(_, inner) => walk(text, inner, false, out),
            Kind::List(items, _) => {
                match node.head() {
                    Some("quote" | "quasiquote") => return,
                    Some("load" | "include") if !top && items.len() == 2 => {
                        let arg = &items[1];
                        let literal = &text[arg.start..arg.end];
                        if matches!(arg.kind, Kind::Literal)
                            && literal.len() >= 2
                            && literal.starts_with('"')
                            && literal.ends_with('"')
                            && !literal.contains('\\')
                        {
                            out.push((
                                node.start,
                                node.end,
                                File {
                                    path: literal[1..literal.len() - 1].to_string(),
                                    at: arg.start,
                                },
                            ));
                            return;
                        }
                    }
                    _ => {}
                }
                for item in items {
                    walk(text, item, false, out);
                }
            }
            Kind::Vector(items) => {
                for item in items {
                    walk(text, item, false, out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    let mut at = form.start;
    if let Some(node) = super::reader::read(&text.as_bytes()[..form.end], &mut at) {
        walk(text, &node, true, &mut out);
    }
    out
}

/// The file a top-level form (starting at `start` of `text`) includes or loads.
pub(super) fn requests(text: &str, start: usize, end: usize) -> Option<File> {
    let bytes = &text.as_bytes()[..end];
    let mut i = start;
    let Some(Datum::List(items, _, false)) = read_datum(bytes, &mut i) else {
        return None;
    };
    match items.first() {
        Some(Datum::Symbol(s))
            if matches!(s.as_str(), "include" | "load" | "include-from-path") =>
        {
            let (at, path) = string_literal(text, start, end, &items)?;
            Some(File { path, at })
        }
        _ => None,
    }
}

/// The one string literal argument of `(include "x")`: its offset and text (no escapes).
fn string_literal(
    text: &str,
    start: usize,
    end: usize,
    items: &[Datum],
) -> Option<(usize, String)> {
    if items.len() != 2 || !matches!(items[1], Datum::Other) {
        return None;
    }
    let form = &text[start..end];
    let open = form.find('"')?;
    let close = form[open + 1..].find('"')? + open + 1;
    let literal = &form[open + 1..close];
    (!literal.contains('\\')).then(|| (start + open, literal.to_string()))
}

/// Whether ingot provides module `name` itself.
pub(super) fn is_built_in(name: &[String]) -> bool {
    name.first()
        .is_some_and(|root| BUILT_IN_ROOTS.contains(&root.as_str()))
}

/// The modules of Guix (2022's tree, and the system, service, home and bootloader modules of
/// 2026's) and of the nonguix channel, one per line, parts separated by blanks. Only a
/// did-you-mean is drawn from it: a module missing from it may be newer.
const GUIX_MODULES: &str = include_str!("guix_modules.txt");

/// For a Guix or nonguix module name that is none of theirs: the module it misspells, one or
/// two edits away in its last part. A short part is too near others to tell: (gnu packages
/// zip) is a module Guix removed, not a misspelt zig, and (gnu packages rocm) newer than rpm.
pub(super) fn misspelt_guix_module(name: &[String]) -> Option<String> {
    let (last, parent) = name.split_last()?;
    if !matches!(name[0].as_str(), "gnu" | "guix" | "nongnu" | "nonguix") {
        return None;
    }
    let joined = name.join(" ");
    if GUIX_MODULES.lines().any(|m| m == joined) {
        return None;
    }
    let limit = match last.chars().count() {
        0..=4 => return None,
        5..=7 => 1,
        _ => 2,
    };
    let siblings: Vec<&str> = GUIX_MODULES
        .lines()
        .filter_map(|m| {
            let (m_parent, m_last) = m.rsplit_once(' ')?;
            (m_parent.split(' ').eq(parent.iter().map(String::as_str))).then_some(m_last)
        })
        .collect();
    let close = super::diagnose::closest(last, siblings.iter().copied())?;
    (strsim::levenshtein(close, last) <= limit).then(|| {
        let mut fixed = parent.to_vec();
        fixed.push(close.to_string());
        display(&fixed)
    })
}

/// Whether a file on the load path, when there is one, is module `name` rather than ingot's
/// built-in: as in Guile, whose `-L` directories come first, for the roots Guile's own
/// libraries use (a user's `(system base)` in `system/base.scm`). Guix's and the nonguix
/// channel's modules stay ingot's even in a Guix checkout given with `-L`.
pub(super) fn user_may_provide(name: &[String]) -> bool {
    name.first()
        .is_some_and(|root| !matches!(root.as_str(), "gnu" | "guix" | "nongnu" | "nonguix"))
}

/// Whether built-in module `name` is one whose names ingot knows (its prelude, Guile's
/// libraries), rather than one of Guix's package and service modules it keeps opaque.
pub(super) fn is_known(name: &[String]) -> bool {
    let parts: Vec<&str> = name.iter().map(String::as_str).collect();
    matches!(
        parts.as_slice(),
        ["srfi" | "ice-9" | "rnrs" | "scheme", ..]
            | ["gnu"]
            | ["guix"]
            | ["gnu", "image" | "services"]
            | ["gnu", "system" | "bootloader", ..]
            | ["guix", "records" | "gexp"]
    )
}

/// `(a b)` as Guile writes it.
pub(super) fn display(name: &[String]) -> String {
    format!("({})", name.join(" "))
}

/// The file of module `name` on `load_path` (`a/b.scm` for `(a b)`), the first found.
pub(super) fn find(name: &[String], load_path: &[PathBuf]) -> Option<PathBuf> {
    let rel = relative_file(name)?;
    load_path
        .iter()
        .map(|dir| dir.join(&rel))
        .find(|p| p.is_file())
}

/// `a/b.scm` for module `(a b)`; `None` for a part that is not a plain file name.
fn relative_file(name: &[String]) -> Option<PathBuf> {
    let mut rel = PathBuf::new();
    for part in name {
        if part.contains('/') || part == ".." || part == "." {
            return None;
        }
        rel.push(part);
    }
    rel.set_extension("scm");
    Some(rel)
}

/// For a module not on the load path: a `.scm` file where its file would be whose name is a
/// few edits from the module's last part (`hardwware.scm` for `(dotfiles system hardware)`).
pub(super) fn misspelt_file(name: &[String], load_path: &[PathBuf]) -> Option<PathBuf> {
    let rel = relative_file(name)?;
    let last = name.last()?;
    for dir in load_path {
        let parent = dir.join(rel.parent()?);
        let Ok(entries) = std::fs::read_dir(&parent) else {
            continue;
        };
        let mut stems: Vec<(String, PathBuf)> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "scm") && p.is_file())
            .filter_map(|p| Some((p.file_stem()?.to_str()?.to_string(), p)))
            .collect();
        stems.sort();
        let close = super::diagnose::closest(last, stems.iter().map(|(s, _)| s.as_str()));
        if let Some(close) = close {
            return stems
                .iter()
                .find(|(s, _)| s == close)
                .map(|(_, p)| p.clone());
        }
    }
    None
}

/// Names a Scheme source may have: Guile's `.scm`, and the `.tmpl` of Guix's system templates
/// (devel-hurd.tmpl includes bare-hurd.tmpl).
const SOURCE_EXTENSIONS: &[&str] = &["scm", "tmpl"];

fn outside(path: &Path, load_path: &[PathBuf]) -> String {
    format!(
        "{}: outside the load path ({}); add -L DIR",
        path.display(),
        load_path
            .iter()
            .map(|d| d.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// `path` with `.` and `..` resolved by its text alone (no file system access).
pub(super) fn lexically_normal(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// A file `include`d or `load`ed from `base`: it must be a Scheme source (`SOURCE_EXTENSIONS`)
/// inside one of the load path's directories (a definition reads only its declared inputs).
pub(super) fn resolve_file(
    path: &str,
    base: &Path,
    load_path: &[PathBuf],
) -> Result<PathBuf, String> {
    let candidate = base.join(path);
    if candidate
        .extension()
        .is_none_or(|e| !SOURCE_EXTENSIONS.iter().any(|x| e == *x))
    {
        return Err(format!(
            "{path}: only Scheme sources (.scm, .tmpl) may be included or loaded"
        ));
    }
    let dirs: Vec<PathBuf> = load_path
        .iter()
        .filter_map(|d| d.canonicalize().ok())
        .collect();
    match place(&candidate, &dirs) {
        Placed::Inside(real) => Ok(real),
        Placed::MissingInside => Err(format!("{}: no such file", candidate.display())),
        Placed::Outside(shown) => Err(outside(&shown, load_path)),
    }
}

/// The directories whose files a definition may look at (`file-exists?`, `canonicalize-path`):
/// the load path's, and the git work tree holding each of them. A repository's files are the
/// definition's own even outside its -L directory: a config computes its repository's root
/// from its own file name (`"/../../dotfiles"`) or from `%load-path`. A work tree that is the
/// home directory or above it (dotfiles kept in a repository at ~) is not one: it would give
/// every file of the user. Reading a file's text (`include`, `load`, modules) still needs the
/// load path.
pub(super) fn own_tree(load_path: &[PathBuf]) -> Vec<PathBuf> {
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .and_then(|h| h.canonicalize().ok());
    let mut dirs: Vec<PathBuf> = Vec::new();
    for dir in load_path.iter().filter_map(|d| d.canonicalize().ok()) {
        let work_tree = dir
            .ancestors()
            .find(|a| a.join(".git").symlink_metadata().is_ok())
            .filter(|w| w.parent().is_some() && !home.as_ref().is_some_and(|h| h.starts_with(w)))
            .map(Path::to_path_buf);
        for d in std::iter::once(dir).chain(work_tree) {
            if !dirs.contains(&d) {
                dirs.push(d);
            }
        }
    }
    dirs
}

/// Where a path is against the load path's (canonical) directories, the only host files a
/// definition may look at.
pub(super) enum Placed {
    /// It exists inside: its canonical path.
    Inside(PathBuf),
    /// It would be inside but does not exist.
    MissingInside,
    /// Outside, shown canonical where it exists: whether it exists is not the definition's
    /// to learn.
    Outside(PathBuf),
}

pub(super) fn place(path: &Path, dirs: &[PathBuf]) -> Placed {
    match path.canonicalize() {
        Ok(real) if dirs.iter().any(|d| real.starts_with(d)) => Placed::Inside(real),
        Ok(real) => Placed::Outside(real),
        Err(_) => {
            let lexical = lexically_normal(path);
            // A symbolic link on the way may lead outside, where whether the path exists is
            // not the definition's to learn: missing only when no link is on the way.
            let through_link = lexical
                .ancestors()
                .filter(|a| dirs.iter().any(|d| a.starts_with(d)))
                .any(|a| {
                    a.symlink_metadata()
                        .is_ok_and(|m| m.file_type().is_symlink())
                });
            if dirs.iter().any(|d| lexical.starts_with(d)) && !through_link {
                Placed::MissingInside
            } else {
                Placed::Outside(lexical)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(s: &str) -> Vec<String> {
        s.split(' ').map(str::to_string).collect()
    }

    #[test]
    fn misspelt_guix_modules_get_the_module_they_miss() {
        let near = |s: &str| misspelt_guix_module(&name(s));
        assert_eq!(near("gnu sytem"), Some("(gnu system)".into()));
        assert_eq!(
            near("gnu services networkin"),
            Some("(gnu services networking)".into())
        );
        assert_eq!(near("gnu system"), None);
        assert_eq!(near("nongnu packages linux"), None);
        // Short names are too near each other; other roots are not Guix's.
        assert_eq!(near("gnu packages zip"), None);
        assert_eq!(near("my system"), None);
    }

    #[test]
    fn place_tells_inside_missing_and_outside_apart_and_a_link_hides_outside() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let inside = root.join("tree");
        std::fs::create_dir_all(inside.join("files")).unwrap();
        let dirs = [inside.clone()];
        assert!(matches!(
            place(&inside.join("files/../files"), &dirs),
            Placed::Inside(p) if p == inside.join("files")
        ));
        assert!(matches!(
            place(&inside.join("nothing"), &dirs),
            Placed::MissingInside
        ));
        assert!(matches!(place(&root, &dirs), Placed::Outside(_)));
        // A link inside to an outside path: the same answer whether that path exists or not.
        std::os::unix::fs::symlink(root.join("elsewhere"), inside.join("link")).unwrap();
        assert!(matches!(
            place(&inside.join("link/x"), &dirs),
            Placed::Outside(_)
        ));
        std::fs::create_dir_all(root.join("elsewhere")).unwrap();
        assert!(matches!(
            place(&inside.join("link/x"), &dirs),
            Placed::Outside(_)
        ));
    }
}
