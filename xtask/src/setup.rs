//! `cargo xtask setup`: check every tool at its pinned version; install what is
//! missing or at another version. Idempotent, and about a second when all is there.
//!
//! Pins and why (see also Trunk.toml and `.tools/package.json`):
//! - trunk 0.21.14: trunk 0.22 needs a newer rustc than 1.95.
//! - wasm-bindgen-cli = the `wasm-bindgen` version in Cargo.lock (the CLI and the
//!   library must match exactly). Installed without `--locked`: its own lockfile
//!   names a crate version some registry mirrors lack.
//! - wasm-opt from the npm package `binaryen` (Debian's binaryen is too old to
//!   parse current rustc output); terser minifies wasm-bindgen's JS glue (trunk's
//!   minifier cannot parse it); playwright-core (never `playwright`, which
//!   downloads browsers) drives Debian's chromium in the browser tests.

use crate::{secs, Ctx, Result, WASM_TARGET};
use std::collections::BTreeSet;
use std::path::Path;
use std::time::Instant;

pub const TRUNK_VERSION: &str = "0.21.14";
/// Debian packages: the browser and its driver for tests, a CJK font so Chinese
/// text renders in screenshots, and brotli for bundle-size measurement.
const APT_PACKAGES: &[&str] = &["chromium", "chromium-driver", "fonts-noto-cjk", "brotli"];
/// playwright-core 1.65 declares `engines: node >= 20`.
const NODE_MIN_MAJOR: u32 = 20;

pub fn setup(ctx: &Ctx) -> Result {
    let t = Instant::now();
    println!("setup: checking tools");
    rust_target_and_components(ctx)?;
    debian_packages(ctx)?;
    trunk(ctx)?;
    wasm_bindgen(ctx)?;
    node_tools(ctx)?;
    println!("setup: ok in {}", secs(t.elapsed()));
    Ok(())
}

fn ok(what: &str) {
    println!("  ok  {what}");
}

fn rust_target_and_components(ctx: &Ctx) -> Result {
    let Some(targets) = ctx.capture(ctx.cmd("rustup").args(["target", "list", "--installed"]))
    else {
        // No rustup: accept a toolchain that already has the target.
        let sysroot = ctx
            .capture(ctx.cmd("rustc").args(["--print", "sysroot"]))
            .ok_or("neither rustup nor rustc found on PATH")?;
        if Path::new(&sysroot).join("lib/rustlib").join(WASM_TARGET).is_dir() {
            ok(&format!("rust target {WASM_TARGET} (no rustup)"));
            return Ok(());
        }
        return Err(format!("rustup not found and the Rust toolchain lacks {WASM_TARGET}"));
    };
    if !targets.lines().any(|l| l.trim() == WASM_TARGET) {
        println!("  installing rust target {WASM_TARGET}");
        ctx.run(ctx.cmd("rustup").args(["target", "add", WASM_TARGET]))?;
    }
    ok(&format!("rust target {WASM_TARGET}"));

    let components = ctx
        .capture(ctx.cmd("rustup").args(["component", "list", "--installed"]))
        .unwrap_or_default();
    let missing = missing_components(&components);
    if !missing.is_empty() {
        println!("  installing rust components {}", missing.join(" "));
        ctx.run(ctx.cmd("rustup").args(["component", "add"]).args(&missing))?;
    }
    ok("rust components rustfmt clippy rust-src");
    Ok(())
}

/// The rust components the project needs that `rustup component list
/// --installed` does not list: rustfmt and clippy for the lints, rust-src for
/// the page's build, which compiles the standard library (`with_web_std`).
/// Rustup names a host component `name-<triple>` and rust-src plain `name`.
fn missing_components(installed: &str) -> Vec<&'static str> {
    ["rustfmt", "clippy", "rust-src"]
        .into_iter()
        .filter(|c| {
            !installed.lines().map(str::trim).any(|l| {
                l.strip_prefix(c).is_some_and(|rest| rest.is_empty() || rest.starts_with('-'))
            })
        })
        .collect()
}

fn dpkg_installed(ctx: &Ctx, package: &str) -> bool {
    ctx.capture(
        ctx.cmd("dpkg-query")
            .args(["-W", "-f=${Status}", package])
            .stderr(std::process::Stdio::null()),
    )
    .is_some_and(|status| status == "install ok installed")
}

fn node_major(ctx: &Ctx) -> Option<u32> {
    let v = ctx.capture(ctx.cmd("node").arg("--version"))?;
    v.trim_start_matches('v').split('.').next()?.parse().ok()
}

