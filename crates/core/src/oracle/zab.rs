//! Zab judged by what its clients were told, against what servers report
//! they delivered (the Zab paper's §3 promises, as a client sees them):
//!
//! * **one order** — one value per zxid, whoever tells it: a server's
//!   delivery, a snapshot, a write's acknowledgement or a read;
//! * **nothing acknowledged is lost** — no server moves past a zxid a
//!   client was told about (a write's acknowledgement, a read) without
//!   delivering it, and once the network heals every server holds them all;
//! * **sequential reads** — what one session sees (a client talking to one
//!   server, until that server restarts: ZooKeeper's session) never goes
//!   back in zxid order, its own writes included.
//!
//! `sync` before a read does not make the history linearizable, in
//! ZooKeeper or here: a leader cut off from its quorum answers `sync` until
//! it notices, while a new leader already commits (the swarm test shows
//! such a run). So linearizability is not among Zab's promises.

use crate::small::{VecMap, VecSet};

use super::{Finding, Oracle};
use crate::client::OpRecord;
use crate::types::Tick;
use crate::zab::{show, Note, Zxid};

#[derive(Clone, Debug, Default)]
pub struct Watch {
    /// The value first delivered under each zxid.
    values: VecMap<Zxid, u64>,
    /// The first disagreement among servers.
    conflict: Option<String>,
    /// Where each server's state is: the last zxid applied.
    at: VecMap<u32, Zxid>,
    /// Every move a server made by delivering: (tick, server, from, to).
    moves: Vec<(Tick, u32, Zxid, Zxid)>,
    /// Snapshots installed or restored: (server, zxid, value).
    snapshots: Vec<(u32, Zxid, Option<u64>)>,
    /// When each server restarted (a restart ends its sessions).
    restarts: VecMap<u32, Vec<Tick>>,
}

impl Watch {
    pub fn observe(&mut self, tick: Tick, node: u32, note: &Note) {
        match *note {
            Note::Delivered { zxid, value } => {
                let from = self.at.insert(node, zxid).unwrap_or(0);
                self.moves.push((tick, node, from, zxid));
                let first = *self.values.get_or(zxid, || value);
                if first != value && self.conflict.is_none() {
                    let z = show(zxid);
                    self.conflict =
                        Some(format!("S{node} delivered {value} at {z}, another {first}"));
                }
            }
            Note::Snapshot { zxid, value } => {
                self.at.insert(node, zxid);
                self.snapshots.push((node, zxid, value));
            }
            Note::Restored { zxid, value, .. } => {
                self.at.insert(node, zxid);
                self.snapshots.push((node, zxid, value));
                self.restarts.get_or_default(node).push(tick);
            }
            Note::Truncated { to } => {
                let at = self.at.get_or(node, || 0);
                *at = (*at).min(to);
            }
            _ => {}
        }
    }

    /// The register's value after `z`, as the servers delivered it.
    fn value_after(&self, z: Zxid) -> Option<u64> {
        self.values.range(..=z).next_back().map(|(_, &v)| v)
    }

    /// Judge the history. `settled`: when the network was healed and every
    /// server restarted, long enough ago that all should have caught up
    /// with what clients saw before then.
    #[cfg(test)]
    #[must_use]
    pub fn judge(&self, history: &[OpRecord], settled: Option<Tick>) -> Option<Finding> {
        [Oracle::OneOrder, Oracle::AckedWriteLost, Oracle::SequentialReads]
            .into_iter()
            .find_map(|o| self.judge_one(o, history, settled))
    }

    /// Whether one of Zab's promises holds.
    #[must_use]
    pub fn judge_one(
        &self,
        oracle: Oracle,
        history: &[OpRecord],
        settled: Option<Tick>,
    ) -> Option<Finding> {
        match oracle {
            Oracle::OneOrder => self.one_order(history),
            Oracle::AckedWriteLost => self.nothing_lost(history, settled),
            Oracle::SequentialReads => self.sequential(history),
            _ => None,
        }
    }

    fn one_order(&self, history: &[OpRecord]) -> Option<Finding> {
        let bad = |detail| Some(Finding { oracle: Oracle::OneOrder, detail });
        if let Some(c) = &self.conflict {
            return bad(c.clone());
        }
        for &(node, z, value) in &self.snapshots {
            if z != 0 && self.value_after(z) != value {
                return bad(format!("S{node}'s snapshot at {} holds {value:?}", show(z)));
            }
        }
        for r in history {
            let Some((_, value, stamp)) = r.ok() else { continue };
            let z = stamp.counter;
            let told = match r.op.written() {
                Some(v) => self.values.get(&z) == Some(&v),
                None => self.value_after(z) == value,
            };
            if !told {
                return bad(format!("op {} was told {value:?} at {}", r.id, show(z)));
            }
        }
        None
    }

    fn nothing_lost(&self, history: &[OpRecord], settled: Option<Tick>) -> Option<Finding> {
        let told: VecSet<(Zxid, Tick)> = history
            .iter()
            .filter_map(|r| r.ok().map(|(t, _, s)| (s.counter, t)))
            .filter(|&(z, _)| z != 0)
            .collect();
        let lost = |detail| Some(Finding { oracle: Oracle::AckedWriteLost, detail });
        for &(t, node, from, to) in &self.moves {
            if let Some(&(z, _)) = told.range((from + 1, 0)..(to, 0)).next() {
                let (z, to) = (show(z), show(to));
                return lost(format!(
                    "at {t} S{node} delivered {to} without {z}, which a client saw"
                ));
            }
        }
        let newest = told.iter().filter(|&&(_, t)| Some(t) < settled).map(|&(z, _)| z).max()?;
        if settled.is_some() {
            if let Some((node, &at)) = self.at.iter().find(|(_, &at)| at < newest) {
                let (at, z) = (show(at), show(newest));
                return lost(format!("healed, S{node} holds only up to {at}; a client saw {z}"));
            }
        }
        None
    }

