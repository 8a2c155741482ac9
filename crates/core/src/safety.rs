//! Safety violations, shared by every protocol's checker.
//!
//! A checker watches what nodes report (their notes) and keeps the global
//! view no single node has; when a rule breaks it returns a [`Violation`],
//! which the world records in the trace and the viewer highlights.

use crate::client::{OpRecord, Outcome};
use crate::node::Note;
use crate::trace::{Happened, TraceEntry};
use crate::zab::Note as ZabNote;

/// Which rule broke. New rules are appended at the end: the discriminant is
/// part of the trace hash (see `trace::fold`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum Rule {
    // ---- Paxos (Paxos Made Simple §2; lecture 03) ----
    TwoValuesChosen,
    LearnersDisagree,
    ChosenNotProposed,
    MaxNDecreased,
    AcceptedAboveMaxN,
    NumberReused,
    // ---- Zab (Junqueira, Reed, Serafini 2011 §3; lecture 04) ----
    /// Two servers established as leader of the same epoch.
    ZabTwoLeadersInEpoch,
    /// A committed transaction is missing from a new leader's history, or a
    /// server truncated a transaction it had delivered.
    ZabCommittedLost,
    /// Two servers delivered different transactions under one zxid.
    ZabAgreement,
    /// A server delivered transactions out of zxid order or skipped one
    /// another server delivered (total order).
    ZabTotalOrder,
    /// A transaction of an older epoch was delivered for the first time after
    /// a newer leader started proposing (primary integrity).
    ZabPrimaryIntegrity,
    /// A proposal from a server that is not the established leader of its
    /// epoch, or zxids that do not increase (primary order).
    ZabPrimaryOrder,
    /// A server voted for one whose history is older than its own (the
    /// election must compare epochs, then zxids: lecture 04).
    ZabElectedStale,
    /// A server took back an epoch it had acknowledged (acceptedEpoch went
    /// down across a restart).
    ZabEpochForgotten,
    // ---- Causal consistency (lecture 02) ----
    /// A causal replica made a write visible before a write its origin had
    /// already seen (the reply before the comment).
    CausalGap,
    // ---- Paxos, continued ----
    /// A node learned a value no majority of acceptors accepted in one
    /// proposal (a learner must count proposals, not values).
    LearnedNotChosen,
    // ---- Quorum (lecture 03), judged on what clients were told ----
    /// A read returned a value older than a write that completed before the
    /// read began (W + R > N prevents it). The simulator's runs are judged
    /// by the history checks (`check::register`); the explorer checks it at
    /// every answer a client receives.
    StaleRead,
    /// A read returned a value older than one a read that completed before
    /// it began had returned (ABD's read write-back prevents it).
    NewOldInversion,
}

impl Rule {
    /// Every rule, in discriminant order.
    pub const ALL: [Rule; 18] = [
        Rule::TwoValuesChosen,
        Rule::LearnersDisagree,
        Rule::ChosenNotProposed,
        Rule::MaxNDecreased,
        Rule::AcceptedAboveMaxN,
        Rule::NumberReused,
        Rule::ZabTwoLeadersInEpoch,
        Rule::ZabCommittedLost,
        Rule::ZabAgreement,
        Rule::ZabTotalOrder,
        Rule::ZabPrimaryIntegrity,
        Rule::ZabPrimaryOrder,
        Rule::ZabElectedStale,
        Rule::ZabEpochForgotten,
        Rule::CausalGap,
        Rule::LearnedNotChosen,
        Rule::StaleRead,
        Rule::NewOldInversion,
    ];
}

/// A broken rule, with the nodes and numbers involved.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Violation {
    pub rule: Rule,
    pub nodes: Vec<u32>,
    /// Two numbers that tell the story (two values, old and new Max_N, two
    /// zxids, …).
    pub values: (u64, u64),
}

impl Violation {
    /// The client operations this violation's story involves, judged by
    /// what each client wrote or was told: for Paxos, the writes of (and
    /// the answers with) a value the rule names (the two values chosen, the
    /// two learned, the one chosen or learned wrongly); for Zab, the writes
    /// whose transactions were lost (their values read from the servers'
    /// deliveries in `trace`, or their zxid from the acknowledgement). The
    /// other rules name no value a client sees (stale reads and inversions
    /// are the history checks' own). Ids in history order.
    #[must_use]
    pub fn involved(&self, history: &[OpRecord], trace: &[TraceEntry]) -> Vec<u64> {
        let (a, b) = self.values;
        let (values, lost): (Vec<u64>, Option<(u64, u64)>) = match self.rule {
            Rule::TwoValuesChosen | Rule::LearnersDisagree => (vec![a, b], None),
            Rule::ChosenNotProposed => (vec![b], None),
            Rule::LearnedNotChosen => (vec![a], None),
            // Lost: the zxids after `a` up to `b`.
            Rule::ZabCommittedLost => (delivered_values(trace, a, b), Some((a, b))),
            _ => return Vec::new(),
        };
        let involves = |o: &OpRecord| {
            let told = match &o.ret {
                Some((_, Outcome::Ok { value, stamp })) => Some((*value, stamp.counter)),
                _ => None,
            };
            let written = o.op.written();
            match lost {
                Some((a, b)) => {
                    written.is_some_and(|w| values.contains(&w))
                        || (written.is_some() && told.is_some_and(|t| t.1 > a && t.1 <= b))
                }
                None => {
                    written.is_some_and(|w| values.contains(&w))
                        || told.and_then(|t| t.0).is_some_and(|v| values.contains(&v))
                }
            }
        };
        history.iter().filter(|o| involves(o)).map(|o| o.id).collect()
    }
}

