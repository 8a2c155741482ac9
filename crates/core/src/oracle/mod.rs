//! End-to-end oracles: a protocol is judged by what its clients were told,
//! checked against what its nodes report they learned or delivered.
//!
//! The checkers of each protocol (`paxos::invariants`, `zab::invariants`, …)
//! watch internal rules after every step; they are early warnings, written
//! knowing the implementation. These oracles know only the promises made to
//! clients (one value chosen, nothing acknowledged lost, linearizable,
//! converged), so a planted bug counts as caught only when it did damage a
//! client could see. The swarm tests and `quorumscope sweep` use them.

pub mod moment;
mod paxos;
mod store;
mod zab;

use crate::client::OpRecord;
use crate::scenario::{ActionKind, ProtocolConfig};
use crate::sim::Sim;
use crate::trace::{Happened, TraceEntry};
use crate::types::Tick;

/// A promise made to clients.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Oracle {
    /// Paxos: every value told to a client or learned by a node is one value.
    OneValue,
    /// Paxos: that value was written by a client.
    ChosenWasProposed,
    /// Paxos: a majority of acceptors held that value accepted at one moment.
    ChosenByMajority,
    /// Zab: one value under each zxid, whoever reports it.
    OneOrder,
    /// Zab: a zxid a client saw was skipped by a server, or is missing from
    /// one after the network healed.
    AckedWriteLost,
    /// Zab: one session (a client on one server) saw zxids go backwards.
    SequentialReads,
    /// The history has a linearization (ABD's read write-back).
    Linearizable,
    /// Quorum with W + R > N: a read older than a write completed before it.
    StaleRead,
    /// The store: replicas still differ after healing and a quiet while.
    Converged,
    /// The store with causal delivery: a read missed a write in its past.
    Causal,
}

/// A broken promise, with what shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub oracle: Oracle,
    pub detail: String,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}: {}", self.oracle, self.detail)
    }
}

/// The oracles of one run, fed the trace as it grows.
#[derive(Clone, Debug)]
pub struct Watch {
    protocol: ProtocolConfig,
    /// Hold the store to the causal promise whatever its delivery.
    causal: bool,
    paxos: paxos::Watch,
    zab: zab::Watch,
}

/// How long a healed, restarted cluster is given to catch up before it is
/// judged: many election timeouts, anti-entropy rounds and retries.
pub const SETTLE_TICKS: u64 = 20_000;

impl Watch {
    /// `causal`: hold an eventually consistent store to the causal promise.
    #[must_use]
    pub fn new(protocol: &ProtocolConfig, causal: bool) -> Self {
        let majority = match protocol {
            ProtocolConfig::Paxos(c) => c.majority(),
            _ => 0,
        };
        Watch {
            protocol: protocol.clone(),
            causal,
            paxos: paxos::Watch::new(majority),
            zab: zab::Watch::default(),
        }
    }

    /// Take in trace entries (the nodes' notes).
    pub fn observe(&mut self, entries: &[TraceEntry]) {
        for e in entries {
            let Happened::Note { node, note } = &e.what else { continue };
            match note {
                crate::Note::Paxos(n) => self.paxos.observe(e.tick, *node, n),
                crate::Note::Zab(n) => self.zab.observe(e.tick, *node, n),
                _ => {}
            }
        }
    }

    /// Judge the run so far, as clients saw it; `settled`: the tick
    /// [`settle`] began, if it ran.
    #[must_use]
    pub fn judge(&self, sim: &Sim, settled: Option<Tick>) -> Option<Finding> {
        let h = sim.history();
        let found = self.promises().iter().find_map(|&o| self.judge_one(o, &h, settled));
        let healed = matches!(self.protocol, ProtocolConfig::Eventual(_)) && settled.is_some();
        found.or_else(|| if healed { store::converged(sim) } else { None })
    }

    /// The promises this run is held to that its history and its nodes'
    /// reports decide, in the order [`Watch::judge`] tries them (the store's
    /// convergence, which needs the replicas themselves, comes after).
    #[must_use]
    pub fn promises(&self) -> &'static [Oracle] {
        match &self.protocol {
            ProtocolConfig::Paxos(_) => {
                &[Oracle::OneValue, Oracle::ChosenWasProposed, Oracle::ChosenByMajority]
            }
            ProtocolConfig::Zab(_) => {
                &[Oracle::OneOrder, Oracle::AckedWriteLost, Oracle::SequentialReads]
            }
            ProtocolConfig::Quorum(c) if c.write_back => &[Oracle::StaleRead, Oracle::Linearizable],
            ProtocolConfig::Quorum(_) => &[Oracle::StaleRead],
            ProtocolConfig::Eventual(_) if self.causal => &[Oracle::Causal],
            ProtocolConfig::Eventual(_) => &[],
        }
    }

    /// Whether one promise holds over history `h` and what the nodes
    /// reported so far.
    #[must_use]
    pub fn judge_one(&self, o: Oracle, h: &[OpRecord], settled: Option<Tick>) -> Option<Finding> {
        match o {
            Oracle::OneValue | Oracle::ChosenWasProposed | Oracle::ChosenByMajority => {
                self.paxos.judge_one(o, h)
            }
            Oracle::OneOrder | Oracle::AckedWriteLost | Oracle::SequentialReads => {
                self.zab.judge_one(o, h, settled)
            }
            Oracle::StaleRead => store::stale(h),
            Oracle::Linearizable => store::linearizable(h),
            Oracle::Causal => store::causal(h),
            Oracle::Converged => None,
        }
    }
}

/// Heal the network, restart every node (from its disk) and let the
/// cluster run [`SETTLE_TICKS`] more ticks (the workload goes on where it
/// does), feeding the oracles; returns the tick the settling began. A
/// restart also opens afresh the connections a lost message broke (FIFO
/// links behave like TCP), which a store that does not reconnect by itself
/// needs. The actions are recorded, so a replay link replays them.
pub fn settle(sim: &mut Sim, watch: &mut Watch) -> Tick {
    // Acts add to the trace at once and never let its front go.
    let before = sim.trace().len();
    let from = sim.now();
    for x in 0..sim.scenario().protocol.nodes() {
        if sim.world().nodes()[x as usize].up {
            sim.act(ActionKind::Crash(x)).expect("crashing a node is always valid");
        }
        sim.act(ActionKind::Restart(x)).expect("restarting a node is always valid");
    }
    sim.act(ActionKind::HealAll).expect("healing is always valid");
    watch.observe(&sim.trace()[before..]);
    let until = sim.now() + SETTLE_TICKS;
    while sim.now() < until {
        let entries = sim.step();
        if !entries.is_empty() {
            watch.observe(entries);
        } else if sim.world().next_event_tick().is_none() {
            break;
        }
    }
    from
}
