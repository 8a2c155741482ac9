//! The linearizability search, resumable.
//!
//! Wing & Gong's search with Lowe's memo (see [`super::linear`]), kept as
//! a value rather than a loop, so it can run in slices: a history of many
//! keys gives each key's search a slice in turn (one hard key cannot starve
//! an easy bad one), and a long check can report progress between slices
//! and be cancelled.

// The memo uses a HashMap with a fixed hasher: deterministic, and only
// probed, never iterated (the ban on HashMap in the core is about seeds).
use crate::small::VecMap;
#[allow(clippy::disallowed_types)]
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};

use super::linear::{Model, Op, Verdict};
use crate::hash::WordHasher;

const NONE: usize = usize::MAX;

/// How many of the next returns [`Search::blocked_by`] looks at: on the
/// generated store histories (10 clients, one key) 4 decided each in
/// 10-90 ms, 2 in up to 2.8 s and 1 in up to 8 s; 8 and 16 were no faster.
const LOOKAHEAD: usize = 4;

/// Lowe's memo: (linearized set, state) pairs seen, in an arena chained by
/// fingerprint. The full pair is compared on a fingerprint match, so a
/// collision costs time, never a wrong answer; nothing is allocated unless
/// the pair is new.
#[allow(clippy::disallowed_types)] // a fixed hasher; the memo is never iterated
struct Memo<S> {
    heads: HashMap<u64, u32, BuildHasherDefault<WordHasher>>,
    arena: Vec<(u32, Box<[u64]>, S, u32)>,
}

impl<S: Eq + Hash> Memo<S> {
    #[allow(clippy::disallowed_types)] // a fixed hasher; the memo is never iterated
    fn new() -> Self {
        Memo { heads: HashMap::default(), arena: Vec::new() }
    }

    /// Remember the pair; false if it was already there.
    fn insert(&mut self, view: &[u64], open: &[u64], state: &S) -> bool
    where
        S: Clone,
    {
        let (lo, words) = window(view);
        let mut h = WordHasher::default();
        h.write_u64(u64::from(lo));
        for &w in words.iter().chain(open) {
            h.write_u64(w);
        }
        state.hash(&mut h);
        let fp = h.finish();
        let chain = self.heads.get(&fp).copied().unwrap_or(u32::MAX);
        let mut at = chain;
        while at != u32::MAX {
            let (l, b, st, next) = &self.arena[at as usize];
            if *l == lo && b.len() == words.len() + open.len() && st == state {
                let (w, o) = b.split_at(words.len());
                if w == words && o == open {
                    return false;
                }
            }
            at = *next;
        }
        let idx = u32::try_from(self.arena.len()).unwrap_or(u32::MAX);
        let key: Box<[u64]> = words.iter().chain(open).copied().collect();
        self.arena.push((lo, key, state.clone(), chain));
        self.heads.insert(fp, idx);
        true
    }
}

/// A linearized set as the memo keeps it: the operations are in invocation
/// order, and those long returned are all linearized, so the set is the
/// index of its first word not all ones and the words from there to its
/// last nonzero one (a few words, where the whole set is n/64). Open ops,
/// which may stay unplaced forever, are kept apart (their bits here are
/// ones) so that one called early does not widen every window.
fn window(bits: &[u64]) -> (u32, &[u64]) {
    let lo = bits.iter().position(|&w| w != u64::MAX).unwrap_or(bits.len());
    let hi = bits.iter().rposition(|&w| w != 0).map_or(lo, |h| h + 1).max(lo);
    (u32::try_from(lo).unwrap_or(u32::MAX), &bits[lo..hi])
}

/// One key's search, paused between slices.
pub struct Search<'m, M: Model> {
    model: &'m M,
    ops: Vec<Op<M::Input>>,
    /// Entries in time order: a call per op and a return per completed op.
    /// An open op has no return: it need never be linearized (never taking
    /// effect is one of its outcomes), so the search ends when every
    /// completed op is placed.
    entries: Vec<(u64, bool, usize)>,
    /// A doubly linked list over the entries, with a head sentinel at the end.
    next: Vec<usize>,
    prev: Vec<usize>,
    call_of: Vec<usize>,
    /// `NONE` for an open op.
    ret_of: Vec<usize>,
    /// For an open op, the nearest open op invoked before it with the same
    /// input (`NONE` if none): see [`Search::may_place`].
    twin: Vec<usize>,
    /// Completed ops not yet linearized.
    rets_left: usize,
    /// The completed ops linearized, by index, with every open op's bit set.
    view: Vec<u64>,
    /// The open ops linearized, by their rank among the open ops.
    open_bits: Vec<u64>,
    /// An open op's rank (`NONE` for completed ops).
    rank: Vec<usize>,
    memo: Memo<M::State>,
    state: M::State,
    /// The operations linearized, each with the state before it.
    stack: Vec<(usize, M::State)>,
    /// The longest prefix linearized so far is copied only when the search
    /// backs out of a new record depth (copying it on every deeper step
    /// would make a long history quadratic).
    longest: Vec<usize>,
    deepest: usize,
    stuck: usize,
    entry: usize,
    steps: u64,
    verdict: Option<Verdict>,
}

