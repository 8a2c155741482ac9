//! The counterexample search a student starts from the page, on the
//! protocol, variant and settings on show.
//!
//! A run's configuration is mapped to the explorer's bounds when it is
//! small enough to search (Paxos: at most 3 acceptors and 2 proposers; Zab:
//! 3 voters, no observers; Quorum: 3 replicas). The search goes in stages, the cheap one first:
//! a short counterexample is found sooner, and each stage that completes
//! proves what it covered even if a later one runs out of budget. Paxos
//! first tries every delivery order with no fault, then adds a
//! crash-restart of any node and a duplicated message; Zab first explores
//! the boot (the first election, discovery, sync and two writes), then a
//! settled epoch with a crash-restart and the second election. Quorum (3
//! replicas) tries every interleaving of one write and two reads.
//!
//! A violation comes back with its schedule written as a scenario that
//! replays it ("you are the network" on, one step every
//! [`STEP_TICKS`](crate::paxos::explore::STEP_TICKS)), checked by replaying
//! it: the rule must break at the last step and not before.

use crate::explore::Progress;
use crate::paxos::explore as px;
use crate::quorum::explore as qx;
use crate::safety::{Rule, Violation};
use crate::scenario::{ProtocolConfig, Scenario};
use crate::sim::Sim;
use crate::types::Tick;
use crate::zab::explore as zx;

/// Largest Paxos configuration searched.
pub const MAX_ACCEPTORS: u32 = 3;
pub const MAX_PROPOSERS: u32 = 2;
/// The Zab configuration searched.
pub const ZAB_VOTERS: u32 = 3;
/// The Quorum configuration searched.
pub const REPLICAS: u32 = qx::REPLICAS;

/// One stage of a search.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Space {
    Paxos(px::Bounds),
    Zab(zx::Bounds),
    Quorum(qx::Bounds),
}

/// Why a run cannot be searched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unsearchable {
    /// No explorer for this protocol.
    Protocol,
    /// Too many of `what`: at most `max`, the run has `got`.
    TooBig { what: Part, max: u32, got: u32 },
}

/// What a configuration has too many of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Acceptors,
    Proposers,
    Voters,
    Observers,
    Replicas,
}

/// The stages that search the run's configuration, cheapest first.
///
/// # Errors
/// When the run's protocol has no explorer or its configuration is too big.
pub fn stages(s: &Scenario) -> Result<Vec<Space>, Unsearchable> {
    let too_big = |what, max, got| Err(Unsearchable::TooBig { what, max, got });
    match &s.protocol {
        ProtocolConfig::Paxos(c) => {
            if c.acceptors > MAX_ACCEPTORS {
                return too_big(Part::Acceptors, MAX_ACCEPTORS, c.acceptors);
            }
            if c.proposers > MAX_PROPOSERS {
                return too_big(Part::Proposers, MAX_PROPOSERS, c.proposers);
            }
            let full = px::Bounds {
                acceptors: c.acceptors,
                proposers: c.proposers,
                ..px::Bounds::small(c.variant)
            };
            let calm = px::Bounds { crashes: 0, duplicates: 0, ..full.clone() };
            Ok(vec![Space::Paxos(calm), Space::Paxos(full)])
        }
        ProtocolConfig::Zab(c) => {
            if c.voters != ZAB_VOTERS {
                return too_big(Part::Voters, ZAB_VOTERS, c.voters);
            }
            if c.observers > 0 {
                return too_big(Part::Observers, 0, c.observers);
            }
            Ok(vec![
                Space::Zab(zx::Bounds::boot(c.variant)),
                Space::Zab(zx::Bounds::second_epoch(c.variant)),
            ])
        }
        ProtocolConfig::Quorum(c) => {
            if c.n != REPLICAS {
                return too_big(Part::Replicas, REPLICAS, c.n);
            }
            let b = qx::Bounds { w: c.w, r: c.r, write_back: c.write_back };
            Ok(vec![Space::Quorum(b)])
        }
        ProtocolConfig::Eventual(_) => Err(Unsearchable::Protocol),
    }
}

/// Most states one stage may visit in the page before it gives up: the
/// search keeps every state it has seen in memory, and the page's memory is
/// the student's. The native bench uses it too, to time the same searches.
pub const PAGE_MAX_STATES: u64 = 2_500_000;

