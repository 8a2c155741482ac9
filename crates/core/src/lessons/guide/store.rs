//! Guided steps of lectures 01 and 02's lessons: CAP, BASE and the
//! consistency models on the eventually consistent store (Server i+1 is
//! node i). The CAP lessons' CP side runs the quorum register instead.

use super::{
    experiment, got, new_old_or_none, says, says_under, step, told, Claim, Got, Question, Step,
};
use super::{linearizable, stale};
use crate::check::{causal, session};
use crate::client::Outcome;
use crate::sim::Sim;

fn causal_broken(s: &Sim) -> bool {
    !causal::check(&causal::from_history(&s.history())).is_empty()
}

fn session_broken(s: &Sim) -> bool {
    !session::check(&s.history()).is_empty()
}

/// Answered operations, and all that have ended.
fn answered(s: &Sim) -> (usize, usize) {
    let h = s.history();
    let ended: Vec<_> = h.iter().filter_map(|o| o.ret).collect();
    let ok = ended.iter().filter(|(_, o)| matches!(o, Outcome::Ok { .. })).count();
    (ok, ended.len())
}

fn all_answered(s: &Sim) -> bool {
    let (ok, ended) = answered(s);
    ok == ended && ended > 0
}

/// The values client `c`'s reads returned, in order.
fn reads_of(s: &Sim, c: u32) -> Vec<Option<u64>> {
    s.history()
        .iter()
        .filter(|o| o.client == c && o.op.written().is_none())
        .filter_map(|o| o.ok().map(|(_, v, _)| v))
        .collect()
}

fn windows(s: &Sim) -> Vec<crate::eventual::window::Window> {
    crate::eventual::window::windows(s.trace(), s.scenario().protocol.nodes())
}

const CAP_PROOF: &[Step] = &[
    step(0, &[0]),
    step(400, &[0, 1]),
    step(900, &[0, 1]),
    Step {
        from: 1_000,
        nodes: &[1],
        question: Some(Question {
            ask_at: 1_290,
            choices: 3,
            nodes: 0,
            answer_at: 1_900,
            // Client 1 reads X on Server2 during the partition.
            answer: |sim| new_old_or_none(sim, 1, 1_300, 3),
        }),
        variants: &["cp"],
    },
    Step { from: 2_000, nodes: &[0, 1], question: None, variants: &["cp", "no-gossip"] },
];

const CAP_PROOF_SAYS: &[&[Claim]] = &[
    &[says(450, "c0 wrote 1 and c1 read 1 on Server1", |s| {
        told(s, 0, 10) == Some(1) && got(s, 1, 200) == Some(Got::Read(Some(1)))
    })],
    &[says(890, "c1 read 2 on Server2", |s| got(s, 1, 650) == Some(Got::Read(Some(2))))],
    &[],
    &[
        says(1_290, "Server1 took X=3 at once", |s| told(s, 0, 1_000) == Some(3)),
        says_under("cp", 1_600, "the write of 3 failed", |s| got(s, 0, 1_000) == Some(Got::Failed)),
    ],
    &[
        says(2_000, "c1 read the old 2: not linearizable, all answered", |s| {
            got(s, 1, 1_300) == Some(Got::Read(Some(2))) && !linearizable(s) && all_answered(s)
        }),
        says(2_700, "after the heal Server2 has 3", |s| {
            got(s, 1, 2_600) == Some(Got::Read(Some(3)))
        }),
        says_under("no-gossip", 2_700, "after the heal Server2 still has 2", |s| {
            got(s, 1, 1_300) == Some(Got::Read(Some(2)))
                && got(s, 1, 2_600) == Some(Got::Read(Some(2)))
        }),
        says_under("cp", 2_000, "the read failed too; linearizable", |s| {
            got(s, 1, 1_300) == Some(Got::Failed) && linearizable(s)
        }),
    ],
];

