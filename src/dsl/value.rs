//! Reading Steel values from Rust: the prelude's structs (records, uuids, files, placeholders),
//! lists and atoms; and printing any value the way Scheme's `write` would, for messages.

use steel::SteelVal;

/// Fields of the prelude's structs, by position (see scheme/*.scm).
pub(crate) mod layout {
    pub const RECORD: &str = "%record";
    pub const RECORD_RTD: usize = 0;
    pub const RECORD_VALUES: usize = 1;
    pub const RECORD_GIVEN: usize = 2;
    pub const RECORD_LOCATION: usize = 3;
    /// `((FIELD SPAN) …)`: where each clause written (or inherited) is.
    pub const RECORD_SPANS: usize = 4;
    pub const RTD_NAME: usize = 0;
    pub const RTD_FIELDS: usize = 1;
    pub const FIELD_NAME: usize = 0;
    pub const UUID: &str = "%uuid";
    pub const LOCAL_FILE: &str = "%local-file";
    pub const PLAIN_FILE: &str = "%plain-file";
    pub const FS_LABEL: &str = "%file-system-label";
    pub const GEXP: &str = "%gexp";
    pub const PLATFORM: &str = "%platform";
    /// An image's operating-system field when no clause gave one (see scheme/image.scm).
    pub const NO_OS_CLAUSE: &str = "%no-os-clause";
    pub const INERT: &str = "%inert";
    pub const UNKNOWN: &str = "%unknown";
    pub const UNKNOWN_CALL: &str = "%unknown-call";
    /// One of Guile's standard output ports (base.scm): its procedure's name.
    pub const GUILE_PORT: &str = "%guile-port";
    /// How a placeholder is written (`#<unknown nss-certs>`, `#<unknown (f …)>`), also inside
    /// a string that display or format made of one.
    pub const UNKNOWN_SHOWN: &str = "#<unknown";
    pub const FORWARD: &str = "%forward";
    pub const TREE_ROOT: &str = "%tree-root";
    pub const SHOW: &str = "%show";
    pub const BUILD: &str = "%build";
}

/// The name of the prelude struct `v` is an instance of.
pub(crate) fn struct_name(v: &SteelVal) -> Option<String> {
    match v {
        SteelVal::CustomStruct(s) => Some(s.name().resolve().to_string()),
        _ => None,
    }
}

pub(crate) fn is_struct(v: &SteelVal, name: &str) -> bool {
    matches!(v, SteelVal::CustomStruct(s) if s.name().resolve() == name)
}

/// Field `index` of a struct value.
pub(crate) fn struct_field(v: &SteelVal, index: usize) -> Option<SteelVal> {
    match v {
        SteelVal::CustomStruct(s) => s.get_index(index).cloned(),
        _ => None,
    }
}

/// The elements of a proper list (`'()` is empty), or None.
pub(crate) fn list_items(v: &SteelVal) -> Option<Vec<SteelVal>> {
    match v {
        SteelVal::ListV(l) => Some(l.iter().cloned().collect()),
        _ => None,
    }
}

pub(crate) fn as_str(v: &SteelVal) -> Option<&str> {
    match v {
        SteelVal::StringV(s) => Some(s.as_str()),
        _ => None,
    }
}

pub(crate) fn as_symbol(v: &SteelVal) -> Option<&str> {
    match v {
        SteelVal::SymbolV(s) => Some(s.as_str()),
        _ => None,
    }
}

pub(crate) fn as_bool(v: &SteelVal) -> Option<bool> {
    match v {
        SteelVal::BoolV(b) => Some(*b),
        _ => None,
    }
}

pub(crate) fn is_false(v: &SteelVal) -> bool {
    matches!(v, SteelVal::BoolV(false))
}

