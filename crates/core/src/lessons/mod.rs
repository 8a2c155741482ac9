//! Built-in lessons: each is a scenario (the narration lives with the UI's
//! string catalog, keyed by the lesson id).
//!
//! Lesson timelines are written as "at tick T, do X" and turned into exact
//! actions (placed after an event number) by running the simulation, the
//! same way a user's clicks are recorded.

use crate::net::{LinkState, NetConfig};
use crate::paxos::{PaxosConfig, Variant};
use crate::quorum::QuorumConfig;
use crate::scenario::{
    ActionKind, ConfigError, ProtocolConfig, RandomWorkload, Scenario, ScriptedOp,
};
use crate::sim::Sim;
use crate::types::{Addr, ClientOp, Tick};
use crate::ENGINE_VERSION;

pub mod consistency;
pub mod guide;
mod zab;

/// The lesson opened when a link names none.
pub const DEFAULT_LESSON: &str = "quorum-3-2-2";

/// Lesson ids, in menu order.
pub const LESSONS: &[&str] = &[
    "cap-proof",
    "cap-sla",
    "cap-registry",
    "ec-base",
    "ec-weak",
    "ec-window",
    "ec-causal",
    "ec-session",
    "ec-strong",
    "ec-custom",
    "waro",
    "quorum-3-2-2",
    "quorum-10-3-8",
    "quorum-stale",
    "quorum-custom",
    "paxos-happy",
    "paxos-minority",
    "paxos-preempt",
    "paxos-learner",
    "paxos-duel",
    "paxos-numbers",
    "paxos-forget",
    "paxos-custom",
    "zab-broadcast",
    "zab-follower-recovers",
    "zab-snap",
    "zab-election",
    "zab-epochs",
    "zab-observers",
    "zab-partition",
    "zab-reads",
    "zab-vs-paxos",
    "zab-custom",
];

/// One step of a lesson timeline.
enum Step {
    Do(ActionKind),
    /// Drop every message in flight from `node` that stores a value.
    DropStoresFrom(u32),
    /// Drop every message in flight that matches.
    DropWhere(fn(&crate::net::InFlight) -> bool),
    /// Actions that depend on the run so far (say, "crash whoever leads"),
    /// so a lesson tells the same story when a switch changes the run.
    Dynamic(fn(&Sim) -> Vec<ActionKind>),
}

fn op(at: Tick, client: u32, node: u32, op: ClientOp) -> ScriptedOp {
    ScriptedOp { at, client, node, op }
}

fn base(cfg: QuorumConfig, network: NetConfig, workload: Vec<ScriptedOp>) -> Scenario {
    Scenario {
        engine: ENGINE_VERSION,
        protocol: ProtocolConfig::Quorum(cfg),
        network,
        clients: 3,
        client_timeout_ticks: 1_500,
        workload,
        random_workload: None,
        seed: 1,
        actions: Vec::new(),
    }
}

fn quorum(n: u32, w: u32, r: u32) -> QuorumConfig {
    QuorumConfig { n, w, r, write_back: false, op_timeout_ticks: 600 }
}

fn fixed_latency(ticks: u32) -> NetConfig {
    NetConfig { latency_ticks_min: ticks, latency_ticks_max: ticks, ..NetConfig::default() }
}

/// Turn a timed script into actions by running it.
fn script(mut s: Scenario, steps: Vec<(Tick, Step)>) -> Result<Scenario, ConfigError> {
    s.actions.clear();
    let mut sim = Sim::new(s)?;
    for (at, step) in steps {
        sim.run_until(at);
        match step {
            Step::Do(kind) => sim.act(kind)?,
            Step::Dynamic(f) => {
                for kind in f(&sim) {
                    sim.act(kind)?;
                }
            }
            Step::DropWhere(keep) => {
                let ids: Vec<u64> =
                    sim.world().net().in_flight().filter(|m| keep(m)).map(|m| m.id).collect();
                for id in ids {
                    sim.act(ActionKind::DropMessage(id))?;
                }
            }
            Step::DropStoresFrom(node) => {
                let ids: Vec<u64> = sim
                    .world()
                    .net()
                    .in_flight()
                    .filter(|m| m.from == Addr::Node(node))
                    .filter(|m| {
                        matches!(m.msg, crate::node::Msg::Quorum(crate::quorum::Msg::Store { .. }))
                    })
                    .map(|m| m.id)
                    .collect();
                for id in ids {
                    sim.act(ActionKind::DropMessage(id))?;
                }
            }
        }
    }
    Ok(sim.scenario().clone())
}

