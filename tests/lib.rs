//! Shared helpers for the cross-crate tests: swarm scenarios with random
//! faults, drawn from a seed.

use qcore::net::{LinkState, NetConfig};
use qcore::paxos::{PaxosConfig, Variant};
use qcore::quorum::QuorumConfig;
use qcore::rng::SimRng;
use qcore::scenario::{ActionKind, ProtocolConfig, RandomWorkload, Scenario};
use qcore::types::Addr;
use qcore::{Sim, ENGINE_VERSION};

/// A network drawn from the seed: latency range, loss, duplication, and
/// FIFO or reordering delivery.
#[must_use]
pub fn random_network(seed: u64) -> NetConfig {
    let mut rng = SimRng::new(seed ^ 0x5eed);
    let lat_min = u32::try_from(rng.range(1, 30)).expect("small");
    let lat_max = lat_min + u32::try_from(rng.range(0, 80)).expect("small");
    NetConfig {
        latency_ticks_min: lat_min,
        latency_ticks_max: lat_max,
        loss_ppm: u32::try_from(rng.range(0, 3)).expect("small") * 20_000,
        duplicate_ppm: u32::try_from(rng.range(0, 2)).expect("small") * 30_000,
        fifo: rng.range(0, 1) == 1,
    }
}

/// A Paxos cluster drawn from the seed (1–3 proposers, 3–7 acceptors), with
/// clients proposing values and reading at random nodes.
#[must_use]
pub fn paxos_base(seed: u64, variant: Variant) -> Scenario {
    let mut rng = SimRng::new(seed ^ 0xba5e);
    let cfg = PaxosConfig {
        proposers: u32::try_from(rng.range(1, 3)).expect("small"),
        acceptors: u32::try_from(rng.range(3, 7)).expect("small"),
        backoff: rng.range(0, 1) == 1,
        retry_ticks: u32::try_from(rng.range(100, 500)).expect("small"),
        collect_ticks: if rng.range(0, 3) == 0 { 150 } else { 0 },
        variant,
    };
    Scenario {
        engine: ENGINE_VERSION,
        protocol: ProtocolConfig::Paxos(cfg),
        network: random_network(seed),
        clients: 3,
        client_timeout_ticks: 2_000,
        workload: Vec::new(),
        random_workload: Some(RandomWorkload {
            gap_ticks_min: 5,
            gap_ticks_max: 200,
            write_ppm: 600_000,
            until: 10_000_000,
        }),
        seed,
        actions: Vec::new(),
    }
}

/// A Zab cluster drawn from the seed (3–7 voters, 0–3 observers, timings
/// around the network's latency), on FIFO links that behave like TCP, with
/// clients writing and reading at random servers.
#[must_use]
pub fn zab_base(seed: u64, variant: qcore::zab::Variant) -> Scenario {
    let mut rng = SimRng::new(seed ^ 0x2ab);
    let mut network = random_network(seed);
    network.fifo = true;
    let slow = u64::from(network.latency_ticks_max);
    let heartbeat = rng.range(2 * slow, 6 * slow).max(20);
    let cfg = qcore::zab::ZabConfig {
        voters: u32::try_from(rng.range(3, 7)).expect("small"),
        observers: u32::try_from(rng.range(0, 3)).expect("small"),
        heartbeat_ticks: u32::try_from(heartbeat).expect("small"),
        sync_limit_ticks: u32::try_from(heartbeat * rng.range(2, 5)).expect("small"),
        election_ticks: u32::try_from(rng.range(4 * slow, 12 * slow).max(20)).expect("small"),
        sync_reads: rng.range(0, 1) == 1,
        variant,
    };
    Scenario {
        engine: ENGINE_VERSION,
        protocol: ProtocolConfig::Zab(cfg),
        network,
        clients: 3,
        client_timeout_ticks: 3_000,
        workload: Vec::new(),
        random_workload: Some(RandomWorkload {
            gap_ticks_min: 5,
            gap_ticks_max: 150,
            write_ppm: 600_000,
            until: 10_000_000,
        }),
        seed,
        actions: Vec::new(),
    }
}

/// A quorum cluster of `n` replicas with a random workload.
#[must_use]
pub fn quorum_base(seed: u64, n: u32, w: u32, r: u32, write_back: bool) -> Scenario {
    Scenario {
        engine: ENGINE_VERSION,
        protocol: ProtocolConfig::Quorum(QuorumConfig {
            n,
            w,
            r,
            write_back,
            op_timeout_ticks: 400,
        }),
        network: random_network(seed),
        clients: 3,
        client_timeout_ticks: 1_000,
        workload: Vec::new(),
        random_workload: Some(RandomWorkload {
            gap_ticks_min: 5,
            gap_ticks_max: 150,
            write_ppm: 500_000,
            until: 6_000,
        }),
        seed,
        actions: Vec::new(),
    }
}

/// Record a timeline of random faults (crashes and restarts, partitions
/// including one-way cuts, heals, dropped messages) on top of `base`,
/// the way a user would click them in, and return the whole scenario.
#[must_use]
pub fn with_random_faults(base: Scenario, until: u64) -> Scenario {
    let mut rng = SimRng::new(base.seed ^ 0xfa17);
    let n = base.protocol.nodes();
    let mut sim = Sim::new(base).expect("valid swarm scenario");
    let mut t = 0;
    loop {
        t += rng.range(50, 600);
        if t >= until {
            break;
        }
        sim.run_until(t);
        let node = u32::try_from(rng.range(0, u64::from(n - 1))).expect("small");
        let kind = match rng.range(0, 7) {
            0 => ActionKind::Crash(node),
            1 => ActionKind::Restart(node),
            2 => {
                let side: Vec<u32> = (0..n).filter(|_| rng.range(0, 1) == 1).collect();
                ActionKind::Partition { side }
            }
            3 => ActionKind::HealAll,
            4 => {
                let other = u32::try_from(rng.range(0, u64::from(n - 1))).expect("small");
                let state =
                    if rng.range(0, 1) == 0 { LinkState::Partitioned } else { LinkState::Held };
                ActionKind::SetLink { from: Addr::Node(node), to: Addr::Node(other), state }
            }
            5 => {
                let ids: Vec<u64> = sim.world().net().in_flight().map(|m| m.id).collect();
                if ids.is_empty() {
                    continue;
                }
                let i = usize::try_from(rng.range(0, ids.len() as u64 - 1)).expect("small");
                ActionKind::DropMessage(ids[i])
            }
            _ => {
                // Restart everyone who is down and heal: the cluster recovers.
                for x in 0..n {
                    sim.act(ActionKind::Restart(x)).expect("valid");
                }
                ActionKind::HealAll
            }
        };
        sim.act(kind).expect("valid");
    }
    sim.scenario().clone()
}

/// A storm of crashes and restarts, one every 10–120 ticks, so some land
/// between any two steps of a protocol (say between an ACK and the write
/// it promised).
#[must_use]
pub fn with_crash_storm(base: Scenario, until: u64) -> Scenario {
    let mut rng = SimRng::new(base.seed ^ 0x5707);
    let n = base.protocol.nodes();
    let mut sim = Sim::new(base).expect("valid swarm scenario");
    let mut t = 0;
    loop {
        t += rng.range(10, 120);
        if t >= until {
            break;
        }
        sim.run_until(t);
        let node = u32::try_from(rng.range(0, u64::from(n - 1))).expect("small");
        let up = sim.world().nodes()[node as usize].up;
        let kind = if up { ActionKind::Crash(node) } else { ActionKind::Restart(node) };
        sim.act(kind).expect("valid");
    }
    sim.scenario().clone()
}
