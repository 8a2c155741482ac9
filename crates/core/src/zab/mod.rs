//! # Zab, ZooKeeper's atomic broadcast (lecture 04; Junqueira, Reed and
//! Serafini, *Zab: High-performance broadcast for primary-backup systems*)
//!
//! ZooKeeper keeps every replica in step with a primary-backup scheme: one
//! server, the **leader**, orders every write; the others are **followers**
//! (they vote) or **observers** (they only learn). A server is in one of four
//! states: LOOKING (electing), FOLLOWING, LEADING or OBSERVING.
//!
//! **Zxid.** Every transaction has a 64-bit id: the leader's *epoch* in the
//! high 32 bits and a counter in the low 32 — `zxid = epoch << 32 | counter`,
//! shown here as `epoch:counter`. Each new leader starts a new epoch, so the
//! high half says which leader ordered a transaction and the low half its
//! place in that leader's sequence.
//!
//! **Broadcast.** All writes go to the leader (a follower or observer
//! forwards them). The leader wraps a write as a PROPOSAL with the next
//! zxid, logs it, and puts it on a separate FIFO queue for each follower —
//! here a FIFO link that behaves like a TCP connection. A follower **writes
//! the proposal to disk before it ACKs**. Once a quorum has ACKed — more
//! than half of the voters, the leader itself included; observers never
//! count — the leader commits and sends COMMIT; followers commit in zxid
//! order. Observers are sent INFORM with each committed transaction. Reads
//! are answered locally by whichever server the client talks to, so a
//! lagging follower can return an old value: writes are linearizable, reads
//! only sequentially consistent — unless the client calls `sync` first.
//!
//! **Crash recovery** starts when the cluster starts, when the leader
//! crashes, and when the leader loses contact with a quorum (no heartbeat
//! answers within the sync limit). It has three parts:
//!
//! 1. *Election* (ZooKeeper's fast leader election). A LOOKING server votes
//!    for itself and sends its vote `(epoch, zxid, myid)` to every voter. A
//!    vote is better if its epoch is higher, then its last zxid, then its
//!    myid. A server that receives a better vote adopts it and sends it on.
//!    When more than half of the voters agree — and no better vote arrives
//!    for a short while — the chosen server becomes LEADING and the others
//!    FOLLOWING (observers OBSERVING). Because votes compare zxids, the
//!    winner holds every committed transaction; ZooKeeper makes the winner's
//!    history authoritative, which is why the election must compare them.
//! 2. *Discovery.* Followers send FOLLOWERINFO with their acceptedEpoch; the
//!    leader proposes a new epoch one above the largest acceptedEpoch of a
//!    quorum (LEADERINFO); each follower writes acceptedEpoch to disk and
//!    answers ACKEPOCH with its currentEpoch and last zxid.
//! 3. *Synchronization.* The leader brings each follower up to date — DIFF
//!    (send what it lacks), TRUNC (drop what the leader does not have, which
//!    was never committed) or SNAP (a whole snapshot) — then sends NEWLEADER
//!    `e:0`. A follower sets currentEpoch = e, writes it and ACKs. Once a
//!    quorum has ACKed NEWLEADER the leader is *established*: it commits its
//!    history, sends UPTODATE, and broadcast resumes with `e:1`, `e:2`, …
//!
//! A message lost on a FIFO link breaks the connection; the follower stops
//! hearing the leader, goes back to LOOKING, finds the leader again,
//! reconnects and is re-synced — never a silent gap (a proposal whose
//! predecessor is not the follower's last logged zxid also ends the session).
//!
//! Four deliberately broken variants exist so the checks can be seen to work:
//! the leader commits before a quorum ACKs; the election ignores zxids
//! (epoch, then myid); a
//! follower ACKs before writing to disk; acceptedEpoch is written only after
//! it was used.

pub mod explore;
pub mod invariants;
mod nodemap;
mod sync;

use std::rc::Rc;

use serde::{Deserialize, Serialize};

use crate::node::{self, Ctx, Out};
use crate::small::edit;
use crate::types::{Addr, ClientOp, FailReason, OpResult, Stamp, Tick};

pub use nodemap::NodeMap;
pub use sync::plan_sync;

/// A transaction id: epoch in the high 32 bits, counter in the low 32.
pub type Zxid = u64;

#[must_use]
pub fn zxid(epoch: u32, counter: u32) -> Zxid {
    (u64::from(epoch) << 32) | u64::from(counter)
}

#[must_use]
pub fn epoch_of(z: Zxid) -> u32 {
    u32::try_from(z >> 32).expect("the high half of a u64 fits in u32")
}

#[must_use]
pub fn counter_of(z: Zxid) -> u32 {
    u32::try_from(z & 0xffff_ffff).expect("masked to 32 bits")
}

/// `epoch:counter`, the way the lessons show a zxid.
#[must_use]
pub fn show(z: Zxid) -> String {
    format!("{}:{}", epoch_of(z), counter_of(z))
}

/// Which rules the servers follow.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Variant {
    /// Zab as ZooKeeper implements it.
    #[default]
    Faithful,
    /// BROKEN: the leader commits a proposal as soon as it logged it itself.
    CommitBeforeQuorum,
    /// BROKEN: the election skips the lecture's second rule: it compares
    /// epochs, then myids, never zxids. A liveness bug, not lost data: the
    /// stale winner's fresher followers refuse it, and elections loop.
    ElectionIgnoresZxid,
    /// BROKEN: a follower ACKs each proposal at once but writes them to disk
    /// in batches of four (a group commit that acknowledges too early).
    AckBeforePersist,
    /// BROKEN: acceptedEpoch is written to disk only at NEWLEADER, after the
    /// follower already promised it in ACKEPOCH.
    EpochPersistLate,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ZabConfig {
    /// Voting servers (followers and the leader), 3–7.
    pub voters: u32,
    /// Observers, 0–3. Nodes `voters..voters + observers`.
    pub observers: u32,
    /// The leader pings its learners this often.
    pub heartbeat_ticks: u32,
    /// A follower that hears nothing from its leader for this long, or a
    /// leader that hears from less than a quorum for this long, gives up and
    /// goes LOOKING (ZooKeeper's syncLimit). Also bounds discovery and sync.
    pub sync_limit_ticks: u32,
    /// A LOOKING server re-sends its vote this often; once a quorum agrees it
    /// waits a fifth of this for a better vote before deciding.
    pub election_ticks: u32,
    /// Clients call `sync` before every read: the server asks the leader to
    /// flush what is in flight first, so the read is not stale.
    pub sync_reads: bool,
    pub variant: Variant,
}

