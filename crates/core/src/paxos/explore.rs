//! Exhaustive exploration of a small Paxos configuration.
//!
//! Where the simulator follows one schedule, the explorer follows all of
//! them: from every state it tries every message delivery in any order
//! (reordering), every duplication and every crash within its budget, and
//! every armed timer firing early.
//!
//! Two reductions keep the space small without losing a safety violation.
//! A crash is followed at once by the restart: while a node is down it sends
//! nothing and what reaches it is dropped, which is the same, for safety, as
//! those messages never being delivered — a schedule the explorer already
//! tries. For the same reason loss is no step at all: a lost message is one
//! never delivered (Paxos's links keep no order, so nothing waits behind
//! it), and every state a loss could lead to is one where the message is
//! still on the wire and never taken. And answers a
//! proposer will ignore forever (a promise, acceptance or rejection for a
//! number it has moved past — its numbers only grow) are swept off the wire,
//! so states that differ only in such dead letters are one state. That last
//! reduction is off for the variant that reuses numbers, where old answers
//! can come alive again. Proposer rounds
//! are bounded, so the space is finite; it is searched breadth first, and
//! every state is checked with the same [`Invariants`] the simulator uses.
//! A violation comes back as the shortest schedule that reaches it, and
//! [`counterexample_scenario`] writes that schedule as a scenario (a share
//! link) that replays it in the app.

use std::cell::RefCell;
use std::rc::Rc;

use std::hash::{Hash, Hasher};

use crate::explore::{fingerprint, rebox, reclaim, Hashed};
use crate::small::{copy_of, copy_over, VecMap, VecSet};

use super::invariants::{Invariants, Rule, Violation};
use super::{Durable, Node, PaxosConfig, Role, Variant};
use crate::net::NetConfig;
use crate::node::{self, Ctx, Effect, Out};
use crate::scenario::{ActionKind, ProtocolConfig, Scenario, ScriptedOp};
use crate::sim::Sim;
use crate::types::{Addr, ClientOp};

/// The configuration explored and its budgets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bounds {
    pub proposers: u32,
    pub acceptors: u32,
    /// Highest round i a proposer may reach.
    pub max_round: u64,
    /// Rounds P0 may go beyond `max_round`.
    pub first_extra: u64,
    pub crashes: u8,
    pub duplicates: u8,
    pub variant: Variant,
    /// Stop at an internal rule too (an early warning), not only at damage.
    pub warnings: bool,
}

impl Bounds {
    /// The configuration the test suite explores completely: two proposers
    /// with one round each, three acceptors, one crash-restart of any node,
    /// one duplicated message, any delivery order. Loss needs no budget: a
    /// lost message is one never delivered, a schedule already explored.
    #[must_use]
    pub fn small(variant: Variant) -> Self {
        Bounds {
            proposers: 2,
            acceptors: 3,
            max_round: 1,
            first_extra: 0,
            crashes: 1,
            duplicates: 1,
            variant,
            warnings: false,
        }
    }

    /// [`Bounds::small`] where P0 has a second round: its promise set can
    /// then hold two different accepted proposals (its own first one and
    /// P1's), so which one it adopts matters — the rule Paxos rests on. No
    /// crash or duplicate is needed for that; a second round for P1 as well
    /// does not fit in memory with this breadth-first search.
    #[must_use]
    pub fn two_rounds(variant: Variant) -> Self {
        Bounds { first_extra: 1, crashes: 0, duplicates: 0, ..Bounds::small(variant) }
    }

    fn cfg(&self) -> PaxosConfig {
        PaxosConfig {
            proposers: self.proposers,
            acceptors: self.acceptors,
            backoff: false,
            retry_ticks: 1_000_000,
            collect_ticks: 0,
            variant: self.variant,
            learners: 0,
        }
    }
}

type Wire = (Addr, Addr, node::Msg);

