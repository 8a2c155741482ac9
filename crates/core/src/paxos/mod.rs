//! # Basic Paxos (lecture 03; Lamport, *Paxos Made Simple*)
//!
//! Proposers propose values; acceptors — all equal and independent — vote;
//! learners learn the value once more than half the acceptors (N/2 + 1)
//! accepted the same proposal. At most one value is ever chosen. A node may
//! play several roles: here acceptors, proposers and learners are separate
//! nodes, and every node also learns from the `Chosen` announcement.
//!
//! **Learners.** A learner that missed the announcement learns by reading
//! the acceptors (lecture 03: "at least N/2+1, at most N"): it asks every
//! acceptor what it accepted and learns (n, v) once N/2+1 answers name that
//! same proposal. It counts proposals, not values: a majority holding one
//! value under different numbers proves nothing. When every acceptor has
//! answered (or the wait runs out) without such a majority, it answers that
//! it knows of no chosen value.
//!
//! **Phase 1 (prepare).** A proposer picks a globally unique, increasing
//! ProposalID and sends `Prepare(N)` to every acceptor, carrying no value.
//! With P proposers, proposer j's i-th number is `P·i + j` — the lecture's
//! `5·i + j` for five proposers — with i starting at 1, so no number equals
//! the acceptors' initial "none" (0). The proposer persists i, so a restart
//! never reuses a number. An acceptor that has responded to nothing as high
//! **persists Max_N = N before replying** and promises never to accept a
//! lower number, replying `Promise(N, the highest-numbered proposal it
//! accepted, or none)`; otherwise it replies `Reject(Max_N)`.
//!
//! **Phase 2 (accept).** With promises from a majority, the proposer sends
//! `Accept(N, v)`, where v is the value of the highest-numbered accepted
//! proposal among the promises, or its own value if there is none. An
//! acceptor accepts if `N ≥ Max_N`, raising Max_N to N and persisting
//! (N, v) before it answers `Accepted(N)`; otherwise it rejects. With a
//! majority of `Accepted`, the value is chosen and the proposer tells every
//! proposer and learner (`Chosen(v)`).
//!
//! **Retry.** On a timeout, a minority of answers or a rejection, the
//! proposer retries with a higher number. A proposer either acts as soon as a
//! majority answered, or — the lecture's wording, "经过一段时间后" — collects
//! answers for a while and then counts them. Two proposers can keep preempting
//! each other forever (livelock); a randomized back-off before retrying ends
//! it. The number of a retry jumps past the highest Max_N a rejection
//! reported.
//!
//! Two deliberately broken variants exist to show why the rules matter: one
//! where acceptors keep their promises only in memory (so a restart forgets
//! them), and one where proposers forget their round and reuse numbers. The invariant checker
//! ([`invariants`]) catches both.

pub mod explore;
pub mod invariants;

use crate::small::{VecMap, VecSet};

use serde::{Deserialize, Serialize};

use crate::node::{self, Ctx, Out};
use crate::types::{Addr, ClientOp, FailReason, OpResult, Stamp, Tick};

/// Which rules the nodes follow.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Variant {
    /// Paxos as specified.
    #[default]
    Faithful,
    /// BROKEN, kept so that links recorded with it replay as they were: an
    /// acceptor restarts with Max_N = 0 but its accepted proposal intact, a
    /// state no real implementation reaches. No longer offered; see
    /// [`Variant::PromiseInMemory`].
    ForgetPromise,
    /// BROKEN: proposers do not persist their round, so a restart reuses numbers.
    ReuseNumbers,
    /// BROKEN: a proposer adopts the value of the *lowest*-numbered accepted
    /// proposal among its promises instead of the highest.
    AdoptLowest,
    /// BROKEN: acceptors keep a promise only in memory (an accepted proposal
    /// goes to disk, with Max_N as its number), so a restart forgets every
    /// promise made since the last accept.
    PromiseInMemory,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PaxosConfig {
    pub proposers: u32,
    pub acceptors: u32,
    /// Randomized back-off before a retry.
    pub backoff: bool,
    /// How long a proposer waits in a phase before retrying.
    pub retry_ticks: u32,
    /// 0: act as soon as a majority answered. Otherwise the lecture's
    /// reading, "after a while the proposer has collected some replies": it
    /// collects answers this long, then counts them.
    pub collect_ticks: u32,
    pub variant: Variant,
    /// Learner nodes, after the proposers.
    pub learners: u32,
}

impl PaxosConfig {
    #[must_use]
    pub fn nodes(&self) -> u32 {
        self.acceptors + self.proposers + self.learners
    }
    /// More than half the acceptors.
    #[must_use]
    pub fn majority(&self) -> usize {
        self.acceptors as usize / 2 + 1
    }
    /// Proposer index j of a node, if it is a proposer.
    #[must_use]
    pub fn proposer_index(&self, node: u32) -> Option<u32> {
        let first = self.acceptors;
        (node >= first && node < first + self.proposers).then(|| node - first)
    }
    /// Learner index of a node, if it is a learner.
    #[must_use]
    pub fn learner_index(&self, node: u32) -> Option<u32> {
        let first = self.acceptors + self.proposers;
        (node >= first && node < self.nodes()).then(|| node - first)
    }
    /// `P·i + j`.
    #[must_use]
    pub fn number(&self, i: u64, j: u32) -> u64 {
        u64::from(self.proposers) * i + u64::from(j)
    }
    /// Show a number as the lecture does: `7=3·2+1`.
    #[must_use]
    pub fn explain(&self, n: u64) -> String {
        let p = u64::from(self.proposers);
        if p <= 1 || n == 0 {
            n.to_string()
        } else {
            format!("{n}={p}·{}+{}", n / p, n % p)
        }
    }
}

