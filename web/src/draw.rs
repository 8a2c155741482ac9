//! Painting a [`Scene`] on a 2D canvas. No simulation logic here.

use std::f64::consts::TAU;

use qcore::net::LinkState;
use qcore::trace::DropReason;
use qscene::labels::{Part, Placed};
use qscene::{Labels, NodeShape, Point, Role, Scene};
use web_sys::CanvasRenderingContext2d as Ctx2d;

use crate::chrome::Chrome;
use crate::i18n::Lang;

use qscene::palette::{
    message_colour as msg_colour, BG, CUT, CUT_FAINT, DOWN, HELD, INK, LINK, MUTED, OVERLAP, READ,
    WRITE,
};

fn circle(ctx: &Ctx2d, p: Point, r: f64) {
    ctx.begin_path();
    let _ = ctx.arc(p.x, p.y, r, 0.0, TAU);
}

fn line(ctx: &Ctx2d, a: Point, b: Point) {
    ctx.begin_path();
    ctx.move_to(a.x, a.y);
    ctx.line_to(b.x, b.y);
    ctx.stroke();
}

fn dashed(ctx: &Ctx2d, on: f64, off: f64) {
    let arr = js_sys::Array::of2(&on.into(), &off.into());
    let _ = ctx.set_line_dash(&arr);
}

fn solid(ctx: &Ctx2d) {
    let _ = ctx.set_line_dash(&js_sys::Array::new());
}

fn cross(ctx: &Ctx2d, p: Point, s: f64) {
    line(ctx, Point::new(p.x - s, p.y - s), Point::new(p.x + s, p.y + s));
    line(ctx, Point::new(p.x - s, p.y + s), Point::new(p.x + s, p.y - s));
}

/// A dashed circle: a selected node, or one a check flagged.
fn dashed_ring(ctx: &Ctx2d, colour: &str, width: f64, p: Point, r: f64) {
    ctx.set_stroke_style_str(colour);
    ctx.set_line_width(width);
    dashed(ctx, 4.0, 3.0);
    circle(ctx, p, r);
    ctx.stroke();
    solid(ctx);
}

fn text(ctx: &Ctx2d, s: &str, x: f64, y: f64) {
    let _ = ctx.fill_text(s, x, y);
}

/// What the space-time diagram has selected, to ring on the canvas too: a
/// message in flight, or a node.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ring {
    pub message: Option<u64>,
    pub node: Option<u32>,
    /// The nodes a guided lesson's step is about.
    pub focus: &'static [u32],
    /// The message under the pointer: its label shows even when crowded.
    pub hover: Option<u64>,
}

/// Paint the whole scene with its labels where `labels` placed them and
/// the page's `chrome` around it; `drag` is a partition line being drawn.
pub fn paint(
    ctx: &Ctx2d,
    scene: &Scene,
    (labels, chrome): (&Labels, &Chrome),
    drag: Option<(Point, Point)>,
    ring: Ring,
) {
    paint_still(ctx, scene, (labels, chrome), ring.focus);
    paint_moving(ctx, scene, labels, drag, ring);
}

