//! `cargo xtask <command>`: the project's commands, in one place.
//!
//! The README's commands all go through here, so a fresh machine needs nothing
//! by hand: every command first runs `setup`, which checks each tool at its
//! pinned *version* (not just its presence) and installs what is missing. Tools
//! are resolved through `PATH`, with `~/.cargo/bin` and `.tools/node_modules/.bin`
//! put first for every child process, so the pinned copies win.

mod bench;
mod lint;
mod mutants;
mod names;
mod setup;

use std::env;
use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

/// The Rust package of the web app (built by trunk for wasm32).
pub const WEB_PACKAGE: &str = "quorumscope-web";
/// The native command-line runner (has the `bench` subcommand).
pub const CLI_PACKAGE: &str = "quorumscope-cli";
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// Where `trunk build` writes the static site (also set in Trunk.toml).
pub const DIST_DIR: &str = "dist";
/// Files trunk must produce with `filehash = false` (`web/loader.js` imports the
/// glue and the wasm by these names).
/// wasm-bindgen's JS glue, which the loader and the worker import.
const GLUE_JS: &str = "quorumscope-web.js";
/// The module the glue instantiates.
const GLUE_WASM: &str = "quorumscope-web_bg.wasm";

pub const DIST_FILES: &[&str] = &[
    "index.html",
    "loader.js",
    "worker.js",
    "quorumscope-web.js",
    "quorumscope-web_bg.wasm",
    "style.css",
    "favicon.svg",
];
const DEFAULT_PORT: u16 = 8080;

pub type Result<T = (), E = String> = std::result::Result<T, E>;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  setup              check and install the pinned tools (fast when all are present)
  dist               release build of the web app into dist/ (trunk)
  serve [--port N]   build, then serve dist/ at http://127.0.0.1:8080/ with the strict CSP
  test               fmt, clippy, native tests, in-browser wasm tests (if any), dist, e2e tests
  bench [--baselines DIR]
                     simulator bench, bundle sizes, first drawn frame, animation cost;
                     with DIR holding anchors/raftscope, CPU side by side with RaftScope
  fuzz [--seconds N] run each fuzz target (link decoder, scenario runner, history
                     importers) for N seconds (default 60); installs nightly and cargo-fuzz
  mutants [MODULE ...] [-- CARGO-MUTANTS-ARGS]
                     mutation testing (cargo-mutants) of paxos, zab, quorum, eventual,
                     check and engine (all when none is named); hours per module;
                     installs cargo-mutants and cargo-nextest
