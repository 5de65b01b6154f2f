//! Lexical pass over a user's Scheme source, before Steel sees it.
//!
//! It does three jobs that Steel's reader cannot do for us:
//! - splits the file into top-level forms, because ingot compiles each form on its own (Steel
//!   inlines calls between definitions compiled together and then skips their arity checks);
//! - reports unbalanced parentheses and unterminated strings with the line:column of the culprit;
//! - rewrites Guix's gexp reader syntax (`#~`, `#$`, `#$@`, `#+`) into quote/unquote of the same
//!   length, so that byte offsets — and so every reported location — stay those of the file;
//! - rewrites Guile's string escapes Steel reads otherwise (`\xHH` with exactly two digits,
//!   `\uHHHH`, `\UHHHHHH`, `\v`, `\f`, `\b`, `\0`) into Steel's `\x…;`: those change lengths, so
//!   `Scanned::shifts` maps offsets of the text back to the file's;
//! - puts a blank between a `#` token and a string written right after it (`#f"~a"`), which
//!   Guile reads as two tokens and Steel as one (a length-changing rewrite too);
//! - renames `fn` and `defn`, Steel's own spellings of `lambda` and `define`, which are
//!   ordinary names in Guile (`STEEL_KEYWORDS`; length-changing too);
//! - respells Guile's extended symbols `#{NAME}#`, which Steel has not, as the plain name when
//!   Steel reads that as the same symbol, else as Steel's `|NAME|` (length-changing too).

use std::fmt;

use super::syntax_blame::{self, Failure};

/// One top-level datum of the source: byte range `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Form {
    pub start: usize,
    pub end: usize,
}

/// A reader-level problem, with the byte offset it points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexError {
    pub offset: usize,
    pub message: String,
    pub hint: Option<String>,
}

impl fmt::Display for LexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// The result of scanning: the text to hand to Steel (gexp syntax rewritten, same length) and
/// its top-level forms.
#[derive(Debug, Clone)]
pub struct Scanned {
    pub text: String,
    pub forms: Vec<Form>,
    /// (offset in `text`, offset in the source) after each length-changing rewrite, in order.
    pub shifts: Vec<(usize, usize)>,
}

/// The source offset of `offset` in a text rewritten with `shifts` (see `Scanned`).
pub fn to_source_offset(shifts: &[(usize, usize)], offset: usize) -> usize {
    match shifts.iter().rev().find(|(new, _)| *new <= offset) {
        Some((new, old)) => old + (offset - new),
        None => offset,
    }
}

/// A Guile string escape at `bytes[i]` (the byte after a backslash) that Steel does not read
/// the same: (source bytes it spans after the backslash, Steel's spelling after the backslash).
fn guile_escape(bytes: &[u8], i: usize) -> Option<(usize, String)> {
    let hex = |n: usize| -> Option<String> {
        let digits = bytes.get(i + 1..i + 1 + n)?;
        digits
            .iter()
            .all(u8::is_ascii_hexdigit)
            .then(|| String::from_utf8_lossy(digits).into_owned())
    };
    match bytes.get(i)? {
        b'x' => hex(2).map(|h| (3, format!("x{h};"))),
        b'u' => hex(4).map(|h| (5, format!("x{h};"))),
        b'U' => hex(6).map(|h| (7, format!("x{h};"))),
        b'v' => Some((1, "x0b;".into())),
        b'f' => Some((1, "x0c;".into())),
        b'b' => Some((1, "x08;".into())),
        b'0' => Some((1, "x0;".into())),
        _ => None,
    }
}

/// Line and column (both 1-based, columns counted in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (u32, u32) {
    let offset = offset.min(text.len());
    let mut line = 1u32;
    let mut line_start = 0usize;
    for (i, b) in text.as_bytes()[..offset].iter().enumerate() {
        if *b == b'\n' {
            line += 1;
            line_start = i + 1;
        }
    }
    // Count characters, not bytes, from the start of the line; back off to a char boundary.
    let mut end = offset;
    while end > line_start && !text.is_char_boundary(end) {
        end -= 1;
    }
    let column = text[line_start..end].chars().count() as u32 + 1;
    (line, column)
}

