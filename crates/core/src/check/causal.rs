//! Causal consistency (lecture 02, 因果一致性) over histories that carry
//! their dependencies as vector clocks.
//!
//! Operations with a causal relation must be seen in that order; unrelated
//! ones may be seen in any order. The lecture's example: you post a photo,
//! a friend comments, you reply to the comment — anyone who sees your reply
//! must also see the comment it answers. Checked per client: once a client
//! has seen a write (its causal past comes along), every later read of a key
//! must return a write that is not older than a write to that key already in
//! the client's causal past.

use crate::small::VecMap;

/// A vector clock: one counter per client.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Vc(pub VecMap<u32, u64>);

impl Vc {
    /// Every entry ≤ the other's.
    #[must_use]
    pub fn le(&self, o: &Vc) -> bool {
        self.0.iter().all(|(k, v)| o.0.get(k).copied().unwrap_or(0) >= *v)
    }
    /// Happened strictly before.
    #[must_use]
    pub fn lt(&self, o: &Vc) -> bool {
        self.le(o) && self != o
    }
    pub fn merge(&mut self, o: &Vc) {
        for (k, v) in &o.0 {
            let e = self.0.get_or(*k, || 0);
            *e = (*e).max(*v);
        }
    }
}

/// A write (with its clock, which covers its causal past) or a read that
/// returned one write, or nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum COp {
    Write { id: u64, client: u32, key: String, vc: Vc },
    Read { id: u64, client: u32, key: String, saw: Option<u64> },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The read that returned too old a value.
    pub read: u64,
    /// The newer write to that key the reader's causal past already held.
    pub missed: u64,
}

/// Every causal violation, in history order (each client's operations in
/// the order it issued them).
#[must_use]
pub fn check(history: &[COp]) -> Vec<Violation> {
    // Inserted one by one, not collected: collecting sorts first, and each
    // sorted type costs the bundle a copy of the sort.
    let mut writes: VecMap<u64, (&str, &Vc)> = VecMap::new();
    for o in history {
        if let COp::Write { id, key, vc, .. } = o {
            writes.insert(*id, (key.as_str(), vc));
        }
    }
    let mut past: VecMap<u32, Vc> = VecMap::new();
    let mut out = Vec::new();
    for op in history {
        match op {
            COp::Write { client, vc, .. } => past.get_or_default(*client).merge(vc),
            COp::Read { id, client, key, saw } => {
                let ctx = past.get_or_default(*client).clone();
                let saw_vc = saw.and_then(|w| writes.get(&w)).map(|(_, vc)| *vc);
                // A write to this key in the causal past, newer than what was read.
                let missed = writes.iter().find(|(_, (k, vc))| {
                    *k == key && vc.le(&ctx) && saw_vc.is_none_or(|s| s.lt(vc))
                });
                if let Some((w, _)) = missed {
                    out.push(Violation { read: *id, missed: *w });
                }
                if let Some(vc) = saw_vc {
                    past.get_or_default(*client).merge(vc);
                }
            }
        }
    }
    out
}

