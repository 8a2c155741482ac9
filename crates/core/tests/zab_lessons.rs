//! The Zab lessons tell the stories their narration tells (lecture 04).

use qcore::client::Outcome;
use qcore::lessons::{lesson, lesson_with};
use qcore::safety::Rule;
use qcore::trace::Happened;
use qcore::zab::{self, Note, ServerState, SyncKind, Variant};
use qcore::{ProtocolConfig, Sim};

fn run(id: &str, until: u64) -> Sim {
    let mut sim = Sim::new(lesson(id).expect("lesson exists")).expect("valid");
    sim.run_until(until);
    assert!(sim.world().violations().is_empty(), "{id}: {:?}", sim.world().violations());
    sim
}

fn with_variant(id: &str, variant: Variant, until: u64) -> Sim {
    let s = lesson_with(id, |s| {
        if let ProtocolConfig::Zab(z) = &mut s.protocol {
            z.variant = variant;
        }
    });
    let mut sim = Sim::new(s.expect("exists").expect("valid")).expect("valid");
    sim.run_until(until);
    sim
}

fn notes(sim: &Sim) -> Vec<(u32, Note)> {
    sim.trace()
        .iter()
        .filter_map(|e| match &e.what {
            Happened::Note { node, note: qcore::Note::Zab(n) } => Some((*node, n.clone())),
            _ => None,
        })
        .collect()
}

fn server(sim: &Sim, i: u32) -> &zab::Server {
    sim.world().zab_server(i).expect("a Zab server")
}

fn outcome(sim: &Sim, op: u64) -> Option<Outcome> {
    sim.history().iter().find(|r| r.id == op).and_then(|r| r.ret.map(|(_, o)| o))
}

#[test]
fn broadcast_commits_one_write_on_every_server_with_zxid_1_1() {
    let sim = run("zab-broadcast", 2_600);
    assert_eq!(server(&sim, 4).state, ServerState::Leading, "Server5, the largest myid");
    for i in 0..5 {
        assert_eq!((server(&sim, i).committed, server(&sim, i).value), (zab::zxid(1, 1), Some(7)));
    }
    assert!(matches!(outcome(&sim, 0), Some(Outcome::Ok { value: Some(7), .. })));
    let quorum = notes(&sim).into_iter().find_map(|(_, n)| match n {
        Note::AckQuorum { members, .. } => Some(members),
        _ => None,
    });
    assert_eq!(quorum.map(|m| m.len()), Some(3), "a majority of five ACKs, the leader included");
}

#[test]
fn a_follower_that_comes_back_is_synced_with_a_diff() {
    let sim = run("zab-follower-recovers", 4_500);
    let diff = notes(&sim)
        .into_iter()
        .any(|(_, n)| matches!(n, Note::Synced { learner: 1, kind: SyncKind::Diff, txns: 2 }));
    assert!(diff, "Server2 gets the two transactions it missed");
    assert!(matches!(outcome(&sim, 2), Some(Outcome::Ok { value: Some(2), .. })));
}

#[test]
fn the_lectures_election_server3_with_the_largest_zxid_wins() {
    let sim = run("zab-election", 6_000);
    assert_eq!(server(&sim, 2).state, ServerState::Leading);
    let established: Vec<(u32, u32)> = notes(&sim)
        .into_iter()
        .filter_map(|(node, n)| match n {
            Note::Established { epoch, .. } => Some((node, epoch)),
            _ => None,
        })
        .collect();
    assert_eq!(established.last(), Some(&(2, 3)), "Server3 leads epoch 3");
    for i in [0, 3, 4] {
        assert_eq!(server(&sim, i).committed, zab::zxid(2, 2), "the committed 2:2 survives");
    }
}