    /// The session an operation belongs to: its client, its server, and
    /// how many times that server had restarted when it began.
    fn session(&self, r: &OpRecord) -> (u32, u32, usize) {
        let lives =
            self.restarts.get(&r.node).map_or(0, |ts| ts.partition_point(|&t| t <= r.invoke));
        (r.client, r.node, lives)
    }

    fn sequential(&self, history: &[OpRecord]) -> Option<Finding> {
        // Where an operation sits in the zxid order: a write at its zxid, a
        // read just after the zxid it saw.
        let mut last: VecMap<(u32, u32, usize), (Zxid, u8, u64)> = VecMap::new();
        for r in history {
            let Some((_, _, stamp)) = r.ok() else { continue };
            let here = (stamp.counter, u8::from(r.op.written().is_none()), r.id);
            let before = last.insert(self.session(r), here);
            if let Some(b) = before.filter(|b| (b.0, b.1) > (here.0, here.1)) {
                let detail = format!(
                    "client {} on S{}: op {} saw {}, then op {} saw {}",
                    r.client,
                    r.node,
                    b.2,
                    show(b.0),
                    r.id,
                    show(here.0)
                );
                return Some(Finding { oracle: Oracle::SequentialReads, detail });
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::Outcome;
    use crate::types::{ClientOp, Stamp};
    use crate::zab::zxid;

    fn op(id: u64, client: u32, node: u32, op: ClientOp, told: (Zxid, Option<u64>)) -> OpRecord {
        let stamp = Stamp { counter: told.0, writer: 0 };
        let ret = Some((id * 10 + 5, Outcome::Ok { value: told.1, stamp }));
        OpRecord { id, client, node, op, invoke: id * 10, ret }
    }

    fn deliver(w: &mut Watch, node: u32, z: Zxid, v: u64) {
        w.observe(0, node, &Note::Delivered { zxid: z, value: v });
    }

    #[test]
    fn a_server_that_moves_past_an_acknowledged_write_is_caught() {
        let mut w = Watch::default();
        deliver(&mut w, 0, zxid(1, 1), 7);
        deliver(&mut w, 0, zxid(1, 2), 8);
        deliver(&mut w, 1, zxid(1, 1), 7);
        let h = [op(1, 0, 0, ClientOp::Write(8), (zxid(1, 2), Some(8)))];
        assert_eq!(w.judge(&h, None), None);
        deliver(&mut w, 1, zxid(2, 1), 9);
        assert_eq!(w.judge(&h, None).expect("lost").oracle, Oracle::AckedWriteLost);
    }

    #[test]
    fn after_healing_every_server_must_hold_what_clients_saw() {
        let mut w = Watch::default();
        deliver(&mut w, 0, zxid(1, 1), 7);
        deliver(&mut w, 1, zxid(1, 1), 7);
        deliver(&mut w, 0, zxid(1, 2), 8);
        let h = [op(1, 0, 0, ClientOp::Read, (zxid(1, 2), Some(8)))];
        assert_eq!(w.judge(&h, None), None);
        assert_eq!(w.judge(&h, Some(1_000)).expect("lost").oracle, Oracle::AckedWriteLost);
    }

    #[test]
    fn two_values_under_one_zxid_are_caught() {
        let mut w = Watch::default();
        deliver(&mut w, 0, zxid(1, 1), 7);
        let h = [op(1, 0, 1, ClientOp::Read, (zxid(1, 1), Some(6)))];
        assert_eq!(w.judge(&h, None).expect("caught").oracle, Oracle::OneOrder);
        deliver(&mut w, 1, zxid(1, 1), 6);
        assert_eq!(w.judge(&[], None).expect("caught").oracle, Oracle::OneOrder);
    }

    #[test]
    fn a_session_that_reads_back_in_time_is_caught_unless_its_server_restarted() {
        let mut w = Watch::default();
        deliver(&mut w, 0, zxid(1, 1), 7);
        deliver(&mut w, 0, zxid(1, 2), 8);
        let h = [
            op(1, 0, 0, ClientOp::Read, (zxid(1, 2), Some(8))),
            op(2, 0, 0, ClientOp::Read, (zxid(1, 1), Some(7))),
        ];
        assert_eq!(w.judge(&h, None).expect("caught").oracle, Oracle::SequentialReads);
        // On another server it is another session.
        let other = [h[0].clone(), OpRecord { node: 1, ..h[1].clone() }];
        assert_eq!(w.judge(&other, None), None);
        w.observe(17, 0, &Note::Restored { zxid: zxid(1, 1), value: Some(7), accepted_epoch: 1 });
        assert_eq!(w.judge(&h, None), None);
    }

    #[test]
    fn a_read_before_ones_own_write_is_caught() {
        let mut w = Watch::default();
        deliver(&mut w, 0, zxid(1, 1), 7);
        deliver(&mut w, 0, zxid(1, 2), 8);
        let h = [
            op(1, 0, 0, ClientOp::Write(8), (zxid(1, 2), Some(8))),
            op(2, 0, 0, ClientOp::Read, (zxid(1, 1), Some(7))),
        ];
        assert_eq!(w.judge(&h, None).expect("caught").oracle, Oracle::SequentialReads);
    }
}
