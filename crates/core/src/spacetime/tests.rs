use super::*;
use crate::lessons;
use crate::sim::Sim;

/// A lesson run with the network made unkind (loss and duplicates), to
/// `until`.
fn run(id: &str, seed: u64, until: Tick) -> Sim {
    let mut s = lessons::lesson(id).expect("lesson");
    s.seed = seed;
    s.network.loss_ppm = 50_000;
    s.network.duplicate_ppm = 80_000;
    let mut sim = Sim::new(s).expect("valid");
    sim.run_until(until);
    sim
}

/// Lamport's clock condition on an index: a message is received after it
/// was sent, and each lane's clock only grows. Returns the first breach.
fn clock_condition(st: &SpaceTime) -> Result<(), String> {
    for a in st.arrows() {
        if let End::Delivered { lamport, .. } = a.end {
            if lamport <= a.lamport {
                return Err(format!(
                    "message {} received at L{lamport} ≤ sent L{}",
                    a.msg, a.lamport
                ));
            }
        }
    }
    // Per lane, in trace order: sends, receives and marks.
    let mut events: Vec<(usize, u32, u64)> = Vec::new();
    for a in st.arrows() {
        if let Some(l) = st.lane_of(a.from) {
            events.push((a.entry, l, a.lamport));
        }
    }
    for m in st.marks() {
        if let Some(l) = m.lane.and_then(|a| st.lane_of(a)) {
            events.push((m.entry, l, m.lamport));
        }
    }
    events.sort_unstable();
    let mut last = vec![0u64; st.lanes() as usize];
    for (entry, l, lamport) in events {
        if lamport <= last[l as usize] {
            return Err(format!(
                "lane {l} went from L{} to L{lamport} at entry {entry}",
                last[l as usize]
            ));
        }
        last[l as usize] = lamport;
    }
    Ok(())
}

fn index(sim: &Sim) -> SpaceTime {
    let s = sim.scenario();
    let mut st = SpaceTime::new(s.protocol.nodes(), s.clients);
    st.extend(sim.trace());
    st
}

#[test]
fn lamport_clock_condition_holds_for_every_protocol() {
    for id in ["quorum-3-2-2", "waro", "paxos-duel", "zab-election", "ec-causal", "ec-window"] {
        for seed in 1..6 {
            let sim = run(id, seed, 20_000);
            let st = index(&sim);
            assert!(!st.arrows().is_empty(), "{id}: no messages");
            if let Err(e) = clock_condition(&st) {
                panic!("{id} seed {seed}: {e}");
            }
        }
    }
}

#[test]
fn the_condition_check_can_fail() {
    let sim = run("paxos-duel", 1, 5_000);
    let mut st = index(&sim);
    let i = st.arrows.iter().position(|a| matches!(a.end, End::Delivered { .. })).expect("one");
    if let End::Delivered { tick, .. } = st.arrows[i].end {
        st.arrows[i].end = End::Delivered { tick, lamport: st.arrows[i].lamport };
    }
    assert!(clock_condition(&st).is_err());
}

#[test]
fn indexing_in_slices_equals_indexing_at_once() {
    let mut s = lessons::lesson("zab-election").expect("lesson");
    s.network.duplicate_ppm = 50_000;
    let mut sim = Sim::new(s.clone()).expect("valid");
    let mut st = SpaceTime::new(s.protocol.nodes(), s.clients);
    for t in (0..12_000).step_by(500) {
        sim.run_until(t);
        st.follow(sim.trace());
    }
    let whole = index(&sim);
    assert_eq!(st.arrows(), whole.arrows());
    assert_eq!(st.marks(), whole.marks());
    // A seek backwards cuts the trace; following it rebuilds.
    sim.seek(3_000);
    st.follow(sim.trace());
    let back = index(&sim);
    assert_eq!(st.arrows(), back.arrows());
    assert_eq!(st.indexed(), sim.trace().len());
}

