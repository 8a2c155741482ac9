//! A world with its trace, its action timeline, snapshots and time travel.
//!
//! The scenario's actions are applied when their event number comes up.
//! Every [`SNAPSHOT_EVERY`] events the world is cloned; `seek(tick)`
//! restores the nearest snapshot at or before `tick` and replays from there,
//! so going back in time costs at most that many events. Recording a new
//! action in the past first truncates the timeline (a branch).
//!
//! A run left playing for hours would keep growing its trace, so the trace
//! has a cap ([`TRACE_CAP`] entries by default): past it, the oldest half
//! is forgotten, back to a snapshot. The client history of the forgotten
//! part is kept (it is small, and the checkers need all of it), the hash
//! runs on unchanged, and seeking goes back as far as the oldest snapshot
//! kept ([`Sim::forgotten_until`]).

use crate::scenario::{Action, ActionKind, ConfigError, Scenario};
use crate::trace::TraceEntry;

use crate::types::Tick;
use crate::world::World;

/// Events between snapshots.
pub const SNAPSHOT_EVERY: u64 = 1024;

/// Trace entries kept at most (about 26 MB of entries): a Zab lesson at
/// top speed reaches it in about half an hour.
pub const TRACE_CAP: usize = 300_000;

#[derive(Clone, Debug)]
struct Snapshot {
    world: World,
    next_action: usize,
}

/// A running simulation.
#[derive(Clone, Debug)]
pub struct Sim {
    scenario: Scenario,
    world: World,
    trace: Vec<TraceEntry>,
    next_action: usize,
    snapshots: Vec<Snapshot>,
    /// Entries forgotten from the front of the trace, the tick before which
    /// seeking cannot go, the client history of what was forgotten, and the
    /// cap.
    forgot: u64,
    forgotten_until: Tick,
    past: crate::client::History,
    cap: usize,
}

impl Sim {
    /// Validate the scenario and start its world.
    ///
    /// # Errors
    /// The scenario's first configuration problem.
    pub fn new(scenario: Scenario) -> Result<Self, ConfigError> {
        scenario.validate()?;
        let mut trace = Vec::new();
        let world = World::new(&scenario, &mut trace);
        let mut sim = Sim {
            scenario,
            world,
            trace,
            next_action: 0,
            snapshots: Vec::new(),
            forgot: 0,
            forgotten_until: 0,
            past: Vec::new(),
            cap: TRACE_CAP,
        };
        sim.apply_due(0);
        sim.snapshot();
        Ok(sim)
    }

