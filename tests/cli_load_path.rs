//! `-L DIR` (repeatable) adds directories searched for user modules, before the file's own.

mod common;

use std::io::Write;
use std::process::Stdio;

use common::ingot::{ingot, ingot_err, show_json};

#[test]
fn modules_over_the_load_path() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib/site");
    let other = dir.path().join("other");
    let machines = dir.path().join("machines");
    for d in [&lib, &other, &machines] {
        std::fs::create_dir_all(d).unwrap();
    }
    std::fs::write(
        lib.join("defaults.scm"),
        "(define-module (site defaults) #:export (%site-label))\n\
         (define %site-label \"site-root\")\n",
    )
    .unwrap();
    std::fs::write(
        other.join("names.scm"),
        "(define-module (names))\n(define-public %site-host \"from-other\")\n",
    )
    .unwrap();
    let machine = machines.join("box.scm");
    std::fs::write(
        &machine,
        "(use-modules (gnu) (site defaults) (names))\n\
         (operating-system (host-name %site-host)\n\
           (bootloader (bootloader-configuration (bootloader grub-efi-bootloader)))\n\
           (file-systems (cons (file-system (device (file-system-label %site-label))\n\
                                 (mount-point \"/\") (type \"ext4\"))\n\
                               %base-file-systems)))\n",
    )
    .unwrap();
    let m = machine.to_str().unwrap();
    let l1 = dir.path().join("lib");
    let (l1, l2) = (l1.to_str().unwrap(), other.to_str().unwrap());
    let plan = show_json(&[m, "-t", "efi-raw", "-L", l1, "--load-path", l2]);
    assert_eq!(plan["partitions"][1]["label"], "site-root");
    let err = ingot_err(&["show", m, "-t", "efi-raw", "-L", l2]);
    let dirs = format!("{l2}, {}", machines.display());
    assert!(
        err.contains(&format!(
            "box.scm:1:20: module (site defaults) not found in {dirs}: add -L DIR"
        )),
        "{err}"
    );
    assert!(!err.contains("did you mean"), "{err}");

    // The REPL takes the same -L: the file loads and its modules' names are bound.
    let mut child = ingot()
        .args(["repl", m, "-L", l1, "--load-path", l2])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"%site-label\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("\"site-root\""), "{text}");
    assert!(!text.contains("not found"), "{text}");
}

/// Two -L directories each hold a module with a private `helper`: each module keeps its own,
/// the machine file sees only what they export, and a private name is a located error.
#[test]
fn modules_over_the_load_path_keep_their_private_names() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, machines) = (
        dir.path().join("a/site"),
        dir.path().join("b/site"),
        dir.path().join("machines"),
    );
    for d in [&a, &b, &machines] {
        std::fs::create_dir_all(d).unwrap();
    }
    std::fs::write(
        a.join("labels.scm"),
        "(define-module (site labels) #:export (root-label))\n\
         (define helper \"from-a\")\n\
         (define (root-label) (string-append helper \"-root\"))\n",
    )
    .unwrap();
    std::fs::write(
        b.join("hosts.scm"),
        "(define-module (site hosts) #:export (host))\n\
         (define (helper n) (string-append \"host-\" n))\n\
         (define host (helper \"b\"))\n",
    )
    .unwrap();
    let os = "(operating-system (host-name host)\n\
                (bootloader (bootloader-configuration (bootloader grub-efi-bootloader)))\n\
                (file-systems (cons (file-system (device (file-system-label (root-label)))\n\
                                      (mount-point \"/\") (type \"ext4\"))\n\
                                    %base-file-systems)))\n";
    let machine = machines.join("box.scm");
    std::fs::write(
        &machine,
        format!("(use-modules (gnu) (site labels) (site hosts))\n{os}"),
    )
    .unwrap();
    let (la, lb) = (dir.path().join("a"), dir.path().join("b"));
    let (m, la, lb) = (
        machine.to_str().unwrap(),
        la.to_str().unwrap(),
        lb.to_str().unwrap(),
    );
    let plan = show_json(&[m, "-t", "efi-raw", "-L", la, "-L", lb]);
    assert_eq!(plan["partitions"][1]["label"], "from-a-root");

    let private = machines.join("private.scm");
    std::fs::write(
        &private,
        format!("(use-modules (gnu) (site labels) (site hosts))\n(define x (helper \"c\"))\n{os}"),
    )
    .unwrap();
    let err = ingot_err(&["show", private.to_str().unwrap(), "-L", la, "-L", lb]);
    assert!(
        err.contains("private.scm:2:12: `helper` is not exported by (site labels)"),
        "{err}"
    );
    assert_eq!(err.matches("error:").count(), 1, "{err}");
}

