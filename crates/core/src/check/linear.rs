//! # Linearizability
//!
//! A history is linearizable when every operation can be given a single
//! point in time between its invocation and its return such that, taken in
//! that order, the operations are a legal sequential run of the object
//! (lecture 02: strong consistency, "linearizability").
//!
//! The search is Wing & Gong's: walk the history in time order and try to
//! *linearize* each operation whose invocation comes before every pending
//! return, backtracking when a return is reached with its operation not yet
//! placed. Lowe's memoization makes it practical: a set of (operations
//! linearized so far, model state) pairs already explored is never explored
//! again. And P-compositionality (linearizability is local, Herlihy & Wing):
//! a key–value history is checked one key at a time.
//!
//! Operations whose outcome is unknown (timed out, crashed client) stay open
//! to the end of the history: they may be linearized anywhere after their
//! invocation, including after everything else — which is the same as never
//! taking effect. A step budget turns an intractable search into
//! [`Verdict::Unknown`], never into a pass.

// The memo uses a HashMap with a fixed hasher: deterministic, and only
// probed, never iterated (the ban on HashMap in the core is about seeds).
use std::collections::BTreeMap;
#[allow(clippy::disallowed_types)]
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};

/// An operation of a history, with the model's input and observed output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Op<I> {
    /// Position in the source history (for reporting).
    pub id: usize,
    pub process: u64,
    pub input: I,
    /// Invocation time (any increasing clock, e.g. the event index).
    pub invoke: u64,
    /// Return time; `None` while the outcome is unknown.
    pub ret: Option<u64>,
}

/// A sequential specification.
pub trait Model {
    type State: Clone + Eq + Hash;
    type Input;
    fn init(&self) -> Self::State;
    /// The state after `input` (with its observed output) from `state`, or
    /// `None` when the observation is impossible there.
    fn step(&self, state: &Self::State, input: &Self::Input) -> Option<Self::State>;
}

/// A single register (etcd histories): read, write, compare-and-set.
#[derive(Clone, Copy, Debug, Default)]
pub struct Register;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RegisterOp {
    /// A read that returned `value` (`None`: never written).
    Read(Option<i64>),
    Write(i64),
    /// Compare-and-set; `ok`: `Some(true)` it swapped, `Some(false)` it saw
    /// another value and changed nothing, `None` unknown.
    Cas {
        from: i64,
        to: i64,
        ok: Option<bool>,
    },
}

impl Model for Register {
    type State = Option<i64>;
    type Input = RegisterOp;
    fn init(&self) -> Option<i64> {
        None
    }
    fn step(&self, s: &Option<i64>, op: &RegisterOp) -> Option<Option<i64>> {
        match *op {
            RegisterOp::Read(v) => (*s == v).then_some(*s),
            RegisterOp::Write(v) => Some(Some(v)),
            RegisterOp::Cas { from, to, ok } => {
                let hit = *s == Some(from);
                match ok {
                    Some(true) => hit.then_some(Some(to)),
                    Some(false) => (!hit).then_some(*s),
                    None => Some(if hit { Some(to) } else { *s }),
                }
            }
        }
    }
}

/// One key of a key–value store (the history is split by key first).
#[derive(Clone, Copy, Debug, Default)]
pub struct KvKey;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KvOp {
    /// A get that returned this string (a missing key reads as empty).
    Get(String),
    Put(String),
    Append(String),
}

impl Model for KvKey {
    type State = String;
    type Input = KvOp;
    fn init(&self) -> String {
        String::new()
    }
    fn step(&self, s: &String, op: &KvOp) -> Option<String> {
        match op {
            KvOp::Get(v) => (s == v).then(|| s.clone()),
            KvOp::Put(v) => Some(v.clone()),
            KvOp::Append(v) => {
                let mut t = String::with_capacity(s.len() + v.len());
                t.push_str(s);
                t.push_str(v);
                Some(t)
            }
        }
    }
}

/// A whole key–value store as one object — only to show what splitting by
/// key (P-compositionality) saves.
#[derive(Clone, Copy, Debug, Default)]
pub struct KvWhole;

impl Model for KvWhole {
    type State = BTreeMap<String, String>;
    type Input = (String, KvOp);
    fn init(&self) -> Self::State {
        BTreeMap::new()
    }
    fn step(&self, s: &Self::State, (key, op): &(String, KvOp)) -> Option<Self::State> {
        let cur = s.get(key).cloned().unwrap_or_default();
        let next = KvKey.step(&cur, op)?;
        let mut t = s.clone();
        t.insert(key.clone(), next);
        Some(t)
    }
}

/// Merge a split key–value history back into one (for [`KvWhole`]).
#[must_use]
pub fn merge_keys(keys: &BTreeMap<String, Vec<Op<KvOp>>>) -> Vec<Op<(String, KvOp)>> {
    let mut all: Vec<Op<(String, KvOp)>> = keys
        .iter()
        .flat_map(|(k, ops)| {
            ops.iter().map(move |o| Op {
                id: o.id,
                process: o.process,
                input: (k.clone(), o.input.clone()),
                invoke: o.invoke,
                ret: o.ret,
            })
        })
        .collect();
    all.sort_by_key(|o| o.invoke);
    all
}

