//! Guile's `syntax-case` transformers, as far as ingot can expand them.
//!
//! A transformer `(lambda (x) (syntax-case x (LITERAL …) (PATTERN #'TEMPLATE) …))` whose every
//! clause's output is a template (`#'T`, `(syntax T)`, or `` #`T `` without `#,`) means exactly
//! `(syntax-rules (LITERAL …) (PATTERN T) …)`, and is rewritten into it in place: only blanks
//! replace the words removed, so every byte keeps its offset and locations stay the user's.
//!
//! A transformer that runs code while it expands (a fender, `datum->syntax`, `with-syntax`, a
//! `let` around the template, `#,`) needs a Scheme evaluator at expansion time. Steel runs such
//! macros in its macro kernel, a second engine outside ingot's sandbox, which ingot does not
//! build; so that transformer is one located error naming the macro, not Steel's
//! "empty function application" from reading `syntax-case` as a call.

use super::reader::{self, Kind, Node};
use super::source::{LexError, Scanned};

/// Rewrites the template-only `syntax-case` transformers of `scanned` (see the module docs).
pub(crate) fn apply(mut scanned: Scanned) -> Result<Scanned, LexError> {
    if !scanned.text.contains("-syntax") {
        return Ok(scanned);
    }
    let mut edits = Vec::new();
    for form in &scanned.forms {
        for node in reader::read_all(&scanned.text, form.start, form.end) {
            transformers(&node, &mut edits)?;
        }
    }
    let mut bytes = std::mem::take(&mut scanned.text).into_bytes();
    for Edit { at, len, with } in edits {
        let blank = bytes[at..at + len]
            .iter()
            .map(|&b| if b == b'\n' { b'\n' } else { b' ' });
        let filled: Vec<u8> = with.bytes().chain(blank.skip(with.len())).collect();
        bytes[at..at + len].copy_from_slice(&filled);
    }
    // Only ASCII bytes of ASCII words were replaced, by ASCII: the text is still UTF-8.
    scanned.text = String::from_utf8(bytes).map_err(|_| LexError {
        offset: 0,
        message: "internal error: a syntax-case rewrite broke the text's UTF-8".into(),
        hint: None,
    })?;
    Ok(scanned)
}

/// Replace `len` bytes at `at` with `with` followed by blanks (newlines kept). A comment in
/// the range is blanked whole; a newline `with` covers is lost, which no location depends on
/// (they are byte offsets, mapped back to the user's text).
struct Edit {
    at: usize,
    len: usize,
    with: &'static str,
}

/// Finds every macro transformer in `node`: the value of `(define-syntax NAME VALUE)` and of
/// each `(NAME VALUE)` binding of `let-syntax`/`letrec-syntax`.
fn transformers(node: &Node, edits: &mut Vec<Edit>) -> Result<(), LexError> {
    let Kind::List(items, tail) = &node.kind else {
        if let Kind::Prefixed(name, inner) = &node.kind {
            if *name != "quote" {
                transformers(inner, edits)?;
            }
        }
        return Ok(());
    };
    match node.head() {
        Some("define-syntax") => {
            if let (Some(name), Some(value)) = (items.get(1), items.get(2)) {
                transformer(name.symbol().unwrap_or("define-syntax"), value, edits)?;
            }
        }
        Some("let-syntax" | "letrec-syntax") => {
            for binding in items.get(1).and_then(Node::items).unwrap_or_default() {
                if let Some([name, value]) = binding.items() {
                    transformer(name.symbol().unwrap_or("let-syntax"), value, edits)?;
                }
            }
        }
        _ => {}
    }
    for item in items.iter().chain(tail.as_deref()) {
        transformers(item, edits)?;
    }
    Ok(())
}

/// Rewrites `value` when it is a template-only `syntax-case` transformer of macro `name`;
/// an error when it is a `lambda` transformer ingot cannot expand.
fn transformer(name: &str, value: &Node, edits: &mut Vec<Edit>) -> Result<(), LexError> {
    if value.head() != Some("lambda") {
        return Ok(());
    }
    let refuse = |at: usize, what: &str| LexError {
        offset: at,
        message: format!(
            "macro {name}: {what}; ingot expands syntax-rules macros, and syntax-case ones \
             whose every clause is (PATTERN #'TEMPLATE)"
        ),
        hint: Some(
            "write the macro with syntax-rules or define-syntax-rule, and compute values with \
             procedures"
                .into(),
        ),
    };
    let items = value.items().unwrap_or_default();
    let param = match items.get(1).and_then(Node::items) {
        Some([p]) => p.symbol(),
        _ => None,
    };
    let (Some(param), [body]) = (param, items.get(2..).unwrap_or_default()) else {
        return Err(refuse(
            value.start,
            "its transformer is a procedure, which would run while the macro expands",
        ));
    };
    let case = body.items().unwrap_or_default();
    let is_case = body.head() == Some("syntax-case")
        && case.get(1).and_then(Node::symbol) == Some(param)
        && case.get(2).is_some_and(|l| l.items().is_some());
    if !is_case {
        return Err(refuse(
            body.start,
            "its transformer runs this code while the macro expands",
        ));
    }
    let mut clause_edits = Vec::new();
    for clause in &case[3..] {
        let Some(parts) = clause.items() else {
            return Err(refuse(
                clause.start,
                "this syntax-case clause is not a list",
            ));
        };
        match parts {
            [pattern, output] => {
                if !matches!(pattern.kind, Kind::List(..)) {
                    return Err(refuse(
                        pattern.start,
                        "this clause makes an identifier macro (its pattern is not a list)",
                    ));
                }
                clause_edits.push(template(output).ok_or_else(|| {
                    refuse(
                        output.start,
                        "this clause's output runs code while the macro expands (it is not a \
                         #'template)",
                    )
                })?);
            }
            [_, fender, _] => {
                return Err(refuse(
                    fender.start,
                    "this clause has a fender, which runs while the macro expands",
                ));
            }
            _ => {
                return Err(refuse(
                    clause.start,
                    "a syntax-case clause is (PATTERN [FENDER] OUTPUT)",
                ))
            }
        }
    }
    let literals = &case[2];
    // `(lambda (x) (syntax-case x ` becomes `(syntax-rules `; the syntax-case's own closing
    // parenthesis goes, the lambda's closes the syntax-rules.
    edits.push(Edit {
        at: value.start,
        len: literals.start - value.start,
        with: "(syntax-rules ",
    });
    for e in clause_edits {
        edits.extend(e);
    }
    edits.push(Edit {
        at: body.end - 1,
        len: 1,
        with: "",
    });
    Ok(())
}