/// An exact integer as i128 (Steel keeps small ones as IntV, large ones as bignums).
pub(crate) fn as_integer(v: &SteelVal) -> Option<i128> {
    match v {
        SteelVal::IntV(n) => Some(*n as i128),
        SteelVal::BigNum(n) => n.to_string().parse().ok(),
        _ => None,
    }
}

/// A real number as f64: an integer, a float or a ratio.
pub(crate) fn as_real(v: &SteelVal) -> Option<f64> {
    match v {
        SteelVal::IntV(n) => Some(*n as f64),
        SteelVal::NumV(f) => Some(*f),
        SteelVal::Rational(r) => Some(f64::from(*r.numer()) / f64::from(*r.denom())),
        SteelVal::BigNum(n) => n.to_string().parse().ok(),
        _ => None,
    }
}

/// A record value: its type name.
pub(crate) fn record_type(v: &SteelVal) -> Option<String> {
    if !is_struct(v, layout::RECORD) {
        return None;
    }
    let rtd = struct_field(v, layout::RECORD_RTD)?;
    struct_field(&rtd, layout::RTD_NAME).and_then(|n| as_symbol(&n).map(str::to_string))
}

fn record_field_names(v: &SteelVal) -> Vec<String> {
    struct_field(v, layout::RECORD_RTD)
        .and_then(|rtd| struct_field(&rtd, layout::RTD_FIELDS))
        .and_then(|f| list_items(&f))
        .unwrap_or_default()
        .iter()
        .filter_map(|f| struct_field(f, layout::FIELD_NAME))
        .filter_map(|n| as_symbol(&n).map(str::to_string))
        .collect()
}

/// The value of field `name` of a record.
pub(crate) fn record_get(v: &SteelVal, name: &str) -> Option<SteelVal> {
    let names = record_field_names(v);
    let index = names.iter().position(|n| n == name)?;
    let values = list_items(&struct_field(v, layout::RECORD_VALUES)?)?;
    values.get(index).cloned()
}

/// The fields written explicitly in the record's form (or in the forms it inherits from).
pub(crate) fn record_given(v: &SteelVal) -> Vec<String> {
    struct_field(v, layout::RECORD_GIVEN)
        .and_then(|g| list_items(&g))
        .unwrap_or_default()
        .iter()
        .filter_map(|n| as_symbol(n).map(str::to_string))
        .collect()
}

/// A span as `#%syntax-span` gives it: `(start end source-id)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RawSpan {
    pub start: usize,
    pub source: u32,
}

pub(crate) fn as_span(v: &SteelVal) -> Option<RawSpan> {
    let items = list_items(v)?;
    match items.as_slice() {
        [start, _end, source] => Some(RawSpan {
            start: usize::try_from(as_integer(start)?).ok()?,
            source: u32::try_from(as_integer(source)?).ok()?,
        }),
        _ => None,
    }
}

pub(crate) fn record_span(v: &SteelVal) -> Option<RawSpan> {
    struct_field(v, layout::RECORD_LOCATION).and_then(|s| as_span(&s))
}

/// The span of the `(FIELD VALUE)` clause that gave a record's field, in its form or in the
/// form it inherits from; `None` for a default.
pub(crate) fn record_field_span(v: &SteelVal, field: &str) -> Option<RawSpan> {
    list_items(&struct_field(v, layout::RECORD_SPANS)?)?
        .iter()
        .filter_map(list_items)
        .find(|entry| entry.first().and_then(as_symbol) == Some(field))
        .and_then(|entry| entry.get(1).and_then(as_span))
}

/// The fields a record's clauses gave (in its form or the form it inherits from).
pub(crate) fn record_given_fields(v: &SteelVal) -> Vec<String> {
    struct_field(v, layout::RECORD_SPANS)
        .and_then(|spans| list_items(&spans))
        .unwrap_or_default()
        .iter()
        .filter_map(|entry| {
            list_items(entry)?
                .first()
                .and_then(as_symbol)
                .map(str::to_string)
        })
        .collect()
}

