//! `cargo xtask mutants [module ...]`: mutation testing of the protocol,
//! checker and engine code with cargo-mutants. Each mutant (a `<` turned
//! `<=`, a function body replaced by a default, a `&&` by `||`) is built and
//! the tests run against it; a mutant no test fails on is a slip the tests
//! would not notice. Not part of `cargo xtask test`: a module takes hours on
//! 2 cores. The report and its date live in `docs/mutants.md`.
//!
//! Each module is tested by the core's unit tests and the test targets that
//! exercise it (swarms with their oracles, searches, lessons), run by
//! nextest, which stops at the first failure, so a caught mutant costs one
//! failing test rather than the whole suite. Left out, for time: the
//! complete faithful Paxos search (two minutes alone; the challenge tests
//! still run the broken-variant searches and the faithful Zab and Quorum
//! ones).
//!
//! A module whose own searches take tens of seconds is run in two passes:
//! first every mutant without them (most are caught by a unit test or a
//! swarm in seconds), then only the survivors with them (`--iterate`), so
//! the score is the full test set's at a fraction of its cost.

use std::collections::BTreeMap;

use crate::{Ctx, Result};

/// A module mutation testing covers: its name, its files, and the test
/// targets that exercise it (the core's unit tests always run). Building
/// only these, rather than every test binary of both packages, is most of
/// what makes a mutant cheap: each one relinks what it tests.
#[derive(Debug)]
pub struct Module {
    pub name: &'static str,
    pub files: &'static [&'static str],
    /// `--test` targets of the core (`crates/core/tests`) and of the
    /// cross-crate tests (`tests/tests`).
    pub tests: &'static [&'static str],
    /// Tests of those targets left out for this module: another protocol's
    /// searches, which cost tens of seconds a mutant and run none of its code.
    pub skip: &'static [&'static [&'static str]],
    /// The module's own searches: left out of the first pass, run on the
    /// mutants it missed.
    pub searches: &'static [&'static str],
}

/// The challenge searches of Paxos and of Zab (23 s and 42 s a run).
const PAXOS_SEARCHES: &[&str] = &["two_values_chosen_needs_promises_kept_only_in_memory"];
const ZAB_SEARCHES: &[&str] = &[
    "faithful_zab_never_loses_a_committed_write",
    "a_committed_write_is_lost_by_a_leader_that_commits_before_a_quorum_acks",
];

pub const MODULES: &[Module] = &[
    Module {
        name: "paxos",
        files: &["crates/core/src/paxos/**"],
        tests: &[
            "engine",
            "paxos",
            "explore",
            "challenges",
            "hunt",
            "lessons",
            "guides",
            "paxos_swarm",
        ],
        skip: &[ZAB_SEARCHES],
        searches: &[
            "adopting_the_lowest_numbered_value_lets_two_values_be_chosen_with_two_rounds",
            PAXOS_SEARCHES[0],
        ],
    },
    Module {
        name: "zab",
        files: &["crates/core/src/zab/**"],
        tests: &[
            "engine",
            "zab_explore",
            "zab_lessons",
            "challenges",
            "hunt",
            "guides",
            "zab_swarm",
        ],
        skip: &[PAXOS_SEARCHES],
        searches: ZAB_SEARCHES,
    },
    Module {
        name: "quorum",
        files: &["crates/core/src/quorum/**"],
        tests: &["engine", "lessons", "challenges", "hunt", "guides", "quorum_swarm", "contrast"],
        skip: &[PAXOS_SEARCHES, ZAB_SEARCHES],
        searches: &[],
    },
    Module {
        name: "eventual",
        files: &["crates/core/src/eventual/**"],
        tests: &["engine", "consistency_lessons", "guides", "eventual_swarm", "contrast"],
        skip: &[],
        searches: &[],
    },
    Module {
        name: "check",
        files: &["crates/core/src/check/**"],
        tests: &[
            "generated_histories",
            "linearizability",
            "jepsen_fixtures",
            "consistency_lessons",
        ],
        skip: &[],
        searches: &[],
    },
    Module {
        name: "engine",
        files: &["crates/core/src/world.rs", "crates/core/src/net.rs", "crates/core/src/sim.rs"],
        tests: &["engine", "manual_network", "lessons", "links", "paxos_swarm", "zab_swarm"],
        skip: &[],
        searches: &[],
    },
];

/// Tests too slow to run once per mutant in any module.
const SLOW_TESTS: &[&str] = &["two_values_are_never_chosen_by_faithful_paxos"];

