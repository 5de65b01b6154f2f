//! Bounds on evaluation: nesting depth of the text, sizes Scheme asks to allocate, and the
//! limits (`Limits`) the watchdog enforces (see `watch`).

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use steel::rerrs::{ErrorKind, SteelErr};
use steel::steel_vm::engine::Engine;
use steel::SteelVal;

use super::scan;

/// How deep lists and quotes may nest in a definition. Steel reads and compiles recursively;
/// on the evaluation thread's stack (`EVAL_STACK`) this is far from overflowing, and no real
/// definition comes close (Guix files nest a few dozen levels).
pub const MAX_NESTING: usize = 1000;

/// The stack the CLI evaluates on: room for `MAX_NESTING` levels in every recursive pass of
/// Steel's reader, expander and compiler.
pub const EVAL_STACK: usize = 256 << 20;

/// Time and memory an evaluation may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// `None`: no limit.
    pub timeout: Option<Duration>,
    /// Bytes the evaluation may hold (counted when the binary's allocator counts; sizes asked
    /// of `make-string`, `make-vector`, `expt`, … are checked against it in any case).
    pub memory: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            timeout: Some(Duration::from_secs(30)),
            memory: 2 << 30,
        }
    }
}

/// The memory budget the size checks and the watchdog share.
#[derive(Debug)]
pub(crate) struct Budget {
    pub limit: AtomicU64,
    /// Bytes the evaluation thread holds now, relative to when evaluation started.
    pub used: Arc<AtomicI64>,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            limit: AtomicU64::new(Limits::default().memory),
            used: Arc::default(),
        }
    }
}

impl Budget {
    /// Whether `bytes` more fit; the error names `who` and the size.
    fn reserve(&self, who: &str, what: &str, bytes: u128) -> Result<(), SteelErr> {
        let limit = self.limit.load(Ordering::Relaxed);
        let used = u64::try_from(self.used.load(Ordering::Relaxed)).unwrap_or(0);
        if bytes > u128::from(limit.saturating_sub(used)) {
            return Err(SteelErr::new(
                ErrorKind::Generic,
                format!(
                    "{who}: {what} would need {}, more than the evaluation may use ({} in all, --eval-memory)",
                    human(bytes),
                    human(u128::from(limit))
                ),
            ));
        }
        Ok(())
    }
}

fn human(bytes: u128) -> String {
    const UNITS: [&str; 5] = ["bytes", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} bytes")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// The byte offset where nesting first goes deeper than `MAX_NESTING`, counting each list
/// and each quote (`'`, `` ` ``, `,`, `,@`, `#'`) as a level.
pub(crate) fn too_deep(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    // The levels each open list added (itself and the quotes before it).
    let mut open: Vec<usize> = Vec::new();
    let mut depth = 0usize;
    let mut quotes = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b';' => {
                i = scan::line_comment_end(bytes, i);
                continue;
            }
            b'"' => {
                i = scan::string_end(bytes, i);
                quotes = 0;
            }
            b'#' if bytes.get(i + 1) == Some(&b'\\') => {
                i = scan::char_end(bytes, i);
                quotes = 0;
                continue;
            }
            b'#' if bytes.get(i + 1) == Some(&b'{') => {
                i = scan::extended_symbol_end(bytes, i);
                quotes = 0;
                continue;
            }
            b'#' if bytes.get(i + 1) == Some(&b'|') => {
                match scan::block_comment_end(bytes, i, MAX_NESTING.saturating_sub(depth)) {
                    Ok(end) => i = end,
                    Err(at) => return Some(at),
                }
                continue;
            }
            b'\'' | b'`' | b',' => {
                quotes += 1;
                if depth + quotes > MAX_NESTING {
                    return Some(i);
                }
            }
            b'(' | b'[' | b'{' => {
                let levels = quotes + 1;
                depth += levels;
                quotes = 0;
                if depth > MAX_NESTING {
                    return Some(i);
                }
                open.push(levels);
            }
            b')' | b']' | b'}' => {
                depth -= open.pop().unwrap_or(0);
                quotes = 0;
            }
            _ if c.is_ascii_whitespace() || c == b'@' || c == b'#' => {}
            _ => quotes = 0,
        }
        i += 1;
    }
    None
}

/// An exact integer argument: its value when it fits an i128, or its size in bits.
enum Exact {
    Small(i128),
    Bits(u64),
}

fn exact(v: Option<&SteelVal>) -> Option<Exact> {
    match v? {
        SteelVal::IntV(n) => Some(Exact::Small(*n as i128)),
        SteelVal::BigNum(n) => Some(match i128::try_from(n.as_ref()) {
            Ok(small) => Exact::Small(small),
            Err(_) => Exact::Bits(n.bits()),
        }),
        _ => None,
    }
}

