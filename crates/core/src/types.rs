//! Small shared vocabulary: time, addresses, client operations and results.

use serde::{Deserialize, Serialize};

/// Virtual time. One tick is one simulated millisecond.
pub type Tick = u64;

/// Who sits at the end of a link: a server node or a client.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Addr {
    Node(u32),
    Client(u32),
}

impl Addr {
    #[must_use]
    pub fn node(self) -> Option<u32> {
        match self {
            Addr::Node(n) => Some(n),
            Addr::Client(_) => None,
        }
    }
}

/// What a client asks a node to do with the register.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ClientOp {
    Read,
    Write(u64),
}

/// The version metadata a value carries (lecture 03: "Quorum needs a
/// version number to tell the newest value"): a counter, then the id of the
/// node that stamped it, so two coordinators never produce the same stamp.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Stamp {
    pub counter: u64,
    pub writer: u32,
}

impl std::fmt::Display for Stamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "v{}.{}", self.counter, self.writer)
    }
}

/// Why a node refused or gave up on a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum FailReason {
    /// Fewer than `need` replicas answered before the coordinator's timer.
    NotEnoughReplicas { got: u32, need: u32 },
    /// The node would not serve the request in its current state.
    Unavailable,
}

/// A node's answer to a client.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum OpResult {
    /// A read returns the value and its stamp; a write returns the stamp it wrote.
    Ok {
        value: Option<u64>,
        stamp: Stamp,
    },
    Fail(FailReason),
}
