//! `ingot repl`: read Scheme, evaluate it with the DSL, print the result.
//!
//! Input continues over several lines while parentheses are open; lines typed ahead or pasted
//! are each read and evaluated; comment-only input is skipped. Errors are printed in the CLI's
//! format and the session goes on; a name used but not defined is an error with a
//! did-you-mean. `(show IMG)` prints a plan and `(build IMG "FILE")` writes an image, both
//! through the caller's [`Actions`] (the CLI's own code path). `,help` lists the commands.
//! History lives in `$XDG_STATE_HOME/ingot/history` (default `~/.local/state/ingot/history`).

mod commands;
mod complete;

use std::cell::RefCell;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;

use crate::dsl::{Dsl, DslError, Evaluated, ReplOutcome};
use crate::model;
use commands::Command;

#[derive(Debug, thiserror::Error)]
pub enum ReplError {
    #[error("the line editor failed: {0}")]
    Editor(#[from] ReadlineError),
    #[error("cannot write to the terminal: {0}")]
    Output(#[from] std::io::Error),
}

const PROMPT: &str = "ingot> ";
const CONTINUATION: &str = "  ...> ";
/// The name the loaded file's value is bound to.
pub const FILE_VALUE: &str = "%value";

/// What `(show …)` and `(build …)` do: the CLI's plan and build, with its overrides.
pub trait Actions {
    /// The plan of `image` as `ingot show` prints it (or the error, formatted).
    fn show(&self, image: &model::Image) -> String;
    /// Writes `image` to `path` as `ingot build -o` does; returns what to print.
    fn build(&self, image: &model::Image, path: &Path) -> String;
}

/// Where input lines come from: the terminal, or a script in tests.
pub trait LineSource {
    /// The next line, or `None` at end of input (Ctrl-D). `Err(Interrupted)` abandons the
    /// current input (Ctrl-C).
    fn read_line(&mut self, prompt: &str) -> Result<Option<String>, ReadlineError>;
    fn add_history(&mut self, _entry: &str) {}
    /// Told the names bound and the form typed so far, for completion.
    fn context(&mut self, _names: &[String], _pending: &str) {}
}

struct Terminal {
    editor: rustyline::Editor<complete::ReplHelper, DefaultHistory>,
    state: Rc<RefCell<complete::State>>,
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

    fn context(&mut self, names: &[String], pending: &str) {
        let mut state = self.state.borrow_mut();
        if state.names.len() != names.len() {
            state.names = names.to_vec();
        }
        state.pending = pending.to_string();
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

/// Runs the REPL on the terminal. When `file` is given it is evaluated first: its definitions
/// are available and its value is bound to `%value`.
pub fn run(dsl: Dsl, file: Option<&Path>, actions: &dyn Actions) -> Result<(), ReplError> {
    // In the REPL stdout is the conversation: a definition's display belongs there.
    crate::dsl::set_default_output_stdout(true);
    let state = Rc::new(RefCell::new(complete::State::default()));
    let config = rustyline::Config::builder()
        .completion_type(rustyline::CompletionType::List)
        .auto_add_history(false)
        .build();
    let mut editor = rustyline::Editor::with_config(config)?;
    editor.set_helper(Some(complete::ReplHelper {
        state: state.clone(),
    }));
    let history = history_path();
    if let Some(path) = &history {
        // A missing history file is the normal first run.
        let _ = editor.load_history(path);
    }
    let mut terminal = Terminal { editor, state };
    let mut out = std::io::stdout();
    let result = run_with(dsl, file, actions, &mut terminal, &mut out);
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

struct Session<'a> {
    dsl: Dsl,
    actions: &'a dyn Actions,
    /// Names the user defined, for ,help, ,describe and did-you-mean.
    defined: Vec<String>,
    prelude_names: Vec<String>,
}

/// The loop itself, over any line source and output.
pub fn run_with(
    dsl: Dsl,
    file: Option<&Path>,
    actions: &dyn Actions,
    input: &mut dyn LineSource,
    out: &mut dyn Write,
) -> Result<(), ReplError> {
    let prelude_names = dsl.bound_names();
    let mut s = Session {
        dsl,
        actions,
        defined: Vec::new(),
        prelude_names,
    };
    writeln!(
        out,
        ";; ingot REPL: Scheme with ingot's definitions. ,help for commands, Ctrl-D to leave."
    )?;
    if let Some(file) = file {
        s.load(file, out)?;
    }
    let mut buffer = String::new();
    loop {
        let prompt = if buffer.is_empty() {
            PROMPT
        } else {
            CONTINUATION
        };
        let mut names = s.prelude_names.clone();
        names.extend(s.defined.iter().cloned());
        input.context(&names, &buffer);
        let line = match input.read_line(prompt) {
            Ok(Some(line)) => line,
            Ok(None) => {
                writeln!(out, "bye")?;
                break;
            }
            Err(ReadlineError::Interrupted) => {
                if !buffer.is_empty() {
                    writeln!(out, ";; input abandoned")?;
                }
                buffer.clear();
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        if buffer.is_empty() && line.trim_start().starts_with(',') {
            input.add_history(line.trim());
            if !s.command(line.trim(), out)? {
                writeln!(out, "bye")?;
                break;
            }
            continue;
        }
        buffer.push_str(&line);
        buffer.push('\n');
        if !crate::dsl::is_complete(&buffer) {
            continue;
        }
        let text = std::mem::take(&mut buffer);
        if !crate::dsl::has_expression(&text) {
            continue;
        }
        input.add_history(text.trim_end());
        s.evaluate(&text, out)?;
        out.flush()?;
        // What `display` wrote went to the process's stdout: end its line, or the prompt
        // would be drawn over it.
        let mut stdout = std::io::stdout();
        if crate::dsl::take_open_output_line() {
            writeln!(stdout)?;
        }
        stdout.flush()?;
    }
    Ok(())
}

impl Session<'_> {
    fn load(&mut self, file: &Path, out: &mut dyn Write) -> std::io::Result<()> {
        match self.dsl.eval_file(file) {
            Ok(value) => {
                self.print_warnings(out)?;
                let what = match value {
                    Evaluated::Image(_) => "an image",
                    Evaluated::OperatingSystem(_) => "an operating-system",
                };
                let text = std::fs::read_to_string(file).unwrap_or_default();
                match self.dsl.bind_file_value(FILE_VALUE, &text) {
                    Ok(()) => writeln!(
                        out,
                        ";; {} evaluates to {what}, bound to {FILE_VALUE}: (show {FILE_VALUE}), \
                         (build {FILE_VALUE} \"out.img\")",
                        file.display()
                    )?,
                    Err(e) => print_error(&e, out)?,
                }
                self.refresh_defined();
            }
            Err(e) => print_error(&e, out)?,
        }
        Ok(())
    }

    fn refresh_defined(&mut self) {
        let prelude = &self.prelude_names;
        self.defined = self
            .dsl
            .bound_names()
            .into_iter()
            .filter(|n| prelude.binary_search(n).is_err() && !self.dsl.is_placeholder(n))
            .collect();
    }

    /// Runs a `,` command; false to quit.
    fn command(&mut self, line: &str, out: &mut dyn Write) -> std::io::Result<bool> {
        match commands::parse(line) {
            Ok(Command::Quit) => return Ok(false),
            Ok(Command::Help) => write!(out, "{}", commands::help(&self.defined))?,
            Ok(Command::Apropos(word)) => {
                write!(out, "{}", commands::apropos(word, &self.defined))?
            }
            Ok(Command::Describe(name)) => {
                match commands::describe(&mut self.dsl, name, &self.defined) {
                    Ok(text) => write!(out, "{text}")?,
                    Err(e) => writeln!(out, "error: {e}")?,
                }
            }
            Ok(Command::Type(expr)) => match self.dsl.type_of(expr) {
                Ok(t) => writeln!(out, "{t}")?,
                Err(e) => print_error(&e, out)?,
            },
            Err(message) => writeln!(out, "error: {message}")?,
        }
        Ok(true)
    }

    fn evaluate(&mut self, text: &str, out: &mut dyn Write) -> std::io::Result<()> {
        let outcome = self.dsl.eval_repl(text);
        let unknown = self.dsl.unknown_names().to_vec();
        let defines = text.trim_start().starts_with("(define");
        if !unknown.is_empty() && !defines {
            // In a file an unknown name may be a Guix package ingot need not know; typed
            // here it is a mistake.
            for name in &unknown {
                writeln!(out, "error: {}", self.unknown_message(text, name))?;
            }
            self.refresh_defined();
            return Ok(());
        }
        match outcome {
            Ok(ReplOutcome::Value(printed)) => {
                self.print_warnings(out)?;
                if !printed.is_empty() {
                    writeln!(out, "{printed}")?;
                }
            }
            Ok(ReplOutcome::Show(image)) => {
                self.print_warnings(out)?;
                write!(out, "{}", self.actions.show(&image))?;
            }
            Ok(ReplOutcome::Build(image, path)) => {
                self.print_warnings(out)?;
                out.flush()?;
                write!(out, "{}", self.actions.build(&image, &path))?;
            }
            Err(e) => print_error(&e, out)?,
        }
        self.refresh_defined();
        Ok(())
    }

    fn unknown_message(&self, text: &str, name: &str) -> String {
        let input = format!("<repl-{}>", self.dsl_inputs());
        let at = text
            .match_indices(name)
            .find(|(i, _)| {
                let before = text[..*i].chars().last();
                let after = text[i + name.len()..].chars().next();
                let delimiter =
                    |c: Option<char>| c.is_none_or(|c| c.is_whitespace() || "()[]'".contains(c));
                delimiter(before) && delimiter(after)
            })
            .map(|(i, _)| {
                let (line, col) = crate::dsl::line_column(text, i);
                format!("{input}:{line}:{col}: ")
            })
            .unwrap_or_default();
        let names = self
            .prelude_names
            .iter()
            .chain(self.defined.iter())
            .map(String::as_str)
            .filter(|n| *n != name);
        match commands::near(name, names).first() {
            Some(c) => format!("{at}unbound name `{name}`\n  hint: did you mean `{c}`?"),
            None => format!("{at}unbound name `{name}` (,apropos WORD searches the definitions)"),
        }
    }

    fn dsl_inputs(&self) -> usize {
        self.dsl.repl_inputs()
    }

    fn print_warnings(&self, out: &mut dyn Write) -> std::io::Result<()> {
        // As the CLI prints them: "warning: FILE:LINE:COL: message".
        for w in self.dsl.warnings() {
            match &w.location {
                Some(l) => writeln!(out, "warning: {l}: {}", w.message)?,
                None => writeln!(out, "warning: {}", w.message)?,
            }
        }
        Ok(())
    }
}

fn print_error(e: &DslError, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "error: {e}")
}

#[cfg(test)]
mod tests;
