//! A scene as an SVG document: the topology frame the canvas shows (nodes
//! with their state, clients, links and cuts, messages in flight with their
//! labels, recent drops), for export from the app and from the CLI. Text is
//! escaped, so labels from a link stay text.

use std::fmt::Write as _;

use qcore::net::LinkState;

use crate::labels::{text_of, Align, Part, Placed};
use crate::palette::{message_colour, BG, CUT, DOWN, HELD, INK, LINK, MUTED, READ, WRITE};
use crate::{Role, Scene};

/// A coordinate with one decimal, written with integer formatting only
/// (float formatting would add kilobytes to the web app).
struct T(f64);

impl std::fmt::Display for T {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let t = (self.0 * 10.0).round() as i64;
        let (sign, t) = if t < 0 { ("-", -t) } else { ("", t) };
        write!(f, "{sign}{}.{}", t / 10, t % 10)
    }
}

/// Escape text for XML.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The scene as a standalone SVG document.
#[must_use]
pub fn to_svg(scene: &Scene) -> String {
    let (w, h) = (T(scene.width), T(scene.height));
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" font-family="sans-serif" font-size="11">"#
    );
    let _ = write!(s, r#"<rect width="100%" height="100%" fill="{BG}"/>"#);
    for l in &scene.links {
        let cut = l.ab == LinkState::Partitioned || l.ba == LinkState::Partitioned;
        let held = l.ab == LinkState::Held || l.ba == LinkState::Held;
        let (colour, dash) = match (cut, held) {
            (true, _) => (CUT, r#" stroke-dasharray="6 4""#),
            (false, true) => (HELD, r#" stroke-dasharray="2 3""#),
            _ => (LINK, ""),
        };
        let _ = write!(
            s,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{colour}" stroke-width="1.5"{dash}/>"#,
            T(l.a_pos.x),
            T(l.a_pos.y),
            T(l.b_pos.x),
            T(l.b_pos.y)
        );
    }
    if let Some((a, b)) = scene.partition_line {
        let _ = write!(
            s,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{CUT}" stroke-width="2.5" stroke-dasharray="10 6"/>"#,
            T(a.x),
            T(a.y),
            T(b.x),
            T(b.y)
        );
    }
    for n in &scene.nodes {
        let stroke = if !n.up {
            DOWN
        } else if n.flagged {
            CUT
        } else if n.in_write_set {
            WRITE
        } else if n.in_read_set {
            READ
        } else {
            INK
        };
        let width = if n.role == Role::Leader { "4" } else { "2" };
        let dash = if n.role == Role::Looking || !n.up { r#" stroke-dasharray="5 4""# } else { "" };
        let (x, y, r) = (T(n.pos.x), T(n.pos.y), T(n.radius));
        let _ = write!(
            s,
            r#"<circle cx="{x}" cy="{y}" r="{r}" fill="white" stroke="{stroke}" stroke-width="{width}"{dash}/>"#
        );
    }
    for c in &scene.clients {
        let (x, y, r) = (c.pos.x, c.pos.y, c.radius);
        let _ = write!(
            s,
            r#"<rect x="{}" y="{}" width="{}" height="{}" fill="white" stroke="{INK}" stroke-width="1.5"/>"#,
            T(x - r),
            T(y - r),
            T(2.0 * r),
            T(2.0 * r)
        );
    }
    for m in &scene.messages {
        let colour = if m.held { HELD } else { message_colour(m.kind) };
        let (x, y) = (m.pos.x, m.pos.y);
        let _ = write!(s, r#"<circle cx="{}" cy="{}" r="5" fill="{colour}"/>"#, T(x), T(y));
    }
    for d in &scene.drops {
        let (x, y) = (d.pos.x, d.pos.y);
        let _ = write!(
            s,
            r#"<path d="M{} {}L{} {}M{} {}L{} {}" stroke="{CUT}" stroke-width="2" opacity="{}"/>"#,
            T(x - 5.0),
            T(y - 5.0),
            T(x + 5.0),
            T(y + 5.0),
            T(x - 5.0),
            T(y + 5.0),
            T(x + 5.0),
            T(y - 5.0),
            T(crate::geometry::clamp(d.fresh, 0.2, 1.0))
        );
    }
    for l in &crate::place(scene, &[]).placed {
        label(&mut s, scene, l);
    }
    s.push_str("</svg>\n");
    s
}

/// One placed label as a `<text>`, in the canvas's font and colour; a state
/// line kept on disk ends in a small square, as the canvas's disk glyph.
fn label(s: &mut String, scene: &Scene, l: &Placed) {
    let fill = crate::labels::ink(scene, l.part);
    let anchor = match l.align {
        Align::Left => "start",
        Align::Center => "middle",
        Align::Right => "end",
    };
    let weight = if l.font.bold() { r#" font-weight="bold""# } else { "" };
    let _ = write!(
        s,
        r#"<text x="{}" y="{}" text-anchor="{anchor}" dominant-baseline="central" font-size="{}"{weight} fill="{fill}">{}</text>"#,
        T(l.x),
        T(l.y),
        l.font.px() as u32,
        esc(&text_of(scene, l.part))
    );
    if let Part::NodeDetail(i, k) = l.part {
        if scene.nodes[i as usize].details[k as usize].disk {
            let (x, y) = (l.rect.x + l.rect.w - 10.0, l.y - 4.0);
            let _ = write!(
                s,
                r#"<rect x="{}" y="{}" width="8" height="8" fill="{MUTED}"/>"#,
                T(x),
                T(y)
            );
        }
    }
}

/// The space-time diagram as a standalone SVG document: lanes, shaded
/// downtime and cuts, arrows (dashed while in flight, ending in a cross when
/// dropped), marks and Lamport times as the canvas draws them.
#[must_use]
pub fn spacetime_to_svg(scene: &crate::SpaceTimeScene) -> String {
    use crate::{ArrowEnd, NAMES_WIDTH};
    use qcore::spacetime::MarkKind;
    let (w, h) = (T(scene.width), T(scene.height));
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" font-family="sans-serif" font-size="10">"#
    );
    let _ = write!(s, r#"<rect width="100%" height="100%" fill="{BG}"/>"#);
    let right = scene.x_at(scene.t1);
    for sp in &scene.spans {
        let (y, height) = match sp.y {
            Some(y) => (y - scene.lane_height / 2.0, scene.lane_height),
            None => (0.0, scene.height - 16.0),
        };
        let fill = if sp.y.is_some() { DOWN } else { CUT };
        let _ = write!(
            s,
            r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{fill}" opacity="0.18"/>"#,
            T(sp.x0),
            T(y),
            T((sp.x1 - sp.x0).max(0.0)),
            T(height)
        );
    }
    for (y, name) in &scene.lanes {
        let _ = write!(
            s,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{LINK}"/><text x="4" y="{}" fill="{INK}">{}</text>"#,
            T(NAMES_WIDTH),
            T(*y),
            T(right),
            T(*y),
            T(y + 3.0),
            esc(name)
        );
    }
    for (x, t) in &scene.axis {
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" text-anchor="middle" fill="{MUTED}">{t}</text>"#,
            T(*x),
            T(scene.height - 4.0)
        );
    }
    for a in &scene.arrows {
        let colour = if a.selected { INK } else { message_colour(a.kind) };
        let dash = match a.end {
            ArrowEnd::InFlight => r#" stroke-dasharray="4 3""#,
            _ if a.duplicate => r#" stroke-dasharray="1 3""#,
            _ => "",
        };
        let width = if a.selected { "2.5" } else { "1.2" };
        let _ = write!(
            s,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{colour}" stroke-width="{width}"{dash}/>"#,
            T(a.a.x),
            T(a.a.y),
            T(a.b.x),
            T(a.b.y)
        );
        if a.end == ArrowEnd::Dropped {
            let (x, y) = (a.b.x, a.b.y);
            let _ = write!(
                s,
                r#"<path d="M{} {}L{} {}M{} {}L{} {}" stroke="{CUT}" stroke-width="1.5"/>"#,
                T(x - 3.0),
                T(y - 3.0),
                T(x + 3.0),
                T(y + 3.0),
                T(x - 3.0),
                T(y + 3.0),
                T(x + 3.0),
                T(y - 3.0)
            );
        } else if a.end == ArrowEnd::Delivered {
            let _ =
                write!(s, r#"<circle cx="{}" cy="{}" r="2" fill="{colour}"/>"#, T(a.b.x), T(a.b.y));
        }
        if let Some((sent, received)) = a.lamport {
            let _ = write!(
                s,
                r#"<text x="{}" y="{}" fill="{MUTED}" font-size="9">{sent}</text>"#,
                T(a.a.x + 2.0),
                T(a.a.y - 3.0)
            );
            if let Some(r) = received {
                let _ = write!(
                    s,
                    r#"<text x="{}" y="{}" fill="{MUTED}" font-size="9">{r}</text>"#,
                    T(a.b.x + 2.0),
                    T(a.b.y - 3.0)
                );
            }
        }
    }
    for m in &scene.marks {
        let colour = match m.kind {
            MarkKind::Crash | MarkKind::Cut => CUT,
            MarkKind::Restart | MarkKind::Heal => READ,
            MarkKind::Invoke(_) | MarkKind::Return(_) => INK,
        };
        match m.y {
            None => {
                let _ = write!(
                    s,
                    r#"<line x1="{}" y1="0" x2="{}" y2="{}" stroke="{colour}" stroke-width="1.5" stroke-dasharray="5 3"/>"#,
                    T(m.x),
                    T(m.x),
                    T(scene.height - 16.0)
                );
            }
            Some(y) => {
                let _ = write!(
                    s,
                    r#"<rect x="{}" y="{}" width="6" height="6" fill="{colour}"/>"#,
                    T(m.x - 3.0),
                    T(y - 3.0)
                );
                if m.found {
                    let _ = write!(
                        s,
                        r#"<circle cx="{}" cy="{}" r="7" fill="none" stroke="{CUT}" stroke-width="2"/>"#,
                        T(m.x),
                        T(y)
                    );
                }
            }
        }
    }
    if let Some(x) = scene.now_x {
        let _ = write!(
            s,
            r#"<line x1="{}" y1="0" x2="{}" y2="{}" stroke="{WRITE}" stroke-width="1"/>"#,
            T(x),
            T(x),
            T(scene.height - 16.0)
        );
    }
    s.push_str("</svg>\n");
    s
}
