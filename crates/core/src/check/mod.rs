//! Checkers over client histories.
//!
//! This module starts with the two register properties the Quorum lesson
//! needs; the linearizability, session and causal checkers grow here.

pub mod register;
