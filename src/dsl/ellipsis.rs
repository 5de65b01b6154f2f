//! `x ... ...` in a macro template: Guile (R7RS, `syntax-case`) flattens one level of
//! repetition there, `(x ... ...)` of `((a b) (c))` being `(a b c)`. Steel's `syntax-rules`,
//! which expands every macro ingot runs, repeats one level per `...` and stops with "missing
//! ellipsis: pattern variable needs at least 2 levels of repetition" at the variable.
//!
//! So a template holding `x ... ...` is rewritten before Steel sees it: the segment becomes
//! the marker `(%flatten-splice (x ...) ...)`, one list per outer repetition, which Steel can
//! expand, and the whole template is handed to the prelude's `%flatten-walk` macro, which
//! splices every marker's lists into the list around it and gives back the template's form.
//! It works in every position a template may put the flat list (quoted data, a body, a
//! binding list), since the walker's result is the macro's output, expanded where the macro
//! was used. Only insertions are made: every piece of the user's text keeps its location.
//! Three ellipses (`x ... ... ...`) and a template with both a doubled ellipsis and a macro
//! definition of its own (whose markers the walker would take for its own) stay one located
//! error.

use super::reader::{self, Kind, Node};
use super::source::{self, LexError, Scanned};

/// The walker and the marker (see the module docs; both are defined in base.scm).
const WALK_OPEN: &str = "(%flatten-walk (%flatten-done) ";
const SPLICE_OPEN: &str = "(%flatten-splice (";

/// Rewrites every `... ...` of a `syntax-rules` or `define-syntax-rule` template in
/// `scanned` (after `syntax_case::apply`, which turns template-only `syntax-case` macros into
/// `syntax-rules`); a doubled ellipsis ingot cannot rewrite is an error at the ellipsis.
pub(crate) fn apply(scanned: Scanned) -> Result<Scanned, LexError> {
    if !scanned.text.contains("...") && !scanned.text.contains("syntax-rules") {
        return Ok(scanned);
    }
    let mut edits = Vec::new();
    let mut refused = None;
    for form in &scanned.forms {
        for node in reader::read_all(&scanned.text, form.start, form.end) {
            in_macros(&node, &mut edits, &mut refused);
        }
    }
    if let Some((at, message)) = refused {
        return Err(LexError {
            offset: source::to_source_offset(&scanned.shifts, at),
            message,
            hint: Some(
                "ingot expands macros with Steel's syntax-rules, which repeats one level per \
                 `...`: build the flat list when the code runs, e.g. (apply append (list (list \
                 x ...) ...)) for (x ... ...)"
                    .into(),
            ),
        });
    }
    edits.sort_by_key(|(at, _, _)| *at);
    Ok(super::namespace::apply(scanned, &edits))
}

/// Finds the macro templates in `node` and rewrites those with a doubled ellipsis into
/// `edits`; the first one that cannot be goes to `refused` (offset, message).
fn in_macros(
    node: &Node,
    edits: &mut Vec<(usize, usize, String)>,
    refused: &mut Option<(usize, String)>,
) {
    if let Kind::List(items, _) = &node.kind {
        match node.head() {
            Some("syntax-rules") => {
                // (syntax-rules [ELLIPSIS] (LITERAL …) (PATTERN TEMPLATE) …)
                let (custom, rest) = match items.get(1) {
                    Some(e) if e.symbol().is_some() => {
                        (Some(e), items.get(2..).unwrap_or_default())
                    }
                    _ => (None, items.get(1..).unwrap_or_default()),
                };
                let clauses = rest.get(1..).unwrap_or_default();
                let ellipsis = custom.and_then(Node::symbol).unwrap_or("...");
                let mut replaced = Vec::new();
                for template in clauses.iter().filter_map(|clause| clause.items()?.get(1)) {
                    replaced.extend(rewrite(template, ellipsis, edits, refused));
                }
                if let Some(declared) = custom.filter(|_| ellipsis != "...") {
                    custom_ellipsis(declared, clauses, &replaced, edits);
                }
            }
            Some("define-syntax-rule") => {
                // (define-syntax-rule (NAME . PATTERN) [DOC] TEMPLATE)
                if let Some(template) = items.last().filter(|_| items.len() > 2) {
                    rewrite(template, "...", edits, refused);
                }
            }
            _ => {}
        }
    }
    for child in node.children() {
        in_macros(child, edits, refused);
    }
}

