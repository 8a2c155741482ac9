//! Paxos safety over many seeds with random faults (crashes and restarts,
//! partitions and one-way cuts, loss, duplication, reordering), every
//! invariant checked after every step — and the broken variants caught.

use qcore::paxos::invariants::Rule;
use qcore::paxos::Variant;
use qcore::{link, Scenario, Sim};
use quorumscope_tests::{paxos_base, with_random_faults};

/// Seeds per run; `QS_SWARM_SEEDS` raises it.
fn seeds() -> u64 {
    std::env::var("QS_SWARM_SEEDS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000)
}

const EVENTS: u64 = 10_000;
const FAULTS_UNTIL: u64 = 8_000;

/// Run up to `EVENTS` events; the world checks every invariant as nodes
/// report, i.e. after every step. Returns the first broken rule, the number
/// of events run, and whether a value was chosen.
fn explore(s: Scenario) -> (Option<Rule>, u64, bool) {
    let mut sim = Sim::new(s).expect("valid");
    while sim.world().events() < EVENTS {
        if sim.step().is_empty() && sim.world().next_event_tick().is_none() {
            break;
        }
        if let Some((_, v)) = sim.world().violations().first() {
            return (Some(v.rule), sim.world().events(), true);
        }
    }
    let chosen = sim.world().paxos_checks().and_then(|c| c.chosen_value()).is_some();
    (None, sim.world().events(), chosen)
}

fn first_violation(s: Scenario) -> Option<Rule> {
    explore(s).0
}

fn scenario(seed: u64, variant: Variant) -> Scenario {
    with_random_faults(paxos_base(seed, variant), FAULTS_UNTIL)
}

#[test]
fn faithful_paxos_never_breaks_an_invariant() {
    let (mut events, mut chosen) = (0, 0);
    for seed in 0..seeds() {
        let s = scenario(seed, Variant::Faithful);
        let (rule, n, c) = explore(s.clone());
        if let Some(rule) = rule {
            panic!("seed {seed}: {rule:?}\nreplay: #s={}", link::encode(&s));
        }
        events += n;
        chosen += u64::from(c);
    }
    assert!(events >= seeds() * EVENTS * 9 / 10, "the swarm ran its events ({events})");
    assert!(chosen >= seeds() * 9 / 10, "most runs chose a value ({chosen})");
}

#[test]
fn acceptors_that_forget_max_n_are_caught_within_1000_seeds() {
    let caught =
        (0..1_000).find_map(|seed| first_violation(scenario(seed, Variant::ForgetPromise)));
    assert_eq!(caught, Some(Rule::MaxNDecreased));
}

#[test]
fn proposers_that_reuse_numbers_are_caught_within_1000_seeds() {
    let caught = (0..1_000).find_map(|seed| first_violation(scenario(seed, Variant::ReuseNumbers)));
    assert_eq!(caught, Some(Rule::NumberReused));
}
