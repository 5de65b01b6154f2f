//! A seeded mutation fuzzer over the project's own Scheme (tests/scheme, tests/guix, examples):
//! each variant is shown by the ingot binary in a process of its own, so that an abort is
//! seen. Every variant must end with exit status 0, or 1 and an error that carries
//! FILE:LINE:COLUMN or names the file; never a panic, a signal, or a hang past the limits.
//! A variant that fails is written to tests/fuzz-regressions/, which is replayed first.
//!
//! FUZZ_SECONDS (default 60) sets the time budget, FUZZ_SEED (default 9) the seed.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// splitmix64: small, seeded, and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn corpus() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["tests/scheme", "tests/guix", "examples"] {
        collect(&root.join(dir), &mut files);
    }
    files.sort();
    files
        .into_iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(&p).ok()?;
            Some((p.display().to_string(), text))
        })
        .collect()
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "scm") {
            out.push(path);
        }
    }
}

/// Byte ranges of tokens: parentheses, strings, and runs of other non-space characters.
fn tokens(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let start = i;
        match b[i] {
            c if c.is_ascii_whitespace() => {
                i += 1;
                continue;
            }
            b'(' | b')' | b'[' | b']' | b'\'' => i += 1,
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(b.len());
            }
            _ => {
                while i < b.len() && !b[i].is_ascii_whitespace() && !b"()[]\"".contains(&b[i]) {
                    i += 1;
                }
            }
        }
        out.push((start, i.min(b.len())));
    }
    out
}

const HUGE: &[&str] = &[
    "18446744073709551616",
    "-1",
    "-9223372036854775808",
    "340282366920938463463374607431768211457",
    "1e400",
    "#e1e400",
    "(expt 2 100000)",
    "(expt 10 18446744073709551615)",
    "(make-string 4611686018427387904 #\\a)",
    "(make-vector -5 0)",
    "0.0",
    "+nan.0",
    "1/0",
];

/// One mutation of `text`, named for the report.
fn mutate(text: &str, rng: &mut Rng) -> (&'static str, Vec<u8>) {
    let toks = tokens(text);
    let bytes = text.as_bytes();
    let pick = |rng: &mut Rng| toks[rng.below(toks.len())];
    let splice = |range: (usize, usize), with: &[u8]| {
        let mut v = bytes[..range.0].to_vec();
        v.extend_from_slice(with);
        v.extend_from_slice(&bytes[range.1..]);
        v
    };
    if toks.is_empty() {
        return ("random", (0..64).map(|_| rng.next() as u8).collect());
    }
    match rng.below(11) {
        0 => ("delete-token", splice(pick(rng), b"")),
        1 => {
            let t = pick(rng);
            let mut dup = bytes[t.0..t.1].to_vec();
            dup.push(b' ');
            dup.extend_from_slice(&bytes[t.0..t.1]);
            ("duplicate-token", splice(t, &dup))
        }
        2 => {
            let (a, b) = (pick(rng), pick(rng));
            let (a, b) = if a.0 <= b.0 { (a, b) } else { (b, a) };
            if a.1 > b.0 {
                return ("delete-token", splice(a, b""));
            }
            let mut v = bytes[..a.0].to_vec();
            v.extend_from_slice(&bytes[b.0..b.1]);
            v.extend_from_slice(&bytes[a.1..b.0]);
            v.extend_from_slice(&bytes[a.0..a.1]);
            v.extend_from_slice(&bytes[b.1..]);
            ("swap-tokens", v)
        }
        3 => ("truncate", bytes[..rng.below(bytes.len())].to_vec()),
        4 => {
            let mut v = bytes.to_vec();
            // Mostly Scheme's own punctuation (the text stays UTF-8 and reaches the
            // evaluator), sometimes any byte.
            const PUNCTUATION: &[u8] = b"()[]{}'`,@#\\\";|.:-+0123456789abcdefxyz \n";
            for _ in 0..1 + rng.below(8) {
                let at = rng.below(v.len() + 1);
                let byte = if rng.below(8) == 0 {
                    rng.next() as u8
                } else {
                    PUNCTUATION[rng.below(PUNCTUATION.len())]
                };
                v.insert(at, byte);
            }
            ("random-bytes", v)
        }
        5 => {
            let mut v = bytes.to_vec();
            let at = rng.below(v.len() + 1);
            v.insert(at, 0);
            ("nul", v)
        }
        6 => {
            let t = pick(rng);
            let huge = if rng.below(3) == 0 {
                "9".repeat(1 + rng.below(100_000))
            } else {
                HUGE[rng.below(HUGE.len())].to_string()
            };
            ("huge-number", splice(t, huge.as_bytes()))
        }
        7 => {
            let depth = 900 + rng.below(20_000);
            let t = pick(rng);
            let open = if rng.below(2) == 0 { "(" } else { "'" };
            let mut wrapped = open.repeat(depth).into_bytes();
            wrapped.extend_from_slice(&bytes[t.0..t.1]);
            if open == "(" {
                wrapped.extend(std::iter::repeat_n(b')', depth));
            }
            ("deep-nesting", splice(t, &wrapped))
        }
        8 => {
            let t = pick(rng);
            let long = match rng.below(3) {
                0 => format!("\"{}\"", "x".repeat(1 << 20)),
                1 => "a".repeat(1 << 18),
                _ => format!(";{}\n", "c".repeat(1 << 20)),
            };
            ("long-line", splice((t.0, t.0), long.as_bytes()))
        }
        9 => {
            // A closing parenthesis or a quote somewhere: unbalanced text.
            let at = rng.below(bytes.len() + 1);
            let c: &[u8] = [&b")"[..], b"(", b"\"", b"#", b"#|", b"`,@"][rng.below(6)];
            ("stray-char", splice((at, at), c))
        }
        _ => {
            // Two mutations at once.
            let (_, once) = mutate(text, rng);
            let again = String::from_utf8_lossy(&once).into_owned();
            ("double", mutate(&again, rng).1)
        }
    }
}

