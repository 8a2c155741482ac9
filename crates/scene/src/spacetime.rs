//! The space-time diagram's layout: one horizontal lane per node and client,
//! time running left to right over a window of ticks, each message an arrow
//! from its send to its delivery (or to a cross where it was dropped),
//! crashes, restarts, cuts and heals as marks, Lamport timestamps beside the
//! events once zoomed in enough to read them. Only what lies in the window
//! is laid out, so a run of any length costs the same per frame.

use qcore::spacetime::{End, MarkKind, SpaceTime};
use qcore::trace::MsgKindTag;
use qcore::types::Tick;

use crate::geometry::{segment_distance, Point};
use crate::MessageKind;

/// Width of the lane names on the left (CSS px).
pub const NAMES_WIDTH: f64 = 40.0;
/// Height of the time axis at the bottom.
const AXIS_HEIGHT: f64 = 16.0;
/// Lamport times are written once no more than this many arrows show.
const DETAIL_ARROWS: usize = 80;
/// At most this many arrows are laid out; a window holding more shows one
/// in every k (and says so), which a zoom in resolves.
pub const MAX_ARROWS: usize = 1_200;

/// How an arrow ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArrowEnd {
    Delivered,
    Dropped,
    InFlight,
}

#[derive(Clone, Debug, PartialEq)]
pub struct StArrow {
    pub msg: u64,
    pub a: Point,
    pub b: Point,
    pub end: ArrowEnd,
    pub duplicate: bool,
    pub kind: MessageKind,
    pub name: &'static str,
    /// Lamport times at the send and the receive, when detail shows.
    pub lamport: Option<(u64, Option<u64>)>,
    pub selected: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct StMark {
    pub x: f64,
    /// The lane's y, or `None` for a mark across every lane.
    pub y: Option<f64>,
    pub kind: MarkKind,
    pub lamport: Option<u64>,
    /// The trace entry, which identifies the mark.
    pub entry: usize,
    pub selected: bool,
    /// A client operation's invocation or return that a found
    /// counterexample involves (see [`SpaceTimeScene::flag_found`]).
    pub found: bool,
}

/// A shaded stretch: a node down (on its lane) or the network cut (across).
#[derive(Clone, Debug, PartialEq)]
pub struct StSpan {
    pub x0: f64,
    pub x1: f64,
    pub y: Option<f64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SpaceTimeScene {
    pub width: f64,
    pub height: f64,
    /// Each lane's y and name, nodes first.
    pub lanes: Vec<(f64, String)>,
    pub lane_height: f64,
    pub arrows: Vec<StArrow>,
    pub marks: Vec<StMark>,
    pub spans: Vec<StSpan>,
    /// The present moment, when it is in the window.
    pub now_x: Option<f64>,
    /// The end of what was recorded, when it runs past the present (after
    /// going back in time) and is in the window.
    pub edge_x: Option<f64>,
    /// Axis labels: x and tick.
    pub axis: Vec<(f64, u64)>,
    /// The tick window shown.
    pub t0: f64,
    pub t1: f64,
    /// One arrow in this many is shown (1: all of them).
    pub stride: usize,
}

/// What is selected, in both views.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selected {
    Message(u64),
    /// A mark, by its trace entry.
    Mark(usize),
}

/// What a point of the diagram hits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StHit {
    Message(u64),
    Mark(usize),
}

impl SpaceTimeScene {
    /// Flag the invocations and returns of the client operations `ids` (a
    /// counterexample's operations), so the diagram rings them as the
    /// history view does.
    pub fn flag_found(&mut self, ids: &[u64]) {
        for m in &mut self.marks {
            m.found =
                matches!(m.kind, MarkKind::Invoke(id) | MarkKind::Return(id) if ids.contains(&id));
        }
    }

    /// The x of tick `t`.
    #[must_use]
    pub fn x_at(&self, t: f64) -> f64 {
        x_of(t, self.t0, self.t1, self.width)
    }
    /// The tick at x.
    #[must_use]
    pub fn tick_at(&self, x: f64) -> f64 {
        let span = (self.width - NAMES_WIDTH - 6.0).max(10.0);
        self.t0 + (x - NAMES_WIDTH) / span * (self.t1 - self.t0)
    }
}

