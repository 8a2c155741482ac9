//! The space-time (Lamport) diagram's data: every message as an arrow from
//! its send to its delivery or drop, crashes, restarts, partitions and heals
//! as marks, client invocations and returns, each with its Lamport
//! timestamp (lecture 02's logical clock), and vector clocks on demand.
//!
//! [`SpaceTime`] indexes a trace incrementally (`extend` reads only what is
//! new), so a diagram of a long run costs nothing per frame; the drawing side
//! asks for what lies in a tick window (binary searches, never a scan).
//!
//! Lamport's rules (*Time, Clocks, and the Ordering of Events*, 1978): a
//! process ticks its clock before each event it takes part in; a message
//! carries the sender's clock, and the receiver moves past it. Here the
//! processes are the nodes and the clients (lanes), and their events are
//! sends, receives, invocations, returns, crashes and restarts.

use crate::net::LinkState;
use crate::small::VecMap;
use crate::trace::{DropReason, Happened, MsgKindTag, TraceEntry};
use crate::types::{Addr, Tick};

/// How a message's arrow ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    /// Received at this tick, with the receiver's Lamport time.
    Delivered { tick: Tick, lamport: u64 },
    /// Vanished at this tick.
    Dropped { tick: Tick, reason: DropReason },
    /// Still travelling; due at this tick if the link is healthy.
    InFlight { due: Option<Tick> },
}

/// One message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Arrow {
    pub msg: u64,
    pub from: Addr,
    pub to: Addr,
    pub sent: Tick,
    /// The sender's Lamport time at the send (the timestamp it carries).
    pub lamport: u64,
    pub kind: MsgKindTag,
    /// A second copy the network made (or the user asked for).
    pub duplicate: bool,
    pub end: End,
    /// Index of the `Sent` entry in the trace.
    pub entry: usize,
}

impl Arrow {
    /// The tick the arrow ends at (`now` for one still in flight).
    #[must_use]
    pub fn end_tick(&self, now: Tick) -> Tick {
        match self.end {
            End::Delivered { tick, .. } | End::Dropped { tick, .. } => tick,
            End::InFlight { .. } => now.max(self.sent),
        }
    }
}

/// What a mark on a lane (or across the diagram) shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkKind {
    Crash,
    Restart,
    /// Links were cut at this tick (a partition or a one-way cut).
    Cut,
    /// Links were healed at this tick.
    Heal,
    /// A client invoked an operation (history id).
    Invoke(u64),
    /// A client's operation returned (history id).
    Return(u64),
}

/// A mark: on a lane, or on the time axis (`lane` is `None` for network
/// changes, which concern several lanes at once).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mark {
    pub tick: Tick,
    pub lane: Option<Addr>,
    pub kind: MarkKind,
    /// The lane's Lamport time at this event (0 for network marks).
    pub lamport: u64,
    /// Index of the entry in the trace.
    pub entry: usize,
}

/// A stretch of time: a node down (`lane` is the node) or the network cut
/// (`lane` is `None`), from `start` until `end` (`None`: still so).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub lane: Option<Addr>,
    pub start: Tick,
    pub end: Option<Tick>,
}

/// The diagram's index of a trace.
#[derive(Clone, Debug, Default)]
pub struct SpaceTime {
    nodes: u32,
    clients: u32,
    /// Sorted by message id, which is also the order of sending.
    arrows: Vec<Arrow>,
    /// Sorted by trace order (so by tick).
    marks: Vec<Mark>,
    /// Nodes down and cuts, in order of their start.
    spans: Vec<Span>,
    /// Each lane's Lamport clock after the indexed entries.
    clocks: Vec<u64>,
    /// Trace entries indexed so far.
    indexed: usize,
    /// The last tick indexed.
    last_tick: Tick,
    /// The longest time any finished arrow took, so a window query knows
    /// how far back to look for arrows that cross into it.
    longest: Tick,
}

