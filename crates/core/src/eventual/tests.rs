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

/// Hold every message from replica `from` to replica `to` until healed.
fn hold(sim: &mut Sim, from: u32, to: u32) {
    let state = crate::net::LinkState::Held;
    let held = ActionKind::SetLink { from: Addr::Node(from), to: Addr::Node(to), state };
    sim.act(held).unwrap();
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
    hold(&mut sim, 0, 2);
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
    hold(&mut sim, 0, 2);
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
        hold(&mut sim, 0, to);
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

#[test]
fn message_labels_name_the_write_the_vector_and_the_request() {
    let stamp = Stamp { counter: 3, writer: 1 };
    let w = Write { origin: 1, seq: 2, key: 2, value: 7, stamp, deps: vec![1, 1, 0] };
    let put = ClientOp::WriteKey(3, 9);
    let get = ClientOp::ReadKey(1);
    let labels = [
        (Msg::Update(w.clone()), "comment=7 v3.1"),
        (Msg::Digest { vv: vec![2, 0, 1] }, "vv [2,0,1]"),
        (Msg::Missing { writes: vec![w.clone(), w], vv: None }, "+2 writes"),
        (Msg::Forward { client: 0, op_id: 1, op: put }, "→home put reply=9"),
        (Msg::Forward { client: 0, op_id: 1, op: get }, "→home get photo"),
        (Msg::TokenRequest { op_id: 1, op: put, token: stamp }, "put reply=9 ≥v3.1"),
        (Msg::TokenRequest { op_id: 1, op: get, token: stamp }, "get photo ≥v3.1"),
    ];
    for (msg, label) in labels {
        assert_eq!(msg.label(), label);
    }
    assert_eq!(show_vv(&[]), "[]");
}

#[test]
fn a_bounded_service_queue_refuses_the_excess_at_once() {
    let cfg = EventualConfig { service_ticks: 100, queue_limit: 2, ..EventualConfig::new(3) };
    let w = (0..3).map(|c| op(10, c, 0, ClientOp::Write(u64::from(c) + 1))).collect();
    let mut sim = Sim::new(scenario(cfg, 10, w)).unwrap();
    sim.run_until(21);
    assert_eq!(replica(&sim, 0).queued(), 2, "two wait for service");
    sim.run_until(31);
    let h = crate::client::history_from_trace(sim.trace());
    let overloaded = crate::client::Outcome::Fail(FailReason::Overloaded);
    let refused: Vec<_> =
        h.iter().filter(|o| o.ret.as_ref().is_some_and(|r| r.1 == overloaded)).collect();
    assert_eq!(refused.len(), 1, "the third is refused at once: {h:?}");
    sim.run_until(121);
    assert_eq!(replica(&sim, 0).queued(), 1, "one served after its service time");
}

#[test]
fn replicas_gossip_only_when_they_have_a_peer_and_a_period() {
    let gossip = |cfg: EventualConfig| {
        let sim = Sim::new(scenario(cfg, 10, Vec::new())).unwrap();
        let armed = sim.world().nodes()[0].timers().any(|(k, _)| k == ANTI_ENTROPY_TIMER);
        armed
    };
    assert!(gossip(EventualConfig::new(2)));
    assert!(!gossip(EventualConfig::new(1)), "a lone replica has nobody to gossip with");
    assert!(!gossip(EventualConfig { anti_entropy_ticks: 0, ..EventualConfig::new(2) }));
}

#[test]
fn a_write_held_past_a_gap_is_applied_once() {
    // Replica 2 misses origin 0's first write and gets its second twice (the
    // network duplicates it): it holds write 2 past a gap when the copy
    // arrives, and must not apply (or log) it again; nor when gossip later
    // brings both.
    let cfg = EventualConfig { anti_entropy_ticks: 100, apply_ticks: 1, ..EventualConfig::new(3) };
    let w = vec![op(10, 0, 0, ClientOp::Write(1)), op(20, 1, 0, ClientOp::Write(2))];
    let mut sim = Sim::new(scenario(cfg, 20, w)).unwrap();
    let update_to_2 = |sim: &Sim, seq: u64| -> u64 {
        let ids: Vec<u64> = sim
            .world()
            .net()
            .in_flight()
            .filter(|m| m.to == Addr::Node(2))
            .filter(
                |m| matches!(&m.msg, crate::node::Msg::Eventual(Msg::Update(w)) if w.seq == seq),
            )
            .map(|m| m.id)
            .collect();
        assert_eq!(ids.len(), 1, "write {seq} on its way to replica 2");
        ids[0]
    };
    sim.run_until(31);
    sim.act(ActionKind::DropMessage(update_to_2(&sim, 1))).unwrap();
    // Write 2's push left at tick 40 and arrives at 60; the copy at 65.
    sim.run_until(45);
    sim.act(ActionKind::DuplicateMessage(update_to_2(&sim, 2))).unwrap();
    sim.run_until(1_000);
    let mut applied: Vec<(u32, u64)> = sim
        .trace()
        .iter()
        .filter_map(|e| match &e.what {
            crate::trace::Happened::Note {
                node: 2,
                note: crate::node::Note::Eventual(Note::Applied { origin, seq, .. }),
            } => Some((*origin, *seq)),
            _ => None,
        })
        .collect();
    applied.sort_unstable();
    assert_eq!(applied, vec![(0, 1), (0, 2)], "each write applied once at replica 2");
    assert_eq!(replica(&sim, 2).version_vector(), &[2, 0, 0]);
}

#[test]
fn a_held_back_write_is_held_once_and_nothing_is_persisted_until_it_applies() {
    // The comment/reply run with causal delivery; the reply reaches replica
    // 2 twice (the network duplicates it) while the comment is held.
    let cfg = EventualConfig {
        anti_entropy_ticks: 0,
        apply_ticks: 1,
        delivery: Delivery::Causal,
        ..EventualConfig::new(3)
    };
    let w = vec![op(10, 0, 0, ClientOp::WriteKey(2, 1)), op(100, 1, 1, ClientOp::WriteKey(3, 2))];
    let mut sim = Sim::new(scenario(cfg, 20, w)).unwrap();
    sim.run_until(12);
    hold(&mut sim, 0, 2);
    sim.run_until(125);
    let reply: Vec<u64> = sim
        .world()
        .net()
        .in_flight()
        .filter(|m| m.from == Addr::Node(1) && m.to == Addr::Node(2))
        .map(|m| m.id)
        .collect();
    assert_eq!(reply.len(), 1, "the reply on its way to replica 2");
    sim.act(ActionKind::DuplicateMessage(reply[0])).unwrap();
    sim.run_until(300);
    assert_eq!(replica(&sim, 2).pending().len(), 1, "the second copy is not held again");
    let persisted_at_2 = |sim: &Sim| {
        sim.trace()
            .iter()
            .filter(|e| matches!(e.what, crate::trace::Happened::Persisted { node: 2 }))
            .count()
    };
    assert_eq!(persisted_at_2(&sim), 0, "nothing applied, nothing written");
    sim.act(ActionKind::HealAll).unwrap();
    sim.run_until(600);
    assert!(replica(&sim, 2).pending().is_empty());
    assert!(persisted_at_2(&sim) > 0);
    let held_back: Vec<(u32, u64)> = sim
        .trace()
        .iter()
        .filter_map(|e| match &e.what {
            crate::trace::Happened::Note {
                node: 2,
                note: crate::node::Note::Eventual(Note::HeldBack { origin, seq }),
            } => Some((*origin, *seq)),
            _ => None,
        })
        .collect();
    assert_eq!(held_back, vec![(1, 1)], "only the reply, once, was held back");
}

#[test]
fn a_session_token_read_that_cannot_get_its_version_is_refused_at_its_timeout() {
    // As above, but the links stay held: replica 1 refuses the read once it
    // has waited `op_timeout_ticks`, before the client itself gives up.
    let cfg = EventualConfig {
        anti_entropy_ticks: 0,
        session: Session::Token,
        op_timeout_ticks: 500,
        ..EventualConfig::new(3)
    };
    let w = vec![op(10, 0, 0, ClientOp::Write(4)), op(60, 0, 1, ClientOp::Read)];
    let mut sim = Sim::new(scenario(cfg, 10, w)).unwrap();
    sim.run_until(11);
    for to in [1, 2] {
        hold(&mut sim, 0, to);
    }
    sim.run_until(1_000);
    let h = crate::client::history_from_trace(sim.trace());
    let unavailable = crate::client::Outcome::Fail(FailReason::Unavailable);
    // The read reaches replica 1 at tick 70 and is refused at 570; the
    // answer reaches the client 10 ticks later.
    assert_eq!(h[1].ret, Some((580, unavailable)), "{h:?}");
}

#[test]
fn the_causal_invariant_ignores_notes_of_replicas_it_does_not_know() {
    let applied = |origin: u32, seq: u64, deps: Vec<u64>| {
        crate::node::Note::Eventual(Note::Applied {
            origin,
            seq,
            key: 0,
            stamp: Stamp { counter: seq, writer: origin },
            deps,
        })
    };
    let mut checks = invariants::Invariants::new(2, true);
    assert!(checks.observe(5, &applied(0, 1, vec![1, 1])).is_empty());
    assert!(checks.observe(0, &applied(5, 1, vec![1, 1])).is_empty());
    assert!(checks.observe(0, &applied(0, 1, vec![0, 0])).is_empty());
    // Replica 1's write 1 was written after three of replica 0's; replica 0
    // holds one of them.
    let broken = checks.observe(0, &applied(1, 1, vec![3, 0]));
    assert_eq!(broken.len(), 1, "a known replica is judged");
    assert_eq!(broken[0].values, (1, 2), "write 1, two of replica 0's writes missing");
}
