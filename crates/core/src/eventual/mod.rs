//! # An eventually consistent store: asynchronous replication, anti-entropy,
//! causal delivery and sessions (lectures 01 and 02)
//!
//! Lecture 01 (CAP) and the BASE of lecture 02: an *available* system
//! answers every request a live server receives, even when the network is
//! split; the price is that
//! servers may disagree for a while (soft state), and agree again once
//! the updates have spread (eventual consistency). Lecture 02 names the
//! consistency models between "every read sees the last write" and "no
//! promise at all": weak, eventual, causal and session consistency.
//!
//! This store is that system, with each choice a switch:
//! * Every replica accepts reads and writes for any key on its own and
//!   answers at once. A write is stamped `(Lamport clock, replica id)`: the
//!   clock is one more than anything the replica has seen, so stamps order
//!   writes consistently with causality, and the replica id breaks ties.
//!   When two writes to a key meet, the higher stamp wins (last writer wins).
//! * `replicate` pushes each write to every peer right away (asynchronous
//!   replication: the client already has its answer).
//! * Anti-entropy (every `anti_entropy_ticks`, 0 = off) repairs what pushes
//!   missed: a replica sends a random peer its **version vector** (how many
//!   writes of each origin it holds without a gap); the peer answers with
//!   the writes the vector lacks and its own vector, and gets back what it
//!   lacks (push-pull gossip).
//! * A replica applies the writes it receives one at a time, each taking
//!   `apply_ticks`: under load they queue, and the window grows.
//! * `delivery`: *eventual* applies a write as soon as it arrives; *causal*
//!   holds it back until every write its origin had seen (its dependency
//!   vector) is applied here, so no replica ever shows the reply without the
//!   comment it answers (lecture 02's example).
//! * `session`: *sticky* sends each client's requests to its home replica;
//!   *token* lets a client carry the stamp of the newest version it has seen,
//!   and a replica that has not seen it yet waits for it (pulling from its
//!   peers) or refuses, so the client always reads its own writes.
//!
//! * BASE's *basically available* (lecture 02): a replica with
//!   `service_ticks` > 0 serves client requests one at a time, queueing the
//!   rest. Under a burst an unbounded queue fills with requests whose
//!   clients have already given up, so nobody is served in time (the system
//!   collapses); with a `queue_limit` it refuses the excess at once and
//!   serves the rest with a longer, bounded wait.
//!
//! Causal delivery protects clients that stay with one replica (as COPS's
//! clients stay in one data centre), so causal mode also keeps sessions
//! sticky.

pub mod invariants;
pub mod window;

use serde::{Deserialize, Serialize};

use crate::node::{self, Ctx, Out};
use crate::small::VecMap;
use crate::types::{Addr, ClientOp, FailReason, OpResult, Stamp, Tick};

/// Keys a store holds (see [`crate::types::KEY_NAMES`]).
pub const KEYS: u32 = 4;
/// Replicas a store may have.
pub const MAX_REPLICAS: u32 = crate::scenario::MAX_NODES;

const ANTI_ENTROPY_TIMER: u64 = 1;
const WAIT_TIMER: u64 = 2;
const APPLY_TIMER: u64 = 3;
const SERVICE_TIMER: u64 = 4;

/// When a replica applies a write it received.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Delivery {
    /// As soon as it arrives.
    Eventual,
    /// Once everything its origin had seen is applied here.
    Causal,
}

/// What a client's session promises.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Session {
    /// Nothing: each request goes to the replica it was sent to.
    None,
    /// Requests are served by the client's home replica.
    Sticky,
    /// Requests carry the newest stamp the client has seen; a replica
    /// serves a read only once it holds that version.
    Token,
}

/// The store's knobs.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EventualConfig {
    pub replicas: u32,
    /// Push every write to every peer when it is accepted.
    pub replicate: bool,
    /// Period of anti-entropy gossip; 0 turns it off.
    pub anti_entropy_ticks: u32,
    pub delivery: Delivery,
    pub session: Session,
    /// How long a session-token read waits for the version it needs.
    pub op_timeout_ticks: u32,
    /// Time a replica spends applying one write it received. Writes queue
    /// up while it is busy, which is how load stretches the window.
    pub apply_ticks: u32,
    /// Time to serve one client request; 0 serves every request at once.
    pub service_ticks: u32,
    /// Requests allowed to wait for service; more are refused at once.
    /// 0 puts no limit on the queue.
    pub queue_limit: u32,
}

