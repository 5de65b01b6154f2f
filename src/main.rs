//! The `ingot` command: thin; the work is in the library.

mod cli;

// Counts the bytes the evaluation thread holds, for --eval-memory (see ingot::alloc_count).
#[global_allocator]
static ALLOCATOR: ingot::alloc_count::CountingAllocator = ingot::alloc_count::CountingAllocator;

fn main() {
    // steel-core 0.8.3 has no setting for its home but the environment: a lazy static reads
    // STEEL_HOME on the first compile and, when it is unset, creates ~/.local/share/steel.
    // ingot loads no Steel packages, so it points Steel at a directory that is never created.
    // Changing its own environment would be unsound once threads run, so ingot starts itself
    // again with the variable set: one exec, before anything else.
    if std::env::var_os("STEEL_HOME").is_none() {
        let error = restart_with_steel_home();
        eprintln!(
            "error: ingot could not restart itself with STEEL_HOME set ({error}); \
             set STEEL_HOME to a directory that need not exist and run it again"
        );
        std::process::exit(1);
    }
    // Steel reads and compiles recursively: evaluate on a stack with room for the deepest
    // nesting a definition may have (ingot::dsl::MAX_NESTING).
    let worker = std::thread::Builder::new()
        .name("ingot".into())
        .stack_size(ingot::dsl::EVAL_STACK)
        .spawn(cli::run);
    let result = match worker {
        Ok(handle) => handle.join().unwrap_or_else(|_| {
            Err(anyhow::anyhow!(
                "internal error: ingot panicked (please report it)"
            ))
        }),
        Err(e) => Err(anyhow::anyhow!("cannot start the evaluation thread: {e}")),
    };
    // A build interrupted meanwhile: the handler reports and exits, not this thread.
    ingot::cleanup::wait_if_interrupted();
    if let Err(err) = result {
        ingot::dsl::end_open_error_line();
        eprint!("{}", cli::report::format_error(&err));
        std::process::exit(1);
    }
}

/// Replaces this process by ingot with the same arguments and STEEL_HOME set; returns only
/// when that fails.
fn restart_with_steel_home() -> std::io::Error {
    use std::os::unix::process::CommandExt;
    let mut args = std::env::args_os();
    let arg0 = args.next().unwrap_or_else(|| "ingot".into());
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(e) => return e,
    };
    std::process::Command::new(exe)
        .arg0(arg0)
        .args(args)
        .env("STEEL_HOME", std::env::temp_dir().join("ingot-steel-home"))
        .exec()
}
