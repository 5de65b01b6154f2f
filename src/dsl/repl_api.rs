//! What the REPL asks of a `Dsl` beyond evaluation: binding a value to a name, the names bound
//! (for completion and did-you-mean), the names the last input used without defining them.

use steel::SteelVal;

use super::{Dsl, DslError};

impl Dsl {
    /// Binds the value of a file already evaluated (its last top-level form, in `file_text`)
    /// to `name`, e.g. `%value`.
    pub fn bind_file_value(&mut self, name: &str, file_text: &str) -> Result<(), DslError> {
        let Some(last) = super::source::scan(file_text)
            .ok()
            .and_then(|s| s.forms.last().copied())
        else {
            return Ok(());
        };
        // Evaluated again as its own form: the same value, definitions being pure.
        let program = format!("(define {name} {})", &file_text[last.start..last.end]);
        let saved = std::mem::take(&mut self.warnings);
        let result = self.eval_text_as("<file value>", &program).map(|_| ());
        self.warnings = saved;
        result
    }

    /// Every name bound in the session: the prelude's and the user's.
    pub fn bound_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .engine
            .globals()
            .iter()
            .map(|n| n.resolve().to_string())
            .filter(|n| !n.starts_with('#') && !n.contains("__") && !n.starts_with("mangler"))
            .collect();
        names.sort();
        names.dedup();
        names
    }

    /// The names the last evaluation used without a definition (they became placeholders).
    pub fn unknown_names(&self) -> &[String] {
        &self.unknowns
    }

    /// Whether `name` is a placeholder made for an unknown name (not a real definition).
    pub fn is_placeholder(&self, name: &str) -> bool {
        self.placeholders.contains_key(name) || self.forwards.contains_key(name)
    }

    /// The value `name` is bound to, described for people; None when unbound.
    pub fn describe_name(&mut self, name: &str) -> Option<String> {
        let v: SteelVal = self.engine.extract_value(name).ok()?;
        Some(super::value::describe(&v))
    }
}

impl Dsl {
    /// Evaluates `expr` and names the type of its value: a record type (`partition`,
    /// `operating-system`, …) or a Scheme type.
    pub fn type_of(&mut self, expr: &str) -> Result<String, DslError> {
        self.inputs += 1;
        let name = format!("<repl-{}>", self.inputs);
        let v = self.eval_text_as(&name, expr)?;
        if let Some(record) = super::value::record_type(&v) {
            return Ok(format!("{record} record"));
        }
        if let Some(s) = super::value::struct_name(&v) {
            return Ok(s.trim_start_matches('%').to_string());
        }
        Ok(match v {
            SteelVal::BoolV(_) => "boolean",
            SteelVal::IntV(_) | SteelVal::BigNum(_) => "integer",
            SteelVal::NumV(_) => "real number",
            SteelVal::Rational(_) | SteelVal::BigRational(_) => "rational number",
            SteelVal::StringV(_) => "string",
            SteelVal::CharV(_) => "character",
            SteelVal::SymbolV(_) => "symbol",
            SteelVal::ListV(ref l) if l.is_empty() => "empty list",
            SteelVal::ListV(_) | SteelVal::Pair(_) => "list",
            SteelVal::VectorV(_) => "vector",
            SteelVal::HashMapV(_) => "hash table",
            SteelVal::Void => "no value",
            SteelVal::Closure(_)
            | SteelVal::FuncV(_)
            | SteelVal::BoxedFunction(_)
            | SteelVal::MutFunc(_)
            | SteelVal::BuiltIn(_) => "procedure",
            _ => "value",
        }
        .to_string())
    }
}

/// Whether `display`/`write` left the output line unfinished (cleared by the call).
pub fn take_open_output_line() -> bool {
    super::engine::take_open_output_line()
}

/// Ends a line `display`/`write` left unfinished on stderr, before ingot writes there.
pub fn end_open_error_line() {
    super::engine::end_open_error_line()
}

impl Dsl {
    /// How many REPL inputs were evaluated (the N of the last `<repl-N>`).
    pub fn repl_inputs(&self) -> usize {
        self.inputs
    }
}