impl SpaceTime {
    #[must_use]
    pub fn new(nodes: u32, clients: u32) -> Self {
        SpaceTime {
            nodes,
            clients,
            clocks: vec![0; (nodes + clients) as usize],
            ..SpaceTime::default()
        }
    }

    /// Number of lanes: the nodes, then the clients.
    #[must_use]
    pub fn lanes(&self) -> u32 {
        self.nodes + self.clients
    }

    /// A lane's row, nodes first.
    #[must_use]
    pub fn lane_of(&self, a: Addr) -> Option<u32> {
        match a {
            Addr::Node(n) if n < self.nodes => Some(n),
            Addr::Client(c) if c < self.clients => Some(self.nodes + c),
            _ => None,
        }
    }

    /// The lane of a row.
    #[must_use]
    pub fn addr_of(&self, row: u32) -> Addr {
        if row < self.nodes {
            Addr::Node(row)
        } else {
            Addr::Client(row - self.nodes)
        }
    }

    #[must_use]
    pub fn arrows(&self) -> &[Arrow] {
        &self.arrows
    }
    #[must_use]
    pub fn marks(&self) -> &[Mark] {
        &self.marks
    }
    #[must_use]
    pub fn spans(&self) -> &[Span] {
        &self.spans
    }
    /// The last tick the indexed entries reach.
    #[must_use]
    pub fn last_tick(&self) -> Tick {
        self.last_tick
    }
    /// Trace entries indexed so far.
    #[must_use]
    pub fn indexed(&self) -> usize {
        self.indexed
    }

    /// The arrow of a message, found by binary search.
    #[must_use]
    pub fn arrow(&self, msg: u64) -> Option<&Arrow> {
        self.arrows.binary_search_by_key(&msg, |a| a.msg).ok().map(|i| &self.arrows[i])
    }

    /// Index the entries of `trace` past those already seen. `trace` must
    /// extend what was indexed before; after a branch or a seek backwards,
    /// build a new index (see [`SpaceTime::follow`]).
    pub fn extend(&mut self, trace: &[TraceEntry]) {
        let start = self.indexed.min(trace.len());
        for (i, e) in trace.iter().enumerate().skip(start) {
            self.add(i, e, trace);
        }
        self.indexed = self.indexed.max(trace.len());
    }

    /// Keep the index in step with a trace that may have been cut back (a
    /// seek backwards or a new action in the past): rebuild when it is
    /// shorter than what was indexed, else extend.
    pub fn follow(&mut self, trace: &[TraceEntry]) {
        if trace.len() < self.indexed {
            self.restart();
        }
        self.extend(trace);
    }

    /// Forget everything indexed (the trace it indexed is gone).
    pub fn restart(&mut self) {
        *self = SpaceTime::new(self.nodes, self.clients);
    }

    fn tick_lane(&mut self, a: Addr) -> u64 {
        match self.lane_of(a) {
            Some(l) => {
                let c = &mut self.clocks[l as usize];
                *c += 1;
                *c
            }
            None => 0,
        }
    }

    /// End the open span of `lane`, if any.
    fn close(&mut self, lane: Option<Addr>, tick: Tick) {
        if let Some(s) = self.spans.iter_mut().rev().find(|s| s.lane == lane && s.end.is_none()) {
            s.end = Some(tick);
        }
    }

    fn finish(&mut self, msg: u64, end: End) {
        if let Ok(i) = self.arrows.binary_search_by_key(&msg, |a| a.msg) {
            let a = &mut self.arrows[i];
            a.end = end;
            let took = a.end_tick(0).saturating_sub(a.sent);
            self.longest = self.longest.max(took);
        }
    }

