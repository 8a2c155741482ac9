//! Guided steps of lecture 03's Paxos lessons. Acceptors are nodes
//! `0..A`, then the proposers (P0 is node A).

use super::{experiment, got, says, says_under, step, told, Claim, Got, Question, Step};
use crate::node::Note;
use crate::paxos::{Acceptor, Note as PaxosNote, Role};
use crate::sim::Sim;
use crate::trace::Happened;
use crate::types::Addr;

fn chosen(sim: &Sim) -> Option<u64> {
    sim.world().paxos_checks()?.chosen_value()
}

fn acceptor(sim: &Sim, n: u32) -> Option<&Acceptor> {
    match &sim.world().paxos_node(n)?.role {
        Role::Acceptor(a) => Some(a),
        Role::Proposer(_) | Role::Learner(_) => None,
    }
}

fn max_n(sim: &Sim, n: u32) -> Option<u64> {
    acceptor(sim, n).map(|a| a.max_n)
}

/// Every Paxos note node `node` made so far.
fn notes(sim: &Sim, node: u32) -> impl Iterator<Item = &PaxosNote> {
    sim.trace().iter().filter_map(move |e| match &e.what {
        Happened::Note { node: n, note: Note::Paxos(p) } if *n == node => Some(p),
        _ => None,
    })
}

/// The numbers proposer node `node` prepared with, in order.
fn prepared(sim: &Sim, node: u32) -> Vec<u64> {
    notes(sim, node)
        .filter_map(|p| match p {
            PaxosNote::Prepared { n } => Some(*n),
            _ => None,
        })
        .collect()
}

/// Whether acceptor `node` ever accepted `proposal`.
fn ever_accepted(sim: &Sim, node: u32, proposal: (u64, u64)) -> bool {
    notes(sim, node)
        .any(|p| matches!(p, PaxosNote::AcceptorState { accepted: Some(a), .. } if *a == proposal))
}

/// The choice for the value chosen: `values[i]` is choice `i`, and none yet
/// the choice after them.
fn choice_of(v: Option<u64>, values: &[u64]) -> Option<u32> {
    match v {
        None => Some(values.len() as u32),
        Some(x) => values.iter().position(|&y| y == x).map(|i| i as u32),
    }
}

/// Whether every answer any client got named the same value.
fn one_value_told(s: &Sim) -> bool {
    let h = s.history();
    let mut told = h.iter().filter_map(|o| o.ok().and_then(|(_, v, _)| v));
    let first = told.next();
    told.all(|v| Some(v) == first)
}

const PAXOS_HAPPY: &[Step] = &[
    step(0, &[3]),
    Step {
        from: 144,
        nodes: &[0, 1, 2],
        question: Some(Question {
            ask_at: 150,
            choices: 3,
            nodes: 0,
            answer_at: 195,
            // By 195 two acceptors have accepted and the third not yet.
            answer: |s| {
                let accepted =
                    (0..3).filter(|&n| acceptor(s, n).is_some_and(|a| a.accepted.is_some()));
                match (chosen(s), accepted.count()) {
                    (Some(5), 2) => Some(1),
                    (None, 2) => Some(2),
                    _ => None,
                }
            },
        }),
        variants: &[],
    },
    step(227, &[3]),
    step(700, &[0]),
];

const PAXOS_HAPPY_SAYS: &[&[Claim]] = &[
    &[says(140, "every acceptor promised 1", |s| (0..3).all(|n| max_n(s, n) == Some(1)))],
    &[says(195, "5 chosen with two of three accepted", |s| {
        chosen(s) == Some(5) && acceptor(s, 2).is_some_and(|a| a.accepted.is_none())
    })],
    &[says(260, "the client was told 5", |s| told(s, 0, 10) == Some(5))],
    &[says(800, "the read returned 5", |s| told(s, 1, 700) == Some(5))],
];

