//! The space-time diagram under the canvas: its own canvas, the trace's
//! index (extended with what is new each frame, never rebuilt unless the
//! trace was cut back), and the window of ticks on show. It follows the
//! present while the run plays; a wheel, a drag, a pinch or the zoom keys
//! take it off to look around, and "follow" brings it back.

use qcore::spacetime::SpaceTime;
use qcore::Sim;
use qscene::{hit_spacetime, layout_spacetime, Point, Selected, SpaceTimeScene, StHit};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use crate::i18n::Lang;

/// Ticks on show at first, and the bounds of zooming.
const DEFAULT_SPAN: f64 = 2_000.0;
const MIN_SPAN: f64 = 40.0;
const MAX_SPAN: f64 = 2_000_000.0;
/// While the run plays, the diagram is redrawn at most this often (ms).
const MOVING_EVERY_MS: f64 = 100.0;

/// While following, the present sits this far across the window.
const FOLLOW_AT: f64 = 0.9;

/// The selected event, described for the panel under the diagram.
#[derive(Clone, Debug, PartialEq)]
pub enum SelInfo {
    Message {
        msg: u64,
        name: &'static str,
        from: String,
        to: String,
        sent: u64,
        /// The Lamport time it carries.
        lamport: u64,
        end: qcore::spacetime::End,
        duplicate: bool,
        /// The sender's vector clock at the send, when asked for.
        vector: Option<Vec<u64>>,
    },
    Mark {
        kind: qcore::spacetime::MarkKind,
        lane: Option<String>,
        tick: u64,
        lamport: u64,
        vector: Option<Vec<u64>>,
    },
}

/// The diagram as the driver holds it: the diagram (once its canvas
/// exists), what is selected in both views, and vector clocks on demand.
#[derive(Default)]
pub struct Linked {
    pub diagram: Option<Diagram>,
    pub selected: Option<Selected>,
    /// Show vector clocks for the selection; the last one computed.
    pub vectors: bool,
    pub vector_cache: std::cell::RefCell<Option<(Selected, Vec<u64>)>>,
}

impl Linked {
    /// The vector clocks computed so far no longer hold (the trace changed).
    pub fn forget_vectors(&self) {
        self.vector_cache.replace(None);
    }

    pub fn clear_selection(&mut self) {
        self.selected = None;
        self.forget_vectors();
    }

    /// A new run.
    pub fn reset(&mut self, sim: &Sim) {
        self.clear_selection();
        if let Some(d) = &mut self.diagram {
            d.reset(sim);
        }
    }

    #[must_use]
    pub fn following(&self) -> bool {
        self.diagram.as_ref().is_none_or(Diagram::following)
    }

    /// Widen the diagram, if it must, so that following the present at
    /// `now` still shows tick `from` (a counterexample's first operation).
    pub fn reach_back(&mut self, from: u64, now: u64) {
        if let Some(d) = &mut self.diagram {
            d.reach_back(from as f64, now as f64);
        }
    }

    /// What to ring on the canvas: the selected message, or the node of a
    /// selected crash or restart.
    #[must_use]
    pub fn ring(&self) -> crate::draw::Ring {
        match self.selected {
            Some(Selected::Message(m)) => {
                crate::draw::Ring { message: Some(m), ..Default::default() }
            }
            Some(Selected::Mark(e)) => crate::draw::Ring {
                node: self
                    .diagram
                    .as_ref()
                    .and_then(|d| d.index().marks().iter().find(|m| m.entry == e))
                    .and_then(|m| m.lane)
                    .and_then(qcore::Addr::node),
                ..Default::default()
            },
            None => crate::draw::Ring::default(),
        }
    }

