//! Scenarios: everything needed to replay a run exactly.
//!
//! A scenario is data: the protocol and its config, the network, the
//! workload, the seed, and a timeline of user actions, each placed *after a
//! given event number* and at a tick, so replay is exact even when several
//! events share a tick.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::net::{LinkState, NetConfig};
use crate::paxos::PaxosConfig;
use crate::quorum::QuorumConfig;
use crate::types::{Addr, ClientOp, Tick};
use crate::zab::ZabConfig;

pub const MAX_NODES: u32 = 15;
pub const MAX_CLIENTS: u32 = 8;
pub const MAX_ACTIONS: usize = 2_000;
pub const MAX_TICK: Tick = 10_000_000;
pub const MAX_SCRIPTED_OPS: usize = 2_000;

/// Which protocol runs, with its config.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ProtocolConfig {
    Quorum(QuorumConfig),
    /// Variants keep their order: postcard encodes a variant by its index,
    /// so v1 links depend on it. New protocols go at the end.
    Paxos(PaxosConfig),
    Zab(ZabConfig),
    Eventual(crate::eventual::EventualConfig),
}

impl ProtocolConfig {
    #[must_use]
    pub fn nodes(&self) -> u32 {
        match self {
            ProtocolConfig::Quorum(q) => q.n,
            ProtocolConfig::Paxos(p) => p.nodes(),
            ProtocolConfig::Zab(z) => z.nodes(),
            ProtocolConfig::Eventual(e) => e.replicas,
        }
    }
}

/// A client operation the workload schedules at a tick.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ScriptedOp {
    pub at: Tick,
    pub client: u32,
    pub node: u32,
    pub op: ClientOp,
}

/// A generated workload: each client, after each operation returns, waits a
/// random gap and issues a read or a write to a random node, until `until`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RandomWorkload {
    pub gap_ticks_min: u32,
    pub gap_ticks_max: u32,
    pub write_ppm: u32,
    pub until: Tick,
}

/// What a user (or a lesson script) does to a running world.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ActionKind {
    Crash(u32),
    Restart(u32),
    /// Split the nodes in two: `side` against everyone else, cutting every
    /// link between the two sides both ways. Clients keep their links.
    Partition {
        side: Vec<u32>,
    },
    /// Every link healthy again (held messages are released).
    HealAll,
    /// Set one directed link; `Healthy` releases held messages.
    SetLink {
        from: Addr,
        to: Addr,
        state: LinkState,
    },
    /// Drop one message in flight.
    DropMessage(u64),
    /// A client sends `op` to `node`.
    ClientOp {
        client: u32,
        node: u32,
        op: ClientOp,
    },
    /// Deliver one message in flight now (reordering by hand; also how a
    /// model checker's counterexample is replayed).
    DeliverMessage(u64),
    /// The network delivers a second copy of a message in flight.
    DuplicateMessage(u64),
    /// An armed timer of `node` fires now.
    FireTimer {
        node: u32,
        key: u64,
    },
    /// "You are the network": while on, every message waits on the wire
    /// and every node's timer waits, until an action delivers, drops or
    /// duplicates the message or fires the timer. Turned off, what waits
    /// goes on by the clock. Client timeouts keep to the clock throughout.
    ManualNetwork(bool),
}

/// An action on the timeline.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Action {
    /// Applied once exactly this many events have been processed.
    pub after_event: u64,
    /// The tick it happens at (not before the event it follows).
    pub tick: Tick,
    pub kind: ActionKind,
}

/// A complete, replayable run.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Scenario {
    pub engine: u32,
    pub protocol: ProtocolConfig,
    pub network: NetConfig,
    pub clients: u32,
    /// A client gives up on an operation after this long (indeterminate).
    pub client_timeout_ticks: u32,
    pub workload: Vec<ScriptedOp>,
    pub random_workload: Option<RandomWorkload>,
    pub seed: u64,
    pub actions: Vec<Action>,
}

