//! `quorumscope` — the native runner.
//!
//! ```text
//! quorumscope hash <link|lesson-id> [--until TICK]   trace hash of a run
//! quorumscope run  <link|lesson-id> [--until TICK] [--export svg|png|json|edn] [--view topology|spacetime]
//!                                                     summary and client history, or at TICK:
//!                                                     the topology frame or the space-time
//!                                                     diagram as SVG, the trace as JSON, or
//!                                                     the client history as Jepsen EDN
//! quorumscope trace <link|lesson-id> [--until TICK]  every trace entry, with message labels
//! quorumscope link <lesson-id>                       the share link of a lesson
//! quorumscope qr <text>                              its QR code: `width|0101…` (rows of modules)
//! quorumscope link-crowded REPLICAS GOSSIP-TICKS       the link of a crowded run (frame budget bench)
//! quorumscope edn <link|lesson-id> [--until TICK]    the run's client history as Jepsen EDN
//! quorumscope bench                                  engine speed figures
//! quorumscope bench-paxos [EVENTS]                    time the shared Paxos workload (JSON)
//! quorumscope bench-zab [EVENTS]                      time the shared Zab workload (JSON)
//! quorumscope bench-search [--json] [CHALLENGE]      the page's counterexample searches, timed
//!                                                     natively (states, ms, states/s)
//! quorumscope explore [faithful|forget|reuse|lowest] [--two-rounds]
//!                                                     exhaustive Paxos check until two values are
//!                                                     chosen; prints a counterexample link
//! quorumscope explore-zab [faithful|commit|myid|ack|epoch] [boot]  exhaustive Zab check
//! quorumscope check FILE                              Jepsen history: exit 0 linearizable, 1 not, 2 unknown
//! quorumscope bench-check [FIXTURE-DIR]               checker timings on the Jepsen fixtures
//! quorumscope bench-check --side-by-side [--porcupine RUNNER] [--generated DIR]
//!                                                     ours and Porcupine's time on the fixtures
//!                                                     and on a matrix of generated histories
//! quorumscope gen-history [--object register|kv] [--clients N] [--keys K] [--ops N] [--seed S]
//!             [--anomaly KIND --at early|middle|late] [--crash P] [--fail P] [--info P] [--format edn|log]
//!                                                     a seeded Jepsen history (see --help)
//! quorumscope sweep [quorum|abd|paxos|zab|eventual|all] [--seeds N] [--events E] [--variant V]
//!                                                     swarm of seeds on every core, judged by what
//!                                                     clients were told; exit 1 on a broken promise
//! ```
//! A link may be a full URL, a fragment (`#s=v2…`) or the bare `v2.…` payload
//! (older `v1.…` links too).

use std::process::ExitCode;
use std::time::Instant;

mod checkbench;
mod gen;
mod parallel;
mod searchbench;
mod story;

use qcore::link::{self, ViewOptions};
use qcore::scenario::RandomWorkload;
use qcore::{lessons, Scenario, Sim, World};

fn usage() -> ExitCode {
    eprintln!(
        "usage: quorumscope hash|run|trace <link|lesson-id> [--until TICK]\n       quorumscope link <lesson-id>\n       quorumscope bench"
    );
    ExitCode::from(2)
}

fn fail(e: &str) -> ExitCode {
    eprintln!("error: {e}");
    ExitCode::FAILURE
}

fn load(arg: &str) -> Result<Scenario, String> {
    if let Some(s) = lessons::lesson(arg) {
        return Ok(s);
    }
    let frag = arg.split_once('#').map_or(arg, |(_, f)| f);
    if frag.starts_with("v1.") || frag.starts_with("v2.") || !frag.contains('=') {
        return link::decode(frag).map_err(|e| e.to_string());
    }
    let f = link::parse_fragment(frag).map_err(|e| e.to_string())?;
    match (f.scenario, f.lesson) {
        (Some(s), _) => Ok(s),
        (None, Some(l)) => lessons::lesson(&l).ok_or_else(|| format!("no lesson {l:?}")),
        (None, None) => lessons::lesson(lessons::DEFAULT_LESSON).ok_or_else(|| "no default".into()),
    }
}

