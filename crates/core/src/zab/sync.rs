//! How a new leader decides what a learner needs (ZooKeeper's
//! `LearnerHandler.syncFollower`), as a pure function of the leader's
//! snapshot and log and the learner's last zxid.

use super::{SyncKind, Txn, Zxid};

/// Plan the synchronization of a learner whose last logged zxid is
/// `peer_last`, up to the leader's zxid `upto`:
///
/// * the learner has exactly `upto`: DIFF with nothing to send;
/// * the learner is ahead of `upto`: TRUNC back to `upto`;
/// * the learner's last zxid is in the leader's log (or is its snapshot
///   point): DIFF with what follows;
/// * it falls between two of the leader's zxids — a transaction the leader
///   never had, so never committed: TRUNC to the leader's zxid just below,
///   then what follows;
/// * it is older than the leader's snapshot: SNAP, then the log.
#[must_use]
pub fn plan_sync(
    snap: (Zxid, Option<u64>),
    log: &[Txn],
    upto: Zxid,
    peer_last: Zxid,
) -> (SyncKind, Vec<Txn>) {
    let after = |z: Zxid| -> Vec<Txn> {
        log.iter().filter(|t| t.zxid > z && t.zxid <= upto).copied().collect()
    };
    if peer_last == upto {
        return (SyncKind::Diff, Vec::new());
    }
    if peer_last > upto {
        return (SyncKind::Trunc { to: upto }, Vec::new());
    }
    if peer_last < snap.0 {
        return (SyncKind::Snap { zxid: snap.0, value: snap.1 }, after(snap.0));
    }
    if peer_last == snap.0 || log.iter().any(|t| t.zxid == peer_last) {
        return (SyncKind::Diff, after(peer_last));
    }
    let below = log.iter().rev().map(|t| t.zxid).find(|&z| z < peer_last).unwrap_or(snap.0);
    (SyncKind::Trunc { to: below }, after(below))
}

#[cfg(test)]
mod tests {
    use super::super::zxid;
    use super::*;

    fn log(zs: &[(u32, u32)]) -> Vec<Txn> {
        zs.iter().map(|&(e, c)| Txn { zxid: zxid(e, c), value: u64::from(e * 10 + c) }).collect()
    }

    #[test]
    fn a_follower_that_missed_transactions_gets_a_diff() {
        let l = log(&[(1, 1), (1, 2), (1, 3)]);
        let (kind, txns) = plan_sync((0, None), &l, zxid(1, 3), zxid(1, 1));
        assert_eq!(kind, SyncKind::Diff);
        assert_eq!(txns, l[1..].to_vec());
    }

    #[test]
    fn uncommitted_proposals_of_a_stale_leader_are_truncated() {
        // Lecture 04 / Zab §3: the old leader logged 1:4 and 1:5 that nobody
        // else has; the new leader has 1:3 then epoch 2.
        let l = log(&[(1, 1), (1, 2), (1, 3), (2, 1), (2, 2)]);
        let (kind, txns) = plan_sync((0, None), &l, zxid(2, 2), zxid(1, 5));
        assert_eq!(kind, SyncKind::Trunc { to: zxid(1, 3) });
        assert_eq!(txns, l[3..].to_vec());
    }

    #[test]
    fn a_learner_ahead_of_the_leader_is_truncated_back() {
        let l = log(&[(1, 1)]);
        let (kind, txns) = plan_sync((0, None), &l, zxid(1, 1), zxid(1, 2));
        assert_eq!(kind, SyncKind::Trunc { to: zxid(1, 1) });
        assert!(txns.is_empty());
    }

    #[test]
    fn a_learner_behind_the_snapshot_gets_a_snap() {
        let l = log(&[(1, 9)]);
        let (kind, txns) = plan_sync((zxid(1, 8), Some(18)), &l, zxid(1, 9), zxid(1, 2));
        assert_eq!(kind, SyncKind::Snap { zxid: zxid(1, 8), value: Some(18) });
        assert_eq!(txns, l);
    }

    #[test]
    fn an_up_to_date_learner_gets_an_empty_diff() {
        let l = log(&[(1, 1)]);
        assert_eq!(plan_sync((0, None), &l, zxid(1, 1), zxid(1, 1)), (SyncKind::Diff, vec![]));
    }
}
