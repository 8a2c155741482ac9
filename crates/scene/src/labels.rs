//! Where the text of a scene goes, so that no two labels overlap.
//!
//! Every painter (the canvas and the SVG export) draws text only where
//! [`place`] put it. Placement is greedy, in order of importance: what the
//! page draws around the scene (header, banner, legend: given as reserved
//! rectangles), the clock, the nodes' values, clients, then each node's
//! name and state lines as one block (below the node, else beside it),
//! then the messages in flight, each trying a few spots around its dot. A
//! message label with no free spot is hidden; the painter shows it when
//! that message is selected or under the pointer.
//!
//! Widths are estimated, not measured, so the same placement holds on the
//! canvas, in the SVG and in a native test: the estimate is an upper bound
//! of DejaVu Sans (the widest common sans-serif; a browser test checks the
//! estimate against what Chromium measures).

use crate::project::Scene;

/// The type sizes the scene is drawn in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Font {
    /// 11 px: names, state lines, message labels, the clock, the legend.
    Small,
    /// Bold 12 px: a client's name.
    SmallBold,
    /// 12 px: the header's second line.
    Line,
    /// Bold 12 px: the header's variant line.
    LineBold,
    /// Bold 13 px: the header's first line.
    Title,
    /// Bold 14 px: the banner.
    Banner,
    /// Bold 15 px: a node's value.
    Value,
}

impl Font {
    /// The CSS font, as the canvas and the SVG set it.
    #[must_use]
    pub fn css(self) -> &'static str {
        match self {
            Font::Small => "11px sans-serif",
            Font::SmallBold | Font::LineBold => "bold 12px sans-serif",
            Font::Line => "12px sans-serif",
            Font::Title => "bold 13px sans-serif",
            Font::Banner => "bold 14px sans-serif",
            Font::Value => "bold 15px sans-serif",
        }
    }

    #[must_use]
    pub fn px(self) -> f64 {
        match self {
            Font::Small => 11.0,
            Font::SmallBold | Font::Line | Font::LineBold => 12.0,
            Font::Title => 13.0,
            Font::Banner => 14.0,
            Font::Value => 15.0,
        }
    }

    #[must_use]
    pub fn bold(self) -> bool {
        !matches!(self, Font::Small | Font::Line)
    }
}

/// DejaVu Sans advance widths of ASCII 32..=126, in hundredths of an em
/// (as Chromium measures them, rounded up).
#[rustfmt::skip]
const REGULAR: [u8; 95] = [
    32, 41, 46, 84, 64, 96, 78, 28, 40, 40, 50, 84, 32, 37, 32, 34,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 34, 34, 84, 84, 84, 54,
    100, 69, 69, 70, 78, 64, 58, 78, 76, 30, 30, 66, 56, 87, 75, 79,
    61, 79, 70, 64, 62, 74, 69, 99, 69, 62, 69, 40, 34, 40, 84, 50,
    50, 62, 64, 55, 64, 62, 36, 64, 64, 28, 28, 58, 28, 98, 64, 62,
    64, 64, 42, 53, 40, 64, 60, 82, 60, 60, 53, 64, 34, 64, 84,
];
#[rustfmt::skip]
const BOLD: [u8; 95] = [
    35, 46, 53, 84, 70, 101, 88, 31, 46, 46, 53, 84, 38, 42, 38, 37,
    70, 70, 70, 70, 70, 70, 70, 70, 70, 70, 40, 40, 84, 84, 84, 59,
    100, 78, 77, 74, 84, 69, 69, 83, 84, 38, 38, 78, 64, 100, 84, 86,
    74, 86, 78, 73, 69, 82, 78, 111, 78, 73, 73, 46, 37, 46, 84, 50,
    50, 68, 72, 60, 72, 68, 44, 72, 72, 35, 35, 67, 35, 105, 72, 69,
    72, 72, 50, 60, 48, 72, 66, 93, 65, 66, 59, 72, 37, 72, 84,
];