fn until(args: &[String]) -> Result<u64, String> {
    match args.iter().position(|a| a == "--until") {
        Some(i) => args
            .get(i + 1)
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| "--until needs a tick".to_string()),
        None => Ok(10_000),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(cmd) = args.first() else { return usage() };
    let result = match cmd.as_str() {
        // The run's client history as Jepsen EDN.
        "edn" => {
            let Some(target) = args.get(1) else { return usage() };
            load(target).and_then(|s| {
                let t = until(&args)?;
                let mut sim = Sim::new(s).map_err(|e| e.to_string())?;
                sim.run_until(t);
                print!("{}", qcore::check::jepsen::to_edn(&sim.history()));
                Ok(())
            })
        }
        "trace" => {
            let Some(target) = args.get(1) else { return usage() };
            load(target).and_then(|s| {
                let t = until(&args)?;
                print_trace(s, t)
            })
        }
        "hash" | "run" => {
            let Some(target) = args.get(1) else { return usage() };
            load(target).and_then(|s| {
                let t = until(&args)?;
                let mut sim = Sim::new(s).map_err(|e| e.to_string())?;
                sim.run_until(t);
                if cmd == "hash" {
                    println!("{:016x}", sim.trace_hash());
                    return Ok(());
                }
                let export = args.iter().position(|a| a == "--export").map(|i| args.get(i + 1));
                match export {
                    None => summary(&sim),
                    Some(Some(f)) if f == "svg" || f == "png" => {
                        let view =
                            args.iter().position(|a| a == "--view").and_then(|i| args.get(i + 1));
                        let svg = match view.map(String::as_str) {
                            None | Some("topology") => {
                                // The canvas's size in the app on a laptop screen.
                                let scene = qscene::project(&sim, t as f64, 960.0, 600.0);
                                qscene::svg::to_svg(&scene)
                            }
                            Some("spacetime") => spacetime_svg(&sim),
                            Some(other) => {
                                return Err(format!(
                                    "--view takes topology or spacetime, not {other:?}"
                                ));
                            }
                        };
                        if f == "svg" {
                            print!("{svg}");
                        } else {
                            use std::io::Write as _;
                            let png = rasterize(&svg)?;
                            std::io::stdout().write_all(&png).map_err(|e| e.to_string())?;
                        }
                    }
                    Some(Some(f)) if f == "json" => {
                        println!("{}", qcore::export::trace_json(&sim).map_err(|e| e.to_string())?);
                    }
                    Some(Some(f)) if f == "edn" => {
                        print!("{}", qcore::check::jepsen::to_edn(&sim.history()));
                    }
                    Some(other) => {
                        return Err(format!("--export takes svg, png, json or edn, not {other:?}"));
                    }
                }
                Ok(())
            })
        }
        "link" => {
            let Some(id) = args.get(1) else { return usage() };
            lessons::lesson(id)
                .map(|s| println!("#{}", link::fragment(&s, &ViewOptions::default())))
                .ok_or_else(|| format!("no lesson {id:?}"))
        }
        "qr" => {
            let Some(text) = args.get(1) else { return usage() };
            qscene::qr::encode(text)
                .map(|q| println!("{}", q.to_text()))
                .ok_or_else(|| "too long for a QR code".to_string())
        }
        "link-crowded" => {
            let num = |i: usize| args.get(i).and_then(|a| a.parse::<u32>().ok());
            let (Some(n), Some(g)) = (num(1), num(2)) else { return usage() };
            let s = qcore::bench::crowded_scenario(n, g);
            s.validate()
                .map(|()| println!("#{}", link::fragment(&s, &ViewOptions::default())))
                .map_err(|e| e.to_string())
        }
        "bench" => {
            bench();
            Ok(())
        }
        // Check a Jepsen history: exit 0 linearizable, 1 not, 2 unknown.
        "check" => {
            let Some(path) = args.get(1) else { return usage() };
            let text = match std::fs::read_to_string(path) {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("error: {path}: {e}");
                    return ExitCode::from(3);
                }
            };
            return check_file(&text);
        }
        "bench-check" => {
            // The fixtures copied into the repository, unless a folder is named.
            let default = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/jepsen");
            let value = |name: &str| {
                args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned()
            };
            if args.iter().any(|a| a == "--side-by-side") {
                let mut files = checkbench::fixtures(std::path::Path::new(default));
                let generated =
                    value("--generated").unwrap_or_else(|| "target/bench/histories".into());
                match gen::write_matrix(std::path::Path::new(&generated)) {
                    Ok(more) => files.extend(more),
                    Err(e) => return fail(&e),
                }
                let run = value("--porcupine").map(std::path::PathBuf::from);
                checkbench::side_by_side(&files, run.as_deref())
            } else {
                let dir =
                    args[1..].iter().find(|a| !a.starts_with("--")).map_or(default, String::as_str);
                bench_check(std::path::Path::new(dir), args.iter().any(|a| a == "--json"));
                Ok(())
            }
        }
        "bench-search" => searchbench::run(
            args.iter().any(|a| a == "--json"),
            args[1..].iter().find(|a| !a.starts_with("--")).map(String::as_str),
        ),
        // Exhaustive Paxos check; a violation is printed as a share link.
        "explore" => {
            use qcore::paxos::explore::{counterexample_scenario, explore, Bounds};
            use qcore::paxos::Variant;
            let variant = match args.get(1).map(String::as_str) {
                Some("forget") => Variant::PromiseInMemory,
                Some("reuse") => Variant::ReuseNumbers,
                Some("lowest") => Variant::AdoptLowest,
                _ => Variant::Faithful,
            };
            let b = if args.iter().any(|a| a == "--two-rounds") {
                Bounds::two_rounds(variant)
            } else {
                Bounds::small(variant)
            };
            let t0 = Instant::now();
            let r = explore(&b, u64::MAX);
            println!(
                "{variant:?}: {} states, {} transitions, depth {}, complete={}, {:.1} s",
                r.states,
                r.transitions,
                r.depth,
                r.complete,
                t0.elapsed().as_secs_f64()
            );
            match r.violation {
                None => Ok(()),
                Some((v, schedule)) => {
                    println!("violation: {v:?} after {} steps", schedule.len());
                    counterexample_scenario(&b, &schedule).map(|s| {
                        println!("#{}", link::fragment(&s, &ViewOptions::default()));
                    })
                }
            }
        }
        // Time the shared Paxos workload (the browser runs the same one).
        "sweep" => return sweep(&args),
        "story" => story::run(&args[1..]),
        "gen-history" => gen::run(&args[1..]),
        "explore-zab" => {
            use qcore::zab::explore::{explore, Bounds};
            use qcore::zab::Variant;
            let variant = match args.get(1).map(String::as_str) {
                None | Some("faithful") => Variant::Faithful,
                Some("commit") => Variant::CommitBeforeQuorum,
                Some("myid") => Variant::ElectionIgnoresZxid,
                Some("ack") => Variant::AckBeforePersist,
                Some("epoch") => Variant::EpochPersistLate,
                Some(_) => return usage(),
            };
            let boot = args.iter().any(|a| a == "boot");
            let b = if boot { Bounds::boot(variant) } else { Bounds::second_epoch(variant) };
            let t0 = Instant::now();
            let r = explore(&b, u64::MAX);
            println!(
                "{} states, {} transitions, depth {}, complete={}, {:.1} s",
                r.states,
                r.transitions,
                r.depth,
                r.complete,
                t0.elapsed().as_secs_f64()
            );
            if let Some((v, schedule)) = r.violation {
                println!("violation {:?} after {} steps:", v.rule, schedule.len());
                for s in schedule {
                    println!("  {s:?}");
                }
            }
            Ok(())
        }
        "bench-paxos" | "bench-zab" => {
            let events = args.get(1).and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
            let run =
                if cmd == "bench-zab" { qcore::bench::run_zab } else { qcore::bench::run_paxos };
            let t0 = Instant::now();
            let (n, bad) = run(events);
            let ms = t0.elapsed().as_secs_f64() * 1e3;
            println!("{{\"events\":{n},\"ms\":{ms:.1},\"violations\":{bad}}}");
            Ok(())
        }
        _ => return usage(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The verdict on a history, its operation count, and the unreadable line
/// that cut it short (the lines before it judged), if any.
fn parse_verdict(
    text: &str,
) -> Result<(qcore::check::linear::Verdict, usize, Option<String>), String> {
    use qcore::check::jepsen::{parse_prefix, Parsed};
    use qcore::check::linear::{check, KvKey, Register};
    let p = parse_prefix(text).map_err(|e| e.to_string())?;
    let cut = p.cut.map(|e| e.to_string());
    Ok(match p.parsed {
        Parsed::Register(ops) => (check(&Register, &ops, 100_000_000), ops.len(), cut),
        Parsed::Kv(keys) => {
            let n = keys.values().map(Vec::len).sum();
            (parallel::check_keys_parallel(&KvKey, &keys, 100_000_000), n, cut)
        }
    })
}

fn check_file(text: &str) -> ExitCode {
    use qcore::check::linear::Verdict;
    let (verdict, n, cut) = match parse_verdict(text) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(3);
        }
    };
    if let Some(why) = &cut {
        println!("read up to an unreadable line ({why}); the {n} operations before it are judged");
    }
    match verdict {
        // A prefix that passes says nothing of the rest.
        Verdict::Linearizable { .. } if cut.is_some() => {
            println!("the lines before it are linearizable: no verdict on the whole history");
            ExitCode::from(2)
        }
        Verdict::Linearizable { .. } => {
            println!("linearizable ({n} operations)");
            ExitCode::SUCCESS
        }
        Verdict::NotLinearizable { longest, stuck } => {
            println!("not linearizable");
            println!(
                "  longest linearizable prefix: {} operations (history lines {:?})",
                longest.len(),
                longest
            );
            println!("  cannot be placed: the operation invoked on line {stuck}");
            ExitCode::from(1)
        }
        Verdict::Unknown => {
            println!("unknown (the search budget ran out)");
            ExitCode::from(2)
        }
    }
}

