//! # Quorum replication of one register: (N, W, R) and Write-All-Read-One
//!
//! Lecture 03 ("Quorum 机制"): with N replicas, a write that succeeded on W
//! of them can be found by any read that asks more than N − W replicas,
//! because two such sets must overlap (the pigeonhole principle): W + R > N.
//! The lecture's example: ten replicas, a write updated three, so a read must
//! ask eight. WARO — Write All, Read One — is the extreme W = N, R = 1: reads
//! are as available as can be, but one replica down blocks every write.
//!
//! Every value carries version metadata (lecture 03: Quorum needs a version
//! number to tell the newest value). Here a node that receives a client's
//! request coordinates it. A **write** first asks R replicas for their version
//! and stamps the new value with `(highest counter + 1, coordinator id)`, so
//! concurrent coordinators never produce the same stamp; it succeeds once W
//! replicas have stored it (each replica persists before acknowledging). A
//! **read** asks the replicas and returns the highest-stamped value among the
//! first R answers.
//!
//! The lecture also warns that Quorum alone does not give strong consistency.
//! While a write is still spreading, one read may see the new value and a
//! later read the old one (a new/old inversion). The switch `write_back`
//! makes a read store the value it is about to return on W replicas first —
//! the ABD algorithm (Attiya, Bar-Noy, Dolev) — which makes the register
//! linearizable. A write that failed or timed out may still have reached
//! some replicas: clients record it as indeterminate, never as "did not happen".

pub mod explore;

use crate::small::{VecMap, VecSet};

use serde::{Deserialize, Serialize};

use crate::node::{self, Ctx, Out};
use crate::types::{Addr, ClientOp, FailReason, OpResult, Stamp, Tick};

/// The protocol's knobs.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct QuorumConfig {
    /// Number of replicas.
    pub n: u32,
    /// Replicas that must store a write before it succeeds.
    pub w: u32,
    /// Replicas a read (and a write's version query) must hear from.
    pub r: u32,
    /// ABD read write-back: a read stores what it returns on W replicas first.
    pub write_back: bool,
    /// How long a coordinator waits for a quorum before failing the request.
    pub op_timeout_ticks: u32,
}

/// Messages between replicas.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Msg {
    /// "What version do you hold?"
    Query {
        op: u64,
    },
    QueryReply {
        op: u64,
        value: Option<u64>,
        stamp: Stamp,
    },
    /// "Store this value if it is newer than yours."
    Store {
        op: u64,
        value: Option<u64>,
        stamp: Stamp,
    },
    /// "I now hold this stamp or a newer one."
    StoreAck {
        op: u64,
        stamp: Stamp,
    },
}

impl Msg {
    #[must_use]
    pub fn label(&self) -> String {
        match self {
            Msg::Query { .. } => "ver?".to_string(),
            Msg::QueryReply { stamp, .. } => format!("ver {stamp}"),
            Msg::Store { value, stamp, .. } => match value {
                Some(v) => format!("write {v} {stamp}"),
                None => format!("write ∅ {stamp}"),
            },
            Msg::StoreAck { stamp, .. } => format!("ack {stamp}"),
        }
    }
}

/// What a replica keeps on disk.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Durable {
    pub value: Option<u64>,
    pub stamp: Stamp,
    /// Highest counter this node ever stamped, so a restarted coordinator
    /// never hands out the same stamp twice.
    pub issued: u64,
}

/// What the viewer is told: which replicas formed a quorum.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Note {
    /// The replicas whose answers a read used.
    ReadSet { op: u64, members: Vec<u32>, stamp: Stamp },
    /// The replicas that stored a write.
    WriteSet { op: u64, members: Vec<u32>, stamp: Stamp },
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Phase {
    /// Collecting versions; answers keyed by replica.
    Query { answers: VecMap<u32, (Option<u64>, Stamp)> },
    /// Waiting for W replicas to store `stamp`.
    Store { value: Option<u64>, stamp: Stamp, acks: VecSet<u32> },
}