/// The answer, with what a viewer needs to show why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// One valid order (ids), and for each id its linearization point.
    Linearizable { order: Vec<usize>, points: BTreeMap<usize, u64> },
    /// The longest prefix that could be linearized, and the operation whose
    /// return came before it could be placed.
    NotLinearizable { longest: Vec<usize>, stuck: usize },
    /// The step budget ran out.
    Unknown,
}

impl Verdict {
    #[must_use]
    pub fn is_linearizable(&self) -> bool {
        matches!(self, Verdict::Linearizable { .. })
    }
}

/// A fast, fixed (not randomly seeded) hasher for the memo table, which is
/// only probed, never iterated — so it cannot make a result depend on a seed.
#[derive(Default)]
struct WordHasher(u64);

impl Hasher for WordHasher {
    fn finish(&self) -> u64 {
        crate::rng::mix64(self.0)
    }
    fn write(&mut self, bytes: &[u8]) {
        for c in bytes.chunks(8) {
            let mut w = [0u8; 8];
            w[..c.len()].copy_from_slice(c);
            self.write_u64(u64::from_le_bytes(w));
        }
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }
    fn write_u8(&mut self, i: u8) {
        self.write_u64(u64::from(i));
    }
}

const NONE: usize = usize::MAX;

/// Check one history (one key) against `model`, spending at most `budget`
/// search steps.
#[must_use]
#[allow(clippy::disallowed_types)] // a fixed hasher; the memo is never iterated
pub fn check<M: Model>(model: &M, ops: &[Op<M::Input>], budget: u64) -> Verdict {
    let n = ops.len();
    // Entries: 2 per op (call, return), in time order; open ops return last.
    let mut entries: Vec<(u64, bool, usize)> = Vec::with_capacity(2 * n);
    for (i, op) in ops.iter().enumerate() {
        entries.push((op.invoke, false, i));
        entries.push((op.ret.unwrap_or(u64::MAX), true, i));
    }
    // Calls before returns at equal times: overlapping is the generous reading.
    entries.sort_by_key(|&(t, is_ret, i)| (t, is_ret, i));
    let m = entries.len();
    // A doubly linked list over entries 0..m, with a head sentinel at m.
    let head = m;
    let mut next = vec![NONE; m + 1];
    let mut prev = vec![NONE; m + 1];
    let mut call_of = vec![0; n];
    let mut ret_of = vec![0; n];
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
    let unlink = |next: &mut Vec<usize>, prev: &mut Vec<usize>, k: usize| {
        let (p, q) = (prev[k], next[k]);
        next[p] = q;
        if q != NONE {
            prev[q] = p;
        }
    };
    let relink = |next: &mut Vec<usize>, prev: &mut Vec<usize>, k: usize| {
        let (p, q) = (prev[k], next[k]);
        next[p] = k;
        if q != NONE {
            prev[q] = k;
        }
    };

    let words = n.div_ceil(64);
    let mut bits = vec![0u64; words];
    // Lowe's memo: (linearized set, state) pairs seen, in an arena chained
    // by fingerprint. The full pair is compared on a fingerprint match, so a
    // collision costs time, never a wrong answer; nothing is allocated
    // unless the pair is new.
    let mut heads: HashMap<u64, u32, BuildHasherDefault<WordHasher>> = HashMap::default();
    let mut arena: Vec<(Box<[u64]>, M::State, u32)> = Vec::new();
    let fingerprint = |bits: &[u64], s: &M::State| {
        let mut h = WordHasher::default();
        for &w in bits {
            h.write_u64(w);
        }
        s.hash(&mut h);
        h.finish()
    };
    let mut state = model.init();
    let mut stack: Vec<(usize, M::State)> = Vec::new();
    let mut longest: Vec<usize> = Vec::new();
    let mut stuck = 0;
    let mut steps = 0u64;
    let mut entry = next[head];
    loop {
        if next[head] == NONE {
            let order: Vec<usize> = stack.iter().map(|&(i, _)| i).collect();
            return linearizable(ops, &order);
        }
        steps += 1;
        if steps > budget {
            return Verdict::Unknown;
        }
        let (_, is_ret, i) = entries[entry];
        if is_ret {
            // Op i must already be placed; it is not: undo the last choice.
            if stack.len() >= longest.len() {
                stuck = i;
            }
            let Some((j, old)) = stack.pop() else {
                return Verdict::NotLinearizable {
                    longest: longest.iter().map(|&k| ops[k].id).collect(),
                    stuck: ops[stuck].id,
                };
            };
            bits[j / 64] &= !(1 << (j % 64));
            state = old;
            relink(&mut next, &mut prev, ret_of[j]);
            relink(&mut next, &mut prev, call_of[j]);
            entry = next[call_of[j]];
            continue;
        }
        if let Some(new) = model.step(&state, &ops[i].input) {
            bits[i / 64] |= 1 << (i % 64);
            let fp = fingerprint(&bits, &new);
            let mut at = heads.get(&fp).copied().unwrap_or(u32::MAX);
            let mut seen = false;
            while at != u32::MAX {
                let (b, st, next) = &arena[at as usize];
                if **b == *bits && *st == new {
                    seen = true;
                    break;
                }
                at = *next;
            }
            if !seen {
                let chain = heads.get(&fp).copied().unwrap_or(u32::MAX);
                let idx = u32::try_from(arena.len()).expect("memo below 4 billion entries");
                arena.push((bits.clone().into_boxed_slice(), new.clone(), chain));
                heads.insert(fp, idx);
                let old = std::mem::replace(&mut state, new);
                stack.push((i, old));
                if stack.len() > longest.len() {
                    longest = stack.iter().map(|&(k, _)| k).collect();
                }
                unlink(&mut next, &mut prev, call_of[i]);
                unlink(&mut next, &mut prev, ret_of[i]);
                entry = next[head];
                continue;
            }
            bits[i / 64] &= !(1 << (i % 64));
        }
        entry = next[entry];
    }
}

