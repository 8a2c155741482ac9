//! Guided lessons: a lesson's timeline cut into steps the narration follows
//! (the text of step `k` of lesson `id` is the string `lesson.<id>.step.<k>`),
//! with the nodes each step is about, and "predict the next step" questions
//! at chosen moments.
//!
//! A question's answer is never written down: it is read from the run
//! itself when the moment comes (which value did that read return, which
//! server leads), so it stays right when a switch changes the run — turn on
//! write-back, or CP, and the answer changes with it.

use crate::client::Outcome;
use crate::sim::Sim;
use crate::types::Tick;

/// A question asked before `ask_at`: `choices` answers (strings
/// `lesson.<id>.q.<k>.<c>`), the right one read from the run at `answer_at`.
#[derive(Clone, Copy, Debug)]
pub struct Question {
    pub ask_at: Tick,
    pub choices: u32,
    /// The choices are the nodes (by their names) rather than strings.
    pub nodes: bool,
    pub answer_at: Tick,
    /// Which choice the run at `answer_at` bears out (`None`: not decided).
    pub answer: fn(&Sim) -> Option<u32>,
}

/// One step: from `from` until the next step begins.
#[derive(Clone, Copy, Debug)]
pub struct Step {
    pub from: Tick,
    /// Nodes the step is about, ringed on the canvas.
    pub nodes: &'static [u32],
    pub question: Option<Question>,
}

const fn step(from: Tick, nodes: &'static [u32]) -> Step {
    Step { from, nodes, question: None }
}

/// What the first operation of `client` invoked at `at` returned: `Some(v)`
/// for a value (`None` inside for ∅), or no answer if it failed or is
/// still running.
fn returned(sim: &Sim, client: u32, at: Tick) -> Option<Option<Outcome>> {
    let h = sim.history();
    let op = h.iter().find(|o| o.client == client && o.invoke == at && o.op.written().is_none())?;
    Some(op.ret.map(|(_, o)| o))
}

/// 0 when the read returned `new`, 1 when it returned something older (or
/// nothing), 2 when it failed: the choices "new / old / no answer".
fn new_old_or_none(sim: &Sim, client: u32, at: Tick, new: u64) -> Option<u32> {
    match returned(sim, client, at)?? {
        Outcome::Ok { value: Some(v), .. } if v == new => Some(0),
        Outcome::Ok { .. } => Some(1),
        Outcome::Fail(_) | Outcome::Timeout => Some(2),
    }
}

const QUORUM_3_2_2: &[Step] = &[
    step(0, &[0]),
    step(140, &[1, 2]),
    step(200, &[0]),
    Step {
        from: 500,
        nodes: &[1, 2],
        question: Some(Question {
            ask_at: 515,
            choices: 3,
            nodes: false,
            answer_at: 1_000,
            // Client 2 reads through n1 at tick 520.
            answer: |sim| new_old_or_none(sim, 2, 520, 1),
        }),
    },
    step(680, &[]),
];

/// 0 when the write of `client` invoked at `at` succeeded, 1 when it failed
/// or timed out.
fn write_succeeded(sim: &Sim, client: u32, at: Tick) -> Option<u32> {
    let h = sim.history();
    let op = h.iter().find(|o| o.client == client && o.invoke == at && o.op.written().is_some())?;
    match op.ret?.1 {
        Outcome::Ok { .. } => Some(0),
        Outcome::Fail(_) | Outcome::Timeout => Some(1),
    }
}

const WARO: &[Step] = &[
    step(0, &[0, 1, 2]),
    step(200, &[1]),
    Step {
        from: 300,
        nodes: &[2],
        question: Some(Question {
            ask_at: 390,
            choices: 2,
            nodes: false,
            answer_at: 1_200,
            // Client 0 writes 2 through n0 at tick 400.
            answer: |sim| write_succeeded(sim, 0, 400),
        }),
    },
    step(450, &[0, 1]),
    step(1_300, &[2]),
];

const QUORUM_10_3_8: &[Step] = &[
    step(0, &[0, 1, 2]),
    Step {
        from: 280,
        nodes: &[9],
        question: Some(Question {
            ask_at: 290,
            choices: 3,
            nodes: false,
            answer_at: 650,
            // Client 1 reads through n9 at tick 300, from R=8 replicas.
            answer: |sim| new_old_or_none(sim, 1, 300, 1),
        }),
    },
    step(700, &[]),
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
            nodes: false,
            answer_at: 1_200,
            // Client 1 reads through n3 on the other side at tick 700.
            answer: |sim| new_old_or_none(sim, 1, 700, 2),
        }),
    },
    step(840, &[]),
];

