//! Guile's module namespaces over Steel's one global namespace.
//!
//! Each user module's top-level definitions are renamed to globals of their own,
//! `%%mN:name`, before Steel compiles the module; an importer's references to the names it
//! imports are renamed to the exporter's globals. So a module's private names never clash with
//! another module's or the main file's, `#:select`, `#:prefix`, `#:renamer` and `#:hide` give
//! Guile's local names, and a name a module keeps private is unbound in its importers (a
//! located error saying why, rather than Steel's "unbound").
//!
//! The renaming is done on the reader's data, with the binding forms' scopes: a local binding
//! of the same name shadows (so `#:key` parameters keep their names), and quoted data, `case`
//! datums, record field names and the module forms themselves are left alone.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use super::reader::{self, Kind, Node};
use super::source::{self, Form, Scanned};

/// What a loaded user module offers its importers.
#[derive(Debug, Clone, Default)]
pub(super) struct ModuleInfo {
    /// `(systems base)`.
    pub name: String,
    /// Exported name -> the global holding it.
    pub exports: BTreeMap<String, String>,
    /// Every name the module defines (private ones included), for messages.
    pub defined: BTreeSet<String>,
    /// Every top-level name of the module (its definitions and imports) -> its global: what
    /// Guile's `(@@ (module) name)` reads.
    pub globals: BTreeMap<String, String>,
    /// Names its `#:export` declares that no definition ingot reads makes: a macro ingot
    /// does not know defines them, or nothing does.
    pub unseen: BTreeSet<String>,
}

/// The names one module (or the main file, or the REPL) sees besides the prelude's.
#[derive(Debug, Default)]
pub(super) struct Namespace {
    /// `%%mN:` for a user module; `None` for the main file, whose names stay as written.
    pub prefix: Option<String>,
    /// Whether the text declared itself with `define-module`.
    pub declared: bool,
    /// Its own top-level definitions: name -> global.
    pub own: HashMap<String, String>,
    /// Imported names: local name -> global.
    pub imports: HashMap<String, String>,
    /// Names a used module has but does not give this namespace, with why.
    pub refused: HashMap<String, Refusal>,
    /// What `#:export`, `export` or `define-public` declare: (name in the module, name
    /// importers see), different for Guile's `#:export ((name . exported))`.
    pub exports: Vec<(String, String)>,
    /// The same for `#:re-export` or `re-export`.
    pub re_exports: Vec<(String, String)>,
    /// The `#:prefix` of each built-in module it uses: `svc:delete` of `((gnu services)
    /// #:prefix svc:)` is the prelude's `delete` (a literal `modify-services` matches too, as
    /// Guile matches literals by binding).
    pub built_in_prefixes: Vec<String>,
    /// Whether it uses a Guix module whose names ingot does not know (packages, services):
    /// an unbound name may come from there, so a used module's private name is not an error.
    pub opaque: bool,
}

/// Why a name of a used module is not visible, and a hint.
#[derive(Debug, Clone)]
pub(super) struct Refusal {
    pub message: String,
    pub hint: Option<String>,
}

/// One module a `define-module` or `use-modules` form uses, with its import options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ImportSpec {
    pub module: Vec<String>,
    /// Where the module's name is written.
    pub at: usize,
    /// `#:select`: (exported name, local name, where written).
    pub select: Option<Vec<(String, String, usize)>>,
    pub hide: Vec<String>,
    /// `#:prefix p:` or `#:renamer (symbol-prefix-proc 'p:)`.
    pub prefix: String,
}

/// A bad import, located in the importing text.
#[derive(Debug, Clone)]
pub(super) struct ImportError {
    pub at: usize,
    pub message: String,
    pub hint: Option<String>,
}

/// The module forms of a text's top level: what they import and export.
pub(super) fn module_forms(nodes: &[Node], ns: &mut Namespace) -> Vec<ImportSpec> {
    let mut specs = Vec::new();
    for node in nodes {
        let Some(items) = node.items() else { continue };
        match node.head() {
            Some("define-module") => {
                ns.declared = true;
                let mut rest = items.iter().skip(2);
                while let Some(option) = rest.next() {
                    let Kind::Keyword(k) = &option.kind else {
                        continue;
                    };
                    let Some(arg) = rest.next() else { break };
                    match k.as_str() {
                        "use-module" | "autoload" => specs.extend(import_spec(arg)),
                        "export" | "export-syntax" | "replace" => {
                            ns.exports.extend(export_pairs(arg))
                        }
                        "re-export" | "re-export-syntax" | "re-export-and-replace" => {
                            ns.re_exports.extend(export_pairs(arg))
                        }
                        _ => {}
                    }
                }
            }
            Some("use-modules") => specs.extend(items[1..].iter().filter_map(import_spec)),
            Some("use-package-modules" | "use-service-modules") => ns.opaque = true,
            Some("export" | "export-syntax" | "replace") => {
                ns.exports.extend(items[1..].iter().filter_map(export_pair))
            }
            Some("re-export" | "re-export-syntax") => ns
                .re_exports
                .extend(items[1..].iter().filter_map(export_pair)),
            _ => {}
        }
    }
    specs
}

fn plain_name(n: &Node) -> Option<String> {
    n.symbol().map(str::to_string)
}

/// `a` or Guile's renamed `(a . b)` of an export list: (name in the module, exported name).
fn export_pair(n: &Node) -> Option<(String, String)> {
    match &n.kind {
        Kind::Symbol(s) => Some((s.clone(), s.clone())),
        Kind::List(items, Some(tail)) if items.len() == 1 => {
            Some((plain_name(&items[0])?, plain_name(tail)?))
        }
        _ => None,
    }
}

