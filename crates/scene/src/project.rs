//! The projection from a simulation to a [`Scene`].

use std::f64::consts::PI;

use qcore::client::Outcome;
use qcore::net::LinkState;
use qcore::node::Msg;
use qcore::trace::{DropReason, Happened};
use qcore::types::Addr;
use qcore::Sim;

use crate::geometry::Point;

/// How long (in ticks) a dropped message stays marked where it vanished.
const DROP_FADE_TICKS: f64 = 400.0;

/// What part a node plays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Replica,
    Acceptor,
    Proposer,
    /// Zab: a server, by state.
    Looking,
    Leader,
    Follower,
    Observer,
    /// Paxos: a learner (drawn as Zab's observer: it learns, never votes).
    Learner,
}

/// A line of state under a node; `disk` marks what is persisted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Detail {
    pub text: String,
    pub disk: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NodeShape {
    pub id: u32,
    pub pos: Point,
    pub radius: f64,
    pub up: bool,
    pub role: Role,
    /// `n0`, `A1`, `P0`…
    pub name: String,
    /// The value in the middle, e.g. `7` or `∅`.
    pub value: String,
    /// State shown under the node: version stamp, Max_N, accepted (n, v)…
    pub details: Vec<Detail>,
    pub in_write_set: bool,
    pub in_read_set: bool,
    /// Named by an invariant violation.
    pub flagged: bool,
    /// Which side of a partition it is on (0 when the network is whole).
    pub side: u32,
}

