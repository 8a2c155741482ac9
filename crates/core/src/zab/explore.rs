//! Exhaustive check of a small Zab configuration (see [`crate::explore`]).
//!
//! Three voters, two client writes, every delivery order the FIFO links
//! allow (each link delivers in order, links interleave freely), losses
//! that break a connection, crash-restarts, and timeouts firing at any
//! moment. Time is abstracted away: a "leader silent", "lost quorum" or
//! "sync too slow" timeout may fire whenever it is armed, within a budget,
//! and re-sent votes within another. Servers' election rounds and epochs and
//! the length of each link's queue are bounded, so the space is finite; the
//! search visits all of it and checks every state with the same
//! [`Invariants`] the simulator uses.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use super::invariants::Invariants;
use super::{
    Durable, Server, Variant, ZabConfig, CONNECT_TIMER, ELECTION_TIMER, FINALIZE_TIMER, INIT_TIMER,
    TICK_TIMER,
};
use crate::explore::{own, rebox, reclaim, search, Hashed, Model};
use crate::net::NetConfig;
use crate::node::{self, Ctx, Effect, Out};
use crate::safety::Violation;
use crate::scenario::{ActionKind, ProtocolConfig, Scenario, ScriptedOp};
use crate::sim::Sim;
use crate::small::{copy_of, copy_over, VecMap, VecSet};
use crate::types::{Addr, ClientOp};
use crate::zab;

/// The configuration explored and its budgets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bounds {
    pub voters: u32,
    /// Client writes, sent to servers 0, 2, 1, … at the start.
    pub writes: u8,
    pub crashes: u8,
    /// Timeouts (leader silent, lost quorum, sync too slow) that may fire.
    pub timeouts: u8,
    /// Votes re-sent by the election timer.
    pub resends: u8,
    /// Messages lost (each breaks its connection).
    pub losses: u8,
    pub max_epoch: u32,
    pub max_round: u64,
    /// Longest queue a link may hold.
    pub queue: usize,
    /// Start from a cluster that has already elected its first leader,
    /// synced and committed the first write (the first election's orders are
    /// explored by a separate, unsettled search); the other writes and the
    /// faults are explored from there.
    pub settled: bool,
    pub variant: Variant,
}

impl Bounds {
    /// From boot: the first election in every order, discovery, sync and two
    /// writes, no faults.
    #[must_use]
    pub fn boot(variant: Variant) -> Self {
        Bounds {
            voters: 3,
            writes: 2,
            crashes: 0,
            timeouts: 0,
            resends: 0,
            losses: 0,
            max_epoch: 1,
            max_round: 1,
            queue: 4,
            settled: false,
            variant,
        }
    }

    /// From a settled epoch 1 with one write committed: a second write, one
    /// crash-restart of any server at any moment (its followers notice), the
    /// second election, discovery and sync of epoch 2.
    #[must_use]
    pub fn second_epoch(variant: Variant) -> Self {
        Bounds { crashes: 1, max_epoch: 2, max_round: 2, settled: true, ..Bounds::boot(variant) }
    }

    fn cfg(&self) -> ZabConfig {
        ZabConfig {
            voters: self.voters,
            observers: 0,
            heartbeat_ticks: 1_000,
            sync_limit_ticks: 1_000,
            election_ticks: 1_000,
            sync_reads: false,
            variant: self.variant,
        }
    }
}

type Link = (Addr, Addr);

/// One move of the schedule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// The first message on a link arrives.
    Deliver(Link),
    /// The first message on a link is lost: the connection breaks.
    Lose(Link),
    /// Crash (losing volatile state, timers and what was on its way in) and
    /// restart from disk.
    CrashRestart(u32),
    Fire {
        node: u32,
        key: u64,
    },
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct State {
    /// Shared between a state and its successors until a step changes one
    /// (most steps change one server): copying a state copies no server.
    servers: Vec<Rc<Hashed<Server>>>,
    /// Shared like the servers: a step that writes to a disk copies the
    /// list, whose disks stay shared.
    disks: Rc<Vec<Option<Rc<Hashed<Durable>>>>>,
    /// Shared: few steps set or cancel a timer.
    timers: Rc<VecSet<(u32, u64)>>,
    /// Each link's messages in order, shared until a step sends on that
    /// link or takes from it.
    wire: VecMap<Link, Rc<Hashed<Queue>>>,
    broken: VecSet<Link>,
    /// Shared like the servers, and copied only by a step whose notes reach it.
    checks: Rc<Hashed<Invariants>>,
    crashes: u8,
    timeouts: u8,
    resends: u8,
    losses: u8,
}

