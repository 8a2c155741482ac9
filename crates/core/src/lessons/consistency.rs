//! Lessons of lectures 01 (CAP, BASE) and 02 (consistency models), on the
//! eventually consistent store. Server i+1 is node i.

use super::{op, script, Step};
use crate::eventual::EventualConfig;
use crate::net::{LinkState, NetConfig};
use crate::quorum::QuorumConfig;
use crate::scenario::{
    ActionKind, ConfigError, ProtocolConfig, RandomWorkload, Scenario, ScriptedOp,
};
use crate::types::{Addr, ClientOp, Tick};
use crate::ENGINE_VERSION;

fn base(cfg: EventualConfig, latency: (u32, u32), workload: Vec<ScriptedOp>) -> Scenario {
    Scenario {
        engine: ENGINE_VERSION,
        protocol: ProtocolConfig::Eventual(cfg),
        network: NetConfig {
            latency_ticks_min: latency.0,
            latency_ticks_max: latency.1,
            ..NetConfig::default()
        },
        clients: 3,
        client_timeout_ticks: 1_500,
        workload,
        random_workload: None,
        seed: 1,
        actions: Vec::new(),
    }
}

fn hold(from: u32, to: u32) -> Step {
    Step::Do(ActionKind::SetLink {
        from: Addr::Node(from),
        to: Addr::Node(to),
        state: LinkState::Held,
    })
}

/// The CP side of the CAP lessons: the quorum register of lecture 03 with
/// every read and write needing both servers (W = R = N = 2) and reads
/// writing back (ABD), which is linearizable, and so must refuse requests
/// while the servers cannot talk.
#[must_use]
pub fn cp_protocol(servers: u32) -> ProtocolConfig {
    ProtocolConfig::Quorum(QuorumConfig {
        n: servers,
        w: servers / 2 + 1,
        r: servers / 2 + 1,
        write_back: true,
        op_timeout_ticks: 400,
    })
}

/// The AP side: the eventually consistent store.
#[must_use]
pub fn ap_protocol(servers: u32) -> ProtocolConfig {
    ProtocolConfig::Eventual(EventualConfig::new(servers))
}

/// Switch a CAP lesson between CP and AP (the same servers and clients, so
/// the same timeline replays on either).
pub fn set_cap_mode(s: &mut Scenario, cp: bool) {
    let n = s.protocol.nodes();
    s.protocol = if cp { cp_protocol(n) } else { ap_protocol(n) };
}

/// Whether a scenario runs the CP side of a CAP lesson.
#[must_use]
pub fn is_cp(s: &Scenario) -> bool {
    matches!(s.protocol, ProtocolConfig::Quorum(_))
}

/// Lynch's construction (lecture 01): Client A writes X, Client 1 reads X.
fn cap_workload() -> Vec<ScriptedOp> {
    vec![
        // One server: the read always sees the write.
        op(10, 0, 0, ClientOp::Write(1)),
        op(200, 1, 0, ClientOp::Read),
        // Two servers replicating: Client 1 reads from Server 2.
        op(400, 0, 0, ClientOp::Write(2)),
        op(650, 1, 1, ClientOp::Read),
        // The partition: write on Server 1, read on Server 2.
        op(1_000, 0, 0, ClientOp::Write(3)),
        op(1_300, 1, 1, ClientOp::Read),
        // Healed: the servers agree again.
        op(2_600, 1, 1, ClientOp::Read),
    ]
}