impl<'m, M: Model> Search<'m, M> {
    #[must_use]
    pub fn new(model: &'m M, ops: Vec<Op<M::Input>>) -> Self {
        let n = ops.len();
        let mut entries: Vec<(u64, bool, usize)> = Vec::with_capacity(2 * n);
        for (i, op) in ops.iter().enumerate() {
            entries.push((op.invoke, false, i));
            if let Some(r) = op.ret {
                entries.push((r, true, i));
            }
        }
        // Calls before returns at equal times: overlapping is the generous reading.
        crate::order::by_key(&mut entries, |&(t, is_ret, i)| {
            crate::order::pair(t, u64::from(is_ret) << 32 | i as u64)
        });
        let m = entries.len();
        let head = m;
        let (mut next, mut prev) = (vec![NONE; m + 1], vec![NONE; m + 1]);
        let (mut call_of, mut ret_of) = (vec![0; n], vec![NONE; n]);
        for (k, &(_, is_ret, i)) in entries.iter().enumerate() {
            if is_ret {
                ret_of[i] = k;
            } else {
                call_of[i] = k;
            }
        }
        let mut last = head;
        for (k, p) in prev.iter_mut().enumerate().take(m) {
            next[last] = k;
            *p = last;
            last = k;
        }
        let entry = next[head];
        let rets_left = ops.iter().filter(|o| o.ret.is_some()).count();
        let twin = twins(&ops, &entries);
        let mut view = vec![0u64; n.div_ceil(64)];
        let mut rank = vec![NONE; n];
        let mut opens = 0;
        for (i, o) in ops.iter().enumerate() {
            if o.ret.is_none() {
                view[i / 64] |= 1 << (i % 64);
                rank[i] = opens;
                opens += 1;
            }
        }
        Search {
            model,
            ops,
            entries,
            next,
            prev,
            call_of,
            ret_of,
            twin,
            rets_left,
            view,
            open_bits: vec![0; opens.div_ceil(64)],
            rank,
            memo: Memo::new(),
            state: model.init(),
            stack: Vec::new(),
            longest: Vec::new(),
            deepest: 0,
            stuck: 0,
            entry,
            steps: 0,
            verdict: None,
        }
    }

    /// Steps taken so far.
    #[must_use]
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// Distinct (linearized set, state) pairs explored so far.
    #[must_use]
    pub fn states(&self) -> usize {
        self.memo.arena.len()
    }

    fn unlink(&mut self, k: usize) {
        let (p, q) = (self.prev[k], self.next[k]);
        self.next[p] = q;
        if q != NONE {
            self.prev[q] = p;
        }
    }

    fn relink(&mut self, k: usize) {
        let (p, q) = (self.prev[k], self.next[k]);
        self.next[p] = k;
        if q != NONE {
            self.prev[q] = k;
        }
    }

    /// Search until the verdict is known or `until` steps have been taken
    /// in all; `None` while it is not known yet.
    pub fn run(&mut self, until: u64) -> Option<Verdict> {
        if self.verdict.is_none() {
            self.verdict = self.advance(until);
        }
        self.verdict.clone()
    }

    fn advance(&mut self, until: u64) -> Option<Verdict> {
        let head = self.entries.len();
        loop {
            if self.rets_left == 0 {
                let order: Vec<usize> = self.stack.iter().map(|&(i, _)| i).collect();
                return Some(linearizable(&self.ops, &order));
            }
            if self.steps >= until {
                return None;
            }
            self.steps += 1;
            let (_, is_ret, i) = self.entries[self.entry];
            if is_ret {
                if let Some(v) = self.back_out(i) {
                    return Some(v);
                }
                continue;
            }
            if let Some(new) = self.model.step(&self.state, &self.ops[i].input) {
                if !self.may_place(i, &new) {
                    self.entry = self.next[self.entry];
                    continue;
                }
                if let Some(j) = self.blocked_by(i, &new) {
                    self.note_blocked(i, j);
                    self.entry = self.next[self.entry];
                    continue;
                }
                self.flip(i);
                if self.memo.insert(&self.view, &self.open_bits, &new) {
                    let old = std::mem::replace(&mut self.state, new);
                    self.stack.push((i, old));
                    self.deepest = self.deepest.max(self.stack.len());
                    self.unlink(self.call_of[i]);
                    if self.ret_of[i] != NONE {
                        self.unlink(self.ret_of[i]);
                        self.rets_left -= 1;
                    }
                    self.entry = self.next[head];
                    continue;
                }
                self.flip(i);
            }
            self.entry = self.next[self.entry];
        }
    }

