//! The sandbox: which of Steel's built-in procedures a definition may use.
//!
//! A definition is untrusted data. The engine gets Steel's pure core (lists, strings, numbers,
//! hash tables, control) and nothing that reaches the host: every procedure of Steel's modules
//! that runs programs, touches host files, opens sockets, reads the environment or the clock,
//! starts threads or compiles code at run time is replaced by one that fails with the reason.
//! The modules are copies: Steel's own (shared, thread-local) module values are left untouched.
//!
//! Steel also runs `defmacro` and `begin-for-syntax` bodies, and modules named by `require`, in
//! its macro kernel, a second engine with the unsandboxed modules that ingot cannot reach: user
//! text that names those forms is refused before it is compiled (`forbidden_form`). A
//! `syntax-rules` template can only produce identifiers written in the source, so checking the
//! identifiers of the text is enough. Those in quoted data are skipped (Guile configurations
//! quote elisp that says `(require 'x)`), unless a macro could take the quoted list apart: the
//! arguments of a user macro are checked where the rule that matches puts them (code, or only
//! quoted data), and as code, quotes and all, when the check cannot tell (a transformer
//! other than `syntax-rules`, a pattern that takes a quote apart, a dotted use).

use std::collections::HashMap;
use std::sync::Arc;

use steel::rerrs::{ErrorKind, SteelErr};
use steel::steel_vm::builtin::BuiltInModule;
use steel::steel_vm::engine::Engine;
use steel::steel_vm::primitives as steel_modules;
use steel::SteelVal;

use super::bounds::{checked, Budget};
use super::reader::{Kind, Node};

/// Why a group of procedures is not available, as the error message says it.
const PROGRAMS: &str = "definitions cannot run programs";
pub(super) const FILES: &str = "definitions cannot read or write host files (declare inputs with local-file, root-tree, kernel or initrd)";
const SOCKETS: &str = "definitions cannot open sockets";
const ENVIRONMENT: &str = "definitions cannot read or change the environment";
const CODE: &str = "definitions cannot compile or load code at run time";
const THREADS: &str = "definitions cannot start threads or wait";
const CLOCK: &str =
    "definitions cannot read the clock (the same definition must give the same image)";

/// Pure path-string procedures of `steel/filesystem`: they do not look at the host.
const PURE_PATH_PROCEDURES: &[&str] = &[
    "file-name",
    "parent-name",
    "path->extension",
    "path->string",
];

/// Single procedures of otherwise allowed modules.
const DENIED_PROCEDURES: &[(&str, &str)] = &[
    // steel/ports, steel/io
    ("open-input-file", FILES),
    ("open-output-file", FILES),
    ("read-to-string", FILES),
    ("stdin", FILES),
    ("#%default-input-port", FILES),
    // steel/meta
    ("env-var", ENVIRONMENT),
    ("maybe-get-env-var", ENVIRONMENT),
    ("set-env-var!", ENVIRONMENT),
    ("command-line", ENVIRONMENT),
    ("steel-home-location", ENVIRONMENT),
    ("current-os!", ENVIRONMENT),
    ("eval", CODE),
    ("eval!", CODE),
    ("eval-string", CODE),
    ("expand!", CODE),
    ("#%expand", CODE),
    ("run!", CODE),
    ("read!", CODE),
    ("load", CODE),
    ("load-expanded", CODE),
    ("emit-expanded", CODE),
    ("dump-profiler", CODE),
    ("Engine::new", CODE),
    ("Engine::clone", CODE),
    ("Engine::add-module", CODE),
    ("Engine::modules->list", CODE),
    ("Engine::raise_error", CODE),
    ("#%build-dylib", CODE),
    ("#%get-dylib", CODE),
    ("breakpoint!", CODE),
    // steel/threads, steel/time
    ("spawn-native-thread", THREADS),
    ("thread-join!", THREADS),
    ("thread-suspend", THREADS),
    ("thread-resume", THREADS),
    ("thread-interrupt", THREADS),
    ("channel/recv", THREADS),
    ("time/sleep-ms", THREADS),
    ("current-inexact-milliseconds", CLOCK),
    ("current-milliseconds", CLOCK),
    ("current-second", CLOCK),
    ("instant/now", CLOCK),
    ("instant/elapsed", CLOCK),
    ("local-time/now!", CLOCK),
    ("naive-current-date-local", CLOCK),
    ("system-time/now", CLOCK),
];