/// The export pairs of `#:export (a (b . c))`.
fn export_pairs(list: &Node) -> Vec<(String, String)> {
    list.items()
        .map(|items| items.iter().filter_map(export_pair).collect())
        .unwrap_or_default()
}

/// The names of a `#:hide (a b)` list.
fn exported_names(list: &Node) -> Vec<String> {
    let Some(items) = list.items() else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|i| match &i.kind {
            Kind::Symbol(s) => Some(s.clone()),
            _ => None,
        })
        .collect()
}

/// `(a b)` or `((a b) #:select … #:hide … #:prefix … #:renamer …)`.
/// A module's name as written, `(a b)`: its parts, all symbols, at least one.
pub(super) fn module_name(n: &Node) -> Option<Vec<String>> {
    let names: Option<Vec<String>> = n.items()?.iter().map(plain_name).collect();
    names.filter(|n| !n.is_empty())
}

fn import_spec(node: &Node) -> Option<ImportSpec> {
    let items = node.items()?;
    if items.first().is_some_and(|f| f.symbol().is_some()) {
        return Some(ImportSpec {
            module: module_name(node)?,
            at: node.start,
            select: None,
            hide: Vec::new(),
            prefix: String::new(),
        });
    }
    let head = items.first()?;
    let mut spec = ImportSpec {
        module: module_name(head)?,
        at: head.start,
        select: None,
        hide: Vec::new(),
        prefix: String::new(),
    };
    let mut rest = items[1..].iter();
    while let Some(option) = rest.next() {
        let (Kind::Keyword(k), Some(arg)) = (&option.kind, rest.next()) else {
            continue;
        };
        match k.as_str() {
            "select" => {
                let chosen = arg.items().unwrap_or_default().iter().filter_map(|i| {
                    match &i.kind {
                        Kind::Symbol(s) => Some((s.clone(), s.clone(), i.start)),
                        // (name . local)
                        Kind::List(pair, Some(local)) if pair.len() == 1 => Some((
                            pair[0].symbol()?.to_string(),
                            local.symbol()?.to_string(),
                            i.start,
                        )),
                        _ => None,
                    }
                });
                spec.select = Some(chosen.collect());
            }
            "hide" => spec.hide = exported_names(arg),
            "prefix" => spec.prefix = arg.symbol().unwrap_or_default().to_string(),
            // (symbol-prefix-proc 'p:)
            "renamer" => {
                if let (Some("symbol-prefix-proc"), Some(items)) = (arg.head(), arg.items()) {
                    if let Some(Kind::Prefixed("quote", p)) = items.get(1).map(|n| &n.kind) {
                        spec.prefix = p.symbol().unwrap_or_default().to_string();
                    }
                }
            }
            _ => {}
        }
    }
    Some(spec)
}

impl Namespace {
    /// Gives this namespace the names `spec` imports from `module`, and records why the
    /// module's other names are not visible.
    pub(super) fn import(
        &mut self,
        spec: &ImportSpec,
        module: &ModuleInfo,
    ) -> Result<(), ImportError> {
        let mut given: Vec<(String, String)> = Vec::new();
        match &spec.select {
            Some(chosen) => {
                for (name, local, at) in chosen {
                    let Some(global) = module.exports.get(name) else {
                        return Err(not_exported(name, module, *at));
                    };
                    given.push((local.clone(), global.clone()));
                }
            }
            None => {
                for (name, global) in &module.exports {
                    if !spec.hide.contains(name) {
                        given.push((format!("{}{name}", spec.prefix), global.clone()));
                    }
                }
            }
        }
        let shown = &module.name;
        for name in module.defined.iter().chain(module.exports.keys()) {
            let reason = if !module.exports.contains_key(name) {
                let e = not_exported(name, module, 0);
                Refusal {
                    message: e.message,
                    hint: e.hint,
                }
            } else if spec.hide.contains(name) {
                Refusal {
                    message: format!("`{name}` is hidden by the #:hide of {shown}"),
                    hint: Some(format!("remove it from #:hide to use {shown}'s `{name}`")),
                }
            } else if spec.select.is_some() {
                Refusal {
                    message: format!("`{name}` is not in the #:select of {shown}"),
                    hint: Some(format!("add it to #:select to use {shown}'s `{name}`")),
                }
            } else if !spec.prefix.is_empty() {
                Refusal {
                    message: format!("`{name}` is imported from {shown} with a prefix"),
                    hint: Some(format!("did you mean {}{name}?", spec.prefix)),
                }
            } else {
                continue;
            };
            self.refused.entry(name.clone()).or_insert(reason);
        }
        for (local, global) in given {
            self.refused.remove(&local);
            self.imports.insert(local, global);
        }
        Ok(())
    }

    /// The names this namespace's text can write: its own definitions and its imports.
    pub(super) fn visible_names(&self) -> impl Iterator<Item = &str> {
        self.own
            .keys()
            .chain(self.imports.keys())
            .map(String::as_str)
    }

