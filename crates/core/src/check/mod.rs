//! Checkers over client histories: linearizability (with Jepsen history
//! import and export), session guarantees, causal consistency, and the
//! register properties the Quorum lesson needs.

pub mod causal;
pub mod first;
pub mod gen;
pub mod jepsen;
pub mod linear;
pub mod register;
pub mod search;
pub mod session;

use crate::client::{OpRecord, Outcome};
use crate::types::{ClientOp, FailReason};
use linear::{Op, RegisterOp};

/// A simulated register history as checker input: completed reads and
/// writes as they are; writes that failed or timed out stay open (they may
/// have taken effect); failed reads are left out (they constrain nothing).
/// Values are the register's stamps' counters, which are unique per write.
/// In a multi-key store this is the register `X` (key 0).
#[must_use]
pub fn register_ops(history: &[OpRecord]) -> Vec<Op<RegisterOp>> {
    history
        .iter()
        .filter(|r| r.op.key() == 0)
        .filter_map(|r| {
            let input = match (r.op, r.ret) {
                (ClientOp::Read | ClientOp::ReadKey(_), Some((_, Outcome::Ok { value, .. }))) => {
                    RegisterOp::Read(value.map(|v| i64::try_from(v).unwrap_or(i64::MAX)))
                }
                (ClientOp::Read | ClientOp::ReadKey(_), _) => return None,
                // A write refused at the door never took effect.
                (_, Some((_, Outcome::Fail(FailReason::Overloaded)))) => return None,
                (ClientOp::Write(v) | ClientOp::WriteKey(_, v), _) => {
                    RegisterOp::Write(i64::try_from(v).unwrap_or(i64::MAX))
                }
            };
            let ret = match r.ret {
                Some((t, Outcome::Ok { .. })) => Some(t),
                _ => None,
            };
            Some(Op {
                id: usize::try_from(r.id).unwrap_or(usize::MAX),
                process: u64::from(r.client),
                input,
                invoke: r.invoke,
                ret,
            })
        })
        .collect()
}