/// Steel's spans of a list start at its first element; the form a user wrote starts at the
/// opening parenthesis before it. Returns the offset of that parenthesis when there is one.
pub fn open_paren_before(text: &str, offset: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = offset.min(bytes.len());
    while i > 0 && bytes[i - 1].is_ascii_whitespace() {
        i -= 1;
    }
    if i > 0 && matches!(bytes[i - 1], b'(' | b'[') {
        i - 1
    } else {
        offset
    }
}

struct Open {
    offset: usize,
    close: u8,
    /// Guile reads `(. x)` as `x`: the parentheses and the dot are blanked out.
    blank: bool,
}

/// A character name Guile reads that Steel does not (`#\nul`, `#\esc`, `#\nl`, …): Steel's
/// spelling of the same character (`x0`). Steel's own names (`null`, `tab`, …) are left.
fn guile_char_name(name: &[u8]) -> Option<String> {
    // Guile's ASCII mnemonics for the codes 0 to 32, then its other names.
    const MNEMONICS: [&str; 33] = [
        "nul", "soh", "stx", "etx", "eot", "enq", "ack", "bel", "bs", "ht", "lf", "vt", "ff", "cr",
        "so", "si", "dle", "dc1", "dc2", "dc3", "dc4", "nak", "syn", "etb", "can", "em", "sub",
        "esc", "fs", "gs", "rs", "us", "sp",
    ];
    const OTHERS: [(&str, u8); 7] = [
        ("del", 0x7f),
        ("rubout", 0x7f),
        ("nl", b'\n'),
        ("linefeed", b'\n'),
        ("page", 0x0c),
        ("vtab", 0x0b),
        ("altmode", 0x1b),
    ];
    let name = std::str::from_utf8(name).ok()?;
    let code = MNEMONICS
        .iter()
        .position(|m| *m == name)
        .map(|c| c as u8)
        .or_else(|| OTHERS.iter().find(|(m, _)| *m == name).map(|(_, c)| *c))?;
    Some(format!("x{code:x}"))
}

/// Scans `source`. Fails on the first unbalanced parenthesis, unterminated string or block
/// comment, reported where the mistake likely is (see `syntax_blame`).
pub fn scan(source: &str) -> Result<Scanned, LexError> {
    if let Some(e) = merge_conflict(source) {
        return Err(e);
    }
    scan_exact(source).map_err(|(failure, e)| syntax_blame::relocate(source, failure, e))
}

/// An unresolved git merge conflict: a `<<<<<<< ` line, then `=======` and `>>>>>>> ` lines.
/// Guile reads the markers as names (an unbound variable, or symbols in quoted data), and
/// the two sides often unbalance the parentheses far from here: said at the first marker.
fn merge_conflict(source: &str) -> Option<LexError> {
    let mut offset = 0;
    let mut start = None;
    let mut middle = false;
    for line in source.split_inclusive('\n') {
        let text = line.trim_end_matches(['\n', '\r']);
        if text.starts_with("<<<<<<< ") || text == "<<<<<<<" {
            start.get_or_insert(offset);
        } else if start.is_some() && text == "=======" {
            middle = true;
        } else if middle && (text.starts_with(">>>>>>> ") || text == ">>>>>>>") {
            return Some(LexError {
                offset: start?,
                message: "an unresolved git merge conflict starts here (<<<<<<<)".into(),
                hint: Some(
                    "keep the side wanted and delete the <<<<<<<, ======= and >>>>>>> lines".into(),
                ),
            });
        }
        offset += line.len();
    }
    None
}

