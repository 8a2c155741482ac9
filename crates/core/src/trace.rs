//! The trace: a record of everything that happened, in order, and its hash.

use std::hash::{Hash, Hasher};

use serde::Serialize;

use crate::client::Outcome;
use crate::hash::Fnv1a;
use crate::net::LinkState;
use crate::node::{Msg, Note};
use crate::scenario::ActionKind;
use crate::types::{Addr, ClientOp, Tick};

/// Why a message did not arrive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum DropReason {
    /// Lost on the wire (the network's loss probability).
    Lost,
    /// The link was partitioned when it was sent or while it travelled.
    LinkCut,
    /// The receiving node was down.
    NodeDown,
    /// A FIFO connection broken by an earlier loss.
    ConnectionBroken,
    /// The user dropped it.
    ByUser,
}

/// One thing that happened.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Happened {
    /// A message left `from`. Its content is folded into the hash (see
    /// [`fold_payload`]) but not stored here, to keep the trace compact; the
    /// network keeps the content while it travels.
    Sent {
        msg: u64,
        from: Addr,
        to: Addr,
        deliver: Option<Tick>,
        label: MsgKindTag,
    },
    Delivered {
        msg: u64,
        from: Addr,
        to: Addr,
    },
    Dropped {
        msg: u64,
        from: Addr,
        to: Addr,
        reason: DropReason,
    },
    Timer {
        node: u32,
        key: u64,
    },
    Persisted {
        node: u32,
    },
    Note {
        node: u32,
        note: Note,
    },
    Invoke {
        op_id: u64,
        client: u32,
        node: u32,
        op: ClientOp,
    },
    Return {
        op_id: u64,
        client: u32,
        outcome: Outcome,
    },
    Crashed {
        node: u32,
    },
    Restarted {
        node: u32,
    },
    Link {
        from: Addr,
        to: Addr,
        state: LinkState,
    },
    /// A user action, recorded so the hash covers the timeline.
    User(ActionKind),
    /// A safety invariant broke (the checker runs after every step).
    Violation(crate::safety::Violation),
    /// `node` opened a fresh connection to `peer` (broken FIFO links work again).
    Reconnected {
        node: u32,
        peer: Addr,
    },
}

/// A trace entry: what happened, in which event, at which tick.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct TraceEntry {
    /// Number of events processed before this entry (user actions share the
    /// number of the event they follow).
    pub event: u64,
    pub tick: Tick,
    pub what: Happened,
}

/// A one-byte summary of a message's type, enough to draw a trace.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct MsgKindTag(pub u8);

impl MsgKindTag {
    #[must_use]
    pub fn of(m: &Msg) -> Self {
        use crate::quorum::Msg as Q;
        MsgKindTag(match m {
            Msg::Request { .. } => 0,
            Msg::Reply { .. } => 1,
            Msg::Quorum(Q::Query { .. }) => 2,
            Msg::Quorum(Q::QueryReply { .. }) => 3,
            Msg::Quorum(Q::Store { .. }) => 4,
            Msg::Quorum(Q::StoreAck { .. }) => 5,
            Msg::Paxos(m) => {
                use crate::paxos::Msg as P;
                match m {
                    P::Prepare { .. } => 6,
                    P::Promise { .. } => 7,
                    P::Accept { .. } => 8,
                    P::Accepted { .. } => 9,
                    P::Reject { .. } => 10,
                    P::Chosen { .. } => 11,
                    P::Query { .. } => 34,
                    P::Report { .. } => 35,
                }
            }
            Msg::Zab(m) => {
                use crate::zab::Msg as Z;
                match m {
                    Z::Notification { .. } => 12,
                    Z::FollowerInfo { .. } => 13,
                    Z::LeaderInfo { .. } => 14,
                    Z::AckEpoch { .. } => 15,
                    Z::Sync { .. } => 16,
                    Z::NewLeader { .. } => 17,
                    Z::Ack { .. } => 18,
                    Z::UpToDate { .. } => 19,
                    Z::Proposal { .. } => 20,
                    Z::Commit { .. } => 21,
                    Z::Inform { .. } => 22,
                    Z::Forward { .. } => 23,
                    Z::Ping { .. } => 24,
                    Z::Pong => 25,
                    Z::SyncReq { .. } => 26,
                    Z::SyncDone { .. } => 27,
                    Z::Refused => 28,
                }
            }
            Msg::Eventual(m) => {
                use crate::eventual::Msg as E;
                match m {
                    E::Update(_) => 29,
                    E::Digest { .. } => 30,
                    E::Missing { .. } => 31,
                    E::Forward { .. } => 32,
                    E::TokenRequest { .. } => 33,
                }
            }
        })
    }
}

/// Fold a sent message's content into a running trace hash.
#[must_use]
pub fn fold_payload(hash: u64, m: &Msg) -> u64 {
    let mut h = Fnv1a(hash);
    m.hash(&mut h);
    h.finish()
}

/// Fold one entry into a running trace hash.
///
/// The bytes hashed are those `#[derive(Hash)]` writes through [`Fnv1a`]
/// (fixed-width little-endian integers). Keep every hashed enum at two or
/// more variants and append new variants at the end: derive skips the
/// discriminant of a one-variant enum, so growing one changes every hash
/// (the golden links in `tests/golden` catch this).
#[must_use]
pub fn fold(hash: u64, e: &TraceEntry) -> u64 {
    let mut h = Fnv1a(hash);
    e.hash(&mut h);
    h.finish()
}

/// The hash of an empty trace.
#[must_use]
pub fn empty_hash() -> u64 {
    Fnv1a::default().finish()
}
