//! The Yew side's root: the UI state (one reducer), the link the page opened
//! with, and the wiring of the panels (`crate::panels`), each given only the
//! data it shows. The canvas belongs to the driver, created once it exists.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_events::EventListener;
use gloo_render::{request_animation_frame, AnimationFrame};
use qcore::lessons;
use qcore::link::{self, LinkError};
use qcore::scenario::ConfigError;
use qcore::Scenario;
use wasm_bindgen::JsCast;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use crate::diagram::SpaceTimePanel;
use crate::driver::{self, Driver, Proto, Shared, Summary};
use crate::i18n::Lang;
use crate::panels::challenge::ChallengePanel;
use crate::panels::checks::ChecksPanel;
use crate::panels::client::ClientPanel;
use crate::panels::controls::{
    speed_of, Controls, Shortcuts, Status, TimeBar, DEFAULT_SPEED_SLIDER,
};
use crate::panels::event_log::EventLog;
use crate::panels::guide::GuideProps;
use crate::panels::header::{Header, ProblemBar};
use crate::panels::history::{HistoryLanes, HistoryList};
use crate::panels::hunt::HuntPanel;
use crate::panels::jepsen::ImportPanel;
use crate::panels::lesson::{LessonMenu, Narration};
use crate::panels::network::NetworkPanel;
use crate::panels::paxos::PaxosPanel;
use crate::panels::quorum::QuorumPanel;
use crate::panels::share::{EmbedPanel, EmbedState, ShareButtons, SharePanel};
use crate::panels::stage::Stage;
use crate::panels::store::{self, StoreLessonPanel, StorePanel};
use crate::panels::zab::ZabPanel;
use crate::panels::AppCtx;

/// Something to tell the user, translated when shown.
#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    /// A bad link; `then` says what happened instead.
    Link {
        error: LinkError,
        then: &'static str,
    },
    Config(ConfigError),
    NotNumber,
    /// An export asked of a run with nothing to export yet.
    NothingToExport,
}

impl Problem {
    #[must_use]
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Problem::Link { error, then } => format!("{} {}", lang.link_error(error), lang.t(then)),
            Problem::Config(e) => lang.config_error(e),
            Problem::NotNumber => lang.t("nwr.not_number").to_string(),
            Problem::NothingToExport => lang.t("err.empty_history").to_string(),
        }
    }
}

/// What the page starts with, decided from the link before mounting.
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct Start {
    pub scenario: Scenario,
    pub lesson: Option<String>,
    pub lang: Lang,
    pub start_tick: Option<u64>,
    pub autoplay: bool,
    pub embed: bool,
    /// `hidden` or `locked` (embedding).
    pub controls: Option<String>,
    pub problem: Option<Problem>,
}

/// Decide what to open from a location fragment. A bad link falls back to
/// the default lesson and says why.
#[must_use]
pub fn start_from(fragment: &str) -> Start {
    let default = || lessons::lesson(lessons::DEFAULT_LESSON).expect("default lesson exists");
    let mut start = Start {
        scenario: default(),
        lesson: Some(lessons::DEFAULT_LESSON.to_string()),
        lang: Lang::from_browser(),
        start_tick: None,
        autoplay: false,
        embed: false,
        controls: None,
        problem: None,
    };
    match link::parse_fragment(fragment) {
        Ok(f) => {
            if let Some(l) = f.view.lang.as_deref().and_then(Lang::from_code) {
                start.lang = l;
            }
            start.start_tick = f.view.start_tick;
            start.autoplay = f.view.autoplay;
            start.embed = f.view.embed;
            start.controls = f.view.controls;
            if let Some(s) = f.scenario {
                start.scenario = s;
                start.lesson = None;
            } else if let Some(s) = f.lesson.as_deref().and_then(lessons::lesson) {
                start.scenario = s;
                // `step=k` starts at a guided step (where it has one).
                if let Some(st) = f.view.step.and_then(|k| {
                    f.lesson.as_deref().and_then(|l| lessons::guide::steps(l).get(k as usize))
                }) {
                    start.start_tick = Some(st.from);
                }
                start.lesson = f.lesson;
            }
        }
        Err(error) => start.problem = Some(Problem::Link { error, then: "err.loaded_default" }),
    }
    start
}