/// One move of the schedule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    Deliver(Wire),
    /// Deliver a message and leave a copy on the wire: the network
    /// duplicated it. (Creating the copy any earlier only makes states that
    /// differ in a count, never new behaviour.)
    Duplicate(Wire),
    /// Crash (losing volatile state and timers) and restart from disk.
    CrashRestart(u32),
    Fire {
        node: u32,
        key: u64,
    },
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct State {
    /// Shared between a state and its successors until a step changes one
    /// (a step changes one node): copying a state then copies no node.
    /// Each node with its disk (one allocation to copy both); a node's
    /// fingerprint is worked out once, when a step makes it.
    nodes: Vec<(Rc<Hashed<Node>>, Option<Durable>)>,
    /// Shared: few steps set or cancel a timer.
    timers: Rc<VecSet<(u32, u64)>>,
    wire: WireSet,
    /// Its parts are shared like the nodes, and copied by a step whose
    /// notes change them.
    checks: Invariants,
    crashes: u8,
    duplicates: u8,
}

/// A copy made over another keeps its room: the list of nodes, the wire
/// (see [`crate::explore::Model::next`]).
impl Clone for State {
    fn clone(&self) -> Self {
        State {
            nodes: copy_of(&self.nodes),
            timers: Rc::clone(&self.timers),
            wire: self.wire.clone(),
            checks: self.checks.clone(),
            crashes: self.crashes,
            duplicates: self.duplicates,
        }
    }

    fn clone_from(&mut self, source: &Self) {
        copy_over(&mut self.nodes, &source.nodes);
        self.timers.clone_from(&source.timers);
        self.wire.msgs.clone_from(&source.wire.msgs);
        self.wire.hash = source.wire.hash;
        self.checks.clone_from(&source.checks);
        self.crashes = source.crashes;
        self.duplicates = source.duplicates;
    }
}

/// The messages on the wire, as a multiset, with a fingerprint kept up to
/// date as they come and go (the sum of theirs): a state's fingerprint then
/// costs one word for the wire, not a pass over every message on it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct WireSet {
    msgs: VecMap<Wire, u8>,
    hash: u64,
}

impl Hash for WireSet {
    fn hash<H: Hasher>(&self, h: &mut H) {
        h.write_u64(self.hash);
    }
}

impl WireSet {
    fn add(&mut self, w: Wire) {
        self.hash = self.hash.wrapping_add(fingerprint(&w));
        *self.msgs.get_or(w, || 0) += 1;
    }

    fn take(&mut self, w: &Wire) {
        if let Some(c) = self.msgs.get_mut(w) {
            *c -= 1;
            if *c == 0 {
                self.msgs.remove(w);
            }
            self.hash = self.hash.wrapping_sub(fingerprint(w));
        }
    }

    fn retain(&mut self, mut keep: impl FnMut(&Wire) -> bool) {
        let mut gone = 0u64;
        self.msgs.retain(|w, c| {
            let kept = keep(w);
            if !kept {
                gone = gone.wrapping_add(fingerprint(w).wrapping_mul(u64::from(*c)));
            }
            kept
        });
        self.hash = self.hash.wrapping_sub(gone);
    }
}

fn initial(b: &Bounds) -> State {
    let cfg = b.cfg();
    let n = cfg.nodes();
    let mut wire = WireSet::default();
    for j in 0..b.proposers {
        let op = ClientOp::Write(u64::from(j) + 1);
        let msg = node::Msg::Request { op_id: u64::from(j), op };
        wire.add((Addr::Client(j), Addr::Node(b.acceptors + j), msg));
    }
    State {
        nodes: (0..n).map(|i| (Rc::new(Hashed::new(Node::new(i, cfg.clone()))), None)).collect(),
        timers: Rc::default(),
        wire,
        checks: Invariants::new(&cfg),
        crashes: b.crashes,
        duplicates: b.duplicates,
    }
}

