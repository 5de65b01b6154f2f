//! Where the mistake in an unreadable file probably is, as opposed to where the reader ran out.
//!
//! `source::scan` stops at the first parenthesis or string it cannot pair, which is often far
//! from the edit that broke the file: a missing `)` inside an `operating-system` is reported at
//! the `(operating-system` itself, an extra `)` at the last line, an unterminated string at the
//! last string of the file (the pairing of quotes shifts from the mistake on). When the scan
//! fails, this reads the file again the way an editor or a human does, with its indentation:
//! - a missing `)`: an open parenthesis whose body is indented (the line after it starts to its
//!   right) while a later line, still inside it, starts at or left of its column, is blamed,
//!   provided a `)` added before that line closes nothing already closed;
//! - an extra `)`: a form with an indented body (often the top-level one) that closes while the
//!   next line starts right of it, at a column lines of its body start at, provided removing
//!   that `)` leaves the file's first unpaired `)` later;
//! - an unterminated string: the first string that spans a line break and after whose closing
//!   quote text follows at once (not a space or a parenthesis), as the contents of the next
//!   string do when the quotes pair up shifted.
//!
//! Each guess names the line that suggested it; when nothing does (flat or inconsistent
//! indentation), the scan's own report stands.

use super::scan;
use super::source::{self, LexError};

/// What the scan could not pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Failure {
    /// The file ends inside a list.
    Unclosed,
    /// A `)` or `]` closes nothing.
    Stray,
    /// The file ends inside a string.
    UnterminatedString,
    /// Anything else (mismatched brackets, block comments): reported as found.
    Other,
}

/// How many candidate fixes are tried by scanning the amended file (each a scan of the file).
const MAX_TRIALS: usize = 40;

/// `error`, or a report placed where the mistake likely is.
pub(super) fn relocate(source: &str, failure: Failure, error: LexError) -> LexError {
    let guess = match failure {
        Failure::Unclosed => missing_close(source),
        Failure::Stray => extra_close(source, error.offset),
        Failure::UnterminatedString => runaway_string(source, error.offset),
        Failure::Other => None,
    };
    guess.unwrap_or(error)
}

#[derive(Debug, Clone, Copy)]
enum Tok {
    /// `(` or `[` at this offset.
    Open(usize),
    /// `)` or `]` at this offset.
    Close(usize),
    /// A string literal from its opening quote to after its closing one (`None`: to the end).
    Str(usize, Option<usize>),
    /// The first byte of a line that starts in code (not in a string or block comment, and
    /// not a comment line).
    Line(usize),
}

