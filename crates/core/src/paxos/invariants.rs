//! Paxos safety, checked after every step from what the nodes report.
//!
//! The checker sees every acceptor's state change, every round a proposer
//! starts and every value learned, and keeps the global view no single node
//! has: which proposals a majority of acceptors accepted (so a value is
//! *chosen*). Rules (Paxos Made Simple, §2.1–2.2; lecture 03):
//!
//! * at most one value is chosen, and learners never learn different values;
//! * a value is learned only once a majority accepted it in one proposal;
//! * a chosen value was proposed by some proposer;
//! * an acceptor's Max_N never decreases, across restarts too;
//! * an accepted number never exceeds Max_N;
//! * no proposer uses a proposal number twice.

use std::rc::Rc;

use super::{Note, PaxosConfig, Proposal};
use crate::small::{edit, VecMap, VecSet};

pub use crate::safety::{Rule, Violation};

// Each part is shared (`Rc`) and copied only when a note changes it: an
// explorer's state carries these, and most steps change one part or none.
// Flat sorted Vecs, not trees or nested sets: one allocation per copy.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Invariants {
    majority: usize,
    /// Each accepted proposal (n, v) with an acceptor that accepted it.
    accepted_by: Rc<VecSet<(Proposal, u32)>>,
    /// Values chosen so far (more than one is a violation). Shared like
    /// the other parts: most states of a search hold one chosen value.
    chosen: Rc<Vec<Proposal>>,
    learned: Option<u64>,
    proposed: Rc<VecSet<u64>>,
    max_n: Rc<VecMap<u32, u64>>,
    /// Each proposal number a proposer used, with the proposer.
    used: Rc<VecSet<(u32, u64)>>,
}

impl Invariants {
    #[must_use]
    pub fn new(cfg: &PaxosConfig) -> Self {
        Invariants { majority: cfg.majority(), ..Invariants::default() }
    }

    /// The value chosen first, if any.
    #[must_use]
    pub fn chosen_value(&self) -> Option<u64> {
        self.chosen.first().map(|&(_, v)| v)
    }

    /// Take in one note from `node`; return the rules it breaks. A part
    /// is copied only when the note changes it and another state (or
    /// snapshot) shares it.
    pub fn observe(&mut self, node: u32, note: &Note) -> Vec<Violation> {
        let this = self;
        let mut out = Vec::new();
        match note {
            Note::AcceptorState { max_n, accepted, .. } => {
                let before = this.max_n.get(&node).copied();
                if before != Some(*max_n) {
                    edit(&mut this.max_n).insert(node, *max_n);
                }
                let before = before.unwrap_or(0);
                if *max_n < before {
                    out.push(Violation {
                        rule: Rule::MaxNDecreased,
                        nodes: vec![node],
                        values: (before, *max_n),
                    });
                }
                if let Some((n, v)) = *accepted {
                    if n > *max_n {
                        out.push(Violation {
                            rule: Rule::AcceptedAboveMaxN,
                            nodes: vec![node],
                            values: (n, *max_n),
                        });
                    }
                    if !this.accepted_by.contains(&((n, v), node)) {
                        this.accept(node, (n, v), &mut out);
                    }
                }
            }
            Note::Prepared { n } => {
                if this.used.contains(&(node, *n)) {
                    out.push(Violation {
                        rule: Rule::NumberReused,
                        nodes: vec![node],
                        values: (*n, *n),
                    });
                } else {
                    edit(&mut this.used).insert((node, *n));
                }
            }
            Note::Proposed { v } => {
                if !this.proposed.contains(v) {
                    edit(&mut this.proposed).insert(*v);
                }
            }
            Note::Learned { v } if !this.chosen.iter().any(|&(_, c)| c == *v) => {
                out.push(Violation {
                    rule: Rule::LearnedNotChosen,
                    nodes: vec![node],
                    values: (*v, this.chosen_value().unwrap_or(0)),
                });
            }
            Note::Learned { v } => match this.learned {
                Some(l) if l != *v => {
                    out.push(Violation {
                        rule: Rule::LearnersDisagree,
                        nodes: vec![node],
                        values: (l, *v),
                    });
                }
                Some(_) => {}
                None => this.learned = Some(*v),
            },
            Note::PromiseQuorum { .. } | Note::AcceptQuorum { .. } => {}
        }
        out
    }

