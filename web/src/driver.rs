//! The animation driver: owns the simulation and the canvas, runs one
//! `requestAnimationFrame` loop while something moves, and tells the Yew
//! side what changed through throttled [`Summary`] values — never a Yew
//! re-render per frame. When paused and nothing changes, nothing is drawn.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use gloo_render::{request_animation_frame, AnimationFrame};
use qcore::client::Outcome;
use qcore::link::{self, ViewOptions};
use qcore::scenario::{ActionKind, ConfigError, MAX_TICK};
use qcore::types::{Addr, ClientOp};
use qcore::{LinkState, ProtocolConfig, Scenario, Sim};
use qscene::{hit, project, split_by_line, Hit, Point, Scene};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};
use yew::Callback;

use crate::draw;
use crate::i18n::Lang;
use qcore::lessons::guide::step_at;

mod checks;
mod layer;
mod network;
pub mod properties;
mod scan;
mod spacetime;

pub use network::{Held, HeldMsg, HeldTimer};

pub use checks::Checks;

/// Events replayed per frame at most, so a long link never freezes the tab.
const EVENTS_PER_FRAME: u64 = 40_000;
/// Summaries pushed to the UI at most this often while animating (ms).
const SUMMARY_EVERY_MS: f64 = 200.0;
/// A pointer that moved less than this is a click, not a drag (CSS px).
const CLICK_SLOP: f64 = 6.0;

/// One line of the client history, for the UI.
#[derive(Clone, Debug, PartialEq)]
pub struct OpLine {
    pub id: u64,
    pub client: u32,
    pub node: u32,
    pub op: ClientOp,
    pub invoke: u64,
    pub ret: Option<(u64, Outcome)>,
    pub flagged: bool,
}

/// The linearizability checker's verdict on the run's client history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Linear {
    /// With each operation's linearization point (op id → tick).
    Yes(qcore::small::VecMap<u64, u64>),
    /// The operation (history id) that cannot be placed.
    No(u64),
    /// The search budget ran out.
    Unknown,
    /// Too long to check between frames: the worker checks it when the run
    /// pauses.
    Deferred,
}

impl Default for Linear {
    fn default() -> Self {
        Linear::Yes(qcore::small::VecMap::new())
    }
}

/// Frames whose work time is kept.
pub const FRAME_SAMPLES: usize = 256;

/// Search steps the live check may take per summary (keeps frames smooth).
const LIVE_CHECK_BUDGET: u64 = 200_000;
/// Histories longer than this are checked in the checker's Web Worker
/// instead (see `worker::check_live`), so the animation never waits on them.
pub const LIVE_MAIN_MAX_OPS: usize = 300;

/// The protocol's settings, for the panels.
#[derive(Clone, Debug, PartialEq)]
pub enum Proto {
    Quorum {
        n: u32,
        w: u32,
        r: u32,
        write_back: bool,
    },
    Paxos {
        proposers: u32,
        acceptors: u32,
        learners: u32,
        backoff: bool,
        variant: qcore::paxos::Variant,
    },
    Zab {
        voters: u32,
        observers: u32,
        sync_reads: bool,
        variant: qcore::zab::Variant,
    },
    Eventual {
        replicas: u32,
        delivery: qcore::eventual::Delivery,
        session: qcore::eventual::Session,
        anti_entropy: bool,
        replicate: bool,
        queue_limit: u32,
    },
}

impl Default for Proto {
    fn default() -> Self {
        Proto::Quorum { n: 0, w: 0, r: 0, write_back: false }
    }
}

/// What the UI shows besides the canvas.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    pub tick: u64,
    pub horizon: u64,
    pub events: u64,
    pub in_flight: usize,
    pub playing: bool,
    pub replaying: bool,
    pub hash: String,
    pub nodes: u32,
    pub clients: u32,
    pub proto: Proto,
    /// Display names of the nodes (`n0`, `A0`, `P1`…).
    pub node_names: Rc<Vec<String>>,
    /// The verdicts on the client history: the same `Rc` until it changes.
    pub checks: Rc<Checks>,
    /// The network's least latency (ticks).
    pub latency_min: u32,
    /// Inconsistency windows: mean, longest, still open, mean spread.
    pub window: Option<(u64, u64, usize, u64)>,
    /// Each write's window: start, and end once closed.
    pub windows: Rc<Vec<(u64, Option<u64>)>>,
    /// This run's figures and the twin's, where a lesson compares two systems.
    pub compare: Option<Box<(crate::twin::Figures, crate::twin::Figures)>>,
    /// What the space-time diagram and the canvas have selected.
    pub selection: Option<crate::diagram::SelInfo>,
    /// Whether the diagram follows the present.
    pub following: bool,
    /// Whether there is a user action to undo.
    pub can_undo: bool,
    /// The settings of the lesson's switches this run has changed.
    pub settings: Vec<&'static str>,
    /// The percent of the player's speed the lesson plays at now, while
    /// playing (100 otherwise).
    pub pace: u32,
    /// Seeking cannot go before this tick (a long run's trace front was
    /// forgotten to bound memory).
    pub first_tick: u64,
    /// The last things that happened (crashes, restarts, partitions,
    /// operations), oldest first, with their trace entry as a key.
    pub log: Rc<Vec<LogLine>>,
    /// Every fault so far, for the history lanes.
    pub faults: Rc<Vec<qscene::Fault>>,
    /// What waits for the user, while the user is the network.
    pub held: Option<Rc<Held>>,
    /// Each property of the run, with its state now and when it broke.
    pub properties: Rc<Vec<properties::Line>>,
    /// The operations a counterexample opened from the search involves
    /// (marked on the history until another run opens).
    pub found: Rc<Vec<u64>>,
}

