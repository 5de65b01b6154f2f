//! The reference of the DSL — every record with its fields and defaults, every procedure with
//! its parameters, every variable — read from the prelude's own source, so that the REPL's
//! `,describe`/`,apropos`/`,help` and the README's reference cannot drift from what is defined.
//! Names starting with `%` are the prelude's internals, except variables Guix exports that way
//! (`%base-file-systems`, `%image-types`, …).

use std::sync::OnceLock;

const PRELUDE: [(&str, &str); 6] = [
    ("base.scm", include_str!("../scheme/base.scm")),
    ("records.scm", include_str!("../scheme/records.scm")),
    ("system.scm", include_str!("../scheme/system.scm")),
    ("image.scm", include_str!("../scheme/image.scm")),
    ("boards.scm", include_str!("../scheme/boards.scm")),
    ("tree.scm", include_str!("../scheme/tree.scm")),
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    /// The default's source text; None for a field that must be given.
    pub default: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A record constructor: `(NAME (field value) …)`.
    Record(Vec<Field>),
    /// A procedure and its parameter list as written (`value . type`).
    Procedure(String),
    Variable,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    pub kind: Kind,
    /// The comment above the definition, without its `;`s.
    pub doc: String,
    /// The prelude file it is defined in.
    pub file: &'static str,
}

impl Entry {
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            Kind::Record(_) => "record",
            Kind::Procedure(_) => "procedure",
            Kind::Variable => "variable",
        }
    }
}

/// A datum of the prelude: a list or an atom, with its byte span.
#[derive(Debug)]
enum Sx {
    List(Vec<Sx>, usize, usize),
    Atom(String, usize, usize),
}

impl Sx {
    fn span(&self) -> (usize, usize) {
        match self {
            Sx::List(_, s, e) | Sx::Atom(_, s, e) => (*s, *e),
        }
    }
    fn atom(&self) -> Option<&str> {
        match self {
            Sx::Atom(a, ..) => Some(a),
            Sx::List(..) => None,
        }
    }
    fn items(&self) -> &[Sx] {
        match self {
            Sx::List(items, ..) => items,
            Sx::Atom(..) => &[],
        }
    }
}

struct Reader<'a> {
    text: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn skip_space(&mut self) {
        while self.pos < self.text.len() {
            match self.text[self.pos] {
                b';' => {
                    while self.pos < self.text.len() && self.text[self.pos] != b'\n' {
                        self.pos += 1;
                    }
                }
                b'#' if self.text.get(self.pos + 1) == Some(&b'|') => {
                    let rest = &self.text[self.pos + 2..];
                    let end = rest.windows(2).position(|w| w == b"|#");
                    self.pos = end.map_or(self.text.len(), |e| self.pos + 2 + e + 2);
                }
                b' ' | b'\t' | b'\n' | b'\r' => self.pos += 1,
                _ => break,
            }
        }
    }

    fn datum(&mut self) -> Option<Sx> {
        self.skip_space();
        let start = self.pos;
        let c = *self.text.get(self.pos)?;
        match c {
            b'(' | b'[' => {
                self.pos += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_space();
                    match self.text.get(self.pos) {
                        None => return None,
                        Some(b')' | b']') => {
                            self.pos += 1;
                            return Some(Sx::List(items, start, self.pos));
                        }
                        _ => items.push(self.datum()?),
                    }
                }
            }
            b'\'' | b'`' | b',' => {
                self.pos += 1;
                if self.text.get(self.pos) == Some(&b'@') {
                    self.pos += 1;
                }
                let inner = self.datum()?;
                Some(Sx::List(vec![inner], start, self.pos))
            }
            b'"' => {
                self.pos += 1;
                while let Some(&b) = self.text.get(self.pos) {
                    self.pos += if b == b'\\' { 2 } else { 1 };
                    if b == b'"' {
                        break;
                    }
                }
                Some(self.atom_from(start))
            }
            _ => {
                if c == b'#' && self.text.get(self.pos + 1) == Some(&b'\\') {
                    self.pos += 3;
                }
                while let Some(&b) = self.text.get(self.pos) {
                    if b" \t\r\n()[]\";".contains(&b) {
                        break;
                    }
                    self.pos += 1;
                }
                if self.pos == start {
                    self.pos += 1;
                }
                Some(self.atom_from(start))
            }
        }
    }

    fn atom_from(&self, start: usize) -> Sx {
        let end = self.pos.min(self.text.len());
        Sx::Atom(
            String::from_utf8_lossy(&self.text[start..end]).into_owned(),
            start,
            end,
        )
    }
}