/// The name of a placeholder for something the user's file used but nobody defined.
pub(crate) fn unknown_name(v: &SteelVal) -> Option<String> {
    if is_struct(v, layout::UNKNOWN) || is_struct(v, layout::UNKNOWN_CALL) {
        struct_field(v, 0).and_then(|n| as_symbol(&n).map(str::to_string))
    } else {
        None
    }
}

/// How many values [`find_forward`] looks at before giving up: definitions are small, and a
/// huge or cyclic value must not stall evaluation.
const FORWARD_SCAN_LIMIT: usize = 200_000;

/// The name of a forward placeholder (a name the file defines later) held in `v` or in the
/// lists, vectors, pairs and records inside it; procedures are not looked into, since their
/// bodies read the name only when called, after the definition ran.
pub(crate) fn find_forward(v: &SteelVal) -> Option<String> {
    find_placeholder(v, layout::FORWARD, &|_| true)
}

/// The name of the first placeholder struct `layout_name` (forward or unknown) in `v` whose
/// name `wanted` accepts.
pub(crate) fn find_placeholder(
    v: &SteelVal,
    layout_name: &str,
    wanted: &dyn Fn(&str) -> bool,
) -> Option<String> {
    let mut stack = vec![v.clone()];
    let mut seen = 0usize;
    while let Some(v) = stack.pop() {
        seen += 1;
        if seen > FORWARD_SCAN_LIMIT {
            return None;
        }
        match &v {
            SteelVal::CustomStruct(s) => {
                if s.name().resolve() == layout_name {
                    let name = struct_field(&v, 0).and_then(|n| as_symbol(&n).map(str::to_string));
                    if name.as_deref().is_some_and(wanted) {
                        return name;
                    }
                }
                let mut i = 0;
                while let Some(field) = s.get_index(i) {
                    stack.push(field.clone());
                    i += 1;
                }
            }
            SteelVal::ListV(l) => stack.extend(l.iter().cloned()),
            SteelVal::VectorV(items) => stack.extend(items.iter().cloned()),
            SteelVal::Pair(p) => {
                stack.push(p.car());
                stack.push(p.cdr());
            }
            _ => {}
        }
    }
    None
}

/// How a forward placeholder ends when rendered: `#<NAME, used before its definition ran>`.
const FORWARD_RENDERED: &str = ", used before its definition ran>";

/// The name in a rendered forward placeholder (record failures carry values as text).
pub(crate) fn rendered_forward_name(rendered: &str) -> Option<&str> {
    rendered
        .strip_prefix("#<")
        .and_then(|r| r.strip_suffix(FORWARD_RENDERED))
}

const MAX_RENDER: usize = 120;

/// `v` printed as Scheme's `write` would, shortened for messages.
pub fn render(v: &SteelVal) -> String {
    let mut out = String::new();
    write_value(v, &mut out, 0);
    if out.chars().count() > MAX_RENDER {
        let cut: String = out.chars().take(MAX_RENDER - 1).collect();
        format!("{cut}…")
    } else {
        out
    }
}

/// A record with all its fields, one per line, for the REPL; other values as `render_full`.
pub fn describe(v: &SteelVal) -> String {
    let Some(ty) = record_type(v) else {
        return render_full(v);
    };
    let fields: Vec<String> = struct_field(v, layout::RECORD_RTD)
        .and_then(|rtd| struct_field(&rtd, layout::RTD_FIELDS))
        .and_then(|f| list_items(&f))
        .unwrap_or_default()
        .iter()
        .filter_map(|f| struct_field(f, layout::FIELD_NAME))
        .filter_map(|n| as_symbol(&n).map(str::to_string))
        .collect();
    let mut out = format!("#<{ty}");
    for name in fields {
        if let Some(value) = record_get(v, &name) {
            out.push_str(&format!("\n  ({name} {})", render(&value)));
        }
    }
    out.push('>');
    out
}

