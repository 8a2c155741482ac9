//! The page's counterexample search: a run's configuration maps to the
//! explorer's stages; a broken variant's violation comes back as a run that
//! breaks the rule at its last step, and not before.

use qcore::hunt::{hunt, stages, Outcome, Part, Space, Unsearchable};
use qcore::lessons::lesson;
use qcore::safety::Rule;
use qcore::scenario::{ProtocolConfig, Scenario};
use qcore::Sim;

const LIMIT: u64 = 20_000_000;

fn with_paxos(id: &str, f: impl Fn(&mut qcore::paxos::PaxosConfig)) -> Scenario {
    let mut s = lesson(id).expect("a lesson");
    let ProtocolConfig::Paxos(c) = &mut s.protocol else { panic!("{id} is not Paxos") };
    f(c);
    s
}

fn with_zab(v: qcore::zab::Variant) -> Scenario {
    let mut s = lesson("zab-broadcast").expect("a lesson");
    let ProtocolConfig::Zab(c) = &mut s.protocol else { panic!("not Zab") };
    (c.voters, c.observers, c.variant) = (3, 0, v);
    s
}

fn run(s: &Scenario) -> Outcome {
    let mut last = (0, 0);
    let out = hunt(&stages(s).expect("searchable"), LIMIT, &mut |i, p| {
        assert!((i, p.states) > last, "progress moves on");
        last = (i, p.states);
    });
    eprintln!("{:?}", out.stages);
    out
}

/// The outcome's violation is `rule`, and its run breaks it at the last step.
fn breaks(out: &Outcome, rule: Rule) {
    let found = out.found.as_ref().expect("a counterexample");
    assert_eq!(found.violation.rule, rule, "{:?}", found.steps);
    let (s, tick) = found.replay.clone().expect("the schedule replays");
    let link = qcore::link::encode(&s);
    let mut sim = Sim::new(qcore::link::decode(&link).expect("a valid link")).expect("valid");
    sim.run_until(tick - 1);
    assert!(sim.world().violations().iter().all(|(_, v)| v.rule != rule), "not before the step");
    sim.run_until(tick);
    assert!(sim.world().violations().iter().any(|(_, v)| v.rule == rule), "at the step");
}

#[test]
fn a_promise_kept_in_memory_is_caught_after_a_calm_stage_proves_nothing_breaks_without_faults() {
    let s = with_paxos("paxos-duel", |c| c.variant = qcore::paxos::Variant::PromiseInMemory);
    let out = run(&s);
    assert!(out.stages[0].complete, "no fault, no damage: {:?}", out.stages);
    assert_eq!(out.stages.len(), 2);
    breaks(&out, Rule::TwoValuesChosen);
}

#[test]
fn a_zab_leader_that_commits_before_a_quorum_acks_is_caught_and_replayed() {
    let out = run(&with_zab(qcore::zab::Variant::CommitBeforeQuorum));
    assert!(out.stages[0].complete);
    breaks(&out, Rule::ZabCommittedLost);
}

#[test]
fn faithful_zab_is_safe_in_both_stages() {
    let out = run(&with_zab(qcore::zab::Variant::Faithful));
    assert!(out.safe(), "{out:?}");
    assert!(out.stages.iter().all(|s| s.states > 100_000), "{:?}", out.stages);
}

#[test]
fn a_search_out_of_budget_says_so_and_is_not_safe() {
    let s = with_paxos("paxos-duel", |_| {});
    let out = hunt(&stages(&s).expect("searchable"), 10_000, &mut |_, _| {});
    assert!(!out.safe());
    assert!(out.found.is_none());
    assert!(!out.stages.last().expect("a stage").complete);
}

#[test]
fn configurations_too_big_to_search_say_what_is_too_many() {
    let s = with_paxos("paxos-duel", |c| c.acceptors = 5);
    let e = stages(&s).expect_err("too big");
    assert_eq!(e, Unsearchable::TooBig { what: Part::Acceptors, max: 3, got: 5 });
    assert_eq!(stages(&lesson("quorum-stale").expect("a lesson")), Err(Unsearchable::Protocol));
    let mut z = with_zab(qcore::zab::Variant::Faithful);
    let ProtocolConfig::Zab(c) = &mut z.protocol else { unreachable!() };
    c.observers = 1;
    assert!(matches!(stages(&z), Err(Unsearchable::TooBig { what: Part::Observers, .. })));
    let Ok(st) = stages(&with_paxos("paxos-duel", |_| {})) else { panic!() };
    assert!(
        matches!(&st[..], [Space::Paxos(a), Space::Paxos(b)] if a.crashes == 0 && b.crashes == 1)
    );
}