/// What stays put between events: the background, links and their faults,
/// the partition, nodes with their quorum rings and badges, clients, the
/// guided step's halo, the still labels, the header, the banner and the
/// legend. The driver keeps it on a layer of its own, redrawn only when it
/// changes.
pub fn paint_still(
    ctx: &Ctx2d,
    scene: &Scene,
    (labels, chrome): (&Labels, &Chrome),
    focus: &[u32],
) {
    ctx.set_fill_style_str(BG);
    ctx.fill_rect(0.0, 0.0, scene.width, scene.height);
    ctx.set_line_cap("round");
    ctx.set_text_baseline("middle");
    links(ctx, scene);
    if let Some((a, b)) = scene.partition_line {
        ctx.set_stroke_style_str(CUT);
        ctx.set_line_width(3.0);
        dashed(ctx, 14.0, 8.0);
        line(ctx, a, b);
        solid(ctx);
    }
    for n in &scene.nodes {
        node(ctx, n);
    }
    for c in &scene.clients {
        client(ctx, c);
    }
    // What the guided step is about: a soft halo.
    for n in focus.iter().filter_map(|&n| scene.nodes.get(n as usize)) {
        ctx.set_stroke_style_str(HELD);
        ctx.set_global_alpha(0.5);
        ctx.set_line_width(5.0);
        circle(ctx, n.pos, n.radius + 12.0);
        ctx.stroke();
        ctx.set_global_alpha(1.0);
    }
    // The clock moves: it is drawn with what moves.
    for l in labels.still().iter().filter(|l| l.part != Part::Clock) {
        label(ctx, scene, l);
    }
    paint_chrome(ctx, chrome);
}

/// Draw one placed label in its font and colour.
fn label(ctx: &Ctx2d, scene: &Scene, l: &Placed) {
    label_text(ctx, scene, l, &qscene::labels::text_of(scene, l.part));
}

/// The clock, written into a buffer kept between frames: a frame between
/// events allocates nothing.
fn clock_label(ctx: &Ctx2d, scene: &Scene, l: &Placed) {
    thread_local!(static TEXT: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) });
    TEXT.with_borrow_mut(|t| {
        t.clear();
        qscene::labels::write_clock(t, scene.now);
        label_text(ctx, scene, l, t);
    });
}

fn label_text(ctx: &Ctx2d, scene: &Scene, l: &Placed, s: &str) {
    ctx.set_font(l.font.css());
    ctx.set_text_align(l.align.css());
    ctx.set_fill_style_str(qscene::labels::ink(scene, l.part));
    text(ctx, s, l.x, l.y);
    if qscene::labels::on_disk(scene, l.part) {
        // A small disk glyph: this line survives a crash.
        disk_glyph(ctx, Point::new(l.rect.x + l.rect.w - 6.0, l.y));
    }
}

/// The header, banner and legend.
fn paint_chrome(ctx: &Ctx2d, chrome: &Chrome) {
    if let Some(b) = &chrome.banner {
        let r = b.rect;
        ctx.set_fill_style_str(b.bg);
        ctx.fill_rect(r.x, r.y, r.w, r.h);
        ctx.set_stroke_style_str(b.fg);
        ctx.set_line_width(1.0);
        ctx.stroke_rect(r.x, r.y, r.w, r.h);
    }
    let banner = chrome.banner.as_ref().map(|b| &b.line);
    for &(p, colour) in &chrome.dots {
        circle(ctx, p, 5.0);
        ctx.set_fill_style_str(colour);
        ctx.fill();
    }
    for l in chrome.lines.iter().chain(banner) {
        ctx.set_font(l.font.css());
        ctx.set_text_align(l.align.css());
        ctx.set_fill_style_str(l.ink);
        text(ctx, &l.text, l.x, l.y);
    }
}

