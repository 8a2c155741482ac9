//! "You are the network": what waits on the wire and on the nodes' timers
//! while the user is the network, and the commands that move it.

use std::rc::Rc;

use qcore::scenario::{ActionKind, ConfigError};
use qcore::{Addr, ProtocolConfig};

use super::{Driver, Summary};

/// A message waiting for the user.
#[derive(Clone, Debug, PartialEq)]
pub struct HeldMsg {
    pub id: u64,
    pub from: String,
    pub to: String,
    pub label: String,
    /// Ticks since it was sent.
    pub age: u64,
    /// On a FIFO link, an older message waits ahead of it: it cannot be
    /// delivered first (TCP keeps order), only dropped or duplicated.
    pub behind: bool,
}

/// A node timer waiting to be fired by hand.
#[derive(Clone, Debug, PartialEq)]
pub struct HeldTimer {
    pub node: u32,
    pub key: u64,
    /// `node.timer` catalog key naming it.
    pub name: &'static str,
    /// The tick it was due at.
    pub due: u64,
}

/// What waits, while the user is the network.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Held {
    pub messages: Vec<HeldMsg>,
    pub timers: Vec<HeldTimer>,
    /// The held message selected (on the canvas, in the diagram or by keys).
    pub selected: Option<u64>,
}

/// The catalog key naming timer `key` of a node of protocol `p`.
fn timer_name(p: &ProtocolConfig, key: u64) -> &'static str {
    match (p, key) {
        (ProtocolConfig::Paxos(_), 1) => "timer.phase",
        (ProtocolConfig::Paxos(_), 2) => "timer.backoff",
        (ProtocolConfig::Paxos(_), 3) => "timer.read",
        (ProtocolConfig::Zab(_), 1) => "timer.election",
        (ProtocolConfig::Zab(_), 2) => "timer.finalize",
        (ProtocolConfig::Zab(_), 3) => "timer.tick",
        (ProtocolConfig::Zab(_), 4) => "timer.init",
        (ProtocolConfig::Zab(_), 5) => "timer.connect",
        (ProtocolConfig::Eventual(_), 1) => "timer.gossip",
        (ProtocolConfig::Eventual(_), 2 | 3) => "timer.apply",
        (ProtocolConfig::Eventual(_), _) => "timer.service",
        // The quorum coordinator times out each operation by its id.
        _ => "timer.op",
    }
}

impl Driver {
    /// Whether the user is the network.
    #[must_use]
    pub fn manual(&self) -> bool {
        self.sim.world().manual()
    }

    /// What waits for the user, when the user is the network.
    pub(super) fn held(&self) -> Option<Rc<Held>> {
        let w = self.sim.world();
        if !w.manual() {
            return None;
        }
        let s = self.sim.scenario();
        let name = |a: Addr| match a {
            Addr::Node(n) => qscene::node_name(&s.protocol, n),
            Addr::Client(c) => format!("c{c}"),
        };
        let fifo = w.net().cfg.fifo;
        let mut seen: Vec<(Addr, Addr)> = Vec::new();
        let messages = w
            .net()
            .in_flight()
            .filter(|m| m.deliver.is_none())
            .map(|m| HeldMsg {
                id: m.id,
                from: name(m.from),
                to: name(m.to),
                label: m.msg.label_in(&s.protocol),
                age: self.sim.now().saturating_sub(m.sent),
                behind: fifo && {
                    let ahead = seen.contains(&(m.from, m.to));
                    seen.push((m.from, m.to));
                    ahead
                },
            })
            .collect();
        let timers = w
            .nodes()
            .iter()
            .zip(0u32..)
            .filter(|(slot, _)| slot.up)
            .flat_map(|(slot, node)| {
                slot.timers().map(move |(key, due)| HeldTimer {
                    node,
                    key,
                    name: timer_name(&s.protocol, key),
                    due,
                })
            })
            .collect();
        let selected = match self.st.selected {
            Some(qscene::Selected::Message(id)) => Some(id),
            _ => None,
        };
        Some(Rc::new(Held { messages, timers, selected }))
    }

    /// The held messages that can go now, oldest first.
    fn deliverable(&self) -> Vec<u64> {
        self.held()
            .map(|h| h.messages.iter().filter(|m| !m.behind).map(|m| m.id).collect())
            .unwrap_or_default()
    }

    /// Deliver the oldest message that can go.
    pub fn deliver_next(&mut self) -> Result<Summary, ConfigError> {
        match self.deliverable().first() {
            Some(&id) => self.act(ActionKind::DeliverMessage(id)),
            None => Ok(self.summary()),
        }
    }

    /// Deliver every message waiting now, oldest first (each its own action,
    /// so undo takes them back one by one). What they cause waits in turn.
    pub fn deliver_all(&mut self) -> Result<Summary, ConfigError> {
        let mut out = Ok(self.summary());
        for id in self.deliverable() {
            out = self.act(ActionKind::DeliverMessage(id));
        }
        out
    }

    /// Select held message `id` (as a click on it on the canvas does).
    pub fn select_message(&mut self, id: u64) -> Summary {
        self.st.selected = Some(qscene::Selected::Message(id));
        self.dirty = true;
        self.summary()
    }

    /// Move the selection `by` places through the held messages.
    pub fn select_held(&mut self, by: i64) -> Summary {
        if let Some(h) = self.held().filter(|h| !h.messages.is_empty()) {
            let at = h.messages.iter().position(|m| Some(m.id) == h.selected);
            let n = h.messages.len() as i64;
            let next = at.map_or(if by > 0 { 0 } else { n - 1 }, |i| (i as i64 + by).rem_euclid(n));
            self.st.selected = Some(qscene::Selected::Message(h.messages[next as usize].id));
            self.dirty = true;
        }
        self.summary()
    }

    /// Deliver (`'d'`), drop (`'x'`) or duplicate (`'u'`) the selected held
    /// message.
    pub fn act_on_selected(&mut self, what: char) -> Result<Summary, ConfigError> {
        let Some(h) = self.held() else { return Ok(self.summary()) };
        let Some(m) = h.messages.iter().find(|m| Some(m.id) == h.selected) else {
            return Ok(self.summary());
        };
        let kind = match what {
            'd' if !m.behind => ActionKind::DeliverMessage(m.id),
            'x' => ActionKind::DropMessage(m.id),
            'u' => ActionKind::DuplicateMessage(m.id),
            _ => return Ok(self.summary()),
        };
        let at = h.messages.iter().position(|x| x.id == m.id).unwrap_or(0);
        self.act(kind)?;
        // The selection moves on to what now stands in the same place.
        let next = self.held().and_then(|h| {
            let i = at.min(h.messages.len().checked_sub(1)?);
            Some(h.messages[i].id)
        });
        self.st.selected = next.map(qscene::Selected::Message);
        Ok(self.summary())
    }
}
