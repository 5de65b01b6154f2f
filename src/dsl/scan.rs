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
