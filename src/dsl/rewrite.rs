//! Guile syntax Steel lacks, rewritten form by form into the text Steel compiles.
//!
//! Steel cannot run a macro that defines a macro, so `define-syntax-rule` is rewritten here:
//! `(define-syntax-rule (NAME . PATTERN) [DOC] TEMPLATE)` becomes
//! `(define-syntax NAME (syntax-rules () ((_ . PATTERN) TEMPLATE)))`, placed so that the
//! template keeps its byte offsets (spans inside it still point at the user's text).
//!
//! Guix's `bootloader` is both a record constructor and a field of the operating-system and of
//! bootloader-configuration; Steel expands a field clause `(bootloader (bootloader-configuration
//! …))` nested in another record as a call of the constructor. So the constructor is a macro of
//! another name, `%bootloadr` (the same length: offsets stay), and a `(bootloader …)` whose
//! every argument is a clause of the bootloader record becomes a use of it.
//!
//! Steel's `module` is a macro of its own module system; Guile has no such form, and in a
//! Guix file `(module …)` is a record clause (`pam-entry`'s `module`). Every `(module …)` but a
//! top-level one has its head renamed to `%modul` (same length), an unbound name that the
//! unknown-name pass turns into a placeholder like any other clause of an unknown record.
//!
//! A user's `define-record-type*` needs its constructor macro `(NAME (field value) …)`, which
//! the prelude's `define-record-type*` cannot define (a macro defining a macro): it is added
//! after the form, as the prelude writes its own records' constructors.

use super::calls::{next_datum, read_datum, Datum};
use super::reader::{self, Kind, Node};
use super::source::{self, Form};

/// The text to compile for `form`: the form alone at its offsets, rewritten if needed.
pub(crate) fn compile_text(text: &str, form: Form) -> String {
    let mut out = define_syntax_rule(text, form).unwrap_or_else(|| source::isolate(text, form));
    bootloader_constructors(&mut out);
    steel_only_heads(&mut out);
    quoted_keywords(&mut out);
    super::local_syntax::rewrite(&mut out);
    user_record(text, form, &mut out);
    out
}

/// For `(define-record-type* TYPE NAME MAKE PRED [THIS] (FIELD ACCESSOR …) …)`: adds the
/// definition of NAME's constructor macro after the form, and renames all but the last of the
/// names the form defines twice (two fields with one accessor: Guile's top level lets the last
/// definition win, Steel refuses the form) to unused names of the same length.
fn user_record(text: &str, form: Form, out: &mut String) {
    const HEAD: &str = "(define-record-type*";
    let Some(rest) = text[form.start..form.end].strip_prefix(HEAD) else {
        return;
    };
    if !rest.starts_with(|c: char| c.is_whitespace()) {
        return;
    }
    let bytes = &text.as_bytes()[..form.end];
    let mut i = form.start + HEAD.len();
    // Every name the form defines, with where it is written.
    let mut defined: Vec<(String, usize)> = Vec::new();
    let mut names = Vec::new();
    while let Some((start, end, datum)) = next_datum(bytes, &mut i) {
        match datum {
            Datum::Symbol(name) => {
                names.push(name.clone());
                if names.len() != 2 {
                    defined.push((name, start));
                }
            }
            Datum::List(_, open, false) => {
                let mut j = open + 1;
                let field = next_datum(&bytes[..end], &mut j);
                if let (Some(_), Some((at, _, Datum::Symbol(accessor)))) =
                    (field, next_datum(&bytes[..end], &mut j))
                {
                    defined.push((accessor, at));
                }
            }
            _ => {}
        }
    }
    let (Some(ty), Some(name)) = (names.first(), names.get(1)) else {
        return;
    };
    for (k, (n, at)) in defined.iter().enumerate() {
        let later = defined[k + 1..].iter().any(|(m, _)| m == n);
        if later && n.len() >= 2 && out.get(*at..*at + n.len()) == Some(n.as_str()) {
            let index = k.to_string();
            if index.len() < n.len() {
                let unused = format!("%{index}{}", "_".repeat(n.len() - 1 - index.len()));
                out.replace_range(*at..*at + n.len(), &unused);
            }
        }
    }
    out.push('\n');
    out.push_str(&format!(
        "(define-syntax {name} (syntax-rules () \
         ((_ . clauses) (%construct {ty} ({name} . clauses) . clauses))))"
    ));
}

