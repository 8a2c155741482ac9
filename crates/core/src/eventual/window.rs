//! The inconsistency window of each write (lecture 02, 最终一致性): from the
//! moment a replica accepts it until every live replica holds it or a newer
//! write to the same key (one that supersedes it under last-writer-wins).
//! The lecture names what stretches the window: network latency, load and
//! the number of replicas.
//!
//! Measured from the trace alone (the replicas' `Applied` notes, crashes and
//! restarts), so it can be drawn for any moment of a recorded run.

use crate::node::Note as NodeNote;
use crate::trace::{Happened, TraceEntry};
use crate::types::{Stamp, Tick};

use super::Note;

/// One write's window.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Window {
    pub key: u32,
    pub stamp: Stamp,
    pub origin: u32,
    pub start: Tick,
    /// `None` while some live replica still lacks it.
    pub end: Option<Tick>,
    /// When every live replica held this very write (not a newer one):
    /// the replication delay alone, which queues stretch under load.
    pub spread: Option<Tick>,
}

impl Window {
    /// Its length, measured up to `now` while it is open.
    #[must_use]
    pub fn length(&self, now: Tick) -> Tick {
        self.end.unwrap_or(now).saturating_sub(self.start)
    }
}

/// Every write's window in a trace of a store with `replicas` replicas.
#[must_use]
pub fn windows(trace: &[TraceEntry], replicas: u32) -> Vec<Window> {
    let mut scan = Scan::new(replicas);
    scan.feed(trace);
    scan.out
}

/// The windows of a trace read so far, to be fed more of it as it grows
/// (a viewer reads only what was added since it last looked).
#[derive(Clone, Debug)]
pub struct Scan {
    up: Vec<bool>,
    /// The newest stamp each replica holds, per key.
    newest: Vec<Vec<Stamp>>,
    out: Vec<Window>,
    open: Vec<usize>,
    /// Replicas that applied each write, until it is everywhere.
    holders: Vec<(usize, Vec<bool>)>,
}

impl Scan {
    #[must_use]
    pub fn new(replicas: u32) -> Self {
        let n = replicas as usize;
        Scan {
            up: vec![true; n],
            newest: vec![vec![Stamp::default(); super::KEYS as usize]; n],
            out: Vec::new(),
            open: Vec::new(),
            holders: Vec::new(),
        }
    }

    /// Every window so far.
    #[must_use]
    pub fn windows(&self) -> &[Window] {
        &self.out
    }

    /// Read the next entries of the trace.
    pub fn feed(&mut self, entries: &[TraceEntry]) {
        let n = self.up.len();
        for e in entries {
            match &e.what {
                Happened::Note {
                    node,
                    note: NodeNote::Eventual(Note::Applied { origin, key, stamp, .. }),
                } => {
                    let (r, k) = (*node as usize, *key as usize);
                    if r >= n || k >= super::KEYS as usize {
                        continue;
                    }
                    self.applied(r, *origin == *node, *key, *stamp, e.tick);
                }
                Happened::Crashed { node } if (*node as usize) < n => {
                    self.up[*node as usize] = false
                }
                Happened::Restarted { node } if (*node as usize) < n => {
                    self.up[*node as usize] = true;
                }
                _ => continue,
            }
            self.close(e.tick);
        }
    }

    /// Replica `r` applied a write (its own when `first`).
    fn applied(&mut self, r: usize, first: bool, key: u32, stamp: Stamp, tick: Tick) {
        let n = self.up.len();
        let newest = &mut self.newest[r][key as usize];
        if stamp > *newest {
            *newest = stamp;
        }
        if first {
            let origin = r as u32;
            self.out.push(Window { key, stamp, origin, start: tick, end: None, spread: None });
            self.open.push(self.out.len() - 1);
            self.holders.push((self.out.len() - 1, vec![false; n]));
        }
        for (i, held) in &mut self.holders {
            if self.out[*i].stamp == stamp && self.out[*i].key == key {
                held[r] = true;
            }
        }
    }