#[derive(Clone, Debug, PartialEq)]
pub struct Ui {
    pub imported: Option<crate::import::Judged>,
    /// A file being judged, and how far its search has got.
    pub importing: Option<(String, qcore::check::linear::Progress)>,
    pub lang: Lang,
    pub lesson: Option<String>,
    pub summary: Rc<Summary>,
    pub problem: Option<Problem>,
    pub share: Option<(String, bool)>,
    /// The worker's verdict on a long history, and its length.
    pub live: Option<(usize, crate::import::Judged)>,
    /// The keyboard shortcuts list is open.
    pub help: bool,
    /// The Embed panel: the run's address, autoplay, and the controls option.
    pub embed: Option<EmbedState>,
    /// Predict mode, and the last prediction: the step, the choice, and
    /// the answer the run bore out.
    pub predict: bool,
    pub answer: Option<(usize, u32, Option<u32>)>,
    /// Only the stage is shown: the first frame is drawn before the other
    /// panels are built (they cost more than the frame), then they follow.
    pub shell: bool,
}

pub enum UiAction {
    Imported(crate::import::Judged),
    Importing(Option<(String, qcore::check::linear::Progress)>),
    Summary(Box<Summary>),
    Lang(Lang),
    Lesson(Option<String>),
    Problem(Option<Problem>),
    Share(String, bool),
    /// The worker's verdict on the run's first n operations.
    Live(usize, crate::import::Judged),
    /// Open or close the shortcuts list (`None` toggles).
    Help(Option<bool>),
    Embed(Option<EmbedState>),
    Predict(bool),
    Answer(usize, u32, Option<u32>),
    /// The first frame is on screen: build the other panels.
    Unfold,
}

impl Reducible for Ui {
    type Action = UiAction;
    fn reduce(self: Rc<Self>, action: UiAction) -> Rc<Self> {
        let mut ui = (*self).clone();
        match action {
            UiAction::Imported(j) => {
                ui.imported = Some(j);
                ui.importing = None;
            }
            UiAction::Importing(p) => ui.importing = p,
            UiAction::Summary(s) => ui.summary = Rc::from(s),
            UiAction::Lang(l) => ui.lang = l,
            UiAction::Lesson(l) => {
                ui.lesson = l;
                ui.answer = None;
            }
            UiAction::Problem(p) => ui.problem = p,
            UiAction::Share(link, copied) => ui.share = Some((link, copied)),
            UiAction::Live(n, j) => ui.live = Some((n, j)),
            UiAction::Help(on) => ui.help = on.unwrap_or(!ui.help),
            UiAction::Embed(e) => ui.embed = e,
            UiAction::Predict(on) => ui.predict = on,
            UiAction::Answer(k, c, a) => ui.answer = Some((k, c, a)),
            UiAction::Unfold => ui.shell = false,
        }
        Rc::new(ui)
    }
}

impl Ui {
    fn new(start: &Start) -> Self {
        Ui {
            imported: None,
            importing: None,
            lang: start.lang,
            lesson: start.lesson.clone(),
            summary: Rc::default(),
            problem: start.problem.clone(),
            share: None,
            live: None,
            help: false,
            embed: None,
            predict: false,
            answer: None,
            shell: true,
        }
    }

    /// The operation the worker's verdict on the whole history (a long one)
    /// found in no legal order: the history view marks it as the in-frame
    /// check marks its own.
    fn live_offender(&self) -> Option<u64> {
        use qcore::check::linear::Verdict;
        match &self.live {
            Some((
                n,
                crate::import::Judged::Verdict {
                    verdict: Verdict::NotLinearizable { stuck, .. },
                    ..
                },
            )) if *n == self.summary.checks.history.len() => Some(*stuck as u64),
            _ => None,
        }
    }

    /// The lesson on show, or the free experiment of the run's protocol.
    fn current_lesson(&self) -> AttrValue {
        let fallback = match self.summary.proto {
            Proto::Paxos { .. } => "paxos-custom",
            Proto::Quorum { .. } => "quorum-custom",
            Proto::Zab { .. } => "zab-custom",
            Proto::Eventual { .. } => "ec-custom",
        };
        AttrValue::from(self.lesson.clone().unwrap_or_else(|| fallback.to_string()))
    }

    /// The guided step at this moment, if the lesson has one here.
    fn guide(&self) -> Option<GuideProps> {
        let lesson = self.lesson.clone()?;
        let steps = lessons::guide::steps(&lesson);
        let tick = self.summary.tick;
        let step = lessons::guide::step_at(steps, tick)?;
        let ask = steps[step].question.is_some_and(|q| self.predict && tick >= q.ask_at);
        let text = lessons::guide::text_key(&lesson, step, &self.summary.settings);
        Some(GuideProps {
            lesson: lesson.into(),
            text: text.into(),
            step,
            predict: self.predict,
            ask,
            answer: self.answer,
            node_names: self.summary.node_names.clone(),
        })
    }
}