/// What moves every frame, drawn over the still layer: messages in flight
/// with the labels placed for them (a crowded one only when selected), the
/// selection's rings, recent drops, a partition line being drawn, and the
/// clock.
pub fn paint_moving(
    ctx: &Ctx2d,
    scene: &Scene,
    labels: &Labels,
    drag: Option<(Point, Point)>,
    ring: Ring,
) {
    ctx.set_line_cap("round");
    ctx.set_text_baseline("middle");
    for m in &scene.messages {
        circle(ctx, m.pos, 5.5);
        ctx.set_fill_style_str(msg_colour(m.kind));
        ctx.fill();
        if m.held {
            ctx.set_stroke_style_str(HELD);
            ctx.set_line_width(2.0);
            circle(ctx, m.pos, 8.5);
            ctx.stroke();
        }
        if ring.message == Some(m.id) {
            ctx.set_stroke_style_str(INK);
            ctx.set_line_width(3.0);
            circle(ctx, m.pos, 11.0);
            ctx.stroke();
        }
    }
    for l in labels.moving().iter().chain(&selected_label(scene, labels, ring)) {
        label(ctx, scene, l);
    }
    if let Some(n) = ring.node.and_then(|n| scene.nodes.get(n as usize)) {
        dashed_ring(ctx, OVERLAP, 3.0, n.pos, n.radius + 7.0);
    }
    // Recently dropped messages.
    for d in &scene.drops {
        ctx.set_global_alpha(d.fresh);
        ctx.set_stroke_style_str(if d.reason == DropReason::NodeDown { MUTED } else { CUT });
        ctx.set_line_width(2.5);
        cross(ctx, d.pos, 6.0);
    }
    ctx.set_global_alpha(1.0);

    // The partition line being drawn.
    if let Some((a, b)) = drag {
        ctx.set_stroke_style_str(CUT);
        ctx.set_line_width(2.0);
        dashed(ctx, 8.0, 6.0);
        line(ctx, a, b);
        solid(ctx);
    }
    if let Some(clock) = labels.still().iter().find(|l| l.part == Part::Clock) {
        clock_label(ctx, scene, clock);
    }
}

/// The label of the selected message (else the one under the pointer)
/// when it was too crowded to show.
#[must_use]
pub fn selected_label(scene: &Scene, labels: &Labels, ring: Ring) -> Option<Placed> {
    let id = ring.message.or(ring.hover)?;
    let k = u32::try_from(scene.messages.iter().position(|m| m.id == id)?).ok()?;
    labels.hidden.contains(&k).then(|| qscene::labels::forced_message_label(scene, k)).flatten()
}

/// Links, with their faults.
fn links(ctx: &Ctx2d, scene: &Scene) {
    for l in &scene.links {
        let (a, b) = (l.a_pos, l.b_pos);
        match (l.ab, l.ba) {
            (LinkState::Healthy, LinkState::Healthy) => {
                ctx.set_stroke_style_str(LINK);
                ctx.set_line_width(1.0);
                line(ctx, a, b);
            }
            (ab, ba) => {
                let both_cut = ab == LinkState::Partitioned && ba == LinkState::Partitioned;
                let held = ab == LinkState::Held || ba == LinkState::Held;
                if both_cut && scene.sides > 1 {
                    // Part of a partition: the split line says it; keep the link faint.
                    ctx.set_stroke_style_str(CUT_FAINT);
                    ctx.set_line_width(1.0);
                    dashed(ctx, 3.0, 5.0);
                    line(ctx, a, b);
                    solid(ctx);
                    continue;
                }
                ctx.set_stroke_style_str(if held { HELD } else { CUT });
                ctx.set_line_width(if both_cut { 2.0 } else { 1.5 });
                dashed(ctx, 6.0, 5.0);
                line(ctx, a, b);
                solid(ctx);
                // Mark each faulty direction near the end it leaves.
                for (state, from, to) in [(ab, a, b), (ba, b, a)] {
                    if state == LinkState::Healthy {
                        continue;
                    }
                    let p = from.lerp(to, 0.35);
                    if state == LinkState::Partitioned {
                        cross(ctx, p, 4.0);
                    } else {
                        circle(ctx, p, 3.5);
                        ctx.set_fill_style_str(HELD);
                        ctx.fill();
                    }
                }
            }
        }
    }
}

