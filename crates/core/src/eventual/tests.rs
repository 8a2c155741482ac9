//! The store's rules, each on a small hand-driven run.

use super::*;
use crate::net::NetConfig;
use crate::scenario::{ActionKind, ProtocolConfig, Scenario, ScriptedOp};
use crate::sim::Sim;
use crate::ENGINE_VERSION;

fn scenario(cfg: EventualConfig, latency: u32, workload: Vec<ScriptedOp>) -> Scenario {
    Scenario {
        engine: ENGINE_VERSION,
        protocol: ProtocolConfig::Eventual(cfg),
        network: NetConfig {
            latency_ticks_min: latency,
            latency_ticks_max: latency,
            ..NetConfig::default()
        },
        clients: 3,
        client_timeout_ticks: 2_000,
        workload,
        random_workload: None,
        seed: 7,
        actions: Vec::new(),
    }
}

fn op(at: Tick, client: u32, node: u32, op: ClientOp) -> ScriptedOp {
    ScriptedOp { at, client, node, op }
}

fn replica(sim: &Sim, n: u32) -> &Replica {
    sim.world().eventual_replica(n).expect("an eventual store")
}

#[test]
fn an_available_replica_answers_at_once_and_the_write_spreads_later() {
    let cfg = EventualConfig { anti_entropy_ticks: 0, ..EventualConfig::new(3) };
    let mut sim = Sim::new(scenario(cfg, 50, vec![op(10, 0, 0, ClientOp::Write(5))])).unwrap();
    // The request reaches replica 0 at tick 60: it applies the write and
    // answers at once, while the other replicas have not seen it yet.
    sim.run_until(61);
    assert_eq!(replica(&sim, 0).get(0).0, Some(5));
    assert_eq!(replica(&sim, 1).get(0).0, None);
    sim.run_until(200);
    let h = crate::client::history_from_trace(sim.trace());
    assert!(h[0].ok().is_some());
    for n in 0..3 {
        assert_eq!(replica(&sim, n).get(0).0, Some(5), "replica {n}");
        assert_eq!(replica(&sim, n).version_vector(), &[1, 0, 0]);
    }
}

#[test]
fn concurrent_writes_converge_on_the_higher_stamp() {
    // Last writer wins by (Lamport clock, replica id): both writes get
    // clock 1, so replica 2's write wins everywhere.
    let cfg = EventualConfig::new(3);
    let w = vec![op(10, 0, 0, ClientOp::Write(1)), op(10, 1, 2, ClientOp::Write(2))];
    let mut sim = Sim::new(scenario(cfg, 30, w)).unwrap();
    sim.run_until(500);
    for n in 0..3 {
        assert_eq!(replica(&sim, n).get(0), (Some(2), Stamp { counter: 1, writer: 2 }));
    }
}

#[test]
fn anti_entropy_repairs_a_lost_update() {
    let cfg = EventualConfig { anti_entropy_ticks: 100, ..EventualConfig::new(3) };
    let mut sim = Sim::new(scenario(cfg, 20, vec![op(10, 0, 0, ClientOp::Write(9))])).unwrap();
    sim.run_until(35);
    let pushes: Vec<u64> = sim
        .world()
        .net()
        .in_flight()
        .filter(|m| matches!(m.msg, crate::node::Msg::Eventual(Msg::Update(_))))
        .map(|m| m.id)
        .collect();
    assert_eq!(pushes.len(), 2);
    for id in pushes {
        sim.act(ActionKind::DropMessage(id)).unwrap();
    }
    sim.run_until(1_000);
    for n in 0..3 {
        assert_eq!(replica(&sim, n).get(0).0, Some(9), "replica {n} repaired by gossip");
    }
}

#[test]
fn causal_delivery_holds_a_write_back_until_its_dependencies_arrive() {
    // Replica 0 writes the comment; replica 1 sees it and writes the reply.
    // Replica 2 gets the reply first (the comment's link is held).
    let cfg = EventualConfig {
        anti_entropy_ticks: 0,
        delivery: Delivery::Causal,
        ..EventualConfig::new(3)
    };
    let w = vec![op(10, 0, 0, ClientOp::WriteKey(2, 1)), op(100, 1, 1, ClientOp::WriteKey(3, 2))];
    let mut sim = Sim::new(scenario(cfg, 20, w)).unwrap();
    sim.run_until(12);
    let held = ActionKind::SetLink {
        from: Addr::Node(0),
        to: Addr::Node(2),
        state: crate::net::LinkState::Held,
    };
    sim.act(held).unwrap();
    sim.run_until(200);
    assert_eq!(replica(&sim, 2).get(3).0, None, "the reply waits for the comment");
    assert_eq!(replica(&sim, 2).pending().len(), 1);
    sim.act(ActionKind::HealAll).unwrap();
    sim.run_until(400);
    assert_eq!(replica(&sim, 2).get(2).0, Some(1));
    assert_eq!(replica(&sim, 2).get(3).0, Some(2));
    assert!(sim.world().violations().is_empty());
}