/// Carry out one node's effects (leaving `out` empty, for the next step to
/// reuse); return the first violation they cause.
fn apply(b: &Bounds, s: &mut State, id: u32, out: &mut Out) -> Option<Violation> {
    let mut broken = None;
    for e in out.effects.drain(..) {
        match e {
            // The announcement of a chosen value is left out: whether two
            // values can be chosen is decided by the acceptors' votes, which
            // the checker sees; dropping it keeps the space small.
            Effect::Send { msg: node::Msg::Paxos(super::Msg::Chosen { .. }), .. } => {}
            Effect::Send { to, msg } => s.wire.add((Addr::Node(id), to, msg)),
            Effect::SetTimer { key, .. } => {
                Rc::make_mut(&mut s.timers).insert((id, key));
            }
            Effect::CancelTimer { key } => {
                if s.timers.contains(&(id, key)) {
                    Rc::make_mut(&mut s.timers).remove(&(id, key));
                }
            }
            Effect::Persist(node::Durable::Paxos(d)) => s.nodes[id as usize].1 = Some(d),
            Effect::Note(node::Note::Paxos(n)) => {
                // Only damage stops the search: a rule about what was chosen.
                // The others (Max_N going down, a number reused) are early
                // warnings of it, written knowing the implementation.
                let stops = |v: &Violation| b.warnings || is_damage(v.rule);
                if let Some(v) = s.checks.observe(id, &n).into_iter().find(stops) {
                    broken.get_or_insert(v);
                }
            }
            // Replies go to clients, who are not modelled beyond their request.
            Effect::Reply { .. }
            | Effect::Persist(_)
            | Effect::Note(_)
            | Effect::Reconnect { .. }
            | Effect::Redial { .. } => {}
        }
    }
    broken
}

/// A rule about what was chosen, which clients and learners see.
fn is_damage(rule: Rule) -> bool {
    matches!(rule, Rule::TwoValuesChosen | Rule::LearnersDisagree | Rule::ChosenNotProposed)
}

/// Make `t` the state after `step`, or say `None` when the step is not
/// enabled or leaves the bounds; with the violation the step caused.
///
/// The stepped node is worked out first, and the state copied only when
/// the step stays within the bounds (a quarter of the steps tried do not:
/// a proposer's timer or rejection that would start a round past its last).
fn next(
    b: &Bounds,
    s: &State,
    step: &Step,
    out: &mut Out,
    t: &mut State,
) -> Option<Option<Violation>> {
    let ctx = |me| Ctx { now: 0, me, random: 0 };
    let (id, node) = match step {
        Step::Deliver(w) | Step::Duplicate(w) => {
            if matches!(step, Step::Duplicate(_)) && s.duplicates == 0 {
                return None;
            }
            let (from, to, msg) = w;
            let Addr::Node(dst) = *to else { return None };
            let mut node = Node::clone(&s.nodes[dst as usize].0);
            match (msg, from) {
                (node::Msg::Request { op_id, op }, Addr::Client(c)) => {
                    node.on_client_request(&ctx(dst), *c, *op_id, *op, out);
                }
                (node::Msg::Paxos(m), _) => node.on_message(&ctx(dst), *from, m, out),
                _ => {}
            }
            (dst, node)
        }
        Step::CrashRestart(n) => {
            if s.crashes == 0 {
                return None;
            }
            let mut fresh = Node::new(*n, b.cfg());
            fresh.on_start(&ctx(*n), s.nodes[*n as usize].1.as_ref(), out);
            (*n, fresh)
        }
        Step::Fire { node: id, key } => {
            let mut node = Node::clone(&s.nodes[*id as usize].0);
            node.on_timer(&ctx(*id), *key, out);
            (*id, node)
        }
    };
    // Only the stepped node changed: the others are within the bounds.
    let limit = |j: u32| b.max_round + if j == 0 { b.first_extra } else { 0 };
    if matches!(&node.role, Role::Proposer(p) if p.round > limit(p.j)) {
        return None;
    }
    let spare = reclaim(t.nodes.iter_mut().map(|(n, _)| n), s.nodes.iter().map(|(n, _)| n));
    t.clone_from(s);
    match step {
        Step::Deliver(w) => t.wire.take(w),
        Step::Duplicate(_) => t.duplicates -= 1,
        Step::CrashRestart(n) => {
            t.crashes -= 1;
            if t.timers.iter().any(|&(x, _)| x == *n) {
                Rc::make_mut(&mut t.timers).retain(|&(x, _)| x != *n);
            }
        }
        Step::Fire { node, key } => {
            Rc::make_mut(&mut t.timers).remove(&(*node, *key));
        }
    }
    t.nodes[id as usize].0 = rebox(spare, Hashed::new(node));
    let broken = apply(b, t, id, out);
    if b.variant != Variant::ReuseNumbers {
        sweep_dead_letters(t);
    }
    Some(broken)
}

