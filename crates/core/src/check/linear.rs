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

use crate::small::VecMap;
use std::hash::Hash;

use super::search::Search;
use crate::order;

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
    type Input: Clone + PartialEq;
    fn init(&self) -> Self::State;
    /// The state after `input` (with its observed output) from `state`, or
    /// `None` when the observation is impossible there.
    fn step(&self, state: &Self::State, input: &Self::Input) -> Option<Self::State>;

    /// Which operations can be left out without changing the verdict
    /// (`true`: keep). Open operations are what makes a search explode:
    /// each may be linearized anywhere after its invocation, so every
    /// subset of them is a branch. One whose effect no other operation
    /// ever observed changes nothing a client saw, whether or not it took
    /// effect, and goes.
    fn keep(&self, ops: &[Op<Self::Input>]) -> Vec<bool> {
        vec![true; ops.len()]
    }

    /// Give open operations whose effect a later operation observed a
    /// return: the observer's. Such an operation must have taken effect
    /// before its observer did, so every valid order already places it
    /// there; telling the search so spares it trying every later place.
    fn bound_open(&self, _ops: &mut [Op<Self::Input>]) {}

    /// Rewrite inputs that no observation tells apart into one, so the
    /// search sees equal states and equal open operations as equal (and
    /// tries one open operation of a kind at a time).
    fn canonical(&self, _ops: &mut [Op<Self::Input>]) {}

    /// An operation whose observation no run could give, found without a
    /// search (a read of a value nobody wrote, or wrote only after the read
    /// returned): a necessary condition checked first.
    fn impossible(&self, _ops: &[Op<Self::Input>]) -> Option<usize> {
        None
    }

    /// Whether, from `from`, some of the operations `via` (in some order)
    /// may lead to a state where `target`'s observation is possible;
    /// `false` only when none can. The search asks this of the completed
    /// operation whose return comes first: it must be placed before
    /// anything invoked after that return, so only `via` (the operations
    /// invoked before it, not yet placed) can come between. A `false`
    /// ends the branch at once, instead of after every order of the
    /// concurrent operations has been tried (k concurrent appends before
    /// a read: k! states the memo cannot merge). `true` is always sound.
    fn may_reach(
        &self,
        _from: &Self::State,
        _target: &Self::Input,
        _via: &mut dyn Iterator<Item = &Self::Input>,
    ) -> bool {
        true
    }
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

    /// A read of `v` needs the register to hold `v` already or a write
    /// (or compare-and-set) of `v` among `via`.
    fn may_reach(
        &self,
        from: &Option<i64>,
        target: &RegisterOp,
        via: &mut dyn Iterator<Item = &RegisterOp>,
    ) -> bool {
        let RegisterOp::Read(v) = *target else { return true };
        if *from == v {
            return true;
        }
        let Some(v) = v else { return false };
        for o in via {
            if matches!(*o, RegisterOp::Write(w) | RegisterOp::Cas { to: w, .. } if w == v) {
                return true;
            }
        }
        false
    }

    /// An open write (or compare-and-set) of a value nobody read or
    /// compared against. Unless a compare-and-set failed somewhere (it
    /// observed "not this value", which the left-out write might have
    /// been the reason for), leaving it out changes no verdict: had it
    /// taken effect, no read came before the next write.
    fn keep(&self, ops: &[Op<RegisterOp>]) -> Vec<bool> {
        let failed_cas =
            ops.iter().any(|o| matches!(o.input, RegisterOp::Cas { ok: Some(false), .. }));
        if failed_cas {
            return vec![true; ops.len()];
        }
        let seen = Register::observed(ops);
        ops.iter()
            .map(|o| {
                let written = match o.input {
                    RegisterOp::Write(v) | RegisterOp::Cas { to: v, ok: None, .. } => v,
                    _ => return true,
                };
                o.ret.is_some() || seen.binary_search(&(written, 0)).is_ok()
            })
            .collect()
    }

    /// An open write of a value written once, read (or compared against
    /// successfully) by a completed operation.
    fn bound_open(&self, ops: &mut [Op<RegisterOp>]) {
        // (One element type for every sort here: each is code in the bundle.)
        let mut writes: Vec<(i64, u64)> = (0..ops.len())
            .filter_map(|k| match ops[k].input {
                RegisterOp::Write(v) | RegisterOp::Cas { to: v, .. } => Some((v, k as u64)),
                RegisterOp::Read(_) => None,
            })
            .collect();
        order::by_key(&mut writes, |&(v, k)| order::signed(v) << 64 | u128::from(k));
        // Each value's first return among those that saw it.
        let mut seen: Vec<(i64, u64)> = ops
            .iter()
            .filter_map(|o| match (&o.input, o.ret) {
                (
                    &(RegisterOp::Read(Some(v)) | RegisterOp::Cas { from: v, ok: Some(true), .. }),
                    Some(r),
                ) => Some((v, r)),
                _ => None,
            })
            .collect();
        order::by_key(&mut seen, |&(v, r)| order::signed(v) << 64 | u128::from(r));
        seen.dedup_by_key(|p| p.0);
        for (v, r) in seen {
            let (lo, hi) =
                (writes.partition_point(|w| w.0 < v), writes.partition_point(|w| w.0 <= v));
            let k = writes[lo.min(writes.len().saturating_sub(1))].1 as usize;
            if hi == lo + 1 && ops[k].ret.is_none() && ops[k].invoke <= r {
                ops[k].ret = Some(r);
            }
        }
    }

    /// Every value written that no read returned and no compare-and-set
    /// compared against becomes one value, [`Register::UNSEEN`]: from a
    /// register holding any of them, every operation of the history does
    /// the same (reads of other values and compare-and-sets from them
    /// fail, writes replace it).
    fn canonical(&self, ops: &mut [Op<RegisterOp>]) {
        let mentions = |o: &Op<RegisterOp>| match o.input {
            RegisterOp::Read(v) => v == Some(Register::UNSEEN),
            RegisterOp::Write(v) => v == Register::UNSEEN,
            RegisterOp::Cas { from, to, .. } => from == Register::UNSEEN || to == Register::UNSEEN,
        };
        if ops.iter().any(mentions) {
            return;
        }
        let seen = Register::observed(ops);
        let unseen = |v: &mut i64| {
            if seen.binary_search(&(*v, 0)).is_err() {
                *v = Register::UNSEEN;
            }
        };
        for o in ops {
            match &mut o.input {
                RegisterOp::Write(v) | RegisterOp::Cas { to: v, .. } => unseen(v),
                RegisterOp::Read(_) => {}
            }
        }
    }

    /// A read (or a successful compare-and-set) of a value no operation
    /// invoked before it returned could have written.
    fn impossible(&self, ops: &[Op<RegisterOp>]) -> Option<usize> {
        // Each value's first invocation of a write of it.
        let mut first: Vec<(i64, u64)> = ops
            .iter()
            .filter_map(|o| match o.input {
                RegisterOp::Write(v) | RegisterOp::Cas { to: v, .. } => Some((v, o.invoke)),
                RegisterOp::Read(_) => None,
            })
            .collect();
        order::by_key(&mut first, |&(v, t)| order::signed(v) << 64 | u128::from(t));
        first.dedup_by_key(|p| p.0);
        ops.iter().position(|o| {
            let needs = match o.input {
                RegisterOp::Read(Some(v)) | RegisterOp::Cas { from: v, ok: Some(true), .. } => v,
                _ => return false,
            };
            match first.binary_search_by_key(&needs, |p| p.0) {
                Ok(i) => o.ret.is_some_and(|r| r < first[i].1),
                Err(_) => true,
            }
        })
    }
}