/// Forms Steel evaluates in its macro kernel or that load other files.
const FORBIDDEN_FORMS: &[(&str, &str)] = &[
    (
        "defmacro",
        "definitions cannot run code while they are expanded",
    ),
    (
        "begin-for-syntax",
        "definitions cannot run code while they are expanded",
    ),
    (
        "require",
        "definitions cannot load other files (use local-file for inputs)",
    ),
    ("require-builtin", "definitions cannot load Steel modules"),
    (
        "require-for-syntax",
        "definitions cannot load Steel modules",
    ),
    (
        "#%require-dylib",
        "definitions cannot load native libraries",
    ),
];

/// Steel's names for its modules and their raw procedures.
const INTERNAL_PREFIXES: &[&str] = &["#%", "%-builtin-module-", "##"];
const INTERNAL_NAMES: &[&str] = &["%module-get%", "%#maybe-module-get", "load-from-module!"];

/// Every denied procedure with why: the procedures of the denied modules, of
/// Guile's procedures that read or act on the host, which Steel does not have: bound to one
/// that says why, so that using one is an error rather than an unknown name's opaque (and
/// truthy) placeholder. (`file-exists?` answers as an empty host would: see `engine`.)
const GUILE_HOST_PROCEDURES: &[(&str, &str)] = &[
    ("call-with-input-file", FILES),
    ("with-input-from-file", FILES),
    ("open-file", FILES),
    ("readlink", FILES),
    ("stat", FILES),
    ("lstat", FILES),
    ("opendir", FILES),
    ("scandir", FILES),
    ("getcwd", ENVIRONMENT),
    ("gethostname", ENVIRONMENT),
    ("getpid", ENVIRONMENT),
    ("getuid", ENVIRONMENT),
    ("getgid", ENVIRONMENT),
    ("getlogin", ENVIRONMENT),
    ("getpwnam", ENVIRONMENT),
    ("getpwuid", ENVIRONMENT),
    ("current-time", ENVIRONMENT),
    ("primitive-load", CODE),
    ("system", PROGRAMS),
    ("system*", PROGRAMS),
    ("open-pipe", PROGRAMS),
    ("open-pipe*", PROGRAMS),
    ("open-input-pipe", PROGRAMS),
];

/// `steel/filesystem` but its pure path procedures, and `DENIED_PROCEDURES`.
pub(crate) fn deny_list() -> HashMap<String, &'static str> {
    use steel_modules::*;
    let mut denied = HashMap::new();
    let whole = [
        (PROCESS_MODULE.with(Clone::clone), PROGRAMS),
        (FS_MODULE.with(Clone::clone), FILES),
        (TCP_MODULE.with(Clone::clone), SOCKETS),
        (HTTP_MODULE.with(Clone::clone), SOCKETS),
        (POLLING_MODULE.with(Clone::clone), SOCKETS),
        (GIT_MODULE.with(Clone::clone), SOCKETS),
    ];
    for (module, why) in whole {
        for name in module.names() {
            if !PURE_PATH_PROCEDURES.contains(&name.as_str()) {
                denied.insert(name, why);
            }
        }
    }
    for (name, why) in DENIED_PROCEDURES {
        denied.insert(name.to_string(), *why);
    }
    denied
}

fn stub(name: &str, why: &'static str) -> SteelVal {
    let message = format!("{name} is not available: {why}");
    SteelVal::anonymous_boxed_function(Arc::new(move |_: &[SteelVal]| {
        Err(SteelErr::new(ErrorKind::Generic, message.clone()))
    }))
}

