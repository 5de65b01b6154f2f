//! `x ... ...` in a macro template: Guile (R7RS, `syntax-case`) flattens one level of
//! repetition there, `(x ... ...)` of `((a b) (c))` being `(a b c)`. Steel's `syntax-rules`,
//! which expands every macro ingot runs, repeats one level per `...` and stops with "missing
//! ellipsis: pattern variable needs at least 2 levels of repetition" at the variable; no
//! rewrite in place gives the flat list in every position a template may put it (quoted data,
//! a body, a binding list). So it is one located error at the second `...`, saying what to
//! write instead, before Steel sees the macro.

use super::reader::{self, Kind, Node};
use super::source::{self, LexError, Scanned};

/// The first `... ...` in a template of a `syntax-rules` macro or a `define-syntax-rule` of
/// `scanned` (after `syntax_case::apply`, which turns template-only `syntax-case` macros into
/// `syntax-rules`), as an error at the source offset of the second ellipsis.
pub(crate) fn check(scanned: &Scanned) -> Result<(), LexError> {
    if !scanned.text.contains("...") {
        return Ok(());
    }
    for form in &scanned.forms {
        for node in reader::read_all(&scanned.text, form.start, form.end) {
            if let Some(at) = in_macros(&node) {
                return Err(LexError {
                    offset: source::to_source_offset(&scanned.shifts, at),
                    message: "`... ...` in a macro template (flattening one level of \
                              repetition) is not supported by ingot"
                        .into(),
                    hint: Some(
                        "ingot expands macros with Steel's syntax-rules, which repeats one \
                         level per `...`: build the flat list when the code runs, e.g. \
                         (apply append (list (list x ...) ...)) for (x ... ...)"
                            .into(),
                    ),
                });
            }
        }
    }
    Ok(())
}

/// Where the first doubled ellipsis of a macro template in `node` is.
fn in_macros(node: &Node) -> Option<usize> {
    match &node.kind {
        Kind::List(items, tail) => {
            match node.head() {
                Some("syntax-rules") => {
                    // (syntax-rules [ELLIPSIS] (LITERAL …) (PATTERN TEMPLATE) …)
                    let (ellipsis, rest) = match items.get(1).and_then(Node::symbol) {
                        Some(custom) => (custom, items.get(2..).unwrap_or_default()),
                        None => ("...", items.get(1..).unwrap_or_default()),
                    };
                    let found = rest
                        .iter()
                        .skip(1)
                        .filter_map(|clause| clause.items()?.get(1))
                        .find_map(|template| doubled(template, ellipsis));
                    if found.is_some() {
                        return found;
                    }
                }
                Some("define-syntax-rule") => {
                    // (define-syntax-rule (NAME . PATTERN) [DOC] TEMPLATE)
                    if let Some(found) = items.last().and_then(|t| doubled(t, "...")) {
                        return Some(found);
                    }
                }
                _ => {}
            }
            items.iter().chain(tail.as_deref()).find_map(in_macros)
        }
        Kind::Vector(items) => items.iter().find_map(in_macros),
        Kind::Prefixed(_, inner) => in_macros(inner),
        _ => None,
    }
}

/// The offset of the second ellipsis of the first `x ELLIPSIS ELLIPSIS` in `template`;
/// `(ELLIPSIS …)` escapes what it holds.
fn doubled(template: &Node, ellipsis: &str) -> Option<usize> {
    let items: Vec<&Node> = match &template.kind {
        Kind::List(items, tail) => items.iter().chain(tail.as_deref()).collect(),
        Kind::Vector(items) => items.iter().collect(),
        Kind::Prefixed(_, inner) => return doubled(inner, ellipsis),
        _ => return None,
    };
    if items.first().and_then(|n| n.symbol()) == Some(ellipsis) {
        return None;
    }
    let is_ellipsis = |n: &Node| n.symbol() == Some(ellipsis);
    items
        .windows(3)
        .find(|w| !is_ellipsis(w[0]) && is_ellipsis(w[1]) && is_ellipsis(w[2]))
        .map(|w| w[2].start)
        .or_else(|| items.iter().find_map(|n| doubled(n, ellipsis)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(text: &str) -> Option<usize> {
        reader::read_all(text, 0, text.len())
            .iter()
            .find_map(in_macros)
    }

    #[test]
    fn finds_the_second_ellipsis_in_templates_only() {
        let rule = "(define-syntax-rule (f (a b ...) ...) '(b ... ...))";
        assert_eq!(first(rule), rule.rfind("..."));
        let rules =
            "(define-syntax g (syntax-rules () ((_ (x ...) ...) (list (quote (x ... ...))))))";
        assert_eq!(first(rules), rules.rfind("..."));
        // One level per ellipsis, a custom ellipsis, an escaped one, and plain code.
        assert_eq!(
            first("(define-syntax-rule (f (a ...) ...) '((a ...) ...))"),
            None
        );
        assert_eq!(
            first("(define-syntax h (syntax-rules ::: () ((_ x :::) (list x ::: :::))))"),
            Some(61)
        );
        assert_eq!(first("(define-syntax-rule (f x) '(x (... ...)))"), None);
        assert_eq!(first("(list a ... ...)"), None);
    }
}