    /// Adds the top-level definitions of a text to this namespace.
    pub(super) fn define(&mut self, nodes: &[Node]) {
        let mut names = Vec::new();
        let mut public = Vec::new();
        for node in nodes {
            defined_names(node, &mut names, &mut public);
        }
        // A name the module exports and `(define-thing NAME …)` writes, where define-thing is
        // a definer macro (Guix's define-cargo-inputs, a module's own syntax-rules): the
        // macro defines it, so it is the module's, renamed like its other definitions. Only
        // exported names: a definer of another kind may not define its first argument.
        for node in nodes {
            let (Some(head), Some(items)) = (node.head(), node.items()) else {
                continue;
            };
            let Some(name) = items.get(1).and_then(Node::symbol) else {
                continue;
            };
            if head.starts_with("define-")
                && !names.iter().any(|n| n == name)
                && self.exports.iter().any(|(inside, _)| inside == name)
            {
                names.push(name.to_string());
            }
        }
        self.exports
            .extend(public.into_iter().map(|name| (name.clone(), name)));
        for name in names {
            let global = match &self.prefix {
                Some(p) => format!("{p}{name}"),
                None => name.clone(),
            };
            self.refused.remove(&name);
            self.own.insert(name, global);
        }
    }

    /// What a module still loading offers: its declared exports, under the globals its
    /// definitions will have (none has run yet, or only some).
    pub(super) fn info_while_loading(&self, name: String) -> ModuleInfo {
        let prefix = self.prefix.clone().unwrap_or_default();
        let mut exports = BTreeMap::new();
        for (inside, exported) in &self.exports {
            let global = self
                .own
                .get(inside)
                .or_else(|| self.imports.get(inside))
                .cloned()
                .unwrap_or_else(|| format!("{prefix}{inside}"));
            exports.insert(exported.clone(), global);
        }
        for (inside, exported) in &self.re_exports {
            if let Some(g) = self.imports.get(inside) {
                exports.insert(exported.clone(), g.clone());
            }
        }
        ModuleInfo {
            name,
            defined: exports.keys().cloned().collect(),
            globals: exports.clone(),
            exports,
            unseen: BTreeSet::new(),
        }
    }

    /// What a module offers once its text ran: its exports (every definition when it has no
    /// `define-module`), re-exported imports included.
    pub(super) fn info(&self, name: String) -> ModuleInfo {
        let mut exports = BTreeMap::new();
        let mut unseen = BTreeSet::new();
        if self.declared {
            for (inside, exported) in &self.exports {
                if let Some(g) = self.own.get(inside).or_else(|| self.imports.get(inside)) {
                    exports.insert(exported.clone(), g.clone());
                } else {
                    unseen.insert(exported.clone());
                }
            }
        } else {
            exports.extend(self.own.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        for (inside, exported) in &self.re_exports {
            if let Some(g) = self.imports.get(inside).or_else(|| self.own.get(inside)) {
                exports.insert(exported.clone(), g.clone());
            }
        }
        let mut globals: BTreeMap<String, String> = self.imports.clone().into_iter().collect();
        globals.extend(self.own.iter().map(|(k, v)| (k.clone(), v.clone())));
        for name in exports.keys() {
            unseen.remove(name);
        }
        ModuleInfo {
            name,
            exports,
            defined: self.own.keys().cloned().collect(),
            globals,
            unseen,
        }
    }

    /// Where a name resolves in this namespace, when it is renamed.
    fn resolve(&self, name: &str) -> Option<&str> {
        self.own
            .get(name)
            .or_else(|| self.imports.get(name))
            .map(String::as_str)
    }
}

/// The name of `names` closest to `name`, a few edits away.
fn closest<'a>(name: &str, names: impl Iterator<Item = &'a String>) -> Option<&'a str> {
    super::diagnose::closest(name, names.map(String::as_str))
}

