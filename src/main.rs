//! The `ingot` command: thin; the work is in the library.

mod cli;

fn main() {
    if std::env::var_os("STEEL_HOME").is_none() {
        // Steel warns on every start without it; ingot loads no Steel packages.
        std::env::set_var("STEEL_HOME", std::env::temp_dir().join("ingot-steel-home"));
    }
    let result = cli::run();
    // A build interrupted meanwhile: the handler reports and exits, not this thread.
    ingot::cleanup::wait_if_interrupted();
    if let Err(err) = result {
        eprint!("{}", cli::report::format_error(&err));
        std::process::exit(1);
    }
}