/// This page's address without its fragment.
pub fn page_address() -> String {
    let Some(loc) = web_sys::window().map(|w| w.location()) else { return String::new() };
    format!(
        "{}{}{}",
        loc.origin().unwrap_or_default(),
        loc.pathname().unwrap_or_default(),
        loc.search().unwrap_or_default()
    )
}

/// The protocol's own panel of settings.
fn settings(proto: &Proto, lesson: &AttrValue) -> Html {
    let lesson = lesson.clone();
    match *proto {
        Proto::Quorum { n, w, r, write_back } => {
            html! { <QuorumPanel {lesson} {n} {w} {r} {write_back} /> }
        }
        Proto::Paxos { proposers, acceptors, learners, backoff, variant } => {
            html! { <PaxosPanel {lesson} {proposers} {acceptors} {learners} {backoff} {variant} /> }
        }
        Proto::Zab { voters, observers, sync_reads, variant } => {
            html! { <ZabPanel {lesson} {voters} {observers} {sync_reads} {variant} /> }
        }
        Proto::Eventual { replicas, delivery, session, anti_entropy, replicate, .. } => html! {
            <StorePanel {lesson} {replicas} {delivery} {session} {anti_entropy} {replicate} />
        },
    }
}

/// Create the driver on the canvas, load the run the page opened with, and
/// listen to keys, links and the embedding page; the listeners live as long
/// as the app.
/// The panels other than the stage are built in the frame after the first
/// one the driver draws (its frame callback was asked for first, so it runs
/// first), so that the student sees the run without waiting for them.
fn unfold_after_first_frame(ui: UseReducerDispatcher<Ui>) -> Rc<RefCell<Vec<AnimationFrame>>> {
    let pending: Rc<RefCell<Vec<AnimationFrame>>> = Rc::default();
    let weak = Rc::downgrade(&pending);
    let first = request_animation_frame(move |_| {
        let Some(pending) = weak.upgrade() else { return };
        let next = request_animation_frame(move |_| ui.dispatch(UiAction::Unfold));
        pending.borrow_mut().push(next);
    });
    pending.borrow_mut().push(first);
    pending
}

fn mount(canvas: &NodeRef, ctx: &AppCtx, props: &Start) -> Vec<EventListener> {
    let mut listeners = Vec::new();
    let Some(el) = canvas.cast::<HtmlCanvasElement>() else { return listeners };
    let ui = ctx.ui.clone();
    let notify = Callback::from(move |s: Summary| {
        crate::embed::on_summary(&s);
        ui.dispatch(UiAction::Summary(Box::new(s)));
    });
    let d = match Driver::new(el, props.scenario.clone(), props.lang, notify) {
        Ok(d) => d,
        Err(e) => {
            ctx.problem(Some(Problem::Config(e)));
            return listeners;
        }
    };
    // Nothing starts moving by itself for someone who asked for reduced motion.
    let autoplay = props.autoplay && !driver::prefers_reduced_motion();
    driver::with(&d, |me| {
        me.set_speed(speed_of(DEFAULT_SPEED_SLIDER));
        me.load(props.scenario.clone(), props.start_tick, autoplay)
    });
    // A lesson that compares two systems runs its twin beside.
    if let Some(twin) = props.lesson.as_deref().and_then(lessons::consistency::twin) {
        driver::with(&d, |me| me.set_twin(Some(twin)));
    }
    crate::hooks::install(&d);
    let ui = ctx.ui.clone();
    driver::with(&d, |me| {
        me.on_live(Callback::from(move |(n, j)| ui.dispatch(UiAction::Live(n, j))))
    });
    if props.controls.as_deref() == Some("locked") {
        driver::with(&d, |me| me.set_locked(true));
    }
    *ctx.driver.borrow_mut() = Some(d);
    let Some(window) = web_sys::window() else { return listeners };
    if let Some(doc) = window.document() {
        listeners.push(crate::keys::listen(&doc, ctx.driver.clone(), ctx.ui.clone()));
    }
    // A course page that embeds the app may drive it (see embed.rs).
    if crate::embed::connect(props.lang).is_some() {
        let (driver, ui) = (ctx.driver.clone(), ctx.ui.clone());
        listeners.push(EventListener::new(&window, "message", move |e| {
            let Some(e) = e.dyn_ref::<web_sys::MessageEvent>() else { return };
            if !crate::embed::from_host(e) {
                return; // another window or origin: ignored
            }
            let (Some(cmd), Some(d)) = (crate::embed::parse(&e.data()), driver.borrow().clone())
            else {
                return;
            };
            host_command(cmd, &d, &ui);
        }));
        crate::embed::ready(props.lesson.as_deref());
    }
    let (driver, ui) = (ctx.driver.clone(), ctx.ui.clone());
    listeners.push(EventListener::new(&window, "hashchange", move |_| {
        if let Some(d) = driver.borrow().clone() {
            on_hash_change(&d, &ui);
        }
    }));
    listeners
}