/// `v` printed as Scheme's `write` would, in full.
pub fn render_full(v: &SteelVal) -> String {
    let mut out = String::new();
    write_value(v, &mut out, 0);
    out
}

/// Longest string written in full; longer ones are cut (a value in a message, or a REPL
/// result, must not copy megabytes).
const MAX_STRING: usize = 4096;

fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for (i, c) in s.chars().enumerate() {
        if i == MAX_STRING {
            out.push('…');
            break;
        }
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A symbol as Guile's `write` and `display` print it (libguile/print.c): its name, or
/// `#{name}#` when the name would not read back as this symbol (empty, a number, a delimiter or
/// `#` in it, …); there characters other than letters, digits, punctuation, symbols and spaces
/// are `\xHEX;` and a backslash is doubled. Characters beyond ASCII count as letters unless
/// they are white space or control characters (Guile asks Unicode's categories).
pub(crate) fn write_symbol(name: &str, out: &mut String) {
    if !guile_extended_symbol(name) {
        out.push_str(name);
        return;
    }
    out.push_str("#{");
    for c in name.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            c if c == ' ' || (subsequent_char(c) && !c.is_whitespace()) => out.push(c),
            c => out.push_str(&format!("\\x{:x};", c as u32)),
        }
    }
    out.push_str("}#");
}

/// Whether Guile writes the symbol `name` as `#{name}#` (`symbol_has_extended_read_syntax`
/// with Guile's default read options: keywords only as `#:k`, no R7RS `|…|` symbols).
fn guile_extended_symbol(name: &str) -> bool {
    let Some(first) = name.chars().next() else {
        return true;
    };
    if name == "." || "'`,\";#".contains(first) {
        return true;
    }
    // Guile stops here for a name that starts or ends with `:` (a keyword under other options).
    if first == ':' || name.ends_with(':') {
        return false;
    }
    if guile_number(name) || first.is_ascii_digit() || !subsequent_char(first) {
        return true;
    }
    name.chars()
        .any(|c| !subsequent_char(c) || matches!(c, '"' | ';' | '#'))
}

/// A character of Unicode's letter, mark, number, punctuation or symbol categories but for the
/// brackets (Ps, Pe), Guile's "subsequent" characters of a symbol; approximated beyond ASCII.
fn subsequent_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_graphic() && !"()[]{}".contains(c)
    } else {
        !c.is_whitespace() && !c.is_control()
    }
}

/// Whether Guile's `string->number` reads `s` as a number: decimal reals (`-1`, `.5`, `1e3`,
/// `1/2`), `+inf.0`, `-nan.0`, and complex numbers written with them and `i`.
fn guile_number(s: &str) -> bool {
    fn ureal(s: &str) -> bool {
        if let Some((n, d)) = s.split_once('/') {
            return !n.is_empty()
                && !d.is_empty()
                && n.bytes().chain(d.bytes()).all(|b| b.is_ascii_digit());
        }
        let (mantissa, exponent) = match s.find(['e', 'E']) {
            Some(at) => (&s[..at], Some(&s[at + 1..])),
            None => (s, None),
        };
        let digits = mantissa.bytes().filter(u8::is_ascii_digit).count();
        let dots = mantissa.bytes().filter(|b| *b == b'.').count();
        digits > 0
            && dots <= 1
            && digits + dots == mantissa.len()
            && exponent.is_none_or(|e| {
                let e = e.strip_prefix(['+', '-']).unwrap_or(e);
                !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit())
            })
    }
    fn real(s: &str) -> bool {
        match s.strip_prefix(['+', '-']) {
            Some(rest) => rest == "inf.0" || rest == "nan.0" || ureal(rest),
            None => ureal(s),
        }
    }
    if real(s) {
        return true;
    }
    // a+bi, a-i, +i: the imaginary part starts at the last sign not after an exponent mark.
    let Some(im) = s.strip_suffix('i') else {
        return false;
    };
    let split = im
        .char_indices()
        .rev()
        .find(|(at, c)| matches!(c, '+' | '-') && !im[..*at].ends_with(['e', 'E']))
        .map(|(at, _)| at);
    match split {
        Some(at) => {
            let (re, imag) = im.split_at(at);
            (re.is_empty() || real(re)) && (imag.len() == 1 || real(imag))
        }
        None => false,
    }
}

