//! The user's call an argument error is about, found in the text.
//!
//! A procedure that checks the arguments it was given raises its error inside itself: a
//! `define*`/`lambda*` procedure's checks (the prelude's `%lambda*-body`) run in code the
//! macro expanded, which Steel spans at the `(define* …)`; os->image's `%check-keywords` runs
//! in the prelude, with no span in user text. Steel's stack trace keeps no frame for a call
//! made by a top-level form, so the call that gave the wrong arguments is not on it either.
//! What the error names is enough to find that call in the text: the procedure (from the
//! definition the innermost user frame is in, or the message's `who`), and the keyword or
//! argument count that is wrong. The form being evaluated is searched first, then every user
//! text. Nothing here runs unless an evaluation failed.

use steel::rerrs::SteelErr;

use super::diagnose::{closest_bound_name, did_you_mean, location_in};
use super::reader::{self, Kind, Node};
use super::source::{self, Form};
use super::{Dsl, SourceText};
use crate::model::SourceLoc;

/// An error moved to the call it is about: where, and what it says.
pub(super) struct Blame {
    pub location: SourceLoc,
    pub message: String,
    pub hint: Option<String>,
}

/// What a `define*`/`lambda*` procedure's argument checks say (scheme/base.scm).
const STAR_ERRORS: [&str; 4] = [
    "unrecognized keyword ",
    "missing required argument ",
    "too many arguments: ",
    "invalid keyword arguments: ",
];

/// A procedure made by `define*` or `(define NAME (lambda* …))`, as the text writes it.
struct StarProcedure {
    /// The name as the compiled text spells it (a module's globals are mangled).
    name: String,
    /// Where it is defined.
    defined: SourceLoc,
    /// Required parameters, how many optional ones, the keys.
    required: Vec<String>,
    optional: usize,
    keys: Vec<String>,
    /// Takes #:key, #:rest or a dotted rest (then any number of arguments may follow).
    keys_or_rest: bool,
}

impl Dsl {
    /// The call an argument error is about, when the text shows it; `None` leaves the error
    /// where Steel's spans put it.
    pub(super) fn blame_call(
        &self,
        err: &SteelErr,
        message: &str,
        src: &SourceText,
        form: Form,
    ) -> Option<Blame> {
        if STAR_ERRORS.iter().any(|p| message.starts_with(p)) {
            return self.blame_star_call(err, message, src, form);
        }
        if let Some((who, rest)) = message.split_once(": unexpected argument #:") {
            // %check-keywords: the misspelt keyword, in a call of `who` if there is one.
            let key = rest.split([':', ' ']).next().unwrap_or_default();
            let (text, at) = self.find_call(src, form, |call| {
                keyword_in(call, key).map(|k| (call.head() == Some(who), k.start))
            })?;
            return Some(Blame {
                location: location_in(text, at),
                message: message.to_string(),
                hint: None,
            });
        }
        if message.starts_with("os->image: #:type must be an image type") {
            return self.blame_image_type(message, src, form);
        }
        None
    }

    /// A define*/lambda* procedure's own argument check: at the call of that procedure whose
    /// arguments are the ones it names, with the procedure's name in the message.
    fn blame_star_call(
        &self,
        err: &SteelErr,
        message: &str,
        src: &SourceText,
        form: Form,
    ) -> Option<Blame> {
        let wrong_key = message
            .strip_prefix("unrecognized keyword #:")
            .map(|rest| rest.split([':', ' ']).next().unwrap_or_default());
        let (procedure, (text, at)) = self
            .failing_star_procedures(err, message)
            .into_iter()
            .find_map(|procedure| {
                let found = self.find_call(src, form, |call| {
                    if call.head() != Some(procedure.name.as_str()) {
                        return None;
                    }
                    let args = call.items()?.get(1..)?;
                    if let Some(key) = wrong_key {
                        return keyword_in(call, key).map(|k| (true, k.start));
                    }
                    let positional = args
                        .iter()
                        .take_while(|a| !matches!(a.kind, Kind::Keyword(_)))
                        .count();
                    let fits = if message.starts_with("missing required argument ") {
                        positional < procedure.required.len()
                    } else if message.starts_with("too many arguments: ") {
                        !procedure.keys_or_rest
                            && positional > procedure.required.len() + procedure.optional
                    } else {
                        true
                    };
                    fits.then_some((true, call.start))
                })?;
                Some((procedure, found))
            })?;
        let name = super::namespace::unmangle(&procedure.name);
        let message = message.replace("(this procedure takes ", &format!("({name} takes "));
        Some(Blame {
            location: location_in(text, at),
            message: format!("{name}: {message}"),
            hint: Some(format!("{name} is defined at {}", procedure.defined)),
        })
    }