/// A copy of `module` with every denied procedure replaced by one that says why, and the
/// procedures that allocate what they are asked for checked first (`bounds::checked`).
fn sandboxed(
    module: BuiltInModule,
    denied: &HashMap<String, &'static str>,
    budget: &Arc<Budget>,
) -> BuiltInModule {
    let names = module.names();
    let mut copy = BuiltInModule::new(module.name().to_string()).with_module(module);
    for procedure in names {
        if let Some(why) = denied.get(&procedure) {
            copy.register_value(&procedure, stub(&procedure, why));
        } else if let Some(original) = copy.try_get_ref(&procedure) {
            if let Some(wrapped) = checked(&procedure, &original, budget) {
                copy.register_value(&procedure, wrapped);
            }
        }
    }
    copy
}

/// An engine with Steel's primitives, each module sandboxed, and Steel's core library.
///
/// It has no macro kernel: `Engine::new_raw` would build one (a second engine compiling Steel's
/// standard library and kernel, half of ingot's start-up) only to run `defmacro`,
/// `begin-for-syntax` and `struct`. The first two are refused in definitions anyway, and the
/// prelude's `struct` forms are expanded by `kernel`. Without a kernel no form can run code
/// at expansion time outside this engine.
pub(crate) fn new_sandboxed_engine(budget: &Arc<Budget>) -> Result<Engine, SteelErr> {
    use steel_modules::*;
    // Steel compiles its core library here.
    let mut engine = {
        let _one = super::compile_lock::compiling();
        Engine::new_raw_no_kernel()
    };
    // What `register_builtin_modules` does, with copies of the modules and without the ones
    // that reach the network.
    let prims = private_prim_module();
    engine.register_module(prims.clone());
    for (key, value) in prims.inner_map().iter() {
        engine.register_value(key, value.clone());
    }
    let modules = [
        MAP_MODULE.with(Clone::clone),
        SET_MODULE.with(Clone::clone),
        LIST_MODULE.with(Clone::clone),
        STRING_MODULE.with(Clone::clone),
        VECTOR_MODULE.with(Clone::clone),
        STREAM_MODULE.with(Clone::clone),
        IDENTITY_MODULE.with(Clone::clone),
        NUMBER_MODULE.with(Clone::clone),
        EQUALITY_MODULE.with(Clone::clone),
        ORD_MODULE.with(Clone::clone),
        TRANSDUCER_MODULE.with(Clone::clone),
        SYMBOL_MODULE.with(Clone::clone),
        IO_MODULE.with(Clone::clone),
        PORT_MODULE.with(Clone::clone),
        FS_MODULE.with(Clone::clone),
        META_MODULE.with(Clone::clone),
        JSON_MODULE.with(Clone::clone),
        CONSTANTS_MODULE.with(Clone::clone),
        SYNTAX_MODULE.with(Clone::clone),
        PROCESS_MODULE.with(Clone::clone),
        RESULT_MODULE.with(Clone::clone),
        OPTION_MODULE.with(Clone::clone),
        TYPE_ID_MODULE.with(Clone::clone),
        PRELUDE_MODULE.with(Clone::clone),
        TIME_MODULE.with(Clone::clone),
        THREADING_MODULE.with(Clone::clone),
        BYTEVECTOR_MODULE.with(Clone::clone),
        HASHES_MODULE.with(Clone::clone),
        MUTABLE_VECTOR_MODULE.with(Clone::clone),
        PRIVATE_READER_MODULE.with(Clone::clone),
        IMMUTABLE_VECTOR_MODULE.with(Clone::clone),
    ];
    let denied = deny_list();
    for module in modules {
        engine.register_module(sandboxed(module, &denied, budget));
    }
    // The network modules are not registered at all; their names still say why.
    for (name, why) in &denied {
        if *why == SOCKETS {
            engine.register_value(name, stub(name, why));
        }
    }
    for (name, why) in GUILE_HOST_PROCEDURES {
        engine.register_value(name, stub(name, why));
    }
    super::compile_lock::compile_and_run(&mut engine, ALL_MODULES, None)?;
    {
        let _one = super::compile_lock::compiling();
        engine.register_prelude()?;
    }
    Ok(engine)
}