/// The bootloader record's fields, as `(bootloader (FIELD …) …)` clauses.
const BOOTLOADER_CLAUSES: &[&str] = &[
    "inherit",
    "name",
    "package",
    "installer",
    "disk-image-installer",
    "configuration-file",
    "configuration-file-generator",
];

/// Renames the head of every `(bootloader CLAUSE …)` constructor call in `text` (see the
/// module docs).
fn bootloader_constructors(text: &mut String) {
    let mut heads = Vec::new();
    let mut i = 0;
    let bytes = text.as_bytes();
    while let Some(d) = read_datum(bytes, &mut i) {
        collect_bootloader_heads(bytes, &d, &mut heads);
    }
    for at in heads {
        text.replace_range(at..at + "bootloader".len(), "%bootloadr");
    }
}

fn collect_bootloader_heads(bytes: &[u8], datum: &Datum, heads: &mut Vec<usize>) {
    let Datum::List(items, open, false) = datum else {
        return;
    };
    let is_clause = |d: &Datum| match d {
        Datum::List(c, _, false) => {
            matches!(c.first(), Some(Datum::Symbol(s)) if BOOTLOADER_CLAUSES.contains(&s.as_str()))
        }
        _ => false,
    };
    if matches!(items.first(), Some(Datum::Symbol(s)) if s == "bootloader")
        && items.len() > 1
        && items[1..].iter().all(is_clause)
    {
        let mut at = open + 1;
        while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
            at += 1;
        }
        if bytes[at..].starts_with(b"bootloader") {
            heads.push(at);
        }
    }
    for item in items {
        collect_bootloader_heads(bytes, item, heads);
    }
}

/// Renames the head of every nested `(module …)` in `text` that is code (see the module
/// docs): in quoted data it stays, in the unquoted parts of a quasiquote it is renamed.
fn steel_only_heads(text: &mut String) {
    let mut heads = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(node) = reader::read(bytes, &mut i) {
        // The top-level form itself may be Steel's; what it contains is not.
        if let Kind::List(items, tail) = &node.kind {
            for item in items.iter().chain(tail.as_deref()) {
                collect_heads(bytes, item, "module", Ctx::Code, &mut heads);
            }
        }
    }
    for at in heads {
        text.replace_range(at..at + "module".len(), "%modul");
    }
}

/// `source::STEEL_KEYWORDS` renames `fn` and `defn` everywhere; in quoted data the symbol must
/// stay the user's, so there the internal name becomes `|fn|` (which Steel reads as the symbol
/// `fn`), padded with blanks to the same length.
fn quoted_keywords(text: &mut String) {
    let mut found = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(node) = reader::read(bytes, &mut i) {
        collect_quoted_keywords(&node, Ctx::Code, &mut found);
    }
    for (at, internal, user) in found {
        // Padded by bytes (a user name may be longer in bytes than in characters).
        let mut padded = format!("|{user}|");
        padded.push_str(&" ".repeat(internal.len().saturating_sub(padded.len())));
        text.replace_range(at..at + internal.len(), &padded);
    }
}

fn collect_quoted_keywords(
    node: &Node,
    ctx: Ctx,
    found: &mut Vec<(usize, &'static str, &'static str)>,
) {
    match &node.kind {
        Kind::Symbol(s) if ctx != Ctx::Code => {
            if let Some((user, internal)) = source::STEEL_KEYWORDS
                .iter()
                .find(|(_, internal)| internal == s)
            {
                found.push((node.start, internal, user));
            }
        }
        Kind::Prefixed(form, inner) => collect_quoted_keywords(inner, ctx.enter(form), found),
        Kind::List(items, tail) => {
            let ctx = node.head().map_or(ctx, |h| ctx.enter(h));
            for item in items.iter().chain(tail.as_deref()) {
                collect_quoted_keywords(item, ctx, found);
            }
        }
        Kind::Vector(items) => items
            .iter()
            .for_each(|n| collect_quoted_keywords(n, ctx, found)),
        _ => {}
    }
}

