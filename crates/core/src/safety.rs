//! Safety violations, shared by every protocol's checker.
//!
//! A checker watches what nodes report (their notes) and keeps the global
//! view no single node has; when a rule breaks it returns a [`Violation`],
//! which the world records in the trace and the viewer highlights.

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

#[cfg(test)]
mod tests {
    use super::Rule;

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
