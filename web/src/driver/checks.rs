//! What the checks panel, the history and the embedding API show about the
//! run's client history, recomputed only when that history changes.
//!
//! The checks (stale reads, inversions, session guarantees, linearizability,
//! and for the store causality) are functions of the history and of the
//! invariants' record alone, so a summary published while nothing returned
//! reuses the last result: a fingerprint of every invocation and return, and
//! of the violations so far, decides. While a run plays, most summaries find
//! the same fingerprint, and the panels given the same `Rc` do not re-render.

use std::hash::{Hash, Hasher};
use std::rc::Rc;

use qcore::check::register::{inversions, stale_reads, Violation};
use qcore::hash::Fnv1a;
use qcore::OpRecord;

use super::{Linear, OpLine, LIVE_CHECK_BUDGET, LIVE_MAIN_MAX_OPS};

/// The verdicts on a run's client history.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Checks {
    /// Every operation, with whether a check flagged it.
    pub history: Vec<OpLine>,
    /// Invariant violations so far.
    pub violations: Vec<qcore::safety::Violation>,
    pub stale: usize,
    pub inversions: usize,
    pub linear: Linear,
    pub session: Vec<qcore::check::session::Violation>,
    /// Requests answered with a value, of those that ended.
    pub answered: (usize, usize),
    /// Causal violations (the read, the write it missed), for the store.
    pub causal: Vec<(u64, u64)>,
    /// When each client-visible verdict first broke.
    pub breaks: Vec<(super::properties::Prop, u64)>,
}

/// The last checks and the fingerprint they were made for.
#[derive(Default)]
pub struct Cache {
    key: Option<u64>,
    checks: Rc<Checks>,
    /// How many times the checks ran (the bench and a test read it).
    pub runs: u64,
}

/// A fingerprint of what the checks depend on.
fn fingerprint(h: &[OpRecord], violations: &[qcore::safety::Violation], causal: bool) -> u64 {
    let mut f = Fnv1a::default();
    h.hash(&mut f);
    violations.hash(&mut f);
    causal.hash(&mut f);
    f.finish()
}

impl Cache {
    /// The checks of history `h`, from the cache when nothing changed.
    pub fn get(
        &mut self,
        h: &[OpRecord],
        violations: Vec<qcore::safety::Violation>,
        causal: bool,
    ) -> Rc<Checks> {
        let key = fingerprint(h, &violations, causal);
        if self.key != Some(key) {
            self.key = Some(key);
            self.runs += 1;
            self.checks = Rc::new(compute(h, violations, causal));
        }
        Rc::clone(&self.checks)
    }
}

/// Every check of history `h`.
pub(super) fn compute(
    h: &[OpRecord],
    violations: Vec<qcore::safety::Violation>,
    causal: bool,
) -> Checks {
    let mut flagged = qcore::small::VecSet::new();
    let stale = stale_reads(h);
    let inv = inversions(h);
    for v in stale.iter().chain(&inv) {
        match *v {
            Violation::StaleRead { write, read } => flagged.extend([write, read]),
            Violation::Inversion { earlier, later } => flagged.extend([earlier, later]),
        }
    }
    let session = qcore::check::session::check(h);
    for v in &session {
        flagged.extend([v.earlier, v.later]);
    }
    let linear = linear(h);
    if let Linear::No(stuck) = linear {
        flagged.insert(stuck);
    }
    let causal: Vec<(u64, u64)> = if causal {
        qcore::check::causal::check(&qcore::check::causal::from_history(h))
            .into_iter()
            .map(|v| (v.read, v.missed))
            .collect()
    } else {
        Vec::new()
    };
    for (a, b) in &causal {
        flagged.extend([*a, *b]);
    }
    let ended = h.iter().filter(|r| r.ret.is_some()).count();
    let answered = (h.iter().filter(|r| r.ok().is_some()).count(), ended);
    let stuck = matches!(linear, Linear::No(_));
    let mut checks = Checks { session, causal, ..Checks::default() };
    let register = [stale.as_slice(), inv.as_slice()];
    checks.breaks =
        super::properties::client_breaks(h, &checks, register, stuck, LIVE_CHECK_BUDGET);
    let history = h
        .iter()
        .map(|r| OpLine {
            id: r.id,
            client: r.client,
            node: r.node,
            op: r.op,
            invoke: r.invoke,
            ret: r.ret,
            flagged: flagged.contains(&r.id),
        })
        .collect();
    Checks {
        history,
        violations,
        stale: stale.len(),
        inversions: inv.len(),
        linear,
        answered,
        ..checks
    }
}

/// The linearizability verdict, or `Deferred` when the history is too long
/// to check between frames (the worker checks it when the run pauses).
fn linear(h: &[OpRecord]) -> Linear {
    use qcore::check::linear::{check, Register, Verdict};
    let ops = qcore::check::register_ops(h);
    if ops.len() > LIVE_MAIN_MAX_OPS {
        return Linear::Deferred;
    }
    match check(&Register, &ops, LIVE_CHECK_BUDGET) {
        Verdict::Linearizable { points, .. } => {
            // Inserts, not `collect`: building a map from an iterator sorts
            // it first, and that sort would be one more copy in the wasm.
            let mut at = qcore::small::VecMap::new();
            for (id, t) in points {
                at.insert(id as u64, t);
            }
            Linear::Yes(at)
        }
        Verdict::NotLinearizable { stuck, .. } => Linear::No(stuck as u64),
        Verdict::Unknown => Linear::Unknown,
    }
}