fn x_of(t: f64, t0: f64, t1: f64, width: f64) -> f64 {
    let span = (width - NAMES_WIDTH - 6.0).max(10.0);
    NAMES_WIDTH + span * (t - t0) / (t1 - t0).max(1.0)
}

/// The colour class of a message type (as the canvas colours it).
#[must_use]
pub fn kind_of_tag(tag: MsgKindTag) -> MessageKind {
    match tag.0 {
        0 | 32 | 33 => MessageKind::Request,
        1 => MessageKind::Reply,
        2 | 3 | 6 | 7 | 13..=15 | 26 | 30 | 34 | 35 => MessageKind::Query,
        4 | 8 | 16 | 20 | 29 | 31 => MessageKind::Store,
        5 | 9 | 18 => MessageKind::Ack,
        10 | 28 => MessageKind::Reject,
        11 | 17 | 19 | 21 | 22 | 27 => MessageKind::Announce,
        12 => MessageKind::Vote,
        23 => MessageKind::Request,
        _ => MessageKind::Heartbeat,
    }
}

/// A round step for axis labels: 1, 2 or 5 times a power of ten, so that
/// about `want` labels fit in `span` ticks.
fn nice_step(span: f64, want: f64) -> u64 {
    let raw = (span / want).max(1.0);
    let mut p = 1u64;
    while (p as f64) * 10.0 <= raw {
        p *= 10;
    }
    for m in [1, 2, 5, 10] {
        if (p * m) as f64 >= raw {
            return p * m;
        }
    }
    p * 10
}

/// Lay out the window `[t0, t1]` of the diagram at time `now`. `names` are
/// the lanes' names, nodes then clients.
#[must_use]
#[allow(clippy::too_many_arguments)]
pub fn layout_spacetime(
    st: &SpaceTime,
    names: &[String],
    t0: f64,
    t1: f64,
    now: Tick,
    width: f64,
    height: f64,
    selected: Option<Selected>,
) -> SpaceTimeScene {
    let t1 = t1.max(t0 + 1.0);
    let lanes = st.lanes().max(1);
    let lane_height = ((height - AXIS_HEIGHT - 6.0) / f64::from(lanes)).max(4.0);
    let y_of = |row: u32| 6.0 + lane_height * (f64::from(row) + 0.5);
    let x = |t: Tick| x_of(t as f64, t0, t1, width);
    let (lo, hi) = (t0.max(0.0).floor() as Tick, t1.ceil() as Tick);
    // What was recorded may run past the present (after a seek backwards):
    // arrows still travelling at the end of the record are drawn to it.
    let edge = now.max(st.last_tick());
    let visible: Vec<_> = st.arrows_in(lo, hi, edge).collect();
    let detail = visible.len() <= DETAIL_ARROWS;
    let stride = visible.len().div_ceil(MAX_ARROWS).max(1);
    let arrows = visible
        .into_iter()
        .enumerate()
        .filter(|(i, a)| i % stride == 0 || selected == Some(Selected::Message(a.msg)))
        .filter_map(|(_, a)| {
            let (ya, yb) = (y_of(st.lane_of(a.from)?), y_of(st.lane_of(a.to)?));
            let end_tick = a.end_tick(edge);
            // One still travelling is drawn as far as it has gone.
            let (end, received) = match a.end {
                End::Delivered { lamport, .. } => (ArrowEnd::Delivered, Some(lamport)),
                End::Dropped { .. } => (ArrowEnd::Dropped, None),
                End::InFlight { .. } => (ArrowEnd::InFlight, None),
            };
            let frac = match a.end {
                End::Delivered { .. } => 1.0,
                End::Dropped { .. } => 0.5,
                End::InFlight { due } => match due {
                    Some(d) if d > a.sent => {
                        ((edge.saturating_sub(a.sent)) as f64 / (d - a.sent) as f64).min(1.0)
                    }
                    _ => 0.5,
                },
            };
            let b = Point::new(x(end_tick), ya + (yb - ya) * frac);
            Some(StArrow {
                msg: a.msg,
                a: Point::new(x(a.sent), ya),
                b,
                end,
                duplicate: a.duplicate,
                kind: kind_of_tag(a.kind),
                name: a.kind.name(),
                lamport: (detail && b.dist(Point::new(x(a.sent), ya)) >= 28.0)
                    .then_some((a.lamport, received)),
                selected: selected == Some(Selected::Message(a.msg)),
            })
        })
        .collect();
    let marks = st
        .marks_in(lo, hi)
        .iter()
        .map(|m| StMark {
            x: x(m.tick),
            y: m.lane.and_then(|l| st.lane_of(l)).map(y_of),
            kind: m.kind,
            lamport: (detail && m.lane.is_some()).then_some(m.lamport),
            entry: m.entry,
            selected: selected == Some(Selected::Mark(m.entry)),
            found: false,
        })
        .collect();
    let right = x_of(t1, t0, t1, width);
    let spans = st
        .spans_in(lo, hi)
        .map(|s| StSpan {
            x0: x(s.start).max(NAMES_WIDTH),
            x1: s.end.map_or(x(edge), x).min(right),
            y: s.lane.and_then(|l| st.lane_of(l)).map(y_of),
        })
        .collect();
    let step = nice_step(t1 - t0, (width / 90.0).max(2.0));
    let first = (t0.max(0.0) as u64).div_ceil(step) * step;
    let axis = (0..)
        .map(|k| first + k * step)
        .take_while(|&t| (t as f64) <= t1)
        .map(|t| (x(t), t))
        .collect();
    let now_x = ((now as f64) >= t0 && (now as f64) <= t1).then(|| x(now));
    let edge_x = (edge > now && (edge as f64) >= t0).then(|| x(edge).min(right));
    SpaceTimeScene {
        width,
        height,
        lanes: (0..lanes)
            .map(|r| (y_of(r), names.get(r as usize).cloned().unwrap_or_default()))
            .collect(),
        lane_height,
        arrows,
        marks,
        spans,
        now_x,
        edge_x,
        axis,
        t0,
        t1,
        stride,
    }
}