fn write_list<'a>(items: impl Iterator<Item = &'a SteelVal>, out: &mut String, depth: usize) {
    out.push('(');
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if out.len() > MAX_RENDER * 2 {
            out.push('…');
            break;
        }
        write_value(item, out, depth + 1);
    }
    out.push(')');
}

fn write_value(v: &SteelVal, out: &mut String, depth: usize) {
    if depth > 8 {
        out.push('…');
        return;
    }
    match v {
        SteelVal::BoolV(true) => out.push_str("#t"),
        SteelVal::BoolV(false) => out.push_str("#f"),
        SteelVal::IntV(n) => out.push_str(&n.to_string()),
        SteelVal::BigNum(n) => out.push_str(&n.to_string()),
        SteelVal::NumV(x) => out.push_str(&format!("{x:?}")),
        SteelVal::StringV(s) => write_string(s.as_str(), out),
        SteelVal::SymbolV(s) => {
            // A quote tells a symbol from a string at the top; inside a list, data as written.
            if depth == 0 {
                out.push('\'');
            }
            write_symbol(s.as_str(), out);
        }
        SteelVal::CharV(c) => out.push_str(&format!("#\\{c}")),
        SteelVal::Void => out.push_str("#<unspecified>"),
        SteelVal::ListV(l) => {
            if l.is_empty() {
                out.push_str("'()");
            } else {
                write_list(l.iter(), out, depth);
            }
        }
        SteelVal::Pair(p) => {
            out.push('(');
            write_value(&p.car(), out, depth + 1);
            out.push_str(" . ");
            write_value(&p.cdr(), out, depth + 1);
            out.push(')');
        }
        SteelVal::VectorV(items) => {
            out.push('#');
            write_list(items.iter(), out, depth);
        }
        SteelVal::Closure(_)
        | SteelVal::FuncV(_)
        | SteelVal::BoxedFunction(_)
        | SteelVal::MutFunc(_)
        | SteelVal::BuiltIn(_)
        | SteelVal::ContinuationFunction(_) => out.push_str("#<procedure>"),
        SteelVal::CustomStruct(_) => write_struct(v, out, depth),
        other => out.push_str(&other.to_string()),
    }
}

