//! The lexical pieces of Scheme text that the checks run before Steel reads it (nesting depth,
//! forbidden names) must skip alike: comments, strings and character literals.

/// Where a token ends: white space, brackets, a comment or a string.
pub(crate) fn is_delimiter(c: u8) -> bool {
    c.is_ascii_whitespace() || b"()[]{};\"".contains(&c)
}

/// From a `;` at `i`: the offset of the newline that ends the comment (or the end).
pub(crate) fn line_comment_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && bytes[i] != b'\n' {
        i += 1;
    }
    i
}

/// From the opening `"` at `i`: the offset of the closing quote (or the end).
pub(crate) fn string_end(bytes: &[u8], mut i: usize) -> usize {
    i += 1;
    while i < bytes.len() && bytes[i] != b'"' {
        i += if bytes[i] == b'\\' { 2 } else { 1 };
    }
    i
}

/// From the `#` of `#\x` at `i`: the offset just past the character literal (`#\(`, `#\space`).
pub(crate) fn char_end(bytes: &[u8], mut i: usize) -> usize {
    // The character after the backslash belongs to it whatever it is.
    i += 3;
    while i < bytes.len() && !is_delimiter(bytes[i]) {
        i += 1;
    }
    i
}

/// From the `#|` at `i`: the offset just past its `|#` (or the end). Block comments nest, and
/// Steel skips them recursively: `Err(offset)` of the `#|` that nests deeper than `limit`.
pub(crate) fn block_comment_end(bytes: &[u8], mut i: usize, limit: usize) -> Result<usize, usize> {
    let mut level = 0usize;
    while i < bytes.len() {
        if bytes[i..].starts_with(b"#|") {
            level += 1;
            if level > limit {
                return Err(i);
            }
            i += 2;
        } else if bytes[i..].starts_with(b"|#") {
            level -= 1;
            i += 2;
            if level == 0 {
                break;
            }
        } else {
            i += 1;
        }
    }
    Ok(i)
}

/// Why Guile's extended symbol `#{NAME}#` could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ExtendedSymbolError {
    /// No `}#` closes it.
    Unterminated,
    /// A `\x` escape at this offset is not hexadecimal digits ended by `;`, or no character.
    BadEscape(usize),
}

/// Guile's extended symbol read syntax, from the `#` of `#{` at `i`: where it ends (past its
/// `}#`) and the symbol's name. As Guile's reader reads it: the name is the text up to the
/// first `}#`, where `\xHEX;` is the character of that code and a backslash before any other
/// character keeps that character (so `\}` does not end it).
pub(crate) fn extended_symbol(
    text: &str,
    i: usize,
) -> Result<(usize, String), ExtendedSymbolError> {
    let body = text.get(i + 2..).ok_or(ExtendedSymbolError::Unterminated)?;
    let mut name = String::new();
    let mut chars = body.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '}' if chars.peek().map(|(_, c)| *c) == Some('#') => return Ok((i + 2 + at + 2, name)),
            '\\' => match chars.next() {
                Some((_, 'x')) => {
                    let start = i + 2 + at;
                    let mut code = String::new();
                    loop {
                        match chars.next() {
                            Some((_, ';')) => break,
                            Some((_, d)) if d.is_ascii_hexdigit() && code.len() < 8 => code.push(d),
                            Some(_) => return Err(ExtendedSymbolError::BadEscape(start)),
                            None => return Err(ExtendedSymbolError::Unterminated),
                        }
                    }
                    let c = u32::from_str_radix(&code, 16)
                        .ok()
                        .and_then(char::from_u32)
                        .ok_or(ExtendedSymbolError::BadEscape(start))?;
                    name.push(c);
                }
                Some((_, other)) => name.push(other),
                None => return Err(ExtendedSymbolError::Unterminated),
            },
            c => name.push(c),
        }
    }
    Err(ExtendedSymbolError::Unterminated)
}

/// From the `#` of `#{` at `i`: the offset past its `}#` (or the end), for the passes that
/// only skip it.
pub(crate) fn extended_symbol_end(bytes: &[u8], mut i: usize) -> usize {
    i += 2;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'}' if bytes.get(i + 1) == Some(&b'#') => return i + 2,
            _ => i += 1,
        }
    }
    bytes.len()
}
