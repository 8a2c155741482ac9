//! The text the page draws around a scene, in the reader's language: the
//! header (top left: the protocol's configuration), the banner (top right:
//! the value chosen, or what broke) and the legend (bottom left). A pure
//! function of the scene, so the boxes it takes can be handed to the
//! scene's label placement (which keeps clear of them) and tested natively.

use std::borrow::Cow;

use qscene::labels::{text_rect, text_width, Align, Font, Rect};
use qscene::palette::{CUT, INK, MUTED, READ, WRITE};
use qscene::{Header, Point, Scene};

use crate::i18n::Lang;

/// A line of text at `(x, y)` (its vertical middle).
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub text: Cow<'static, str>,
    pub x: f64,
    pub y: f64,
    pub align: Align,
    pub font: Font,
    pub ink: &'static str,
}

impl Line {
    fn rect(&self) -> Rect {
        text_rect(self.x, self.y, self.align, self.font, &self.text, 0.0)
    }
}

/// The banner: its box, colours and text.
#[derive(Clone, Debug, PartialEq)]
pub struct Banner {
    pub rect: Rect,
    pub bg: &'static str,
    pub fg: &'static str,
    pub line: Line,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Chrome {
    pub lines: Vec<Line>,
    pub banner: Option<Banner>,
    /// The legend's coloured dots (radius 5).
    pub dots: Vec<(Point, &'static str)>,
}

impl Chrome {
    /// The boxes it takes, which the scene's labels keep clear of.
    #[must_use]
    pub fn reserved(&self) -> Vec<Rect> {
        let mut out: Vec<Rect> = self.lines.iter().map(Line::rect).collect();
        // The banner's text lies inside its box.
        out.extend(self.banner.as_ref().map(|b| b.rect));
        out.extend(self.dots.iter().map(|(p, _)| Rect::new(p.x - 5.0, p.y - 5.0, 10.0, 10.0)));
        out
    }
}

/// What the page draws around `scene` in `lang`.
#[must_use]
pub fn chrome(scene: &Scene, lang: Lang) -> Chrome {
    // The header's first line keeps clear of the clock at the top right.
    let mut lines = wrap(header(scene, lang), scene.width - 92.0, scene.width - 24.0);
    let mut banner = banner(scene, lang);
    // Where the header leaves the banner no room beside it (a narrow
    // canvas), the banner goes under the header.
    if let Some(b) = banner.as_mut() {
        if lines.iter().any(|l| l.rect().overlaps(&b.rect)) {
            let bottom = lines.iter().map(|l| l.rect().y + l.rect().h).fold(0.0, f64::max);
            let dx = 12.0 - b.rect.x;
            let dy = bottom + 6.0 - b.rect.y;
            b.rect.x += dx;
            b.rect.y += dy;
            b.line.x += dx;
            b.line.y += dy;
        }
    }
    let (legend, dots) = legend(scene, lang);
    lines.extend(legend);
    Chrome { lines, banner, dots }
}

/// Header lines, one under another from the top left, each wider than its
/// room (`first` for the first line, beside the clock, `rest` for the
/// others) broken (at the last space that fits, else between characters).
fn wrap(header: Vec<(Cow<'static, str>, Font, &'static str)>, first: f64, rest: f64) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::with_capacity(header.len() + 2);
    for (whole, font, ink) in header {
        if break_at(&whole, font, if out.is_empty() { first } else { rest }).is_none() {
            let y = 16.0 + 18.0 * out.len() as f64;
            out.push(Line { text: whole, x: 12.0, y, align: Align::Left, font, ink });
            continue;
        }
        let mut text = &*whole;
        loop {
            let room = if out.is_empty() { first } else { rest };
            let cut = break_at(text, font, room).unwrap_or(text.len());
            let y = 16.0 + 18.0 * out.len() as f64;
            out.push(Line {
                text: Cow::Owned(text[..cut].to_string()),
                x: 12.0,
                y,
                align: Align::Left,
                font,
                ink,
            });
            // The space a line breaks at is left out.
            text = text[cut..].strip_prefix(' ').unwrap_or(&text[cut..]);
            if text.is_empty() {
                break;
            }
        }
    }
    out
}

/// Where to break `text` so its first part fits `room`, if it does not:
/// after the last space that fits, else after the last character that does.
fn break_at(text: &str, font: Font, room: f64) -> Option<usize> {
    if text_width(text, font) <= room {
        return None;
    }
    let (mut last_fit, mut space) = (0, 0);
    for (i, c) in text.char_indices() {
        if i > 0 && text_width(&text[..i], font) > room {
            break;
        }
        last_fit = i;
        if c == ' ' {
            space = i;
        }
    }
    let cut = if space > 0 { space } else { last_fit };
    (cut > 0).then_some(cut)
}

/// The header's lines: the configuration, what it implies, and the broken
/// variant if one is on.
fn header(scene: &Scene, lang: Lang) -> Vec<(Cow<'static, str>, Font, &'static str)> {
    let n = |x: u32| x.to_string();
    let (title, second, ink, variant) = match scene.header {
        Header::Quorum { n: nn, w, r } => {
            let overlap = w + r > nn;
            let second = lang.t(if overlap { "nwr.overlap" } else { "nwr.no_overlap" });
            (
                format!("N={nn}  W={w}  R={r}"),
                Cow::Borrowed(second),
                if overlap { READ } else { CUT },
                None,
            )
        }
        Header::Paxos { proposers, acceptors, learners, backoff, variant: v } => {
            let args = [("p", n(proposers)), ("a", n(acceptors)), ("m", n(acceptors / 2 + 1))];
            let mut first = lang.fmt("paxos.header", &args);
            if learners > 0 {
                first.push_str(&lang.fmt("paxos.header_learners", &[("l", n(learners))]));
            }
            let second = lang.t(if backoff { "paxos.backoff_on" } else { "paxos.backoff_off" });
            let broken =
                (v != qcore::paxos::Variant::Faithful).then(|| crate::i18n::variant_key(v));
            (first, Cow::Borrowed(second), MUTED, broken)
        }
        Header::Zab { voters, observers, sync_reads, variant: v } => {
            let args = [("v", n(voters)), ("o", n(observers)), ("m", n(voters / 2 + 1))];
            let second = lang.t(if sync_reads { "zab.sync_on" } else { "zab.sync_off" });
            let broken =
                (v != qcore::zab::Variant::Faithful).then(|| crate::i18n::zab_variant_key(v));
            (lang.fmt("zab.header", &args), Cow::Borrowed(second), MUTED, broken)
        }
        Header::Eventual { replicas, delivery, session, anti_entropy } => {
            use qcore::eventual::{Delivery, Session};
            let d = if delivery == Delivery::Causal {
                "ev.delivery.causal"
            } else {
                "ev.delivery.eventual"
            };
            let s = match session {
                Session::None => "ev.session.none",
                Session::Sticky => "ev.session.sticky",
                Session::Token => "ev.session.token",
            };
            let g = if anti_entropy { "ev.gossip_on" } else { "ev.gossip_off" };
            let second = Cow::Owned(format!("{} · {} · {}", lang.t(d), lang.t(s), lang.t(g)));
            (lang.fmt("ev.header", &[("n", n(replicas))]), second, MUTED, None)
        }
    };
    let mut out = vec![(Cow::Owned(title), Font::Title, INK), (second, Font::Line, ink)];
    out.extend(variant.map(|k| (Cow::Borrowed(lang.t(k)), Font::LineBold, CUT)));
    out
}

/// What the colours of this protocol's rings and messages mean.
fn legend(scene: &Scene, lang: Lang) -> (Vec<Line>, Vec<(Point, &'static str)>) {
    let y = scene.height - 14.0;
    let keys = match scene.header {
        Header::Quorum { .. } => [
            (WRITE, "legend.write"),
            (READ, "legend.read"),
            (qscene::palette::OVERLAP, "legend.overlap"),
        ],
        Header::Paxos { .. } => {
            [(READ, "legend.promises"), (WRITE, "legend.accepts"), (INK, "legend.disk")]
        }
        Header::Zab { .. } => {
            [(READ, "legend.newleader"), (WRITE, "legend.acks"), ("#7c3aed", "legend.votes")]
        }
        Header::Eventual { .. } => {
            [(WRITE, "legend.updates"), (READ, "legend.gossip"), (INK, "legend.disk")]
        }
    };
    let mut x = 12.0;
    let (mut lines, mut dots) = (Vec::new(), Vec::new());
    for (colour, key) in keys {
        let label = lang.t(key);
        dots.push((Point::new(x + 5.0, y), colour));
        lines.push(Line {
            text: Cow::Borrowed(label),
            x: x + 14.0,
            y,
            align: Align::Left,
            font: Font::Small,
            ink: INK,
        });
        x += 24.0 + text_width(label, Font::Small);
    }
    (lines, dots)
}

/// Top right, under the clock: the chosen value, or what invariant broke.
fn banner(scene: &Scene, lang: Lang) -> Option<Banner> {
    let (text, bg, fg) = if let Some(v) = scene.violations.first() {
        (format!("⚠ {}", lang.rule(v)), "#fdecea", CUT)
    } else if let Some(v) = scene.chosen {
        (lang.fmt("paxos.chosen", &[("v", v.to_string())]), "#fff4d6", "#7a5200")
    } else {
        return None;
    };
    let wd = text_width(&text, Font::Banner);
    let right = scene.width - 12.0;
    let (top, height) = (26.0, 24.0);
    let rect = Rect::new(right - wd - 20.0, top, wd + 20.0, height);
    let line = Line {
        text: Cow::Owned(text),
        x: right - wd / 2.0 - 10.0,
        y: top + height / 2.0,
        align: Align::Center,
        font: Font::Banner,
        ink: fg,
    };
    Some(Banner { rect, bg, fg, line })
}

#[cfg(test)]
mod tests {
    use super::chrome;
    use crate::i18n::Lang;
    use qcore::lessons::{self, guide};
    use qscene::labels::{place, text_of, Labels};
    use qscene::Scene;

    /// The canvas's size on a 1366 × 768 screen, in a narrow window, and on
    /// a 390 px phone.
    const SIZES: [(&str, f64, f64); 3] =
        [("desktop", 898.0, 518.0), ("narrow", 560.0, 518.0), ("phone", 360.0, 438.0)];

    /// What each box of `labels` says: the chrome's lines, then the labels.
    fn describe(scene: &Scene, labels: &Labels, lines: &[super::Line]) -> Vec<String> {
        let mut out: Vec<String> = lines.iter().map(|l| l.text.to_string()).collect();
        out.resize(labels.reserved.len(), "(banner or legend dot)".to_string());
        out.extend(labels.placed.iter().map(|l| text_of(scene, l.part).into_owned()));
        out
    }

    /// Per size: message labels (shown, all) and node state lines (shown, all).
    type Shown = [[usize; 4]; 3];

    fn overlaps_in(scene: &Scene, lang: Lang, shown: &mut [usize; 4]) -> Vec<String> {
        let c = chrome(scene, lang);
        let labels = place(scene, &c.reserved());
        shown[0] += labels.moving().len();
        shown[1] += scene.messages.len();
        shown[2] += labels
            .still()
            .iter()
            .filter(|l| matches!(l.part, qscene::labels::Part::NodeDetail(..)))
            .count();
        shown[3] += scene.nodes.iter().map(|n| n.details.len()).sum::<usize>();
        let names = describe(scene, &labels, &c.lines);
        let boxes: Vec<_> =
            labels.reserved.iter().chain(labels.placed.iter().map(|l| &l.rect)).collect();
        let mut out = Vec::new();
        for (i, a) in boxes.iter().enumerate() {
            for (j, b) in boxes.iter().enumerate().skip(i + 1) {
                if a.overlaps(b) {
                    out.push(format!("{:?} × {:?}", names[i], names[j]));
                }
            }
        }
        out
    }

    /// Every lesson, in both languages, at the desktop and phone sizes,
    /// every few ticks (between ticks, where messages fly) from the start
    /// to well past its last guided step: no two labels overlap, and the
    /// SVG export's placement (no page text around it) neither.
    #[test]
    fn no_two_labels_overlap_at_any_moment_of_any_lesson() {
        let mut found = Vec::new();
        let mut moments = 0;
        let mut shown: Shown = [[0; 4]; 3];
        for id in lessons::LESSONS {
            let mut sim = qcore::Sim::new(lessons::lesson(id).expect("a lesson")).expect("valid");
            let end = guide::steps(id).last().map_or(2_000, |s| s.from) + 1_000;
            let mut t = 0;
            while t < end {
                sim.run_until(t + 1);
                let now = t as f64 + 0.5;
                for (k, (size, w, h)) in SIZES.into_iter().enumerate() {
                    let scene = qscene::project(&sim, now, w, h);
                    for lang in [Lang::Zh, Lang::En] {
                        for o in overlaps_in(&scene, lang, &mut shown[k]) {
                            found.push(format!("{id} {size} {} t={t}: {o}", lang.code()));
                        }
                    }
                    if !place(&scene, &[]).overlaps().is_empty() {
                        found.push(format!("{id} {size} svg t={t}"));
                    }
                    moments += 1;
                }
                t += 7;
            }
        }
        for (k, (size, ..)) in SIZES.iter().enumerate() {
            let [m, mm, d, dd] = shown[k];
            println!("{size}: message labels shown {m} of {mm}, state lines shown {d} of {dd}");
        }
        // One line per kind of collision (digits folded), with its count.
        let mut kinds = qcore::small::VecMap::<String, (usize, &String)>::new();
        for f in &found {
            let key: String = f
                .split(" t=")
                .next()
                .into_iter()
                .chain(f.split_once(": ").map(|x| x.1))
                .collect::<Vec<_>>()
                .join(": ")
                .chars()
                .map(|c| if c.is_ascii_digit() { '#' } else { c })
                .collect();
            kinds.get_or(key, || (0, f)).0 += 1;
        }
        let report: Vec<String> =
            kinds.values().map(|(n, first)| format!("{n:5} × like {first}")).collect();
        assert!(
            found.is_empty(),
            "{} overlaps in {moments} frames:\n{}",
            found.len(),
            report.join("\n")
        );
    }

    /// A label crowded out shows when its message is hovered or selected,
    /// and only then.
    #[test]
    fn a_crowded_label_shows_on_hover_or_selection() {
        use crate::draw::{selected_label, Ring};
        let mut sim =
            qcore::Sim::new(lessons::lesson("zab-broadcast").expect("a lesson")).expect("valid");
        let (scene, labels, k) = (0..4_000)
            .step_by(5)
            .find_map(|t| {
                sim.run_until(t + 1);
                let scene = qscene::project(&sim, t as f64 + 0.5, 360.0, 438.0);
                let labels = place(&scene, &chrome(&scene, Lang::En).reserved());
                let k = *labels.hidden.first()?;
                Some((scene, labels, k))
            })
            .expect("a crowded moment on a phone");
        let id = scene.messages[k as usize].id;
        for ring in [
            Ring { hover: Some(id), ..Ring::default() },
            Ring { message: Some(id), ..Ring::default() },
        ] {
            let shown = selected_label(&scene, &labels, ring).expect("shown");
            assert_eq!(shown.part, qscene::labels::Part::Message(k));
        }
        assert_eq!(selected_label(&scene, &labels, Ring::default()), None);
        let placed = labels.moving().first().map(|l| l.part);
        if let Some(qscene::labels::Part::Message(j)) = placed {
            let other = scene.messages[j as usize].id;
            let ring = Ring { hover: Some(other), ..Ring::default() };
            assert_eq!(selected_label(&scene, &labels, ring), None, "already shown");
        }
    }
}