/// What one stage found.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stage {
    pub states: u64,
    pub transitions: u64,
    pub depth: usize,
    /// The stage's whole bounded space was searched.
    pub complete: bool,
}

/// A rule broken, the shortest schedule that breaks it, and that schedule
/// as a run when it replays.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub violation: Violation,
    /// Steps in the schedule.
    pub steps: usize,
    /// The scenario that replays it and the tick of the breaking step.
    pub replay: Option<(Scenario, Tick)>,
}

/// What a search found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The stages searched, in order.
    pub stages: Vec<Stage>,
    pub found: Option<Found>,
}

impl Outcome {
    /// Every stage was searched completely and nothing broke.
    #[must_use]
    pub fn safe(&self) -> bool {
        self.found.is_none() && self.stages.iter().all(|s| s.complete)
    }
}

/// Search `stages` in turn, at most `max_states` states each, until one
/// finds a violation or a stage runs out of budget; `progress` hears the
/// stage's index and how far it has got.
pub fn hunt(
    stages: &[Space],
    max_states: u64,
    progress: &mut dyn FnMut(usize, Progress),
) -> Outcome {
    let mut out = Outcome { stages: Vec::new(), found: None };
    for (i, space) in stages.iter().enumerate() {
        let on = &mut |p| progress(i, p);
        let (stage, found) = match space {
            Space::Paxos(b) => {
                let r = px::explore_with(b, max_states, on);
                let found = r.violation.map(|(v, schedule)| {
                    found(v, &schedule, |s| px::counterexample_scenario(b, s))
                });
                (stage_of(r.states, r.transitions, r.depth, r.complete), found)
            }
            Space::Zab(b) => {
                let r = zx::explore_with(b, max_states, on);
                let found = r.violation.map(|(v, schedule)| {
                    found(v, &schedule, |s| zx::counterexample_scenario(b, s))
                });
                (stage_of(r.states, r.transitions, r.depth, r.complete), found)
            }
            Space::Quorum(b) => {
                let r = qx::explore_with(b, max_states, on);
                let found = r.violation.map(|(v, schedule)| {
                    found(v, &schedule, |s| qx::counterexample_scenario(b, s))
                });
                (stage_of(r.states, r.transitions, r.depth, r.complete), found)
            }
        };
        out.stages.push(stage);
        if found.is_some() || !stage.complete {
            out.found = found;
            break;
        }
    }
    out
}

fn stage_of(states: u64, transitions: u64, depth: usize, complete: bool) -> Stage {
    Stage { states, transitions, depth, complete }
}

/// A violation's schedule, and the run that replays it when it does.
fn found<S>(
    violation: Violation,
    schedule: &[S],
    write: impl Fn(&[S]) -> Result<Scenario, String>,
) -> Found {
    let steps = schedule.len();
    let replay = write(schedule).ok().and_then(|s| breaks_last(s, violation.rule));
    Found { violation, steps, replay }
}

/// The scenario and the tick of its last action, if `rule` breaks at that
/// tick in the replay and not before.
fn breaks_last(s: Scenario, rule: Rule) -> Option<(Scenario, Tick)> {
    let last = s.actions.last()?.tick;
    let mut sim = Sim::new(s).ok()?;
    sim.run_until(last);
    (first_break(&sim, rule)? == last).then(|| (sim.scenario().clone(), last))
}

/// When `rule` first broke in the run so far. The rules on what clients
/// were told are judged on the history, as the page's checks judge it.
#[must_use]
pub fn first_break(sim: &Sim, rule: Rule) -> Option<Tick> {
    use crate::check::{first, register};
    let on_history = |f: fn(&[crate::OpRecord]) -> Vec<register::Violation>| {
        let h = sim.history();
        first::earliest(&h, &f(&h), |v| match *v {
            register::Violation::StaleRead { read, .. } => [read, read],
            register::Violation::Inversion { earlier, later } => [earlier, later],
        })
    };
    match rule {
        Rule::StaleRead => on_history(register::stale_reads),
        Rule::NewOldInversion => on_history(register::inversions),
        _ => sim.world().violations().iter().find(|(_, v)| v.rule == rule).map(|&(t, _)| t),
    }
}