/// Time the checker on every fixture, and kv c10 with and without splitting by key.
fn bench_check(dir: &std::path::Path, json: bool) {
    use qcore::check::jepsen::{parse, Parsed};
    use qcore::check::linear::{check, check_keys, merge_keys, KvKey, KvWhole, Register, Verdict};
    let Ok(verdicts) = std::fs::read_to_string(dir.join("verdicts.txt")) else {
        eprintln!("no fixtures at {}", dir.display());
        return;
    };
    let mut rows = Vec::new();
    if !json {
        println!("linearizability checker on the Jepsen fixtures (native, median of 5 runs)");
        println!("  {:<22} {:>10} {:>10}  verdict", "file", "check ms", "parse ms");
    }
    let (mut total_etcd, mut total_all) = (0.0, 0.0);
    for line in verdicts.lines().filter(|l| !l.trim().is_empty()) {
        let Some((file, expected)) = line.split_once(' ') else { continue };
        let Ok(text) = std::fs::read_to_string(dir.join(file)) else { continue };
        let (mut parse_t, mut check_t) = (Vec::new(), Vec::new());
        let mut verdict = String::new();
        for _ in 0..5 {
            let t0 = Instant::now();
            let parsed = parse(&text);
            parse_t.push(t0.elapsed().as_secs_f64() * 1e3);
            let Ok(parsed) = parsed else {
                verdict = "unreadable".into();
                break;
            };
            let t0 = Instant::now();
            let v = match parsed {
                Parsed::Register(ops) => check(&Register, &ops, 100_000_000),
                Parsed::Kv(keys) => check_keys(&KvKey, &keys, 100_000_000),
            };
            check_t.push(t0.elapsed().as_secs_f64() * 1e3);
            verdict = match v {
                Verdict::Linearizable { .. } => "linearizable".into(),
                Verdict::NotLinearizable { .. } => "not-linearizable".into(),
                Verdict::Unknown => "unknown".into(),
            };
        }
        let median = |mut v: Vec<f64>| {
            v.sort_by(f64::total_cmp);
            v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
        };
        let (c, p) = (median(check_t), median(parse_t));
        if file.starts_with("etcd") {
            total_etcd += c;
        }
        total_all += c;
        let mark = if verdict == expected.trim() { "" } else { "  ← DIFFERS" };
        if json {
            rows.push(format!("{{\"file\":\"{file}\",\"check_ms\":{c:.4},\"parse_ms\":{p:.4}}}"));
        } else {
            println!("  {file:<22} {c:>10.3} {p:>10.3}  {verdict}{mark}");
        }
    }
    if json {
        println!("[{}]", rows.join(","));
        return;
    }
    println!("  etcd_000–019 total     {total_etcd:>10.3} ms   (Porcupine on this kind of machine: ~259 ms)");
    println!("  all fixtures total     {total_all:>10.3} ms");
    if let Ok(text) = std::fs::read_to_string(dir.join("kv/c10-ok.txt")) {
        if let Ok(Parsed::Kv(keys)) = parse(&text) {
            let whole = merge_keys(&keys);
            let t0 = Instant::now();
            let v = check(&KvWhole, &whole, 20_000_000);
            let ms = t0.elapsed().as_secs_f64() * 1e3;
            println!(
                "  kv c10-ok without splitting by key: {ms:.1} ms ({})",
                if v.is_linearizable() { "linearizable" } else { "no verdict within budget" }
            );
        }
    }
}

