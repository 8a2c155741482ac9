//! Exhaustive, breadth-first exploration of a protocol's bounded state space.
//!
//! Where the simulator follows one schedule, a model checker follows all of
//! them. A [`Model`] says what a state is, which steps are enabled in it
//! (deliveries in any order, losses, crashes, timers firing early…) and what
//! each step leads to; [`search`] visits every reachable state once (by a
//! 64-bit fingerprint), breadth first, and stops at the first step that
//! breaks a safety rule, returning the shortest schedule that reaches it.

use std::collections::{BTreeMap, VecDeque};
use std::hash::{Hash, Hasher};

use crate::safety::Violation;

/// A protocol as a transition system.
pub trait Model {
    type State: Clone + Hash;
    type Step: Clone;
    fn initial(&self) -> Self::State;
    /// Every step enabled in `s`.
    fn steps(&self, s: &Self::State) -> Vec<Self::Step>;
    /// The state after `step`, or `None` when it leaves the bounds; with the
    /// first rule the step broke, if any.
    fn next(&self, s: &Self::State, step: &Self::Step) -> Option<(Self::State, Option<Violation>)>;
}

/// What a search found.
#[derive(Clone, Debug)]
pub struct Report<Step> {
    pub states: u64,
    pub transitions: u64,
    pub depth: usize,
    /// The whole bounded space was searched.
    pub complete: bool,
    pub violation: Option<(Violation, Vec<Step>)>,
}

fn fingerprint<S: Hash>(s: &S) -> u64 {
    let mut h = crate::hash::WordHasher::default();
    s.hash(&mut h);
    h.finish()
}

/// How far a search has got, as it runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    pub states: u64,
    pub transitions: u64,
    pub depth: usize,
    /// States found but not yet expanded.
    pub frontier: usize,
}

/// New states between two progress reports.
const REPORT_EVERY: u64 = 1 << 12;

/// Search the bounded space breadth first, at most `max_states` states.
#[must_use]
pub fn search<M: Model>(m: &M, max_states: u64) -> Report<M::Step> {
    search_with(m, max_states, &mut |_| {})
}

/// [`search`], telling `progress` how far it has got every few thousand
/// states (a page shows it; the search itself never looks at a clock).
pub fn search_with<M: Model>(
    m: &M,
    max_states: u64,
    progress: &mut dyn FnMut(Progress),
) -> Report<M::Step> {
    let start = m.initial();
    let mut seen: BTreeMap<u64, Option<(u64, M::Step)>> = BTreeMap::new();
    let fp0 = fingerprint(&start);
    seen.insert(fp0, None);
    let mut queue = VecDeque::from([(start, fp0, 0usize)]);
    let mut report =
        Report { states: 1, transitions: 0, depth: 0, complete: false, violation: None };
    while let Some((s, fp, depth)) = queue.pop_front() {
        report.depth = report.depth.max(depth);
        for step in m.steps(&s) {
            let Some((t, broken)) = m.next(&s, &step) else { continue };
            report.transitions += 1;
            let tf = fingerprint(&t);
            if seen.contains_key(&tf) {
                continue;
            }
            seen.insert(tf, Some((fp, step.clone())));
            report.states += 1;
            if report.states % REPORT_EVERY == 0 {
                progress(Progress {
                    states: report.states,
                    transitions: report.transitions,
                    depth: report.depth,
                    frontier: queue.len(),
                });
            }
            if let Some(v) = broken {
                // Walk the parents back to the start.
                let mut path = Vec::new();
                let mut cur = tf;
                while let Some(Some((parent, st))) = seen.get(&cur) {
                    path.push(st.clone());
                    cur = *parent;
                }
                path.reverse();
                report.violation = Some((v, path));
                return report;
            }
            if report.states >= max_states {
                return report;
            }
            queue.push_back((t, tf, depth + 1));
        }
    }
    report.complete = true;
    report
}