/// The value the acceptors chose, as its choice: 0 for `first`, 1 for
/// `second`, 2 for none yet.
fn chosen(sim: &Sim, first: u64, second: u64) -> Option<u32> {
    let v = sim.world().paxos_checks()?.chosen_value();
    Some(match v {
        Some(x) if x == first => 0,
        Some(x) if x == second => 1,
        Some(_) => return None,
        None => 2,
    })
}

const PAXOS_PREEMPT: &[Step] = &[
    step(0, &[3]),
    step(150, &[3, 0]),
    Step {
        from: 300,
        nodes: &[4],
        question: Some(Question {
            ask_at: 305,
            choices: 3,
            nodes: false,
            answer_at: 3_000,
            answer: |sim| chosen(sim, 5, 9),
        }),
    },
];

const PAXOS_DUEL: &[Step] = &[
    step(0, &[3]),
    Step {
        from: 110,
        nodes: &[4],
        question: Some(Question {
            ask_at: 115,
            choices: 2,
            nodes: false,
            answer_at: 6_000,
            // Chosen by then (either value), or still duelling.
            answer: |sim| Some(u32::from(sim.world().paxos_checks()?.chosen_value().is_none())),
        }),
    },
    step(400, &[3, 4]),
];

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
            nodes: false,
            answer_at: 1_900,
            // Client 1 reads X on Server2 during the partition.
            answer: |sim| new_old_or_none(sim, 1, 1_300, 3),
        }),
    },
    step(2_000, &[0, 1]),
];

const EC_CAUSAL: &[Step] = &[
    step(0, &[0]),
    step(250, &[1, 2]),
    step(300, &[1]),
    Step {
        from: 800,
        nodes: &[2],
        question: Some(Question {
            ask_at: 940,
            choices: 2,
            nodes: false,
            answer_at: 1_200,
            // The reader on Server3 reads the comment (key 2) at tick 950.
            answer: |sim| match returned(sim, 2, 950)?? {
                Outcome::Ok { value: Some(_), .. } => Some(0),
                _ => Some(1),
            },
        }),
    },
    step(1_300, &[1, 2]),
];

const ZAB_ELECTION: &[Step] = &[
    step(0, &[0, 1, 2]),
    step(1_300, &[1, 3, 4]),
    step(3_000, &[2]),
    step(3_800, &[1]),
    Step {
        from: 4_560,
        nodes: &[],
        question: Some(Question {
            ask_at: 4_600,
            choices: 5,
            nodes: true,
            answer_at: 8_000,
            // The server that leads by then.
            answer: super::zab::leader,
        }),
    },
];

/// The guided steps of a lesson (empty when it has none).
#[must_use]
pub fn steps(id: &str) -> &'static [Step] {
    match id {
        "quorum-3-2-2" => QUORUM_3_2_2,
        "waro" => WARO,
        "quorum-10-3-8" => QUORUM_10_3_8,
        "quorum-stale" => QUORUM_STALE,
        "paxos-preempt" => PAXOS_PREEMPT,
        "paxos-duel" => PAXOS_DUEL,
        "cap-proof" => CAP_PROOF,
        "ec-causal" => EC_CAUSAL,
        "zab-election" => ZAB_ELECTION,
        _ => &[],
    }
}

/// The step showing at `tick`.
#[must_use]
pub fn step_at(steps: &[Step], tick: Tick) -> Option<usize> {
    steps.iter().rposition(|s| s.from <= tick)
}

