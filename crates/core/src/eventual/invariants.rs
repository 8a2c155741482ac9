//! The causal-delivery invariant, checked after every step: no replica ever
//! makes a write visible before everything its origin had seen when it was
//! written (lecture 02: nobody sees the reply without the comment).
//!
//! The checker keeps its own record of what each replica applied, from the
//! replicas' notes, so it does not trust the version vectors it checks.

use crate::node::Note as NodeNote;
use crate::safety::{Rule, Violation};

use super::Note;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Invariants {
    /// Only a causal store promises this.
    enforce: bool,
    /// Per replica, per origin: the sequence numbers applied there.
    applied: Vec<Vec<Vec<u64>>>,
}

impl Invariants {
    #[must_use]
    pub fn new(replicas: u32, enforce: bool) -> Self {
        let n = replicas as usize;
        Invariants { enforce, applied: vec![vec![Vec::new(); n]; n] }
    }

    /// How many writes of `origin` replica `node` holds without a gap.
    fn prefix(&self, node: usize, origin: usize) -> u64 {
        let seqs = &self.applied[node][origin];
        let mut k = 0;
        while seqs.contains(&(k + 1)) {
            k += 1;
        }
        k
    }

    pub fn observe(&mut self, node: u32, note: &NodeNote) -> Vec<Violation> {
        let NodeNote::Eventual(Note::Applied { origin, seq, deps, .. }) = note else {
            return Vec::new();
        };
        let (n, o) = (node as usize, *origin as usize);
        if n >= self.applied.len() || o >= self.applied.len() {
            return Vec::new();
        }
        let mut out = Vec::new();
        if self.enforce {
            for (k, &need) in deps.iter().enumerate().take(self.applied.len()) {
                let have = self.prefix(n, k);
                if have < need {
                    out.push(Violation {
                        rule: Rule::CausalGap,
                        nodes: vec![node, *origin],
                        values: (*seq, need - have),
                    });
                    break;
                }
            }
        }
        self.applied[n][o].push(*seq);
        out
    }
}