    /// The define*/lambda* procedures whose argument check may have failed. The innermost
    /// frame in user text is mostly in its body (Steel spans the expanded checks at the
    /// `(define* …)` or `(lambda* …)`): the innermost of those around that place. When that
    /// frame is elsewhere (a call with no argument at all keeps no frame in user text), every
    /// such procedure of the user's texts the message fits: one with the required parameter
    /// it names, or taking the keywords it lists.
    fn failing_star_procedures(&self, err: &SteelErr, message: &str) -> Vec<StarProcedure> {
        let innermost = err.stack_trace().as_ref().and_then(|trace| {
            trace.trace().iter().rev().find_map(|frame| {
                let span = (*frame.span())?;
                let text = self.sources.get(&span.source_id?.0)?;
                Some((
                    text,
                    source::open_paren_before(&text.text, span.start as usize),
                ))
            })
        });
        if let Some((text, at)) = innermost {
            let forms = reader::read_all(&text.text, 0, text.text.len());
            if let Some(found) = forms
                .iter()
                .find_map(|f| enclosing_star(f, at))
                .and_then(|node| star_procedure(text, &forms, node))
            {
                return vec![found];
            }
        }
        let missing = message.strip_prefix("missing required argument ");
        let takes = message
            .split_once("(this procedure takes ")
            .map(|(_, keys)| keys.trim_end_matches(')').split(' ').collect::<Vec<_>>());
        let mut texts: Vec<(&u32, &std::sync::Arc<SourceText>)> = self.sources.iter().collect();
        texts.sort_by_key(|(id, _)| **id);
        let mut found = Vec::new();
        for (_, text) in texts {
            let forms = reader::read_all(&text.text, 0, text.text.len());
            let mut nodes = Vec::new();
            forms.iter().for_each(|f| lists(f, &mut nodes));
            found.extend(
                nodes
                    .into_iter()
                    .filter(|n| matches!(n.head(), Some("define*" | "define*-public" | "lambda*")))
                    .filter_map(|n| star_procedure(text, &forms, n))
                    .filter(|p| missing.is_none_or(|m| p.required.iter().any(|r| r == m)))
                    .filter(|p| {
                        takes.as_ref().is_none_or(|t| {
                            p.keys.len() == t.len()
                                && p.keys.iter().zip(t).all(|(k, t)| format!("#:{k}") == *t)
                        })
                    }),
            );
        }
        found
    }

    /// A wrong `#:type` of os->image: at the value given, and for a name that is not defined
    /// but close to one that is, the name meant.
    fn blame_image_type(&self, message: &str, src: &SourceText, form: Form) -> Option<Blame> {
        let (text, value) = self.find_call(src, form, |call| {
            let items = call.items()?;
            let i = items
                .iter()
                .position(|n| n.kind == Kind::Keyword("type".to_string()))?;
            let value = items.get(i + 1)?;
            let head = call.head();
            Some((
                matches!(head, Some("os->image" | "os+platform->image")),
                value.start,
            ))
        })?;
        let location = location_in(text, value);
        let written = reader::read(text.text.as_bytes(), &mut value.clone());
        let name = written
            .as_ref()
            .and_then(Node::symbol)
            .filter(|n| self.unknowns.iter().any(|u| u == n))
            .filter(|n| message.contains(&format!("#<unknown {n}>")));
        let bound = self.misspelling_targets();
        if let Some((name, close)) =
            name.and_then(|n| closest_bound_name(&self.engine, n, &bound).map(|c| (n, c)))
        {
            return Some(Blame {
                location,
                message: format!("`{name}` is not defined: {}", did_you_mean(&close)),
                hint: Some(message.to_string()),
            });
        }
        Some(Blame {
            location,
            message: message.to_string(),
            hint: None,
        })
    }

