//! Hit-testing: what lies under the pointer, and which nodes a drawn line
//! separates.

use qcore::types::Addr;

use crate::geometry::{point_side, segment_distance, segments_cross, Point};
use crate::project::Scene;

/// Something the user can click.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hit {
    Message(u64),
    Node(u32),
    Client(u32),
    /// A link, with `from` the end nearer the pointer: clicking cuts the
    /// direction leaving that end first.
    Link {
        from: Addr,
        to: Addr,
    },
}

const MESSAGE_RADIUS: f64 = 11.0;
const LINK_TOLERANCE: f64 = 6.0;

/// The topmost clickable thing at `p`: messages over nodes over links.
#[must_use]
pub fn hit(scene: &Scene, p: Point) -> Option<Hit> {
    if let Some(m) = scene
        .messages
        .iter()
        .filter(|m| m.pos.dist(p) <= MESSAGE_RADIUS)
        .min_by(|a, b| a.pos.dist(p).total_cmp(&b.pos.dist(p)))
    {
        return Some(Hit::Message(m.id));
    }
    if let Some(n) = scene.nodes.iter().find(|n| n.pos.dist(p) <= n.radius) {
        return Some(Hit::Node(n.id));
    }
    if let Some(c) = scene.clients.iter().find(|c| c.pos.dist(p) <= c.radius) {
        return Some(Hit::Client(c.id));
    }
    scene
        .links
        .iter()
        .filter_map(|l| {
            let (d, t) = segment_distance(l.a_pos, l.b_pos, p);
            // Near the ends a click means the node, not the link.
            (d <= LINK_TOLERANCE && (0.12..=0.88).contains(&t)).then_some((l, d, t))
        })
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(l, _, t)| {
            if t < 0.5 {
                Hit::Link { from: l.a, to: l.b }
            } else {
                Hit::Link { from: l.b, to: l.a }
            }
        })
}

/// The nodes a line drawn from `a` to `b` separates: the ones on its left
/// side, when the line crosses at least one link between the two sides and
/// both sides are non-empty. `None` when the stroke splits nothing.
#[must_use]
pub fn split_by_line(scene: &Scene, a: Point, b: Point) -> Option<Vec<u32>> {
    if a.dist(b) < 20.0 {
        return None;
    }
    let left: Vec<u32> =
        scene.nodes.iter().filter(|n| point_side(a, b, n.pos) > 0.0).map(|n| n.id).collect();
    if left.is_empty() || left.len() == scene.nodes.len() {
        return None;
    }
    let crosses = scene.links.iter().any(|l| {
        matches!((l.a, l.b), (Addr::Node(_), Addr::Node(_)))
            && segments_cross(a, b, l.a_pos, l.b_pos)
    });
    crosses.then_some(left)
}
