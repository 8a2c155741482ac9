//! The run's faults (crashes, restarts, partitions, heals, new leaders) for
//! the history lanes, read from the trace as it grows: a summary reads only
//! the entries added since the last one.

use std::hash::{Hash, Hasher};
use std::rc::Rc;

use qcore::hash::Fnv1a;
use qcore::Sim;
use qscene::Fault;

/// The faults so far and how much of the trace they cover.
#[derive(Default)]
pub struct FaultScan {
    /// The run they were read from: the scenario (its actions included) and
    /// how much of the trace's front was forgotten. When it changes, or the
    /// trace is shorter than what was read (a seek back), reading restarts.
    key: Option<(u64, u64)>,
    read: usize,
    faults: Rc<Vec<Fault>>,
}

impl FaultScan {
    /// The faults up to the present moment of `sim`.
    pub fn get(&mut self, sim: &Sim) -> Rc<Vec<Fault>> {
        let trace = sim.trace();
        let mut f = Fnv1a::default();
        sim.scenario().hash(&mut f);
        let key = (f.finish(), sim.forgotten_entries());
        if self.key != Some(key) || trace.len() < self.read {
            *self = FaultScan { key: Some(key), ..FaultScan::default() };
        }
        let mut new = Vec::new();
        qscene::collect_faults(&trace[self.read..], &mut new);
        self.read = trace.len();
        if !new.is_empty() {
            let all = Rc::make_mut(&mut self.faults);
            // One partition may straddle two reads.
            let repeat = all.last().is_some_and(|l| l.node.is_none() && Some(l) == new.first());
            all.extend(new.into_iter().skip(usize::from(repeat)));
        }
        Rc::clone(&self.faults)
    }
}