    /// Draw the diagram's frame. While the run plays (`moving`), the
    /// diagram is redrawn at most every [`MOVING_EVERY_MS`], and not at all
    /// while its canvas is out of sight: its canvas costs the browser more
    /// to rasterize than the topology's, and a window of a crowded run holds
    /// thousands of arrows.
    /// `found`: the client operations a found counterexample involves.
    pub fn frame(
        &mut self,
        sim: &Sim,
        (now, found): (f64, &[u64]),
        lang: Lang,
        ts: f64,
        moving: bool,
    ) {
        let selected = self.selected;
        if let Some(d) = &mut self.diagram {
            // (The frame where the run stops always draws.)
            if moving && (!d.visible.get() || ts - d.last_paint < MOVING_EVERY_MS) {
                return;
            }
            d.last_paint = ts;
            d.frame(sim, now, (selected, found), lang);
        }
    }
}

pub struct Diagram {
    canvas: HtmlCanvasElement,
    ctx: CanvasRenderingContext2d,
    size: (f64, f64, f64),
    index: SpaceTime,
    names: Vec<String>,
    /// The window's first tick and its length.
    t0: f64,
    span: f64,
    follow: bool,
    /// Pointers down on the diagram (id, where it went down, where it is),
    /// for drags and pinches.
    pointers: Vec<(i32, Point, Point)>,
    /// The window when the gesture started.
    grab: (f64, f64),
    scene: Option<SpaceTimeScene>,
    /// The trace's forgotten front when the index was built.
    forgot: u64,
    /// Whether the canvas is in sight (an IntersectionObserver says), and
    /// when it was last drawn.
    visible: std::rc::Rc<std::cell::Cell<bool>>,
    last_paint: f64,
}

impl Diagram {
    #[must_use]
    pub fn new(canvas: HtmlCanvasElement, sim: &Sim) -> Option<Diagram> {
        let ctx = crate::draw::opaque_context(&canvas)?;
        let mut d = Diagram {
            canvas,
            ctx,
            size: (0.0, 0.0, 0.0),
            index: SpaceTime::default(),
            names: Vec::new(),
            t0: 0.0,
            span: DEFAULT_SPAN,
            follow: true,
            pointers: Vec::new(),
            grab: (0.0, DEFAULT_SPAN),
            scene: None,
            forgot: 0,
            visible: std::rc::Rc::new(std::cell::Cell::new(true)),
            last_paint: f64::NEG_INFINITY,
        };
        d.observe_visibility();
        d.reset(sim);
        Some(d)
    }