";

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let ctx = match Ctx::new() {
        Ok(ctx) => ctx,
        Err(e) => {
            eprintln!("xtask: error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = match args.first().map(String::as_str) {
        Some("setup") => no_more_args(&args).and_then(|()| setup::setup(&ctx)),
        Some("dist") => no_more_args(&args).and_then(|()| dist(&ctx)),
        Some("serve") => parse_port(&args[1..]).and_then(|port| serve(&ctx, port)),
        Some("test") => no_more_args(&args).and_then(|()| test(&ctx)),
        Some("bench") => parse_baselines(&args[1..]).and_then(|dir| bench::bench(&ctx, dir)),
        Some("fuzz") => parse_seconds(&args[1..]).and_then(|s| fuzz(&ctx, s)),
        Some("mutants") => mutants::mutants(&ctx, &args[1..]),
        None | Some("help" | "-h" | "--help") => {
            print!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("unknown command `{other}`\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn no_more_args(args: &[String]) -> Result {
    match args.get(1) {
        None => Ok(()),
        Some(extra) => Err(format!("unexpected argument `{extra}`\n\n{USAGE}")),
    }
}

/// `--baselines DIR`: where the baselines to measure against live.
fn parse_baselines(args: &[String]) -> Result<Option<String>> {
    match args {
        [] => Ok(None),
        [flag, dir] if flag == "--baselines" => Ok(Some(dir.clone())),
        _ => Err(format!("usage: cargo xtask bench [--baselines DIR]\n\n{USAGE}")),
    }
}

fn parse_port(args: &[String]) -> Result<u16> {
    let mut port = DEFAULT_PORT;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let value = if arg == "--port" {
            it.next().ok_or("--port needs a value")?.as_str()
        } else if let Some(v) = arg.strip_prefix("--port=") {
            v
        } else {
            return Err(format!("unexpected argument `{arg}`\n\n{USAGE}"));
        };
        port = value.parse().map_err(|_| format!("--port: `{value}` is not a port number"))?;
    }
    Ok(port)
}

/// The repository root and the environment every child process gets.
pub struct Ctx {
    pub root: PathBuf,
    pub cargo_bin: PathBuf,
    path: OsString,
}

impl Ctx {
    fn new() -> Result<Self> {
        // xtask/ sits in the repository root.
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .ok_or("xtask has no parent folder")?
            .to_path_buf();
        let cargo_home = env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .or_else(|| env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
            .ok_or("neither CARGO_HOME nor HOME is set")?;
        let cargo_bin = cargo_home.join("bin");
        let mut dirs = vec![cargo_bin.clone(), root.join(".tools/node_modules/.bin")];
        if let Some(path) = env::var_os("PATH") {
            dirs.extend(env::split_paths(&path));
        }
        let path = env::join_paths(dirs).map_err(|e| format!("cannot build PATH: {e}"))?;
        Ok(Self { root, cargo_bin, path })
    }

    /// A command run in the repository root with the tool PATH.
    pub fn cmd(&self, program: &str) -> Command {
        let mut c = Command::new(program);
        c.current_dir(&self.root)
            .env("PATH", &self.path)
            // Trunk must never try to reach the internet for an update check.
            .env("TRUNK_SKIP_VERSION_CHECK", "true");
        c
    }

    /// Runs a command with inherited stdio, echoing it first.
    pub fn run(&self, c: &mut Command) -> Result {
        println!("  $ {}", show(c));
        let status = c.status().map_err(|e| format!("cannot start `{}`: {e}", show(c)))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("`{}` failed ({status})", show(c)))
        }
    }

    /// Stdout of a command that succeeded, or `None` (not found, or failed).
    pub fn capture(&self, c: &mut Command) -> Option<String> {
        let out = c.stdin(std::process::Stdio::null()).output().ok()?;
        out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
    }

    pub fn dist_dir(&self) -> PathBuf {
        self.root.join(DIST_DIR)
    }
}

/// A command line as text, for echoing and errors.
pub fn show(c: &Command) -> String {
    let mut s = c.get_program().to_string_lossy().into_owned();
    for arg in c.get_args() {
        let arg = arg.to_string_lossy();
        if arg.contains(' ') {
            let _ = write!(s, " '{arg}'");
        } else {
            let _ = write!(s, " {arg}");
        }
    }
    s
}

pub fn secs(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

/// `cargo xtask dist`: setup, then a release build of the web app into `dist/`.
fn dist(ctx: &Ctx) -> Result {
    setup::setup(ctx)?;
    build_dist(ctx)
}

fn build_dist(ctx: &Ctx) -> Result {
    let t = Instant::now();
    println!("dist: trunk build --release -> {DIST_DIR}/");
    // Trunk.toml says `offline = true`, which makes trunk pass `--offline` to
    // cargo: fetch every crate first (a no-op when they are already here).
    // Both the wasm target and the host (proc macros and build scripts run there).
    // With the standard library's own crates, which the build compiles.
    let mut fetch = ctx.cmd("cargo");
    fetch.args(["fetch", "--target", WASM_TARGET]);
    if let Some(host) = host_triple(ctx) {
        fetch.args(["--target", &host]);
    }
    ctx.run(with_web_std(&mut fetch))?;
    ctx.run(with_web_std(ctx.cmd("trunk").args(["build", "--release"])))?;
    let dist = ctx.dist_dir();
    let missing: Vec<&str> =
        DIST_FILES.iter().copied().filter(|f| !dist.join(f).is_file()).collect();
    if !missing.is_empty() {
        return Err(format!(
            "trunk finished but {DIST_DIR}/ lacks {}; web/loader.js and index.html expect these names",
            missing.join(", ")
        ));
    }
    names::minify(ctx, &dist.join(GLUE_WASM), &dist.join(GLUE_JS))?;
    minify_scripts(ctx, &dist)?;
    println!("dist: ok in {}", secs(t.elapsed()));
    Ok(())
}

/// The page's wasm is built with its own copy of the standard library,
/// compiled for size with the app (`-Z build-std`), where a panic is a trap
/// (`panic=immediate-abort`: no formatting of panic messages, no unwinding
/// tables) and carries no file and line (`location-detail=none`). Measured,
/// brotli of the wasm: 350 276 B with the prebuilt library, 329 311 B so;
/// keeping panic messages (build-std alone) 339 478 B. The page shows a trap
/// to the student from `web/loader.js`, in both languages.
///
/// These are unstable flags of the pinned stable toolchain, enabled for this
/// one build by `RUSTC_BOOTSTRAP` (as Firefox's build does) rather than by a
/// nightly toolchain: the compiler stays the one every test runs on. Only the
/// wasm target gets the flags; the build's host tools (proc macros, build
/// scripts) and every test build are untouched.
pub fn with_web_std(c: &mut Command) -> &mut Command {
    c.env("RUSTC_BOOTSTRAP", "1").env("CARGO_UNSTABLE_BUILD_STD", "std,panic_abort").env(
        "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
        "-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none",
    )
}

/// Minify the page's scripts with terser (from .tools): wasm-bindgen's
/// glue, which trunk's own minifier cannot parse (its `export default`) and
/// ships whole, and the loader and the worker, which trunk copies as they
/// are. All three are ES modules. Measured, brotli: glue 7 939 → 6 270 B,
/// loader 811 → 459 B, worker 368 → 121 B. Then drop from `index.html` the
/// `<link rel=rust>` trunk leaves behind (the page's loader does its job).
fn minify_scripts(ctx: &Ctx, dist: &Path) -> Result {
    for f in [GLUE_JS, "loader.js", "worker.js"] {
        let path = dist.join(f);
        let mut c = ctx.cmd("terser");
        c.arg(&path).args(["--module", "--compress", "--mangle", "-o"]).arg(&path);
        ctx.run(&mut c)?;
    }
    let index = dist.join("index.html");
    let html = std::fs::read_to_string(&index).map_err(|e| format!("{}: {e}", index.display()))?;
    std::fs::write(&index, without_rust_link(&html))
        .map_err(|e| format!("{}: {e}", index.display()))
}

/// `html` without its `<link ... rel=rust>` element, if it has one.
fn without_rust_link(html: &str) -> String {
    let Some(end) = html.find("rel=rust>").map(|i| i + "rel=rust>".len()) else {
        return html.to_string();
    };
    match html[..end].rfind("<link") {
        Some(start) => format!("{}{}", &html[..start], &html[end..]),
        None => html.to_string(),
    }
}

fn host_triple(ctx: &Ctx) -> Option<String> {
    let info = ctx.capture(ctx.cmd("rustc").arg("-vV"))?;
    info.lines().find_map(|l| l.strip_prefix("host: ")).map(str::to_string)
}

/// `cargo xtask serve`: setup, dist, then the static server with the strict CSP.
/// Fuzz targets in `fuzz/fuzz_targets`.
const FUZZ_TARGETS: &[&str] = &["link_decode", "link_run", "history_import"];

fn parse_seconds(args: &[String]) -> Result<u32> {
    match args {
        [] => Ok(60),
        [flag, n] if flag == "--seconds" => {
            n.parse().map_err(|_| format!("--seconds needs a number, got `{n}`"))
        }
        _ => Err(format!("usage: cargo xtask fuzz [--seconds N]\n\n{USAGE}")),
    }
}

/// Run every fuzz target for `seconds`, with libFuzzer's memory limit: a
/// crash, a panic or a blow-up past the limit fails the command and leaves
/// the input under `fuzz/artifacts/`.
fn fuzz(ctx: &Ctx, seconds: u32) -> Result {
    setup::fuzz_tools(ctx)?;
    for target in FUZZ_TARGETS {
        ctx.run(ctx.cmd("cargo").args([
            "+nightly",
            "fuzz",
            "run",
            target,
            "--",
            &format!("-max_total_time={seconds}"),
            "-rss_limit_mb=2048",
            "-max_len=70000",
            "-print_final_stats=1",
        ]))?;
    }
    Ok(())
}

fn serve(ctx: &Ctx, port: u16) -> Result {
    setup::setup(ctx)?;
    build_dist(ctx)?;
    println!("serve: http://127.0.0.1:{port}/  (Ctrl-C to stop)");
    ctx.run(ctx.cmd("node").args(["tests/e2e/serve.mjs", DIST_DIR, &port.to_string()]))
}

/// Runs named steps and records how long each took and whether it passed.
pub struct Steps {
    done: Vec<(String, Duration, bool)>,
    start: Instant,
}

impl Steps {
    pub fn begin() -> Self {
        Self { done: Vec::new(), start: Instant::now() }
    }

    pub fn step(&mut self, name: &str, f: impl FnOnce() -> Result) -> Result {
        println!("\n==> {name}");
        let t = Instant::now();
        let result = f();
        let took = t.elapsed();
        let passed = result.is_ok();
        println!("<== {name}: {} ({})", if passed { "ok" } else { "FAILED" }, secs(took));
        self.done.push((name.to_string(), took, passed));
        result.map_err(|e| format!("step `{name}` failed: {e}"))
    }

    /// The timings table, closing with a `steps: N passed, M failed` line.
    pub fn summary(&self) {
        println!("\nstep timings:");
        for (name, took, passed) in &self.done {
            let mark = if *passed { "ok" } else { "FAILED" };
            println!("  {:>8}  {mark:<6}  {name}", secs(*took));
        }
        println!("  {:>8}          total", secs(self.start.elapsed()));
        let failed = self.done.iter().filter(|(_, _, passed)| !passed).count();
        println!("steps: {} passed, {failed} failed", self.done.len() - failed);
    }
}

/// `cargo xtask test`: every check CI runs, in order, stopping at the first failure.
fn test(ctx: &Ctx) -> Result {
    let mut steps = Steps::begin();
    let result = test_steps(ctx, &mut steps);
    steps.summary();
    result
}

fn test_steps(ctx: &Ctx, steps: &mut Steps) -> Result {
    steps.step("setup", || setup::setup(ctx))?;
    steps.step("cargo fmt --check", || {
        ctx.run(ctx.cmd("cargo").args(["fmt", "--all", "--", "--check"]))
    })?;
    steps.step("no function over 150 lines in web/", || {
        lint::check_function_lengths(&ctx.root, "web/src")
    })?;
    // The web crate only targets wasm32: lint it there, and everything else natively.
    let clippy = |which: &[&str]| {
        ctx.run(ctx.cmd("cargo").arg("clippy").args(which).args([
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))
    };
    steps.step("clippy (native)", || clippy(&["--workspace", "--exclude", WEB_PACKAGE]))?;
    steps.step("clippy (wasm32, web)", || clippy(&["--target", WASM_TARGET, "-p", WEB_PACKAGE]))?;
    // Native tests: every member but the web crate (the default members plus xtask).
    steps.step("cargo test --profile ci", || {
        ctx.run(ctx.cmd("cargo").args([
            "test",
            "--profile",
            "ci",
            "--workspace",
            "--exclude",
            WEB_PACKAGE,
        ]))
    })?;
    // The web crate's own unit tests (the string catalogs) run natively too.
    steps.step("cargo test (web, native)", || {
        ctx.run(ctx.cmd("cargo").args(["test", "-p", WEB_PACKAGE, "--lib"]))
    })?;
    if web_has_wasm_tests(ctx) {
        steps.step("wasm tests in Chromium (web)", || {
            ctx.run(
                ctx.cmd("cargo")
                    .args(["test", "--target", WASM_TARGET, "-p", WEB_PACKAGE])
                    .env("WASM_BINDGEN_TEST_TIMEOUT", "120"),
            )
        })?;
    }
    steps.step("dist (trunk build --release)", || build_dist(ctx))?;
    steps.step("bundle size budget (brotli)", || bench::check_budget(ctx))?;
    steps.step("browser e2e (node --test tests/e2e)", || e2e(ctx))?;
    Ok(())
}

/// In-browser tests run only when the web crate declares `wasm-bindgen-test`.
fn web_has_wasm_tests(ctx: &Ctx) -> bool {
    std::fs::read_to_string(ctx.root.join("web/Cargo.toml"))
        .is_ok_and(|manifest| manifest.contains("wasm-bindgen-test"))
}

/// The browser end-to-end suite: node's built-in runner over `tests/e2e/*.test.mjs`.
fn e2e(ctx: &Ctx) -> Result {
    let dir = ctx.root.join("tests/e2e");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".test.mjs"))
        .map(|name| format!("tests/e2e/{name}"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err("no tests/e2e/*.test.mjs files".into());
    }
    ctx.run(ctx.cmd("node").arg("--test").args(&files).env("QS_DIST", ctx.dist_dir()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|s| (*s).to_string()).collect()
    }

    #[test]
    fn port_defaults_to_8080_and_accepts_both_spellings() {
        assert_eq!(parse_port(&[]), Ok(8080));
        assert_eq!(parse_port(&strings(&["--port", "9000"])), Ok(9000));
        assert_eq!(parse_port(&strings(&["--port=0"])), Ok(0));
        assert!(parse_port(&strings(&["--port"])).is_err());
        assert!(parse_port(&strings(&["--port", "x"])).is_err());
        assert!(parse_port(&strings(&["--verbose"])).is_err());
    }
}

#[cfg(test)]
mod dist_tests {
    #[test]
    fn the_leftover_rust_link_is_dropped_and_nothing_else() {
        let html = "<title>Q</title><link data-bin=q data-trunk href=web/Cargo.toml rel=rust><link href=./style.css rel=stylesheet>";
        assert_eq!(
            super::without_rust_link(html),
            "<title>Q</title><link href=./style.css rel=stylesheet>"
        );
        assert_eq!(super::without_rust_link("<p>x</p>"), "<p>x</p>");
    }
}
