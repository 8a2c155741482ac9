//! Lectures 01 and 02, the eventually consistent store: with causal
//! delivery no replica ever shows a write before what its writer had seen
//! (the reply before the comment), over a thousand seeds of random faults,
//! every step checked; a store with eventual delivery held to the same
//! promise is caught within a thousand seeds, or the check proves nothing.

use qcore::swarm::{run_seed, Target};

fn seeds() -> u64 {
    std::env::var("QS_SWARM_SEEDS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000)
}

const EVENTS: u64 = 10_000;

#[test]
fn causal_delivery_never_shows_a_write_before_its_past() {
    let mut events = 0;
    for seed in 0..seeds() {
        let run = run_seed(Target::Eventual(true), seed, EVENTS);
        assert_eq!(run.broken, None, "seed {seed}");
        events += run.events;
    }
    assert!(events > seeds() * 5_000, "the runs were long enough: {events} events");
}

#[test]
fn eventual_delivery_held_to_the_causal_promise_is_caught_within_1000_seeds() {
    let caught = (0..1_000)
        .find_map(|seed| run_seed(Target::Eventual(false), seed, EVENTS).broken.map(|b| (seed, b)));
    let (seed, rule) = caught.expect("caught");
    assert_eq!(rule, "CausalGap", "seed {seed}");
}