    /// Keep `visible` up to date as the page scrolls.
    fn observe_visibility(&self) {
        use wasm_bindgen::closure::Closure;
        use wasm_bindgen::JsCast;
        let flag = self.visible.clone();
        let seen = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
            if let Some(e) = entries.iter().last() {
                let e: web_sys::IntersectionObserverEntry = e.unchecked_into();
                flag.set(e.is_intersecting());
            }
        });
        if let Ok(obs) = web_sys::IntersectionObserver::new(seen.as_ref().unchecked_ref()) {
            obs.observe(&self.canvas);
        }
        // One diagram per page.
        seen.forget();
    }

    /// A new run: index it from scratch and follow it.
    pub fn reset(&mut self, sim: &Sim) {
        let s = sim.scenario();
        self.index = SpaceTime::new(s.protocol.nodes(), s.clients);
        self.names = (0..s.protocol.nodes())
            .map(|i| qscene::node_name(&s.protocol, i))
            .chain((0..s.clients).map(|c| format!("c{c}")))
            .collect();
        self.follow = true;
        self.t0 = 0.0;
    }

    #[must_use]
    pub fn index(&self) -> &SpaceTime {
        &self.index
    }
    /// The lanes' names, nodes then clients.
    #[must_use]
    pub fn names(&self) -> &[String] {
        &self.names
    }
    #[must_use]
    pub fn scene(&self) -> Option<&SpaceTimeScene> {
        self.scene.as_ref()
    }
    #[must_use]
    pub fn following(&self) -> bool {
        self.follow
    }
    /// The window on show: first and last tick.
    #[must_use]
    pub fn window(&self) -> (f64, f64) {
        (self.t0, self.t0 + self.span)
    }

    pub fn set_follow(&mut self, on: bool) {
        self.follow = on;
    }

    /// Zoom by `factor` (< 1 zooms in) around tick `at` (the window's
    /// middle when `None`).
    pub fn zoom(&mut self, factor: f64, at: Option<f64>) {
        let at = at.unwrap_or(self.t0 + self.span / 2.0);
        let span = qscene::clamp(self.span * factor, MIN_SPAN, MAX_SPAN);
        let frac = qscene::clamp((at - self.t0) / self.span, 0.0, 1.0);
        self.t0 = (at - frac * span).max(0.0);
        self.span = span;
        // While following, the next frame puts the present back in place.
    }

    /// Follow the present, with a window long enough to show `from` when
    /// the present is at `now`.
    pub fn reach_back(&mut self, from: f64, now: f64) {
        // A margin of a tenth before `from`, so its mark is not on the edge.
        let need = (now - from).max(0.0) / FOLLOW_AT * 1.1;
        self.span = qscene::clamp(self.span.max(need), MIN_SPAN, MAX_SPAN);
        self.follow = true;
    }

    /// Move the window by a fraction of its length.
    pub fn pan(&mut self, frac: f64) {
        self.follow = false;
        self.t0 = (self.t0 + frac * self.span).max(0.0);
    }

    /// Draw the frame at `now`. Cheap when little changed: the index reads
    /// only new trace entries, the layout only the window.
    pub fn frame(
        &mut self,
        sim: &Sim,
        now: f64,
        (selected, found): (Option<Selected>, &[u64]),
        lang: Lang,
    ) {
        // The whole record, so the future already computed stays in view
        // after going back in time; the present is a line across it. When
        // the simulation forgot the front of a long trace, index what is left.
        if sim.forgotten_entries() != self.forgot {
            self.forgot = sim.forgotten_entries();
            self.index.restart();
        }
        self.index.follow(sim.recorded());
        if self.follow {
            self.t0 = (now - self.span * FOLLOW_AT).max(0.0);
        }
        let (w, h) = crate::driver::fit_canvas(&self.canvas, &self.ctx, &mut self.size);
        let mut scene = layout_spacetime(
            &self.index,
            &self.names,
            self.t0,
            self.t0 + self.span,
            now.floor() as u64,
            w,
            h,
            selected,
        );
        scene.flag_found(found);
        crate::draw::paint_spacetime(&self.ctx, &scene, lang, self.follow);
        self.scene = Some(scene);
    }

    // ---- gestures: wheel zooms, one pointer pans or clicks, two pinch ----

    /// A wheel turn over the diagram at x (CSS px); `dy` as the event gives it.
    pub fn wheel(&mut self, x: f64, dy: f64, horizontal: bool) {
        if horizontal {
            self.pan(dy / 600.0);
            return;
        }
        let at = self.scene.as_ref().map(|s| s.tick_at(x));
        self.follow = false;
        self.zoom(if dy > 0.0 { 1.25 } else { 0.8 }, at);
    }

    pub fn pointer_down(&mut self, id: i32, p: Point) {
        self.pointers.retain(|(i, ..)| *i != id);
        if self.pointers.len() < 2 {
            self.pointers.push((id, p, p));
        }
        self.grab = (self.t0, self.span);
    }

    /// Returns whether the window moved.
    pub fn pointer_move(&mut self, id: i32, p: Point) -> bool {
        let Some(slot) = self.pointers.iter_mut().find(|(i, ..)| *i == id) else { return false };
        slot.2 = p;
        let width = self.scene.as_ref().map_or(600.0, |s| s.width - qscene::NAMES_WIDTH).max(10.0);
        match self.pointers.as_slice() {
            [(_, a, b)] if a.dist(*b) > 6.0 => {
                self.follow = false;
                self.t0 = (self.grab.0 - (b.x - a.x) / width * self.grab.1).max(0.0);
                true
            }
            [(_, a0, a1), (_, b0, b1)] => {
                // Pinch: the span scales with the fingers' distance.
                let before = (a0.x - b0.x).abs().max(20.0);
                let after = (a1.x - b1.x).abs().max(20.0);
                self.follow = false;
                let mid =
                    self.grab.0 + ((a0.x + b0.x) / 2.0 - qscene::NAMES_WIDTH) / width * self.grab.1;
                let span = qscene::clamp(self.grab.1 * before / after, MIN_SPAN, MAX_SPAN);
                let frac = qscene::clamp((mid - self.grab.0) / self.grab.1, 0.0, 1.0);
                self.span = span;
                self.t0 = (mid - frac * span).max(0.0);
                true
            }
            _ => false,
        }
    }

    /// A pointer lifted: a click (it barely moved, and no other finger was
    /// down) returns what it hit.
    pub fn pointer_up(&mut self, id: i32, p: Point) -> Option<StHit> {
        let alone = self.pointers.len() == 1;
        let start = self.pointers.iter().find(|(i, ..)| *i == id).map(|(_, a, _)| *a);
        self.pointers.retain(|(i, ..)| *i != id);
        let click = alone && start.is_some_and(|a| a.dist(p) <= 6.0);
        if !click {
            return None;
        }
        self.scene.as_ref().and_then(|s| hit_spacetime(s, p))
    }

    pub fn pointer_cancel(&mut self) {
        self.pointers.clear();
    }
}