/// A doubled ellipsis in `template`: where its subtemplate starts, where the first ellipsis
/// is (start, end) and where the second ends.
struct Doubled {
    sub_start: usize,
    first: (usize, usize),
    second_end: usize,
}

/// The edits for one template (see the module docs), or the reason it cannot be rewritten;
/// returns the offsets of the ellipses the edits replaced (written `...` from then on).
fn rewrite(
    template: &Node,
    ellipsis: &str,
    edits: &mut Vec<(usize, usize, String)>,
    refused: &mut Option<(usize, String)>,
) -> Vec<usize> {
    let mut found = Vec::new();
    if let Err(reason) = doubled(template, ellipsis, &mut found) {
        refused.get_or_insert(reason);
        return Vec::new();
    }
    if found.is_empty() {
        return Vec::new();
    }
    if let Some(inner) = macro_definition_in(template) {
        refused.get_or_insert((
            inner,
            "`... ...` in a macro template that defines a macro of its own is not supported \
             by ingot"
                .into(),
        ));
        return Vec::new();
    }
    edits.push((template.start, 0, WALK_OPEN.to_string()));
    let mut replaced = Vec::with_capacity(found.len());
    for d in found {
        edits.push((d.sub_start, 0, SPLICE_OPEN.to_string()));
        edits.push((d.first.0, d.first.1 - d.first.0, "...)".to_string()));
        edits.push((d.second_end, 0, ")".to_string()));
        replaced.push(d.first.0);
    }
    edits.push((template.end, 0, ")".to_string()));
    replaced
}

/// Guile's `(syntax-rules ELLIPSIS (LITERAL …) CLAUSE …)` (R7RS): Steel's syntax-rules has no
/// custom ellipsis, so the declaration is blanked and every ELLIPSIS of the clauses written
/// `...` (but those `rewrite` replaced already); not when the clauses use `...` themselves,
/// as a symbol of their own (Steel then reports the macro as before).
fn custom_ellipsis(
    declared: &Node,
    clauses: &[Node],
    replaced: &[usize],
    edits: &mut Vec<(usize, usize, String)>,
) {
    let Some(ellipsis) = declared.symbol() else {
        return;
    };
    let mut uses = Vec::new();
    let mut plain = false;
    for clause in clauses {
        symbols(clause, &mut |n: &Node| match n.symbol() {
            Some(s) if s == ellipsis => uses.push(n),
            Some("...") => plain = true,
            _ => {}
        });
    }
    if plain {
        return;
    }
    let len = declared.end - declared.start;
    edits.push((declared.start, len, " ".repeat(len)));
    for n in uses.into_iter().filter(|n| !replaced.contains(&n.start)) {
        edits.push((n.start, n.end - n.start, "...".to_string()));
    }
}

/// Calls `f` on every symbol of `node`.
fn symbols<'a>(node: &'a Node, f: &mut impl FnMut(&'a Node)) {
    if node.symbol().is_some() {
        f(node);
    }
    for child in node.children() {
        symbols(child, f);
    }
}

