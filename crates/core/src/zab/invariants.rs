//! Zab safety, checked after every step from what the servers report.
//!
//! The checker keeps the one view no server has: the sequence of every
//! transaction any server delivered (committed and applied), by zxid, and
//! what each server delivered last. Rules, from the Zab paper (§3,
//! "properties") and lecture 04:
//!
//! * **agreement / integrity** — no two servers deliver different
//!   transactions under one zxid;
//! * **total order** — every server delivers a prefix of one sequence: in
//!   zxid order, skipping nothing another server delivered;
//! * **primary order** — only the established leader of an epoch proposes
//!   in it, with strictly increasing zxids; at most one leader is
//!   established per epoch;
//! * **primary integrity** — a leader has delivered every transaction of an
//!   earlier epoch before it proposes, and none is delivered for the first
//!   time afterwards;
//! * **committed transactions are never lost** — a server established as
//!   leader holds every committed transaction, and nobody truncates one it
//!   delivered;
//! * **votes go to fresher histories** — a server never votes for one whose
//!   (epoch, last zxid) is older than its own (fast leader election's rule,
//!   which is why the winner holds every committed transaction);
//! * a server never takes back an epoch it acknowledged.
//!
//! A server *deciding* to lead proves nothing by itself: fast leader election
//! may count a vote its sender has since lost in a crash, and such a leader
//! never gets a quorum to follow it. Safety is judged where it matters — at
//! establishment and at delivery.

use super::{epoch_of, zxid, NodeMap, Note, Zxid};
use crate::safety::{Rule, Violation};
use std::rc::Rc;

/// Each part is shared between copies (an explorer keeps one checker per
/// state) and copied only when a note changes it: most notes change one
/// part or none.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Invariants {
    /// Every transaction delivered anywhere, sorted by zxid.
    committed: Rc<Vec<(Zxid, u64)>>,
    /// What each server delivered last.
    delivered: Rc<NodeMap<Zxid>>,
    /// The established leader of each epoch: (epoch, node).
    leaders: Rc<Vec<(u32, u32)>>,
    /// The last zxid proposed in each epoch: (epoch, zxid).
    proposed: Rc<Vec<(u32, Zxid)>>,
    /// The newest epoch in which a leader proposed.
    proposing_epoch: u32,
    accepted: Rc<NodeMap<u32>>,
    /// Each LOOKING server's own (epoch, last zxid), from its first vote.
    own: Rc<NodeMap<(u32, Zxid)>>,
}

/// Set a node's entry of a shared map, copying the map only if the entry changes.
fn set<T: Clone + PartialEq>(map: &mut Rc<NodeMap<T>>, node: u32, value: T) {
    if map.get(node) != Some(&value) {
        Rc::make_mut(map).insert(node, value);
    }
}

fn broke(rule: Rule, node: u32, values: (u64, u64)) -> Violation {
    Violation { rule, nodes: vec![node], values }
}

impl Invariants {
    #[must_use]
    pub fn new() -> Self {
        Invariants::default()
    }

    /// The newest committed zxid, if any.
    #[must_use]
    pub fn max_committed(&self) -> Zxid {
        self.committed.last().map_or(0, |c| c.0)
    }

    /// The newest committed zxid below `z` (0 if none).
    fn committed_below(&self, z: Zxid) -> Zxid {
        let i = self.committed.partition_point(|c| c.0 < z);
        if i == 0 {
            0
        } else {
            self.committed[i - 1].0
        }
    }

    fn committed_value(&self, z: Zxid) -> Option<u64> {
        let i = self.committed.partition_point(|c| c.0 < z);
        self.committed.get(i).filter(|c| c.0 == z).map(|c| c.1)
    }

    fn delivered_by(&self, node: u32) -> Zxid {
        self.delivered.get(node).copied().unwrap_or(0)
    }

    /// How many transactions were committed.
    #[must_use]
    pub fn committed_count(&self) -> usize {
        self.committed.len()
    }