/// A node with its quorum rings, value, name and badges.
fn node(ctx: &Ctx2d, n: &NodeShape) {
    if n.in_write_set {
        ctx.set_stroke_style_str(WRITE);
        ctx.set_line_width(3.0);
        circle(ctx, n.pos, n.radius + 5.0);
        ctx.stroke();
    }
    if n.in_read_set {
        ctx.set_stroke_style_str(READ);
        ctx.set_line_width(3.0);
        circle(ctx, n.pos, n.radius + 10.0);
        ctx.stroke();
    }
    if n.in_write_set && n.in_read_set {
        circle(ctx, Point::new(n.pos.x + n.radius * 0.8, n.pos.y - n.radius * 0.8), 6.0);
        ctx.set_fill_style_str(OVERLAP);
        ctx.fill();
    }
    if n.flagged {
        dashed_ring(ctx, CUT, 4.0, n.pos, n.radius + 15.0);
    }
    node_body(ctx, n);
    if !n.up {
        ctx.set_stroke_style_str(CUT);
        ctx.set_line_width(3.0);
        cross(ctx, n.pos, n.radius * 0.6);
    }
}

/// A client, with its pending request and its last answer.
fn client(ctx: &Ctx2d, c: &qscene::ClientShape) {
    ctx.set_fill_style_str("#eef2f7");
    ctx.set_stroke_style_str(INK);
    ctx.set_line_width(1.5);
    ctx.begin_path();
    ctx.rect(c.pos.x - c.radius, c.pos.y - c.radius, c.radius * 2.0, c.radius * 2.0);
    ctx.fill();
    ctx.stroke();
}

fn node_body(ctx: &Ctx2d, n: &NodeShape) {
    let r = n.radius;
    ctx.begin_path();
    match n.role {
        // Proposers are squares; acceptors and replicas circles.
        Role::Proposer => ctx.rect(n.pos.x - r, n.pos.y - r * 0.85, 2.0 * r, 1.7 * r),
        // Observers and Paxos learners are diamonds: they learn, never vote.
        Role::Observer | Role::Learner => {
            ctx.move_to(n.pos.x, n.pos.y - r);
            ctx.line_to(n.pos.x + r, n.pos.y);
            ctx.line_to(n.pos.x, n.pos.y + r);
            ctx.line_to(n.pos.x - r, n.pos.y);
            ctx.close_path();
        }
        Role::Acceptor | Role::Replica | Role::Looking | Role::Leader | Role::Follower => {
            let _ = ctx.arc(n.pos.x, n.pos.y, r, 0.0, TAU);
        }
    }
    ctx.set_fill_style_str(if n.up { "#ffffff" } else { DOWN });
    ctx.fill();
    ctx.set_stroke_style_str(if n.up { INK } else { MUTED });
    // The Zab leader has a heavy outline; a LOOKING server a dashed one.
    ctx.set_line_width(if n.role == Role::Leader && n.up { 4.0 } else { 2.0 });
    if n.role == Role::Looking && n.up {
        dashed(ctx, 5.0, 4.0);
    }
    ctx.stroke();
    solid(ctx);
}

fn disk_glyph(ctx: &Ctx2d, p: Point) {
    ctx.set_fill_style_str(MUTED);
    ctx.fill_rect(p.x - 4.0, p.y - 4.0, 8.0, 8.0);
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(p.x - 2.0, p.y - 4.0, 4.0, 3.0);
}

/// The 2D context of a canvas that is repainted while a run plays. It is
/// opaque (every paint fills its background): the browser then composites
/// the canvas without blending it over the page, which is a good part of
/// what each animation frame costs it.
#[must_use]
pub fn opaque_context(canvas: &web_sys::HtmlCanvasElement) -> Option<Ctx2d> {
    use wasm_bindgen::JsCast;
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &"alpha".into(), &false.into()).ok()?;
    canvas.get_context_with_context_options("2d", &options).ok()??.dyn_into::<Ctx2d>().ok()
}

