//! Paxos judged by what its clients and learners were told: every value
//! anyone reported is one value, a client proposed it, and a majority of
//! acceptors held it accepted at one moment (Paxos Made Simple §2.1: a value
//! is chosen when a majority accepted it).

use crate::small::VecMap;

use super::{Finding, Oracle};
use crate::client::OpRecord;
use crate::paxos::{Note, Proposal};
use crate::types::{ClientOp, Tick};

/// What the acceptors and learners reported, as the run goes.
#[derive(Clone, Debug, Default)]
pub struct Watch {
    majority: usize,
    /// Each acceptor's accepted proposal now.
    now: VecMap<u32, Proposal>,
    /// Values a majority held accepted at some moment.
    chosen: Vec<u64>,
    /// (tick, learner, value) for every value learned.
    learned: Vec<(Tick, u32, u64)>,
}

impl Watch {
    #[must_use]
    pub fn new(majority: usize) -> Self {
        Watch { majority, ..Watch::default() }
    }

    pub fn observe(&mut self, tick: Tick, node: u32, note: &Note) {
        match *note {
            Note::AcceptorState { accepted: Some(p), .. } => {
                self.now.insert(node, p);
                let holding = self.now.values().filter(|&&q| q == p).count();
                if holding >= self.majority && !self.chosen.contains(&p.1) {
                    self.chosen.push(p.1);
                }
            }
            Note::Learned { v } => self.learned.push((tick, node, v)),
            _ => {}
        }
    }

    /// Every value reported to a client or learned by a node, with where.
    fn reported(&self, history: &[OpRecord]) -> Vec<(Tick, String, u64)> {
        let told = history.iter().filter_map(|r| {
            let (t, v, _) = r.ok()?;
            Some((t, format!("client {} (op {})", r.client, r.id), v?))
        });
        let learned = self.learned.iter().map(|&(t, n, v)| (t, format!("node {n} learned"), v));
        let mut all: Vec<_> = told.chain(learned).collect();
        crate::order::by_key(&mut all, |r| u128::from(r.0));
        all
    }

    /// The first promise broken, in the order they build on each other.
    #[cfg(test)]
    #[must_use]
    pub fn judge(&self, history: &[OpRecord]) -> Option<Finding> {
        [Oracle::OneValue, Oracle::ChosenWasProposed, Oracle::ChosenByMajority]
            .into_iter()
            .find_map(|o| self.judge_one(o, history))
    }

    /// Whether one promise holds: every report gives one value, every value
    /// reported was written by a client, every value reported was held
    /// accepted by a majority at one moment.
    #[must_use]
    pub fn judge_one(&self, oracle: Oracle, history: &[OpRecord]) -> Option<Finding> {
        let reported = self.reported(history);
        let (t0, who0, v0) = reported.first()?;
        let detail = match oracle {
            Oracle::OneValue => {
                let (t, who, v) = reported.iter().find(|r| r.2 != *v0)?;
                format!("{who0} was told {v0} at {t0}, {who} was told {v} at {t}")
            }
            Oracle::ChosenWasProposed => {
                let (_, _, v) = reported
                    .iter()
                    .find(|r| !history.iter().any(|o| o.op == ClientOp::Write(r.2)))?;
                format!("{v} was reported but no client wrote it")
            }
            Oracle::ChosenByMajority => {
                let (_, _, v) = reported.iter().find(|r| !self.chosen.contains(&r.2))?;
                format!("{v} was reported but no majority ever held it accepted")
            }
            _ => return None,
        };
        Some(Finding { oracle, detail })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::Outcome;
    use crate::types::Stamp;

    fn write(id: u64, v: u64, told: Option<u64>) -> OpRecord {
        let ret = told.map(|t| (10 + id, Outcome::Ok { value: Some(t), stamp: Stamp::default() }));
        OpRecord { id, client: 0, node: 3, op: ClientOp::Write(v), invoke: id, ret }
    }

    fn accept(w: &mut Watch, node: u32, p: Proposal) {
        let note = Note::AcceptorState { max_n: p.0, accepted: Some(p), restarted: false };
        w.observe(0, node, &note);
    }

    #[test]
    fn one_chosen_value_reported_everywhere_passes() {
        let mut w = Watch::new(2);
        accept(&mut w, 0, (1, 5));
        accept(&mut w, 1, (1, 5));
        w.observe(20, 2, &Note::Learned { v: 5 });
        assert_eq!(w.judge(&[write(0, 5, Some(5)), write(1, 9, Some(5))]), None);
    }

    #[test]
    fn two_values_told_to_clients_are_caught() {
        let mut w = Watch::new(2);
        accept(&mut w, 0, (1, 5));
        accept(&mut w, 1, (1, 5));
        let f = w.judge(&[write(0, 5, Some(5)), write(1, 9, Some(9))]).expect("caught");
        assert_eq!(f.oracle, Oracle::OneValue);
    }

    #[test]
    fn a_value_no_majority_held_at_once_is_caught() {
        // Acceptor 0 holds (1, 5), then moves on; acceptor 1 holds it only
        // afterwards: never two at once.
        let mut w = Watch::new(2);
        accept(&mut w, 0, (1, 5));
        accept(&mut w, 0, (2, 7));
        accept(&mut w, 1, (1, 5));
        let f = w.judge(&[write(0, 5, Some(5))]).expect("caught");
        assert_eq!(f.oracle, Oracle::ChosenByMajority);
    }

    #[test]
    fn a_value_no_client_wrote_is_caught() {
        let w = Watch::new(2);
        let f = w.judge(&[write(0, 5, Some(6))]).expect("caught");
        assert_eq!(f.oracle, Oracle::ChosenWasProposed);
    }
}