/// The estimated width of `s` in `font`, an upper bound of DejaVu Sans:
/// ASCII by table, anything else (CJK, arrows, ticks) a full em.
#[must_use]
pub fn text_width(s: &str, font: Font) -> f64 {
    let table = if font.bold() { &BOLD } else { &REGULAR };
    let hundredths: u32 = s
        .chars()
        .map(|c| match c {
            ' '..='~' => u32::from(table[c as usize - 32]),
            _ => 100,
        })
        .sum();
    f64::from(hundredths) * font.px() / 100.0
}

/// A rectangle, `x, y` its top left corner.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    #[must_use]
    pub fn new(x: f64, y: f64, w: f64, h: f64) -> Self {
        Rect { x, y, w, h }
    }

    /// Whether the two share any area (touching edges do not count).
    #[must_use]
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }

    fn within(&self, width: f64, height: f64) -> bool {
        self.x >= 0.0 && self.y >= 0.0 && self.x + self.w <= width && self.y + self.h <= height
    }
}

/// How a label's `x` anchors it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

impl Align {
    #[must_use]
    pub fn css(self) -> &'static str {
        match self {
            Align::Left => "left",
            Align::Center => "center",
            Align::Right => "right",
        }
    }
}

/// The box of a line of text drawn at `(x, y)` (its vertical middle) in
/// `font` with `align`; `extra` is room drawn after the text (a disk glyph).
#[must_use]
pub fn text_rect(x: f64, y: f64, align: Align, font: Font, text: &str, extra: f64) -> Rect {
    let w = text_width(text, font) + extra;
    let h = font.px() * 1.1;
    let left = match align {
        Align::Left => x,
        Align::Center => x - w / 2.0,
        Align::Right => x - w,
    };
    Rect::new(left, y - h / 2.0, w, h)
}

/// Which text of the scene a label is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Clock,
    NodeName(u32),
    NodeValue(u32),
    /// Line `k` of a node's state.
    NodeDetail(u32, u32),
    ClientName(u32),
    ClientPending(u32),
    /// The pending operation without the node it went to.
    ClientPendingShort(u32),
    ClientLast(u32),
    /// The message at this index of `Scene::messages`.
    Message(u32),
}

/// A label placed: draw its text at `(x, y)` (vertical middle) with `align`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Placed {
    pub part: Part,
    pub x: f64,
    pub y: f64,
    pub align: Align,
    pub font: Font,
    pub rect: Rect,
}

/// Room a state line kept on disk leaves after its text for the disk glyph.
pub const DISK_GLYPH: f64 = 13.0;
/// How far beside a node its lines start: clear of its quorum rings and
/// the guided step's halo (drawn up to 12 px outside it).
const RING_ROOM: f64 = 15.0;
/// Distance between a node's state lines.
pub const LINE: f64 = 13.0;

/// The text of a placed label, read from the scene.
#[must_use]
pub fn text_of(scene: &Scene, part: Part) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    let node = |i: u32| &scene.nodes[i as usize];
    let client = |i: u32| &scene.clients[i as usize];
    match part {
        Part::Clock => Cow::Owned(clock(scene.now)),
        Part::NodeName(i) => Cow::Borrowed(&node(i).name),
        Part::NodeValue(i) => Cow::Borrowed(&node(i).value),
        Part::NodeDetail(i, k) => Cow::Borrowed(&node(i).details[k as usize].text),
        Part::ClientName(i) => Cow::Owned(format!("c{i}")),
        Part::ClientPending(i) => Cow::Borrowed(client(i).pending.as_deref().unwrap_or("")),
        Part::ClientPendingShort(i) => {
            let t = client(i).pending.as_deref().unwrap_or("");
            Cow::Borrowed(without_target(t))
        }
        Part::ClientLast(i) => Cow::Borrowed(client(i).last.as_deref().unwrap_or("")),
        Part::Message(k) => Cow::Borrowed(&scene.messages[k as usize].label),
    }
}

/// The colour a placed label is drawn in (the canvas and the SVG agree).
#[must_use]
pub fn ink(scene: &Scene, part: Part) -> &'static str {
    use crate::palette::{label_colour, HELD, INK, MUTED, WRITE};
    match part {
        Part::Clock | Part::NodeName(_) | Part::ClientLast(_) => MUTED,
        Part::NodeValue(i) => {
            if scene.nodes[i as usize].up {
                INK
            } else {
                "#4b5563"
            }
        }
        Part::NodeDetail(i, k) => {
            if scene.nodes[i as usize].details[k as usize].disk {
                INK
            } else {
                MUTED
            }
        }
        Part::ClientName(_) => INK,
        Part::ClientPending(_) | Part::ClientPendingShort(_) => WRITE,
        Part::Message(k) => {
            let m = &scene.messages[k as usize];
            if m.held {
                HELD
            } else {
                label_colour(m.kind)
            }
        }
    }
}

