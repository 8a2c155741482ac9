//! `cargo xtask bench`: the simulator benchmark (CLI), then the browser side:
//! first drawn frame, CPU while animating, draws while paused (tests/e2e/bench.mjs),
//! and the size of every file the page loads, raw, gzip -9 and brotli -q 11.

use crate::{Ctx, Result, Steps, CLI_PACKAGE, DIST_DIR};
use flate2::write::GzEncoder;
use flate2::Compression;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Stdio;

const BROWSER_JSON: &str = "target/bench/browser.json";

pub fn bench(ctx: &Ctx, baselines: Option<String>) -> Result {
    let mut steps = Steps::begin();
    let result = bench_steps(ctx, &mut steps, baselines);
    steps.summary();
    result
}

fn bench_steps(ctx: &Ctx, steps: &mut Steps, baselines: Option<String>) -> Result {
    steps.step("setup", || crate::setup::setup(ctx))?;
    // Keep going after a failed measurement so one run reports all it can.
    let mut failed = Vec::new();
    let cli = steps.step("simulator bench (cli)", || {
        ctx.run(ctx.cmd("cargo").args(["run", "--release", "-p", CLI_PACKAGE, "--", "bench"]))
    });
    failed.extend(cli.err());
    let checker = steps.step("checker side by side (cli)", || {
        let mut cmd = ctx.cmd("cargo");
        cmd.args(["run", "--release", "-p", CLI_PACKAGE, "--", "bench-check", "--side-by-side"]);
        cmd.args(["--generated", "target/bench/histories"]);
        match porcupine_runner(baselines.as_deref()) {
            Some(run) => {
                cmd.arg("--porcupine").arg(run);
            }
            None => {
                println!("Porcupine skipped: give --baselines DIR with DIR/tools/porcupine/run")
            }
        }
        ctx.run(&mut cmd)
    });
    failed.extend(checker.err());
    steps.step("dist", || crate::build_dist(ctx))?;

    let json = ctx.root.join(BROWSER_JSON);
    let browser = steps.step("browser bench (tests/e2e/bench.mjs)", || {
        let _ = std::fs::remove_file(&json);
        if let Some(dir) = json.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        let mut node = ctx.cmd("node");
        node.args(["tests/e2e/bench.mjs", "--dist", DIST_DIR, "--json", BROWSER_JSON]);
        if let Some(dir) = &baselines {
            // Relative to where the command was given, as the user wrote it.
            let dir = std::env::current_dir().map_or_else(|_| dir.into(), |cwd| cwd.join(dir));
            node.arg("--baselines").arg(dir);
        }
        ctx.run(&mut node)
    });
    failed.extend(browser.err());

    steps.step("bundle sizes", || {
        // The files the page loaded, as the browser saw them; else all of dist/.
        let loaded = std::fs::read_to_string(&json)
            .ok()
            .map(|text| loaded_files(&text))
            .filter(|files| !files.is_empty());
        let files = if let Some(files) = loaded {
            println!("the files the page loaded:");
            files
        } else {
            println!("every file in {DIST_DIR}/ (the browser's list is unavailable):");
            let mut all = Vec::new();
            list_files(&ctx.dist_dir(), "", &mut all);
            all
        };
        print_sizes(&ctx.dist_dir(), &files);
        Ok(())
    })?;
    if failed.is_empty() {
        Ok(())
    } else {
        Err(failed.join("; "))
    }
}

/// Porcupine's runner under the baselines folder, when it is there
/// (relative to where the command was given, as the user wrote it).
fn porcupine_runner(baselines: Option<&str>) -> Option<PathBuf> {
    let dir = std::env::current_dir().ok()?.join(baselines?);
    let run = dir.join("tools/porcupine/run");
    run.is_file().then_some(run)
}

/// The bundle budget: everything the app can load for any lesson and any
/// view (wasm, JS, CSS, HTML, icon), each file compressed with `brotli -q 11`,
/// at most this many bytes in all. 350 000 B until the counterexample search
/// came into the page: its Paxos and Zab models and the panel weigh about
/// 19.6 KB (344 882 B to 364 501 B, measured with this same weighing), after
/// trimming them from 46 KB (no float formatting, small sorted Vecs instead
/// of trees, the checker's hash table reused for the states seen). Then
/// 375 000 B: the challenges and the Quorum search add 7.4 KB (364 501 B to
/// 371 883 B), of which the challenge panel and its strings 3.2 KB. Then
/// 376 000 B: the history checker's look-ahead (a get must be able to read
/// what the state has become) adds about 500 B, and wasm-opt moves the total
/// by ±300 B from one build to the next (375 340 B to 375 715 B measured).
/// Then 378 000 B: a frame between events moves the last scene on in place
/// (so it allocates nothing) and a counterexample marks the client
/// operations it involves, together about 1.7 KB (375 607 B to 377 334 B),
/// after dropping a sort and a set that would have added 2.4 KB more; the
/// rest is room for wasm-opt's variation between builds. Then 378 500 B:
/// the import sends the worker the file's bytes (decoded there, losslessly
/// when they are UTF-8), the worker can time its own check for the bench, and
/// a counterexample's operations are ringed on the space-time diagram, which
/// reaches back to them: together 793 B (377 334 B to 378 127 B). Then
/// 377 000 B: talc replaces dlmalloc as the page's allocator, 1.9 KB smaller
/// (378 127 B to 376 201 B). Then 355 000 B: the core keeps its maps and sets
/// in sorted Vecs and its events in a sorted ring buffer, so the page carries
/// no B-tree code (a copy per key type: 74 KB of wasm before wasm-opt), 21 KB
/// smaller (374 853 B to 353 815 B); the rest is wasm-opt's variation.
/// Then 350 000 B, the line the app is held to: the page's wasm is built
/// with its own standard library, where a panic is a trap (`with_web_std`),
/// 21 KB smaller (354 393 B to 333 074 B).
pub const BUNDLE_BUDGET_BYTES: u64 = 350_000;