fn not_exported(name: &str, module: &ModuleInfo, at: usize) -> ImportError {
    if module.unseen.contains(name) {
        return ImportError {
            at,
            message: format!(
                "`{name}` is in the #:export of {}, but no definition there that ingot reads \
                 makes it",
                module.name
            ),
            hint: Some(format!(
                "a macro ingot does not know may define it (ingot reads define, define*, \
                 define-public, define-syntax, record types and a (define-… {name} …) form); \
                 if {} never defines it, Guile fails too (unbound variable)",
                module.name
            )),
        };
    }
    let hint = match closest(name, module.exports.keys().chain(&module.unseen)) {
        Some(e) => super::diagnose::did_you_mean(e),
        None if module.exports.is_empty() && module.unseen.is_empty() => {
            format!("{} exports nothing", module.name)
        }
        None if module.exports.is_empty() => format!(
            "{} exports only names ingot sees no definition of (made by a macro ingot does \
             not know?): {}",
            module.name,
            module
                .unseen
                .iter()
                .take(8)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        ),
        None => format!(
            "{} exports {}",
            module.name,
            module
                .exports
                .keys()
                .take(8)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    ImportError {
        at,
        message: format!("`{name}` is not exported by {}", module.name),
        hint: Some(hint),
    }
}

/// A Guile module reference, `(@ (a b) name)` or `(@@ (a b) name)`: the module, the name and
/// whether it is `@@` (private names too).
pub(super) fn module_ref(node: &Node) -> Option<(Vec<String>, &str, bool)> {
    let private = match node.head()? {
        "@" => false,
        "@@" => true,
        _ => return None,
    };
    let [_, module, name] = node.items()? else {
        return None;
    };
    let module: Vec<String> = module
        .items()?
        .iter()
        .map(plain_name)
        .collect::<Option<_>>()?;
    (!module.is_empty()).then_some(())?;
    Some((module, name.symbol()?, private))
}

/// The prefix of the global that holds a built-in module's `name` when the text defines `name`
/// itself: the evaluator binds it, before the text runs, to the prelude's value or to the
/// placeholder of a name ingot lacks.
pub(super) const BUILT_IN_ALIAS: &str = "%ingot-built-in:";

/// Where the name of a module reference is written.
fn module_ref_name_at(node: &Node) -> usize {
    node.items()
        .and_then(|i| i.get(2))
        .map_or(node.start, |n| n.start)
}

/// Every module reference written in code (not in quoted data): its module and where the
/// module's name is written. Guile loads such a module when it expands the reference.
pub(super) fn module_refs(nodes: &[Node], out: &mut Vec<(Vec<String>, usize)>) {
    for node in nodes {
        match &node.kind {
            Kind::Prefixed("quote", _) => {}
            Kind::Prefixed(_, inner) => module_refs(std::slice::from_ref(&**inner), out),
            Kind::List(items, tail) => {
                if node.head() == Some("quote") {
                    continue;
                }
                if let Some((module, _, _)) = module_ref(node) {
                    out.push((module, items[1].start));
                    continue;
                }
                module_refs(items, out);
                module_refs(
                    tail.as_deref()
                        .map(std::slice::from_ref)
                        .unwrap_or_default(),
                    out,
                );
            }
            _ => {}
        }
    }
}

/// The names a top-level form defines; `define-public` ones are also exports.
pub(super) fn defined_names(node: &Node, names: &mut Vec<String>, exports: &mut Vec<String>) {
    let Some(items) = node.items() else { return };
    let sym = |i: usize| items.get(i).and_then(Node::symbol).map(str::to_string);
    match node.head() {
        Some("begin") => {
            for item in &items[1..] {
                defined_names(item, names, exports);
            }
        }
        Some(
            head @ ("define" | "define*" | "define-public" | "define*-public" | "define-syntax"
            | "define-syntax-rule"),
        ) => {
            // (define name …), (define (name . args) …), (define ((name a) b) …)
            let mut target = items.get(1);
            while let Some(Kind::List(inner, _)) = target.map(|t| &t.kind) {
                target = inner.first();
            }
            if let Some(name) = target.and_then(Node::symbol) {
                if matches!(head, "define-public" | "define*-public") {
                    exports.push(name.to_string());
                }
                names.push(name.to_string());
            }
        }
        Some("define-record-type*") => {
            // TYPE NAME CONSTRUCTOR PREDICATE [THIS] (FIELD ACCESSOR …) …
            for item in &items[1..] {
                match &item.kind {
                    Kind::Symbol(s) => names.push(s.clone()),
                    Kind::List(field, _) => names.extend(field.get(1).and_then(plain_name)),
                    _ => {}
                }
            }
        }
        Some("define-record-type") => {
            // TYPE (CONSTRUCTOR FIELD …) PREDICATE (FIELD ACCESSOR [MODIFIER]) …
            names.extend(sym(1));
            if let Some(ctor) = items.get(2) {
                names.extend(ctor.symbol().map(str::to_string));
                names.extend(ctor.items().and_then(|c| c.first()).and_then(plain_name));
            }
            names.extend(sym(3));
            for field in items.iter().skip(4) {
                names.extend(
                    field
                        .items()
                        .unwrap_or_default()
                        .iter()
                        .skip(1)
                        .filter_map(plain_name),
                );
            }
        }
        _ => {}
    }
}

/// How the renaming pass sees the engine.
pub(super) struct World<'a> {
    /// Whether the prelude (or an earlier form) binds a name.
    pub is_bound: &'a dyn Fn(&str) -> bool,
    /// The globals of record constructors: their arguments' heads are field names.
    pub records: &'a HashSet<String>,
    /// Every loaded module, for a name used from one this text does not import.
    pub modules: &'a [ModuleInfo],
}

/// A use of a name this namespace cannot see: where, and why.
#[derive(Debug, Clone)]
pub(super) struct Refused {
    pub at: usize,
    pub message: String,
    pub hint: Option<String>,
}

/// The renames of `text`'s top-level `nodes` in namespace `ns`: (offset, length, new name).
pub(super) fn renames(
    nodes: &[Node],
    ns: &Namespace,
    world: &World,
) -> Result<Vec<(usize, usize, String)>, Refused> {
    let mut pass = Pass {
        ns,
        world,
        edits: Vec::new(),
    };
    let top = Scope::default();
    for node in nodes {
        pass.code(node, &top)?;
    }
    pass.edits.sort_by_key(|e| e.0);
    Ok(pass.edits)
}

/// Local names bound around a datum.
#[derive(Default, Clone)]
struct Scope {
    names: HashSet<String>,
}

impl Scope {
    fn with(&self, more: impl IntoIterator<Item = String>) -> Scope {
        let mut s = self.clone();
        s.names.extend(more);
        s
    }
}

struct Pass<'a> {
    ns: &'a Namespace,
    world: &'a World<'a>,
    edits: Vec<(usize, usize, String)>,
}