/// Paint the history view (lanes of operation bars) on its own canvas.
pub fn paint_history(
    canvas: &web_sys::HtmlCanvasElement,
    scene: &qscene::HistoryScene,
    lang: Lang,
) {
    use wasm_bindgen::JsCast;
    let Some(ctx) =
        canvas.get_context("2d").ok().flatten().and_then(|c| c.dyn_into::<Ctx2d>().ok())
    else {
        return;
    };
    let dpr = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio()).max(1.0);
    let (w, h) = (scene.width, scene.height + 4.0);
    // The height follows the number of clients (set as an attribute: the CSP forbids inline styles).
    let _ = canvas.set_attribute("height", &((h * dpr).round() as u32).to_string());
    canvas.set_width((w * dpr).round() as u32);
    let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(0.0, 0.0, w, h);
    ctx.set_font("11px sans-serif");
    ctx.set_text_baseline("middle");
    ctx.set_text_align("left");
    for lane in 0..scene.lanes {
        let y = f64::from(lane) * scene.lane_height;
        ctx.set_fill_style_str(if lane % 2 == 0 { "#f7f8fa" } else { "#ffffff" });
        ctx.fill_rect(0.0, y, w, scene.lane_height);
        ctx.set_fill_style_str(MUTED);
        text(&ctx, &format!("c{lane}"), 6.0, y + scene.lane_height / 2.0);
    }
    for b in &scene.bars {
        let colour = match b.kind {
            qscene::BarKind::Ok => "#9cc3f5",
            qscene::BarKind::Failed => "#f2b8b8",
            qscene::BarKind::Pending => "#e3e6eb",
        };
        ctx.set_fill_style_str(colour);
        ctx.fill_rect(b.x0, b.y, b.x1 - b.x0, b.height);
        if b.flagged {
            ctx.set_stroke_style_str(CUT);
            ctx.set_line_width(2.0);
            ctx.stroke_rect(b.x0, b.y, b.x1 - b.x0, b.height);
        }
        if b.stuck {
            // The operation no legal order can place: a dark frame and a
            // pointer above it, to stand out among other flagged ones.
            ctx.set_stroke_style_str(INK);
            ctx.set_line_width(2.5);
            ctx.stroke_rect(b.x0 - 1.5, b.y - 1.5, b.x1 - b.x0 + 3.0, b.height + 3.0);
            ctx.set_fill_style_str(INK);
            ctx.begin_path();
            ctx.move_to(b.x0 - 4.0, b.y - 5.0);
            ctx.line_to(b.x0 + 4.0, b.y - 5.0);
            ctx.line_to(b.x0, b.y - 1.0);
            ctx.fill();
        }
        if let Some(px) = b.point_x {
            // The linearization point: where the operation took effect.
            ctx.set_stroke_style_str(INK);
            ctx.set_line_width(2.0);
            line(&ctx, Point::new(px, b.y - 2.0), Point::new(px, b.y + b.height + 2.0));
        }
        ctx.set_fill_style_str(INK);
        if b.x1 - b.x0 > 18.0 {
            text(&ctx, &b.label, b.x0 + 3.0, b.y + b.height / 2.0);
        }
    }
    if !scene.bands.is_empty() {
        // Inconsistency windows: translucent, so overlapping windows darken.
        let y = scene.band_y();
        ctx.set_fill_style_str(MUTED);
        text(&ctx, "≠", 12.0, y + scene.lane_height / 2.0);
        ctx.set_global_alpha(0.3);
        for b in &scene.bands {
            ctx.set_fill_style_str(if b.open { CUT } else { "#e8a23a" });
            ctx.fill_rect(b.x0, y + 3.0, b.x1 - b.x0, scene.lane_height - 6.0);
        }
        ctx.set_global_alpha(1.0);
    }
    history_faults(&ctx, scene, lang);
    ctx.set_stroke_style_str(OVERLAP);
    ctx.set_line_width(1.5);
    line(&ctx, Point::new(scene.now_x, 0.0), Point::new(scene.now_x, h));
}

/// The colour of a kind of fault, as the space-time diagram draws it
/// (leaders in the colour of held messages: neither a fault nor a repair).
fn fault_colour(kind: qscene::FaultKind) -> &'static str {
    use qscene::FaultKind as F;
    match kind {
        F::Crash | F::Partition => CUT,
        F::Restart | F::Heal => READ,
        F::Leader => HELD,
    }
}