const PAXOS_MINORITY: &[Step] = &[
    step(0, &[0, 1, 2]),
    step(500, &[0, 1, 4]),
    Step {
        from: 700,
        nodes: &[6],
        question: Some(Question {
            ask_at: 705,
            choices: 3,
            nodes: 0,
            answer_at: 2_000,
            answer: |s| match told(s, 1, 700) {
                Some(9) => Some(0),
                Some(5) => Some(1),
                Some(_) => None,
                None => Some(2),
            },
        }),
        variants: &[],
    },
    step(820, &[2, 3, 4]),
];

const PAXOS_MINORITY_SAYS: &[&[Claim]] = &[
    &[says(260, "5 chosen with A4 down", |s| chosen(s) == Some(5) && told(s, 0, 10) == Some(5))],
    &[says(510, "A4 up, A0 and A1 down", |s| {
        super::up(s, 4) && !super::up(s, 0) && !super::up(s, 1)
    })],
    &[],
    &[says(950, "P1's client was told 5, chosen again under 3", |s| {
        told(s, 1, 700) == Some(5) && ever_accepted(s, 4, (3, 5)) && chosen(s) == Some(5)
    })],
];

const PAXOS_PREEMPT: &[Step] = &[
    step(0, &[3]),
    step(150, &[3, 0]),
    Step {
        from: 300,
        nodes: &[4],
        question: Some(Question {
            ask_at: 305,
            choices: 3,
            nodes: 0,
            answer_at: 3_000,
            answer: |sim| choice_of(chosen(sim), &[5, 9]),
        }),
        variants: &[],
    },
    step(460, &[0, 1]),
];

const PAXOS_PREEMPT_SAYS: &[&[Claim]] = &[
    &[says(140, "the acceptors promised 2", |s| (0..3).all(|n| max_n(s, n) == Some(2)))],
    &[says(299, "only A0 accepted (2,5); nothing chosen", |s| {
        ever_accepted(s, 0, (2, 5)) && !ever_accepted(s, 1, (2, 5)) && chosen(s).is_none()
    })],
    &[says(430, "P1 prepared 3", |s| prepared(s, 4) == [3])],
    &[says(600, "P1 proposed 5 and its client was told 5", |s| {
        ever_accepted(s, 1, (3, 5)) && told(s, 1, 300) == Some(5)
    })],
];

const PAXOS_DUEL: &[Step] = &[
    step(0, &[3]),
    Step {
        from: 110,
        nodes: &[4],
        question: Some(Question {
            ask_at: 115,
            choices: 2,
            nodes: 0,
            answer_at: 6_000,
            // Chosen by then (either value), or still duelling.
            answer: |sim| Some(u32::from(chosen(sim).is_none())),
        }),
        variants: &[],
    },
    Step { from: 400, nodes: &[3, 4], question: None, variants: &["backoff"] },
];

const PAXOS_DUEL_SAYS: &[&[Claim]] = &[
    &[],
    &[],
    &[
        says(6_000, "nothing chosen, numbers still growing", |s| {
            chosen(s).is_none() && prepared(s, 3).len() > 5 && prepared(s, 4).len() > 5
        }),
        says_under("backoff", 6_000, "a value was chosen", |s| chosen(s).is_some()),
    ],
];

const PAXOS_NUMBERS: &[Step] = &[
    step(0, &[3, 4, 5]),
    Step {
        from: 125,
        nodes: &[0, 1, 2],
        question: Some(Question {
            ask_at: 130,
            choices: 3,
            nodes: 0,
            answer_at: 2_000,
            answer: |s| choice_of(chosen(s), &[5, 7, 9]).filter(|&c| c < 3),
        }),
        variants: &[],
    },
    step(262, &[5]),
];

const PAXOS_NUMBERS_SAYS: &[&[Claim]] = &[
    &[says(130, "first numbers 3, 4, 5", |s| {
        prepared(s, 3).first() == Some(&3)
            && prepared(s, 4).first() == Some(&4)
            && prepared(s, 5).first() == Some(&5)
    })],
    &[],
    &[says(400, "9 chosen; P1 retried with 7; all told 9", |s| {
        chosen(s) == Some(9)
            && prepared(s, 4).get(1) == Some(&7)
            && [(0, 10), (1, 40), (2, 70)].iter().all(|&(c, at)| told(s, c, at) == Some(9))
    })],
];

