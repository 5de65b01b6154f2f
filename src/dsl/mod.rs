//! The Scheme DSL: Guix-style definitions evaluated by an embedded Steel engine, turned into
//! `model` values.
//!
//! The prelude (scheme/*.scm) defines Guix's records (`partition`, `image`, `image-type`,
//! `operating-system`, …) with `define-record-type*` semantics, the standard images and image
//! types of `(gnu system image)`, the board image types, and enough of Guile and Guix for a
//! Guix file to evaluate unchanged. Names a Guix file uses that ingot does not define (package
//! and service variables, configuration records) become opaque placeholders, reported in one
//! warning with what else ingot ignored.
//!
//! Where ingot differs from Guix, on purpose:
//! - Locations are `FILE:LINE:COLUMN` with 1-based columns, and point at the record form or
//!   the field clause at fault. A record built inside the prelude (e.g. by
//!   `raw-with-offset-disk-image`) is located at the top-level form that asked for it.
//! - An unbound name does not stop evaluation: as a value it is an opaque placeholder, as an
//!   operator (`(openssh-configuration (port-number 2222))`) the call is kept unevaluated.
//!   Where ingot needs a real value the field check fails and names the undefined name.
//! - Packages, services, users and the other OS fields ingot cannot honour are evaluated as
//!   inert data; `%base-packages`, `%base-services` and `%desktop-services` are lists of named
//!   placeholders (their lengths approximate Guix's).
//! - The operating-system's kernel and initrd are files (`local-file` or a path), not
//!   packages; its root content is the ingot-specific `root-tree` field.
//! - Partition uuids must be 128-bit (DCE) UUIDs; FAT volume ids are refused there.
//! - `(ice-9 match)` is not supported (it
//!   reports it where it is used). Gexps (`#~`, `#$`) read as quoted data; the
//!   three initializer gexps ingot knows are named, any other is `Initializer::Unknown`.
//! - The Hurd image types use ingot's root initializer (the root tree brings its device
//!   nodes).
//!
//! Steel reads `STEEL_HOME` from the environment on every compile; the `ingot` binary starts
//! itself again with it set when it is unset (see main.rs), `cargo test` sets it through
//! .cargo/config.toml. A `Dsl`
//! stays on the thread that made it.

mod blame;
mod bounds;
mod calls;
mod compile_lock;
mod convert;
mod diagnose;
mod dotted_quotes;
mod ellipsis;
mod engine;
mod error;
mod eval;
mod exporters;
mod free_names;
mod kernel;
mod local_syntax;
mod modules;
mod namespace;
mod pattern;
mod reader;
mod repl_api;
mod rewrite;
mod run;
mod sandbox;
mod scan;
mod source;
mod syntax_blame;
mod syntax_case;
mod tree;
mod unknown;
mod value;
mod watch;

pub use bounds::{Limits, EVAL_STACK, MAX_NESTING};
pub use error::{DslError, RecordError, Warning};
pub use repl_api::{end_open_error_line, take_open_output_line};
pub use source::{has_expression, is_complete, line_column};
pub use watch::set_default_output_stdout;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use steel::steel_vm::engine::Engine;
use steel::SteelVal;

use crate::model;
use engine::{Shared, SharedRef};
use value::render;

/// What a definition evaluated to.
#[derive(Debug, Clone, PartialEq)]
pub enum Evaluated {
    Image(model::Image),
    OperatingSystem(model::OperatingSystem),
}

/// What a REPL input produced.
#[derive(Debug)]
pub enum ReplOutcome {
    /// The value, printed (empty for no value).
    Value(String),
    /// `(show …)`: the image to print the plan of.
    Show(Box<model::Image>),
    /// `(build IMAGE "FILE" …)`: the image to write, and where.
    Build(Box<model::Image>, PathBuf),
}

/// Text the user wrote, for locations: a file, or the session transcript of `-e` and REPL
/// inputs (each input a part, named "<expr>" or "<repl-N>", lines counted from its start).
#[derive(Debug, Clone, Default)]
pub(crate) struct SourceText {
    /// What Steel compiles (see `source::scan`).
    pub text: String,
    /// What the user wrote, for line and column.
    pub original: String,
    /// `text` offset -> `original` offset points (see `source::Scanned::shifts`).
    pub shifts: Vec<(usize, usize)>,
    /// (start offset, name) of each part, in order.
    pub parts: Vec<(usize, String)>,
}

