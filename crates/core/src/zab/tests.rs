//! Unit tests of single servers, each named after the rule it checks.

use super::*;
use crate::node::{Effect, Msg as NodeMsg};

fn cfg(voters: u32, observers: u32) -> ZabConfig {
    ZabConfig {
        voters,
        observers,
        heartbeat_ticks: 100,
        sync_limit_ticks: 300,
        election_ticks: 200,
        sync_reads: false,
        variant: Variant::Faithful,
    }
}

fn ctx(me: u32) -> Ctx {
    Ctx { now: 0, me, random: 0 }
}

fn sent(out: &Out) -> Vec<(u32, Msg)> {
    out.effects
        .iter()
        .filter_map(|e| match e {
            Effect::Send { to: Addr::Node(n), msg: NodeMsg::Zab(m) } => Some((*n, m.clone())),
            _ => None,
        })
        .collect()
}

/// Server `me` of `c`, told by `leader` and two voters that `leader` leads,
/// then brought up to date at zxid 1:0 (discovery and sync of epoch 1).
fn learner(me: u32, c: ZabConfig, leader: u32, voters: [u32; 2]) -> Server {
    let mut s = Server::new(me, c);
    let mut out = Out::default();
    s.on_start(&ctx(me), None, &mut out);
    let vote = Vote { epoch: 0, zxid: 0, leader };
    let told = [(leader, ServerState::Leading)]
        .into_iter()
        .chain(voters.map(|v| (v, ServerState::Following)));
    for (from, state) in told {
        let n = Msg::Notification { vote, round: 1, state };
        s.on_message(&ctx(me), Addr::Node(from), &n, &mut out);
    }
    for m in [
        Msg::LeaderInfo { epoch: 1 },
        Msg::Sync { kind: SyncKind::Diff, txns: vec![] },
        Msg::NewLeader { zxid: zxid(1, 0) },
        Msg::UpToDate { committed: 0 },
    ] {
        s.on_message(&ctx(me), Addr::Node(leader), &m, &mut out);
    }
    assert!(s.serving(), "server {me} serves");
    s
}

/// A server of a 5-voter cluster that follows server 4 and is up to date
/// at zxid 1:0 (through election, discovery and sync).
fn follower() -> Server {
    let s = learner(0, cfg(5, 0), 4, [3, 2]);
    assert_eq!(s.state, ServerState::Following);
    s
}

#[test]
fn zxid_is_epoch_in_the_high_32_bits_and_a_counter_in_the_low_32() {
    // Lecture 04, "Zab 协议中的 Zxid".
    assert_eq!(zxid(2, 3), (2 << 32) | 3);
    assert_eq!((epoch_of(zxid(2, 3)), counter_of(zxid(2, 3))), (2, 3));
    assert_eq!(show(zxid(7, 12)), "7:12");
}

#[test]
fn votes_compare_epoch_then_zxid_then_myid() {
    // Lecture 04, election step 3: 首先选举 epoch 最大的 … 再比 zxid … 最后比 myid.
    let v = |epoch, z, leader| Vote { epoch, zxid: z, leader };
    assert!(v(2, zxid(1, 1), 0) > v(1, zxid(1, 9), 4));
    assert!(v(1, zxid(1, 5), 0) > v(1, zxid(1, 4), 4));
    assert!(v(1, zxid(1, 4), 3) > v(1, zxid(1, 4), 2));
}

#[test]
fn a_looking_server_votes_for_itself_then_adopts_and_resends_a_better_vote() {
    let mut s = Server::new(1, cfg(3, 0));
    let mut out = Out::default();
    s.on_start(&ctx(1), None, &mut out);
    let first = sent(&out);
    assert_eq!(first.len(), 2, "its own vote goes to every other voter");
    assert!(first
        .iter()
        .all(|(_, m)| matches!(m, Msg::Notification { vote, .. } if vote.leader == 1)));
    out.effects.clear();
    let better = Vote { epoch: 0, zxid: 0, leader: 2 };
    let n = Msg::Notification { vote: better, round: 1, state: ServerState::Looking };
    s.on_message(&ctx(1), Addr::Node(2), &n, &mut out);
    assert_eq!(s.vote, better);
    assert_eq!(sent(&out).len(), 2, "the adopted vote is re-broadcast");
}