/// Whether a placed label is a state line kept on disk (drawn with a
/// small disk glyph after it).
#[must_use]
pub fn on_disk(scene: &Scene, part: Part) -> bool {
    matches!(part, Part::NodeDetail(i, k) if scene.nodes[i as usize].details[k as usize].disk)
}

/// A pending operation without the node it went to: `put 3 → n1` is
/// `put 3`. (A byte search: a string pattern would weigh on the bundle.)
fn without_target(op: &str) -> &str {
    let arrow = "→".as_bytes();
    match op.as_bytes().windows(arrow.len()).position(|w| w == arrow) {
        Some(cut) => &op[..cut.saturating_sub(1)],
        None => op,
    }
}

/// The clock's text (integer formatting only: float formatting would add
/// weight to the web bundle).
#[must_use]
pub fn clock(now: f64) -> String {
    let mut out = String::new();
    write_clock(&mut out, now);
    out
}

/// The clock's text, written after what `out` holds (a buffer kept from
/// frame to frame: writing it allocates nothing once it has room).
pub fn write_clock(out: &mut String, now: f64) {
    use std::fmt::Write;
    let _ = write!(out, "t = {}", now.max(0.0) as u64);
}

/// Every label placed, still ones first, then the messages' (`messages`
/// counts from where they start). Labels drawn where they would overlap
/// are counted in `overlaps` (a test wants zero).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Labels {
    pub placed: Vec<Placed>,
    /// Index in `placed` of the first message label.
    pub messages: usize,
    /// Messages whose label found no free spot (indices into
    /// `Scene::messages`).
    pub hidden: Vec<u32>,
    /// What the page draws around the scene, which labels keep clear of.
    pub reserved: Vec<Rect>,
    /// Node and client bodies, which message labels keep clear of.
    shapes: Vec<Rect>,
}

impl Labels {
    /// The still labels: the ones the still layer paints.
    #[must_use]
    pub fn still(&self) -> &[Placed] {
        &self.placed[..self.messages]
    }

    /// The message labels shown.
    #[must_use]
    pub fn moving(&self) -> &[Placed] {
        &self.placed[self.messages..]
    }

    /// Pairs of text boxes that overlap, reserved ones included.
    #[must_use]
    pub fn overlaps(&self) -> Vec<(Rect, Rect)> {
        let boxes: Vec<Rect> =
            self.reserved.iter().copied().chain(self.placed.iter().map(|p| p.rect)).collect();
        let mut out = Vec::new();
        for (i, a) in boxes.iter().enumerate() {
            for b in &boxes[i + 1..] {
                if a.overlaps(b) {
                    out.push((*a, *b));
                }
            }
        }
        out
    }
}

/// A spot a label may take: offset from its anchor, and alignment.
type Spot = (f64, f64, Align);

/// Where a message label may go around its dot, best first: up right (where
/// it always was), down right, up left, down left, above, below.
const MESSAGE_SPOTS: [Spot; 6] = [
    (8.0, -8.0, Align::Left),
    (8.0, 9.0, Align::Left),
    (-8.0, -8.0, Align::Right),
    (-8.0, 9.0, Align::Right),
    (0.0, -15.0, Align::Center),
    (0.0, 16.0, Align::Center),
];

struct Placer {
    width: f64,
    height: f64,
    /// Text boxes taken so far.
    taken: Vec<Rect>,
    /// Shapes a label should not cover, though they are not text.
    shapes: Vec<Rect>,
    out: Vec<Placed>,
}

impl Placer {
    fn free(&self, r: &Rect, avoid_shapes: bool) -> bool {
        r.within(self.width, self.height)
            && !self.taken.iter().any(|t| t.overlaps(r))
            && !(avoid_shapes && self.shapes.iter().any(|t| t.overlaps(r)))
    }