/// Edits making each `,X` (and `,@X`) written as an argument of a user macro, outside any
/// quasiquote, Steel's evaluated unquote `(#%unquote X)`. Steel's reader decides what an
/// unquote is where it reads it: inside a quasiquote it is `#%unquote`, evaluated; outside,
/// the plain `unquote`, which Steel's quasiquote keeps as data. So `(m ,(+ 1 2))` with a
/// template `` `(a e) `` gave (a (unquote (+ 1 2))) where Guile gives (a 3). Edits are (offset,
/// length replaced, new text) in `nodes`' text, in order.
pub(crate) fn macro_argument_unquotes(
    nodes: &[Node],
    is_macro: &dyn Fn(&str) -> bool,
) -> Vec<(usize, usize, String)> {
    fn walk(
        node: &Node,
        in_macro: bool,
        is_macro: &dyn Fn(&str) -> bool,
        edits: &mut Vec<(usize, usize, String)>,
    ) {
        match &node.kind {
            // Quoted data, and a quasiquote whose unquotes Steel reads right.
            Kind::Prefixed("quote" | "quasiquote" | "syntax" | "quasisyntax", _) => {}
            Kind::Prefixed(form @ ("unquote" | "unquote-splicing"), inner) => {
                if in_macro {
                    let (len, raw) = if *form == "unquote" {
                        (1, "(#%unquote ")
                    } else {
                        (2, "(#%unquote-splicing ")
                    };
                    edits.push((node.start, len, raw.to_string()));
                    walk(inner, in_macro, is_macro, edits);
                    edits.push((inner.end, 0, ")".to_string()));
                } else {
                    walk(inner, in_macro, is_macro, edits);
                }
            }
            Kind::Prefixed(_, inner) => walk(inner, in_macro, is_macro, edits),
            Kind::List(items, tail) => match node.head() {
                Some("quote" | "quasiquote" | "syntax-rules" | "define-syntax" | "syntax-case") => {
                }
                head => {
                    let in_macro = in_macro || head.is_some_and(is_macro);
                    for item in items.iter().chain(tail.as_deref()) {
                        walk(item, in_macro, is_macro, edits);
                    }
                }
            },
            Kind::Vector(items) => items
                .iter()
                .for_each(|n| walk(n, in_macro, is_macro, edits)),
            _ => {}
        }
    }
    let mut edits = Vec::new();
    for node in nodes {
        walk(node, false, is_macro, &mut edits);
    }
    edits
}

/// Where a datum stands: code, quasiquoted data (whose unquoted parts are code) or quoted data.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Code,
    Quasi,
    Quoted,
}

impl Ctx {
    fn enter(self, form: &str) -> Ctx {
        match (form, self) {
            ("quote", Ctx::Code) => Ctx::Quoted,
            ("quasiquote", Ctx::Code) => Ctx::Quasi,
            ("unquote" | "unquote-splicing", Ctx::Quasi) => Ctx::Code,
            _ => self,
        }
    }
}

/// The offsets of every list head `name` in `node` and below that is code.
fn collect_heads(bytes: &[u8], node: &Node, name: &str, ctx: Ctx, heads: &mut Vec<usize>) {
    match &node.kind {
        Kind::Prefixed(form, inner) => collect_heads(bytes, inner, name, ctx.enter(form), heads),
        Kind::List(items, tail) => {
            let head = node.head();
            if ctx == Ctx::Code && head == Some(name) {
                if let Some(first) = items.first() {
                    if bytes[first.start..].starts_with(name.as_bytes()) {
                        heads.push(first.start);
                    }
                }
            }
            let ctx = head.map_or(ctx, |h| ctx.enter(h));
            for item in items.iter().chain(tail.as_deref()) {
                collect_heads(bytes, item, name, ctx, heads);
            }
        }
        Kind::Vector(items) => items
            .iter()
            .for_each(|n| collect_heads(bytes, n, name, ctx, heads)),
        _ => {}
    }
}