/// A proposal a value was accepted in: (number, value).
pub type Proposal = (u64, u64);

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Msg {
    Prepare {
        n: u64,
    },
    Promise {
        n: u64,
        accepted: Option<Proposal>,
    },
    Accept {
        n: u64,
        v: u64,
    },
    Accepted {
        n: u64,
    },
    /// "I promised or accepted `max_n`; your `n` is too low."
    Reject {
        n: u64,
        max_n: u64,
    },
    /// A value was chosen; learners learn it.
    Chosen {
        n: u64,
        v: u64,
    },
    /// A learner asks an acceptor what it accepted (query number `q`).
    Query {
        q: u64,
    },
    /// An acceptor's answer to a learner's query.
    Report {
        q: u64,
        accepted: Option<Proposal>,
    },
}

impl Msg {
    /// The label drawn on the message, with numbers explained as `P·i + j`.
    #[must_use]
    pub fn label(&self, cfg: &PaxosConfig) -> String {
        let e = |n: u64| cfg.explain(n);
        match *self {
            Msg::Prepare { n } => format!("Prepare({})", e(n)),
            Msg::Promise { n, accepted: None } => format!("Promise({}, –)", e(n)),
            Msg::Promise { n, accepted: Some((an, av)) } => {
                format!("Promise({}, ({an},{av}))", e(n))
            }
            Msg::Accept { n, v } => format!("Accept({}, {v})", e(n)),
            Msg::Accepted { n } => format!("Accepted({})", e(n)),
            Msg::Reject { max_n, .. } => format!("Reject({max_n})"),
            Msg::Chosen { v, .. } => format!("Chosen {v}"),
            Msg::Query { .. } => "accepted?".to_string(),
            Msg::Report { accepted: None, .. } => "acc –".to_string(),
            Msg::Report { accepted: Some((an, av)), .. } => format!("acc ({an},{av})"),
        }
    }
}

/// What survives a crash.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Durable {
    Acceptor { max_n: u64, accepted: Option<Proposal> },
    Proposer { round: u64 },
}

/// What the viewer and the invariant checker are told.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Note {
    /// An acceptor's state after it changed (or after a restart).
    AcceptorState { max_n: u64, accepted: Option<Proposal>, restarted: bool },
    /// A proposer started a round with number `n`.
    Prepared { n: u64 },
    /// A proposer took a client's value as its own.
    Proposed { v: u64 },
    /// A majority promised `n`.
    PromiseQuorum { n: u64, members: Vec<u32> },
    /// A majority accepted `(n, v)`: the proposer saw its value chosen.
    AcceptQuorum { n: u64, v: u64, members: Vec<u32> },
    /// A learner learned `v`.
    Learned { v: u64 },
}

