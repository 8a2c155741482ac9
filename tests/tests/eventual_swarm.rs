//! Lectures 01 and 02, the eventually consistent store, judged by what its
//! clients read: with causal delivery the history is causal (a reply is
//! never seen without the comment it answers) and, once the network heals
//! and the load stops, every replica converges — over a thousand seeds of
//! random faults. A store with eventual delivery held to the same promise
//! is caught by its clients' reads within a thousand seeds, or the check
//! proves nothing.

use qcore::oracle::Oracle;
use qcore::swarm::{run_seed, Target};

fn seeds() -> u64 {
    std::env::var("QS_SWARM_SEEDS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000)
}

const EVENTS: u64 = 10_000;

#[test]
fn causal_delivery_is_causal_as_clients_read_it_and_converges_once_healed() {
    let mut events = 0;
    for seed in 0..seeds() {
        let run = run_seed(Target::Eventual(true), seed, EVENTS);
        let link = qcore::link::encode(&run.scenario);
        assert_eq!(run.finding, None, "seed {seed}\nreplay: #s={link}");
        assert_eq!(run.warning, None, "seed {seed}\nreplay: #s={link}");
        events += run.events;
    }
    assert!(events > seeds() * 5_000, "the runs were long enough: {events} events");
}

#[test]
fn eventual_delivery_held_to_the_causal_promise_is_caught_by_a_read_within_1000_seeds() {
    let caught = (0..1_000)
        .map(|seed| run_seed(Target::Eventual(false), seed, EVENTS))
        .find(|r| r.finding.is_some())
        .expect("caught");
    let f = caught.finding.expect("a finding");
    assert_eq!(f.oracle, Oracle::Causal, "seed {}: {f}", caught.seed);
}

#[test]
fn eventual_delivery_still_converges_once_healed() {
    for seed in 0..seeds() / 4 {
        let run = run_seed(Target::Eventual(false), seed, EVENTS);
        let converged = run.finding.is_none_or(|f| f.oracle != Oracle::Converged);
        assert!(converged, "seed {seed}\nreplay: #s={}", qcore::link::encode(&run.scenario));
    }
}
