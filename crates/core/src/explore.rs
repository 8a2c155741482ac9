//! Exhaustive, breadth-first exploration of a protocol's bounded state space.
//!
//! Where the simulator follows one schedule, a model checker follows all of
//! them. A [`Model`] says what a state is, which steps are enabled in it
//! (deliveries in any order, losses, crashes, timers firing early…) and what
//! each step leads to; [`search`] visits every reachable state once (by a
//! 64-bit fingerprint), breadth first, and stops at the first step that
//! breaks a safety rule, returning the shortest schedule that reaches it.

use std::collections::VecDeque;
use std::hash::{Hash, Hasher};
use std::rc::Rc;

use crate::hash::WordHasher;

use crate::safety::Violation;

/// A protocol as a transition system.
pub trait Model {
    type State: Clone + Hash;
    type Step: Clone;
    fn initial(&self) -> Self::State;
    /// Every step enabled in `s`.
    fn steps(&self, s: &Self::State) -> Vec<Self::Step>;
    /// Make `t` the state after `step`, with the first rule the step broke,
    /// if any; `None` when the step is not enabled or leaves the bounds
    /// (what `t` holds then does not matter).
    ///
    /// `t` is a successor the search has done with, most often one it had
    /// seen already (four steps in five reach a state seen before). A model
    /// that copies `s` over it with `clone_from` keeps its room, so such a
    /// step costs no allocation for the parts of a state it copies.
    fn next(
        &self,
        s: &Self::State,
        step: &Self::Step,
        t: &mut Self::State,
    ) -> Option<Option<Violation>>;
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

pub(crate) fn fingerprint<S: Hash>(s: &S) -> u64 {
    let mut h = WordHasher::default();
    s.hash(&mut h);
    h.finish()
}

/// A part of a state with its fingerprint, worked out once when the part
/// is made. States share their unchanged parts (a step changes one node),
/// so hashing a state hashes each shared part's number, not the part again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hashed<T> {
    value: T,
    hash: u64,
}

impl<T: Hash> Hashed<T> {
    pub fn new(value: T) -> Self {
        Hashed { hash: fingerprint(&value), value }
    }
}

impl<T: Clone + Hash> Hashed<T> {
    /// Change a shared part (copied if another state holds it) and work out
    /// its fingerprint again.
    pub fn edit<R>(part: &mut std::rc::Rc<Self>, f: impl FnOnce(&mut T) -> R) -> R {
        let this = std::rc::Rc::make_mut(part);
        let r = f(&mut this.value);
        this.hash = fingerprint(&this.value);
        r
    }
}

impl<T> std::ops::Deref for Hashed<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T> Hash for Hashed<T> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        h.write_u64(self.hash);
    }
}

/// Take out of `old` the part only it holds, for the next step to reuse its
/// box; `new`'s part at the same place goes in instead.
///
/// `old` is the successor the search threw away, about to be made a copy
/// of `new` (see [`Model::next`]); the part its step made is held by no
/// other state. Reusing its box saves an allocation and a free per step.
pub(crate) fn reclaim<'a, 'b, T: 'a + 'b>(
    old: impl Iterator<Item = &'a mut Rc<T>>,
    new: impl Iterator<Item = &'b Rc<T>>,
) -> Option<Rc<T>> {
    old.zip(new)
        .find(|(o, _)| Rc::strong_count(o) == 1 && Rc::weak_count(o) == 0)
        .map(|(o, n)| std::mem::replace(o, Rc::clone(n)))
}

/// `value` in the `spare` box if there is one, else in a new one.
pub(crate) fn rebox<T>(spare: Option<Rc<T>>, value: T) -> Rc<T> {
    if let Some(mut rc) = spare {
        if let Some(slot) = Rc::get_mut(&mut rc) {
            *slot = value;
            return rc;
        }
    }
    Rc::new(value)
}

/// Make a shared part this state's own (a copy), in the `spare` box if
/// there is one; a later `Rc::make_mut` then copies nothing.
pub(crate) fn own<T: Clone>(part: &mut Rc<T>, spare: &mut Option<Rc<T>>) {
    if Rc::strong_count(part) > 1 {
        if let Some(rc) = spare.take() {
            *part = rebox(Some(rc), T::clone(part));
        }
    }
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
    let mut bfs = Bfs {
        seen: Seen::new(),
        parents: vec![(0, None)],
        queue: VecDeque::new(),
        spare: None,
        report: Report { states: 1, transitions: 0, depth: 0, complete: false, violation: None },
    };
    bfs.seen.insert(fingerprint(&start));
    // The start, then every state queued. (Two calls, so that wasm-opt,
    // which inlines any function called from one place, keeps `expand`
    // a function of its own: see there.)
    if bfs.expand(m, &start, 0, 0, max_states, progress) {
        return bfs.report;
    }
    while let Some((s, at, depth)) = bfs.queue.pop_front() {
        if bfs.expand(m, &s, at, depth, max_states, progress) {
            return bfs.report;
        }
    }
    bfs.report.complete = true;
    bfs.report
}

/// A breadth-first search under way.
struct Bfs<M: Model> {
    seen: Seen,
    /// The state each one was reached from and the step that did it.
    parents: Vec<(u32, Option<M::Step>)>,
    queue: VecDeque<(M::State, u32, usize)>,
    /// The last successor made, when it was one seen before: the next one
    /// is made over it (see [`Model::next`]).
    spare: Option<M::State>,
    report: Report<M::Step>,
}