/// `sweep`: run seeds of each protocol in parallel (each seed draws its own
/// fault mix), every invariant after every step; print a replay link for
/// the first failure of each.
fn sweep(args: &[String]) -> ExitCode {
    use qcore::swarm::{run_seed, Target};
    use rayon::prelude::*;
    let flag = |name: &str| {
        args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).map(String::as_str)
    };
    let seeds: u64 = flag("--seeds").and_then(|v| v.parse().ok()).unwrap_or(1_000);
    let events: u64 = flag("--events").and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let variant = flag("--variant").unwrap_or("faithful");
    let which = args.get(1).map_or("all", String::as_str);
    let paxos = match variant {
        "forget" => qcore::paxos::Variant::PromiseInMemory,
        "reuse" => qcore::paxos::Variant::ReuseNumbers,
        "lowest" => qcore::paxos::Variant::AdoptLowest,
        _ => qcore::paxos::Variant::Faithful,
    };
    let zab = match variant {
        "commit" => qcore::zab::Variant::CommitBeforeQuorum,
        "myid" => qcore::zab::Variant::ElectionIgnoresZxid,
        "ack" => qcore::zab::Variant::AckBeforePersist,
        "epoch" => qcore::zab::Variant::EpochPersistLate,
        _ => qcore::zab::Variant::Faithful,
    };
    // `--variant eventual`: a store with eventual delivery held to the
    // causal promise.
    let causal = variant != "eventual";
    let targets: Vec<(&str, Target)> = [
        ("quorum", Target::Quorum),
        ("abd", Target::Abd),
        ("paxos", Target::Paxos(paxos)),
        ("zab", Target::Zab(zab)),
        ("eventual", Target::Eventual(causal)),
    ]
    .into_iter()
    .filter(|(name, _)| which == "all" || which == *name)
    .collect();
    if targets.is_empty() {
        return usage();
    }
    let mut failed = false;
    for (name, target) in targets {
        let t0 = Instant::now();
        let runs: Vec<_> =
            (0..seeds).into_par_iter().map(|s| run_seed(target, s, events)).collect();
        let secs = t0.elapsed().as_secs_f64();
        let total: u64 = runs.iter().map(|r| r.events).sum();
        let bad: Vec<_> = runs.iter().filter(|r| r.finding.is_some()).collect();
        let warned = runs.iter().filter(|r| r.warning.is_some()).count();
        println!(
            "{name} ({variant}): {seeds} seeds, {total} events in {secs:.1} s on {} threads ({:.2} M events/s), {} broken promises, {warned} internal warnings",
            rayon::current_num_threads(),
            total as f64 / secs / 1e6,
            bad.len()
        );
        if let Some(r) = bad.first() {
            failed = true;
            let f = r.finding.as_ref().expect("a broken promise");
            let warned =
                r.warning.as_deref().map_or(String::new(), |w| format!(" (first warning: {w})"));
            println!(
                "  first: seed {} — {f}{warned}\n  replay: #s={}",
                r.seed,
                link::encode(&r.scenario)
            );
        }
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Print what happened, one line per trace entry, with message labels.
fn print_trace(s: Scenario, until: u64) -> Result<(), String> {
    use qcore::Happened as H;
    let proto = s.protocol.clone();
    let mut sim = Sim::new(s).map_err(|e| e.to_string())?;
    let mut shown = 0;
    loop {
        for e in &sim.trace()[shown..] {
            let what = match &e.what {
                H::Sent { msg, from, to, deliver, .. } => {
                    let label = sim
                        .world()
                        .net()
                        .message(*msg)
                        .map_or_else(|| "(cut)".to_string(), |m| m.msg.label_in(&proto));
                    format!("send #{msg} {from:?}→{to:?} {label} (arrives {deliver:?})")
                }
                other => format!("{other:?}"),
            };
            println!("{:>7} {what}", e.tick);
        }
        shown = sim.trace().len();
        if sim.world().next_event_tick().is_none_or(|t| t > until) {
            break;
        }
        sim.step();
    }
    summary(&sim);
    Ok(())
}

fn summary(sim: &Sim) {
    let w = sim.world();
    println!("tick {}  events {}  trace hash {:016x}", w.now(), w.events(), sim.trace_hash());
    for r in &sim.history() {
        println!(
            "client {} → node {}  {:?}  invoke {}  ret {:?}",
            r.client, r.node, r.op, r.invoke, r.ret
        );
    }
}

/// A 5-node quorum cluster under a steady random workload.
fn bench_scenario(seed: u64) -> Scenario {
    let mut s = lessons::lesson("quorum-custom").expect("lesson exists");
    s.seed = seed;
    s.clients = 8;
    s.random_workload = Some(RandomWorkload {
        gap_ticks_min: 1,
        gap_ticks_max: 20,
        write_ppm: 500_000,
        until: 10_000_000,
    });
    s
}

fn bench() {
    const EVENTS: u64 = 2_000_000;
    // Baseline: the bare world, trace entries discarded as they come.
    let s = bench_scenario(1);
    let mut scratch = Vec::new();
    let mut world = World::new(&s, &mut scratch);
    let t0 = Instant::now();
    for _ in 0..EVENTS {
        scratch.clear();
        world.step(&mut scratch);
    }
    let bare = t0.elapsed().as_secs_f64();

    // The real thing: trace kept, hash folded, snapshots taken.
    let mut sim = Sim::new(s.clone()).expect("valid");
    let t0 = Instant::now();
    while sim.world().events() < EVENTS {
        sim.step();
    }
    let full = t0.elapsed().as_secs_f64();
    let eps = |secs: f64| EVENTS as f64 / secs / 1e6;
    println!("engine, 5-node quorum workload, {EVENTS} events (native)");
    println!("  bare world (no trace kept)          {:>7.2} M events/s", eps(bare));
    println!(
        "  with trace, hash and snapshots      {:>7.2} M events/s   ({:.2}× the bare world)",
        eps(full),
        bare / full
    );

    // Seek in a 100 000-event run.
    let mut sim = Sim::new(s).expect("valid");
    while sim.world().events() < 100_000 {
        sim.step();
    }
    let end = sim.now();
    let mut worst = 0.0f64;
    let mut total = 0.0;
    let probes = 50u64;
    for i in 0..probes {
        let t = end * ((i * 37) % probes) / probes;
        let t0 = Instant::now();
        sim.seek(t);
        let dt = t0.elapsed().as_secs_f64() * 1e3;
        worst = worst.max(dt);
        total += dt;
    }
    println!(
        "seek in a 100 000-event run ({end} ticks): mean {:.2} ms, worst {:.2} ms over {probes} seeks",
        total / probes as f64,
        worst
    );

    // Paxos, every invariant checked after every step.
    let t0 = Instant::now();
    let (n, bad) = qcore::bench::run_paxos(EVENTS);
    let secs = t0.elapsed().as_secs_f64();
    println!(
        "paxos, 2 proposers / 5 acceptors, invariants after every step: {:>6.2} M events/s ({n} events, {bad} violations)",
        n as f64 / secs / 1e6
    );

    // Zab, every invariant checked after every step.
    let t0 = Instant::now();
    let (n, bad) = qcore::bench::run_zab(EVENTS);
    let secs = t0.elapsed().as_secs_f64();
    println!(
        "zab, 5 voters, lossy FIFO links, invariants after every step: {:>6.2} M events/s ({n} events, {bad} violations)",
        n as f64 / secs / 1e6
    );

    // The exhaustive check, on a bound that takes seconds (the test suite
    // runs the larger one with a duplicate as well).
    use qcore::paxos::explore::{explore, Bounds};
    let b = Bounds { duplicates: 0, ..Bounds::small(qcore::paxos::Variant::Faithful) };
    let t0 = Instant::now();
    let r = explore(&b, u64::MAX);
    let secs = t0.elapsed().as_secs_f64();
    println!(
        "exhaustive paxos check (3 acceptors, 2 proposers, 1 round, 1 crash-restart): {} states, {} transitions, complete={}, {:.0} states/s",
        r.states,
        r.transitions,
        r.complete,
        r.states as f64 / secs
    );
}

/// An SVG picture as PNG bytes, at twice its size (labels stay sharp),
/// with the system's fonts for its text (CJK too, where installed).
fn rasterize(svg: &str) -> Result<Vec<u8>, String> {
    use resvg::{tiny_skia, usvg};
    let mut opt = usvg::Options::default();
    let db = opt.fontdb_mut();
    db.load_system_fonts();
    // `sans-serif` means Arial to the renderer, rarely installed on Linux:
    // use the first sans family there is, preferring one that has CJK.
    let family = ["Noto Sans CJK SC", "Noto Sans", "DejaVu Sans", "Liberation Sans"]
        .into_iter()
        .find(|f| db.faces().any(|face| face.families.iter().any(|(name, _)| name == f)));
    if let Some(f) = family {
        db.set_sans_serif_family(f);
    }
    let tree = usvg::Tree::from_str(svg, &opt).map_err(|e| e.to_string())?;
    let scale = 2.0;
    let size = tree.size().to_int_size().scale_by(scale).ok_or("picture too large")?;
    let mut pixmap =
        tiny_skia::Pixmap::new(size.width(), size.height()).ok_or("picture too large")?;
    resvg::render(&tree, tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    pixmap.encode_png().map_err(|e| e.to_string())
}

/// The whole run so far as a space-time diagram (SVG), wide enough for its
/// length.
fn spacetime_svg(sim: &Sim) -> String {
    let s = sim.scenario();
    let mut st = qcore::spacetime::SpaceTime::new(s.protocol.nodes(), s.clients);
    st.extend(sim.trace());
    let names: Vec<String> = (0..s.protocol.nodes())
        .map(|i| qscene::node_name(&s.protocol, i))
        .chain((0..s.clients).map(|c| format!("c{c}")))
        .collect();
    let now = sim.now();
    let width = (now as f64 / 4.0).clamp(960.0, 8_000.0);
    let height = 24.0 + 22.0 * f64::from(st.lanes());
    let scene =
        qscene::layout_spacetime(&st, &names, 0.0, now.max(1) as f64, now, width, height, None);
    qscene::svg::spacetime_to_svg(&scene)
}
