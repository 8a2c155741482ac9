//! # Quorumscope core
//!
//! A deterministic discrete-event simulator for teaching distributed systems.
//! A [`World`] holds virtual time in integer ticks, an event queue ordered by
//! `(tick, sequence number)`, the nodes (sans-I/O state machines that return
//! their effects as data), the clients, an inspectable [`Network`] and one
//! seeded RNG. Everything a user does is an [`Action`] placed after a given
//! event number, so a [`Scenario`] (protocol + config + network + workload +
//! seed + actions) replays bit for bit, natively and in WebAssembly.
//!
//! [`Sim`] wraps a world with its trace, snapshots and time travel
//! (`seek`); [`link`] turns a scenario into a share link and back.
//!
//! Data flow: scenario → world → trace + client history → checkers.

pub mod bench;
pub mod challenge;
pub mod check;
pub mod client;
pub mod eventual;
pub mod explore;
pub mod export;
pub mod hash;
pub mod hunt;
pub mod lessons;
pub mod link;
pub mod net;
pub mod node;
pub mod oracle;
pub mod order;
pub mod paxos;
pub mod quorum;
pub mod rng;
pub mod safety;
pub mod scenario;
pub mod sim;
pub mod sla;
pub mod small;
pub mod spacetime;
pub mod swarm;
pub mod trace;
pub mod types;
pub mod world;
pub mod zab;

pub use client::{History, OpRecord, Outcome};
pub use net::{LinkState, NetConfig, Network};
pub use node::{Effect, Msg, Note, Out};
pub use scenario::{Action, ActionKind, ConfigError, ProtocolConfig, Scenario};
pub use sim::Sim;
pub use trace::{Happened, TraceEntry};
pub use types::{Addr, ClientOp, FailReason, OpResult, Stamp, Tick};
pub use world::World;

/// Version of the simulation engine. A run replays identically only on the
/// engine version that recorded it; scenarios carry it.
pub const ENGINE_VERSION: u32 = 1;