/// What lies under a point: a mark first (small targets), then the
/// nearest arrow within reach.
#[must_use]
pub fn hit_spacetime(scene: &SpaceTimeScene, p: Point) -> Option<StHit> {
    let reach = 6.0;
    let mark = scene
        .marks
        .iter()
        .filter_map(|m| {
            let d = match m.y {
                Some(y) => p.dist(Point::new(m.x, y)),
                None => (p.x - m.x).abs() + reach, // across-lane marks: a weaker target
            };
            (d <= reach * 1.5).then_some((d, m.entry))
        })
        .min_by(|a, b| a.0.total_cmp(&b.0));
    if let Some((_, entry)) = mark {
        return Some(StHit::Mark(entry));
    }
    scene
        .arrows
        .iter()
        .map(|a| (segment_distance(a.a, a.b, p).0, a.msg))
        .filter(|(d, _)| *d <= reach)
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, m)| StHit::Message(m))
}

#[cfg(test)]
mod tests {
    use super::*;
    use qcore::Sim;

    fn scene_of(id: &str, until: Tick, t0: f64, t1: f64) -> (Sim, SpaceTime, SpaceTimeScene) {
        let s = qcore::lessons::lesson(id).expect("lesson");
        let names: Vec<String> = (0..s.protocol.nodes())
            .map(|i| crate::node_name(&s.protocol, i))
            .chain((0..s.clients).map(|c| format!("c{c}")))
            .collect();
        let mut sim = Sim::new(s.clone()).expect("valid");
        sim.run_until(until);
        let mut st = SpaceTime::new(s.protocol.nodes(), s.clients);
        st.extend(sim.trace());
        let scene = layout_spacetime(&st, &names, t0, t1, sim.now(), 800.0, 200.0, None);
        (sim, st, scene)
    }

    #[test]
    fn arrows_run_from_sender_lane_to_receiver_lane_forward_in_time() {
        let (_, st, scene) = scene_of("paxos-happy", 2_000, 0.0, 2_000.0);
        assert!(!scene.arrows.is_empty());
        for a in &scene.arrows {
            assert!(a.b.x >= a.a.x, "message {} runs backwards", a.msg);
            let arrow = st.arrow(a.msg).expect("indexed");
            let row = st.lane_of(arrow.from).expect("lane");
            assert!((scene.lanes[row as usize].0 - a.a.y).abs() < 1e-9);
            if a.end == ArrowEnd::Delivered {
                let row = st.lane_of(arrow.to).expect("lane");
                assert!((scene.lanes[row as usize].0 - a.b.y).abs() < 1e-9);
            }
        }
        // Every lane is named.
        assert!(scene.lanes.iter().all(|(_, n)| !n.is_empty()));
    }