/// Files of dist/ that are not the app: the example course page that embeds
/// it (reported separately).
const NOT_THE_APP: &[&str] = &["embed-example/"];

/// Fail when the built app is over its size budget; print every file's share.
pub fn check_budget(ctx: &Ctx) -> Result {
    let dist = ctx.dist_dir();
    let mut files = Vec::new();
    list_files(&dist, "", &mut files);
    let (mut total, mut other) = (0, 0);
    for f in &files {
        let n = brotli_size(&dist.join(f)).ok_or_else(|| format!("brotli failed on {f}"))?;
        if NOT_THE_APP.iter().any(|p| f.starts_with(p)) {
            other += n;
        } else {
            println!("  {n:>8} B  {f}");
            total += n;
        }
    }
    println!(
        "bundle: {total} B with brotli -q 11 for everything the app loads \
         (budget {BUNDLE_BUDGET_BYTES} B); the example course page {other} B"
    );
    if total > BUNDLE_BUDGET_BYTES {
        return Err(format!("the bundle is {total} B, over its budget of {BUNDLE_BUDGET_BYTES} B"));
    }
    Ok(())
}

/// The `"loaded": ["index.html", ...]` array of bench.mjs's JSON (paths relative
/// to dist/). Written by our own script, so a small scanner is enough.
fn loaded_files(json: &str) -> Vec<String> {
    let Some(start) = json.find("\"loaded\"") else {
        return Vec::new();
    };
    let rest = &json[start..];
    let (Some(open), Some(close)) = (rest.find('['), rest.find(']')) else {
        return Vec::new();
    };
    if close < open {
        return Vec::new();
    }
    rest[open + 1..close]
        .split(',')
        .map(|s| s.trim().trim_matches('"').to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

fn list_files(dir: &Path, prefix: &str, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(std::result::Result::ok).collect();
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for entry in entries {
        let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
        if entry.path().is_dir() {
            list_files(&entry.path(), &format!("{name}/"), out);
        } else {
            out.push(name);
        }
    }
}

fn gzip_size(bytes: &[u8]) -> Option<u64> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::best());
    enc.write_all(bytes).ok()?;
    enc.finish().ok().map(|v| v.len() as u64)
}

fn brotli_size(path: &Path) -> Option<u64> {
    let out = std::process::Command::new("brotli")
        .args(["-q", "11", "-c"])
        .arg(path)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status.success().then_some(out.stdout.len() as u64)
}

fn fmt_size(n: Option<u64>) -> String {
    match n {
        None => "n/a".into(),
        Some(n) => {
            let digits = n.to_string();
            let mut s = String::new();
            for (i, c) in digits.chars().enumerate() {
                if i > 0 && (digits.len() - i) % 3 == 0 {
                    s.push(',');
                }
                s.push(c);
            }
            s
        }
    }
}

fn print_sizes(dist: &Path, files: &[String]) {
    let width = files.iter().map(String::len).max().unwrap_or(4).max(5);
    println!("  {:<width$}  {:>12}  {:>12}  {:>14}", "file", "raw B", "gzip -9 B", "brotli -q11 B");
    let mut total = [Some(0u64); 3];
    for file in files {
        let path: PathBuf = dist.join(file);
        let Ok(bytes) = std::fs::read(&path) else {
            println!("  {file:<width$}  (not in {DIST_DIR}/)");
            continue;
        };
        let sizes = [Some(bytes.len() as u64), gzip_size(&bytes), brotli_size(&path)];
        for (sum, size) in total.iter_mut().zip(sizes) {
            *sum = sum.zip(size).map(|(a, b)| a + b);
        }
        println!(
            "  {file:<width$}  {:>12}  {:>12}  {:>14}",
            fmt_size(sizes[0]),
            fmt_size(sizes[1]),
            fmt_size(sizes[2])
        );
    }
    println!(
        "  {:<width$}  {:>12}  {:>12}  {:>14}",
        "total",
        fmt_size(total[0]),
        fmt_size(total[1]),
        fmt_size(total[2])
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loaded_files_reads_the_array_of_the_bench_json() {
        let json =
            r#"{"firstFrameMs":12.5,"loaded":["index.html","loader.js", "a_bg.wasm"],"x":[1]}"#;
        assert_eq!(loaded_files(json), ["index.html", "loader.js", "a_bg.wasm"]);
        assert!(loaded_files(r#"{"loaded":[]}"#).is_empty());
        assert!(loaded_files("{}").is_empty());
    }

    #[test]
    fn sizes_print_with_thousands_separators() {
        assert_eq!(fmt_size(Some(0)), "0");
        assert_eq!(fmt_size(Some(999)), "999");
        assert_eq!(fmt_size(Some(1000)), "1,000");
        assert_eq!(fmt_size(Some(1_234_567)), "1,234,567");
        assert_eq!(fmt_size(None), "n/a");
    }
}