/// The scenario of a built-in lesson.
#[must_use]
pub fn lesson(id: &str) -> Option<Scenario> {
    lesson_with(id, |_| {}).map(|r| r.expect("built-in lessons are valid"))
}

/// A lesson with its configuration changed by `tweak` (for example the
/// write-back switch) before its timeline is recorded, so the timeline's
/// actions land at the right events of the changed run.
///
/// `None` for an unknown id; an error when the tweak makes the lesson
/// impossible (say W > N, or a timeline naming a node that no longer exists).
#[must_use]
pub fn lesson_with(
    id: &str,
    tweak: impl Fn(&mut Scenario),
) -> Option<Result<Scenario, ConfigError>> {
    let base = |cfg, network, workload| {
        let mut s = base(cfg, network, workload);
        tweak(&mut s);
        s
    };
    let s = match id {
        // WARO: every write needs all N replicas; a read needs any one.
        "waro" => script(
            base(
                quorum(3, 3, 1),
                NetConfig::default(),
                vec![
                    op(10, 0, 0, ClientOp::Write(1)),
                    op(200, 1, 1, ClientOp::Read),
                    op(400, 0, 0, ClientOp::Write(2)),
                    op(450, 1, 1, ClientOp::Read),
                    op(500, 2, 0, ClientOp::Read),
                    op(1_500, 0, 1, ClientOp::Write(3)),
                ],
            ),
            vec![(300, Step::Do(ActionKind::Crash(2))), (1_300, Step::Do(ActionKind::Restart(2)))],
        ),
        // N=3, W=2, R=2: overlapping quorums, yet a new/old inversion when the
        // writer's stores are lost and reads do not write back.
        // Lecture 03's inversion, told in lecture 02 as strong consistency.
        "quorum-3-2-2" | "ec-strong" => script(
            base(
                quorum(3, 2, 2),
                fixed_latency(40),
                vec![
                    op(10, 0, 0, ClientOp::Write(1)),
                    op(200, 1, 0, ClientOp::Read),
                    op(520, 2, 1, ClientOp::Read),
                ],
            ),
            vec![(150, Step::DropStoresFrom(0)), (500, Step::Do(ActionKind::Crash(0)))],
        ),
        // The lecture's example: ten replicas, three updated, read eight.
        "quorum-10-3-8" => {
            let mut steps: Vec<(Tick, Step)> = (3..10)
                .map(|b| {
                    let kind = ActionKind::SetLink {
                        from: Addr::Node(0),
                        to: Addr::Node(b),
                        state: LinkState::Held,
                    };
                    (150, Step::Do(kind))
                })
                .collect();
            steps.push((700, Step::Do(ActionKind::HealAll)));
            script(
                base(
                    quorum(10, 3, 8),
                    fixed_latency(40),
                    vec![op(10, 0, 0, ClientOp::Write(1)), op(300, 1, 9, ClientOp::Read)],
                ),
                steps,
            )
        }
        // W + R ≤ N: two quorums can miss each other. A partition makes sure.
        "quorum-stale" => script(
            base(
                quorum(5, 2, 2),
                NetConfig::default(),
                vec![
                    op(10, 0, 0, ClientOp::Write(1)),
                    op(350, 0, 0, ClientOp::Write(2)),
                    op(700, 1, 3, ClientOp::Read),
                ],
            ),
            vec![(300, Step::Do(ActionKind::Partition { side: vec![0, 1] }))],
        ),
        // A blank cluster with a steady random workload to experiment on.
        "quorum-custom" => {
            let mut s = self::base(quorum(5, 3, 3), NetConfig::default(), Vec::new());
            s.random_workload = Some(RandomWorkload {
                gap_ticks_min: 300,
                gap_ticks_max: 900,
                write_ppm: 400_000,
                until: 600_000,
            });
            tweak(&mut s);
            s.validate().map(|()| s)
        }
        _ => {
            return paxos_lesson(id, &tweak)
                .or_else(|| zab::lesson(id, &tweak))
                .or_else(|| consistency::lesson(id, &tweak))
        }
    };
    Some(s)
}

