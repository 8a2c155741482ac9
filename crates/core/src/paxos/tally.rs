//! What a proposer counts in a round: the promises of phase 1 (with what
//! each acceptor had accepted) and the acceptances of phase 2.
//!
//! A proposer's phase is copied each time a step changes it (a search
//! makes millions of such copies), so both are kept inline, without a heap
//! allocation: the promises of up to three acceptors (the searches' size;
//! more spill to the heap), the acceptances as a bit per node, and the
//! clients waiting for the outcome (two inline).

use smallvec::SmallVec;

use super::Proposal;

/// The clients (and their operations) waiting for a round's outcome.
pub(super) type Waiting = SmallVec<[(u32, u64); 2]>;

/// The promises of one round, by acceptor, in the order of their ids.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Promises(SmallVec<[(u32, Option<Proposal>); 3]>);

impl Promises {
    /// Count `acceptor`'s promise, which reported `accepted`. A copy of a
    /// promise already counted changes nothing.
    pub fn add(&mut self, acceptor: u32, accepted: Option<Proposal>) {
        let at = self.0.partition_point(|(a, _)| *a < acceptor);
        if self.0.get(at).is_none_or(|(a, _)| *a != acceptor) {
            self.0.insert(at, (acceptor, accepted));
        }
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The acceptors who promised, in id order.
    pub fn members(&self) -> impl Iterator<Item = u32> + '_ {
        self.0.iter().map(|(a, _)| *a)
    }

    /// The proposals the promising acceptors had accepted.
    pub fn accepted(&self) -> impl Iterator<Item = &Proposal> {
        self.0.iter().filter_map(|(_, p)| p.as_ref())
    }
}

/// A set of node ids, one bit each (a scenario has at most 15 nodes).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Acceptances(u32);

impl Acceptances {
    /// Count `acceptor`; counted twice, it is still one.
    pub fn insert(&mut self, acceptor: u32) {
        self.0 |= 1u32.checked_shl(acceptor).expect("a node id below 32");
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.0.count_ones() as usize
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0 == 0
    }

    /// The acceptors counted, in id order.
    pub fn members(&self) -> impl Iterator<Item = u32> + '_ {
        (0..32).filter(|&a| self.0 & (1 << a) != 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_promise_counts_once_and_keeps_what_it_first_reported() {
        let mut p = Promises::default();
        p.add(2, Some((7, 1)));
        p.add(0, None);
        p.add(2, Some((9, 4)));
        p.add(4, Some((3, 2)));
        assert_eq!(p.len(), 3);
        assert_eq!(p.members().collect::<Vec<_>>(), [0, 2, 4]);
        assert_eq!(p.accepted().copied().collect::<Vec<_>>(), [(7, 1), (3, 2)]);
    }

    #[test]
    fn an_acceptance_counts_once() {
        let mut a = Acceptances::default();
        assert!(a.is_empty());
        for x in [3, 0, 3, 14] {
            a.insert(x);
        }
        assert_eq!(a.len(), 3);
        assert_eq!(a.members().collect::<Vec<_>>(), [0, 3, 14]);
    }
}
