//! Clients and the history they record.
//!
//! A client is a single-threaded actor (like a Jepsen process): it has at
//! most one operation outstanding and queues the rest. Every operation is
//! recorded with the tick it was invoked and the tick it returned, or its
//! timeout. This invoke/return history is what the consistency checkers
//! judge.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use crate::types::{ClientOp, FailReason, Stamp, Tick};

/// How an operation ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Outcome {
    Ok {
        value: Option<u64>,
        stamp: Stamp,
    },
    /// The node said it failed. For a write this is indeterminate: it may
    /// have reached some replicas.
    Fail(FailReason),
    /// No answer in time: indeterminate.
    Timeout,
}

/// One operation of the history.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OpRecord {
    pub id: u64,
    pub client: u32,
    pub node: u32,
    pub op: ClientOp,
    pub invoke: Tick,
    /// `None` while outstanding.
    pub ret: Option<(Tick, Outcome)>,
}

impl OpRecord {
    /// Completed successfully.
    #[must_use]
    pub fn ok(&self) -> Option<(Tick, Option<u64>, Stamp)> {
        match self.ret {
            Some((t, Outcome::Ok { value, stamp })) => Some((t, value, stamp)),
            _ => None,
        }
    }

    /// A write whose effect is unknown (failed, timed out or outstanding).
    #[must_use]
    pub fn is_indeterminate(&self) -> bool {
        matches!(self.op, ClientOp::Write(_)) && self.ok().is_none()
    }
}

/// All operations, in invocation order.
pub type History = Vec<OpRecord>;

/// Rebuild the client history from a trace (invocations and returns).
#[must_use]
pub fn history_from_trace(trace: &[crate::trace::TraceEntry]) -> History {
    history_continued(Vec::new(), trace)
}

/// [`history_from_trace`] for a trace that continues where `h` left off:
/// returns in it complete operations invoked before it.
#[must_use]
pub fn history_continued(mut h: History, trace: &[crate::trace::TraceEntry]) -> History {
    use crate::trace::Happened;
    for e in trace {
        match e.what {
            Happened::Invoke { op_id, client, node, op } => {
                h.push(OpRecord { id: op_id, client, node, op, invoke: e.tick, ret: None });
            }
            Happened::Return { op_id, outcome, .. } => {
                if let Some(r) = h.iter_mut().rev().find(|r| r.id == op_id) {
                    r.ret = Some((e.tick, outcome));
                }
            }
            _ => {}
        }
    }
    h
}

/// The operation a client has outstanding.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Pending {
    pub op_id: u64,
    pub node: u32,
    pub op: ClientOp,
    /// Queue key of the timeout event.
    pub(crate) timeout_seq: (Tick, u64),
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Client {
    pub pending: Option<Pending>,
    /// How its last operation ended.
    pub last: Option<Outcome>,
    pub queue: VecDeque<(u32, ClientOp)>,
    /// The newest stamp it has seen: its session token, where the store
    /// takes one.
    pub token: Stamp,
}