const CAP_SLA: &[Step] = &[
    step(0, &[0, 1]),
    Step {
        from: 3_000,
        nodes: &[0, 1],
        question: Some(Question {
            ask_at: 3_000,
            choices: 2,
            nodes: 0,
            answer_at: 7_000,
            answer: |s| Some(u32::from(!all_answered(s))),
        }),
        variants: &[],
    },
    Step { from: 6_000, nodes: &[], question: None, variants: &["cp", "sticky|token|causal"] },
];

const CAP_SLA_SAYS: &[&[Claim]] = &[
    &[],
    &[],
    &[
        says(7_000, "all answered, some stale", |s| all_answered(s) && !linearizable(s)),
        says_under("sticky", 7_000, "some requests timed out", |s| !all_answered(s)),
        says_under("cp", 7_000, "some failed; linearizable", |s| {
            !all_answered(s) && linearizable(s)
        }),
    ],
];

const EC_BASE: &[Step] = &[
    Step { from: 0, nodes: &[0], question: None, variants: &["queue"] },
    Step {
        from: 300,
        nodes: &[0],
        question: Some(Question {
            ask_at: 300,
            choices: 2,
            nodes: 0,
            answer_at: 6_000,
            // Most of the burst served in time, or only a few.
            answer: |s| Some(u32::from(2 * served_of_burst(s) < 80)),
        }),
        variants: &[],
    },
    Step { from: 1_500, nodes: &[0], question: None, variants: &["queue"] },
    step(3_000, &[]),
];

const EC_BASE_SAYS: &[&[Claim]] = &[
    &[
        says(600, "the quiet orders were served", |s| {
            (0..8).all(|c| told(s, c, 20 + 30 * u64::from(c)).is_some())
        }),
        says_under("queue", 600, "a quiet order was refused at once, none timed out", |s| {
            let quiet: Vec<_> = s.history().into_iter().filter(|o| o.invoke < 300).collect();
            quiet.iter().any(|o| matches!(o.ret, Some((_, Outcome::Fail(_)))))
                && quiet.iter().all(|o| !matches!(o.ret, Some((_, Outcome::Timeout)) | None))
        }),
    ],
    &[],
    &[
        says(6_000, "almost no one served", |s| served_of_burst(s) < 16),
        says_under("queue", 6_000, "every order answered at once or served", |s| {
            refused_of_burst(s) > 0 && timed_out_of_burst(s) == 0
        }),
    ],
    &[],
];

/// The burst's orders (invoked at 300) that were served, refused, timed out.
fn burst(s: &Sim) -> Vec<Option<Outcome>> {
    s.history().iter().filter(|o| o.invoke >= 300).map(|o| o.ret.map(|(_, r)| r)).collect()
}

fn served_of_burst(s: &Sim) -> usize {
    burst(s).iter().filter(|o| matches!(o, Some(Outcome::Ok { .. }))).count()
}

fn refused_of_burst(s: &Sim) -> usize {
    burst(s).iter().filter(|o| matches!(o, Some(Outcome::Fail(_)))).count()
}

fn timed_out_of_burst(s: &Sim) -> usize {
    burst(s).iter().filter(|o| matches!(o, Some(Outcome::Timeout))).count()
}

const EC_WEAK: &[Step] = &[
    step(0, &[0, 2]),
    Step {
        from: 300,
        nodes: &[2],
        question: Some(Question {
            ask_at: 300,
            choices: 2,
            nodes: 0,
            answer_at: 3_000,
            answer: |s| Some(u32::from(reads_of(s, 2).iter().all(Option::is_none))),
        }),
        variants: &[],
    },
    step(1_500, &[0, 2]),
    Step { from: 2_000, nodes: &[2], question: None, variants: &["gossip"] },
];

const EC_WEAK_SAYS: &[&[Claim]] = &[
    &[says(100, "the write of 1 succeeded", |s| told(s, 0, 10) == Some(1))],
    &[],
    &[says(1_600, "the write of 2 succeeded", |s| told(s, 0, 1_500) == Some(2))],
    &[
        says(2_800, "every read on Server3 returned ∅", |s| {
            reads_of(s, 2).iter().all(Option::is_none)
        }),
        says_under("gossip", 2_800, "Server3 read 1, then 2", |s| {
            let r = reads_of(s, 2);
            r.contains(&Some(1)) && r.last() == Some(&Some(2))
        }),
    ],
];