impl EventualConfig {
    /// Lecture 02's default: push plus anti-entropy, eventual delivery.
    #[must_use]
    pub fn new(replicas: u32) -> Self {
        EventualConfig {
            replicas,
            replicate: true,
            anti_entropy_ticks: 400,
            delivery: Delivery::Eventual,
            session: Session::None,
            op_timeout_ticks: 800,
            apply_ticks: 10,
            service_ticks: 0,
            queue_limit: 0,
        }
    }

    /// The replica serving a client whose session is sticky.
    #[must_use]
    pub fn home(&self, client: u32) -> u32 {
        client % self.replicas.max(1)
    }

    fn sticky(&self) -> bool {
        self.session == Session::Sticky || self.delivery == Delivery::Causal
    }
}

/// One write, as it travels between replicas.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Write {
    /// The replica that accepted it, and its number there (1, 2, …).
    pub origin: u32,
    pub seq: u64,
    pub key: u32,
    pub value: u64,
    pub stamp: Stamp,
    /// The origin's version vector just before the write: its causal past.
    pub deps: Vec<u64>,
}

/// Messages between replicas (and a session-token request from a client).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Msg {
    /// Asynchronous replication of one write.
    Update(Write),
    /// Anti-entropy: "this is what I hold".
    Digest { vv: Vec<u64> },
    /// Anti-entropy: "you lack these"; `vv` asks for the reverse direction.
    Missing { writes: Vec<Write>, vv: Option<Vec<u64>> },
    /// A sticky session: a request handed to the client's home replica.
    Forward { client: u32, op_id: u64, op: ClientOp },
    /// A client's request carrying its session token.
    TokenRequest { op_id: u64, op: ClientOp, token: Stamp },
}

impl Msg {
    #[must_use]
    pub fn label(&self) -> String {
        use crate::types::key_name;
        match self {
            Msg::Update(w) => format!("{}={} {}", key_name(w.key), w.value, w.stamp),
            Msg::Digest { vv } => format!("vv {}", show_vv(vv)),
            Msg::Missing { writes, .. } => format!("+{} writes", writes.len()),
            Msg::Forward { op, .. } => match op.written() {
                Some(v) => format!("→home put {}={v}", key_name(op.key())),
                None => format!("→home get {}", key_name(op.key())),
            },
            Msg::TokenRequest { op, token, .. } => match op.written() {
                Some(v) => format!("put {}={v} ≥{token}", key_name(op.key())),
                None => format!("get {} ≥{token}", key_name(op.key())),
            },
        }
    }
}

/// A version vector as `[2,0,1]`.
#[must_use]
pub fn show_vv(vv: &[u64]) -> String {
    let parts: Vec<String> = vv.iter().map(u64::to_string).collect();
    format!("[{}]", parts.join(","))
}

/// What a replica keeps on disk: every write it applied, and its clock.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Durable {
    pub lamport: u64,
    pub log: Vec<Write>,
}

/// What the viewer and the checkers are told.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Note {
    /// The replica made a write visible.
    Applied { origin: u32, seq: u64, key: u32, stamp: Stamp, deps: Vec<u64> },
    /// A causal replica holds a write back: its dependencies are missing.
    HeldBack { origin: u32, seq: u64 },
}

/// A read waiting for its session token's version.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Waiting {
    client: u32,
    op_id: u64,
    key: u32,
    token: Stamp,
    until: Tick,
}

/// One replica of the store.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Replica {
    id: u32,
    cfg: EventualConfig,
    disk: Durable,
    /// Writes of each origin held without a gap.
    vv: Vec<u64>,
    /// The newest version of each key.
    store: Vec<(Option<u64>, Stamp)>,
    /// Writes received and queued for applying, one at a time.
    inbox: std::collections::VecDeque<Write>,
    /// Causal delivery: writes received but not applied yet.
    pending: Vec<Write>,
    waiting: Vec<Waiting>,
    /// Client requests waiting for service (with `service_ticks` > 0).
    service: std::collections::VecDeque<(u32, u64, ClientOp, Stamp)>,
    /// The newest write request served for each client: a copy the network
    /// duplicated, arriving late, must not write its value a second time.
    served: VecMap<u32, u64>,
}