/// `-e '(@ (module) name)'`, Guix's way to build a system kept in a module: the module loads
/// from -L; `(@@ …)` reads a private name; an unknown module is the use-modules error.
#[test]
fn expression_reads_a_module_variable() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("site");
    std::fs::create_dir_all(&lib).unwrap();
    std::fs::write(
        lib.join("hosts.scm"),
        "(define-module (site hosts) #:use-module (gnu) #:export (%box))\n\
         (define %label \"box-root\")\n\
         (define %box (operating-system (host-name \"box\")\n\
           (bootloader (bootloader-configuration (bootloader grub-efi-bootloader)))\n\
           (file-systems (cons (file-system (device (file-system-label %label))\n\
                                 (mount-point \"/\") (type \"ext4\"))\n\
                               %base-file-systems))))\n\
         (define %private-box %box)\n",
    )
    .unwrap();
    let l = dir.path().to_str().unwrap();
    for expr in ["(@ (site hosts) %box)", "(@@ (site hosts) %private-box)"] {
        let plan = show_json(&["-e", expr, "-t", "efi-raw", "-L", l]);
        assert_eq!(plan["partitions"][1]["label"], "box-root", "{expr}");
    }
    let err = ingot_err(&["show", "-e", "(@ (site nowhere) %box)", "-L", l]);
    assert!(
        err.contains(&format!(
            "<expr>:1:4: module (site nowhere) not found in {l}"
        )),
        "{err}"
    );
}

/// A module that computes a directory of its repository from its own file name (forgoty's
/// `(canonicalize-path (string-append (current-source-directory) "/../../dotfiles"))`) leaves
/// its -L directory but stays in the git work tree holding it: that is the definition's own
/// tree. Without the work tree, or when the work tree is the home directory (dotfiles kept in
/// a repository at ~), it is a located error saying how to allow it.
#[test]
fn canonicalize_path_inside_the_work_tree_of_the_load_path() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().canonicalize().unwrap().join("repo");
    let modules = repo.join("guix/site");
    for d in [&modules, &repo.join("notes/shared"), &repo.join(".git")] {
        std::fs::create_dir_all(d).unwrap();
    }
    std::fs::write(
        modules.join("paths.scm"),
        "(define-module (site paths) #:export (%notes))\n\
         (define %notes\n\
           (canonicalize-path (string-append (dirname (current-filename)) \"/../../notes/shared\")))\n",
    )
    .unwrap();
    let machine = repo.join("guix/box.scm");
    std::fs::write(
        &machine,
        "(use-modules (gnu) (site paths))\n\
         (operating-system (host-name \"box\")\n\
           (kernel-arguments (list %notes))\n\
           (bootloader (bootloader-configuration (bootloader grub-efi-bootloader)))\n\
           (file-systems (cons (file-system (device (file-system-label (basename %notes)))\n\
                                 (mount-point \"/\") (type \"ext4\"))\n\
                               %base-file-systems)))\n",
    )
    .unwrap();
    let (m, l) = (
        machine.to_str().unwrap(),
        repo.join("guix").to_str().unwrap().to_string(),
    );
    let plan = show_json(&[m, "-t", "efi-raw", "-L", &l]);
    assert_eq!(plan["partitions"][1]["label"], "shared");
    let notes = repo.join("notes/shared");
    assert!(
        plan["seed"]
            .as_str()
            .unwrap()
            .contains(&format!("args=[{:?}]", notes.to_str().unwrap())),
        "{}",
        plan["seed"]
    );

    // The same repository as the home directory: its work tree is not the definition's.
    let out = ingot()
        .args(["show", m, "-t", "efi-raw", "-L", &l])
        .env("HOME", &repo)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    let wanted = format!(
        "paths.scm:3:1: canonicalize-path: {} is outside the definition's own files ({}): a \
         definition does not look at the rest of the host; add -L DIR to let it look in DIR",
        notes.display(),
        repo.join("guix").display()
    );
    assert!(err.contains(&wanted), "{err}");
    // A sandbox refusal gets no list of the names ingot does not know.
    assert!(!err.contains("opaque"), "{err}");

    // No work tree: the same error.
    std::fs::remove_dir(repo.join(".git")).unwrap();
    let err = ingot_err(&["show", m, "-t", "efi-raw", "-L", &l]);
    assert!(err.contains(&wanted), "{err}");
}