#[test]
fn a_follower_writes_a_proposal_to_disk_before_it_acks() {
    // Lecture 04: Follower 收到 Proposal 后会把它持久到磁盘，完全写入之后发一个 ACK.
    let mut f = follower();
    let mut out = Out::default();
    let txn = Txn { zxid: zxid(1, 1), value: 7 };
    f.on_message(&ctx(0), Addr::Node(4), &Msg::Proposal { txn, prev: 0, origin: None }, &mut out);
    let persist = out.effects.iter().position(|e| matches!(e, Effect::Persist(_)));
    let ack = out
        .effects
        .iter()
        .position(|e| matches!(e, Effect::Send { msg: NodeMsg::Zab(Msg::Ack { .. }), .. }));
    assert!(persist.expect("persists") < ack.expect("acks"));
}

#[test]
fn a_proposal_that_does_not_follow_the_log_ends_the_session() {
    // A gap in the FIFO stream is never silent: the follower goes LOOKING.
    let mut f = follower();
    let mut out = Out::default();
    let txn = Txn { zxid: zxid(1, 2), value: 7 };
    let p = Msg::Proposal { txn, prev: zxid(1, 1), origin: None };
    f.on_message(&ctx(0), Addr::Node(4), &p, &mut out);
    assert_eq!(f.state, ServerState::Looking);
    assert!(f.log.is_empty());
}

#[test]
fn followers_commit_in_zxid_order_up_to_the_commit() {
    let mut f = follower();
    let mut out = Out::default();
    for c in 1..=3 {
        let txn = Txn { zxid: zxid(1, c), value: u64::from(c) };
        let prev = if c == 1 { 0 } else { zxid(1, c - 1) };
        f.on_message(&ctx(0), Addr::Node(4), &Msg::Proposal { txn, prev, origin: None }, &mut out);
    }
    out.effects.clear();
    f.on_message(&ctx(0), Addr::Node(4), &Msg::Commit { zxid: zxid(1, 2) }, &mut out);
    let delivered: Vec<Zxid> = out
        .effects
        .iter()
        .filter_map(|e| match e {
            Effect::Note(node::Note::Zab(Note::Delivered { zxid, .. })) => Some(*zxid),
            _ => None,
        })
        .collect();
    assert_eq!(delivered, vec![zxid(1, 1), zxid(1, 2)]);
    assert_eq!((f.committed, f.value), (zxid(1, 2), Some(2)));
}

/// The last voter of a fresh cluster, just elected by every other voter
/// (discovery not started).
fn elected(c: &ZabConfig) -> Server {
    let me = c.voters - 1;
    let mut s = Server::new(me, c.clone());
    let mut out = Out::default();
    s.on_start(&ctx(me), None, &mut out);
    let vote = Vote { epoch: 0, zxid: 0, leader: me };
    for v in 0..me {
        let n = Msg::Notification { vote, round: 1, state: ServerState::Looking };
        s.on_message(&ctx(me), Addr::Node(v), &n, &mut out);
    }
    s.on_timer(&ctx(me), FINALIZE_TIMER, &mut out);
    assert_eq!(s.state, ServerState::Leading);
    s
}

/// A leader of `voters` voters and `observers` observers, established in
/// epoch 1 with every learner ready.
fn leader(voters: u32, observers: u32) -> Server {
    let c = cfg(voters, observers);
    let me = voters - 1;
    let mut s = elected(&c);
    let mut out = Out::default();
    let learners: Vec<u32> = (0..c.nodes()).filter(|&p| p != me).collect();
    for &p in &learners {
        let info =
            Msg::FollowerInfo { accepted_epoch: 0, last_zxid: 0, observer: c.is_observer(p) };
        s.on_message(&ctx(me), Addr::Node(p), &info, &mut out);
    }
    for &p in &learners {
        s.on_message(
            &ctx(me),
            Addr::Node(p),
            &Msg::AckEpoch { current_epoch: 0, last_zxid: 0 },
            &mut out,
        );
    }
    for &p in &learners {
        s.on_message(&ctx(me), Addr::Node(p), &Msg::Ack { zxid: zxid(1, 0) }, &mut out);
    }
    assert!(s.serving());
    s
}