fn bits_of(n: &Exact) -> u128 {
    match n {
        Exact::Small(v) => u128::from(128 - v.unsigned_abs().leading_zeros()),
        Exact::Bits(b) => u128::from(*b),
    }
}

/// `(%check-count who count bytes-per-item)`: a count given to make-string, make-vector, … is
/// an exact integer, not negative, and its items fit the budget.
fn check_count(budget: &Budget, args: &[SteelVal]) -> Result<SteelVal, SteelErr> {
    let who = match args.first() {
        Some(SteelVal::SymbolV(s)) => s.to_string(),
        _ => "allocation".to_string(),
    };
    let per_item = match args.get(2) {
        Some(SteelVal::IntV(n)) => u128::try_from(*n).unwrap_or(1),
        _ => 1,
    };
    match exact(args.get(1)) {
        // Not an exact integer: the procedure itself reports the type.
        None => Ok(SteelVal::Void),
        Some(Exact::Small(n)) if n < 0 => Err(SteelErr::new(
            ErrorKind::Generic,
            format!("{who}: the length must not be negative, got {n}"),
        )),
        Some(Exact::Small(n)) => {
            budget.reserve(
                &who,
                &format!("{n} items"),
                (n as u128).saturating_mul(per_item),
            )?;
            Ok(SteelVal::Void)
        }
        Some(Exact::Bits(_)) => Err(SteelErr::new(
            ErrorKind::Generic,
            format!("{who}: the length is far too large"),
        )),
    }
}

/// `(%check-expt base exponent)`: the size of an exact power before computing it.
fn check_expt(budget: &Budget, args: &[SteelVal]) -> Result<SteelVal, SteelErr> {
    let (Some(base), Some(exponent)) = (exact(args.first()), exact(args.get(1))) else {
        return Ok(SteelVal::Void);
    };
    if matches!(base, Exact::Small(-1..=1)) {
        return Ok(SteelVal::Void);
    }
    let bits = match exponent {
        Exact::Small(e) if e <= 0 => return Ok(SteelVal::Void),
        Exact::Small(e) => bits_of(&base).saturating_mul(e as u128),
        Exact::Bits(_) => u128::MAX,
    };
    budget.reserve("expt", "the result", bits / 8)?;
    Ok(SteelVal::Void)
}

/// `(%check-shift n k)`: the size of `(arithmetic-shift n k)` before computing it.
fn check_shift(budget: &Budget, args: &[SteelVal]) -> Result<SteelVal, SteelErr> {
    let (Some(n), Some(k)) = (exact(args.first()), exact(args.get(1))) else {
        return Ok(SteelVal::Void);
    };
    let bits = match k {
        Exact::Small(k) if k <= 0 => return Ok(SteelVal::Void),
        Exact::Small(k) => bits_of(&n).saturating_add(k as u128),
        Exact::Bits(_) => u128::MAX,
    };
    budget.reserve("arithmetic-shift", "the result", bits / 8)?;
    Ok(SteelVal::Void)
}

/// `(%check-append who items)`: the total length of strings to be joined.
fn check_append(budget: &Budget, args: &[SteelVal]) -> Result<SteelVal, SteelErr> {
    let who = match args.first() {
        Some(SteelVal::SymbolV(s)) => s.to_string(),
        _ => "append".to_string(),
    };
    let mut total = 0u128;
    if let Some(SteelVal::ListV(items)) = args.get(1) {
        for item in items.iter() {
            total = total.saturating_add(match item {
                SteelVal::StringV(s) => s.len() as u128,
                _ => 0,
            });
        }
    }
    budget.reserve(&who, "the result", total)?;
    Ok(SteelVal::Void)
}