fn debian_packages(ctx: &Ctx) -> Result {
    let mut wanted: Vec<&str> = APT_PACKAGES.to_vec();
    let node_ok = node_major(ctx).is_some_and(|m| m >= NODE_MIN_MAJOR)
        && ctx.capture(ctx.cmd("npm").arg("--version")).is_some();
    if !node_ok {
        wanted.extend(["nodejs", "npm"]);
    }
    if ctx.capture(ctx.cmd("dpkg-query").arg("--version")).is_none() {
        println!("  skip Debian packages: no dpkg here; install by hand: {}", wanted.join(" "));
        return if node_ok {
            Ok(())
        } else {
            Err(format!("node >= {NODE_MIN_MAJOR} and npm are required"))
        };
    }
    let missing: Vec<&str> = wanted.iter().copied().filter(|p| !dpkg_installed(ctx, p)).collect();
    if !missing.is_empty() {
        println!("  installing Debian packages {}", missing.join(" "));
        let sudo = if ctx.capture(ctx.cmd("id").arg("-u")).as_deref() == Some("0") {
            None
        } else if ctx.capture(ctx.cmd("sudo").arg("--version")).is_some() {
            Some("sudo")
        } else {
            return Err(format!(
                "not root and no sudo: install these Debian packages by hand: {}",
                missing.join(" ")
            ));
        };
        let apt = |args: &[&str]| {
            let mut c = match sudo {
                Some(sudo) => {
                    let mut c = ctx.cmd(sudo);
                    c.args(["env", "DEBIAN_FRONTEND=noninteractive", "apt-get"]);
                    c
                }
                None => {
                    let mut c = ctx.cmd("apt-get");
                    c.env("DEBIAN_FRONTEND", "noninteractive");
                    c
                }
            };
            c.args(args);
            ctx.run(&mut c)
        };
        apt(&["update"])?;
        apt(&["install", "-y", "--no-install-recommends"]
            .into_iter()
            .chain(missing.iter().copied())
            .collect::<Vec<_>>())?;
        let still: Vec<&str> =
            missing.iter().copied().filter(|p| !dpkg_installed(ctx, p)).collect();
        if !still.is_empty() {
            return Err(format!("apt-get did not install {}", still.join(" ")));
        }
    }
    ok(&format!("Debian packages {}", wanted.join(" ")));
    if node_major(ctx).is_none_or(|m| m < NODE_MIN_MAJOR) {
        return Err(format!("node >= {NODE_MIN_MAJOR} is required"));
    }
    Ok(())
}

/// The version a tool reports as the last word of `<tool> --version`.
fn reported_version(ctx: &Ctx, tool: &str) -> Option<String> {
    let out = ctx.capture(ctx.cmd(tool).arg("--version"))?;
    out.lines().next()?.split_whitespace().last().map(str::to_string)
}

fn cargo_install(ctx: &Ctx, krate: &str, version: &str, locked: bool, note: &str) -> Result {
    println!("  installing {krate} {version} with cargo install ({note})");
    let mut c = ctx.cmd("cargo");
    c.args(["install", krate, "--version", version, "--force"]);
    if locked {
        c.arg("--locked");
    }
    ctx.run(&mut c)
}

fn trunk(ctx: &Ctx) -> Result {
    let found = reported_version(ctx, "trunk");
    if found.as_deref() != Some(TRUNK_VERSION) {
        if let Some(v) = &found {
            println!("  trunk {v} found, need {TRUNK_VERSION}");
        }
        cargo_install(ctx, "trunk", TRUNK_VERSION, true, "~9 min on 2 cores")?;
        let now = reported_version(ctx, "trunk");
        if now.as_deref() != Some(TRUNK_VERSION) {
            return Err(format!(
                "after cargo install, `trunk --version` reports {now:?}, not {TRUNK_VERSION}"
            ));
        }
    }
    ok(&format!("trunk {TRUNK_VERSION}"));
    Ok(())
}

/// cargo-fuzz, for `cargo xtask fuzz` only (the tests do not need it).
pub const CARGO_FUZZ_VERSION: &str = "0.13.2";

