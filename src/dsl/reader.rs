//! A reader of scanned Scheme text (see `source::scan`) into data with byte spans, for the
//! passes that rewrite or inspect user forms before Steel compiles them.
//!
//! The text is known to be balanced; the reader never fails, it stops at a closing
//! parenthesis or at the end.

use super::source::skip_atom;

/// One datum and the bytes `[start, end)` it was read from.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    Symbol(String),
    /// `#:name`.
    Keyword(String),
    /// A string, number, character or boolean: its text is its spelling.
    Literal,
    /// Items and the datum after a dot, if any.
    List(Vec<Node>, Option<Box<Node>>),
    /// `#( … )`, `#vu8( … )`.
    Vector(Vec<Node>),
    /// `'x`, `` `x ``, `,x`, `,@x`, `#'x`, `` #`x ``, `#,x`, `#,@x`: the name of the form it abbreviates, and `x`.
    Prefixed(&'static str, Box<Node>),
}

impl Node {
    pub(crate) fn symbol(&self) -> Option<&str> {
        match &self.kind {
            Kind::Symbol(s) => Some(s),
            _ => None,
        }
    }

    /// The items of a proper list.
    pub(crate) fn items(&self) -> Option<&[Node]> {
        match &self.kind {
            Kind::List(items, None) => Some(items),
            _ => None,
        }
    }

    /// The head symbol of a list.
    pub(crate) fn head(&self) -> Option<&str> {
        match &self.kind {
            Kind::List(items, _) => items.first().and_then(Node::symbol),
            _ => None,
        }
    }

    /// The data written directly inside this one: a list's items and dotted tail, a vector's
    /// items, a prefixed form's datum.
    pub(crate) fn children(&self) -> Box<dyn Iterator<Item = &Node> + '_> {
        match &self.kind {
            Kind::List(items, tail) => Box::new(items.iter().chain(tail.as_deref())),
            Kind::Vector(items) => Box::new(items.iter()),
            Kind::Prefixed(_, inner) => Box::new(std::iter::once(&**inner)),
            _ => Box::new(std::iter::empty()),
        }
    }

    /// Adds every symbol written in this datum, outside quoted data, to `out`.
    pub(crate) fn collect_symbols<'a>(&'a self, out: &mut std::collections::HashSet<&'a str>) {
        match &self.kind {
            Kind::Symbol(s) => {
                out.insert(s);
            }
            Kind::List(items, tail) => items
                .iter()
                .chain(tail.as_deref())
                .for_each(|n| n.collect_symbols(out)),
            Kind::Vector(items) => items.iter().for_each(|n| n.collect_symbols(out)),
            Kind::Prefixed("quote", _) => {}
            Kind::Prefixed(_, inner) => inner.collect_symbols(out),
            _ => {}
        }
    }

    /// Where the symbol `name` is first written in this datum as code: outside quoted data,
    /// and inside quasiquoted data only where unquoted (a build phase's `(setenv …)` in
    /// `` `(modify-phases …) `` is data, as Guile evaluates none of it).
    pub(crate) fn find_symbol(&self, name: &str) -> Option<usize> {
        self.find_symbol_in(name, false)
    }

    fn find_symbol_in(&self, name: &str, quasiquoted: bool) -> Option<usize> {
        match &self.kind {
            Kind::Symbol(s) if s == name && !quasiquoted => Some(self.start),
            Kind::List(items, tail) => {
                let inner = items.get(1).filter(|_| items.len() == 2 && tail.is_none());
                match (self.head(), inner) {
                    (Some("quote"), Some(_)) => None,
                    (Some("quasiquote"), Some(datum)) => datum.find_symbol_in(name, true),
                    (Some("unquote" | "unquote-splicing"), Some(code)) if quasiquoted => {
                        code.find_symbol_in(name, false)
                    }
                    _ => items
                        .iter()
                        .chain(tail.as_deref())
                        .find_map(|n| n.find_symbol_in(name, quasiquoted)),
                }
            }
            Kind::Vector(items) => items
                .iter()
                .find_map(|n| n.find_symbol_in(name, quasiquoted)),
            Kind::Prefixed("quote", _) => None,
            Kind::Prefixed("quasiquote", datum) => datum.find_symbol_in(name, true),
            Kind::Prefixed("unquote" | "unquote-splicing", code) => {
                code.find_symbol_in(name, false)
            }
            Kind::Prefixed(_, inner) => inner.find_symbol_in(name, quasiquoted),
            _ => None,
        }
    }
}