/// The file's parentheses, strings and code lines, paired the way `source::scan` pairs them.
fn tokens(source: &str) -> Vec<Tok> {
    let bytes = source.as_bytes();
    let n = bytes.len();
    let mut toks = Vec::new();
    let mut line_start = true;
    let mut i = 0;
    while i < n {
        let b = bytes[i];
        if b == b'\n' {
            line_start = true;
            i += 1;
            continue;
        }
        if b.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let comment = b == b';' || (b == b'#' && bytes.get(i + 1) == Some(&b'|'));
        if line_start && !comment {
            toks.push(Tok::Line(i));
        }
        line_start = false;
        match b {
            b';' => {
                while i < n && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'"' => {
                let start = i;
                i += 1;
                let mut end = None;
                while i < n {
                    match bytes[i] {
                        b'\\' => i += 2,
                        b'"' => {
                            end = Some(i + 1);
                            i += 1;
                            break;
                        }
                        _ => i += 1,
                    }
                }
                toks.push(Tok::Str(start, end));
            }
            b'(' | b'[' => {
                toks.push(Tok::Open(i));
                i += 1;
            }
            b')' | b']' => {
                toks.push(Tok::Close(i));
                i += 1;
            }
            b'#' if bytes.get(i + 1) == Some(&b'|') => {
                let mut depth = 1;
                i += 2;
                while depth > 0 && i + 1 < n {
                    if bytes[i] == b'|' && bytes[i + 1] == b'#' {
                        depth -= 1;
                        i += 2;
                    } else if bytes[i] == b'#' && bytes[i + 1] == b'|' {
                        depth += 1;
                        i += 2;
                    } else {
                        i += 1;
                    }
                }
                if depth > 0 {
                    i = n;
                }
            }
            b'#' if bytes.get(i + 1) == Some(&b'\\') => {
                i = source::skip_atom(bytes, (i + 3).min(n));
            }
            b'#' if bytes.get(i + 1) == Some(&b';') => i += 2,
            // Guile's `#{…}#` symbol: its brackets and quotes are its name's.
            b'#' if bytes.get(i + 1) == Some(&b'{') => i = scan::extended_symbol_end(bytes, i),
            _ => {
                let next = source::skip_atom(bytes, i);
                i = if next > i { next } else { i + 1 };
            }
        }
    }
    toks
}

/// The column of `offset` as an editor shows it (tabs to the next multiple of 8), from 0.
fn visual_column(source: &str, offset: usize) -> usize {
    let line_start = source[..offset].rfind('\n').map_or(0, |i| i + 1);
    source[line_start..offset].chars().fold(0, |col, c| {
        if c == '\t' {
            (col / 8 + 1) * 8
        } else {
            col + 1
        }
    })
}

fn place(source: &str, offset: usize) -> String {
    let (line, column) = source::line_column(source, offset);
    format!("{line}:{column}")
}

fn line_of(source: &str, offset: usize) -> u32 {
    source::line_column(source, offset).0
}

fn bracket(source: &str, offset: usize) -> char {
    source[offset..].chars().next().unwrap_or('(')
}

/// `source` with `text` put at `at`.
fn with(source: &str, at: usize, text: &str) -> String {
    let mut amended = String::with_capacity(source.len() + text.len());
    amended.push_str(&source[..at]);
    amended.push_str(text);
    amended.push_str(&source[at..]);
    amended
}

/// `source` without the byte at `at`.
fn without(source: &str, at: usize) -> String {
    let mut amended = source.to_string();
    amended.remove(at);
    amended
}

struct OpenParen {
    offset: usize,
    column: usize,
    /// The next code line after the one it opens on starts right of it: its body is indented.
    indented_body: bool,
    /// Whether the code line after its opening line has been seen.
    body_seen: bool,
    /// The first later code line (its offset) that starts at or left of it while it is open.
    first_outside: Option<usize>,
    /// The columns the code lines inside it start at.
    body_columns: Vec<usize>,
}

/// A missing `)`: the open parenthesis that the indentation says should have closed.
///
/// The first line that starts at or left of an open parenthesis whose body is indented points
/// at it; but when the form missing its `)` fits on one line, the `)` meant for the next form
/// out closed it, and it is the latest such parenthesis inside, left open when a line below it
/// started as its sibling, that is blamed. Either only if adding the `)` there closes nothing already closed.
fn missing_close(source: &str) -> Option<LexError> {
    let mut stack: Vec<OpenParen> = Vec::new();
    // Parentheses closed after a line started at or left of them: (offset, that line).
    let mut overrun: Vec<(usize, usize)> = Vec::new();
    let mut trials = 0;
    for tok in tokens(source) {
        match tok {
            Tok::Open(offset) => stack.push(OpenParen {
                offset,
                column: visual_column(source, offset),
                indented_body: false,
                body_seen: false,
                first_outside: None,
                body_columns: Vec::new(),
            }),
            Tok::Close(_) => {
                if let Some(OpenParen {
                    offset,
                    first_outside: Some(line),
                    ..
                }) = stack.pop()
                {
                    overrun.push((offset, line));
                }
            }
            Tok::Str(..) => {}
            Tok::Line(at) => {
                // A line that starts by closing says nothing about what it belongs to.
                if matches!(source.as_bytes()[at], b')' | b']') {
                    continue;
                }
                let column = visual_column(source, at);
                for open in stack.iter_mut() {
                    if !open.body_seen {
                        open.body_seen = true;
                        open.indented_body = column > open.column;
                    }
                    if column <= open.column && open.first_outside.is_none() {
                        open.first_outside = Some(at);
                    }
                }
                let mut outside = stack.iter().filter(|o| column <= o.column);
                if !outside.clone().any(|o| o.indented_body) {
                    continue;
                }
                let Some(culprit) = outside.next_back() else {
                    continue;
                };
                let mut suspects: Vec<(usize, usize)> = overrun
                    .iter()
                    .rev()
                    .filter(|(offset, _)| *offset > culprit.offset)
                    .take(3)
                    .copied()
                    .collect();
                suspects.push((culprit.offset, at));
                for (offset, line_at) in suspects {
                    if trials == MAX_TRIALS {
                        return None;
                    }
                    trials += 1;
                    let open = bracket(source, offset);
                    let close = if open == '[' { "]" } else { ")" };
                    // Closing it there must not close what is already closed (it may leave other
                    // forms open: a file can miss several).
                    let amended = with(source, line_at, close);
                    if !matches!(
                        source::scan_exact(&amended),
                        Ok(_) | Err((Failure::Unclosed, _))
                    ) {
                        continue;
                    }
                    let line = line_of(source, line_at);
                    let how = if visual_column(source, line_at) == visual_column(source, offset) {
                        "as its sibling"
                    } else {
                        "outside it"
                    };
                    return Some(LexError {
                        offset,
                        message: format!(
                            "this `{open}` is not closed before line {line}, which is indented {how}"
                        ),
                        hint: Some(format!(
                            "add the missing `{close}` where this form ends (the file ends inside \
                             a form; line {line}'s indentation says this one should have closed)"
                        )),
                    });
                }
            }
        }
    }
    None
}

/// An extra `)`: a form whose body is indented closes while the next line goes on indented as
/// its body (the form it closed is the enclosing one, often the top-level form). `stray` is the
/// `)` the scan found closing nothing.
fn extra_close(source: &str, stray: usize) -> Option<LexError> {
    let mut stack: Vec<OpenParen> = Vec::new();
    // The last `)` before the current line and the parenthesis it closed.
    let mut last_closed: Option<(usize, OpenParen)> = None;
    let mut trials = 0;
    for tok in tokens(source) {
        match tok {
            Tok::Open(offset) => stack.push(OpenParen {
                offset,
                column: visual_column(source, offset),
                indented_body: false,
                body_seen: false,
                first_outside: None,
                body_columns: Vec::new(),
            }),
            Tok::Close(offset) => {
                if offset >= stray {
                    return None;
                }
                last_closed = stack.pop().map(|open| (offset, open));
            }
            Tok::Str(..) => {}
            Tok::Line(at) => {
                if at > stray {
                    return None;
                }
                if matches!(source.as_bytes()[at], b')' | b']') {
                    continue;
                }
                let column = visual_column(source, at);
                for open in stack.iter_mut() {
                    if !open.body_seen {
                        open.body_seen = true;
                        open.indented_body = column > open.column;
                    }
                    if !open.body_columns.contains(&column) {
                        open.body_columns.push(column);
                    }
                }
                let Some((close, open)) = last_closed.take() else {
                    continue;
                };
                // Indented right of it, at a column lines of its body start at (a sibling a
                // column off, as a hand-indented file has, is not the form's body).
                if !(open.indented_body
                    && column > open.column
                    && open.body_columns.contains(&column))
                {
                    continue;
                }
                if trials == MAX_TRIALS {
                    return None;
                }
                trials += 1;
                let amended = without(source, close);
                if !matches!(
                    source::scan_exact(&amended),
                    Ok(_) | Err((Failure::Stray, _))
                ) {
                    continue;
                }
                let line = line_of(source, at);
                return Some(LexError {
                    offset: close,
                    message: format!(
                        "this `{}` closes the form opened at {}, but line {line} goes on indented \
                         as its body",
                        bracket(source, close),
                        place(source, open.offset),
                    ),
                    hint: Some(format!(
                        "one `{}` is likely too many here or shortly before (the file then has \
                         one that closes nothing, at {})",
                        bracket(source, close),
                        place(source, stray)
                    )),
                });
            }
        }
    }
    None
}

/// An unterminated string: the first string whose text runs on to a line that reads as code.
/// `last` is the string the file ends inside.
fn runaway_string(source: &str, last: usize) -> Option<LexError> {
    let bytes = source.as_bytes();
    for tok in tokens(source) {
        let Tok::Str(start, Some(end)) = tok else {
            continue;
        };
        if start >= last {
            return None;
        }
        let text = &source[start + 1..end - 1];
        let Some(first_break) = text.find('\n') else {
            continue;
        };
        // Text runs on right after the closing quote, as the contents of the next string do
        // when it is read from its opening quote (`(timezone "UTC")`): a string that ends as a
        // string does, before a space or a `)`, is one (a key or a file's contents may well
        // hold code), and is not blamed.
        if bytes
            .get(end)
            .is_none_or(|b| b.is_ascii_whitespace() || matches!(b, b')' | b']' | b'('))
        {
            continue;
        }
        // The line that reads as code: the first of the string's text that starts like a call,
        // or the one its closing quote is on.
        let mut evidence = end - 1;
        let mut line_offset = start + 1 + first_break + 1;
        for line in text[first_break + 1..].split('\n') {
            if reads_as_a_call(line.trim_start_matches([' ', '\t'])) {
                evidence = line_offset;
                break;
            }
            line_offset += line.len() + 1;
        }
        let line = line_of(source, evidence);
        return Some(LexError {
            offset: start,
            message: format!(
                "this string runs on to line {line}, which reads as code; is its closing `\"` \
                 missing?"
            ),
            hint: Some(format!(
                "the quotes pair up shifted from here on: the file ends inside a string opened \
                 at {}",
                place(source, last)
            )),
        });
    }
    None
}

/// Whether `line` starts as a call or a field clause does, `(name` and a space or `)`, with a
/// lowercase name (not a parenthesised remark in prose, `(See below.)`).
fn reads_as_a_call(line: &str) -> bool {
    let Some(rest) = line.strip_prefix('(') else {
        return false;
    };
    let name_len = rest
        .bytes()
        .take_while(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-?!*>/".contains(b))
        .count();
    rest.as_bytes().first().is_some_and(u8::is_ascii_lowercase)
        && rest[name_len..]
            .bytes()
            .next()
            .is_none_or(|b| b == b' ' || b == b')' || b == b'\t')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blame(src: &str) -> (String, String) {
        let e = source::scan(src).unwrap_err();
        (place(src, e.offset), e.message)
    }

    #[test]
    fn a_missing_paren_is_blamed_where_the_indentation_says() {
        let src = "(a\n  (b (c\n       1)\n(d))\n";
        let (at, message) = blame(src);
        assert_eq!(at, "2:3");
        assert_eq!(
            message,
            "this `(` is not closed before line 4, which is indented outside it"
        );
        // A one-line form missing its `)`: the next line is its sibling.
        let src = "(a\n  (b\n    (c 1\n    (d 2))\n  (e))\n";
        let (at, message) = blame(src);
        assert_eq!(at, "3:5");
        assert_eq!(
            message,
            "this `(` is not closed before line 4, which is indented as its sibling"
        );
    }

    #[test]
    fn flat_indentation_keeps_the_scan_report() {
        let src = "(a\n(b 1)\n(c (d\n2)\n";
        let (at, message) = blame(src);
        assert_eq!(at, "3:1");
        assert_eq!(message, "this `(` is never closed");
    }

    #[test]
    fn an_extra_paren_is_blamed_where_the_form_closes_early() {
        let src = "(a\n  (b 1))\n  (c 2))\n(d)\n";
        let (at, message) = blame(src);
        assert_eq!(at, "2:8");
        assert_eq!(
            message,
            "this `)` closes the form opened at 1:1, but line 3 goes on indented as its body"
        );
        // Inside a form: the list closes early, the next line is indented as its element.
        let src = "(a\n  (b (list\n       (c 1)\n       (d 2))\n       (e 3)))\n  (f))\n";
        assert_eq!(
            blame(src),
            (
                "4:13".into(),
                "this `)` closes the form opened at 2:6, but line 5 goes on indented as its body"
                    .into()
            )
        );
        // A sibling a column off is hand indentation, not a body going on.
        assert_eq!(
            blame("(a\n  (b\n    1)\n   (c 2))\n(d))\n"),
            ("5:4".into(), "unexpected `)`".into())
        );
        // A stray on the line that closes the form says nothing more.
        assert_eq!(blame("(a\n  (b 1)))\n(c)\n").0, "2:9");
    }

    #[test]
    fn a_runaway_string_is_blamed_where_it_opens() {
        let src = "(a\n  (b \"x)\n  (c \"y\"))\n";
        let (at, message) = blame(src);
        assert_eq!(at, "2:6");
        assert!(
            message.starts_with("this string runs on to line 3"),
            "{message}"
        );
        // A legitimate multi-line string is not blamed.
        let src = "(a \"one\n  (More below.)\ntwo\n\")\n(b \"open)\n";
        assert_eq!(blame(src), ("5:4".into(), "unterminated string".into()));
        // Nor one that holds code, as a signing key does.
        let src = "(define key \"(public-key\n  (ecc 1))\")\n(a\n  (b \"x)\n  (c \"y\"))\n";
        assert_eq!(blame(src).0, "4:6");
        assert!(reads_as_a_call("(host-name x)") && reads_as_a_call("(list"));
        assert!(!reads_as_a_call("(See below.)") && !reads_as_a_call("(e.g. this)"));
    }

    #[test]
    fn tokens_skip_comments_characters_and_block_comments() {
        let toks = tokens("; (\n#| ( |# #\\( #;(a) \"(\"");
        let opens = toks.iter().filter(|t| matches!(t, Tok::Open(_))).count();
        assert_eq!(opens, 1);
        assert!(matches!(toks.last(), Some(Tok::Str(_, Some(_)))));
    }
}
