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
    /// Read one key of a multi-key store (lecture 02's photo, comment and
    /// reply). Protocols with a single register ignore the key.
    ReadKey(u32),
    /// Write one key of a multi-key store.
    WriteKey(u32, u64),
}

/// Names of the keys of a multi-key store: `X` is lecture 01's data item
/// (and the single register every other protocol holds); the photo, the
/// comment on it and the reply to the comment are lecture 02's causal example.
pub const KEY_NAMES: [&str; 4] = ["X", "photo", "comment", "reply"];

/// A key's name (`k7` beyond the named ones).
#[must_use]
pub fn key_name(key: u32) -> String {
    KEY_NAMES.get(key as usize).map_or_else(|| format!("k{key}"), |s| (*s).to_string())
}

impl std::fmt::Display for ClientOp {
    /// `get`, `put 3`, `get photo`, `put comment=2`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            ClientOp::Read => write!(f, "get"),
            ClientOp::Write(v) => write!(f, "put {v}"),
            ClientOp::ReadKey(k) => write!(f, "get {}", key_name(k)),
            ClientOp::WriteKey(k, v) => write!(f, "put {}={v}", key_name(k)),
        }
    }
}

impl ClientOp {
    /// The key the operation touches: `Read` and `Write` use key 0.
    #[must_use]
    pub fn key(self) -> u32 {
        match self {
            ClientOp::Read | ClientOp::Write(_) => 0,
            ClientOp::ReadKey(k) | ClientOp::WriteKey(k, _) => k,
        }
    }

    /// The value written, for a write.
    #[must_use]
    pub fn written(self) -> Option<u64> {
        match self {
            ClientOp::Write(v) | ClientOp::WriteKey(_, v) => Some(v),
            ClientOp::Read | ClientOp::ReadKey(_) => None,
        }
    }

    /// The same operation on key 0: what a single-register protocol sees.
    #[must_use]
    pub fn on_register(self) -> ClientOp {
        match self.written() {
            Some(v) => ClientOp::Write(v),
            None => ClientOp::Read,
        }
    }
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
    /// The node is at capacity and refused the request at once, rather than
    /// let it wait (BASE's "basically available": rate limiting).
    Overloaded,
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