/// The selection described in words, for the panel under the diagram.
#[must_use]
pub fn describe(sel: &SelInfo, lang: Lang) -> String {
    use qcore::spacetime::End;
    let vector = |v: &Option<Vec<u64>>| {
        v.as_ref().map_or(String::new(), |v| {
            let list: Vec<String> = v.iter().map(u64::to_string).collect();
            format!(" · {}", lang.fmt("st.vector", &[("v", list.join(", "))]))
        })
    };
    match sel {
        SelInfo::Message { msg, name, from, to, sent, lamport, end, duplicate, vector: v } => {
            let mut s = lang.fmt(
                "st.msg",
                &[
                    ("id", msg.to_string()),
                    ("name", (*name).to_string()),
                    ("from", from.clone()),
                    ("to", to.clone()),
                    ("sent", sent.to_string()),
                    ("l", lamport.to_string()),
                ],
            );
            s.push_str(&match end {
                End::Delivered { tick, lamport } => {
                    lang.fmt("st.delivered", &[("t", tick.to_string()), ("l", lamport.to_string())])
                }
                End::Dropped { tick, .. } => lang.fmt("st.dropped", &[("t", tick.to_string())]),
                End::InFlight { .. } => lang.t("st.in_flight").to_string(),
            });
            if *duplicate {
                s.push_str(lang.t("st.duplicate"));
            }
            s + &vector(v)
        }
        SelInfo::Mark { kind, lane, tick, lamport, vector: v } => {
            let what = lang.mark(*kind);
            let s = lang.fmt(
                "st.mark",
                &[
                    ("what", what),
                    ("lane", lane.clone().unwrap_or_else(|| "—".to_string())),
                    ("t", tick.to_string()),
                    ("l", lamport.to_string()),
                ],
            );
            s + &vector(v)
        }
    }
}

// ---- the Yew side: the section under the canvas ----

use std::rc::Rc;

use gloo_events::EventListener;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, PointerEvent};
use yew::prelude::*;

use crate::driver::{self, Driver, Shared};

fn point(e: &PointerEvent) -> Point {
    Point::new(f64::from(e.offset_x()), f64::from(e.offset_y()))
}

/// Start drawing the diagram on `canvas`. The returned listener makes the
/// wheel zoom the diagram rather than scroll the page (it may prevent the
/// default, which Yew's own listeners may not).
pub fn attach(d: &Shared, canvas: HtmlCanvasElement) -> EventListener {
    let weak = Rc::downgrade(d);
    let opts = gloo_events::EventListenerOptions::enable_prevent_default();
    let listener = EventListener::new_with_options(&canvas, "wheel", opts, move |e| {
        let Some(e) = e.dyn_ref::<web_sys::WheelEvent>() else { return };
        e.prevent_default();
        let Some(d) = weak.upgrade() else { return };
        let (dx, dy) = (e.delta_x(), e.delta_y());
        let horizontal = dx.abs() > dy.abs();
        let x = f64::from(e.offset_x());
        driver::with(&d, |me| me.diagram_wheel(x, if horizontal { dx } else { dy }, horizontal));
    });
    driver::with(d, |me| me.attach_diagram(canvas));
    listener
}

