//! Engine rules: ordering, determinism, crashes, the network, time travel.

use qcore::client::Outcome;
use qcore::lessons;
use qcore::net::LinkState;
use qcore::scenario::{ActionKind, RandomWorkload};
use qcore::trace::{DropReason, Happened};
use qcore::types::{Addr, ClientOp};
use qcore::{Scenario, Sim};

fn busy(seed: u64) -> Scenario {
    let mut s = lessons::lesson("quorum-custom").expect("lesson exists");
    s.seed = seed;
    s.random_workload = Some(RandomWorkload {
        gap_ticks_min: 5,
        gap_ticks_max: 80,
        write_ppm: 500_000,
        until: 50_000,
    });
    s
}

fn run(s: Scenario, until: u64) -> Sim {
    let mut sim = Sim::new(s).expect("valid");
    sim.run_until(until);
    sim
}

#[test]
fn events_run_in_tick_then_schedule_order() {
    let sim = run(busy(3), 5_000);
    let ticks: Vec<u64> = sim.trace().iter().map(|e| e.tick).collect();
    assert!(ticks.windows(2).all(|w| w[0] <= w[1]), "trace ticks never decrease");
    let events: Vec<u64> = sim.trace().iter().map(|e| e.event).collect();
    assert!(events.windows(2).all(|w| w[0] <= w[1]), "event numbers never decrease");
    assert!(sim.world().events() > 100);
}

