//! Checkers over client histories: linearizability (with Jepsen history
//! import and export), and the register properties the Quorum lesson needs.

pub mod jepsen;
pub mod linear;
pub mod register;