#[test]
fn the_new_epoch_is_one_above_every_accepted_epoch_of_the_quorum() {
    // Zab §3 phase 1 (discovery): e' = max(acceptedEpoch of a quorum) + 1.
    let mut s = elected(&cfg(3, 0));
    let mut out = Out::default();
    let info = Msg::FollowerInfo { accepted_epoch: 6, last_zxid: 0, observer: false };
    s.on_message(&ctx(2), Addr::Node(0), &info, &mut out);
    assert!(sent(&out).contains(&(0, Msg::LeaderInfo { epoch: 7 })));
    out.effects.clear();
    s.on_message(
        &ctx(2),
        Addr::Node(0),
        &Msg::AckEpoch { current_epoch: 0, last_zxid: 0 },
        &mut out,
    );
    assert!(
        sent(&out).contains(&(0, Msg::NewLeader { zxid: zxid(7, 0) })),
        "NEWLEADER carries e:0"
    );
}

#[test]
fn the_leader_commits_only_with_acks_from_a_majority_of_voters_counting_itself() {
    let mut l = leader(5, 0);
    let mut out = Out::default();
    l.on_client_request(&ctx(4), 0, 1, ClientOp::Write(9), &mut out);
    assert!(
        sent(&out)
            .iter()
            .any(|(_, m)| matches!(m, Msg::Proposal { txn, .. } if txn.zxid == zxid(1, 1))),
        "the first transaction of epoch 1 is 1:1"
    );
    out.effects.clear();
    l.on_message(&ctx(4), Addr::Node(0), &Msg::Ack { zxid: zxid(1, 1) }, &mut out);
    assert_eq!(l.committed, 0, "two of five is no quorum");
    l.on_message(&ctx(4), Addr::Node(1), &Msg::Ack { zxid: zxid(1, 1) }, &mut out);
    assert_eq!(l.committed, zxid(1, 1), "three of five, the leader included");
    let commits = sent(&out).iter().filter(|(_, m)| matches!(m, Msg::Commit { .. })).count();
    assert_eq!(commits, 4, "COMMIT goes to every follower");
}

#[test]
fn observers_never_count_in_a_quorum_and_learn_by_inform() {
    let mut l = leader(3, 2);
    let mut out = Out::default();
    l.on_client_request(&ctx(2), 0, 1, ClientOp::Write(9), &mut out);
    let proposals: Vec<u32> = sent(&out)
        .iter()
        .filter(|(_, m)| matches!(m, Msg::Proposal { .. }))
        .map(|(p, _)| *p)
        .collect();
    assert_eq!(proposals, vec![0, 1], "observers get no proposals");
    out.effects.clear();
    for o in [3, 4] {
        l.on_message(&ctx(2), Addr::Node(o), &Msg::Ack { zxid: zxid(1, 1) }, &mut out);
    }
    assert_eq!(l.committed, 0, "ACKs from observers do not count");
    l.on_message(&ctx(2), Addr::Node(0), &Msg::Ack { zxid: zxid(1, 1) }, &mut out);
    assert_eq!(l.committed, zxid(1, 1));
    let informed: Vec<u32> = sent(&out)
        .iter()
        .filter(|(_, m)| matches!(m, Msg::Inform { .. }))
        .map(|(p, _)| *p)
        .collect();
    assert_eq!(informed, vec![3, 4]);
}

#[test]
fn a_broken_variant_commits_before_a_quorum() {
    let mut l = leader(5, 0);
    l.cfg.variant = Variant::CommitBeforeQuorum;
    let mut out = Out::default();
    l.on_client_request(&ctx(4), 0, 1, ClientOp::Write(9), &mut out);
    assert_eq!(l.committed, zxid(1, 1), "the planted bug commits with no ACK at all");
}

#[test]
fn a_leader_with_a_follower_ahead_of_it_gives_up() {
    // ZooKeeper's Leader.waitForEpochAck: "Follower is ahead of the leader".
    let mut s = elected(&cfg(3, 0));
    let mut out = Out::default();
    let info = Msg::FollowerInfo { accepted_epoch: 1, last_zxid: zxid(1, 3), observer: false };
    s.on_message(&ctx(2), Addr::Node(0), &info, &mut out);
    let ack = Msg::AckEpoch { current_epoch: 1, last_zxid: zxid(1, 3) };
    s.on_message(&ctx(2), Addr::Node(0), &ack, &mut out);
    assert_eq!(s.state, ServerState::Looking);
}

