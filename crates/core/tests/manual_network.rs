//! "You are the network": while the user is the network nothing moves on
//! its own — every message waits on the wire and every node timer on its
//! node — and a run made of the user's choices replays exactly.

use qcore::scenario::ActionKind;
use qcore::trace::Happened;
use qcore::{lessons, Sim};

/// The ids of the messages waiting for the user, oldest first.
fn waiting(sim: &Sim) -> Vec<u64> {
    sim.world().net().in_flight().filter(|m| m.deliver.is_none()).map(|m| m.id).collect()
}

fn timers_fired(sim: &Sim) -> usize {
    sim.trace().iter().filter(|e| matches!(e.what, Happened::Timer { .. })).count()
}

#[test]
fn a_paxos_run_delivered_by_hand_chooses_its_value_and_replays_to_the_same_hash() {
    let mut sim = Sim::new(lessons::lesson("paxos-happy").expect("exists")).expect("valid");
    sim.act(ActionKind::ManualNetwork(true)).expect("valid");
    sim.run_until(2_000);
    // Both clients' requests wait on the wire.
    assert_eq!(waiting(&sim).len(), 2);
    let fired = timers_fired(&sim);
    let mut hand = 0;
    while let Some(&id) = waiting(&sim).first() {
        sim.act(ActionKind::DeliverMessage(id)).expect("valid");
        hand += 1;
        assert!(hand < 100, "the run settles");
    }
    assert!(hand >= 8, "request, 3 prepares, 3 promises, accepts… delivered by hand: {hand}");
    assert_eq!(sim.world().paxos_checks().and_then(|c| c.chosen_value()), Some(5));
    assert!(sim.world().violations().is_empty());
    assert_eq!(timers_fired(&sim), fired, "no timer fired on its own");
    // Shared as a scenario, the same choices give the same trace.
    let mut again = Sim::new(sim.scenario().clone()).expect("valid");
    again.run_until(sim.now());
    assert_eq!(again.trace_hash(), sim.trace_hash());
}

#[test]
fn timers_wait_until_fired_by_hand_and_the_clock_takes_over_when_the_user_lets_go() {
    let mut sim = Sim::new(lessons::lesson("paxos-duel").expect("exists")).expect("valid");
    sim.run_until(60);
    sim.act(ActionKind::ManualNetwork(true)).expect("valid");
    let fired = timers_fired(&sim);
    sim.run_until(5_000);
    assert_eq!(timers_fired(&sim), fired, "nothing fires while the user is the network");
    let held = waiting(&sim);
    assert!(!held.is_empty());
    // Letting go: what waited is delivered by the clock again.
    sim.act(ActionKind::ManualNetwork(false)).expect("valid");
    sim.run_until(5_400);
    assert!(held.iter().all(|id| sim.world().net().message(*id).is_none()));
    assert!(timers_fired(&sim) > fired, "the armed timers run again");
}

#[test]
fn a_timer_fired_by_hand_runs_its_handler() {
    let mut sim = Sim::new(lessons::lesson("zab-broadcast").expect("exists")).expect("valid");
    sim.act(ActionKind::ManualNetwork(true)).expect("valid");
    sim.run_until(3_000);
    let armed: Vec<(u32, u64)> = (0..5)
        .flat_map(|n| sim.world().nodes()[n as usize].timers().map(move |(k, _)| (n, k)))
        .collect();
    assert!(!armed.is_empty(), "the servers' election timers wait");
    let before = timers_fired(&sim);
    let (node, key) = armed[0];
    sim.act(ActionKind::FireTimer { node, key }).expect("valid");
    assert_eq!(timers_fired(&sim), before + 1);
}
