//! The history view: one lane per client, each operation a bar from its
//! invocation to its return, linearization points as ticks on the bars, and
//! the operations a checker named marked, and the faults of the run (crashes,
//! restarts, partitions, heals, new leaders) as lines across the lanes at
//! their ticks — a pure layout, tested natively.

use qcore::{Happened, LinkState, TraceEntry};

/// How an operation ended, for colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BarKind {
    Ok,
    Failed,
    Pending,
}

/// One operation as the history view shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryOp {
    pub id: u64,
    pub client: u32,
    pub invoke: u64,
    /// `None` while pending (drawn up to now).
    pub ret: Option<u64>,
    pub kind: BarKind,
    pub label: String,
    /// Named by a checker (part of a violation).
    pub flagged: bool,
    /// The operation the linearizability checker found in no legal order.
    pub stuck: bool,
    /// Where the linearizability checker placed it, if it did.
    pub point: Option<u64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub id: u64,
    pub invoke: u64,
    pub x0: f64,
    pub x1: f64,
    pub y: f64,
    pub height: f64,
    pub kind: BarKind,
    pub flagged: bool,
    pub stuck: bool,
    pub label: String,
    pub point_x: Option<f64>,
}

/// One write's inconsistency window (lecture 02): from the write until
/// every live replica holds it or a newer write.
#[derive(Clone, Debug, PartialEq)]
pub struct Band {
    pub x0: f64,
    pub x1: f64,
    /// Still open at the present moment.
    pub open: bool,
}

/// A kind of fault (or leader change) the history view can show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FaultKind {
    Crash,
    Restart,
    /// Links were cut (a partition or a one-way cut).
    Partition,
    Heal,
    /// A leader was established (Zab: a quorum acknowledged NEWLEADER).
    Leader,
}

impl FaultKind {
    pub const ALL: [FaultKind; 5] =
        [Self::Crash, Self::Restart, Self::Partition, Self::Heal, Self::Leader];
}

/// Something that happened to the system at a tick.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fault {
    pub tick: u64,
    pub kind: FaultKind,
    /// The node it happened to (none for the network).
    pub node: Option<u32>,
}

/// The faults among `entries`, appended to `out` in order; the links a
/// partition sets at one tick make one fault.
pub fn collect_faults(entries: &[TraceEntry], out: &mut Vec<Fault>) {
    for e in entries {
        let (kind, node) = match &e.what {
            Happened::Crashed { node } => (FaultKind::Crash, Some(*node)),
            Happened::Restarted { node } => (FaultKind::Restart, Some(*node)),
            Happened::Link { state: LinkState::Healthy, .. } => (FaultKind::Heal, None),
            Happened::Link { .. } => (FaultKind::Partition, None),
            Happened::Note {
                node,
                note: qcore::Note::Zab(qcore::zab::Note::Established { .. }),
            } => (FaultKind::Leader, Some(*node)),
            _ => continue,
        };
        let f = Fault { tick: e.tick, kind, node };
        if node.is_some() || out.last() != Some(&f) {
            out.push(f);
        }
    }
}

/// A fault as drawn: a line across the lanes at `x`.
#[derive(Clone, Debug, PartialEq)]
pub struct FaultMark {
    pub x: f64,
    pub tick: u64,
    pub kind: FaultKind,
    /// The node's name, or empty for the network.
    pub label: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct HistoryScene {
    pub width: f64,
    pub height: f64,
    pub lanes: u32,
    pub lane_height: f64,
    /// x of the present moment.
    pub now_x: f64,
    pub bars: Vec<Bar>,
    /// Inconsistency windows, drawn in a lane of their own below the
    /// clients' (empty for protocols that have none).
    pub bands: Vec<Band>,
    /// The faults shown, oldest first.
    pub faults: Vec<FaultMark>,
    /// The last tick the x axis shows.
    end: f64,
}

impl HistoryScene {
    /// The x of tick `t`.
    #[must_use]
    pub fn x_at(&self, t: u64) -> f64 {
        let span = (self.width - LANE_LABEL_WIDTH - 8.0).max(10.0);
        LANE_LABEL_WIDTH + span * (t as f64 / self.end)
    }