const EC_WINDOW: &[Step] = &[
    step(0, &[]),
    Step {
        from: 1_000,
        nodes: &[],
        question: Some(Question {
            ask_at: 1_000,
            choices: 3,
            nodes: 0,
            answer_at: 6_000,
            // The mean window against the longest one-way delay.
            answer: |s| {
                let (mean, ..) = crate::eventual::window::summary(&windows(s));
                let delay = u64::from(s.scenario().network.latency_ticks_max);
                Some(if mean < delay {
                    0
                } else if mean <= 4 * delay {
                    1
                } else {
                    2
                })
            },
        }),
        variants: &[],
    },
    Step { from: 6_000, nodes: &[], question: None, variants: &["load"] },
];

const EC_WINDOW_SAYS: &[&[Claim]] = &[
    &[],
    &[],
    &[
        says(6_000, "windows close no later than writes spread", |s| {
            let ws = windows(s);
            !ws.is_empty()
                && crate::eventual::window::summary(&ws).0
                    <= crate::eventual::window::mean_spread(&ws)
        }),
        says_under("load", 6_000, "under load windows close before writes spread", |s| {
            let ws = windows(s);
            crate::eventual::window::summary(&ws).0 < crate::eventual::window::mean_spread(&ws)
        }),
    ],
];

const EC_CAUSAL: &[Step] = &[
    step(0, &[0]),
    step(250, &[1, 2]),
    Step { from: 300, nodes: &[1], question: None, variants: &["no-replicate"] },
    Step {
        from: 800,
        nodes: &[2],
        question: Some(Question {
            ask_at: 940,
            choices: 2,
            nodes: 0,
            answer_at: 1_200,
            // The reader on Server3 reads the comment (key 2) at tick 950.
            answer: |sim| match got(sim, 2, 950)? {
                Got::Read(Some(_)) => Some(0),
                Got::Read(None) => Some(1),
                _ => None,
            },
        }),
        variants: &["causal|no-replicate"],
    },
    Step {
        from: 1_300,
        nodes: &[1, 2],
        question: None,
        variants: &["causal", "gossip", "no-replicate"],
    },
];

const EC_CAUSAL_SAYS: &[&[Claim]] = &[
    &[says(100, "the photo is posted", |s| told(s, 0, 10) == Some(1))],
    &[],
    &[
        says(700, "the friend commented, you read it and replied", |s| {
            told(s, 1, 300) == Some(2)
                && got(s, 0, 500) == Some(Got::Read(Some(2)))
                && told(s, 0, 600) == Some(3)
        }),
        says_under("no-replicate", 700, "the friend saw no photo, you saw no comment", |s| {
            got(s, 1, 200) == Some(Got::Read(None)) && got(s, 0, 500) == Some(Got::Read(None))
        }),
    ],
    &[
        says(900, "the reader read the reply", |s| got(s, 2, 800) == Some(Got::Read(Some(3)))),
        says_under("causal", 900, "the reader saw no reply yet", |s| {
            got(s, 2, 800) == Some(Got::Read(None))
        }),
    ],
    &[
        says_under("gossip", 1_300, "anti-entropy brought the comment first", |s| {
            got(s, 2, 950) == Some(Got::Read(Some(2))) && !causal_broken(s)
        }),
        says_under("no-replicate", 1_900, "nothing ever reaches Server3", |s| {
            got(s, 2, 1_600) == Some(Got::Read(None)) && got(s, 2, 1_750) == Some(Got::Read(None))
        }),
        says(1_300, "the reply without its comment: causal check fails", |s| {
            got(s, 2, 950) == Some(Got::Read(None)) && causal_broken(s)
        }),
        says_under("causal", 1_300, "neither yet: no causal violation", |s| {
            got(s, 2, 950) == Some(Got::Read(None)) && !causal_broken(s)
        }),
        says(1_900, "after the heal the reader sees both", |s| {
            got(s, 2, 1_600) == Some(Got::Read(Some(3)))
                && got(s, 2, 1_750) == Some(Got::Read(Some(2)))
        }),
    ],
];