/// `scan`, failing where the pairing failed, with what failed.
pub(super) fn scan_exact(source: &str) -> Result<Scanned, (Failure, LexError)> {
    let bytes = source.as_bytes();
    let mut out = bytes.to_vec();
    let mut forms = Vec::new();
    let mut stack: Vec<Open> = Vec::new();
    // Guile string escapes to respell: (offset after the backslash, length, Steel's text).
    let mut escapes: Vec<(usize, usize, String)> = Vec::new();
    // Start of the current top-level datum (including its quote prefixes), if one is open.
    let mut form_start: Option<usize> = None;
    let mut i = 0usize;
    let n = bytes.len();

    // Ends a top-level atom or list that finished at `end`.
    fn finish(forms: &mut Vec<Form>, form_start: &mut Option<usize>, end: usize) {
        if let Some(start) = form_start.take() {
            forms.push(Form { start, end });
        }
    }

    while i < n {
        let b = bytes[i];
        match b {
            b';' => {
                while i < n && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'"' => {
                let start = i;
                if stack.is_empty() && form_start.is_none() {
                    form_start = Some(i);
                }
                i += 1;
                loop {
                    if i >= n {
                        return Err((
                            Failure::UnterminatedString,
                            LexError {
                                offset: start,
                                message: "unterminated string".into(),
                                hint: Some("add the closing \" of this string".into()),
                            },
                        ));
                    }
                    match bytes[i] {
                        b'\\' => {
                            if let Some((len, steel)) = guile_escape(bytes, i + 1) {
                                escapes.push((i + 1, len, steel));
                                i += 1 + len;
                            } else {
                                i += 2;
                            }
                        }
                        b'"' => break,
                        _ => i += 1,
                    }
                }
                i += 1;
                if stack.is_empty() {
                    finish(&mut forms, &mut form_start, i);
                }
                continue;
            }
            b'(' | b'[' => {
                if stack.is_empty() && form_start.is_none() {
                    form_start = Some(i);
                }
                // `(. rest)`, as in `(lambda (. rest) …)`: Guile reads it as `rest`.
                let mut j = i + 1;
                while j < n && bytes[j].is_ascii_whitespace() {
                    j += 1;
                }
                let blank = j + 1 < n
                    && bytes[j] == b'.'
                    && (bytes[j + 1].is_ascii_whitespace() || bytes[j + 1] == b'(');
                if blank {
                    out[i] = b' ';
                    out[j] = b' ';
                }
                stack.push(Open {
                    offset: i,
                    close: if b == b'(' { b')' } else { b']' },
                    blank,
                });
                i += 1;
                continue;
            }
            b')' | b']' => {
                match stack.pop() {
                    None => {
                        return Err((
                            Failure::Stray,
                            LexError {
                                offset: i,
                                message: format!("unexpected `{}`", b as char),
                                hint: Some(
                                    "this closes a parenthesis that was never opened; remove it"
                                        .into(),
                                ),
                            },
                        ))
                    }
                    Some(open) if open.close != b => {
                        return Err((
                            Failure::Other,
                            LexError {
                                offset: i,
                                message: format!(
                                    "`{}` does not match the `{}` opened before",
                                    b as char,
                                    if open.close == b')' { '(' } else { '[' }
                                ),
                                hint: Some(format!("close it with `{}`", open.close as char)),
                            },
                        ))
                    }
                    Some(open) => {
                        if open.blank {
                            out[i] = b' ';
                        }
                    }
                }
                i += 1;
                if stack.is_empty() {
                    finish(&mut forms, &mut form_start, i);
                }
                continue;
            }
            b'#' if i + 1 < n => {
                let next = bytes[i + 1];
                match next {
                    b'|' => {
                        let start = i;
                        let mut depth = 1;
                        i += 2;
                        while depth > 0 {
                            if i + 1 >= n {
                                return Err((
                                    Failure::Other,
                                    LexError {
                                        offset: start,
                                        message: "unterminated block comment".into(),
                                        hint: Some("close it with |#".into()),
                                    },
                                ));
                            }
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
                        continue;
                    }
                    b'\\' => {
                        // Character literal: `#\(` and friends must not count as parentheses.
                        if stack.is_empty() && form_start.is_none() {
                            form_start = Some(i);
                        }
                        let name_start = i + 2;
                        i += 3;
                        while i < n && is_symbol_byte(bytes[i]) {
                            i += 1;
                        }
                        if let Some(steel) =
                            bytes.get(name_start..i.min(n)).and_then(guile_char_name)
                        {
                            escapes.push((name_start, i.min(n) - name_start, steel));
                        }
                        space_before_string(bytes, i, &mut escapes);
                        if stack.is_empty() {
                            finish(&mut forms, &mut form_start, i.min(n));
                        }
                        continue;
                    }
                    b'{' => {
                        if stack.is_empty() && form_start.is_none() {
                            form_start = Some(i);
                        }
                        let (end, name) = extended_symbol(source, i)?;
                        let mut steel = steel_symbol(&name);
                        // Guile ends the symbol at `}#`; `#{a}#b` is two symbols.
                        if bytes.get(end).is_some_and(|b| is_symbol_byte(*b)) {
                            steel.push(' ');
                        }
                        escapes.push((i, end - i, steel));
                        i = end;
                        if stack.is_empty() {
                            finish(&mut forms, &mut form_start, i);
                        }
                        continue;
                    }
                    b'~' => {
                        out[i] = b' ';
                        out[i + 1] = b'\'';
                    }
                    b'$' | b'+' => {
                        out[i] = b' ';
                        out[i + 1] = b',';
                    }
                    _ => {}
                }
                // `#;`, `#'`, `#~`, `#(`, `#vu8(`, `#t`, `#:key`: a prefix or an atom.
                if stack.is_empty() && form_start.is_none() {
                    form_start = Some(i);
                }
                if matches!(next, b';' | b'\'' | b'`' | b',' | b'~' | b'$' | b'+') {
                    i += 2;
                    if i < n && bytes[i] == b'@' {
                        i += 1;
                    }
                    continue;
                }
                if next == b'(' {
                    i += 1;
                    continue;
                }
                i = skip_atom(bytes, i);
                if i < n && bytes[i] == b'(' && source[..i].ends_with("#vu8") {
                    continue;
                }
                space_before_string(bytes, i, &mut escapes);
                if stack.is_empty() {
                    finish(&mut forms, &mut form_start, i);
                }
                continue;
            }
            b'\'' | b'`' | b',' => {
                if stack.is_empty() && form_start.is_none() {
                    form_start = Some(i);
                }
                i += 1;
                if b == b',' && i < n && bytes[i] == b'@' {
                    i += 1;
                }
                continue;
            }
            _ if b.is_ascii_whitespace() => {}
            _ => {
                if stack.is_empty() && form_start.is_none() {
                    form_start = Some(i);
                }
                let start = i;
                i = skip_atom(bytes, i);
                if let Some((_, internal)) = STEEL_KEYWORDS
                    .iter()
                    .find(|(name, _)| name.as_bytes() == &bytes[start..i])
                {
                    escapes.push((start, i - start, internal.to_string()));
                }
                if stack.is_empty() {
                    finish(&mut forms, &mut form_start, i);
                }
                continue;
            }
        }
        i += 1;
    }
    if let Some(open) = stack.last() {
        return Err((
            Failure::Unclosed,
            LexError {
                offset: open.offset,
                message: format!(
                    "this `{}` is never closed",
                    if open.close == b')' { '(' } else { '[' }
                ),
                hint: Some(format!(
                    "add the missing `{}` (the file ends inside this form)",
                    open.close as char
                )),
            },
        ));
    }
    if let Some(start) = form_start {
        // A dangling quote prefix at the very end.
        forms.push(Form { start, end: n });
    }
    // The rewrites only replace ASCII bytes with ASCII bytes, so this cannot fail; keep the
    // original text if it somehow did rather than panic.
    let mut shifts = Vec::new();
    let mut respelt = Vec::with_capacity(out.len() + escapes.len() * 2);
    let mut copied = 0;
    for (at, len, steel) in &escapes {
        respelt.extend_from_slice(&out[copied..*at]);
        respelt.extend_from_slice(steel.as_bytes());
        copied = at + len;
        shifts.push((respelt.len(), copied));
    }
    respelt.extend_from_slice(&out[copied..]);
    let text = String::from_utf8(respelt).unwrap_or_else(|_| source.to_string());
    // Form boundaries are never inside a string: map them forward.
    let forward = |o: usize| match shifts.iter().rev().find(|(_, old)| *old <= o) {
        Some((new, old)) => new + (o - old),
        None => o,
    };
    let forms = forms
        .into_iter()
        .map(|f| Form {
            start: forward(f.start),
            end: forward(f.end),
        })
        .collect();
    Ok(Scanned {
        text,
        forms,
        shifts,
    })
}

/// Names that Steel's reader takes for its own `lambda` and `define` wherever they are
/// written, and that are ordinary names in Guile (rde has procedures with a parameter `fn`):
/// each is renamed to an internal name (`error::user_names` turns it back in messages).
/// `λ` is not one: it is Guile's `lambda` too (a binding may shadow it in Guile, not here).
pub(crate) const STEEL_KEYWORDS: &[(&str, &str)] = &[("fn", "%ingot-fn"), ("defn", "%ingot-defn")];

/// Guile's `#{NAME}#` at `i` (see `scan::extended_symbol`), failing as the scan does.
fn extended_symbol(source: &str, i: usize) -> Result<(usize, String), (Failure, LexError)> {
    use super::scan::ExtendedSymbolError;
    super::scan::extended_symbol(source, i).map_err(|e| {
        let error = match e {
            ExtendedSymbolError::Unterminated => LexError {
                offset: i,
                message: "unterminated #{…}# symbol".into(),
                hint: Some("close it with }#".into()),
            },
            ExtendedSymbolError::BadEscape(at) => LexError {
                offset: at,
                message: "bad \\x escape in a #{…}# symbol".into(),
                hint: Some(
                    "write a character as \\x, its code in hexadecimal, then ; (\\x20; is a space)"
                        .into(),
                ),
            },
        };
        (Failure::Other, error)
    })
}

/// How Steel is to read the symbol named `name`, which Guile wrote `#{name}#`: as written when
/// Steel reads that spelling as this same symbol (`#{foo}#` is `foo` in Guile, a reference
/// to the same variable), else as Steel's `|…|` symbol (whose escapes are a string's).
fn steel_symbol(name: &str) -> String {
    match STEEL_KEYWORDS.iter().find(|(user, _)| *user == name) {
        Some((_, internal)) => internal.to_string(),
        None => steel_spelling(name),
    }
}

/// How program text ingot generates spells the symbol named `name` (a name read from Steel's
/// AST may hold blanks or brackets: `#{no such}#`); a name already spelt `|…|` is kept.
pub(crate) fn steel_name(name: &str) -> String {
    if bar_symbol_name(name).is_some() {
        name.to_string()
    } else {
        steel_spelling(name)
    }
}

/// `name` as written, when Steel reads that as this symbol, else in Steel's `|…|`.
fn steel_spelling(name: &str) -> String {
    let bytes = name.as_bytes();
    let plain = bytes.first().is_some_and(|b| {
        b.is_ascii_alphabetic()
            || b"!$%&*/<=>?^_~".contains(b)
            // `-` alone, or `-moz-…`; not a number (`-1`), which Steel would read as one.
            || (*b == b'-' && bytes.get(1).is_none_or(u8::is_ascii_alphabetic))
    }) && bytes
        .iter()
        .all(|b| b.is_ascii_alphanumeric() || b"!$%&*/<=>?^_~+-.@:".contains(b));
    if plain {
        return name.to_string();
    }
    let mut steel = String::from("|");
    for c in name.chars() {
        match c {
            '\\' => steel.push_str("\\\\"),
            // Not `\|`: ingot's own readers (`skip_atom`) end a `|…|` at the next bar.
            '|' => steel.push_str("\\x7c;"),
            c => steel.push(c),
        }
    }
    steel.push('|');
    steel
}

/// The name Steel reads from a `|…|` spelling (`steel_symbol` writes them; a user may too):
/// `None` for any other spelling. Steel's escapes there are a string's (`\\`, `\|`, `\n`,
/// `\xHEX;`, …).
pub(crate) fn bar_symbol_name(spelling: &str) -> Option<String> {
    let inner = spelling.strip_prefix('|')?.strip_suffix('|')?;
    let mut name = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            name.push(c);
            continue;
        }
        match chars.next() {
            Some('a') => name.push('\x07'),
            Some('b') => name.push('\x08'),
            Some('t') => name.push('\t'),
            Some('n') => name.push('\n'),
            Some('r') => name.push('\r'),
            Some('0') => name.push('\0'),
            Some(code @ ('x' | 'u')) => {
                let braced = code == 'u' && chars.clone().next() == Some('{');
                let end = if braced { '}' } else { ';' };
                let digits: String = chars.by_ref().take_while(|c| *c != end).collect();
                let digits = digits.trim_start_matches('{');
                name.extend(
                    u32::from_str_radix(digits, 16)
                        .ok()
                        .and_then(char::from_u32),
                );
            }
            Some(other) => name.push(other),
            None => {}
        }
    }
    Some(name)
}

