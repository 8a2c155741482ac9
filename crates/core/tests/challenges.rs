//! Every challenge is solvable with its broken variant (the page's search
//! finds a schedule, and that schedule, shared as a link, breaks the goal at
//! its last step and not before) and unsolvable in the faithful protocol
//! (the same search of the challenge's configuration completes with no
//! violation). These are also the suite's complete searches of the page's
//! Paxos, Zab and Quorum configurations.

use qcore::challenge::{self, Challenge};
use qcore::hunt::{hunt, stages, Outcome};
use qcore::Sim;

const LIMIT: u64 = 20_000_000;
/// The size of the complete search of three replicas with ABD's
/// write-back (W = 2, R = 2), which both Quorum challenges end in.
const ABD_STATES: u64 = 44_998;

fn search(c: &Challenge, broken: bool) -> Outcome {
    let (s, _) = c.start(broken).expect("a challenge starts");
    let mut last = (0, 0);
    let out = hunt(&stages(&s).expect("searchable"), LIMIT, &mut |i, p| {
        assert!((i, p.states) > last, "progress moves on");
        last = (i, p.states);
    });
    eprintln!("{} broken={broken}: {:?}", c.id, out.stages);
    out
}

/// `involved`: the client operations the broken rule involves at the last
/// step, as `c1 put 2` (the page marks them on the history); Quorum's are
/// judged by the history checks instead.
fn solvable(id: &str, involved: &[&str]) {
    let c = challenge::by_id(id).expect("a challenge");
    let out = search(c, true);
    let (_, before) = out.stages.split_last().expect("a stage");
    assert!(before.iter().all(|s| s.complete), "earlier stages prove nothing breaks in them");
    let found = out.found.as_ref().expect("the broken variant is caught");
    assert_eq!(found.violation.rule, c.goal);
    let (s, tick) = found.replay.clone().expect("the schedule replays");
    assert!(c.is_broken(&s.protocol));
    let link = qcore::link::encode(&s);
    let mut sim = Sim::new(qcore::link::decode(&link).expect("a valid link")).expect("valid");
    sim.run_until(tick - 1);
    assert_eq!(c.solved(&sim), None, "not before the last step");
    sim.run_until(tick);
    assert_eq!(c.solved(&sim), Some(tick), "solved at the last step");
    if !id.starts_with("quorum") {
        let history = sim.history();
        let told: Vec<String> = sim
            .world()
            .violations()
            .iter()
            .filter(|(_, v)| v.rule == c.goal)
            .flat_map(|(_, v)| v.involved(&history, sim.trace()))
            .filter_map(|id| history.iter().find(|o| o.id == id))
            .map(|o| format!("c{} {}", o.client, o.op))
            .collect();
        assert_eq!(told, involved);
    }
    if id.starts_with("quorum") {
        // A Quorum schedule starts at once: step k at (k + 1) · STEP_TICKS.
        let every = qcore::quorum::explore::STEP_TICKS;
        assert_eq!(tick, found.steps as u64 * every, "one step every {every} ticks");
    }
}

/// The states the complete search covered.
fn unsolvable(id: &str) -> u64 {
    let c = challenge::by_id(id).expect("a challenge");
    let out = search(c, false);
    assert!(out.safe(), "{out:?}");
    let floor = if id.starts_with("quorum") { 1_000 } else { 1_000_000 };
    let states = out.stages.iter().map(|s| s.states).sum::<u64>();
    assert!(states > floor, "a real space");
    states
}

#[test]
fn every_challenge_is_tested_and_starts_where_nothing_is_broken_yet() {
    let ids: Vec<&str> = challenge::ALL.iter().map(|c| c.id).collect();
    assert_eq!(ids, ["paxos-two-chosen", "zab-lose-committed", "quorum-stale", "quorum-inversion"]);
    for c in challenge::ALL {
        for broken in [false, true] {
            let (s, at) = c.start(broken).expect("starts");
            assert_eq!(c.is_broken(&s.protocol), broken);
            assert!(
                challenge::of(&s.protocol).any(|o| o == c),
                "{} is offered on its own run",
                c.id
            );
            let mut sim = Sim::new(s).expect("valid");
            sim.run_until(at + 100_000);
            assert!(sim.world().net().in_flight().count() > 0, "messages wait for the student");
            assert_eq!(c.solved(&sim), None, "nothing breaks by itself");
        }
    }
}

#[test]
fn two_values_chosen_needs_promises_kept_only_in_memory() {
    // Both proposals were chosen: both clients' writes are involved.
    solvable("paxos-two-chosen", &["c0 put 1", "c1 put 2"]);
}

#[test]
fn two_values_are_never_chosen_by_faithful_paxos() {
    unsolvable("paxos-two-chosen");
}

#[test]
fn a_committed_write_is_lost_by_a_leader_that_commits_before_a_quorum_acks() {
    // Only the second write's transaction was lost.
    solvable("zab-lose-committed", &["c1 put 2"]);
}

#[test]
fn faithful_zab_never_loses_a_committed_write() {
    unsolvable("zab-lose-committed");
}

#[test]
fn a_read_misses_a_finished_write_only_when_w_plus_r_is_at_most_n() {
    solvable("quorum-stale", &[]);
    // Exactly: answers no coordinator will act on are swept off the wire,
    // and the count pins that reduction (a letter left on the wire is a
    // state of its own; without the sweep ABD's space is tens of millions).
    assert_eq!(unsolvable("quorum-stale"), ABD_STATES);
}

#[test]
fn a_later_read_sees_an_older_value_only_without_the_reads_write_back() {
    solvable("quorum-inversion", &[]);
    assert_eq!(unsolvable("quorum-inversion"), ABD_STATES);
}
