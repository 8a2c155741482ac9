//! Paxos over many seeds with random faults (crashes and restarts,
//! partitions and one-way cuts, loss, duplication, reordering), judged by
//! what clients and learners were told (one value, proposed by a client,
//! held accepted by a majority) with every internal rule checked after
//! every step as an early warning — and the broken variants' warnings.

use qcore::link;
use qcore::paxos::Variant;
use qcore::swarm::{run_seed, SeedRun, Target};

/// Seeds per run; `QS_SWARM_SEEDS` raises it.
fn seeds() -> u64 {
    std::env::var("QS_SWARM_SEEDS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000)
}

const EVENTS: u64 = 10_000;

fn replay(r: &SeedRun) -> String {
    format!("seed {}\nreplay: #s={}", r.seed, link::encode(&r.scenario))
}

#[test]
fn faithful_paxos_keeps_its_promises_to_clients_and_every_invariant() {
    let (mut events, mut chosen) = (0, 0);
    for seed in 0..seeds() {
        let r = run_seed(Target::Paxos(Variant::Faithful), seed, EVENTS);
        assert_eq!(r.finding, None, "{}", replay(&r));
        assert_eq!(r.warning, None, "{}", replay(&r));
        events += r.events;
        chosen += u64::from(r.served > 0);
    }
    assert!(events >= seeds() * EVENTS * 9 / 10, "the swarm ran its events ({events})");
    // Under these fault mixes about three runs in four tell a client the
    // chosen value before the budget ends (measured: 735 of 1 000).
    assert!(chosen >= seeds() * 7 / 10, "most runs told clients a value ({chosen})");
}

/// The first seed below 1 000 whose run broke an internal rule, with it.
fn warned(variant: Variant) -> Option<(u64, String)> {
    (0..1_000).find_map(|seed| {
        let r = run_seed(Target::Paxos(variant), seed, EVENTS);
        r.warning.map(|w| (seed, w))
    })
}

// The broken variants break internal rules within the budget, but in the
// random swarm neither did damage a client saw in 1 000 seeds (the
// `paxos-forget` lesson's script shows that damage); these tests keep the
// early warnings honest, not the oracles.
#[test]
fn acceptors_that_forget_max_n_are_warned_of_within_1000_seeds() {
    assert_eq!(warned(Variant::PromiseInMemory).map(|w| w.1).as_deref(), Some("MaxNDecreased"));
}

#[test]
fn proposers_that_reuse_numbers_are_warned_of_within_1000_seeds() {
    assert_eq!(warned(Variant::ReuseNumbers).map(|w| w.1).as_deref(), Some("NumberReused"));
}
