//! Exhaustive exploration of a small Quorum register: three replicas, one
//! write and two reads, each from its own client, through its own
//! coordinator.
//!
//! Every client may send its request at any moment and every message
//! (requests, version queries, stores, acknowledgements and the answers to
//! clients) may arrive in any order, so every interleaving of the three
//! operations is tried. What is judged is what the clients were told: at
//! every answer a client receives, the history so far is checked for a
//! stale read and a new/old inversion by the same checks the page applies
//! to a run (`check::register`). With W + R > N no read is stale; without
//! ABD's write-back, a read can still see the new value and a later read
//! the old one (lecture 03: Quorum alone is not strong consistency).
//!
//! Loss needs no step (a lost message is one never delivered); timeouts are
//! left out (a coordinator that gives up makes its operation indeterminate,
//! which only weakens what a client can hold against the register).

use super::{QuorumConfig, Replica};
use crate::net::NetConfig;
use crate::node::{self, Ctx, Effect, Out};
use crate::safety::{Rule, Violation};
use crate::scenario::{ActionKind, ProtocolConfig, Scenario, ScriptedOp};
use crate::sim::Sim;
use crate::small::{copy_of, copy_over, VecMap};
use crate::types::{Addr, ClientOp, OpResult, Stamp};

/// The replicas searched.
pub const REPLICAS: u32 = 3;

/// The operations, one per client: (coordinator, operation).
const OPS: [(u32, ClientOp); 3] =
    [(0, ClientOp::Write(1)), (1, ClientOp::Read), (2, ClientOp::Read)];

/// The configuration explored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bounds {
    pub w: u32,
    pub r: u32,
    pub write_back: bool,
}

impl Bounds {
    fn cfg(&self) -> QuorumConfig {
        QuorumConfig {
            n: REPLICAS,
            w: self.w,
            r: self.r,
            write_back: self.write_back,
            // Long enough never to fire in a replay.
            op_timeout_ticks: 1_000_000,
        }
    }
}

type Wire = (Addr, Addr, node::Msg);

/// One move of the schedule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Client `c` sends its request.
    Invoke(u32),
    Deliver(Wire),
}

/// What the register's clients were told, and in what real-time order: for
/// each client, the operation number the simulator gives its request (they
/// are numbered as they are invoked), the clients that had their answer
/// before it sent its request (a bit each), and its answer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
struct Client {
    op_id: Option<u8>,
    before: u8,
    answer: Option<OpResult>,
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct State {
    replicas: Vec<Replica>,
    wire: VecMap<Wire, u8>,
    clients: [Client; OPS.len()],
}

/// A copy made over another keeps the room of its lists (see
/// [`crate::explore::Model::next`]).
impl Clone for State {
    fn clone(&self) -> Self {
        State { replicas: copy_of(&self.replicas), wire: self.wire.clone(), clients: self.clients }
    }