impl Register {
    /// The one value standing for every value nobody observed.
    const UNSEEN: i64 = i64::MIN;

    /// The values some operation observed (read, or compared against), sorted.
    fn observed(ops: &[Op<RegisterOp>]) -> Vec<(i64, u64)> {
        let mut seen: Vec<(i64, u64)> = ops
            .iter()
            .filter_map(|o| match o.input {
                RegisterOp::Read(v) => v,
                RegisterOp::Cas { from, .. } => Some(from),
                RegisterOp::Write(_) => None,
            })
            .map(|v| (v, 0))
            .collect();
        order::by_key(&mut seen, |&(v, _)| order::signed(v));
        seen.dedup();
        seen
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

    /// Appends only grow the state, and a put starts it again from its
    /// value: a get reads a string that starts with the state, or with
    /// the value of a put among `via`.
    fn may_reach(
        &self,
        from: &String,
        target: &KvOp,
        via: &mut dyn Iterator<Item = &KvOp>,
    ) -> bool {
        let KvOp::Get(v) = target else { return true };
        if v.starts_with(from.as_str()) {
            return true;
        }
        for o in via {
            if matches!(o, KvOp::Put(p) if v.starts_with(p.as_str())) {
                return true;
            }
        }
        false
    }

    /// An open put or append whose value no get ever returned any part of.
    fn keep(&self, ops: &[Op<KvOp>]) -> Vec<bool> {
        let gets: Vec<&str> = ops
            .iter()
            .filter_map(|o| match &o.input {
                KvOp::Get(v) => Some(v.as_str()),
                _ => None,
            })
            .collect();
        ops.iter()
            .map(|o| {
                let written = match &o.input {
                    KvOp::Put(v) | KvOp::Append(v) => v,
                    KvOp::Get(_) => return true,
                };
                if o.ret.is_some() || matches!(o.input, KvOp::Put(_)) && written.is_empty() {
                    return true;
                }
                !written.is_empty() && gets.iter().any(|g| g.contains(written.as_str()))
            })
            .collect()
    }

    /// An open put or append of a value written once, when a completed get
    /// returned a string that the key's other puts and appends cannot spell.
    fn bound_open(&self, ops: &mut [Op<KvOp>]) {
        let written = written_value;
        // Open writes are few: count each one's value among the writes
        // rather than sort them all (most keys have none, and pay nothing).
        let candidates: Vec<usize> = (0..ops.len())
            .filter(|&k| {
                let Some(t) = written(&ops[k]).filter(|t| ops[k].ret.is_none() && !t.is_empty())
                else {
                    return false;
                };
                ops.iter().filter(|o| written(o) == Some(t)).count() == 1
            })
            .collect();
        if candidates.is_empty() {
            return;
        }
        let (puts, appends, lengths) = spelling(ops);
        let mut gets: Vec<(u64, &str)> = ops
            .iter()
            .filter_map(|o| match (&o.input, o.ret) {
                (KvOp::Get(g), Some(r)) => Some((r, g.as_str())),
                _ => None,
            })
            .collect();
        // By return: the first get that needs the value bounds it.
        order::by_key(&mut gets, |g| u128::from(g.0));
        let mut bounds = Vec::new();
        for k in candidates {
            let o = &ops[k];
            let t = written(o).unwrap_or_default();
            // The spellings of the key without this operation's value.
            let (mut other_puts, mut other_appends) = (puts.clone(), appends.clone());
            if matches!(o.input, KvOp::Put(_)) {
                other_puts.retain(|p| *p != t);
            } else {
                other_appends.retain(|a| *a != t);
            }
            let first = gets.iter().find(|(r, g)| {
                *r >= o.invoke
                    && g.contains(t)
                    && !spelled(g, &other_puts, &other_appends, &lengths)
            });
            if let Some(&(r, _)) = first {
                bounds.push((k, r));
            }
        }
        for (k, r) in bounds {
            ops[k].ret = Some(r);
        }
    }

    /// A get of a string that no put followed by appends of this key spells.
    fn impossible(&self, ops: &[Op<KvOp>]) -> Option<usize> {
        let (puts, appends, lengths) = spelling(ops);
        // Only an accelerator: with values of too many lengths, leave it
        // to the search.
        if lengths.len() > 16 {
            return None;
        }
        // Gets in the order of their strings: a string's spelled prefixes
        // come before it, and what they reach is reused (values only grow
        // by appends, so most gets extend an earlier one).
        let mut gets: Vec<(&str, usize)> = ops
            .iter()
            .enumerate()
            .filter_map(|(i, o)| match &o.input {
                KvOp::Get(v) => Some((v.as_str(), i)),
                _ => None,
            })
            .collect();
        order::by(&mut gets, |a, b| a.0.cmp(b.0));
        let mut path: Vec<(&str, Vec<bool>)> = Vec::new();
        let mut first_bad: Option<usize> = None;
        for (g, i) in gets {
            while path.last().is_some_and(|(p, _)| !g.starts_with(p)) {
                path.pop();
            }
            let known = path.last().map_or(&[][..], |(_, r)| r.as_slice());
            let r = reach(g, &puts, &appends, &lengths, known);
            if !r[g.len()] {
                first_bad = Some(first_bad.map_or(i, |b| b.min(i)));
            }
            path.push((g, r));
        }
        first_bad
    }
}

/// The value a put or append writes.
fn written_value(o: &Op<KvOp>) -> Option<&str> {
    match &o.input {
        KvOp::Append(v) | KvOp::Put(v) => Some(v.as_str()),
        KvOp::Get(_) => None,
    }
}

/// Puts, appended values (sorted, once each), their lengths (sorted).
type Spelling<'a> = (Vec<&'a str>, Vec<&'a str>, Vec<usize>);

/// What a key's strings are spelled from: the puts (and the empty string
/// it starts as), the appended values, and their lengths.
fn spelling(ops: &[Op<KvOp>]) -> Spelling<'_> {
    let mut puts: Vec<&str> = vec![""];
    let mut appends = Vec::new();
    for o in ops {
        match &o.input {
            KvOp::Put(v) => puts.push(v),
            KvOp::Append(v) if !v.is_empty() => appends.push(v.as_str()),
            _ => {}
        }
    }
    order::by(&mut appends, |a, b| a.cmp(b));
    appends.dedup();
    let mut lengths: Vec<usize> = appends.iter().map(|a| a.len()).collect();
    order::by_key(&mut lengths, |&l| l as u128);
    lengths.dedup();
    (puts, appends, lengths)
}

