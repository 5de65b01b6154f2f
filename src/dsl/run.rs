//! The public evaluation entry points: each runs under the watchdog (`watch`) with the
//! `Limits`, and turns a stop, a too-deep recursion or a panic into one located error.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use super::bounds::Limits;
use super::engine::lock;
use super::watch::{Stopped, Watch};
use super::{Dsl, DslError, Evaluated, ReplOutcome};
use crate::model;

/// Steel's message when its VM passes 10,000,000 frames.
const STACK_OVERFLOW: &str = "stack overflowed!";

impl Dsl {
    /// The time and memory each evaluation may use from now on (default: 30 s, 2 GiB).
    pub fn set_limits(&mut self, limits: Limits) {
        self.limits = limits;
    }

    /// Evaluates a definition file; its value is its last expression, an image or an
    /// operating-system. Relative paths in it are taken from the file's directory.
    pub fn eval_file(&mut self, path: &Path) -> Result<Evaluated, DslError> {
        let name = path.display().to_string();
        self.bounded(&name, |dsl| dsl.eval_file_unbounded(path))
    }

    /// Evaluates `-e EXPR`; relative paths are taken from the current directory.
    pub fn eval_expr(&mut self, expr: &str) -> Result<Evaluated, DslError> {
        self.bounded("<expr>", |dsl| dsl.eval_expr_unbounded(expr))
    }

    /// An image of the evaluated value: an operating-system goes through the constructor of
    /// the image type named `image_type` (Scheme's `os->image`); an image is returned as is.
    pub fn image_for(
        &mut self,
        value: &Evaluated,
        image_type: &str,
    ) -> Result<model::Image, DslError> {
        self.bounded("the definition", |dsl| {
            dsl.image_for_unbounded(value, image_type)
        })
    }

    /// Evaluates one REPL input: its value printed, or the image `(show …)` asked for.
    pub fn eval_repl(&mut self, text: &str) -> Result<ReplOutcome, DslError> {
        let name = format!("<repl-{}>", self.inputs + 1);
        self.bounded(&name, |dsl| dsl.eval_repl_unbounded(text))
    }

    fn bounded<T>(
        &mut self,
        name: &str,
        f: impl FnOnce(&mut Dsl) -> Result<T, DslError>,
    ) -> Result<T, DslError> {
        lock(&self.shared).current_form = None;
        let watch = Watch::start(&self.engine, self.limits, &self.budget, name, &self.shared);
        let result = catch_unwind(AssertUnwindSafe(|| f(self)));
        // A REPL input that panicked must not leave the next evaluation late-binding.
        self.late_bound_bodies = false;
        self.refuse_unknowns = false;
        let stopped = watch.stopped();
        drop(watch);
        match result {
            Ok(result) => result.map_err(|e| self.explain(e, stopped)),
            // A bug in Steel or ingot; the message says so instead of a crash.
            Err(payload) => {
                let what = payload
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "a panic".to_string());
                Err(DslError::Eval {
                    location: None,
                    message: format!("{name}: internal error while evaluating: {what}"),
                    hint: Some("please report this definition as a bug in ingot".to_string()),
                })
            }
        }
    }

    /// Why an evaluation the watchdog stopped failed, or a clearer word for Steel's own stop.
    fn explain(&self, err: DslError, stopped: Option<Stopped>) -> DslError {
        let DslError::Eval {
            location, message, ..
        } = &err
        else {
            return err;
        };
        let (message, hint) = match stopped {
            Some(Stopped::Time) => (
                format!(
                    "evaluation stopped after {} s — an endless loop?",
                    self.limits.timeout.map(|t| t.as_secs()).unwrap_or_default()
                ),
                "--eval-timeout SECS gives it more time (0: no limit)",
            ),
            Some(Stopped::Memory) => (
                format!(
                    "evaluation stopped: it used more than {} MiB of memory — an endless loop?",
                    self.limits.memory >> 20
                ),
                "--eval-memory SIZE gives it more memory",
            ),
            None if message.contains(STACK_OVERFLOW) => (
                "the recursion is too deep (more than 10,000,000 nested calls)".to_string(),
                "an endless recursion? a loop written as a tail call runs in constant space",
            ),
            None => return err,
        };
        DslError::Eval {
            location: location.clone(),
            message,
            hint: Some(hint.to_string()),
        }
    }
}