/// A link opened while the app runs: a bad one leaves the run as it was.
fn on_hash_change(d: &Shared, ui: &UseReducerDispatcher<Ui>) {
    let hash = web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default();
    let f = match link::parse_fragment(&hash) {
        Ok(f) => f,
        Err(error) => {
            return ui
                .dispatch(UiAction::Problem(Some(Problem::Link { error, then: "err.kept_run" })));
        }
    };
    let (scenario, lesson) = match (f.scenario, f.lesson) {
        (Some(s), _) => (s, None),
        (None, Some(l)) => match lessons::lesson(&l) {
            Some(s) => (s, Some(l)),
            None => return,
        },
        (None, None) => return,
    };
    if let Some(l) = f.view.lang.as_deref().and_then(Lang::from_code) {
        ui.dispatch(UiAction::Lang(l));
        driver::with(d, |me| me.set_lang(l));
    }
    driver::with(d, |me| me.load(scenario, f.view.start_tick, f.view.autoplay));
    ui.dispatch(UiAction::Lesson(lesson));
    ui.dispatch(UiAction::Problem(None));
}

/// Carry out a command from the embedding page, as the controls would.
fn host_command(cmd: crate::embed::Command, d: &Shared, ui: &UseReducerDispatcher<Ui>) {
    let lang = d.borrow().lang();
    use crate::embed::Command as C;
    let loaded = |scenario: Scenario, lesson: Option<String>, start: Option<u64>, autoplay| {
        match driver::with(d, |me| me.load(scenario, start, autoplay)) {
            Some(Err(e)) => {
                crate::embed::error(&lang.config_error(&e));
            }
            _ => {
                crate::embed::lesson(lesson.as_deref());
                ui.dispatch(UiAction::Lesson(lesson));
                ui.dispatch(UiAction::Problem(None));
            }
        }
    };
    match cmd {
        C::Play => {
            driver::with(d, |me| me.set_playing(true));
        }
        C::Pause => {
            driver::with(d, |me| me.set_playing(false));
        }
        C::Step => {
            driver::with(d, Driver::step);
        }
        C::Seek(t) => {
            driver::with(d, |me| me.seek(t));
        }
        C::Speed(v) => {
            driver::with(d, |me| me.set_speed(v));
        }
        C::Lang(l) => {
            crate::embed::set_lang(l);
            ui.dispatch(UiAction::Lang(l));
            driver::with(d, |me| me.set_lang(l));
        }
        C::Lesson(id) => match lessons::lesson(&id) {
            Some(s) => loaded(s, Some(id), None, false),
            None => crate::embed::error(&format!("{} {id}", lang.t("err.no_lesson"))),
        },
        C::Link(fragment) => {
            match link::parse_fragment(&fragment) {
                // A bad link leaves the run as it was, and says why.
                Err(e) => crate::embed::error(&lang.link_error(&e)),
                Ok(f) => {
                    let (scenario, lesson) = match (f.scenario, f.lesson) {
                        (Some(s), _) => (s, None),
                        (None, Some(l)) => match lessons::lesson(&l) {
                            Some(s) => (s, Some(l)),
                            None => {
                                crate::embed::error(&format!("{} {l}", lang.t("err.no_lesson")));
                                return;
                            }
                        },
                        (None, None) => return,
                    };
                    loaded(scenario, lesson, f.view.start_tick, f.view.autoplay);
                }
            }
        }
    }
}

