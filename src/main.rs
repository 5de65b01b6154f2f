//! The `ingot` command: thin; the work is in the library.

mod cli;

// Counts the bytes the evaluation thread holds, for --eval-memory (see ingot::alloc_count).
#[global_allocator]
static ALLOCATOR: ingot::alloc_count::CountingAllocator = ingot::alloc_count::CountingAllocator;

fn main() {
    // steel-core 0.8.3 has no setting for its home but the environment: a lazy static reads
    // STEEL_HOME on the first compile (collect_requires) and, when it is unset, creates
    // ~/.local/share/steel (or panics in ModuleManager::new without HOME). ingot loads no Steel
    // packages: point it at a directory that is never created. This is the process's first
    // statement, before any thread exists, so no other thread can read the environment
    // meanwhile.
    if std::env::var_os("STEEL_HOME").is_none() {
        std::env::set_var("STEEL_HOME", std::env::temp_dir().join("ingot-steel-home"));
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
        eprint!("{}", cli::report::format_error(&err));
        std::process::exit(1);
    }
}