/// One line of the event log.
#[derive(Clone, Debug, PartialEq)]
pub struct LogLine {
    /// The trace entry (a stable key for the list).
    pub entry: usize,
    pub tick: u64,
    pub kind: qcore::spacetime::MarkKind,
    /// The node or client, or none for the network.
    pub lane: Option<String>,
}

/// Under reduced motion, a playing run is redrawn at most this often (ms).
const CALM_EVERY_MS: f64 = 500.0;
/// While messages fly, a playing run is redrawn on every other display
/// frame: 30 a second at 60 Hz (the slack lets it keep to the vsync).
const MOVING_EVERY_MS: f64 = 1000.0 / 30.0 - 4.0;
/// With nothing in flight only the clock and the badges change: ten
/// redraws a second show them.
const STILL_EVERY_MS: f64 = 100.0;

/// Whether a frame of a playing (or replaying) run should be painted,
/// `since_ms` after the last paint. A command, a gesture or a resize
/// (`changed`) is painted at once; otherwise the canvas is repainted often
/// enough for what it shows, and no more: each paint costs the browser a
/// raster and a composite of the whole canvas.
#[must_use]
pub fn paint_due(since_ms: f64, changed: bool, calm: bool, moving: bool) -> bool {
    let every = if calm {
        CALM_EVERY_MS
    } else if moving {
        MOVING_EVERY_MS
    } else {
        STILL_EVERY_MS
    };
    changed || since_ms >= every
}

/// Whether the user asked the system for reduced motion.
#[must_use]
pub fn prefers_reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-reduced-motion: reduce)").ok().flatten())
        .is_some_and(|m| m.matches())
}

/// Scenarios kept for undo.
const UNDO_DEPTH: usize = 32;

pub struct Driver {
    sim: Sim,
    /// Display time, fractional ticks; the world has run to its floor.
    display: f64,
    /// Furthest tick reached: the time slider's end.
    horizon: u64,
    playing: bool,
    /// Ticks per second of wall time.
    speed: f64,
    /// A seek still being replayed in slices.
    target: Option<u64>,
    canvas: HtmlCanvasElement,
    ctx: CanvasRenderingContext2d,
    size: (f64, f64, f64),
    raf: Option<AnimationFrame>,
    last_ts: Option<f64>,
    last_summary_ts: f64,
    draws: u64,
    dirty: bool,
    first_frame: bool,
    lang: Lang,
    pointer: Option<(Point, Point)>,
    /// The scene of the last frame (the still layer was painted from it).
    scene: Option<Scene>,
    /// What `scene` was projected from: the simulation's trace (length and
    /// hash), its actions and the canvas size. While these stay the same,
    /// a frame moves the scene on in place instead of projecting anew.
    projected: Option<(u64, u64, usize, u64, u64)>,
    /// The last frame's labels and the text around them, kept while only
    /// messages move (then only the messages' labels are placed again).
    texts: Option<(Lang, qscene::Labels, crate::chrome::Chrome)>,
    /// The message under the pointer, if any.
    hover: Option<u64>,
    /// The still part of the frame, repainted only when it changes.
    still: Option<layer::StillLayer>,
    /// How long the last frames' work took (ms), a ring: the per-frame
    /// budget bench reads it (no allocation per frame).
    frame_ms: [f64; FRAME_SAMPLES],
    /// How many allocations the same frames made.
    frame_allocs: [u32; FRAME_SAMPLES],
    frames_timed: u64,
    perf: Option<web_sys::Performance>,
    notify: Callback<Summary>,
    /// Where the worker's verdict on a long history goes, and the length of
    /// the history last sent (so a paused run is sent once).
    live: Option<Callback<(usize, crate::import::Judged)>>,
    live_sent: std::cell::Cell<usize>,
    /// The checks of the history, kept until it changes.
    checks: RefCell<checks::Cache>,
    /// The run's faults and the store's windows, read as the trace grows.
    faults: RefCell<scan::FaultScan>,
    windows: RefCell<scan::WindowScan>,
    /// The properties' breaks seen in this run.
    props: RefCell<properties::Memo>,
    /// A second system on the same timeline, where a lesson compares two.
    twin: Option<crate::twin::Twin>,
    /// The space-time diagram and what is selected in it.
    pub(crate) st: crate::diagram::Linked,
    /// The scenario before each user action, newest last.
    undo: Vec<Scenario>,
    /// What a counterexample opened from the search marks: the client
    /// operations its broken rule involves, and the node its breaking step
    /// crashes, restarts or fires a timer on.
    found: (Rc<Vec<u64>>, Option<u32>),
    /// Embedded with locked controls: gestures on the canvas do nothing.
    locked: bool,
    /// The user prefers reduced motion; when the canvas was last painted.
    calm: bool,
    last_paint: f64,
    /// The guided steps of the lesson on show, and (in predict mode) the
    /// moments still to stop at and ask.
    guide: &'static [qcore::lessons::guide::Step],
    stops: Vec<u64>,
    /// The lesson on show as it opens, to tell which of its switches the
    /// run has changed (the guide's texts follow them).
    lesson: Option<(String, Scenario)>,
    /// The lesson's pace: (from tick, percent of the player's speed).
    tempo: &'static [(u64, u32)],
}