/// Whether `s` is one of `puts` followed by any number of `appends`.
fn spelled(s: &str, puts: &[&str], appends: &[&str], lengths: &[usize]) -> bool {
    reach(s, puts, appends, lengths, &[])[s.len()]
}

/// Which prefixes of `s` are spelled (`reach[i]`: `s[..i]` is a put followed
/// by appends), given `known`, the same for a prefix of `s` (exact: whether
/// `s[..i]` is spelled depends on `s[..i]` alone).
fn reach(s: &str, puts: &[&str], appends: &[&str], lengths: &[usize], known: &[bool]) -> Vec<bool> {
    let n = s.len();
    let mut reach = vec![false; n + 1];
    let k = known.len().min(n + 1);
    reach[..k].copy_from_slice(&known[..k]);
    for p in puts {
        if s.starts_with(p) {
            reach[p.len()] = true;
        }
    }
    // Pieces from a known position may end past the known part.
    let start = k.saturating_sub(lengths.last().copied().unwrap_or(0));
    for i in start..n {
        if !reach[i] {
            continue;
        }
        for &l in lengths {
            if i + l <= n
                && s.is_char_boundary(i + l)
                && appends.binary_search(&&s[i..i + l]).is_ok()
            {
                reach[i + l] = true;
            }
        }
    }
    reach
}

