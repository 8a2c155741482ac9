//! The Yew side: controls, panels, narration, and the canvas the driver owns.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_events::EventListener;
use qcore::lessons::{self, LESSONS};
use qcore::link::{self, LinkError};
#[cfg(feature = "paxos")]
use qcore::paxos::Variant;
use qcore::scenario::{ActionKind, ConfigError};
use qcore::types::ClientOp;
use qcore::{ProtocolConfig, Scenario};
use qscene::Point;
use wasm_bindgen::JsCast;
use web_sys::{
    HtmlCanvasElement, HtmlInputElement, HtmlSelectElement, KeyboardEvent, PointerEvent,
};
use yew::prelude::*;

use crate::driver::{self, Driver, Gesture, Linear, Proto, Shared, Summary};
use crate::i18n::Lang;

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
}

impl Problem {
    fn text(&self, lang: Lang) -> String {
        match self {
            Problem::Link { error, then } => format!("{} {}", lang.link_error(error), lang.t(then)),
            Problem::Config(e) => lang.config_error(e),
            Problem::NotNumber => lang.t("nwr.not_number").to_string(),
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
    pub lang: Lang,
    pub lesson: Option<String>,
    pub summary: Summary,
    pub problem: Option<Problem>,
    pub share: Option<(String, bool)>,
    /// The worker's verdict on a long history, and its length.
    pub live: Option<(usize, crate::import::Judged)>,
    /// The keyboard shortcuts list is open.
    pub help: bool,
    /// The Embed panel: the run's address, autoplay, and the controls option.
    pub embed: Option<(String, bool, &'static str)>,
    /// Predict mode, and the last prediction: the step, the choice, and
    /// the answer the run bore out.
    pub predict: bool,
    pub answer: Option<(usize, u32, Option<u32>)>,
}

pub enum UiAction {
    Imported(crate::import::Judged),
    Summary(Box<Summary>),
    Lang(Lang),
    Lesson(Option<String>),
    Problem(Option<Problem>),
    Share(String, bool),
    /// The worker's verdict on the run's first n operations.
    Live(usize, crate::import::Judged),
    /// Open or close the shortcuts list (`None` toggles).
    Help(Option<bool>),
    Embed(Option<(String, bool, &'static str)>),
    Predict(bool),
    Answer(usize, u32, Option<u32>),
}

impl Reducible for Ui {
    type Action = UiAction;
    fn reduce(self: Rc<Self>, action: UiAction) -> Rc<Self> {
        let mut ui = (*self).clone();
        match action {
            UiAction::Imported(j) => ui.imported = Some(j),
            UiAction::Summary(s) => ui.summary = *s,
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
        }
        Rc::new(ui)
    }
}

fn input_value(e: &Event) -> String {
    e.target_dyn_into::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default()
}

fn select_value(e: &Event) -> String {
    e.target_dyn_into::<HtmlSelectElement>().map(|i| i.value()).unwrap_or_default()
}

/// Log-scale speed slider: 0..=100 ↦ 3..≈3 000 ticks per second.
fn speed_of(v: f64) -> f64 {
    // The browser's Math.pow: Rust's would add its own code to the bundle.
    js_sys::Math::pow(10.0, 0.5 + v * 3.0 / 100.0)
}

const DEFAULT_SPEED_SLIDER: f64 = 42.0;

fn number(r: &NodeRef) -> Option<u32> {
    r.cast::<HtmlInputElement>().and_then(|i| i.value().trim().parse::<u32>().ok())
}

/// The lesson to rebuild with a change: the current one when its timeline
/// still fits the new shape, else the free experiment of the same protocol.
fn fitting(id: &str, set: impl Fn(&mut Scenario) + Copy, fallback: &str) -> String {
    let fits = lessons::lesson_with(id, set).is_some_and(|r| {
        !matches!(r, Err(ConfigError::NoSuchNode { .. } | ConfigError::NoSuchClient { .. }))
    });
    if fits {
        id.to_string()
    } else {
        fallback.to_string()
    }
}

/// Lay out the run's client history for the history view.
fn history_scene(s: &Summary, width: f64) -> qscene::HistoryScene {
    use qcore::client::Outcome;
    use qscene::{BarKind, HistoryOp};
    let points = match &s.linear {
        Linear::Yes(p) => p.clone(),
        _ => std::collections::BTreeMap::new(),
    };
    let ops: Vec<HistoryOp> = s
        .history
        .iter()
        .map(|o| HistoryOp {
            id: o.id,
            client: o.client,
            invoke: o.invoke,
            ret: o.ret.map(|(t, _)| t),
            kind: match o.ret {
                None => BarKind::Pending,
                Some((_, Outcome::Ok { .. })) => BarKind::Ok,
                Some(_) => BarKind::Failed,
            },
            label: {
                // Keys other than X are named: `w comment=2`, `r reply∅`.
                let key = match o.op.key() {
                    0 => String::new(),
                    k => format!(" {}", qcore::types::key_name(k)),
                };
                match (o.op.written(), o.ret) {
                    (Some(v), _) if key.is_empty() => format!("w{v}"),
                    (Some(v), _) => format!("w{key}={v}"),
                    (None, Some((_, Outcome::Ok { value: Some(v), .. }))) if key.is_empty() => {
                        format!("r{v}")
                    }
                    (None, Some((_, Outcome::Ok { value: Some(v), .. }))) => format!("r{key}={v}"),
                    (None, Some((_, Outcome::Ok { value: None, .. }))) => format!("r{key}∅"),
                    (None, _) => format!("r{key}?"),
                }
            },
            flagged: o.flagged,
            point: points.get(&o.id).copied(),
        })
        .collect();
    let scene = qscene::layout_history(&ops, s.clients, s.tick, width, 22.0);
    #[cfg(feature = "eventual")]
    let scene = scene.with_windows(&s.windows, s.tick);
    scene
}

/// A version as the protocol names it: Zab's zxid as `epoch:counter`.
fn stamp_text(proto: &Proto, stamp: qcore::Stamp) -> String {
    #[cfg(feature = "zab")]
    if matches!(proto, Proto::Zab { .. }) {
        return qcore::zab::show(stamp.counter);
    }
    let _ = proto;
    stamp.to_string()
}

fn op_text(op: ClientOp) -> String {
    op.to_string()
}

/// Whether the focused element `el` uses `key` itself (typing in a field,
/// pressing a button, moving a slider), so it is not a shortcut there.
fn own_key(el: &web_sys::Element, key: &str) -> bool {
    let kind = el.get_attribute("type").unwrap_or_default();
    match el.tag_name().as_str() {
        "SELECT" | "TEXTAREA" => true,
        "INPUT" => match kind.as_str() {
            "range" => matches!(
                key,
                "ArrowLeft"
                    | "ArrowRight"
                    | "ArrowUp"
                    | "ArrowDown"
                    | "Home"
                    | "End"
                    | "PageUp"
                    | "PageDown"
            ),
            "checkbox" | "radio" => key == " ",
            _ => true,
        },
        "BUTTON" | "A" => key == " " || key == "Enter",
        _ => false,
    }
}

/// The keyboard shortcuts and what they do (the `?` list).
const SHORTCUTS: &[(&str, &str)] = &[
    ("Space", "keys.play"),
    ("→", "keys.step"),
    ("←", "keys.back"),
    ("Home", "keys.reset"),
    ("Ctrl+Z", "keys.undo"),
    ("1 … 9", "keys.crash"),
    ("H", "keys.heal"),
    #[cfg(feature = "spacetime")]
    ("+ / −", "keys.zoom"),
    #[cfg(feature = "spacetime")]
    ("[ / ]", "keys.pan"),
    #[cfg(feature = "spacetime")]
    ("F", "keys.follow"),
    #[cfg(feature = "spacetime")]
    ("Shift+click", "keys.inspect"),
    ("Tab", "keys.tab"),
    ("?", "keys.help"),
];

/// This page's address without its fragment.
fn page_address() -> String {
    let Some(loc) = web_sys::window().map(|w| w.location()) else { return String::new() };
    format!(
        "{}{}{}",
        loc.origin().unwrap_or_default(),
        loc.pathname().unwrap_or_default(),
        loc.search().unwrap_or_default()
    )
}

/// Carry out a command from the embedding page, as the controls would.
fn host_command(cmd: crate::embed::Command, d: &Shared, ui: &UseReducerHandle<Ui>) {
    use crate::embed::Command as C;
    let loaded = |scenario: Scenario, lesson: Option<String>, start: Option<u64>, autoplay| {
        match driver::with(d, |me| me.load(scenario, start, autoplay)) {
            Some(Err(e)) => {
                crate::embed::error(&ui.lang.config_error(&e));
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
        C::Lesson(id) => {
            if !lessons::available(&id) {
                // Another build has it: reload as that build, still framed.
                crate::open_full_build(&format!("lesson={id}&embed=1&lang={}", ui.lang.code()));
                return;
            }
            match lessons::lesson(&id) {
                Some(s) => loaded(s, Some(id), None, false),
                None => crate::embed::error(&format!("{} {id}", ui.lang.t("err.no_lesson"))),
            }
        }
        C::Link(fragment) => {
            if crate::needs_full_build(&fragment) {
                crate::open_full_build(&format!("{fragment}&embed=1"));
                return;
            }
            match link::parse_fragment(&fragment) {
                // A bad link leaves the run as it was, and says why.
                Err(e) => crate::embed::error(&ui.lang.link_error(&e)),
                Ok(f) => {
                    let (scenario, lesson) = match (f.scenario, f.lesson) {
                        (Some(s), _) => (s, None),
                        (None, Some(l)) => match lessons::lesson(&l) {
                            Some(s) => (s, Some(l)),
                            None => {
                                crate::embed::error(&format!("{} {l}", ui.lang.t("err.no_lesson")));
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
// In the default page's build Quorum is the only protocol, so the switches'
// `if let ProtocolConfig::Quorum(..)` always match there.
#[allow(irrefutable_let_patterns)]
pub fn app(props: &Start) -> Html {
    let ui = use_reducer(|| Ui {
        imported: None,
        lang: props.lang,
        lesson: props.lesson.clone(),
        summary: Summary::default(),
        problem: props.problem.clone(),
        share: None,
        live: None,
        help: false,
        embed: None,
        predict: false,
        answer: None,
    });
    let canvas = use_node_ref();
    let st_canvas = use_node_ref();
    let driver: Rc<RefCell<Option<Shared>>> = use_mut_ref(|| None);
    let lang = ui.lang;
    let t = move |k: &str| lang.t(k);

    // Create the driver once the canvas exists; listen to keys and links.
    {
        let (canvas, driver, ui, props, st_canvas) =
            (canvas.clone(), driver.clone(), ui.clone(), props.clone(), st_canvas.clone());
        use_effect_with((), move |()| {
            let mut listeners: Vec<EventListener> = Vec::new();
            if let Some(el) = canvas.cast::<HtmlCanvasElement>() {
                let notify = {
                    let ui = ui.clone();
                    Callback::from(move |s: Summary| {
                        crate::embed::on_summary(&s);
                        ui.dispatch(UiAction::Summary(Box::new(s)));
                    })
                };
                match Driver::new(el, props.scenario.clone(), props.lang, notify) {
                    Ok(d) => {
                        // Nothing starts moving by itself for someone who asked
                        // for reduced motion.
                        let autoplay = props.autoplay && !driver::prefers_reduced_motion();
                        driver::with(&d, |me| {
                            me.set_speed(speed_of(DEFAULT_SPEED_SLIDER));
                            me.load(props.scenario.clone(), props.start_tick, autoplay)
                        });
                        // A lesson that compares two systems runs its twin beside.
                        #[cfg(feature = "eventual")]
                        if let Some(twin) =
                            props.lesson.as_deref().and_then(qcore::lessons::consistency::twin)
                        {
                            driver::with(&d, |me| me.set_twin(Some(twin)));
                        }
                        #[cfg(feature = "spacetime")]
                        if let Some(c) = st_canvas.cast::<HtmlCanvasElement>() {
                            listeners.push(crate::diagram::attach(&d, c));
                        }
                        #[cfg(not(feature = "spacetime"))]
                        let _ = &st_canvas;
                        crate::hooks::install(&d);
                        let ui = ui.clone();
                        driver::with(&d, |me| {
                            me.on_live(Callback::from(move |(n, j)| {
                                ui.dispatch(UiAction::Live(n, j))
                            }));
                        });
                        *driver.borrow_mut() = Some(d);
                    }
                    Err(e) => ui.dispatch(UiAction::Problem(Some(Problem::Config(e)))),
                }
            }
            if let Some(window) = web_sys::window() {
                let (driver_k, driver_h, ui_h, ui_k) =
                    (driver.clone(), driver.clone(), ui.clone(), ui.clone());
                let doc = window.document().expect("document");
                let opts = gloo_events::EventListenerOptions::enable_prevent_default();
                listeners.push(EventListener::new_with_options(&doc, "keydown", opts, move |e| {
                    let Some(e) = e.dyn_ref::<KeyboardEvent>() else { return };
                    let Some(d) = driver_k.borrow().clone() else { return };
                    let key = e.key();
                    // The focused control keeps the keys it uses itself; the
                    // rest stay shortcuts, so keyboard users keep them too.
                    let typing = e
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                        .is_some_and(|el| own_key(&el, &key));
                    // Ctrl/⌘+Z takes back the last action, except in a text
                    // field (where it undoes typing).
                    if (e.ctrl_key() || e.meta_key()) && key.eq_ignore_ascii_case("z") {
                        if !typing {
                            e.prevent_default();
                            driver::with(&d, Driver::undo);
                        }
                        return;
                    }
                    if typing || e.ctrl_key() || e.meta_key() || e.alt_key() {
                        if key == "Escape" {
                            ui_k.dispatch(UiAction::Help(Some(false)));
                        }
                        return;
                    }
                    match key.as_str() {
                        "?" => ui_k.dispatch(UiAction::Help(None)),
                        // Digits crash or restart a node: the canvas by keyboard.
                        k if k.len() == 1 && ("1"..="9").contains(&k) => {
                            let n = u32::from(k.as_bytes()[0] - b'1');
                            if let Some(Err(err)) = driver::with(&d, |me| me.toggle_node(n)) {
                                ui_k.dispatch(UiAction::Problem(Some(Problem::Config(err))));
                            }
                        }
                        "h" | "H" => {
                            driver::with(&d, |me| me.act(ActionKind::HealAll));
                        }
                        "Escape" => ui_k.dispatch(UiAction::Help(Some(false))),
                        "Home" => {
                            e.prevent_default();
                            driver::with(&d, |me| me.seek(0));
                        }
                        #[cfg(feature = "spacetime")]
                        "+" | "=" => {
                            driver::with(&d, |me| me.diagram_view(Some(0.8), None, false));
                        }
                        #[cfg(feature = "spacetime")]
                        "-" | "_" => {
                            driver::with(&d, |me| me.diagram_view(Some(1.25), None, false));
                        }
                        #[cfg(feature = "spacetime")]
                        "[" => {
                            driver::with(&d, |me| me.diagram_view(None, Some(-0.2), false));
                        }
                        #[cfg(feature = "spacetime")]
                        "]" => {
                            driver::with(&d, |me| me.diagram_view(None, Some(0.2), false));
                        }
                        #[cfg(feature = "spacetime")]
                        "f" | "F" => {
                            driver::with(&d, |me| me.diagram_view(None, None, true));
                        }
                        " " => {
                            e.prevent_default();
                            driver::with(&d, |me| {
                                let on = !me.playing();
                                me.set_playing(on)
                            });
                        }
                        "ArrowRight" => {
                            e.prevent_default();
                            driver::with(&d, Driver::step);
                        }
                        "ArrowLeft" => {
                            e.prevent_default();
                            driver::with(&d, Driver::step_back);
                        }
                        _ => {}
                    }
                }));
                // A course page that embeds the app may drive it (see embed.rs).
                if crate::embed::connect(props.lang).is_some() {
                    let (driver_m, ui_m) = (driver.clone(), ui.clone());
                    listeners.push(EventListener::new(&window, "message", move |e| {
                        let Some(e) = e.dyn_ref::<web_sys::MessageEvent>() else { return };
                        if !crate::embed::from_host(e) {
                            return; // another window or origin: ignored
                        }
                        let (Some(cmd), Some(d)) =
                            (crate::embed::parse(&e.data()), driver_m.borrow().clone())
                        else {
                            return;
                        };
                        host_command(cmd, &d, &ui_m);
                    }));
                    crate::embed::ready(props.lesson.as_deref());
                }
                if props.controls.as_deref() == Some("locked") {
                    if let Some(d) = driver.borrow().clone() {
                        driver::with(&d, |me| me.set_locked(true));
                    }
                }
                listeners.push(EventListener::new(&window, "hashchange", move |_| {
                    let Some(d) = driver_h.borrow().clone() else { return };
                    let hash = web_sys::window()
                        .and_then(|w| w.location().hash().ok())
                        .unwrap_or_default();
                    if crate::needs_full_build(&hash) {
                        crate::open_full_build(&hash);
                        return;
                    }
                    match link::parse_fragment(&hash) {
                        Err(error) => ui_h.dispatch(UiAction::Problem(Some(Problem::Link {
                            error,
                            then: "err.kept_run",
                        }))),
                        Ok(f) => {
                            let (scenario, lesson) = match (f.scenario, f.lesson) {
                                (Some(s), _) => (s, None),
                                (None, Some(l)) => match lessons::lesson(&l) {
                                    Some(s) => (s, Some(l)),
                                    None => return,
                                },
                                (None, None) => return,
                            };
                            if let Some(l) = f.view.lang.as_deref().and_then(Lang::from_code) {
                                ui_h.dispatch(UiAction::Lang(l));
                                driver::with(&d, |me| me.set_lang(l));
                            }
                            driver::with(&d, |me| {
                                me.load(scenario, f.view.start_tick, f.view.autoplay)
                            });
                            ui_h.dispatch(UiAction::Lesson(lesson));
                            ui_h.dispatch(UiAction::Problem(None));
                        }
                    }
                }));
            }
            move || drop(listeners)
        });
    }

    let with_driver = {
        let driver = driver.clone();
        move || driver.borrow().clone()
    };

    // ---- canvas pointer gestures ----
    let point = |e: &PointerEvent| Point::new(f64::from(e.offset_x()), f64::from(e.offset_y()));
    let on_down = {
        let d = with_driver.clone();
        Callback::from(move |e: PointerEvent| {
            if let Some(el) = e.target_dyn_into::<web_sys::Element>() {
                let _ = el.set_pointer_capture(e.pointer_id());
            }
            if let Some(d) = d() {
                driver::with(&d, |me| me.pointer_down(point(&e)));
            }
        })
    };
    let on_move = {
        let d = with_driver.clone();
        Callback::from(move |e: PointerEvent| {
            if let Some(d) = d() {
                driver::with(&d, |me| me.pointer_move(point(&e)));
            }
        })
    };
    let on_up = {
        let (d, ui) = (with_driver.clone(), ui.clone());
        Callback::from(move |e: PointerEvent| {
            if let Some(d) = d() {
                let inspect = e.shift_key();
                if let Some(Gesture::Refused(err)) =
                    driver::with(&d, |me| me.pointer_up(point(&e), inspect))
                {
                    ui.dispatch(UiAction::Problem(Some(Problem::Config(err))));
                }
            }
        })
    };
    let on_cancel = {
        let d = with_driver.clone();
        Callback::from(move |_: PointerEvent| {
            if let Some(d) = d() {
                driver::with(&d, Driver::pointer_cancel);
            }
        })
    };

    let on_undo = {
        let d = with_driver.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(d) = d() {
                driver::with(&d, Driver::undo);
            }
        })
    };
    let on_help = {
        let ui = ui.clone();
        Callback::from(move |_: MouseEvent| ui.dispatch(UiAction::Help(None)))
    };

    // ---- controls ----
    let s = &ui.summary;
    let on_play = {
        let d = with_driver.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(d) = d() {
                driver::with(&d, |me| {
                    let on = !me.playing();
                    me.set_playing(on)
                });
            }
        })
    };
    let on_step = {
        let d = with_driver.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(d) = d() {
                driver::with(&d, Driver::step);
            }
        })
    };
    let on_back = {
        let d = with_driver.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(d) = d() {
                driver::with(&d, Driver::step_back);
            }
        })
    };
    let on_reset = {
        let d = with_driver.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(d) = d() {
                driver::with(&d, |me| me.seek(0));
            }
        })
    };
    let on_heal = {
        let (d, ui) = (with_driver.clone(), ui.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(d) = d() {
                if let Some(Err(e)) = driver::with(&d, |me| me.act(ActionKind::HealAll)) {
                    ui.dispatch(UiAction::Problem(Some(Problem::Config(e))));
                }
            }
        })
    };
    let on_speed = {
        let d = with_driver.clone();
        Callback::from(move |e: InputEvent| {
            // Integers only: float parsing would add weight to the bundle.
            let v = input_value(&e).parse::<u32>().map_or(DEFAULT_SPEED_SLIDER, f64::from);
            if let Some(d) = d() {
                driver::with(&d, |me| me.set_speed(speed_of(v)));
            }
        })
    };
    let on_time = {
        let d = with_driver.clone();
        Callback::from(move |e: InputEvent| {
            if let (Ok(t), Some(d)) = (input_value(&e).parse::<u64>(), d()) {
                driver::with(&d, |me| me.seek(t));
            }
        })
    };
    let on_lang = {
        let (d, ui) = (with_driver.clone(), ui.clone());
        Callback::from(move |e: Event| {
            if let Some(l) = Lang::from_code(&select_value(&e)) {
                crate::embed::set_lang(l);
                ui.dispatch(UiAction::Lang(l));
                if let Some(d) = d() {
                    driver::with(&d, |me| me.set_lang(l));
                }
                if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
                    if let Some(root) = doc.document_element() {
                        let _ =
                            root.set_attribute("lang", if l == Lang::Zh { "zh-CN" } else { "en" });
                    }
                }
            }
        })
    };
    let load_lesson = {
        let (d, ui) = (with_driver.clone(), ui.clone());
        move |id: String, tweak: &dyn Fn(&mut Scenario), keep_time: bool| {
            if !lessons::available(&id) {
                let lang = ui.lang.code();
                crate::open_full_build(&format!("lesson={id}&lang={lang}"));
                return;
            }
            let Some(result) = lessons::lesson_with(&id, tweak) else { return };
            let Some(d) = d() else { return };
            match result {
                Ok(s) => {
                    let at = keep_time.then(|| d.borrow().sim().now());
                    if let Some(Err(e)) = driver::with(&d, |me| me.load(s, at, false)) {
                        ui.dispatch(UiAction::Problem(Some(Problem::Config(e))));
                        return;
                    }
                    #[cfg(feature = "eventual")]
                    if let Some(twin) = qcore::lessons::consistency::twin(&id) {
                        driver::with(&d, |me| me.set_twin(Some(twin)));
                    }
                    ui.dispatch(UiAction::Lesson(Some(id)));
                    ui.dispatch(UiAction::Problem(None));
                }
                Err(e) => ui.dispatch(UiAction::Problem(Some(Problem::Config(e)))),
            }
        }
    };
    let on_lesson = {
        let load = load_lesson.clone();
        Callback::from(move |e: Event| load(select_value(&e), &|_| {}, false))
    };
    #[cfg(feature = "paxos")]
    let is_paxos = matches!(s.proto, Proto::Paxos { .. });
    #[cfg(not(feature = "paxos"))]
    let is_paxos = false;
    #[cfg(feature = "zab")]
    let is_zab = matches!(s.proto, Proto::Zab { .. });
    #[cfg(not(feature = "zab"))]
    let is_zab = false;
    let fallback = match s.proto {
        #[cfg(feature = "paxos")]
        Proto::Paxos { .. } => "paxos-custom",
        Proto::Quorum { .. } => "quorum-custom",
        #[cfg(feature = "zab")]
        Proto::Zab { .. } => "zab-custom",
        #[cfg(feature = "eventual")]
        Proto::Eventual { .. } => "ec-custom",
    };
    let current_lesson = ui.lesson.clone().unwrap_or_else(|| fallback.to_string());
    // Switches rebuild the lesson with the change and go back to the same moment.
    let rescript = {
        let (load, id) = (load_lesson.clone(), current_lesson.clone());
        move |set: &dyn Fn(&mut Scenario)| load(id.clone(), set, true)
    };
    let on_write_back = {
        let rescript = rescript.clone();
        Callback::from(move |e: Event| {
            let on = e.target_dyn_into::<HtmlInputElement>().is_some_and(|i| i.checked());
            rescript(&move |s: &mut Scenario| {
                if let ProtocolConfig::Quorum(q) = &mut s.protocol {
                    q.write_back = on;
                }
            });
        })
    };
    #[cfg(feature = "paxos")]
    let on_backoff = {
        let rescript = rescript.clone();
        Callback::from(move |e: Event| {
            let on = e.target_dyn_into::<HtmlInputElement>().is_some_and(|i| i.checked());
            rescript(&move |s: &mut Scenario| {
                if let ProtocolConfig::Paxos(p) = &mut s.protocol {
                    p.backoff = on;
                }
            });
        })
    };
    #[cfg(feature = "paxos")]
    let on_variant = {
        let rescript = rescript.clone();
        Callback::from(move |e: Event| {
            let v = match select_value(&e).as_str() {
                "forget" => Variant::ForgetPromise,
                "reuse" => Variant::ReuseNumbers,
                _ => Variant::Faithful,
            };
            rescript(&move |s: &mut Scenario| {
                if let ProtocolConfig::Paxos(p) = &mut s.protocol {
                    p.variant = v;
                }
            });
        })
    };
    #[cfg(feature = "zab")]
    let on_sync_reads = {
        let rescript = rescript.clone();
        Callback::from(move |e: Event| {
            let on = e.target_dyn_into::<HtmlInputElement>().is_some_and(|i| i.checked());
            rescript(&move |s: &mut Scenario| {
                if let ProtocolConfig::Zab(z) = &mut s.protocol {
                    z.sync_reads = on;
                }
            });
        })
    };
    #[cfg(feature = "zab")]
    let on_zab_variant = {
        let rescript = rescript.clone();
        Callback::from(move |e: Event| {
            use qcore::zab::Variant as V;
            let v = match select_value(&e).as_str() {
                "commit" => V::CommitBeforeQuorum,
                "myid" => V::ElectionIgnoresZxid,
                "ack" => V::AckBeforePersist,
                "epoch" => V::EpochPersistLate,
                _ => V::Faithful,
            };
            rescript(&move |s: &mut Scenario| {
                if let ProtocolConfig::Zab(z) = &mut s.protocol {
                    z.variant = v;
                }
            });
        })
    };
    #[cfg(feature = "eventual")]
    let ev = crate::eventual_panel::callbacks(&rescript);
    let nwr_n = use_node_ref();
    let nwr_w = use_node_ref();
    let nwr_r = use_node_ref();
    let on_apply_nwr = {
        let (load, ui, id) = (load_lesson.clone(), ui.clone(), current_lesson.clone());
        let (rn, rw, rr) = (nwr_n.clone(), nwr_w.clone(), nwr_r.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (Some(n), Some(w), Some(r)) = (number(&rn), number(&rw), number(&rr)) else {
                ui.dispatch(UiAction::Problem(Some(Problem::NotNumber)));
                return;
            };
            let set = move |s: &mut Scenario| {
                if let ProtocolConfig::Quorum(q) = &mut s.protocol {
                    (q.n, q.w, q.r) = (n, w, r);
                }
            };
            load(fitting(&id, set, "quorum-custom"), &set, false);
        })
    };
    #[cfg(feature = "paxos")]
    let pax_p = use_node_ref();
    #[cfg(feature = "paxos")]
    let pax_a = use_node_ref();
    #[cfg(feature = "paxos")]
    let on_apply_paxos = {
        let (load, ui, id) = (load_lesson.clone(), ui.clone(), current_lesson.clone());
        let (rp, ra) = (pax_p.clone(), pax_a.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (Some(p), Some(a)) = (number(&rp), number(&ra)) else {
                ui.dispatch(UiAction::Problem(Some(Problem::NotNumber)));
                return;
            };
            let set = move |s: &mut Scenario| {
                if let ProtocolConfig::Paxos(c) = &mut s.protocol {
                    (c.proposers, c.acceptors) = (p, a);
                }
            };
            load(fitting(&id, set, "paxos-custom"), &set, false);
        })
    };
    let client_sel = use_node_ref();
    let node_sel = use_node_ref();
    let value_in = use_node_ref();
    let client_op = {
        let (d, ui) = (with_driver.clone(), ui.clone());
        let (cs, ns, vi) = (client_sel.clone(), node_sel.clone(), value_in.clone());
        move |write: bool| {
            let sel = |r: &NodeRef| {
                r.cast::<HtmlSelectElement>().and_then(|s| s.value().parse::<u32>().ok())
            };
            let (Some(client), Some(node), Some(d)) = (sel(&cs), sel(&ns), d()) else { return };
            let op = if write {
                match vi
                    .cast::<HtmlInputElement>()
                    .and_then(|i| i.value().trim().parse::<u64>().ok())
                {
                    Some(v) => ClientOp::Write(v),
                    None => {
                        ui.dispatch(UiAction::Problem(Some(Problem::NotNumber)));
                        return;
                    }
                }
            } else {
                ClientOp::Read
            };
            if let Some(Err(e)) =
                driver::with(&d, |me| me.act(ActionKind::ClientOp { client, node, op }))
            {
                ui.dispatch(UiAction::Problem(Some(Problem::Config(e))));
            }
        }
    };
    let on_write = {
        let f = client_op.clone();
        Callback::from(move |_: MouseEvent| f(true))
    };
    let on_read = Callback::from(move |_: MouseEvent| client_op(false));
    let on_share = {
        let (d, ui) = (with_driver.clone(), ui.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(d) = d() else { return };
            let frag = d.borrow().share_fragment();
            let Some(window) = web_sys::window() else { return };
            let url = format!("{}#{frag}", page_address());
            ui.dispatch(UiAction::Share(url.clone(), false));
            // The QR code comes from the worker (the page does not carry the encoder).
            crate::import::job(
                "qr",
                url.clone(),
                Callback::from(|text: String| {
                    let canvas = web_sys::window()
                        .and_then(|w| w.document())
                        .and_then(|d| d.get_element_by_id("share-qr"))
                        .and_then(|e| e.dyn_into::<HtmlCanvasElement>().ok());
                    if let (Some(c), Some(code)) = (canvas, qscene::qr::Qr::from_text(&text)) {
                        crate::draw::paint_qr(&c, &code);
                    }
                }),
            );
            // The clipboard exists only in a secure context (not on plain
            // http over a LAN): then the link stays in the field to copy by hand.
            let nav = window.navigator();
            let has_clipboard = js_sys::Reflect::get(&nav, &"clipboard".into())
                .is_ok_and(|c| !c.is_undefined() && !c.is_null());
            if has_clipboard {
                let promise = nav.clipboard().write_text(&url);
                let ui = ui.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let ok = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
                    ui.dispatch(UiAction::Share(url, ok));
                });
            }
        })
    };
    // Exports written by the worker from the run (it carries the encoders;
    // the page does not): the client history as Jepsen EDN (what
    // `quorumscope check` and Jepsen's tools read), the trace as JSON, and
    // the frame on show as SVG (from the Scene, as `run --export svg` makes it).
    let export = |kind: &'static str, file: &'static str, mime: &'static str| {
        let d = with_driver.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(d) = d() else { return };
            let arg =
                if kind == "svg" { d.borrow().frame_spec() } else { d.borrow().share_fragment() };
            crate::import::job(
                kind,
                arg,
                Callback::from(move |text: String| {
                    if !text.is_empty() {
                        crate::download(file, mime, &text);
                    }
                }),
            );
        })
    };
    let on_export = export("edn", "quorumscope-history.edn", "application/edn");
    let on_export_json = export("json", "quorumscope-trace.json", "application/json");
    let on_export_svg = export("svg", "quorumscope-frame.svg", "image/svg+xml");
    let on_export_png = {
        let canvas = canvas.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                crate::download_png("quorumscope-frame.png", &c);
            }
        })
    };
    // ---- the Embed panel: the snippet for this run, with its options ----
    let on_embed = {
        let (d, ui) = (with_driver.clone(), ui.clone());
        Callback::from(move |_: MouseEvent| {
            if ui.embed.is_some() {
                ui.dispatch(UiAction::Embed(None));
                return;
            }
            let Some(d) = d() else { return };
            let frag = d.borrow().share_fragment();
            ui.dispatch(UiAction::Embed(Some((format!("{}#{frag}", page_address()), false, ""))));
        })
    };
    let on_embed_autoplay = {
        let ui = ui.clone();
        Callback::from(move |e: Event| {
            let on = e.target_dyn_into::<HtmlInputElement>().is_some_and(|i| i.checked());
            if let Some((url, _, c)) = ui.embed.clone() {
                ui.dispatch(UiAction::Embed(Some((url, on, c))));
            }
        })
    };
    let on_embed_controls = {
        let ui = ui.clone();
        Callback::from(move |e: Event| {
            let c = match select_value(&e).as_str() {
                "locked" => "locked",
                "hidden" => "hidden",
                _ => "",
            };
            if let Some((url, a, _)) = ui.embed.clone() {
                ui.dispatch(UiAction::Embed(Some((url, a, c))));
            }
        })
    };
    let embed_panel = ui.embed.as_ref().map(|(url, autoplay, controls)| {
        let mut src = format!("{url}&embed=1");
        if *autoplay {
            src.push_str("&autoplay=1");
        }
        if !controls.is_empty() {
            src.push_str("&controls=");
            src.push_str(controls);
        }
        let opt = |v: &'static str, k: &str| html! { <option value={v} selected={*controls == v}>{ t(k) }</option> };
        html! {
            <section id="embed-panel" class="embed-panel">
                <h2>{ t("embed.title") }</h2>
                <p class="muted">{ t("embed.hint") }</p>
                <label class="check"><input id="embed-autoplay" type="checkbox" checked={*autoplay} onchange={on_embed_autoplay} />{ t("embed.autoplay") }</label>
                <label>{ t("embed.controls") }
                    <select id="embed-controls" onchange={on_embed_controls}>
                        { opt("", "embed.controls.normal") }{ opt("locked", "embed.controls.locked") }{ opt("hidden", "embed.controls.hidden") }
                    </select>
                </label>
                <textarea id="embed-code" readonly=true rows="4" value={crate::embed::snippet(&src)} />
            </section>
        }
    });
    // In a frame: a way out to the whole app, with the same run.
    let open_full = props.embed.then(|| {
        let href = web_sys::window()
            .and_then(|w| w.location().hash().ok())
            .map(|h| {
                // The same run, without the embedding options.
                let keep: Vec<&str> = h
                    .trim_start_matches('#')
                    .split('&')
                    .filter(|p| !p.starts_with("embed=") && !p.starts_with("controls="))
                    .collect();
                format!("{}#{}", page_address(), keep.join("&"))
            })
            .unwrap_or_default();
        html! { <a id="open-app" class="open-app" href={href} target="_blank" rel="noopener">{ t("embed.open") }</a> }
    });

    let on_dismiss = {
        let ui = ui.clone();
        Callback::from(move |_: MouseEvent| ui.dispatch(UiAction::Problem(None)))
    };

    // ---- the history view: lanes per client, redrawn when a summary comes ----
    let hist_canvas = use_node_ref();
    {
        let hist_canvas = hist_canvas.clone();
        use_effect_with((ui.summary.clone(), lang), move |(s, lang)| {
            if let Some(c) = hist_canvas.cast::<HtmlCanvasElement>() {
                crate::draw::paint_history(
                    &c,
                    &history_scene(s, f64::from(c.client_width())),
                    *lang,
                );
            }
        });
    }
    let on_hist_click = {
        let (d, hist_canvas, summary) =
            (with_driver.clone(), hist_canvas.clone(), ui.summary.clone());
        Callback::from(move |e: MouseEvent| {
            let Some(c) = hist_canvas.cast::<HtmlCanvasElement>() else { return };
            let scene = history_scene(&summary, f64::from(c.client_width()));
            let (x, y) = (f64::from(e.offset_x()), f64::from(e.offset_y()));
            if let (Some(bar), Some(d)) = (qscene::hit_bar(&scene, x, y), d()) {
                // Jump the canvas to the moment the operation was invoked.
                let at = bar.invoke;
                driver::with(&d, |me| me.seek(at));
            }
        })
    };

    // ---- import a Jepsen history (a tool of the full build) ----
    #[cfg(feature = "eventual")]
    let import_panel = {
        let imported = {
            let ui = ui.clone();
            Callback::from(move |j| ui.dispatch(UiAction::Imported(j)))
        };
        let on_file = {
            let imported = imported.clone();
            Callback::from(move |e: Event| {
                let file = e
                    .target_dyn_into::<HtmlInputElement>()
                    .and_then(|i| i.files())
                    .and_then(|f| f.get(0));
                if let Some(file) = file {
                    crate::import::read(file, imported.clone());
                }
            })
        };
        let on_dragover = Callback::from(|e: DragEvent| e.prevent_default());
        let on_drop = {
            let imported = imported.clone();
            Callback::from(move |e: DragEvent| {
                e.prevent_default();
                let file = e.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0));
                if let Some(file) = file {
                    crate::import::read(file, imported.clone());
                }
            })
        };
        let import_result = ui.imported.as_ref().map(|j| {
            let (ok, text) = crate::import::describe(j, lang);
            html! { <p id="import-result" class={if ok { "ok" } else { "bad" }}>{ text }</p> }
        });
        html! {
            <section id="import-panel" class="panel import" ondragover={on_dragover} ondrop={on_drop}>
                <h2>{ t("import.title") }</h2>
                <p class="muted">{ t("import.hint") }</p>
                <input id="import" type="file" accept=".edn,.txt,.log,.clj" onchange={on_file} />
                { for import_result }
            </section>
        }
    };
    // The default page offers it by reopening the run in the full build.
    #[cfg(not(feature = "eventual"))]
    let import_panel = {
        let d = with_driver.clone();
        let on_open = Callback::from(move |_: MouseEvent| {
            if let Some(d) = d() {
                let frag = d.borrow().share_fragment();
                crate::open_full_build(&frag);
            }
        });
        html! {
            <section id="import-panel" class="panel import">
                <h2>{ t("import.title") }</h2>
                <button id="import-open" onclick={on_open}>{ t("import.open") }</button>
            </section>
        }
    };

    // ---- the space-time diagram (the full build), or the way to it ----
    #[cfg(feature = "spacetime")]
    let spacetime = crate::diagram::view(&with_driver, s, lang, &st_canvas);
    #[cfg(not(feature = "spacetime"))]
    let spacetime = {
        let d = with_driver.clone();
        let on_open = Callback::from(move |_: MouseEvent| {
            if let Some(d) = d() {
                let frag = d.borrow().share_fragment();
                crate::open_full_build(&frag);
            }
        });
        html! {
            <section class="spacetime" aria-labelledby="st-title">
                <div class="st-bar">
                    <h2 id="st-title">{ t("st.title") }</h2>
                    <button id="st-open" onclick={on_open}>{ t("st.open") }</button>
                </div>
            </section>
        }
    };

    // ---- the guided steps of the lesson, and predict mode ----
    {
        let d = with_driver.clone();
        use_effect_with((ui.lesson.clone(), ui.predict), move |(lesson, predict)| {
            if let Some(d) = d() {
                let steps = lesson.as_deref().map_or(&[][..], lessons::guide::steps);
                driver::with(&d, |me| me.set_guide(steps, *predict));
            }
        });
    }
    let guide = {
        use lessons::guide;
        let steps = ui.lesson.as_deref().map_or(&[][..], guide::steps);
        guide::step_at(steps, s.tick).map(|k| {
            let id = ui.lesson.clone().unwrap_or_default();
            let go = |to: Option<usize>| {
                let d = with_driver.clone();
                let at = to.and_then(|i| steps.get(i)).map(|st| st.from);
                Callback::from(move |_: MouseEvent| {
                    if let (Some(d), Some(at)) = (d(), at) {
                        driver::with(&d, |me| {
                            me.set_playing(false);
                            me.seek(at)
                        });
                    }
                })
            };
            let on_predict = {
                let ui = ui.clone();
                Callback::from(move |e: Event| {
                    let on = e.target_dyn_into::<HtmlInputElement>().is_some_and(|i| i.checked());
                    ui.dispatch(UiAction::Predict(on));
                })
            };
            let question = steps[k].question.filter(|q| ui.predict && s.tick >= q.ask_at).map(|q| {
                let choice_text = |c: u32| {
                    if q.nodes {
                        s.node_names.get(c as usize).cloned().unwrap_or_default()
                    } else {
                        lang.t(&format!("lesson.{id}.q.{k}.{c}")).to_string()
                    }
                };
                let answered = ui.answer.filter(|(step, ..)| *step == k);
                let result = answered.map(|(_, chose, right)| {
                    let (cls, text) = match right {
                        None => ("muted", t("guide.undecided").to_string()),
                        Some(r) => (
                            if r == chose { "ok" } else { "bad" },
                            lang.fmt(if r == chose { "guide.right" } else { "guide.wrong" }, &[("a", choice_text(r))]),
                        ),
                    };
                    html! { <p id="answer" class={cls}>{ text }</p> }
                });
                html! {
                    <div id="question" class="question">
                        <p><b>{ t("guide.ask") }</b>{ " " }{ lang.t(&format!("lesson.{id}.q.{k}")) }</p>
                        <div class="choices">
                            { for (0..q.choices).map(|c| {
                                let (d, ui) = (with_driver.clone(), ui.clone());
                                let pick = Callback::from(move |_: MouseEvent| {
                                    let Some(d) = d() else { return };
                                    // The run itself says which choice was right.
                                    let right = lessons::guide::answer(d.borrow().sim(), &q);
                                    ui.dispatch(UiAction::Answer(k, c, right));
                                });
                                html! {
                                    <button id={format!("choice-{c}")} onclick={pick} disabled={answered.is_some()}
                                        aria-pressed={answered.is_some_and(|(_, x, _)| x == c).to_string()}>{ choice_text(c) }</button>
                                }
                            }) }
                        </div>
                        { for result }
                    </div>
                }
            });
            html! {
                <section class="guide" aria-live="polite">
                    <p class="muted">{ lang.fmt("guide.step", &[("k", (k + 1).to_string()), ("n", steps.len().to_string())]) }</p>
                    <p id="guide-text">{ lang.t(&format!("lesson.{id}.step.{k}")) }</p>
                    <div class="guide-nav">
                        <button id="guide-prev" onclick={go(k.checked_sub(1))} disabled={k == 0}>{ t("guide.prev") }</button>
                        <button id="guide-next" onclick={go(Some(k + 1))} disabled={k + 1 == steps.len()}>{ t("guide.next") }</button>
                    </div>
                    <label class="check"><input id="predict" type="checkbox" checked={ui.predict} onchange={on_predict} />{ t("guide.predict") }</label>
                    { for question }
                </section>
            }
        })
    };

    // ---- view ----
    let lesson_key = |part: &str| format!("lesson.{}.{part}", current_lesson);
    // Lecture 01's ZooKeeper and Eureka run side by side.
    let comparing = cfg!(feature = "eventual") && current_lesson == "cap-registry";
    let settings = match s.proto {
        Proto::Quorum { n, w, r, write_back } => html! {
            <form class="panel nwr" onsubmit={on_apply_nwr}>
                <h2>{ t("nwr.title") }</h2>
                <label>{ "N" }<input id="nwr-n" ref={nwr_n} type="number" value={n.to_string()} /></label>
                <label>{ "W" }<input id="nwr-w" ref={nwr_w} type="number" value={w.to_string()} /></label>
                <label>{ "R" }<input id="nwr-r" ref={nwr_r} type="number" value={r.to_string()} /></label>
                <button id="nwr-apply" type="submit">{ t("nwr.apply") }</button>
                <label class="check">
                    <input id="write-back" type="checkbox" checked={write_back} onchange={on_write_back} />
                    { t("nwr.write_back") }
                </label>
            </form>
        },
        #[cfg(feature = "paxos")]
        Proto::Paxos { proposers, acceptors, backoff, variant } => html! {
            <form class="panel paxos" onsubmit={on_apply_paxos}>
                <h2>{ t("paxos.title") }</h2>
                <label>{ "P" }<input id="pax-p" ref={pax_p} type="number" value={proposers.to_string()} /></label>
                <label>{ "A" }<input id="pax-a" ref={pax_a} type="number" value={acceptors.to_string()} /></label>
                <button id="pax-apply" type="submit">{ t("nwr.apply") }</button>
                <label class="check">
                    <input id="backoff" type="checkbox" checked={backoff} onchange={on_backoff} />
                    { t("paxos.backoff") }
                </label>
                <label class="variant">{ t("paxos.variant") }
                    <select id="variant" onchange={on_variant}
                        class={classes!((variant != Variant::Faithful).then_some("broken"))}>
                        <option value="faithful" selected={variant == Variant::Faithful}>{ t("paxos.variant.faithful") }</option>
                        <option value="forget" selected={variant == Variant::ForgetPromise}>{ t("paxos.variant.forget") }</option>
                        <option value="reuse" selected={variant == Variant::ReuseNumbers}>{ t("paxos.variant.reuse") }</option>
                    </select>
                </label>
            </form>
        },
        #[cfg(feature = "zab")]
        Proto::Zab { voters, observers, sync_reads, variant } => {
            use qcore::zab::Variant as V;
            let opt = |value: &'static str, v: V| {
                html! {
                    <option value={value} selected={variant == v}>{ t(crate::i18n::zab_variant_key(v)) }</option>
                }
            };
            html! {
                <div class="panel zab">
                    <h2>{ t("zab.title") }</h2>
                    <p class="muted">{ lang.fmt("zab.header", &[
                        ("v", voters.to_string()),
                        ("o", observers.to_string()),
                        ("m", (voters / 2 + 1).to_string()),
                    ]) }</p>
                    <label class="check">
                        <input id="sync-reads" type="checkbox" checked={sync_reads} onchange={on_sync_reads} />
                        { t("zab.sync") }
                    </label>
                    <label class="variant">{ t("paxos.variant") }
                        <select id="zab-variant" onchange={on_zab_variant}
                            class={classes!((variant != V::Faithful).then_some("broken"))}>
                            { opt("faithful", V::Faithful) }
                            { opt("commit", V::CommitBeforeQuorum) }
                            { opt("myid", V::ElectionIgnoresZxid) }
                            { opt("ack", V::AckBeforePersist) }
                            { opt("epoch", V::EpochPersistLate) }
                        </select>
                    </label>
                </div>
            }
        }
        #[cfg(feature = "eventual")]
        Proto::Eventual { replicas, delivery, session, anti_entropy, replicate, .. } => {
            crate::eventual_panel::view(
                &ev,
                lang,
                replicas,
                delivery,
                session,
                anti_entropy,
                replicate,
            )
        }
    };
    // Lessons of lectures 01 and 02 with a panel of their own.
    #[cfg(feature = "eventual")]
    let cap = crate::eventual_panel::lesson_panel(&ev, lang, s, &current_lesson);
    #[cfg(not(feature = "eventual"))]
    let cap: Option<Html> = None;
    let checks = if is_paxos || is_zab {
        if s.violations.is_empty() {
            html! { <p id="checks" class="ok">{ t("check.invariants_ok") }</p> }
        } else {
            html! {
                <ul id="checks" class="bad">
                    { for s.violations.iter().map(|v| html! { <li>{ lang.rule(v) }</li> }) }
                </ul>
            }
        }
    } else {
        let linear = match s.linear {
            Linear::Yes(_) => html! { <li class="ok">{ t("check.linear_ok") }</li> },
            Linear::No(op) => {
                let what = s
                    .history
                    .iter()
                    .find(|o| o.id == op)
                    .map(|o| format!("c{} {} @{}", o.client, op_text(o.op), o.invoke));
                html! { <li class="bad">{ lang.fmt("check.linear_bad", &[("op", what.unwrap_or_default())]) }</li> }
            }
            Linear::Unknown | Linear::Deferred => {
                let n = s.history.len();
                match ui.live.as_ref().filter(|(len, _)| *len == n) {
                    Some((_, j)) => {
                        let (ok, text) = crate::import::describe_live(j, lang, n);
                        html! { <li id="check-live" class={if ok { "ok" } else { "bad" }}>{ text }</li> }
                    }
                    None => {
                        html! { <li id="check-live" class="muted">{ t("check.live_pending") }</li> }
                    }
                }
            }
        };
        let counts = (s.stale > 0 || s.inversions > 0).then(|| html! {
            <>
                <li class="bad">{ lang.fmt("check.stale", &[("n", s.stale.to_string())]) }</li>
                <li class="bad">{ lang.fmt("check.inversion", &[("n", s.inversions.to_string())]) }</li>
            </>
        });
        let session = if s.session.is_empty() {
            html! { <li class="ok">{ t("check.session_ok") }</li> }
        } else {
            s.session.iter().map(|v| html! { <li class="bad">{ lang.session(v) }</li> }).collect()
        };
        #[cfg(feature = "eventual")]
        let more = crate::eventual_panel::checks(lang, s);
        #[cfg(not(feature = "eventual"))]
        let more = Html::default();
        html! { <ul id="checks">{ linear }{ for counts }{ session }{ more }</ul> }
    };
    let history: Html = if s.history.is_empty() {
        html! { <p class="muted">{ t("history.empty") }</p> }
    } else {
        s.history
            .iter()
            .rev()
            .take(14)
            .map(|o| {
                let (cls, outcome) = match o.ret {
                    None => ("pending", t("history.pending").to_string()),
                    Some((at, qcore::client::Outcome::Ok { value, stamp })) => (
                        "ok",
                        format!(
                            "{} {} {} @{at}",
                            t("history.ok"),
                            value.map_or("∅".to_string(), |v| v.to_string()),
                            stamp_text(&s.proto, stamp)
                        ),
                    ),
                    Some((at, qcore::client::Outcome::Fail(qcore::FailReason::Overloaded))) => {
                        ("fail", format!("{} @{at}", t("history.refused")))
                    }
                    Some((at, qcore::client::Outcome::Fail(_))) => {
                        ("fail", format!("{} @{at}", t("history.fail")))
                    }
                    Some((at, qcore::client::Outcome::Timeout)) => {
                        ("fail", format!("{} @{at}", t("history.timeout")))
                    }
                };
                let flagged = if o.flagged { " flagged" } else { "" };
                html! {
                    <li key={o.id} class={format!("op {cls}{flagged}")}>
                        <span class="who">{ format!("c{} → {}", o.client, s.node_names.get(o.node as usize).cloned().unwrap_or_default()) }</span>
                        <span class="what">{ format!("#{} {}", o.id, op_text(o.op)) }</span>
                        <span class="when">{ format!("@{}", o.invoke) }</span>
                        <span class="res">{ outcome }</span>
                    </li>
                }
            })
            .collect()
    };
    let problem = ui.problem.as_ref().map(|p| {
        html! {
            <div id="problem" class="problem" role="alert">
                <span>{ p.text(lang) }</span>
                <button class="dismiss" onclick={on_dismiss.clone()}>{ t("ctl.dismiss") }</button>
            </div>
        }
    });
    let share = ui.share.as_ref().map(|(url, copied)| {
        html! {
            <div class="share">
                <span id="share-status">{ t(if *copied { "ctl.copied" } else { "ctl.copy_manual" }) }</span>
                <input id="share-link" readonly=true value={url.clone()} />
                <figure class="qr">
                    <canvas id="share-qr" width="0" height="0" role="img" aria-label={t("share.qr")}></canvas>
                    <figcaption>{ t("share.qr") }</figcaption>
                </figure>
            </div>
        }
    });

    html! {
        <div class={classes!("app", props.embed.then_some("embed"), props.controls.as_ref().map(|c| format!("controls-{c}")))}>
            <header class="top">
                <h1>{ "Quorumscope" }</h1>
                { for open_full }
                <span class="tagline">{ t("app.tagline") }</span>
                <label class="lang">{ t("ctl.lang") }
                    <select id="lang" onchange={on_lang}>
                        <option value="zh" selected={lang == Lang::Zh}>{ "中文" }</option>
                        <option value="en" selected={lang == Lang::En}>{ "English" }</option>
                    </select>
                </label>
            </header>
            { for problem }
            <main class="main">
                <section class="stage">
                    <div class="lessonbar">
                        <label>{ t("ctl.lesson") }
                            <select id="lesson" onchange={on_lesson}>
                                { for ["01", "02", "03", "04"].iter().map(|lecture| html! {
                                    <optgroup label={lang.t(&format!("lecture.{lecture}"))}>
                                        { for LESSONS.iter().filter(|id| lessons::lecture(id) == *lecture).map(|id| html! {
                                            <option value={*id} selected={ui.lesson.as_deref() == Some(*id)}>
                                                { lang.t(&format!("lesson.{id}.title")) }
                                            </option>
                                        }) }
                                    </optgroup>
                                }) }
                            </select>
                        </label>
                    </div>
                    if comparing { <p class="caption">{ t("compare.main") }</p> }
                    <canvas id="stage" ref={canvas} class="canvas"
                        onpointerdown={on_down} onpointermove={on_move}
                        onpointerup={on_up} onpointercancel={on_cancel}></canvas>
                    if comparing { <p class="caption">{ t("compare.twin") }</p> }
                    // Always in the page, so a lesson can attach its twin before
                    // the view knows the lesson; shown only while comparing.
                    <canvas id="twin-stage" class={classes!("canvas", "twin", (!comparing).then_some("hidden"))}
                        aria-label={comparing.then(|| t("compare.twin").to_string())}></canvas>
                    <p class="hint">{ t("hint.canvas") }</p>
                    <div class="controls">
                        <button id="play" onclick={on_play}>{ t(if s.playing { "ctl.pause" } else { "ctl.play" }) }</button>
                        <button id="back" onclick={on_back}>{ t("ctl.back") }</button>
                        <button id="step" onclick={on_step}>{ t("ctl.step") }</button>
                        <button id="reset" onclick={on_reset}>{ t("ctl.reset") }</button>
                        <label class="speed">{ t("ctl.speed") }
                            <input id="speed" type="range" min="0" max="100" step="1"
                                value="42" oninput={on_speed} />
                        </label>
                        <button id="heal" onclick={on_heal}>{ t("ctl.heal") }</button>
                        <button id="undo" onclick={on_undo} disabled={!s.can_undo}>{ t("ctl.undo") }</button>
                        <button id="help" onclick={on_help.clone()} aria-expanded={ui.help.to_string()} aria-controls="shortcuts">{ "?" }</button>
                        <button id="share" onclick={on_share}>{ t("ctl.share") }</button>
                        <button id="embed" onclick={on_embed} aria-expanded={ui.embed.is_some().to_string()}>{ t("ctl.embed") }</button>
                        <button id="export-edn" onclick={on_export}>{ t("ctl.export_edn") }</button>
                        <button id="export-json" onclick={on_export_json}>{ t("ctl.export_json") }</button>
                        <button id="export-svg" onclick={on_export_svg}>{ t("ctl.export_svg") }</button>
                        <button id="export-png" onclick={on_export_png}>{ t("ctl.export_png") }</button>
                    </div>
                    <label class="time">{ t("ctl.time") }
                        <input id="time" type="range" min={s.first_tick.to_string()} max={s.horizon.max(1).to_string()}
                            value={s.tick.to_string()} oninput={on_time} />
                    </label>
                    <canvas id="history-canvas" class="history-canvas" ref={hist_canvas} onclick={on_hist_click}></canvas>
                    { spacetime }
                    { for share }
                    { for embed_panel }
                    <div class="status" aria-live="polite">
                        <span>{ format!("{} {}", t("status.tick"), s.tick) }</span>
                        <span>{ format!("{} {}", t("status.events"), s.events) }</span>
                        <span>{ format!("{} {}", t("status.in_flight"), s.in_flight) }</span>
                        <span id="hash">{ format!("{} {}", t("status.hash"), s.hash) }</span>
                        if s.first_tick > 0 {
                            <span id="forgotten">{ lang.fmt("status.forgotten", &[("t", s.first_tick.to_string())]) }</span>
                        }
                    </div>
                </section>
                <aside class="side">
                    if ui.help {
                        <section id="shortcuts" class="panel shortcuts" role="dialog" aria-labelledby="keys-title">
                            <h2 id="keys-title">{ t("keys.title") }</h2>
                            <dl>
                                { for SHORTCUTS.iter().map(|(k, d)| html! { <><dt><kbd>{ *k }</kbd></dt><dd>{ t(d) }</dd></> }) }
                            </dl>
                            <button id="help-close" onclick={on_help}>{ t("ctl.dismiss") }</button>
                        </section>
                    }
                    <section class="narration">
                        <h2>{ lang.t(&lesson_key("title")) }</h2>
                        <h3>{ t("narr.what") }</h3>
                        <p>{ lang.t(&lesson_key("what")) }</p>
                        <h3>{ t("narr.observe") }</h3>
                        <p>{ lang.t(&lesson_key("observe")) }</p>
                        { for guide }
                    </section>
                    { for cap }
                    { settings }
                    <section class="panel client">
                        <h2>{ t("client.title") }</h2>
                        <label>{ t("client.client") }
                            <select id="op-client" ref={client_sel}>
                                { for (0..s.clients).map(|c| html! { <option value={c.to_string()} selected={c == 0}>{ format!("c{c}") }</option> }) }
                            </select>
                        </label>
                        <label>{ t("client.node") }
                            <select id="op-node" ref={node_sel}>
                                { for s.node_names.iter().enumerate().map(|(x, name)| html! { <option value={x.to_string()} selected={x == 0}>{ name.clone() }</option> }) }
                            </select>
                        </label>
                        <label>{ t("client.value") }<input id="op-value" ref={value_in} type="number" value="7" /></label>
                        <button id="op-write" onclick={on_write}>{ t("client.write") }</button>
                        <button id="op-read" onclick={on_read}>{ t("client.read") }</button>
                    </section>
                    <section class="panel checks">
                        <h2>{ t("check.title") }</h2>
                        { checks }
                    </section>
                    { import_panel }
                    <section class="panel events">
                        <h2>{ t("log.title") }</h2>
                        <ol id="event-log" aria-live="polite" aria-relevant="additions">
                            { for s.log.iter().map(|l| html! { <li key={l.entry}>{ lang.log_line(l) }</li> }) }
                        </ol>
                    </section>
                    <section class="panel history">
                        <h2>{ t("history.title") }</h2>
                        <ol id="history">{ history }</ol>
                    </section>
                </aside>
            </main>
        </div>
    }
}