    fn clone_from(&mut self, source: &Self) {
        copy_over(&mut self.replicas, &source.replicas);
        self.wire.clone_from(&source.wire);
        self.clients = source.clients;
    }
}

fn ctx(me: u32) -> Ctx {
    Ctx { now: 0, me, random: 0 }
}

fn initial(b: &Bounds) -> State {
    let replicas = (0..REPLICAS)
        .map(|i| {
            let mut r = Replica::new(i, b.cfg());
            r.on_start(&ctx(i), None, &mut Out::default());
            r
        })
        .collect();
    State { replicas, wire: VecMap::new(), clients: [Client::default(); OPS.len()] }
}

fn send(s: &mut State, w: Wire) {
    *s.wire.get_or(w, || 0) += 1;
}

/// Carry out a replica's effects: messages and answers go on the wire.
fn apply(s: &mut State, id: u32, out: Out) {
    for e in out.effects {
        match e {
            Effect::Send { to, msg } => send(s, (Addr::Node(id), to, msg)),
            Effect::Reply { client, op_id, result } => {
                send(s, (Addr::Node(id), Addr::Client(client), node::Msg::Reply { op_id, result }));
            }
            _ => {}
        }
    }
}

/// A stale read or an inversion in what the clients were told: the two
/// properties of `check::register` (which judges the replays), over the
/// real-time order the clients saw.
fn judge(clients: &[Client]) -> Option<Violation> {
    let ok = |c: usize| match clients[c].answer {
        Some(OpResult::Ok { stamp, .. }) => Some(stamp),
        _ => None,
    };
    let id = |c: usize| u64::from(clients[c].op_id.unwrap_or_default());
    for later in 0..clients.len() {
        let Some(seen) = ok(later).filter(|_| OPS[later].1 == ClientOp::Read) else { continue };
        for earlier in (0..clients.len()).filter(|&e| clients[later].before & (1 << e) != 0) {
            if ok(earlier).is_none_or(|s| s <= seen) {
                continue;
            }
            let rule = match OPS[earlier].1 {
                ClientOp::Read => Rule::NewOldInversion,
                _ => Rule::StaleRead,
            };
            return Some(Violation { rule, nodes: Vec::new(), values: (id(earlier), id(later)) });
        }
    }
    None
}

/// Make `t` the state after `step`, or say `None` when it is not enabled.
fn next(s: &State, step: &Step, t: &mut State) -> Option<Option<Violation>> {
    t.clone_from(s);
    match step {
        Step::Invoke(c) => {
            let (node, op) = OPS[*c as usize];
            let op_id = t.clients.iter().filter(|c| c.op_id.is_some()).count() as u8;
            let before = (0..OPS.len())
                .filter(|&i| t.clients[i].answer.is_some())
                .fold(0, |m, i| m | 1 << i);
            t.clients[*c as usize] = Client { op_id: Some(op_id), before, answer: None };
            let request = node::Msg::Request { op_id: u64::from(op_id), op };
            send(t, (Addr::Client(*c), Addr::Node(node), request));
            Some(None)
        }
        Step::Deliver(w) => {
            let c = t.wire.get_mut(w)?;
            *c -= 1;
            if *c == 0 {
                t.wire.remove(w);
            }
            let (from, to, msg) = w;
            let mut broken = None;
            match (to, msg, from) {
                (Addr::Client(c), node::Msg::Reply { result, .. }, _) => {
                    t.clients[*c as usize].answer = Some(*result);
                    broken = judge(&t.clients);
                }
                (Addr::Node(dst), node::Msg::Request { op_id, op }, Addr::Client(c)) => {
                    let mut out = Out::default();
                    t.replicas[*dst as usize].on_client_request(
                        &ctx(*dst),
                        *c,
                        *op_id,
                        *op,
                        &mut out,
                    );
                    apply(t, *dst, out);
                }
                (Addr::Node(dst), node::Msg::Quorum(m), _) => {
                    let mut out = Out::default();
                    t.replicas[*dst as usize].on_message(&ctx(*dst), *from, m, &mut out);
                    apply(t, *dst, out);
                }
                _ => {}
            }
            sweep_dead_letters(t);
            Some(broken)
        }
    }
}

/// Remove messages whose delivery would change nothing: an answer (or a
/// query or store whose answer would be) for a request its coordinator has
/// finished, or has this replica's answer to already. States that differ
/// only in such letters are one state.
fn sweep_dead_letters(s: &mut State) {
    use super::{Coordinated, Msg as Q, Phase};
    let replicas = &s.replicas;
    // Whether coordinator `to` still waits for `peer`'s answer to `op` in
    // the phase the answer belongs to.
    let waits = |to: Addr, peer: Addr, op: u64, store: Option<Stamp>| {
        let (Some(to), Some(peer)) = (to.node(), peer.node()) else { return true };
        match (replicas[to as usize].ops.get(&op), store) {
            (Some(Coordinated { phase: Phase::Query { answers }, .. }), None) => {
                !answers.contains_key(&peer)
            }
            (Some(Coordinated { phase: Phase::Store { stamp, acks, .. }, .. }), Some(s)) => {
                *stamp == s && !acks.contains(&peer)
            }
            _ => false,
        }
    };
    s.wire.retain(|(from, to, msg), _| match msg {
        node::Msg::Quorum(Q::QueryReply { op, .. }) => waits(*to, *from, *op, None),
        node::Msg::Quorum(Q::StoreAck { op, stamp }) => waits(*to, *from, *op, Some(*stamp)),
        node::Msg::Quorum(Q::Query { op }) => waits(*from, *to, *op, None),
        node::Msg::Quorum(Q::Store { op, stamp, .. }) => {
            let newer = to.node().is_some_and(|d| *stamp > replicas[d as usize].disk.stamp);
            newer || waits(*from, *to, *op, Some(*stamp))
        }
        _ => true,
    });
}

fn steps(s: &State) -> Vec<Step> {
    let idle = |c: &u32| s.clients[*c as usize].op_id.is_none();
    let mut out: Vec<Step> = (0..OPS.len() as u32).filter(idle).map(Step::Invoke).collect();
    out.extend(s.wire.keys().map(|w| Step::Deliver(w.clone())));
    out
}

/// What the search found.
pub type Report = crate::explore::Report<Step>;

struct Register<'a>(&'a Bounds);