/// A whole key–value store as one object — only to show what splitting by
/// key (P-compositionality) saves.
#[derive(Clone, Copy, Debug, Default)]
pub struct KvWhole;

impl Model for KvWhole {
    type State = VecMap<String, String>;
    type Input = (String, KvOp);
    fn init(&self) -> Self::State {
        VecMap::new()
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
pub fn merge_keys(keys: &VecMap<String, Vec<Op<KvOp>>>) -> Vec<Op<(String, KvOp)>> {
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
    order::by_key(&mut all, |o| u128::from(o.invoke));
    all
}

/// The answer, with what a viewer needs to show why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// One valid order (ids), and for each id its linearization point.
    Linearizable { order: Vec<usize>, points: VecMap<usize, u64> },
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

/// Check one history (one key) against `model`, spending at most `budget`
/// search steps: first the model's necessary conditions, then the search
/// over what is left once the operations nobody observed are left out.
#[must_use]
pub fn check<M: Model>(model: &M, ops: &[Op<M::Input>], budget: u64) -> Verdict {
    match prepare(model, ops) {
        Ok(s) => drive(vec![s], budget, 1, &mut |_| true),
        Err(v) => v,
    }
}

/// The search over `ops` (as given, nothing left out or checked first).
#[must_use]
pub fn search<M: Model>(model: &M, ops: &[Op<M::Input>], budget: u64) -> Verdict {
    Search::new(model, ops.to_vec()).run(budget).unwrap_or(Verdict::Unknown)
}

/// The search for one key, or its verdict when a necessary condition
/// already gives it.
fn prepare<'m, M: Model>(model: &'m M, ops: &[Op<M::Input>]) -> Result<Search<'m, M>, Verdict> {
    if let Some(k) = model.impossible(ops) {
        return Err(Verdict::NotLinearizable { longest: Vec::new(), stuck: ops[k].id });
    }
    let keep = model.keep(ops);
    let mut kept: Vec<_> =
        ops.iter().zip(&keep).filter(|(_, &k)| k).map(|(o, _)| o.clone()).collect();
    model.bound_open(&mut kept);
    model.canonical(&mut kept);
    Ok(Search::new(model, kept))
}

/// How far a check of many keys has got.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    pub keys: usize,
    pub keys_done: usize,
    /// Distinct (linearized set, state) pairs explored, over all keys.
    pub states: u64,
    pub steps: u64,
}

/// The first slice each key's search is given; each round doubles it.
const FIRST_SLICE: u64 = 4_096;
/// The largest slice: progress is reported at least this often (in steps),
/// however long one key's search runs.
const MAX_SLICE: u64 = 1 << 20;

/// Check a history split into independent keys; all must be linearizable.
#[must_use]
pub fn check_keys<M: Model>(
    model: &M,
    keys: &VecMap<String, Vec<Op<M::Input>>>,
    budget: u64,
) -> Verdict {
    check_keys_with(model, keys, budget, |_| true)
}

/// [`check_keys`], reporting progress after every round of slices; the
/// check stops (its verdict Unknown) as soon as `go_on` says false.
///
/// The keys' searches run in turn, each a slice of steps at a time, the
/// slices doubling every round, so a key whose violation is found quickly
/// is found quickly however hard the other keys are; the first key found
/// not linearizable decides. A key that spends `budget` steps is Unknown,
/// and so is the whole unless another key is not linearizable.
pub fn check_keys_with<M: Model>(
    model: &M,
    keys: &VecMap<String, Vec<Op<M::Input>>>,
    budget: u64,
    go_on: impl FnMut(Progress) -> bool,
) -> Verdict {
    let keys: Vec<&[Op<M::Input>]> = keys.values().map(Vec::as_slice).collect();
    check_slices_with(model, &keys, budget, go_on)
}

/// [`check_keys_with`] on the keys' operations as borrowed slices (a caller
/// that deals keys out to threads need not copy them).
pub fn check_slices_with<M: Model>(
    model: &M,
    keys: &[&[Op<M::Input>]],
    budget: u64,
    mut go_on: impl FnMut(Progress) -> bool,
) -> Verdict {
    let mut open: Vec<Search<M>> = Vec::new();
    for ops in keys {
        match prepare(model, ops) {
            Ok(s) => open.push(s),
            Err(bad) => return bad,
        }
    }
    drive(open, budget, keys.len(), &mut go_on)
}

/// The (linearized set, state) pairs all searches may keep at once: past
/// this the verdict is Unknown, before memory runs out (a few hundred
/// bytes each natively, less in wasm).
pub const MAX_STATES: u64 = 6_000_000;