const PAXOS_FORGET: &[Step] = &[
    Step { from: 0, nodes: &[3, 4], question: None, variants: &["faithful|reuse|lowest"] },
    step(95, &[1, 2]),
    Step {
        from: 160,
        nodes: &[1],
        question: Some(Question {
            ask_at: 175,
            choices: 2,
            nodes: 0,
            answer_at: 300,
            // Did A1 accept P0's older Accept(2, 5)?
            answer: |s| Some(u32::from(!ever_accepted(s, 1, (2, 5)))),
        }),
        variants: &["faithful|reuse|lowest"],
    },
    Step { from: 200, nodes: &[0, 1, 2], question: None, variants: &["faithful|reuse|lowest"] },
    Step { from: 330, nodes: &[3, 4], question: None, variants: &["faithful|reuse|lowest"] },
];

const PAXOS_FORGET_SAYS: &[&[Claim]] = &[
    &[],
    &[says(150, "A1 and A2 promised 3", |s| max_n(s, 1) == Some(3) && max_n(s, 2) == Some(3))],
    &[
        says(175, "A1 restarted with Max_N 0", |s| max_n(s, 1) == Some(0)),
        says_under("faithful", 175, "A1 restarted with Max_N 3", |s| max_n(s, 1) == Some(3)),
    ],
    &[
        says(295, "A1 accepted (2,5) then (3,9); 5 and 9 both chosen", |s| {
            ever_accepted(s, 1, (2, 5)) && ever_accepted(s, 1, (3, 9))
        }),
        says_under("faithful", 295, "A1 rejected (2,5); 9 chosen", |s| {
            !ever_accepted(s, 1, (2, 5)) && chosen(s) == Some(9)
        }),
    ],
    &[
        says(400, "the clients were told 5 and 9", |s| {
            told(s, 0, 10) == Some(5) && told(s, 1, 60) == Some(9)
        }),
        says_under("faithful", 400, "both clients were told 9", |s| {
            told(s, 0, 10) == Some(9) && told(s, 1, 60) == Some(9) && prepared(s, 3) == [2, 4]
        }),
    ],
];

/// Learner node `node`'s query: how many acceptors answered, and how many
/// of them named the proposal most named (`None` when no query runs).
fn reading(sim: &Sim, node: u32) -> Option<(usize, usize)> {
    let Role::Learner(l) = &sim.world().paxos_node(node)?.role else { return None };
    let answered = l.answers.as_ref()?.len();
    Some((answered, l.best_proposal().map_or(0, |(_, c)| c)))
}

/// The value learner node `node` learned.
fn learned(sim: &Sim, node: u32) -> Option<u64> {
    sim.world().paxos_node(node)?.learned().map(|(_, v)| v)
}

/// How many acceptors' answers learner node `node` had taken in when it
/// learned: answers delivered since its last query went out.
fn answers_to_learn(sim: &Sim, node: u32) -> Option<usize> {
    let acceptors = match &sim.scenario().protocol {
        crate::ProtocolConfig::Paxos(c) => c.acceptors,
        _ => return None,
    };
    let from_acceptor = |a: &Addr| a.node().is_some_and(|n| n < acceptors);
    let mut count = 0;
    for e in sim.trace() {
        match &e.what {
            // A new query starts the count again.
            Happened::Sent { from, to, .. } if *from == Addr::Node(node) && from_acceptor(to) => {
                count = 0;
            }
            Happened::Delivered { from, to, .. }
                if *to == Addr::Node(node) && from_acceptor(from) =>
            {
                count += 1;
            }
            Happened::Note { node: n, note: Note::Paxos(PaxosNote::Learned { .. }) }
                if *n == node =>
            {
                return Some(count);
            }
            _ => {}
        }
    }
    None
}

