//! The `ingot` command: thin; the work is in the library.

mod cli;

// Counts the bytes the evaluation thread holds, for --eval-memory (see ingot::alloc_count).
#[global_allocator]
static ALLOCATOR: ingot::alloc_count::CountingAllocator = ingot::alloc_count::CountingAllocator;

fn main() {
    if std::env::var_os("STEEL_HOME").is_none() {
        // Steel warns on every start without it; ingot loads no Steel packages.
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