#[derive(Properties, PartialEq)]
pub struct SpaceTimeProps {
    pub canvas: NodeRef,
    /// The diagram follows the present.
    pub following: bool,
    pub selection: Option<SelInfo>,
}

/// The diagram's section: its bar of controls, its canvas, and what is
/// selected, in words.
#[function_component(SpaceTimePanel)]
pub fn space_time(p: &SpaceTimeProps) -> Html {
    crate::panels::rendered("spacetime");
    let app = crate::panels::use_app();
    let lang = app.lang;
    let t = move |k: &str| lang.t(k);
    let on_st_down = {
        let app = app.clone();
        Callback::from(move |e: PointerEvent| {
            if let Some(el) = e.target_dyn_into::<web_sys::Element>() {
                let _ = el.set_pointer_capture(e.pointer_id());
            }
            app.with(|me| me.diagram_down(e.pointer_id(), point(&e)));
        })
    };
    let on_st_move = {
        let app = app.clone();
        Callback::from(move |e: PointerEvent| {
            app.with(|me| me.diagram_move(e.pointer_id(), point(&e)));
        })
    };
    let on_st_up = {
        let app = app.clone();
        Callback::from(move |e: PointerEvent| {
            app.with(|me| me.diagram_up(e.pointer_id(), point(&e)));
        })
    };
    let st_view = |zoom: Option<f64>, pan: Option<f64>, follow: bool| {
        app.on(move |me: &mut Driver| me.diagram_view(zoom, pan, follow))
    };
    let on_vectors = {
        let app = app.clone();
        Callback::from(move |e: Event| {
            let on = e.target_dyn_into::<HtmlInputElement>().is_some_and(|i| i.checked());
            app.with(|me| me.show_vectors(on));
        })
    };
    let on_export_st = {
        let app = app.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(d) = app.driver() else { return };
            let svg =
                d.borrow().diagram().and_then(|g| g.scene().map(qscene::svg::spacetime_to_svg));
            if let Some(svg) = svg {
                crate::download("quorumscope-spacetime.svg", "image/svg+xml", &svg);
            }
        })
    };
    html! {
        <section class="spacetime" aria-labelledby="st-title">
            <div class="st-bar">
                <h2 id="st-title">{ t("st.title") }</h2>
                <button id="st-out" onclick={st_view(Some(1.25), None, false)} aria-label={t("st.zoom_out")}>{ "−" }</button>
                <button id="st-in" onclick={st_view(Some(0.8), None, false)} aria-label={t("st.zoom_in")}>{ "+" }</button>
                <button id="st-follow" onclick={st_view(None, None, true)} aria-pressed={p.following.to_string()}>{ t("st.follow") }</button>
                <label class="check"><input id="st-vc" type="checkbox" onchange={on_vectors} />{ t("st.vectors") }</label>
                <button id="export-st-svg" onclick={on_export_st}>{ t("st.export_svg") }</button>
            </div>
            <canvas id="spacetime" ref={p.canvas.clone()} class="st-canvas" tabindex="0"
                aria-label={t("st.title")} aria-describedby="st-info"
                onpointerdown={on_st_down} onpointermove={on_st_move}
                onpointerup={on_st_up} onpointercancel={app.on(Driver::diagram_cancel)}></canvas>
            <p id="st-info" class="st-info">{
                p.selection.as_ref().map_or_else(|| t("st.none").to_string(), |x| crate::diagram::describe(x, lang))
            }</p>
            <p class="hint">{ t("st.hint") }</p>
        </section>
    }
}
