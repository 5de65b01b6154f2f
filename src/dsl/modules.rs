//! Guile's module forms in user text: which modules a top-level `define-module` or
//! `use-modules` asks for, which files `include` and `load` name, and where a user module's
//! file is on the load path.
//!
//! ingot has one namespace: loading a module evaluates its file once, before the form that
//! asked for it, and its definitions are visible everywhere (exports are not enforced). Guix's,
//! Guile's and a few package-only channels' modules are built in (their names are ingot's
//! prelude or opaque placeholders); every other module must be a file on the load path.

use std::path::{Path, PathBuf};

use super::calls::{read_datum, Datum};

/// Module name roots ingot provides itself (Guix, Guile, SRFIs) or that only hold packages and
/// services ingot keeps opaque (the nonguix channel).
const BUILT_IN_ROOTS: &[&str] = &[
    "gnu", "guix", "srfi", "ice-9", "rnrs", "scheme", "oop", "system", "web", "json", "sxml",
    "texinfo", "language", "nongnu", "nonguix",
];

/// What a top-level form asks to be read first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Request {
    /// Modules by name, e.g. `["systems", "base"]`, with the byte offset each is written at.
    Modules(Vec<(Vec<String>, usize)>),
    /// `(include "file")` or `(load "file")`: a path relative to the including file.
    File { path: String, at: usize },
}

/// The modules or file a top-level `form` (starting at `start` of `text`) asks for.
pub(super) fn requests(text: &str, start: usize, end: usize) -> Option<Request> {
    let bytes = &text.as_bytes()[..end];
    let mut i = start;
    let Some(Datum::List(items, _, false)) = read_datum(bytes, &mut i) else {
        return None;
    };
    let head = match items.first() {
        Some(Datum::Symbol(s)) => s.as_str(),
        _ => return None,
    };
    match head {
        "define-module" => {
            let mut modules = Vec::new();
            let mut rest = items[1..].iter();
            // (define-module (name) #:use-module SPEC … #:export (…) …)
            rest.next();
            while let Some(d) = rest.next() {
                if matches!(d, Datum::Keyword(k) if k == "use-module") {
                    if let Some(spec) = rest.next().and_then(module_spec) {
                        modules.push(spec);
                    }
                }
            }
            Some(Request::Modules(modules))
        }
        "use-modules" => Some(Request::Modules(
            items[1..].iter().filter_map(module_spec).collect(),
        )),
        "include" | "load" | "include-from-path" => {
            let (at, path) = string_literal(text, start, end, &items)?;
            Some(Request::File { path, at })
        }
        _ => None,
    }
}

/// `(a b)` or `((a b) #:select …)` -> the name `a b` and where it is written.
fn module_spec(d: &Datum) -> Option<(Vec<String>, usize)> {
    let Datum::List(items, open, false) = d else {
        return None;
    };
    match items.first() {
        Some(Datum::List(..)) => module_spec(&items[0]),
        _ => {
            let names: Option<Vec<String>> = items
                .iter()
                .map(|i| match i {
                    Datum::Symbol(s) => Some(s.clone()),
                    _ => None,
                })
                .collect();
            names.filter(|n| !n.is_empty()).map(|n| (n, *open))
        }
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

/// `(a b)` as Guile writes it.
pub(super) fn display(name: &[String]) -> String {
    format!("({})", name.join(" "))
}

/// The file of module `name` on `load_path` (`a/b.scm` for `(a b)`), the first found.
pub(super) fn find(name: &[String], load_path: &[PathBuf]) -> Option<PathBuf> {
    let mut rel = PathBuf::new();
    for part in name {
        if part.contains('/') || part == ".." || part == "." {
            return None;
        }
        rel.push(part);
    }
    rel.set_extension("scm");
    load_path
        .iter()
        .map(|dir| dir.join(&rel))
        .find(|p| p.is_file())
}

/// A file `include`d or `load`ed from `base`: it must be a `.scm` file inside one of the load
/// path's directories (a definition reads only its declared inputs).
pub(super) fn resolve_file(
    path: &str,
    base: &Path,
    load_path: &[PathBuf],
) -> Result<PathBuf, String> {
    let candidate = base.join(path);
    if candidate.extension().is_none_or(|e| e != "scm") {
        return Err(format!("{path}: only .scm files may be included or loaded"));
    }
    let real = candidate
        .canonicalize()
        .map_err(|e| format!("{}: {e}", candidate.display()))?;
    let inside = load_path
        .iter()
        .filter_map(|d| d.canonicalize().ok())
        .any(|d| real.starts_with(d));
    if !inside {
        return Err(format!(
            "{}: outside the load path ({}); add -L DIR",
            real.display(),
            load_path
                .iter()
                .map(|d| d.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Ok(real)
}