    /// Add the windows `(start, end)` (`None`: still open at `now`) as a
    /// lane of bands under the clients'.
    #[must_use]
    pub fn with_windows(mut self, windows: &[(u64, Option<u64>)], now: u64) -> Self {
        if windows.is_empty() {
            return self;
        }
        self.bands = windows
            .iter()
            .map(|&(start, end)| {
                let x0 = self.x_at(start);
                Band { x0, x1: self.x_at(end.unwrap_or(now)).max(x0 + 2.0), open: end.is_none() }
            })
            .collect();
        self.height += self.lane_height;
        self
    }

    /// Add the faults of the kinds `shown` up to `now`, naming nodes with `name`.
    #[must_use]
    pub fn with_faults(
        mut self,
        faults: &[Fault],
        shown: &[FaultKind],
        now: u64,
        name: &dyn Fn(u32) -> String,
    ) -> Self {
        self.faults = faults
            .iter()
            .filter(|f| f.tick <= now && shown.contains(&f.kind))
            .map(|f| FaultMark {
                x: self.x_at(f.tick),
                tick: f.tick,
                kind: f.kind,
                label: f.node.map(name).unwrap_or_default(),
            })
            .collect();
        self
    }

    /// The y of the windows' lane.
    #[must_use]
    pub fn band_y(&self) -> f64 {
        f64::from(self.lanes) * self.lane_height
    }
}

/// Left margin for the lane names.
pub const LANE_LABEL_WIDTH: f64 = 34.0;

/// Lay out `ops` for `clients` lanes over ticks `0..=end`.
#[must_use]
pub fn layout_history(
    ops: &[HistoryOp],
    clients: u32,
    now: u64,
    width: f64,
    lane_height: f64,
) -> HistoryScene {
    let end = ops.iter().filter_map(|o| o.ret).chain([now]).max().unwrap_or(0).max(1) as f64;
    let span = (width - LANE_LABEL_WIDTH - 8.0).max(10.0);
    let x = |t: u64| LANE_LABEL_WIDTH + span * (t as f64 / end);
    let bars = ops
        .iter()
        .map(|o| {
            let x0 = x(o.invoke);
            let x1 = x(o.ret.unwrap_or(now)).max(x0 + 3.0);
            Bar {
                id: o.id,
                invoke: o.invoke,
                x0,
                x1,
                y: f64::from(o.client) * lane_height + lane_height * 0.2,
                height: lane_height * 0.6,
                kind: o.kind,
                flagged: o.flagged,
                stuck: o.stuck,
                label: o.label.clone(),
                point_x: o.point.map(x),
            }
        })
        .collect();
    HistoryScene {
        width,
        height: f64::from(clients.max(1)) * lane_height,
        lanes: clients,
        lane_height,
        now_x: x(now),
        bars,
        bands: Vec::new(),
        faults: Vec::new(),
        end,
    }
}

/// The operation under the pointer, if any.
#[must_use]
pub fn hit_bar(scene: &HistoryScene, x: f64, y: f64) -> Option<&Bar> {
    scene
        .bars
        .iter()
        .rev()
        .find(|b| x >= b.x0 - 2.0 && x <= b.x1 + 2.0 && y >= b.y - 2.0 && y <= b.y + b.height + 2.0)
}

/// The fault drawn nearest to `x`, within a few pixels.
#[must_use]
pub fn hit_fault(scene: &HistoryScene, x: f64) -> Option<&FaultMark> {
    scene
        .faults
        .iter()
        .map(|f| ((f.x - x).abs(), f))
        .filter(|(d, _)| *d <= 4.0)
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, f)| f)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(id: u64, client: u32, invoke: u64, ret: Option<u64>) -> HistoryOp {
        HistoryOp {
            id,
            client,
            invoke,
            ret,
            kind: BarKind::Ok,
            label: String::new(),
            flagged: false,
            stuck: false,
            point: Some(invoke + 1),
        }
    }

    #[test]
    fn bars_span_invoke_to_return_in_their_clients_lane() {
        let s = layout_history(&[op(0, 0, 0, Some(50)), op(1, 2, 50, None)], 3, 100, 434.0, 20.0);
        let (a, b) = (&s.bars[0], &s.bars[1]);
        assert!((a.x0 - LANE_LABEL_WIDTH).abs() < 1e-9);
        assert!((a.x1 - (LANE_LABEL_WIDTH + 196.0)).abs() < 1e-9, "half the span");
        assert!(b.y > a.y && (b.y - a.y - 40.0).abs() < 1e-9, "lane 2");
        assert!((b.x1 - s.now_x).abs() < 1e-9, "a pending op reaches now");
        let p = a.point_x.expect("point");
        assert!(p >= a.x0 && p <= a.x1);
        assert_eq!(hit_bar(&s, (a.x0 + a.x1) / 2.0, a.y + 1.0).map(|b| b.id), Some(0));
        assert_eq!(hit_bar(&s, 5.0, 5.0), None);
    }

    #[test]
    fn windows_get_a_lane_of_their_own_below_the_clients() {
        let s = layout_history(&[op(0, 0, 0, Some(50))], 2, 100, 434.0, 20.0);
        let h = s.height;
        let s = s.with_windows(&[(0, Some(50)), (60, None)], 100);
        assert!((s.height - h - 20.0).abs() < 1e-9);
        assert!((s.band_y() - 40.0).abs() < 1e-9);
        assert!((s.bands[0].x1 - (LANE_LABEL_WIDTH + 196.0)).abs() < 1e-9);
        assert!(s.bands[1].open && (s.bands[1].x1 - s.now_x).abs() < 1e-9);
    }

    fn entry(tick: u64, what: Happened) -> TraceEntry {
        TraceEntry { event: 0, tick, what }
    }

    #[test]
    fn faults_are_read_from_the_trace_one_per_partition() {
        use qcore::Addr;
        let link = |tick, state| {
            entry(tick, Happened::Link { from: Addr::Node(0), to: Addr::Node(1), state })
        };
        let trace = [
            entry(5, Happened::Crashed { node: 2 }),
            link(10, LinkState::Partitioned),
            link(10, LinkState::Partitioned),
            entry(12, Happened::Timer { node: 0, key: 1 }),
            link(20, LinkState::Healthy),
            link(20, LinkState::Healthy),
            entry(30, Happened::Restarted { node: 2 }),
        ];
        let mut out = Vec::new();
        collect_faults(&trace, &mut out);
        let kinds: Vec<(u64, FaultKind, Option<u32>)> =
            out.iter().map(|f| (f.tick, f.kind, f.node)).collect();
        assert_eq!(
            kinds,
            [
                (5, FaultKind::Crash, Some(2)),
                (10, FaultKind::Partition, None),
                (20, FaultKind::Heal, None),
                (30, FaultKind::Restart, Some(2)),
            ]
        );
        let s = layout_history(&[op(0, 0, 0, Some(50))], 2, 25, 434.0, 20.0);
        let name = |n: u32| format!("n{}", n + 1);
        let shown = s.clone().with_faults(&out, &FaultKind::ALL, 25, &name);
        assert_eq!(shown.faults.len(), 3, "the restart at 30 is still ahead");
        assert_eq!(shown.faults[0].label, "n3");
        assert!((shown.faults[2].x - shown.x_at(20)).abs() < 1e-9);
        assert_eq!(hit_fault(&shown, shown.x_at(10) + 3.0).map(|f| f.tick), Some(10));
        assert_eq!(hit_fault(&shown, shown.x_at(15)), None);
        let crashes = s.with_faults(&out, &[FaultKind::Crash], 25, &name);
        assert_eq!(crashes.faults.iter().map(|f| f.kind).collect::<Vec<_>>(), [FaultKind::Crash]);
    }
}