impl<M: Model> Bfs<M> {
    /// Queue every new successor of `s` (state `at`, at `depth`); true when the
    /// search is over (a violation, or the limit of states reached).
    ///
    /// Never inlined: in wasm a function runs its optimized code only from
    /// its next call on (V8 does not replace a running one), so the work
    /// must sit in a function called once per state, not in the loop that
    /// is entered once per search and would run unoptimized throughout.
    #[inline(never)]
    fn expand(
        &mut self,
        m: &M,
        s: &M::State,
        at: u32,
        depth: usize,
        max_states: u64,
        progress: &mut dyn FnMut(Progress),
    ) -> bool {
        let report = &mut self.report;
        report.depth = report.depth.max(depth);
        for step in m.steps(s) {
            let t = self.spare.get_or_insert_with(|| s.clone());
            let Some(broken) = m.next(s, &step, t) else { continue };
            report.transitions += 1;
            let index = u32::try_from(self.parents.len()).unwrap_or(u32::MAX);
            if !self.seen.insert(fingerprint(t)) {
                continue;
            }
            let Some(t) = self.spare.take() else { continue };
            self.parents.push((at, Some(step)));
            report.states += 1;
            if report.states.is_multiple_of(REPORT_EVERY) {
                progress(Progress {
                    states: report.states,
                    transitions: report.transitions,
                    depth: report.depth,
                    frontier: self.queue.len(),
                });
            }
            if let Some(v) = broken {
                report.violation = Some((v, path(&self.parents, index)));
                return true;
            }
            if report.states >= max_states {
                return true;
            }
            self.queue.push_back((t, index, depth + 1));
        }
        false
    }
}

/// The fingerprints of the states seen: open addressing over a power-of-two
/// table at most three quarters full, probed linearly. A fingerprint is
/// already well mixed, so its top bits pick the slot, and a probe reads one
/// array (a general hash table hashes the key again and reads a control
/// array and a bucket array: twice the cache misses in a table of millions).
/// Only probed, never iterated: nothing can depend on the order.
struct Seen {
    /// 0 is an empty slot (a fingerprint of 0 is stored as 1).
    slots: Vec<u64>,
    len: usize,
    /// 64 − log2 of the table's size.
    shift: u32,
}

impl Seen {
    const FIRST_BITS: u32 = 12;

    fn new() -> Self {
        Seen { slots: vec![0; 1 << Self::FIRST_BITS], len: 0, shift: 64 - Self::FIRST_BITS }
    }

    /// Add a fingerprint; false if it was there already.
    fn insert(&mut self, fp: u64) -> bool {
        if 4 * (self.len + 1) > 3 * self.slots.len() {
            self.grow();
        }
        let fp = fp.max(1);
        let mask = self.slots.len() - 1;
        let mut i = (fp >> self.shift) as usize;
        loop {
            let slot = &mut self.slots[i];
            if *slot == fp {
                return false;
            }
            if *slot == 0 {
                *slot = fp;
                self.len += 1;
                return true;
            }
            i = (i + 1) & mask;
        }
    }

    /// Twice the slots, every fingerprint placed again.
    fn grow(&mut self) {
        let twice = vec![0; self.slots.len() * 2];
        let old = std::mem::replace(&mut self.slots, twice);
        self.shift -= 1;
        self.len = 0;
        for fp in old.into_iter().filter(|&fp| fp != 0) {
            self.insert(fp);
        }
    }
}

/// The steps from the start to state `index`, walking the parents back.
fn path<Step: Clone>(parents: &[(u32, Option<Step>)], mut index: u32) -> Vec<Step> {
    let mut path = Vec::new();
    while let Some((parent, Some(step))) = parents.get(index as usize) {
        path.push(step.clone());
        index = *parent;
    }
    path.reverse();
    path
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::rc::Rc;

    #[test]
    fn the_table_of_states_seen_says_new_once_per_fingerprint_as_it_grows() {
        let mut seen = Seen::new();
        // Spread like fingerprints, plus 0 and 1 (stored alike) and
        // neighbours that share a slot.
        let fps: Vec<u64> =
            (0..20_000u64).map(|i| crate::rng::mix64(i) & !0xff | (i % 7)).collect();
        for &fp in &fps {
            assert!(seen.insert(fp), "{fp:#x} is new");
        }
        for &fp in &fps {
            assert!(!seen.insert(fp), "{fp:#x} was seen");
        }
        assert_eq!(seen.len, fps.len());
        assert!(seen.slots.len() >= fps.len() * 4 / 3 && seen.slots.len() < fps.len() * 4);
        assert!(seen.insert(0) && !seen.insert(1), "0 is stored as 1");
    }

    #[test]
    fn a_changed_part_has_the_fingerprint_of_its_new_value_and_its_sharers_keep_theirs() {
        let mut part = Rc::new(Hashed::new(vec![1u32, 2]));
        let shared = Rc::clone(&part);
        Hashed::edit(&mut part, |v| v.push(3));
        assert_eq!(*part, Hashed::new(vec![1, 2, 3]));
        assert_eq!(*shared, Hashed::new(vec![1, 2]));
        assert_ne!(fingerprint(&*part), fingerprint(&*shared));
    }
}