/// The first identifier of `text` that names a form Steel would evaluate outside the sandbox:
/// (byte offset, name, why). Only identifiers that can end up in code count: quoted and
/// quasiquoted data is skipped (its unquoted parts are code), as are the arguments of a user
/// `syntax-rules` macro that its template only quotes (Guix home configurations hold elisp
/// such as `(require 'project)` this way). `macros` holds the user macros of the texts read
/// so far; this text's are added to it.
pub(crate) fn forbidden_form<'a>(
    text: &'a str,
    macros: &mut Macros,
) -> Option<(usize, &'a str, &'static str)> {
    let nodes = super::reader::read_all(text, 0, text.len());
    for node in &nodes {
        collect_macros(node, macros);
    }
    let mut checker = Checker {
        text,
        macros,
        found: None,
        depth: 0,
    };
    for node in &nodes {
        checker.walk(node, Ctx::Code, &mut None);
    }
    checker.found
}

/// Why `ident` may not be written where it is evaluated, if so.
fn forbidden_name(ident: &str) -> Option<&'static str> {
    // `|#%name|` (or Guile's `#{#%name}#`, which ingot spells so) is Steel's `#%name`.
    let decoded = super::source::bar_symbol_name(ident);
    let ident = decoded.as_deref().unwrap_or(ident);
    if let Some((_, why)) = FORBIDDEN_FORMS.iter().find(|(name, _)| *name == ident) {
        return Some(why);
    }
    // Steel's internal names reach the unchecked procedures behind the sandbox's copies.
    let internal =
        INTERNAL_PREFIXES.iter().any(|p| ident.starts_with(p)) || INTERNAL_NAMES.contains(&ident);
    internal.then_some("definitions cannot use Steel's internal names")
}

/// A user macro as the sandbox check sees it.
#[derive(Debug, Clone)]
pub(crate) enum UserMacro {
    /// `syntax-rules`: the ellipsis, the literals, and each rule's pattern and template.
    Rules {
        ellipsis: String,
        literals: Vec<String>,
        rules: Vec<(Node, Node)>,
    },
    /// Any other transformer: what it is given may become code in any way.
    Opaque,
}

/// User macros by name.
pub(crate) type Macros = HashMap<String, UserMacro>;

/// Where an identifier stands: in code, in quoted data, or where a macro may take quoted
/// data apart into code (then quoting protects nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Ctx {
    Data,
    Code,
    Strict,
}

/// The syntax-rules of `node`, if it is `(syntax-rules …)`.
fn syntax_rules(node: &Node) -> Option<UserMacro> {
    let items = node.items()?;
    if items.first()?.symbol() != Some("syntax-rules") {
        return None;
    }
    let mut rest = &items[1..];
    let mut ellipsis = "...".to_string();
    // SRFI 46: (syntax-rules ELLIPSIS (literal …) rule …).
    if let Some(e) = rest.first().and_then(Node::symbol) {
        ellipsis = e.to_string();
        rest = &rest[1..];
    }
    let literals = rest
        .first()?
        .items()?
        .iter()
        .filter_map(|n| n.symbol().map(str::to_string))
        .collect();
    let rules = rest[1..]
        .iter()
        .filter_map(|r| match r.items() {
            Some([pattern, template]) => Some((pattern.clone(), template.clone())),
            _ => None,
        })
        .collect();
    Some(UserMacro::Rules {
        ellipsis,
        literals,
        rules,
    })
}

