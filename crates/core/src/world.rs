//! The world: virtual time, the event queue, nodes, clients and the network.
//!
//! Events are kept in a sorted queue keyed by `(tick, sequence number)`, so the
//! next event is always the earliest, and events at the same tick run in the
//! order they were scheduled. [`World::step`] pops one event, runs it, carries
//! out the effects the node returned, and appends what happened to the trace.

use crate::small::{SortedQueue, VecMap};
use std::sync::Arc;

use crate::client::{Client, Outcome, Pending};
use crate::net::{Fate, InFlight, LinkState, Network};
use crate::node::{Ctx, Durable, Effect, Msg, NodeState, Note, Out};
use crate::paxos::invariants::Invariants;
use crate::rng::{mix64, SimRng};
use crate::safety::Violation;
use crate::scenario::{ActionKind, Scenario};
use crate::trace::{self, DropReason, Happened, TraceEntry};
use crate::types::{Addr, ClientOp, OpResult, Stamp, Tick};
use crate::zab;
use crate::{paxos, quorum};

/// The safety checker of the protocol that runs.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Checks {
    None,
    Paxos(Invariants),
    Zab(zab::invariants::Invariants),
    Eventual(crate::eventual::invariants::Invariants),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Event {
    Deliver(u64),
    Timer {
        node: u32,
        key: u64,
    },
    ClientTimeout {
        client: u32,
        op_id: u64,
    },
    /// Scripted workload operation, by index.
    Scripted(u32),
    /// A client of the random workload issues its next operation.
    ClientWake {
        client: u32,
    },
}

/// One server: its state machine, its disk, and its armed timers.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NodeSlot {
    pub up: bool,
    pub state: NodeState,
    pub disk: Option<Durable>,
    timers: VecMap<u64, (Tick, u64)>,
}

impl NodeSlot {
    /// The armed timers: key and due tick.
    pub fn timers(&self) -> impl Iterator<Item = (u64, Tick)> + '_ {
        self.timers.iter().map(|(k, (at, _))| (*k, *at))
    }
}

/// A quorum the viewer should highlight.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct QuorumMark {
    pub op: u64,
    pub members: Vec<u32>,
    pub stamp: Stamp,
    pub tick: Tick,
}

/// The quorums to draw: the W set of the last write, the R set of the last read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Highlights {
    pub write: Option<QuorumMark>,
    pub read: Option<QuorumMark>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct World {
    setup: Arc<Scenario>,
    now: Tick,
    next_seq: u64,
    events: u64,
    queue: SortedQueue<(Tick, u64), Event>,
    rng: SimRng,
    nodes: Vec<NodeSlot>,
    clients: Vec<Client>,
    net: Network,
    next_msg_id: u64,
    next_op_id: u64,
    next_value: u64,
    hash: u64,
    trace_len: u64,
    /// Entries the simulation forgot from the front of its trace (see
    /// `Sim`'s trace cap): this world writes entry `trace_len` at index
    /// `trace_len - trace_base` of the trace it is given.
    trace_base: u64,
    highlights: Highlights,
    /// Safety invariants of the protocol, checked as nodes report.
    checks: Checks,
    violations: Vec<(Tick, Violation)>,
    /// Scratch buffer reused for handler effects (always empty between steps).
    out: Out,
    /// "You are the network" (see [`ActionKind::ManualNetwork`]).
    manual: bool,
}