/// Follow server 4 in round `round` (as in [`follower`]).
fn follow(s: &mut Server, out: &mut Out) {
    let vote = Vote { epoch: 0, zxid: 0, leader: 4 };
    for (from, state) in
        [(4, ServerState::Leading), (3, ServerState::Following), (2, ServerState::Following)]
    {
        let n = Msg::Notification { vote, round: s.round, state };
        s.on_message(&ctx(0), Addr::Node(from), &n, out);
    }
    assert_eq!(s.state, ServerState::Following);
}

#[test]
fn a_follower_acknowledges_an_epoch_only_above_its_accepted_epoch() {
    // Zab paper, phase 1: a follower that receives NEWEPOCH(e') acknowledges
    // only if e' > acceptedEpoch. ZooKeeper answers an equal epoch with -1.
    let mut s = Server::new(0, cfg(5, 0));
    let mut out = Out::default();
    s.on_start(&ctx(0), None, &mut out);
    follow(&mut s, &mut out);
    out.effects.clear();
    s.on_message(&ctx(0), Addr::Node(4), &Msg::LeaderInfo { epoch: 1 }, &mut out);
    let ack = |out: &Out| {
        sent(out).into_iter().find_map(|(_, m)| match m {
            Msg::AckEpoch { current_epoch, .. } => Some(current_epoch),
            _ => None,
        })
    };
    assert_eq!(ack(&out), Some(0), "epoch 1 is new: acknowledged");
    // It times out in sync, looks again, and the same leader offers epoch 1.
    s.on_timer(&ctx(0), INIT_TIMER, &mut out);
    follow(&mut s, &mut out);
    out.effects.clear();
    s.on_message(&ctx(0), Addr::Node(4), &Msg::LeaderInfo { epoch: 1 }, &mut out);
    assert_eq!(ack(&out), Some(EPOCH_NOT_ACCEPTED), "epoch 1 again: not promised twice");
}

#[test]
fn the_leader_does_not_count_an_epoch_a_follower_could_not_promise() {
    // ZooKeeper's `waitForEpochAck` skips an ACKEPOCH with epoch -1: with 5
    // voters, the leader and two fresh acks are a quorum; a -1 is not.
    let mut s = elected(&cfg(5, 0));
    let mut out = Out::default();
    for p in 0..3 {
        let info = Msg::FollowerInfo { accepted_epoch: 0, last_zxid: 0, observer: false };
        s.on_message(&ctx(4), Addr::Node(p), &info, &mut out);
    }
    out.effects.clear();
    let ack = |epoch| Msg::AckEpoch { current_epoch: epoch, last_zxid: 0 };
    s.on_message(&ctx(4), Addr::Node(0), &ack(0), &mut out);
    s.on_message(&ctx(4), Addr::Node(1), &ack(EPOCH_NOT_ACCEPTED), &mut out);
    let syncs =
        |out: &Out| sent(out).iter().filter(|(_, m)| matches!(m, Msg::NewLeader { .. })).count();
    assert_eq!(syncs(&out), 0, "the leader and one promise are not a quorum of 5");
    s.on_message(&ctx(4), Addr::Node(2), &ack(0), &mut out);
    assert_eq!(syncs(&out), 3, "with two promises it syncs everyone who answered, the -1 too");
}

#[test]
fn the_sync_limit_ends_only_a_session_still_synchronizing() {
    // The initLimit/syncLimit timer is cancelled once a server serves or
    // looks again; one that still fires then (a student firing it by hand
    // from a stale list, a late event) must change nothing.
    let late = |mut s: Server| {
        let (state, round) = (s.state, s.round);
        let mut out = Out::default();
        s.on_timer(&ctx(s.id), INIT_TIMER, &mut out);
        assert_eq!((s.state, s.round), (state, round), "a late sync limit changed the server");
        assert!(out.effects.is_empty(), "a late sync limit did something");
    };
    late(follower());
    late(leader(3, 0));
    let mut looking = Server::new(0, cfg(3, 0));
    looking.on_start(&ctx(0), None, &mut Out::default());
    late(looking);
    // Still synchronizing: the session ends and the server looks again.
    let mut s = Server::new(0, cfg(5, 0));
    let mut out = Out::default();
    s.on_start(&ctx(0), None, &mut out);
    follow(&mut s, &mut out);
    s.on_timer(&ctx(0), INIT_TIMER, &mut out);
    assert_eq!(s.state, ServerState::Looking);
}

