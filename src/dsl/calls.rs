//! The call structure of a form, read from the source text: symbols, lists (quoted or not)
//! and keywords, for the rewrites and module forms that look at a form before Steel does.

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