impl World {
    /// Build a world from a scenario (which should have been validated) and
    /// start every node. Start-up effects are appended to `trace`.
    #[must_use]
    pub fn new(scenario: &Scenario, trace: &mut Vec<TraceEntry>) -> Self {
        let mut setup = scenario.clone();
        setup.actions.clear();
        let n = scenario.protocol.nodes();
        let nodes = (0..n)
            .map(|id| NodeSlot {
                up: true,
                state: NodeState::boot(&scenario.protocol, id),
                disk: None,
                timers: VecMap::new(),
            })
            .collect();
        let mut w = World {
            setup: Arc::new(setup),
            now: 0,
            next_seq: 0,
            events: 0,
            queue: SortedQueue::new(),
            rng: SimRng::new(scenario.seed),
            nodes,
            clients: vec![Client::default(); scenario.clients as usize],
            net: Network::new(scenario.network.clone()),
            next_msg_id: 0,
            next_op_id: 0,
            next_value: 1,
            hash: trace::empty_hash(),
            trace_len: 0,
            trace_base: 0,
            highlights: Highlights::default(),
            checks: match &scenario.protocol {
                crate::ProtocolConfig::Paxos(c) => Checks::Paxos(Invariants::new(c)),
                crate::ProtocolConfig::Zab(_) => Checks::Zab(zab::invariants::Invariants::new()),
                crate::ProtocolConfig::Quorum(_) => Checks::None,
                crate::ProtocolConfig::Eventual(c) => {
                    let causal = c.delivery == crate::eventual::Delivery::Causal;
                    Checks::Eventual(crate::eventual::invariants::Invariants::new(
                        c.replicas, causal,
                    ))
                }
            },
            violations: Vec::new(),
            out: Out::default(),
            manual: false,
        };
        for id in 0..n {
            w.run_node(id, trace, |state, ctx, out| state.on_start(ctx, None, out));
        }
        for i in 0..scenario.workload.len() {
            let at = scenario.workload[i].at;
            w.schedule(at, Event::Scripted(u32::try_from(i).expect("capped by validation")));
        }
        if let Some(rw) = &scenario.random_workload {
            for client in 0..scenario.clients {
                let gap = w.rng.range(u64::from(rw.gap_ticks_min), u64::from(rw.gap_ticks_max));
                w.schedule(gap, Event::ClientWake { client });
            }
        }
        w
    }

    // ---- read access for views, checkers and tests ----

    #[must_use]
    pub fn now(&self) -> Tick {
        self.now
    }
    /// Number of events processed so far.
    #[must_use]
    pub fn events(&self) -> u64 {
        self.events
    }
    #[must_use]
    pub fn trace_hash(&self) -> u64 {
        self.hash
    }
    #[must_use]
    pub fn trace_len(&self) -> u64 {
        self.trace_len
    }

    /// Entries forgotten from the front of the trace this world writes to.
    pub(crate) fn set_trace_base(&mut self, base: u64) {
        self.trace_base = base;
    }
    #[must_use]
    pub fn scenario(&self) -> &Scenario {
        &self.setup
    }
    #[must_use]
    pub fn nodes(&self) -> &[NodeSlot] {
        &self.nodes
    }
    #[must_use]
    pub fn clients(&self) -> &[Client] {
        &self.clients
    }
    #[must_use]
    pub fn net(&self) -> &Network {
        &self.net
    }
    #[must_use]
    pub fn highlights(&self) -> &Highlights {
        &self.highlights
    }
    /// Tick of the next pending event, if any.
    #[must_use]
    pub fn next_event_tick(&self) -> Option<Tick> {
        self.queue.first_key().map(|k| k.0)
    }
    #[must_use]
    pub fn pending_events(&self) -> usize {
        self.queue.len()
    }