impl Replica {
    #[must_use]
    pub fn new(id: u32, cfg: EventualConfig) -> Self {
        let n = cfg.replicas as usize;
        Replica {
            id,
            cfg,
            disk: Durable::default(),
            vv: vec![0; n],
            store: vec![(None, Stamp::default()); KEYS as usize],
            inbox: std::collections::VecDeque::new(),
            pending: Vec::new(),
            waiting: Vec::new(),
            service: std::collections::VecDeque::new(),
            served: VecMap::new(),
        }
    }

    /// The newest value of a key and its stamp.
    #[must_use]
    pub fn get(&self, key: u32) -> (Option<u64>, Stamp) {
        self.store.get(key as usize).copied().unwrap_or_default()
    }

    #[must_use]
    pub fn version_vector(&self) -> &[u64] {
        &self.vv
    }

    /// Client requests queued for service.
    #[must_use]
    pub fn queued(&self) -> usize {
        self.service.len()
    }

    /// Writes held back by causal delivery.
    #[must_use]
    pub fn pending(&self) -> &[Write] {
        &self.pending
    }

    pub fn on_start(&mut self, ctx: &Ctx, storage: Option<&Durable>, out: &mut Out) {
        *self = Replica::new(self.id, self.cfg.clone());
        if let Some(d) = storage {
            self.disk.lamport = d.lamport;
            for w in &d.log {
                self.install(w.clone());
            }
        }
        self.arm_gossip(ctx, out);
    }

    fn arm_gossip(&self, ctx: &Ctx, out: &mut Out) {
        if self.cfg.anti_entropy_ticks > 0 && self.cfg.replicas > 1 {
            // A little jitter keeps replicas from gossiping in lockstep.
            let period = u64::from(self.cfg.anti_entropy_ticks);
            out.set_timer(ANTI_ENTROPY_TIMER, period + ctx.random % (period / 4 + 1));
        }
    }

