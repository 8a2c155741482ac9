//! The network: a model you can inspect and break.
//!
//! Every directed link between two addresses has a state: healthy,
//! partitioned (messages are dropped) or held (messages wait until the link
//! is released). Latency is drawn per message from a range; loss and
//! duplication are probabilities in parts per million. Delivery is either
//! unordered or FIFO per link; a FIFO link behaves like a TCP connection:
//! a lost message breaks the connection and every later message on it is
//! dropped until the link is healed or an endpoint restarts — a visible
//! break, never a silent gap in the stream.

use crate::small::{VecMap, VecSet};

use serde::{Deserialize, Serialize};

use crate::node::Msg;
use crate::types::{Addr, Tick};

/// The state of one directed link.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LinkState {
    #[default]
    Healthy,
    Partitioned,
    Held,
}

/// How messages travel.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NetConfig {
    pub latency_ticks_min: u32,
    pub latency_ticks_max: u32,
    pub loss_ppm: u32,
    pub duplicate_ppm: u32,
    pub fifo: bool,
}

impl Default for NetConfig {
    fn default() -> Self {
        NetConfig {
            latency_ticks_min: 20,
            latency_ticks_max: 60,
            loss_ppm: 0,
            duplicate_ppm: 0,
            fifo: false,
        }
    }
}

/// What will happen to a message when its delivery tick comes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Fate {
    Deliver,
    /// Lost on the wire; it vanishes when it would have arrived.
    Lose,
}

/// A message on the wire.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct InFlight {
    pub id: u64,
    pub from: Addr,
    pub to: Addr,
    pub msg: Msg,
    pub sent: Tick,
    /// `None` while the message waits on a held link.
    pub deliver: Option<Tick>,
    pub fate: Fate,
    /// A copy made by the network's duplication.
    pub duplicate: bool,
    /// Position of its delivery event in the world's queue.
    pub(crate) event_seq: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Network {
    pub cfg: NetConfig,
    /// Links not listed are healthy.
    links: VecMap<(Addr, Addr), LinkState>,
    in_flight: VecMap<u64, InFlight>,
    /// FIFO links: the last delivery tick scheduled, so later sends never overtake.
    last_deliver: VecMap<(Addr, Addr), Tick>,
    /// FIFO links whose connection broke after a loss.
    broken: VecSet<(Addr, Addr)>,
}

impl Network {
    #[must_use]
    pub fn new(cfg: NetConfig) -> Self {
        Network {
            cfg,
            links: VecMap::new(),
            in_flight: VecMap::new(),
            last_deliver: VecMap::new(),
            broken: VecSet::new(),
        }
    }

    #[must_use]
    pub fn link(&self, from: Addr, to: Addr) -> LinkState {
        self.links.get(&(from, to)).copied().unwrap_or_default()
    }

    /// Every link that is not healthy.
    pub fn faulty_links(&self) -> impl Iterator<Item = ((Addr, Addr), LinkState)> + '_ {
        self.links.iter().map(|(k, v)| (*k, *v))
    }

    pub(crate) fn set_link_state(&mut self, from: Addr, to: Addr, s: LinkState) {
        if s == LinkState::Healthy {
            self.links.remove(&(from, to));
            self.broken.remove(&(from, to));
        } else {
            self.links.insert((from, to), s);
        }
    }

    #[must_use]
    pub fn is_broken(&self, from: Addr, to: Addr) -> bool {
        self.broken.contains(&(from, to))
    }

    pub(crate) fn break_connection(&mut self, from: Addr, to: Addr) {
        self.broken.insert((from, to));
    }

    /// A fresh connection between `a` and `b`, both directions.
    pub(crate) fn reconnect_pair(&mut self, a: Addr, b: Addr) {
        self.broken.remove(&(a, b));
        self.broken.remove(&(b, a));
    }

    /// Forget broken connections touching `a` (it restarted and reconnects).
    pub(crate) fn reconnect(&mut self, a: Addr) {
        self.broken.retain(|&(f, t)| f != a && t != a);
    }

    /// Messages on the wire, in id order.
    pub fn in_flight(&self) -> impl Iterator<Item = &InFlight> {
        self.in_flight.values()
    }

    #[must_use]
    pub fn in_flight_count(&self) -> usize {
        self.in_flight.len()
    }

    #[must_use]
    pub fn message(&self, id: u64) -> Option<&InFlight> {
        self.in_flight.get(&id)
    }

    pub(crate) fn insert(&mut self, m: InFlight) {
        self.in_flight.insert(m.id, m);
    }

    pub(crate) fn remove(&mut self, id: u64) -> Option<InFlight> {
        self.in_flight.remove(&id)
    }

    pub(crate) fn message_mut(&mut self, id: u64) -> Option<&mut InFlight> {
        self.in_flight.get_mut(&id)
    }

    /// Ids of messages currently travelling on link `from → to`.
    pub(crate) fn ids_on(&self, from: Addr, to: Addr) -> Vec<u64> {
        self.in_flight.values().filter(|m| m.from == from && m.to == to).map(|m| m.id).collect()
    }

    /// The delivery tick for a message sent now with drawn latency,
    /// respecting FIFO order on the link when configured.
    pub(crate) fn delivery_tick(&mut self, from: Addr, to: Addr, now: Tick, latency: Tick) -> Tick {
        let mut at = now + latency.max(1);
        if self.cfg.fifo {
            let last = self.last_deliver.get_or((from, to), || 0);
            at = at.max(*last);
            *last = at;
        }
        at
    }
}