pub fn lesson(id: &str, tweak: &dyn Fn(&mut Scenario)) -> Option<Result<Scenario, ConfigError>> {
    let with = |mut s: Scenario| {
        tweak(&mut s);
        s
    };
    let s = match id {
        "cap-proof" => {
            let mut s = base(EventualConfig::new(2), (40, 40), cap_workload());
            s.clients = 2;
            script(
                with(s),
                vec![
                    (900, Step::Do(ActionKind::Partition { side: vec![0] })),
                    (2_000, Step::Do(ActionKind::HealAll)),
                ],
            )
        }
        // Availability measured, as SLAs count it: a steady workload on two
        // servers, split for a while.
        "cap-sla" => {
            let mut s = base(EventualConfig::new(2), (30, 60), Vec::new());
            s.random_workload = Some(RandomWorkload {
                gap_ticks_min: 80,
                gap_ticks_max: 200,
                write_ppm: 500_000,
                until: 12_000,
            });
            script(
                with(s),
                vec![
                    (3_000, Step::Do(ActionKind::Partition { side: vec![0] })),
                    (6_000, Step::Do(ActionKind::HealAll)),
                ],
            )
        }
        // ZooKeeper against Eureka (lecture 01): this is the ZooKeeper-like
        // registry; `twin` gives the Eureka-like one.
        "cap-registry" => script(with(registry(true)), registry_steps()),
        // Weak consistency: no anti-entropy and a lossy network; Server 3
        // misses the first write and nothing ever repairs it.
        "ec-weak" => {
            let cfg = EventualConfig { anti_entropy_ticks: 0, ..EventualConfig::new(3) };
            let mut reads: Vec<ScriptedOp> =
                (0..8).map(|k| op(300 + 400 * k, 2, 2, ClientOp::Read)).collect();
            reads.push(op(10, 0, 0, ClientOp::Write(1)));
            reads.push(op(1_500, 0, 0, ClientOp::Write(2)));
            crate::order::by_key(&mut reads, |o| u128::from(o.at));
            // Both writes' pushes to Server 3 are lost, and nothing repairs them.
            let drop = || Step::DropWhere(|m| m.to == Addr::Node(2) && is_update(m));
            script(with(base(cfg, (40, 40), reads)), vec![(60, drop()), (1_560, drop())])
        }
        // The inconsistency window: asynchronous replication plus gossip
        // under a steady random load.
        "ec-window" => {
            // Each replica needs 60 ticks to apply a write it receives, so
            // more clients writing means queues, and longer windows.
            let cfg = EventualConfig { apply_ticks: 60, ..EventualConfig::new(3) };
            let mut s = base(cfg, (40, 120), Vec::new());
            s.random_workload = Some(RandomWorkload {
                gap_ticks_min: 10,
                gap_ticks_max: 30,
                write_ppm: 500_000,
                until: 600_000,
            });
            Ok(with(s)).and_then(|s| s.validate().map(|()| s))
        }
        // Lecture 02's example: you post a photo, a friend comments, you
        // reply; a third reader must never see the reply without the comment.
        "ec-causal" => {
            let cfg = EventualConfig { anti_entropy_ticks: 0, ..EventualConfig::new(3) };
            let w = vec![
                op(10, 0, 0, ClientOp::WriteKey(1, 1)),
                op(200, 1, 1, ClientOp::ReadKey(1)),
                op(300, 1, 1, ClientOp::WriteKey(2, 2)),
                op(500, 0, 0, ClientOp::ReadKey(2)),
                op(600, 0, 0, ClientOp::WriteKey(3, 3)),
                op(800, 2, 2, ClientOp::ReadKey(3)),
                op(950, 2, 2, ClientOp::ReadKey(2)),
                op(1_600, 2, 2, ClientOp::ReadKey(3)),
                op(1_750, 2, 2, ClientOp::ReadKey(2)),
            ];
            // The friend's comment is slow to reach Server 3.
            script(with(base(cfg, (40, 40), w)), vec![(250, hold(1, 2)), (1_300, heal())])
        }
        // Read your writes: a client writes on Server 1, then reads on
        // Server 2 before the write got there.
        "ec-session" => {
            let cfg = EventualConfig { anti_entropy_ticks: 0, ..EventualConfig::new(3) };
            let w = vec![
                op(10, 0, 0, ClientOp::Write(1)),
                op(200, 0, 1, ClientOp::Read),
                op(400, 1, 1, ClientOp::Read),
                op(1_500, 0, 1, ClientOp::Read),
            ];
            script(with(base(cfg, (40, 40), w)), vec![(20, hold(0, 1)), (1_200, heal())])
        }
        // BASE, basically available (lecture 02): a flash sale. One service
        // that needs 60 ticks per request; eight clients each place ten
        // orders at once at tick 300. By default the queue has no limit.
        "ec-base" => {
            let cfg = EventualConfig {
                anti_entropy_ticks: 0,
                service_ticks: 60,
                ..EventualConfig::new(1)
            };
            let mut w: Vec<ScriptedOp> = (0..8)
                .map(|c| op(20 + 30 * u64::from(c), c, 0, ClientOp::Write(u64::from(c) + 1)))
                .collect();
            for c in 0..8u32 {
                for k in 0..10u64 {
                    w.push(op(300, c, 0, ClientOp::Write(100 * (u64::from(c) + 1) + k)));
                }
            }
            let mut s = base(cfg, (5, 10), w);
            s.clients = 8;
            s.client_timeout_ticks = 400;
            Ok(with(s)).and_then(|s| s.validate().map(|()| s))
        }
        "ec-custom" => {
            let mut s = base(EventualConfig::new(4), (30, 150), Vec::new());
            s.random_workload = Some(RandomWorkload {
                gap_ticks_min: 200,
                gap_ticks_max: 700,
                write_ppm: 400_000,
                until: 600_000,
            });
            Ok(with(s)).and_then(|s| s.validate().map(|()| s))
        }
        _ => return None,
    };
    Some(s)
}