    fn add(&mut self, i: usize, e: &TraceEntry, trace: &[TraceEntry]) {
        let tick = e.tick;
        self.last_tick = self.last_tick.max(tick);
        let mark = |lane, kind, lamport| Mark { tick, lane, kind, lamport, entry: i };
        match e.what {
            Happened::Sent { msg, from, to, deliver, label } => {
                let lamport = self.tick_lane(from);
                let duplicate = is_duplicate(trace, i);
                self.arrows.push(Arrow {
                    msg,
                    from,
                    to,
                    sent: tick,
                    lamport,
                    kind: label,
                    duplicate,
                    end: End::InFlight { due: deliver },
                    entry: i,
                });
            }
            Happened::Delivered { msg, to, .. } => {
                let carried = self.arrow(msg).map_or(0, |a| a.lamport);
                let lamport = match self.lane_of(to) {
                    Some(l) => {
                        let c = &mut self.clocks[l as usize];
                        *c = (*c).max(carried) + 1;
                        *c
                    }
                    None => 0,
                };
                self.finish(msg, End::Delivered { tick, lamport });
            }
            Happened::Dropped { msg, reason, .. } => {
                self.finish(msg, End::Dropped { tick, reason })
            }
            Happened::Crashed { node } => {
                let l = self.tick_lane(Addr::Node(node));
                self.marks.push(mark(Some(Addr::Node(node)), MarkKind::Crash, l));
                self.spans.push(Span { lane: Some(Addr::Node(node)), start: tick, end: None });
            }
            Happened::Restarted { node } => {
                let l = self.tick_lane(Addr::Node(node));
                self.marks.push(mark(Some(Addr::Node(node)), MarkKind::Restart, l));
                self.close(Some(Addr::Node(node)), tick);
            }
            Happened::Invoke { op_id, client, .. } => {
                let l = self.tick_lane(Addr::Client(client));
                self.marks.push(mark(Some(Addr::Client(client)), MarkKind::Invoke(op_id), l));
            }
            Happened::Return { op_id, client, .. } => {
                let l = self.tick_lane(Addr::Client(client));
                self.marks.push(mark(Some(Addr::Client(client)), MarkKind::Return(op_id), l));
            }
            Happened::Link { state, .. } => {
                // A partition sets many links at one tick: one mark for all.
                let kind = if state == LinkState::Healthy { MarkKind::Heal } else { MarkKind::Cut };
                let same = self
                    .marks
                    .last()
                    .is_some_and(|m| m.lane.is_none() && m.tick == tick && m.kind == kind);
                if !same {
                    self.marks.push(mark(None, kind, 0));
                    if kind == MarkKind::Heal {
                        self.close(None, tick);
                    } else if !self.spans.iter().any(|s| s.lane.is_none() && s.end.is_none()) {
                        self.spans.push(Span { lane: None, start: tick, end: None });
                    }
                }
            }
            _ => {}
        }
    }

    /// Arrows that show in the tick window `[t0, t1]` at time `now`: sent
    /// before `t1` and not ended before `t0`. Found from the window's end
    /// backwards by binary search, never by scanning the whole run.
    pub fn arrows_in(&self, t0: Tick, t1: Tick, now: Tick) -> impl Iterator<Item = &Arrow> {
        let hi = self.arrows.partition_point(|a| a.sent <= t1);
        // Finished arrows that cross into the window were sent at most
        // `longest` before it; arrows still in flight may be older.
        let from = t0.saturating_sub(self.longest);
        let lo = self.arrows[..hi].partition_point(|a| a.sent < from);
        let old_in_flight = self.arrows[..lo]
            .iter()
            .filter(move |a| matches!(a.end, End::InFlight { .. }) && a.end_tick(now) >= t0);
        old_in_flight.chain(self.arrows[lo..hi].iter().filter(move |a| a.end_tick(now) >= t0))
    }

    /// Spans that overlap the tick window `[t0, t1]`. There are few (one
    /// per crash or cut), so a scan is fine.
    pub fn spans_in(&self, t0: Tick, t1: Tick) -> impl Iterator<Item = &Span> {
        self.spans.iter().filter(move |s| s.start <= t1 && s.end.is_none_or(|e| e >= t0))
    }

    /// Marks in the tick window `[t0, t1]`.
    #[must_use]
    pub fn marks_in(&self, t0: Tick, t1: Tick) -> &[Mark] {
        let lo = self.marks.partition_point(|m| m.tick < t0);
        let hi = self.marks.partition_point(|m| m.tick <= t1);
        &self.marks[lo..hi.max(lo)]
    }
}