/// The `;` comment lines directly above byte `start` (a helper `(struct …)` line between them
/// and the definition is skipped: the REPL's `show` and `build` are documented above theirs).
fn doc_above(text: &str, start: usize) -> String {
    let before = &text[..start];
    if !before.is_empty() && !before.ends_with('\n') {
        return String::new();
    }
    let mut lines: Vec<&str> = Vec::new();
    for line in before.lines().rev() {
        let t = line.trim_start();
        if t.starts_with(';') {
            lines.push(t.trim_start_matches(';').trim());
        } else if t.starts_with("(struct ") && lines.is_empty() {
            continue;
        } else {
            break;
        }
    }
    lines.reverse();
    lines.join(" ")
}

fn public(name: &str, variable: bool) -> bool {
    !name.starts_with('%') || (variable && !name.ends_with("-check") && !name.contains("%%"))
}

fn entries_of(file: &'static str, text: &str) -> Vec<Entry> {
    let mut reader = Reader {
        text: text.as_bytes(),
        pos: 0,
    };
    let mut out = Vec::new();
    while let Some(form) = reader.datum() {
        let items = form.items();
        let (start, _) = form.span();
        let head = items.first().and_then(Sx::atom);
        let doc = || doc_above(text, start);
        match (head, items.get(1)) {
            (Some("define-record-type*"), Some(_)) => {
                let Some(name) = items.get(2).and_then(Sx::atom) else {
                    continue;
                };
                let fields = items
                    .iter()
                    .skip(5)
                    .filter_map(|f| {
                        let parts = f.items();
                        let name = parts.first()?.atom()?.to_string();
                        let default = parts.iter().skip(2).find_map(|opt| {
                            let o = opt.items();
                            (o.first()?.atom()? == "default").then(|| {
                                let (s, e) = o.get(1)?.span();
                                Some(text[s..e].to_string())
                            })?
                        });
                        Some(Field { name, default })
                    })
                    .collect();
                out.push(Entry {
                    name: name.to_string(),
                    kind: Kind::Record(fields),
                    doc: doc(),
                    file,
                });
            }
            (Some("define" | "define*"), Some(Sx::List(sig, ..))) => {
                let Some(name) = sig.first().and_then(Sx::atom) else {
                    continue;
                };
                if !public(name, false) {
                    continue;
                }
                let params = match (sig.get(1), sig.last()) {
                    (Some(first), Some(last)) => {
                        let (s, _) = first.span();
                        let (_, e) = last.span();
                        text[s..e].to_string()
                    }
                    _ => String::new(),
                };
                out.push(Entry {
                    name: name.to_string(),
                    kind: Kind::Procedure(params),
                    doc: doc(),
                    file,
                });
            }
            (Some("define"), Some(Sx::Atom(name, ..))) => {
                let lambda = items.get(2).and_then(|v| {
                    let v = v.items();
                    (v.first()?.atom()? == "lambda").then(|| v.get(1).map(Sx::span))?
                });
                let kind = match lambda {
                    Some((s, e)) => Kind::Procedure(
                        text[s..e]
                            .trim_start_matches('(')
                            .trim_end_matches(')')
                            .to_string(),
                    ),
                    None => Kind::Variable,
                };
                if !public(name, kind == Kind::Variable) {
                    continue;
                }
                out.push(Entry {
                    name: name.clone(),
                    kind,
                    doc: doc(),
                    file,
                });
            }
            // The prelude defines the bootloaders in one form: each name is a variable.
            (Some("%define-bootloaders"), _) => {
                out.extend(items.iter().skip(1).filter_map(Sx::atom).map(|name| Entry {
                    name: name.to_string(),
                    kind: Kind::Variable,
                    doc: String::new(),
                    file,
                }));
            }
            _ => {}
        }
    }
    out
}

/// Every public definition of the prelude, in the order of its files.
pub fn entries() -> &'static [Entry] {
    static ENTRIES: OnceLock<Vec<Entry>> = OnceLock::new();
    ENTRIES.get_or_init(|| {
        let mut all: Vec<Entry> = PRELUDE
            .iter()
            // With the definitions generated from Rust's tables, as the engine loads them.
            .flat_map(|(file, text)| entries_of(file, &crate::tables::expand(text)))
            .collect();
        // A later definition replaces an earlier one of the same name.
        let mut seen = std::collections::HashSet::new();
        all.reverse();
        all.retain(|e| seen.insert(e.name.clone()));
        all.reverse();
        all
    })
}