impl ZabConfig {
    #[must_use]
    pub fn nodes(&self) -> u32 {
        self.voters + self.observers
    }
    /// More than half of the voters (observers never count).
    #[must_use]
    pub fn majority(&self) -> usize {
        self.voters as usize / 2 + 1
    }
    #[must_use]
    pub fn is_observer(&self, node: u32) -> bool {
        node >= self.voters
    }
    /// The myid in zoo.cfg: node 0 is Server1.
    #[must_use]
    pub fn myid(node: u32) -> u32 {
        node + 1
    }
    fn finalize_wait(&self) -> Tick {
        Tick::from(self.election_ticks / 5).max(1)
    }
}

/// A server's state.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum ServerState {
    #[default]
    Looking,
    Following,
    Leading,
    Observing,
}

/// A vote: for server `leader`, whose currentEpoch is `epoch` and last zxid
/// `zxid`. The field order is the comparison order of the lecture: epoch,
/// then zxid, then myid.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Vote {
    pub epoch: u32,
    pub zxid: Zxid,
    pub leader: u32,
}

/// A logged transaction: the register's new value under its zxid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Txn {
    pub zxid: Zxid,
    pub value: u64,
}

/// Where a write came from, so the server the client talks to can answer it
/// once the write is committed there.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Origin {
    pub server: u32,
    pub client: u32,
    pub op_id: u64,
}

/// How the leader brings a learner up to date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum SyncKind {
    /// Send only the transactions the learner lacks.
    Diff,
    /// Drop every logged transaction after `to` (the leader never had them),
    /// then apply the transactions sent.
    Trunc { to: Zxid },
    /// Replace everything with the leader's snapshot, then apply the rest.
    Snap { zxid: Zxid, value: Option<u64> },
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Msg {
    /// An election notification: the sender's vote, its election round
    /// (ZooKeeper's logical clock) and its state.
    Notification {
        vote: Vote,
        round: u64,
        state: ServerState,
    },
    /// A learner connects to its leader (FOLLOWERINFO, or OBSERVERINFO).
    FollowerInfo {
        accepted_epoch: u32,
        last_zxid: Zxid,
        observer: bool,
    },
    /// The leader's proposed new epoch.
    LeaderInfo {
        epoch: u32,
    },
    AckEpoch {
        current_epoch: u32,
        last_zxid: Zxid,
    },
    Sync {
        kind: SyncKind,
        txns: Vec<Txn>,
    },
    NewLeader {
        zxid: Zxid,
    },
    /// ACK of NEWLEADER (`zxid` = `e:0`) or, cumulatively, of every proposal
    /// up to `zxid`.
    Ack {
        zxid: Zxid,
    },
    UpToDate {
        committed: Zxid,
    },
    /// `prev` is the zxid the leader logged just before, so a follower can
    /// tell a gap.
    Proposal {
        txn: Txn,
        prev: Zxid,
        origin: Option<Origin>,
    },
    /// Commit everything up to `zxid`.
    Commit {
        zxid: Zxid,
    },
    /// A committed transaction, for observers; `prev` is the one before.
    Inform {
        txn: Txn,
        prev: Zxid,
        origin: Option<Origin>,
    },
    /// A learner passes a client's write to the leader.
    Forward {
        origin: Origin,
        value: u64,
    },
    Ping {
        committed: Zxid,
    },
    Pong,
    /// `sync`: flush the pipeline to this learner before it reads.
    SyncReq {
        origin: Origin,
    },
    SyncDone {
        origin: Origin,
        zxid: Zxid,
    },
    /// A server that is not leading refuses a learner's connection (like a
    /// TCP connection to a port nobody listens on).
    Refused,
}

impl Msg {
    /// The label drawn on the message.
    #[must_use]
    pub fn label(&self) -> String {
        match self {
            Msg::Notification { vote, .. } => {
                format!(
                    "vote({}, {}, S{})",
                    vote.epoch,
                    show(vote.zxid),
                    ZabConfig::myid(vote.leader)
                )
            }
            Msg::FollowerInfo { accepted_epoch, observer, .. } => {
                let what = if *observer { "OBSERVERINFO" } else { "FOLLOWERINFO" };
                format!("{what} {accepted_epoch}")
            }
            Msg::LeaderInfo { epoch } => format!("LEADERINFO {epoch}"),
            Msg::AckEpoch { current_epoch: EPOCH_NOT_ACCEPTED, last_zxid } => {
                format!("ACKEPOCH -1 {}", show(*last_zxid))
            }
            Msg::AckEpoch { current_epoch, last_zxid } => {
                format!("ACKEPOCH {current_epoch} {}", show(*last_zxid))
            }
            Msg::Sync { kind: SyncKind::Diff, txns } => format!("DIFF +{}", txns.len()),
            Msg::Sync { kind: SyncKind::Trunc { to }, txns } => {
                format!("TRUNC {} +{}", show(*to), txns.len())
            }
            Msg::Sync { kind: SyncKind::Snap { zxid, .. }, txns } => {
                format!("SNAP {} +{}", show(*zxid), txns.len())
            }
            Msg::NewLeader { zxid } => format!("NEWLEADER {}", show(*zxid)),
            Msg::Ack { zxid } => format!("ACK {}", show(*zxid)),
            Msg::UpToDate { .. } => "UPTODATE".to_string(),
            Msg::Proposal { txn, .. } => format!("PROPOSAL {} ={}", show(txn.zxid), txn.value),
            Msg::Commit { zxid } => format!("COMMIT {}", show(*zxid)),
            Msg::Inform { txn, .. } => format!("INFORM {} ={}", show(txn.zxid), txn.value),
            Msg::Forward { value, .. } => format!("fwd put {value}"),
            Msg::Ping { .. } => "PING".to_string(),
            Msg::Pong => "pong".to_string(),
            Msg::SyncReq { .. } => "SYNC".to_string(),
            Msg::SyncDone { zxid, .. } => format!("SYNC {}", show(*zxid)),
            Msg::Refused => "refused".to_string(),
        }
    }
}

/// What a server keeps on disk: its epochs, a snapshot of the committed
/// register, and the transaction log after the snapshot.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Durable {
    pub accepted_epoch: u32,
    pub current_epoch: u32,
    pub snap: (Zxid, Option<u64>),
    /// Shared with the server that wrote it, until either changes.
    pub log: Rc<Vec<Txn>>,
}