/// Long after every deadline: a timeout that fires finds everyone silent.
const LATE: u64 = u64::MAX / 4;

/// A copy made over another keeps its room: the lists of servers, links
/// and broken links (see [`Model::next`]).
impl Clone for State {
    fn clone(&self) -> Self {
        State {
            servers: copy_of(&self.servers),
            disks: Rc::clone(&self.disks),
            timers: Rc::clone(&self.timers),
            wire: self.wire.clone(),
            broken: self.broken.clone(),
            checks: Rc::clone(&self.checks),
            crashes: self.crashes,
            timeouts: self.timeouts,
            resends: self.resends,
            losses: self.losses,
        }
    }

    fn clone_from(&mut self, source: &Self) {
        copy_over(&mut self.servers, &source.servers);
        self.disks.clone_from(&source.disks);
        self.timers.clone_from(&source.timers);
        self.wire.clone_from(&source.wire);
        self.broken.clone_from(&source.broken);
        self.checks.clone_from(&source.checks);
        self.crashes = source.crashes;
        self.timeouts = source.timeouts;
        self.resends = source.resends;
        self.losses = source.losses;
    }
}

/// A link's messages in order, with their fingerprint.
type Queue = VecDeque<node::Msg>;

fn empty() -> Rc<Hashed<Queue>> {
    Rc::new(Hashed::new(VecDeque::new()))
}

/// Queue `msg` on a link. A queue shared with another state is copied
/// with room for it (a plain copy has none, and the push would move it).
fn push(queue: &mut Rc<Hashed<Queue>>, msg: node::Msg) {
    if Rc::get_mut(queue).is_none() {
        let mut copy = VecDeque::with_capacity(queue.len() + 1);
        copy.extend(queue.iter().cloned());
        copy.push_back(msg);
        *queue = Rc::new(Hashed::new(copy));
    } else {
        Hashed::edit(queue, |q| q.push_back(msg)); // its own: nothing is copied
    }
}

/// Take the first message off a link that holds more than one.
fn pop(queue: &mut Rc<Hashed<Queue>>) -> Option<node::Msg> {
    if Rc::get_mut(queue).is_none() {
        let first = queue.front()?.clone();
        *queue = Rc::new(Hashed::new(queue.iter().skip(1).cloned().collect()));
        Some(first)
    } else {
        Hashed::edit(queue, VecDeque::pop_front)
    }
}

fn ctx(me: u32, now: u64) -> Ctx {
    Ctx { now, me, random: 0 }
}

/// The bounded configuration as a transition system, with the buffer every
/// step's effects pass through (one for the whole search).
struct Zab<'a>(&'a Bounds, RefCell<Out>);

impl<'a> Zab<'a> {
    fn new(b: &'a Bounds) -> Self {
        Zab(b, RefCell::default())
    }
}