/// The lecture a lesson belongs to: `01` CAP, `02` BASE and the consistency
/// models, `03` Quorum and Paxos, `04` Zab.
#[must_use]
pub fn lecture(id: &str) -> &'static str {
    if id.starts_with("cap-") {
        "01"
    } else if id.starts_with("ec-") || id.starts_with("strong-") {
        "02"
    } else if id.starts_with("zab-") {
        "04"
    } else {
        "03"
    }
}

fn paxos(proposers: u32, acceptors: u32) -> PaxosConfig {
    PaxosConfig {
        proposers,
        acceptors,
        backoff: false,
        retry_ticks: 400,
        collect_ticks: 0,
        variant: Variant::Faithful,
        learners: 0,
    }
}

fn paxos_base(cfg: PaxosConfig, network: NetConfig, workload: Vec<ScriptedOp>) -> Scenario {
    let mut s = base(quorum(3, 2, 2), network, workload);
    s.protocol = ProtocolConfig::Paxos(cfg);
    s.client_timeout_ticks = 5_000;
    s
}

fn hold(from: u32, to: u32) -> Step {
    Step::Do(ActionKind::SetLink {
        from: Addr::Node(from),
        to: Addr::Node(to),
        state: LinkState::Held,
    })
}

fn release(from: u32, to: u32) -> Step {
    Step::Do(ActionKind::SetLink {
        from: Addr::Node(from),
        to: Addr::Node(to),
        state: LinkState::Healthy,
    })
}

/// Paxos lessons (lecture 03). Nodes `0..A` are acceptors, `A..A+P` proposers.
fn paxos_lesson(id: &str, tweak: &dyn Fn(&mut Scenario)) -> Option<Result<Scenario, ConfigError>> {
    if id == "paxos-custom" {
        let mut s = paxos_base(paxos(2, 5), NetConfig::default(), Vec::new());
        s.random_workload = Some(RandomWorkload {
            gap_ticks_min: 200,
            gap_ticks_max: 900,
            write_ppm: 500_000,
            until: 600_000,
        });
        tweak(&mut s);
        return Some(s.validate().map(|()| s));
    }
    paxos_story(id, tweak)
}

