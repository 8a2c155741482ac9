//! Nodes are sans-I/O state machines.
//!
//! A node never reads a clock, draws randomness or does I/O. The world calls
//! one of its handlers with a [`Ctx`] (the current tick, its id and a random
//! word drawn for it) and the node answers by pushing [`Effect`]s into an
//! [`Out`]: messages to send, timers to set or cancel, state to persist,
//! replies to clients and notes for the viewer. The world carries the
//! effects out. This keeps protocols testable by comparing effect lists.

use serde::{Deserialize, Serialize};

use crate::eventual;
use crate::scenario::ProtocolConfig;
use crate::types::{Addr, ClientOp, OpResult, Tick};
use crate::zab;
use crate::{paxos, quorum};

/// What the handler is told about the moment it runs in.
#[derive(Clone, Copy, Debug)]
pub struct Ctx {
    pub now: Tick,
    pub me: u32,
    /// A random word for this call, derived from the seed and event number.
    pub random: u64,
}

/// Every message that can cross the simulated network.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Msg {
    /// A client's request to a node.
    Request {
        op_id: u64,
        op: ClientOp,
    },
    /// A node's answer to a client.
    Reply {
        op_id: u64,
        result: OpResult,
    },
    Quorum(quorum::Msg),
    Paxos(paxos::Msg),
    Zab(zab::Msg),
    Eventual(eventual::Msg),
}

impl Msg {
    /// A short label drawn on the flying message.
    #[must_use]
    pub fn label(&self) -> String {
        match self {
            Msg::Request { op, .. } => op.to_string(),
            Msg::Reply { result: OpResult::Ok { value, stamp }, .. } => match value {
                Some(v) => format!("ok {v} {stamp}"),
                None => format!("ok ∅ {stamp}"),
            },
            Msg::Reply { result: OpResult::Fail(_), .. } => "fail".to_string(),
            Msg::Quorum(m) => m.label(),
            Msg::Zab(m) => m.label(),
            Msg::Eventual(m) => m.label(),
            Msg::Paxos(m) => m.label(&crate::paxos::PaxosConfig {
                proposers: 1,
                acceptors: 3,
                backoff: false,
                retry_ticks: 1,
                collect_ticks: 0,
                variant: crate::paxos::Variant::Faithful,
                learners: 0,
            }),
        }
    }

    /// The label, with protocol-specific detail the config knows (e.g. Paxos
    /// numbers explained as `P·i + j`).
    #[must_use]
    pub fn label_in(&self, proto: &ProtocolConfig) -> String {
        match (self, proto) {
            (Msg::Paxos(m), ProtocolConfig::Paxos(c)) => m.label(c),
            // Zab answers carry a zxid: show it as epoch:counter.
            (Msg::Reply { result: OpResult::Ok { value, stamp }, .. }, ProtocolConfig::Zab(_)) => {
                let z = zab::show(stamp.counter);
                match value {
                    Some(v) => format!("ok {v} @{z}"),
                    None => format!("ok ∅ @{z}"),
                }
            }
            _ => self.label(),
        }
    }
}

/// Durable state a node persisted; it survives crashes.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Durable {
    Quorum(quorum::Durable),
    Paxos(paxos::Durable),
    Zab(zab::Durable),
    Eventual(eventual::Durable),
}

/// Something a node wants the viewer (and the trace) to know.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Note {
    Quorum(quorum::Note),
    Paxos(paxos::Note),
    Zab(zab::Note),
    Eventual(eventual::Note),
}

/// An effect, as data.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Effect {
    Send {
        to: Addr,
        msg: Msg,
    },
    /// (Re)arm timer `key` to fire `after` ticks from now (at least 1).
    SetTimer {
        key: u64,
        after: Tick,
    },
    CancelTimer {
        key: u64,
    },
    Persist(Durable),
    Reply {
        client: u32,
        op_id: u64,
        result: OpResult,
    },
    Note(Note),
    /// Open a fresh connection to a peer (both directions): a broken FIFO
    /// connection works again, like a new TCP connection.
    Reconnect {
        peer: Addr,
    },
    /// Open a fresh connection to a peer only if the one there is broken
    /// (ZooKeeper's election connects to every voter it has no connection
    /// to before it sends its vote again); an intact one is left alone.
    Redial {
        peer: Addr,
    },
}

/// Collects the effects of one handler call.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Out {
    pub effects: Vec<Effect>,
}