    fn put(&mut self, p: Placed) {
        self.taken.push(p.rect);
        self.out.push(p);
    }

    fn fixed(&mut self, part: Part, at: (f64, f64), align: Align, font: Font, text: &str) {
        let rect = text_rect(at.0, at.1, align, font, text, 0.0);
        self.put(Placed { part, x: at.0, y: at.1, align, font, rect });
    }
}

/// Place every label of `scene`, keeping clear of `reserved` (what the page
/// draws over the scene: header, banner, legend).
#[must_use]
pub fn place(scene: &Scene, reserved: &[Rect]) -> Labels {
    let mut p = Placer {
        width: scene.width,
        height: scene.height,
        taken: reserved.to_vec(),
        shapes: Vec::new(),
        out: Vec::new(),
    };
    p.fixed(Part::Clock, (scene.width - 12.0, 16.0), Align::Right, Font::Small, "t = 000000");
    for n in &scene.nodes {
        p.fixed(Part::NodeValue(n.id), (n.pos.x, n.pos.y), Align::Center, Font::Value, &n.value);
        let r = n.radius;
        p.shapes.push(Rect::new(n.pos.x - r, n.pos.y - r, 2.0 * r, 2.0 * r));
    }
    for c in &scene.clients {
        clients(&mut p, c);
    }
    for n in &scene.nodes {
        node_block(&mut p, n);
    }
    let messages = p.out.len();
    let mut labels = Labels {
        placed: p.out,
        messages,
        hidden: Vec::new(),
        reserved: reserved.to_vec(),
        shapes: p.shapes,
    };
    place_messages(scene, &mut labels);
    labels
}

/// Place the labels of the messages in flight again, keeping the still
/// ones: what a frame does between events, when only messages moved.
pub fn place_messages(scene: &Scene, labels: &mut Labels) {
    labels.placed.truncate(labels.messages);
    labels.hidden.clear();
    let mut taken = std::mem::take(&mut labels.reserved);
    let kept = taken.len();
    taken.extend(labels.placed.iter().map(|l| l.rect));
    let mut p = Placer {
        width: scene.width,
        height: scene.height,
        taken,
        shapes: std::mem::take(&mut labels.shapes),
        out: std::mem::take(&mut labels.placed),
    };
    for (k, m) in scene.messages.iter().enumerate() {
        let k = u32::try_from(k).unwrap_or(u32::MAX);
        let spot = MESSAGE_SPOTS.iter().find_map(|&(dx, dy, align)| {
            let (x, y) = (m.pos.x + dx, m.pos.y + dy);
            let rect = text_rect(x, y, align, Font::Small, &m.label, 0.0);
            p.free(&rect, true).then_some(Placed {
                part: Part::Message(k),
                x,
                y,
                align,
                font: Font::Small,
                rect,
            })
        });
        match spot {
            Some(s) => p.put(s),
            None => labels.hidden.push(k),
        }
    }
    p.taken.truncate(kept);
    labels.reserved = p.taken;
    labels.shapes = p.shapes;
    labels.placed = p.out;
}

/// Where the label of message `k` goes when it is shown although crowded
/// (selected or under the pointer): its usual spot.
#[must_use]
pub fn forced_message_label(scene: &Scene, k: u32) -> Option<Placed> {
    let m = scene.messages.get(k as usize)?;
    let (dx, dy, align) = MESSAGE_SPOTS[0];
    let (x, y) = (m.pos.x + dx, m.pos.y + dy);
    let rect = text_rect(x, y, align, Font::Small, &m.label, 0.0);
    Some(Placed { part: Part::Message(k), x, y, align, font: Font::Small, rect })
}