    /// Take in one note from `node`; return the rules it breaks.
    pub fn observe(&mut self, node: u32, note: &Note) -> Vec<Violation> {
        let mut out = Vec::new();
        let max = self.max_committed();
        match *note {
            Note::Looking { vote, .. } => set(&mut self.own, node, (vote.epoch, vote.zxid)),
            Note::VoteChanged { vote, .. } => {
                if let Some(&(epoch, last)) = self.own.get(node) {
                    if (vote.epoch, vote.zxid) < (epoch, last) {
                        out.push(broke(Rule::ZabElectedStale, node, (vote.zxid, last)));
                    }
                }
            }
            Note::Established { epoch, last_zxid, .. } => {
                if let Some(&(_, other)) = self.leaders.iter().find(|l| l.0 == epoch) {
                    if other != node {
                        let v = Violation {
                            rule: Rule::ZabTwoLeadersInEpoch,
                            nodes: vec![other, node],
                            values: (u64::from(epoch), u64::from(epoch)),
                        };
                        out.push(v);
                    }
                }
                let leaders = Rc::make_mut(&mut self.leaders);
                leaders.retain(|l| l.0 != epoch);
                leaders.push((epoch, node));
                if last_zxid < max {
                    out.push(broke(Rule::ZabCommittedLost, node, (last_zxid, max)));
                }
            }
            Note::Proposed { zxid: z } => {
                let e = epoch_of(z);
                let proposed = Rc::make_mut(&mut self.proposed);
                let last = match proposed.iter_mut().find(|p| p.0 == e) {
                    Some(p) => std::mem::replace(&mut p.1, z),
                    None => {
                        proposed.push((e, z));
                        0
                    }
                };
                let leader = self.leaders.iter().find(|l| l.0 == e).map(|l| l.1);
                if leader != Some(node) || z <= last {
                    out.push(broke(Rule::ZabPrimaryOrder, node, (last, z)));
                }
                let older = self.committed_below(zxid(e, 0));
                let mine = self.delivered_by(node);
                if older > mine {
                    out.push(broke(Rule::ZabPrimaryIntegrity, node, (mine, older)));
                }
                self.proposing_epoch = self.proposing_epoch.max(e);
            }
            Note::Delivered { zxid: z, value } => self.delivered_one(node, z, value, &mut out),
            Note::Snapshot { zxid: z, value } => {
                self.check_known(node, z, value, &mut out);
                set(&mut self.delivered, node, z);
            }
            Note::Restored { zxid: z, value, accepted_epoch } => {
                self.check_known(node, z, value, &mut out);
                set(&mut self.delivered, node, z);
                self.accept(node, accepted_epoch, &mut out);
            }
            Note::EpochAccepted { epoch } => self.accept(node, epoch, &mut out),
            Note::Truncated { to } => {
                let mine = self.delivered_by(node);
                if mine > to {
                    out.push(broke(Rule::ZabCommittedLost, node, (to, mine)));
                }
            }
            _ => {}
        }
        out
    }

    fn accept(&mut self, node: u32, epoch: u32, out: &mut Vec<Violation>) {
        let before = self.accepted.get(node).copied().unwrap_or(0);
        set(&mut self.accepted, node, epoch);
        if epoch < before {
            out.push(broke(Rule::ZabEpochForgotten, node, (u64::from(before), u64::from(epoch))));
        }
    }

    /// A snapshot or restored state must be a committed state.
    fn check_known(&self, node: u32, z: Zxid, value: Option<u64>, out: &mut Vec<Violation>) {
        if z == 0 {
            return;
        }
        match self.committed_value(z) {
            Some(v) if Some(v) == value => {}
            Some(v) => out.push(broke(Rule::ZabAgreement, node, (v, value.unwrap_or(0)))),
            None => out.push(broke(Rule::ZabTotalOrder, node, (z, self.max_committed()))),
        }
    }

