//! Lecture 03, Quorum: with W + R > N a read never misses a write that
//! completed before it began — over a thousand seeds with random faults.
//! The same harness must catch W + R ≤ N, or it proves nothing.

use qcore::check::register::{inversions, stale_reads};
use qcore::rng::SimRng;
use qcore::types::Stamp;
use qcore::{Scenario, Sim};
use quorumscope_tests::{overlapping, quorum_base, with_random_faults};

const SEEDS: u64 = 1_000;
const UNTIL: u64 = 6_000;

/// Run a scenario, checking after every step that no replica's stored
/// version ever goes backwards (replicas only accept newer stamps, and
/// persist them before acknowledging).
fn run_checked(s: Scenario) -> Sim {
    let n = s.protocol.nodes() as usize;
    let mut sim = Sim::new(s).expect("valid");
    let mut last = vec![Stamp::default(); n];
    while sim.now() < UNTIL {
        if sim.step().is_empty() && sim.world().next_event_tick().is_none() {
            break;
        }
        for (i, slot) in sim.world().nodes().iter().enumerate() {
            if let Some(qcore::node::Durable::Quorum(d)) = &slot.disk {
                assert!(d.stamp >= last[i], "replica {i}'s stored stamp went backwards");
                last[i] = d.stamp;
            }
        }
    }
    sim
}

#[test]
fn overlapping_quorums_never_return_a_value_older_than_a_completed_write() {
    let mut reads = 0;
    for seed in 0..SEEDS {
        let (n, w, r) = overlapping(seed);
        assert!(w + r > n && r <= n);
        let s = with_random_faults(quorum_base(seed, n, w, r, false), UNTIL);
        let sim = run_checked(s.clone());
        let h = sim.history();
        reads += h.iter().filter(|o| o.ok().is_some()).count();
        let bad = stale_reads(&h);
        assert!(
            bad.is_empty(),
            "seed {seed} N={n} W={w} R={r}: {bad:?}\nlink: #s={}",
            qcore::link::encode(&s)
        );
    }
    assert!(reads > 10_000, "the swarm did real work ({reads} completed operations)");
}

#[test]
fn the_same_harness_catches_quorums_that_do_not_overlap() {
    let caught = (0..SEEDS).find(|&seed| {
        let mut rng = SimRng::new(seed);
        let n = u32::try_from(rng.range(3, 7)).expect("small");
        let w = u32::try_from(rng.range(1, u64::from(n / 2))).expect("small");
        let r = n - w - u32::try_from(rng.range(0, u64::from(n - w - 1))).expect("small");
        assert!(w + r <= n);
        let s = with_random_faults(quorum_base(seed, n, w, r, false), UNTIL);
        !stale_reads(&run_checked(s).history()).is_empty()
    });
    assert!(caught.is_some(), "W + R ≤ N must produce a stale read within {SEEDS} seeds");
}

#[test]
fn read_write_back_removes_new_old_inversions() {
    // Without write-back an inversion shows up somewhere in the swarm…
    let without = (0..SEEDS).any(|seed| {
        let (n, w, r) = overlapping(seed);
        let s = with_random_faults(quorum_base(seed, n, w, r, false), UNTIL);
        !inversions(&run_checked(s).history()).is_empty()
    });
    assert!(without, "Quorum alone allows new/old inversions");
    // …with ABD write-back, never.
    for seed in 0..SEEDS / 2 {
        let (n, w, r) = overlapping(seed);
        let s = with_random_faults(quorum_base(seed, n, w, r, true), UNTIL);
        let h = run_checked(s.clone()).history();
        let bad = inversions(&h);
        assert!(bad.is_empty(), "seed {seed}: {bad:?}\nlink: #s={}", qcore::link::encode(&s));
        assert!(stale_reads(&h).is_empty());
    }
}

#[test]
fn abd_is_linearizable_under_every_fault_mix() {
    use qcore::swarm::{run_seed, Target};
    let mut served = 0;
    for seed in 0..SEEDS {
        let r = run_seed(Target::Abd, seed, 10_000);
        assert_eq!(r.finding, None, "seed {seed}\nlink: #s={}", qcore::link::encode(&r.scenario));
        served += r.served;
    }
    assert!(served > 5_000, "the swarm did real work ({served} answered operations)");
}
