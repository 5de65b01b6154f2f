//! Errors as the command line prints them: `error: …` then each cause not already said.

pub fn format_error(err: &anyhow::Error) -> String {
    let mut out = format!("{} {err}\n", super::progress::prefix("error"));
    let mut source = err.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !err.to_string().contains(&text) {
            out.push_str(&format!("  caused by: {text}\n"));
        }
        source = cause.source();
    }
    out
}