pub type Shared = Rc<RefCell<Driver>>;

/// What a pointer gesture did, for the UI to report.
#[derive(Clone, Debug, PartialEq)]
pub enum Gesture {
    Nothing,
    Acted(Box<Summary>),
    Refused(ConfigError),
}

impl Driver {
    /// # Errors
    /// When the canvas has no 2D context.
    pub fn new(
        canvas: HtmlCanvasElement,
        scenario: Scenario,
        lang: Lang,
        notify: Callback<Summary>,
    ) -> Result<Shared, ConfigError> {
        let ctx = draw::opaque_context(&canvas).expect("a 2D canvas context");
        let sim = Sim::new(scenario)?;
        Ok(Rc::new(RefCell::new(Driver {
            sim,
            display: 0.0,
            horizon: 0,
            playing: false,
            speed: 60.0,
            target: None,
            canvas,
            ctx,
            size: (0.0, 0.0, 0.0),
            raf: None,
            last_ts: None,
            last_summary_ts: f64::NEG_INFINITY,
            draws: 0,
            dirty: true,
            first_frame: true,
            lang,
            pointer: None,
            scene: None,
            projected: None,
            texts: None,
            hover: None,
            still: layer::StillLayer::new(),
            frame_ms: [0.0; FRAME_SAMPLES],
            frame_allocs: [0; FRAME_SAMPLES],
            frames_timed: 0,
            perf: web_sys::window().and_then(|w| w.performance()),
            notify,
            live: None,
            live_sent: std::cell::Cell::new(0),
            checks: RefCell::default(),
            faults: RefCell::default(),
            windows: RefCell::default(),
            props: RefCell::default(),
            twin: None,
            st: crate::diagram::Linked::default(),
            undo: Vec::new(),
            found: (Rc::new(Vec::new()), None),
            locked: false,
            calm: prefers_reduced_motion(),
            last_paint: f64::NEG_INFINITY,
            guide: &[],
            stops: Vec::new(),
            lesson: None,
            tempo: &[],
        })))
    }

    // ---- queries ----

    /// The work time (ms) of the last frames, oldest first.
    #[must_use]
    pub fn frame_times(&self) -> Vec<f64> {
        let n = self.frames_timed.min(FRAME_SAMPLES as u64) as usize;
        let next = (self.frames_timed % FRAME_SAMPLES as u64) as usize;
        (0..n).map(|k| self.frame_ms[(next + FRAME_SAMPLES - n + k) % FRAME_SAMPLES]).collect()
    }

    /// The allocations each of the last painted frames made, oldest first.
    #[must_use]
    pub fn frame_allocs(&self) -> Vec<u32> {
        let n = self.frames_timed.min(FRAME_SAMPLES as u64) as usize;
        let next = (self.frames_timed % FRAME_SAMPLES as u64) as usize;
        (0..n).map(|k| self.frame_allocs[(next + FRAME_SAMPLES - n + k) % FRAME_SAMPLES]).collect()
    }

    #[must_use]
    pub fn sim(&self) -> &Sim {
        &self.sim
    }
    #[must_use]
    pub fn draws(&self) -> u64 {
        self.draws
    }
    #[must_use]
    pub fn scene(&self) -> Option<&Scene> {
        self.scene.as_ref()
    }
    #[must_use]
    pub fn playing(&self) -> bool {
        self.playing
    }

    /// The share fragment (without `#`) of the current run at the current tick.
    #[must_use]
    pub fn share_fragment(&self) -> String {
        self.fragment_at(self.sim.now())
    }

    /// The share fragment of the current run at `tick`.
    #[must_use]
    pub fn fragment_at(&self, tick: u64) -> String {
        let view = ViewOptions {
            lang: Some(self.lang.code().to_string()),
            start_tick: Some(tick),
            ..ViewOptions::default()
        };
        link::fragment(self.sim.scenario(), &view)
    }

    /// The moment on show in thousandths of a tick, and the canvas's size
    /// (CSS px): what the worker needs to draw the same frame as SVG.
    #[must_use]
    pub fn frame_spec(&self) -> String {
        let (w, h) = (self.size.0 as u32, self.size.1 as u32);
        let milli = (self.display * 1000.0) as u64;
        format!("{milli}|{w}|{h}|{}", self.share_fragment())
    }