#[derive(Debug, PartialEq, Eq, Clone, Copy)]
enum Outcome {
    Ok,
    LocatedError,
    /// A file-level error (cannot read it, not UTF-8): it names the file.
    NamedFile,
    Unlocated,
    Panic,
    Signal,
    Hang,
}

/// A small root tree so that operating-system definitions can be planned.
fn root_tree(dir: &Path) -> PathBuf {
    let root = dir.join("root");
    std::fs::create_dir_all(root.join("boot")).unwrap();
    std::fs::write(root.join("boot/vmlinuz"), b"kernel").unwrap();
    std::fs::write(root.join("boot/initrd.img"), b"initrd").unwrap();
    root
}

/// Shows `file`; the outcome and what ingot wrote to stderr.
fn run(file: &Path, root: &Path) -> (Outcome, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ingot"))
        .arg("show")
        .arg(file)
        .args([
            "--eval-timeout",
            "5",
            "--eval-memory",
            "512MiB",
            "--root-tree",
        ])
        .arg(root)
        .env(
            "STEEL_HOME",
            std::env::temp_dir().join("ingot-test-steel-home"),
        )
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("running ingot");
    let mut stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = std::io::Read::read_to_end(&mut stderr, &mut s);
        String::from_utf8_lossy(&s).into_owned()
    });
    // The evaluation limit is 5 s; the rest of `show` is quick. Well past that is a hang.
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let err = reader.join().unwrap_or_default();
    let Some(status) = status else {
        return (Outcome::Hang, err);
    };
    let name = file.display().to_string();
    let outcome = match status.code() {
        Some(0) => Outcome::Ok,
        _ if err.contains("panicked") || err.contains("internal error") => Outcome::Panic,
        Some(1) if has_location(&err, &name) => Outcome::LocatedError,
        Some(1) if err.contains(&name) => Outcome::NamedFile,
        Some(_) => Outcome::Unlocated,
        None => Outcome::Signal,
    };
    (outcome, err)
}

/// Whether `err` holds `name:LINE:COLUMN`.
fn has_location(err: &str, name: &str) -> bool {
    err.match_indices(name).any(|(at, _)| {
        let rest = &err[at + name.len()..];
        let mut parts = rest.splitn(4, ':');
        parts.next() == Some("")
            && parts
                .next()
                .is_some_and(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_digit()))
            && parts
                .next()
                .is_some_and(|c| !c.is_empty() && c.bytes().all(|b| b.is_ascii_digit()))
    })
}

