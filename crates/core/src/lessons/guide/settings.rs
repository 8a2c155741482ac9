//! The switches each lesson offers, as settings a step's text can follow:
//! the same changes the panels make (write-back, back-off, a broken
//! variant, causal delivery, CP…), each with a tag (`abd`, `backoff`,
//! `forget`…) that names the step texts written for it.

use crate::eventual::{Delivery, EventualConfig, Session};
use crate::paxos::{PaxosConfig, Variant as PaxosVariant};
use crate::quorum::QuorumConfig;
use crate::scenario::{ProtocolConfig, Scenario};
use crate::zab::{Variant as ZabVariant, ZabConfig};

/// One setting of one switch.
#[derive(Clone, Copy, Debug)]
pub struct Setting {
    pub tag: &'static str,
    /// Turn the setting on in a lesson's scenario.
    pub apply: fn(&mut Scenario),
    /// Whether a scenario has it on.
    pub on: fn(&Scenario) -> bool,
}

fn quorum(s: &mut Scenario) -> Option<&mut QuorumConfig> {
    match &mut s.protocol {
        ProtocolConfig::Quorum(q) => Some(q),
        _ => None,
    }
}

fn quorum_of(s: &Scenario) -> Option<&QuorumConfig> {
    match &s.protocol {
        ProtocolConfig::Quorum(q) => Some(q),
        _ => None,
    }
}

fn paxos(s: &mut Scenario) -> Option<&mut PaxosConfig> {
    match &mut s.protocol {
        ProtocolConfig::Paxos(p) => Some(p),
        _ => None,
    }
}

fn paxos_of(s: &Scenario) -> Option<&PaxosConfig> {
    match &s.protocol {
        ProtocolConfig::Paxos(p) => Some(p),
        _ => None,
    }
}

fn zab(s: &mut Scenario) -> Option<&mut ZabConfig> {
    match &mut s.protocol {
        ProtocolConfig::Zab(z) => Some(z),
        _ => None,
    }
}

fn zab_of(s: &Scenario) -> Option<&ZabConfig> {
    match &s.protocol {
        ProtocolConfig::Zab(z) => Some(z),
        _ => None,
    }
}

fn store(s: &mut Scenario) -> Option<&mut EventualConfig> {
    match &mut s.protocol {
        ProtocolConfig::Eventual(c) => Some(c),
        _ => None,
    }
}

fn store_of(s: &Scenario) -> Option<&EventualConfig> {
    match &s.protocol {
        ProtocolConfig::Eventual(c) => Some(c),
        _ => None,
    }
}

/// Read write-back (ABD).
pub const ABD: Setting = Setting {
    tag: "abd",
    apply: |s| quorum(s).into_iter().for_each(|q| q.write_back = true),
    on: |s| quorum_of(s).is_some_and(|q| q.write_back),
};

/// `quorum-stale`'s invitation: raise R to 4 (W + R > N).
pub const R4: Setting = Setting {
    tag: "r4",
    apply: |s| quorum(s).into_iter().for_each(|q| q.r = 4),
    on: |s| quorum_of(s).is_some_and(|q| q.r == 4),
};

/// `quorum-stale`'s invitation: raise W to 4 (W + R > N).
pub const W4: Setting = Setting {
    tag: "w4",
    apply: |s| quorum(s).into_iter().for_each(|q| q.w = 4),
    on: |s| quorum_of(s).is_some_and(|q| q.w == 4),
};

pub const BACKOFF: Setting = Setting {
    tag: "backoff",
    apply: |s| paxos(s).into_iter().for_each(|p| p.backoff = true),
    on: |s| paxos_of(s).is_some_and(|p| p.backoff),
};

macro_rules! paxos_variant {
    ($name:ident, $tag:literal, $v:expr) => {
        pub const $name: Setting = Setting {
            tag: $tag,
            apply: |s| paxos(s).into_iter().for_each(|p| p.variant = $v),
            on: |s| paxos_of(s).is_some_and(|p| p.variant == $v),
        };
    };
}

paxos_variant!(PAXOS_FAITHFUL, "faithful", PaxosVariant::Faithful);
paxos_variant!(FORGET, "forget", PaxosVariant::PromiseInMemory);
paxos_variant!(REUSE, "reuse", PaxosVariant::ReuseNumbers);
paxos_variant!(LOWEST, "lowest", PaxosVariant::AdoptLowest);

pub const SYNC: Setting = Setting {
    tag: "sync",
    apply: |s| zab(s).into_iter().for_each(|z| z.sync_reads = true),
    on: |s| zab_of(s).is_some_and(|z| z.sync_reads),
};

macro_rules! zab_variant {
    ($name:ident, $tag:literal, $v:expr) => {
        pub const $name: Setting = Setting {
            tag: $tag,
            apply: |s| zab(s).into_iter().for_each(|z| z.variant = $v),
            on: |s| zab_of(s).is_some_and(|z| z.variant == $v),
        };
    };
}

zab_variant!(ZAB_FAITHFUL, "faithful", ZabVariant::Faithful);
zab_variant!(COMMIT, "commit", ZabVariant::CommitBeforeQuorum);
zab_variant!(MYID, "myid", ZabVariant::ElectionIgnoresZxid);
zab_variant!(ACK, "ack", ZabVariant::AckBeforePersist);
zab_variant!(EPOCH, "epoch", ZabVariant::EpochPersistLate);