    /// `node` accepted proposal (n, v), news to the checker: a majority
    /// makes (n, v) chosen.
    fn accept(&mut self, node: u32, (n, v): Proposal, out: &mut Vec<Violation>) {
        let set = edit(&mut self.accepted_by);
        if !set.insert(((n, v), node)) {
            return;
        }
        let by = || set.range(((n, v), 0)..=((n, v), u32::MAX)).map(|&(_, m)| m);
        if by().count() != self.majority {
            return;
        }
        let members: Vec<u32> = by().collect();
        if !self.proposed.contains(&v) {
            out.push(Violation {
                rule: Rule::ChosenNotProposed,
                nodes: members.clone(),
                values: (n, v),
            });
        }
        if let Some(&(_, v0)) = self.chosen.iter().find(|&&(_, v0)| v0 != v) {
            out.push(Violation { rule: Rule::TwoValuesChosen, nodes: members, values: (v0, v) });
        }
        Rc::make_mut(&mut self.chosen).push((n, v));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paxos::Variant;

    fn inv() -> Invariants {
        Invariants::new(&PaxosConfig {
            proposers: 2,
            acceptors: 3,
            backoff: false,
            retry_ticks: 100,
            collect_ticks: 0,
            variant: Variant::Faithful,
            learners: 0,
        })
    }

    fn accepted(i: &mut Invariants, node: u32, n: u64, v: u64) -> Vec<Violation> {
        i.observe(node, &Note::AcceptorState { max_n: n, accepted: Some((n, v)), restarted: false })
    }

    #[test]
    fn a_second_chosen_value_is_caught() {
        let mut i = inv();
        i.observe(3, &Note::Proposed { v: 5 });
        i.observe(4, &Note::Proposed { v: 9 });
        assert!(accepted(&mut i, 0, 2, 5).is_empty());
        assert!(accepted(&mut i, 1, 2, 5).is_empty());
        assert_eq!(i.chosen_value(), Some(5));
        assert!(accepted(&mut i, 1, 3, 9).is_empty());
        let v = accepted(&mut i, 2, 3, 9);
        assert_eq!(v[0].rule, Rule::TwoValuesChosen);
        assert_eq!(v[0].values, (5, 9));
    }

    #[test]
    fn the_same_value_chosen_again_is_fine() {
        let mut i = inv();
        i.observe(3, &Note::Proposed { v: 5 });
        accepted(&mut i, 0, 2, 5);
        accepted(&mut i, 1, 2, 5);
        accepted(&mut i, 1, 3, 5);
        assert!(accepted(&mut i, 2, 3, 5).is_empty());
    }

    #[test]
    fn max_n_going_down_after_a_restart_is_caught() {
        let mut i = inv();
        i.observe(0, &Note::AcceptorState { max_n: 7, accepted: None, restarted: false });
        let v = i.observe(0, &Note::AcceptorState { max_n: 0, accepted: None, restarted: true });
        assert_eq!(v[0].rule, Rule::MaxNDecreased);
    }

    #[test]
    fn a_reused_number_is_caught() {
        let mut i = inv();
        assert!(i.observe(3, &Note::Prepared { n: 2 }).is_empty());
        assert_eq!(i.observe(3, &Note::Prepared { n: 2 })[0].rule, Rule::NumberReused);
    }

    #[test]
    fn a_learned_value_must_have_been_chosen_and_learners_must_agree() {
        let mut i = inv();
        let learned = |i: &mut Invariants, node, v| -> Vec<Rule> {
            i.observe(node, &Note::Learned { v }).iter().map(|x| x.rule).collect()
        };
        assert_eq!(learned(&mut i, 5, 9), [Rule::LearnedNotChosen], "nothing chosen yet");
        i.observe(3, &Note::Proposed { v: 5 });
        accepted(&mut i, 0, 2, 5);
        accepted(&mut i, 1, 2, 5);
        assert_eq!(learned(&mut i, 5, 5), []);
        assert_eq!(learned(&mut i, 6, 5), [], "a second learner of the same value");
        i.observe(4, &Note::Proposed { v: 9 });
        accepted(&mut i, 1, 3, 9);
        accepted(&mut i, 2, 3, 9);
        assert_eq!(learned(&mut i, 7, 9), [Rule::LearnersDisagree]);
    }

    #[test]
    fn a_value_nobody_proposed_is_caught() {
        let mut i = inv();
        accepted(&mut i, 0, 2, 42);
        assert_eq!(accepted(&mut i, 1, 2, 42)[0].rule, Rule::ChosenNotProposed);
    }
}