/// Steel's `make-vector` needs the VM, so it cannot be wrapped in Rust: it is checked in
/// Scheme instead.
const CHECKED_IN_SCHEME: &str = r#"
(define (make-vector n . rest) (%check-count 'make-vector n 16) (apply #%prim.make-vector n rest))
"#;

type Check = fn(&Budget, &[SteelVal]) -> Result<SteelVal, SteelErr>;
type BoxedCheck = dyn Fn(&Budget, &[SteelVal]) -> Result<SteelVal, SteelErr> + Send + Sync;

fn count_check(
    who: &'static str,
    per_item: isize,
) -> impl Fn(&Budget, &[SteelVal]) -> Result<SteelVal, SteelErr> {
    move |budget, args| {
        let mut with_who = vec![SteelVal::SymbolV(who.into())];
        with_who.extend(args.first().cloned());
        with_who.push(SteelVal::IntV(per_item));
        check_count(budget, &with_who)
    }
}

/// `original` (Steel's procedure `name`) with its size checked first, for the procedures
/// that allocate what their arguments ask for; `None` for the others.
pub(crate) fn checked(name: &str, original: &SteelVal, budget: &Arc<Budget>) -> Option<SteelVal> {
    let SteelVal::FuncV(f) = original else {
        return None;
    };
    let f = *f;
    let check: Box<BoxedCheck> = match name {
        "make-string" => Box::new(count_check("make-string", 4)),
        "make-bytes" | "make-bytevector" => Box::new(count_check("make-bytes", 1)),
        "range" => Box::new(|budget: &Budget, args: &[SteelVal]| {
            // (range n) or (range start end): the count is end - start.
            let count = match (args.first(), args.get(1)) {
                (Some(SteelVal::IntV(a)), Some(SteelVal::IntV(b))) => {
                    SteelVal::IntV(b.saturating_sub(*a).max(0))
                }
                (Some(n), None) => n.clone(),
                _ => return Ok(SteelVal::Void),
            };
            check_count(
                budget,
                &[SteelVal::SymbolV("range".into()), count, SteelVal::IntV(16)],
            )
        }),
        "expt" => Box::new(check_expt as Check),
        "arithmetic-shift" => Box::new(check_shift as Check),
        "string-append" => Box::new(|budget: &Budget, args: &[SteelVal]| {
            let list = SteelVal::ListV(args.iter().cloned().collect());
            check_append(budget, &[SteelVal::SymbolV("string-append".into()), list])
        }),
        _ => return None,
    };
    let budget = budget.clone();
    let opaque_parts = name == "string-append";
    Some(SteelVal::anonymous_boxed_function(Arc::new(
        move |args: &[SteelVal]| {
            // A string made from a value ingot does not know (`(package-version guix)`) or
            // from #f (what getenv returns here: `(string-append (getenv "HOME") "/x")`) is
            // not known either: it is that part, reported where ingot needs a real string.
            if opaque_parts {
                let unknown = |v: &&SteelVal| {
                    matches!(v, SteelVal::BoolV(false)) || super::value::unknown_name(v).is_some()
                };
                if let Some(part) = args.iter().find(unknown) {
                    return Ok(part.clone());
                }
            }
            check(&budget, args)?;
            f(args)
        },
    )))
}

/// Registers `%check-count` and the procedures checked in Scheme.
pub(crate) fn register_checks(engine: &mut Engine, budget: &Arc<Budget>) -> Result<(), SteelErr> {
    let budget = budget.clone();
    engine.register_value(
        "%check-count",
        SteelVal::anonymous_boxed_function(Arc::new(move |args: &[SteelVal]| {
            check_count(&budget, args)
        })),
    );
    super::compile_lock::compile_and_run(engine, CHECKED_IN_SCHEME, None)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_counts_lists_and_quotes() {
        let deep = "(".repeat(MAX_NESTING + 1);
        assert_eq!(too_deep(&deep), Some(MAX_NESTING));
        let quotes = format!("{}x", "'".repeat(MAX_NESTING + 1));
        assert_eq!(too_deep(&quotes), Some(MAX_NESTING));
        let fine = format!("{}{}", "(".repeat(MAX_NESTING), ")".repeat(MAX_NESTING));
        assert_eq!(too_deep(&fine), None);
        // Siblings do not add up; strings, characters and comments do not count.
        let siblings = "(a) ".repeat(MAX_NESTING * 2);
        assert_eq!(too_deep(&siblings), None);
        let hidden = format!("\"{}\" ; {}\n#\\( '(x)", "(".repeat(5000), "(".repeat(5000));
        assert_eq!(too_deep(&hidden), None);
    }

    #[test]
    fn sizes_are_checked_before_allocating() {
        let budget = Budget {
            limit: AtomicU64::new(1 << 20),
            used: Arc::default(),
        };
        let sym = |s: &str| SteelVal::SymbolV(s.into());
        let neg = check_count(&budget, &[sym("make-string"), SteelVal::IntV(-1)]);
        assert!(neg
            .unwrap_err()
            .to_string()
            .contains("must not be negative"));
        let big = check_count(
            &budget,
            &[
                sym("make-vector"),
                SteelVal::IntV(1 << 40),
                SteelVal::IntV(16),
            ],
        );
        assert!(big.unwrap_err().to_string().contains("--eval-memory"));
        assert!(check_count(&budget, &[sym("make-vector"), SteelVal::IntV(100)]).is_ok());
        let power = check_expt(&budget, &[SteelVal::IntV(2), SteelVal::IntV(1 << 40)]);
        assert!(power.is_err());
        assert!(check_expt(&budget, &[SteelVal::IntV(2), SteelVal::IntV(64)]).is_ok());
        assert!(check_expt(&budget, &[SteelVal::IntV(1), SteelVal::IntV(1 << 40)]).is_ok());
        assert!(check_shift(&budget, &[SteelVal::IntV(1), SteelVal::IntV(1 << 40)]).is_err());
    }
}