fn define_syntax_rule(text: &str, form: Form) -> Option<String> {
    const HEAD: &str = "(define-syntax-rule";
    let rest = text[form.start..form.end].strip_prefix(HEAD)?;
    if !rest.starts_with(|c: char| c.is_whitespace()) {
        return None;
    }
    let bytes = text.as_bytes();
    let mut i = form.start + HEAD.len();
    let (sig_start, sig_end, signature) = next_datum(bytes, &mut i)?;
    let Datum::List(items, _, false) = signature else {
        return None;
    };
    let Some(Datum::Symbol(name)) = items.first() else {
        return None;
    };
    let first = next_datum(bytes, &mut i)?;
    let second = next_datum(bytes, &mut i);
    let (t_start, t_end) = match second {
        // (define-syntax-rule (NAME …) "doc" TEMPLATE)
        Some((s, e, _)) if bytes[first.0] == b'"' => (s, e),
        Some(_) => return None,
        None => (first.0, first.1),
    };
    if next_datum(bytes, &mut i).is_some() {
        return None;
    }
    // The signature with `_` for the name: `(_ . fields)`, `(_ x y)`.
    let signature = &text[sig_start..sig_end];
    let at = signature.find(name.as_str())?;
    let pattern = format!("(_{}", &signature[at + name.len()..]);
    let header = format!("(define-syntax {name} (syntax-rules () ({pattern} ");
    let body = format!("{header}{})))", &text[t_start..t_end]);
    // Start the rewritten form where the template lands on its own offset, if there is room.
    let start = t_start.saturating_sub(header.len());
    let mut out = String::with_capacity(start + body.len());
    out.extend(std::iter::repeat_n(' ', start));
    out.push_str(&body);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(text: &str) -> Form {
        Form {
            start: text.find("(define").unwrap(),
            end: text.len(),
        }
    }

    #[test]
    fn rewrites_define_syntax_rule_keeping_the_template_in_place() {
        let text = "                                                  (define-syntax-rule (twice x) \"doc\" (list x x))";
        let out = compile_text(text, form(text));
        assert_eq!(
            out.trim_start(),
            "(define-syntax twice (syntax-rules () ((_ x) (list x x))))"
        );
        let t = text.find("(list").unwrap();
        assert_eq!(&out[t..t + 5], "(list");
        let text = "(define-syntax-rule (my-image . fields) (image . fields))";
        assert_eq!(
            compile_text(text, form(text)),
            "(define-syntax my-image (syntax-rules () ((_ . fields) (image . fields))))"
        );
    }

    #[test]
    fn renames_bootloader_constructors_only() {
        let text = "(define b (bootloader (inherit grub-efi-bootloader) (name 'x)))\n\
                    (bootloader-configuration (bootloader b))\n\
                    (operating-system (bootloader (bootloader-configuration (bootloader grub))))";
        let out = compile_text(
            text,
            Form {
                start: 0,
                end: text.len(),
            },
        );
        assert_eq!(out.len(), text.len());
        assert_eq!(out.matches("%bootloadr").count(), 1);
        assert!(out.starts_with("(define b (%bootloadr (inherit"), "{out}");
    }

    #[test]
    fn renames_nested_module_clauses_only() {
        let text = "(define e (pam-entry (control \"x\") (module \"login\")))";
        let out = compile_text(text, form(text));
        assert_eq!(out, text.replace("(module", "(%modul"));
        let text = "(module m (define x (list '(module a))))";
        let out = compile_text(
            text,
            Form {
                start: 0,
                end: text.len(),
            },
        );
        assert_eq!(out, text, "a top-level or quoted `module` stays");
        // The unquoted parts of a quasiquote are code.
        let text = "(define p `((a . ,(w (module 'x))) (module b) ,@(list '(module c))))";
        let out = compile_text(text, form(text));
        assert_eq!(out, text.replacen("(module 'x", "(%modul 'x", 1));
        let text = "(define q '((module a) ,(module b)))";
        assert_eq!(compile_text(text, form(text)), text);
    }

    #[test]
    fn quoted_steel_keywords_are_the_users_symbols() {
        let text = "(define (f %ingot-fn) (list '%ingot-fn `(%ingot-defn ,%ingot-fn)))";
        let out = compile_text(text, form(text));
        assert_eq!(
            out,
            "(define (f %ingot-fn) (list '|fn|      `(|defn|      ,%ingot-fn)))"
        );
        assert_eq!(out.len(), text.len());
    }

    #[test]
    fn adds_the_constructor_of_a_user_record() {
        let text = "(define-record-type* <host> host make-host host? (name host-name))";
        let out = compile_text(text, form(text));
        assert!(out.starts_with(text), "{out}");
        assert!(
            out.ends_with(
                "(define-syntax host (syntax-rules () \
                 ((_ . clauses) (%construct <host> (host . clauses) . clauses))))"
            ),
            "{out}"
        );
        let text = "(define-record-type*x <host> host)";
        assert_eq!(compile_text(text, form(text)), text);
        // Two fields with one accessor: the first is renamed, the last keeps the name.
        let text = "(define-record-type* <h> h make-h h? this-h (a h-a) (b h-a (default 1)))";
        let out = compile_text(text, form(text));
        assert!(
            out.starts_with(
                "(define-record-type* <h> h make-h h? this-h (a %4_) (b h-a (default 1)))"
            ),
            "{out}"
        );
    }

    #[test]
    fn leaves_other_forms_alone() {
        let text = "(define-syntax-rules x)";
        assert_eq!(compile_text(text, form(text)), text);
        let text = "(define-syntax-rule (f x) a b c)";
        assert_eq!(compile_text(text, form(text)), text);
    }
}