impl Zab<'_> {
    /// Carry out one server's effects (leaving `out` empty for the next);
    /// return the first rule they break.
    fn apply(&self, s: &mut State, id: u32, out: &mut Out) -> Option<Violation> {
        let mut broken = None;
        for e in out.effects.drain(..) {
            match e {
                Effect::Send { to: to @ Addr::Node(_), msg } => {
                    let link = (Addr::Node(id), to);
                    if !s.broken.contains(&link) {
                        push(s.wire.get_or(link, empty), msg);
                    }
                }
                // A timer set again or cancelled twice changes nothing.
                Effect::SetTimer { key, .. } if !s.timers.contains(&(id, key)) => {
                    Rc::make_mut(&mut s.timers).insert((id, key));
                }
                Effect::CancelTimer { key } if s.timers.contains(&(id, key)) => {
                    Rc::make_mut(&mut s.timers).remove(&(id, key));
                }
                Effect::Persist(node::Durable::Zab(d)) => {
                    Rc::make_mut(&mut s.disks)[id as usize] = Some(Rc::new(Hashed::new(d)));
                }
                Effect::Note(node::Note::Zab(n)) => {
                    if let Some(v) =
                        Hashed::edit(&mut s.checks, |c| c.observe(id, &n)).into_iter().next()
                    {
                        broken.get_or_insert(v);
                    }
                }
                Effect::Reconnect { peer } | Effect::Redial { peer } => {
                    s.broken.remove(&(Addr::Node(id), peer));
                    s.broken.remove(&(peer, Addr::Node(id)));
                }
                // Replies go to clients, who are not modelled beyond their requests.
                _ => {}
            }
        }
        broken
    }

    /// Run one schedule (links in order, finalize when nothing is on the
    /// wire) until every server is serving and the wire is empty.
    fn settle(&self, s: &mut State, log: &mut Vec<Step>) {
        for _ in 0..10_000 {
            let serving = s.servers.iter().all(|x| x.serving());
            if serving && s.wire.is_empty() {
                break;
            }
            let fire = |key| {
                s.timers.iter().find(|t| t.1 == key).map(|&(node, key)| Step::Fire { node, key })
            };
            let step = s
                .wire
                .keys()
                .next()
                .map(|l| Step::Deliver(*l))
                .or_else(|| fire(FINALIZE_TIMER))
                .or_else(|| fire(CONNECT_TIMER));
            let Some(step) = step else { break };
            let mut t = s.clone();
            if self.transition(s, &step, &mut t).is_none() {
                break;
            }
            *s = t;
            log.push(step);
        }
    }

    fn within_bounds(&self, s: &State) -> bool {
        let b = self.0;
        s.servers.iter().all(|x| x.round <= b.max_round && x.accepted_epoch <= b.max_epoch)
            && s.wire.values().all(|q| q.len() <= b.queue)
    }
}

impl Model for Zab<'_> {
    type State = State;
    type Step = Step;

    fn initial(&self) -> State {
        self.start().0
    }

    fn steps(&self, s: &State) -> Vec<Step> {
        self.enabled(s)
    }

    fn next(&self, s: &State, step: &Step, t: &mut State) -> Option<Option<Violation>> {
        self.transition(s, step, t).filter(|_| self.within_bounds(t))
    }
}