/// Faults as lines across the client lanes (network changes dashed), each
/// captioned at the top with its node, or with what happened to the network.
fn history_faults(ctx: &Ctx2d, scene: &qscene::HistoryScene, lang: Lang) {
    use qscene::FaultKind as F;
    let bottom = f64::from(scene.lanes) * scene.lane_height;
    ctx.set_line_width(1.5);
    // Where each caption row is free again: a caption goes in the first
    // free row (or the one freed first), so close faults stay legible.
    let mut ends = [f64::NEG_INFINITY; 3];
    for f in &scene.faults {
        let colour = fault_colour(f.kind);
        ctx.set_stroke_style_str(colour);
        ctx.set_fill_style_str(colour);
        if matches!(f.kind, F::Partition | F::Heal) {
            dashed(ctx, 4.0, 3.0);
        }
        line(ctx, Point::new(f.x, 0.0), Point::new(f.x, bottom));
        solid(ctx);
        let caption = match f.kind {
            F::Partition => lang.t("st.cut").to_string(),
            F::Heal => lang.t("st.heal").to_string(),
            F::Leader => format!("{} {}", lang.t("fault.leader_mark"), f.label),
            F::Crash => format!("{} {}", f.label, lang.t("fault.crash_mark")),
            F::Restart => format!("{} {}", f.label, lang.t("fault.restart_mark")),
        };
        let width = ctx.measure_text(&caption).map_or(40.0, |m| m.width());
        let row = ends.iter().position(|&e| f.x >= e).unwrap_or_else(|| {
            (0..ends.len()).min_by(|&a, &b| ends[a].total_cmp(&ends[b])).unwrap_or(0)
        });
        text(ctx, &caption, f.x + 3.0, 7.0 + 11.0 * row as f64);
        ends[row] = f.x + 3.0 + width + 4.0;
    }
}

/// Paint the space-time diagram: lanes, shaded downtime and cuts, arrows by
/// message colour (dashed while in flight, dotted for a duplicate, a cross
/// where dropped), marks, Lamport times when zoomed in, the present.
pub fn paint_spacetime(ctx: &Ctx2d, scene: &qscene::SpaceTimeScene, lang: Lang, follow: bool) {
    let (w, h) = (scene.width, scene.height);
    ctx.set_fill_style_str(BG);
    ctx.fill_rect(0.0, 0.0, w, h);
    let bottom = h - 16.0;
    st_lanes(ctx, scene, bottom);
    st_arrow_paths(ctx, scene);
    st_arrow_ends(ctx, scene);
    st_marks(ctx, scene, lang, bottom);
    st_present(ctx, scene, bottom);
    ctx.set_fill_style_str(MUTED);
    ctx.set_text_align("right");
    ctx.set_font("11px sans-serif");
    if !follow {
        text(ctx, lang.t("st.detached"), w - 8.0, 8.0);
    }
    if scene.stride > 1 {
        text(ctx, &lang.fmt("st.thinned", &[("k", scene.stride.to_string())]), w - 8.0, 22.0);
    }
}

/// Downtime and partitions as shaded spans, the lanes and their names, the
/// tick axis.
fn st_lanes(ctx: &Ctx2d, scene: &qscene::SpaceTimeScene, bottom: f64) {
    use qscene::NAMES_WIDTH;
    let (w, h) = (scene.width, scene.height);
    for sp in &scene.spans {
        match sp.y {
            Some(y) => {
                ctx.set_fill_style_str(DOWN);
                ctx.set_global_alpha(0.35);
                ctx.fill_rect(sp.x0, y - scene.lane_height / 2.0, sp.x1 - sp.x0, scene.lane_height);
            }
            None => {
                ctx.set_fill_style_str(CUT);
                ctx.set_global_alpha(0.08);
                ctx.fill_rect(sp.x0, 0.0, sp.x1 - sp.x0, bottom);
            }
        }
    }
    ctx.set_global_alpha(1.0);
    ctx.set_font("11px sans-serif");
    ctx.set_text_baseline("middle");
    ctx.set_text_align("left");
    ctx.set_stroke_style_str(LINK);
    ctx.set_line_width(1.0);
    for (y, name) in &scene.lanes {
        line(ctx, Point::new(NAMES_WIDTH, *y), Point::new(w - 6.0, *y));
        ctx.set_fill_style_str(INK);
        text(ctx, name, 4.0, *y);
    }
    ctx.set_fill_style_str(MUTED);
    ctx.set_text_align("center");
    for (x, t) in &scene.axis {
        text(ctx, &t.to_string(), *x, h - 7.0);
    }
}

