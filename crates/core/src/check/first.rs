//! When a client-visible verdict first broke: the moment the clients had
//! been told enough to show it. A stale read shows when the read returns; an
//! inversion, a broken session guarantee or a causal violation once both of
//! its operations returned; two Paxos values once a second one is told; a
//! history that cannot be linearized at the first moment its answers so far
//! already admit no legal order.

use crate::client::OpRecord;
use crate::oracle::moment::{first, history_at};
use crate::types::Tick;

/// The moment every operation of `ids` had returned (an open one counts
/// from its invocation: it was part of the story by then).
#[must_use]
pub fn all_returned(h: &[OpRecord], ids: &[u64]) -> Option<Tick> {
    ids.iter()
        .filter_map(|&id| h.iter().find(|r| r.id == id))
        .map(|r| r.ret.map_or(r.invoke, |(t, _)| t))
        .max()
}

/// The earliest of the moments `each` gives the violations in `vs`.
#[must_use]
pub fn earliest<V>(h: &[OpRecord], vs: &[V], ids: impl Fn(&V) -> [u64; 2]) -> Option<Tick> {
    vs.iter().filter_map(|v| all_returned(h, &ids(v))).min()
}

/// The moment clients had been told two different values (Paxos promises
/// one), counting only answers that carry a value.
#[must_use]
pub fn second_value_told(h: &[OpRecord]) -> Option<Tick> {
    // No sort: each sorted type costs the wasm its own copy of the sort.
    let told = || h.iter().filter_map(|r| r.ok().and_then(|(t, v, _)| Some((t, v?))));
    let (_, v0) = told().min()?;
    told().filter(|&(_, v)| v != v0).map(|(t, _)| t).min()
}

/// The first return at which the register history `h`, as it stood then,
/// had no linearization; `None` if it has one now or the search ran out of
/// its `budget` (a verdict not reached is no break). A prefix of a
/// linearizable history is linearizable (open operations may or may not
/// take effect), so bisection over the returns finds it.
#[must_use]
pub fn not_linearizable(h: &[OpRecord], budget: u64) -> Option<Tick> {
    use super::linear::{check, Register, Verdict};
    let mut returns: Vec<Tick> = h.iter().filter_map(|r| r.ret.map(|(t, _)| t)).collect();
    crate::order::by_key(&mut returns, |&t| u128::from(t));
    returns.dedup();
    let broken = |t: Tick| {
        let ops = super::register_ops(&history_at(h, t));
        matches!(check(&Register, &ops, budget), Verdict::NotLinearizable { .. })
    };
    first(&returns, broken)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::Outcome;
    use crate::types::{ClientOp, Stamp};

    fn op(id: u64, op: ClientOp, invoke: Tick, ret: Option<(Tick, u64)>) -> OpRecord {
        let stamp = |v| Stamp { counter: v, ..Stamp::default() };
        let ret = ret.map(|(t, v)| (t, Outcome::Ok { value: Some(v), stamp: stamp(v) }));
        OpRecord { id, client: id as u32, node: 0, op, invoke, ret }
    }

    /// The moment the operations named had all returned, an open one
    /// counting from its call.
    #[test]
    fn the_operations_named_returned_by_the_latest_of_their_answers() {
        let w = ClientOp::Write;
        let h =
            [op(0, w(5), 0, Some((40, 5))), op(1, w(9), 10, Some((90, 9))), op(2, w(3), 60, None)];
        assert_eq!(all_returned(&h, &[0]), Some(40));
        assert_eq!(all_returned(&h, &[1]), Some(90));
        assert_eq!(all_returned(&h, &[0, 2]), Some(60));
        assert_eq!(all_returned(&h, &[7]), None);
    }

    #[test]
    fn a_second_value_is_seen_when_it_is_told() {
        let w = ClientOp::Write;
        let h = [op(0, w(5), 0, Some((40, 5))), op(1, w(9), 10, Some((90, 9)))];
        assert_eq!(second_value_told(&h), Some(90));
        assert_eq!(second_value_told(&h[..1]), None);
        let agree = [op(0, w(5), 0, Some((40, 5))), op(1, w(9), 10, Some((30, 5)))];
        assert_eq!(second_value_told(&agree), None);
    }

    /// Write 1 ends at 20; a read begun after it returns the initial value
    /// at 50: no order fits from the read's answer on, and before it the
    /// history was fine.
    #[test]
    fn a_read_that_missed_a_finished_write_breaks_at_its_answer() {
        let mut h = vec![op(0, ClientOp::Write(1), 0, Some((20, 1)))];
        let mut read = op(1, ClientOp::Read, 30, None);
        read.ret = Some((50, Outcome::Ok { value: None, stamp: Stamp::default() }));
        h.push(read);
        h.push(op(2, ClientOp::Read, 60, Some((70, 1))));
        assert_eq!(not_linearizable(&h, 10_000), Some(50));
        assert_eq!(not_linearizable(&[h[0].clone(), h[2].clone()], 10_000), None);
        assert_eq!(all_returned(&h, &[0, 1]), Some(50));
        let pairs = [[0, 1], [0, 2]];
        assert_eq!(earliest(&h, &pairs, |p| *p), Some(50));
    }
}
