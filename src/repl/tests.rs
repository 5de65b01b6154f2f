use super::*;

struct Script(std::collections::VecDeque<&'static str>, Vec<String>);

impl LineSource for Script {
    fn read_line(&mut self, _prompt: &str) -> Result<Option<String>, ReadlineError> {
        Ok(self.0.pop_front().map(str::to_string))
    }
    fn add_history(&mut self, entry: &str) {
        self.1.push(entry.to_string());
    }
}

struct Fake;

impl Actions for Fake {
    fn show(&self, img: &model::Image) -> String {
        format!("PLAN with {} partitions\n", img.partitions.len())
    }
    fn build(&self, img: &model::Image, path: &Path) -> String {
        format!("BUILD {} to {}\n", img.format.as_str(), path.display())
    }
}

fn session(lines: &[&'static str]) -> (String, Vec<String>) {
    let dsl = Dsl::new().unwrap();
    let mut script = Script(lines.iter().copied().collect(), Vec::new());
    let mut out = Vec::new();
    run_with(dsl, None, &Fake, &mut script, &mut out).unwrap();
    (String::from_utf8(out).unwrap(), script.1)
}

#[test]
fn evaluates_multi_line_input_shows_and_builds() {
    let (out, history) = session(&[
        "(define p (partition",
        "  (label \"data\")",
        "  (size 4096)))",
        "(partition-size p)",
        "(show efi-disk-image)",
        "(show (operating-system (host-name \"h\")",
        "  (bootloader (bootloader-configuration (bootloader grub-efi-bootloader)))",
        "  (file-systems '())) 'efi-raw)",
        "(build efi-disk-image \"x.img\")",
        "(build iso9660-image \"x.iso\" #:type 'iso9660)",
        ",q",
        "(partition-size p)",
    ]);
    assert!(out.contains("\n4096\n"), "{out}");
    assert_eq!(out.matches("PLAN with 2 partitions").count(), 2, "{out}");
    assert!(out.contains("BUILD disk-image to x.img"), "{out}");
    assert!(out.contains("BUILD iso9660 to x.iso"), "{out}");
    assert!(!out.contains("error"), "{out}");
    assert!(out.trim_end().ends_with("bye"), "{out}");
    assert_eq!(history.len(), 7);
    assert!(history[0].contains("(label \"data\")"));
}

#[test]
fn errors_do_not_end_the_session() {
    let (out, _) = session(&[
        "(partition (lable \"x\"))",
        "(car '())",
        "(+ 1 2)",
        "(show 42)",
        "(build efi-disk-image 42)",
    ]);
    assert!(
        out.contains("error: <repl-1>:1:12: partition: field lable: no such field"),
        "{out}"
    );
    assert!(out.contains("\n3\n"), "{out}");
    assert!(
        out.contains("show: expected an image or an operating-system"),
        "{out}"
    );
    assert!(
        out.contains("build: the output must be a file name"),
        "{out}"
    );
}

#[test]
fn unknown_names_are_errors_with_a_suggestion() {
    let (out, _) = session(&[
        "(shwo efi-disk-image)",
        "esp-partiton",
        "(define (thrice x) (* 3 x))",
        "(define (twice x) (* 2 (thrice x)))",
        "(twice 7)",
        "(define (later x) (helper x))",
    ]);
    assert!(
        out.contains("error: <repl-1>:1:2: unbound name `shwo`\n  hint: did you mean `show`?"),
        "{out}"
    );
    assert!(out.contains("did you mean `esp-partition`?"), "{out}");
    assert!(!out.contains("#<unknown"), "{out}");
    assert!(out.contains("\n42\n"), "{out}");
    // In a definition an unknown name is only a warning (as in a file).
    assert!(
        out.contains("warning: <repl-6>:1:20: `helper` is not defined yet"),
        "{out}"
    );
}

#[test]
fn an_input_with_an_unknown_name_does_not_run() {
    // Its output is not printed, and the name is still unknown in the next input.
    // (Output of display goes to the process's stdout, not `out`: a definition is the
    // observable effect here.)
    let (out, _) = session(&[
        "(begin (set! counter 1) (frobnicate 1))",
        "(define counter 0)",
        "(begin (set! counter (+ counter 1)) (frobnicate 1))",
        "(frobnicate 2)",
        "(+ counter 40)",
    ]);
    assert!(
        out.contains("error: <repl-3>:1:38: unbound name `frobnicate`"),
        "{out}"
    );
    assert!(
        out.contains("error: <repl-4>:1:2: unbound name `frobnicate`"),
        "{out}"
    );
    assert!(out.contains("\n40\n"), "{out}");
}

#[test]
fn a_name_defined_later_is_not_a_value_yet() {
    let (out, _) = session(&["(define (f) (g))", "g", "(define (g) 7)", "(f)"]);
    assert!(
        out.contains("error: <repl-2>:1:1: `g` is used before its definition ran"),
        "{out}"
    );
    assert!(!out.contains("#<unknown g>"), "{out}");
    assert!(out.contains("\n7\n"), "{out}");
}

#[test]
fn comments_commands_and_describe() {
    let (out, _) = session(&[
        ";; a comment alone",
        "   ",
        ",describe partition",
        ",describe show",
        ",describe partiton",
        ",apropos esp",
        ",type esp-partition",
        ",type (+ 1 2)",
        ",build x",
        "(define my-disk (image (inherit efi-disk-image)))",
        ",help",
    ]);
    assert!(!out.contains("nothing to evaluate"), "{out}");
    assert!(out.contains("partition: record"), "{out}");
    assert!(
        out.contains("size") && out.contains("default 'guess"),
        "{out}"
    );
    assert!(out.contains("label") && out.contains("required"), "{out}");
    assert!(
        out.contains("(show value . type): procedure, 1 or more arguments"),
        "{out}"
    );
    assert!(out.contains("did you mean `partition`?"), "{out}");
    assert!(
        out.contains("esp-partition") && out.contains("variable"),
        "{out}"
    );
    assert!(out.contains("partition record\n"), "{out}");
    assert!(out.contains("integer\n"), "{out}");
    assert!(out.contains("unknown command ,build"), "{out}");
    assert!(out.contains("defined in this session:\n  my-disk"), "{out}");
}

#[test]
fn history_path_follows_xdg_state_home() {
    // Only reads the environment; the variables are the process's own.
    if let Some(p) = history_path() {
        assert!(p.ends_with("ingot/history"));
    }
}

#[test]
fn a_procedure_may_call_what_a_later_input_defines() {
    // As in a file: pasted line by line, `f`'s body calls the `g` of the next line.
    let (out, _) = session(&[
        "(define (f) (+ (g) (h 1)))",
        "(define (g) 1)",
        "(define h (lambda (x) (* 10 x)))",
        "(f)",
        // One input of several forms is evaluated as a file is.
        "(define (f2) (g2)) (define g2 (lambda () 22)) (f2)",
        ",help",
    ]);
    assert!(out.contains("\n11\n"), "{out}");
    assert!(out.contains("\n22\n"), "{out}");
    // "error:" as a message starts (,help lists current-error-port).
    assert!(!out.contains("error:") && !out.contains("unknown"), "{out}");
    // Defined now, so no longer a placeholder: listed among the session's definitions.
    let help = &out[out.find("\n11\n").unwrap()..];
    assert!(help.contains('g') && help.contains('h'), "{out}");
}