/// Whether the `Sent` entry at `i` is a copy of the one just before it: the
/// network launches a duplicate in the same event, right after the
/// original, with the next message id (or a user asked for it: then a
/// `DuplicateMessage` action precedes it).
fn is_duplicate(trace: &[TraceEntry], i: usize) -> bool {
    let Some(prev) = i.checked_sub(1).and_then(|p| trace.get(p)) else { return false };
    let cur = &trace[i];
    match (&prev.what, &cur.what) {
        (Happened::User(crate::scenario::ActionKind::DuplicateMessage(_)), _) => true,
        (
            Happened::Sent { msg: m0, from: f0, to: t0, label: l0, .. },
            Happened::Sent { msg: m1, from: f1, to: t1, label: l1, .. },
        ) => prev.event == cur.event && m0 + 1 == *m1 && f0 == f1 && t0 == t1 && l0 == l1,
        _ => false,
    }
}

/// The vector clock of every lane just after trace entry `upto` (its index),
/// computed on demand: lanes are the nodes, then the clients. Component `k`
/// counts the events of lane `k` that happened before (Fidge/Mattern).
#[must_use]
pub fn vector_clocks(trace: &[TraceEntry], nodes: u32, clients: u32, upto: usize) -> Vec<Vec<u64>> {
    let index = SpaceTime::new(nodes, clients);
    let lanes = index.lanes() as usize;
    let mut vc = vec![vec![0u64; lanes]; lanes];
    // Only messages still travelling need their stamp kept.
    let mut carried: VecMap<u64, Vec<u64>> = VecMap::new();
    let own = |vc: &mut Vec<Vec<u64>>, a: Addr| {
        index.lane_of(a).map(|l| {
            let l = l as usize;
            vc[l][l] += 1;
            l
        })
    };
    for e in trace.iter().take(upto.saturating_add(1)) {
        match e.what {
            Happened::Sent { msg, from, .. } => {
                if let Some(l) = own(&mut vc, from) {
                    carried.insert(msg, vc[l].clone());
                }
            }
            Happened::Delivered { msg, to, .. } => {
                let stamp = carried.remove(&msg);
                if let Some(l) = own(&mut vc, to) {
                    for (mine, theirs) in vc[l].iter_mut().zip(stamp.iter().flatten()) {
                        *mine = (*mine).max(*theirs);
                    }
                }
            }
            Happened::Dropped { msg, .. } => {
                carried.remove(&msg);
            }
            Happened::Crashed { node } | Happened::Restarted { node } => {
                own(&mut vc, Addr::Node(node));
            }
            Happened::Invoke { client, .. } | Happened::Return { client, .. } => {
                own(&mut vc, Addr::Client(client));
            }
            _ => {}
        }
    }
    vc
}

/// Message type names, by [`MsgKindTag`], for labels.
const KIND_NAMES: [&str; 36] = [
    "Request",
    "Reply",
    "Query",
    "QueryReply",
    "Store",
    "StoreAck",
    "Prepare",
    "Promise",
    "Accept",
    "Accepted",
    "Reject",
    "Chosen",
    "Notification",
    "FollowerInfo",
    "LeaderInfo",
    "AckEpoch",
    "Sync",
    "NewLeader",
    "Ack",
    "UpToDate",
    "Proposal",
    "Commit",
    "Inform",
    "Forward",
    "Ping",
    "Pong",
    "SyncReq",
    "SyncDone",
    "Refused",
    "Update",
    "Digest",
    "Missing",
    "Forward",
    "TokenRequest",
    "Query",
    "Report",
];

impl MsgKindTag {
    /// The message type's name, as the protocol's paper calls it.
    #[must_use]
    pub fn name(self) -> &'static str {
        KIND_NAMES.get(usize::from(self.0)).copied().unwrap_or("?")
    }
}

#[cfg(test)]
mod tests;