    #[must_use]
    pub fn summary(&self) -> Summary {
        let h = self.sim.history();
        let s = self.sim.scenario();
        let eventual = matches!(s.protocol, ProtocolConfig::Eventual(_));
        let violations = self.sim.world().violations().iter().map(|(_, v)| v.clone()).collect();
        let checks = self.checks.borrow_mut().get(&h, violations, eventual);
        self.check_in_background(&h, &checks.linear);
        let proto = match &s.protocol {
            ProtocolConfig::Quorum(q) => {
                Proto::Quorum { n: q.n, w: q.w, r: q.r, write_back: q.write_back }
            }
            ProtocolConfig::Paxos(p) => Proto::Paxos {
                proposers: p.proposers,
                acceptors: p.acceptors,
                learners: p.learners,
                backoff: p.backoff,
                variant: p.variant,
            },
            ProtocolConfig::Zab(z) => Proto::Zab {
                voters: z.voters,
                observers: z.observers,
                sync_reads: z.sync_reads,
                variant: z.variant,
            },
            ProtocolConfig::Eventual(e) => Proto::Eventual {
                replicas: e.replicas,
                delivery: e.delivery,
                session: e.session,
                anti_entropy: e.anti_entropy_ticks > 0,
                replicate: e.replicate,
                queue_limit: e.queue_limit,
            },
        };
        let (window, windows) = match &s.protocol {
            // Windows close as replicas apply writes, not as the history
            // changes: they are read from the trace as it grows.
            ProtocolConfig::Eventual(e) => {
                let mut scan = self.windows.borrow_mut();
                let ws = scan.windows(&self.sim, e.replicas);
                let (mean, max, open) = qcore::eventual::window::summary(ws);
                let spread = qcore::eventual::window::mean_spread(ws);
                let bands = ws.iter().map(|w| (w.start, w.end)).collect();
                ((!ws.is_empty()).then_some((mean, max, open, spread)), bands)
            }
            _ => (None, Vec::new()),
        };
        let now = properties::Now {
            scenario: s,
            tick: self.sim.now(),
            checks: &checks,
            violations: self.sim.world().violations(),
            open: window.map_or(0, |w| w.2),
        };
        let properties = Rc::new(self.props.borrow_mut().lines(&now));
        let node_names =
            Rc::new((0..s.protocol.nodes()).map(|i| qscene::node_name(&s.protocol, i)).collect());
        Summary {
            tick: self.sim.now(),
            horizon: self.horizon.max(self.sim.now()),
            events: self.sim.world().events(),
            in_flight: self.sim.world().net().in_flight_count(),
            playing: self.playing,
            replaying: self.target.is_some(),
            hash: format!("{:016x}", self.sim.trace_hash()),
            nodes: s.protocol.nodes(),
            clients: s.clients,
            proto,
            node_names,
            checks,
            latency_min: s.network.latency_ticks_min,
            window,
            windows: Rc::new(windows),
            faults: self.faults.borrow_mut().faults(&self.sim),
            selection: self.selection(),
            following: self.st.following(),
            can_undo: !self.undo.is_empty(),
            pace: if self.playing { self.pace() } else { 100 },
            settings: self
                .lesson
                .as_ref()
                .map(|(id, default)| qcore::lessons::guide::active(id, default, s))
                .unwrap_or_default(),
            first_tick: self.sim.forgotten_until(),
            log: Rc::new(self.event_log()),
            held: self.held(),
            properties,
            found: Rc::clone(&self.found.0),
            compare: self.twin.as_ref().map(|t| {
                Box::new((
                    crate::twin::figures(&self.sim, LIVE_CHECK_BUDGET),
                    crate::twin::figures(t.sim(), LIVE_CHECK_BUDGET),
                ))
            }),
        }
    }

    // ---- commands (each returns the summary to publish) ----

    pub fn load(
        &mut self,
        scenario: Scenario,
        start: Option<u64>,
        autoplay: bool,
    ) -> Result<Summary, ConfigError> {
        self.sim = Sim::new(scenario)?;
        {
            self.twin = None;
        }
        self.display = 0.0;
        self.horizon = 0;
        self.undo.clear();
        self.found = (Rc::new(Vec::new()), None);
        self.st.reset(&self.sim);
        self.target = start.filter(|&t| t > 0).map(|t| t.min(MAX_TICK));
        self.playing = autoplay;
        self.last_ts = None;
        self.dirty = true;
        Ok(self.summary())
    }

    /// Open a counterexample found by the search: the run that replays it,
    /// played up to the step that breaks the rule (so the properties panel
    /// knows when it breaks) and stopped just before that step.
    /// The message the breaking step delivers is selected: marked where it
    /// waits on the canvas, in the held list and on the space-time diagram;
    /// a node the step crashes, restarts or fires a timer on is ringed; the
    /// client operations the broken rule involves are marked on the history
    /// and ringed on the space-time diagram, which reaches back to them.
    pub fn open_found(&mut self, scenario: Scenario, tick: u64) -> Result<Summary, ConfigError> {
        use qcore::scenario::ActionKind as A;
        let breaking = scenario.actions.last().map(|a| a.kind.clone());
        self.load(scenario, None, false)?;
        self.sim.run_until(tick);
        self.horizon = tick;
        let history = self.sim.history();
        // Loops, not a sort and dedup: both would add their code to the bundle.
        let mut ops: Vec<u64> = Vec::new();
        for (_, v) in self.sim.world().violations().iter().filter(|(t, _)| *t == tick) {
            for id in v.involved(&history, self.sim.trace()) {
                if !ops.contains(&id) {
                    ops.push(id);
                }
            }
        }
        let node = match breaking {
            Some(A::Crash(n) | A::Restart(n) | A::FireTimer { node: n, .. }) => Some(n),
            _ => None,
        };
        // The diagram reaches back to the first operation involved.
        let first = history.iter().filter(|o| ops.contains(&o.id)).map(|o| o.invoke).min();
        if let Some(first) = first {
            self.st.reach_back(first, tick);
        }
        self.found = (Rc::new(ops), node);
        let _ = self.summary();
        let before = self.seek(tick.saturating_sub(1));
        match breaking {
            Some(A::DeliverMessage(id)) => Ok(self.select_message(id)),
            _ => Ok(before),
        }
    }