    /// Whether placing op `i` (giving state `new`) is worth trying. Two
    /// placements of an open op never are, as some valid order, if there is
    /// one, avoids both: where `i` would change nothing (leaving it out
    /// does the same and keeps it for later), and where an earlier-invoked
    /// open op with the same input is still unplaced (swap the two: the
    /// earlier one's interval covers the later one's point). Without this,
    /// every subset of the open ops is a branch of its own.
    fn may_place(&self, i: usize, new: &M::State) -> bool {
        if self.ret_of[i] != NONE {
            return true;
        }
        let t = self.twin[i];
        *new != self.state && (t == NONE || self.placed_open(t))
    }

    /// A completed op that could no longer be placed once op `i` is,
    /// giving `new`: of the next [`LOOKAHEAD`] returns, one whose op no
    /// ops invoked before it (and not yet placed) can lead to (see
    /// [`Model::may_reach`]).
    fn blocked_by(&self, i: usize, new: &M::State) -> Option<usize> {
        let mut k = self.next[self.entries.len()];
        let mut left = LOOKAHEAD;
        while k != NONE && left > 0 {
            let (_, is_ret, j) = self.entries[k];
            if is_ret && j != i {
                let mut via = self.window_before(k, i, j);
                if !self.model.may_reach(new, &self.ops[j].input, &mut via) {
                    return Some(j);
                }
                left -= 1;
            }
            k = self.next[k];
        }
        None
    }

    /// Op `i` was not placed because `j` could not have followed: blame
    /// `j` as the search without the look-ahead would have, once it had
    /// placed `i` and reached `j`'s return.
    fn note_blocked(&mut self, i: usize, j: usize) {
        let depth = self.stack.len() + 1;
        if depth >= self.deepest {
            self.deepest = depth;
            self.stuck = j;
            if depth > self.longest.len() {
                self.longest = self.stack.iter().map(|&(k, _)| k).chain([i]).collect();
            }
        }
    }

    /// The inputs of the ops called before entry `end`, not yet placed,
    /// other than `i` and `j`.
    fn window_before(
        &self,
        end: usize,
        i: usize,
        j: usize,
    ) -> impl Iterator<Item = &M::Input> + '_ {
        let mut k = self.next[self.entries.len()];
        std::iter::from_fn(move || {
            while k != end {
                let (_, is_ret, op) = self.entries[k];
                k = self.next[k];
                if !is_ret && op != i && op != j {
                    return Some(&self.ops[op].input);
                }
            }
            None
        })
    }

    fn placed_open(&self, i: usize) -> bool {
        let r = self.rank[i];
        self.open_bits[r / 64] & 1 << (r % 64) != 0
    }

    /// Mark op `i` placed, or unplaced if it was.
    fn flip(&mut self, i: usize) {
        match self.rank[i] {
            NONE => self.view[i / 64] ^= 1 << (i % 64),
            r => self.open_bits[r / 64] ^= 1 << (r % 64),
        }
    }

    /// Op `i`'s return is reached with `i` not yet placed: undo the last
    /// choice, or give the verdict when there is none left to undo.
    fn back_out(&mut self, i: usize) -> Option<Verdict> {
        let depth = self.stack.len();
        if depth >= self.deepest {
            self.stuck = i;
            if depth > self.longest.len() {
                self.longest = self.stack.iter().map(|&(k, _)| k).collect();
            }
        }
        let Some((j, old)) = self.stack.pop() else {
            return Some(Verdict::NotLinearizable {
                longest: self.longest.iter().map(|&k| self.ops[k].id).collect(),
                stuck: self.ops[self.stuck].id,
            });
        };
        self.flip(j);
        self.state = old;
        if self.ret_of[j] != NONE {
            self.relink(self.ret_of[j]);
            self.rets_left += 1;
        }
        self.relink(self.call_of[j]);
        self.entry = self.next[self.call_of[j]];
        None
    }
}

/// For each open op, the nearest open op called before it with an equal
/// input (`NONE` if none, and for completed ops).
fn twins<I: PartialEq>(ops: &[Op<I>], entries: &[(u64, bool, usize)]) -> Vec<usize> {
    let mut twin = vec![NONE; ops.len()];
    // The latest open op of each distinct input met so far.
    let mut last: Vec<usize> = Vec::new();
    for &(_, is_ret, i) in entries {
        if is_ret || ops[i].ret.is_some() {
            continue;
        }
        match last.iter_mut().find(|k| ops[**k].input == ops[i].input) {
            Some(k) => {
                twin[i] = *k;
                *k = i;
            }
            None => last.push(i),
        }
    }
    twin
}

/// Give each operation of a valid order a point within its interval.
fn linearizable<I>(ops: &[Op<I>], order: &[usize]) -> Verdict {
    let mut t = 0;
    let mut placed: Vec<(usize, u64)> = order
        .iter()
        .map(|&i| {
            t = t.max(ops[i].invoke);
            (ops[i].id, t)
        })
        .collect();
    // By id, so that each point is added at the end of the map.
    crate::order::by_key(&mut placed, |&(id, _)| id as u128);
    let mut points = VecMap::new();
    for (id, t) in placed {
        points.insert(id, t);
    }
    Verdict::Linearizable { order: order.iter().map(|&i| ops[i].id).collect(), points }
}
