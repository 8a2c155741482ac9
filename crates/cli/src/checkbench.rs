//! The checker side by side with Porcupine: the same files, our check
//! time (parsing excluded, as Porcupine's figure excludes it) and its.

use std::path::{Path, PathBuf};
use std::time::Instant;

use qcore::check::jepsen::{parse, Parsed};
use qcore::check::linear::{check, KvKey, Register, Verdict};

/// Search steps per key: as the CLI's `check`.
const BUDGET: u64 = 100_000_000;
/// Runs per file (the median is reported).
const RUNS: usize = 3;
/// Porcupine's time limit per check (seconds), and its runs per file: one
/// on every file (on the hardest a run is its whole time limit), then the
/// median of `RUNS` on those it decided within a second, as ours is timed
/// (one run of a fast file varies by half from one run to the next).
const PORCUPINE_TIMEOUT_S: u32 = 20;
const PORCUPINE_FAST_MS: f64 = 1_000.0;

fn verdict_name(v: &Verdict) -> &'static str {
    match v {
        Verdict::Linearizable { .. } => "linearizable",
        Verdict::NotLinearizable { .. } => "not-linearizable",
        Verdict::Unknown => "unknown",
    }
}

/// Our median check time (ms) and verdict on one file.
fn ours(path: &Path) -> (f64, &'static str) {
    let Ok(text) = std::fs::read_to_string(path) else { return (f64::NAN, "unreadable") };
    let Ok(parsed) = parse(&text) else { return (f64::NAN, "unreadable") };
    let mut times = Vec::new();
    let mut verdict = "unknown";
    for _ in 0..RUNS {
        // A check of seconds is timed once.
        if times.first().is_some_and(|&ms| ms > 1_000.0) {
            break;
        }
        let t0 = Instant::now();
        let v = match &parsed {
            Parsed::Register(ops) => check(&Register, ops, BUDGET),
            // Keys on every core, as Porcupine uses them.
            Parsed::Kv(keys) => crate::parallel::check_keys_parallel(&KvKey, keys, BUDGET),
        };
        times.push(t0.elapsed().as_secs_f64() * 1e3);
        verdict = verdict_name(&v);
    }
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], verdict)
}

/// Porcupine's (verdict, median ms) per file, from its runner's lines
/// `<file>\t<verdict>\t<median ms>\t<min ms>`.
fn porcupine(run: &Path, files: &[PathBuf]) -> Result<Vec<(String, f64)>, String> {
    let mut rows = porcupine_runs(run, files, 1)?;
    let fast: Vec<usize> = (0..files.len())
        .filter(|&k| rows[k].0 != "unknown" && rows[k].1 < PORCUPINE_FAST_MS)
        .collect();
    let picked: Vec<PathBuf> = fast.iter().map(|&k| files[k].clone()).collect();
    if !picked.is_empty() {
        for (k, row) in fast.into_iter().zip(porcupine_runs(run, &picked, RUNS)?) {
            rows[k] = row;
        }
    }
    Ok(rows)
}

/// One call of Porcupine's runner on `files`, `runs` checks of each.
fn porcupine_runs(
    run: &Path,
    files: &[PathBuf],
    runs: usize,
) -> Result<Vec<(String, f64)>, String> {
    let out = std::process::Command::new(run)
        .args(["--runs", &runs.to_string()])
        .args(["--timeout", &PORCUPINE_TIMEOUT_S.to_string()])
        .args(files)
        .output()
        .map_err(|e| format!("{}: {e}", run.display()))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let mut rows = Vec::new();
    for f in files {
        let name = f.to_string_lossy();
        let row = text.lines().find_map(|l| {
            let mut it = l.split('\t');
            (it.next()? == name)
                .then(|| Some((it.next()?.to_string(), it.next()?.parse().ok()?)))?
        });
        rows.push(row.unwrap_or_else(|| ("missing".into(), f64::NAN)));
    }
    Ok(rows)
}

/// Print ours and Porcupine's time on every file, the ratio, and the
/// median and largest ratio.
///
/// # Errors
/// Porcupine's runner cannot be started.
pub fn side_by_side(files: &[PathBuf], run: Option<&Path>) -> Result<(), String> {
    let theirs = match run {
        Some(run) => Some(porcupine(run, files)?),
        None => None,
    };
    println!(
        "checker, native, ours the median of {RUNS} runs (one above a second), Porcupine's the median of {RUNS} under a second, else of 1 (both: check only, parsing excluded; Porcupine checks keys on every core)"
    );
    println!(
        "  {:<40} {:>10} {:>12} {:>8}  verdicts",
        "history", "ours ms", "Porcupine ms", "ratio"
    );
    let mut ratios = Vec::new();
    for (k, f) in files.iter().enumerate() {
        let (ms, v) = ours(f);
        let name = f.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        match theirs.as_ref().map(|t| &t[k]) {
            Some((pv, pms)) => {
                let ratio = ms / pms;
                let timed_out = pv == "unknown";
                if !timed_out {
                    ratios.push(ratio);
                }
                let shown = if timed_out {
                    format!(">{PORCUPINE_TIMEOUT_S} s")
                } else {
                    format!("{pms:.2}")
                };
                let mark = if pv != v && !timed_out { "  ← VERDICTS DIFFER" } else { "" };
                println!("  {name:<40} {ms:>10.2} {shown:>12} {ratio:>7.3}×  {v} / {pv}{mark}");
            }
            None => println!("  {name:<40} {ms:>10.2} {:>12} {:>8}  {v}", "-", "-"),
        }
    }
    if theirs.is_none() {
        println!("  (Porcupine not run: give --porcupine PATH-TO-ITS-RUNNER)");
        return Ok(());
    }
    ratios.sort_by(f64::total_cmp);
    if let (Some(max), Some(med)) = (ratios.last(), ratios.get(ratios.len() / 2)) {
        let above = ratios.iter().filter(|&&r| r > 1.0).count();
        println!(
            "  ratio ours/Porcupine over {} histories Porcupine decided: median {med:.3}×, largest {max:.3}×, {above} above 1",
            ratios.len()
        );
    }
    Ok(())
}

/// The fixtures listed in `dir/verdicts.txt`.
#[must_use]
pub fn fixtures(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_to_string(dir.join("verdicts.txt"))
        .map(|t| t.lines().filter_map(|l| l.split_once(' ')).map(|(f, _)| dir.join(f)).collect())
        .unwrap_or_default()
}
