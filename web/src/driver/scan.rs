//! What the summaries read from the trace as it grows: the run's faults
//! (crashes, restarts, partitions, heals, new leaders) for the history
//! lanes, and the store's inconsistency windows. A summary reads only the
//! entries added since the last one.

use std::hash::{Hash, Hasher};
use std::rc::Rc;

use qcore::eventual::window;
use qcore::hash::Fnv1a;
use qcore::{Sim, TraceEntry};
use qscene::Fault;

/// Something folded over the trace, and how much of it was read.
#[derive(Default)]
pub struct TraceScan<S> {
    /// The run it was read from: the scenario (its actions included) and
    /// how much of the trace's front was forgotten. When it changes, or the
    /// trace is shorter than what was read (a seek back), reading restarts.
    key: Option<(u64, u64)>,
    read: usize,
    state: S,
}

impl<S> TraceScan<S> {
    /// The fold up to the present moment of `sim`: `fresh` starts one,
    /// `feed` reads entries into it.
    fn get(
        &mut self,
        sim: &Sim,
        fresh: impl FnOnce() -> S,
        feed: impl FnOnce(&mut S, &[TraceEntry]),
    ) -> &S {
        let trace = sim.trace();
        let mut f = Fnv1a::default();
        sim.scenario().hash(&mut f);
        let key = (f.finish(), sim.forgotten_entries());
        if self.key != Some(key) || trace.len() < self.read {
            *self = TraceScan { key: Some(key), read: 0, state: fresh() };
        }
        feed(&mut self.state, &trace[self.read..]);
        self.read = trace.len();
        &self.state
    }
}

/// The faults so far.
pub type FaultScan = TraceScan<Rc<Vec<Fault>>>;

impl FaultScan {
    pub fn faults(&mut self, sim: &Sim) -> Rc<Vec<Fault>> {
        let all = self.get(sim, Rc::default, |all, entries| {
            let mut new = Vec::new();
            qscene::collect_faults(entries, &mut new);
            if new.is_empty() {
                return;
            }
            let all = Rc::make_mut(all);
            // One partition may straddle two reads.
            let repeat = all.last().is_some_and(|l| l.node.is_none() && Some(l) == new.first());
            all.extend(new.into_iter().skip(usize::from(repeat)));
        });
        Rc::clone(all)
    }
}

/// The store's windows so far.
pub type WindowScan = TraceScan<Option<window::Scan>>;

impl WindowScan {
    pub fn windows(&mut self, sim: &Sim, replicas: u32) -> &[window::Window] {
        let scan = self.get(
            sim,
            || Some(window::Scan::new(replicas)),
            |s, entries| {
                if let Some(s) = s {
                    s.feed(entries);
                }
            },
        );
        scan.as_ref().map_or(&[], window::Scan::windows)
    }
}