/// Every arrow, one path per colour and style (few canvas calls per frame).
fn st_arrow_paths(ctx: &Ctx2d, scene: &qscene::SpaceTimeScene) {
    use qscene::ArrowEnd;
    let kinds = [
        qscene::MessageKind::Request,
        qscene::MessageKind::Reply,
        qscene::MessageKind::Query,
        qscene::MessageKind::Store,
        qscene::MessageKind::Ack,
        qscene::MessageKind::Reject,
        qscene::MessageKind::Announce,
        qscene::MessageKind::Vote,
        qscene::MessageKind::Heartbeat,
    ];
    ctx.set_line_width(1.2);
    for style in 0..3 {
        match style {
            0 => solid(ctx),
            1 => dashed(ctx, 4.0, 3.0),
            _ => dashed(ctx, 1.0, 3.0),
        }
        for k in kinds {
            let mut any = false;
            for a in scene.arrows.iter().filter(|a| a.kind == k) {
                let s = match (a.end, a.duplicate) {
                    (ArrowEnd::InFlight, _) => 1,
                    (_, true) => 2,
                    _ => 0,
                };
                if s != style {
                    continue;
                }
                if !any {
                    ctx.begin_path();
                    any = true;
                }
                ctx.move_to(a.a.x, a.a.y);
                ctx.line_to(a.b.x, a.b.y);
            }
            if any {
                ctx.set_stroke_style_str(msg_colour(k));
                ctx.stroke();
            }
        }
    }
    solid(ctx);
}

/// Where each arrow ended (a dot, or a cross where it was dropped), Lamport
/// times, and the selected message.
fn st_arrow_ends(ctx: &Ctx2d, scene: &qscene::SpaceTimeScene) {
    use qscene::ArrowEnd;
    ctx.set_font("9px sans-serif");
    ctx.set_text_align("left");
    for a in &scene.arrows {
        match a.end {
            ArrowEnd::Dropped => {
                ctx.set_stroke_style_str(CUT);
                ctx.set_line_width(1.5);
                cross(ctx, a.b, 3.0);
            }
            ArrowEnd::Delivered => {
                ctx.set_fill_style_str(msg_colour(a.kind));
                circle(ctx, a.b, 2.0);
                ctx.fill();
            }
            ArrowEnd::InFlight => {}
        }
        if let Some((sent, received)) = a.lamport {
            ctx.set_fill_style_str(MUTED);
            text(ctx, &sent.to_string(), a.a.x + 2.0, a.a.y - 6.0);
            if let Some(r) = received {
                text(ctx, &r.to_string(), a.b.x + 2.0, a.b.y - 6.0);
            }
        }
        if a.selected {
            // The selected message: heavy, with its type named.
            ctx.set_stroke_style_str(INK);
            ctx.set_line_width(3.0);
            line(ctx, a.a, a.b);
            ctx.set_fill_style_str(INK);
            ctx.set_font("bold 11px sans-serif");
            let mid = a.a.lerp(a.b, 0.5);
            text(ctx, a.name, mid.x + 4.0, mid.y - 8.0);
            ctx.set_font("9px sans-serif");
        }
    }
}