/// Run the keys' searches in turn, a doubling slice at a time, until one
/// is not linearizable, all are, or the budget, the memory or `go_on` says
/// stop.
fn drive<M: Model>(
    mut open: Vec<Search<M>>,
    budget: u64,
    keys: usize,
    go_on: &mut dyn FnMut(Progress) -> bool,
) -> Verdict {
    let mut passed: Vec<Verdict> = Vec::new();
    let mut unknown = false;
    let mut slice = FIRST_SLICE;
    // What the finished keys' searches explored and stepped.
    let (mut done_states, mut done_steps) = (0u64, 0u64);
    while !open.is_empty() {
        let mut i = 0;
        while i < open.len() {
            let until = (open[i].steps() + slice).min(budget);
            match open[i].run(until) {
                Some(bad @ Verdict::NotLinearizable { .. }) => return bad,
                Some(v) => passed.push(v),
                None if until >= budget => unknown = true,
                None => {
                    i += 1;
                    continue;
                }
            }
            done_states += open[i].states() as u64;
            done_steps += open[i].steps();
            open.swap_remove(i);
        }
        let live: u64 = open.iter().map(|s| s.states() as u64).sum();
        let progress = Progress {
            keys,
            keys_done: keys - open.len(),
            states: done_states + live,
            steps: done_steps + open.iter().map(Search::steps).sum::<u64>(),
        };
        if !open.is_empty() && (live > MAX_STATES || !go_on(progress)) {
            return Verdict::Unknown;
        }
        slice = slice.saturating_mul(2).min(MAX_SLICE);
    }
    if unknown {
        return Verdict::Unknown;
    }
    join_keys(passed)
}