    fn peers(&self) -> impl Iterator<Item = u32> + '_ {
        (0..self.cfg.replicas).filter(move |&p| p != self.id)
    }

    fn has(&self, origin: u32, seq: u64) -> bool {
        seq <= self.vv.get(origin as usize).copied().unwrap_or(0)
            || self.disk.log.iter().any(|w| w.origin == origin && w.seq == seq)
    }

    /// Add a write to the log and the store, without persisting.
    fn install(&mut self, w: Write) {
        if let Some(slot) = self.store.get_mut(w.key as usize) {
            if w.stamp > slot.1 {
                *slot = (Some(w.value), w.stamp);
            }
        }
        self.disk.lamport = self.disk.lamport.max(w.stamp.counter);
        self.disk.log.push(w);
        // The vector counts writes held without a gap.
        for o in 0..self.vv.len() {
            let origin = u32::try_from(o).expect("few replicas");
            while self.disk.log.iter().any(|w| w.origin == origin && w.seq == self.vv[o] + 1) {
                self.vv[o] += 1;
            }
        }
    }

    fn apply(&mut self, w: Write, out: &mut Out) {
        out.note(node::Note::Eventual(Note::Applied {
            origin: w.origin,
            seq: w.seq,
            key: w.key,
            stamp: w.stamp,
            deps: w.deps.clone(),
        }));
        self.install(w);
    }

    /// Everything the write's origin had seen is applied here.
    fn deliverable(&self, w: &Write) -> bool {
        let o = w.origin as usize;
        self.vv.get(o).copied().unwrap_or(0) + 1 == w.seq
            && w.deps
                .iter()
                .enumerate()
                .all(|(k, &d)| k == o || d <= self.vv.get(k).copied().unwrap_or(0))
    }

    /// Queue writes from a peer for applying.
    fn receive(&mut self, writes: &[Write], out: &mut Out) {
        let idle = self.inbox.is_empty();
        for w in writes {
            if !self.has(w.origin, w.seq) && !self.inbox.contains(w) {
                self.inbox.push_back(w.clone());
            }
        }
        if idle && !self.inbox.is_empty() {
            out.set_timer(APPLY_TIMER, Tick::from(self.cfg.apply_ticks.max(1)));
        }
    }

    /// Take writes in; apply what may be applied and persist.
    fn take_in(&mut self, ctx: &Ctx, writes: &[Write], out: &mut Out) {
        let before = self.disk.log.len();
        for w in writes {
            if self.has(w.origin, w.seq) || self.pending.contains(w) {
                continue;
            }
            match self.cfg.delivery {
                Delivery::Eventual => self.apply(w.clone(), out),
                Delivery::Causal => {
                    if !self.deliverable(w) {
                        out.note(node::Note::Eventual(Note::HeldBack {
                            origin: w.origin,
                            seq: w.seq,
                        }));
                    }
                    self.pending.push(w.clone());
                }
            }
        }
        // Causal delivery: apply held writes as their dependencies arrive.
        // What stays held is unapplied: a copy of a held or applied write
        // is never held a second time (above).
        while let Some(i) = self.pending.iter().position(|w| self.deliverable(w)) {
            let w = self.pending.remove(i);
            self.apply(w, out);
        }
        if self.disk.log.len() > before {
            out.persist(node::Durable::Eventual(self.disk.clone()));
            self.serve_waiting(ctx, out);
        }
    }

    /// The writes a peer with version vector `vv` lacks.
    fn lacking(&self, vv: &[u64]) -> Vec<Write> {
        self.disk
            .log
            .iter()
            .filter(|w| w.seq > vv.get(w.origin as usize).copied().unwrap_or(0))
            .cloned()
            .collect()
    }

    pub fn on_client_request(
        &mut self,
        ctx: &Ctx,
        client: u32,
        op_id: u64,
        op: ClientOp,
        out: &mut Out,
    ) {
        let home = self.cfg.home(client);
        if self.cfg.sticky() && home != self.id {
            out.send(Addr::Node(home), node::Msg::Eventual(Msg::Forward { client, op_id, op }));
            return;
        }
        self.admit(ctx, client, op_id, op, Stamp::default(), out);
    }

    /// Serve a client request now, or queue it for service, or refuse it
    /// when the queue is full.
    fn admit(
        &mut self,
        ctx: &Ctx,
        client: u32,
        op_id: u64,
        op: ClientOp,
        token: Stamp,
        out: &mut Out,
    ) {
        if self.cfg.service_ticks == 0 {
            self.serve(ctx, client, op_id, op, token, out);
            return;
        }
        let limit = self.cfg.queue_limit as usize;
        if limit > 0 && self.service.len() >= limit {
            out.reply(client, op_id, OpResult::Fail(FailReason::Overloaded));
            return;
        }
        if self.service.is_empty() {
            out.set_timer(SERVICE_TIMER, Tick::from(self.cfg.service_ticks));
        }
        self.service.push_back((client, op_id, op, token));
    }

    fn serve(
        &mut self,
        ctx: &Ctx,
        client: u32,
        op_id: u64,
        op: ClientOp,
        token: Stamp,
        out: &mut Out,
    ) {
        let key = op.key();
        if key >= KEYS {
            out.reply(client, op_id, OpResult::Fail(FailReason::Unavailable));
            return;
        }
        match op.written() {
            Some(_) if self.served.get(&client).is_some_and(|&last| last >= op_id) => {}
            Some(value) => {
                self.served.insert(client, op_id);
                let counter = self.disk.lamport.max(token.counter) + 1;
                let stamp = Stamp { counter, writer: self.id };
                let seq = self.vv[self.id as usize] + 1;
                let w = Write { origin: self.id, seq, key, value, stamp, deps: self.vv.clone() };
                self.apply(w.clone(), out);
                out.persist(node::Durable::Eventual(self.disk.clone()));
                out.reply(client, op_id, OpResult::Ok { value: Some(value), stamp });
                if self.cfg.replicate {
                    for p in self.peers() {
                        out.send(Addr::Node(p), node::Msg::Eventual(Msg::Update(w.clone())));
                    }
                }
                self.serve_waiting(ctx, out);
            }
            None if self.knows(token) => {
                let (value, stamp) = self.get(key);
                out.reply(client, op_id, OpResult::Ok { value, stamp });
            }
            None => {
                // The session needs a version this replica has not seen: pull
                // from every peer and wait a while.
                let until = ctx.now + Tick::from(self.cfg.op_timeout_ticks);
                self.waiting.push(Waiting { client, op_id, key, token, until });
                for p in self.peers() {
                    out.send(
                        Addr::Node(p),
                        node::Msg::Eventual(Msg::Digest { vv: self.vv.clone() }),
                    );
                }
                self.arm_wait(ctx, out);
            }
        }
    }

    /// This replica holds the write stamped `token` (or the token is empty).
    fn knows(&self, token: Stamp) -> bool {
        token == Stamp::default() || self.disk.log.iter().any(|w| w.stamp == token)
    }

    fn arm_wait(&self, ctx: &Ctx, out: &mut Out) {
        match self.waiting.iter().map(|w| w.until).min() {
            Some(t) => out.set_timer(WAIT_TIMER, t.saturating_sub(ctx.now).max(1)),
            None => out.cancel_timer(WAIT_TIMER),
        }
    }

    fn serve_waiting(&mut self, ctx: &Ctx, out: &mut Out) {
        if self.waiting.is_empty() {
            return;
        }
        let (ready, still): (Vec<Waiting>, Vec<Waiting>) =
            std::mem::take(&mut self.waiting).into_iter().partition(|w| self.knows(w.token));
        self.waiting = still;
        for w in ready {
            let (value, stamp) = self.get(w.key);
            out.reply(w.client, w.op_id, OpResult::Ok { value, stamp });
        }
        self.arm_wait(ctx, out);
    }

    pub fn on_message(&mut self, ctx: &Ctx, from: Addr, msg: &Msg, out: &mut Out) {
        match (msg, from) {
            (Msg::TokenRequest { op_id, op, token }, Addr::Client(client)) => {
                self.admit(ctx, client, *op_id, *op, *token, out);
            }
            (Msg::Forward { client, op_id, op }, Addr::Node(_)) => {
                self.admit(ctx, *client, *op_id, *op, Stamp::default(), out);
            }
            (Msg::Update(w), Addr::Node(_)) => self.receive(std::slice::from_ref(w), out),
            (Msg::Digest { vv }, Addr::Node(_)) => {
                let writes = self.lacking(vv);
                let reply = Msg::Missing { writes, vv: Some(self.vv.clone()) };
                out.send(from, node::Msg::Eventual(reply));
            }
            (Msg::Missing { writes, vv }, Addr::Node(_)) => {
                self.receive(writes, out);
                if let Some(vv) = vv {
                    let back = self.lacking(vv);
                    if !back.is_empty() {
                        out.send(
                            from,
                            node::Msg::Eventual(Msg::Missing { writes: back, vv: None }),
                        );
                    }
                }
            }
            _ => {}
        }
    }

    pub fn on_timer(&mut self, ctx: &Ctx, key: u64, out: &mut Out) {
        match key {
            ANTI_ENTROPY_TIMER => {
                let peers: Vec<u32> = self.peers().collect();
                if !peers.is_empty() {
                    let pick = peers[usize::try_from(ctx.random % peers.len() as u64).unwrap_or(0)];
                    out.send(
                        Addr::Node(pick),
                        node::Msg::Eventual(Msg::Digest { vv: self.vv.clone() }),
                    );
                }
                self.arm_gossip(ctx, out);
            }
            SERVICE_TIMER => {
                // The request at the head has had its service time, whether
                // or not its client is still waiting.
                if let Some((client, op_id, op, token)) = self.service.pop_front() {
                    self.serve(ctx, client, op_id, op, token, out);
                }
                if !self.service.is_empty() {
                    out.set_timer(SERVICE_TIMER, Tick::from(self.cfg.service_ticks));
                }
            }
            APPLY_TIMER => {
                if let Some(w) = self.inbox.pop_front() {
                    self.take_in(ctx, &[w], out);
                }
                if !self.inbox.is_empty() {
                    out.set_timer(APPLY_TIMER, Tick::from(self.cfg.apply_ticks.max(1)));
                }
            }
            WAIT_TIMER => {
                let (late, still): (Vec<Waiting>, Vec<Waiting>) =
                    std::mem::take(&mut self.waiting).into_iter().partition(|w| w.until <= ctx.now);
                self.waiting = still;
                for w in late {
                    out.reply(w.client, w.op_id, OpResult::Fail(FailReason::Unavailable));
                }
                self.arm_wait(ctx, out);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests;