impl Pass<'_> {
    /// The global a name written in this namespace is, when it is renamed: its own or an
    /// imported module's, or the name under a built-in module's prefix (the prelude's, or the
    /// placeholder an unprefixed use would give: `svc:guix-service-type` is
    /// `guix-service-type`).
    fn global_of<'n>(&'n self, name: &'n str) -> Option<&'n str> {
        self.ns.resolve(name).or_else(|| {
            let mut rests = self
                .ns
                .built_in_prefixes
                .iter()
                .filter_map(|p| name.strip_prefix(p.as_str()))
                .filter(|rest| !rest.is_empty());
            let first = rests.next()?;
            Some(
                std::iter::once(first)
                    .chain(rests)
                    .find(|rest| (self.world.is_bound)(rest))
                    .unwrap_or(first),
            )
        })
    }

    fn symbol(&mut self, node: &Node, name: &str, scope: &Scope) -> Result<(), Refused> {
        if scope.names.contains(name) {
            return Ok(());
        }
        if let Some(global) = self.global_of(name) {
            if global != name {
                let global = global.to_string();
                self.edits.push((node.start, node.end - node.start, global));
            }
            return Ok(());
        }
        if (self.world.is_bound)(name) || self.ns.opaque {
            return Ok(());
        }
        if let Some(r) = self.ns.refused.get(name) {
            return Err(Refused {
                at: node.start,
                message: r.message.clone(),
                hint: r.hint.clone(),
            });
        }
        if let Some(m) = self
            .world
            .modules
            .iter()
            .find(|m| m.exports.contains_key(name))
        {
            return Err(Refused {
                at: node.start,
                message: format!(
                    "`{name}` is exported by {}, which is not imported here",
                    m.name
                ),
                hint: Some(format!(
                    "add #:use-module {} or (use-modules {})",
                    m.name, m.name
                )),
            });
        }
        Ok(())
    }

    fn all(&mut self, nodes: &[Node], scope: &Scope) -> Result<(), Refused> {
        nodes.iter().try_for_each(|n| self.code(n, scope))
    }

    /// A body: its internal definitions are local to it.
    fn body(&mut self, nodes: &[Node], scope: &Scope) -> Result<(), Refused> {
        let mut inner = Vec::new();
        for n in nodes {
            defined_names(n, &mut inner, &mut Vec::new());
        }
        let scope = scope.with(inner);
        self.all(nodes, &scope)
    }

    fn code(&mut self, node: &Node, scope: &Scope) -> Result<(), Refused> {
        match &node.kind {
            Kind::Symbol(s) => self.symbol(node, s, scope),
            Kind::Prefixed("quasiquote", inner) => self.quasi(inner, scope),
            Kind::Prefixed("unquote" | "unquote-splicing", inner) => self.code(inner, scope),
            Kind::List(items, tail) => {
                let head = items.first().and_then(Node::symbol);
                let head =
                    head.filter(|h| !scope.names.contains(*h) && self.global_of(h).is_none());
                if matches!(head, Some("@" | "@@")) {
                    if let Some((module, name, private)) = module_ref(node) {
                        return self.module_ref(node, &module, name, private);
                    }
                }
                match head {
                    Some(
                        "quote" | "define-module" | "use-modules" | "export" | "export-syntax"
                        | "re-export",
                    ) => Ok(()),
                    Some("quasiquote") => items.get(1).map_or(Ok(()), |i| self.quasi(i, scope)),
                    Some("case") => {
                        self.all(&items[1..items.len().min(2)], scope)?;
                        for clause in items.iter().skip(2) {
                            if let Some(c) = clause.items() {
                                self.all(c.get(1..).unwrap_or_default(), scope)?;
                            }
                        }
                        Ok(())
                    }
                    Some("lambda" | "λ" | "lambda*" | "fn") => {
                        let (binders, defaults) = formals(items.get(1));
                        let inner = scope.with(binders);
                        for d in defaults {
                            self.code(d, &inner)?;
                        }
                        self.body(items.get(2..).unwrap_or_default(), &inner)
                    }
                    Some("define" | "define*" | "define-public" | "define*-public") => {
                        self.define(items, scope)
                    }
                    Some("let" | "let*" | "letrec" | "letrec*") => self.let_form(items, scope),
                    Some("let-values" | "let*-values") => {
                        let mut binders = Vec::new();
                        for b in items.get(1).and_then(Node::items).unwrap_or_default() {
                            let Some(b) = b.items() else { continue };
                            let (names, defaults) = formals(b.first());
                            binders.extend(names);
                            for d in defaults {
                                self.code(d, scope)?;
                            }
                            self.all(b.get(1..).unwrap_or_default(), scope)?;
                        }
                        self.body(items.get(2..).unwrap_or_default(), &scope.with(binders))
                    }
                    Some("receive") => {
                        let (binders, _) = formals(items.get(1));
                        self.all(items.get(2..3).unwrap_or_default(), scope)?;
                        self.body(items.get(3..).unwrap_or_default(), &scope.with(binders))
                    }
                    Some("do") => {
                        let specs = items.get(1).and_then(Node::items).unwrap_or_default();
                        let binders = specs
                            .iter()
                            .filter_map(|s| s.items()?.first().and_then(plain_name));
                        let inner = scope.with(binders);
                        for s in specs {
                            let s = s.items().unwrap_or_default();
                            self.all(s.get(1..2).unwrap_or_default(), scope)?;
                            self.all(s.get(2..).unwrap_or_default(), &inner)?;
                        }
                        self.all(items.get(2..).unwrap_or_default(), &inner)
                    }
                    Some("define-syntax-rule") => {
                        let sig = items.get(1).and_then(Node::items).unwrap_or_default();
                        if let Some(name) = sig.first() {
                            self.code(name, scope)?;
                        }
                        let mut vars = Vec::new();
                        sig.iter().skip(1).for_each(|p| symbols(p, &mut vars));
                        self.all(items.get(2..).unwrap_or_default(), &scope.with(vars))
                    }
                    Some("syntax-rules") => {
                        let mut literals = Vec::new();
                        if let Some(l) = items.get(1) {
                            symbols(l, &mut literals);
                        }
                        for rule in items.iter().skip(2) {
                            let Some(r) = rule.items() else { continue };
                            let mut vars = literals.clone();
                            if let Some(p) = r.first() {
                                symbols(p, &mut vars);
                            }
                            self.all(r.get(1..).unwrap_or_default(), &scope.with(vars))?;
                        }
                        Ok(())
                    }
                    Some("define-record-type*") => {
                        for item in &items[1..] {
                            match item.items() {
                                // (FIELD ACCESSOR OPTION …): the field name stays; an
                                // option's head is a keyword of the form.
                                Some(field) => {
                                    self.all(field.get(1..2).unwrap_or_default(), scope)?;
                                    for option in field.iter().skip(2) {
                                        let args = option.items().unwrap_or_default();
                                        self.all(args.get(1..).unwrap_or_default(), scope)?;
                                    }
                                }
                                None => self.code(item, scope)?,
                            }
                        }
                        Ok(())
                    }
                    Some("define-record-type") => {
                        for (k, item) in items.iter().enumerate().skip(1) {
                            match (k, item.items()) {
                                (2, Some(ctor)) => self.all(&ctor[..ctor.len().min(1)], scope)?,
                                (_, Some(field)) => {
                                    self.all(field.get(1..).unwrap_or_default(), scope)?
                                }
                                (_, None) => self.code(item, scope)?,
                            }
                        }
                        Ok(())
                    }
                    _ => {
                        let record = items.first().and_then(Node::symbol).is_some_and(|h| {
                            !scope.names.contains(h)
                                && self.world.records.contains(self.global_of(h).unwrap_or(h))
                        });
                        if let Some(first) = items.first() {
                            self.code(first, scope)?;
                        }
                        for item in items.iter().skip(1) {
                            match (&item.kind, record) {
                                // (FIELD value …): the field name is not a variable.
                                (Kind::List(clause, None), true)
                                    if clause.first().is_some_and(|c| c.symbol().is_some()) =>
                                {
                                    self.all(&clause[1..], scope)?
                                }
                                _ => self.code(item, scope)?,
                            }
                        }
                        tail.as_deref().map_or(Ok(()), |t| self.code(t, scope))
                    }
                }
            }
            _ => Ok(()),
        }
    }

    /// `(@ (a b) name)` (an exported name) or `(@@ (a b) name)` (any top-level name): the
    /// global of a loaded user module's name; for a module ingot provides, `name` itself (the
    /// prelude's, or a placeholder as when the module is used).
    fn module_ref(
        &mut self,
        node: &Node,
        module: &[String],
        name: &str,
        private: bool,
    ) -> Result<(), Refused> {
        let shown = super::modules::display(module);
        let global = match self.world.modules.iter().find(|m| m.name == shown) {
            // A built-in module's name is the prelude's global (or the placeholder of a name
            // ingot lacks), unless this text defines the same global itself, as in
            // `(define x (@@ (gnu …) x))`: then it is the value the name had before the text
            // ran, under a name of its own (see `BUILT_IN_ALIAS`).
            None if self.ns.own.get(name).is_some_and(|g| g == name) => {
                format!("{BUILT_IN_ALIAS}{name}")
            }
            None => name.to_string(),
            Some(m) if !private => match m.exports.get(name) {
                Some(g) => g.clone(),
                None => {
                    let e = not_exported(name, m, 0);
                    let at = module_ref_name_at(node);
                    let hint = if m.globals.contains_key(name) {
                        Some(format!(
                            "`{name}` is private to {shown}: (@@ {shown} {name}) reads it"
                        ))
                    } else {
                        e.hint
                    };
                    return Err(Refused {
                        at,
                        message: e.message,
                        hint,
                    });
                }
            },
            Some(m) => match m.globals.get(name) {
                Some(g) => g.clone(),
                None => {
                    let hint = match closest(name, m.globals.keys()) {
                        Some(c) => super::diagnose::did_you_mean(c),
                        None => format!(
                            "{shown} defines {}",
                            m.globals
                                .keys()
                                .take(8)
                                .cloned()
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    };
                    return Err(Refused {
                        at: module_ref_name_at(node),
                        message: format!("`{name}` is not defined in {shown}"),
                        hint: Some(hint),
                    });
                }
            },
        };
        self.edits.push((node.start, node.end - node.start, global));
        Ok(())
    }

    fn quasi(&mut self, node: &Node, scope: &Scope) -> Result<(), Refused> {
        match &node.kind {
            Kind::Prefixed("unquote" | "unquote-splicing", inner) => self.code(inner, scope),
            Kind::List(items, tail) => {
                if matches!(node.head(), Some("unquote" | "unquote-splicing")) {
                    return self.all(&items[1..], scope);
                }
                for i in items.iter().chain(tail.as_deref()) {
                    self.quasi(i, scope)?;
                }
                Ok(())
            }
            Kind::Vector(items) => items.iter().try_for_each(|i| self.quasi(i, scope)),
            _ => Ok(()),
        }
    }

    fn define(&mut self, items: &[Node], scope: &Scope) -> Result<(), Refused> {
        let Some(target) = items.get(1) else {
            return Ok(());
        };
        match &target.kind {
            // (define (name . formals) body …), curried: ((name a) b)
            Kind::List(..) => {
                let mut binders = Vec::new();
                let mut defaults = Vec::new();
                let mut t = target;
                while let Kind::List(inner, tail) = &t.kind {
                    let rest = Node {
                        start: t.start,
                        end: t.end,
                        kind: Kind::List(inner.get(1..).unwrap_or_default().to_vec(), tail.clone()),
                    };
                    let (b, d) = formals(Some(&rest));
                    binders.extend(b);
                    defaults.extend(d.into_iter().cloned());
                    match inner.first() {
                        Some(next) => t = next,
                        None => break,
                    }
                }
                if t.symbol().is_some() {
                    self.code(t, scope)?;
                }
                let inner = scope.with(binders);
                for d in &defaults {
                    self.code(d, &inner)?;
                }
                self.body(items.get(2..).unwrap_or_default(), &inner)
            }
            _ => self.all(&items[1..], scope),
        }
    }

    fn let_form(&mut self, items: &[Node], scope: &Scope) -> Result<(), Refused> {
        let head = items.first().and_then(Node::symbol).unwrap_or_default();
        // Named let: (let name ((v e) …) body …)
        let (named, at) = match items.get(1).and_then(Node::symbol) {
            Some(name) => (Some(name.to_string()), 2),
            None => (None, 1),
        };
        let bindings = items.get(at).and_then(Node::items).unwrap_or_default();
        let vars: Vec<String> = bindings
            .iter()
            .filter_map(|b| b.items()?.first().and_then(plain_name))
            .collect();
        let mut seen = scope.clone();
        for b in bindings {
            let Some(b) = b.items() else { continue };
            let init_scope = match head {
                "letrec" | "letrec*" => scope.with(vars.iter().cloned()),
                "let*" => seen.clone(),
                _ => scope.clone(),
            };
            self.all(b.get(1..).unwrap_or_default(), &init_scope)?;
            seen = seen.with(b.first().and_then(plain_name));
        }
        let inner = scope.with(vars.into_iter().chain(named));
        self.body(items.get(at + 1..).unwrap_or_default(), &inner)
    }
}

