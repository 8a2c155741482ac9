//! Workloads for the engine benchmarks, shared by the native CLI and the
//! browser (so both run exactly the same simulation).

use crate::net::NetConfig;
use crate::paxos::{PaxosConfig, Variant};
use crate::scenario::{ProtocolConfig, RandomWorkload, Scenario};
use crate::sim::Sim;
use crate::ENGINE_VERSION;

/// Four clients writing and reading without pause (a write half the time),
/// links of 5–40 ticks.
fn busy(
    protocol: ProtocolConfig,
    loss_ppm: u32,
    duplicate_ppm: u32,
    fifo: bool,
    seed: u64,
) -> Scenario {
    Scenario {
        engine: ENGINE_VERSION,
        protocol,
        network: NetConfig {
            latency_ticks_min: 5,
            latency_ticks_max: 40,
            loss_ppm,
            duplicate_ppm,
            fifo,
        },
        clients: 4,
        client_timeout_ticks: 2_000,
        workload: Vec::new(),
        random_workload: Some(RandomWorkload {
            gap_ticks_min: 1,
            gap_ticks_max: 20,
            write_ppm: 500_000,
            until: 10_000_000,
        }),
        seed,
        actions: Vec::new(),
    }
}

/// Paxos with 2 proposers and 5 acceptors on a lossy, duplicating network,
/// clients proposing and reading without pause.
#[must_use]
pub fn paxos_scenario(seed: u64) -> Scenario {
    let cfg = PaxosConfig {
        proposers: 2,
        acceptors: 5,
        backoff: true,
        retry_ticks: 200,
        collect_ticks: 0,
        variant: Variant::Faithful,
        learners: 0,
    };
    busy(ProtocolConfig::Paxos(cfg), 20_000, 10_000, false, seed)
}

/// Run Paxos clusters (a new seed every 20 000 events) for `events` events,
/// every invariant checked after every step. Returns the events run and the
/// violations found (always 0 for the faithful protocol).
#[must_use]
pub fn run_paxos(events: u64) -> (u64, usize) {
    run_many(events, paxos_scenario)
}

/// Zab with 5 voters on lossy FIFO links (a loss breaks the connection and
/// the follower re-syncs), clients writing and reading without pause.
#[must_use]
pub fn zab_scenario(seed: u64) -> Scenario {
    let cfg = crate::zab::ZabConfig {
        voters: 5,
        observers: 0,
        heartbeat_ticks: 100,
        sync_limit_ticks: 400,
        election_ticks: 200,
        sync_reads: false,
        variant: crate::zab::Variant::Faithful,
    };
    busy(ProtocolConfig::Zab(cfg), 2_000, 0, true, seed)
}

/// Run 5-voter Zab clusters (a new seed every 20 000 events) for `events`
/// events, every invariant checked after every step. Returns the events
/// run and the violations found (always 0 for the faithful protocol).
#[must_use]
pub fn run_zab(events: u64) -> (u64, usize) {
    run_many(events, zab_scenario)
}

fn run_many(events: u64, scenario: fn(u64) -> Scenario) -> (u64, usize) {
    let mut done = 0;
    let mut violations = 0;
    let mut seed = 0;
    while done < events {
        let mut sim = Sim::new(scenario(seed)).expect("the bench scenario is valid");
        let quota = (events - done).min(20_000);
        while sim.world().events() < quota {
            if sim.step().is_empty() && sim.world().next_event_tick().is_none() {
                break;
            }
        }
        done += sim.world().events().max(1);
        violations += sim.world().violations().len();
        seed += 1;
    }
    (done, violations)
}

/// A crowded canvas for the per-frame budget: `replicas` replicas of the
/// eventually consistent store gossiping every `gossip_ticks` over links of
/// 300–400 ticks, with eight clients writing and reading. About
/// 2·replicas·350/gossip_ticks messages are in flight at once (each digest
/// draws an answer), plus the clients' pushes.
#[must_use]
pub fn crowded_scenario(replicas: u32, gossip_ticks: u32) -> Scenario {
    let cfg = crate::eventual::EventualConfig {
        anti_entropy_ticks: gossip_ticks,
        ..crate::eventual::EventualConfig::new(replicas)
    };
    Scenario {
        engine: ENGINE_VERSION,
        protocol: ProtocolConfig::Eventual(cfg),
        network: NetConfig {
            latency_ticks_min: 300,
            latency_ticks_max: 400,
            ..NetConfig::default()
        },
        clients: 8,
        client_timeout_ticks: 2_000,
        workload: Vec::new(),
        random_workload: Some(RandomWorkload {
            gap_ticks_min: 50,
            gap_ticks_max: 200,
            write_ppm: 500_000,
            until: 10_000_000,
        }),
        seed: 1,
        actions: Vec::new(),
    }
}
