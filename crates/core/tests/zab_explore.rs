//! Every reachable state of a small Zab cluster is safe, and planted bugs
//! are found (the Zab paper's §3 properties, lecture 04). Two searches cover
//! the small configuration: from boot (the first election in every order,
//! discovery, sync, two writes) and from a settled epoch 1 with a committed
//! write (a second write, a crash-restart of any server at any moment, the
//! second election, epoch 2).

use qcore::safety::Rule;
use qcore::zab::explore::{explore, Bounds};
use qcore::zab::Variant;

const LIMIT: u64 = 20_000_000;

#[test]
fn from_boot_every_election_order_discovery_sync_and_two_writes_are_safe() {
    let r = explore(&Bounds::boot(Variant::Faithful), LIMIT);
    eprintln!("boot: {} states, {} transitions, depth {}", r.states, r.transitions, r.depth);
    assert!(r.violation.is_none(), "{:?}", r.violation);
    assert!(r.complete, "the bounded space was searched to the end");
    assert!(r.states > 100_000);
}

#[test]
fn a_crash_at_any_moment_and_the_second_epoch_never_lose_a_committed_write() {
    let r = explore(&Bounds::second_epoch(Variant::Faithful), LIMIT);
    eprintln!(
        "second epoch: {} states, {} transitions, depth {}",
        r.states, r.transitions, r.depth
    );
    assert!(r.violation.is_none(), "{:?}", r.violation);
    assert!(r.complete, "the bounded space was searched to the end");
}

#[test]
fn a_leader_that_commits_before_a_quorum_acks_loses_a_committed_write() {
    let r = explore(&Bounds::second_epoch(Variant::CommitBeforeQuorum), LIMIT);
    let (v, schedule) = r.violation.expect("found");
    assert_eq!(v.rule, Rule::ZabCommittedLost);
    assert!(schedule.len() < 40);
}

#[test]
fn an_election_that_skips_zxids_votes_for_an_older_history() {
    let r = explore(&Bounds::second_epoch(Variant::ElectionIgnoresZxid), LIMIT);
    assert_eq!(r.violation.map(|(v, _)| v.rule), Some(Rule::ZabElectedStale));
}