/// Remove answers no proposer will ever act on again.
fn sweep_dead_letters(s: &mut State) {
    use super::{Msg as P, Phase};
    let nodes = &s.nodes;
    s.wire.retain(|(_, to, msg)| {
        let Addr::Node(dst) = *to else { return true };
        let Role::Proposer(p) = &nodes[dst as usize].0.role else { return true };
        let node::Msg::Paxos(m) = msg else { return true };
        match (m, &p.phase) {
            (P::Promise { n, .. }, Phase::Preparing { n: cur, .. }) => n == cur,
            (P::Accepted { n }, Phase::Accepting { n: cur, .. }) => n == cur,
            (
                P::Reject { n, .. },
                Phase::Preparing { n: cur, .. } | Phase::Accepting { n: cur, .. },
            ) => n == cur,
            (P::Promise { .. } | P::Accepted { .. } | P::Reject { .. }, _) => false,
            _ => true,
        }
    });
}

fn steps(b: &Bounds, s: &State) -> Vec<Step> {
    let nodes = if s.crashes > 0 { b.cfg().nodes() as usize } else { 0 };
    let mut out = Vec::with_capacity(2 * s.wire.msgs.len() + nodes + s.timers.len());
    for w in s.wire.msgs.keys() {
        out.push(Step::Deliver(w.clone()));
        if s.duplicates > 0 {
            out.push(Step::Duplicate(w.clone()));
        }
    }
    if s.crashes > 0 {
        for n in 0..b.cfg().nodes() {
            out.push(Step::CrashRestart(n));
        }
    }
    for &(node, key) in s.timers.iter() {
        out.push(Step::Fire { node, key });
    }
    out
}

/// What the search found.
pub type Report = crate::explore::Report<Step>;

/// The bounded Paxos configuration as a transition system, with the
/// buffer every step's effects pass through (one for the whole search).
struct Paxos<'a>(&'a Bounds, RefCell<Out>);

impl crate::explore::Model for Paxos<'_> {
    type State = State;
    type Step = Step;
    fn initial(&self) -> State {
        initial(self.0)
    }
    fn steps(&self, s: &State) -> Vec<Step> {
        steps(self.0, s)
    }
    fn next(&self, s: &State, step: &Step, t: &mut State) -> Option<Option<Violation>> {
        let mut out = self.1.borrow_mut();
        out.effects.clear(); // a step that stopped early leaves effects behind
        next(self.0, s, step, &mut out, t)
    }
}

/// Search the bounded space breadth first, at most `max_states` states.
#[must_use]
pub fn explore(b: &Bounds, max_states: u64) -> Report {
    crate::explore::search(&Paxos(b, RefCell::default()), max_states)
}

/// [`explore`], reporting progress as it goes.
pub fn explore_with(
    b: &Bounds,
    max_states: u64,
    progress: &mut dyn FnMut(crate::explore::Progress),
) -> Report {
    crate::explore::search_with(&Paxos(b, RefCell::default()), max_states, progress)
}