#[test]
fn messages_are_labelled_as_the_lecture_writes_them() {
    // A vote names its leader by myid (node 0 is Server1, as in zoo.cfg)
    // and its zxid as epoch:counter.
    let vote = Vote { epoch: 1, zxid: zxid(1, 2), leader: 2 };
    let notification = Msg::Notification { vote, round: 1, state: ServerState::Looking };
    assert_eq!(notification.label(), "vote(1, 1:2, S3)");
    let vote = Vote { epoch: 2, zxid: zxid(2, 0), leader: 0 };
    let notification = Msg::Notification { vote, round: 4, state: ServerState::Leading };
    assert_eq!(notification.label(), "vote(2, 2:0, S1)");
    assert_eq!(ZabConfig::myid(4), 5);
    let txn = Txn { zxid: zxid(3, 7), value: 42 };
    let proposal = Msg::Proposal { txn, prev: zxid(3, 6), origin: None };
    assert_eq!(proposal.label(), "PROPOSAL 3:7 =42");
    let refused = Msg::AckEpoch { current_epoch: EPOCH_NOT_ACCEPTED, last_zxid: zxid(1, 1) };
    assert_eq!(refused.label(), "ACKEPOCH -1 1:1");
    assert_eq!(Msg::Commit { zxid: zxid(1, 3) }.label(), "COMMIT 1:3");
}

#[test]
fn a_server_names_the_leader_it_follows_or_is_once_decided() {
    // What the explorer reads when a leader crashes: its followers notice.
    let mut looking = Server::new(2, cfg(5, 0));
    looking.on_start(&ctx(2), None, &mut Out::default());
    assert_eq!(looking.leader(), None);
    assert_eq!(follower().leader(), Some(4));
    assert_eq!(leader(5, 0).leader(), Some(4));
    assert_eq!(leader(3, 0).leader(), Some(2));
}

/// Server 3 of three voters and two observers: an observer of leader 2,
/// up to date at zxid 1:0.
fn observer() -> Server {
    learner(3, cfg(3, 2), 2, [1, 0])
}

#[test]
fn an_observer_ignores_a_proposal_and_learns_by_inform() {
    // ZooKeeper's Observer logs a PROPOSAL and drops it: it neither logs
    // nor acknowledges what it never votes on.
    let mut o = observer();
    let mut out = Out::default();
    let txn = Txn { zxid: zxid(1, 1), value: 7 };
    o.on_message(&ctx(3), Addr::Node(2), &Msg::Proposal { txn, prev: 0, origin: None }, &mut out);
    assert!(o.log.is_empty(), "nothing logged");
    assert!(sent(&out).is_empty(), "no ACK");
    let inform = Msg::Inform { txn, prev: 0, origin: None };
    o.on_message(&ctx(3), Addr::Node(2), &inform, &mut out);
    assert_eq!((o.committed, o.value), (zxid(1, 1), Some(7)));
}

#[test]
fn a_sync_is_answered_once_when_the_last_proposal_before_it_commits() {
    // ZooKeeper's sync: the leader answers once every proposal made before
    // the SYNC is committed, and only then.
    let mut l = leader(3, 0);
    let mut out = Out::default();
    let origin = |client| Origin { server: client, client, op_id: 1 };
    l.on_client_request(&ctx(2), 0, 1, ClientOp::Write(9), &mut out);
    l.on_message(&ctx(2), Addr::Node(0), &Msg::SyncReq { origin: origin(0) }, &mut out);
    l.on_client_request(&ctx(2), 0, 2, ClientOp::Write(10), &mut out);
    l.on_message(&ctx(2), Addr::Node(1), &Msg::SyncReq { origin: origin(1) }, &mut out);
    let done = |out: &Out| -> Vec<(u32, Zxid)> {
        sent(out)
            .into_iter()
            .filter_map(|(p, m)| match m {
                Msg::SyncDone { zxid, .. } => Some((p, zxid)),
                _ => None,
            })
            .collect()
    };
    assert!(done(&out).is_empty(), "nothing committed yet");
    out.effects.clear();
    l.on_message(&ctx(2), Addr::Node(0), &Msg::Ack { zxid: zxid(1, 1) }, &mut out);
    assert_eq!(done(&out), vec![(0, zxid(1, 1))], "only the SYNC made after 1:1");
    out.effects.clear();
    l.on_message(&ctx(2), Addr::Node(0), &Msg::Ack { zxid: zxid(1, 2) }, &mut out);
    assert_eq!(done(&out), vec![(1, zxid(1, 2))], "the second, and the first not again");
}