const PHASE_TIMER: u64 = 1;
const BACKOFF_TIMER: u64 = 2;
/// A learner stops waiting for the acceptors' answers.
const READ_TIMER: u64 = 3;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Phase {
    Idle,
    Preparing {
        n: u64,
        promises: VecMap<u32, Option<Proposal>>,
    },
    Accepting {
        n: u64,
        v: u64,
        accepted: VecSet<u32>,
    },
    /// Waiting a random while before the next round.
    BackingOff,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Proposer {
    pub j: u32,
    /// i of the latest round (persisted).
    pub round: u64,
    /// The value this proposer wants chosen (from a client).
    pub value: Option<u64>,
    pub phase: Phase,
    /// Highest number a rejection reported.
    highest_seen: u64,
    waiting: Vec<(u32, u64)>,
    pub learned: Option<Proposal>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Acceptor {
    pub max_n: u64,
    pub accepted: Option<Proposal>,
    pub learned: Option<Proposal>,
}

impl Acceptor {
    /// Write Max_N and the accepted proposal to disk, and tell the checker.
    fn persist_and_report(&self, out: &mut Out) {
        let (max_n, accepted) = (self.max_n, self.accepted);
        out.persist(node::Durable::Paxos(Durable::Acceptor { max_n, accepted }));
        self.report(out);
    }

    /// Tell the checker the state, written or not.
    fn report(&self, out: &mut Out) {
        let (max_n, accepted) = (self.max_n, self.accepted);
        note(out, Note::AcceptorState { max_n, accepted, restarted: false });
    }
}

/// A learner reading the acceptors.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Learner {
    pub learned: Option<Proposal>,
    /// Number of the latest query.
    pub q: u64,
    /// Answers to the running query, by acceptor (`None` when no query runs).
    pub answers: Option<VecMap<u32, Option<Proposal>>>,
    /// Clients waiting for the query's outcome.
    waiting: Vec<(u32, u64)>,
}

impl Learner {
    /// The proposal the most answers name, with how many (the highest
    /// number among equals).
    #[must_use]
    pub fn best_proposal(&self) -> Option<(Proposal, usize)> {
        // At most seven answers: a list, not a map.
        let mut count: Vec<(Proposal, usize)> = Vec::new();
        for p in self.answers.iter().flat_map(|a| a.values()).flatten() {
            match count.iter_mut().find(|(q, _)| q == p) {
                Some((_, c)) => *c += 1,
                None => count.push((*p, 1)),
            }
        }
        count.into_iter().max_by_key(|&(p, c)| (c, p))
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    Acceptor(Acceptor),
    Proposer(Proposer),
    Learner(Learner),
}

/// One Paxos node.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Node {
    pub id: u32,
    pub cfg: PaxosConfig,
    pub role: Role,
}

fn send(out: &mut Out, to: u32, m: Msg) {
    out.send(Addr::Node(to), node::Msg::Paxos(m));
}

fn note(out: &mut Out, n: Note) {
    out.note(node::Note::Paxos(n));
}

impl Node {
    #[must_use]
    pub fn new(id: u32, cfg: PaxosConfig) -> Self {
        let role = match cfg.proposer_index(id) {
            None if cfg.learner_index(id).is_some() => Role::Learner(Learner::default()),
            Some(j) => Role::Proposer(Proposer {
                j,
                round: 0,
                value: None,
                phase: Phase::Idle,
                highest_seen: 0,
                waiting: Vec::new(),
                learned: None,
            }),
            None => Role::Acceptor(Acceptor { max_n: 0, accepted: None, learned: None }),
        };
        Node { id, cfg, role }
    }

    /// The value this node has learned, if any.
    #[must_use]
    pub fn learned(&self) -> Option<Proposal> {
        match &self.role {
            Role::Acceptor(a) => a.learned,
            Role::Proposer(p) => p.learned,
            Role::Learner(l) => l.learned,
        }
    }

    pub fn on_start(&mut self, _ctx: &Ctx, storage: Option<&Durable>, out: &mut Out) {
        let variant = self.cfg.variant;
        match (&mut self.role, storage) {
            (Role::Acceptor(a), Some(Durable::Acceptor { max_n, accepted })) => {
                a.max_n = if variant == Variant::ForgetPromise { 0 } else { *max_n };
                a.accepted = *accepted;
                let state =
                    Note::AcceptorState { max_n: a.max_n, accepted: a.accepted, restarted: true };
                note(out, state);
            }
            (Role::Proposer(p), Some(Durable::Proposer { round })) => {
                p.round = if variant == Variant::ReuseNumbers { 0 } else { *round };
            }
            _ => {}
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
        let learned = self.learned();
        let reply_learned = |out: &mut Out, l: Option<Proposal>| {
            let (value, stamp) = match l {
                Some((n, v)) => (Some(v), Stamp { counter: n, writer: 0 }),
                None => (None, Stamp::default()),
            };
            out.reply(client, op_id, OpResult::Ok { value, stamp });
        };
        match (&mut self.role, op.written()) {
            // A learner that has not learned reads the acceptors first.
            (Role::Learner(l), None) if learned.is_none() => {
                l.waiting.push((client, op_id));
                if l.answers.is_none() {
                    self.start_query(out);
                }
            }
            // Reads are answered from what this node learned.
            (_, None) => reply_learned(out, learned),
            (Role::Acceptor(_) | Role::Learner(_), Some(_)) => {
                out.reply(client, op_id, OpResult::Fail(FailReason::Unavailable));
            }
            (Role::Proposer(_), Some(_)) if learned.is_some() => {
                reply_learned(out, learned);
            }
            (Role::Proposer(p), Some(v)) => {
                p.waiting.push((client, op_id));
                if p.value.is_none() {
                    p.value = Some(v);
                    note(out, Note::Proposed { v });
                }
                if p.phase == Phase::Idle {
                    self.start_round(ctx, out);
                }
            }
        }
    }

    pub fn on_timer(&mut self, ctx: &Ctx, key: u64, out: &mut Out) {
        if key == READ_TIMER {
            self.end_query(out);
            return;
        }
        let Role::Proposer(p) = &mut self.role else { return };
        match key {
            PHASE_TIMER => self.on_phase_timer(ctx, out),
            BACKOFF_TIMER if p.phase == Phase::BackingOff => self.start_round(ctx, out),
            _ => {}
        }
    }

    pub fn on_message(&mut self, ctx: &Ctx, from: Addr, msg: &Msg, out: &mut Out) {
        let Some(peer) = from.node() else { return };
        if let Msg::Chosen { n, v } = *msg {
            self.learn(n, v, out);
            return;
        }
        match &mut self.role {
            Role::Learner(l) => {
                let Msg::Report { q, accepted } = *msg else { return };
                let Some(answers) = l.answers.as_mut().filter(|_| q == l.q) else { return };
                answers.insert(peer, accepted);
                self.on_report(out);
            }
            Role::Acceptor(a) => {
                let forget = self.cfg.variant == Variant::PromiseInMemory;
                match *msg {
                    Msg::Prepare { n } => {
                        if n > a.max_n {
                            a.max_n = n;
                            // Persist Max_N before the promise leaves.
                            if forget {
                                a.report(out);
                            } else {
                                a.persist_and_report(out);
                            }
                            send(out, peer, Msg::Promise { n, accepted: a.accepted });
                        } else {
                            send(out, peer, Msg::Reject { n, max_n: a.max_n });
                        }
                    }
                    Msg::Accept { n, v } => {
                        if n >= a.max_n {
                            a.max_n = n;
                            a.accepted = Some((n, v));
                            // Persist (N, v) before answering.
                            a.persist_and_report(out);
                            send(out, peer, Msg::Accepted { n });
                        } else {
                            send(out, peer, Msg::Reject { n, max_n: a.max_n });
                        }
                    }
                    // A learner reads what this acceptor accepted.
                    Msg::Query { q } => send(out, peer, Msg::Report { q, accepted: a.accepted }),
                    _ => {}
                }
            }
            Role::Proposer(p) => {
                let eager = self.cfg.collect_ticks == 0;
                match (msg, &mut p.phase) {
                    (&Msg::Promise { n, accepted }, Phase::Preparing { n: cur, promises })
                        if n == *cur =>
                    {
                        promises.get_or(peer, || accepted);
                        if eager && promises.len() >= self.cfg.majority() {
                            self.go_accept(out);
                        }
                    }
                    (&Msg::Accepted { n }, Phase::Accepting { n: cur, accepted, .. })
                        if n == *cur =>
                    {
                        accepted.insert(peer);
                        if eager && accepted.len() >= self.cfg.majority() {
                            self.go_chosen(out);
                        }
                    }
                    // A rejection reporting no higher number is stale: an
                    // acceptor answering a duplicated Prepare(n) it already
                    // promised. The round is still alive.
                    (
                        &Msg::Reject { n, max_n },
                        Phase::Preparing { n: cur, .. } | Phase::Accepting { n: cur, .. },
                    ) if n == *cur && max_n > n => {
                        // A refusal: retry at once with a higher number.
                        p.highest_seen = p.highest_seen.max(max_n);
                        self.retry(ctx, out);
                    }
                    _ => {}
                }
            }
        }
    }

    /// The phase timer: count what was collected, or give up and retry.
    fn on_phase_timer(&mut self, ctx: &Ctx, out: &mut Out) {
        let majority = self.cfg.majority();
        let Role::Proposer(p) = &self.role else { return };
        match &p.phase {
            Phase::Preparing { promises, .. } if promises.len() >= majority => self.go_accept(out),
            Phase::Accepting { accepted, .. } if accepted.len() >= majority => self.go_chosen(out),
            Phase::Preparing { .. } | Phase::Accepting { .. } => self.retry(ctx, out),
            Phase::Idle | Phase::BackingOff => {}
        }
    }

    fn phase_wait(&self) -> Tick {
        Tick::from(if self.cfg.collect_ticks > 0 {
            self.cfg.collect_ticks
        } else {
            self.cfg.retry_ticks
        })
    }

    /// Phase 2a: a majority promised; send Accept with the value of the
    /// highest-numbered accepted proposal among the promises, else our own.
    fn go_accept(&mut self, out: &mut Out) {
        let wait = self.phase_wait();
        let acceptors = self.cfg.acceptors;
        let Role::Proposer(p) = &mut self.role else { return };
        let Phase::Preparing { n, promises } = &p.phase else { return };
        let n = *n;
        let members: Vec<u32> = promises.keys().copied().collect();
        let accepted = promises.values().flatten();
        let adopted = if self.cfg.variant == Variant::AdoptLowest {
            accepted.min_by_key(|(an, _)| *an)
        } else {
            accepted.max_by_key(|(an, _)| *an)
        };
        let adopted = adopted.map(|&(_, v)| v);
        let v = adopted.or(p.value).expect("a proposer with no value does not prepare");
        note(out, Note::PromiseQuorum { n, members });
        p.phase = Phase::Accepting { n, v, accepted: VecSet::new() };
        for a in 0..acceptors {
            send(out, a, Msg::Accept { n, v });
        }
        out.set_timer(PHASE_TIMER, wait);
    }

    /// Phase 2c: a majority accepted; the value is chosen — tell everyone.
    fn go_chosen(&mut self, out: &mut Out) {
        let Role::Proposer(p) = &self.role else { return };
        let Phase::Accepting { n, v, accepted } = &p.phase else { return };
        let (n, v) = (*n, *v);
        let members: Vec<u32> = accepted.iter().copied().collect();
        note(out, Note::AcceptQuorum { n, v, members });
        for x in (0..self.cfg.nodes()).filter(|&x| x != self.id) {
            send(out, x, Msg::Chosen { n, v });
        }
        self.learn(n, v, out);
    }

    /// A learner asks every acceptor what it accepted.
    fn start_query(&mut self, out: &mut Out) {
        let (acceptors, wait) = (self.cfg.acceptors, Tick::from(self.cfg.retry_ticks));
        let Role::Learner(l) = &mut self.role else { return };
        l.q += 1;
        l.answers = Some(VecMap::new());
        for a in 0..acceptors {
            send(out, a, Msg::Query { q: l.q });
        }
        out.set_timer(READ_TIMER, wait);
    }

    /// A learner counts the answers so far: N/2+1 naming one proposal
    /// teach it the chosen value; N answers without that, nothing.
    fn on_report(&mut self, out: &mut Out) {
        let (majority, acceptors) = (self.cfg.majority(), self.cfg.acceptors as usize);
        let Role::Learner(l) = &self.role else { return };
        if let Some(((n, v), _)) = l.best_proposal().filter(|&(_, c)| c >= majority) {
            self.learn(n, v, out);
        } else if l.answers.as_ref().is_some_and(|a| a.len() == acceptors) {
            self.end_query(out);
        }
    }

    /// The query ends without a majority: the waiting clients hear that this
    /// learner knows of no chosen value.
    fn end_query(&mut self, out: &mut Out) {
        let Role::Learner(l) = &mut self.role else { return };
        if l.answers.take().is_none() {
            return;
        }
        out.cancel_timer(READ_TIMER);
        for (client, op_id) in l.waiting.drain(..) {
            out.reply(client, op_id, OpResult::Ok { value: None, stamp: Stamp::default() });
        }
    }

    fn learn(&mut self, n: u64, v: u64, out: &mut Out) {
        let first = self.learned().is_none();
        match &mut self.role {
            Role::Acceptor(a) => a.learned = Some((n, v)),
            Role::Learner(l) => {
                l.learned = Some((n, v));
                if l.answers.take().is_some() {
                    out.cancel_timer(READ_TIMER);
                }
                for (client, op_id) in l.waiting.drain(..) {
                    let stamp = Stamp { counter: n, writer: 0 };
                    out.reply(client, op_id, OpResult::Ok { value: Some(v), stamp });
                }
            }
            Role::Proposer(p) => {
                p.learned = Some((n, v));
                p.phase = Phase::Idle;
                out.cancel_timer(PHASE_TIMER);
                out.cancel_timer(BACKOFF_TIMER);
                for (client, op_id) in p.waiting.drain(..) {
                    let stamp = Stamp { counter: n, writer: 0 };
                    out.reply(client, op_id, OpResult::Ok { value: Some(v), stamp });
                }
            }
        }
        if first {
            note(out, Note::Learned { v });
        }
    }

    /// Start a new round with a number above every number seen.
    fn start_round(&mut self, _ctx: &Ctx, out: &mut Out) {
        let cfg = self.cfg.clone();
        let Role::Proposer(p) = &mut self.role else { return };
        if p.value.is_none() || p.learned.is_some() {
            p.phase = Phase::Idle;
            return;
        }
        let mut i = p.round + 1;
        while cfg.number(i, p.j) <= p.highest_seen {
            i += 1;
        }
        p.round = i;
        if cfg.variant != Variant::ReuseNumbers {
            // Persist the round before its number is used.
            out.persist(node::Durable::Paxos(Durable::Proposer { round: i }));
        }
        let n = cfg.number(i, p.j);
        note(out, Note::Prepared { n });
        p.phase = Phase::Preparing { n, promises: VecMap::new() };
        for a in 0..cfg.acceptors {
            send(out, a, Msg::Prepare { n });
        }
        out.set_timer(PHASE_TIMER, self.phase_wait());
    }

    fn retry(&mut self, ctx: &Ctx, out: &mut Out) {
        let backoff = self.cfg.backoff;
        let retry = u64::from(self.cfg.retry_ticks);
        let Role::Proposer(p) = &mut self.role else { return };
        out.cancel_timer(PHASE_TIMER);
        if backoff {
            p.phase = Phase::BackingOff;
            // A random wait of up to one retry period breaks the symmetry.
            out.set_timer(BACKOFF_TIMER, 1 + ctx.random % retry.max(1));
        } else {
            self.start_round(ctx, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::Effect;

    fn cfg(p: u32, a: u32) -> PaxosConfig {
        PaxosConfig {
            proposers: p,
            acceptors: a,
            backoff: false,
            retry_ticks: 300,
            collect_ticks: 0,
            variant: Variant::Faithful,
            learners: 1,
        }
    }
    fn ctx(me: u32) -> Ctx {
        Ctx { now: 0, me, random: 7 }
    }

    #[test]
    fn nodes_are_acceptors_then_proposers_then_learners() {
        let c = PaxosConfig { learners: 2, ..cfg(2, 3) };
        let roles: Vec<_> = (0..8).map(|n| (c.proposer_index(n), c.learner_index(n))).collect();
        let none = [(None, None); 3];
        assert_eq!(roles[..3], none, "acceptors");
        assert_eq!(roles[3..5], [(Some(0), None), (Some(1), None)]);
        assert_eq!(roles[5..7], [(None, Some(0)), (None, Some(1))]);
        assert_eq!(roles[7], (None, None), "past the last learner");
    }

    #[test]
    fn proposal_numbers_follow_p_times_i_plus_j_from_i_1() {
        // Lecture 03, FAQ 3: with 5 proposers, proposer j's i-th number is 5·i + j.
        let c = cfg(5, 3);
        assert_eq!(c.number(1, 0), 5);
        assert_eq!(c.number(1, 4), 9);
        assert_eq!(c.number(2, 3), 13);
        assert_eq!(c.explain(13), "13=5·2+3");
    }

    #[test]
    fn a_number_is_explained_only_when_there_is_a_choice_of_proposer() {
        assert_eq!(cfg(5, 3).explain(0), "0", "no round yet");
        assert_eq!(cfg(1, 3).explain(13), "13", "one proposer: i is the number");
    }

    #[test]
    fn message_labels_name_the_step_and_explain_the_numbers() {
        let c = cfg(5, 3);
        let labels = [
            (Msg::Prepare { n: 13 }, "Prepare(13=5·2+3)"),
            (Msg::Promise { n: 13, accepted: None }, "Promise(13=5·2+3, –)"),
            (Msg::Promise { n: 13, accepted: Some((6, 9)) }, "Promise(13=5·2+3, (6,9))"),
            (Msg::Accept { n: 13, v: 9 }, "Accept(13=5·2+3, 9)"),
            (Msg::Accepted { n: 13 }, "Accepted(13=5·2+3)"),
            (Msg::Reject { n: 13, max_n: 14 }, "Reject(14)"),
            (Msg::Chosen { n: 13, v: 9 }, "Chosen 9"),
            (Msg::Query { q: 2 }, "accepted?"),
            (Msg::Report { q: 2, accepted: None }, "acc –"),
            (Msg::Report { q: 2, accepted: Some((6, 9)) }, "acc (6,9)"),
        ];
        for (m, want) in labels {
            assert_eq!(m.label(&c), want);
        }
    }

    /// The messages `out` sends and the replies it gives.
    fn sent_and_replied(out: &Out) -> (Vec<&node::Msg>, Vec<&OpResult>) {
        let sent = out.effects.iter().filter_map(|e| match e {
            Effect::Send { msg, .. } => Some(msg),
            _ => None,
        });
        let replied = out.effects.iter().filter_map(|e| match e {
            Effect::Reply { result, .. } => Some(result),
            _ => None,
        });
        (sent.collect(), replied.collect())
    }

    fn told(v: u64, n: u64) -> OpResult {
        OpResult::Ok { value: Some(v), stamp: Stamp { counter: n, writer: 0 } }
    }

    /// Node `id` learns 9 (chosen at 1), then a client asks `op`: it must
    /// answer at once with 9 and send nothing.
    fn answers_at_once_once_learned(id: u32, op: ClientOp) {
        let mut node = Node::new(id, cfg(1, 3));
        let mut out = Out::default();
        node.on_message(&ctx(id), Addr::Node(0), &Msg::Chosen { n: 1, v: 9 }, &mut out);
        out.effects.clear();
        node.on_client_request(&ctx(id), 0, 1, op, &mut out);
        let (sent, replied) = sent_and_replied(&out);
        assert!(sent.is_empty(), "node {id} sent {sent:?}");
        assert_eq!(replied, [&told(9, 1)]);
    }

    #[test]
    fn a_learner_that_has_learned_answers_a_read_without_asking_the_acceptors() {
        answers_at_once_once_learned(4, ClientOp::Read);
    }

    #[test]
    fn a_proposer_that_has_learned_answers_a_write_with_the_chosen_value_and_starts_no_round() {
        answers_at_once_once_learned(3, ClientOp::Write(4));
    }

    #[test]
    fn a_backoff_timer_left_over_from_an_earlier_round_starts_nothing() {
        let mut p = Node::new(3, cfg(1, 3));
        let mut out = Out::default();
        p.on_client_request(&ctx(3), 0, 1, ClientOp::Write(4), &mut out);
        let Role::Proposer(before) = p.role.clone() else { panic!("a proposer") };
        assert!(matches!(before.phase, Phase::Preparing { n: 1, .. }));
        out.effects.clear();
        p.on_timer(&ctx(3), BACKOFF_TIMER, &mut out);
        assert!(out.effects.is_empty(), "{:?}", out.effects);
        assert_eq!(p.role, Role::Proposer(before));
    }

    /// The proposer's phase.
    fn phase(p: &Node) -> Phase {
        let Role::Proposer(p) = &p.role else { panic!("a proposer") };
        p.phase.clone()
    }

    #[test]
    fn answers_to_an_earlier_round_count_for_nothing_in_the_current_one() {
        let mut p = Node::new(3, cfg(1, 3));
        let mut out = Out::default();
        p.on_client_request(&ctx(3), 0, 1, ClientOp::Write(4), &mut out);
        // Refused with 5 seen: the next round is 6.
        p.on_message(&ctx(3), Addr::Node(0), &Msg::Reject { n: 1, max_n: 5 }, &mut out);
        assert!(matches!(phase(&p), Phase::Preparing { n: 6, .. }));
        for a in 0..3 {
            p.on_message(&ctx(3), Addr::Node(a), &Msg::Promise { n: 1, accepted: None }, &mut out);
        }
        assert!(
            matches!(phase(&p), Phase::Preparing { n: 6, ref promises } if promises.is_empty())
        );
        for a in 0..2 {
            p.on_message(&ctx(3), Addr::Node(a), &Msg::Promise { n: 6, accepted: None }, &mut out);
        }
        assert!(matches!(phase(&p), Phase::Accepting { n: 6, v: 4, .. }));
        for a in 0..3 {
            p.on_message(&ctx(3), Addr::Node(a), &Msg::Accepted { n: 1 }, &mut out);
        }
        assert!(
            matches!(phase(&p), Phase::Accepting { n: 6, ref accepted, .. } if accepted.is_empty())
        );
        assert_eq!(p.learned(), None, "nothing chosen from the old round's answers");
    }

    #[test]
    fn a_round_waits_the_collection_time_when_there_is_one_else_the_retry_time() {
        for (collect_ticks, after) in [(0, 300), (50, 50)] {
            let mut p = Node::new(3, PaxosConfig { collect_ticks, ..cfg(1, 3) });
            let mut out = Out::default();
            p.on_client_request(&ctx(3), 0, 1, ClientOp::Write(4), &mut out);
            let timer = Effect::SetTimer { key: PHASE_TIMER, after };
            assert!(out.effects.contains(&timer), "{collect_ticks}: {:?}", out.effects);
        }
    }

    #[test]
    fn no_round_starts_without_a_value_or_once_one_is_learned() {
        let mut idle = Node::new(3, cfg(1, 3));
        let mut out = Out::default();
        idle.start_round(&ctx(3), &mut out);
        assert!(out.effects.is_empty(), "{:?}", out.effects);
        let mut done = Node::new(3, cfg(1, 3));
        done.on_client_request(&ctx(3), 0, 1, ClientOp::Write(4), &mut out);
        done.on_message(&ctx(3), Addr::Node(0), &Msg::Chosen { n: 1, v: 4 }, &mut out);
        out.effects.clear();
        done.start_round(&ctx(3), &mut out);
        assert!(out.effects.is_empty(), "{:?}", out.effects);
        assert_eq!((phase(&idle), phase(&done)), (Phase::Idle, Phase::Idle));
    }

    #[test]
    fn a_refused_proposer_backs_off_between_1_and_the_retry_time() {
        let mut p = Node::new(3, PaxosConfig { backoff: true, ..cfg(1, 3) });
        let mut out = Out::default();
        p.on_client_request(&ctx(3), 0, 1, ClientOp::Write(4), &mut out);
        for (random, after) in [(0, 1), (7, 8), (299, 300), (300, 1)] {
            let Phase::Preparing { n, .. } = phase(&p) else { panic!("a round") };
            out.effects.clear();
            let at = Ctx { random, ..ctx(3) };
            p.on_message(&at, Addr::Node(0), &Msg::Reject { n, max_n: n + 1 }, &mut out);
            let timer = Effect::SetTimer { key: BACKOFF_TIMER, after };
            assert!(out.effects.contains(&timer), "{random}: {:?}", out.effects);
            assert_eq!(phase(&p), Phase::BackingOff);
            p.on_timer(&at, BACKOFF_TIMER, &mut out);
        }
    }

    #[test]
    fn acceptor_persists_max_n_before_promising() {
        let mut a = Node::new(0, cfg(1, 3));
        let mut out = Out::default();
        a.on_message(&ctx(0), Addr::Node(3), &Msg::Prepare { n: 1 }, &mut out);
        let persist = out.effects.iter().position(|e| matches!(e, Effect::Persist(_)));
        let promise = out.effects.iter().position(|e| matches!(e, Effect::Send { .. }));
        assert!(persist.expect("persists") < promise.expect("promises"));
    }

    #[test]
    fn acceptor_rejects_a_prepare_not_above_max_n_and_an_accept_below_it() {
        let mut a = Node::new(0, cfg(1, 3));
        let mut out = Out::default();
        a.on_message(&ctx(0), Addr::Node(3), &Msg::Prepare { n: 5 }, &mut out);
        out.effects.clear();
        a.on_message(&ctx(0), Addr::Node(3), &Msg::Prepare { n: 5 }, &mut out);
        a.on_message(&ctx(0), Addr::Node(3), &Msg::Accept { n: 4, v: 1 }, &mut out);
        let rejects = out
            .effects
            .iter()
            .filter(|e| {
                matches!(
                    e,
                    Effect::Send { msg: node::Msg::Paxos(Msg::Reject { max_n: 5, .. }), .. }
                )
            })
            .count();
        assert_eq!(rejects, 2);
    }

    #[test]
    fn proposer_adopts_the_highest_numbered_accepted_value_among_promises() {
        let c = cfg(1, 3);
        let mut p = Node::new(3, c);
        let mut out = Out::default();
        p.on_client_request(&ctx(3), 0, 1, ClientOp::Write(9), &mut out);
        // Refused: the acceptors have seen 6, so the next round is 7.
        p.on_message(&ctx(3), Addr::Node(0), &Msg::Reject { n: 1, max_n: 6 }, &mut out);
        out.effects.clear();
        // Two promises carry two different accepted proposals: the higher
        // numbered one (5, 6) wins over (2, 4), whatever order they came in.
        let promise = |an, av| Msg::Promise { n: 7, accepted: Some((an, av)) };
        p.on_message(&ctx(3), Addr::Node(0), &promise(5, 6), &mut out);
        p.on_message(&ctx(3), Addr::Node(1), &promise(2, 4), &mut out);
        let accepts: Vec<u64> = out
            .effects
            .iter()
            .filter_map(|e| match e {
                Effect::Send { msg: node::Msg::Paxos(Msg::Accept { v, .. }), .. } => Some(*v),
                _ => None,
            })
            .collect();
        assert_eq!(accepts, vec![6, 6, 6], "the highest-numbered accepted value, not its own");
    }

    #[test]
    fn a_stale_rejection_does_not_end_a_live_round() {
        // A duplicated Prepare(n) reaches an acceptor that already promised
        // n: it answers Reject(max_n = n). The round must go on.
        let mut p = Node::new(3, cfg(1, 3));
        let mut out = Out::default();
        p.on_client_request(&ctx(3), 0, 1, ClientOp::Write(9), &mut out);
        out.effects.clear();
        p.on_message(&ctx(3), Addr::Node(0), &Msg::Promise { n: 1, accepted: None }, &mut out);
        p.on_message(&ctx(3), Addr::Node(0), &Msg::Reject { n: 1, max_n: 1 }, &mut out);
        let prepares = out
            .effects
            .iter()
            .filter(|e| {
                matches!(e, Effect::Send { msg: node::Msg::Paxos(Msg::Prepare { .. }), .. })
            })
            .count();
        assert_eq!(prepares, 0, "no new round");
        assert!(
            matches!(&p.role, Role::Proposer(q) if matches!(q.phase, Phase::Preparing { n: 1, .. }))
        );
        // A real refusal (a higher number) still starts a new round.
        p.on_message(&ctx(3), Addr::Node(1), &Msg::Reject { n: 1, max_n: 4 }, &mut out);
        assert!(
            matches!(&p.role, Role::Proposer(q) if matches!(q.phase, Phase::Preparing { n: 5, .. }))
        );
    }

    /// The replies a learner sent in `out`: the values read.
    fn read_replies(out: &Out) -> Vec<Option<u64>> {
        out.effects
            .iter()
            .filter_map(|e| match e {
                Effect::Reply { result: OpResult::Ok { value, .. }, .. } => Some(*value),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_learner_counts_proposals_not_values() {
        // Node 4 is the learner of 3 acceptors and 1 proposer.
        let mut l = Node::new(4, cfg(1, 3));
        let mut out = Out::default();
        l.on_client_request(&ctx(4), 0, 1, ClientOp::Read, &mut out);
        let queries = out
            .effects
            .iter()
            .filter(|e| matches!(e, Effect::Send { msg: node::Msg::Paxos(Msg::Query { .. }), .. }))
            .count();
        assert_eq!(queries, 3, "it reads every acceptor");
        // 5 is held by two acceptors, but under different numbers: nothing
        // is proved chosen, even after all N answered.
        let report = |n, v| Msg::Report { q: 1, accepted: Some((n, v)) };
        l.on_message(&ctx(4), Addr::Node(0), &report(1, 5), &mut out);
        l.on_message(&ctx(4), Addr::Node(1), &report(2, 7), &mut out);
        assert!(read_replies(&out).is_empty(), "two of three answers: keep reading");
        l.on_message(&ctx(4), Addr::Node(2), &report(3, 5), &mut out);
        assert_eq!(read_replies(&out), vec![None], "N answers, no majority for one proposal");
        assert_eq!(l.learned(), None);
        // Asked again, two answers naming (3, 5) are a majority of three.
        out.effects.clear();
        l.on_client_request(&ctx(4), 0, 2, ClientOp::Read, &mut out);
        let report = |n, v| Msg::Report { q: 2, accepted: Some((n, v)) };
        l.on_message(&ctx(4), Addr::Node(0), &report(3, 5), &mut out);
        l.on_message(
            &ctx(4),
            Addr::Node(1),
            &Msg::Report { q: 1, accepted: Some((3, 5)) },
            &mut out,
        );
        assert!(read_replies(&out).is_empty(), "an answer to an old query does not count");
        l.on_message(&ctx(4), Addr::Node(2), &report(3, 5), &mut out);
        assert_eq!(read_replies(&out), vec![Some(5)]);
        assert_eq!(l.learned(), Some((3, 5)));
    }

    #[test]
    fn the_broken_variant_writes_accepts_but_not_promises() {
        let mut c = cfg(1, 3);
        c.variant = Variant::PromiseInMemory;
        let mut a = Node::new(0, c);
        let mut out = Out::default();
        a.on_message(&ctx(0), Addr::Node(3), &Msg::Prepare { n: 1 }, &mut out);
        assert!(
            !out.effects.iter().any(|e| matches!(e, Effect::Persist(_))),
            "the promise stays in memory"
        );
        a.on_message(&ctx(0), Addr::Node(3), &Msg::Accept { n: 1, v: 7 }, &mut out);
        let written = out.effects.iter().find_map(|e| match e {
            Effect::Persist(node::Durable::Paxos(d)) => Some(d.clone()),
            _ => None,
        });
        assert_eq!(written, Some(Durable::Acceptor { max_n: 1, accepted: Some((1, 7)) }));
    }
}
