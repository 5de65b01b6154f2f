//! `ingot repl`: read Scheme, evaluate it with the DSL, print the result.
//!
//! Input continues over several lines while parentheses are open. Errors are printed and the
//! session goes on. `(show IMG)` (or `(show OS 'efi-raw)`) prints the plan of an image with the
//! renderer the caller passes. `,q` or Ctrl-D quits. History lives in
//! `$XDG_STATE_HOME/ingot/history` (default `~/.local/state/ingot/history`).

use std::io::Write;
use std::path::{Path, PathBuf};

use rustyline::error::ReadlineError;

use crate::dsl::{Dsl, DslError, Evaluated, ReplOutcome};
use crate::model;

#[derive(Debug, thiserror::Error)]
pub enum ReplError {
    #[error("the line editor failed: {0}")]
    Editor(#[from] ReadlineError),
    #[error("cannot write to the terminal: {0}")]
    Output(#[from] std::io::Error),
}

const PROMPT: &str = "ingot> ";
const CONTINUATION: &str = "  ...> ";

/// Where input lines come from: the terminal, or a script in tests.
pub trait LineSource {
    /// The next line, or `None` at end of input (Ctrl-D). `Err(Interrupted)` abandons the
    /// current input (Ctrl-C).
    fn read_line(&mut self, prompt: &str) -> Result<Option<String>, ReadlineError>;
    fn add_history(&mut self, _entry: &str) {}
}

struct Terminal {
    editor: rustyline::DefaultEditor,
}

impl LineSource for Terminal {
    fn read_line(&mut self, prompt: &str) -> Result<Option<String>, ReadlineError> {
        match self.editor.readline(prompt) {
            Ok(line) => Ok(Some(line)),
            Err(ReadlineError::Eof) => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn add_history(&mut self, entry: &str) {
        // History is a convenience: an entry that cannot be added is not worth a message.
        let _ = self.editor.add_history_entry(entry);
    }
}

/// The history file: `$XDG_STATE_HOME/ingot/history`, else `~/.local/state/ingot/history`.
pub fn history_path() -> Option<PathBuf> {
    let state = std::env::var_os("XDG_STATE_HOME")
        .filter(|s| !s.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/state")))?;
    Some(state.join("ingot").join("history"))
}

/// Runs the REPL on the terminal. When `file` is given it is evaluated first and its
/// definitions are available.
pub fn run(
    dsl: Dsl,
    file: Option<&Path>,
    show: &dyn Fn(&model::Image) -> String,
) -> Result<(), ReplError> {
    let mut editor = rustyline::DefaultEditor::new()?;
    let history = history_path();
    if let Some(path) = &history {
        // A missing history file is the normal first run.
        let _ = editor.load_history(path);
    }
    let mut terminal = Terminal { editor };
    let mut out = std::io::stdout();
    let result = run_with(dsl, file, show, &mut terminal, &mut out);
    if let Some(path) = &history {
        let saved = path
            .parent()
            .map(std::fs::create_dir_all)
            .unwrap_or(Ok(()))
            .map_err(ReadlineError::Io)
            .and_then(|_| terminal.editor.save_history(path));
        if let Err(e) = saved {
            eprintln!(
                "warning: cannot save the REPL history to {}: {e}",
                path.display()
            );
        }
    }
    result
}

/// The loop itself, over any line source and output.
pub fn run_with(
    mut dsl: Dsl,
    file: Option<&Path>,
    show: &dyn Fn(&model::Image) -> String,
    input: &mut dyn LineSource,
    out: &mut dyn Write,
) -> Result<(), ReplError> {
    if let Some(file) = file {
        match dsl.eval_file(file) {
            Ok(value) => {
                print_warnings(&dsl, out)?;
                let what = match value {
                    Evaluated::Image(_) => "an image",
                    Evaluated::OperatingSystem(_) => "an operating-system",
                };
                writeln!(out, ";; {} evaluates to {what}", file.display())?;
            }
            Err(e) => print_error(&e, out)?,
        }
    }
    let mut buffer = String::new();
    loop {
        let prompt = if buffer.is_empty() {
            PROMPT
        } else {
            CONTINUATION
        };
        let line = match input.read_line(prompt) {
            Ok(Some(line)) => line,
            Ok(None) => break,
            Err(ReadlineError::Interrupted) => {
                buffer.clear();
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        if buffer.is_empty() {
            match line.trim() {
                "" => continue,
                ",q" | ",quit" | ",exit" => break,
                ",h" | ",help" => {
                    writeln!(out, "{HELP}")?;
                    continue;
                }
                _ => {}
            }
        }
        buffer.push_str(&line);
        buffer.push('\n');
        if !crate::dsl::is_complete(&buffer) {
            continue;
        }
        let text = std::mem::take(&mut buffer);
        input.add_history(text.trim_end());
        match dsl.eval_repl(&text) {
            Ok(ReplOutcome::Value(printed)) => {
                print_warnings(&dsl, out)?;
                if !printed.is_empty() {
                    writeln!(out, "{printed}")?;
                }
            }
            Ok(ReplOutcome::Show(image)) => {
                print_warnings(&dsl, out)?;
                writeln!(out, "{}", show(image.as_ref()))?;
            }
            Err(e) => print_error(&e, out)?,
        }
    }
    Ok(())
}

const HELP: &str = "Scheme expressions are evaluated as in a definition file.
  (show IMAGE)            print the plan of an image
  (show OS 'efi-raw)      the same for an operating-system made into an image of that type
  ,q  or Ctrl-D           quit";

fn print_warnings(dsl: &Dsl, out: &mut dyn Write) -> std::io::Result<()> {
    for w in dsl.warnings() {
        writeln!(out, "{w}")?;
    }
    Ok(())
}

fn print_error(e: &DslError, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "error: {e}")
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Script(std::collections::VecDeque<&'static str>, Vec<String>);

    impl LineSource for Script {
        fn read_line(&mut self, _prompt: &str) -> Result<Option<String>, ReadlineError> {
            Ok(self.0.pop_front().map(str::to_string))
        }
        fn add_history(&mut self, entry: &str) {
            self.1.push(entry.to_string());
        }
    }

    fn session(lines: &[&'static str]) -> (String, Vec<String>) {
        let dsl = Dsl::new().unwrap();
        let mut script = Script(lines.iter().copied().collect(), Vec::new());
        let mut out = Vec::new();
        let show = |img: &model::Image| format!("PLAN with {} partitions", img.partitions.len());
        run_with(dsl, None, &show, &mut script, &mut out).unwrap();
        (String::from_utf8(out).unwrap(), script.1)
    }

    #[test]
    fn evaluates_multi_line_input_and_shows_images() {
        let (out, history) = session(&[
            "(define p (partition",
            "  (label \"data\")",
            "  (size 4096)))",
            "(partition-size p)",
            "(show efi-disk-image)",
            "(show (operating-system (host-name \"h\")",
            "  (bootloader (bootloader-configuration (bootloader grub-efi-bootloader)))",
            "  (file-systems '())) 'efi-raw)",
            ",q",
            "(partition-size p)",
        ]);
        assert!(out.contains("4096"), "{out}");
        assert_eq!(out.matches("PLAN with 2 partitions").count(), 2, "{out}");
        assert!(!out.contains("error"), "{out}");
        assert_eq!(history.len(), 4);
        assert!(history[0].contains("(label \"data\")"));
    }

    #[test]
    fn errors_do_not_end_the_session() {
        let (out, _) = session(&[
            "(partition (lable \"x\"))",
            "(car '())",
            "(+ 1 2)",
            "(show 42)",
        ]);
        assert!(
            out.contains("error: <repl-1>:1:12: partition: field lable: no such field"),
            "{out}"
        );
        assert!(out.contains("\n3\n"), "{out}");
        assert!(
            out.contains("expected an image or an operating-system"),
            "{out}"
        );
    }

    #[test]
    fn a_name_used_before_its_definition_can_be_defined_later() {
        let (out, _) = session(&["(twice 21)", "(define (twice x) (* 2 x))", "(twice 21)"]);
        assert!(out.contains("#<unknown (twice …)>"), "{out}");
        assert!(out.contains("\n42\n"), "{out}");
    }

    #[test]
    fn history_path_follows_xdg_state_home() {
        // Only reads the environment; the variables are the process's own.
        if let Some(p) = history_path() {
            assert!(p.ends_with("ingot/history"));
        }
    }
}
