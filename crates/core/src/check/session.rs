//! Session guarantees (lecture 02, 会话一致性; Terry et al., "Session
//! Guarantees for Weakly Consistent Replicated Data").
//!
//! Judged per client over a history whose values carry a version order
//! (the register's stamps): within one client's session,
//! * **read your writes** — a read sees a version at least as new as every
//!   write the client completed before the read began;
//! * **monotonic reads** — a later read never sees an older version than an
//!   earlier read;
//! * **monotonic writes** — the client's writes take effect in its order;
//! * **writes follow reads** — a write is ordered after what the client read
//!   before it.
//!
//! Each violation names the two operations involved.

use crate::client::OpRecord;
use crate::types::Stamp;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Guarantee {
    ReadYourWrites,
    MonotonicReads,
    MonotonicWrites,
    WritesFollowReads,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    pub guarantee: Guarantee,
    pub client: u32,
    /// The earlier operation and the later one that contradicts it.
    pub earlier: u64,
    pub later: u64,
}

struct Done {
    id: u64,
    key: u32,
    write: bool,
    invoke: u64,
    ret: u64,
    version: Stamp,
}

/// Every session-guarantee violation in a history of completed operations.
#[must_use]
pub fn check(history: &[OpRecord]) -> Vec<Violation> {
    let mut out = Vec::new();
    let mut clients: Vec<u32> = history.iter().map(|r| r.client).collect();
    crate::order::by_key(&mut clients, |&c| u128::from(c));
    clients.dedup();
    for c in clients {
        let ops: Vec<Done> = history
            .iter()
            .filter(|r| r.client == c)
            .filter_map(|r| {
                r.ok().map(|(ret, _, version)| Done {
                    id: r.id,
                    key: r.op.key(),
                    write: r.op.written().is_some(),
                    invoke: r.invoke,
                    ret,
                    version,
                })
            })
            .collect();
        for later in &ops {
            // A client has one operation outstanding and issues its next
            // queued one at the tick the last returned: an operation that
            // returned at the tick another was invoked came before it.
            let before = |e: &&Done| e.ret <= later.invoke && e.id != later.id;
            for earlier in ops.iter().filter(before).filter(|e| e.key == later.key) {
                let rule = match (earlier.write, later.write) {
                    (true, false) => Guarantee::ReadYourWrites,
                    (false, false) => Guarantee::MonotonicReads,
                    (true, true) => Guarantee::MonotonicWrites,
                    (false, true) => Guarantee::WritesFollowReads,
                };
                // A later write must be strictly newer; a later read at least as new.
                let broken = if later.write {
                    later.version <= earlier.version
                } else {
                    later.version < earlier.version
                };
                if broken {
                    out.push(Violation {
                        guarantee: rule,
                        client: c,
                        earlier: earlier.id,
                        later: later.id,
                    });
                }
            }
        }
    }
    crate::order::by_key(&mut out, |v| crate::order::pair(v.later, v.guarantee as u64));
    out.dedup_by_key(|v| (v.later, v.guarantee));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::Outcome;
    use crate::types::ClientOp;

    fn rec(id: u64, client: u32, op: ClientOp, invoke: u64, ret: u64, counter: u64) -> OpRecord {
        let stamp = Stamp { counter, writer: 0 };
        OpRecord {
            id,
            client,
            node: 0,
            op,
            invoke,
            ret: Some((ret, Outcome::Ok { value: Some(counter), stamp })),
        }
    }

    /// Lecture 02, session consistency: after an update, the same session
    /// always reads the newest value.
    #[test]
    fn reading_an_older_value_after_your_own_write_breaks_read_your_writes() {
        let h = [rec(0, 0, ClientOp::Write(2), 0, 5, 2), rec(1, 0, ClientOp::Read, 6, 9, 1)];
        let v = check(&h);
        assert_eq!(
            v,
            vec![Violation {
                guarantee: Guarantee::ReadYourWrites,
                client: 0,
                earlier: 0,
                later: 1
            }]
        );
    }

    /// A queued read is issued at the tick the client's write returned:
    /// that write came before it in the session.
    #[test]
    fn a_read_issued_at_the_tick_your_write_returned_must_see_it() {
        let h = [rec(0, 0, ClientOp::Write(2), 0, 5, 2), rec(1, 0, ClientOp::Read, 5, 9, 1)];
        let v = check(&h);
        assert_eq!(v.len(), 1, "{v:?}");
        assert_eq!((v[0].guarantee, v[0].earlier, v[0].later), (Guarantee::ReadYourWrites, 0, 1));
        // An operation that returns at the tick it was invoked is not before itself.
        let h = [rec(0, 0, ClientOp::Write(2), 5, 5, 2), rec(1, 0, ClientOp::Read, 5, 9, 2)];
        assert!(check(&h).is_empty());
    }

    #[test]
    fn another_clients_stale_read_is_not_a_session_violation() {
        let h = [rec(0, 0, ClientOp::Write(2), 0, 5, 2), rec(1, 1, ClientOp::Read, 6, 9, 1)];
        assert!(check(&h).is_empty());
    }

    #[test]
    fn going_back_in_versions_breaks_monotonic_reads() {
        let h = [rec(0, 0, ClientOp::Read, 0, 1, 3), rec(1, 0, ClientOp::Read, 2, 3, 2)];
        assert_eq!(check(&h)[0].guarantee, Guarantee::MonotonicReads);
    }

    #[test]
    fn writes_out_of_session_order_break_monotonic_writes_and_writes_follow_reads() {
        let h = [rec(0, 0, ClientOp::Write(5), 0, 1, 5), rec(1, 0, ClientOp::Write(4), 2, 3, 4)];
        assert_eq!(check(&h)[0].guarantee, Guarantee::MonotonicWrites);
        let h = [rec(0, 0, ClientOp::Read, 0, 1, 5), rec(1, 0, ClientOp::Write(4), 2, 3, 4)];
        assert_eq!(check(&h)[0].guarantee, Guarantee::WritesFollowReads);
    }
}