impl crate::explore::Model for Register<'_> {
    type State = State;
    type Step = Step;
    fn initial(&self) -> State {
        initial(self.0)
    }
    fn steps(&self, s: &State) -> Vec<Step> {
        steps(s)
    }
    fn next(&self, s: &State, step: &Step, t: &mut State) -> Option<Option<Violation>> {
        next(s, step, t)
    }
}

/// Search every interleaving, at most `max_states` states, reporting progress.
pub fn explore_with(
    b: &Bounds,
    max_states: u64,
    progress: &mut dyn FnMut(crate::explore::Progress),
) -> Report {
    crate::explore::search_with(&Register(b), max_states, progress)
}

/// Ticks between two steps of a replayed schedule.
pub const STEP_TICKS: u64 = 100;

/// Write a schedule as a scenario that replays it with "you are the
/// network" on: each client's request is a scripted operation at the
/// moment of its step, every delivery a recorded action, one step every
/// [`STEP_TICKS`].
///
/// # Errors
/// When a step cannot be matched in the simulator (which would be a bug).
pub fn counterexample_scenario(b: &Bounds, schedule: &[Step]) -> Result<Scenario, String> {
    let at = |k: usize| (k as u64 + 1) * STEP_TICKS;
    let invokes = schedule.iter().enumerate().filter_map(|(k, s)| match *s {
        Step::Invoke(c) => Some((at(k), c)),
        Step::Deliver(_) => None,
    });
    let mut sim = manual(b, invokes)?;
    for (k, step) in schedule.iter().enumerate() {
        sim.run_until(at(k));
        let Step::Deliver(w) = step else { continue };
        let id = sim
            .world()
            .net()
            .in_flight()
            .find(|m| m.from == w.0 && m.to == w.1 && m.msg == w.2)
            .map(|m| m.id)
            .ok_or_else(|| format!("step {k}: no such message in flight"))?;
        sim.act(ActionKind::DeliverMessage(id)).map_err(|e| e.to_string())?;
    }
    Ok(sim.scenario().clone())
}

/// Where a student starts by hand: the write is sent at tick 100, the reads
/// at 1 000 and 2 000, and nothing arrives unless they deliver it; the clock
/// (play, step) decides which operations overlap.
///
/// # Errors
/// Never for a valid configuration.
pub fn start(b: &Bounds) -> Result<Scenario, String> {
    Ok(manual(b, [(100, 0), (1_000, 1), (2_000, 2)].into_iter())?.scenario().clone())
}

/// The register's run with each client's request sent at its tick, and
/// "you are the network" on from the start.
fn manual(b: &Bounds, invokes: impl Iterator<Item = (u64, u32)>) -> Result<Sim, String> {
    let workload = invokes
        .map(|(at, c)| {
            let (node, op) = OPS[c as usize];
            ScriptedOp { at, client: c, node, op }
        })
        .collect();
    let base = Scenario {
        engine: crate::ENGINE_VERSION,
        protocol: ProtocolConfig::Quorum(b.cfg()),
        network: NetConfig::default(),
        clients: OPS.len() as u32,
        client_timeout_ticks: 5_000_000,
        workload,
        random_workload: None,
        seed: 0,
        actions: Vec::new(),
    };
    let mut sim = Sim::new(base).map_err(|e| e.to_string())?;
    sim.act(ActionKind::ManualNetwork(true)).map_err(|e| e.to_string())?;
    Ok(sim)
}
