//! A workaround for Steel 0.8.3's constant evaluator: a lambda application (so any `let`)
//! whose body folds to a constant holding a pair, `(let ((x '((a . "b")))) x)`, fails to
//! compile with "Can't convert from pair to expression!" (const_evaluation.rs turns the value
//! back into an expression and has no form for a pair).
//!
//! When a form fails that way, each quoted datum in it that holds a dotted pair is defined
//! as a global of its own first, and the form reads that global instead: a quoted datum is a
//! constant, so the value is the same. The global's name, padded with blanks (newlines kept),
//! takes the datum's place, so every other offset of the form stays the user's.

use super::reader::{self, Kind, Node};

/// Steel's message for the failure this works around.
pub(super) const STEEL_MESSAGE: &str = "Can't convert from pair to expression!";

/// The form text with its dotted quoted data replaced by globals `prefix`0, `prefix`1, …, and
/// the definitions of those globals; `None` when the form has no such datum.
pub(super) fn hoist(padded: &str, start: usize, prefix: &str) -> Option<(String, String)> {
    let node = reader::read(padded.as_bytes(), &mut start.clone())?;
    let mut spans = Vec::new();
    dotted_quotes(&node, &mut spans);
    if spans.is_empty() {
        return None;
    }
    let mut text = padded.to_string();
    let mut definitions = String::new();
    for (i, (from, to)) in spans.iter().enumerate() {
        let name = format!("{prefix}{i}");
        let original = &padded[*from..*to];
        let bytes = original.as_bytes();
        // The name must fit where the datum was, on its first line.
        if name.len() > bytes.len() || bytes[..name.len()].contains(&b'\n') {
            return None;
        }
        definitions.push_str(&format!("(define {name} {original})\n"));
        // The name, then one blank per remaining byte (newlines kept): all ASCII.
        let replacement: String = bytes
            .iter()
            .enumerate()
            .map(|(k, b)| match name.as_bytes().get(k) {
                Some(n) => char::from(*n),
                None if *b == b'\n' => '\n',
                None => ' ',
            })
            .collect();
        text.replace_range(*from..*to, &replacement);
    }
    Some((text, definitions))
}

/// The spans of the quoted data under `node` that hold a dotted pair, outside quasiquotes
/// (where a quote is data itself).
fn dotted_quotes(node: &Node, out: &mut Vec<(usize, usize)>) {
    match &node.kind {
        Kind::Prefixed("quote", inner) if has_dotted_pair(inner) => {
            out.push((node.start, node.end));
        }
        Kind::Prefixed(_, _) => {}
        Kind::List(items, tail) => {
            if node.head() == Some("quote") {
                if items.get(1).is_some_and(has_dotted_pair) {
                    out.push((node.start, node.end));
                }
                return;
            }
            if matches!(node.head(), Some("quasiquote" | "syntax-rules" | "case")) {
                return;
            }
            for item in items.iter().chain(tail.as_deref()) {
                dotted_quotes(item, out);
            }
        }
        Kind::Vector(items) => items.iter().for_each(|i| dotted_quotes(i, out)),
        _ => {}
    }
}

fn has_dotted_pair(node: &Node) -> bool {
    match &node.kind {
        Kind::List(_, Some(_)) => true,
        Kind::List(items, None) | Kind::Vector(items) => items.iter().any(has_dotted_pair),
        Kind::Prefixed(_, inner) => has_dotted_pair(inner),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hoists_dotted_quotes_keeping_offsets_and_lines() {
        let text = "(define t (let ((x '((a . \"b\")\n (c . d)))) (list x '(1 2) `(e . f))))";
        let (out, defs) = hoist(text, 0, "%%dq").unwrap();
        assert_eq!(out.len(), text.len());
        assert_eq!(out.matches('\n').count(), 1);
        assert!(out.starts_with("(define t (let ((x %%dq0 "), "{out}");
        assert!(out.contains("'(1 2)") && out.contains("`(e . f)"), "{out}");
        assert_eq!(defs, "(define %%dq0 '((a . \"b\")\n (c . d)))\n");
        assert!(hoist("(define u '(1 2))", 0, "%%dq").is_none());
    }
}
