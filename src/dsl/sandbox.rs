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
//! identifiers of the text is enough.

use std::collections::HashMap;
use std::sync::Arc;

use steel::rerrs::{ErrorKind, SteelErr};
use steel::steel_vm::builtin::BuiltInModule;
use steel::steel_vm::engine::Engine;
use steel::steel_vm::primitives as steel_modules;
use steel::SteelVal;

use super::bounds::{checked, Budget};
use super::scan;

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
/// (byte offset, name, why).
pub(crate) fn forbidden_form(text: &str) -> Option<(usize, &str, &'static str)> {
    identifiers(text).find_map(|(at, ident)| {
        if let Some((_, why)) = FORBIDDEN_FORMS.iter().find(|(name, _)| *name == ident) {
            return Some((at, ident, *why));
        }
        // Steel's internal names reach the unchecked procedures behind the sandbox's copies.
        let internal = INTERNAL_PREFIXES.iter().any(|p| ident.starts_with(p))
            || INTERNAL_NAMES.contains(&ident);
        internal.then_some((at, ident, "definitions cannot use Steel's internal names"))
    })
}

/// The identifiers of Scheme text with their offsets, skipping strings, comments and
/// characters.
fn identifiers(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            let c = bytes[i];
            match c {
                b';' => i = scan::line_comment_end(bytes, i),
                b'"' => i = scan::string_end(bytes, i) + 1,
                b'#' if bytes.get(i + 1) == Some(&b'|') => {
                    i = scan::block_comment_end(bytes, i, usize::MAX).unwrap_or(bytes.len());
                }
                b'#' if bytes.get(i + 1) == Some(&b'\\') => i = scan::char_end(bytes, i),
                _ if scan::is_delimiter(c) || c == b'\'' || c == b'`' || c == b',' || c == b'@' => {
                    i += 1
                }
                _ => {
                    let start = i;
                    while i < bytes.len() && !scan::is_delimiter(bytes[i]) {
                        i += 1;
                    }
                    // Delimiters are ASCII, so both ends are character boundaries.
                    return Some((start, &text[start..i]));
                }
            }
        }
        None
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
            forbidden_form("'(a . (require-builtin steel/process))").map(|(_, n, _)| n),
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
