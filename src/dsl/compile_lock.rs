//! One Steel compilation at a time in the process.
//!
//! steel-parser 0.8.3 interns number literals in one process-wide table and stores a literal's
//! key before its value (`NumberLiteralInterner::add`). A second thread that meets the same new
//! literal in between finds the key and then panics resolving it; CI saw this when two engines
//! started at once. Steel interns numbers only while it compiles (lexing, macro expansion,
//! constant folding), not while it runs compiled code, so the lock covers compilation alone: a
//! long evaluation must not count against another evaluation's time limit.

use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

use steel::rerrs::SteelErr;
use steel::steel_vm::engine::Engine;
use steel::SteelVal;

static COMPILING: Mutex<()> = Mutex::new(());

/// Held while Steel compiles; never call another function of this module while holding it.
pub(crate) fn compiling() -> MutexGuard<'static, ()> {
    // The lock guards no data: a panic while it was held leaves nothing inconsistent.
    COMPILING.lock().unwrap_or_else(|e| e.into_inner())
}

/// `Engine::compile_and_run_raw_program(_with_path)`, compiling under the lock.
pub(crate) fn compile_and_run<E>(
    engine: &mut Engine,
    text: E,
    path: Option<PathBuf>,
) -> Result<Vec<SteelVal>, SteelErr>
where
    E: AsRef<str> + Into<Cow<'static, str>>,
{
    let program = {
        let _one = compiling();
        match path {
            Some(path) => engine.emit_raw_program(text, path),
            None => engine.emit_raw_program_no_path(text),
        }
    }?;
    engine.run_raw_program(program)
}

#[cfg(test)]
mod tests {
    use std::panic::AssertUnwindSafe;
    use std::sync::Barrier;

    use super::*;

    /// Threads compiling, round after round, the same literals no one has seen yet. Without
    /// the lock this panics in steel-parser within a few rounds on two cores.
    #[test]
    fn concurrent_compiles_of_new_literals_do_not_panic() {
        const THREADS: usize = 4;
        const ROUNDS: u64 = 40;
        let barrier = Barrier::new(THREADS);
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..THREADS)
                .map(|_| {
                    scope.spawn(|| {
                        let mut engine = {
                            let _one = compiling();
                            Engine::new_raw_no_kernel()
                        };
                        // Every thread reaches every barrier, failed or not, so that a
                        // failure is reported instead of leaving the others waiting.
                        let mut first_failure = None;
                        for round in 0..ROUNDS {
                            let base = 7_000_000_000 + round * 10_000;
                            let text: String = (0..2_000)
                                .map(|i| format!("(define n{i} {})\n", base + i))
                                .collect();
                            barrier.wait();
                            let compiled = std::panic::catch_unwind(AssertUnwindSafe(|| {
                                compile_and_run(&mut engine, text, None)
                            }));
                            let failure = match compiled {
                                Ok(Ok(_)) => None,
                                Ok(Err(e)) => Some(format!("round {round}: {e}")),
                                Err(_) => Some(format!("round {round}: Steel panicked")),
                            };
                            first_failure = first_failure.or(failure);
                        }
                        first_failure.map_or(Ok(()), Err)
                    })
                })
                .collect();
            for handle in handles {
                let result: Result<(), String> = handle.join().unwrap_or(Err("lost".into()));
                assert_eq!(result, Ok(()));
            }
        });
    }
}