/// The names a lambda list binds, and its default expressions (`#:optional`/`#:key`).
fn formals(list: Option<&Node>) -> (Vec<String>, Vec<&Node>) {
    let mut names = Vec::new();
    let mut defaults = Vec::new();
    let Some(list) = list else {
        return (names, defaults);
    };
    match &list.kind {
        Kind::Symbol(s) => names.push(s.clone()),
        Kind::List(items, tail) => {
            for item in items {
                match &item.kind {
                    Kind::Symbol(s) => names.push(s.clone()),
                    Kind::List(pair, _) => {
                        names.extend(pair.first().and_then(plain_name));
                        defaults.extend(pair.get(1));
                    }
                    _ => {}
                }
            }
            names.extend(tail.as_deref().and_then(plain_name));
        }
        _ => {}
    }
    (names, defaults)
}

/// Every symbol in a datum (a syntax-rules pattern's variables and literals).
fn symbols(node: &Node, out: &mut Vec<String>) {
    match &node.kind {
        Kind::Symbol(s) => out.push(s.clone()),
        Kind::List(items, tail) => {
            for i in items.iter().chain(tail.as_deref()) {
                symbols(i, out);
            }
        }
        Kind::Vector(items) => items.iter().for_each(|i| symbols(i, out)),
        Kind::Prefixed(_, inner) => symbols(inner, out),
        _ => {}
    }
}

