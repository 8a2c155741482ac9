//! Guided steps of lecture 03's lessons: WARO and Quorum (N, W, R), and
//! lecture 02's strong consistency, told on the same register.

use super::{
    experiment, got, new_old_or_none, says, says_under, step, up, write_succeeded, Claim, Got,
};
use super::{linearizable, stale, Question, Step};
use crate::check::register::inversions;
use crate::sim::Sim;

/// The value replica `n` holds.
fn holds(sim: &Sim, n: u32) -> Option<u64> {
    sim.world().quorum_replica(n).and_then(crate::quorum::Replica::value)
}

fn inverted(sim: &Sim) -> bool {
    !inversions(&sim.history()).is_empty()
}

const QUORUM_3_2_2: &[Step] = &[
    step(0, &[0]),
    step(140, &[1, 2]),
    Step { from: 200, nodes: &[0], question: None, variants: &["abd"] },
    Step {
        from: 500,
        nodes: &[1, 2],
        question: Some(Question {
            ask_at: 515,
            choices: 3,
            nodes: 0,
            answer_at: 1_000,
            // Client 2 reads through n1 at tick 520.
            answer: |sim| new_old_or_none(sim, 2, 520, 1),
        }),
        variants: &["abd"],
    },
    Step { from: 680, nodes: &[], question: None, variants: &["abd"] },
];

const QUORUM_3_2_2_SAYS: &[&[Claim]] = &[
    &[says(140, "n0 stored 1 before sending it on", |s| holds(s, 0) == Some(1))],
    &[
        says(199, "n1 and n2 missed 1", |s| holds(s, 1).is_none() && holds(s, 2).is_none()),
        says(1_000, "the write is still waiting", |s| got(s, 0, 10) == Some(Got::Running)),
        says(1_600, "the write timed out", |s| got(s, 0, 10) == Some(Got::Failed)),
    ],
    &[
        says(499, "client 1 read 1", |s| got(s, 1, 200) == Some(Got::Read(Some(1)))),
        says(499, "n1 still holds ∅", |s| holds(s, 1).is_none()),
        says_under("abd", 499, "client 1 read 1 after writing it back to n1 and n2", |s| {
            got(s, 1, 200) == Some(Got::Read(Some(1)))
                && holds(s, 1) == Some(1)
                && holds(s, 2) == Some(1)
        }),
    ],
    &[
        says(510, "n0 is down; n1 and n2 hold ∅", |s| {
            !up(s, 0) && holds(s, 1).is_none() && holds(s, 2).is_none()
        }),
        says_under("abd", 510, "n0 is down; n1 and n2 hold 1", |s| {
            !up(s, 0) && holds(s, 1) == Some(1) && holds(s, 2) == Some(1)
        }),
    ],
    &[
        says(700, "client 2 read ∅: one inversion, no stale read", |s| {
            got(s, 2, 520) == Some(Got::Read(None)) && inverted(s) && !stale(s)
        }),
        says(700, "not linearizable", |s| !linearizable(s)),
        says_under("abd", 800, "client 2 read 1, no inversion, linearizable", |s| {
            got(s, 2, 520) == Some(Got::Read(Some(1))) && !inverted(s) && linearizable(s)
        }),
    ],
];

const WARO: &[Step] = &[
    step(0, &[0, 1, 2]),
    Step { from: 200, nodes: &[1], question: None, variants: &["abd"] },
    Step {
        from: 300,
        nodes: &[2],
        question: Some(Question {
            ask_at: 390,
            choices: 2,
            nodes: 0,
            answer_at: 1_200,
            // Client 0 writes 2 through n0 at tick 400.
            answer: |sim| write_succeeded(sim, 0, 400),
        }),
        variants: &[],
    },
    Step { from: 450, nodes: &[0, 1], question: None, variants: &["abd"] },
    step(1_300, &[2]),
];

const WARO_SAYS: &[&[Claim]] = &[
    &[says(199, "the write of 1 succeeded", |s| got(s, 0, 10) == Some(Got::Wrote))],
    &[
        says(299, "client 1 read 1 from n1 alone", |s| got(s, 1, 200) == Some(Got::Read(Some(1)))),
        says_under("abd", 400, "client 1 read 1 after the write-back", |s| {
            got(s, 1, 200) == Some(Got::Read(Some(1)))
        }),
    ],
    &[says(301, "n2 is down", |s| !up(s, 2))],
    &[
        says(600, "both reads returned 2", |s| {
            got(s, 1, 450) == Some(Got::Read(Some(2))) && got(s, 2, 500) == Some(Got::Read(Some(2)))
        }),
        says(1_100, "write 2 failed, yet n0 and n1 hold 2", |s| {
            got(s, 0, 400) == Some(Got::Failed) && holds(s, 0) == Some(2) && holds(s, 1) == Some(2)
        }),
        says_under("abd", 1_200, "the reads failed too", |s| {
            got(s, 1, 450) == Some(Got::Failed) && got(s, 2, 500) == Some(Got::Failed)
        }),
    ],
    &[says(1_700, "write 3 succeeded", |s| got(s, 0, 1_500) == Some(Got::Wrote))],
];