/// `"` ends a token in Guile, so `(format #f"~a" x)` is `#f` and a string; Steel reads
/// `#f"~a"`, `#t"x"` or `#\p"x"` as one token. A blank goes between them (a length-changing
/// rewrite, mapped back like the escapes).
fn space_before_string(bytes: &[u8], at: usize, escapes: &mut Vec<(usize, usize, String)>) {
    if bytes.get(at) == Some(&b'"') {
        escapes.push((at, 0, " ".to_string()));
    }
}

fn is_symbol_byte(b: u8) -> bool {
    !(b.is_ascii_whitespace() || matches!(b, b'(' | b')' | b'[' | b']' | b'"' | b';'))
}

pub(super) fn skip_atom(bytes: &[u8], mut i: usize) -> usize {
    // Steel's `|foo bar|` symbol, read as Steel's lexer reads it (the sandbox check must see
    // the tokens Steel will): only a bar that starts the token opens one, `\` escapes the byte
    // after it, and the token ends with the closing bar. A bar inside a token is a character
    // of it (`a|b`).
    if bytes.get(i) == Some(&b'|') {
        i += 1;
        while i < bytes.len() && bytes[i] != b'|' {
            i += if bytes[i] == b'\\' { 2 } else { 1 };
        }
        return (i + 1).min(bytes.len());
    }
    while i < bytes.len() && is_symbol_byte(bytes[i]) {
        i += 1;
    }
    i
}