const EC_SESSION: &[Step] = &[
    step(0, &[0, 1]),
    Step {
        from: 190,
        nodes: &[1],
        question: Some(Question {
            ask_at: 190,
            choices: 3,
            nodes: 0,
            answer_at: 1_000,
            answer: |s| new_old_or_none(s, 0, 200, 1),
        }),
        variants: &[],
    },
    Step { from: 300, nodes: &[1], question: None, variants: &["sticky", "token", "causal"] },
    Step { from: 400, nodes: &[1], question: None, variants: &["token"] },
    Step { from: 1_200, nodes: &[0, 1], question: None, variants: &["no-replicate"] },
];

const EC_SESSION_SAYS: &[&[Claim]] = &[
    &[says(100, "client 0 wrote 1", |s| told(s, 0, 10) == Some(1))],
    &[],
    &[
        says(390, "client 0 read ∅: read-your-writes broken", |s| {
            got(s, 0, 200) == Some(Got::Read(None)) && session_broken(s)
        }),
        says_under("sticky", 390, "client 0 read 1", |s| {
            got(s, 0, 200) == Some(Got::Read(Some(1))) && !session_broken(s)
        }),
        says_under("token", 390, "client 0 read 1", |s| {
            got(s, 0, 200) == Some(Got::Read(Some(1))) && !session_broken(s)
        }),
        says_under("causal", 390, "client 0 read 1", |s| {
            got(s, 0, 200) == Some(Got::Read(Some(1))) && !session_broken(s)
        }),
    ],
    &[
        says(490, "client 1 read ∅, breaking no promise", |s| {
            got(s, 1, 400) == Some(Got::Read(None))
        }),
        says_under("token", 490, "client 1 read 1 too", |s| {
            got(s, 1, 400) == Some(Got::Read(Some(1)))
        }),
    ],
    &[
        says(1_700, "after the heal client 0 reads 1", |s| {
            got(s, 0, 1_500) == Some(Got::Read(Some(1)))
        }),
        says_under("no-replicate", 1_700, "client 0 still reads ∅", |s| {
            got(s, 0, 1_500) == Some(Got::Read(None))
        }),
    ],
];

const EC_CUSTOM: &[Step] = &experiment(8_000, |s| Some(u32::from(!stale(s))), &["no-replicate"]);

const EC_CUSTOM_SAYS: &[&[Claim]] = &[
    &[],
    &[],
    &[
        says(8_000, "no stale read in this run", |s| !stale(s)),
        says_under("no-replicate", 8_000, "stale reads", stale),
    ],
];

pub(super) fn steps(id: &str) -> Option<&'static [Step]> {
    Some(match id {
        "cap-proof" => CAP_PROOF,
        "cap-sla" => CAP_SLA,
        "ec-base" => EC_BASE,
        "ec-weak" => EC_WEAK,
        "ec-window" => EC_WINDOW,
        "ec-causal" => EC_CAUSAL,
        "ec-session" => EC_SESSION,
        "ec-custom" => EC_CUSTOM,
        _ => return None,
    })
}

/// What the steps' texts say, step by step.
pub(super) fn said(id: &str) -> Option<&'static [&'static [Claim]]> {
    Some(match id {
        "cap-proof" => CAP_PROOF_SAYS,
        "cap-sla" => CAP_SLA_SAYS,
        "ec-base" => EC_BASE_SAYS,
        "ec-weak" => EC_WEAK_SAYS,
        "ec-window" => EC_WINDOW_SAYS,
        "ec-causal" => EC_CAUSAL_SAYS,
        "ec-session" => EC_SESSION_SAYS,
        "ec-custom" => EC_CUSTOM_SAYS,
        _ => return None,
    })
}