    /// The first call `matches` accepts, and the offset it gives: a call `matches` prefers
    /// (true) in the form being evaluated, else in any user text, else any other call it
    /// accepts, in that order.
    fn find_call<'s>(
        &'s self,
        src: &'s SourceText,
        form: Form,
        matches: impl Fn(&Node) -> Option<(bool, usize)>,
    ) -> Option<(&'s SourceText, usize)> {
        let found = |text: &'s SourceText, nodes: &[Node]| {
            let mut calls = Vec::new();
            nodes.iter().for_each(|n| lists(n, &mut calls));
            calls
                .iter()
                .filter_map(|c| matches(c))
                .map(|(preferred, at)| (preferred, (text, at)))
                .collect::<Vec<_>>()
        };
        let mut texts: Vec<(&u32, &std::sync::Arc<SourceText>)> = self.sources.iter().collect();
        texts.sort_by_key(|(id, _)| **id);
        let mut all = found(src, &reader::read_all(&src.text, form.start, form.end));
        if all.iter().any(|(preferred, _)| *preferred) {
            return all.into_iter().find(|(p, _)| *p).map(|(_, f)| f);
        }
        for (_, text) in texts {
            all.extend(found(
                text,
                &reader::read_all(&text.text, 0, text.text.len()),
            ));
        }
        all.iter()
            .find(|(preferred, _)| *preferred)
            .or(all.first())
            .map(|(_, f)| *f)
    }
}

/// The procedure a `(define* …)`, `(define*-public …)` or `(lambda* …)` node makes (a lambda*
/// is named by the `(define NAME (lambda* …))` around it, in `forms`).
fn star_procedure(text: &SourceText, forms: &[Node], node: &Node) -> Option<StarProcedure> {
    let (name, formals) = match node.head()? {
        "define*" | "define*-public" => {
            let signature = node.items()?.get(1)?;
            (signature.head()?.to_string(), signature)
        }
        _ => {
            let name = forms.iter().find_map(|f| definer_of(f, node.start))?;
            (name.to_string(), node.items()?.get(1)?)
        }
    };
    let mut procedure = StarProcedure {
        name,
        defined: location_in(text, node.start),
        required: Vec::new(),
        optional: 0,
        keys: Vec::new(),
        keys_or_rest: false,
    };
    let items = match &formals.kind {
        Kind::List(items, tail) => {
            procedure.keys_or_rest |= tail.is_some();
            items.as_slice()
        }
        // (lambda* args …): any arguments.
        _ => {
            procedure.keys_or_rest = true;
            &[][..]
        }
    };
    // A define* signature starts with the name; a lambda*'s formals do not.
    let skip = usize::from(node.head() != Some("lambda*"));
    let mut section = "";
    for item in items.iter().skip(skip) {
        let param = item
            .symbol()
            .or_else(|| item.items().and_then(|i| i.first()).and_then(Node::symbol));
        match (&item.kind, section) {
            (Kind::Keyword(k), _) => {
                section = if k == "optional" || k == "key" {
                    k
                } else {
                    "rest"
                };
                procedure.keys_or_rest |= section != "optional";
            }
            (_, "") => procedure.required.extend(param.map(str::to_string)),
            (_, "optional") => procedure.optional += 1,
            (_, "key") => procedure.keys.extend(param.map(str::to_string)),
            _ => {}
        }
    }
    Some(procedure)
}