#[test]
fn the_causal_checker_catches_eventual_delivery_showing_the_reply_first() {
    // The same run with eventual delivery: replica 2 shows the reply without
    // the comment. The invariant, switched on, must say so.
    let cfg = EventualConfig { anti_entropy_ticks: 0, ..EventualConfig::new(3) };
    let w = vec![op(10, 0, 0, ClientOp::WriteKey(2, 1)), op(100, 1, 1, ClientOp::WriteKey(3, 2))];
    let mut sim = Sim::new(scenario(cfg, 20, w)).unwrap();
    sim.run_until(12);
    let held = ActionKind::SetLink {
        from: Addr::Node(0),
        to: Addr::Node(2),
        state: crate::net::LinkState::Held,
    };
    sim.act(held).unwrap();
    sim.run_until(400);
    assert_eq!(replica(&sim, 2).get(3).0, Some(2));
    assert_eq!(replica(&sim, 2).get(2).0, None, "the anomaly happens");
    let mut checks = invariants::Invariants::new(3, true);
    let broken: Vec<_> = sim
        .trace()
        .iter()
        .filter_map(|e| match &e.what {
            crate::trace::Happened::Note { node, note } => Some(checks.observe(*node, note)),
            _ => None,
        })
        .flatten()
        .collect();
    assert_eq!(broken.len(), 1);
    assert_eq!(broken[0].rule, crate::safety::Rule::CausalGap);
    assert_eq!(broken[0].nodes, vec![2, 1]);
}

#[test]
fn a_session_token_read_waits_for_the_clients_own_write() {
    // Client 0 writes at replica 0, then reads at replica 1, which cannot
    // get the write yet. With a token, replica 1 pulls and waits (up to its
    // timeout) instead of answering with an older version.
    let cfg =
        EventualConfig { anti_entropy_ticks: 0, session: Session::Token, ..EventualConfig::new(3) };
    let w = vec![op(10, 0, 0, ClientOp::Write(4)), op(60, 0, 1, ClientOp::Read)];
    let cfg = EventualConfig { op_timeout_ticks: 1_000, ..cfg };
    let mut sim = Sim::new(scenario(cfg, 10, w)).unwrap();
    sim.run_until(11);
    // Replica 0 can send to nobody (replica 2 would pass the write on).
    for to in [1, 2] {
        let held = ActionKind::SetLink {
            from: Addr::Node(0),
            to: Addr::Node(to),
            state: crate::net::LinkState::Held,
        };
        sim.act(held).unwrap();
    }
    sim.run_until(300);
    let h = crate::client::history_from_trace(sim.trace());
    assert!(h[1].ret.is_none(), "the read waits while replica 1 cannot get the write");
    sim.act(ActionKind::HealAll).unwrap();
    sim.run_until(600);
    let h = crate::client::history_from_trace(sim.trace());
    assert_eq!(h[1].ok().map(|(_, v, _)| v), Some(Some(4)));
}

#[test]
fn sticky_sessions_send_a_client_to_its_home_replica() {
    let cfg = EventualConfig {
        anti_entropy_ticks: 0,
        replicate: false,
        session: Session::Sticky,
        ..EventualConfig::new(3)
    };
    // Client 0's home is replica 0: its read at replica 1 is forwarded there.
    let w = vec![op(10, 0, 0, ClientOp::Write(4)), op(60, 0, 1, ClientOp::Read)];
    let mut sim = Sim::new(scenario(cfg, 10, w)).unwrap();
    sim.run_until(300);
    let h = crate::client::history_from_trace(sim.trace());
    assert_eq!(h[1].ok().map(|(_, v, _)| v), Some(Some(4)));
    assert_eq!(replica(&sim, 1).get(0).0, None, "replica 1 never had it");
}

#[test]
fn a_restarted_replica_keeps_what_it_applied() {
    let cfg = EventualConfig::new(2);
    let mut sim = Sim::new(scenario(cfg, 10, vec![op(10, 0, 0, ClientOp::Write(3))])).unwrap();
    sim.run_until(100);
    sim.act(ActionKind::Crash(1)).unwrap();
    sim.run_until(150);
    sim.act(ActionKind::Restart(1)).unwrap();
    assert_eq!(replica(&sim, 1).get(0).0, Some(3));
    assert_eq!(replica(&sim, 1).version_vector(), &[1, 0]);
}