impl Zab<'_> {
    /// The initial state, and the steps that settled it (none from boot).
    fn start(&self) -> (State, Vec<Step>) {
        let mut log = Vec::new();
        let cfg = self.0.cfg();
        let n = cfg.nodes();
        let mut s = State {
            servers: (0..n).map(|i| Rc::new(Hashed::new(Server::new(i, cfg.clone())))).collect(),
            disks: Rc::new(vec![None; n as usize]),
            timers: Rc::default(),
            wire: VecMap::new(),
            broken: VecSet::new(),
            checks: Rc::new(Hashed::new(Invariants::new())),
            crashes: self.0.crashes,
            timeouts: self.0.timeouts,
            resends: self.0.resends,
            losses: self.0.losses,
        };
        for i in 0..n {
            let mut out = Out::default();
            Hashed::edit(&mut s.servers[i as usize], |x| x.on_start(&ctx(i, 0), None, &mut out));
            self.apply(&mut s, i, &mut out);
        }
        let write = |s: &mut State, w: u32| {
            let target = (w * 2) % n;
            let op = ClientOp::Write(u64::from(w) + 1);
            let msg = node::Msg::Request { op_id: u64::from(w), op };
            let link = (Addr::Client(w), Addr::Node(target));
            push(s.wire.get_or(link, empty), msg);
        };
        let mut first = 0;
        if self.0.settled {
            // The first write commits while the cluster settles: a committed
            // transaction the next epoch must keep.
            self.settle(&mut s, &mut log);
            if self.0.writes > 0 {
                write(&mut s, 0);
                first = 1;
                self.settle(&mut s, &mut log);
            }
        }
        for w in first..u32::from(self.0.writes) {
            write(&mut s, w);
        }
        (s, log)
    }

    fn enabled(&self, s: &State) -> Vec<Step> {
        let nodes = if s.crashes > 0 { self.0.cfg().nodes() as usize } else { 0 };
        let mut out = Vec::with_capacity(2 * s.wire.len() + nodes + s.timers.len());
        for link in s.wire.keys() {
            out.push(Step::Deliver(*link));
            if s.losses > 0 && matches!(link.0, Addr::Node(_)) {
                out.push(Step::Lose(*link));
            }
        }
        if s.crashes > 0 {
            for n in 0..self.0.cfg().nodes() {
                out.push(Step::CrashRestart(n));
            }
        }
        for &(node, key) in s.timers.iter() {
            // A timeout that changes nothing (a leader's heartbeat before it
            // is established only pings; a sync deadline is the same story
            // as a silent leader) is left out.
            let server = &s.servers[node as usize];
            let allowed = match key {
                FINALIZE_TIMER | CONNECT_TIMER => true,
                ELECTION_TIMER => s.resends > 0,
                TICK_TIMER => {
                    s.timeouts > 0
                        && match &server.role {
                            super::Role::Leader(l) => l.phase == super::LeaderPhase::Broadcast,
                            _ => true,
                        }
                }
                _ => false,
            };
            if allowed {
                out.push(Step::Fire { node, key });
            }
        }
        out
    }

    /// Make `t` the state after `step`, bounds aside.
    fn transition(&self, s: &State, step: &Step, t: &mut State) -> Option<Option<Violation>> {
        let mut spare = reclaim(t.servers.iter_mut(), s.servers.iter());
        t.clone_from(s);
        let mut buffer = self.1.borrow_mut();
        let out = &mut *buffer;
        out.effects.clear(); // a step that stopped early leaves effects behind
        let broken = match step {
            Step::Deliver(link) => {
                let q = t.wire.get_mut(link)?;
                let msg = if q.len() == 1 {
                    let msg = q.front()?.clone();
                    t.wire.remove(link);
                    msg
                } else {
                    pop(q)?
                };
                let (from, Addr::Node(dst)) = *link else { return None };
                own(&mut t.servers[dst as usize], &mut spare);
                Hashed::edit(&mut t.servers[dst as usize], |server| match (&msg, from) {
                    (node::Msg::Request { op_id, op }, Addr::Client(c)) => {
                        server.on_client_request(&ctx(dst, 0), c, *op_id, *op, out);
                    }
                    (node::Msg::Zab(m), _) => server.on_message(&ctx(dst, 0), from, m, out),
                    _ => {}
                });
                self.apply(t, dst, out)
            }
            Step::Lose(link) => {
                t.losses = t.losses.checked_sub(1)?;
                t.wire.remove(link);
                t.broken.insert(*link);
                None
            }
            Step::CrashRestart(n) => {
                t.crashes = t.crashes.checked_sub(1)?;
                let i = *n as usize;
                let mut fresh = Server::new(*n, self.0.cfg());
                if t.timers.iter().any(|&(x, _)| x == *n) {
                    Rc::make_mut(&mut t.timers).retain(|&(x, _)| x != *n);
                }
                // The new process has fresh connections: what was on its way in is gone.
                t.wire.retain(|(_, to), _| *to != Addr::Node(*n));
                t.broken.retain(|(a, b)| *a != Addr::Node(*n) && *b != Addr::Node(*n));
                fresh.on_start(&ctx(*n, 0), t.disks[i].as_deref().map(|d| &**d), out);
                t.servers[i] = rebox(spare, Hashed::new(fresh));
                let mut broken = self.apply(t, *n, out);
                // A crashed process's connections close: its followers notice
                // at once and go looking (a silent machine is a timeout).
                let followers: Vec<u32> = (0..self.0.cfg().nodes())
                    .filter(|&x| t.servers[x as usize].leader() == Some(*n) && x != *n)
                    .collect();
                for f in followers {
                    Hashed::edit(&mut t.servers[f as usize], |x| {
                        x.on_timer(&ctx(f, LATE), TICK_TIMER, out);
                    });
                    let b = self.apply(t, f, out);
                    broken = broken.or(b);
                }
                broken
            }
            Step::Fire { node, key } => {
                match *key {
                    FINALIZE_TIMER | CONNECT_TIMER => {}
                    ELECTION_TIMER => t.resends = t.resends.checked_sub(1)?,
                    TICK_TIMER | INIT_TIMER => t.timeouts = t.timeouts.checked_sub(1)?,
                    _ => return None,
                }
                Rc::make_mut(&mut t.timers).remove(&(*node, *key));
                own(&mut t.servers[*node as usize], &mut spare);
                Hashed::edit(&mut t.servers[*node as usize], |x| {
                    x.on_timer(&ctx(*node, LATE), *key, out);
                });
                self.apply(t, *node, out)
            }
        };
        Some(broken)
    }
}

/// What the search found.
pub type Report = crate::explore::Report<Step>;