    /// The replica state of a quorum node.
    #[must_use]
    pub fn quorum_replica(&self, node: u32) -> Option<&quorum::Replica> {
        match &self.nodes.get(node as usize)?.state {
            NodeState::Quorum(r) => Some(r),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }

    /// The state of a Paxos node.
    #[must_use]
    pub fn paxos_node(&self, node: u32) -> Option<&paxos::Node> {
        match &self.nodes.get(node as usize)?.state {
            NodeState::Paxos(x) => Some(x),
            _ => None,
        }
    }

    /// A replica of the eventually consistent store.
    #[must_use]
    pub fn eventual_replica(&self, node: u32) -> Option<&crate::eventual::Replica> {
        match &self.nodes.get(node as usize)?.state {
            NodeState::Eventual(x) => Some(x),
            _ => None,
        }
    }

    /// The state of a Zab server.
    #[must_use]
    pub fn zab_server(&self, node: u32) -> Option<&zab::Server> {
        match &self.nodes.get(node as usize)?.state {
            NodeState::Zab(x) => Some(x),
            _ => None,
        }
    }

    /// The Zab checker's view (what was committed), if this is a Zab run.
    #[must_use]
    pub fn zab_checks(&self) -> Option<&zab::invariants::Invariants> {
        match &self.checks {
            Checks::Zab(c) => Some(c),
            _ => None,
        }
    }

    /// The Paxos checker's view (chosen values), if this is a Paxos run.
    #[must_use]
    pub fn paxos_checks(&self) -> Option<&Invariants> {
        match &self.checks {
            Checks::Paxos(c) => Some(c),
            _ => None,
        }
    }

    /// Every invariant violation so far, with its tick.
    #[must_use]
    pub fn violations(&self) -> &[(Tick, Violation)] {
        &self.violations
    }

    // ---- running ----

    /// Process the earliest pending event. Returns `false` when none is left.
    pub fn step(&mut self, trace: &mut Vec<TraceEntry>) -> bool {
        let Some(((tick, _seq), event)) = self.queue.pop_first() else {
            return false;
        };
        debug_assert!(tick >= self.now, "time never runs backwards");
        self.now = tick;
        match event {
            Event::Deliver(id) => self.on_deliver(id, trace),
            Event::Timer { node, key } => {
                let slot = &mut self.nodes[node as usize];
                slot.timers.remove(&key);
                self.emit(trace, Happened::Timer { node, key });
                self.run_node(node, trace, |s, ctx, out| s.on_timer(ctx, key, out));
            }
            Event::ClientTimeout { client, op_id } => {
                self.client_return(client, op_id, Outcome::Timeout, trace);
            }
            Event::Scripted(i) => {
                let op = self.setup.workload[i as usize].clone();
                self.client_issue(op.client, op.node, op.op, trace);
            }
            Event::ClientWake { client } => self.random_op(client, trace),
        }
        self.events += 1;
        true
    }

    /// Apply a user action at `tick` (never before the present).
    pub fn apply(&mut self, tick: Tick, kind: &ActionKind, trace: &mut Vec<TraceEntry>) {
        self.now = self.now.max(tick);
        self.emit(trace, Happened::User(kind.clone()));
        match kind {
            ActionKind::Crash(n) => self.crash(*n, trace),
            ActionKind::Restart(n) => self.restart(*n, trace),
            ActionKind::Partition { side } => {
                let n = u32::try_from(self.nodes.len()).expect("at most 15 nodes");
                for a in side.iter().copied() {
                    for b in (0..n).filter(|b| !side.contains(b)) {
                        self.set_link(Addr::Node(a), Addr::Node(b), LinkState::Partitioned, trace);
                        self.set_link(Addr::Node(b), Addr::Node(a), LinkState::Partitioned, trace);
                    }
                }
            }
            ActionKind::HealAll => {
                let faulty: Vec<_> = self.net.faulty_links().map(|(k, _)| k).collect();
                for (from, to) in faulty {
                    self.set_link(from, to, LinkState::Healthy, trace);
                }
            }
            ActionKind::SetLink { from, to, state } => self.set_link(*from, *to, *state, trace),
            ActionKind::DropMessage(id) => {
                if let Some(m) = self.net.remove(*id) {
                    if let Some(at) = m.deliver {
                        self.queue.remove(&(at, m.event_seq));
                    }
                    let reason = DropReason::ByUser;
                    self.emit(
                        trace,
                        Happened::Dropped { msg: m.id, from: m.from, to: m.to, reason },
                    );
                    self.lose_connection(m.from, m.to, trace);
                }
            }
            ActionKind::ClientOp { client, node, op } => {
                self.client_issue(*client, *node, *op, trace);
            }
            ActionKind::DeliverMessage(id) => {
                if let Some(mut m) = self.net.remove(*id) {
                    if let Some(at) = m.deliver {
                        self.queue.remove(&(at, m.event_seq));
                    }
                    m.fate = Fate::Deliver;
                    self.deliver(m, trace);
                }
            }
            ActionKind::DuplicateMessage(id) => {
                if let Some(m) = self.net.message(*id) {
                    let (from, to, msg) = (m.from, m.to, m.msg.clone());
                    let state = self.net.link(from, to);
                    let copy = self.next_msg_id;
                    self.next_msg_id += 1;
                    self.launch(copy, from, to, msg, state, true, trace);
                }
            }
            ActionKind::ManualNetwork(on) => self.set_manual(*on),
            ActionKind::FireTimer { node, key } => {
                let slot = &mut self.nodes[*node as usize];
                if let Some(k) = slot.timers.remove(key) {
                    self.queue.remove(&k);
                    let (node, key) = (*node, *key);
                    self.emit(trace, Happened::Timer { node, key });
                    self.run_node(node, trace, |s, ctx, out| s.on_timer(ctx, key, out));
                }
            }
        }
    }

    /// Advance the clock to `tick` without processing events (used after
    /// every event up to `tick` has run).
    pub fn advance_clock(&mut self, tick: Tick) {
        debug_assert!(self.next_event_tick().is_none_or(|t| t > tick) || tick <= self.now);
        self.now = self.now.max(tick);
    }

    // ---- internals ----

    fn schedule(&mut self, at: Tick, e: Event) -> (Tick, u64) {
        let key = (at, self.next_seq);
        self.next_seq += 1;
        self.queue.insert(key, e);
        key
    }

    fn emit(&mut self, trace: &mut Vec<TraceEntry>, what: Happened) {
        let e = TraceEntry { event: self.events, tick: self.now, what };
        self.hash = trace::fold(self.hash, &e);
        // The trace may hold a future already computed (after a seek back);
        // replay regenerates the same entries in place.
        let i = usize::try_from(self.trace_len - self.trace_base).expect("trace fits in memory");
        if i < trace.len() {
            trace[i] = e;
        } else {
            trace.push(e);
        }
        self.trace_len += 1;
    }

    fn emit_sent(
        &mut self,
        trace: &mut Vec<TraceEntry>,
        msg: u64,
        from: Addr,
        to: Addr,
        deliver: Option<Tick>,
        payload: &Msg,
    ) {
        self.hash = trace::fold_payload(self.hash, payload);
        let label = trace::MsgKindTag::of(payload);
        self.emit(trace, Happened::Sent { msg, from, to, deliver, label });
    }

    /// Run one handler of node `id` and carry out the effects it returned.
    fn run_node(
        &mut self,
        id: u32,
        trace: &mut Vec<TraceEntry>,
        f: impl FnOnce(&mut NodeState, &Ctx, &mut Out),
    ) {
        if !self.nodes[id as usize].up {
            return;
        }
        let ctx = Ctx {
            now: self.now,
            me: id,
            random: mix64(self.setup.seed ^ mix64(self.events ^ (u64::from(id) << 48))),
        };
        let mut out = std::mem::take(&mut self.out);
        f(&mut self.nodes[id as usize].state, &ctx, &mut out);
        for effect in out.effects.drain(..) {
            self.carry_out(id, effect, trace);
        }
        self.out = out;
    }

    fn carry_out(&mut self, id: u32, effect: Effect, trace: &mut Vec<TraceEntry>) {
        match effect {
            Effect::Send { to, msg } => self.send(Addr::Node(id), to, msg, trace),
            Effect::SetTimer { key, after } => {
                if let Some(old) = self.nodes[id as usize].timers.remove(&key) {
                    self.queue.remove(&old);
                }
                let at = self.now + after.max(1);
                // By hand, the timer is armed but waits off the queue.
                let k = if self.manual {
                    self.next_seq += 1;
                    (at, self.next_seq - 1)
                } else {
                    self.schedule(at, Event::Timer { node: id, key })
                };
                self.nodes[id as usize].timers.insert(key, k);
            }
            Effect::CancelTimer { key } => {
                if let Some(old) = self.nodes[id as usize].timers.remove(&key) {
                    self.queue.remove(&old);
                }
            }
            Effect::Persist(d) => {
                self.nodes[id as usize].disk = Some(d);
                self.emit(trace, Happened::Persisted { node: id });
            }
            Effect::Reply { client, op_id, result } => {
                self.send(
                    Addr::Node(id),
                    Addr::Client(client),
                    Msg::Reply { op_id, result },
                    trace,
                );
            }
            Effect::Note(note) => {
                self.highlight(&note);
                let broken: Vec<Violation> = match (&mut self.checks, &note) {
                    (Checks::Paxos(checks), Note::Paxos(n)) => checks.observe(id, n),
                    (Checks::Zab(checks), Note::Zab(n)) => checks.observe(id, n),
                    (Checks::Eventual(checks), n) => checks.observe(id, n),
                    _ => Vec::new(),
                };
                self.emit(trace, Happened::Note { node: id, note });
                for v in broken {
                    self.violations.push((self.now, v.clone()));
                    self.emit(trace, Happened::Violation(v));
                }
            }
            Effect::Reconnect { peer } => {
                self.net.reconnect_pair(Addr::Node(id), peer);
                self.emit(trace, Happened::Reconnected { node: id, peer });
            }
            Effect::Redial { peer } => {
                let me = Addr::Node(id);
                if self.net.is_broken(me, peer) || self.net.is_broken(peer, me) {
                    self.net.reconnect_pair(me, peer);
                    self.emit(trace, Happened::Reconnected { node: id, peer });
                }
            }
        }
    }

    fn highlight(&mut self, note: &Note) {
        let (slot, op, members, stamp) = match note {
            Note::Quorum(quorum::Note::ReadSet { op, members, stamp }) => {
                (&mut self.highlights.read, *op, members, *stamp)
            }
            Note::Quorum(quorum::Note::WriteSet { op, members, stamp }) => {
                (&mut self.highlights.write, *op, members, *stamp)
            }
            // Paxos: the majority of promises (phase 1) and of accepts (phase 2).
            Note::Paxos(paxos::Note::PromiseQuorum { n, members }) => {
                (&mut self.highlights.read, *n, members, Stamp { counter: *n, writer: 0 })
            }
            Note::Paxos(paxos::Note::AcceptQuorum { n, members, v }) => {
                let stamp = Stamp { counter: *n, writer: u32::try_from(*v).unwrap_or(u32::MAX) };
                (&mut self.highlights.write, *n, members, stamp)
            }
            // Zab: the quorum of ACKs of a proposal, and of a new epoch's
            // NEWLEADER.
            Note::Zab(zab::Note::AckQuorum { zxid, members }) => {
                (&mut self.highlights.write, *zxid, members, Stamp { counter: *zxid, writer: 0 })
            }
            Note::Zab(zab::Note::Established { epoch, members, .. }) => {
                let z = zab::zxid(*epoch, 0);
                (&mut self.highlights.read, z, members, Stamp { counter: z, writer: 0 })
            }
            #[allow(unreachable_patterns)]
            _ => return,
        };
        *slot = Some(QuorumMark { op, members: members.clone(), stamp, tick: self.now });
    }

    fn send(&mut self, from: Addr, to: Addr, msg: Msg, trace: &mut Vec<TraceEntry>) {
        let id = self.next_msg_id;
        self.next_msg_id += 1;
        let state = self.net.link(from, to);
        let broken = self.net.cfg.fifo && self.net.is_broken(from, to);
        if state == LinkState::Partitioned || broken {
            self.emit_sent(trace, id, from, to, None, &msg);
            let reason = if broken { DropReason::ConnectionBroken } else { DropReason::LinkCut };
            self.emit(trace, Happened::Dropped { msg: id, from, to, reason });
            return;
        }
        let copy = self.rng.chance_ppm(self.net.cfg.duplicate_ppm).then(|| msg.clone());
        self.launch(id, from, to, msg, state, false, trace);
        if let Some(m) = copy {
            let id = self.next_msg_id;
            self.next_msg_id += 1;
            self.launch(id, from, to, m, state, true, trace);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn launch(
        &mut self,
        id: u64,
        from: Addr,
        to: Addr,
        msg: Msg,
        state: LinkState,
        duplicate: bool,
        trace: &mut Vec<TraceEntry>,
    ) {
        let fate =
            if self.rng.chance_ppm(self.net.cfg.loss_ppm) { Fate::Lose } else { Fate::Deliver };
        let mut m = InFlight {
            id,
            from,
            to,
            msg,
            sent: self.now,
            deliver: None,
            fate,
            duplicate,
            event_seq: 0,
        };
        if state == LinkState::Healthy && !self.manual {
            let (at, seq) = self.schedule_delivery(from, to, id);
            m.deliver = Some(at);
            m.event_seq = seq;
        }
        let deliver = m.deliver;
        self.emit_sent(trace, id, from, to, deliver, &m.msg);
        self.net.insert(m);
    }

    fn schedule_delivery(&mut self, from: Addr, to: Addr, id: u64) -> (Tick, u64) {
        let cfg = &self.net.cfg;
        let (lo, hi) = (u64::from(cfg.latency_ticks_min), u64::from(cfg.latency_ticks_max));
        let latency = self.rng.range(lo, hi);
        let at = self.net.delivery_tick(from, to, self.now, latency);
        self.schedule(at, Event::Deliver(id))
    }

    fn on_deliver(&mut self, id: u64, trace: &mut Vec<TraceEntry>) {
        if let Some(m) = self.net.remove(id) {
            self.deliver(m, trace);
        }
    }

    /// A message (already off the wire) reaches its destination — or is lost.
    fn deliver(&mut self, m: InFlight, trace: &mut Vec<TraceEntry>) {
        let (id, from, to) = (m.id, m.from, m.to);
        if m.fate == Fate::Lose {
            self.lose_connection(from, to, trace);
            self.emit(trace, Happened::Dropped { msg: id, from, to, reason: DropReason::Lost });
            return;
        }
        match to {
            Addr::Node(n) => {
                if !self.nodes[n as usize].up {
                    let reason = DropReason::NodeDown;
                    self.emit(trace, Happened::Dropped { msg: id, from, to, reason });
                    return;
                }
                self.emit(trace, Happened::Delivered { msg: id, from, to });
                match (&m.msg, from) {
                    (Msg::Request { op_id, op }, Addr::Client(c)) => {
                        let (op_id, op) = (*op_id, *op);
                        self.run_node(n, trace, |s, ctx, out| {
                            s.on_client_request(ctx, c, op_id, op, out);
                        });
                    }
                    (msg, _) => {
                        self.run_node(n, trace, |s, ctx, out| s.on_message(ctx, from, msg, out));
                    }
                }
            }
            Addr::Client(c) => {
                self.emit(trace, Happened::Delivered { msg: id, from, to });
                if let Msg::Reply { op_id, result } = m.msg {
                    let outcome = match result {
                        OpResult::Ok { value, stamp } => Outcome::Ok { value, stamp },
                        OpResult::Fail(r) => Outcome::Fail(r),
                    };
                    self.client_return(c, op_id, outcome, trace);
                }
            }
        }
    }

    /// A message on `from → to` was lost (by chance or by the user's hand).
    /// On a FIFO link that is a TCP connection reset: a connection never
    /// loses one message and delivers the next, so what travels behind the
    /// lost one never arrives either, and the link stays broken until one
    /// end reconnects.
    fn lose_connection(&mut self, from: Addr, to: Addr, trace: &mut Vec<TraceEntry>) {
        if !self.net.cfg.fifo {
            return;
        }
        self.net.break_connection(from, to);
        for behind in self.net.ids_on(from, to) {
            if let Some(b) = self.net.remove(behind) {
                if let Some(at) = b.deliver {
                    self.queue.remove(&(at, b.event_seq));
                }
                let reason = DropReason::ConnectionBroken;
                self.emit(trace, Happened::Dropped { msg: behind, from, to, reason });
            }
        }
    }

    fn crash(&mut self, n: u32, trace: &mut Vec<TraceEntry>) {
        let cfg = self.setup.protocol.clone();
        let slot = &mut self.nodes[n as usize];
        if !slot.up {
            return;
        }
        slot.up = false;
        // Volatile state is lost; the disk stays.
        slot.state = NodeState::boot(&cfg, n);
        for (_, k) in std::mem::take(&mut slot.timers) {
            self.queue.remove(&k);
        }
        self.emit(trace, Happened::Crashed { node: n });
    }

    fn restart(&mut self, n: u32, trace: &mut Vec<TraceEntry>) {
        if self.nodes[n as usize].up {
            return;
        }
        let cfg = self.setup.protocol.clone();
        let slot = &mut self.nodes[n as usize];
        slot.up = true;
        slot.state = NodeState::boot(&cfg, n);
        self.net.reconnect(Addr::Node(n));
        self.emit(trace, Happened::Restarted { node: n });
        let disk = self.nodes[n as usize].disk.clone();
        self.run_node(n, trace, |s, ctx, out| s.on_start(ctx, disk.as_ref(), out));
    }

    fn set_link(&mut self, from: Addr, to: Addr, state: LinkState, trace: &mut Vec<TraceEntry>) {
        let old = self.net.link(from, to);
        if old == state {
            return;
        }
        self.net.set_link_state(from, to, state);
        self.emit(trace, Happened::Link { from, to, state });
        let ids = self.net.ids_on(from, to);
        match state {
            LinkState::Partitioned => {
                // Whatever is on the wire when a link is cut is lost.
                for id in ids {
                    if let Some(m) = self.net.remove(id) {
                        if let Some(at) = m.deliver {
                            self.queue.remove(&(at, m.event_seq));
                        }
                        let reason = DropReason::LinkCut;
                        self.emit(trace, Happened::Dropped { msg: id, from, to, reason });
                    }
                }
            }
            LinkState::Held => {
                for id in ids {
                    let m = self.net.message_mut(id).expect("listed");
                    if let Some(at) = m.deliver.take() {
                        let seq = m.event_seq;
                        self.queue.remove(&(at, seq));
                    }
                }
            }
            // By hand, what a healed link releases still waits for the user.
            LinkState::Healthy if self.manual => {}
            LinkState::Healthy => {
                for id in ids {
                    if self.net.message(id).is_some_and(|m| m.deliver.is_none()) {
                        let (at, seq) = self.schedule_delivery(from, to, id);
                        let m = self.net.message_mut(id).expect("listed");
                        m.deliver = Some(at);
                        m.event_seq = seq;
                    }
                }
            }
        }
    }

    /// Hand the network to the user, or take it back: on, every scheduled
    /// delivery and node timer leaves the queue (they keep their ids and
    /// due ticks); off, each goes back on it, a late timer due at once.
    fn set_manual(&mut self, on: bool) {
        if on == self.manual {
            return;
        }
        self.manual = on;
        let ids: Vec<u64> = self.net.in_flight().map(|m| m.id).collect();
        for id in ids {
            let m = self.net.message(id).expect("listed");
            let (from, to, deliver, seq) = (m.from, m.to, m.deliver, m.event_seq);
            if on {
                if let Some(at) = deliver {
                    self.queue.remove(&(at, seq));
                    self.net.message_mut(id).expect("listed").deliver = None;
                }
            } else if self.net.link(from, to) == LinkState::Healthy {
                let (at, seq) = self.schedule_delivery(from, to, id);
                let m = self.net.message_mut(id).expect("listed");
                (m.deliver, m.event_seq) = (Some(at), seq);
            }
        }
        for node in 0..self.nodes.len() {
            let armed: Vec<(u64, (Tick, u64))> =
                self.nodes[node].timers.iter().map(|(k, v)| (*k, *v)).collect();
            for (key, (at, seq)) in armed {
                if on {
                    self.queue.remove(&(at, seq));
                } else {
                    let node = u32::try_from(node).expect("at most 15 nodes");
                    let k = self.schedule(at.max(self.now), Event::Timer { node, key });
                    self.nodes[node as usize].timers.insert(key, k);
                }
            }
        }
    }

    /// Whether the user is the network.
    #[must_use]
    pub fn manual(&self) -> bool {
        self.manual
    }

    fn client_issue(&mut self, client: u32, node: u32, op: ClientOp, trace: &mut Vec<TraceEntry>) {
        let c = &mut self.clients[client as usize];
        if c.pending.is_some() {
            c.queue.push_back((node, op));
            return;
        }
        let op_id = self.next_op_id;
        self.next_op_id += 1;
        self.emit(trace, Happened::Invoke { op_id, client, node, op });
        let timeout = self.now + Tick::from(self.setup.client_timeout_ticks);
        let timeout_seq = self.schedule(timeout, Event::ClientTimeout { client, op_id });
        self.clients[client as usize].pending = Some(Pending { op_id, node, op, timeout_seq });
        let msg = self.request(client, op_id, op);
        self.send(Addr::Client(client), Addr::Node(node), msg, trace);
    }

    /// A client's request as it goes on the wire: with its session token
    /// where the store asks for one.
    fn request(&self, client: u32, op_id: u64, op: ClientOp) -> Msg {
        if let crate::ProtocolConfig::Eventual(c) = &self.setup.protocol {
            if c.session == crate::eventual::Session::Token {
                let token = self.clients[client as usize].token;
                return Msg::Eventual(crate::eventual::Msg::TokenRequest { op_id, op, token });
            }
        }
        let _ = client;
        Msg::Request { op_id, op }
    }

    fn client_return(
        &mut self,
        client: u32,
        op_id: u64,
        outcome: Outcome,
        trace: &mut Vec<TraceEntry>,
    ) {
        let c = &mut self.clients[client as usize];
        let Some(p) = c.pending.take_if(|p| p.op_id == op_id) else {
            return; // a late or duplicated reply
        };
        self.queue.remove(&p.timeout_seq);
        let c = &mut self.clients[client as usize];
        c.last = Some(outcome);
        if let Outcome::Ok { stamp, .. } = outcome {
            c.token = c.token.max(stamp);
        }
        self.emit(trace, Happened::Return { op_id, client, outcome });
        if let Some((node, op)) = self.clients[client as usize].queue.pop_front() {
            self.client_issue(client, node, op, trace);
        } else if let Some(rw) = self.setup.random_workload.clone() {
            let gap = self.rng.range(u64::from(rw.gap_ticks_min), u64::from(rw.gap_ticks_max));
            if self.now + gap <= rw.until {
                self.schedule(self.now + gap, Event::ClientWake { client });
            }
        }
    }

    fn random_op(&mut self, client: u32, trace: &mut Vec<TraceEntry>) {
        let Some(rw) = self.setup.random_workload.clone() else {
            return;
        };
        let n = self.setup.protocol.nodes();
        let node = u32::try_from(self.rng.range(0, u64::from(n - 1))).expect("node id fits");
        let op = if self.rng.chance_ppm(rw.write_ppm) {
            let v = self.next_value;
            self.next_value += 1;
            ClientOp::Write(v)
        } else {
            ClientOp::Read
        };
        self.client_issue(client, node, op, trace);
    }
}