/// Adds the macros `node` defines, anywhere in it, to `macros`.
fn collect_macros(node: &Node, macros: &mut Macros) {
    let children: Vec<&Node> = match &node.kind {
        Kind::List(items, tail) => items.iter().chain(tail.as_deref()).collect(),
        Kind::Vector(items) => items.iter().collect(),
        Kind::Prefixed(_, inner) => vec![inner],
        _ => return,
    };
    let mut define = |name: Option<&str>, transformer: Option<&Node>| {
        if let Some(name) = name {
            let m = transformer
                .and_then(syntax_rules)
                .unwrap_or(UserMacro::Opaque);
            macros.insert(name.to_string(), m);
        }
    };
    if let Some(items) = node.items() {
        match node.head() {
            Some("define-syntax-rule") => {
                if let (Some(sig), Some(template)) = (items.get(1), items.last()) {
                    if items.len() >= 3 {
                        define(
                            sig.head(),
                            Some(&Node {
                                start: node.start,
                                end: node.end,
                                kind: Kind::List(
                                    vec![
                                        symbol("syntax-rules"),
                                        Node {
                                            start: 0,
                                            end: 0,
                                            kind: Kind::List(Vec::new(), None),
                                        },
                                        Node {
                                            start: 0,
                                            end: 0,
                                            kind: Kind::List(
                                                vec![sig.clone(), template.clone()],
                                                None,
                                            ),
                                        },
                                    ],
                                    None,
                                ),
                            }),
                        );
                    }
                }
            }
            Some("define-syntax") => define(items.get(1).and_then(Node::symbol), items.get(2)),
            Some("let-syntax" | "letrec-syntax") => {
                for binding in items.get(1).and_then(Node::items).unwrap_or_default() {
                    if let Some([name, transformer]) = binding.items() {
                        define(name.symbol(), Some(transformer));
                    }
                }
            }
            _ => {}
        }
    }
    for child in children {
        collect_macros(child, macros);
    }
}

fn symbol(name: &str) -> Node {
    Node {
        start: 0,
        end: 0,
        kind: Kind::Symbol(name.to_string()),
    }
}

/// Deeper macro uses than this are all taken as code.
const MAX_MACRO_DEPTH: usize = 16;

struct Checker<'a, 'm> {
    text: &'a str,
    macros: &'m Macros,
    found: Option<(usize, &'a str, &'static str)>,
    depth: usize,
}

impl<'a, 'm> Checker<'a, 'm> {
    /// Checks (or, with `vars`, records where the pattern variables of a template stand).
    fn walk(&mut self, node: &Node, ctx: Ctx, vars: &mut Option<&mut HashMap<String, Ctx>>) {
        let data = ctx == Ctx::Data;
        match &node.kind {
            Kind::Symbol(s) => {
                if let Some(vars) = vars {
                    if let Some(at) = vars.get_mut(s) {
                        *at = (*at).max(ctx);
                    }
                } else if !data {
                    self.check(node.start, node.end);
                }
            }
            Kind::Literal if !data && vars.is_none() => {
                let spelling = &self.text[node.start..node.end.min(self.text.len())];
                if spelling.starts_with("#%") || spelling.starts_with("##") {
                    self.check(node.start, node.end);
                }
            }
            Kind::Prefixed(form, inner) => {
                let inner_ctx = match *form {
                    "quote" | "quasiquote" if ctx != Ctx::Strict => Ctx::Data,
                    // Data inside data, a template in code.
                    "quote" | "quasiquote" | "syntax" | "quasisyntax" => ctx,
                    _ => ctx.max(Ctx::Code),
                };
                self.walk(inner, inner_ctx, vars);
            }
            Kind::Vector(items) => items.iter().for_each(|n| self.walk(n, ctx, vars)),
            Kind::List(items, tail) => {
                let rest = || items.iter().skip(1).chain(tail.as_deref());
                match (ctx, node.head()) {
                    (Ctx::Data, Some("unquote" | "unquote-splicing")) => {
                        rest().for_each(|n| self.walk(n, Ctx::Code, vars))
                    }
                    (Ctx::Code, Some("quote" | "quasiquote")) => {
                        rest().for_each(|n| self.walk(n, Ctx::Data, vars))
                    }
                    (Ctx::Code | Ctx::Strict, Some("define-syntax-rule")) if items.len() >= 3 => {
                        // The signature is a pattern; the template is code.
                        self.walk(&items[0], ctx, vars);
                        if let Some(sig) = items[1].head() {
                            self.check_name(items[1].start, sig, vars);
                        }
                        self.walk(&items[items.len() - 1], ctx, vars);
                    }
                    (Ctx::Code | Ctx::Strict, Some("syntax-rules")) => {
                        for rule in items.iter().skip(2) {
                            match rule.items() {
                                Some([_, template]) => self.walk(template, ctx, vars),
                                _ => self.walk(rule, ctx, vars),
                            }
                        }
                    }
                    (Ctx::Code, Some(head)) if self.macros.contains_key(head) => {
                        self.walk(&items[0], ctx, vars);
                        self.macro_use(head, node, vars);
                    }
                    _ => items
                        .iter()
                        .chain(tail.as_deref())
                        .for_each(|n| self.walk(n, ctx, vars)),
                }
            }
            _ => {}
        }
    }

