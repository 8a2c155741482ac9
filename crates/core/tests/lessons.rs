//! The built-in lessons show what their narration promises.

use qcore::check::register::{inversions, stale_reads};
use qcore::client::Outcome;
use qcore::lessons::{self, LESSONS};
use qcore::types::{ClientOp, FailReason};
use qcore::{ProtocolConfig, Scenario, Sim};

fn run(s: Scenario, until: u64) -> Sim {
    let mut sim = Sim::new(s).expect("valid");
    sim.run_until(until);
    sim
}

fn with_write_back(s: &mut Scenario) {
    if let ProtocolConfig::Quorum(q) = &mut s.protocol {
        q.write_back = true;
    }
}

#[test]
fn every_lesson_is_valid_and_runs() {
    for id in LESSONS {
        let s = lessons::lesson(id).expect("listed lessons exist");
        s.validate().expect("valid");
        // Zab lessons elect a leader first: their clients start later.
        let sim = run(s, 6_000);
        assert!(!sim.history().is_empty(), "{id} has client operations");
    }
}

/// Lecture 03: WARO — one replica down and writes fail; reads still succeed.
#[test]
fn waro_refuses_writes_with_one_replica_down_and_still_reads() {
    let sim = run(lessons::lesson("waro").expect("exists"), 3_000);
    let h = &sim.history();
    let w2 = h.iter().find(|r| r.op == ClientOp::Write(2)).expect("second write");
    assert!(matches!(
        w2.ret,
        Some((_, Outcome::Fail(FailReason::NotEnoughReplicas { got: 2, need: 3 })))
    ));
    assert!(w2.is_indeterminate(), "a failed write may have reached some replicas");
    let read_while_down =
        h.iter().find(|r| r.op == ClientOp::Read && r.invoke == 450).expect("read");
    assert!(matches!(read_while_down.ret, Some((_, Outcome::Ok { .. }))));
    let w3 = h.iter().find(|r| r.op == ClientOp::Write(3)).expect("third write");
    assert!(w3.ok().is_some(), "after the restart writes succeed again");
}

/// Lecture 03: Quorum alone is not strong consistency — a new/old inversion;
/// ABD write-back removes it.
#[test]
fn quorum_3_2_2_shows_an_inversion_without_write_back_and_none_with_it() {
    let s = lessons::lesson("quorum-3-2-2").expect("exists");
    let without = run(s.clone(), 3_000);
    let h = &without.history();
    assert!(stale_reads(h).is_empty(), "W + R > N: no read misses a completed write");
    assert_eq!(inversions(h).len(), 1, "{h:#?}");
    let with = run(
        lessons::lesson_with("quorum-3-2-2", with_write_back).expect("exists").expect("valid"),
        3_000,
    );
    let h = &with.history();
    assert!(inversions(h).is_empty(), "{h:#?}");
    assert_eq!(h.iter().filter(|r| r.op == ClientOp::Read && r.ok().is_some()).count(), 2);
}

/// Lecture 03's example: N = 10, W = 3 ⇒ read 8 replicas to see the write.
#[test]
fn ten_replicas_write_three_read_eight_finds_the_write() {
    let sim = run(lessons::lesson("quorum-10-3-8").expect("exists"), 3_000);
    let h = &sim.history();
    let w = h.iter().find(|r| r.op == ClientOp::Write(1)).expect("write");
    let read = h.iter().find(|r| r.op == ClientOp::Read).expect("read");
    let (_, _, ws) = w.ok().expect("the write reached W = 3 replicas");
    let (_, value, rs) = read.ok().expect("the read reached R = 8 replicas");
    assert_eq!((value, rs), (Some(1), ws));
    let marks = sim.world().highlights();
    let wset = &marks.write.as_ref().expect("write set").members;
    let rset = &marks.read.as_ref().expect("read set").members;
    assert_eq!(wset.len(), 3);
    assert_eq!(rset.len(), 8);
    assert!(wset.iter().any(|m| rset.contains(m)), "the quorums overlap");
}

#[test]
fn w_plus_r_at_most_n_lesson_shows_a_stale_read() {
    let sim = run(lessons::lesson("quorum-stale").expect("exists"), 3_000);
    assert!(!stale_reads(&sim.history()).is_empty(), "{:#?}", sim.history());
}

/// The linearizability checker agrees with the lessons: Quorum without
/// write-back is not linearizable; with ABD write-back it is.
#[test]
fn the_linearizability_checker_judges_the_quorum_lessons() {
    use qcore::check::linear::{check, Register};
    use qcore::check::register_ops;
    let lin = |s: Scenario| check(&Register, &register_ops(&run(s, 3_000).history()), 1_000_000);
    assert!(!lin(lessons::lesson("quorum-3-2-2").expect("exists")).is_linearizable());
    let with =
        lessons::lesson_with("quorum-3-2-2", with_write_back).expect("exists").expect("valid");
    assert!(lin(with).is_linearizable());
    assert!(!lin(lessons::lesson("quorum-stale").expect("exists")).is_linearizable());
    assert!(lin(lessons::lesson("waro").expect("exists")).is_linearizable());
}