pub const CAUSAL: Setting = Setting {
    tag: "causal",
    apply: |s| store(s).into_iter().for_each(|c| c.delivery = Delivery::Causal),
    on: |s| store_of(s).is_some_and(|c| c.delivery == Delivery::Causal),
};

pub const STICKY: Setting = Setting {
    tag: "sticky",
    apply: |s| store(s).into_iter().for_each(|c| c.session = Session::Sticky),
    on: |s| store_of(s).is_some_and(|c| c.session == Session::Sticky),
};

pub const TOKEN: Setting = Setting {
    tag: "token",
    apply: |s| store(s).into_iter().for_each(|c| c.session = Session::Token),
    on: |s| store_of(s).is_some_and(|c| c.session == Session::Token),
};

pub const REPLICATE: Setting = Setting {
    tag: "replicate",
    apply: |s| store(s).into_iter().for_each(|c| c.replicate = true),
    on: |s| store_of(s).is_some_and(|c| c.replicate),
};

pub const NO_REPLICATE: Setting = Setting {
    tag: "no-replicate",
    apply: |s| store(s).into_iter().for_each(|c| c.replicate = false),
    on: |s| store_of(s).is_some_and(|c| !c.replicate),
};

/// Anti-entropy on (the panel's period).
pub const GOSSIP: Setting = Setting {
    tag: "gossip",
    apply: |s| store(s).into_iter().for_each(|c| c.anti_entropy_ticks = 400),
    on: |s| store_of(s).is_some_and(|c| c.anti_entropy_ticks > 0),
};

pub const NO_GOSSIP: Setting = Setting {
    tag: "no-gossip",
    apply: |s| store(s).into_iter().for_each(|c| c.anti_entropy_ticks = 0),
    on: |s| store_of(s).is_some_and(|c| c.anti_entropy_ticks == 0),
};

/// The CAP lessons' CP side.
pub const CP: Setting = Setting {
    tag: "cp",
    apply: |s| super::super::consistency::set_cap_mode(s, true),
    on: super::super::consistency::is_cp,
};

/// The flash sale's bounded queue.
pub const QUEUE: Setting = Setting {
    tag: "queue",
    apply: |s| store(s).into_iter().for_each(|c| c.queue_limit = 3),
    on: |s| store_of(s).is_some_and(|c| c.queue_limit > 0),
};

/// The window lesson's load slider at its top: eight clients writing.
pub const LOAD: Setting = Setting { tag: "load", apply: |s| s.clients = 8, on: |s| s.clients >= 8 };

/// The window lesson's latency slider far up: 120–360 ticks one way.
pub const FAR: Setting = Setting {
    tag: "far",
    apply: |s| {
        s.network.latency_ticks_min = 120;
        s.network.latency_ticks_max = 360;
    },
    on: |s| s.network.latency_ticks_min >= 120,
};

const QUORUM: &[Setting] = &[ABD];
const QUORUM_STALE: &[Setting] = &[ABD, R4, W4];
const PAXOS: &[Setting] = &[BACKOFF, FORGET, REUSE, LOWEST];
const PAXOS_FORGET: &[Setting] = &[BACKOFF, PAXOS_FAITHFUL, REUSE, LOWEST];
const ZAB: &[Setting] = &[SYNC, COMMIT, MYID, ACK, EPOCH];
const STORE: &[Setting] = &[CAUSAL, STICKY, TOKEN, REPLICATE, NO_REPLICATE, GOSSIP, NO_GOSSIP];
const CAP: &[Setting] = &[CP, CAUSAL, STICKY, TOKEN, REPLICATE, NO_REPLICATE, GOSSIP, NO_GOSSIP];
const BASE: &[Setting] =
    &[QUEUE, CAUSAL, STICKY, TOKEN, REPLICATE, NO_REPLICATE, GOSSIP, NO_GOSSIP];
const WINDOW: &[Setting] =
    &[LOAD, FAR, CAUSAL, STICKY, TOKEN, REPLICATE, NO_REPLICATE, GOSSIP, NO_GOSSIP];

/// Every setting of the switches lesson `id` offers, both ways for an
/// on/off switch (a setting its default already has is not a change:
/// see [`changes`]).
#[must_use]
pub fn settings(id: &str) -> &'static [Setting] {
    match id {
        "quorum-stale" => QUORUM_STALE,
        "waro" | "ec-strong" => QUORUM,
        _ if id.starts_with("quorum-") => QUORUM,
        "paxos-forget" => PAXOS_FORGET,
        _ if id.starts_with("paxos-") => PAXOS,
        "cap-registry" => ZAB,
        _ if id.starts_with("zab-") => ZAB,
        "cap-proof" | "cap-sla" => CAP,
        "ec-base" => BASE,
        "ec-window" => WINDOW,
        _ if id.starts_with("ec-") => STORE,
        _ => &[],
    }
}

/// The settings of lesson `id` that change its default `lesson`.
#[must_use]
pub fn changes(id: &str, lesson: &Scenario) -> Vec<Setting> {
    settings(id).iter().filter(|s| !(s.on)(lesson)).copied().collect()
}