    fn check_name(&mut self, at: usize, name: &str, vars: &Option<&mut HashMap<String, Ctx>>) {
        if vars.is_none() {
            self.check(at, at + name.len());
        }
    }

    fn check(&mut self, start: usize, end: usize) {
        let ident = &self.text[start..end];
        if let Some(why) = forbidden_name(ident) {
            if self.found.is_none_or(|(at, _, _)| start < at) {
                self.found = Some((start, ident, why));
            }
        }
    }

    /// A use of the user macro `name`: each part of it is checked where the matching rule's
    /// template puts it.
    fn macro_use(&mut self, name: &str, node: &Node, vars: &mut Option<&mut HashMap<String, Ctx>>) {
        let args = || match &node.kind {
            Kind::List(items, tail) => items.iter().skip(1).chain(tail.as_deref()).collect(),
            _ => Vec::new(),
        };
        let strict = |this: &mut Self, vars: &mut Option<&mut HashMap<String, Ctx>>| {
            for n in args() {
                this.walk(n, Ctx::Strict, vars);
            }
        };
        // Inside a template the arguments hold pattern variables, not what they stand for.
        if vars.is_some() || self.depth >= MAX_MACRO_DEPTH || use_has_tail(node) {
            return strict(self, vars);
        }
        let Some(UserMacro::Rules {
            ellipsis,
            literals,
            rules,
        }) = self.macros.get(name)
        else {
            return strict(self, vars);
        };
        let use_items = args();
        for (pattern, template) in rules {
            let Some(Kind::List(p_items, p_tail)) = Some(&pattern.kind) else {
                continue;
            };
            let mut bound: Vec<(String, &Node)> = Vec::new();
            let pattern_rest: Vec<&Node> = p_items.iter().skip(1).collect();
            let matcher = Matcher {
                ellipsis,
                literals,
                unsure: std::cell::Cell::new(false),
            };
            let matched = matcher.list(&pattern_rest, p_tail.as_deref(), &use_items, &mut bound);
            if matcher.unsure.get() {
                // Steel might pick this rule or another one: take everything as code.
                break;
            }
            if !matched {
                continue;
            }
            let mut seen: HashMap<String, Ctx> =
                bound.iter().map(|(v, _)| (v.clone(), Ctx::Data)).collect();
            self.depth += 1;
            self.walk(template, Ctx::Code, &mut Some(&mut seen));
            for (var, part) in bound {
                // A variable the template does not use is dropped with what it matched;
                // one it uses only in quoted data keeps that part data.
                if template_mentions(template, &var) {
                    let ctx = seen.get(&var).copied().unwrap_or(Ctx::Strict);
                    self.walk(part, ctx, vars);
                }
            }
            self.depth -= 1;
            return;
        }
        strict(self, vars);
    }
}

fn use_has_tail(node: &Node) -> bool {
    matches!(&node.kind, Kind::List(_, Some(_)))
}

fn template_mentions(template: &Node, var: &str) -> bool {
    match &template.kind {
        Kind::Symbol(s) => s == var,
        Kind::List(items, tail) => items
            .iter()
            .chain(tail.as_deref())
            .any(|n| template_mentions(n, var)),
        Kind::Vector(items) => items.iter().any(|n| template_mentions(n, var)),
        Kind::Prefixed(_, inner) => template_mentions(inner, var),
        _ => false,
    }
}

/// A `syntax-rules` pattern matcher that says which parts of a use each variable stands for.
/// `unsure` is set where this matcher and Steel's might disagree (quote abbreviations taken
/// apart, dotted uses, literal data and vectors in patterns).
struct Matcher<'r> {
    ellipsis: &'r str,
    literals: &'r [String],
    unsure: std::cell::Cell<bool>,
}

