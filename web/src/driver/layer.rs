//! The frame's still part on a canvas of its own. Links, nodes, clients,
//! the header and the legend change only when something happens, not as
//! time flows. The layer is repainted only when the scene's still part, the
//! language, the guided step's nodes or the canvas size changed, and then
//! copied whole onto the canvas; on every other frame only the small areas
//! the last frame's moving things covered (`Scene::moving_rects`) are
//! restored from it before the moving things are drawn again. A frame then
//! touches a few small rectangles instead of every pixel of the canvas.

use qscene::Scene;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use crate::draw;
use crate::i18n::Lang;

/// Past this many moving things a frame copies the whole layer (cheaper
/// than many small copies).
const MAX_RESTORES: usize = 96;

pub struct StillLayer {
    canvas: HtmlCanvasElement,
    ctx: CanvasRenderingContext2d,
    /// What the layer shows now: canvas pixels, language, focus.
    painted: Option<((u32, u32), Lang, &'static [u32])>,
    /// The areas the last frame drew moving things over (CSS pixels).
    dirty: Vec<(f64, f64, f64, f64)>,
    /// The last frame covered the whole canvas (a partition line being
    /// drawn, or too many moving things to restore one by one).
    dirty_all: bool,
    /// How many times it was repainted (the bench reads it).
    pub repaints: u64,
}

impl StillLayer {
    /// An offscreen canvas, or `None` where the document cannot make one.
    pub fn new() -> Option<Self> {
        let doc = web_sys::window()?.document()?;
        let canvas = doc.create_element("canvas").ok()?.dyn_into::<HtmlCanvasElement>().ok()?;
        let ctx = canvas.get_context("2d").ok()??.dyn_into::<CanvasRenderingContext2d>().ok()?;
        Some(StillLayer {
            canvas,
            ctx,
            painted: None,
            dirty: Vec::new(),
            dirty_all: true,
            repaints: 0,
        })
    }

    /// Paint `scene` on `target` (a context scaled to CSS pixels by `dpr`):
    /// the still part from the layer (repainted first unless `still`: the
    /// last frame's scene differs from it only in what moves), then what
    /// moves.
    pub fn paint(
        &mut self,
        target: &CanvasRenderingContext2d,
        scene: &Scene,
        texts: (&qscene::Labels, &crate::chrome::Chrome),
        (still, lang): (bool, Lang),
        (ring, drag): (draw::Ring, Option<(qscene::Point, qscene::Point)>),
        dpr: f64,
    ) {
        let pixels = ((scene.width * dpr).round() as u32, (scene.height * dpr).round() as u32);
        let key = (pixels, lang, ring.focus);
        let same = self.painted == Some(key) && still;
        if !same {
            self.repaint(scene, texts, lang, ring.focus, pixels, dpr);
        }
        let _ = target.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
        if !same || self.dirty_all {
            let _ = target.draw_image_with_html_canvas_element(&self.canvas, 0.0, 0.0);
        } else {
            for &r in &self.dirty {
                self.restore(target, r, dpr, pixels);
            }
        }
        let _ = target.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
        draw::paint_moving(target, scene, texts.0, drag, ring);
        scene.moving_rects(texts.0, draw::selected_label(scene, texts.0, ring), &mut self.dirty);
        // A ring around a selected node and a partition line being drawn
        // are not in the rectangles: then the next frame copies it all.
        self.dirty_all = drag.is_some() || ring.node.is_some() || self.dirty.len() > MAX_RESTORES;
    }

    fn repaint(
        &mut self,
        scene: &Scene,
        texts: (&qscene::Labels, &crate::chrome::Chrome),
        lang: Lang,
        focus: &'static [u32],
        pixels: (u32, u32),
        dpr: f64,
    ) {
        if self.painted.map(|(p, ..)| p) != Some(pixels) {
            self.canvas.set_width(pixels.0);
            self.canvas.set_height(pixels.1);
        }
        let _ = self.ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
        draw::paint_still(&self.ctx, scene, texts, focus);
        self.painted = Some((pixels, lang, focus));
        self.repaints += 1;
    }

    /// Copy one area (CSS pixels) back from the layer, in whole device
    /// pixels clipped to the canvas.
    fn restore(
        &self,
        target: &CanvasRenderingContext2d,
        r: (f64, f64, f64, f64),
        dpr: f64,
        px: (u32, u32),
    ) {
        let (w, h) = (f64::from(px.0), f64::from(px.1));
        let x0 = qscene::clamp((r.0 * dpr).floor(), 0.0, w);
        let y0 = qscene::clamp((r.1 * dpr).floor(), 0.0, h);
        let x1 = qscene::clamp(((r.0 + r.2) * dpr).ceil(), 0.0, w);
        let y1 = qscene::clamp(((r.1 + r.3) * dpr).ceil(), 0.0, h);
        if x1 > x0 && y1 > y0 {
            let (sw, sh) = (x1 - x0, y1 - y0);
            let _ = target
                .draw_image_with_html_canvas_element_and_sw_and_sh_and_dx_and_dy_and_dw_and_dh(
                    &self.canvas,
                    x0,
                    y0,
                    sw,
                    sh,
                    x0,
                    y0,
                    sw,
                    sh,
                );
        }
    }
}