/// Crashes, restarts, invocations and returns on their lanes; cuts and heals
/// across all of them.
fn st_marks(ctx: &Ctx2d, scene: &qscene::SpaceTimeScene, lang: Lang, bottom: f64) {
    use qcore::spacetime::MarkKind;
    for m in &scene.marks {
        let colour = match m.kind {
            MarkKind::Crash | MarkKind::Cut => CUT,
            MarkKind::Restart | MarkKind::Heal => READ,
            MarkKind::Invoke(_) | MarkKind::Return(_) => INK,
        };
        ctx.set_fill_style_str(colour);
        ctx.set_stroke_style_str(colour);
        match m.y {
            None => {
                ctx.set_line_width(1.5);
                dashed(ctx, 5.0, 3.0);
                line(ctx, Point::new(m.x, 0.0), Point::new(m.x, bottom));
                solid(ctx);
                text(
                    ctx,
                    lang.t(if m.kind == MarkKind::Cut { "st.cut" } else { "st.heal" }),
                    m.x + 3.0,
                    8.0,
                );
            }
            Some(y) => {
                let s = if m.selected { 5.0 } else { 3.0 };
                ctx.fill_rect(m.x - s, y - s, 2.0 * s, 2.0 * s);
                if m.found {
                    // A counterexample's operation, ringed as on the history.
                    ctx.set_stroke_style_str(CUT);
                    ctx.set_line_width(2.0);
                    circle(ctx, Point::new(m.x, y), 7.0);
                    ctx.stroke();
                }
                if let Some(l) = m.lamport {
                    ctx.set_fill_style_str(MUTED);
                    text(ctx, &l.to_string(), m.x + 4.0, y + 7.0);
                }
            }
        }
        if m.selected {
            ctx.set_stroke_style_str(INK);
            ctx.set_line_width(2.0);
            let y = m.y.unwrap_or(bottom / 2.0);
            circle(ctx, Point::new(m.x, y), 8.0);
            ctx.stroke();
        }
    }
}

/// The present, and past it what was computed before going back in time.
fn st_present(ctx: &Ctx2d, scene: &qscene::SpaceTimeScene, bottom: f64) {
    let Some(x) = scene.now_x else { return };
    // Past the present: what was computed before going back in time.
    if let Some(edge) = scene.edge_x {
        ctx.set_fill_style_str(MUTED);
        ctx.set_global_alpha(0.08);
        ctx.fill_rect(x, 0.0, edge - x, bottom);
        ctx.set_global_alpha(1.0);
    }
    ctx.set_stroke_style_str(OVERLAP);
    ctx.set_line_width(1.5);
    line(ctx, Point::new(x, 0.0), Point::new(x, bottom));
}

/// Draw a QR code on its canvas: black modules on white with the four-module
/// quiet zone scanners need, each module a whole number of device pixels.
pub fn paint_qr(canvas: &web_sys::HtmlCanvasElement, code: &qscene::qr::Qr) {
    use wasm_bindgen::JsCast;
    let Some(ctx) =
        canvas.get_context("2d").ok().flatten().and_then(|c| c.dyn_into::<Ctx2d>().ok())
    else {
        return;
    };
    let quiet = 4;
    let side = code.width + 2 * quiet;
    let dpr = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio()).max(1.0);
    // About 200 CSS px across.
    let scale = ((200.0 * dpr) as usize / side).max(2);
    let px = (side * scale) as u32;
    canvas.set_width(px);
    canvas.set_height(px);
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(0.0, 0.0, f64::from(px), f64::from(px));
    ctx.set_fill_style_str("#000000");
    for y in 0..code.width {
        for x in 0..code.width {
            if code.at(x, y) {
                let (fx, fy) = (((x + quiet) * scale) as f64, ((y + quiet) * scale) as f64);
                ctx.fill_rect(fx, fy, scale as f64, scale as f64);
            }
        }
    }
}