    /// Run a second system beside this one, on the same timeline (or none).
    pub fn set_twin(&mut self, scenario: Option<Scenario>) -> Summary {
        self.twin = scenario.and_then(crate::twin::Twin::new);
        self.dirty = true;
        self.summary()
    }

    /// Receive the worker's verdicts on long histories.
    pub fn on_live(&mut self, done: Callback<(usize, crate::import::Judged)>) -> Summary {
        self.live = Some(done);
        self.summary()
    }

    /// A history too long to check between frames (or over the frame's
    /// budget) goes to the checker's worker once the run pauses.
    fn check_in_background(&self, h: &[qcore::OpRecord], linear: &Linear) {
        let n = h.len();
        let waiting = matches!(linear, Linear::Deferred | Linear::Unknown);
        if !waiting || self.playing || self.target.is_some() || self.live_sent.get() == n {
            return;
        }
        let Some(done) = self.live.clone() else { return };
        self.live_sent.set(n);
        // The history covers the whole record: send the run up to its end.
        let end = self.horizon.max(self.sim.now());
        crate::worker::check_live(
            self.fragment_at(end),
            Callback::from(move |j| done.emit((n, j))),
        );
    }

    /// How many times the still layer was repainted.
    #[must_use]
    pub fn still_repaints(&self) -> u64 {
        self.still.as_ref().map_or(0, |s| s.repaints)
    }

    /// How many times the history's checks ran.
    #[must_use]
    pub fn check_runs(&self) -> u64 {
        self.checks.borrow().runs
    }

    #[must_use]
    pub fn lang(&self) -> Lang {
        self.lang
    }

    pub fn set_lang(&mut self, lang: Lang) {
        self.lang = lang;
        self.dirty = true;
    }

    pub fn set_playing(&mut self, on: bool) -> Summary {
        self.playing = on && self.sim.now() < MAX_TICK;
        self.last_ts = None;
        self.dirty = true;
        self.summary()
    }

    pub fn set_speed(&mut self, ticks_per_second: f64) {
        self.speed = qscene::clamp(ticks_per_second, 1.0, 100_000.0);
    }

    /// Process exactly one event (or the actions due before it).
    pub fn step(&mut self) -> Summary {
        self.playing = false;
        self.target = None;
        self.sim.step();
        self.display = self.sim.now() as f64;
        self.horizon = self.horizon.max(self.sim.now());
        self.dirty = true;
        self.summary()
    }

    /// Go back to the previous moment something happened.
    pub fn step_back(&mut self) -> Summary {
        self.playing = false;
        self.target = None;
        let now = self.sim.now();
        let prev = self.sim.trace().iter().rev().map(|e| e.tick).find(|&t| t < now).unwrap_or(0);
        self.sim.seek(prev);
        self.display = prev as f64;
        self.dirty = true;
        self.summary()
    }

    /// Travel to `tick`: backwards at once (snapshots), forwards in slices.
    pub fn seek(&mut self, tick: u64) -> Summary {
        let tick = tick.min(MAX_TICK);
        if tick <= self.sim.now() {
            self.target = None;
            self.sim.seek(tick);
            self.display = tick as f64;
        } else {
            self.target = Some(tick);
        }
        self.dirty = true;
        self.summary()
    }

    /// Record a user action at the present moment.
    pub fn act(&mut self, kind: ActionKind) -> Result<Summary, ConfigError> {
        self.target = None;
        let before = self.sim.scenario().clone();
        self.sim.act(kind)?;
        if self.undo.len() == UNDO_DEPTH {
            self.undo.remove(0);
        }
        self.undo.push(before);
        self.st.forget_vectors();
        self.display = self.display.max(self.sim.now() as f64);
        self.horizon = self.sim.now();
        self.dirty = true;
        Ok(self.summary())
    }

    /// Take back the last user action: the run as it was before it (with
    /// any scripted future it cut off), at the same moment.
    pub fn undo(&mut self) -> Option<Summary> {
        let scenario = self.undo.pop()?;
        let now = self.sim.now();
        let sim = Sim::new(scenario).ok()?;
        self.sim = sim;
        self.sim.run_until(now);
        self.display = now as f64;
        self.target = None;
        self.st.clear_selection();
        self.dirty = true;
        Some(self.summary())
    }

