//! Challenges: goals a student tries to reach with their own hands ("make
//! two values be chosen", "lose a committed write", "read an old value after
//! a newer one was read"), then asks the search.
//!
//! Each challenge is a safety rule to break, on the small configuration the
//! page's search covers, with "you are the network" on. It is impossible in
//! the faithful protocol (the search of that configuration completes with
//! no violation: `tests/challenges.rs`) and possible with one broken
//! variant (the search finds a schedule, and the schedule replays). A run
//! solves a challenge when the rule broke in it, whatever the student
//! changed on the way: the properties panel is the judge, so a shared link
//! of a solved run shows it solved.

use crate::paxos::explore as px;
use crate::quorum::explore as qx;
use crate::safety::Rule;
use crate::scenario::{ProtocolConfig, Scenario};
use crate::sim::Sim;
use crate::types::Tick;
use crate::zab::explore as zx;

/// The broken variant that makes a challenge possible.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Broken {
    Paxos(crate::paxos::Variant),
    Zab(crate::zab::Variant),
    /// Quorum has no broken code, only settings the lecture warns about:
    /// the challenge's faithful settings and the ones that allow it.
    Quorum {
        faithful: qx::Bounds,
        broken: qx::Bounds,
    },
}

/// A goal to reach.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Challenge {
    /// Names it in the string catalog and in links.
    pub id: &'static str,
    /// The rule the run must break.
    pub goal: Rule,
    pub broken: Broken,
}

/// Every challenge, grouped by protocol. The Quorum ones are lecture 03's
/// two warnings: W + R ≤ N lets a read miss a finished write (even with
/// ABD's write-back), and W + R > N without the write-back still lets a
/// later read see an older value. A search stops at the first property
/// broken, so each faithful setting must keep both (ABD does).
pub const ALL: &[Challenge] = &[
    Challenge {
        id: "paxos-two-chosen",
        goal: Rule::TwoValuesChosen,
        broken: Broken::Paxos(crate::paxos::Variant::PromiseInMemory),
    },
    Challenge {
        id: "zab-lose-committed",
        goal: Rule::ZabCommittedLost,
        broken: Broken::Zab(crate::zab::Variant::CommitBeforeQuorum),
    },
    Challenge {
        id: "quorum-stale",
        goal: Rule::StaleRead,
        broken: Broken::Quorum {
            faithful: qx::Bounds { w: 2, r: 2, write_back: true },
            broken: qx::Bounds { w: 2, r: 1, write_back: true },
        },
    },
    Challenge {
        id: "quorum-inversion",
        goal: Rule::NewOldInversion,
        broken: Broken::Quorum {
            faithful: qx::Bounds { w: 2, r: 2, write_back: true },
            broken: qx::Bounds { w: 2, r: 2, write_back: false },
        },
    },
];

/// The challenge named `id`.
#[must_use]
pub fn by_id(id: &str) -> Option<&'static Challenge> {
    ALL.iter().find(|c| c.id == id)
}

/// The challenges of the protocol `p` runs.
pub fn of(p: &ProtocolConfig) -> impl Iterator<Item = &'static Challenge> + '_ {
    ALL.iter().filter(move |c| {
        matches!(
            (c.broken, p),
            (Broken::Paxos(_), ProtocolConfig::Paxos(_))
                | (Broken::Zab(_), ProtocolConfig::Zab(_))
                | (Broken::Quorum { .. }, ProtocolConfig::Quorum(_))
        )
    })
}

impl Challenge {
    /// Where the student starts: the configuration the search covers, with
    /// "you are the network" on, faithful or with the broken variant; and
    /// the tick to open it at. Paxos starts with both clients' requests on
    /// the wire; Zab starts from a settled epoch 1 (the first write
    /// committed, the second on the wire), where losing a write is a matter
    /// of a crash and the next election, not of booting by hand.
    ///
    /// # Errors
    /// Never for the built-in challenges (the explorer's own start replays).
    pub fn start(&self, broken: bool) -> Result<(Scenario, Tick), String> {
        let s = match self.broken {
            Broken::Paxos(v) => {
                let v = if broken { v } else { crate::paxos::Variant::Faithful };
                px::counterexample_scenario(&px::Bounds::small(v), &[])?
            }
            Broken::Zab(v) => {
                let v = if broken { v } else { crate::zab::Variant::Faithful };
                zx::counterexample_scenario(&zx::Bounds::second_epoch(v), &[])?
            }
            // The write is sent at tick 100: open there, with it on the wire.
            Broken::Quorum { faithful, broken: b } => {
                return Ok((qx::start(if broken { &b } else { &faithful })?, 100));
            }
        };
        // Paxos: the requests are sent at tick 1, so open just after.
        let at = s.actions.last().map_or(0, |a| a.tick).max(2);
        Ok((s, at))
    }

    /// The tick the run so far broke the challenge's rule, if it did.
    #[must_use]
    pub fn solved(&self, sim: &Sim) -> Option<Tick> {
        crate::hunt::first_break(sim, self.goal)
    }

    /// Whether `p` runs the variant that makes this challenge possible.
    #[must_use]
    pub fn is_broken(&self, p: &ProtocolConfig) -> bool {
        match (self.broken, p) {
            (Broken::Paxos(v), ProtocolConfig::Paxos(c)) => c.variant == v,
            (Broken::Zab(v), ProtocolConfig::Zab(c)) => c.variant == v,
            (Broken::Quorum { broken: b, .. }, ProtocolConfig::Quorum(c)) => {
                (c.n, c.w, c.r, c.write_back) == (qx::REPLICAS, b.w, b.r, b.write_back)
            }
            _ => false,
        }
    }
}