/// Why a scenario cannot run.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ConfigError {
    #[error("a cluster needs at least one node")]
    ZeroNodes,
    #[error("at most {max} nodes, got {n}")]
    TooManyNodes { n: u32, max: u32 },
    #[error("W must be at least 1")]
    WriteQuorumZero,
    #[error("R must be at least 1")]
    ReadQuorumZero,
    #[error("W = {w} exceeds N = {n}")]
    WriteQuorumTooLarge { w: u32, n: u32 },
    #[error("R = {r} exceeds N = {n}")]
    ReadQuorumTooLarge { r: u32, n: u32 },
    #[error("between 1 and {max} clients, got {clients}")]
    BadClientCount { clients: u32, max: u32 },
    #[error("latency range {min}..{max} is invalid (at least 1 tick, min ≤ max)")]
    BadLatency { min: u32, max: u32 },
    #[error("a probability above 1 000 000 ppm")]
    BadProbability,
    #[error("timeouts must be at least 1 tick")]
    BadTimeout,
    #[error("tick {tick} beyond the limit {max}")]
    TickTooLarge { tick: Tick, max: Tick },
    #[error("{count} actions, at most {max}")]
    TooManyActions { count: usize, max: usize },
    #[error("{count} scripted operations, at most {max}")]
    TooManyOps { count: usize, max: usize },
    #[error("action {index} is out of order")]
    ActionsOutOfOrder { index: usize },
    #[error("action {index} names node {node}, which does not exist")]
    NoSuchNode { index: usize, node: u32 },
    #[error("action {index} names client {client}, which does not exist")]
    NoSuchClient { index: usize, client: u32 },
    #[error("engine version {found} is not supported (this is {supported})")]
    EngineVersion { found: u32, supported: u32 },
    #[error("between {min} and {max} proposers, got {got}")]
    BadProposers { got: u32, min: u32, max: u32 },
    #[error("between {min} and {max} acceptors, got {got}")]
    BadAcceptors { got: u32, min: u32, max: u32 },
    #[error("between {min} and {max} voting servers, got {got}")]
    BadVoters { got: u32, min: u32, max: u32 },
    #[error("between {min} and {max} observers, got {got}")]
    BadObservers { got: u32, min: u32, max: u32 },
    #[error("between {min} and {max} learners, got {got}")]
    BadLearners { got: u32, min: u32, max: u32 },
}