    /// The last things that happened up to the present (crashes,
    /// restarts, cuts and heals, operations), oldest first, found by
    /// reading the trace backwards a bounded way.
    fn event_log(&self) -> Vec<LogLine> {
        use qcore::spacetime::MarkKind as K;
        use qcore::Happened as H;
        const LINES: usize = 6;
        const LOOK_BACK: usize = 20_000;
        let s = self.sim.scenario();
        let node = |n: u32| Some(qscene::node_name(&s.protocol, n));
        let client = |c: u32| Some(format!("c{c}"));
        let mut out: Vec<LogLine> = Vec::new();
        for (entry, e) in self.sim.trace().iter().enumerate().rev().take(LOOK_BACK) {
            let (kind, lane) = match e.what {
                H::Crashed { node: n } => (K::Crash, node(n)),
                H::Restarted { node: n } => (K::Restart, node(n)),
                H::Link { state, .. } => {
                    (if state == LinkState::Healthy { K::Heal } else { K::Cut }, None)
                }
                H::Invoke { op_id, client: c, .. } => (K::Invoke(op_id), client(c)),
                H::Return { op_id, client: c, .. } => (K::Return(op_id), client(c)),
                _ => continue,
            };
            // A partition sets many links at one tick: one line for all.
            if lane.is_none() && out.last().is_some_and(|l| l.tick == e.tick && l.kind == kind) {
                continue;
            }
            out.push(LogLine { entry, tick: e.tick, kind, lane });
            if out.len() == LINES {
                break;
            }
        }
        out.reverse();
        out
    }

    /// Crash node `n`, or restart it if it is down (the keyboard's way to
    /// do what a click on the node does).
    pub fn toggle_node(&mut self, n: u32) -> Result<Summary, ConfigError> {
        if self.locked {
            return Ok(self.summary());
        }
        let up = self.sim.world().nodes().get(n as usize).map(|x| x.up);
        match up {
            Some(true) => self.act(ActionKind::Crash(n)),
            Some(false) => self.act(ActionKind::Restart(n)),
            None => Err(ConfigError::NoSuchNode { index: self.sim.actions().len(), node: n }),
        }
    }

    /// The percent of the player's speed the lesson plays at now.
    fn pace(&self) -> u32 {
        qcore::lessons::guide::pace::tempo_at(self.tempo, self.display as u64)
    }

    /// The lesson on show and its guided steps; with `predict`, the run
    /// stops before each question still ahead.
    pub fn set_guide(&mut self, lesson: Option<&str>, predict: bool) {
        let guide = lesson.map_or(&[][..], qcore::lessons::guide::steps);
        self.guide = guide;
        self.tempo = lesson.map_or(&[][..], qcore::lessons::guide::pace::schedule);
        if self.lesson.as_ref().map(|(id, _)| id.as_str()) != lesson {
            self.lesson = lesson.and_then(|id| Some((id.to_string(), qcore::lessons::lesson(id)?)));
        }
        let now = self.sim.now();
        self.stops = if predict {
            guide.iter().filter_map(|s| s.question).map(|q| q.ask_at).filter(|&t| t > now).collect()
        } else {
            Vec::new()
        };
        self.dirty = true;
    }

    /// Lock the run against changes from the canvas (embedding).
    pub fn set_locked(&mut self, on: bool) {
        self.locked = on;
    }

    // ---- pointer gestures on the canvas ----

    pub fn pointer_down(&mut self, p: Point) {
        self.pointer = Some((p, p));
    }

    pub fn pointer_move(&mut self, p: Point) {
        if let Some((a, _)) = self.pointer {
            self.pointer = Some((a, p));
            if a.dist(p) > CLICK_SLOP {
                self.dirty = true;
            }
            return;
        }
        // Hovering a message shows its label, even where it was crowded out.
        let over = match self.scene.as_ref().and_then(|s| qscene::hit(s, p)) {
            Some(qscene::Hit::Message(m)) => Some(m),
            _ => None,
        };
        if over != self.hover {
            self.hover = over;
            self.dirty = true;
        }
    }

    pub fn pointer_cancel(&mut self) {
        self.pointer = None;
        self.dirty = true;
    }

    /// Finish a gesture: a click acts on what is under the pointer, a drag
    /// partitions the nodes it separates.
    /// With `inspect` (shift held), a click only selects what it hits.
    pub fn pointer_up(&mut self, p: Point, inspect: bool) -> Gesture {
        let Some((a, _)) = self.pointer.take() else { return Gesture::Nothing };
        if self.locked {
            return Gesture::Nothing;
        }
        self.dirty = true;
        let Some(scene) = self.scene.clone() else { return Gesture::Nothing };
        let click = a.dist(p) <= CLICK_SLOP;
        // A message clicked on the canvas is selected in the diagram too.
        if let (true, Some(Hit::Message(id))) = (click, hit(&scene, p)) {
            self.st.selected = Some(qscene::Selected::Message(id));
            if inspect {
                return Gesture::Acted(Box::new(self.summary()));
            }
        }
        if inspect {
            return Gesture::Nothing;
        }
        let kind = if click {
            match hit(&scene, p) {
                Some(Hit::Message(id)) => Some(ActionKind::DropMessage(id)),
                Some(Hit::Node(n)) => {
                    let up = self.sim.world().nodes()[n as usize].up;
                    Some(if up { ActionKind::Crash(n) } else { ActionKind::Restart(n) })
                }
                Some(Hit::Link { from, to }) => Some(self.cycle_link(from, to)),
                Some(Hit::Client(_)) | None => None,
            }
        } else {
            split_by_line(&scene, a, p).map(|side| ActionKind::Partition { side })
        };
        match kind {
            None => Gesture::Nothing,
            Some(k) => match self.act(k) {
                Ok(s) => Gesture::Acted(Box::new(s)),
                Err(e) => Gesture::Refused(e),
            },
        }
    }