/// Run cargo-mutants on each named module (all of them when none is named),
/// writing its outcomes under `target/mutants/<module>/`, and print each
/// module's score and survivors. Arguments after `--` go to cargo-mutants
/// (`-F REGEX` to recheck survivors, `--shard K/N` to split a module over
/// several sittings); such a partial run writes to `<module>-part/`.
pub fn mutants(ctx: &Ctx, args: &[String]) -> Result {
    let (names, extra) = match args.iter().position(|a| a == "--") {
        Some(i) => (&args[..i], &args[i + 1..]),
        None => (args, &[][..]),
    };
    let picked = pick(names)?;
    crate::setup::mutants_tools(ctx)?;
    for m in picked {
        let dir = if extra.is_empty() { m.name.to_string() } else { format!("{}-part", m.name) };
        let out = ctx.root.join("target/mutants").join(dir);
        std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
        let mut s = run_pass(ctx, m, &out, extra, Pass::Quick)?;
        if !m.searches.is_empty() && !s.missed.is_empty() {
            println!("\nmutants: {}: {} missed; again with its searches", m.name, s.missed.len());
            let again = survivors_args(extra, &s.missed);
            s = s.then(run_pass(ctx, m, &out, &again, Pass::Survivors)?);
        }
        print_score(m.name, &s);
    }
    Ok(())
}

/// The first pass runs every mutant without the module's own searches; the
/// second only those the first missed, with them.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Pass {
    Quick,
    Survivors,
}

fn run_pass(
    ctx: &Ctx,
    m: &Module,
    out: &std::path::Path,
    extra: &[String],
    pass: Pass,
) -> Result<Score> {
    let mut c = ctx.cmd("cargo");
    c.args(["mutants", "--package", "quorumscope-core"])
        .args(["--test-tool", "nextest", "--profile", "ci", "--jobs", "1"])
        .args(["--timeout-multiplier", "3", "--no-shuffle", "--output"])
        .arg(out);
    for f in m.files {
        c.args(["--file", f]);
    }
    // The targets go to every cargo call (the build, the baseline and
    // each mutant's run): cargo-mutants names only the mutated package,
    // and cannot name the cross-crate tests' (it has no library), so
    // `--workspace` less what is not a test of the core widens it.
    c.arg("--cargo-arg=--workspace");
    for p in ["quorumscope-web", "quorumscope-scene", "quorumscope-cli", "xtask"] {
        c.arg(format!("--cargo-arg=--exclude={p}"));
    }
    c.arg("--cargo-arg=--lib");
    for t in m.tests {
        c.arg(format!("--cargo-arg=--test={t}"));
    }
    c.arg(format!("--cargo-test-arg=--filterset={}", filterset(m, pass)));
    c.args(extra);
    // cargo-mutants exits non-zero when a mutant survives: the score is
    // the answer, read from its outcomes either way.
    let _ = ctx.run(&mut c);
    let outcomes = out.join("mutants.out/outcomes.json");
    let text =
        std::fs::read_to_string(&outcomes).map_err(|e| format!("{}: {e}", outcomes.display()))?;
    score(&text)
}

/// The second pass's arguments: the first's, less a shard (the survivors
/// are already one shard's), naming exactly the survivors.
fn survivors_args(extra: &[String], missed: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut it = extra.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--shard" | "-F" | "--re" => {
                it.next();
            }
            _ if a.starts_with("--shard=") || a.starts_with("--re=") => {}
            _ => out.push(a.clone()),
        }
    }
    let names: Vec<String> = missed.iter().map(|n| regex_escape(n)).collect();
    out.extend(["-F".to_string(), format!("^(?:{})$", names.join("|"))]);
    out
}

/// A mutant's name as a regular expression matching only itself.
fn regex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\.+*?()|[]{}^$#".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A nextest filter expression that leaves out the slow tests and the
/// module's skipped ones, by exact name, and in the quick pass its searches.
fn filterset(m: &Module, pass: Pass) -> String {
    let skipped = m.skip.iter().flat_map(|list| list.iter());
    let searches = m.searches.iter().filter(|_| pass == Pass::Quick);
    let names: Vec<String> = SLOW_TESTS
        .iter()
        .chain(skipped)
        .chain(searches)
        .map(|t| format!("not test(={t})"))
        .collect();
    names.join(" and ")
}