/// The keyword `#:key` among a call's arguments.
fn keyword_in<'n>(call: &'n Node, key: &str) -> Option<&'n Node> {
    call.items()?
        .get(1..)?
        .iter()
        .find(|n| matches!(&n.kind, Kind::Keyword(k) if k == key))
}

/// Every list in `node` outside quoted data (a quasiquoted template is walked, for its
/// unquotes), outermost first.
fn lists<'n>(node: &'n Node, out: &mut Vec<&'n Node>) {
    match &node.kind {
        Kind::List(items, tail) => {
            out.push(node);
            items
                .iter()
                .chain(tail.as_deref())
                .for_each(|n| lists(n, out));
        }
        Kind::Vector(items) => items.iter().for_each(|n| lists(n, out)),
        Kind::Prefixed("quote", _) => {}
        Kind::Prefixed(_, inner) => lists(inner, out),
        _ => {}
    }
}

/// The innermost `(define* …)`, `(define*-public …)` or `(lambda* …)` in `node` around `at`.
fn enclosing_star(node: &Node, at: usize) -> Option<&Node> {
    if !(node.start <= at && at < node.end) {
        return None;
    }
    let inner = match &node.kind {
        Kind::List(items, tail) => items
            .iter()
            .chain(tail.as_deref())
            .find_map(|n| enclosing_star(n, at)),
        Kind::Prefixed(name, inner) if *name != "quote" => enclosing_star(inner, at),
        _ => None,
    };
    inner.or_else(|| {
        matches!(node.head(), Some("define*" | "define*-public" | "lambda*")).then_some(node)
    })
}

/// NAME, for the `(define NAME VALUE)` in `node` whose VALUE starts at `at`.
fn definer_of(node: &Node, at: usize) -> Option<&str> {
    let items = node.items()?;
    if matches!(node.head(), Some("define" | "define-public")) {
        if let (Some(name), Some(value)) = (items.get(1).and_then(Node::symbol), items.get(2)) {
            if value.start == at {
                return Some(name);
            }
        }
    }
    items
        .iter()
        .filter(|n| n.start <= at && at < n.end)
        .find_map(|n| definer_of(n, at))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Node {
        reader::read(text.as_bytes(), &mut 0).expect("a datum")
    }

    #[test]
    fn the_lists_of_code_leave_quoted_data_out() {
        let node = read("(a (b #:k 1) '(c #:k) `(d ,(e)))");
        let mut out = Vec::new();
        lists(&node, &mut out);
        let heads: Vec<_> = out.iter().filter_map(|n| n.head()).collect();
        // A quasiquoted template is walked (its unquotes are code).
        assert_eq!(heads, ["a", "b", "d", "e"]);
    }

    #[test]
    fn a_keyword_is_found_among_the_arguments_only() {
        let node = read("(f x #:lable 1)");
        assert_eq!(keyword_in(&node, "lable").map(|n| n.start), Some(5));
        assert!(keyword_in(&node, "label").is_none());
    }

    #[test]
    fn the_innermost_star_procedure_around_a_place_is_found() {
        let text = "(define* (f #:key x) (g (lambda* (#:key y) (h y))))";
        let node = read(text);
        let at = |s: &str| text.find(s).expect("in text");
        let found = |a| enclosing_star(&node, a).map(|n| n.start);
        assert_eq!(found(at("(h y)")), Some(at("(lambda*")));
        assert_eq!(found(at("(g ")), Some(0));
        assert_eq!(found(text.len()), None);
    }

    #[test]
    fn a_lambda_star_is_named_by_its_define() {
        let text = "(begin (define g (lambda* (#:key x) x)))";
        let node = read(text);
        let at = text.find("(lambda*").expect("lambda*");
        assert_eq!(definer_of(&node, at), Some("g"));
        assert_eq!(definer_of(&node, at + 1), None);
    }
}
