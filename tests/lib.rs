//! Shared helpers for the cross-crate tests: the swarm generators live in
//! the core (`qcore::swarm`), where `quorumscope sweep` uses them too.

pub use qcore::swarm::*;