/// Names a module exports and makes with a macro: Guix's `define-cargo-inputs` (what
/// `guix import` writes in a channel's rust-crates module) gives a lookup procedure as Guix's
/// does; a definer macro ingot does not know still makes its name the module's; an exported
/// name no form ingot reads defines is said to be so, not "(m) exports nothing".
#[test]
fn names_a_module_exports_from_a_macro() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(
        site.join("crates.scm"),
        "(define-module (site crates)\n\
           #:use-module ((guix build-system cargo) #:select (define-cargo-inputs))\n\
           #:export (lookup-site-inputs))\n\
         (define-cargo-inputs lookup-site-inputs\n\
           (tool => (list \"serde\" #f \"clap\"))\n\
           (other => (list)))\n",
    )
    .unwrap();
    std::fs::write(
        site.join("widgets.scm"),
        "(define-module (site widgets) #:export (gadget knob))\n\
         (define-widget gadget 1)\n\
         (make-knobs knob)\n",
    )
    .unwrap();
    let machine = dir.path().join("box.scm");
    std::fs::write(
        &machine,
        "(use-modules (gnu) ((site crates) #:select (lookup-site-inputs)))\n\
         (operating-system\n\
           (host-name (if (lookup-site-inputs 'none) \"found\" \"box\"))\n\
           (kernel-arguments (map (lambda (n) (number->string (length (lookup-site-inputs n))))\n\
                                  '(tool other)))\n\
           (bootloader (bootloader-configuration (bootloader grub-efi-bootloader)))\n\
           (file-systems (cons (file-system\n\
                                 (device (file-system-label\n\
                                          (string-join (lookup-site-inputs 'tool) \"-\")))\n\
                                 (mount-point \"/\") (type \"ext4\"))\n\
                               %base-file-systems)))\n",
    )
    .unwrap();
    let m = machine.to_str().unwrap();
    let plan = show_json(&[m, "-t", "efi-raw"]);
    assert_eq!(plan["partitions"][1]["label"], "serde-clap");
    let seed = plan["seed"].as_str().unwrap();
    assert!(seed.contains("host=Some(\"box\")"), "{seed}");
    assert!(seed.contains("args=[\"2\", \"0\"]"), "{seed}");

    let knob = dir.path().join("knob.scm");
    std::fs::write(
        &knob,
        "(use-modules (gnu) ((site widgets) #:select (knob)))\nknob\n",
    )
    .unwrap();
    let err = ingot_err(&["show", knob.to_str().unwrap()]);
    assert!(
        err.contains(
            "knob.scm:1:46: `knob` is in the #:export of (site widgets), but no definition \
             there that ingot reads makes it"
        ),
        "{err}"
    );
    assert!(
        err.contains("a macro ingot does not know may define it"),
        "{err}"
    );
    assert!(!err.contains("exports nothing"), "{err}");

    // define-widget is unknown: its name is the module's, an opaque value shown as written.
    let gadget = dir.path().join("gadget.scm");
    std::fs::write(
        &gadget,
        "(use-modules (gnu) (site widgets))\n\
         (operating-system (host-name gadget)\n\
           (bootloader (bootloader-configuration (bootloader grub-efi-bootloader)))\n\
           (file-systems %base-file-systems))\n",
    )
    .unwrap();
    let err = ingot_err(&["show", gadget.to_str().unwrap()]);
    assert!(
        err.contains("field host-name: expected a string (got #<unknown gadget>)"),
        "{err}"
    );
}
