//! `quorumscope sweep`: a bounded swarm passes on the faithful protocols and
//! fails, with a replay link, on a planted bug.

use std::process::Command;

fn sweep(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_quorumscope"))
        .arg("sweep")
        .args(args)
        .output()
        .expect("the CLI runs");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn a_sweep_of_the_faithful_protocols_finds_nothing() {
    let (code, text) = sweep(&["all", "--seeds", "40", "--events", "5000"]);
    assert_eq!(code, 0, "{text}");
    assert_eq!(text.matches(", 0 broken promises").count(), 5, "{text}");
}

#[test]
fn a_sweep_catches_a_planted_bug_and_prints_a_replay_link() {
    let (code, text) =
        sweep(&["zab", "--variant", "commit", "--seeds", "200", "--events", "10000"]);
    assert_eq!(code, 1, "{text}");
    let link = text.lines().find_map(|l| l.trim().strip_prefix("replay: #s=")).expect("a link");
    // The link replays the failure in the engine: the same oracle breaks.
    let s = qcore::link::decode(link).expect("a valid link");
    let mut watch = qcore::oracle::Watch::new(&s.protocol, true);
    let mut sim = qcore::Sim::new(s).expect("valid");
    loop {
        let entries = sim.step();
        if !entries.is_empty() {
            watch.observe(entries);
        } else if sim.world().next_event_tick().is_none() {
            break;
        }
        if sim.world().events() > 100_000 {
            break;
        }
    }
    let found = watch.judge(&sim, None).expect("the replay breaks a promise");
    assert!(text.contains(&format!("{:?}", found.oracle)), "{found} / {text}");
}