/// What the header says about the protocol.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Header {
    Quorum {
        n: u32,
        w: u32,
        r: u32,
    },
    Paxos {
        proposers: u32,
        acceptors: u32,
        learners: u32,
        backoff: bool,
        variant: qcore::paxos::Variant,
    },
    Zab {
        voters: u32,
        observers: u32,
        sync_reads: bool,
        variant: qcore::zab::Variant,
    },
    Eventual {
        replicas: u32,
        delivery: qcore::eventual::Delivery,
        session: qcore::eventual::Session,
        anti_entropy: bool,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct ClientShape {
    pub id: u32,
    pub pos: Point,
    pub radius: f64,
    /// The operation it is waiting on, e.g. `put 3 → n1`.
    pub pending: Option<String>,
    /// How its last operation ended, e.g. `ok 3`, `fail`, `timeout`.
    pub last: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LinkShape {
    pub a: Addr,
    pub b: Addr,
    pub a_pos: Point,
    pub b_pos: Point,
    /// State of the direction a → b, and of b → a.
    pub ab: LinkState,
    pub ba: LinkState,
}

/// Broad kinds of message, for colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageKind {
    Request,
    Reply,
    /// Quorum version queries; Paxos Prepare and Promise.
    Query,
    /// Quorum stores; Paxos Accept.
    Store,
    /// Quorum store acks; Paxos Accepted.
    Ack,
    Reject,
    /// Paxos: a value was chosen. Zab: COMMIT, INFORM, UPTODATE.
    Announce,
    /// Zab: an election notification.
    Vote,
    /// Zab: heartbeats.
    Heartbeat,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MessageShape {
    pub id: u64,
    pub from: Addr,
    pub to: Addr,
    pub pos: Point,
    /// 0 at the sender, 1 at the receiver.
    pub progress: f64,
    pub label: String,
    pub kind: MessageKind,
    pub held: bool,
    /// When it was sent and is due (ticks); `None` while it is held.
    pub timing: Option<(u64, u64)>,
}

/// A message that was dropped recently, marked where it vanished.
#[derive(Clone, Debug, PartialEq)]
pub struct DropShape {
    pub pos: Point,
    /// 1 just dropped, fading to 0.
    pub fresh: f64,
    pub reason: DropReason,
    /// When it was dropped.
    pub tick: u64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Scene {
    pub width: f64,
    pub height: f64,
    pub now: f64,
    pub nodes: Vec<NodeShape>,
    pub clients: Vec<ClientShape>,
    pub links: Vec<LinkShape>,
    pub messages: Vec<MessageShape>,
    pub drops: Vec<DropShape>,
    /// Where to draw the split when the nodes fall into exactly two sides.
    pub partition_line: Option<(Point, Point)>,
    /// Number of sides the network is split into (1 = whole).
    pub sides: u32,
    pub header: Header,
    /// Paxos: the value chosen (by a majority of acceptors), if any.
    pub chosen: Option<u64>,
    /// Safety invariants broken so far.
    pub violations: Vec<qcore::safety::Violation>,
}

impl Scene {
    /// Whether two scenes differ only in what moves (messages in flight,
    /// recent drops, the clock), so the still layer painted for one serves
    /// the other: the app redraws that layer only when this is false.
    #[must_use]
    pub fn same_still(&self, other: &Scene) -> bool {
        self.width == other.width
            && self.height == other.height
            && self.nodes == other.nodes
            && self.clients == other.clients
            && self.links == other.links
            && self.partition_line == other.partition_line
            && self.sides == other.sides
            && self.header == other.header
            && self.chosen == other.chosen
            && self.violations == other.violations
    }

    /// Rectangles `(x, y, w, h)` covering everything that moves on the
    /// canvas (each message with its rings, the message labels `labels`
    /// placed and `extra` (a crowded label shown because it is selected),
    /// each fading drop, the clock), padded for anti-aliasing. The app
    /// restores just these from its still layer before drawing the next
    /// frame's moving things, so a frame touches a few small areas instead
    /// of the whole canvas. They replace what `out` held (its room is
    /// reused from frame to frame).
    pub fn moving_rects(
        &self,
        labels: &crate::Labels,
        extra: Option<crate::labels::Placed>,
        out: &mut Vec<(f64, f64, f64, f64)>,
    ) {
        out.clear();
        for m in &self.messages {
            // The widest ring is 11 px.
            out.push((m.pos.x - 14.0, m.pos.y - 14.0, 28.0, 28.0));
        }
        for l in labels.moving().iter().chain(&extra) {
            let r = l.rect;
            out.push((r.x - 2.0, r.y - 2.0, r.w + 4.0, r.h + 4.0));
        }
        for d in &self.drops {
            out.push((d.pos.x - 10.0, d.pos.y - 10.0, 20.0, 20.0));
        }
        // The clock, right-aligned at the top right corner.
        out.push((self.width - 150.0, 4.0, 150.0, 24.0));
    }

    /// Move the scene on to `now` (not before its own moment) when nothing
    /// happened in between (no event, no action): only the messages in
    /// flight move and recent drops fade, so a frame between events needs
    /// no projection and allocates nothing. The result equals
    /// `project(sim, now, …)` for the same simulation.
    pub fn advance(&mut self, now: f64) {
        let Scene { nodes, clients, messages, drops, .. } = self;
        let pos = |a: Addr| match a {
            Addr::Node(n) => nodes.get(n as usize).map(|s| s.pos),
            Addr::Client(c) => clients.get(c as usize).map(|s| s.pos),
        };
        for m in messages.iter_mut() {
            if let (Some((sent, due)), Some(a), Some(b)) = (m.timing, pos(m.from), pos(m.to)) {
                m.progress = progress_at(sent, due, now);
                m.pos = message_pos(a, b, m.progress);
            }
        }
        drops.retain(|d| still_fading(d.tick, now));
        for d in drops.iter_mut() {
            d.fresh = fresh_at(d.tick, now);
        }
        self.now = now;
    }

    #[must_use]
    pub fn addr_pos(&self, a: Addr) -> Option<Point> {
        match a {
            Addr::Node(n) => self.nodes.get(n as usize).map(|s| s.pos),
            Addr::Client(c) => self.clients.get(c as usize).map(|s| s.pos),
        }
    }
}

fn kind(m: &Msg) -> MessageKind {
    match m {
        Msg::Request { .. } => MessageKind::Request,
        Msg::Reply { .. } => MessageKind::Reply,
        Msg::Quorum(q) => match q {
            qcore::quorum::Msg::Query { .. } | qcore::quorum::Msg::QueryReply { .. } => {
                MessageKind::Query
            }
            qcore::quorum::Msg::Store { .. } => MessageKind::Store,
            qcore::quorum::Msg::StoreAck { .. } => MessageKind::Ack,
        },
        Msg::Paxos(p) => {
            use qcore::paxos::Msg as P;
            match p {
                P::Prepare { .. } | P::Promise { .. } | P::Query { .. } | P::Report { .. } => {
                    MessageKind::Query
                }
                P::Accept { .. } => MessageKind::Store,
                P::Accepted { .. } => MessageKind::Ack,
                P::Reject { .. } => MessageKind::Reject,
                P::Chosen { .. } => MessageKind::Announce,
            }
        }
        Msg::Zab(z) => {
            use qcore::zab::Msg as Z;
            match z {
                Z::Notification { .. } => MessageKind::Vote,
                Z::FollowerInfo { .. }
                | Z::LeaderInfo { .. }
                | Z::AckEpoch { .. }
                | Z::SyncReq { .. } => MessageKind::Query,
                Z::Sync { .. } | Z::NewLeader { .. } | Z::Proposal { .. } | Z::Forward { .. } => {
                    MessageKind::Store
                }
                Z::Ack { .. } => MessageKind::Ack,
                Z::UpToDate { .. } | Z::Commit { .. } | Z::Inform { .. } | Z::SyncDone { .. } => {
                    MessageKind::Announce
                }
                Z::Ping { .. } | Z::Pong => MessageKind::Heartbeat,
                Z::Refused => MessageKind::Reject,
            }
        }
        Msg::Eventual(e) => {
            use qcore::eventual::Msg as E;
            match e {
                E::Update(_) | E::Missing { .. } => MessageKind::Store,
                E::Digest { .. } => MessageKind::Query,
                E::Forward { .. } | E::TokenRequest { .. } => MessageKind::Request,
            }
        }
    }
}

/// Positions of `n` nodes on a ring and `c` clients in a column on the left.
fn layout(n: u32, c: u32, width: f64, height: f64, broken: bool) -> (Vec<Point>, Vec<Point>, f64) {
    // Room above for the header (more on a narrow canvas, where it wraps
    // and the banner goes under it, and more again for the header's line
    // naming a broken variant) and below for three lines of state.
    let narrow = width < 640.0;
    let top = 90.0 + if narrow { 30.0 } else { 0.0 } + if narrow && broken { 20.0 } else { 0.0 };
    let bottom = 90.0;
    let cx = width * 0.58;
    let cy = top + (height - top - bottom) * 0.5;
    let ring = (width * 0.36).min((height - top - bottom) * 0.5).max(40.0);
    let radius = crate::geometry::clamp(ring * PI / f64::from(n.max(3)) * 0.42, 10.0, 30.0);
    let nodes = (0..n)
        .map(|i| {
            let a = -PI / 2.0 + 2.0 * PI * f64::from(i) / f64::from(n);
            let (cos, sin) = crate::geometry::cos_sin(a);
            Point::new(cx + ring * cos, cy + ring * sin)
        })
        .collect();
    // Clients in a column on the left, below the header and above the legend.
    let (top, bottom) = (70.0, 30.0);
    let clients = (0..c)
        .map(|i| {
            let share = (f64::from(i) + 1.0) / (f64::from(c) + 1.0);
            Point::new(width * 0.08, top + (height - top - bottom) * share)
        })
        .collect();
    (nodes, clients, radius)
}

/// Offset a point perpendicular to the direction `a → b`, so the two
/// directions of a link are drawn side by side.
fn lane(a: Point, b: Point, p: Point, by: f64) -> Point {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len = dx.hypot(dy).max(1e-9);
    Point::new(p.x - dy / len * by, p.y + dx / len * by)
}

/// Where a message is drawn at progress `t` along its link.
#[must_use]
pub fn message_pos(from: Point, to: Point, t: f64) -> Point {
    lane(from, to, from.lerp(to, t), 4.0)
}

/// Group the nodes into sides: two nodes share a side when a healthy path
/// joins them (a link counts if either direction works).
fn sides(sim: &Sim, n: u32) -> Vec<u32> {
    let net = sim.world().net();
    let mut side: Vec<u32> = (0..n).collect();
    fn root(side: &mut [u32], x: u32) -> u32 {
        let mut r = x;
        while side[r as usize] != r {
            r = side[r as usize];
        }
        side[x as usize] = r;
        r
    }
    for a in 0..n {
        for b in (a + 1)..n {
            let (na, nb) = (Addr::Node(a), Addr::Node(b));
            let linked = net.link(na, nb) != LinkState::Partitioned
                || net.link(nb, na) != LinkState::Partitioned;
            if linked {
                let (ra, rb) = (root(&mut side, a), root(&mut side, b));
                side[ra.max(rb) as usize] = ra.min(rb);
            }
        }
    }
    // Renumber the roots 0, 1, 2… in node order.
    let mut names = Vec::new();
    (0..n)
        .map(|x| {
            let r = root(&mut side, x);
            if let Some(i) = names.iter().position(|&y| y == r) {
                u32::try_from(i).unwrap_or(0)
            } else {
                names.push(r);
                u32::try_from(names.len() - 1).unwrap_or(0)
            }
        })
        .collect()
}

fn outcome_label(o: &Outcome) -> String {
    match o {
        Outcome::Ok { value: Some(v), .. } => format!("ok {v}"),
        Outcome::Ok { value: None, .. } => "ok ∅".to_string(),
        Outcome::Fail(_) => "fail".to_string(),
        Outcome::Timeout => "timeout".to_string(),
    }
}

/// Project the simulation at (fractional) time `now` into a scene of the
/// given size. `now` should be within the tick the world has run to.
#[must_use]
pub fn project(sim: &Sim, now: f64, width: f64, height: f64) -> Scene {
    let world = sim.world();
    let n = u32::try_from(world.nodes().len()).unwrap_or(0);
    let c = u32::try_from(world.clients().len()).unwrap_or(0);
    let broken = match &world.scenario().protocol {
        qcore::ProtocolConfig::Paxos(p) => p.variant != qcore::paxos::Variant::Faithful,
        qcore::ProtocolConfig::Zab(z) => z.variant != qcore::zab::Variant::Faithful,
        _ => false,
    };
    let (node_pos, client_pos, radius) = layout(n, c, width, height, broken);
    let marks = world.highlights();
    // Vecs, not sets: a few members each, and collecting into a BTreeSet
    // costs the bundle a copy of the stable sort.
    let write: Vec<u32> = marks.write.iter().flat_map(|m| m.members.iter().copied()).collect();
    let read: Vec<u32> = marks.read.iter().flat_map(|m| m.members.iter().copied()).collect();
    let side = sides(sim, n);
    let sides_count = side.iter().copied().max().map_or(1, |m| m + 1);

    let flagged: Vec<u32> =
        world.violations().iter().flat_map(|(_, v)| v.nodes.iter().copied()).collect();
    let proto = &world.scenario().protocol;
    let nodes: Vec<NodeShape> = (0..n)
        .map(|i| {
            let slot = &world.nodes()[i as usize];
            let (role, name, value, details) = node_state(world, proto, i);
            NodeShape {
                id: i,
                pos: node_pos[i as usize],
                radius,
                up: slot.up,
                role,
                name,
                value,
                details,
                in_write_set: write.contains(&i),
                in_read_set: read.contains(&i),
                flagged: flagged.contains(&i),
                side: side[i as usize],
            }
        })
        .collect();

    let clients: Vec<ClientShape> = (0..c)
        .map(|i| {
            let cl = &world.clients()[i as usize];
            let pending =
                cl.pending.as_ref().map(|p| format!("{} → {}", p.op, node_name(proto, p.node)));
            let last = cl.last.as_ref().map(outcome_label);
            ClientShape { id: i, pos: client_pos[i as usize], radius: 14.0, pending, last }
        })
        .collect();

    let net = world.net();
    let mut links = Vec::new();
    for a in 0..n {
        for b in (a + 1)..n {
            let (na, nb) = (Addr::Node(a), Addr::Node(b));
            links.push(LinkShape {
                a: na,
                b: nb,
                a_pos: node_pos[a as usize],
                b_pos: node_pos[b as usize],
                ab: net.link(na, nb),
                ba: net.link(nb, na),
            });
        }
    }

    let pos_of = |a: Addr| match a {
        Addr::Node(x) => node_pos[x as usize],
        Addr::Client(x) => client_pos[x as usize],
    };
    // Messages waiting on one link queue up along it, oldest nearest the
    // receiver's end of the queue.
    // (A few links at most: a list, not a map, keeps the module small.)
    let mut waiting: Vec<(Addr, Addr)> = Vec::new();
    let messages = net
        .in_flight()
        .map(|m| {
            let (from, to) = (pos_of(m.from), pos_of(m.to));
            let (progress, held) = match m.deliver {
                Some(d) => (progress_at(m.sent, d, now), false),
                None => {
                    let ahead = waiting.iter().filter(|&&l| l == (m.from, m.to)).count();
                    waiting.push((m.from, m.to));
                    ((0.46 - 0.09 * ahead as f64).max(0.1), true)
                }
            };
            MessageShape {
                id: m.id,
                from: m.from,
                to: m.to,
                pos: message_pos(from, to, progress),
                progress,
                label: m.msg.label_in(proto),
                kind: kind(&m.msg),
                held,
                timing: m.deliver.map(|d| (m.sent, d)),
            }
        })
        .collect();

    let drops = recent_drops(sim, now, &pos_of);

    let partition_line = if sides_count == 2 {
        let centroid = |s: u32| {
            let pts: Vec<Point> = nodes.iter().filter(|x| x.side == s).map(|x| x.pos).collect();
            let k = pts.len().max(1) as f64;
            Point::new(
                pts.iter().map(|p| p.x).sum::<f64>() / k,
                pts.iter().map(|p| p.y).sum::<f64>() / k,
            )
        };
        let (p0, p1) = (centroid(0), centroid(1));
        let mid = p0.lerp(p1, 0.5);
        let (dx, dy) = (p1.x - p0.x, p1.y - p0.y);
        let len = dx.hypot(dy).max(1e-9);
        let reach = width.max(height);
        let (ux, uy) = (-dy / len * reach, dx / len * reach);
        Some((Point::new(mid.x + ux, mid.y + uy), Point::new(mid.x - ux, mid.y - uy)))
    } else {
        None
    };

    let header = match proto {
        qcore::ProtocolConfig::Quorum(q) => Header::Quorum { n: q.n, w: q.w, r: q.r },
        qcore::ProtocolConfig::Paxos(p) => Header::Paxos {
            proposers: p.proposers,
            acceptors: p.acceptors,
            learners: p.learners,
            backoff: p.backoff,
            variant: p.variant,
        },
        qcore::ProtocolConfig::Zab(z) => Header::Zab {
            voters: z.voters,
            observers: z.observers,
            sync_reads: z.sync_reads,
            variant: z.variant,
        },
        qcore::ProtocolConfig::Eventual(e) => Header::Eventual {
            replicas: e.replicas,
            delivery: e.delivery,
            session: e.session,
            anti_entropy: e.anti_entropy_ticks > 0,
        },
    };
    let chosen = world.paxos_checks().and_then(qcore::paxos::invariants::Invariants::chosen_value);
    // Most serious first (the rules are ordered by severity).
    let mut violations: Vec<_> = world.violations().iter().map(|(_, v)| v.clone()).collect();
    qcore::order::by_key(&mut violations, |v| v.rule as u128);
    Scene {
        width,
        height,
        now,
        nodes,
        clients,
        links,
        messages,
        drops,
        partition_line,
        sides: sides_count,
        header,
        chosen,
        violations,
    }
}

/// The display name of node `i`: `n3` for a replica, `A0` / `P1` / `L0` in
/// Paxos.
#[must_use]
pub fn node_name(proto: &qcore::ProtocolConfig, i: u32) -> String {
    match proto {
        qcore::ProtocolConfig::Quorum(_) => format!("n{i}"),
        qcore::ProtocolConfig::Paxos(p) => match (p.proposer_index(i), p.learner_index(i)) {
            (Some(j), _) => format!("P{j}"),
            (_, Some(k)) => format!("L{k}"),
            _ => format!("A{i}"),
        },
        qcore::ProtocolConfig::Zab(_) => format!("S{}", qcore::zab::ZabConfig::myid(i)),
        // Lecture 01's Server 1, Server 2, …
        qcore::ProtocolConfig::Eventual(_) => format!("S{}", i + 1),
    }
}

fn detail(text: String, disk: bool) -> Detail {
    Detail { text, disk }
}

/// Role, name, central value and state lines of node `i`. A crashed node
/// shows what survives on its disk.
fn node_state(
    world: &qcore::World,
    proto: &qcore::ProtocolConfig,
    i: u32,
) -> (Role, String, String, Vec<Detail>) {
    use qcore::node::Durable;
    use qcore::paxos::{self, Phase, Role as PRole};
    let slot = &world.nodes()[i as usize];
    let show = |v: Option<u64>| v.map_or_else(|| "∅".to_string(), |v| v.to_string());
    match proto {
        qcore::ProtocolConfig::Quorum(_) => {
            let (value, stamp) = if slot.up {
                world.quorum_replica(i).map(|r| (r.value(), r.stamp())).unwrap_or_default()
            } else {
                match &slot.disk {
                    Some(Durable::Quorum(d)) => (d.value, d.stamp),
                    _ => Default::default(),
                }
            };
            (Role::Replica, node_name(proto, i), show(value), vec![detail(stamp.to_string(), true)])
        }
        qcore::ProtocolConfig::Paxos(cfg) => {
            let pair = |p: Option<(u64, u64)>| {
                p.map_or_else(|| "–".to_string(), |(n, v)| format!("({n},{v})"))
            };
            if cfg.learner_index(i).is_some() {
                return learner_state(world, cfg, i);
            }
            if cfg.proposer_index(i).is_some() {
                let name = node_name(proto, i);
                let round = match (&slot.disk, world.paxos_node(i).map(|x| &x.role)) {
                    (_, Some(PRole::Proposer(p))) if slot.up => p.round,
                    (Some(Durable::Paxos(paxos::Durable::Proposer { round })), _) => *round,
                    _ => 0,
                };
                let mut details = vec![detail(format!("i={round}"), true)];
                let mut value = "–".to_string();
                if let (true, Some(PRole::Proposer(p))) =
                    (slot.up, world.paxos_node(i).map(|x| &x.role))
                {
                    value = p.value.map_or("–".to_string(), |v| v.to_string());
                    let phase = match &p.phase {
                        Phase::Idle => "idle".to_string(),
                        Phase::Preparing { n, promises } => {
                            format!("prepare {} · {}✓", cfg.explain(*n), promises.len())
                        }
                        Phase::Accepting { n, v, accepted } => {
                            format!("accept ({n},{v}) · {}✓", accepted.len())
                        }
                        Phase::BackingOff => "back-off".to_string(),
                    };
                    details.push(detail(phase, false));
                    if let Some((_, v)) = p.learned {
                        details.push(detail(format!("learned {v}"), false));
                    }
                }
                (Role::Proposer, name, value, details)
            } else {
                let (max_n, accepted, learned) =
                    match (slot.up, world.paxos_node(i).map(|x| &x.role), &slot.disk) {
                        (true, Some(PRole::Acceptor(a)), _) => (a.max_n, a.accepted, a.learned),
                        (
                            false,
                            _,
                            Some(Durable::Paxos(paxos::Durable::Acceptor { max_n, accepted })),
                        ) => (*max_n, *accepted, None),
                        _ => (0, None, None),
                    };
                let mut details = vec![
                    detail(
                        format!(
                            "Max_N {}",
                            if max_n == 0 { "–".to_string() } else { max_n.to_string() }
                        ),
                        true,
                    ),
                    detail(format!("acc {}", pair(accepted)), true),
                ];
                if let Some((_, v)) = learned {
                    details.push(detail(format!("learned {v}"), false));
                }
                (
                    Role::Acceptor,
                    node_name(proto, i),
                    accepted.map_or("–".to_string(), |(_, v)| v.to_string()),
                    details,
                )
            }
        }
        qcore::ProtocolConfig::Zab(cfg) => zab_state(world, cfg, i),
        qcore::ProtocolConfig::Eventual(_) => eventual_state(world, i),
    }
}

/// A Paxos learner: what it learned, or how its reading of the acceptors
/// stands (answers so far, and the most answers naming one proposal).
fn learner_state(
    world: &qcore::World,
    cfg: &qcore::paxos::PaxosConfig,
    i: u32,
) -> (Role, String, String, Vec<Detail>) {
    use qcore::paxos::Role as PRole;
    let name = node_name(&world.scenario().protocol, i);
    let up = world.nodes()[i as usize].up;
    let Some(PRole::Learner(l)) = world.paxos_node(i).filter(|_| up).map(|x| &x.role) else {
        return (Role::Learner, name, "–".to_string(), Vec::new());
    };
    let mut details = Vec::new();
    if let Some((n, v)) = l.learned {
        details.push(detail(format!("learned ({n},{v})"), false));
    } else if let Some(answers) = &l.answers {
        let best = l.best_proposal();
        let votes = best.map_or(String::new(), |((n, v), c)| format!(" · ({n},{v})×{c}"));
        let got = answers.len();
        details.push(detail(format!("read {got}/{}{votes}", cfg.acceptors), false));
    }
    let value = l.learned.map_or("–".to_string(), |(_, v)| v.to_string());
    (Role::Learner, name, value, details)
}

/// A replica of the eventually consistent store: X as its value, every other
/// key it holds with its stamp, its version vector and what causal delivery
/// holds back. A crashed replica shows the writes on its disk.
fn eventual_state(world: &qcore::World, i: u32) -> (Role, String, String, Vec<Detail>) {
    use qcore::eventual::{show_vv, Replica, KEYS};
    use qcore::node::Durable;
    let slot = &world.nodes()[i as usize];
    let proto = &world.scenario().protocol;
    let name = node_name(proto, i);
    // A crashed replica: rebuild the view from its disk.
    let from_disk;
    let r: &Replica = match world.eventual_replica(i).filter(|_| slot.up) {
        Some(r) => r,
        None => {
            let qcore::ProtocolConfig::Eventual(cfg) = proto else {
                return (Role::Replica, name, "∅".into(), Vec::new());
            };
            let mut x = Replica::new(i, cfg.clone());
            let ctx = qcore::node::Ctx { now: 0, me: i, random: 0 };
            let disk = match &slot.disk {
                Some(Durable::Eventual(d)) => Some(d),
                _ => None,
            };
            x.on_start(&ctx, disk, &mut qcore::Out::default());
            from_disk = x;
            &from_disk
        }
    };
    let show = |v: Option<u64>| v.map_or_else(|| "∅".to_string(), |v| v.to_string());
    let mut details = Vec::new();
    let (x, stamp) = r.get(0);
    details.push(detail(stamp.to_string(), true));
    for k in 1..KEYS {
        if let (Some(v), s) = r.get(k) {
            details.push(detail(format!("{}={v} {s}", qcore::types::key_name(k)), true));
        }
    }
    details.push(detail(format!("vv {}", show_vv(r.version_vector())), true));
    if r.queued() > 0 {
        details.push(detail(format!("queue {}", r.queued()), false));
    }
    if !r.pending().is_empty() {
        details.push(detail(format!("held {}", r.pending().len()), false));
    }
    (Role::Replica, name, show(x), details)
}

/// A Zab server: state (and vote while LOOKING), epochs, last and committed
/// zxid, and the tail of its log with committed entries ticked. A crashed
/// server shows its disk.
fn zab_state(
    world: &qcore::World,
    cfg: &qcore::zab::ZabConfig,
    i: u32,
) -> (Role, String, String, Vec<Detail>) {
    use qcore::node::Durable;
    use qcore::zab::{self, show as z, ServerState};
    let slot = &world.nodes()[i as usize];
    let name = format!("S{}", zab::ZabConfig::myid(i));
    let observer = cfg.is_observer(i);
    let server = world.zab_server(i).filter(|_| slot.up);
    let (acc, cur, snap, log, committed) = match (server, &slot.disk) {
        (Some(x), _) => (x.accepted_epoch, x.current_epoch, x.snap, &x.log[..], x.committed),
        (None, Some(Durable::Zab(d))) => {
            (d.accepted_epoch, d.current_epoch, d.snap, &d.log[..], d.snap.0)
        }
        _ => (0, 0, (0, None), &[][..], 0),
    };
    let last = log.last().map_or(snap.0, |t| t.zxid);
    let mut details = Vec::new();
    let role = match server.map(|x| (x.state, x)) {
        Some((ServerState::Leading, x)) => {
            let epoch = match &x.role {
                zab::Role::Leader(l) if l.epoch > 0 => format!("LEADING e{}", l.epoch),
                _ => "LEADING".to_string(),
            };
            details.push(detail(epoch, false));
            Role::Leader
        }
        Some((ServerState::Following | ServerState::Observing, x)) => {
            let who =
                x.leader().map_or(String::new(), |l| format!(" S{}", zab::ZabConfig::myid(l)));
            let st = if observer { "OBSERVING" } else { "FOLLOWING" };
            details.push(detail(format!("{st}{who}"), false));
            if observer {
                Role::Observer
            } else {
                Role::Follower
            }
        }
        Some((ServerState::Looking, x)) => {
            let v = x.vote;
            let vote = if observer {
                "LOOKING".to_string()
            } else {
                format!("LOOKING ({}, {}, {})", v.epoch, z(v.zxid), zab::ZabConfig::myid(v.leader))
            };
            details.push(detail(vote, false));
            Role::Looking
        }
        None => {
            if observer {
                Role::Observer
            } else {
                Role::Follower
            }
        }
    };
    details.push(detail(format!("epoch {cur} · acc {acc}"), true));
    details.push(detail(format!("last {} · ✓{}", z(last), z(committed)), true));
    // Where the log was folded into a snapshot (ZooKeeper's snapCount).
    if snap.0 > 0 {
        details.push(detail(format!("snap {}", z(snap.0)), true));
    }
    // The last three log entries, committed ones ticked.
    let tail: Vec<String> = log
        .iter()
        .rev()
        .take(3)
        .rev()
        .map(|t| {
            let tick = if t.zxid <= committed { "✓" } else { "" };
            format!("{}={}{tick}", z(t.zxid), t.value)
        })
        .collect();
    if !tail.is_empty() {
        details.push(detail(tail.join(" "), true));
    }
    let value = match server {
        Some(x) => x.value,
        None => snap.1,
    };
    let value = value.map_or_else(|| "∅".to_string(), |v| v.to_string());
    (role, name, value, details)
}

/// Messages dropped in the last [`DROP_FADE_TICKS`], placed where they were.
/// How far along its link a message sent at `sent` and due at `due` is at
/// `now`: 0 at the sender, 1 at the receiver.
fn progress_at(sent: u64, due: u64, now: f64) -> f64 {
    let span = (due.saturating_sub(sent)).max(1) as f64;
    crate::geometry::clamp((now - sent as f64) / span, 0.0, 1.0)
}

/// Whether a message dropped at `tick` is still marked at `now`.
fn still_fading(tick: u64, now: f64) -> bool {
    tick as f64 >= now - DROP_FADE_TICKS
}

/// How fresh the mark of a message dropped at `tick` is at `now`.
fn fresh_at(tick: u64, now: f64) -> f64 {
    crate::geometry::clamp(1.0 - (now - tick as f64) / DROP_FADE_TICKS, 0.0, 1.0)
}

fn recent_drops(sim: &Sim, now: f64, pos_of: &dyn Fn(Addr) -> Point) -> Vec<DropShape> {
    let trace = sim.trace();
    let mut out = Vec::new();
    // Walk back from the end; the trace is in tick order.
    for (i, e) in trace.iter().enumerate().rev() {
        if !still_fading(e.tick, now) {
            break;
        }
        let Happened::Dropped { msg, from, to, reason } = e.what else {
            continue;
        };
        // Find when it was sent (a bounded look back).
        let sent = trace[..i].iter().rev().take(4_000).find_map(|s| match s.what {
            Happened::Sent { msg: m, deliver, .. } if m == msg => Some((s.tick, deliver)),
            _ => None,
        });
        let t = match (reason, sent) {
            (DropReason::Lost | DropReason::NodeDown, _) => 0.92,
            (_, Some((s, Some(d)))) if d > s => {
                crate::geometry::clamp((e.tick as f64 - s as f64) / (d - s) as f64, 0.0, 1.0)
            }
            _ => 0.15,
        };
        let (a, b) = (pos_of(from), pos_of(to));
        out.push(DropShape {
            pos: message_pos(a, b, t),
            fresh: fresh_at(e.tick, now),
            reason,
            tick: e.tick,
        });
    }
    out
}
