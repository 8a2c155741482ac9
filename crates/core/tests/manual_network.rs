//! "You are the network": while the user is the network nothing moves on
//! its own — every message waits on the wire and every node timer on its
//! node — and a run made of the user's choices replays exactly.

use qcore::scenario::ActionKind;
use qcore::trace::Happened;
use qcore::{lessons, Addr, Sim};

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

/// The busiest link among the messages waiting for the user, with its ids.
fn busiest_link(sim: &Sim) -> Option<(Addr, Addr, Vec<u64>)> {
    let held = waiting(sim);
    let net = sim.world().net();
    let link = |id: &u64| net.message(*id).map(|m| (m.from, m.to)).expect("held");
    let count = |l: &(Addr, Addr)| held.iter().filter(|i| link(i) == *l).count();
    let (from, to) = held.iter().map(link).max_by_key(count)?;
    Some((from, to, held.into_iter().filter(|i| link(i) == (from, to)).collect()))
}

#[test]
fn a_message_dropped_by_hand_on_a_zab_connection_breaks_it_as_a_loss_would() {
    // Zab runs over TCP: a connection never loses one message and delivers
    // the next. Dropping one by hand is a reset, as a random loss is.
    let mut sim = Sim::new(lessons::lesson("zab-broadcast").expect("exists")).expect("valid");
    assert!(sim.scenario().network.fifo);
    // Settled, and the write (at 1 400) still to come.
    sim.run_until(1_300);
    sim.act(ActionKind::ManualNetwork(true)).expect("valid");
    // Hold what servers send Server2, deliver the rest, until two messages
    // wait on one connection.
    let to_server2 = |sim: &Sim, id: u64| {
        sim.world()
            .net()
            .message(id)
            .is_some_and(|m| m.to == Addr::Node(1) && matches!(m.from, Addr::Node(_)))
    };
    let mut hand = 0;
    let (from, to, ids) = loop {
        match busiest_link(&sim) {
            Some(busy) if busy.2.len() >= 2 => break busy,
            _ => {}
        }
        match waiting(&sim).into_iter().find(|&id| !to_server2(&sim, id)) {
            Some(id) => sim.act(ActionKind::DeliverMessage(id)).expect("valid"),
            // The clients' next writes come with time.
            None => sim.run_until(sim.now() + 200),
        }
        hand += 1;
        assert!(hand < 200, "two messages wait on one link");
    };
    assert_eq!(to, Addr::Node(1));
    sim.act(ActionKind::DropMessage(ids[0])).expect("valid");
    let net = sim.world().net();
    assert!(ids.iter().all(|id| net.message(*id).is_none()), "what was behind went with it");
    assert!(net.is_broken(from, to));
    let reasons: Vec<_> = sim
        .trace()
        .iter()
        .filter_map(|e| match &e.what {
            Happened::Dropped { msg, reason, .. } if ids.contains(msg) => Some(*reason),
            _ => None,
        })
        .collect();
    let mut expected = vec![qcore::trace::DropReason::ConnectionBroken; ids.len()];
    expected[0] = qcore::trace::DropReason::ByUser;
    assert_eq!(reasons, expected);
}

#[test]
fn a_message_dropped_by_hand_on_a_paxos_link_goes_alone() {
    // Paxos assumes nothing of the network's order: a lost message is one
    // message, and the ones behind it still arrive.
    let mut sim = Sim::new(lessons::lesson("paxos-happy").expect("exists")).expect("valid");
    assert!(!sim.scenario().network.fifo);
    sim.act(ActionKind::ManualNetwork(true)).expect("valid");
    sim.run_until(2_000);
    let request = waiting(&sim)[0];
    sim.act(ActionKind::DeliverMessage(request)).expect("valid");
    let prepare = waiting(&sim)[0];
    sim.act(ActionKind::DuplicateMessage(prepare)).expect("valid");
    let (from, to, ids) = busiest_link(&sim).expect("held");
    assert_eq!(ids.len(), 2, "a prepare and its copy");
    sim.act(ActionKind::DropMessage(ids[0])).expect("valid");
    let net = sim.world().net();
    assert!(net.message(ids[1]).is_some(), "the copy still travels");
    assert!(!net.is_broken(from, to));
}
