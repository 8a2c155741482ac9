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
    let n = replicas as usize;
    let mut up = vec![true; n];
    let mut newest: Vec<Vec<Stamp>> = vec![vec![Stamp::default(); super::KEYS as usize]; n];
    let mut out: Vec<Window> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    // Replicas that applied each write, until it is everywhere.
    let mut holders: Vec<(usize, Vec<bool>)> = Vec::new();
    for e in trace {
        match &e.what {
            Happened::Note {
                node,
                note: NodeNote::Eventual(Note::Applied { origin, key, stamp, .. }),
            } => {
                let (r, k) = (*node as usize, *key as usize);
                if r >= n || k >= super::KEYS as usize {
                    continue;
                }
                if *stamp > newest[r][k] {
                    newest[r][k] = *stamp;
                }
                if origin == node {
                    out.push(Window {
                        key: *key,
                        stamp: *stamp,
                        origin: *origin,
                        start: e.tick,
                        end: None,
                        spread: None,
                    });
                    open.push(out.len() - 1);
                    holders.push((out.len() - 1, vec![false; n]));
                }
                for (i, held) in &mut holders {
                    if out[*i].stamp == *stamp && out[*i].key == *key {
                        held[r] = true;
                    }
                }
            }
            Happened::Crashed { node } if (*node as usize) < n => up[*node as usize] = false,
            Happened::Restarted { node } if (*node as usize) < n => up[*node as usize] = true,
            _ => continue,
        }
        holders.retain(|(i, held)| {
            let everywhere = (0..n).filter(|&r| up[r]).all(|r| held[r]);
            if everywhere {
                out[*i].spread = Some(e.tick);
            }
            !everywhere
        });
        open.retain(|&i| {
            let w = &mut out[i];
            let everywhere =
                (0..n).filter(|&r| up[r]).all(|r| newest[r][w.key as usize] >= w.stamp);
            if everywhere {
                w.end = Some(e.tick);
            }
            !everywhere
        });
    }
    out
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