/// A simulated run's history as checker input. The dependencies are
/// inferred the way a client library would track them: a client's write
/// depends on its own earlier writes and on every write its earlier reads
/// returned (and, through those, on their pasts). A read is matched to the
/// write of the same key and value invoked most recently before it returned.
/// Reads that did not complete constrain nothing and are left out.
#[must_use]
pub fn from_history(history: &[crate::client::OpRecord]) -> Vec<COp> {
    use crate::types::key_name;
    let mut vcs: VecMap<u64, Vc> = VecMap::new();
    let mut writes: Vec<(u64, u32, u64, u64)> = Vec::new(); // id, key, value, invoke
    let mut past: VecMap<u32, Vc> = VecMap::new();
    let mut count: VecMap<u32, u64> = VecMap::new();
    let mut out = Vec::new();
    let seen = |writes: &[(u64, u32, u64, u64)], key: u32, value: u64, by: u64| {
        writes
            .iter()
            .filter(|&&(_, k, v, at)| k == key && v == value && at <= by)
            .max_by_key(|&&(_, _, _, at)| at)
            .map(|&(id, ..)| id)
    };
    // Writes are placed at their invocation and reads at their return, so a
    // read's write is always known when the read is, and a client's write
    // comes after every read it had finished (reads first on a tie: a read
    // cannot return a write invoked at the same tick).
    let mut order: Vec<(u64, bool, usize)> = history
        .iter()
        .enumerate()
        .filter_map(|(i, r)| match r.op.written() {
            Some(_) => Some((r.invoke, true, i)),
            None => r.ok().map(|(ret, ..)| (ret, false, i)),
        })
        .collect();
    crate::order::by_key(&mut order, |&(t, w, i)| {
        crate::order::pair(t, u64::from(w) << 32 | i as u64)
    });
    for (_, _, i) in order {
        let r = &history[i];
        let key = r.op.key();
        match r.op.written() {
            Some(value) => {
                // A write whose outcome the client never learned may not have
                // happened, so it is not in the client's own past; like
                // Jepsen, give it to a process of its own (with a clock entry
                // of its own). A read that returns it still brings its past.
                let known = r.ok().is_some();
                let client = if known {
                    r.client
                } else {
                    u32::MAX - u32::try_from(r.id % (1 << 30)).unwrap_or(0)
                };
                let n = count.get_or(client, || 0);
                *n += 1;
                let mut vc = past.get(&r.client).cloned().unwrap_or_default();
                vc.0.insert(client, *n);
                if known {
                    past.insert(r.client, vc.clone());
                }
                vcs.insert(r.id, vc.clone());
                writes.push((r.id, key, value, r.invoke));
                out.push(COp::Write { id: r.id, client, key: key_name(key), vc });
            }
            None => {
                let Some((ret, value, _)) = r.ok() else { continue };
                let saw = value.and_then(|v| seen(&writes, key, v, ret));
                if let Some(vc) = saw.and_then(|w| vcs.get(&w)) {
                    past.get_or_default(r.client).merge(vc);
                }
                out.push(COp::Read { id: r.id, client: r.client, key: key_name(key), saw });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::{OpRecord, Outcome};
    use crate::types::{ClientOp, Stamp, Tick};

    fn vc(entries: &[(u32, u64)]) -> Vc {
        Vc(entries.iter().copied().collect())
    }

    fn w(id: u64, client: u32, key: &str, clock: &[(u32, u64)]) -> COp {
        COp::Write { id, client, key: key.into(), vc: vc(clock) }
    }

    fn r(id: u64, client: u32, key: &str, saw: Option<u64>) -> COp {
        COp::Read { id, client, key: key.into(), saw }
    }

    /// Lecture 02: you post a photo (you = 0), a friend (1) comments, you
    /// reply to the comment; a reader (2) who sees the reply must see the
    /// comment too.
    fn moments(reader_sees_comment: bool) -> Vec<COp> {
        vec![
            w(1, 0, "photo", &[(0, 1)]),
            r(2, 1, "photo", Some(1)),
            w(3, 1, "comment", &[(0, 1), (1, 1)]),
            r(4, 0, "comment", Some(3)),
            w(5, 0, "reply", &[(0, 2), (1, 1)]),
            r(6, 2, "reply", Some(5)),
            r(7, 2, "comment", reader_sees_comment.then_some(3)),
        ]
    }

    #[test]
    fn a_reply_seen_without_its_comment_breaks_causality() {
        assert_eq!(check(&moments(false)), vec![Violation { read: 7, missed: 3 }]);
    }

    #[test]
    fn seeing_the_comment_with_the_reply_is_causal() {
        assert!(check(&moments(true)).is_empty());
    }

    #[test]
    fn unrelated_writes_may_be_seen_in_any_order() {
        let h = vec![
            w(1, 0, "a", &[(0, 1)]),
            w(2, 1, "b", &[(1, 1)]),
            r(3, 2, "b", Some(2)),
            r(4, 2, "a", None),
        ];
        assert!(check(&h).is_empty());
    }

    /// A client that wrote twice to a key and then reads its first write
    /// back has missed the second, which is in its own past.
    #[test]
    fn reading_an_older_write_than_one_in_the_past_is_caught() {
        let h = vec![w(1, 0, "x", &[(0, 1)]), w(2, 0, "x", &[(0, 2)]), r(3, 0, "x", Some(1))];
        assert_eq!(check(&h), vec![Violation { read: 3, missed: 2 }]);
        let h = vec![w(1, 0, "x", &[(0, 1)]), w(2, 0, "x", &[(0, 2)]), r(3, 0, "x", Some(2))];
        assert!(check(&h).is_empty());
    }

    fn record(
        id: u64,
        client: u32,
        op: ClientOp,
        invoke: Tick,
        ret: Tick,
        v: Option<u64>,
    ) -> OpRecord {
        let ret = Some((ret, Outcome::Ok { value: v, stamp: Stamp::default() }));
        OpRecord { id, client, node: 0, op, invoke, ret }
    }

    /// A read is matched to the write of the value it returned (not to a
    /// later write of another value), and never to one invoked at the tick
    /// it returned, even when the history lists that write first.
    #[test]
    fn a_read_is_matched_to_the_write_it_could_have_returned() {
        let x = |v| ClientOp::WriteKey(1, v);
        let h = [
            record(0, 0, x(5), 0, 2, None),
            record(1, 1, x(7), 3, 4, None),
            record(2, 1, x(5), 10, 12, None),
            record(3, 2, ClientOp::ReadKey(1), 8, 10, Some(5)),
        ];
        let reads: Vec<_> =
            from_history(&h).into_iter().filter(|o| matches!(o, COp::Read { .. })).collect();
        assert_eq!(
            reads,
            [COp::Read { id: 3, client: 2, key: crate::types::key_name(1), saw: Some(0) }]
        );
    }
}
