//! The replicated registers judged by their histories: Quorum with
//! W + R > N never returns a value older than a completed write, ABD (read
//! write-back) is linearizable; the eventually consistent store converges
//! once the network heals and the load stops, and with causal delivery what
//! its clients read is causal.

use super::{Finding, Oracle};
use crate::check::{causal, linear, register, register_ops};
use crate::client::OpRecord;
use crate::sim::Sim;

/// Steps the linearizability search may spend on one history; a history it
/// cannot decide within them is not judged (Unknown is never a pass).
const LINEAR_BUDGET: u64 = 2_000_000;

/// Quorum with W + R > N: no read older than a write completed before it.
#[must_use]
pub fn stale(history: &[OpRecord]) -> Option<Finding> {
    let v = register::stale_reads(history).into_iter().next()?;
    Some(Finding { oracle: Oracle::StaleRead, detail: format!("{v:?}") })
}

/// ABD (Quorum with read write-back): the history has a linearization.
#[must_use]
pub fn linearizable(history: &[OpRecord]) -> Option<Finding> {
    match linear::check(&linear::Register, &register_ops(history), LINEAR_BUDGET) {
        linear::Verdict::NotLinearizable { stuck, .. } => Some(Finding {
            oracle: Oracle::Linearizable,
            detail: format!("no linearization places op {stuck}"),
        }),
        _ => None,
    }
}

/// What the store's clients read, judged causally (dependencies inferred
/// as a client library tracks them).
#[must_use]
pub fn causal(history: &[OpRecord]) -> Option<Finding> {
    let v = causal::check(&causal::from_history(history)).into_iter().next()?;
    let detail = format!("op {} read a value older than op {} in its past", v.read, v.missed);
    Some(Finding { oracle: Oracle::Causal, detail })
}

/// After healing and a quiet while: every replica holds the same version of
/// every key and the same version vector.
#[must_use]
pub fn converged(sim: &Sim) -> Option<Finding> {
    let n = sim.scenario().protocol.nodes();
    let state = |i: u32| {
        let r = sim.world().eventual_replica(i)?;
        let keys: Vec<_> = (0..crate::eventual::KEYS).map(|k| r.get(k)).collect();
        Some((keys, r.version_vector().to_vec()))
    };
    let first = state(0);
    let other = (1..n).find(|&i| state(i) != first)?;
    let show = |i: u32| state(i).map(|(_, vv)| crate::eventual::show_vv(&vv));
    let detail = format!("replica 0 holds {:?}, replica {other} {:?}", show(0), show(other));
    Some(Finding { oracle: Oracle::Converged, detail })
}