/// What the viewer and the invariant checker are told.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Note {
    /// The server went LOOKING, with its first vote (for itself).
    Looking { vote: Vote, round: u64, why: LookingWhy },
    /// It adopted a better vote received from `from`.
    VoteChanged { vote: Vote, from: u32 },
    /// More than half of the voters agreed on a vote; the server decided.
    Decided { vote: Vote, state: ServerState, last_zxid: Zxid },
    /// A leader proposed a new epoch from a quorum's acceptedEpochs.
    NewEpoch { epoch: u32, members: Vec<u32> },
    /// The leader's sync plan for one learner.
    Synced { learner: u32, kind: SyncKind, txns: u32 },
    /// A learner truncated its log after `to`.
    Truncated { to: Zxid },
    /// A learner installed a snapshot.
    Snapshot { zxid: Zxid, value: Option<u64> },
    /// A quorum ACKed NEWLEADER: the leader is established in `epoch`.
    Established { epoch: u32, last_zxid: Zxid, members: Vec<u32> },
    /// The leader proposed a transaction.
    Proposed { zxid: Zxid },
    /// A quorum ACKed a proposal.
    AckQuorum { zxid: Zxid, members: Vec<u32> },
    /// The server delivered (committed and applied) a transaction.
    Delivered { zxid: Zxid, value: u64 },
    /// After a restart: the snapshot on disk is what the server knows
    /// committed, and the epoch it accepted last.
    Restored { zxid: Zxid, value: Option<u64>, accepted_epoch: u32 },
    /// The server accepted a new epoch (a leader proposing it, or a follower
    /// answering ACKEPOCH).
    EpochAccepted { epoch: u32 },
}

/// Why a server started LOOKING.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LookingWhy {
    /// The cluster (or this server) started.
    Start,
    /// A follower heard nothing from its leader within the sync limit.
    LeaderSilent,
    /// The leader heard from less than a quorum within the sync limit.
    LostQuorum,
    /// Discovery or synchronization did not finish in time.
    SyncTimeout,
    /// The stream from the leader had a gap (a broken connection).
    Gap,
    /// A follower's history is ahead of the leader's, or the leader's epoch
    /// is behind the follower's: this leader cannot lead.
    Refused,
}

const ELECTION_TIMER: u64 = 1;
const FINALIZE_TIMER: u64 = 2;
/// The leader's heartbeat; a learner's "leader silent" deadline.
pub const TICK_TIMER: u64 = 3;
const INIT_TIMER: u64 = 4;

/// ACKEPOCH's epoch from a follower that had already accepted the offered
/// epoch (ZooKeeper sends −1).
pub const EPOCH_NOT_ACCEPTED: u32 = u32::MAX;
/// A learner whose connection was refused (its leader had not started
/// leading yet) tries again: ZooKeeper's learners retry the connection.
const CONNECT_TIMER: u64 = 5;

/// Committed log entries folded into the snapshot once there are this many,
/// so what is written to disk stays small (ZooKeeper's snapCount).
const SNAP_EVERY: usize = 16;

/// A learner's progress through discovery and synchronization.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LearnerPhase {
    /// Sent FOLLOWERINFO, waiting for LEADERINFO.
    Discovery,
    /// Sent ACKEPOCH, waiting for the sync (and then NEWLEADER).
    Syncing { got_sync: bool },
    /// ACKed NEWLEADER; logs proposals, waits for UPTODATE.
    Synced,
    /// Up to date: serving clients.
    Serving,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LearnerRole {
    pub leader: u32,
    pub phase: LearnerPhase,
    last_heard: Tick,
    /// Client operations waiting for a zxid to commit here (writes) or for a
    /// `sync` to come back (reads).
    waiting: Vec<(Zxid, u32, u64)>,
}