/// The nightly toolchain and cargo-fuzz that `cargo xtask fuzz` needs
/// (libFuzzer builds only on nightly).
pub fn fuzz_tools(ctx: &Ctx) -> Result {
    let toolchains = ctx.capture(ctx.cmd("rustup").args(["toolchain", "list"])).unwrap_or_default();
    if !toolchains.lines().any(|l| l.starts_with("nightly")) {
        ctx.run(ctx.cmd("rustup").args([
            "toolchain",
            "install",
            "nightly",
            "--profile",
            "minimal",
        ]))?;
    }
    ok("nightly toolchain");
    let found = ctx
        .capture(ctx.cmd("cargo").args(["fuzz", "--version"]))
        .and_then(|o| o.split_whitespace().nth(1).map(str::to_string));
    if found.as_deref() != Some(CARGO_FUZZ_VERSION) {
        cargo_install(ctx, "cargo-fuzz", CARGO_FUZZ_VERSION, true, "~3 min")?;
    }
    ok(&format!("cargo-fuzz {CARGO_FUZZ_VERSION}"));
    Ok(())
}

/// cargo-mutants and cargo-nextest, for `cargo xtask mutants` only.
pub const CARGO_MUTANTS_VERSION: &str = "27.0.0";
pub const CARGO_NEXTEST_VERSION: &str = "0.9.143";

pub fn mutants_tools(ctx: &Ctx) -> Result {
    for (krate, version, sub, note) in [
        ("cargo-mutants", CARGO_MUTANTS_VERSION, "mutants", "~3 min"),
        ("cargo-nextest", CARGO_NEXTEST_VERSION, "nextest", "~4 min"),
    ] {
        // `cargo mutants --version` prints "cargo-mutants 27.0.0";
        // `cargo nextest --version` "cargo-nextest 0.9.143 (…)".
        let found = ctx
            .capture(ctx.cmd("cargo").args([sub, "--version"]))
            .and_then(|o| o.split_whitespace().nth(1).map(str::to_string));
        if found.as_deref() != Some(version) {
            cargo_install(ctx, krate, version, true, note)?;
        }
        ok(&format!("{krate} {version}"));
    }
    Ok(())
}

/// The one version of `package` in a Cargo.lock text.
pub fn lock_version(lock: &str, package: &str) -> Result<String> {
    let name_line = format!("name = \"{package}\"");
    let mut versions = BTreeSet::new();
    for block in lock.split("[[package]]").skip(1) {
        let mut lines = block.lines().map(str::trim);
        if lines.clone().any(|l| l == name_line) {
            if let Some(v) = lines.find_map(|l| l.strip_prefix("version = \"")) {
                versions.insert(v.trim_end_matches('"').to_string());
            }
        }
    }
    match versions.len() {
        1 => Ok(versions.into_iter().next().unwrap_or_default()),
        0 => Err(format!("Cargo.lock has no package {package}")),
        _ => Err(format!("Cargo.lock has several versions of {package}: {versions:?}; keep one")),
    }
}

/// A `key = "value"` string from Trunk.toml (a flat file; no TOML parser needed).
pub fn trunk_toml_value(trunk_toml: &str, key: &str) -> Option<String> {
    trunk_toml.lines().find_map(|line| {
        let (k, v) = line.split_once('=')?;
        let v = v.split('#').next().unwrap_or_default();
        (k.trim() == key).then(|| v.trim().trim_matches('"').to_string())
    })
}

fn read(ctx: &Ctx, file: &str) -> Result<String> {
    std::fs::read_to_string(ctx.root.join(file)).map_err(|e| format!("cannot read {file}: {e}"))
}

fn wasm_bindgen(ctx: &Ctx) -> Result {
    let version = lock_version(&read(ctx, "Cargo.lock")?, "wasm-bindgen")?;
    let pinned = trunk_toml_value(&read(ctx, "Trunk.toml")?, "wasm_bindgen");
    if pinned.as_deref() != Some(version.as_str()) {
        return Err(format!(
            "Trunk.toml pins wasm_bindgen = {} but Cargo.lock has wasm-bindgen {version}: make them equal",
            pinned.as_deref().unwrap_or("(nothing)")
        ));
    }
    let current = |ctx: &Ctx| {
        ["wasm-bindgen", "wasm-bindgen-test-runner"]
            .into_iter()
            .all(|tool| reported_version(ctx, tool).as_deref() == Some(version.as_str()))
    };
    if !current(ctx) {
        cargo_install(ctx, "wasm-bindgen-cli", &version, false, "~3 min")?;
        if !current(ctx) {
            return Err(format!(
                "after cargo install, wasm-bindgen or wasm-bindgen-test-runner is not at {version}"
            ));
        }
    }
    ok(&format!("wasm-bindgen-cli {version} (= Cargo.lock, = Trunk.toml)"));
    Ok(())
}