// Five acceptors A0–A4 (nodes 0–4), P0 (5), learners L0 (6) and L1 (7).
const PAXOS_LEARNER: &[Step] = &[
    step(0, &[6, 7]),
    step(10, &[7]),
    step(210, &[0, 1, 2]),
    Step {
        from: 400,
        nodes: &[6],
        question: Some(Question {
            ask_at: 405,
            choices: 3,
            nodes: 0,
            answer_at: 900,
            // 3 (N/2+1), 4, or 5 (all N) answers.
            answer: |s| answers_to_learn(s, 6).and_then(|k| k.checked_sub(3)).map(|k| k as u32),
        }),
        variants: &[],
    },
    step(640, &[6, 0]),
    step(790, &[6, 1]),
    step(900, &[7]),
];

const PAXOS_LEARNER_SAYS: &[&[Claim]] = &[
    &[says(5, "nothing chosen or learned yet", |s| {
        chosen(s).is_none() && learned(s, 6).is_none() && learned(s, 7).is_none()
    })],
    &[says(205, "L1 read five answers, none accepted, and told ∅", |s| {
        got(s, 1, 10) == Some(Got::Read(None)) && learned(s, 7).is_none()
    })],
    &[says(215, "5 chosen by A0–A2; A3, A4 and the learners know nothing", |s| {
        chosen(s) == Some(5)
            && (3..5).all(|a| acceptor(s, a).is_some_and(|x| x.accepted.is_none()))
            && learned(s, 6).is_none()
            && learned(s, 7).is_none()
    })],
    &[says(600, "L0 has three answers, one naming (1,5)", |s| reading(s, 6) == Some((3, 1)))],
    &[says(700, "four answers, two naming (1,5): not yet", |s| reading(s, 6) == Some((4, 2)))],
    &[says(850, "L0 learned 5 from all five and told client 0", |s| {
        answers_to_learn(s, 6) == Some(5) && got(s, 0, 400) == Some(Got::Read(Some(5)))
    })],
    &[says(1_100, "L1 learned 5 from the first three", |s| {
        answers_to_learn(s, 7) == Some(3) && got(s, 1, 900) == Some(Got::Read(Some(5)))
    })],
];

// Did every client and learner report one value?
const PAXOS_CUSTOM: &[Step] = &experiment(8_000, |s| Some(u32::from(!one_value_told(s))), &[]);

const PAXOS_CUSTOM_SAYS: &[&[Claim]] =
    &[&[], &[], &[says(8_000, "every client was told one value", one_value_told)]];

pub(super) fn steps(id: &str) -> Option<&'static [Step]> {
    Some(match id {
        "paxos-happy" => PAXOS_HAPPY,
        "paxos-minority" => PAXOS_MINORITY,
        "paxos-preempt" => PAXOS_PREEMPT,
        "paxos-learner" => PAXOS_LEARNER,
        "paxos-duel" => PAXOS_DUEL,
        "paxos-numbers" => PAXOS_NUMBERS,
        "paxos-forget" => PAXOS_FORGET,
        "paxos-custom" => PAXOS_CUSTOM,
        _ => return None,
    })
}

/// What the steps' texts say, step by step.
pub(super) fn said(id: &str) -> Option<&'static [&'static [Claim]]> {
    Some(match id {
        "paxos-happy" => PAXOS_HAPPY_SAYS,
        "paxos-minority" => PAXOS_MINORITY_SAYS,
        "paxos-preempt" => PAXOS_PREEMPT_SAYS,
        "paxos-learner" => PAXOS_LEARNER_SAYS,
        "paxos-duel" => PAXOS_DUEL_SAYS,
        "paxos-numbers" => PAXOS_NUMBERS_SAYS,
        "paxos-forget" => PAXOS_FORGET_SAYS,
        "paxos-custom" => PAXOS_CUSTOM_SAYS,
        _ => return None,
    })
}