fn pick(names: &[String]) -> Result<Vec<&'static Module>> {
    if names.is_empty() {
        return Ok(MODULES.iter().collect());
    }
    names
        .iter()
        .map(|n| {
            MODULES.iter().find(|m| m.name == n).ok_or_else(|| {
                let known: Vec<&str> = MODULES.iter().map(|m| m.name).collect();
                format!("no module `{n}`; the modules are {}", known.join(", "))
            })
        })
        .collect()
}

/// What became of the mutants of one run.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Score {
    /// Outcome ("CaughtMutant", "MissedMutant", "Timeout", "Unviable") → count.
    pub counts: BTreeMap<String, usize>,
    /// The missed mutants, as cargo-mutants names them (file:line: change).
    pub missed: Vec<String>,
    /// Every mutant tested, by name.
    pub tested: Vec<String>,
}

impl Score {
    fn count(&self, outcome: &str) -> usize {
        self.counts.get(outcome).copied().unwrap_or(0)
    }

    /// This pass's outcomes followed by a pass over the mutants it missed:
    /// every other outcome of this pass stands, the missed ones are the
    /// later pass's. A missed mutant the later pass did not test (its line
    /// moved since) stays missed.
    #[must_use]
    pub fn then(self, later: Score) -> Score {
        let mut counts = self.counts;
        let untested: Vec<String> =
            self.missed.into_iter().filter(|m| !later.tested.contains(m)).collect();
        counts.insert("MissedMutant".into(), untested.len());
        for (outcome, n) in later.counts {
            *counts.entry(outcome).or_default() += n;
        }
        let missed = untested.into_iter().chain(later.missed).collect();
        let tested = self.tested;
        Score { counts, missed, tested }
    }

    /// Caught (a test failed, or the mutant hung past its timeout) over
    /// viable (every mutant that built), in per mille.
    #[must_use]
    pub fn caught_per_mille(&self) -> Option<usize> {
        let caught = self.count("CaughtMutant") + self.count("Timeout");
        let viable = caught + self.count("MissedMutant");
        (viable > 0).then(|| caught * 1000 / viable)
    }
}

/// The score in cargo-mutants' `outcomes.json`: each outcome of a mutant
/// scenario has a `summary` and, for a mutant, its `scenario.Mutant` with a
/// `name`. The baseline's outcome is not counted.
///
/// # Errors
/// The text is not JSON of that shape.
pub fn score(json: &str) -> Result<Score> {
    let v: serde_json::Value =
        serde_json::from_str(json).map_err(|e| format!("outcomes.json: {e}"))?;
    let outcomes = v["outcomes"].as_array().ok_or("outcomes.json has no `outcomes` list")?;
    let mut s = Score::default();
    for o in outcomes {
        let Some(mutant) = o["scenario"].get("Mutant") else { continue };
        let summary = o["summary"].as_str().unwrap_or("Unknown").to_string();
        let name = mutant["name"].as_str().unwrap_or("?").to_string();
        if summary == "MissedMutant" {
            s.missed.push(name.clone());
        }
        s.tested.push(name);
        *s.counts.entry(summary).or_default() += 1;
    }
    Ok(s)
}