/// A request this node coordinates.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Coordinated {
    client: u32,
    op: ClientOp,
    phase: Phase,
}

/// One replica, which also coordinates the client requests it receives.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Replica {
    id: u32,
    cfg: QuorumConfig,
    disk: Durable,
    ops: VecMap<u64, Coordinated>,
}

impl Replica {
    #[must_use]
    pub fn new(id: u32, cfg: QuorumConfig) -> Self {
        Replica { id, cfg, disk: Durable::default(), ops: VecMap::new() }
    }

    #[must_use]
    pub fn value(&self) -> Option<u64> {
        self.disk.value
    }

    #[must_use]
    pub fn stamp(&self) -> Stamp {
        self.disk.stamp
    }

    /// Number of requests this node is coordinating right now.
    #[must_use]
    pub fn coordinating(&self) -> usize {
        self.ops.len()
    }

    pub fn on_start(&mut self, _ctx: &Ctx, storage: Option<&Durable>, _out: &mut Out) {
        self.disk = storage.cloned().unwrap_or_default();
        self.ops.clear();
    }

    fn persist(&self, out: &mut Out) {
        out.persist(node::Durable::Quorum(self.disk.clone()));
    }

    fn others(&self) -> impl Iterator<Item = u32> + '_ {
        (0..self.cfg.n).filter(move |&p| p != self.id)
    }

    pub fn on_client_request(
        &mut self,
        ctx: &Ctx,
        client: u32,
        op_id: u64,
        op: ClientOp,
        out: &mut Out,
    ) {
        // Ask every replica and use the first R answers; our own answer
        // counts and needs no message.
        let mut answers = VecMap::new();
        answers.insert(self.id, (self.disk.value, self.disk.stamp));
        self.ops.insert(op_id, Coordinated { client, op, phase: Phase::Query { answers } });
        for p in self.others() {
            out.send(Addr::Node(p), node::Msg::Quorum(Msg::Query { op: op_id }));
        }
        out.set_timer(op_id, Tick::from(self.cfg.op_timeout_ticks));
        self.advance(ctx, op_id, out);
    }

    pub fn on_message(&mut self, ctx: &Ctx, from: Addr, msg: &Msg, out: &mut Out) {
        let Some(peer) = from.node() else { return };
        match *msg {
            Msg::Query { op } => {
                let reply = Msg::QueryReply { op, value: self.disk.value, stamp: self.disk.stamp };
                out.send(from, node::Msg::Quorum(reply));
            }
            Msg::Store { op, value, stamp } => {
                self.store(value, stamp, out);
                out.send(from, node::Msg::Quorum(Msg::StoreAck { op, stamp }));
            }
            Msg::QueryReply { op, value, stamp } => {
                if let Some(Coordinated { phase: Phase::Query { answers }, .. }) =
                    self.ops.get_mut(&op)
                {
                    answers.get_or(peer, || (value, stamp));
                    self.advance(ctx, op, out);
                }
            }
            Msg::StoreAck { op, stamp } => {
                if let Some(Coordinated { phase: Phase::Store { stamp: s, acks, .. }, .. }) =
                    self.ops.get_mut(&op)
                {
                    if *s == stamp {
                        acks.insert(peer);
                        self.advance(ctx, op, out);
                    }
                }
            }
        }
    }

    /// Store a value if its stamp is newer, persisting before any ack leaves.
    fn store(&mut self, value: Option<u64>, stamp: Stamp, out: &mut Out) {
        if stamp > self.disk.stamp {
            self.disk.value = value;
            self.disk.stamp = stamp;
            self.persist(out);
        }
    }

    pub fn on_timer(&mut self, _ctx: &Ctx, key: u64, out: &mut Out) {
        if let Some(c) = self.ops.remove(&key) {
            let (got, need) = match &c.phase {
                Phase::Query { answers } => (answers.len(), self.cfg.r),
                Phase::Store { acks, .. } => (acks.len(), self.cfg.w),
            };
            let got = u32::try_from(got).unwrap_or(u32::MAX);
            out.reply(c.client, key, OpResult::Fail(FailReason::NotEnoughReplicas { got, need }));
        }
    }

    /// Move request `op` forward if its current phase has enough answers.
    fn advance(&mut self, _ctx: &Ctx, op: u64, out: &mut Out) {
        let Some(c) = self.ops.get(&op) else { return };
        match &c.phase {
            Phase::Query { answers } => {
                if (answers.len() as u64) < u64::from(self.cfg.r) {
                    return;
                }
                let members: Vec<u32> = answers.keys().copied().collect();
                let (value, stamp) = answers
                    .values()
                    .copied()
                    .max_by_key(|&(_, s)| s)
                    .expect("a quorum of answers is never empty");
                if c.op == ClientOp::Read {
                    out.note(node::Note::Quorum(Note::ReadSet { op, members, stamp }));
                }
                match c.op.written() {
                    Some(v) => {
                        let counter = stamp.counter.max(self.disk.issued) + 1;
                        self.disk.issued = counter;
                        self.persist(out);
                        let stamp = Stamp { counter, writer: self.id };
                        self.start_store(op, Some(v), stamp, out);
                    }
                    None if self.cfg.write_back => {
                        self.start_store(op, value, stamp, out);
                    }
                    None => {
                        let c = self.ops.remove(&op).expect("present");
                        out.cancel_timer(op);
                        out.reply(c.client, op, OpResult::Ok { value, stamp });
                    }
                }
            }
            Phase::Store { value, stamp, acks } => {
                if (acks.len() as u64) < u64::from(self.cfg.w) {
                    return;
                }
                let members: Vec<u32> = acks.iter().copied().collect();
                let (value, stamp) = (*value, *stamp);
                let c = self.ops.remove(&op).expect("present");
                if c.op.written().is_some() {
                    out.note(node::Note::Quorum(Note::WriteSet { op, members, stamp }));
                }
                out.cancel_timer(op);
                out.reply(c.client, op, OpResult::Ok { value, stamp });
            }
        }
    }

    fn start_store(&mut self, op: u64, value: Option<u64>, stamp: Stamp, out: &mut Out) {
        self.store(value, stamp, out);
        let mut acks = VecSet::new();
        acks.insert(self.id);
        if let Some(c) = self.ops.get_mut(&op) {
            c.phase = Phase::Store { value, stamp, acks };
        }
        for p in self.others() {
            out.send(Addr::Node(p), node::Msg::Quorum(Msg::Store { op, value, stamp }));
        }
        let ctx = Ctx { now: 0, me: self.id, random: 0 };
        self.advance(&ctx, op, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::Effect;

    fn cfg(n: u32, w: u32, r: u32) -> QuorumConfig {
        QuorumConfig { n, w, r, write_back: false, op_timeout_ticks: 100 }
    }

    fn ctx(me: u32) -> Ctx {
        Ctx { now: 0, me, random: 0 }
    }

    /// What the canvas writes beside each message: the step and the
    /// version it carries (lecture 03's "version number").
    #[test]
    fn message_labels_name_the_step_and_the_version() {
        let stamp = Stamp { counter: 3, writer: 1 };
        assert_eq!(Msg::Query { op: 1 }.label(), "ver?");
        assert_eq!(Msg::QueryReply { op: 1, value: Some(5), stamp }.label(), "ver v3.1");
        assert_eq!(Msg::Store { op: 1, value: Some(5), stamp }.label(), "write 5 v3.1");
        assert_eq!(Msg::Store { op: 1, value: None, stamp }.label(), "write ∅ v3.1");
        assert_eq!(Msg::StoreAck { op: 1, stamp }.label(), "ack v3.1");
    }

    #[test]
    fn replica_persists_before_acknowledging_a_store() {
        let mut r = Replica::new(1, cfg(3, 2, 2));
        let mut out = Out::default();
        let stamp = Stamp { counter: 1, writer: 0 };
        r.on_message(
            &ctx(1),
            Addr::Node(0),
            &Msg::Store { op: 9, value: Some(5), stamp },
            &mut out,
        );
        assert!(matches!(out.effects[0], Effect::Persist(_)), "persist comes first");
        assert!(matches!(
            out.effects[1],
            Effect::Send { to: Addr::Node(0), msg: node::Msg::Quorum(Msg::StoreAck { op: 9, .. }) }
        ));
    }

    /// Only a newer version is stored: the same one again (a duplicated
    /// Store, or ABD's write-back of what the replica holds) writes nothing
    /// to disk, and an older one is acknowledged without being taken.
    #[test]
    fn a_replica_stores_only_a_newer_version() {
        let mut r = Replica::new(1, cfg(3, 2, 2));
        let newer = Stamp { counter: 2, writer: 0 };
        let store = |r: &mut Replica, value, stamp| {
            let mut out = Out::default();
            r.on_message(&ctx(1), Addr::Node(0), &Msg::Store { op: 9, value, stamp }, &mut out);
            out.effects.iter().filter(|e| matches!(e, Effect::Persist(_))).count()
        };
        assert_eq!(store(&mut r, Some(5), newer), 1);
        assert_eq!(store(&mut r, Some(5), newer), 0, "the same version again");
        assert_eq!(store(&mut r, Some(4), Stamp { counter: 1, writer: 2 }), 0, "an older one");
        assert_eq!((r.value(), r.stamp()), (Some(5), newer));
    }

    /// The canvas draws a read's quorum and a write's: a write's version
    /// query is not a read set, and a read (without write-back) stores
    /// nothing, so it has no write set.
    #[test]
    fn reads_note_their_read_set_and_writes_their_write_set() {
        let notes = |op: ClientOp| {
            let mut r = Replica::new(0, cfg(3, 1, 1));
            let mut out = Out::default();
            r.on_client_request(&ctx(0), 0, 1, op, &mut out);
            out.effects
                .iter()
                .filter_map(|e| match e {
                    Effect::Note(node::Note::Quorum(Note::ReadSet { members, .. })) => {
                        Some(("read", members.clone()))
                    }
                    Effect::Note(node::Note::Quorum(Note::WriteSet { members, .. })) => {
                        Some(("write", members.clone()))
                    }
                    _ => None,
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(notes(ClientOp::Read), vec![("read", vec![0])]);
        assert_eq!(notes(ClientOp::Write(4)), vec![("write", vec![0])]);
    }

    #[test]
    fn waro_read_is_answered_by_the_coordinator_alone() {
        let mut r = Replica::new(0, cfg(3, 3, 1));
        let mut out = Out::default();
        r.on_client_request(&ctx(0), 0, 1, ClientOp::Read, &mut out);
        assert!(out.effects.iter().any(|e| matches!(e, Effect::Reply { op_id: 1, .. })));
        assert_eq!(r.coordinating(), 0, "answered at once, nothing left in progress");
    }

    #[test]
    fn write_stamp_exceeds_every_version_seen_and_names_the_coordinator() {
        let mut r = Replica::new(2, cfg(3, 2, 2));
        let mut out = Out::default();
        r.on_client_request(&ctx(2), 0, 1, ClientOp::Write(7), &mut out);
        assert_eq!(r.coordinating(), 1, "the write waits for its query quorum");
        let seen = Stamp { counter: 4, writer: 0 };
        out.effects.clear();
        r.on_message(
            &ctx(2),
            Addr::Node(0),
            &Msg::QueryReply { op: 1, value: Some(3), stamp: seen },
            &mut out,
        );
        let stored = out.effects.iter().find_map(|e| match e {
            Effect::Send { msg: node::Msg::Quorum(Msg::Store { stamp, .. }), .. } => Some(*stamp),
            _ => None,
        });
        assert_eq!(stored, Some(Stamp { counter: 5, writer: 2 }));
    }
}