#[test]
fn a_sync_answered_past_what_the_follower_has_fails_the_read() {
    // The leader committed a proposal this follower never got: reading
    // its own copy now would be stale, so the client is told to retry.
    let mut f = follower();
    let mut out = Out::default();
    let origin = Origin { server: 0, client: 3, op_id: 8 };
    f.on_message(&ctx(0), Addr::Node(4), &Msg::SyncDone { origin, zxid: zxid(1, 2) }, &mut out);
    let replies: Vec<&OpResult> = out
        .effects
        .iter()
        .filter_map(|e| match e {
            Effect::Reply { client: 3, op_id: 8, result } => Some(result),
            _ => None,
        })
        .collect();
    assert_eq!(replies, vec![&OpResult::Fail(FailReason::Unavailable)]);
    assert_eq!(f.state, ServerState::Looking);
}

#[test]
fn the_group_commit_variant_acks_three_proposals_before_it_writes_the_fourth() {
    let mut f = follower();
    f.cfg.variant = Variant::AckBeforePersist;
    let mut writes = Vec::new();
    for k in 1..=8 {
        let mut out = Out::default();
        let txn = Txn { zxid: zxid(1, k), value: u64::from(k) };
        let prev = if k == 1 { 0 } else { zxid(1, k - 1) };
        let p = Msg::Proposal { txn, prev, origin: None };
        f.on_message(&ctx(0), Addr::Node(4), &p, &mut out);
        assert_eq!(sent(&out).len(), 1, "every proposal is acknowledged at once");
        writes.push(out.effects.iter().any(|e| matches!(e, Effect::Persist(_))));
    }
    assert_eq!(writes, [false, false, false, true, false, false, false, true]);
}

#[test]
fn a_lost_commit_is_repaired_by_the_next_heartbeat_once_serving() {
    // A PING carries the leader's last commit: a serving follower that
    // missed a COMMIT delivers up to it. One still synchronizing does not
    // (it delivers what the sync brings once UPTODATE says it may).
    let mut f = follower();
    let mut out = Out::default();
    let txn = Txn { zxid: zxid(1, 1), value: 7 };
    f.on_message(&ctx(0), Addr::Node(4), &Msg::Proposal { txn, prev: 0, origin: None }, &mut out);
    f.on_message(&ctx(0), Addr::Node(4), &Msg::Ping { committed: zxid(1, 1) }, &mut out);
    assert_eq!((f.committed, f.value), (zxid(1, 1), Some(7)));

    let mut s = Server::new(0, cfg(5, 0));
    s.on_start(&ctx(0), None, &mut out);
    follow(&mut s, &mut out);
    for m in [
        Msg::LeaderInfo { epoch: 1 },
        Msg::Sync { kind: SyncKind::Diff, txns: vec![txn] },
        Msg::Ping { committed: zxid(1, 1) },
    ] {
        s.on_message(&ctx(0), Addr::Node(4), &m, &mut out);
    }
    assert_eq!(s.committed, 0, "not before the sync is done");
}

#[test]
fn a_sync_that_repeats_the_log_adds_nothing_twice() {
    // Transactions are identified by zxid: a DIFF that starts at what the
    // follower already has on disk appends only what is new.
    let txns: Vec<Txn> = (1..=3).map(|c| Txn { zxid: zxid(1, c), value: u64::from(c) }).collect();
    let disk = Durable {
        accepted_epoch: 1,
        current_epoch: 1,
        snap: (0, None),
        log: Rc::new(txns[..2].to_vec()),
    };
    let mut s = Server::new(0, cfg(5, 0));
    let mut out = Out::default();
    s.on_start(&ctx(0), Some(&disk), &mut out);
    follow(&mut s, &mut out);
    s.on_message(&ctx(0), Addr::Node(4), &Msg::LeaderInfo { epoch: 2 }, &mut out);
    let sync = Msg::Sync { kind: SyncKind::Diff, txns: txns[1..].to_vec() };
    s.on_message(&ctx(0), Addr::Node(4), &sync, &mut out);
    assert_eq!(*s.log, txns);
}