/// Give each operation of a valid order a point within its interval.
fn linearizable<I>(ops: &[Op<I>], order: &[usize]) -> Verdict {
    let mut points = BTreeMap::new();
    let mut t = 0;
    for &i in order {
        t = t.max(ops[i].invoke);
        points.insert(ops[i].id, t);
    }
    Verdict::Linearizable { order: order.iter().map(|&i| ops[i].id).collect(), points }
}

/// Check a history split into independent keys; all must be linearizable.
#[must_use]
pub fn check_keys<M: Model>(
    model: &M,
    keys: &BTreeMap<String, Vec<Op<M::Input>>>,
    budget: u64,
) -> Verdict {
    let mut order = Vec::new();
    let mut points = BTreeMap::new();
    let mut unknown = false;
    for ops in keys.values() {
        match check(model, ops, budget) {
            Verdict::Linearizable { order: o, points: p } => {
                order.extend(o);
                points.extend(p);
            }
            bad @ Verdict::NotLinearizable { .. } => return bad,
            Verdict::Unknown => unknown = true,
        }
    }
    if unknown {
        Verdict::Unknown
    } else {
        order.sort_by_key(|id| points.get(id).copied().unwrap_or(0));
        Verdict::Linearizable { order, points }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(id: usize, invoke: u64, ret: Option<u64>, input: RegisterOp) -> Op<RegisterOp> {
        Op { id, process: id as u64, input, invoke, ret }
    }

    #[test]
    fn a_read_overlapping_a_write_may_see_either_value() {
        let h =
            [op(0, 0, Some(3), RegisterOp::Write(1)), op(1, 1, Some(2), RegisterOp::Read(Some(1)))];
        assert!(check(&Register, &h, 1_000).is_linearizable());
        let h =
            [op(0, 0, Some(3), RegisterOp::Write(1)), op(1, 1, Some(2), RegisterOp::Read(None))];
        assert!(check(&Register, &h, 1_000).is_linearizable());
    }

    #[test]
    fn a_stale_read_after_a_completed_write_is_not_linearizable() {
        let h =
            [op(0, 0, Some(1), RegisterOp::Write(1)), op(1, 2, Some(3), RegisterOp::Read(None))];
        let v = check(&Register, &h, 1_000);
        assert!(matches!(v, Verdict::NotLinearizable { stuck: 1, .. }), "{v:?}");
    }

    #[test]
    fn a_timed_out_write_may_or_may_not_take_effect() {
        let w = op(0, 0, None, RegisterOp::Write(1));
        let saw = [w.clone(), op(1, 2, Some(3), RegisterOp::Read(Some(1)))];
        let missed = [w, op(1, 2, Some(3), RegisterOp::Read(None))];
        assert!(check(&Register, &saw, 1_000).is_linearizable());
        assert!(check(&Register, &missed, 1_000).is_linearizable());
    }

    #[test]
    fn a_failed_cas_is_an_observation_of_another_value() {
        let h = [
            op(0, 0, Some(1), RegisterOp::Write(4)),
            op(1, 2, Some(3), RegisterOp::Cas { from: 4, to: 5, ok: Some(false) }),
        ];
        assert!(!check(&Register, &h, 1_000).is_linearizable());
    }

    #[test]
    fn a_tiny_budget_gives_unknown_not_a_pass() {
        let h: Vec<_> = (0..20).map(|i| op(i, 0, Some(100), RegisterOp::Write(i as i64))).collect();
        assert_eq!(check(&Register, &h, 3), Verdict::Unknown);
    }

    #[test]
    fn linearization_points_lie_within_each_interval() {
        let h = [
            op(0, 0, Some(5), RegisterOp::Write(1)),
            op(1, 2, Some(3), RegisterOp::Read(Some(1))),
            op(2, 6, Some(7), RegisterOp::Read(Some(1))),
        ];
        let Verdict::Linearizable { order, points } = check(&Register, &h, 1_000) else { panic!() };
        assert_eq!(order, vec![0, 1, 2]);
        for o in &h {
            let p = points[&o.id];
            assert!(o.invoke <= p && p <= o.ret.unwrap_or(u64::MAX));
        }
    }
}