    fn delivered_one(&mut self, node: u32, z: Zxid, value: u64, out: &mut Vec<Violation>) {
        let prev = self.delivered_by(node);
        if z <= prev {
            out.push(broke(Rule::ZabTotalOrder, node, (prev, z)));
        }
        let expected = self.committed_below(z);
        match self.committed_value(z) {
            Some(v) if v != value => out.push(broke(Rule::ZabAgreement, node, (v, value))),
            Some(_) => {}
            None => {
                let at = self.committed.partition_point(|c| c.0 < z);
                if let Some(&(later, _)) = self.committed.get(at) {
                    // Someone delivered a later transaction without this one.
                    out.push(broke(Rule::ZabTotalOrder, node, (z, later)));
                }
                if epoch_of(z) < self.proposing_epoch {
                    let e = u64::from(self.proposing_epoch);
                    out.push(broke(Rule::ZabPrimaryIntegrity, node, (z, e)));
                }
                Rc::make_mut(&mut self.committed).insert(at, (z, value));
            }
        }
        if expected != prev && z > prev {
            // This server skipped a transaction the others delivered.
            out.push(broke(Rule::ZabTotalOrder, node, (prev, expected)));
        }
        set(&mut self.delivered, node, z.max(prev));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zab::Vote;

    fn delivered(i: &mut Invariants, node: u32, e: u32, c: u32, v: u64) -> Vec<Rule> {
        i.observe(node, &Note::Delivered { zxid: zxid(e, c), value: v })
            .into_iter()
            .map(|v| v.rule)
            .collect()
    }

    #[test]
    fn agreement_two_values_under_one_zxid_are_caught() {
        let mut i = Invariants::new();
        assert!(delivered(&mut i, 0, 1, 1, 5).is_empty());
        assert_eq!(delivered(&mut i, 1, 1, 1, 6), vec![Rule::ZabAgreement]);
    }

    #[test]
    fn each_transaction_delivered_counts_once_as_committed() {
        let mut i = Invariants::new();
        assert_eq!(i.committed_count(), 0);
        delivered(&mut i, 0, 1, 1, 5);
        delivered(&mut i, 1, 1, 1, 5);
        delivered(&mut i, 0, 1, 2, 6);
        assert_eq!((i.committed_count(), i.max_committed()), (2, zxid(1, 2)));
    }

    #[test]
    fn total_order_a_skipped_transaction_is_caught() {
        let mut i = Invariants::new();
        delivered(&mut i, 0, 1, 1, 5);
        delivered(&mut i, 0, 1, 2, 6);
        assert!(delivered(&mut i, 1, 1, 1, 5).is_empty());
        assert_eq!(delivered(&mut i, 2, 1, 2, 6), vec![Rule::ZabTotalOrder]);
    }

    #[test]
    fn total_order_delivering_before_an_earlier_commit_is_caught() {
        let mut i = Invariants::new();
        delivered(&mut i, 0, 1, 2, 6);
        assert!(delivered(&mut i, 1, 1, 1, 5).contains(&Rule::ZabTotalOrder));
    }

    #[test]
    fn a_vote_for_an_older_history_is_caught() {
        let mut i = Invariants::new();
        let own = Vote { epoch: 1, zxid: zxid(1, 3), leader: 0 };
        let why = crate::zab::LookingWhy::Start;
        assert!(i.observe(0, &Note::Looking { vote: own, round: 1, why }).is_empty());
        let fresher = Vote { epoch: 1, zxid: zxid(1, 4), leader: 1 };
        assert!(i.observe(0, &Note::VoteChanged { vote: fresher, from: 1 }).is_empty());
        let older = Vote { epoch: 1, zxid: zxid(1, 2), leader: 2 };
        let v = i.observe(0, &Note::VoteChanged { vote: older, from: 2 });
        assert_eq!(v[0].rule, Rule::ZabElectedStale);
    }

    #[test]
    fn two_leaders_established_in_one_epoch_are_caught() {
        let mut i = Invariants::new();
        let est = |e| Note::Established { epoch: e, last_zxid: 0, members: vec![] };
        assert!(i.observe(0, &est(1)).is_empty());
        assert_eq!(i.observe(1, &est(1))[0].rule, Rule::ZabTwoLeadersInEpoch);
    }

    #[test]
    fn primary_order_a_proposal_from_a_non_leader_or_a_repeated_zxid_is_caught() {
        let mut i = Invariants::new();
        i.observe(0, &Note::Established { epoch: 1, last_zxid: 0, members: vec![] });
        assert!(i.observe(0, &Note::Proposed { zxid: zxid(1, 1) }).is_empty());
        assert_eq!(
            i.observe(0, &Note::Proposed { zxid: zxid(1, 1) })[0].rule,
            Rule::ZabPrimaryOrder
        );
        assert_eq!(
            i.observe(1, &Note::Proposed { zxid: zxid(1, 2) })[0].rule,
            Rule::ZabPrimaryOrder
        );
    }

    #[test]
    fn truncating_a_delivered_transaction_is_caught() {
        let mut i = Invariants::new();
        delivered(&mut i, 0, 1, 2, 5);
        let v = i.observe(0, &Note::Truncated { to: zxid(1, 1) });
        assert_eq!(v[0].rule, Rule::ZabCommittedLost);
    }

    #[test]
    fn an_epoch_taken_back_after_a_restart_is_caught() {
        let mut i = Invariants::new();
        i.observe(1, &Note::EpochAccepted { epoch: 2 });
        let v = i.observe(1, &Note::Restored { zxid: 0, value: None, accepted_epoch: 1 });
        assert_eq!(v[0].rule, Rule::ZabEpochForgotten);
    }
}