fn write_struct(v: &SteelVal, out: &mut String, depth: usize) {
    let name = struct_name(v).unwrap_or_default();
    let field = |i| struct_field(v, i).unwrap_or(SteelVal::Void);
    match name.as_str() {
        layout::RECORD => {
            let ty = record_type(v).unwrap_or_default();
            // A bootloader is written as the variable Guix files name it by.
            if ty == "bootloader" {
                if let Some(name) = record_get(v, "name").filter(|n| as_symbol(n).is_some()) {
                    write_value(&name, out, depth + 1);
                    return;
                }
            }
            out.push_str("#<");
            out.push_str(&ty);
            // A short identification: the label or name when the record has one.
            for key in ["label", "name", "host-name", "mount-point"] {
                if let Some(val) = record_get(v, key) {
                    if !is_false(&val) {
                        out.push(' ');
                        out.push_str(key);
                        out.push_str(": ");
                        write_value(&val, out, depth + 1);
                        break;
                    }
                }
            }
            out.push('>');
        }
        layout::UUID => {
            out.push_str("(uuid ");
            write_value(&field(0), out, depth + 1);
            if as_symbol(&field(1)) != Some("dce") {
                out.push(' ');
                write_value(&field(1), out, depth + 1);
            }
            out.push(')');
        }
        layout::LOCAL_FILE => {
            out.push_str("(local-file ");
            write_value(&field(0), out, depth + 1);
            out.push(')');
        }
        layout::PLAIN_FILE => {
            out.push_str("(plain-file ");
            write_value(&field(0), out, depth + 1);
            out.push_str(" …)");
        }
        layout::FS_LABEL => {
            out.push_str("(file-system-label ");
            write_value(&field(0), out, depth + 1);
            out.push(')');
        }
        layout::GEXP => {
            out.push_str("(gexp ");
            write_datum(&field(0), out, depth + 1);
            out.push(')');
        }
        layout::PLATFORM => {
            out.push_str("#<platform ");
            out.push_str(as_str(&field(0)).unwrap_or("?"));
            out.push('>');
        }
        layout::INERT => {
            out.push_str("#<");
            out.push_str(as_symbol(&field(0)).unwrap_or("inert"));
            out.push(' ');
            write_datum(&field(1), out, depth + 1);
            out.push('>');
        }
        layout::UNKNOWN => {
            out.push_str(layout::UNKNOWN_SHOWN);
            out.push(' ');
            out.push_str(as_symbol(&field(0)).unwrap_or("?"));
            out.push('>');
        }
        layout::FORWARD => {
            out.push_str("#<");
            out.push_str(as_symbol(&field(0)).unwrap_or("?"));
            out.push_str(FORWARD_RENDERED);
        }
        layout::GUILE_PORT => {
            out.push_str("#<output-port ");
            out.push_str(as_symbol(&field(0)).unwrap_or("?"));
            out.push('>');
        }
        layout::UNKNOWN_CALL => {
            out.push_str(layout::UNKNOWN_SHOWN);
            out.push_str(" (");
            out.push_str(as_symbol(&field(0)).unwrap_or("?"));
            out.push_str(" …)>");
        }
        _ => {
            out.push_str("#<");
            out.push_str(name.trim_start_matches('%'));
            out.push('>');
        }
    }
}

/// Like `write_value`, but symbols without the quote (they are data inside a form).
fn write_datum(v: &SteelVal, out: &mut String, depth: usize) {
    match v {
        SteelVal::SymbolV(s) => write_symbol(s.as_str(), out),
        SteelVal::ListV(l) if !l.is_empty() => {
            out.push('(');
            for (i, item) in l.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                write_datum(item, out, depth + 1);
            }
            out.push(')');
        }
        other => write_value(other, out, depth),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(name: &str) -> String {
        let mut out = String::new();
        write_symbol(name, &mut out);
        out
    }

    #[test]
    fn writes_symbols_as_guile_does() {
        for plain in ["a", "-moz-x", ".4em", "a.b", "x:", ":k", "...", "é"] {
            assert_eq!(written(plain), plain);
        }
        // A leading digit is no symbol's first character in Guile.
        assert_eq!(written("1+x"), "#{1+x}#");
        assert_eq!(written("3%"), "#{3%}#");
        assert_eq!(written(""), "#{}#");
        assert_eq!(written("."), "#{.}#");
        assert_eq!(written("#main"), "#{#main}#");
        assert_eq!(written("a b"), "#{a b}#");
        assert_eq!(written("a(b)"), "#{a\\x28;b\\x29;}#");
        assert_eq!(written("t\tn\\"), "#{t\\x9;n\\\\}#");
        for number in [
            "1",
            "-2",
            "+.5",
            "1e3",
            "1/2",
            "+inf.0",
            "-nan.0",
            "+i",
            "1-2i",
            "2.5e-3+1i",
        ] {
            assert_eq!(written(number), format!("#{{{number}}}#"), "{number}");
        }
        assert_eq!(written("1e"), "#{1e}#");
        assert_eq!(written("e1"), "e1");
        assert_eq!(written("-"), "-");
        assert_eq!(written("+i-"), "+i-");
    }
}