    /// healthy → cut one way (leaving the clicked end) → cut both ways → healthy.
    fn cycle_link(&self, from: Addr, to: Addr) -> ActionKind {
        let net = self.sim.world().net();
        let (fwd, back) = (net.link(from, to), net.link(to, from));
        let cut = LinkState::Partitioned;
        match (fwd == cut, back == cut) {
            (false, false) => ActionKind::SetLink { from, to, state: cut },
            (true, false) => ActionKind::SetLink { from: to, to: from, state: cut },
            (false, true) => ActionKind::SetLink { from, to, state: cut },
            (true, true) => ActionKind::HealAll,
        }
    }

    // ---- the frame ----

    /// The labels of `scene` and the text around it: the last frame's
    /// still ones when only messages moved since (`still`), else placed anew.
    fn place_labels(
        &mut self,
        scene: &Scene,
        still: bool,
    ) -> (Lang, qscene::Labels, crate::chrome::Chrome) {
        match self.texts.take() {
            Some((lang, mut labels, chrome)) if still && lang == self.lang => {
                qscene::labels::place_messages(scene, &mut labels);
                (lang, labels, chrome)
            }
            _ => {
                let chrome = crate::chrome::chrome(scene, self.lang);
                let labels = qscene::place(scene, &chrome.reserved());
                (self.lang, labels, chrome)
            }
        }
    }

    /// The scene at the displayed moment, and whether its still part is the
    /// last frame's. Between events (nothing happened, nothing was done,
    /// the canvas kept its size) the last scene is moved on in place, so
    /// such a frame allocates nothing; otherwise it is projected anew.
    fn scene_now(&mut self, changed: bool, w: f64, h: f64) -> (Scene, bool) {
        let world = self.sim.world();
        let mark = (
            world.trace_len(),
            world.trace_hash(),
            self.sim.actions().len(),
            w.to_bits(),
            h.to_bits(),
        );
        let unchanged = !changed && self.projected == Some(mark);
        self.projected = Some(mark);
        match self.scene.take() {
            Some(mut s) if unchanged && self.display >= s.now => {
                s.advance(self.display);
                (s, true)
            }
            last => {
                let s = project(&self.sim, self.display, w, h);
                let same = last.is_some_and(|p| p.same_still(&s));
                (s, same)
            }
        }
    }

    fn fit_canvas(&mut self) -> (f64, f64) {
        fit_canvas(&self.canvas, &self.ctx, &mut self.size)
    }

    /// Advance and draw one frame. Returns whether another frame is needed,
    /// and a summary to publish if one is due.
    fn frame(&mut self, ts: f64) -> (bool, Option<Summary>) {
        let started = self.perf.as_ref().map(web_sys::Performance::now);
        let allocs = crate::allocations();
        let mut publish = false;
        // Something changed besides time (a command, a gesture, a resize).
        let changed = self.dirty;
        if let Some(t) = self.target {
            if self.sim.run_until_budget(t, EVENTS_PER_FRAME) {
                self.target = None;
                self.display = t as f64;
                publish = true;
            } else {
                self.display = self.sim.now() as f64;
            }
            self.last_ts = None;
        } else if self.playing {
            let dt = self.last_ts.map_or(0.0, |last| qscene::clamp(ts - last, 0.0, 100.0));
            self.last_ts = Some(ts);
            // Quiet stretches pass faster, brief moments slower (the status
            // line says so).
            let pace = f64::from(self.pace()) / 100.0;
            let mut next = (self.display + dt / 1000.0 * self.speed * pace).min(MAX_TICK as f64);
            // Predict mode: stop at the next question's moment, and ask.
            if let Some(i) =
                self.stops.iter().position(|&s| s as f64 > self.display && s as f64 <= next)
            {
                next = self.stops.remove(i) as f64;
                self.playing = false;
                publish = true;
            }
            let whole = next.floor() as u64;
            if self.sim.run_until_budget(whole, EVENTS_PER_FRAME) {
                self.display = next;
            } else {
                self.display = self.sim.now() as f64;
            }
            if whole >= MAX_TICK {
                self.playing = false;
                publish = true;
            }
        }
        self.horizon = self.horizon.max(self.sim.now());
        // With reduced motion asked for, a playing run is redrawn in steps
        // a few times a second instead of flowing (time itself runs on).
        let moving =
            self.scene.as_ref().is_none_or(|s| !s.messages.is_empty() || !s.drops.is_empty());
        // A summary due now (a predict-mode stop, the end of a replay or of
        // time) is never held back: it is painted and published at once.
        if !publish && !paint_due(ts - self.last_paint, changed, self.calm, moving) {
            return (true, None);
        }
        self.last_paint = ts;
        let (w, h) = self.fit_canvas();
        let (scene, same) = self.scene_now(changed, w, h);
        let drag = self.pointer.filter(|(a, b)| a.dist(*b) > CLICK_SLOP);
        let focus = step_at(self.guide, self.display.floor() as u64)
            .map_or(&[][..], |k| self.guide[k].nodes);
        let mut ring = draw::Ring { focus, hover: self.hover, ..self.st.ring() };
        ring.node = ring.node.or(self.found.1);
        let texts = self.place_labels(&scene, same);
        let (labels, chrome) = (&texts.1, &texts.2);
        match self.still.as_mut() {
            Some(still) => {
                let dpr = self.size.2;
                still.paint(
                    &self.ctx,
                    &scene,
                    (labels, chrome),
                    (same, self.lang),
                    (ring, drag),
                    dpr,
                );
            }
            None => draw::paint(&self.ctx, &scene, (labels, chrome), drag, ring),
        }
        self.texts = Some(texts);
        self.scene = Some(scene);
        self.st.frame(
            &self.sim,
            (self.display, &self.found.0),
            self.lang,
            ts,
            self.playing || self.target.is_some(),
        );
        if let (Some(t0), Some(p)) = (started, &self.perf) {
            let slot = (self.frames_timed % FRAME_SAMPLES as u64) as usize;
            self.frame_ms[slot] = p.now() - t0;
            self.frame_allocs[slot] =
                u32::try_from(crate::allocations() - allocs).unwrap_or(u32::MAX);
            self.frames_timed += 1;
        }
        let twin_behind = self.twin.as_mut().is_some_and(|t| !t.frame(self.display, self.lang));
        self.draws += 1;
        self.dirty = false;
        if self.first_frame {
            self.first_frame = false;
            crate::mark("qs-first-frame");
        }
        let moving = self.playing || self.target.is_some() || twin_behind;
        if moving && ts - self.last_summary_ts >= SUMMARY_EVERY_MS {
            publish = true;
        }
        let summary = publish.then(|| {
            self.last_summary_ts = ts;
            self.summary()
        });
        (moving || self.dirty, summary)
    }
}