/// Moves `*i` past whitespace, line comments, block comments and `#;` datum comments.
pub(crate) fn skip_blank(bytes: &[u8], i: &mut usize) {
    loop {
        while *i < bytes.len() && bytes[*i].is_ascii_whitespace() {
            *i += 1;
        }
        match (bytes.get(*i), bytes.get(*i + 1)) {
            (Some(b';'), _) => *i = super::scan::line_comment_end(bytes, *i),
            (Some(b'#'), Some(b'|')) => {
                *i = super::scan::block_comment_end(bytes, *i, usize::MAX).unwrap_or(bytes.len())
            }
            (Some(b'#'), Some(b';')) => {
                *i += 2;
                let _ = read(bytes, i);
            }
            _ => return,
        }
    }
}

/// Reads the datum at `*i` (after blanks); `None` at a closing parenthesis or the end.
pub(crate) fn read(bytes: &[u8], i: &mut usize) -> Option<Node> {
    skip_blank(bytes, i);
    let start = *i;
    let b = *bytes.get(start)?;
    let prefixed = |name: &'static str, len: usize, i: &mut usize| -> Option<Node> {
        *i += len;
        let inner = read(bytes, i)?;
        Some(Node {
            start,
            end: *i,
            kind: Kind::Prefixed(name, Box::new(inner)),
        })
    };
    match b {
        b')' | b']' => None,
        b'\'' => prefixed("quote", 1, i),
        b'`' => prefixed("quasiquote", 1, i),
        b',' if bytes.get(start + 1) == Some(&b'@') => prefixed("unquote-splicing", 2, i),
        b',' => prefixed("unquote", 1, i),
        b'#' if bytes.get(start + 1) == Some(&b'\'') => prefixed("syntax", 2, i),
        b'#' if bytes.get(start + 1) == Some(&b'`') => prefixed("quasisyntax", 2, i),
        b'#' if bytes[start + 1..].starts_with(b",@") => prefixed("unsyntax-splicing", 3, i),
        b'#' if bytes.get(start + 1) == Some(&b',') => prefixed("unsyntax", 2, i),
        b'(' | b'[' => {
            *i += 1;
            let (items, tail) = read_items(bytes, i);
            Some(Node {
                start,
                end: *i,
                kind: Kind::List(items, tail.map(Box::new)),
            })
        }
        b'"' => {
            *i += 1;
            while *i < bytes.len() && bytes[*i] != b'"' {
                *i += if bytes[*i] == b'\\' { 2 } else { 1 };
            }
            *i = (*i + 1).min(bytes.len());
            Some(Node {
                start,
                end: *i,
                kind: Kind::Literal,
            })
        }
        b'#' => {
            if bytes.get(start + 1) == Some(&b':') {
                *i = skip_atom(bytes, start);
                let name = String::from_utf8_lossy(&bytes[start + 2..*i]).into_owned();
                return Some(Node {
                    start,
                    end: *i,
                    kind: Kind::Keyword(name),
                });
            }
            if bytes.get(start + 1) == Some(&b'\\') {
                *i = (start + 3).min(bytes.len());
            }
            *i = skip_atom(bytes, *i);
            if bytes.get(*i) == Some(&b'(') {
                *i += 1;
                let (items, _) = read_items(bytes, i);
                return Some(Node {
                    start,
                    end: *i,
                    kind: Kind::Vector(items),
                });
            }
            Some(Node {
                start,
                end: *i,
                kind: Kind::Literal,
            })
        }
        _ => {
            *i = skip_atom(bytes, start);
            let atom = String::from_utf8_lossy(&bytes[start..*i]).into_owned();
            let number = atom.parse::<f64>().is_ok()
                || (atom.starts_with(|c: char| c.is_ascii_digit()) && atom.parse::<i128>().is_ok());
            Some(Node {
                start,
                end: *i,
                kind: if number {
                    Kind::Literal
                } else {
                    Kind::Symbol(atom)
                },
            })
        }
    }
}