#[test]
fn mutated_definitions_never_crash_hang_or_lose_their_location() {
    let budget = Duration::from_secs(
        std::env::var("FUZZ_SECONDS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(60),
    );
    let seed = std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(9);
    let corpus = corpus();
    assert!(corpus.len() > 50, "the corpus is missing: {}", corpus.len());
    let work = tempfile::tempdir().unwrap();
    let root = root_tree(work.path());
    let regressions = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let failures = Mutex::new(Vec::new());

    // Inputs that once failed come first.
    let mut replay: Vec<PathBuf> = std::fs::read_dir(&regressions)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "scm"))
        .collect();
    replay.sort();
    for file in &replay {
        let (outcome, err) = run(file, &root);
        if !matches!(
            outcome,
            Outcome::Ok | Outcome::LocatedError | Outcome::NamedFile
        ) {
            failures
                .lock()
                .unwrap()
                .push(format!("{}: {outcome:?}\n{err}", file.display()));
        }
    }

    // Variants are made from one seeded sequence, handed out in order to two workers.
    let variants = Mutex::new((Rng(seed), 0usize));
    let counts: [AtomicUsize; 7] = Default::default();
    let start = Instant::now();
    std::thread::scope(|scope| {
        for worker in 0..2 {
            let (variants, counts, failures, corpus, root, work) =
                (&variants, &counts, &failures, &corpus, &root, work.path());
            let regressions = &regressions;
            scope.spawn(move || {
                while start.elapsed() < budget {
                    let (n, source, kind, text) = {
                        let mut v = variants.lock().unwrap();
                        let (rng, n) = &mut *v;
                        *n += 1;
                        let (source, original) = &corpus[rng.below(corpus.len())];
                        let (kind, text) = mutate(original, rng);
                        (*n, source.clone(), kind, text)
                    };
                    let file = work.join(format!("w{worker}-variant-{n}.scm"));
                    std::fs::write(&file, &text).unwrap();
                    let began = Instant::now();
                    let (outcome, err) = run(&file, root);
                    if std::env::var_os("FUZZ_VERBOSE").is_some() {
                        eprintln!(
                            "{n} {kind} {:.2}s {outcome:?}: {}",
                            began.elapsed().as_secs_f64(),
                            err.lines()
                                .next()
                                .unwrap_or_default()
                                .chars()
                                .take(160)
                                .collect::<String>()
                        );
                    }
                    counts[outcome as usize].fetch_add(1, Ordering::Relaxed);
                    if !matches!(
                        outcome,
                        Outcome::Ok | Outcome::LocatedError | Outcome::NamedFile
                    ) {
                        let _ = std::fs::create_dir_all(regressions);
                        let keep = regressions.join(format!("seed{seed}-{n}-{kind}.scm"));
                        let _ = std::fs::write(&keep, &text);
                        let first = err.lines().take(3).collect::<Vec<_>>().join("\n");
                        failures.lock().unwrap().push(format!(
                            "variant {n} ({kind} of {source}): {outcome:?}, kept as {}\n{first}",
                            keep.display()
                        ));
                    }
                    let _ = std::fs::remove_file(&file);
                }
            });
        }
    });
    let c = |o: Outcome| counts[o as usize].load(Ordering::Relaxed);
    let total: usize = counts.iter().map(|c| c.load(Ordering::Relaxed)).sum();
    eprintln!(
        "fuzz (seed {seed}, {:.0} s): {total} variants: {} ok, {} located errors, {} file errors, {} unlocated, {} panics, {} signals, {} hangs; {} regression files replayed",
        start.elapsed().as_secs_f64(),
        c(Outcome::Ok),
        c(Outcome::LocatedError),
        c(Outcome::NamedFile),
        c(Outcome::Unlocated),
        c(Outcome::Panic),
        c(Outcome::Signal),
        c(Outcome::Hang),
        replay.len()
    );
    assert!(total > 0);
    let failures = failures.into_inner().unwrap();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
