//! Which calls enclose a position of a form, read from the source text.
//!
//! When Steel reports an unbound name, the evaluator wants to know whether it sits inside
//! calls of other unbound operators — `(openssh-configuration (port-number 2222))` — so that
//! the outermost one becomes the placeholder and its arguments stay unevaluated. This reads
//! just enough of the form to tell calls from record clauses, bindings and quoted data.

use super::source::skip_atom;

/// A datum as far as the call structure of a form matters: symbols, lists, the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Datum {
    Symbol(String),
    /// Items, byte offset of the opening parenthesis, whether it is quoted data.
    List(Vec<Datum>, usize, bool),
    /// `#:name`, for the module forms.
    Keyword(String),
    Other,
}

/// Moves `*i` past whitespace, line comments and block comments (a `#;` datum comment is
/// left to `read_datum`, which reads what it comments out).
fn skip_blank(bytes: &[u8], i: &mut usize) {
    loop {
        while *i < bytes.len() && bytes[*i].is_ascii_whitespace() {
            *i += 1;
        }
        match (bytes.get(*i), bytes.get(*i + 1)) {
            (Some(b';'), _) => *i = super::scan::line_comment_end(bytes, *i),
            (Some(b'#'), Some(b'|')) => {
                *i = super::scan::block_comment_end(bytes, *i, usize::MAX).unwrap_or(bytes.len())
            }
            _ => return,
        }
    }
}

/// Reads the datum at `*i` (after whitespace and comments); `None` at a closing parenthesis
/// or the end. The text is known to be balanced (it was scanned).
pub(super) fn read_datum(bytes: &[u8], i: &mut usize) -> Option<Datum> {
    skip_blank(bytes, i);
    if *i >= bytes.len() || matches!(bytes[*i], b')' | b']') {
        return None;
    }
    let quote = matches!(bytes[*i], b'\'' | b'`')
        || (bytes[*i] == b'#' && *i + 1 < bytes.len() && bytes[*i + 1] == b'\'');
    if quote || bytes[*i] == b',' || (bytes[*i] == b'#' && bytes.get(*i + 1) == Some(&b';')) {
        // Quoted data is not evaluated; unquote and datum comments take the next datum.
        *i += if bytes[*i] == b'#' { 2 } else { 1 };
        if bytes.get(*i) == Some(&b'@') {
            *i += 1;
        }
        let inner = read_datum(bytes, i);
        return Some(match inner {
            Some(Datum::List(items, open, _)) if quote => Datum::List(items, open, true),
            Some(d) if !quote => d,
            _ => Datum::Other,
        });
    }
    match bytes[*i] {
        b'(' | b'[' => {
            let open = *i;
            *i += 1;
            let mut items = Vec::new();
            while let Some(d) = read_datum(bytes, i) {
                items.push(d);
            }
            *i += 1;
            Some(Datum::List(items, open, false))
        }
        b'"' => {
            *i += 1;
            while *i < bytes.len() && bytes[*i] != b'"' {
                *i += if bytes[*i] == b'\\' { 2 } else { 1 };
            }
            *i += 1;
            Some(Datum::Other)
        }
        b'#' => {
            let start = *i;
            if bytes.get(*i + 1) == Some(&b':') {
                *i = skip_atom(bytes, *i);
                return Some(Datum::Keyword(
                    String::from_utf8_lossy(&bytes[start + 2..*i]).into_owned(),
                ));
            }
            if bytes.get(*i + 1) == Some(&b'\\') {
                *i += 3;
            }
            *i = skip_atom(bytes, *i);
            if *i < bytes.len() && bytes[*i] == b'(' && *i > start {
                // #( … ) and #vu8( … ): data.
                let _ = read_datum(bytes, i);
            }
            Some(Datum::Other)
        }
        _ => {
            let start = *i;
            *i = skip_atom(bytes, *i);
            let atom = String::from_utf8_lossy(&bytes[start..*i]).into_owned();
            if atom.parse::<f64>().is_ok() || atom == "." {
                Some(Datum::Other)
            } else {
                Some(Datum::Symbol(atom))
            }
        }
    }
}

