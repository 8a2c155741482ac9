//! Exhaustive check of small Paxos configurations (3 acceptors, 2
//! proposers, bounded rounds, duplication, any delivery order, a crash and
//! restart): each broken variant that can do damage is found doing it, and
//! its schedule replays in the simulator to the same damage. The complete
//! search of the faithful protocol, and the promise kept in memory, are the
//! Paxos challenge's tests (`tests/challenges.rs`).

use qcore::link;
use qcore::paxos::explore::{counterexample_scenario, explore, Bounds};
use qcore::paxos::invariants::Rule;
use qcore::paxos::Variant;
use qcore::Sim;

/// The search finds `rule`, and its schedule, written as a share link,
/// replays to the same violation.
fn caught(b: &Bounds, rule: Rule) -> u64 {
    let r = explore(b, 20_000_000);
    let states = r.states;
    let (v, schedule) = r.violation.expect("the broken variant is caught");
    assert_eq!(v.rule, rule);
    let s = counterexample_scenario(b, &schedule).expect("replayable");
    let text = link::encode(&s);
    let s = link::decode(&text).expect("a valid link");
    let last = s.actions.last().expect("a schedule").tick;
    let mut sim = Sim::new(s).expect("valid");
    sim.run_until(last - 1);
    assert!(sim.world().violations().iter().all(|(_, v)| v.rule != rule), "broken too early");
    sim.run_until(last);
    let rules: Vec<Rule> = sim.world().violations().iter().map(|(_, v)| v.rule).collect();
    assert!(rules.contains(&rule), "replay found {rules:?}; link #s={text}");
    states
}

/// Complete searches of the faithful protocol small enough to run with
/// every test, at their exact sizes: a change to how the search steps,
/// crashes, bounds rounds or sweeps answers no proposer will read changes
/// how many states it visits even when no verdict changes (mutation testing
/// found such changes passing every search).
#[test]
fn small_faithful_searches_are_complete_at_their_known_sizes() {
    let faithful = Bounds::small(Variant::Faithful);
    let cases = [
        ("a crash-restart", Bounds { duplicates: 0, ..faithful.clone() }, (220_306, 1_481_600, 23)),
        ("no fault", Bounds { crashes: 0, duplicates: 0, ..faithful }, (84_347, 421_752, 22)),
    ];
    for (what, b, (states, transitions, depth)) in cases {
        let r = explore(&b, 20_000_000);
        assert!(r.complete && r.violation.is_none(), "{what}: {r:?}");
        assert_eq!((r.states, r.transitions, r.depth), (states, transitions, depth), "{what}");
    }
}

#[test]
fn adopting_the_lowest_numbered_value_lets_two_values_be_chosen_with_two_rounds() {
    // The size at which it is found pins the bounds: P0's extra round and
    // no crash or duplicate (either would make the search larger).
    let states = caught(&Bounds::two_rounds(Variant::AdoptLowest), Rule::TwoValuesChosen);
    assert_eq!(states, 2_221_367);
}

#[test]
fn reusing_numbers_is_warned_of_by_an_internal_rule() {
    // A restarted proposer has no client value left to propose in this
    // model, so reusing a number does no damage here: only the early
    // warning can be found.
    let b = Bounds { warnings: true, ..Bounds::small(Variant::ReuseNumbers) };
    caught(&b, Rule::NumberReused);
}