    #[must_use]
    pub fn world(&self) -> &World {
        &self.world
    }
    #[must_use]
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }
    /// The trace up to the present moment.
    #[must_use]
    pub fn trace(&self) -> &[TraceEntry] {
        &self.trace[..self.cursor()]
    }

    /// Everything recorded, up to the furthest moment reached: after a seek
    /// backwards this runs past the present (replay rewrites those entries
    /// identically); a new action cuts it at the present.
    #[must_use]
    pub fn recorded(&self) -> &[TraceEntry] {
        &self.trace
    }

    fn cursor(&self) -> usize {
        usize::try_from(self.world.trace_len() - self.forgot)
            .expect("trace fits in memory")
            .min(self.trace.len())
    }
    /// The client history so far: what was forgotten from the trace, then
    /// what the trace holds.
    #[must_use]
    pub fn history(&self) -> crate::client::History {
        if self.past.is_empty() {
            return crate::client::history_from_trace(&self.trace);
        }
        crate::client::history_continued(self.past.clone(), &self.trace)
    }

    /// Seeking cannot go before this tick (the trace before it was
    /// forgotten to bound memory; 0 when nothing was).
    #[must_use]
    pub fn forgotten_until(&self) -> Tick {
        self.forgotten_until
    }

    /// Entries forgotten from the front of the trace so far (a view that
    /// indexes the trace starts again when this changes).
    #[must_use]
    pub fn forgotten_entries(&self) -> u64 {
        self.forgot
    }

    /// Set the trace cap (tests use a small one).
    pub fn set_trace_cap(&mut self, cap: usize) {
        self.cap = cap.max(2 * SNAPSHOT_EVERY as usize);
    }

    /// Past the cap, forget the older half of the trace, back to the first
    /// snapshot at or past the middle (never past the present).
    fn bound_trace(&mut self) {
        if self.trace.len() <= self.cap {
            return;
        }
        let middle = self.forgot + (self.trace.len() / 2) as u64;
        let now = self.world.trace_len();
        let Some(k) = self
            .snapshots
            .iter()
            .position(|s| s.world.trace_len() >= middle && s.world.trace_len() <= now)
        else {
            return;
        };
        let cut = usize::try_from(self.snapshots[k].world.trace_len() - self.forgot)
            .expect("trace fits in memory");
        let forgotten: Vec<TraceEntry> = self.trace.drain(..cut).collect();
        let past = std::mem::take(&mut self.past);
        self.past = crate::client::history_continued(past, &forgotten);
        self.forgot += cut as u64;
        self.snapshots.drain(..k);
        self.forgotten_until = self.snapshots[0].world.now();
        for s in &mut self.snapshots {
            s.world.set_trace_base(self.forgot);
        }
        self.world.set_trace_base(self.forgot);
    }
    #[must_use]
    pub fn trace_hash(&self) -> u64 {
        self.world.trace_hash()
    }
    #[must_use]
    pub fn now(&self) -> Tick {
        self.world.now()
    }

    fn snapshot(&mut self) {
        let events = self.world.events();
        if self.snapshots.last().is_some_and(|s| s.world.events() >= events) {
            return;
        }
        self.snapshots.push(Snapshot { world: self.world.clone(), next_action: self.next_action });
    }

    /// Apply the actions due after the current event whose tick is ≤ `limit`.
    ///
    /// An action is due once its event number has been reached. It happens
    /// at its tick, clamped between now and the next event's tick, so even a
    /// hand-made timeline whose ticks disagree with its event numbers never
    /// runs time backwards or leaves an action stuck.
    fn apply_due(&mut self, limit: Tick) {
        while let Some(a) = self.scenario.actions.get(self.next_action) {
            if a.after_event > self.world.events() {
                break;
            }
            let next = self.world.next_event_tick().unwrap_or(Tick::MAX);
            let tick = a.tick.max(self.world.now()).min(next);
            if tick > limit {
                break;
            }
            let kind = a.kind.clone();
            self.world.apply(tick, &kind, &mut self.trace);
            self.next_action += 1;
        }
    }

    /// Process one event (and the actions that follow it). Returns the new
    /// trace entries, empty when nothing is left to do.
    pub fn step(&mut self) -> &[TraceEntry] {
        let start = self.cursor();
        // Actions due after the current event come first, as one step.
        if self
            .scenario
            .actions
            .get(self.next_action)
            .is_some_and(|a| a.after_event <= self.world.events())
        {
            self.apply_due(Tick::MAX);
            return &self.trace[start..self.cursor()];
        }
        let forgot = self.forgot;
        if self.world.step(&mut self.trace) && self.world.events().is_multiple_of(SNAPSHOT_EVERY) {
            self.snapshot();
            self.bound_trace();
        }
        // The front of the trace may have just been let go.
        let start =
            start.saturating_sub(usize::try_from(self.forgot - forgot).unwrap_or(usize::MAX));
        &self.trace[start..self.cursor()]
    }

    /// Run every event and action up to and including `tick`, then set the
    /// clock to `tick`.
    pub fn run_until(&mut self, tick: Tick) {
        while !self.run_until_budget(tick, u64::MAX) {}
    }

    /// Like [`Sim::run_until`] but stops after `max_events` events, so a long
    /// replay can be sliced across animation frames. Returns `true` when
    /// `tick` was reached.
    pub fn run_until_budget(&mut self, tick: Tick, max_events: u64) -> bool {
        let mut budget = max_events;
        loop {
            self.apply_due(tick);
            let Some(next) = self.world.next_event_tick() else {
                break;
            };
            if next > tick {
                break;
            }
            if budget == 0 {
                return false;
            }
            budget -= 1;
            self.world.step(&mut self.trace);
            if self.world.events().is_multiple_of(SNAPSHOT_EVERY) {
                self.apply_due(tick);
                self.snapshot();
                self.bound_trace();
            }
        }
        self.world.advance_clock(tick);
        true
    }

    /// Travel to `tick`: restore the nearest snapshot at or before it when
    /// that saves work (always when going backwards), then replay.
    pub fn seek(&mut self, tick: Tick) {
        let tick = tick.max(self.forgotten_until);
        let idx = self.snapshots.iter().rposition(|s| s.world.now() <= tick).unwrap_or(0);
        let s = &self.snapshots[idx];
        if tick < self.world.now() || s.world.events() > self.world.events() {
            self.world = s.world.clone();
            self.next_action = s.next_action;
            // Entries past the snapshot stay: replay rewrites them identically,
            // and a forward seek may jump over them to a later snapshot.
        }
        self.run_until(tick);
    }

    /// Record a user action now: it is placed after the current event, at
    /// the current tick, and applied at once. Any actions after this point
    /// (a branch from the past) are discarded first, with the snapshots that
    /// depended on them.
    pub fn act(&mut self, kind: ActionKind) -> Result<(), ConfigError> {
        let action = Action { after_event: self.world.events(), tick: self.world.now(), kind };
        let mut candidate = self.scenario.clone();
        candidate.actions.truncate(self.next_action);
        candidate.actions.push(action.clone());
        candidate.validate()?;
        self.scenario = candidate;
        // The old future is void.
        let cursor = self.cursor();
        self.trace.truncate(cursor);
        let events = self.world.events();
        let next_action = self.next_action;
        self.snapshots.retain(|s| {
            s.world.events() < events
                || (s.world.events() == events && s.next_action <= next_action)
        });
        // A snapshot at this very event was taken before the action existed;
        // it is still right, since its next_action points at the new one.
        self.world.apply(action.tick, &action.kind, &mut self.trace);
        self.next_action += 1;
        Ok(())
    }

    /// The ticks of the actions taken so far on the timeline.
    #[must_use]
    pub fn actions(&self) -> &[Action] {
        &self.scenario.actions
    }
}
