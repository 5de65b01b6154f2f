//! The REPL's `,` commands: `,help`, `,apropos WORD`, `,describe NAME`, `,type EXPR`, `,quit`.

use crate::dsl::Dsl;
use crate::reference::{self, Kind};

pub enum Command<'a> {
    Help,
    Apropos(&'a str),
    Describe(&'a str),
    Type(&'a str),
    Quit,
}

/// Parses a `,` line; Err is the message for an unknown command.
pub fn parse(line: &str) -> Result<Command<'_>, String> {
    let line = line.trim();
    let (word, arg) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
    let arg = arg.trim();
    let need = |what: &str| format!("{word} needs {what}, e.g. {word} partition");
    Ok(match word {
        ",h" | ",help" | ",?" => Command::Help,
        ",a" | ",apropos" if arg.is_empty() => return Err(need("a word")),
        ",a" | ",apropos" => Command::Apropos(arg),
        ",d" | ",describe" if arg.is_empty() => return Err(need("a name")),
        ",d" | ",describe" => Command::Describe(arg),
        ",t" | ",type" if arg.is_empty() => return Err(format!("{word} needs an expression")),
        ",t" | ",type" => Command::Type(arg),
        ",q" | ",quit" | ",exit" => Command::Quit,
        _ => {
            return Err(format!(
                "unknown command {word}; the commands are ,help ,apropos WORD ,describe NAME \
                 ,type EXPR ,quit (and (build IMG \"FILE\") to write an image)"
            ))
        }
    })
}

pub const INTRO: &str =
    "Scheme expressions are evaluated as in a definition file; definitions stay.
  (show IMAGE)                    the plan of an image, as `ingot show` prints it
  (show OS 'efi-raw)              the same for an operating-system made into that type
  (build IMAGE \"FILE\")            write it, as `ingot build -o FILE` does
  (build OS \"FILE\" #:type 'efi-raw)
  ,help                           this text
  ,apropos WORD                   definitions whose name or description has WORD
  ,describe NAME                  a record's fields and defaults, a procedure's arguments
  ,type EXPR                      the type of EXPR's value
  ,quit  or Ctrl-D                leave (Ctrl-C abandons the form being typed)
  Tab                             complete a name, or a field inside a record form";

fn wrap(names: &[&str]) -> String {
    let mut out = String::new();
    let mut line = String::from(" ");
    for n in names {
        if line.len() + n.len() > 95 {
            out.push_str(&line);
            out.push('\n');
            line = String::from(" ");
        }
        line.push(' ');
        line.push_str(n);
    }
    out.push_str(&line);
    out
}

pub fn help(user_names: &[String]) -> String {
    let mut out = format!("{INTRO}\n");
    for (title, kind) in [
        ("records", "record"),
        ("procedures", "procedure"),
        ("variables", "variable"),
    ] {
        let names: Vec<&str> = reference::entries()
            .iter()
            .filter(|e| e.kind_name() == kind)
            .map(|e| e.name.as_str())
            .collect();
        out.push_str(&format!("{title}:\n{}\n", wrap(&names)));
    }
    if !user_names.is_empty() {
        let names: Vec<&str> = user_names.iter().map(String::as_str).collect();
        out.push_str(&format!("defined in this session:\n{}\n", wrap(&names)));
    }
    out
}

pub fn apropos(word: &str, user_names: &[String]) -> String {
    let word_l = word.to_lowercase();
    let mut out = String::new();
    for e in reference::entries() {
        if e.name.contains(&word_l) || e.doc.to_lowercase().contains(&word_l) {
            let sig = match &e.kind {
                Kind::Procedure(p) if !p.is_empty() => format!("({} {p})", e.name),
                _ => e.name.clone(),
            };
            out.push_str(&format!("{sig:<40} {}\n", e.kind_name()));
        }
    }
    for n in user_names.iter().filter(|n| n.contains(&word_l)) {
        out.push_str(&format!("{n:<40} defined in this session\n"));
    }
    if out.is_empty() {
        out = format!("nothing matches {word:?}\n");
    }
    out
}

/// Names close to `name` among `candidates` (edit distance), best first.
pub fn near<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut scored: Vec<(f64, &str)> = candidates
        .map(|c| (strsim::jaro_winkler(name, c), c))
        .filter(|(s, c)| *s > 0.85 || strsim::damerau_levenshtein(name, c) <= 2)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

pub fn describe(dsl: &mut Dsl, name: &str, user_names: &[String]) -> Result<String, String> {
    if let Some(e) = reference::find(name) {
        // A definition of the session replaces the prelude's.
        if !user_names.iter().any(|n| n == name) {
            return Ok(reference::describe(e));
        }
    }
    if user_names.iter().any(|n| n == name) {
        let value = dsl.describe_name(name).unwrap_or_default();
        return Ok(format!("{name}: defined in this session: {value}\n"));
    }
    let all = reference::entries()
        .iter()
        .map(|e| e.name.as_str())
        .chain(user_names.iter().map(String::as_str));
    let close = near(name, all);
    Err(match close.first() {
        Some(c) => format!("{name} is not defined; did you mean `{c}`?"),
        None => format!("{name} is not defined (,apropos WORD searches)"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_parse_and_unknown_ones_say_which_exist() {
        assert!(matches!(
            parse(",describe partition"),
            Ok(Command::Describe("partition"))
        ));
        assert!(matches!(parse(" ,q "), Ok(Command::Quit)));
        assert!(matches!(
            parse(",type (+ 1 2)"),
            Ok(Command::Type("(+ 1 2)"))
        ));
        let err = parse(",build x").err().unwrap();
        assert!(
            err.contains(",describe NAME") && err.contains("(build"),
            "{err}"
        );
        assert!(parse(",describe").is_err());
    }

    #[test]
    fn near_names() {
        let names = ["show", "build", "partition", "esp-partition"];
        assert_eq!(near("shwo", names.iter().copied()), ["show"]);
        assert_eq!(near("partiton", names.iter().copied())[0], "partition");
        assert!(near("zzzzzz", names.iter().copied()).is_empty());
    }
}
