//! A second system on the same timeline (lecture 01: ZooKeeper beside
//! Eureka): its own simulation and canvas, moved to the main run's moment
//! every frame. It is only watched: the lesson scripts the same faults and
//! workload into both.

use qcore::{Scenario, Sim};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use crate::driver::Linear;
use crate::i18n::Lang;

/// Events replayed per frame while catching up, as the main run does.
const EVENTS_PER_FRAME: u64 = 20_000;

pub struct Twin {
    sim: Sim,
    canvas: HtmlCanvasElement,
    ctx: CanvasRenderingContext2d,
    size: (f64, f64, f64),
}

/// What the comparison shows of one system.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Figures {
    /// Requests answered with a value, of those that ended.
    pub answered: (usize, usize),
    pub stale: usize,
    pub linear: Linear,
}

impl Twin {
    /// The twin for `scenario`, drawn on the page's `#twin-stage` canvas.
    pub fn new(scenario: Scenario) -> Option<Twin> {
        use wasm_bindgen::JsCast;
        let canvas = web_sys::window()?
            .document()?
            .get_element_by_id("twin-stage")?
            .dyn_into::<HtmlCanvasElement>()
            .ok()?;
        let ctx = crate::draw::opaque_context(&canvas)?;
        let sim = Sim::new(scenario).ok()?;
        Some(Twin { sim, canvas, ctx, size: (0.0, 0.0, 0.0) })
    }

    #[must_use]
    pub fn sim(&self) -> &Sim {
        &self.sim
    }

    /// Bring the twin to `display` (backwards at once, forwards in slices)
    /// and draw it. Returns whether it has caught up.
    pub fn frame(&mut self, display: f64, lang: Lang) -> bool {
        let tick = display.floor() as u64;
        let caught_up = if tick < self.sim.now() {
            self.sim.seek(tick);
            true
        } else {
            self.sim.run_until_budget(tick, EVENTS_PER_FRAME)
        };
        let (w, h) = crate::driver::fit_canvas(&self.canvas, &self.ctx, &mut self.size);
        let at = if caught_up { display } else { self.sim.now() as f64 };
        let scene = qscene::project(&self.sim, at, w, h);
        let chrome = crate::chrome::chrome(&scene, lang);
        let labels = qscene::place(&scene, &chrome.reserved());
        crate::draw::paint(
            &self.ctx,
            &scene,
            (&labels, &chrome),
            None,
            crate::draw::Ring::default(),
        );
        caught_up
    }
}

/// Availability, stale reads and the linearizability verdict of a run.
#[must_use]
pub fn figures(sim: &Sim, budget: u64) -> Figures {
    let h = sim.history();
    let ended = h.iter().filter(|r| r.ret.is_some()).count();
    let answered = (h.iter().filter(|r| r.ok().is_some()).count(), ended);
    let stale = qcore::check::register::stale_reads(&h).len();
    let linear = match qcore::check::linear::check(
        &qcore::check::linear::Register,
        &qcore::check::register_ops(&h),
        budget,
    ) {
        qcore::check::linear::Verdict::Linearizable { .. } => Linear::Yes(Default::default()),
        qcore::check::linear::Verdict::NotLinearizable { stuck, .. } => Linear::No(stuck as u64),
        qcore::check::linear::Verdict::Unknown => Linear::Unknown,
    };
    Figures { answered, stale, linear }
}