fn print_score(name: &str, s: &Score) {
    let pm = s.caught_per_mille();
    let shown =
        pm.map_or_else(|| "no viable mutants".into(), |p| format!("{}.{} %", p / 10, p % 10));
    println!("\nmutants: {name}: {shown} caught");
    for (outcome, n) in &s.counts {
        println!("  {n:>5}  {outcome}");
    }
    for m in &s.missed {
        println!("  missed: {m}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_score_counts_timeouts_as_caught_and_leaves_unviable_and_the_baseline_out() {
        let json = r#"{"outcomes": [
            {"scenario": "Baseline", "summary": "Success"},
            {"scenario": {"Mutant": {"name": "a.rs:1:2: replace < with <="}}, "summary": "CaughtMutant"},
            {"scenario": {"Mutant": {"name": "a.rs:3:4: replace f -> bool with true"}}, "summary": "MissedMutant"},
            {"scenario": {"Mutant": {"name": "a.rs:5:6: replace g with ()"}}, "summary": "Timeout"},
            {"scenario": {"Mutant": {"name": "a.rs:7:8: replace h -> u32 with 1"}}, "summary": "Unviable"}
        ]}"#;
        let s = score(json).unwrap();
        assert_eq!(s.missed, vec!["a.rs:3:4: replace f -> bool with true".to_string()]);
        assert_eq!(s.count("Unviable"), 1);
        assert_eq!(s.caught_per_mille(), Some(666));
        assert!(score("[]").is_err());
    }

    #[test]
    fn every_test_target_named_exists() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        for m in MODULES {
            for t in m.tests {
                let file = format!("{t}.rs");
                let here = ["crates/core/tests", "tests/tests"].map(|d| root.join(d).join(&file));
                assert!(here.iter().any(|p| p.is_file()), "{}: no test target {t}", m.name);
            }
        }
    }

    #[test]
    fn modules_are_named_or_all() {
        assert_eq!(pick(&[]).unwrap().len(), MODULES.len());
        assert_eq!(pick(&["zab".into()]).unwrap()[0].name, "zab");
        assert!(pick(&["raft".into()]).unwrap_err().contains("paxos, zab"));
    }

    #[test]
    fn the_filter_leaves_out_the_slow_search_and_other_protocols_searches() {
        let quorum = pick(&["quorum".into()]).unwrap()[0];
        let f = filterset(quorum, Pass::Quick);
        assert!(f.starts_with("not test(=two_values_are_never_chosen_by_faithful_paxos) and "));
        assert!(f.contains("not test(=faithful_zab_never_loses_a_committed_write)"));
        assert_eq!(f.matches(" and ").count(), 3);
    }

    #[test]
    fn a_modules_own_searches_run_only_on_the_quick_passs_survivors() {
        let paxos = pick(&["paxos".into()]).unwrap()[0];
        let own = "not test(=two_values_chosen_needs_promises_kept_only_in_memory)";
        assert!(filterset(paxos, Pass::Quick).contains(own));
        assert!(!filterset(paxos, Pass::Survivors).contains(own));
        assert!(filterset(paxos, Pass::Survivors).contains("faithful_zab_never_loses"));
    }

    #[test]
    fn the_second_pass_names_exactly_the_survivors_of_the_first() {
        let extra: Vec<String> =
            ["--shard", "1/4", "-F", "paxos", "--timeout=90"].map(String::from).to_vec();
        let missed = vec!["a.rs:1:2: replace f -> Option<(u64, u64)> with None".to_string()];
        let args = survivors_args(&extra, &missed);
        assert_eq!(args[..2], ["--timeout=90".to_string(), "-F".to_string()]);
        assert_eq!(args[2], r"^(?:a\.rs:1:2: replace f -> Option<\(u64, u64\)> with None)$");
    }

    #[test]
    fn a_second_pass_replaces_what_the_first_did_not_catch() {
        let first = score(
            r#"{"outcomes": [
            {"scenario": {"Mutant": {"name": "a"}}, "summary": "CaughtMutant"},
            {"scenario": {"Mutant": {"name": "b"}}, "summary": "MissedMutant"},
            {"scenario": {"Mutant": {"name": "c"}}, "summary": "MissedMutant"},
            {"scenario": {"Mutant": {"name": "d"}}, "summary": "Timeout"},
            {"scenario": {"Mutant": {"name": "e"}}, "summary": "Unviable"},
            {"scenario": {"Mutant": {"name": "f"}}, "summary": "MissedMutant"}]}"#,
        )
        .unwrap();
        let second = score(
            r#"{"outcomes": [
            {"scenario": {"Mutant": {"name": "b"}}, "summary": "CaughtMutant"},
            {"scenario": {"Mutant": {"name": "c"}}, "summary": "MissedMutant"}]}"#,
        )
        .unwrap();
        // f was not tested again (its line moved): still missed.
        let both = first.then(second);
        assert_eq!(both.missed, vec!["f".to_string(), "c".to_string()]);
        assert_eq!(both.count("CaughtMutant"), 2);
        assert_eq!(both.count("Timeout"), 1);
        assert_eq!(both.count("Unviable"), 1);
        assert_eq!(both.caught_per_mille(), Some(600));
    }

    #[test]
    fn every_skipped_test_exists() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let text: String = MODULES
            .iter()
            .flat_map(|m| m.tests)
            .filter_map(|t| {
                let file = format!("{t}.rs");
                ["crates/core/tests", "tests/tests"]
                    .iter()
                    .find_map(|d| std::fs::read_to_string(root.join(d).join(&file)).ok())
            })
            .collect();
        let skipped = MODULES.iter().flat_map(|m| m.skip.iter().flat_map(|l| l.iter()));
        let searches = MODULES.iter().flat_map(|m| m.searches);
        for t in SLOW_TESTS.iter().chain(skipped).chain(searches) {
            assert!(text.contains(&format!("fn {t}()")), "no test {t} in the modules' targets");
        }
    }
}