/// The broken election votes for a server that lacks the committed 2:2, and
/// the checker flags each such vote; but its fresher followers refuse it, so
/// it never leads: the cluster loops in elections (a liveness bug), and no
/// client-visible promise breaks.
#[test]
fn an_election_that_skips_zxids_loops_refused_and_loses_nothing() {
    let sim = with_variant("zab-election", Variant::ElectionIgnoresZxid, 20_000);
    assert_eq!(sim.world().violations().first().map(|(_, v)| v.rule), Some(Rule::ZabElectedStale));
    let all = notes(&sim);
    let refused = all
        .iter()
        .filter(|(_, n)| matches!(n, Note::Looking { why: zab::LookingWhy::Refused, .. }))
        .count();
    assert!(refused >= 3, "the stale choice is refused again and again ({refused})");
    let after_crash =
        all.iter().any(|(_, n)| matches!(n, Note::Established { epoch, .. } if *epoch >= 3));
    assert!(!after_crash, "no leader is established after Server2's crash");
    let mut watch = qcore::oracle::Watch::new(&sim.scenario().protocol, true);
    watch.observe(sim.trace());
    assert_eq!(watch.judge(&sim, None), None, "nothing a client saw is lost");
}

#[test]
fn a_new_epoch_starts_at_e_1_and_a_stale_leaders_proposals_are_truncated() {
    let sim = run("zab-epochs", 7_000);
    let all = notes(&sim);
    let proposed: Vec<u64> = all
        .iter()
        .filter_map(|(node, n)| match n {
            Note::Proposed { zxid } if *node == 3 => Some(*zxid),
            _ => None,
        })
        .collect();
    assert_eq!(proposed, vec![zab::zxid(2, 1), zab::zxid(2, 2)], "Server4's epoch 2: 2:1, 2:2");
    let trunc =
        all.iter().any(|(node, n)| *node == 4 && *n == Note::Truncated { to: zab::zxid(1, 1) });
    assert!(trunc, "Server5's uncommitted 1:2 and 1:3 are truncated");
    assert_eq!(server(&sim, 4).last_zxid(), zab::zxid(2, 2));
    assert!(matches!(outcome(&sim, 5), Some(Outcome::Ok { value: Some(4), .. })));
}

#[test]
fn observers_never_ack_and_cannot_make_a_quorum() {
    let sim = run("zab-observers", 7_000);
    for (_, n) in notes(&sim) {
        if let Note::AckQuorum { members, .. } = n {
            assert!(members.iter().all(|&m| m < 3), "observers in a quorum: {members:?}");
        }
    }
    assert!(matches!(outcome(&sim, 1), Some(Outcome::Ok { value: Some(1), .. })), "observers read");
    assert_eq!(outcome(&sim, 4), Some(Outcome::Timeout), "two voters down: no quorum");
}

#[test]
fn the_minority_side_refuses_writes_and_the_majority_elects_a_new_leader() {
    let sim = run("zab-partition", 7_500);
    assert!(matches!(outcome(&sim, 1), Some(Outcome::Fail(_))), "ZooKeeper is CP");
    assert!(matches!(outcome(&sim, 2), Some(Outcome::Ok { value: Some(3), .. })));
    assert_eq!(server(&sim, 2).state, ServerState::Leading);
    assert!(
        matches!(outcome(&sim, 4), Some(Outcome::Ok { value: Some(3), .. })),
        "healed and synced"
    );
}

#[test]
fn a_lagging_follower_reads_stale_unless_the_client_syncs_first() {
    let sim = run("zab-reads", 3_000);
    assert!(matches!(outcome(&sim, 2), Some(Outcome::Ok { value: Some(1), .. })), "stale read");
    let s = lesson_with("zab-reads", |s| {
        if let ProtocolConfig::Zab(z) = &mut s.protocol {
            z.sync_reads = true;
        }
    });
    let mut sim = Sim::new(s.expect("exists").expect("valid")).expect("valid");
    sim.run_until(3_000);
    assert!(
        matches!(outcome(&sim, 2), Some(Outcome::Ok { value: Some(2), .. })),
        "sync, then read"
    );
}

#[test]
fn zab_vs_paxos_pipelines_two_writes_in_zxid_order() {
    let sim = run("zab-vs-paxos", 2_500);
    for i in 0..3 {
        assert_eq!(server(&sim, i).committed, zab::zxid(1, 2));
    }
}

#[test]
fn every_zab_lesson_replays_bit_for_bit() {
    for id in qcore::lessons::LESSONS.iter().filter(|id| id.starts_with("zab-")) {
        let a = run(id, 8_000).trace_hash();
        assert_eq!(a, run(id, 8_000).trace_hash(), "{id}");
    }
}