impl Scenario {
    /// Check every limit and invariant before any work is done.
    ///
    /// # Errors
    /// The first problem found.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.engine != crate::ENGINE_VERSION {
            return Err(ConfigError::EngineVersion {
                found: self.engine,
                supported: crate::ENGINE_VERSION,
            });
        }
        let n = self.protocol.nodes();
        if n == 0 {
            return Err(ConfigError::ZeroNodes);
        }
        if n > MAX_NODES {
            return Err(ConfigError::TooManyNodes { n, max: MAX_NODES });
        }
        match &self.protocol {
            ProtocolConfig::Quorum(q) => {
                if q.w == 0 {
                    return Err(ConfigError::WriteQuorumZero);
                }
                if q.r == 0 {
                    return Err(ConfigError::ReadQuorumZero);
                }
                if q.w > q.n {
                    return Err(ConfigError::WriteQuorumTooLarge { w: q.w, n: q.n });
                }
                if q.r > q.n {
                    return Err(ConfigError::ReadQuorumTooLarge { r: q.r, n: q.n });
                }
                if q.op_timeout_ticks == 0 {
                    return Err(ConfigError::BadTimeout);
                }
            }
            ProtocolConfig::Paxos(p) => {
                if !(1..=3).contains(&p.proposers) {
                    return Err(ConfigError::BadProposers { got: p.proposers, min: 1, max: 3 });
                }
                if !(3..=7).contains(&p.acceptors) {
                    return Err(ConfigError::BadAcceptors { got: p.acceptors, min: 3, max: 7 });
                }
                if p.learners > 3 {
                    return Err(ConfigError::BadLearners { got: p.learners, min: 0, max: 3 });
                }
                if p.retry_ticks == 0 {
                    return Err(ConfigError::BadTimeout);
                }
            }
            ProtocolConfig::Zab(z) => {
                if !(3..=7).contains(&z.voters) {
                    return Err(ConfigError::BadVoters { got: z.voters, min: 3, max: 7 });
                }
                if z.observers > 3 {
                    return Err(ConfigError::BadObservers { got: z.observers, min: 0, max: 3 });
                }
                if z.heartbeat_ticks == 0 || z.sync_limit_ticks == 0 || z.election_ticks == 0 {
                    return Err(ConfigError::BadTimeout);
                }
            }
            ProtocolConfig::Eventual(e) => {
                let max = crate::eventual::MAX_REPLICAS;
                if e.replicas > max {
                    return Err(ConfigError::TooManyNodes { n: e.replicas, max });
                }
                if e.op_timeout_ticks == 0 {
                    return Err(ConfigError::BadTimeout);
                }
            }
        }
        if self.clients == 0 || self.clients > MAX_CLIENTS {
            return Err(ConfigError::BadClientCount { clients: self.clients, max: MAX_CLIENTS });
        }
        if self.client_timeout_ticks == 0 {
            return Err(ConfigError::BadTimeout);
        }
        let net = &self.network;
        if net.latency_ticks_min == 0 || net.latency_ticks_min > net.latency_ticks_max {
            return Err(ConfigError::BadLatency {
                min: net.latency_ticks_min,
                max: net.latency_ticks_max,
            });
        }
        if Tick::from(net.latency_ticks_max) > MAX_TICK {
            return Err(ConfigError::TickTooLarge {
                tick: Tick::from(net.latency_ticks_max),
                max: MAX_TICK,
            });
        }
        if net.loss_ppm > 1_000_000 || net.duplicate_ppm > 1_000_000 {
            return Err(ConfigError::BadProbability);
        }
        if self.workload.len() > MAX_SCRIPTED_OPS {
            return Err(ConfigError::TooManyOps {
                count: self.workload.len(),
                max: MAX_SCRIPTED_OPS,
            });
        }
        for op in &self.workload {
            self.check_tick(op.at)?;
            if op.client >= self.clients {
                return Err(ConfigError::NoSuchClient { index: 0, client: op.client });
            }
            if op.node >= n {
                return Err(ConfigError::NoSuchNode { index: 0, node: op.node });
            }
        }
        if let Some(rw) = &self.random_workload {
            self.check_tick(rw.until)?;
            if rw.gap_ticks_min == 0 || rw.gap_ticks_min > rw.gap_ticks_max {
                return Err(ConfigError::BadLatency {
                    min: rw.gap_ticks_min,
                    max: rw.gap_ticks_max,
                });
            }
            if rw.write_ppm > 1_000_000 {
                return Err(ConfigError::BadProbability);
            }
        }
        if self.actions.len() > MAX_ACTIONS {
            return Err(ConfigError::TooManyActions {
                count: self.actions.len(),
                max: MAX_ACTIONS,
            });
        }
        let mut prev = (0, 0);
        for (index, a) in self.actions.iter().enumerate() {
            self.check_tick(a.tick)?;
            if (a.after_event, a.tick) < prev || a.tick < prev.1 {
                return Err(ConfigError::ActionsOutOfOrder { index });
            }
            prev = (a.after_event, a.tick);
            self.check_action(index, &a.kind)?;
        }
        Ok(())
    }

    fn check_tick(&self, tick: Tick) -> Result<(), ConfigError> {
        if tick > MAX_TICK {
            return Err(ConfigError::TickTooLarge { tick, max: MAX_TICK });
        }
        Ok(())
    }

    fn check_action(&self, index: usize, kind: &ActionKind) -> Result<(), ConfigError> {
        let n = self.protocol.nodes();
        let node_ok = |node: u32| {
            if node < n {
                Ok(())
            } else {
                Err(ConfigError::NoSuchNode { index, node })
            }
        };
        let addr_ok = |a: Addr| match a {
            Addr::Node(x) => node_ok(x),
            Addr::Client(c) if c < self.clients => Ok(()),
            Addr::Client(client) => Err(ConfigError::NoSuchClient { index, client }),
        };
        match kind {
            ActionKind::Crash(x) | ActionKind::Restart(x) => node_ok(*x),
            ActionKind::Partition { side } => {
                if side.len() > MAX_NODES as usize {
                    return Err(ConfigError::TooManyNodes {
                        n: u32::try_from(side.len()).unwrap_or(u32::MAX),
                        max: MAX_NODES,
                    });
                }
                side.iter().try_for_each(|&x| node_ok(x))
            }
            ActionKind::SetLink { from, to, .. } => {
                addr_ok(*from)?;
                addr_ok(*to)
            }
            ActionKind::HealAll
            | ActionKind::DropMessage(_)
            | ActionKind::DeliverMessage(_)
            | ActionKind::DuplicateMessage(_)
            | ActionKind::ManualNetwork(_) => Ok(()),
            ActionKind::FireTimer { node, .. } => node_ok(*node),
            ActionKind::ClientOp { client, node, .. } => {
                if *client >= self.clients {
                    return Err(ConfigError::NoSuchClient { index, client: *client });
                }
                node_ok(*node)
            }
        }
    }
}