fn paxos_story(id: &str, tweak: &dyn Fn(&mut Scenario)) -> Option<Result<Scenario, ConfigError>> {
    let make = |cfg, network, workload| {
        let mut s = paxos_base(cfg, network, workload);
        tweak(&mut s);
        s
    };
    let w = ClientOp::Write;
    let s = match id {
        // One proposer, three acceptors: both phases, then everyone learns.
        "paxos-happy" => script(
            make(
                paxos(1, 3),
                NetConfig::default(),
                vec![op(10, 0, 3, w(5)), op(700, 1, 0, ClientOp::Read)],
            ),
            vec![],
        ),
        // FAQ 1: a minority of acceptors fails before the value is chosen (A4),
        // and after (A0, A1): the second proposer must propose the chosen value.
        "paxos-minority" => script(
            make(paxos(2, 5), fixed_latency(40), vec![op(10, 0, 5, w(5)), op(700, 1, 6, w(9))]),
            vec![
                (0, Step::Do(ActionKind::Crash(4))),
                // P1 does not hear the announcement, so it must run Paxos itself.
                (0, hold(5, 6)),
                (500, Step::Do(ActionKind::Restart(4))),
                (500, Step::Do(ActionKind::Crash(0))),
                (500, Step::Do(ActionKind::Crash(1))),
            ],
        ),
        // FAQ 2: P0 crashes after its Accept reached only A0; P1, with a higher
        // number, finds (2, 5) among the promises and must adopt 5.
        "paxos-preempt" => script(
            make(paxos(2, 3), fixed_latency(40), vec![op(10, 0, 3, w(5)), op(300, 1, 4, w(9))]),
            vec![
                (
                    150,
                    Step::DropWhere(|m| {
                        m.from == Addr::Node(3)
                            && m.to != Addr::Node(0)
                            && matches!(
                                m.msg,
                                crate::node::Msg::Paxos(crate::paxos::Msg::Accept { .. })
                            )
                    }),
                ),
                (150, Step::Do(ActionKind::Crash(3))),
            ],
        ),
        // Lecture 03's learner: a value needs N/2+1 = 3 of five acceptors,
        // and a learner that missed the announcement reads at least N/2+1
        // and at most N of them. P0 reaches only A0–A2 (its links to A3 and
        // A4 are held), and its announcements to L0 and L1 are held. L1,
        // asked before anything is chosen, reads five "none" and knows of no
        // value; L0 reads A2–A4 first and needs all five answers; L1, asked
        // again, learns from the first three.
        "paxos-learner" => {
            let mut cfg = paxos(1, 5);
            cfg.learners = 2;
            script(
                make(
                    cfg,
                    fixed_latency(40),
                    vec![
                        op(10, 0, 5, w(5)),
                        op(10, 1, 7, ClientOp::Read),
                        op(400, 0, 6, ClientOp::Read),
                        op(900, 1, 7, ClientOp::Read),
                    ],
                ),
                vec![
                    (0, hold(5, 3)),
                    (0, hold(5, 4)),
                    (0, hold(5, 6)),
                    (0, hold(5, 7)),
                    (0, hold(0, 6)),
                    (0, hold(1, 6)),
                    (600, release(0, 6)),
                    (750, release(1, 6)),
                ],
            )
        }
        // Two proposers keep preempting each other; randomized back-off ends it.
        // Both proposers collect answers for a while before counting them (the
        // lecture's "after a while"), and P1 starts 100 ticks after P0: each
        // new Prepare lands between the other's Prepare and its Accept.
        "paxos-duel" => {
            let mut cfg = paxos(2, 3);
            cfg.collect_ticks = 150;
            script(
                make(cfg, fixed_latency(40), vec![op(10, 0, 3, w(5)), op(110, 1, 4, w(9))]),
                vec![],
            )
        }
        // FAQ 3: three proposers, numbers 3·i + j on every message.
        "paxos-numbers" => {
            let mut cfg = paxos(3, 3);
            cfg.backoff = true;
            script(
                make(
                    cfg,
                    NetConfig::default(),
                    vec![op(10, 0, 3, w(5)), op(40, 1, 4, w(7)), op(70, 2, 5, w(9))],
                ),
                vec![],
            )
        }
        // Why persist Max_N: with the broken variant A1 keeps its promise to
        // P1 only in memory; it restarts before accepting anything, forgets
        // the promise and accepts P0's older proposal — two values chosen.
        "paxos-forget" => {
            let mut cfg = paxos(2, 3);
            cfg.variant = Variant::PromiseInMemory;
            cfg.retry_ticks = 2_000;
            script(
                make(cfg, fixed_latency(40), vec![op(10, 0, 3, w(5)), op(60, 1, 4, w(9))]),
                vec![
                    (95, hold(3, 1)),
                    (95, hold(3, 2)),
                    (95, hold(4, 0)),
                    (150, hold(4, 1)),
                    (160, Step::Do(ActionKind::Crash(1))),
                    (170, Step::Do(ActionKind::Restart(1))),
                    (200, release(3, 1)),
                    (210, release(4, 1)),
                ],
            )
        }
        _ => return None,
    };
    Some(s)
}