/// The verdict on a history split by key, from the verdicts on its keys:
/// the first not linearizable, else Unknown if any is, else linearizable
/// with the keys' orders merged by their linearization points.
#[must_use]
pub fn join_keys(parts: Vec<Verdict>) -> Verdict {
    // Each key's (id, point) in its order, the keys one after another:
    // ordered by point (stably) for the order, by id for the map, each
    // sort done once (inserting 50 000 interleaved ids into the map one
    // key at a time was a tenth of a large store's whole check).
    let mut placed: Vec<(usize, u64)> = Vec::new();
    let mut unknown = false;
    for v in parts {
        match v {
            Verdict::Linearizable { order, points } => {
                placed.extend(order.iter().map(|id| (*id, points.get(id).copied().unwrap_or(0))));
            }
            bad @ Verdict::NotLinearizable { .. } => return bad,
            Verdict::Unknown => unknown = true,
        }
    }
    if unknown {
        return Verdict::Unknown;
    }
    crate::order::by_key(&mut placed, |&(_, t)| u128::from(t));
    let order = placed.iter().map(|&(id, _)| id).collect();
    crate::order::by_key(&mut placed, |&(id, _)| id as u128);
    // Inserted in order of id (collecting would sort them again, and each
    // sort instantiated is code in the bundle).
    let mut points = VecMap::new();
    for (id, t) in placed {
        points.insert(id, t);
    }
    Verdict::Linearizable { order, points }
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

    /// A write placed where a later read could no longer be reached is
    /// refused by the look-ahead, and that refusal is what the verdict
    /// reports: the prefix up to the write (the first of the deepest ones
    /// refused, W(2) before W(3)) and the read that could not follow.
    #[test]
    fn a_write_the_look_ahead_refuses_is_the_end_of_the_longest_prefix() {
        let h = [
            op(0, 0, Some(1), RegisterOp::Write(1)),
            op(1, 2, Some(3), RegisterOp::Write(2)),
            op(2, 2, Some(3), RegisterOp::Write(3)),
            op(3, 4, Some(5), RegisterOp::Read(Some(1))),
        ];
        let v = check(&Register, &h, 1_000);
        assert_eq!(v, Verdict::NotLinearizable { longest: vec![0, 1], stuck: 3 });
    }

    /// Crashed writes of one value are placed in the order they were
    /// called, never as every subset of them: six crashed writes of 1 and
    /// six of 2, before a violation only the whole search finds.
    #[test]
    fn crashed_writes_of_one_value_are_placed_in_call_order_not_as_every_subset() {
        let mut h: Vec<_> =
            (0..12).map(|i| op(i, 0, None, RegisterOp::Write(1 + (i % 2) as i64))).collect();
        h.push(op(12, 100, Some(110), RegisterOp::Write(3)));
        h.push(op(13, 120, Some(130), RegisterOp::Read(Some(1))));
        h.push(op(14, 140, Some(150), RegisterOp::Read(Some(3))));
        let mut search = Search::new(&Register, h);
        let v = search.run(u64::MAX);
        assert!(matches!(v, Some(Verdict::NotLinearizable { .. })), "{v:?}");
        // 339 steps; 47 484 when the twin rule is off.
        assert!(search.steps() < 1_000, "{} steps", search.steps());
    }

    /// An open write whose earlier twin is not the first open op is still
    /// placed once that twin is: 1, then 5, then 1 again, from three
    /// crashed writes.
    #[test]
    fn an_open_write_follows_its_twin_whatever_the_twins_rank() {
        let h = [
            op(0, 0, None, RegisterOp::Write(5)),
            op(1, 0, None, RegisterOp::Write(1)),
            op(2, 0, None, RegisterOp::Write(1)),
            op(3, 10, Some(11), RegisterOp::Read(Some(1))),
            op(4, 12, Some(13), RegisterOp::Read(Some(5))),
            op(5, 14, Some(15), RegisterOp::Read(Some(1))),
        ];
        assert!(search(&Register, &h, 10_000).is_linearizable());
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
    fn open_writes_of_one_value_are_each_placed_where_needed() {
        // Two identical open writes, each needed: one before each read of 5.
        let h = [
            op(0, 0, None, RegisterOp::Write(5)),
            op(1, 0, None, RegisterOp::Write(5)),
            op(2, 1, Some(2), RegisterOp::Read(Some(5))),
            op(3, 3, Some(4), RegisterOp::Write(6)),
            op(4, 5, Some(6), RegisterOp::Read(Some(5))),
        ];
        assert!(search(&Register, &h, 1_000).is_linearizable());
        // With one of them only, the second read has nothing to see.
        assert!(!search(&Register, &[&h[..1], &h[2..]].concat(), 1_000).is_linearizable());
    }

    #[test]
    fn open_operations_do_not_multiply_the_search() {
        // 40 open writes that nobody reads, then a failed compare-and-set
        // (which keeps them all in the search) and a stale read at the end.
        let mut h: Vec<_> =
            (0..40).map(|i| op(i, 2 * i as u64, None, RegisterOp::Write(100 + i as i64))).collect();
        let n = h.len();
        let t = 2 * n as u64;
        h.push(op(n, t, Some(t + 1), RegisterOp::Write(1)));
        h.push(op(n + 1, t + 2, Some(t + 3), RegisterOp::Cas { from: 7, to: 8, ok: Some(false) }));
        h.push(op(n + 2, t + 4, Some(t + 5), RegisterOp::Write(2)));
        h.push(op(n + 3, t + 6, Some(t + 7), RegisterOp::Read(Some(1))));
        // Every subset of the open writes would be 2^40 branches.
        let v = check(&Register, &h, 100_000);
        assert!(matches!(v, Verdict::NotLinearizable { .. }), "{v:?}");
        h.pop();
        assert!(check(&Register, &h, 100_000).is_linearizable());
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

    /// An open write of a value read later gets the earliest return of the
    /// reads that saw it, whatever the order they are listed in; a value
    /// written twice tells nothing about which write was read; a read that
    /// returned before the write was called bounds nothing (the history is
    /// impossible, and `impossible` says so), and no later read of the value
    /// bounds it either.
    #[test]
    fn an_open_write_returns_by_its_first_observer() {
        let mut ops = vec![
            op(0, 9, None, RegisterOp::Write(9)),
            op(1, 0, None, RegisterOp::Write(5)),
            op(2, 1, None, RegisterOp::Write(7)),
            op(3, 1, None, RegisterOp::Write(7)),
            op(4, 20, Some(30), RegisterOp::Read(Some(5))),
            op(5, 21, Some(40), RegisterOp::Read(Some(7))),
            op(6, 5, Some(12), RegisterOp::Read(Some(5))),
            op(7, 2, Some(25), RegisterOp::Cas { from: 5, to: 6, ok: Some(true) }),
            op(8, 0, Some(1), RegisterOp::Write(3)),
            op(9, 3, Some(4), RegisterOp::Read(Some(9))),
            op(10, 15, Some(20), RegisterOp::Read(Some(9))),
        ];
        Register.bound_open(&mut ops);
        let rets: Vec<Option<u64>> = ops.iter().map(|o| o.ret).collect();
        assert_eq!(rets[..4], [None, Some(12), None, None]);
        assert_eq!(rets[8], Some(1));
    }

    /// A read of a value no write invoked before its return could have
    /// written is found without a search: never written, or written only
    /// after (a return at the very tick of the write's call may see it).
    #[test]
    fn a_read_of_a_value_not_yet_written_is_impossible() {
        let write = |t| op(0, t, Some(t + 10), RegisterOp::Write(1));
        let read = |v, ret| op(1, 0, Some(ret), RegisterOp::Read(Some(v)));
        assert_eq!(Register.impossible(&[write(10), read(1, 5)]), Some(1));
        assert_eq!(Register.impossible(&[write(10), read(2, 30)]), Some(1));
        assert_eq!(Register.impossible(&[write(10), read(1, 10)]), None);
        assert_eq!(Register.impossible(&[write(0), read(1, 30)]), None);
        let cas = op(1, 0, Some(5), RegisterOp::Cas { from: 1, to: 2, ok: Some(true) });
        assert_eq!(Register.impossible(&[write(10), cas]), Some(1));
    }

    /// Values nobody observed become one, unless the history itself uses
    /// the value standing for them (then nothing is rewritten).
    #[test]
    fn unobserved_values_become_one_unless_the_history_uses_it() {
        let mut ops = vec![
            op(0, 0, Some(1), RegisterOp::Write(8)),
            op(1, 2, Some(3), RegisterOp::Write(9)),
            op(2, 4, Some(5), RegisterOp::Read(Some(9))),
        ];
        Register.canonical(&mut ops);
        assert_eq!(ops[0].input, RegisterOp::Write(Register::UNSEEN));
        assert_eq!(ops[1].input, RegisterOp::Write(9));
        for uses in [
            RegisterOp::Cas { from: Register::UNSEEN, to: 1, ok: None },
            RegisterOp::Cas { from: 1, to: Register::UNSEEN, ok: None },
        ] {
            let mut ops = vec![op(0, 0, Some(1), RegisterOp::Write(8)), op(1, 2, None, uses)];
            let before = ops.clone();
            Register.canonical(&mut ops);
            assert_eq!(ops, before);
        }
    }

    /// A read of a value can still be reached when the register holds it or
    /// a pending write could put it there; nil only while nothing is held.
    #[test]
    fn a_read_is_reachable_only_through_a_write_of_its_value() {
        let reach = |from: Option<i64>, v: Option<i64>, via: &[RegisterOp]| {
            Register.may_reach(&from, &RegisterOp::Read(v), &mut via.iter())
        };
        let cas = RegisterOp::Cas { from: 1, to: 4, ok: None };
        assert!(reach(Some(3), Some(3), &[]));
        assert!(reach(None, None, &[]));
        assert!(!reach(Some(3), None, &[RegisterOp::Write(4)]));
        assert!(!reach(Some(3), Some(4), &[RegisterOp::Write(5), RegisterOp::Read(Some(4))]));
        assert!(reach(Some(3), Some(4), &[RegisterOp::Write(5), RegisterOp::Write(4)]));
        assert!(reach(Some(3), Some(4), std::slice::from_ref(&cas)));
        // Anything but a read may always be reached.
        assert!(Register.may_reach(&Some(3), &cas, &mut [].iter()));
    }

    /// An open write of a value nobody observed is left out; completed
    /// operations and open writes of observed values stay, and so does
    /// everything once a compare-and-set has failed.
    #[test]
    fn open_writes_nobody_observed_are_left_out() {
        let mut ops = vec![
            op(0, 0, None, RegisterOp::Write(8)),
            op(1, 0, None, RegisterOp::Write(9)),
            op(2, 0, Some(3), RegisterOp::Write(7)),
            op(3, 4, Some(5), RegisterOp::Read(Some(9))),
            op(4, 0, None, RegisterOp::Cas { from: 9, to: 6, ok: None }),
        ];
        assert_eq!(Register.keep(&ops), [false, true, true, true, false]);
        ops.push(op(5, 6, Some(7), RegisterOp::Cas { from: 1, to: 2, ok: Some(false) }));
        assert!(Register.keep(&ops).iter().all(|&k| k));
    }

    fn kv(id: usize, invoke: u64, ret: Option<u64>, input: KvOp) -> Op<KvOp> {
        Op { id, process: id as u64, input, invoke, ret }
    }

    /// Open appends of one value are placed in the order they were called:
    /// the later one only once the earlier one is (its twin), which the
    /// search tells apart by rank among the open ops. Here the first open
    /// op ("a") is still unplaced when the second "x" is needed.
    #[test]
    fn an_open_op_waits_for_its_earlier_twin_by_rank() {
        let s = |v: &str| v.to_string();
        let ops = [
            kv(0, 0, None, KvOp::Append(s("a"))),
            kv(1, 1, None, KvOp::Append(s("x"))),
            kv(2, 2, None, KvOp::Append(s("x"))),
            kv(3, 10, Some(11), KvOp::Get(s("xx"))),
            kv(4, 12, Some(13), KvOp::Get(s("xxa"))),
        ];
        assert!(check(&KvKey, &ops, 10_000).is_linearizable());
        let bad = [kv(4, 12, Some(13), KvOp::Get(s("xax"))), ops[3].clone()];
        let bad: Vec<_> = ops[..3].iter().cloned().chain(bad).collect();
        assert!(!check(&KvKey, &bad, 10_000).is_linearizable(), "\"xax\" after \"xx\"");
    }

    /// A store's open put or append is left out when no get returned any
    /// part of its value (an empty append changes nothing; an empty put
    /// clears the key, so it stays).
    #[test]
    fn a_stores_open_writes_nobody_read_are_left_out() {
        let s = |v: &str| v.to_string();
        let ops = [
            kv(0, 0, None, KvOp::Append(s("a"))),
            kv(1, 0, None, KvOp::Append(s("z"))),
            kv(2, 0, None, KvOp::Put(s(""))),
            kv(3, 0, None, KvOp::Append(s(""))),
            kv(4, 0, Some(1), KvOp::Append(s("q"))),
            kv(5, 2, Some(3), KvOp::Get(s("ab"))),
            kv(6, 0, None, KvOp::Put(s("b"))),
        ];
        assert_eq!(KvKey.keep(&ops), [true, false, true, false, true, true, true]);
    }

    /// A store's open write of a value written once returns by the first
    /// get, returned after the write was called, whose string holds the
    /// value and cannot be spelled without it.
    #[test]
    fn a_stores_open_write_returns_by_the_first_get_that_needs_it() {
        let s = |v: &str| v.to_string();
        let mut ops = vec![
            kv(0, 0, Some(1), KvOp::Put(s("x"))),
            kv(1, 2, None, KvOp::Append(s("y"))),
            kv(2, 3, Some(10), KvOp::Get(s("xy"))),
            kv(3, 4, Some(6), KvOp::Get(s("xy"))),
            kv(4, 30, None, KvOp::Put(s("p"))),
            kv(5, 31, Some(35), KvOp::Get(s("zz"))),
            kv(6, 32, Some(40), KvOp::Get(s("py"))),
        ];
        KvKey.bound_open(&mut ops);
        assert_eq!((ops[1].ret, ops[4].ret), (Some(6), Some(40)));
    }

    /// What a key's strings are spelled from: its puts (and the empty
    /// string a key starts as), its appended values once each in order (an
    /// empty append spells nothing), and their lengths.
    #[test]
    fn a_keys_spelling_lists_its_puts_appends_and_lengths() {
        let s = |v: &str| v.to_string();
        let ops = [
            kv(0, 0, Some(1), KvOp::Append(s("bc"))),
            kv(1, 0, Some(1), KvOp::Put(s("x"))),
            kv(2, 0, Some(1), KvOp::Append(s(""))),
            kv(3, 0, Some(1), KvOp::Append(s("a"))),
            kv(4, 0, Some(1), KvOp::Append(s("bc"))),
            kv(5, 0, Some(1), KvOp::Get(s("q"))),
        ];
        let (puts, appends, lengths) = spelling(&ops);
        assert_eq!((puts, appends, lengths), (vec!["", "x"], vec!["a", "bc"], vec![1, 2]));
        let written: Vec<_> = ops.iter().map(written_value).collect();
        assert_eq!(written, [Some("bc"), Some("x"), Some(""), Some("a"), Some("bc"), None]);
    }

    /// A string is spelled by one put followed by appends; what is known of
    /// a prefix is reused and cut to the string's length.
    #[test]
    fn a_string_is_spelled_by_a_put_then_appends() {
        let (puts, appends, lengths) = (["", "x"], ["a", "bc"], [1, 2]);
        for yes in ["", "x", "a", "bca", "xabc", "aa"] {
            assert!(spelled(yes, &puts, &appends, &lengths), "{yes}");
        }
        for no in ["b", "xb", "ab", "xy", "cab", "xx"] {
            assert!(!spelled(no, &puts, &appends, &lengths), "{no}");
        }
        let known = reach("xa", &puts, &appends, &lengths, &[]);
        assert_eq!(known, [true, true, true]);
        assert_eq!(
            reach("xabc", &puts, &appends, &lengths, &known),
            [true, true, true, false, true]
        );
        assert_eq!(reach("x", &puts, &appends, &lengths, &known), [true, true]);
    }

    /// The store's impossible get is the first by position (not by its
    /// string's order), and none when every get is spelled.
    #[test]
    fn a_stores_impossible_get_is_the_first_by_position() {
        let s = |v: &str| v.to_string();
        let ops = [
            kv(0, 0, Some(1), KvOp::Put(s("x"))),
            kv(1, 0, Some(1), KvOp::Append(s("a"))),
            kv(2, 2, Some(3), KvOp::Get(s("xa"))),
            kv(3, 2, Some(3), KvOp::Get(s("zz"))),
            kv(4, 2, Some(3), KvOp::Get(s("b"))),
            kv(5, 2, Some(3), KvOp::Get(s("xaa"))),
        ];
        assert_eq!(KvKey.impossible(&ops), Some(3));
        assert_eq!(KvKey.impossible(&ops[..3]), None);
        assert_eq!(KvKey.impossible(&[ops[0].clone(), ops[1].clone(), ops[5].clone()]), None);
    }

    /// Only an accelerator: with appends of more than 16 lengths the
    /// question is left to the search.
    #[test]
    fn a_store_with_appends_of_many_lengths_is_left_to_the_search() {
        let mut ops: Vec<Op<KvOp>> =
            (1..=16).map(|l| kv(l, 0, Some(1), KvOp::Append("a".repeat(l)))).collect();
        ops.push(kv(0, 2, Some(3), KvOp::Get("b".to_string())));
        assert_eq!(KvKey.impossible(&ops), Some(16));
        ops.push(kv(17, 0, Some(1), KvOp::Append("a".repeat(17))));
        assert_eq!(KvKey.impossible(&ops), None);
    }
}