/// The values of the Zab transactions with zxids after `a` up to `b` that
/// some server delivered.
fn delivered_values(trace: &[TraceEntry], a: u64, b: u64) -> Vec<u64> {
    let mut out = Vec::new();
    for e in trace {
        if let Happened::Note { note: Note::Zab(ZabNote::Delivered { zxid, value }), .. } = e.what {
            if zxid > a && zxid <= b && !out.contains(&value) {
                out.push(value);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{Rule, Violation};
    use crate::client::{OpRecord, Outcome};
    use crate::node::Note;
    use crate::trace::{Happened, TraceEntry};
    use crate::types::{ClientOp, Stamp};
    use crate::zab::Note as ZabNote;

    /// What a client was told: the value and the stamp's counter.
    type Told = Option<(Option<u64>, u64)>;

    /// Operations numbered from 0: each a write or read, told or not yet
    /// answered.
    fn history(ops: &[(ClientOp, Told)]) -> Vec<OpRecord> {
        let told =
            |(value, counter)| (9, Outcome::Ok { value, stamp: Stamp { counter, writer: 0 } });
        (0..)
            .zip(ops)
            .map(|(id, &(op, t))| OpRecord {
                id,
                client: 0,
                node: 0,
                op,
                invoke: 1,
                ret: t.map(told),
            })
            .collect()
    }

    fn broke(rule: Rule, values: (u64, u64)) -> Violation {
        Violation { rule, nodes: vec![0], values }
    }

    #[test]
    fn paxos_rules_involve_the_writes_of_their_values_and_the_answers_with_them() {
        use ClientOp::{Read, Write};
        let h = history(&[
            (Write(5), None),
            (Write(9), None),
            (Write(7), Some((Some(9), 0))),
            (Read, Some((Some(5), 0))),
            (Write(7), Some((Some(7), 0))),
            (Read, Some((None, 0))),
        ]);
        assert_eq!(broke(Rule::TwoValuesChosen, (5, 9)).involved(&h, &[]), [0, 1, 2, 3]);
        assert_eq!(broke(Rule::LearnersDisagree, (7, 9)).involved(&h, &[]), [1, 2, 4]);
        // (n, v): the number is not a value.
        assert_eq!(broke(Rule::ChosenNotProposed, (5, 9)).involved(&h, &[]), [1, 2]);
        // (v, the value chosen): only the one learned wrongly.
        assert_eq!(broke(Rule::LearnedNotChosen, (9, 5)).involved(&h, &[]), [1, 2]);
        assert!(broke(Rule::MaxNDecreased, (5, 9)).involved(&h, &[]).is_empty());
    }

    #[test]
    fn a_lost_zab_transaction_involves_the_writes_that_carried_it() {
        use ClientOp::{Read, Write};
        let z = |e: u64, c: u64| e << 32 | c;
        let delivered = |zxid, value| TraceEntry {
            event: 0,
            tick: 5,
            what: Happened::Note { node: 1, note: Note::Zab(ZabNote::Delivered { zxid, value }) },
        };
        let trace = [delivered(z(1, 1), 6), delivered(z(1, 2), 7), delivered(z(1, 2), 7)];
        let h = history(&[
            (Write(6), Some((Some(6), z(1, 1)))),
            (Write(7), None),
            (Write(8), Some((Some(8), z(1, 3)))),
            (Write(9), Some((Some(9), z(1, 4)))),
            (Read, Some((Some(7), z(1, 2)))),
        ]);
        let lost = broke(Rule::ZabCommittedLost, (z(1, 1), z(1, 3)));
        // 7 by its delivery (not yet acknowledged), 8 by its acknowledgement;
        // 6 was kept, 9 came after, and a read loses nothing.
        assert_eq!(lost.involved(&h, &trace), [1, 2]);
        assert_eq!(lost.involved(&h, &[]), [2], "without the deliveries, only what was told");
    }

    #[test]
    fn all_lists_every_rule_in_discriminant_order() {
        for (i, r) in Rule::ALL.iter().enumerate() {
            assert_eq!(*r as usize, i, "{r:?}");
        }
        // A rule appended after the last one listed would be missed.
        let last = Rule::ALL[Rule::ALL.len() - 1];
        assert!(matches!(last, Rule::NewOldInversion), "extend ALL with the new rule");
    }
}