#[test]
fn window_queries_match_a_scan() {
    let sim = run("ec-window", 3, 30_000);
    let st = index(&sim);
    let now = sim.now();
    for (t0, t1) in [(0, 100), (1_000, 1_400), (5_000, 9_000), (29_000, 30_000), (0, now)] {
        let fast: Vec<u64> = st.arrows_in(t0, t1, now).map(|a| a.msg).collect();
        let mut fast_sorted = fast.clone();
        fast_sorted.sort_unstable();
        let slow: Vec<u64> = st
            .arrows()
            .iter()
            .filter(|a| a.sent <= t1 && a.end_tick(now) >= t0)
            .map(|a| a.msg)
            .collect();
        assert_eq!(fast_sorted, slow, "window {t0}..{t1}");
        let marks: Vec<_> = st.marks().iter().filter(|m| (t0..=t1).contains(&m.tick)).collect();
        assert_eq!(st.marks_in(t0, t1).len(), marks.len());
    }
}

#[test]
fn duplicates_are_marked_exactly() {
    for seed in 1..8 {
        let sim = run("quorum-3-2-2", seed, 2_000);
        let st = index(&sim);
        for m in sim.world().net().in_flight() {
            let a = st.arrow(m.id).expect("indexed");
            assert_eq!(a.duplicate, m.duplicate, "seed {seed} message {}", m.id);
        }
    }
    // Over a whole run the network made some copies, and they were seen.
    let sim = run("paxos-duel", 2, 20_000);
    assert!(index(&sim).arrows().iter().any(|a| a.duplicate));
}

#[test]
fn partitions_and_crashes_are_marked() {
    let sim = run("zab-partition", 1, 40_000);
    let st = index(&sim);
    assert!(st.marks().iter().any(|m| m.kind == MarkKind::Cut && m.lane.is_none()));
    let sim = run("zab-election", 1, 20_000);
    let st = index(&sim);
    assert!(st.marks().iter().any(|m| m.kind == MarkKind::Crash));
    assert!(st.marks().iter().any(|m| matches!(m.kind, MarkKind::Invoke(_))));
}

#[test]
fn vector_clocks_order_what_lamport_orders() {
    let sim = run("paxos-duel", 4, 6_000);
    let s = sim.scenario();
    let (nodes, clients) = (s.protocol.nodes(), s.clients);
    let st = index(&sim);
    let trace = sim.trace();
    let leq = |a: &[u64], b: &[u64]| a.iter().zip(b).all(|(x, y)| x <= y);
    let mut seen = 0;
    for a in st.arrows().iter().filter(|a| matches!(a.end, End::Delivered { .. })).take(40) {
        let recv = trace
            .iter()
            .enumerate()
            .position(|(_, e)| matches!(e.what, Happened::Delivered { msg, .. } if msg == a.msg))
            .expect("delivered");
        let (from, to) = (st.lane_of(a.from).unwrap() as usize, st.lane_of(a.to).unwrap() as usize);
        let at_send = vector_clocks(trace, nodes, clients, a.entry)[from].clone();
        let at_recv = vector_clocks(trace, nodes, clients, recv)[to].clone();
        // The send happened before the receive: its vector is below.
        assert!(leq(&at_send, &at_recv) && at_send != at_recv, "message {}", a.msg);
        // A lane's own component counts its own events, which its Lamport
        // clock (bumped by receives too) can only exceed.
        assert!(at_send[from] <= a.lamport, "message {}", a.msg);
        seen += 1;
    }
    assert!(seen > 10);
}

#[test]
fn spans_cover_downtime_and_cuts() {
    let sim = run("zab-election", 1, 20_000);
    let st = index(&sim);
    let crashes = st.marks().iter().filter(|m| m.kind == MarkKind::Crash).count();
    let downs = st.spans().iter().filter(|s| s.lane.is_some()).count();
    assert_eq!(crashes, downs);
    for s in st.spans().iter().filter(|s| s.lane.is_some() && s.end.is_none()) {
        let Some(Addr::Node(n)) = s.lane else { unreachable!() };
        assert!(!sim.world().nodes()[n as usize].up, "node {n} is up but its span is open");
    }
    let sim = run("zab-partition", 1, 40_000);
    let st = index(&sim);
    assert!(st.spans().iter().any(|s| s.lane.is_none()));
}