/// The items of a list after its opening parenthesis, up to and past its closing one.
fn read_items(bytes: &[u8], i: &mut usize) -> (Vec<Node>, Option<Node>) {
    let mut items = Vec::new();
    let mut tail = None;
    while let Some(node) = read(bytes, i) {
        if node.symbol() == Some(".") {
            tail = read(bytes, i);
            // Anything after the tail is not Scheme; keep reading so that the list ends.
            while read(bytes, i).is_some() {}
            break;
        }
        items.push(node);
    }
    *i = (*i + 1).min(bytes.len());
    (items, tail)
}

/// Every datum of `text` from `start` to `end`.
pub(crate) fn read_all(text: &str, start: usize, end: usize) -> Vec<Node> {
    let bytes = &text.as_bytes()[..end.min(text.len())];
    let mut i = start;
    let mut nodes = Vec::new();
    while let Some(node) = read(bytes, &mut i) {
        nodes.push(node);
    }
    nodes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_lists_tails_prefixes_and_atoms_with_spans() {
        let text = "(a . b) '(x ,y) #:k \"s\\\"\" 12 #\\( #(1 2) ; c\n #;(gone) z";
        let nodes = read_all(text, 0, text.len());
        assert_eq!(nodes.len(), 8, "{nodes:?}");
        match &nodes[0].kind {
            Kind::List(items, Some(tail)) => {
                assert_eq!(items.len(), 1);
                assert_eq!(tail.symbol(), Some("b"));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(nodes[1].kind, Kind::Prefixed("quote", _)));
        assert_eq!(nodes[2].kind, Kind::Keyword("k".into()));
        assert_eq!(&text[nodes[3].start..nodes[3].end], "\"s\\\"\"");
        assert_eq!(nodes[4].kind, Kind::Literal);
        assert_eq!(&text[nodes[5].start..nodes[5].end], "#\\(");
        assert!(matches!(nodes[6].kind, Kind::Vector(_)));
        assert_eq!(nodes[7].symbol(), Some("z"));
    }

    #[test]
    fn finds_a_symbol_outside_strings_comments_and_quotes() {
        let find = |text: &str, name: &str| read(text.as_bytes(), &mut 0)?.find_symbol(name);
        let form = "(list \"g\" ; g\n  \"ä\" gg (g) g)";
        assert_eq!(find(form, "g"), form.find("(g)").map(|i| i + 1));
        assert_eq!(find("(x \"\\\" g\" g)", "g"), Some(10));
        assert_eq!(find("(ä g)", "g"), Some(4));
        assert_eq!(find("(gh)", "g"), None);
        assert_eq!(find("(list 'g `(,g))", "g"), Some(12));
        assert_eq!(find("(list `(g (h ,@(f))) g)", "g"), Some(21));
        assert_eq!(find("(list (quasiquote (g (unquote g))))", "g"), Some(30));
        assert_eq!(find("(list (quote g) `#(g))", "g"), None);
    }

    #[test]
    fn stops_at_unbalanced_ends_without_panicking() {
        for text in ["(", ")", "(a", "#", "#\\", "\"", "'", "(a . )", "#|", "#;"] {
            let _ = read_all(text, 0, text.len());
        }
    }
}