impl Matcher<'_> {
    fn one<'n>(&self, pattern: &Node, part: &'n Node, bound: &mut Vec<(String, &'n Node)>) -> bool {
        match &pattern.kind {
            Kind::Symbol(s) if s == "_" => true,
            Kind::Symbol(s) if self.literals.contains(s) => part.symbol() == Some(s),
            Kind::Symbol(s) => {
                bound.push((s.clone(), part));
                true
            }
            Kind::List(items, tail) => match &part.kind {
                Kind::List(p_items, p_tail) => {
                    if p_tail.is_some() {
                        self.unsure.set(true);
                        return false;
                    }
                    let pattern: Vec<&Node> = items.iter().collect();
                    let parts: Vec<&'n Node> = p_items.iter().collect();
                    self.list(&pattern, tail.as_deref(), &parts, bound)
                }
                // `'x` is the list (quote x) to Steel.
                Kind::Prefixed(..) => {
                    self.unsure.set(true);
                    false
                }
                _ => false,
            },
            _ => {
                self.unsure.set(true);
                false
            }
        }
    }

    /// `patterns` (with an optional dotted `tail`) against `parts`.
    fn list<'n>(
        &self,
        patterns: &[&Node],
        tail: Option<&Node>,
        parts: &[&'n Node],
        bound: &mut Vec<(String, &'n Node)>,
    ) -> bool {
        let dots = patterns
            .iter()
            .position(|p| p.symbol() == Some(self.ellipsis));
        match dots {
            Some(k) if k > 0 => {
                let before = &patterns[..k - 1];
                let repeated = patterns[k - 1];
                let after = &patterns[k + 1..];
                if parts.len() < before.len() + after.len() {
                    return false;
                }
                let n = parts.len() - after.len();
                before.iter().zip(parts).all(|(p, x)| self.one(p, x, bound))
                    && parts[before.len()..n]
                        .iter()
                        .all(|x| self.one(repeated, x, bound))
                    && after
                        .iter()
                        .zip(&parts[n..])
                        .all(|(p, x)| self.one(p, x, bound))
            }
            _ => {
                if parts.len() < patterns.len() || (tail.is_none() && parts.len() != patterns.len())
                {
                    return false;
                }
                let ok = patterns
                    .iter()
                    .zip(parts)
                    .all(|(p, x)| self.one(p, x, bound));
                match tail {
                    // The rest of the use, as the variable of a dotted tail sees it.
                    Some(t) => {
                        ok && parts[patterns.len()..].iter().all(|x| match t.symbol() {
                            Some(v) if v != "_" && !self.literals.iter().any(|l| l == v) => {
                                bound.push((v.to_string(), x));
                                true
                            }
                            _ => true,
                        })
                    }
                    None => ok,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forbidden_form(text: &str) -> Option<(usize, &str, &'static str)> {
        super::forbidden_form(text, &mut Macros::new())
    }

    fn refused(text: &str) -> Option<&str> {
        forbidden_form(text).map(|(_, n, _)| n)
    }

    #[test]
    fn quoted_data_may_name_forms_that_code_may_not() {
        assert_eq!(refused("'((require 'project))"), None);
        assert_eq!(refused("(quote ((require (quote project))))"), None);
        assert_eq!(refused("`((require 'project) (setq x ,(+ 1 2)))"), None);
        assert_eq!(
            refused("(list 'require '(#%require x) '(require-builtin x))"),
            None
        );
        assert_eq!(refused("`(#'require ,@(list 1))"), None);
        // Unquoted parts are code.
        assert_eq!(refused("`(a ,(require \"x\"))"), Some("require"));
        assert_eq!(refused("'(a ,(require \"x\"))"), Some("require"));
        assert_eq!(
            refused("`(a (unquote (require-builtin x)))"),
            Some("require-builtin")
        );
        assert_eq!(refused("(define (f) (require \"x\"))"), Some("require"));
        assert_eq!(refused("(map require xs)"), Some("require"));
        assert_eq!(refused("'x (#%prim.car y)"), Some("#%prim.car"));
    }

    #[test]
    fn macro_arguments_count_where_the_template_puts_them() {
        // The template only quasiquotes `exp`: data, but for its unquoted parts.
        let quoting = "(define-syntax-rule (elisp exp ...) (quasiquote (exp ...)))\n";
        assert_eq!(
            refused(&format!("{quoting}(elisp (require 'project))")),
            None
        );
        assert_eq!(
            refused(&format!("{quoting}(elisp (a ,(require \"x\")))")),
            Some("require")
        );
        // Code and data parts of one pattern, with a nested ellipsis.
        let mixed = "(define-syntax-rule (ext (pkg exp ...) ...) \
                     (list (list pkg ...) (quasiquote (exp ... ...))))\n";
        assert_eq!(refused(&format!("{mixed}(ext (a (require 'b)) (c))")), None);
        assert_eq!(
            refused(&format!("{mixed}(ext (require (x)))")),
            Some("require")
        );
        // A macro that takes quoted data apart into code.
        let apart = "(define-syntax run (syntax-rules () ((_ (f a)) (f a)) ((_ x) 'x)))\n";
        assert_eq!(
            refused(&format!("{apart}(run '(require-builtin steel/process))")),
            Some("require-builtin")
        );
        assert_eq!(
            refused(&format!("{apart}(run (require x))")),
            Some("require")
        );
        assert_eq!(refused(&format!("{apart}(run require)")), None);
        // A template that hands its variable to another user macro: code, quotes and all.
        let pass = "(define-syntax-rule (pass x) (run x))\n";
        assert_eq!(
            refused(&format!("{apart}{pass}(pass '(require \"y\"))")),
            Some("require")
        );
        // Transformers other than syntax-rules.
        let opaque = "(define-syntax m (er-macro-transformer (lambda (f r c) f)))\n";
        assert_eq!(
            refused(&format!("{opaque}(m '(require \"y\"))")),
            Some("require")
        );
        // Macros are remembered from one text to the next.
        let mut macros = Macros::new();
        assert_eq!(super::forbidden_form(quoting, &mut macros), None);
        assert!(super::forbidden_form("(elisp (require 'p))", &mut macros).is_none());
        assert!(super::forbidden_form("(elisp2 (require 'p))", &mut macros).is_some());
    }

    #[test]
    fn finds_forbidden_forms_outside_strings_and_comments() {
        assert_eq!(forbidden_form("(define x 1)"), None);
        assert_eq!(
            forbidden_form("\"(require x)\" ; (defmacro\n#| require |# #\\("),
            None
        );
        assert_eq!(forbidden_form("(requirements '())"), None);
        let text = "(list 1)\n(defmacro (m x) x)";
        assert_eq!(
            forbidden_form(text).map(|(at, n, _)| (at, n)),
            Some((10, "defmacro"))
        );
        assert_eq!(
            forbidden_form("(a . (require-builtin steel/process))").map(|(_, n, _)| n),
            Some("require-builtin")
        );
        assert_eq!(
            forbidden_form("(#%prim.make-vector 10)").map(|(_, n, _)| n),
            Some("#%prim.make-vector")
        );
        assert_eq!(
            forbidden_form("(%module-get% m 'x)").map(|(_, n, _)| n),
            Some("%module-get%")
        );
        // Guix's own % names are fine.
        assert_eq!(forbidden_form("(list %base-file-systems #t #:type)"), None);
    }

    #[test]
    fn reasons_by_group() {
        let denied = deny_list();
        let why = |name: &str| denied.get(name).copied();
        assert_eq!(why("spawn-process"), Some(PROGRAMS));
        assert_eq!(why("command"), Some(PROGRAMS));
        assert_eq!(why("delete-directory!"), Some(FILES));
        assert_eq!(why("open-output-file"), Some(FILES));
        assert_eq!(why("tcp-connect"), Some(SOCKETS));
        assert_eq!(why("path->extension"), None);
        assert_eq!(why("open-input-string"), None);
        assert_eq!(why("eval!"), Some(CODE));
        assert_eq!(why("map"), None);
    }
}