impl SourceText {
    /// The part containing `offset`: its name and start.
    pub(crate) fn part(&self, offset: usize) -> (&str, usize) {
        self.parts
            .iter()
            .rev()
            .find(|(start, _)| *start <= offset)
            .or(self.parts.first())
            .map(|(start, name)| (name.as_str(), *start))
            .unwrap_or(("?", 0))
    }
}

/// Where the text being evaluated comes from.
pub(crate) enum Input {
    File {
        path: PathBuf,
        name: String,
    },
    /// `-e` or a REPL input, appended to the session transcript.
    Session {
        name: String,
    },
}

/// An evaluator of ingot definitions. Holds one Steel engine with the prelude loaded; values
/// defined by one evaluation stay visible to the next (as in the REPL).
pub struct Dsl {
    engine: Engine,
    shared: SharedRef,
    /// Steel source id -> the user text it came from.
    sources: HashMap<u32, Arc<SourceText>>,
    /// `-e` and REPL inputs so far.
    session: Arc<SourceText>,
    /// Names that became placeholders, in order of first use, during the last evaluation.
    unknowns: Vec<String>,
    /// Definitions kept as opaque values because they could not be computed (see
    /// `keep_uncomputed_definition`): the name as Steel knows it, and why.
    uncomputed: Vec<(String, String)>,
    /// Every placeholder defined so far, with whether it was defined as an operator.
    placeholders: HashMap<String, bool>,
    /// Names a top-level form of the text being evaluated may define although no plain
    /// `define` of it is written: the symbols of its `begin`, `define-values` and macro-use
    /// forms. A value placeholder for one gets a setter (see `unknown`).
    defined_later: Arc<HashSet<String>>,
    /// Value placeholders that a later definition replaces: name -> its setter.
    placeholder_setters: HashMap<String, String>,
    /// Forms compiled again with their dotted quoted data as globals (see `dotted_quotes`).
    hoisted_quotes: usize,
    /// The user macros of the texts read so far, for the sandbox check (see `sandbox`).
    user_macros: sandbox::Macros,
    /// Placeholders of `placeholder_setters` that a top-level value stored before their
    /// definition ran: name -> (text, offset of the form that stored it).
    stored_placeholders: HashMap<String, (Arc<SourceText>, usize)>,
    /// Set while a REPL input runs: a name a procedure body uses before its definition is a
    /// global a later input may define, as a file's later definitions are (see `unknown`).
    late_bound_bodies: bool,
    /// Set while a REPL input that defines nothing runs: a name it uses that nobody defined is
    /// a mistake typed there, so the input stops before running (nothing printed, no
    /// placeholder left for the next input); the name is in `unknowns` for the REPL to say.
    refuse_unknowns: bool,
    /// Names used before their definition -> the setter that gives their definition's value
    /// to the code compiled before it (see `eval::forward_program`).
    forwards: HashMap<String, String>,
    warnings: Vec<Warning>,
    /// The operating-systems evaluated so far with their Scheme values, for `image_for`.
    operating_systems: Vec<(model::OperatingSystem, SteelVal)>,
    /// Directory relative host paths of the last evaluation are taken from.
    base_dir: PathBuf,
    /// Where the last top-level form of the last evaluation starts.
    last_form: Option<model::SourceLoc>,
    inputs: usize,
    /// -L directories, searched for user modules before the given file's directory.
    load_path: Vec<PathBuf>,
    /// The given file's directory (the current directory for -e and the REPL).
    search_dir: PathBuf,
    /// Module files evaluated so far (each once).
    loaded: HashSet<PathBuf>,
    /// Modules being loaded, outermost first: a cycle imports one of these.
    loading: Vec<String>,
    /// Forward globals made for the exports of a module imported while it loads, with the
    /// cycle (`(a) -> (b) -> (a)`) for the error when one is used too early.
    cycle_forwards: HashMap<String, String>,
    /// What each loaded module file exports.
    modules: HashMap<PathBuf, namespace::ModuleInfo>,
    /// The namespace of the main file and REPL, then of each module being loaded.
    namespaces: Vec<namespace::Namespace>,
    limits: Limits,
    budget: Arc<bounds::Budget>,
}

