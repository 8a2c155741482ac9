//! When a promise first broke: the earliest moment at which the run as it
//! stood then (the operations invoked by then, with the answers given by
//! then, and what the nodes had reported by then) already breaks it.
//!
//! Every promise here is kept by a prefix of a run whenever it is kept by
//! the whole run (a later answer or report only adds constraints, and an
//! operation not yet answered may still take effect or not), so the first
//! moment is found by bisection over the moments something was reported.

use super::{Oracle, Watch};
use crate::client::OpRecord;
use crate::scenario::ProtocolConfig;
use crate::trace::{Happened, TraceEntry};
use crate::types::Tick;

/// The history as it stood at `t`: operations invoked by then, the answers
/// given after it taken back (those operations are still open).
#[must_use]
pub fn history_at(h: &[OpRecord], t: Tick) -> Vec<OpRecord> {
    h.iter()
        .filter(|r| r.invoke <= t)
        .map(|r| OpRecord { ret: r.ret.filter(|(at, _)| *at <= t), ..*r })
        .collect()
}

/// The moments a verdict can change: an answer to a client or a node's
/// report, in time order, each once.
#[must_use]
pub fn moments(trace: &[TraceEntry], h: &[OpRecord]) -> Vec<Tick> {
    let notes = trace.iter().filter(|e| matches!(e.what, Happened::Note { .. })).map(|e| e.tick);
    let mut all: Vec<Tick> = notes.chain(h.iter().filter_map(|r| r.ret.map(|(t, _)| t))).collect();
    all.sort_unstable();
    all.dedup();
    all
}

/// The first of `moments` at which `broken` holds, assuming that once it
/// holds it holds at every later moment.
pub fn first(moments: &[Tick], mut broken: impl FnMut(Tick) -> bool) -> Option<Tick> {
    let last = *moments.last()?;
    if !broken(last) {
        return None;
    }
    let i = moments.partition_point(|&t| t < last && !broken(t));
    Some(moments[i])
}

/// The first moment the run in `trace` with history `h` broke promise `o`
/// of `protocol`, if it did; the trace is read from its first entry (the
/// oracles need every report from the start to be exact).
#[must_use]
pub fn first_broken(
    protocol: &ProtocolConfig,
    trace: &[TraceEntry],
    h: &[OpRecord],
    o: Oracle,
) -> Option<Tick> {
    let broken = |t: Tick| {
        let mut w = Watch::new(protocol, true);
        w.observe(&trace[..trace.partition_point(|e| e.tick <= t)]);
        w.judge_one(o, &history_at(h, t), None).is_some()
    };
    first(&moments(trace, h), broken)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::Sim;

    #[test]
    fn bisection_finds_the_first_moment_of_a_monotone_verdict() {
        let ts = [3, 5, 8, 13, 21];
        for from in ts {
            assert_eq!(first(&ts, |t| t >= from), Some(from));
        }
        assert_eq!(first(&ts, |_| false), None);
        assert_eq!(first(&[], |_| true), None);
    }

    #[test]
    fn an_open_operation_is_open_before_its_answer() {
        use crate::client::Outcome;
        use crate::types::{ClientOp, Stamp};
        let ok = |t| Some((t, Outcome::Ok { value: Some(1), stamp: Stamp::default() }));
        let op = |id, invoke, ret| OpRecord {
            id,
            client: 0,
            node: 0,
            op: ClientOp::Write(1),
            invoke,
            ret,
        };
        let h = [op(0, 1, ok(10)), op(1, 5, ok(20)), op(2, 30, None)];
        let at = history_at(&h, 12);
        assert_eq!(at.len(), 2);
        assert!(at[0].ret.is_some() && at[1].ret.is_none(), "{at:?}");
        assert!(history_at(&h, 0).is_empty());
        assert_eq!(history_at(&h, 99), h.to_vec());
    }

    /// The lesson where an acceptor forgets its promise tells two clients
    /// two values: the moment found is the first report of the second value,
    /// the promise holds just before it and is broken from then on.
    #[test]
    fn the_first_broken_moment_of_a_real_run_is_exact() {
        let mut sim =
            Sim::new(crate::lessons::lesson("paxos-forget").expect("a lesson")).expect("valid");
        sim.run_until(3_000);
        let p = sim.scenario().protocol.clone();
        let (trace, h) = (sim.trace().to_vec(), sim.history());
        let t = first_broken(&p, &trace, &h, Oracle::OneValue).expect("two values told");
        let last_answer = h.iter().filter_map(|r| r.ret.map(|(t, _)| t)).max();
        // A node may learn the second value before its client is told.
        assert!(Some(t) <= last_answer, "broken at {t}, by {last_answer:?} at the latest");
        let judge = |t: Tick| {
            let mut w = Watch::new(&p, true);
            w.observe(&trace[..trace.partition_point(|e| e.tick <= t)]);
            w.judge_one(Oracle::OneValue, &history_at(&h, t), None).is_some()
        };
        assert!(judge(t) && !judge(t - 1), "OneValue at {t}");
        let fine = Oracle::ChosenWasProposed;
        assert_eq!(first_broken(&p, &trace, &h, fine), None, "both values were proposed");
    }
}