    #[test]
    fn a_narrow_window_lays_out_only_what_it_shows() {
        let (_, _, wide) = scene_of("quorum-custom", 60_000, 0.0, 60_000.0);
        let (_, _, narrow) = scene_of("quorum-custom", 60_000, 30_000.0, 30_400.0);
        assert!(
            narrow.arrows.len() * 20 < wide.arrows.len(),
            "{} vs {}",
            narrow.arrows.len(),
            wide.arrows.len()
        );
        assert!(narrow.arrows.iter().all(|a| a.b.x >= NAMES_WIDTH - 1e-9 || a.a.x <= 800.0));
        // Zoomed in, Lamport times are written; zoomed out, they are not.
        assert!(narrow.arrows.iter().any(|a| a.lamport.is_some()));
        assert!(narrow.arrows.iter().all(|a| a.lamport.is_some() || a.a.dist(a.b) < 28.0));
        assert!(wide.arrows.iter().all(|a| a.lamport.is_none()));
    }

    #[test]
    fn a_counterexample_rings_its_operations_invocations_and_returns() {
        let (_, _, mut scene) = scene_of("quorum-custom", 4_000, 0.0, 4_000.0);
        let op = |m: &StMark| match m.kind {
            MarkKind::Invoke(id) | MarkKind::Return(id) => Some(id),
            _ => None,
        };
        let ids: Vec<u64> = scene.marks.iter().filter_map(op).take(1).collect();
        assert_eq!(ids.len(), 1, "the run has a client operation");
        scene.flag_found(&ids);
        let found: Vec<_> = scene.marks.iter().filter(|m| m.found).collect();
        assert_eq!(found.len(), 2, "its invocation and its return");
        assert!(found.iter().all(|m| op(m) == Some(ids[0])));
        let svg = crate::svg::spacetime_to_svg(&scene);
        assert_eq!(svg.matches(r##"r="7" fill="none" stroke="#b83a30""##).count(), 2);
        // A later counterexample replaces the marks, it does not add to them.
        scene.flag_found(&[]);
        assert!(scene.marks.iter().all(|m| !m.found));
    }

    #[test]
    fn clicking_an_arrow_finds_it() {
        let (_, _, scene) = scene_of("paxos-happy", 2_000, 0.0, 1_000.0);
        let a = scene.arrows.iter().find(|a| a.a.dist(a.b) > 30.0).expect("a long arrow");
        let mid = a.a.lerp(a.b, 0.5);
        match hit_spacetime(&scene, mid) {
            Some(StHit::Message(m)) => {
                // Arrows may cross; the one hit passes through the point.
                let hit = scene.arrows.iter().find(|x| x.msg == m).expect("laid out");
                assert!(segment_distance(hit.a, hit.b, mid).0 <= 6.0);
            }
            other => panic!("missed: {other:?}"),
        }
        assert_eq!(hit_spacetime(&scene, Point::new(5.0, 199.0)), None);
    }

    #[test]
    fn a_crowded_window_is_thinned_and_says_so() {
        let (_, st, _) = scene_of("quorum-custom", 600_000, 0.0, 1.0);
        let all = st.arrows().len();
        assert!(all > MAX_ARROWS, "{all}");
        let names = vec!["n".to_string(); 8];
        let scene = layout_spacetime(&st, &names, 0.0, 600_000.0, 600_000, 800.0, 200.0, None);
        assert!(scene.stride > 1);
        assert!(scene.arrows.len() <= MAX_ARROWS + 1, "{}", scene.arrows.len());
        let near = layout_spacetime(&st, &names, 300_000.0, 301_000.0, 600_000, 800.0, 200.0, None);
        assert_eq!(near.stride, 1);
    }

    #[test]
    fn axis_steps_are_round() {
        assert_eq!(nice_step(1_000.0, 10.0), 100);
        assert_eq!(nice_step(1_300.0, 10.0), 200);
        assert_eq!(nice_step(40.0, 10.0), 5);
        assert_eq!(nice_step(3.0, 10.0), 1);
        let (_, _, scene) = scene_of("paxos-happy", 2_000, 100.0, 1_100.0);
        assert!(scene.axis.iter().all(|(_, t)| t % 100 == 0 || t % 200 == 0));
        assert!(scene.axis.len() >= 3);
    }
}