/// Every `x ELLIPSIS ELLIPSIS` in `template` (`(ELLIPSIS …)` escapes what it holds); a third
/// ellipsis is refused at its offset.
fn doubled(
    template: &Node,
    ellipsis: &str,
    found: &mut Vec<Doubled>,
) -> Result<(), (usize, String)> {
    let items: Vec<&Node> = match &template.kind {
        Kind::List(items, tail) => items.iter().chain(tail.as_deref()).collect(),
        Kind::Vector(items) => items.iter().collect(),
        Kind::Prefixed(_, inner) => return doubled(inner, ellipsis, found),
        _ => return Ok(()),
    };
    if items.first().and_then(|n| n.symbol()) == Some(ellipsis) {
        return Ok(());
    }
    let is_ellipsis = |n: &Node| n.symbol() == Some(ellipsis);
    // A vector's items cannot be spliced by the walker, which rebuilds lists only.
    let in_vector = matches!(template.kind, Kind::Vector(_));
    let mut i = 0;
    while i < items.len() {
        let run = items[i + 1..].iter().take_while(|n| is_ellipsis(n)).count();
        if !is_ellipsis(items[i]) && run >= 2 {
            if run > 2 || in_vector {
                let at = items[i + if run > 2 { 3 } else { 2 }].start;
                return Err((
                    at,
                    format!(
                        "`{}` in a macro template{} is not supported by ingot",
                        vec![ellipsis; run].join(" "),
                        if in_vector { " vector" } else { "" }
                    ),
                ));
            }
            doubled(items[i], ellipsis, found)?;
            found.push(Doubled {
                sub_start: items[i].start,
                first: (items[i + 1].start, items[i + 1].end),
                second_end: items[i + 2].end,
            });
            i += 3;
            continue;
        }
        doubled(items[i], ellipsis, found)?;
        i += 1;
    }
    Ok(())
}

/// The offset of a macro definition (`syntax-rules`, `define-syntax-rule`) inside `template`.
fn macro_definition_in(template: &Node) -> Option<usize> {
    if matches!(template.head(), Some("syntax-rules" | "define-syntax-rule")) {
        return Some(template.start);
    }
    template.children().find_map(macro_definition_in)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `text` as the rewrite leaves it, or the error's offset and message.
    fn rewritten(text: &str) -> Result<String, (usize, String)> {
        let scanned = source::scan(text).expect("scans");
        apply(scanned)
            .map(|s| s.text)
            .map_err(|e| (e.offset, e.message))
    }

    #[test]
    fn a_doubled_ellipsis_becomes_a_marker_the_walker_splices() {
        assert_eq!(
            rewritten("(define-syntax-rule (f (a b ...) ...) '(b ... ...))").unwrap(),
            "(define-syntax-rule (f (a b ...) ...) (%flatten-walk (%flatten-done) \
             '((%flatten-splice (b ...) ...))))"
        );
        assert_eq!(
            rewritten("(define-syntax h (syntax-rules ::: () ((_ (x :::) :::) (list x ::: :::))))")
                .unwrap(),
            "(define-syntax h (syntax-rules     () ((_ (x ...) ...) (%flatten-walk \
             (%flatten-done) (list (%flatten-splice (x ...) ...))))))"
        );
    }

    #[test]
    fn a_custom_ellipsis_is_written_as_steel_s() {
        assert_eq!(
            rewritten("(define-syntax g (syntax-rules ::: () ((_ x :::) (list x :::))))").unwrap(),
            "(define-syntax g (syntax-rules     () ((_ x ...) (list x ...))))"
        );
        // Clauses using `...` as a symbol of their own are left as they are.
        let own = "(define-syntax g (syntax-rules ::: () ((_ x :::) '(x ::: ...))))";
        assert_eq!(rewritten(own).unwrap(), own);
    }

    #[test]
    fn one_level_escaped_ellipses_and_plain_code_are_left_alone() {
        for text in [
            "(define-syntax-rule (f (a ...) ...) '((a ...) ...))",
            "(define-syntax-rule (f x) '(x (... ...)))",
            "(list a ... ...)",
        ] {
            assert_eq!(rewritten(text).unwrap(), text);
        }
    }

    #[test]
    fn three_ellipses_and_nested_macro_definitions_are_refused_where_written() {
        let triple = "(define-syntax-rule (f ((a ...) ...) ...) '(a ... ... ...))";
        let (at, message) = rewritten(triple).unwrap_err();
        assert_eq!(at, triple.rfind("...").unwrap());
        assert!(message.contains("`... ... ...`"), "{message}");
        let nested = "(define-syntax-rule (f (a b ...) ...) \
                      (begin '(b ... ...) (define-syntax-rule (g) 1)))";
        let (at, message) = rewritten(nested).unwrap_err();
        assert_eq!(at, nested.find("(define-syntax-rule (g)").unwrap());
        assert!(message.contains("defines a macro of its own"), "{message}");
    }
}