/// Search the bounded space breadth first, at most `max_states` states.
#[must_use]
pub fn explore(b: &Bounds, max_states: u64) -> Report {
    search(&Zab::new(b), max_states)
}

/// [`explore`], reporting progress as it goes.
pub fn explore_with(
    b: &Bounds,
    max_states: u64,
    progress: &mut dyn FnMut(crate::explore::Progress),
) -> Report {
    crate::explore::search_with(&Zab::new(b), max_states, progress)
}

/// Ticks between two steps of a replayed schedule: longer than every
/// timeout of the explored configuration, so a timer fired by hand finds
/// its deadline passed, as the explorer's timers do.
pub const STEP_TICKS: u64 = 1_500;

/// Write a schedule found by [`explore`] as a scenario that replays it with
/// "you are the network" on: the steps that settled the start (if any),
/// then the schedule, one step every [`STEP_TICKS`]; the breaking step is
/// the last action. A crash-restart is a crash, a restart, and the crashed
/// leader's followers noticing (their tick timer fired).
///
/// # Errors
/// When a step cannot be matched in the simulator.
pub fn counterexample_scenario(b: &Bounds, schedule: &[Step]) -> Result<Scenario, String> {
    let cfg = b.cfg();
    let n = cfg.nodes();
    let writes = u32::from(b.writes);
    let base = Scenario {
        engine: crate::ENGINE_VERSION,
        protocol: ProtocolConfig::Zab(cfg),
        // Zab runs over TCP, as the explorer models it: a lost message
        // breaks its connection.
        network: NetConfig { fifo: true, ..NetConfig::default() },
        clients: writes.max(1),
        client_timeout_ticks: 50_000_000,
        workload: (0..writes)
            .map(|w| ScriptedOp {
                at: 1,
                client: w,
                node: (w * 2) % n,
                op: ClientOp::Write(u64::from(w) + 1),
            })
            .collect(),
        random_workload: None,
        seed: 0,
        actions: Vec::new(),
    };
    let mut sim = Sim::new(base).map_err(|e| e.to_string())?;
    let act = |sim: &mut Sim, kind| sim.act(kind).map_err(|e| e.to_string());
    act(&mut sim, ActionKind::ManualNetwork(true))?;
    let (_, settled) = Zab::new(b).start();
    for step in settled.iter().chain(schedule) {
        sim.run_until(sim.now() + STEP_TICKS);
        match step {
            Step::Deliver(link) | Step::Lose(link) => {
                let id = sim
                    .world()
                    .net()
                    .in_flight()
                    .filter(|m| (m.from, m.to) == *link)
                    .map(|m| m.id)
                    .min()
                    .ok_or_else(|| {
                        format!("step {}: nothing in flight there", sim.scenario().actions.len())
                    })?;
                let kind = if matches!(step, Step::Lose(_)) {
                    ActionKind::DropMessage(id)
                } else {
                    ActionKind::DeliverMessage(id)
                };
                act(&mut sim, kind)?;
            }
            Step::CrashRestart(x) => {
                let followers: Vec<u32> = (0..n)
                    .filter(|&f| {
                        f != *x
                            && sim.world().zab_server(f).and_then(zab::Server::leader) == Some(*x)
                    })
                    .collect();
                act(&mut sim, ActionKind::Crash(*x))?;
                // Its connections die with it: what was on its way in never
                // reaches the new process (the explorer drops it too).
                let incoming: Vec<u64> = sim
                    .world()
                    .net()
                    .in_flight()
                    .filter(|m| m.to == Addr::Node(*x))
                    .map(|m| m.id)
                    .collect();
                for id in incoming {
                    act(&mut sim, ActionKind::DropMessage(id))?;
                }
                act(&mut sim, ActionKind::Restart(*x))?;
                for f in followers {
                    act(&mut sim, ActionKind::FireTimer { node: f, key: TICK_TIMER })?;
                }
            }
            Step::Fire { node, key } => {
                act(&mut sim, ActionKind::FireTimer { node: *node, key: *key })?;
            }
        }
    }
    Ok(sim.scenario().clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A random walk of `len` steps through the explorer's model.
    fn walk(b: &Bounds, seed: u64, len: usize) -> (State, Vec<Step>) {
        walk_visiting(b, seed, len, |_, _| {})
    }

    /// A random walk that shows `visit` every state it passes through.
    fn walk_visiting(
        b: &Bounds,
        seed: u64,
        len: usize,
        mut visit: impl FnMut(&Zab<'_>, &State),
    ) -> (State, Vec<Step>) {
        let z = Zab::new(b);
        let mut rng = crate::rng::SimRng::new(seed);
        let mut s = z.initial();
        let mut schedule = Vec::new();
        for _ in 0..len {
            visit(&z, &s);
            let mut next: Vec<(Step, State)> = z
                .steps(&s)
                .into_iter()
                .filter_map(|step| {
                    let mut t = s.clone();
                    z.next(&s, &step, &mut t).map(|_| (step, t))
                })
                .collect();
            if next.is_empty() {
                break;
            }
            let pick = rng.range(0, next.len() as u64 - 1) as usize;
            let (step, t) = next.swap_remove(pick);
            schedule.push(step);
            s = t;
        }
        (s, schedule)
    }

    #[test]
    fn every_walk_through_the_explorer_is_a_run_of_the_simulator() {
        // The explorer models the simulator with a student's hands on the
        // network: a walk replays there step for step (a step it cannot
        // match is an error), and ends with each server, its log, its armed
        // timers and the broken connections as the explorer has them: from
        // boot, from a settled epoch with a crash, and with timeouts, a
        // re-sent vote and lost messages (broken connections) too.
        for b in
            [Bounds::boot(Variant::Faithful), Bounds::second_epoch(Variant::Faithful), faults()]
        {
            let mut steps = 0;
            for seed in 0..12 {
                let (s, schedule) = walk(&b, seed, 40);
                steps += schedule.len();
                let scenario = counterexample_scenario(&b, &schedule)
                    .unwrap_or_else(|e| panic!("seed {seed}: {e}: {schedule:?}"));
                let end = scenario.actions.last().map_or(0, |a| a.tick);
                let mut sim = Sim::new(scenario).expect("a valid scenario");
                sim.run_until(end);
                for (i, x) in s.servers.iter().enumerate() {
                    let id = i as u32;
                    let y = sim.world().zab_server(id).expect("a Zab server");
                    let at = format!("seed {seed}, server {i} after {schedule:?}");
                    assert_eq!((x.state, x.round, x.vote), (y.state, y.round, y.vote), "{at}");
                    assert_eq!(
                        (x.accepted_epoch, x.current_epoch),
                        (y.accepted_epoch, y.current_epoch),
                        "{at}"
                    );
                    assert_eq!(
                        (&x.log, x.committed, x.value),
                        (&y.log, y.committed, y.value),
                        "{at}"
                    );
                    let armed: Vec<u64> =
                        s.timers.iter().filter(|t| t.0 == id).map(|t| t.1).collect();
                    let there: Vec<u64> = sim.world().nodes()[i].timers().map(|t| t.0).collect();
                    assert_eq!(armed, there, "{at}: timers");
                }
                let ends: Vec<Addr> = (0..b.voters)
                    .map(Addr::Node)
                    .chain((0..b.writes).map(|c| Addr::Client(u32::from(c))))
                    .collect();
                for (&from, &to) in ends.iter().flat_map(|a| ends.iter().map(move |b| (a, b))) {
                    assert_eq!(
                        s.broken.contains(&(from, to)),
                        sim.world().net().is_broken(from, to),
                        "seed {seed}: is {from:?}->{to:?} broken, after {schedule:?}"
                    );
                }
            }
            assert!(steps > 12 * 15, "the walks are long: {steps} steps");
        }
    }

    /// The fault walks' bounds: timeouts, a re-sent vote, losses.
    fn faults() -> Bounds {
        Bounds {
            timeouts: 2,
            resends: 1,
            losses: 2,
            max_epoch: 3,
            max_round: 3,
            ..Bounds::second_epoch(Variant::Faithful)
        }
    }

    #[test]
    fn a_step_past_a_bound_is_not_taken_and_every_bound_is_reached() {
        // Each bound (rounds, epochs, a link's queue) refuses the steps that
        // would pass it on its own, and nothing else is refused.
        let mut refused = [0usize; 3];
        let tight = Bounds { max_round: 2, max_epoch: 1, queue: 2, ..faults() };
        for b in [Bounds::boot(Variant::Faithful), faults(), tight] {
            for seed in 0..12 {
                walk_visiting(&b, seed, 40, |z, s| {
                    for step in z.steps(s) {
                        let (mut raw, mut kept) = (s.clone(), s.clone());
                        let made = z.transition(s, &step, &mut raw).is_some();
                        let past = [
                            raw.servers.iter().any(|x| x.round > b.max_round),
                            raw.servers.iter().any(|x| x.accepted_epoch > b.max_epoch),
                            raw.wire.values().any(|q| q.len() > b.queue),
                        ];
                        let taken = z.next(s, &step, &mut kept).is_some();
                        assert_eq!(taken, made && !past.contains(&true), "{step:?}");
                        for (n, p) in refused.iter_mut().zip(past) {
                            *n += usize::from(made && p);
                        }
                    }
                });
            }
        }
        assert!(refused.iter().all(|&n| n > 0), "every bound refuses a step: {refused:?}");
    }

    /// Every step that could be tried in `s`: each link's first message
    /// delivered or lost, each server crashed, each armed timer fired.
    fn every_step(z: &Zab<'_>, s: &State) -> Vec<Step> {
        let links = s.wire.keys().flat_map(|l| [Step::Deliver(*l), Step::Lose(*l)]);
        let crashes = (0..z.0.cfg().nodes()).map(Step::CrashRestart);
        let timers = s.timers.iter().map(|&(node, key)| Step::Fire { node, key });
        links.chain(crashes).chain(timers).collect()
    }

    /// The steps the explorer leaves out on purpose: a client's request is
    /// not lost (clients are not modelled beyond it), a sync deadline is the
    /// same story as a silent leader, and a leader's heartbeat before it is
    /// established only pings.
    fn left_out_on_purpose(s: &State, step: &Step) -> bool {
        match *step {
            Step::Lose((from, _)) => matches!(from, Addr::Client(_)),
            Step::Fire { key: INIT_TIMER, .. } => true,
            Step::Fire { node, key: TICK_TIMER } => matches!(
                &s.servers[node as usize].role,
                super::super::Role::Leader(l) if l.phase != super::super::LeaderPhase::Broadcast
            ),
            _ => false,
        }
    }

    #[test]
    fn the_explorer_offers_every_step_its_budgets_allow_and_no_other() {
        // A step offered is one the budgets allow (bounds aside); a step
        // not offered is refused, or left out on purpose. Each kind of step
        // is offered somewhere in the walks.
        let mut kinds = crate::small::VecSet::new();
        for b in
            [Bounds::boot(Variant::Faithful), Bounds::second_epoch(Variant::Faithful), faults()]
        {
            for seed in 0..12 {
                walk_visiting(&b, seed, 40, |z, s| {
                    let offered = z.enabled(s);
                    let all = every_step(z, s);
                    assert!(offered.iter().all(|x| all.contains(x)), "{offered:?}");
                    for step in all {
                        let taken = z.transition(s, &step, &mut s.clone()).is_some();
                        if offered.contains(&step) {
                            assert!(taken, "{step:?} is offered but refused");
                            kinds.insert(match step {
                                Step::Fire { key, .. } => format!("fire {key}"),
                                other => format!("{other:?}").chars().take(4).collect(),
                            });
                        } else if taken {
                            assert!(left_out_on_purpose(s, &step), "{step:?} is left out");
                        }
                    }
                });
            }
        }
        let kinds: Vec<_> = kinds.into_iter().collect();
        assert_eq!(kinds, ["Cras", "Deli", "Lose", "fire 1", "fire 2", "fire 3", "fire 5"]);
    }

    #[test]
    fn a_settled_start_with_no_writes_has_nothing_on_the_wire_and_nothing_committed() {
        let b = Bounds { writes: 0, ..Bounds::second_epoch(Variant::Faithful) };
        let s = Zab::new(&b).initial();
        assert!(s.servers.iter().all(|x| x.serving() && x.committed == 0));
        assert!(s.wire.is_empty());
    }

    #[test]
    fn a_settled_start_has_an_established_leader_and_serving_followers() {
        let b = Bounds::second_epoch(Variant::Faithful);
        let s = Zab::new(&b).initial();
        assert!(s.servers.iter().all(|x| x.serving()));
        assert!(s.servers.iter().all(|x| x.accepted_epoch == 1));
        assert!(
            s.servers.iter().all(|x| x.committed == crate::zab::zxid(1, 1)),
            "the first write committed"
        );
        assert_eq!(
            s.wire.len(),
            usize::from(b.writes) - 1,
            "only the other writes are on the wire"
        );
    }
}