/// The top-level data of `scanned`, one per form.
pub(super) fn read_forms(scanned: &Scanned) -> Vec<Node> {
    let bytes = scanned.text.as_bytes();
    scanned
        .forms
        .iter()
        .filter_map(|f| reader::read(&bytes[..f.end], &mut f.start.clone()))
        .collect()
}

/// `scanned` with `edits` made; its shifts and forms still lead to the source.
pub(super) fn apply(scanned: Scanned, edits: &[(usize, usize, String)]) -> Scanned {
    if edits.is_empty() {
        return scanned;
    }
    let old = &scanned.text;
    let mut text = String::with_capacity(old.len() + edits.len() * 8);
    // (offset in the old text, offset in the new) after each edit.
    let mut points: Vec<(usize, usize)> = Vec::with_capacity(edits.len());
    let mut copied = 0;
    for (at, len, new) in edits {
        text.push_str(&old[copied..*at]);
        text.push_str(new);
        copied = at + len;
        points.push((copied, text.len()));
    }
    text.push_str(&old[copied..]);
    let forward = |o: usize| match points.iter().rev().find(|(old, _)| *old <= o) {
        Some((old, new)) => new + (o - old),
        None => o,
    };
    // Breakpoints of the combined map: every edit's end and every point of the scan's own.
    let mut breaks: Vec<usize> = points.iter().map(|p| p.0).collect();
    breaks.extend(scanned.shifts.iter().map(|s| s.0));
    breaks.sort_unstable();
    breaks.dedup();
    let shifts = breaks
        .into_iter()
        .map(|b| (forward(b), source::to_source_offset(&scanned.shifts, b)))
        .collect();
    let forms = scanned
        .forms
        .iter()
        .map(|f| Form {
            start: forward(f.start),
            end: forward(f.end),
        })
        .collect();
    Scanned {
        text,
        forms,
        shifts,
    }
}

