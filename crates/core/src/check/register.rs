//! Two properties of a single versioned register, judged from the history.
//!
//! * **No stale read** (a *regular* register): a read never returns a value
//!   older than a write that completed before the read began. Quorum with
//!   W + R > N guarantees this: the read's R replicas overlap the write's W.
//! * **No new/old inversion** (one step towards linearizability): if a read
//!   completed before another read began, the later one never returns an
//!   older value. Quorum alone does not guarantee this (lecture 03: "Quorum
//!   cannot guarantee strong consistency"); ABD's read write-back does.
//!
//! Values are compared by their stamps (the version metadata), which are
//! unique per write.

use crate::client::OpRecord;
use crate::types::ClientOp;

/// A broken property, naming the two operations involved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Violation {
    /// `read` began after `write` completed but returned an older stamp.
    StaleRead { write: u64, read: u64 },
    /// `later` began after `earlier` completed but returned an older stamp.
    Inversion { earlier: u64, later: u64 },
}

/// Reads that missed a write completed before they began.
#[must_use]
pub fn stale_reads(history: &[OpRecord]) -> Vec<Violation> {
    let mut out = Vec::new();
    for r in history.iter().filter(|r| r.op == ClientOp::Read) {
        let Some((_, _, read_stamp)) = r.ok() else {
            continue;
        };
        let newest_before = history
            .iter()
            .filter(|w| matches!(w.op, ClientOp::Write(_)))
            .filter_map(|w| w.ok().map(|(t, _, s)| (w.id, t, s)))
            .filter(|&(_, done, _)| done < r.invoke)
            .max_by_key(|&(_, _, s)| s);
        if let Some((wid, _, ws)) = newest_before {
            if ws > read_stamp {
                out.push(Violation::StaleRead { write: wid, read: r.id });
            }
        }
    }
    out
}

/// Pairs of reads where the later one saw an older value.
#[must_use]
pub fn inversions(history: &[OpRecord]) -> Vec<Violation> {
    let reads: Vec<_> = history
        .iter()
        .filter(|r| r.op == ClientOp::Read)
        .filter_map(|r| r.ok().map(|(done, _, s)| (r.id, r.invoke, done, s)))
        .collect();
    let mut out = Vec::new();
    for &(later, invoke, _, s_later) in &reads {
        if let Some(&(earlier, ..)) = reads
            .iter()
            .filter(|&&(_, _, done, s)| done < invoke && s > s_later)
            .max_by_key(|&&(_, _, _, s)| s)
        {
            out.push(Violation::Inversion { earlier, later });
        }
    }
    out
}