#[test]
fn same_seed_same_trace_hash_different_seed_different_hash() {
    let a = run(busy(42), 20_000).trace_hash();
    let b = run(busy(42), 20_000).trace_hash();
    let c = run(busy(43), 20_000).trace_hash();
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[test]
fn crash_loses_volatile_state_and_keeps_what_was_persisted() {
    let mut sim = Sim::new(busy(5)).expect("valid");
    // Run until node 1 stored something and coordinates nothing in particular.
    sim.run_until(10_000);
    let before = sim.world().quorum_replica(1).expect("replica").clone();
    assert!(before.value().is_some(), "the workload wrote something by now");
    sim.act(ActionKind::Crash(1)).expect("valid");
    let down = &sim.world().nodes()[1];
    assert!(!down.up);
    assert_eq!(down.state_summary_value(), None, "volatile copy wiped while down");
    sim.act(ActionKind::Restart(1)).expect("valid");
    let after = sim.world().quorum_replica(1).expect("replica");
    assert_eq!(after.value(), before.value(), "persisted value survives");
    assert_eq!(after.stamp(), before.stamp());
    assert_eq!(after.coordinating(), 0, "in-progress requests are volatile");
}

trait Summary {
    fn state_summary_value(&self) -> Option<u64>;
}
impl Summary for qcore::world::NodeSlot {
    fn state_summary_value(&self) -> Option<u64> {
        match &self.state {
            qcore::node::NodeState::Quorum(r) => r.value(),
            _ => None,
        }
    }
}

#[test]
fn one_way_partition_drops_one_direction_only() {
    let mut sim = Sim::new(busy(9)).expect("valid");
    sim.run_until(100);
    let cut = ActionKind::SetLink {
        from: Addr::Node(0),
        to: Addr::Node(1),
        state: LinkState::Partitioned,
    };
    sim.act(cut).expect("valid");
    let start = sim.trace().len();
    sim.run_until(20_000);
    let mut cut_drops = 0;
    let mut reverse_deliveries = 0;
    for e in &sim.trace()[start..] {
        match e.what {
            Happened::Delivered { from: Addr::Node(0), to: Addr::Node(1), .. } => {
                panic!("a message crossed the cut direction")
            }
            Happened::Dropped { from: Addr::Node(0), to: Addr::Node(1), reason, .. } => {
                assert_eq!(reason, DropReason::LinkCut);
                cut_drops += 1;
            }
            Happened::Delivered { from: Addr::Node(1), to: Addr::Node(0), .. } => {
                reverse_deliveries += 1;
            }
            _ => {}
        }
    }
    assert!(cut_drops > 0 && reverse_deliveries > 0);
}

#[test]
fn cutting_a_link_drops_what_is_in_flight_on_it() {
    let mut sim = Sim::new(busy(11)).expect("valid");
    // Find a moment with a message in flight between two nodes.
    let mut t = 0;
    let (from, to, id) = loop {
        t += 1;
        sim.run_until(t);
        let found = sim
            .world()
            .net()
            .in_flight()
            .find(|m| matches!((m.from, m.to), (Addr::Node(_), Addr::Node(_))))
            .map(|m| (m.from, m.to, m.id));
        if let Some(f) = found {
            break f;
        }
    };
    sim.act(ActionKind::SetLink { from, to, state: LinkState::Partitioned }).expect("valid");
    assert!(sim.world().net().message(id).is_none(), "gone from the wire");
    assert!(sim.trace().iter().any(|e| matches!(
        e.what,
        Happened::Dropped { msg, reason: DropReason::LinkCut, .. } if msg == id
    )));
}

#[test]
fn dropping_an_in_flight_message_removes_it_and_it_never_arrives() {
    let mut sim = Sim::new(busy(13)).expect("valid");
    sim.run_until(200);
    let id = sim.world().net().in_flight().next().expect("something flies").id;
    sim.act(ActionKind::DropMessage(id)).expect("valid");
    sim.run_until(5_000);
    assert!(!sim
        .trace()
        .iter()
        .any(|e| matches!(e.what, Happened::Delivered { msg, .. } if msg == id)));
}

#[test]
fn held_link_delays_until_released() {
    let mut sim = Sim::new(busy(17)).expect("valid");
    let hold =
        ActionKind::SetLink { from: Addr::Node(2), to: Addr::Node(3), state: LinkState::Held };
    sim.act(hold).expect("valid");
    sim.run_until(3_000);
    let held: Vec<u64> = sim
        .world()
        .net()
        .in_flight()
        .filter(|m| m.from == Addr::Node(2) && m.to == Addr::Node(3))
        .map(|m| m.id)
        .collect();
    assert!(!held.is_empty(), "messages wait on the held link");
    assert!(sim
        .world()
        .net()
        .in_flight()
        .all(|m| m.from != Addr::Node(2) || m.to != Addr::Node(3) || m.deliver.is_none()));
    let release =
        ActionKind::SetLink { from: Addr::Node(2), to: Addr::Node(3), state: LinkState::Healthy };
    sim.act(release).expect("valid");
    sim.run_until(3_200);
    for id in held {
        assert!(sim.world().net().message(id).is_none(), "released message {id} arrived");
    }
}

#[test]
fn seek_reaches_exactly_the_state_of_a_straight_run_both_ways() {
    let mut s = busy(21);
    // A timeline with faults, so replay crosses actions.
    let mut rec = Sim::new(s.clone()).expect("valid");
    rec.run_until(3_000);
    rec.act(ActionKind::Crash(2)).expect("valid");
    rec.run_until(6_000);
    rec.act(ActionKind::Partition { side: vec![0, 1] }).expect("valid");
    rec.run_until(9_000);
    rec.act(ActionKind::HealAll).expect("valid");
    rec.act(ActionKind::Restart(2)).expect("valid");
    s = rec.scenario().clone();

    let mut sim = Sim::new(s.clone()).expect("valid");
    sim.run_until(15_000);
    for &t in &[12_345u64, 4_000, 3_000, 0, 8_999, 14_000, 2_999, 15_000] {
        sim.seek(t);
        let straight = run(s.clone(), t);
        assert_eq!(sim.world(), straight.world(), "world at tick {t}");
        assert_eq!(sim.trace(), straight.trace(), "trace at tick {t}");
        assert_eq!(sim.trace_hash(), straight.trace_hash());
    }
}

#[test]
fn recorded_actions_replay_to_the_same_hash() {
    let mut rec = Sim::new(busy(23)).expect("valid");
    rec.run_until(1_000);
    rec.act(ActionKind::Crash(0)).expect("valid");
    rec.act(ActionKind::ClientOp { client: 1, node: 2, op: ClientOp::Write(99) }).expect("valid");
    rec.run_until(4_000);
    let replay = run(rec.scenario().clone(), 4_000);
    assert_eq!(rec.trace_hash(), replay.trace_hash());
}

#[test]
fn branching_from_the_past_discards_the_old_future() {
    let mut sim = Sim::new(busy(29)).expect("valid");
    sim.run_until(2_000);
    sim.act(ActionKind::Crash(1)).expect("valid");
    sim.run_until(4_000);
    sim.seek(1_000);
    sim.act(ActionKind::Crash(3)).expect("valid");
    assert_eq!(sim.actions().len(), 1, "the later crash of node 1 is gone");
    sim.run_until(4_000);
    assert!(sim.world().nodes()[1].up);
    assert!(!sim.world().nodes()[3].up);
    let replay = run(sim.scenario().clone(), 4_000);
    assert_eq!(sim.trace_hash(), replay.trace_hash());
}

#[test]
fn a_long_replay_runs_in_slices() {
    let mut s = busy(31);
    s.random_workload.as_mut().expect("set").until = 10_000_000;
    let mut sim = Sim::new(s).expect("valid");
    let mut slices = 0;
    while !sim.run_until_budget(200_000, 2_000) {
        slices += 1;
        assert!(slices < 1_000, "progress is made every slice");
    }
    assert!(slices > 1, "a long run is sliced");
    assert_eq!(sim.now(), 200_000);
}

#[test]
fn client_operations_record_invoke_and_return() {
    let sim = run(busy(37), 10_000);
    let h = &sim.history();
    assert!(h.len() > 20);
    for r in h {
        if let Some((t, _)) = r.ret {
            assert!(t >= r.invoke);
        }
    }
    assert!(h.iter().any(|r| matches!(r.ret, Some((_, Outcome::Ok { .. })))));
}

/// A long run with a small trace cap: memory stays bounded, and nothing a
/// user sees changes — the hash, the client history (so every checker's
/// verdict), and the state reached by seeking anywhere still kept.
#[test]
fn a_capped_trace_forgets_its_front_and_nothing_else() {
    let s = qcore::lessons::lesson("zab-custom").expect("lesson");
    let mut full = Sim::new(s.clone()).expect("valid");
    let mut capped = Sim::new(s).expect("valid");
    capped.set_trace_cap(20_000);
    let mut longest = 0;
    for t in (0..=3_000_000).step_by(250_000) {
        full.run_until(t);
        capped.run_until(t);
        longest = longest.max(capped.recorded().len());
        assert_eq!(capped.trace_hash(), full.trace_hash(), "tick {t}");
    }
    assert!(longest <= 20_000 + 2 * 1024 * 4, "the cap holds: {longest}");
    assert!(capped.forgotten_until() > 0, "something was forgotten");
    assert!(full.recorded().len() > 5 * 20_000, "the uncapped run is much longer");
    assert_eq!(capped.history(), full.history(), "the client history is whole");
    // Seeking back within what is kept reaches the same state as a straight run.
    let first = capped.forgotten_until();
    for t in [first, first + 7_777, (first + 3_000_000) / 2, 2_999_999] {
        capped.seek(t);
        full.seek(t);
        assert_eq!(capped.trace_hash(), full.trace_hash(), "seek to {t}");
        assert_eq!(capped.world().events(), full.world().events());
        if t > first {
            assert_eq!(capped.trace().last(), full.trace().last());
        }
    }
    // Before it, seeking stops at the oldest moment kept.
    capped.seek(0);
    assert_eq!(capped.now(), first);
    // Stepping one event at a time across the moments the front is let go
    // gives every new entry, as a straight run does.
    let mut stepped =
        Sim::new(qcore::lessons::lesson("zab-custom").expect("lesson")).expect("valid");
    stepped.set_trace_cap(5_000);
    let mut straight =
        Sim::new(qcore::lessons::lesson("zab-custom").expect("lesson")).expect("valid");
    let mut seen = 0;
    while stepped.world().events() < 40_000 {
        seen += stepped.step().len();
    }
    straight.run_until(stepped.now());
    assert!(stepped.forgotten_until() > 0);
    assert_eq!(stepped.trace_hash(), straight.trace_hash());
    assert!(seen >= straight.trace().len() - 64, "{seen} entries stepped");
    // A user action after all this still works, and replays.
    capped.seek(first + 100_000);
    capped.act(qcore::ActionKind::Crash(0)).expect("valid");
    capped.run_until(2_900_000);
    let mut again = Sim::new(capped.scenario().clone()).expect("valid");
    again.run_until(2_900_000);
    assert_eq!(again.trace_hash(), capped.trace_hash());
}