pub fn find(name: &str) -> Option<&'static Entry> {
    entries().iter().find(|e| e.name == name)
}

/// A record's fields as `,describe` and the README show them.
pub fn describe(e: &Entry) -> String {
    let mut out = match &e.kind {
        Kind::Record(fields) => {
            let mut s = format!("{}: record, made by ({} (field value) ...); (inherit PARENT) first copies PARENT's fields\n", e.name, e.name);
            for f in fields {
                match &f.default {
                    Some(d) => s.push_str(&format!("  {:<24} default {d}\n", f.name)),
                    None => s.push_str(&format!("  {:<24} required\n", f.name)),
                }
            }
            s
        }
        Kind::Procedure(params) => {
            let arity = arity(params);
            format!(
                "({}{}{}): procedure, {arity}\n",
                e.name,
                if params.is_empty() { "" } else { " " },
                params
            )
        }
        Kind::Variable => format!("{}: variable\n", e.name),
    };
    if !e.doc.is_empty() {
        out.push_str(&format!("  {}\n", e.doc));
    }
    out
}

/// "2 arguments", "1 or more arguments", from a parameter list as written.
fn arity(params: &str) -> String {
    let words: Vec<&str> = params.split_whitespace().collect();
    let (fixed, rest) = match words.iter().position(|w| *w == ".") {
        Some(i) => (i, true),
        None if words.len() == 1
            && !params.contains(' ')
            && !params.is_empty()
            && !params.starts_with('(') =>
        {
            // `(define (f . args))` is read as the single word `. args`; a bare symbol after
            // lambda is a rest list too.
            (0, params.starts_with('.') || !params.contains(' '))
        }
        None => (words.len(), false),
    };
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    if rest {
        format!("{fixed} or more argument{}", plural(fixed.max(2)))
    } else {
        format!("{fixed} argument{}", plural(fixed))
    }
}

/// The reference in Markdown, for the README.
pub fn markdown() -> String {
    let mut out = String::new();
    let section = |out: &mut String, title: &str, kind: &str| {
        out.push_str(&format!("\n#### {title}\n\n"));
        for e in entries().iter().filter(|e| e.kind_name() == kind) {
            match &e.kind {
                Kind::Record(fields) => {
                    out.push_str(&format!("- **`{}`**", e.name));
                    let list: Vec<String> = fields
                        .iter()
                        .map(|f| match &f.default {
                            Some(d) => format!("`{}` ({})", f.name, d.replace('|', "\\|")),
                            None => format!("`{}` (required)", f.name),
                        })
                        .collect();
                    out.push_str(&format!(": {}\n", list.join(", ")));
                }
                Kind::Procedure(params) => {
                    let sig = if params.is_empty() {
                        format!("({})", e.name)
                    } else {
                        format!("({} {params})", e.name)
                    };
                    out.push_str(&format!("- `{sig}`"));
                    if !e.doc.is_empty() {
                        out.push_str(&format!(" — {}", e.doc));
                    }
                    out.push('\n');
                }
                Kind::Variable => {
                    out.push_str(&format!("- `{}`", e.name));
                    if !e.doc.is_empty() {
                        out.push_str(&format!(" — {}", e.doc));
                    }
                    out.push('\n');
                }
            }
        }
    };
    section(&mut out, "Records (field, default)", "record");
    section(&mut out, "Procedures", "procedure");
    section(&mut out, "Variables", "variable");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partition_fields_and_defaults_come_from_the_prelude() {
        let p = find("partition").unwrap();
        let Kind::Record(fields) = &p.kind else {
            panic!("{p:?}")
        };
        let size = fields.iter().find(|f| f.name == "size").unwrap();
        assert_eq!(size.default.as_deref(), Some("'guess"));
        let label = fields.iter().find(|f| f.name == "label").unwrap();
        assert_eq!(label.default, None);
        assert!(fields.iter().any(|f| f.name == "initializer"));
    }

    #[test]
    fn procedures_and_variables_are_listed_internals_are_not() {
        let show = find("show").unwrap();
        assert_eq!(show.kind, Kind::Procedure("value . type".into()));
        assert!(show.doc.contains("REPL"), "{show:?}");
        assert!(matches!(
            find("efi-disk-image").unwrap().kind,
            Kind::Variable
        ));
        assert!(find("%base-file-systems").is_some());
        assert!(find("%size-check").is_none());
        assert!(find("%make-record").is_none());
        assert_eq!(arity("value . type"), "1 or more arguments");
        assert_eq!(arity("a b"), "2 arguments");
    }
}