/// A client's name in its box, and its pending operation and last answer
/// beside it (right of the box), else under it; a pending operation that
/// fits nowhere drops the node it was sent to (the arrow on the canvas
/// shows it).
fn clients(p: &mut Placer, c: &crate::project::ClientShape) {
    let (x, y, r) = (c.pos.x, c.pos.y, c.radius);
    p.fixed(Part::ClientName(c.id), (x, y), Align::Center, Font::SmallBold, &format!("c{}", c.id));
    p.shapes.push(Rect::new(x - r, y - r, 2.0 * r, 2.0 * r));
    let mut buf = Vec::with_capacity(2);
    for k in 0..5 {
        // Beside, under, beside shortened, under shortened; else beside.
        let (beside, short) = (k % 2 == 0, k == 2 || k == 3);
        let (lx, y0) = if beside { (x + r + 6.0, y - 7.0) } else { (x - r, y + r + 9.0) };
        buf.clear();
        let texts = [
            c.pending.as_deref().map(|t| {
                if short {
                    (Part::ClientPendingShort(c.id), without_target(t))
                } else {
                    (Part::ClientPending(c.id), t)
                }
            }),
            c.last.as_deref().map(|t| (Part::ClientLast(c.id), t)),
        ];
        for (i, (part, text)) in texts.into_iter().flatten().enumerate() {
            let ly = y0 + if beside { 15.0 } else { LINE } * i as f64;
            let rect = text_rect(lx, ly, Align::Left, Font::Small, text, 0.0);
            buf.push(Placed { part, x: lx, y: ly, align: Align::Left, font: Font::Small, rect });
        }
        if k == 4 || buf.iter().all(|l| p.free(&l.rect, false)) {
            break;
        }
    }
    for l in buf {
        p.put(l);
    }
}

/// A node's name and state lines, as one block. Tried in turn: the name
/// above and the lines below (the usual layout), the lines beside the node
/// (on the side away from the ring's centre first), then name and lines
/// together beside it. When none fits, the last line is left out and the
/// spots are tried again: a crowded node shows its first lines (its state
/// and epoch before its log), down to its name alone.
fn node_block(p: &mut Placer, n: &crate::project::NodeShape) {
    let all = n.details.len();
    let mut buf = Vec::with_capacity(all + 1);
    for shown in (0..=all).rev() {
        for spot in 0..5 {
            buf.clear();
            lay_block(p.width, n, spot, shown, &mut buf);
            if buf.iter().all(|l| p.free(&l.rect, true)) {
                for l in buf {
                    p.put(l);
                }
                return;
            }
        }
    }
    // Nowhere free: the usual layout, overlaps and all (a test counts them).
    buf.clear();
    lay_block(p.width, n, 0, all, &mut buf);
    for l in buf {
        p.put(l);
    }
}

/// Lay out `n`'s name and its first `shown` state lines in way `spot`:
/// 0 name above and lines below; 1, 2 lines beside (outward side first)
/// with the name above; 3, 4 name and lines together beside.
fn lay_block(
    width: f64,
    n: &crate::project::NodeShape,
    spot: u8,
    shown: usize,
    out: &mut Vec<Placed>,
) {
    let (x, y, r) = (n.pos.x, n.pos.y, n.radius);
    let outward_right = x >= width * 0.58;
    let right = (spot == 1 || spot == 3) == outward_right;
    let named = spot >= 3;
    let rows = shown as f64 + if named { 1.0 } else { 0.0 };
    let (x0, y0, align) = match spot {
        0 => (x, y + r + 16.0, Align::Center),
        _ if right => (x + r + RING_ROOM, y - LINE * (rows - 1.0) / 2.0, Align::Left),
        _ => (x - r - RING_ROOM, y - LINE * (rows - 1.0) / 2.0, Align::Right),
    };
    let mut row = 0.0;
    let mut line = |part: Part, text: &str, at: Option<(f64, f64)>, extra: f64, align: Align| {
        let (lx, ly) = at.unwrap_or_else(|| {
            row += 1.0;
            (x0, y0 + LINE * (row - 1.0))
        });
        // A right-aligned line keeps its glyph inside its box.
        let lx = if align == Align::Right { lx - extra } else { lx };
        let mut rect = text_rect(lx, ly, align, Font::Small, text, 0.0);
        rect.w += extra;
        out.push(Placed { part, x: lx, y: ly, align, font: Font::Small, rect });
    };
    let above = (!named).then_some((x, y - r - 16.0));
    line(Part::NodeName(n.id), &n.name, above, 0.0, if named { align } else { Align::Center });
    for (k, d) in n.details[..shown].iter().enumerate() {
        let part = Part::NodeDetail(n.id, u32::try_from(k).unwrap_or(0));
        line(part, &d.text, None, if d.disk { DISK_GLYPH } else { 0.0 }, align);
    }
}
