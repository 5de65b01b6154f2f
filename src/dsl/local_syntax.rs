//! Guile's `let-syntax` and `letrec-syntax`, which Steel lacks: Steel defines macros only at
//! the top level. Each binding becomes a top-level `define-syntax` appended after the form
//! (Steel collects a compilation's macros before it expands any of it), under a name of the
//! same length that other forms do not use, and the form becomes `(let () BODY …)` in place,
//! so that every other byte keeps its offset (spans still point at the user's text).

use super::reader::{self, Kind, Node};

/// Rewrites every `let-syntax`/`letrec-syntax` of `text` whose bindings are all
/// `(NAME (syntax-rules …))`.
pub(super) fn rewrite(text: &mut String) {
    let nodes = reader::read_all(text, 0, text.len());
    let mut forms = Vec::new();
    for node in &nodes {
        collect(node, &mut forms);
    }
    if forms.is_empty() {
        return;
    }
    let mut renames: Vec<(usize, usize, String)> = Vec::new();
    let mut macros: Vec<(String, usize, usize)> = Vec::new();
    let mut blanks: Vec<(usize, usize, &'static str)> = Vec::new();
    let mut count = 0usize;
    for (form, head, bindings) in &forms {
        blanks.push((head.start, head.end, "let"));
        blanks.push((bindings.start, bindings.end, "()"));
        for binding in bindings.items().unwrap_or_default() {
            let items = binding.items().unwrap_or_default();
            let (Some(name), Some(spec)) = (items.first().and_then(Node::symbol), items.get(1))
            else {
                continue;
            };
            let new = fresh_name(name, count);
            count += 1;
            if new != name {
                let mut at = Vec::new();
                symbol_positions(form, name, &mut at);
                renames.extend(at.into_iter().map(|a| (a, name.len(), new.clone())));
            }
            macros.push((new, spec.start, spec.end));
        }
    }
    for (at, len, new) in &renames {
        text.replace_range(*at..*at + len, new);
    }
    // The specifications as renamed, before their text is blanked.
    let defs: Vec<String> = macros
        .iter()
        .map(|(name, s, e)| format!("\n(define-syntax {name} {})", &text[*s..*e]))
        .collect();
    for (s, e, with) in blanks {
        let blank: String = text[s..e]
            .chars()
            .enumerate()
            .map(|(i, c)| match with.chars().nth(i) {
                Some(w) => w.to_string(),
                None if c == '\n' => "\n".into(),
                None => " ".repeat(c.len_utf8()),
            })
            .collect();
        text.replace_range(s..e, &blank);
    }
    for d in defs {
        text.push_str(&d);
    }
}

/// The forms to rewrite, outside quoted data: (form, its head, its bindings).
fn collect<'a>(node: &'a Node, out: &mut Vec<(&'a Node, &'a Node, &'a Node)>) {
    match &node.kind {
        Kind::List(..) if node.head() == Some("quote") => {}
        Kind::List(items, tail) => {
            if let (Some(head), Some(bindings)) = (items.first(), items.get(1)) {
                if matches!(head.symbol(), Some("let-syntax" | "letrec-syntax"))
                    && bindings
                        .items()
                        .is_some_and(|b| b.iter().all(is_syntax_rules))
                {
                    out.push((node, head, bindings));
                }
            }
            for item in items.iter().chain(tail.as_deref()) {
                collect(item, out);
            }
        }
        Kind::Prefixed("quote", _) => {}
        Kind::Prefixed(_, inner) => collect(inner, out),
        _ => {}
    }
}

fn is_syntax_rules(binding: &Node) -> bool {
    match binding.items() {
        Some([name, spec]) => name.symbol().is_some() && spec.head() == Some("syntax-rules"),
        _ => false,
    }
}

/// `%K` padded with `_` to the length of `name`; `name` itself when it is too short to hold
/// `%K` (that macro is then defined under its own name).
fn fresh_name(name: &str, k: usize) -> String {
    let tag = format!("%{k}");
    let len = name.chars().count();
    if name.len() != len || tag.len() > len {
        return name.to_string();
    }
    format!("{tag}{}", "_".repeat(len - tag.len()))
}

/// Where the symbol `name` is written in `node`, outside quoted data.
fn symbol_positions(node: &Node, name: &str, at: &mut Vec<usize>) {
    match &node.kind {
        Kind::Symbol(s) if s == name => at.push(node.start),
        Kind::List(..) if node.head() == Some("quote") => {}
        Kind::List(items, tail) => {
            for item in items.iter().chain(tail.as_deref()) {
                symbol_positions(item, name, at);
            }
        }
        Kind::Vector(items) => items.iter().for_each(|n| symbol_positions(n, name, at)),
        Kind::Prefixed("quote", _) => {}
        Kind::Prefixed(_, inner) => symbol_positions(inner, name, at),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hoists_the_bindings_and_keeps_offsets() {
        let text = "(define x (letrec-syntax ((twice (syntax-rules () ((_ e) (list e e)))))\n  (twice 'twice)))";
        let mut out = text.to_string();
        rewrite(&mut out);
        let (body, defs) = out.split_at(text.len());
        assert!(body.starts_with("(define x (let           ()  "), "{body}");
        let call = text.find("(twice 'twice)").unwrap();
        assert_eq!(&body[call..], "(%0___ 'twice)))", "{body}");
        assert_eq!(
            body.trim_start_matches(|c| c != '\n').len(),
            text.len() - text.find('\n').unwrap()
        );
        assert_eq!(
            defs,
            "\n(define-syntax %0___ (syntax-rules () ((_ e) (list e e))))"
        );
    }

    #[test]
    fn leaves_other_transformers_and_quoted_forms_alone() {
        for text in [
            "(let-syntax ((m (lambda (x) x))) (m))",
            "(quote (let-syntax ((m (syntax-rules () ((_) 1)))) (m)))",
        ] {
            let mut out = text.to_string();
            rewrite(&mut out);
            assert_eq!(out, text);
        }
    }
}
