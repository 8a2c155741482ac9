//! Exhaustive check of a small Paxos configuration (3 acceptors, 2
//! proposers, bounded rounds, loss, duplication, any delivery order, a crash
//! and restart): the faithful protocol has no reachable violation; each
//! broken variant has one, and its schedule replays in the simulator.

use qcore::link;
use qcore::paxos::explore::{counterexample_scenario, explore, Bounds};
use qcore::paxos::invariants::Rule;
use qcore::paxos::Variant;
use qcore::Sim;

fn bounds(variant: Variant) -> Bounds {
    Bounds::small(variant)
}

#[test]
fn faithful_paxos_is_safe_in_every_reachable_state() {
    let r = explore(&bounds(Variant::Faithful), 20_000_000);
    assert!(r.violation.is_none(), "{:?}", r.violation);
    assert!(r.complete, "the whole bounded space was searched ({} states)", r.states);
    assert!(r.states > 1_000_000, "a real space: {} states", r.states);
    println!("faithful: {} states, {} transitions, depth {}", r.states, r.transitions, r.depth);
}

fn caught(variant: Variant, rule: Rule) {
    let b = bounds(variant);
    let r = explore(&b, 20_000_000);
    let (v, schedule) = r.violation.expect("the broken variant is caught");
    assert_eq!(v.rule, rule);
    // The schedule, written as a share link, replays to the same violation.
    let s = counterexample_scenario(&b, &schedule).expect("replayable");
    let text = link::encode(&s);
    let s = link::decode(&text).expect("a valid link");
    let mut sim = Sim::new(s).expect("valid");
    sim.run_until(3);
    let rules: Vec<Rule> = sim.world().violations().iter().map(|(_, v)| v.rule).collect();
    assert!(rules.contains(&rule), "replay found {rules:?}; link #s={text}");
}

#[test]
fn forgetting_max_n_has_a_counterexample_that_replays() {
    caught(Variant::ForgetPromise, Rule::MaxNDecreased);
}

#[test]
fn reusing_numbers_has_a_counterexample_that_replays() {
    caught(Variant::ReuseNumbers, Rule::NumberReused);
}
