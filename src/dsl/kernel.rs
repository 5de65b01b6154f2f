//! What Steel's macro kernel provided, without the kernel.
//!
//! Steel defines `struct` and `define-values` in its macro kernel, a second engine that
//! `Engine::new_raw` builds (compiling Steel's standard library and the kernel's Scheme) on
//! every start: about half of ingot's start-up. The engine is made without a kernel
//! (`Engine::new_raw_no_kernel`). Instead:
//! - the prelude's `struct` forms are rewritten here into the definitions the kernel's
//!   `struct-impl` produces for an immutable, opaque struct: the same constructor, predicate,
//!   accessors, `struct:NAME` and `___NAME-options___`. The expansion is written on the form's
//!   own lines, so every later line of the prelude keeps its number;
//! - `define-values` (Guile has it; `struct` is Steel's own) is a `syntax-rules` macro,
//!   [`FORMS`], loaded before the prelude, with the kernel's semantics: Steel's `values` makes
//!   a list, and each name is bound to its element.

/// Scheme forms the kernel defined that definitions may use, as `syntax-rules` macros.
pub(crate) const FORMS: &str = r#"
(define-syntax define-values
  (syntax-rules ()
    ((_ () expr) (begin expr void))
    ((_ (name ...) expr)
     (begin (define %define-values-list expr)
            (%define-values-each %define-values-list 0 name ...)))))
(define-syntax %define-values-each
  (syntax-rules ()
    ((_ values i name) (define name (list-ref values i)))
    ((_ values i name rest ...)
     (begin (define name (list-ref values i))
            (%define-values-each values (+ i 1) rest ...)))))
"#;

/// The prelude `text` with each top-level `struct` form expanded; an error names a form this
/// expander does not support (the prelude must then not load). Forms are found by the reader
/// (`super::reader`), which skips comments, strings and characters as Steel does.
pub(crate) fn expand_structs(text: &str) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        let Some(node) = super::reader::read(bytes, &mut i) else {
            // A stray closing bracket: Steel reports it; step over it here.
            i += 1;
            continue;
        };
        if node.head() != Some("struct") {
            continue;
        }
        let form = &text[node.start..node.end];
        let body = &form["(struct".len()..form.len() - 1];
        let expansion = expand_one(body).map_err(|e| format!("{e}: {form}"))?;
        out.push_str(&text[copied..node.start]);
        out.push_str(&expansion);
        out.extend(std::iter::repeat_n('\n', form.matches('\n').count()));
        copied = node.end;
    }
    out.push_str(&text[copied..]);
    Ok(out)
}

fn is_identifier(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with(|c: char| c.is_ascii_digit() || "#'`,".contains(c))
        && !s.bytes().any(super::scan::is_delimiter)
}

/// The definitions for `NAME (FIELD …) OPTION …` (the text after `struct`).
fn expand_one(body: &str) -> Result<String, String> {
    let body = body.trim();
    let name_end = body
        .find(|c: char| c.is_ascii_whitespace() || c == '(')
        .ok_or("struct: expected a name and a field list")?;
    let name = &body[..name_end];
    let rest = &body[name.len()..];
    let rest = rest.trim_start();
    if !is_identifier(name) || !rest.starts_with('(') {
        return Err("struct: expected a name and a field list".into());
    }
    let close = rest.find(')').ok_or("struct: unclosed field list")?;
    let fields: Vec<&str> = rest[1..close].split_ascii_whitespace().collect();
    if let Some(bad) = fields.iter().find(|f| !is_identifier(f)) {
        return Err(format!("struct: {bad} is not a field name"));
    }
    let options: Vec<&str> = rest[close + 1..].split_ascii_whitespace().collect();
    let procedure = match options.as_slice() {
        [] => None,
        ["#:prop:procedure", n] => match n.parse::<usize>() {
            Ok(n) if n < fields.len() => Some(n),
            _ => return Err(format!("struct: #:prop:procedure {n} is not a field index")),
        },
        _ => return Err("struct: only #:prop:procedure N is supported here".into()),
    };
    // The kernel's gensyms are unreadable (`##…`); `#%…` is readable here but refused in a
    // definition by the sandbox, so these stay out of the definitions' reach as well.
    let proto = format!("#%struct-{name}-proto");
    let getters = format!("#%struct-{name}-getters");
    let field_list = fields.join(" ");
    let options_name = format!("___{name}-options___");
    let procedure_option = procedure
        .map(|n| format!(" '#:prop:procedure {n}"))
        .unwrap_or_default();
    let mut out = format!(
        "(begin (define {proto} (make-struct-type (quote {name}) {count} (current-module-relative))) \
         (define struct:{name} (list-ref {proto} 0)) \
         (define {name} (list-ref {proto} 1)) \
         (define {name}? (list-ref {proto} 2)) \
         (define {getters} (list-ref {proto} 4)) \
         (define {options_name} (#%prim.hash '#:mutable #f '#:transparent #f '#:fields '({field_list}) '#:name '{name} '#:printer #f{procedure_option})) \
         (#%vtable-update-entry! struct:{name} {vtable} {options_name})",
        count = fields.len(),
        vtable = procedure.map(|n| n.to_string()).unwrap_or_else(|| "#f".into()),
    );
    for (i, field) in fields.iter().enumerate() {
        out.push_str(&format!(
            " (define {name}-{field} (list-ref {getters} {i}))"
        ));
    }
    out.push_str(" void)");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_top_level_structs_and_keeps_lines() {
        let text = "; (struct no (a))\n(define s \"(struct no (b))\")\n(struct %p (a b)\n  #:prop:procedure 1)\n(define x 1)\n";
        let out = expand_structs(text).unwrap();
        assert_eq!(out.lines().count(), text.lines().count());
        assert!(out.contains("(define %p-b (list-ref #%struct-%p-getters 1))"));
        assert!(out.contains("(#%vtable-update-entry! struct:%p 1 ___%p-options___)"));
        assert!(out.contains("; (struct no (a))"));
        assert!(out.contains("\"(struct no (b))\""));
        assert_eq!(out.lines().nth(4), Some("(define x 1)"));
        // Not a struct form.
        assert_eq!(expand_structs("(structure 1)").unwrap(), "(structure 1)");
    }

    #[test]
    fn refuses_what_it_cannot_expand() {
        assert!(expand_structs("(struct p (a) #:mutable)").is_err());
        assert!(expand_structs("(struct p (a) #:prop:procedure 1)").is_err());
        assert!(expand_structs("(struct (p) (a))").is_err());
        assert!(expand_structs("(struct p (a 1))").is_err());
    }
}
