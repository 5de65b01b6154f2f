//! Rust is the one source of the formats, file systems, bootloaders and boards: the prelude's
//! lists of them are generated here, as Scheme text, from the Rust tables
//! (`format::FORMATS`, `FileSystemKind::ALL`, `boot::bootloaders`, `boot::board::BOARDS`).
//! A prelude file holds `(%ingot-table NAME)` where a generated part goes; [`expand`] is a pure
//! function of the file's text, so that whatever loads or snapshots the prelude calls it once
//! per file and gets the same text every time.

use std::borrow::Cow;
use std::fmt::Write;

use crate::boot::board::{BoardTable, BOARDS};
use crate::model::FileSystemKind;

/// The text of `(%ingot-table NAME)` in the prelude: NAME's generated definitions.
fn table(name: &str) -> Option<String> {
    Some(match name {
        "image-formats" => image_formats(),
        "file-systems" => file_systems(),
        "bootloaders" => bootloaders(),
        "boards" => boards(),
        _ => return None,
    })
}

/// `text` (a prelude file) with each `(%ingot-table NAME)` line replaced by NAME's
/// definitions; unchanged (borrowed) when it has none. An unknown NAME is left as it is, so
/// evaluating it fails loudly (`%ingot-table` is bound nowhere).
pub fn expand(text: &str) -> Cow<'_, str> {
    const MARK: &str = "(%ingot-table ";
    if !text.contains(MARK) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 4096);
    for line in text.split_inclusive('\n') {
        let generated = line
            .trim()
            .strip_prefix(MARK)
            .and_then(|rest| rest.strip_suffix(')'))
            .and_then(table);
        match generated {
            Some(g) => out.push_str(&g),
            None => out.push_str(line),
        }
    }
    Cow::Owned(out)
}

fn quoted_words(words: impl Iterator<Item = String>) -> String {
    words.collect::<Vec<_>>().join(" ")
}

/// Scheme string literal of `s` (names here are ASCII without quotes or backslashes).
fn string(s: &str) -> String {
    format!("{s:?}")
}

fn image_formats() -> String {
    let names: Vec<&str> = crate::format::FORMATS.iter().map(|r| r.name).collect();
    format!(
        "(define %image-formats '({}))\n(define %%image-formats-quoted {})\n",
        names.join(" "),
        string(&quoted_words(names.iter().map(|n| format!("'{n}"))))
    )
}

fn file_systems() -> String {
    let names: Vec<&str> = FileSystemKind::ALL.iter().map(|k| k.as_str()).collect();
    format!(
        "(define %ingot-file-systems '({}))\n(define %%ingot-file-systems-words {})\n\
         (define %%ingot-file-systems-quoted {})\n",
        quoted_words(names.iter().map(|n| string(n))),
        string(&names.join(" ")),
        string(&quoted_words(names.iter().map(|n| string(n))))
    )
}

fn bootloaders() -> String {
    format!(
        "(%define-bootloaders {})\n",
        crate::boot::bootloaders::names().join(" ")
    )
}

fn symbol_or_false(name: Option<&str>) -> String {
    name.map_or_else(|| "#f".to_string(), |n| format!("'{n}"))
}

/// Every board's image type, `NAME-image-type` named `NAME-raw`, and `%%board-image-types`
/// listing them in the table's order. MBR boards are raw-with-offset images; GPT boards have
/// their unformatted partitions (type GUID as uuid, as Guix) before the root partition.
fn boards() -> String {
    let mut out = String::new();
    let mut names = Vec::new();
    for b in BOARDS.iter().filter(|b| b.image.defined) {
        let var = format!("{}-image-type", b.name);
        let platform = b.image.platform.unwrap_or("#f");
        match b.table {
            BoardTable::Mbr => {
                let _ = writeln!(
                    out,
                    "(define {var} (%board-image-type '{}-raw {} {} {platform}))",
                    b.name,
                    symbol_or_false(b.image.image_name),
                    b.root_offset
                );
            }
            BoardTable::Gpt => {
                let disk = format!("{}-disk-image", b.name);
                let parts: Vec<String> = b
                    .partitions
                    .iter()
                    .map(|p| {
                        format!(
                            "(list {} {} {} {})",
                            string(p.label),
                            p.offset,
                            p.size,
                            string(p.type_guid)
                        )
                    })
                    .collect();
                let _ = writeln!(
                    out,
                    "(define {disk} (%board-gpt-disk-image {} {platform} (list {})))",
                    symbol_or_false(b.image.image_name),
                    parts.join(" ")
                );
                let _ = writeln!(
                    out,
                    "(define {var} (image-type (name '{}-raw) (constructor (cut image-with-os {disk} <>))))",
                    b.name
                );
            }
        }
        names.push(var);
    }
    let _ = writeln!(
        out,
        "(define %%board-image-types (list {}))",
        names.join(" ")
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_are_replaced_and_other_text_kept() {
        let text = "; a\n  (%ingot-table image-formats)\n(%ingot-table nothing)\n";
        let out = expand(text);
        assert!(out.starts_with("; a\n(define %image-formats '(disk-image compressed-qcow2"));
        assert!(out.contains("(define %%image-formats-quoted \"'disk-image 'compressed-qcow2"));
        assert!(out.ends_with("(%ingot-table nothing)\n"));
        assert!(matches!(expand("(define x 1)\n"), Cow::Borrowed(_)));
    }

    #[test]
    fn boards_follow_the_table() {
        let text = boards();
        assert!(text.contains(
            "(define rock64-image-type (%board-image-type 'rock64-raw 'rock64-disk-image 16777216 aarch64-linux))"
        ));
        assert!(text.contains("(define unmatched-disk-image (%board-gpt-disk-image 'unmatched-disk-image #f (list (list \"spl\" 17408 1048576"));
        // Guix's am335x-evm-raw gives its image no name.
        assert!(text.contains(
            "(define am335x-evm-image-type (%board-image-type 'am335x-evm-raw #f 4194304 armv7-linux))"
        ));
    }
}