/// Whether `source` is a complete input for the REPL: balanced, no open string or comment.
/// A stray closing parenthesis counts as complete (evaluating it reports the error).
pub fn is_complete(source: &str) -> bool {
    match scan_exact(source) {
        Ok(_) => true,
        Err((failure, e)) => failure == Failure::Stray || e.message.contains("does not match"),
    }
}

/// Whether `source` holds an expression (not only comments and blanks); an unreadable text
/// counts as one, so that evaluating it reports the problem.
pub fn has_expression(source: &str) -> bool {
    scan_exact(source)
        .map(|s| !s.forms.is_empty())
        .unwrap_or(true)
}

/// `text` with every byte outside `[start, end)` blanked (newlines kept), so that compiling it
/// alone gives the form the byte offsets it has in the whole file.
pub fn isolate(text: &str, form: Form) -> String {
    let mut s = String::with_capacity(form.end);
    s.extend(std::iter::repeat_n(' ', form.start));
    s.push_str(&text[form.start..form.end]);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_conflict_markers_only_as_a_whole() {
        let conflict = "(a\n<<<<<<< HEAD\n 1\n=======\n 2\n>>>>>>> b\n)\n";
        let e = scan(conflict).unwrap_err();
        assert_eq!(e.offset, 3);
        assert!(e.message.contains("merge conflict"), "{}", e.message);
        // A lone ======= line (a heading) or markers in a string are no conflict.
        assert!(scan("(a\n=======\n)\n").is_ok());
        assert!(scan("(a \"<<<<<<< x\n=======\n>>>>>>> y\")\n").is_ok());
    }

    fn forms(src: &str) -> Vec<&str> {
        let s = scan(src).unwrap();
        s.forms.iter().map(|f| &src[f.start..f.end]).collect()
    }

    #[test]
    fn splits_top_level_forms() {
        let src = "(define x 1) ; c\n'(a b)  #;(skip me) x \"s)\" #\\( (f #\\) [g])";
        assert_eq!(
            forms(src),
            vec![
                "(define x 1)",
                "'(a b)",
                "#;(skip me)",
                "x",
                "\"s)\"",
                "#\\(",
                "(f #\\) [g])"
            ]
        );
        assert_eq!(forms("#| a (b |# (c) #:key #t"), vec!["(c)", "#:key", "#t"]);
        assert_eq!(forms("#vu8(1 2) #(1 2)"), vec!["#vu8(1 2)", "#(1 2)"]);
    }

    #[test]
    fn reports_unbalanced_parens_with_offsets() {
        let src = "(define x\n  (list 1 2)\n";
        let e = scan(src).unwrap_err();
        assert_eq!(e.offset, 0);
        assert!(e.message.contains("never closed"));
        let e = scan("(a))").unwrap_err();
        assert_eq!(e.offset, 3);
        assert_eq!(line_column("(a)\n  )", 6), (2, 3));
        let e = scan("(a \"open").unwrap_err();
        assert_eq!((e.offset, e.message.as_str()), (3, "unterminated string"));
        let e = scan("(a]").unwrap_err();
        assert!(e.message.contains("does not match"));
    }

    #[test]
    fn rewrites_gexps_keeping_offsets() {
        let src = "(x #~(mkdir #$output #$@rest) #+y \"#~\")";
        let s = scan(src).unwrap();
        assert_eq!(s.text, "(x  '(mkdir  ,output  ,@rest)  ,y \"#~\")");
        assert_eq!(s.text.len(), src.len());
    }

    #[test]
    fn respells_guile_escapes_and_maps_offsets_back() {
        let src = "(a \"\\x1b[1m\\u00e9\\v\\x41;\\n\") (b)";
        let s = scan(src).unwrap();
        assert_eq!(s.text, "(a \"\\x1b;[1m\\x00e9;\\x0b;\\x41;;\\n\") (b)");
        let b = s.text.find("(b)").unwrap();
        assert_eq!(&s.text[s.forms[1].start..s.forms[1].end], "(b)");
        assert_eq!(to_source_offset(&s.shifts, b), src.find("(b)").unwrap());
        assert_eq!(to_source_offset(&s.shifts, 1), 1);
    }

    #[test]
    fn separates_a_hash_token_from_the_string_after_it() {
        let src = "(format #f\"~a\" x) '(#t\"y\" #\\p\"q\" #:k\"v\") (f \"s\")";
        let s = scan(src).unwrap();
        assert_eq!(
            s.text,
            "(format #f \"~a\" x) '(#t \"y\" #\\p \"q\" #:k \"v\") (f \"s\")"
        );
        assert_eq!(s.forms.len(), 3);
        // Offsets after an inserted blank map back to the user's.
        let x = s.text.find(" x)").unwrap() + 1;
        assert_eq!(to_source_offset(&s.shifts, x), src.find(" x)").unwrap() + 1);
        let f = s.text.find("(f").unwrap();
        assert_eq!(to_source_offset(&s.shifts, f), src.find("(f").unwrap());
        assert_eq!(&s.text[s.forms[2].start..s.forms[2].end], "(f \"s\")");
    }

    #[test]
    fn renames_steel_keywords_that_guile_does_not_have() {
        let src = "(define (f fn) (fn \"fn\" #:fn 'fn-x)) ; fn\n(\u{3bb} defn)";
        let s = scan(src).unwrap();
        assert_eq!(
            s.text,
            "(define (f %ingot-fn) (%ingot-fn \"fn\" #:fn 'fn-x)) ; fn\n(\u{3bb} %ingot-defn)"
        );
        let x = s.text.find("'fn-x").unwrap();
        assert_eq!(to_source_offset(&s.shifts, x), src.find("'fn-x").unwrap());
        assert_eq!(s.forms.len(), 2);
    }

    #[test]
    fn respells_guile_character_names() {
        let src = "(f #\\nul #\\esc #\\n #\\null #\\sp) (g)";
        let s = scan(src).unwrap();
        assert_eq!(s.text, "(f #\\x0 #\\x1b #\\n #\\null #\\x20) (g)");
        let g = s.text.find("(g)").unwrap();
        assert_eq!(to_source_offset(&s.shifts, g), src.find("(g)").unwrap());
    }

    #[test]
    fn reads_guile_extended_symbols() {
        let src = "(f #{a b}# '#{(x)}# #{plain}# #{fn}# #{}# #{q\\x41;\\}}}#) #{top}#";
        let s = scan(src).unwrap();
        assert_eq!(s.text, "(f |a b| '|(x)| plain %ingot-fn || |qA}}|) top");
        assert_eq!(s.forms.len(), 2);
        let top = s.text.find("top").unwrap();
        assert_eq!(to_source_offset(&s.shifts, top), src.find("#{top").unwrap());
        // Two symbols when text follows the `}#`; a bar in the name stays inside the bars.
        assert_eq!(scan("#{a}#b").unwrap().text, "a b");
        assert_eq!(scan("'#{a|b}#").unwrap().text, "'|a\\x7c;b|");
        let e = scan("(f #{abc)").unwrap_err();
        assert_eq!(
            (e.offset, e.message.as_str()),
            (3, "unterminated #{…}# symbol")
        );
        let e = scan("(f #{a\\xg;})#)").unwrap_err();
        assert_eq!(e.offset, 6);
    }

    #[test]
    fn bar_symbols_are_tokens_as_steel_reads_them() {
        fn atom(text: &str) -> &str {
            &text[..skip_atom(text.as_bytes(), 0)]
        }
        assert_eq!(atom("|a b|c"), "|a b|");
        assert_eq!(atom("|a\\| b| c"), "|a\\| b|");
        assert_eq!(atom("a| (x) |b"), "a|");
        assert_eq!(atom("|open"), "|open");
        // Steel evaluates the list between the bars of `'a| (f) 'b|c`: so does the check.
        let forms = scan("(list 'a| (f) 'b|c)").unwrap();
        let node = super::super::reader::read_all(&forms.text, 0, forms.text.len());
        assert_eq!(node[0].find_symbol("f"), Some(11));
    }

    #[test]
    fn decodes_bar_symbols() {
        assert_eq!(bar_symbol_name("|#%x|").as_deref(), Some("#%x"));
        assert_eq!(bar_symbol_name("|a\\x7c;b\\\\|").as_deref(), Some("a|b\\"));
        assert_eq!(bar_symbol_name("plain"), None);
    }

    #[test]
    fn a_list_of_only_a_dotted_tail_reads_as_the_tail() {
        let s = scan("(lambda (. rest) rest) '(a . b)").unwrap();
        assert_eq!(s.text, "(lambda    rest  rest) '(a . b)");
    }

    #[test]
    fn completeness_for_the_repl() {
        assert!(is_complete("(a (b))"));
        assert!(!is_complete("(a (b)"));
        assert!(!is_complete("(a \"b)"));
        assert!(is_complete("a)"));
        assert!(is_complete(""));
    }

    #[test]
    fn operator_position_and_columns() {
        let src = "(foo bar)\n  ( baz)";
        assert_eq!(open_paren_before(src, 14), 12);
        assert_eq!(line_column("é(x", 3), (1, 3));
        assert_eq!(isolate("(a) (b)", Form { start: 4, end: 7 }), "    (b)");
    }
}
