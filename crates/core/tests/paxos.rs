//! Paxos lessons (lecture 03) do what their narration says, and the
//! invariant checker flags the broken variant.

use qcore::client::Outcome;
use qcore::lessons;
use qcore::paxos::invariants::Rule;
use qcore::paxos::{self, Variant};
use qcore::trace::Happened;
use qcore::types::ClientOp;
use qcore::{ProtocolConfig, Scenario, Sim};

fn run(s: Scenario, until: u64) -> Sim {
    let mut sim = Sim::new(s).expect("valid");
    sim.run_until(until);
    sim
}

fn lesson(id: &str) -> Scenario {
    lessons::lesson(id).expect("exists")
}

fn tweak(id: &str, f: impl Fn(&mut paxos::PaxosConfig)) -> Scenario {
    lessons::lesson_with(id, |s| {
        if let ProtocolConfig::Paxos(c) = &mut s.protocol {
            f(c);
        }
    })
    .expect("exists")
    .expect("valid")
}

fn write_result(sim: &Sim, v: u64) -> Option<u64> {
    sim.history().iter().find(|r| r.op == ClientOp::Write(v)).and_then(|r| match r.ret {
        Some((_, Outcome::Ok { value, .. })) => value,
        _ => None,
    })
}

fn prepared(sim: &Sim) -> Vec<(u32, u64)> {
    sim.trace()
        .iter()
        .filter_map(|e| match &e.what {
            Happened::Note { node, note: qcore::Note::Paxos(paxos::Note::Prepared { n }) } => {
                Some((*node, *n))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn happy_path_chooses_the_proposed_value_and_everyone_learns_it() {
    let sim = run(lesson("paxos-happy"), 2_000);
    let w = sim.world();
    assert!(w.violations().is_empty());
    assert_eq!(w.paxos_checks().and_then(|c| c.chosen_value()), Some(5));
    assert_eq!(write_result(&sim, 5), Some(5));
    for n in 0..4 {
        assert_eq!(
            w.paxos_node(n).and_then(|x| x.learned()).map(|(_, v)| v),
            Some(5),
            "node {n} learned"
        );
    }
    let read = sim.history().into_iter().find(|r| r.op == ClientOp::Read).expect("a read");
    assert!(matches!(read.ret, Some((_, Outcome::Ok { value: Some(5), .. }))));
}

/// Lecture 03, FAQ 1: a minority of acceptors failing does not stop Paxos, and
/// once a value is chosen every later proposal carries it.
#[test]
fn a_failed_minority_before_and_after_the_choice_changes_nothing() {
    let sim = run(lesson("paxos-minority"), 3_000);
    assert!(sim.world().violations().is_empty(), "{:?}", sim.world().violations());
    assert_eq!(write_result(&sim, 5), Some(5), "chosen with A4 down");
    assert_eq!(write_result(&sim, 9), Some(5), "P1 must propose the chosen value");
    assert!(prepared(&sim).iter().any(|&(node, _)| node == 6), "P1 ran its own round");
}

/// Lecture 03, FAQ 2: a higher number preempts a crashed proposer and adopts
/// the value it finds among the promises.
#[test]
fn preemption_adopts_the_value_found_among_the_promises() {
    let sim = run(lesson("paxos-preempt"), 3_000);
    assert!(sim.world().violations().is_empty());
    assert_eq!(write_result(&sim, 9), Some(5));
    assert_eq!(sim.world().paxos_checks().and_then(|c| c.chosen_value()), Some(5));
}

/// Lecture 03, FAQ 3: proposer j's numbers are P·i + j, never repeated.
#[test]
fn proposal_numbers_are_p_times_i_plus_j() {
    let sim = run(lesson("paxos-numbers"), 5_000);
    let p = prepared(&sim);
    assert!(p.len() >= 3);
    for (node, n) in p {
        assert_eq!(n % 3, u64::from(node - 3), "node {node} used {n}");
        assert!(n >= 3, "i starts at 1");
    }
    assert!(sim.world().violations().is_empty());
}

#[test]
fn duelling_proposers_livelock_without_back_off_and_settle_with_it() {
    let without = run(lesson("paxos-duel"), 4_000);
    assert!(
        without.world().paxos_checks().and_then(|c| c.chosen_value()).is_none(),
        "still duelling"
    );
    assert!(prepared(&without).len() >= 10, "many rounds: {:?}", prepared(&without));
    let with = run(tweak("paxos-duel", |c| c.backoff = true), 4_000);
    assert!(
        with.world().paxos_checks().and_then(|c| c.chosen_value()).is_some(),
        "back-off ends the duel"
    );
    assert!(with.world().violations().is_empty());
}

/// Why persist Max_N: the broken variant (promises kept only in memory)
/// tells the two clients two different values, and the checker says so.
#[test]
fn forgetting_a_promise_on_restart_chooses_two_values_and_is_flagged() {
    let broken = run(lesson("paxos-forget"), 3_000);
    let rules: Vec<Rule> = broken.world().violations().iter().map(|(_, v)| v.rule).collect();
    assert!(rules.contains(&Rule::MaxNDecreased), "{rules:?}");
    assert!(rules.contains(&Rule::TwoValuesChosen), "{rules:?}");
    let told: Vec<Option<u64>> =
        broken.history().iter().map(|o| o.ok().and_then(|r| r.1)).collect();
    assert_eq!(told, vec![Some(5), Some(9)], "each client was told a different value");
    let fixed = run(tweak("paxos-forget", |c| c.variant = Variant::Faithful), 3_000);
    assert!(fixed.world().violations().is_empty(), "{:?}", fixed.world().violations());
    let told: Vec<Option<u64>> = fixed.history().iter().map(|o| o.ok().and_then(|r| r.1)).collect();
    assert_eq!(told, vec![Some(9), Some(9)], "one value, told to both");
}