/// The answer the run bears out for question `q`: the run from where it is,
/// played on (in a copy) to the answer's moment.
#[must_use]
pub fn answer(sim: &Sim, q: &Question) -> Option<u32> {
    let mut ahead = sim.clone();
    ahead.run_until(q.answer_at.max(sim.now()));
    (q.answer)(&ahead)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons;
    use crate::ProtocolConfig;

    fn answer_of(id: &str, tweak: &dyn Fn(&mut crate::Scenario)) -> Vec<Option<u32>> {
        let s = lessons::lesson_with(id, tweak).expect("lesson").expect("valid");
        let mut sim = Sim::new(s).expect("valid");
        steps(id)
            .iter()
            .filter_map(|st| st.question)
            .map(|q| {
                sim.run_until(q.ask_at);
                answer(&sim, &q)
            })
            .collect()
    }

    #[test]
    fn steps_are_in_order_and_questions_inside_their_step() {
        for id in lessons::LESSONS {
            let st = steps(id);
            for (k, w) in st.windows(2).enumerate() {
                assert!(w[0].from < w[1].from, "{id} step {k}");
            }
            for (k, s) in st.iter().enumerate() {
                if let Some(q) = s.question {
                    assert!(q.ask_at >= s.from && q.ask_at < q.answer_at, "{id} step {k}");
                    assert!(q.choices >= 2);
                }
            }
        }
    }

    #[test]
    fn the_quorum_inversion_answer_follows_the_switch() {
        // Without write-back, client 2 reads the old value.
        assert_eq!(answer_of("quorum-3-2-2", &|_| {}), vec![Some(1)]);
        // With read write-back, client 1's read stored 1 on W replicas first.
        let abd = |s: &mut crate::Scenario| {
            if let ProtocolConfig::Quorum(q) = &mut s.protocol {
                q.write_back = true;
            }
        };
        assert_eq!(answer_of("quorum-3-2-2", &abd), vec![Some(0)]);
    }

    #[test]
    fn the_cap_proof_answer_depends_on_ap_or_cp() {
        assert_eq!(answer_of("cap-proof", &|_| {}), vec![Some(1)], "AP: the old X=2");
        let cp = |s: &mut crate::Scenario| lessons::consistency::set_cap_mode(s, true);
        assert_eq!(answer_of("cap-proof", &cp), vec![Some(2)], "CP: no answer");
    }

    #[test]
    fn the_causal_answer_depends_on_the_delivery() {
        assert_eq!(answer_of("ec-causal", &|_| {}), vec![Some(1)], "the reply without its comment");
    }

    #[test]
    fn the_election_has_a_winner_read_from_the_run() {
        let a = answer_of("zab-election", &|_| {});
        assert_eq!(a.len(), 1);
        // The lecture's outcome: Server3 (node 2) wins.
        assert_eq!(a, vec![Some(2)]);
    }

    #[test]
    fn the_quorum_questions_are_answered_by_their_runs() {
        // WARO: with n2 down, write 2 cannot reach all three replicas.
        assert_eq!(answer_of("waro", &|_| {}), vec![Some(1)]);
        // Any 8 of 10 replicas include one of the 3 written.
        assert_eq!(answer_of("quorum-10-3-8", &|_| {}), vec![Some(0)]);
        // W+R≤N across a partition: the old value.
        assert_eq!(answer_of("quorum-stale", &|_| {}), vec![Some(1)]);
        // With R raised so that W+R>N the read blocks or fails instead of lying.
        let r4 = |s: &mut crate::Scenario| {
            if let ProtocolConfig::Quorum(q) = &mut s.protocol {
                q.r = 4;
            }
        };
        assert_ne!(answer_of("quorum-stale", &r4), vec![Some(1)]);
    }

    #[test]
    fn the_paxos_questions_are_answered_by_their_runs() {
        // P1 must adopt the value P0 got accepted: 5 is chosen.
        assert_eq!(answer_of("paxos-preempt", &|_| {}), vec![Some(0)]);
        // Without back-off the proposers duel on; with it, one wins.
        assert_eq!(answer_of("paxos-duel", &|_| {}), vec![Some(1)]);
        let backoff = |s: &mut crate::Scenario| {
            if let ProtocolConfig::Paxos(p) = &mut s.protocol {
                p.backoff = true;
            }
        };
        assert_eq!(answer_of("paxos-duel", &backoff), vec![Some(0)]);
    }

    #[test]
    fn step_at_follows_the_tick() {
        let st = steps("quorum-3-2-2");
        assert_eq!(step_at(st, 0), Some(0));
        assert_eq!(step_at(st, 499), Some(2));
        assert_eq!(step_at(st, 500), Some(3));
        assert_eq!(step_at(st, 100_000), Some(st.len() - 1));
        assert_eq!(step_at(&[], 5), None);
    }
}