impl Dsl {
    /// Starts the engine and loads the prelude.
    pub fn new() -> Result<Dsl, DslError> {
        let base_dir = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let shared: SharedRef = Arc::new(Mutex::new(Shared {
            base_dir: base_dir.clone(),
            ..Shared::default()
        }));
        let budget = Arc::new(bounds::Budget::default());
        let engine =
            engine::new_engine(&shared, &budget).map_err(|e| DslError::Prelude(e.to_string()))?;
        Ok(Dsl {
            engine,
            shared,
            sources: HashMap::new(),
            session: Arc::new(SourceText::default()),
            unknowns: Vec::new(),
            uncomputed: Vec::new(),
            placeholders: HashMap::new(),
            defined_later: Arc::default(),
            placeholder_setters: HashMap::new(),
            hoisted_quotes: 0,
            user_macros: HashMap::new(),
            stored_placeholders: HashMap::new(),
            late_bound_bodies: false,
            refuse_unknowns: false,
            forwards: HashMap::new(),
            warnings: Vec::new(),
            operating_systems: Vec::new(),
            base_dir,
            last_form: None,
            inputs: 0,
            load_path: Vec::new(),
            search_dir: PathBuf::from("."),
            loaded: HashSet::new(),
            loading: Vec::new(),
            cycle_forwards: HashMap::new(),
            modules: HashMap::new(),
            namespaces: vec![namespace::Namespace::default()],
            limits: Limits::default(),
            budget,
        })
    }

    /// Directories searched for user modules (`-L`), in order, before the file's own.
    pub fn set_load_path(&mut self, dirs: Vec<PathBuf>) {
        self.load_path = dirs;
    }