/// The next datum from `*i`: its start (after blanks and comments), end, and shape.
pub(super) fn next_datum(bytes: &[u8], i: &mut usize) -> Option<(usize, usize, Datum)> {
    skip_blank(bytes, i);
    let start = *i;
    let datum = read_datum(bytes, i)?;
    Some((start, *i, datum))
}

/// Names a binding form binds for its body: lambda formals, define formals, let bindings.
fn bound_names(list: &[Datum]) -> Vec<String> {
    let symbols = |d: &Datum| -> Vec<String> {
        match d {
            Datum::Symbol(s) => vec![s.clone()],
            Datum::List(items, _, _) => items
                .iter()
                .filter_map(|i| match i {
                    Datum::Symbol(s) => Some(s.clone()),
                    _ => None,
                })
                .collect(),
            Datum::Keyword(_) | Datum::Other => Vec::new(),
        }
    };
    let binding_names = |d: Option<&Datum>| -> Vec<String> {
        match d {
            Some(Datum::List(bindings, _, _)) => bindings
                .iter()
                .filter_map(|b| match b {
                    Datum::List(pair, _, _) => match pair.first() {
                        Some(Datum::Symbol(s)) => Some(s.clone()),
                        _ => None,
                    },
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    };
    let Some(Datum::Symbol(head)) = list.first() else {
        return Vec::new();
    };
    match head.as_str() {
        "lambda" | "λ" | "lambda*" => list.get(1).map(symbols).unwrap_or_default(),
        "define" | "define*" | "define-public" => match list.get(1) {
            Some(d @ Datum::List(..)) => symbols(d),
            _ => Vec::new(),
        },
        "let" | "let*" | "letrec" | "letrec*" => match list.get(1) {
            // Named let: the name and the bindings.
            Some(Datum::Symbol(name)) => {
                let mut names = binding_names(list.get(2));
                names.push(name.clone());
                names
            }
            other => binding_names(other),
        },
        _ => Vec::new(),
    }
}

/// What a name means where a form uses it, as far as finding calls is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    /// Syntax with known evaluation rules (define, lambda, let, if, cond, …).
    Special,
    /// A record constructor macro: `(NAME (field value) …)`.
    Record,
    /// Another macro: its arguments may be anything.
    Macro,
    Procedure,
    Unbound,
}

/// How the items of a list are used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Use {
    /// A form that is evaluated: a call or special form.
    Eval,
    /// Not a call; its items from this index on are evaluated (a record clause, a binding).
    ItemsFrom(usize),
    /// The bindings of a let: each item is a (name value) pair.
    Bindings,
    /// Data, or syntax whose rules are unknown.
    Opaque,
}

/// The unbound operators of the calls enclosing `offset` in the form starting at
/// `form_start`, innermost first, as (name, offset of the name). Only lists known to be
/// evaluated count (not record clauses, let bindings or quoted data), and names bound
/// locally around `offset` are left out.
pub fn enclosing_unbound_calls(
    text: &str,
    form_start: usize,
    offset: usize,
    classify: &dyn Fn(&str) -> NameKind,
) -> Vec<(String, usize)> {
    let bytes = text.as_bytes();
    let mut i = form_start;
    let Some(root) = read_datum(bytes, &mut i) else {
        return Vec::new();
    };
    let mut bound: Vec<String> = Vec::new();
    let mut calls: Vec<(String, usize)> = Vec::new();
    let mut node = &root;
    let mut how = Use::Eval;
    while let Datum::List(items, open, quoted) = node {
        if *quoted {
            break;
        }
        bound.extend(bound_names(items));
        let head = match items.first() {
            Some(Datum::Symbol(h)) => Some(h.as_str()),
            _ => None,
        };
        let kind = head.map(|h| {
            if bound.iter().any(|b| b == h) {
                NameKind::Procedure
            } else {
                classify(h)
            }
        });
        if how == Use::Eval {
            if let (Some(h), Some(NameKind::Unbound)) = (head, kind) {
                let at = text[*open + 1..]
                    .find(h)
                    .map(|p| p + open + 1)
                    .unwrap_or(open + 1);
                calls.push((h.to_string(), at));
            }
        }
        // The child list containing `offset`, and how it is used.
        let Some((index, child)) = items
            .iter()
            .enumerate()
            .find(|(_, d)| list_contains(bytes, d, offset))
        else {
            break;
        };
        how = match how {
            Use::Opaque => Use::Opaque,
            Use::Bindings => Use::ItemsFrom(1),
            Use::ItemsFrom(from) => {
                if index >= from {
                    Use::Eval
                } else {
                    Use::Opaque
                }
            }
            Use::Eval => match (head, kind) {
                (None, _) => Use::Eval,
                (Some(_), Some(NameKind::Procedure | NameKind::Unbound)) => Use::Eval,
                (Some(_), Some(NameKind::Record)) if index >= 1 => Use::ItemsFrom(1),
                (Some(h), Some(NameKind::Special)) => special_use(h, items, index),
                _ => Use::Opaque,
            },
        };
        node = child;
    }
    calls.reverse();
    calls
}

/// How item `index` of the special form `items` (headed `head`) is used.
fn special_use(head: &str, items: &[Datum], index: usize) -> Use {
    let named_let = matches!(items.get(1), Some(Datum::Symbol(_)));
    match head {
        "define" | "define*" | "define-public" | "lambda" | "λ" | "lambda*" => {
            if index >= 2 {
                Use::Eval
            } else {
                Use::Opaque
            }
        }
        "let" | "let*" | "letrec" | "letrec*" => {
            let bindings = if named_let { 2 } else { 1 };
            if index == bindings {
                Use::Bindings
            } else if index > bindings {
                Use::Eval
            } else {
                Use::Opaque
            }
        }
        "if" | "begin" | "set!" | "when" | "unless" | "and" | "or" => Use::Eval,
        "cond" => Use::ItemsFrom(0),
        // (modify-services services (type config => body …) (delete type))
        "modify-services" => {
            if index == 1 {
                Use::Eval
            } else {
                Use::ItemsFrom(3)
            }
        }
        "case" => {
            if index == 1 {
                Use::Eval
            } else {
                Use::ItemsFrom(1)
            }
        }
        _ => Use::Opaque,
    }
}

/// Whether the list datum `d` spans over `offset`.
fn list_contains(bytes: &[u8], d: &Datum, offset: usize) -> bool {
    let Datum::List(_, open, _) = d else {
        return false;
    };
    let mut i = *open;
    let _ = read_datum(bytes, &mut i);
    *open < offset && offset < i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(name: &str) -> NameKind {
        match name {
            "define" | "let" | "lambda" | "cond" | "quote" | "modify-services" => NameKind::Special,
            "operating-system" | "partition" => NameKind::Record,
            "cut" => NameKind::Macro,
            "service" | "list" | "append" | "cons" => NameKind::Procedure,
            _ => NameKind::Unbound,
        }
    }

    fn calls(src: &str, needle: &str) -> Vec<String> {
        enclosing_unbound_calls(src, 0, src.find(needle).unwrap(), &kind)
            .into_iter()
            .map(|(n, _)| n)
            .collect()
    }

    #[test]
    fn finds_enclosing_unbound_calls() {
        let src = "(service x (openssh-configuration (port-number 2222) '(a (b c))))";
        assert_eq!(calls(src, "2222"), ["port-number", "openssh-configuration"]);
        assert_eq!(
            calls(src, "port-number"),
            ["port-number", "openssh-configuration"]
        );
        assert!(calls(src, "c))").len() == 1);
        // Record clauses and let bindings are not calls; local procedures are not unbound.
        let src = "(operating-system (packages (list gnome-tweaks)) (services (foo-conf (x 1))))";
        assert!(calls(src, "gnome-tweaks").is_empty());
        assert_eq!(calls(src, "1))"), ["x", "foo-conf"]);
        let src = "(define (f g) (let loop ((h (k 1))) (g (h (z 2)))))";
        assert_eq!(calls(src, "1)"), ["k"]);
        assert_eq!(calls(src, "2)"), ["z"]);
        let src = "(cond ((foo 1) (bar 2)) (else (baz 3)))";
        assert_eq!(calls(src, "3)"), ["baz"]);
        let src = "(modify-services s (guix-service-type c => (guix-configuration (inherit c))))";
        assert_eq!(calls(src, "inherit"), ["inherit", "guix-configuration"]);
        assert!(calls("(cut foo (bar 1) <>)", "1").is_empty());
    }
}