#[function_component(App)]
pub fn app(props: &Start) -> Html {
    crate::panels::rendered("app");
    let ui = use_reducer(|| Ui::new(props));
    let canvas = use_node_ref();
    let st_canvas = use_node_ref();
    let driver: Rc<RefCell<Option<Shared>>> = use_mut_ref(|| None);
    let ctx = AppCtx { driver, ui: ui.dispatcher(), lang: ui.lang };
    {
        let (canvas, ctx, props) = (canvas.clone(), ctx.clone(), props.clone());
        use_effect_with((), move |()| {
            let listeners = mount(&canvas, &ctx, &props);
            crate::mark("qs-mounted");
            let unfold = unfold_after_first_frame(ctx.ui.clone());
            move || drop((listeners, unfold))
        });
    }
    // The space-time diagram's canvas exists once the panels are built.
    {
        let (st_canvas, driver) = (st_canvas.clone(), ctx.driver.clone());
        use_effect_with(ui.shell, move |shell| {
            let d = driver.borrow().clone().filter(|_| !*shell);
            let listener = d.zip(st_canvas.cast::<HtmlCanvasElement>());
            let listener = listener.map(|(d, c)| crate::diagram::attach(&d, c));
            if !*shell {
                crate::mark("qs-panels");
            }
            move || drop(listener)
        });
    }
    // The guided steps of the lesson, and predict mode's stops.
    {
        let ctx = ctx.clone();
        use_effect_with((ui.lesson.clone(), ui.predict), move |(lesson, predict)| {
            ctx.with(|me| me.set_guide(lesson.as_deref(), *predict));
        });
    }
    let s = &ui.summary;
    let lesson = ui.current_lesson();
    let app_class = classes!(
        "app",
        props.embed.then_some("embed"),
        props.controls.as_ref().map(|c| format!("controls-{c}"))
    );
    let invariants = matches!(s.proto, Proto::Paxos { .. } | Proto::Zab { .. });
    let eventual = matches!(s.proto, Proto::Eventual { .. });
    html! {
        <ContextProvider<AppCtx> context={ctx}>
        <div class={app_class} data-unfolded={(!ui.shell).to_string()}>
            <Header embed={props.embed} />
            <ProblemBar problem={ui.problem.clone()} />
            <main class="main">
                <section class="stage">
                    <LessonMenu lesson={ui.lesson.clone().map(AttrValue::from)} />
                    // Lecture 01's ZooKeeper and Eureka run side by side.
                    <Stage canvas={canvas.clone()} comparing={lesson == "cap-registry"} />
                    if !ui.shell {
                        <div class="controls">
                            <Controls playing={s.playing} can_undo={s.can_undo} help={ui.help} manual={s.held.is_some()} />
                            <ShareButtons canvas={canvas.clone()} embed_open={ui.embed.is_some()} />
                        </div>
                        <TimeBar tick={s.tick} first_tick={s.first_tick} horizon={s.horizon} />
                        <HistoryLanes checks={s.checks.clone()} clients={s.clients} tick={s.tick} windows={s.windows.clone()} offender={ui.live_offender()} found={s.found.clone()} faults={s.faults.clone()} node_names={s.node_names.clone()} />
                        <SpaceTimePanel canvas={st_canvas.clone()} following={s.following} selection={s.selection.clone()} />
                        <SharePanel share={ui.share.clone()} />
                        <EmbedPanel embed={ui.embed.clone()} />
                        <Status tick={s.tick} events={s.events} in_flight={s.in_flight} hash={AttrValue::from(s.hash.clone())} first_tick={s.first_tick} pace={s.pace} />
                    }
                </section>
                <aside class="side">
                    if !ui.shell {
                        if ui.help { <Shortcuts /> }
                        <Narration lesson={lesson.clone()} guide={ui.guide()} own={ui.lesson.is_none()} />
                        if let Some(held) = s.held.clone() {
                            <NetworkPanel {held} node_names={s.node_names.clone()} />
                        }
                        if store::has_lesson_panel(&lesson) {
                            <StoreLessonPanel lesson={lesson.clone()} summary={s.clone()} />
                        }
                        { settings(&s.proto, &lesson) }
                        <ClientPanel clients={s.clients} node_names={s.node_names.clone()} />
                        <ChecksPanel checks={s.checks.clone()} {invariants} {eventual} window={s.window} live={ui.live.clone()} properties={s.properties.clone()} />
                        <ChallengePanel proto={s.proto.clone()} properties={s.properties.clone()} />
                        if !matches!(s.proto, Proto::Eventual { .. }) {
                            <HuntPanel />
                        }
                        <ImportPanel imported={ui.imported.clone()} importing={ui.importing.clone()} />
                        <EventLog log={s.log.clone()} />
                        <HistoryList checks={s.checks.clone()} node_names={s.node_names.clone()} zxids={matches!(s.proto, Proto::Zab { .. })} offender={ui.live_offender()} found={s.found.clone()} />
                    }
                </aside>
            </main>
        </div>
        </ContextProvider<AppCtx>>
    }
}