    /// Evaluates a definition file; its value is its last expression, an image or an
    /// operating-system. Relative paths in it are taken from the file's directory.
    fn eval_file_unbounded(&mut self, path: &Path) -> Result<Evaluated, DslError> {
        let text = std::fs::read_to_string(path).map_err(|source| DslError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let base = absolute
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let input = Input::File {
            path: absolute.clone(),
            name: path.display().to_string(),
        };
        let value = self.eval_source(input, &text, base, Some(absolute))?;
        self.evaluated(value)
    }

    /// Evaluates `-e EXPR`; relative paths are taken from the current directory.
    fn eval_expr_unbounded(&mut self, expr: &str) -> Result<Evaluated, DslError> {
        let value = self.eval_text_as("<expr>", expr)?;
        self.evaluated(value)
    }

    /// An image of the evaluated value: an operating-system goes through the constructor of
    /// the image type named `image_type` (Scheme's `os->image`); an image is returned as is.
    fn image_for_unbounded(
        &mut self,
        value: &Evaluated,
        image_type: &str,
    ) -> Result<model::Image, DslError> {
        match value {
            Evaluated::Image(image) => Ok(image.clone()),
            Evaluated::OperatingSystem(os) => {
                let Some(os_value) = self
                    .operating_systems
                    .iter()
                    .rev()
                    .find(|(model, _)| model == os)
                    .map(|(_, value)| value.clone())
                else {
                    return Err(DslError::value(
                        os.location.clone(),
                        "this operating-system was not evaluated by this Dsl",
                    ));
                };
                let image = self.apply_image_type(&os_value, image_type)?;
                self.convert_image(&image)
            }
        }
    }

    /// The names of `%image-types`, in order.
    pub fn image_type_names(&mut self) -> Result<Vec<String>, DslError> {
        let types = self
            .engine
            .extract_value("%image-types")
            .map_err(|e| DslError::Prelude(e.to_string()))?;
        let mut names = Vec::new();
        for t in value::list_items(&types).unwrap_or_default() {
            if let Some(name) = value::record_get(&t, "name") {
                if let Some(s) = value::as_symbol(&name) {
                    names.push(s.to_string());
                }
            }
        }
        Ok(names)
    }

    /// Warnings of the last evaluation (what was ignored, unknown names).
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// Evaluates one REPL input: its value printed, or the image `(show …)` asked for.
    fn eval_repl_unbounded(&mut self, text: &str) -> Result<ReplOutcome, DslError> {
        self.inputs += 1;
        let name = format!("<repl-{}>", self.inputs);
        self.late_bound_bodies = true;
        self.refuse_unknowns = !text.trim_start().starts_with("(define");
        let value = self.eval_text_as(&name, text);
        self.late_bound_bodies = false;
        self.refuse_unknowns = false;
        let value = value?;
        let build = value::is_struct(&value, value::layout::BUILD);
        if value::is_struct(&value, value::layout::SHOW) || build {
            let target = value::struct_field(&value, 0).unwrap_or(SteelVal::Void);
            let ty = value::struct_field(&value, if build { 2 } else { 1 })
                .and_then(|t| value::as_symbol(&t).map(str::to_string))
                .unwrap_or_else(|| "mbr-hybrid-raw".into());
            let image = match value::record_type(&target).as_deref() {
                Some("image") => self.convert_image(&target)?,
                Some("operating-system") => {
                    let image = self.apply_image_type(&target, &ty)?;
                    self.convert_image(&image)?
                }
                _ => {
                    return Err(DslError::value(
                        None,
                        format!(
                            "{}: expected an image or an operating-system, got {}",
                            if build { "build" } else { "show" },
                            render(&target)
                        ),
                    ))
                }
            };
            if !self.unknowns.is_empty() {
                self.warn_about_unknowns(image.location.clone());
            }
            if build {
                let path = value::struct_field(&value, 1)
                    .and_then(|p| match p {
                        SteelVal::StringV(s) => Some(PathBuf::from(s.as_str())),
                        _ => None,
                    })
                    .unwrap_or_default();
                return Ok(ReplOutcome::Build(Box::new(image), path));
            }
            return Ok(ReplOutcome::Show(Box::new(image)));
        }
        if !self.unknowns.is_empty() {
            self.warn_about_unknowns(None);
        }
        Ok(ReplOutcome::Value(match value {
            SteelVal::Void => String::new(),
            v => value::describe(&v),
        }))
    }

    fn eval_text_as(&mut self, name: &str, text: &str) -> Result<SteelVal, DslError> {
        let base = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let input = Input::Session {
            name: name.to_string(),
        };
        self.eval_source(input, text, base, None)
    }

    fn evaluated(&mut self, value: SteelVal) -> Result<Evaluated, DslError> {
        /// How many `(machine …)` a `guix deploy` file's value lists (0: not such a list).
        fn deploy_machines(value: &SteelVal) -> usize {
            let items = value::list_items(value).unwrap_or_default();
            let machine = |v: &SteelVal| value::unknown_name(v).as_deref() == Some("machine");
            if items.iter().all(machine) {
                items.len()
            } else {
                0
            }
        }
        match value::record_type(&value).as_deref() {
            Some("image") => {
                let image = self.convert_image(&value)?;
                if let Some(os) = &image.operating_system {
                    self.warn_about_os(os);
                } else {
                    self.warn_about_unknowns(image.location.clone());
                }
                Ok(Evaluated::Image(image))
            }
            Some("operating-system") => {
                let os = self.convert_os(&value)?;
                self.warn_about_os(&os);
                self.operating_systems.push((os.clone(), value));
                Ok(Evaluated::OperatingSystem(os))
            }
            _ if deploy_machines(&value) > 0 => Err(DslError::value(
                self.last_form.clone(),
                format!(
                    "this is a `guix deploy` file: its value is a list of {} machine(s), not an \
                     operating-system; ingot builds one operating-system: end a file with the \
                     machine's (operating-system …) value and show that file",
                    deploy_machines(&value)
                ),
            )),
            other => {
                let what = match other {
                    Some(ty) => format!("a {ty} record"),
                    None => render(&value),
                };
                let mut e = DslError::value(
                    self.last_form.clone(),
                    format!(
                        "the definition must end with an image or an operating-system, but its last expression is {what}"
                    ),
                );
                if let Some(hint) = self.exported_systems_hint() {
                    e = e.with_hint(hint);
                } else if matches!(value, SteelVal::Void) {
                    // A file ending with a definition: the names it does not know are not
                    // why it has no value.
                    e = e.with_hint(
                        "its last form is a definition, which has no value: end the file with \
                         the image or operating-system to build (the name of one it defines)"
                            .to_string(),
                    );
                } else if let Some(hint) = self.named_unknown_hint(&what) {
                    // The value is a placeholder: its own name is the one to explain.
                    e = e.with_hint(hint);
                } else if !self.unknowns.is_empty() {
                    // As the user's text spells them: a module's names without ingot's prefix.
                    let mut names: Vec<String> = self
                        .unknowns
                        .iter()
                        .map(|u| namespace::unmangle(u))
                        .collect();
                    let mut seen = HashSet::new();
                    names.retain(|n| seen.insert(n.clone()));
                    e = e.with_hint(format!(
                        "these names are not defined (misspelt, or Guix names ingot does not \
                         know): {}",
                        names.join(", ")
                    ));
                }
                Err(e)
            }
        }
    }

    /// For a main file that is a module (its value is its last expression, often nothing):
    /// the operating-systems and images it exports, to end it with.
    fn exported_systems_hint(&self) -> Option<String> {
        let ns = self.namespaces.first().filter(|ns| ns.declared)?;
        let systems: Vec<&str> = ns
            .exports
            .iter()
            .filter(|(own, _)| {
                let global = ns.own.get(own).map_or(own.as_str(), String::as_str);
                self.engine.extract_value(global).is_ok_and(|v| {
                    matches!(
                        value::record_type(&v).as_deref(),
                        Some("operating-system" | "image")
                    )
                })
            })
            .map(|(_, exported)| exported.as_str())
            .collect();
        (!systems.is_empty()).then(|| {
            format!(
                "this file is a module, whose value is its last expression; it exports {}: end \
                 it with the one to show, as `guix system image` is given a file ending with \
                 its system",
                systems
                    .iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
    }

    /// The one warning about an operating-system: what ingot ignores, and unknown names.
    fn warn_about_os(&mut self, os: &model::OperatingSystem) {
        let mut parts = Vec::new();
        if !os.ignored.is_empty() {
            parts.push(format!(
                "ignored: {}; ingot builds no packages and runs no services, the root content comes from root-tree",
                os.ignored.join(", ")
            ));
        }
        if !self.unknowns.is_empty() {
            parts.push(unknowns_phrase(&self.unknowns));
        }
        if !parts.is_empty() {
            self.warnings.push(Warning {
                message: parts.join("; "),
                location: os.location.clone(),
            });
        }
    }

    fn warn_about_unknowns(&mut self, location: Option<model::SourceLoc>) {
        if !self.unknowns.is_empty() {
            let message = unknowns_phrase(&self.unknowns);
            self.warnings.push(Warning { message, location });
        }
    }
}

fn unknowns_phrase(names: &[String]) -> String {
    let unique: Vec<&String> = {
        let mut seen = HashSet::new();
        names.iter().filter(|n| seen.insert(n.as_str())).collect()
    };
    format!(
        "{} name{} not known to ingot, kept as opaque values: {}",
        unique.len(),
        if unique.len() == 1 { "" } else { "s" },
        unique
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_type_names_in_order() {
        let mut dsl = Dsl::new().unwrap();
        let names = dsl.image_type_names().unwrap();
        assert_eq!(
            names[..12],
            [
                "mbr-raw",
                "mbr-hybrid-raw",
                "efi-raw",
                "efi32-raw",
                "qcow2",
                "qcow2-gpt",
                "iso9660",
                "uncompressed-iso9660",
                "docker",
                "tarball",
                "wsl2",
                "raw-with-offset"
            ]
        );
        for board in [
            "pine64-raw",
            "rock64-raw",
            "rock-4c-plus-raw",
            "orangepi-r1-plus-lts-rk3328-raw",
            "pinebook-pro-raw",
            "novena-raw",
            "a20-olinuxino-lime2-raw",
            "unmatched-raw",
            "visionfive2-raw",
            "hurd-raw",
        ] {
            assert!(names.iter().any(|n| n == board), "{board}");
        }
    }

    fn os_expr() -> &'static str {
        "(operating-system (host-name \"h\")
           (bootloader (bootloader-configuration (bootloader grub-bootloader)))
           (file-systems '()))"
    }

    #[test]
    fn image_for_applies_the_named_constructor() {
        let mut dsl = Dsl::new().unwrap();
        let os = dsl.eval_expr(os_expr()).unwrap();
        // Another operating-system evaluated since does not get in the way.
        let other = dsl
            .eval_expr(&os_expr().replace("\"h\"", "\"other\""))
            .unwrap();
        let img = dsl.image_for(&os, "qcow2").unwrap();
        assert_eq!(img.format, model::ImageFormat::CompressedQcow2);
        assert_eq!(img.name.as_deref(), Some("image.qcow2"));
        assert_eq!(
            img.operating_system
                .as_ref()
                .and_then(|o| o.host_name.as_deref()),
            Some("h")
        );
        let img = dsl.image_for(&other, "efi-raw").unwrap();
        assert_eq!(
            img.operating_system
                .as_ref()
                .and_then(|o| o.host_name.as_deref()),
            Some("other")
        );
        let e = dsl.image_for(&os, "nope-raw").unwrap_err();
        assert!(
            e.to_string().starts_with("nope-raw: no such image type"),
            "{e}"
        );
        let e = dsl.image_for(&os, "(bad)").unwrap_err();
        assert!(e.to_string().contains("no such image type"), "{e}");
        // An image is returned as it is, whatever the type.
        let img = dsl.eval_expr("efi-disk-image").unwrap();
        let same = dsl.image_for(&img, "iso9660").unwrap();
        assert_eq!(same.partition_table_type, model::PartitionTableType::Gpt);
    }

    #[test]
    fn expressions_locate_errors_and_resolve_paths_from_the_current_directory() {
        let mut dsl = Dsl::new().unwrap();
        let e = dsl
            .eval_expr("(image-without-os\n  (format 'floppy))")
            .unwrap_err();
        assert!(
            e.to_string()
                .starts_with("<expr>:2:3: image: field format:"),
            "{e}"
        );
        let loc = e.location().unwrap();
        assert_eq!((loc.file.as_str(), loc.line, loc.column), ("<expr>", 2, 3));
        let value = dsl
            .eval_expr(
                "(operating-system (host-name \"h\") (kernel (local-file \"Cargo.toml\"))
                   (bootloader (bootloader-configuration (bootloader grub-bootloader)))
                   (file-systems '()))",
            )
            .unwrap();
        let Evaluated::OperatingSystem(os) = value else {
            panic!("not an operating-system")
        };
        let cwd = std::env::current_dir().unwrap();
        assert_eq!(
            os.kernel,
            Some(model::FileRef::Host(cwd.join("Cargo.toml")))
        );
    }

    #[test]
    fn definitions_stay_visible_to_later_evaluations() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("parts.scm");
        std::fs::write(
            &file,
            "(define data (partition (label \"data\") (size 512)))\n\
             (image-without-os (format 'disk-image) (partitions (list data)))\n",
        )
        .unwrap();
        let mut dsl = Dsl::new().unwrap();
        let Evaluated::Image(img) = dsl.eval_file(&file).unwrap() else {
            panic!("not an image")
        };
        let loc = img.partitions[0].location.clone().unwrap();
        assert_eq!((loc.line, loc.column), (1, 14));
        assert!(loc.file.ends_with("parts.scm"));
        let Evaluated::Image(img) = dsl
            .eval_expr("(image-without-os (format 'tarball) (partitions (list data)))")
            .unwrap()
        else {
            panic!("not an image")
        };
        assert_eq!(img.partitions[0].label, "data");
        // The partition keeps the location it was written at, in the file.
        assert_eq!(img.partitions[0].location, Some(loc));
    }

    #[test]
    fn procedures_see_definitions_made_after_them() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("later.scm");
        std::fs::write(
            &file,
            "(define (data-size) (* 2 half))\n\
             (define (data) (partition (label (label-text)) (size (data-size))))\n\
             (define half 256)\n\
             (define (label-text) \"data\")\n\
             (image-without-os (format 'disk-image) (partitions (list (data))))\n",
        )
        .unwrap();
        let mut dsl = Dsl::new().unwrap();
        let Evaluated::Image(img) = dsl.eval_file(&file).unwrap() else {
            panic!("not an image")
        };
        assert_eq!(img.partitions[0].label, "data");
        assert_eq!(img.partitions[0].size, model::SizeSpec::Bytes(512));
        assert!(dsl.warnings().is_empty(), "{:?}", dsl.warnings());
    }

    #[test]
    fn warnings_belong_to_the_last_evaluation() {
        let mut dsl = Dsl::new().unwrap();
        dsl.eval_expr(
            "(operating-system (host-name \"h\") (packages (list nss-certs))
               (bootloader (bootloader-configuration (bootloader grub-bootloader)))
               (file-systems '()))",
        )
        .unwrap();
        assert_eq!(dsl.warnings().len(), 1);
        let w = dsl.warnings()[0].to_string();
        assert!(w.contains("ignored: 1 package"), "{w}");
        assert!(
            w.contains("1 name not known to ingot, kept as opaque values: nss-certs"),
            "{w}"
        );
        dsl.eval_expr("efi-disk-image").unwrap();
        assert!(dsl.warnings().is_empty());
    }

    #[test]
    fn missing_files_are_read_errors() {
        let mut dsl = Dsl::new().unwrap();
        let e = dsl
            .eval_file(Path::new("/nonexistent/ingot.scm"))
            .unwrap_err();
        assert!(matches!(e, DslError::Read { .. }), "{e}");
    }
}
