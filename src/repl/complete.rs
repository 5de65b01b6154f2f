//! Tab completion: every bound name, the REPL's commands after `,`, and a record's field names
//! (and `inherit`) at the head of a clause inside that record's form.

use std::cell::RefCell;
use std::rc::Rc;

use rustyline::completion::{Completer, Pair};
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::validate::Validator;
use rustyline::{Context, Helper};

use crate::reference::{self, Kind};

/// What completion knows, shared with the loop: bound names (refreshed after each input) and
/// the lines of the form being typed before the current one.
#[derive(Default)]
pub struct State {
    pub names: Vec<String>,
    pub pending: String,
}

pub struct ReplHelper {
    pub state: Rc<RefCell<State>>,
}

pub const COMMANDS: [&str; 5] = [",help", ",apropos", ",describe", ",type", ",quit"];

fn is_delimiter(c: char) -> bool {
    c.is_whitespace() || "()[]'\"`,;".contains(c)
}

/// The heads of the forms open at the end of `text`, innermost last ("" for a form whose head
/// is not a name yet).
fn open_heads(text: &str) -> Vec<String> {
    let mut stack: Vec<String> = Vec::new();
    let mut chars = text.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            match c {
                '\\' => {
                    chars.next();
                }
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            ';' => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            '(' | '[' => {
                let mut head = String::new();
                while let Some(&n) = chars.peek() {
                    if is_delimiter(n) {
                        break;
                    }
                    head.push(n);
                    chars.next();
                }
                stack.push(head);
            }
            ')' | ']' => {
                stack.pop();
            }
            _ => {}
        }
    }
    stack
}

/// Candidates for the word ending at the end of `before` (the whole input so far).
pub fn candidates(state: &State, before: &str) -> (usize, Vec<String>) {
    let start = before
        .char_indices()
        .rev()
        .find(|(_, c)| is_delimiter(*c) && *c != ',')
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = &before[start..];
    if word.starts_with(',') {
        let found = COMMANDS
            .iter()
            .filter(|c| c.starts_with(word))
            .map(|c| c.to_string())
            .collect();
        return (start, found);
    }
    let at_head = before[..start].ends_with(['(', '[']);
    let heads = open_heads(&before[..start]);
    // `(partition (la|`: the open forms are "partition" and "la"; the clause's record is the
    // one just outside the clause being typed.
    let record = if at_head && heads.len() >= 2 {
        reference::find(&heads[heads.len() - 2]).and_then(|e| match &e.kind {
            Kind::Record(fields) => Some(fields),
            _ => None,
        })
    } else {
        None
    };
    let mut found: Vec<String> = match record {
        Some(fields) => std::iter::once("inherit".to_string())
            .chain(fields.iter().map(|f| f.name.clone()))
            .filter(|n| n.starts_with(word))
            .collect(),
        None => state
            .names
            .iter()
            .chain(reference::entries().iter().map(|e| &e.name))
            .filter(|n| n.starts_with(word))
            .cloned()
            .collect(),
    };
    found.sort();
    found.dedup();
    (start, found)
}

impl Completer for ReplHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let state = self.state.borrow();
        let before = format!("{}{}", state.pending, &line[..pos]);
        let (start, found) = candidates(&state, &before);
        let start = start.saturating_sub(state.pending.len()).min(pos);
        Ok((
            start,
            found
                .into_iter()
                .map(|c| Pair {
                    display: c.clone(),
                    replacement: c,
                })
                .collect(),
        ))
    }
}

impl Hinter for ReplHelper {
    type Hint = String;
}
impl Highlighter for ReplHelper {}
impl Validator for ReplHelper {}
impl Helper for ReplHelper {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fields_and_commands() {
        let state = State {
            names: vec!["my-disk".into(), "my-os".into()],
            pending: String::new(),
        };
        let (at, found) = candidates(&state, "(show my-");
        assert_eq!((at, found), (6, vec!["my-disk".into(), "my-os".into()]));
        let (_, found) = candidates(&state, "(partition (inherit esp-partition) (la");
        assert_eq!(found, ["label"]);
        let (_, found) = candidates(&state, "(partition (in");
        assert_eq!(found, ["inherit", "initializer"]);
        let (_, found) = candidates(&state, "(image (format 'disk-image) (part");
        assert_eq!(found, ["partition-table-type", "partitions"]);
        // Not at a clause head: names, not fields.
        let (_, found) = candidates(&state, "(partition (label esp-p");
        assert!(found.contains(&"esp-partition".to_string()), "{found:?}");
        let (_, found) = candidates(&state, ",de");
        assert_eq!(found, [",describe"]);
        assert_eq!(open_heads("(a (b \"(\" ; (\n (c"), ["a", "b", "c"]);
    }
}
