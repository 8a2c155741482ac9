//! Swarm testing: scenarios with random faults drawn from a seed, and one
//! seed's run checked (the swarm tests and `quorumscope sweep` share them).

use crate::net::{LinkState, NetConfig};
use crate::oracle::{settle, Finding, Watch};
use crate::paxos::{PaxosConfig, Variant};
use crate::quorum::QuorumConfig;
use crate::rng::SimRng;
use crate::scenario::{ActionKind, ProtocolConfig, RandomWorkload, Scenario, ScriptedOp};
use crate::sim::Sim;
use crate::types::{Addr, ClientOp};
use crate::ENGINE_VERSION;

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

/// A Paxos cluster drawn from the seed (1–3 proposers, 3–7 acceptors, 0–2
/// learners), with clients proposing values and reading at random nodes.
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
        learners: u32::try_from(rng.range(0, 2)).expect("small"),
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
pub fn zab_base(seed: u64, variant: crate::zab::Variant) -> Scenario {
    let mut rng = SimRng::new(seed ^ 0x2ab);
    let mut network = random_network(seed);
    network.fifo = true;
    let slow = u64::from(network.latency_ticks_max);
    let heartbeat = rng.range(2 * slow, 6 * slow).max(20);
    let cfg = crate::zab::ZabConfig {
        voters: u32::try_from(rng.range(3, 7)).expect("small"),
        observers: u32::try_from(rng.range(0, 3)).expect("small"),
        heartbeat_ticks: u32::try_from(heartbeat).expect("small"),
        // Discovery and synchronization take about seven one-way trips; a
        // shorter limit would time every learner out before it serves.
        sync_limit_ticks: u32::try_from((heartbeat * rng.range(2, 5)).max(8 * slow))
            .expect("small"),
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

/// The eventually consistent store of lectures 01 and 02: three to five
/// replicas with gossip, and causal delivery (or, for the planted bug,
/// eventual delivery that the sweep still holds to the causal promise).
/// Clients read and write the four keys (X and lecture 02's photo, comment
/// and reply) until tick 6 000, so a reply read without its comment shows
/// in the history.
#[must_use]
pub fn eventual_base(seed: u64, causal: bool) -> Scenario {
    use crate::eventual::{Delivery, EventualConfig};
    let replicas = 3 + u32::try_from(seed % 3).expect("small");
    let delivery = if causal { Delivery::Causal } else { Delivery::Eventual };
    // The store keeps no connections (its gossip repairs what is lost), so
    // its links are not FIFO: on FIFO links a lost message breaks the link
    // like a TCP reset, and only a restart would open it again.
    let network = NetConfig { fifo: false, ..random_network(seed) };
    Scenario {
        engine: ENGINE_VERSION,
        protocol: ProtocolConfig::Eventual(EventualConfig {
            delivery,
            ..EventualConfig::new(replicas)
        }),
        network,
        clients: 3,
        client_timeout_ticks: 1_000,
        workload: keyed_workload(seed, 3, replicas, 6_000),
        random_workload: None,
        seed,
        actions: Vec::new(),
    }
}

/// Reads and writes of the store's keys at random ticks, each client about
/// every 60 ticks until `until`, at random replicas; written values are
/// unique.
fn keyed_workload(seed: u64, clients: u32, replicas: u32, until: u64) -> Vec<ScriptedOp> {
    let mut rng = SimRng::new(seed ^ 0x4e75);
    let mut ops = Vec::new();
    let mut value = 0;
    for client in 0..clients {
        let mut at = rng.range(1, 60);
        while at < until {
            let key =
                u32::try_from(rng.range(0, u64::from(crate::eventual::KEYS) - 1)).expect("small");
            let op = if rng.chance_ppm(500_000) {
                value += 1;
                ClientOp::WriteKey(key, value)
            } else {
                ClientOp::ReadKey(key)
            };
            let node = u32::try_from(rng.range(0, u64::from(replicas) - 1)).expect("small");
            ops.push(ScriptedOp { at, client, node, op });
            at += rng.range(20, 100);
        }
    }
    crate::order::by_key(&mut ops, |o| u128::from(o.at));
    ops
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

/// What a sweep runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// N/W/R drawn per seed with W + R > N: no read may miss a completed write.
    Quorum,
    /// The same with ABD's read write-back: the history must be linearizable.
    Abd,
    Paxos(Variant),
    Zab(crate::zab::Variant),
    /// The eventually consistent store held to the causal promise: with
    /// causal delivery (`true`), or with eventual delivery (the planted bug).
    Eventual(bool),
}

/// One seed's run.
#[derive(Clone, Debug)]
pub struct SeedRun {
    pub seed: u64,
    pub events: u64,
    /// The first promise to clients found broken: what counts.
    pub finding: Option<Finding>,
    /// The first internal rule broken (an early warning), named.
    pub warning: Option<String>,
    /// Client operations answered with a value (how much the run served).
    pub served: usize,
    /// The scenario, to replay a failure (as a share link).
    pub scenario: Scenario,
}

/// N, W, R with overlapping quorums, drawn from the seed.
#[must_use]
pub fn overlapping(seed: u64) -> (u32, u32, u32) {
    let mut rng = SimRng::new(seed);
    let n = u32::try_from(rng.range(1, 7)).expect("small");
    let w = u32::try_from(rng.range(1, u64::from(n))).expect("small");
    let r = n + 1 - w + u32::try_from(rng.range(0, u64::from(w - 1))).expect("small");
    (n, w, r)
}

/// Faults until this tick; the run goes on to its event budget.
const FAULTS_UNTIL: u64 = 8_000;

/// The scenario a seed of `target` runs. Odd seeds get the usual fault
/// mix, even ones a storm of crashes (the registers only the usual mix).
#[must_use]
pub fn seed_scenario(target: Target, seed: u64) -> Scenario {
    let base = match target {
        Target::Quorum | Target::Abd => {
            let (n, w, r) = overlapping(seed);
            quorum_base(seed, n, w, r, target == Target::Abd)
        }
        Target::Paxos(v) => paxos_base(seed, v),
        Target::Zab(v) => zab_base(seed, v),
        Target::Eventual(causal) => eventual_base(seed, causal),
    };
    let registers = matches!(target, Target::Quorum | Target::Abd);
    if seed.is_multiple_of(2) && !registers {
        with_crash_storm(base, FAULTS_UNTIL)
    } else {
        with_random_faults(base, FAULTS_UNTIL)
    }
}

/// Run one seed of `target` for up to `events` events, every internal rule
/// checked after every step (the first one broken is kept as a warning);
/// then, for Zab and the store, heal the network and let it settle; then
/// judge what the clients were told with the end-to-end oracles.
#[must_use]
pub fn run_seed(target: Target, seed: u64, events: u64) -> SeedRun {
    let scenario = seed_scenario(target, seed);
    let mut sim = Sim::new(scenario).expect("swarm scenarios are valid");
    let mut watch = Watch::new(&sim.scenario().protocol, true);
    let mut warning = None;
    // The causal promise, checked from the replicas' notes whatever the
    // store's delivery (so a store that does not keep it is warned of).
    let mut causal = match &sim.scenario().protocol {
        ProtocolConfig::Eventual(c) => {
            Some(crate::eventual::invariants::Invariants::new(c.replicas, true))
        }
        _ => None,
    };
    while sim.world().events() < events {
        let entries = sim.step().to_vec();
        if entries.is_empty() && sim.world().next_event_tick().is_none() {
            break;
        }
        watch.observe(&entries);
        if warning.is_none() {
            warning = first_warning(&sim, &entries, causal.as_mut());
        }
    }
    let settles = matches!(target, Target::Zab(_) | Target::Eventual(_));
    let settled = settles.then(|| settle(&mut sim, &mut watch));
    let finding = watch.judge(&sim, settled);
    let served =
        sim.history().iter().filter(|o| o.ok().is_some_and(|(_, v, _)| v.is_some())).count();
    let (events, scenario) = (sim.world().events(), sim.scenario().clone());
    SeedRun { seed, events, finding, warning, served, scenario }
}

/// The first internal rule the step broke, if any.
fn first_warning(
    sim: &Sim,
    entries: &[crate::trace::TraceEntry],
    causal: Option<&mut crate::eventual::invariants::Invariants>,
) -> Option<String> {
    if let Some(checks) = causal {
        let gap = entries.iter().find_map(|e| match &e.what {
            crate::trace::Happened::Note { node, note } => {
                checks.observe(*node, note).into_iter().next()
            }
            _ => None,
        });
        if let Some(v) = gap {
            return Some(format!("{:?}", v.rule));
        }
    }
    sim.world().violations().first().map(|(_, v)| format!("{:?}", v.rule))
}