/// Ticks between two steps of a replayed schedule, so that each step is a
/// moment of its own on the timeline.
pub const STEP_TICKS: u64 = 100;

/// Write a schedule found by [`explore`] as a scenario that replays it, as a
/// student would by hand: "you are the network" is on from the start, so
/// nothing arrives and no timer fires by itself, and every delivery,
/// duplication, crash, restart and timer is a recorded action, one every
/// [`STEP_TICKS`]. The last step, the one that breaks the rule, is at the
/// last action's tick.
///
/// # Errors
/// When a step cannot be matched in the simulator (which would be a bug).
pub fn counterexample_scenario(b: &Bounds, schedule: &[Step]) -> Result<Scenario, String> {
    let cfg = b.cfg();
    let base = Scenario {
        engine: crate::ENGINE_VERSION,
        protocol: ProtocolConfig::Paxos(cfg),
        network: NetConfig::default(),
        clients: b.proposers,
        client_timeout_ticks: 5_000_000,
        workload: (0..b.proposers)
            .map(|j| ScriptedOp {
                at: 1,
                client: j,
                node: b.acceptors + j,
                op: ClientOp::Write(u64::from(j) + 1),
            })
            .collect(),
        random_workload: None,
        seed: 0,
        actions: Vec::new(),
    };
    let mut sim = Sim::new(base).map_err(|e| e.to_string())?;
    let act = |sim: &mut Sim, kind| sim.act(kind).map_err(|e| e.to_string());
    act(&mut sim, ActionKind::ManualNetwork(true))?;
    for step in schedule {
        sim.run_until(sim.now() + STEP_TICKS);
        let find = |sim: &Sim, w: &Wire| {
            sim.world()
                .net()
                .in_flight()
                .find(|m| m.from == w.0 && m.to == w.1 && m.msg == w.2)
                .map(|m| m.id)
                .ok_or_else(|| {
                    format!("step {}: no such message in flight", sim.scenario().actions.len())
                })
        };
        let kind = match step {
            Step::Deliver(w) => ActionKind::DeliverMessage(find(&sim, w)?),
            Step::Duplicate(w) => {
                let id = find(&sim, w)?;
                act(&mut sim, ActionKind::DuplicateMessage(id))?;
                ActionKind::DeliverMessage(id)
            }
            Step::CrashRestart(n) => {
                act(&mut sim, ActionKind::Crash(*n))?;
                ActionKind::Restart(*n)
            }
            Step::Fire { node, key } => ActionKind::FireTimer { node: *node, key: *key },
        };
        act(&mut sim, kind)?;
    }
    Ok(sim.scenario().clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn afresh(w: &WireSet) -> u64 {
        w.msgs
            .iter()
            .fold(0u64, |h, (m, &c)| h.wrapping_add(fingerprint(m).wrapping_mul(u64::from(c))))
    }

    #[test]
    fn the_wire_fingerprint_kept_as_messages_come_and_go_is_the_one_worked_out_afresh() {
        let msg = |n| node::Msg::Paxos(super::super::Msg::Prepare { n });
        let w = |to, n| (Addr::Node(3), Addr::Node(to), msg(n));
        let mut wire = WireSet::default();
        for (to, n) in [(0, 1), (1, 1), (0, 1), (2, 6), (1, 6)] {
            wire.add(w(to, n));
        }
        assert_eq!(wire.hash, afresh(&wire));
        wire.take(&w(0, 1));
        wire.take(&w(2, 6));
        wire.take(&w(2, 6)); // no longer there: nothing changes
        assert_eq!(wire.hash, afresh(&wire));
        wire.add(w(0, 1));
        wire.retain(|(_, to, _)| *to != Addr::Node(0));
        assert_eq!(wire.msgs.len(), 2);
        assert_eq!(wire.hash, afresh(&wire));
        let mut other = WireSet::default();
        other.add(w(1, 6));
        other.add(w(1, 1));
        assert_eq!(other.hash, wire.hash, "the same messages, added in another order");
    }
}