/// The registry workload both systems get: three clients registering
/// service instances (writes) and looking them up (reads) on servers on
/// both sides of the partition to come.
fn registry_workload() -> Vec<ScriptedOp> {
    (0..40u64)
        .map(|k| {
            let at = 1_200 + 170 * k;
            let client = u32::try_from(k % 3).expect("small");
            let node = [0, 4, 2, 3, 1][usize::try_from(k % 5).expect("small")];
            let op = if k % 3 == 0 { ClientOp::Write(k + 1) } else { ClientOp::Read };
            op_at(at, client, node, op)
        })
        .collect()
}

fn op_at(at: Tick, client: u32, node: u32, op: ClientOp) -> ScriptedOp {
    ScriptedOp { at, client, node, op }
}

fn registry_steps() -> Vec<(Tick, Step)> {
    vec![
        (3_000, Step::Do(ActionKind::Partition { side: vec![3, 4] })),
        (6_500, Step::Do(ActionKind::HealAll)),
    ]
}

/// Five servers on the same network, with the same clients and workload:
/// ZooKeeper (Zab, CP) or Eureka (equal peers replicating asynchronously, AP).
fn registry(zookeeper: bool) -> Scenario {
    let protocol = if zookeeper {
        ProtocolConfig::Zab(super::zab::config(5, 0))
    } else {
        ProtocolConfig::Eventual(EventualConfig::new(5))
    };
    Scenario {
        engine: ENGINE_VERSION,
        protocol,
        network: super::zab::network(),
        clients: 3,
        client_timeout_ticks: 1_000,
        workload: registry_workload(),
        random_workload: None,
        seed: 1,
        actions: Vec::new(),
    }
}

/// The second system a lesson runs beside its own, on the same timeline:
/// the Eureka-like registry beside the ZooKeeper-like one.
#[must_use]
pub fn twin(id: &str) -> Option<Scenario> {
    (id == "cap-registry")
        .then(|| script(registry(false), registry_steps()).expect("the built-in registry is valid"))
}

fn heal() -> Step {
    Step::Do(ActionKind::HealAll)
}

fn is_update(m: &crate::net::InFlight) -> bool {
    matches!(m.msg, crate::node::Msg::Eventual(crate::eventual::Msg::Update(_)))
}

/// Settings of the window lesson's sliders: network latency (the least
/// one-way delay; the most is three times that), load (how many clients
/// keep writing) and the number of replicas.
pub fn set_window_factors(s: &mut Scenario, latency: u32, clients: u32, replicas: u32) {
    s.network.latency_ticks_min = latency.max(1);
    s.network.latency_ticks_max = latency.max(1) * 3;
    s.clients = clients;
    if let ProtocolConfig::Eventual(c) = &mut s.protocol {
        c.replicas = replicas;
    }
}

/// Measure a setting of the window lesson over `until` ticks: the mean
/// window (closed by the write or a newer one reaching every live replica)
/// and the mean time for a write itself to reach them all. Under load the
/// second grows (replicas queue what they receive), while the first can
/// shrink: newer writes close older windows sooner.
#[must_use]
pub fn measure_window(
    latency: u32,
    clients: u32,
    replicas: u32,
    until: Tick,
) -> Option<(Tick, Tick)> {
    let s = lesson("ec-window", &|s| set_window_factors(s, latency, clients, replicas))?.ok()?;
    let mut sim = crate::sim::Sim::new(s).ok()?;
    sim.run_until(until);
    let ws = crate::eventual::window::windows(sim.trace(), replicas);
    Some((crate::eventual::window::summary(&ws).0, crate::eventual::window::mean_spread(&ws)))
}