/// Size a canvas's backing store to its CSS size times the device pixel
/// ratio (only when that changed: resizing clears it) and scale the context
/// to CSS pixels. `size` remembers the last (width, height, ratio).
pub fn fit_canvas(
    canvas: &HtmlCanvasElement,
    ctx: &CanvasRenderingContext2d,
    size: &mut (f64, f64, f64),
) -> (f64, f64) {
    let w = f64::from(canvas.client_width().max(1));
    let h = f64::from(canvas.client_height().max(1));
    let dpr = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio()).max(1.0);
    if (w, h, dpr) != *size {
        *size = (w, h, dpr);
        canvas.set_width((w * dpr).round() as u32);
        canvas.set_height((h * dpr).round() as u32);
    }
    let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
    (w, h)
}

/// Make sure a frame is coming if one is needed.
pub fn kick(d: &Shared) {
    let Ok(mut me) = d.try_borrow_mut() else { return };
    if me.raf.is_some() || !(me.dirty || me.playing || me.target.is_some()) {
        return;
    }
    let weak: Weak<RefCell<Driver>> = Rc::downgrade(d);
    me.raf = Some(request_animation_frame(move |ts| {
        if let Some(d) = weak.upgrade() {
            on_frame(&d, ts);
        }
    }));
}

fn on_frame(d: &Shared, ts: f64) {
    let (again, summary, notify) = {
        let Ok(mut me) = d.try_borrow_mut() else { return };
        me.raf = None;
        let (again, summary) = me.frame(ts);
        (again, summary, me.notify.clone())
    };
    if let Some(s) = summary {
        notify.emit(s);
    }
    if again {
        kick(d);
    }
}

/// Run `f` on the driver, then publish its summary (if any) and make sure
/// the canvas is redrawn — with the borrow released before anything else runs.
pub fn with<R>(d: &Shared, f: impl FnOnce(&mut Driver) -> R) -> Option<R>
where
    R: Publish,
{
    let (r, notify) = {
        let mut me = d.try_borrow_mut().ok()?;
        let r = f(&mut me);
        (r, me.notify.clone())
    };
    if let Some(s) = r.summary() {
        notify.emit(s);
    }
    kick(d);
    Some(r)
}

/// Results that may carry a summary to publish.
pub trait Publish {
    fn summary(&self) -> Option<Summary>;
}

impl Publish for Summary {
    fn summary(&self) -> Option<Summary> {
        Some(self.clone())
    }
}

impl Publish for () {
    fn summary(&self) -> Option<Summary> {
        None
    }
}

impl Publish for Gesture {
    fn summary(&self) -> Option<Summary> {
        match self {
            Gesture::Acted(s) => Some((**s).clone()),
            _ => None,
        }
    }
}

impl<E> Publish for Result<Summary, E> {
    fn summary(&self) -> Option<Summary> {
        self.as_ref().ok().cloned()
    }
}

impl Publish for Option<Summary> {
    fn summary(&self) -> Option<Summary> {
        self.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::paint_due;

    #[test]
    fn a_playing_run_is_painted_as_often_as_what_it_shows_needs() {
        // A change is painted at once, whatever the pace.
        assert!(paint_due(0.0, true, true, false));
        // Messages flying: every other display frame at 60 Hz, not every one.
        assert!(!paint_due(16.7, false, false, true));
        assert!(paint_due(33.3, false, false, true));
        // Nothing in flight: ten times a second.
        assert!(!paint_due(50.0, false, false, false));
        assert!(paint_due(100.0, false, false, false));
        // Reduced motion: twice a second, moving or not.
        assert!(!paint_due(300.0, false, true, true));
        assert!(paint_due(500.0, false, true, true));
    }
}
