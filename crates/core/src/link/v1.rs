//! The scenario as format v1 laid it out, frozen, so that links made before
//! Paxos had learner nodes still open. Postcard writes fields in order with
//! no names, so a field added anywhere changes the layout: v1 payloads are
//! read with these types and converted, never re-encoded.

use serde::Deserialize;

use crate::eventual::EventualConfig;
use crate::net::NetConfig;
use crate::paxos::{PaxosConfig, Variant};
use crate::quorum::QuorumConfig;
use crate::scenario::{Action, ProtocolConfig, RandomWorkload, Scenario, ScriptedOp};
use crate::zab::ZabConfig;

#[derive(Deserialize)]
pub(super) struct ScenarioV1 {
    engine: u32,
    protocol: ProtocolV1,
    network: NetConfig,
    clients: u32,
    client_timeout_ticks: u32,
    workload: Vec<ScriptedOp>,
    random_workload: Option<RandomWorkload>,
    seed: u64,
    actions: Vec<Action>,
}

#[derive(Deserialize)]
enum ProtocolV1 {
    Quorum(QuorumConfig),
    Paxos(PaxosV1),
    Zab(ZabConfig),
    Eventual(EventualConfig),
}

/// Paxos before learner nodes.
#[derive(Deserialize)]
struct PaxosV1 {
    proposers: u32,
    acceptors: u32,
    backoff: bool,
    retry_ticks: u32,
    collect_ticks: u32,
    variant: Variant,
}

impl From<ScenarioV1> for Scenario {
    fn from(s: ScenarioV1) -> Self {
        let protocol = match s.protocol {
            ProtocolV1::Quorum(q) => ProtocolConfig::Quorum(q),
            ProtocolV1::Paxos(p) => ProtocolConfig::Paxos(PaxosConfig {
                proposers: p.proposers,
                acceptors: p.acceptors,
                backoff: p.backoff,
                retry_ticks: p.retry_ticks,
                collect_ticks: p.collect_ticks,
                variant: p.variant,
                learners: 0,
            }),
            ProtocolV1::Zab(z) => ProtocolConfig::Zab(z),
            ProtocolV1::Eventual(e) => ProtocolConfig::Eventual(e),
        };
        Scenario {
            engine: s.engine,
            protocol,
            network: s.network,
            clients: s.clients,
            client_timeout_ticks: s.client_timeout_ticks,
            workload: s.workload,
            random_workload: s.random_workload,
            seed: s.seed,
            actions: s.actions,
        }
    }
}