/// A module's globals are `%%mN:name`: shown as Guile would, `name`.
pub(super) fn unmangle(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find("%%m") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 3..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && after.as_bytes().get(digits) == Some(&b':') {
            rest = &after[digits + 1..];
        } else {
            out.push_str("%%m");
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nodes(text: &str) -> Vec<Node> {
        reader::read_all(text, 0, text.len())
    }

    fn renamed(text: &str, ns: &Namespace) -> Result<String, Refused> {
        let bound = |n: &str| ["list", "+", "operating-system"].contains(&n);
        let records: HashSet<String> = ["operating-system".to_string()].into();
        let world = World {
            is_bound: &bound,
            records: &records,
            modules: &[],
        };
        let edits = renames(&nodes(text), ns, &world)?;
        let scanned = Scanned {
            text: text.to_string(),
            forms: vec![Form {
                start: 0,
                end: text.len(),
            }],
            shifts: Vec::new(),
        };
        Ok(apply(scanned, &edits).text)
    }

    fn module(text: &str) -> Namespace {
        let mut ns = Namespace {
            prefix: Some("%%m1:".into()),
            ..Namespace::default()
        };
        let n = nodes(text);
        module_forms(&n, &mut ns);
        ns.define(&n);
        ns
    }

    #[test]
    fn renames_definitions_and_references_but_not_data_fields_or_locals() {
        let text = "(define (helper x) (list x 'helper `(helper ,helper)))\n\
                    (define* (f #:key (helper 1)) helper)\n\
                    (case helper ((helper) 1))\n\
                    (operating-system (helper (helper 2)))";
        let ns = module(text);
        assert_eq!(
            renamed(text, &ns).unwrap(),
            "(define (%%m1:helper x) (list x 'helper `(helper ,%%m1:helper)))\n\
             (define* (%%m1:f #:key (helper 1)) helper)\n\
             (case %%m1:helper ((helper) 1))\n\
             (operating-system (helper (%%m1:helper 2)))"
        );
    }

    #[test]
    fn let_forms_shadow_with_their_own_scopes() {
        let text = "(define a 1)\n(let* ((x a) (a 2)) a)\n(let loop ((a a)) (loop a))";
        let out = renamed(text, &module(text)).unwrap();
        assert_eq!(
            out,
            "(define %%m1:a 1)\n(let* ((x %%m1:a) (a 2)) a)\n(let loop ((a %%m1:a)) (loop a))"
        );
    }

    #[test]
    fn imports_select_rename_prefix_and_hide() {
        let base = ModuleInfo {
            name: "(systems base)".into(),
            exports: [("a", "%%m1:a"), ("b", "%%m1:b"), ("c", "%%m1:c")]
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .into(),
            defined: ["a", "b", "c", "helper"].map(String::from).into(),
            ..ModuleInfo::default()
        };
        let text = "(use-modules ((systems base) #:select (a (b . bee))) \
                    ((systems base) #:prefix p: #:hide (c)))";
        let mut ns = Namespace::default();
        for spec in module_forms(&nodes(text), &mut ns) {
            ns.import(&spec, &base).unwrap();
        }
        assert_eq!(ns.imports.get("a").map(String::as_str), Some("%%m1:a"));
        assert_eq!(ns.imports.get("bee").map(String::as_str), Some("%%m1:b"));
        assert_eq!(ns.imports.get("p:b").map(String::as_str), Some("%%m1:b"));
        assert!(!ns.imports.contains_key("p:c") && !ns.imports.contains_key("b"));
        let err = renamed("(list helper)", &ns).unwrap_err();
        assert_eq!(err.message, "`helper` is not exported by (systems base)");
        assert_eq!(err.at, 6);
        assert!(renamed("(list c)", &ns)
            .unwrap_err()
            .message
            .contains("#:select"));
        let hide = "(use-modules ((systems base) #:hide (c)))";
        let mut hidden = Namespace::default();
        let spec = &module_forms(&nodes(hide), &mut hidden)[0];
        hidden.import(spec, &base).unwrap();
        let err = renamed("(list a c)", &hidden).unwrap_err();
        assert_eq!(err.message, "`c` is hidden by the #:hide of (systems base)");
        // A Guix package module may hold a name ingot does not know: no error then.
        let opaque = "(use-modules (systems base)) (use-package-modules linux)";
        let mut ns = Namespace::default();
        for spec in module_forms(&nodes(opaque), &mut ns) {
            ns.import(&spec, &base).unwrap();
        }
        assert!(ns.opaque);
        assert_eq!(renamed("(list helper)", &ns).unwrap(), "(list helper)");
        let bad = "(use-modules ((systems base) #:select (d)))";
        let mut ns = Namespace::default();
        let spec = &module_forms(&nodes(bad), &mut ns)[0];
        let err = ns.import(spec, &base).unwrap_err();
        assert_eq!(err.at, bad.find("(d)").unwrap() + 1);
        let renamer = "(use-modules ((systems base) #:renamer (symbol-prefix-proc 'q:)))";
        let spec = &module_forms(&nodes(renamer), &mut ns)[0];
        assert_eq!(spec.prefix, "q:");
    }

    #[test]
    fn apply_keeps_locations_of_the_source() {
        let text = "(f aa) (g aa)";
        let s = Scanned {
            text: text.into(),
            forms: vec![Form { start: 0, end: 6 }, Form { start: 7, end: 13 }],
            shifts: Vec::new(),
        };
        let out = apply(s, &[(3, 2, "%%m1:aa".into()), (10, 2, "%%m1:aa".into())]);
        assert_eq!(out.text, "(f %%m1:aa) (g %%m1:aa)");
        assert_eq!(out.forms[1].start, 12);
        assert_eq!(source::to_source_offset(&out.shifts, 13), 8);
    }

    #[test]
    fn unmangles_module_globals() {
        assert_eq!(unmangle("%%m12:helper: arity"), "helper: arity");
        assert_eq!(unmangle("100%%m"), "100%%m");
    }
}