/// The edits that leave only the template of `output`, when it is one.
fn template(output: &Node) -> Option<Vec<Edit>> {
    match &output.kind {
        Kind::Prefixed("syntax", _) => Some(vec![Edit {
            at: output.start,
            len: 2,
            with: "",
        }]),
        Kind::Prefixed("quasisyntax", inner) if !unsyntaxes(inner) => Some(vec![Edit {
            at: output.start,
            len: 2,
            with: "",
        }]),
        Kind::List(items, None) if items.len() == 2 && output.head() == Some("syntax") => {
            Some(vec![
                Edit {
                    at: output.start,
                    len: items[1].start - output.start,
                    with: "",
                },
                Edit {
                    at: output.end - 1,
                    len: 1,
                    with: "",
                },
            ])
        }
        _ => None,
    }
}

/// Whether a quasisyntax template computes a part (`#,` or `#,@`).
fn unsyntaxes(node: &Node) -> bool {
    match &node.kind {
        Kind::Prefixed("unsyntax" | "unsyntax-splicing", _) => true,
        Kind::Prefixed(_, inner) => unsyntaxes(inner),
        Kind::List(items, tail) => items.iter().chain(tail.as_deref()).any(unsyntaxes),
        Kind::Vector(items) => items.iter().any(unsyntaxes),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `text` with blank runs made one space and none before a closing parenthesis.
    fn tidy(text: &str) -> String {
        text.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .replace(" )", ")")
    }

    fn rewrite(text: &str) -> Result<String, LexError> {
        let scanned = super::super::source::scan(text).expect("scans");
        apply(scanned).map(|s| s.text)
    }

    #[test]
    fn template_only_transformers_become_syntax_rules_at_the_same_offsets() {
        let text = "(define-syntax twice (lambda (x) (syntax-case x () ((_ e) #'(list e e)))))";
        let out = rewrite(text).expect("rewrites");
        assert_eq!(out.len(), text.len());
        assert_eq!(
            tidy(&out),
            "(define-syntax twice (syntax-rules () ((_ e) (list e e))))"
        );
        // The template is where the user wrote it.
        assert_eq!(
            out.find("(list e e)"),
            Some(text.find("(list e e)").unwrap())
        );
    }

    #[test]
    fn syntax_forms_literals_and_local_macros_are_rewritten() {
        let text = "(let-syntax ((pick (lambda (s)\n (syntax-case s (left)\n ((_ left a b) (syntax a))\n ((_ right a b) #`b)))))\n (pick left 1 2))";
        let out = rewrite(text).expect("rewrites");
        assert_eq!(out.len(), text.len());
        assert_eq!(
            tidy(&out),
            "(let-syntax ((pick (syntax-rules (left) ((_ left a b) a) ((_ right a b) b)))) (pick left 1 2))"
        );
    }

    #[test]
    fn transformers_that_run_code_are_refused_where_the_code_is() {
        let text = "(define-syntax lazy (lambda (x) (syntax-case x () ((_ n) (let ((s (syntax->datum #'n))) (datum->syntax #'n s))))))";
        let e = rewrite(text).expect_err("refused");
        assert_eq!(e.offset, text.find("(let ((s").unwrap());
        assert!(
            e.message
                .starts_with("macro lazy: this clause's output runs code"),
            "{e}"
        );
        let fender = "(define-syntax f (lambda (x) (syntax-case x () ((_ n) (number? 1) #'n))))";
        let e = rewrite(fender).expect_err("refused");
        assert_eq!(e.offset, fender.find("(number?").unwrap());
        let unsyntax =
            "(define-syntax g (lambda (x) (syntax-case x () ((_ n) #`(list #,(+ 1 2))))))";
        assert!(rewrite(unsyntax).is_err());
        let procedure = "(define-syntax h (lambda (x) (display x) #'1))";
        assert!(rewrite(procedure)
            .unwrap_err()
            .message
            .contains("is a procedure"));
    }

    #[test]
    fn quoted_and_ordinary_lambdas_are_left_alone() {
        for text in [
            "(define f (lambda (x) (syntax-case x () ((_ n) (+ n 1)))))",
            "(define l '(define-syntax q (lambda (x) 0)))",
            "(define-syntax r (syntax-rules () ((_ a) a)))",
        ] {
            assert_eq!(rewrite(text).expect("left"), text);
        }
    }
}