/// Where the leader is with one learner.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Stage {
    /// FOLLOWERINFO received.
    Info { accepted_epoch: u32 },
    /// ACKEPOCH received, sync not sent yet. `counted`: the learner took
    /// the epoch just now, so it counts towards the epoch's quorum.
    EpochAcked { last_zxid: Zxid, counted: bool },
    /// Sync and NEWLEADER sent; the learner's log is the leader's up to `to`.
    Synced { to: Zxid },
    /// NEWLEADER ACKed.
    Ready,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Learner {
    pub stage: Stage,
    pub observer: bool,
    heard: Tick,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LeaderPhase {
    /// Waiting for a quorum of FOLLOWERINFO to pick the epoch.
    Discovery,
    /// Epoch proposed; waiting for a quorum of ACKEPOCH.
    EpochProposed,
    /// Syncing; waiting for a quorum of NEWLEADER ACKs.
    Sync,
    /// Established: broadcasting.
    Broadcast,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LeaderRole {
    pub phase: LeaderPhase,
    /// The new epoch (0 until chosen).
    pub epoch: u32,
    pub learners: NodeMap<Learner>,
    counter: u32,
    /// Uncommitted proposals in zxid order, with who has ACKed each.
    pub outstanding: Vec<Outstanding>,
    /// `sync` requests waiting for a zxid to commit.
    pending_syncs: Vec<(Zxid, u32, Origin)>,
}

/// A proposal waiting for its quorum.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Outstanding {
    pub zxid: Zxid,
    /// Bit `i` set: node `i` ACKed (the leader included).
    pub acks: u32,
    origin: Option<Origin>,
}

impl Outstanding {
    /// The nodes that ACKed, in order.
    #[must_use]
    pub fn members(&self) -> Vec<u32> {
        (0..32).filter(|i| self.acks & (1 << i) != 0).collect()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    Looking,
    Learner(LearnerRole),
    Leader(LeaderRole),
}

/// One ZooKeeper server.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Server {
    pub id: u32,
    pub cfg: ZabConfig,
    // ---- on disk ----
    pub accepted_epoch: u32,
    pub current_epoch: u32,
    pub snap: (Zxid, Option<u64>),
    /// Shared with the disk and with earlier copies of the server (a
    /// search keeps many) until a step changes it: most steps do not.
    pub log: Rc<Vec<Txn>>,
    /// A broken variant's write that is still pending.
    /// Logged proposals not yet on disk (only the broken variant has any).
    unwritten: u8,
    // ---- in memory ----
    pub state: ServerState,
    pub committed: Zxid,
    pub value: Option<u64>,
    pub round: u64,
    pub vote: Vote,
    /// This round's latest vote of each voter (LOOKING).
    pub votes: NodeMap<Vote>,
    /// Votes of servers already FOLLOWING or LEADING, with their state.
    out_of_election: NodeMap<(Vote, ServerState)>,
    pub role: Role,
}

fn send(out: &mut Out, to: u32, m: Msg) {
    out.send(Addr::Node(to), node::Msg::Zab(m));
}

fn note(out: &mut Out, n: Note) {
    out.note(node::Note::Zab(n));
}

/// A cumulative ACK: `peer` has logged every proposal up to `z`.
fn ack_upto(outstanding: &mut [Outstanding], z: Zxid, peer: u32) {
    for o in outstanding.iter_mut().take_while(|o| o.zxid <= z) {
        o.acks |= 1 << peer;
    }
}

fn stamp(z: Zxid) -> Stamp {
    Stamp { counter: z, writer: 0 }
}

impl Server {
    #[must_use]
    pub fn new(id: u32, cfg: ZabConfig) -> Self {
        Server {
            id,
            cfg,
            accepted_epoch: 0,
            current_epoch: 0,
            snap: (0, None),
            log: Rc::default(),
            unwritten: 0,
            state: ServerState::Looking,
            committed: 0,
            value: None,
            round: 0,
            vote: Vote::default(),
            votes: NodeMap::default(),
            out_of_election: NodeMap::default(),
            role: Role::Looking,
        }
    }

    /// The last zxid in the log (or the snapshot's).
    #[must_use]
    pub fn last_zxid(&self) -> Zxid {
        self.log.last().map_or(self.snap.0, |t| t.zxid)
    }

    /// The leader this server follows or is, once decided.
    #[must_use]
    pub fn leader(&self) -> Option<u32> {
        match &self.role {
            Role::Looking => None,
            Role::Learner(l) => Some(l.leader),
            Role::Leader(_) => Some(self.id),
        }
    }

    /// Serving clients: an established leader, or an up-to-date learner.
    #[must_use]
    pub fn serving(&self) -> bool {
        match &self.role {
            Role::Looking => false,
            Role::Learner(l) => l.phase == LearnerPhase::Serving,
            Role::Leader(l) => l.phase == LeaderPhase::Broadcast,
        }
    }

    fn durable(&self) -> Durable {
        Durable {
            accepted_epoch: self.accepted_epoch,
            current_epoch: self.current_epoch,
            snap: self.snap,
            log: self.log.clone(),
        }
    }

    fn persist(&mut self, out: &mut Out) {
        self.unwritten = 0;
        out.persist(node::Durable::Zab(self.durable()));
    }

    fn voters(&self) -> impl Iterator<Item = u32> + '_ {
        (0..self.cfg.voters).filter(move |&v| v != self.id)
    }

    // ---- start, crash recovery ----

    pub fn on_start(&mut self, ctx: &Ctx, storage: Option<&Durable>, out: &mut Out) {
        if let Some(d) = storage {
            self.accepted_epoch = d.accepted_epoch;
            self.current_epoch = d.current_epoch;
            self.snap = d.snap;
            self.log = d.log.clone();
            // Only the snapshot is known to be committed; the rest of the
            // log is settled by the next synchronization.
            (self.committed, self.value) = self.snap;
            let accepted_epoch = self.accepted_epoch;
            note(out, Note::Restored { zxid: self.snap.0, value: self.snap.1, accepted_epoch });
        }
        self.go_looking(ctx, LookingWhy::Start, out);
    }

    /// Enter crash recovery: a new election round, voting for oneself.
    fn go_looking(&mut self, _ctx: &Ctx, why: LookingWhy, out: &mut Out) {
        self.state = ServerState::Looking;
        self.role = Role::Looking;
        self.round += 1;
        self.vote = self.initial_vote();
        // Our own vote joins the tally with the first vote heard this round
        // (see `on_notification`): nothing counts votes before that.
        self.votes.clear();
        self.out_of_election.clear();
        out.cancel_timer(TICK_TIMER);
        out.cancel_timer(INIT_TIMER);
        out.cancel_timer(FINALIZE_TIMER);
        out.cancel_timer(CONNECT_TIMER);
        note(out, Note::Looking { vote: self.vote, round: self.round, why });
        self.broadcast_vote(out);
        out.set_timer(ELECTION_TIMER, Tick::from(self.cfg.election_ticks));
    }

    fn initial_vote(&self) -> Vote {
        Vote { epoch: self.current_epoch, zxid: self.last_zxid(), leader: self.id }
    }

    fn notification(&self) -> Msg {
        Msg::Notification { vote: self.vote, round: self.round, state: self.state }
    }

    fn broadcast_vote(&self, out: &mut Out) {
        for v in self.voters() {
            send(out, v, self.notification());
        }
    }

    /// The lecture's order: epoch, then zxid, then myid.
    fn better(&self, a: &Vote, b: &Vote) -> bool {
        if self.cfg.variant == Variant::ElectionIgnoresZxid {
            (a.epoch, a.leader) > (b.epoch, b.leader)
        } else {
            a > b
        }
    }

    fn agreeing(&self, votes: &NodeMap<Vote>, vote: &Vote) -> usize {
        votes.iter().filter(|&(v, x)| !self.cfg.is_observer(v) && x == vote).count()
    }

    fn on_notification(
        &mut self,
        ctx: &Ctx,
        from: u32,
        vote: Vote,
        round: u64,
        state: ServerState,
        out: &mut Out,
    ) {
        let from_observer = self.cfg.is_observer(from);
        if self.state != ServerState::Looking {
            // Tell a LOOKING server who leads (only voters answer).
            if state == ServerState::Looking && !self.cfg.is_observer(self.id) {
                send(out, from, self.notification());
            }
            return;
        }
        if from_observer {
            return; // observers do not vote
        }
        let me_observer = self.cfg.is_observer(self.id);
        if state == ServerState::Looking {
            if me_observer {
                return;
            }
            if round > self.round {
                // A newer round: start over from our own vote.
                self.round = round;
                self.votes.clear();
                let mine = self.initial_vote();
                self.vote = if self.better(&vote, &mine) { vote } else { mine };
                if self.vote == vote {
                    note(out, Note::VoteChanged { vote, from });
                }
                self.broadcast_vote(out);
            } else if round < self.round {
                // A server behind: tell it about the current round.
                send(out, from, self.notification());
                return;
            } else if self.better(&vote, &self.vote) {
                self.vote = vote;
                note(out, Note::VoteChanged { vote, from });
                out.cancel_timer(FINALIZE_TIMER);
                self.broadcast_vote(out);
            }
            self.votes.insert(from, vote);
            self.votes.insert(self.id, self.vote);
            if self.agreeing(&self.votes, &self.vote) >= self.cfg.majority() {
                // Wait a moment for a better vote before deciding.
                out.set_timer(FINALIZE_TIMER, self.cfg.finalize_wait());
            }
            return;
        }
        // `from` is FOLLOWING or LEADING: a leader may already be in charge.
        if round == self.round && !me_observer {
            self.votes.insert(from, vote);
        }
        self.out_of_election.insert(from, (vote, state));
        // The named leader says itself that it leads (a leading server's vote
        // always names itself).
        let leader_confirms = vote.leader != self.id
            && self
                .out_of_election
                .get(vote.leader)
                .is_some_and(|&(_, s)| s == ServerState::Leading);
        let backed = self
            .out_of_election
            .iter()
            .filter(|&(_, &(v, _))| v.leader == vote.leader && v.epoch == vote.epoch)
            .count();
        if leader_confirms && backed >= self.cfg.majority() {
            self.round = self.round.max(round);
            self.vote = vote;
            self.decide(ctx, out);
        }
    }

    /// The finalize wait passed with a quorum still agreeing: decide.
    fn on_finalize(&mut self, ctx: &Ctx, out: &mut Out) {
        if self.state == ServerState::Looking
            && self.agreeing(&self.votes, &self.vote) >= self.cfg.majority()
        {
            self.decide(ctx, out);
        }
    }

    fn decide(&mut self, ctx: &Ctx, out: &mut Out) {
        out.cancel_timer(ELECTION_TIMER);
        out.cancel_timer(FINALIZE_TIMER);
        self.votes.clear();
        self.out_of_election.clear();
        let limit = Tick::from(self.cfg.sync_limit_ticks);
        if self.vote.leader == self.id {
            self.state = ServerState::Leading;
            note(
                out,
                Note::Decided { vote: self.vote, state: self.state, last_zxid: self.last_zxid() },
            );
            self.role = Role::Leader(LeaderRole {
                phase: LeaderPhase::Discovery,
                epoch: 0,
                learners: NodeMap::default(),
                counter: 0,
                outstanding: Vec::new(),
                pending_syncs: Vec::new(),
            });
            out.set_timer(INIT_TIMER, limit);
            out.set_timer(TICK_TIMER, Tick::from(self.cfg.heartbeat_ticks));
            // A quorum of one (never with 3+ voters) would be ready at once.
            self.try_pick_epoch(out);
        } else {
            let observer = self.cfg.is_observer(self.id);
            self.state = if observer { ServerState::Observing } else { ServerState::Following };
            note(
                out,
                Note::Decided { vote: self.vote, state: self.state, last_zxid: self.last_zxid() },
            );
            let leader = self.vote.leader;
            self.role = Role::Learner(LearnerRole {
                leader,
                phase: LearnerPhase::Discovery,
                last_heard: ctx.now,
                waiting: Vec::new(),
            });
            self.connect(out);
            out.set_timer(INIT_TIMER, limit);
            out.set_timer(TICK_TIMER, limit);
        }
    }

    /// Open a fresh connection to the leader and send FOLLOWERINFO.
    fn connect(&self, out: &mut Out) {
        let Role::Learner(l) = &self.role else { return };
        out.reconnect(Addr::Node(l.leader));
        let info = Msg::FollowerInfo {
            accepted_epoch: self.accepted_epoch,
            last_zxid: self.last_zxid(),
            observer: self.cfg.is_observer(self.id),
        };
        send(out, l.leader, info);
    }

    // ---- handlers ----

    pub fn on_timer(&mut self, ctx: &Ctx, key: u64, out: &mut Out) {
        let looking = matches!(self.role, Role::Looking);
        match key {
            ELECTION_TIMER if looking => {
                // No decision yet: connect afresh to every voter whose
                // connection broke, then send the vote again (ZooKeeper's
                // `connectAll` before it resends its notifications).
                for v in self.voters() {
                    out.redial(Addr::Node(v));
                }
                self.broadcast_vote(out);
                out.set_timer(ELECTION_TIMER, Tick::from(self.cfg.election_ticks));
            }
            FINALIZE_TIMER if looking => self.on_finalize(ctx, out),
            CONNECT_TIMER => {
                if let Role::Learner(l) = &self.role {
                    if l.phase == LearnerPhase::Discovery {
                        self.connect(out);
                    }
                }
            }
            INIT_TIMER if !looking && !self.serving() => {
                self.go_looking(ctx, LookingWhy::SyncTimeout, out);
            }
            TICK_TIMER => match &self.role {
                Role::Leader(_) => self.leader_tick(ctx, out),
                // Re-armed on every message from the leader: it fires only
                // after a whole sync limit of silence.
                Role::Learner(_) => self.go_looking(ctx, LookingWhy::LeaderSilent, out),
                Role::Looking => {}
            },
            _ => {}
        }
    }

    pub fn on_message(&mut self, ctx: &Ctx, from: Addr, msg: &Msg, out: &mut Out) {
        let Some(peer) = from.node() else { return };
        if let Msg::Notification { vote, round, state } = *msg {
            self.on_notification(ctx, peer, vote, round, state, out);
            return;
        }
        match &self.role {
            Role::Leader(_) => self.leader_message(ctx, peer, msg, out),
            Role::Learner(l) if l.leader == peer => self.learner_message(ctx, msg, out),
            _ if matches!(msg, Msg::FollowerInfo { .. }) => send(out, peer, Msg::Refused),
            _ => {}
        }
    }

    pub fn on_client_request(
        &mut self,
        ctx: &Ctx,
        client: u32,
        op_id: u64,
        op: ClientOp,
        out: &mut Out,
    ) {
        if !self.serving() {
            // Not in broadcast: ZooKeeper drops the client's connection.
            out.reply(client, op_id, OpResult::Fail(FailReason::Unavailable));
            return;
        }
        let origin = Origin { server: self.id, client, op_id };
        let leader = match &self.role {
            Role::Learner(l) => Some(l.leader),
            _ => None,
        };
        match (leader, op.written()) {
            (Some(leader), None) if self.cfg.sync_reads => {
                send(out, leader, Msg::SyncReq { origin });
            }
            (_, None) => {
                let r = OpResult::Ok { value: self.value, stamp: stamp(self.committed) };
                out.reply(client, op_id, r);
            }
            (Some(leader), Some(value)) => {
                send(out, leader, Msg::Forward { origin, value });
            }
            (None, Some(value)) => self.propose(ctx, value, Some(origin), out),
        }
    }

    // ---- the leader ----

    fn leader_message(&mut self, ctx: &Ctx, peer: u32, msg: &Msg, out: &mut Out) {
        let mine = (self.current_epoch, self.last_zxid());
        let Role::Leader(l) = &mut self.role else { return };
        if let Some(x) = l.learners.get_mut(peer) {
            x.heard = ctx.now;
        }
        match *msg {
            Msg::FollowerInfo { accepted_epoch, observer, .. } => {
                // The learner says what it is, as ZooKeeper's OBSERVERINFO
                // and FOLLOWERINFO packets do (both read the same zoo.cfg).
                let stage = Stage::Info { accepted_epoch };
                l.learners.insert(peer, Learner { stage, observer, heard: ctx.now });
                if l.epoch == 0 {
                    self.try_pick_epoch(out);
                } else {
                    send(out, peer, Msg::LeaderInfo { epoch: l.epoch });
                }
            }
            Msg::AckEpoch { current_epoch, last_zxid } => {
                let Some(x) = l.learners.get_mut(peer) else { return };
                if !matches!(x.stage, Stage::Info { .. }) {
                    return;
                }
                // A follower that had already accepted this epoch could not
                // promise it again: it is synced but not counted (ZooKeeper's
                // ACKEPOCH with epoch −1, which `waitForEpochAck` skips).
                let counted = current_epoch != EPOCH_NOT_ACCEPTED;
                // A follower more recent than the leader: this leader's
                // history is not authoritative, so it must not lead.
                if counted && (current_epoch, last_zxid) > mine {
                    self.go_looking(ctx, LookingWhy::Refused, out);
                    return;
                }
                x.stage = Stage::EpochAcked { last_zxid, counted };
                match l.phase {
                    LeaderPhase::EpochProposed => self.try_start_sync(out),
                    LeaderPhase::Sync | LeaderPhase::Broadcast => self.sync_learner(peer, out),
                    LeaderPhase::Discovery => {}
                }
            }
            Msg::Ack { zxid: z } => self.on_ack(peer, z, out),
            Msg::Forward { origin, value } if l.phase == LeaderPhase::Broadcast => {
                self.propose(ctx, value, Some(origin), out);
            }
            Msg::SyncReq { origin } => {
                if l.phase != LeaderPhase::Broadcast {
                    return;
                }
                match l.outstanding.last() {
                    Some(o) => l.pending_syncs.push((o.zxid, peer, origin)),
                    None => send(out, peer, Msg::SyncDone { origin, zxid: self.committed }),
                }
            }
            _ => {}
        }
    }

    /// Discovery: with FOLLOWERINFO from a quorum, propose an epoch above
    /// every acceptedEpoch reported.
    fn try_pick_epoch(&mut self, out: &mut Out) {
        let majority = self.cfg.majority();
        let late = self.cfg.variant == Variant::EpochPersistLate;
        let mine = self.accepted_epoch;
        let Role::Leader(l) = &mut self.role else { return };
        if l.phase != LeaderPhase::Discovery {
            return;
        }
        let mut members = vec![self.id];
        let mut max = mine;
        for (p, x) in l.learners.iter() {
            if let (Stage::Info { accepted_epoch }, false) = (x.stage, x.observer) {
                members.push(p);
                max = max.max(accepted_epoch);
            }
        }
        if members.len() < majority {
            return;
        }
        crate::order::by_key(&mut members, |&m| u128::from(m));
        let epoch = max + 1;
        l.epoch = epoch;
        l.phase = LeaderPhase::EpochProposed;
        let learners: Vec<u32> = l.learners.keys().collect();
        self.accepted_epoch = epoch;
        if !late {
            self.persist(out);
        }
        note(out, Note::EpochAccepted { epoch });
        note(out, Note::NewEpoch { epoch, members });
        for p in learners {
            send(out, p, Msg::LeaderInfo { epoch });
        }
    }

    /// With ACKEPOCH from a quorum, take the new epoch and sync everyone who
    /// acknowledged it.
    fn try_start_sync(&mut self, out: &mut Out) {
        let majority = self.cfg.majority();
        let Role::Leader(l) = &mut self.role else { return };
        let acked: Vec<u32> = l
            .learners
            .iter()
            .filter(|(_, x)| {
                !x.observer && matches!(x.stage, Stage::EpochAcked { counted: true, .. })
            })
            .map(|(p, _)| p)
            .collect();
        if acked.len() + 1 < majority {
            return;
        }
        l.phase = LeaderPhase::Sync;
        let ready: Vec<u32> = l
            .learners
            .iter()
            .filter(|(_, x)| matches!(x.stage, Stage::EpochAcked { .. }))
            .map(|(p, _)| p)
            .collect();
        self.current_epoch = l.epoch;
        self.persist(out);
        for p in ready {
            self.sync_learner(p, out);
        }
    }

    /// Send one learner DIFF, TRUNC or SNAP, then NEWLEADER.
    fn sync_learner(&mut self, peer: u32, out: &mut Out) {
        let (snap, committed) = (self.snap, self.committed);
        let Role::Leader(l) = &mut self.role else { return };
        let Some(x) = l.learners.get_mut(peer) else { return };
        let Stage::EpochAcked { last_zxid, .. } = x.stage else { return };
        // Followers get the whole log, whose uncommitted tail they ACK with
        // NEWLEADER. Observers never ACK: once broadcast runs they get only
        // what is committed, and the rest as INFORMs.
        let upto = if x.observer && l.phase == LeaderPhase::Broadcast {
            committed
        } else {
            self.log.last().map_or(snap.0, |t| t.zxid)
        };
        let (kind, txns) = plan_sync(snap, &self.log, upto, last_zxid);
        x.stage = Stage::Synced { to: upto };
        let n = u32::try_from(txns.len()).unwrap_or(u32::MAX);
        note(out, Note::Synced { learner: peer, kind, txns: n });
        send(out, peer, Msg::Sync { kind, txns });
        send(out, peer, Msg::NewLeader { zxid: zxid(l.epoch, 0) });
    }

    fn on_ack(&mut self, peer: u32, z: Zxid, out: &mut Out) {
        let majority = self.cfg.majority();
        let (committed, me) = (self.committed, self.id);
        let Role::Leader(l) = &mut self.role else { return };
        let Some(x) = l.learners.get_mut(peer) else { return };
        let observer = x.observer;
        if z == zxid(l.epoch, 0) {
            // NEWLEADER ACK: also an ACK of everything the sync carried.
            let Stage::Synced { to } = x.stage else { return };
            x.stage = Stage::Ready;
            if !observer {
                ack_upto(&mut l.outstanding, to, peer);
            }
            if l.phase == LeaderPhase::Broadcast {
                send(out, peer, Msg::UpToDate { committed });
                self.try_commit(out);
                return;
            }
            let mut members: Vec<u32> = l
                .learners
                .iter()
                .filter(|(_, x)| !x.observer && x.stage == Stage::Ready)
                .map(|(p, _)| p)
                .collect();
            if members.len() + 1 < majority {
                return;
            }
            members.push(me);
            crate::order::by_key(&mut members, |&m| u128::from(m));
            self.establish(members, out);
        } else if x.stage == Stage::Ready && !observer {
            ack_upto(&mut l.outstanding, z, peer);
            self.try_commit(out);
        }
    }

    /// A quorum ACKed NEWLEADER: commit the history, tell the learners, and
    /// start broadcasting.
    fn establish(&mut self, members: Vec<u32>, out: &mut Out) {
        let last = self.last_zxid();
        let Role::Leader(l) = &mut self.role else { return };
        l.phase = LeaderPhase::Broadcast;
        l.counter = 0;
        let epoch = l.epoch;
        let ready: Vec<u32> =
            l.learners.iter().filter(|(_, x)| x.stage == Stage::Ready).map(|(p, _)| p).collect();
        out.cancel_timer(INIT_TIMER);
        note(out, Note::Established { epoch, last_zxid: last, members });
        self.deliver_upto(last, out);
        for p in ready {
            send(out, p, Msg::UpToDate { committed: last });
        }
    }

    fn propose(&mut self, _ctx: &Ctx, value: u64, origin: Option<Origin>, out: &mut Out) {
        let prev = self.last_zxid();
        let me = self.id;
        let Role::Leader(l) = &mut self.role else { return };
        l.counter += 1;
        let z = zxid(l.epoch, l.counter);
        let txn = Txn { zxid: z, value };
        l.outstanding.push(Outstanding { zxid: z, acks: 1 << me, origin });
        let followers: Vec<u32> = l
            .learners
            .iter()
            .filter(|(_, x)| !x.observer && matches!(x.stage, Stage::Synced { .. } | Stage::Ready))
            .map(|(p, _)| p)
            .collect();
        edit(&mut self.log).push(txn);
        // The leader logs the proposal too before counting its own ACK.
        self.persist(out);
        note(out, Note::Proposed { zxid: z });
        for p in followers {
            send(out, p, Msg::Proposal { txn, prev, origin });
        }
        self.try_commit(out);
    }

    /// Commit, in zxid order, every proposal a quorum has ACKed.
    fn try_commit(&mut self, out: &mut Out) {
        let need =
            if self.cfg.variant == Variant::CommitBeforeQuorum { 1 } else { self.cfg.majority() };
        loop {
            let Role::Leader(l) = &mut self.role else { return };
            let Some(first) = l.outstanding.first().copied() else { return };
            if (first.acks.count_ones() as usize) < need {
                return;
            }
            let (z, origin, members) = (first.zxid, first.origin, first.members());
            l.outstanding.remove(0);
            let prev = self.committed;
            // Read the value before delivering: delivery may fold the entry
            // into the snapshot.
            let value = self.log.iter().rev().find(|t| t.zxid == z).map_or(0, |t| t.value);
            note(out, Note::AckQuorum { zxid: z, members });
            self.deliver_upto(z, out);
            let Role::Leader(l) = &mut self.role else { return };
            let mut syncs = Vec::new();
            l.pending_syncs.retain(|&(at, p, o)| {
                if at <= z {
                    syncs.push((p, o));
                }
                at > z
            });
            let learners: Vec<(u32, bool)> = l
                .learners
                .iter()
                .filter(|(_, x)| matches!(x.stage, Stage::Synced { .. } | Stage::Ready))
                .map(|(p, x)| (p, x.observer))
                .collect();
            for (p, observer) in learners {
                if observer {
                    send(out, p, Msg::Inform { txn: Txn { zxid: z, value }, prev, origin });
                } else {
                    send(out, p, Msg::Commit { zxid: z });
                }
            }
            if let Some(o) = origin.filter(|o| o.server == self.id) {
                out.reply(o.client, o.op_id, OpResult::Ok { value: Some(value), stamp: stamp(z) });
            }
            for (p, origin) in syncs {
                send(out, p, Msg::SyncDone { origin, zxid: z });
            }
        }
    }

    /// Heartbeat: ping the learners; step down without a quorum.
    fn leader_tick(&mut self, ctx: &Ctx, out: &mut Out) {
        let limit = Tick::from(self.cfg.sync_limit_ticks);
        let majority = self.cfg.majority();
        let committed = self.committed;
        let Role::Leader(l) = &self.role else { return };
        let in_touch = l
            .learners
            .values()
            .filter(|x| !x.observer && ctx.now.saturating_sub(x.heard) <= limit)
            .count();
        if l.phase == LeaderPhase::Broadcast && in_touch + 1 < majority {
            self.go_looking(ctx, LookingWhy::LostQuorum, out);
            return;
        }
        for (p, x) in l.learners.iter() {
            if matches!(x.stage, Stage::Synced { .. } | Stage::Ready) {
                send(out, p, Msg::Ping { committed });
            }
        }
        out.set_timer(TICK_TIMER, Tick::from(self.cfg.heartbeat_ticks));
    }

    // ---- followers and observers ----

    fn learner_message(&mut self, ctx: &Ctx, msg: &Msg, out: &mut Out) {
        let late = self.cfg.variant == Variant::EpochPersistLate;
        let observer = self.cfg.is_observer(self.id);
        let last = self.last_zxid();
        let Role::Learner(l) = &mut self.role else { return };
        l.last_heard = ctx.now;
        out.set_timer(TICK_TIMER, Tick::from(self.cfg.sync_limit_ticks));
        let leader = l.leader;
        match (msg, l.phase) {
            (&Msg::LeaderInfo { epoch }, LearnerPhase::Discovery) => {
                if epoch < self.accepted_epoch {
                    self.go_looking(ctx, LookingWhy::Refused, out);
                    return;
                }
                l.phase = LearnerPhase::Syncing { got_sync: false };
                let fresh = epoch > self.accepted_epoch;
                if fresh {
                    self.accepted_epoch = epoch;
                    // Promise the epoch only once it is on disk.
                    if !late {
                        self.persist(out);
                    }
                    note(out, Note::EpochAccepted { epoch });
                }
                // The paper's follower acknowledges only an epoch above its
                // acceptedEpoch; one it had already accepted, it says so.
                let current_epoch = if fresh { self.current_epoch } else { EPOCH_NOT_ACCEPTED };
                let ack = Msg::AckEpoch { current_epoch, last_zxid: self.last_zxid() };
                send(out, leader, ack);
            }
            (Msg::Sync { kind, txns }, LearnerPhase::Syncing { got_sync: false }) => {
                l.phase = LearnerPhase::Syncing { got_sync: true };
                self.apply_sync(*kind, txns, out);
            }
            (&Msg::NewLeader { zxid: z }, LearnerPhase::Syncing { got_sync }) => {
                if !got_sync {
                    self.go_looking(ctx, LookingWhy::Gap, out);
                    return;
                }
                l.phase = LearnerPhase::Synced;
                self.current_epoch = epoch_of(z);
                self.persist(out);
                send(out, leader, Msg::Ack { zxid: z });
            }
            (&Msg::UpToDate { committed }, LearnerPhase::Synced) => {
                l.phase = LearnerPhase::Serving;
                out.cancel_timer(INIT_TIMER);
                self.deliver_upto(committed, out);
            }
            (
                &Msg::Proposal { txn, prev, origin },
                LearnerPhase::Synced | LearnerPhase::Serving,
            ) if !observer => {
                if prev != last {
                    self.go_looking(ctx, LookingWhy::Gap, out);
                    return;
                }
                if let Some(o) = origin.filter(|o| o.server == self.id) {
                    l.waiting.push((txn.zxid, o.client, o.op_id));
                }
                edit(&mut self.log).push(txn);
                if self.cfg.variant == Variant::AckBeforePersist && self.unwritten < 3 {
                    self.unwritten += 1;
                } else {
                    self.persist(out);
                }
                send(out, leader, Msg::Ack { zxid: txn.zxid });
            }
            (&Msg::Commit { zxid: z }, LearnerPhase::Synced | LearnerPhase::Serving) => {
                self.deliver_upto(z, out);
            }
            (&Msg::Inform { txn, prev, origin }, LearnerPhase::Synced | LearnerPhase::Serving) => {
                if prev != last {
                    self.go_looking(ctx, LookingWhy::Gap, out);
                    return;
                }
                if let Some(o) = origin.filter(|o| o.server == self.id) {
                    l.waiting.push((txn.zxid, o.client, o.op_id));
                }
                edit(&mut self.log).push(txn);
                self.persist(out);
                self.deliver_upto(txn.zxid, out);
            }
            (Msg::Refused, LearnerPhase::Discovery) => {
                out.set_timer(CONNECT_TIMER, Tick::from(self.cfg.heartbeat_ticks));
            }
            (&Msg::Ping { committed }, _) => {
                send(out, leader, Msg::Pong);
                if l.phase == LearnerPhase::Serving {
                    // A lost COMMIT is repaired by the next heartbeat.
                    self.deliver_upto(committed, out);
                }
            }
            (&Msg::SyncDone { origin, zxid: z }, LearnerPhase::Serving) if z > last => {
                // The leader committed a proposal this follower never got
                // (the stream had a gap): answering now would be stale.
                out.reply(origin.client, origin.op_id, OpResult::Fail(FailReason::Unavailable));
                self.go_looking(ctx, LookingWhy::Gap, out);
            }
            (&Msg::SyncDone { origin, zxid: z }, LearnerPhase::Serving) => {
                self.deliver_upto(z, out);
                let r = OpResult::Ok { value: self.value, stamp: stamp(self.committed) };
                out.reply(origin.client, origin.op_id, r);
            }
            _ => {}
        }
    }

    fn apply_sync(&mut self, kind: SyncKind, txns: &[Txn], out: &mut Out) {
        match kind {
            SyncKind::Diff => {}
            SyncKind::Trunc { to } => {
                Rc::make_mut(&mut self.log).retain(|t| t.zxid <= to);
                note(out, Note::Truncated { to });
            }
            SyncKind::Snap { zxid: z, value } => {
                self.snap = (z, value);
                Rc::make_mut(&mut self.log).clear();
                (self.committed, self.value) = (z, value);
                note(out, Note::Snapshot { zxid: z, value });
            }
        }
        let last = self.last_zxid();
        edit(&mut self.log).extend(txns.iter().filter(|t| t.zxid > last));
        self.persist(out);
    }

    /// Commit and apply, in order, every logged transaction up to `z`; answer
    /// the clients waiting for them here; fold old entries into the snapshot.
    fn deliver_upto(&mut self, z: Zxid, out: &mut Out) {
        let from = self.committed;
        let mut newest = None;
        for t in self.log.iter().filter(|t| t.zxid > from && t.zxid <= z) {
            note(out, Note::Delivered { zxid: t.zxid, value: t.value });
            newest = Some(*t);
            if let Role::Learner(l) = &mut self.role {
                if let Some(i) = l.waiting.iter().position(|w| w.0 == t.zxid) {
                    let (_, client, op_id) = l.waiting.swap_remove(i);
                    let r = OpResult::Ok { value: Some(t.value), stamp: stamp(t.zxid) };
                    out.reply(client, op_id, r);
                }
            }
        }
        let Some(t) = newest else { return };
        (self.committed, self.value) = (t.zxid, Some(t.value));
        let settled = self.log.iter().take_while(|t| t.zxid <= self.committed).count();
        if settled >= SNAP_EVERY && self.unwritten == 0 {
            self.snap = (self.committed, self.value);
            Rc::make_mut(&mut self.log).drain(..settled);
            self.persist(out);
        }
    }
}

#[cfg(test)]
mod tests;
