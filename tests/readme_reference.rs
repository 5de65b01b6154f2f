//! The README's reference of the DSL is the one `ingot::reference` reads from the prelude:
//! a record, field, default or procedure changed in scheme/*.scm without the README fails here.
//! `INGOT_BLESS=1` rewrites the section instead.

const BEGIN: &str = "<!-- reference:begin -->\n";
const END: &str = "<!-- reference:end -->";

#[test]
fn the_readme_reference_is_the_prelude_s() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let readme = std::fs::read_to_string(path).unwrap();
    let start = readme
        .find(BEGIN)
        .expect("README has the reference markers")
        + BEGIN.len();
    let end = readme[start..].find(END).unwrap() + start;
    let want = ingot::reference::markdown();
    if std::env::var_os("INGOT_BLESS").is_some() {
        let updated = format!("{}{want}{}", &readme[..start], &readme[end..]);
        std::fs::write(path, updated).unwrap();
        return;
    }
    assert!(
        readme[start..end] == want,
        "README's reference differs from the prelude; run INGOT_BLESS=1 cargo test --test \
         readme_reference"
    );
    // It is a real reference: the records and their defaults are there.
    assert!(
        want.contains("- **`partition`**: `size` ('guess)"),
        "{want}"
    );
    assert!(want.contains("`label` (required)"));
    assert!(want.contains("`(copy-recursively root source path)`"));
}
