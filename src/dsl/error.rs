//! Errors of the DSL: one line saying what and where (FILE:LINE:COLUMN), then a hint.

use std::fmt;
use std::path::PathBuf;

use crate::model::SourceLoc;

/// A record form is wrong: a field fails its check, is unknown, given twice or missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordError {
    pub location: Option<SourceLoc>,
    /// The record type: "partition", "image", "operating-system", …
    pub record: String,
    pub field: Option<String>,
    pub message: String,
    /// The offending value, printed as Scheme writes it.
    pub value: Option<String>,
    pub hint: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum DslError {
    #[error("{}", render(.0.location.as_ref(), &record_head(&.0.record, .0.field.as_deref(), &.0.message, .0.value.as_deref()), .0.hint.as_deref()))]
    Record(Box<RecordError>),
    /// The source cannot be read as Scheme (unbalanced parentheses, bad token, …).
    #[error("{}", render(Some(location), &format!("syntax error: {message}"), hint.as_deref()))]
    Syntax {
        location: SourceLoc,
        message: String,
        hint: Option<String>,
    },
    /// Evaluating the Scheme failed (type error, arity error, `error` called, …).
    #[error("{}", render(location.as_ref(), message, hint.as_deref()))]
    Eval {
        location: Option<SourceLoc>,
        message: String,
        hint: Option<String>,
    },
    /// The evaluated value cannot become an image (wrong kind of value, unusable field).
    #[error("{}", render(location.as_ref(), message, hint.as_deref()))]
    Value {
        location: Option<SourceLoc>,
        message: String,
        hint: Option<String>,
    },
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The embedded Scheme could not be set up (a bug in ingot's prelude).
    #[error("internal error: the Scheme prelude failed to load: {0}")]
    Prelude(String),
}

impl DslError {
    /// Where in the user's source the problem is, when known.
    pub fn location(&self) -> Option<&SourceLoc> {
        match self {
            DslError::Record(r) => r.location.as_ref(),
            DslError::Eval { location, .. } | DslError::Value { location, .. } => location.as_ref(),
            DslError::Syntax { location, .. } => Some(location),
            DslError::Read { .. } | DslError::Prelude(_) => None,
        }
    }

    pub(crate) fn value(location: Option<SourceLoc>, message: impl Into<String>) -> Self {
        DslError::Value {
            location,
            message: message.into(),
            hint: None,
        }
    }

    pub(crate) fn with_hint(mut self, new_hint: impl Into<String>) -> Self {
        match &mut self {
            DslError::Record(r) => r.hint = Some(new_hint.into()),
            DslError::Syntax { hint, .. }
            | DslError::Eval { hint, .. }
            | DslError::Value { hint, .. } => *hint = Some(new_hint.into()),
            DslError::Read { .. } | DslError::Prelude(_) => {}
        }
        self
    }
}

fn record_head(record: &str, field: Option<&str>, message: &str, value: Option<&str>) -> String {
    let mut s = String::from(record);
    if let Some(field) = field {
        s.push_str(": field ");
        s.push_str(field);
    }
    s.push_str(": ");
    s.push_str(message);
    if let Some(value) = value {
        s.push_str(" (got ");
        s.push_str(value);
        s.push(')');
    }
    s
}

fn render(location: Option<&SourceLoc>, head: &str, hint: Option<&str>) -> String {
    let mut s = String::new();
    if let Some(loc) = location {
        s.push_str(&loc.to_string());
        s.push_str(": ");
    }
    s.push_str(&user_names(head));
    if let Some(hint) = hint {
        s.push_str("\n  hint: ");
        s.push_str(&user_names(hint));
    }
    s
}

/// The names ingot renames the user's text to before Steel reads it, with the user's.
const INTERNAL_SPELLINGS: &[(&str, &str)] = &[
    ("%modul", "module"),
    ("%bootloadr", "bootloader"),
    ("%ingot-fn", "fn"),
    ("%ingot-defn", "defn"),
];

/// `text` with every internal spelling of a user's name (see `rewrite` and `source`) written
/// as the user wrote it: a message never shows a name the user did not write.
pub(crate) fn user_names(text: &str) -> String {
    let delimiter = |c: char| c.is_whitespace() || "()[]{}\"'`,;".contains(c);
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('%') {
        let (before, from) = rest.split_at(at);
        out.push_str(before);
        let token_start = out.chars().next_back().is_none_or(delimiter);
        // A `?` or `.` after the name is the sentence's.
        let name_char = |c: char| c.is_alphanumeric() || "-_%*/<>=!+:".contains(c);
        let whole =
            |i: &str| from.starts_with(i) && !from[i.len()..].chars().next().is_some_and(name_char);
        match INTERNAL_SPELLINGS.iter().find(|(i, _)| whole(i)) {
            Some((internal, user)) if token_start => {
                out.push_str(user);
                rest = &from[internal.len()..];
            }
            _ => {
                out.push('%');
                rest = &from[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A non-fatal remark about the definition (what ingot ignored, unknown names).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub message: String,
    pub location: Option<SourceLoc>,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(loc) = &self.location {
            write!(f, "{loc}: ")?;
        }
        write!(f, "warning: {}", user_names(&self.message))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_names_read_as_the_user_wrote_them() {
        assert_eq!(
            user_names("did you mean %modul? w fields: %modul, (%ingot-fn x) '%ingot-defn"),
            "did you mean module? w fields: module, (fn x) 'defn"
        );
        assert_eq!(
            user_names("%module-get% a%modul %modulx 100% %ingot-defn"),
            "%module-get% a%modul %modulx 100% defn"
        );
    }

    #[test]
    fn record_errors_read_as_one_line_plus_hint() {
        let e = DslError::Record(Box::new(RecordError {
            location: Some(SourceLoc {
                file: "img.scm".into(),
                line: 3,
                column: 5,
            }),
            record: "partition".into(),
            field: Some("size".into()),
            message: "expected a size in bytes".into(),
            value: Some("\"40M\"".into()),
            hint: Some("write (* 40 (expt 2 20))".into()),
        }));
        assert_eq!(
            e.to_string(),
            "img.scm:3:5: partition: field size: expected a size in bytes (got \"40M\")\n  hint: write (* 40 (expt 2 20))"
        );
        assert_eq!(e.location().map(|l| l.line), Some(3));
    }
}