    /// Close what every live replica now holds.
    fn close(&mut self, tick: Tick) {
        let Scan { up, newest, out, open, holders } = self;
        let live = |r: &usize| up[*r];
        holders.retain(|(i, held)| {
            let everywhere = (0..up.len()).filter(live).all(|r| held[r]);
            if everywhere {
                out[*i].spread = Some(tick);
            }
            !everywhere
        });
        open.retain(|&i| {
            let w = &mut out[i];
            let everywhere =
                (0..up.len()).filter(live).all(|r| newest[r][w.key as usize] >= w.stamp);
            if everywhere {
                w.end = Some(tick);
            }
            !everywhere
        });
    }
}

/// Mean time for a write to reach every live replica, over those that did.
#[must_use]
pub fn mean_spread(ws: &[Window]) -> Tick {
    let done: Vec<Tick> = ws.iter().filter_map(|w| w.spread.map(|e| e - w.start)).collect();
    if done.is_empty() {
        0
    } else {
        done.iter().sum::<Tick>() / done.len() as Tick
    }
}

/// Mean and longest length of the closed windows, and how many are open.
#[must_use]
pub fn summary(ws: &[Window]) -> (Tick, Tick, usize) {
    let closed: Vec<Tick> = ws.iter().filter_map(|w| w.end.map(|e| e - w.start)).collect();
    let mean =
        if closed.is_empty() { 0 } else { closed.iter().sum::<Tick>() / closed.len() as Tick };
    let max = closed.iter().copied().max().unwrap_or(0);
    (mean, max, ws.len() - closed.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trace_fed_in_pieces_gives_the_windows_of_the_whole() {
        let scenario = crate::lessons::lesson("ec-window").expect("the window lesson");
        let crate::ProtocolConfig::Eventual(cfg) = &scenario.protocol else { panic!("a store") };
        let replicas = cfg.replicas;
        let mut sim = crate::Sim::new(scenario).unwrap();
        sim.run_until(6_000);
        let whole = windows(sim.trace(), replicas);
        assert!(whole.len() > 3 && whole.iter().any(|w| w.end.is_some()));
        let mut scan = Scan::new(replicas);
        for piece in sim.trace().chunks(7) {
            scan.feed(piece);
        }
        assert_eq!(scan.windows(), whole.as_slice());
    }

    fn at(tick: Tick, what: Happened) -> TraceEntry {
        TraceEntry { event: tick, tick, what }
    }

    fn applied(tick: Tick, node: u32, origin: u32, key: u32, counter: u64) -> TraceEntry {
        let stamp = Stamp { counter, writer: origin };
        let note = Note::Applied { origin, seq: 1, key, stamp, deps: Vec::new() };
        at(tick, Happened::Note { node, note: NodeNote::Eventual(note) })
    }

    #[test]
    fn a_crashed_replica_is_not_waited_for_until_it_restarts() {
        let trace = [
            applied(10, 0, 0, 0, 1),
            applied(20, 1, 0, 0, 1),
            // Replica 2 never got the first write: its crash closes it.
            at(25, Happened::Crashed { node: 2 }),
            // What names no replica or key of this store is left out.
            at(26, Happened::Crashed { node: 3 }),
            at(27, Happened::Restarted { node: 3 }),
            applied(28, 3, 0, 0, 5),
            applied(29, 0, 0, super::super::KEYS, 5),
            at(30, Happened::Restarted { node: 2 }),
            applied(40, 1, 1, 0, 2),
            applied(45, 0, 1, 0, 2),
            // Restarted, replica 2 is waited for again.
            applied(50, 2, 1, 0, 2),
        ];
        let ws = windows(&trace, 3);
        let first = Window {
            key: 0,
            stamp: Stamp { counter: 1, writer: 0 },
            origin: 0,
            start: 10,
            end: Some(25),
            spread: Some(25),
        };
        let second = Window {
            stamp: Stamp { counter: 2, writer: 1 },
            origin: 1,
            start: 40,
            end: Some(50),
            spread: Some(50),
            ..first.clone()
        };
        assert_eq!(ws, vec![first, second]);
        assert_eq!(summary(&ws), (12, 15, 0));
        assert_eq!(mean_spread(&ws), 12);
        assert_eq!(ws[1].length(1_000), 10);
    }
}