const QUORUM_10_3_8: &[Step] = &[
    step(0, &[0, 1, 2]),
    Step {
        from: 280,
        nodes: &[9],
        question: Some(Question {
            ask_at: 290,
            choices: 3,
            nodes: 0,
            answer_at: 650,
            // Client 1 reads through n9 at tick 300, from R=8 replicas.
            answer: |sim| new_old_or_none(sim, 1, 300, 1),
        }),
        variants: &[],
    },
    step(700, &[]),
];

const QUORUM_10_3_8_SAYS: &[&[Claim]] = &[
    &[says(260, "the write succeeded on n0, n1, n2 only", |s| {
        got(s, 0, 10) == Some(Got::Wrote) && (0..10).all(|n| (holds(s, n) == Some(1)) == (n < 3))
    })],
    &[says(650, "the read returned 1", |s| got(s, 1, 300) == Some(Got::Read(Some(1))))],
    &[says(1_000, "every replica holds 1", |s| (0..10).all(|n| holds(s, n) == Some(1)))],
];

const QUORUM_STALE: &[Step] = &[
    step(0, &[0]),
    step(300, &[0, 1]),
    Step {
        from: 350,
        nodes: &[2, 3, 4],
        question: Some(Question {
            ask_at: 690,
            choices: 3,
            nodes: 0,
            answer_at: 1_400,
            // Client 1 reads through n3 on the other side at tick 700.
            answer: |sim| new_old_or_none(sim, 1, 700, 2),
        }),
        variants: &["r4", "w4"],
    },
    Step { from: 900, nodes: &[], question: None, variants: &["r4", "w4"] },
];

const QUORUM_STALE_SAYS: &[&[Claim]] = &[
    &[says(299, "write 1 succeeded", |s| got(s, 0, 10) == Some(Got::Wrote))],
    &[],
    &[
        says(690, "write 2 succeeded on the minority side", |s| {
            got(s, 0, 350) == Some(Got::Wrote) && holds(s, 1) == Some(2)
        }),
        says_under("r4", 1_100, "write 2 failed: its version query needs 4", |s| {
            got(s, 0, 350) == Some(Got::Failed)
        }),
        says_under("w4", 1_100, "write 2 failed: it needs 4 stores", |s| {
            got(s, 0, 350) == Some(Got::Failed)
        }),
    ],
    &[
        says(900, "the read returned 1: a stale read", |s| {
            got(s, 1, 700) == Some(Got::Read(Some(1))) && stale(s)
        }),
        says_under("r4", 1_400, "the read failed; no stale read", |s| {
            got(s, 1, 700) == Some(Got::Failed) && !stale(s)
        }),
        says_under("w4", 1_100, "the read returned 1, and it is not stale", |s| {
            got(s, 1, 700) == Some(Got::Read(Some(1))) && !stale(s) && linearizable(s)
        }),
    ],
];

const QUORUM_CUSTOM: &[Step] = &experiment(6_000, |s| Some(u32::from(!stale(s))), &[]);

const QUORUM_CUSTOM_SAYS: &[&[Claim]] = &[&[], &[], &[says(6_000, "no stale read", |s| !stale(s))]];

const EC_STRONG: &[Step] = &[
    step(0, &[0]),
    step(200, &[0]),
    Step {
        from: 500,
        nodes: &[1, 2],
        question: Some(Question {
            ask_at: 510,
            choices: 2,
            nodes: 0,
            answer_at: 1_000,
            // Yes / no: is the history linearizable once client 2 has read?
            answer: |s| Some(u32::from(!linearizable(s))),
        }),
        variants: &[],
    },
    Step { from: 680, nodes: &[], question: None, variants: &["abd"] },
];

const EC_STRONG_SAYS: &[&[Claim]] = &[
    &[says(199, "only n0 holds 1", |s| holds(s, 0) == Some(1) && holds(s, 1).is_none())],
    &[says(499, "client 1 read 1", |s| got(s, 1, 200) == Some(Got::Read(Some(1))))],
    &[],
    &[
        says(700, "client 2 read ∅: not linearizable", |s| {
            got(s, 2, 520) == Some(Got::Read(None)) && !linearizable(s) && !stale(s)
        }),
        says_under("abd", 800, "client 2 read 1: linearizable", |s| {
            got(s, 2, 520) == Some(Got::Read(Some(1))) && linearizable(s)
        }),
    ],
];

pub(super) fn steps(id: &str) -> Option<&'static [Step]> {
    Some(match id {
        "quorum-3-2-2" => QUORUM_3_2_2,
        "waro" => WARO,
        "quorum-10-3-8" => QUORUM_10_3_8,
        "quorum-stale" => QUORUM_STALE,
        "quorum-custom" => QUORUM_CUSTOM,
        "ec-strong" => EC_STRONG,
        _ => return None,
    })
}

/// What the steps' texts say, step by step.
pub(super) fn said(id: &str) -> Option<&'static [&'static [Claim]]> {
    Some(match id {
        "quorum-3-2-2" => QUORUM_3_2_2_SAYS,
        "waro" => WARO_SAYS,
        "quorum-10-3-8" => QUORUM_10_3_8_SAYS,
        "quorum-stale" => QUORUM_STALE_SAYS,
        "quorum-custom" => QUORUM_CUSTOM_SAYS,
        "ec-strong" => EC_STRONG_SAYS,
        _ => return None,
    })
}