impl Out {
    pub fn send(&mut self, to: Addr, msg: Msg) {
        self.effects.push(Effect::Send { to, msg });
    }
    pub fn set_timer(&mut self, key: u64, after: Tick) {
        self.effects.push(Effect::SetTimer { key, after });
    }
    pub fn cancel_timer(&mut self, key: u64) {
        self.effects.push(Effect::CancelTimer { key });
    }
    pub fn persist(&mut self, d: Durable) {
        self.effects.push(Effect::Persist(d));
    }
    pub fn reply(&mut self, client: u32, op_id: u64, result: OpResult) {
        self.effects.push(Effect::Reply { client, op_id, result });
    }
    pub fn note(&mut self, n: Note) {
        self.effects.push(Effect::Note(n));
    }
    pub fn reconnect(&mut self, peer: Addr) {
        self.effects.push(Effect::Reconnect { peer });
    }
    pub fn redial(&mut self, peer: Addr) {
        self.effects.push(Effect::Redial { peer });
    }
}

/// The node state machines of every protocol, as one enum so a world is
/// `Clone + Eq` and can be snapshotted or explored exhaustively.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum NodeState {
    Quorum(quorum::Replica),
    Paxos(paxos::Node),
    Zab(zab::Server),
    Eventual(eventual::Replica),
}

impl NodeState {
    /// A freshly booted node: volatile state empty, nothing read from disk yet.
    #[must_use]
    pub fn boot(cfg: &ProtocolConfig, id: u32) -> Self {
        match cfg {
            ProtocolConfig::Quorum(c) => NodeState::Quorum(quorum::Replica::new(id, c.clone())),
            ProtocolConfig::Paxos(c) => NodeState::Paxos(paxos::Node::new(id, c.clone())),
            ProtocolConfig::Zab(c) => NodeState::Zab(zab::Server::new(id, c.clone())),
            ProtocolConfig::Eventual(c) => {
                NodeState::Eventual(eventual::Replica::new(id, c.clone()))
            }
        }
    }

    pub fn on_start(&mut self, ctx: &Ctx, storage: Option<&Durable>, out: &mut Out) {
        match self {
            NodeState::Quorum(r) => {
                let s = storage.and_then(|d| match d {
                    Durable::Quorum(d) => Some(d),
                    _ => None,
                });
                r.on_start(ctx, s, out);
            }
            NodeState::Paxos(x) => {
                let s = storage.and_then(|d| match d {
                    Durable::Paxos(d) => Some(d),
                    _ => None,
                });
                x.on_start(ctx, s, out);
            }
            NodeState::Zab(x) => {
                let s = storage.and_then(|d| match d {
                    Durable::Zab(d) => Some(d),
                    _ => None,
                });
                x.on_start(ctx, s, out);
            }
            NodeState::Eventual(x) => {
                let s = storage.and_then(|d| match d {
                    Durable::Eventual(d) => Some(d),
                    _ => None,
                });
                x.on_start(ctx, s, out);
            }
        }
    }

    pub fn on_message(&mut self, ctx: &Ctx, from: Addr, msg: &Msg, out: &mut Out) {
        // Messages of another protocol, or client replies, are not for us.
        match (self, msg) {
            (NodeState::Quorum(r), Msg::Quorum(m)) => r.on_message(ctx, from, m, out),
            (NodeState::Paxos(x), Msg::Paxos(m)) => x.on_message(ctx, from, m, out),
            (NodeState::Zab(x), Msg::Zab(m)) => x.on_message(ctx, from, m, out),
            (NodeState::Eventual(x), Msg::Eventual(m)) => x.on_message(ctx, from, m, out),
            _ => {}
        }
    }

    pub fn on_timer(&mut self, ctx: &Ctx, key: u64, out: &mut Out) {
        match self {
            NodeState::Quorum(r) => r.on_timer(ctx, key, out),
            NodeState::Paxos(x) => x.on_timer(ctx, key, out),
            NodeState::Zab(x) => x.on_timer(ctx, key, out),
            NodeState::Eventual(x) => x.on_timer(ctx, key, out),
        }
    }

    pub fn on_client_request(
        &mut self,
        ctx: &Ctx,
        client: u32,
        op_id: u64,
        op: ClientOp,
        out: &mut Out,
    ) {
        match self {
            NodeState::Quorum(r) => r.on_client_request(ctx, client, op_id, op, out),
            NodeState::Paxos(x) => x.on_client_request(ctx, client, op_id, op, out),
            NodeState::Zab(x) => x.on_client_request(ctx, client, op_id, op, out),
            NodeState::Eventual(x) => x.on_client_request(ctx, client, op_id, op, out),
        }
    }
}