/// Compares `.tools/node_modules` with `.tools/package.json`; prints `ok <name@version>...`
/// or `stale <reason>`.
const NODE_TOOLS_CHECK: &str = r"
const fs = require('fs');
const want = JSON.parse(fs.readFileSync('package.json', 'utf8')).dependencies;
const have = [];
for (const [name, version] of Object.entries(want)) {
  let got = null;
  try { got = JSON.parse(fs.readFileSync(`node_modules/${name}/package.json`, 'utf8')).version; } catch {}
  if (got !== version) { console.log(`stale ${name}: want ${version}, have ${got}`); process.exit(0); }
  have.push(`${name} ${version}`);
}
console.log('ok ' + have.join(', '));
";

fn node_tools(ctx: &Ctx) -> Result {
    let tools = ctx.root.join(".tools");
    let check = |ctx: &Ctx| {
        ctx.capture(ctx.cmd("node").args(["-e", NODE_TOOLS_CHECK]).current_dir(&tools))
            .unwrap_or_else(|| "stale: check failed".into())
    };
    let mut status = check(ctx);
    if let Some(reason) = status.strip_prefix("stale") {
        println!("  npm tools missing or out of date ({})", reason.trim());
        let mut c = ctx.cmd("npm");
        if tools.join("package-lock.json").is_file() {
            c.arg("ci");
        } else {
            c.arg("install");
        }
        c.args(["--no-audit", "--no-fund"]).current_dir(&tools);
        ctx.run(&mut c)?;
        status = check(ctx);
        if status.starts_with("stale") {
            return Err(format!("npm install left .tools stale: {status}"));
        }
    }
    let installed = status.trim_start_matches("ok ");
    ok(&format!("npm {installed} (.tools)"));

    // Trunk checks wasm-opt's version against Trunk.toml (offline, so no download).
    let want = trunk_toml_value(&read(ctx, "Trunk.toml")?, "wasm_opt")
        .ok_or("Trunk.toml lacks [tools] wasm_opt")?;
    let got = ctx.capture(ctx.cmd("wasm-opt").arg("--version")).unwrap_or_default();
    if !got.contains(&format!("({want})")) {
        return Err(format!(
            "wasm-opt on PATH reports `{got}`, Trunk.toml wants {want}: align .tools/package.json's binaryen"
        ));
    }
    ok(&format!("wasm-opt {want} (binaryen from npm)"));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = r#"
version = 4

[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"
dependencies = [
 "wasm-bindgen-macro",
]

[[package]]
name = "wasm-bindgen-macro"
version = "0.2.131"
"#;

    #[test]
    fn lock_version_finds_the_exact_package_not_its_namesakes() {
        assert_eq!(lock_version(LOCK, "wasm-bindgen"), Ok("0.2.130".into()));
        assert_eq!(lock_version(LOCK, "wasm-bindgen-macro"), Ok("0.2.131".into()));
        assert!(lock_version(LOCK, "yew").is_err());
    }

    #[test]
    fn lock_version_rejects_two_versions() {
        let two = format!("{LOCK}\n[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.99\"\n");
        assert!(lock_version(&two, "wasm-bindgen").is_err());
    }

    #[test]
    fn components_are_found_with_or_without_a_target_triple() {
        let all = "clippy-x86_64-unknown-linux-gnu\nrust-src\nrust-std-wasm32-unknown-unknown\nrustfmt-x86_64-unknown-linux-gnu\n";
        assert!(missing_components(all).is_empty());
        assert_eq!(
            missing_components(
                "rust-std-x86_64-unknown-linux-gnu\nrustfmt-x86_64-unknown-linux-gnu"
            ),
            ["clippy", "rust-src"]
        );
        assert_eq!(missing_components("rust-srcx\nclippy-preview"), ["rustfmt", "rust-src"]);
    }

    #[test]
    fn trunk_toml_values_are_read_by_key() {
        let toml = "[tools]\nwasm_bindgen = \"0.2.130\"\nwasm_opt = \"version_132\"\n";
        assert_eq!(trunk_toml_value(toml, "wasm_bindgen").as_deref(), Some("0.2.130"));
        assert_eq!(trunk_toml_value(toml, "wasm_opt").as_deref(), Some("version_132"));
        assert_eq!(trunk_toml_value(toml, "sass"), None);
    }
}
