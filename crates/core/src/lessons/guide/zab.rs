//! Guided steps of lecture 04's Zab lessons (node i is Server i+1, then the
//! observers), and of lecture 01's ZooKeeper beside Eureka.

use super::{
    experiment, got, new_old_or_none, says, says_under, step, told, up, Claim, Got, Question, Step,
};
use crate::check::register::stale_reads;
use crate::node::Note;
use crate::sim::Sim;
use crate::trace::Happened;
use crate::types::Tick;
use crate::zab::{LookingWhy, Note as ZabNote, Server, ServerState, SyncKind, Zxid};

const fn zxid(epoch: u64, counter: u64) -> Zxid {
    epoch << 32 | counter
}

fn leader(sim: &Sim) -> Option<u32> {
    super::super::zab::leader(sim)
}

fn server(sim: &Sim, n: u32) -> Option<&Server> {
    sim.world().zab_server(n)
}

fn state(sim: &Sim, n: u32) -> Option<ServerState> {
    server(sim, n).filter(|_| up(sim, n)).map(|s| s.state)
}

fn committed(sim: &Sim, n: u32) -> Zxid {
    server(sim, n).map_or(0, |s| s.committed)
}

/// The leader's epoch, with the leader.
fn leads(sim: &Sim, n: u32, epoch: u32) -> bool {
    leader(sim) == Some(n) && server(sim, n).is_some_and(|s| s.current_epoch == epoch)
}

/// Every Zab note so far, with the node that made it.
fn notes(sim: &Sim) -> impl Iterator<Item = (u32, &ZabNote)> {
    sim.trace().iter().filter_map(|e| match &e.what {
        Happened::Note { node, note: Note::Zab(z) } => Some((*node, z)),
        _ => None,
    })
}

/// The zxids server `n` delivered, in order.
fn delivered(sim: &Sim, n: u32) -> Vec<Zxid> {
    notes(sim)
        .filter(|(node, _)| *node == n)
        .filter_map(|(_, z)| match z {
            ZabNote::Delivered { zxid, .. } => Some(*zxid),
            _ => None,
        })
        .collect()
}

/// The members of the quorum that ACKed `z`.
fn ack_quorum(sim: &Sim, z: Zxid) -> Option<Vec<u32>> {
    notes(sim).find_map(|(_, n)| match n {
        ZabNote::AckQuorum { zxid, members } if *zxid == z => Some(members.clone()),
        _ => None,
    })
}

/// How the leader last synced `learner`.
fn synced(sim: &Sim, learner: u32) -> Option<SyncKind> {
    notes(sim)
        .filter_map(|(_, n)| match n {
            ZabNote::Synced { learner: l, kind, .. } if *l == learner => Some(*kind),
            _ => None,
        })
        .last()
}

/// Why server `n` last went LOOKING.
fn looked(sim: &Sim, n: u32) -> Option<LookingWhy> {
    notes(sim)
        .filter(|(node, _)| *node == n)
        .filter_map(|(_, z)| match z {
            ZabNote::Looking { why, .. } => Some(*why),
            _ => None,
        })
        .last()
}

/// An established leader in epoch 3 or later (the election lesson's third).
fn third_epoch(sim: &Sim) -> bool {
    notes(sim).any(|(_, n)| matches!(n, ZabNote::Established { epoch, .. } if *epoch >= 3))
}

fn failed_between(sim: &Sim, from: u64, to: u64) -> bool {
    sim.history().iter().any(|o| {
        o.invoke >= from
            && o.invoke < to
            && matches!(
                o.ret,
                Some((_, crate::client::Outcome::Fail(_) | crate::client::Outcome::Timeout))
            )
    })
}

const ELECTED_S5: crate::lessons::guide::Claim =
    says(410, "Server5 leads epoch 1", |s| leads(s, 4, 1));

const ZAB_BROADCAST: &[Step] = &[
    step(0, &[0, 1, 2, 3, 4]),
    Step {
        from: 209,
        nodes: &[4],
        question: Some(Question {
            ask_at: 1_395,
            choices: 5,
            nodes: 5,
            answer_at: 1_530,
            // Who numbered the write: the leader.
            answer: |s| {
                notes(s).find_map(|(node, n)| matches!(n, ZabNote::Proposed { .. }).then_some(node))
            },
        }),
        variants: &[],
    },
    Step { from: 1_400, nodes: &[1, 4], question: None, variants: &["commit"] },
    Step { from: 1_536, nodes: &[4], question: None, variants: &["commit"] },
    step(2_200, &[3]),
];

const ZAB_BROADCAST_SAYS: &[&[Claim]] = &[
    &[ELECTED_S5],
    &[],
    &[
        says(1_530, "1:1 is logged but not committed yet", |s| committed(s, 4) == 0),
        says_under("commit", 1_530, "the leader committed 1:1 at once", |s| {
            committed(s, 4) == zxid(1, 1)
        }),
    ],
    &[
        says(1_620, "a quorum of 3 ACKed 1:1; all delivered; the client was told 7", |s| {
            ack_quorum(s, zxid(1, 1)).is_some_and(|m| m.len() >= 3)
                && (0..5).all(|n| committed(s, n) == zxid(1, 1))
                && told(s, 0, 1_400) == Some(7)
        }),
        says_under("commit", 1_620, "all delivered 1:1; the client was told 7", |s| {
            (0..5).all(|n| committed(s, n) == zxid(1, 1)) && told(s, 0, 1_400) == Some(7)
        }),
    ],
    &[says(2_600, "Server4 read 7", |s| got(s, 1, 2_200) == Some(Got::Read(Some(7))))],
];

/// The choice "DIFF / TRUNC / SNAP" for how the leader synced `learner`.
fn sync_choice(sim: &Sim, learner: u32) -> Option<u32> {
    Some(match synced(sim, learner)? {
        SyncKind::Diff => 0,
        SyncKind::Trunc { .. } => 1,
        SyncKind::Snap { .. } => 2,
    })
}

/// A restarted follower's step, asking just after `from` how the leader
/// will bring it up to date (settled by `answer_at`).
const fn sync_step(
    from: Tick,
    nodes: &'static [u32],
    answer_at: Tick,
    answer: fn(&Sim) -> Option<u32>,
) -> Step {
    let ask_at = from + 5;
    let question = Question { ask_at, choices: 3, nodes: 0, answer_at, answer };
    Step { from, nodes, question: Some(question), variants: &[] }
}

const ZAB_FOLLOWER_RECOVERS: &[Step] = &[
    step(0, &[0, 1, 2, 3, 4]),
    step(1_500, &[1]),
    sync_step(3_000, &[1], 3_400, |s| sync_choice(s, 1)),
    step(3_211, &[1, 4]),
    step(4_200, &[1]),
];

const ZAB_FOLLOWER_RECOVERS_SAYS: &[&[Claim]] = &[
    &[ELECTED_S5],
    &[says(2_240, "Server2 down; both writes committed", |s| {
        !up(s, 1) && told(s, 0, 1_600) == Some(1) && told(s, 1, 2_000) == Some(2)
    })],
    &[says(3_005, "Server2 restarted with nothing", |s| up(s, 1) && committed(s, 1) == 0)],
    &[says(3_400, "DIFF brought Server2 to 1:2", |s| {
        matches!(synced(s, 1), Some(SyncKind::Diff)) && committed(s, 1) == zxid(1, 2)
    })],
    &[says(4_700, "Server2 read 2", |s| got(s, 2, 4_200) == Some(Got::Read(Some(2))))],
];

/// The zxid server `n`'s snapshot holds.
fn snap_point(sim: &Sim, n: u32) -> Zxid {
    server(sim, n).map_or(0, |s| s.snap.0)
}

const ZAB_SNAP: &[Step] = &[
    step(0, &[0, 1, 2]),
    step(1_500, &[0]),
    sync_step(3_600, &[0], 4_000, |s| sync_choice(s, 0)),
    step(3_800, &[0, 2]),
    step(4_600, &[0]),
];

const ZAB_SNAP_SAYS: &[&[Claim]] = &[
    &[says(1_490, "Server3 leads epoch 1", |s| leads(s, 2, 1))],
    &[says(3_590, "Server1 down; 17 writes committed; snapshots at 1:16 or later", |s| {
        !up(s, 0)
            && (0..17u64).all(|k| got(s, (k % 3) as u32, 1_600 + 100 * k) == Some(Got::Wrote))
            && committed(s, 2) == zxid(1, 17)
            && (1..3).all(|n| snap_point(s, n) >= zxid(1, 16))
    })],
    &[says(3_605, "Server1 restarted with nothing", |s| up(s, 0) && committed(s, 0) == 0)],
    &[says(4_000, "SNAP 1:16 (value 16) +1 brought Server1 to 1:17", |s| {
        let snap = Some(SyncKind::Snap { zxid: zxid(1, 16), value: Some(16) });
        synced(s, 0) == snap && committed(s, 0) == zxid(1, 17)
    })],
    &[says(4_900, "Server1 read 17", |s| got(s, 0, 4_600) == Some(Got::Read(Some(17))))],
];

const ZAB_ELECTION: &[Step] = &[
    step(0, &[0, 1, 2]),
    step(1_300, &[1, 3, 4]),
    step(3_000, &[2]),
    Step { from: 3_800, nodes: &[1], question: None, variants: &["commit"] },
    Step {
        from: 4_560,
        nodes: &[],
        question: Some(Question {
            ask_at: 4_600,
            choices: 6,
            nodes: 5,
            answer_at: 8_000,
            // The server that leads by then, or no one.
            answer: |s| Some(leader(s).unwrap_or(5)),
        }),
        variants: &[],
    },
    Step { from: 4_849, nodes: &[0, 2], question: None, variants: &["myid"] },
];

const ZAB_ELECTION_SAYS: &[&[Claim]] = &[
    &[says(1_290, "Server3 leads epoch 1", |s| leads(s, 2, 1))],
    &[says(2_990, "Server2 leads epoch 2", |s| leads(s, 1, 2))],
    &[says(3_700, "Server3 follows", |s| state(s, 2) == Some(ServerState::Following))],
    &[
        says(4_555, "2:2 committed with Server1 and Server3", |s| {
            ack_quorum(s, zxid(2, 2))
                .is_some_and(|m| m.contains(&0) && m.contains(&2) && m.len() == 3)
        }),
        says_under("commit", 4_500, "2:2 committed on the leader's own ACK", |s| {
            told(s, 1, 4_420) == Some(2) && ack_quorum(s, zxid(2, 2)).is_some_and(|m| m == [1])
        }),
    ],
    &[says(4_601, "everyone is LOOKING", |s| {
        (0..5).filter(|&n| up(s, n)).all(|n| state(s, n) == Some(ServerState::Looking))
    })],
    &[
        says(5_300, "Server3 leads epoch 3; Server4 and Server5 got 2:2", |s| {
            leads(s, 2, 3) && committed(s, 3) == zxid(2, 2) && committed(s, 4) == zxid(2, 2)
        }),
        says_under("myid", 8_000, "no third epoch; stale leaders refused", |s| {
            !third_epoch(s) && (0..5).any(|n| looked(s, n) == Some(LookingWhy::Refused))
        }),
    ],
];

const ZAB_EPOCHS: &[Step] = &[
    step(0, &[0, 1, 2, 3, 4]),
    step(1_400, &[4]),
    Step {
        from: 1_800,
        nodes: &[4],
        question: Some(Question {
            ask_at: 2_600,
            choices: 3,
            nodes: 0,
            answer_at: 3_000,
            answer: |s| match server(s, leader(s)?)?.current_epoch {
                1 => Some(0),
                2 => Some(1),
                3 => Some(2),
                _ => None,
            },
        }),
        variants: &["commit"],
    },
    step(2_794, &[3]),
    Step { from: 4_000, nodes: &[3], question: None, variants: &["commit"] },
    Step { from: 5_200, nodes: &[4], question: None, variants: &["commit"] },
];

const ZAB_EPOCHS_SAYS: &[&[Claim]] = &[
    &[ELECTED_S5],
    &[says(1_600, "1:1 committed", |s| told(s, 0, 1_400) == Some(1))],
    &[
        says(2_500, "Server5 logged 1:2 and 1:3, committed only 1:1", |s| {
            server(s, 4).is_some_and(|v| v.log.iter().any(|t| t.zxid == zxid(1, 3)))
                && committed(s, 4) == zxid(1, 1)
        }),
        says_under(
            "commit",
            2_500,
            "Server5 alone committed 1:2 and 1:3 and told its clients",
            |s| {
                committed(s, 4) == zxid(1, 3)
                    && told(s, 1, 1_850) == Some(2)
                    && told(s, 0, 1_950) == Some(5)
            },
        ),
    ],
    &[says(2_960, "Server4 leads epoch 2", |s| leads(s, 3, 2))],
    &[
        says(5_230, "2:1 and 2:2 committed; Server5's writes timed out", |s| {
            told(s, 2, 4_000) == Some(3)
                && told(s, 0, 4_950) == Some(4)
                && got(s, 1, 1_850) == Some(Got::Failed)
                && got(s, 0, 1_950) == Some(Got::Failed)
        }),
        says_under("commit", 5_000, "2:1 and 2:2 committed", |s| {
            told(s, 2, 4_000) == Some(3) && told(s, 0, 4_400) == Some(4)
        }),
    ],
    &[
        says(7_200, "TRUNC to 1:1; Server5 holds 2:2 and reads 4", |s| {
            matches!(synced(s, 4), Some(SyncKind::Trunc { to }) if to == zxid(1, 1))
                && committed(s, 4) == zxid(2, 2)
                && got(s, 1, 6_800) == Some(Got::Read(Some(4)))
        }),
        says_under("commit", 7_200, "TRUNC erased the writes its clients were told of", |s| {
            matches!(synced(s, 4), Some(SyncKind::Trunc { to }) if to == zxid(1, 1))
                && server(s, 4).is_some_and(|v| v.log.iter().all(|t| t.zxid != zxid(1, 2)))
                && got(s, 1, 6_800) == Some(Got::Read(Some(4)))
                && !zab_oracle_silent(s)
        }),
    ],
];

const ZAB_OBSERVERS: &[Step] = &[
    step(0, &[0, 1, 2]),
    step(1_400, &[3]),
    step(2_000, &[4]),
    step(2_300, &[1]),
    Step {
        from: 3_300,
        nodes: &[0],
        question: Some(Question {
            ask_at: 3_310,
            choices: 2,
            nodes: 0,
            answer_at: 6_700,
            answer: |s| match got(s, 2, 3_600)? {
                Got::Wrote => Some(0),
                Got::Failed => Some(1),
                _ => None,
            },
        }),
        variants: &[],
    },
    Step { from: 6_600, nodes: &[2, 3, 4], question: None, variants: &["commit"] },
];

const ZAB_OBSERVERS_SAYS: &[&[Claim]] = &[
    &[says(800, "Server3 leads; the observers observe", |s| {
        leads(s, 2, 1)
            && state(s, 3) == Some(ServerState::Observing)
            && state(s, 4) == Some(ServerState::Observing)
    })],
    &[says(1_660, "1 committed by voters alone; observers have it", |s| {
        ack_quorum(s, zxid(1, 1)).is_some_and(|m| m.iter().all(|&n| n < 3))
            && told(s, 0, 1_400) == Some(1)
            && committed(s, 3) == zxid(1, 1)
    })],
    &[says(2_400, "the observer read 1", |s| got(s, 1, 2_000) == Some(Got::Read(Some(1))))],
    &[says(2_850, "write 2 committed with two voters", |s| told(s, 0, 2_600) == Some(2))],
    &[],
    &[
        says(6_700, "write 3 timed out", |s| got(s, 2, 3_600) == Some(Got::Failed)),
        says_under("commit", 6_700, "write 3 succeeded with one voter", |s| {
            got(s, 2, 3_600) == Some(Got::Wrote)
        }),
    ],
];

const ZAB_PARTITION: &[Step] = &[
    step(0, &[0, 1, 2, 3, 4]),
    step(1_400, &[4]),
    Step {
        from: 1_500,
        nodes: &[3, 4],
        question: Some(Question {
            ask_at: 2_400,
            choices: 5,
            nodes: 5,
            answer_at: 3_000,
            answer: leader,
        }),
        variants: &[],
    },
    step(2_717, &[0, 1, 2]),
    step(3_200, &[]),
    step(5_500, &[3, 4]),
];

const ZAB_PARTITION_SAYS: &[&[Claim]] = &[
    &[ELECTED_S5],
    &[says(1_560, "1:1 committed", |s| told(s, 0, 1_400) == Some(1))],
    &[
        says(2_000, "the minority still leads and follows", |s| {
            state(s, 4) == Some(ServerState::Leading) && state(s, 3) == Some(ServerState::Following)
        }),
        says(2_700, "Server5 gave up: lost its quorum", |s| {
            looked(s, 4) == Some(LookingWhy::LostQuorum)
        }),
    ],
    &[says(2_900, "Server3 leads epoch 2", |s| leads(s, 2, 2))],
    &[says(4_100, "minority fails, majority commits", |s| {
        got(s, 0, 3_200) == Some(Got::Failed)
            && told(s, 1, 3_400) == Some(3)
            && got(s, 2, 4_000) == Some(Got::Failed)
            && stale_reads(&s.history()).is_empty()
    })],
    &[says(7_600, "Server4 read 3", |s| got(s, 2, 7_200) == Some(Got::Read(Some(3))))],
];

const ZAB_READS: &[Step] = &[
    step(0, &[0, 1, 2, 3, 4]),
    step(1_300, &[4]),
    Step {
        from: 1_500,
        nodes: &[0],
        question: Some(Question {
            ask_at: 1_890,
            choices: 3,
            nodes: 0,
            answer_at: 2_600,
            answer: |s| new_old_or_none(s, 1, 1_900, 2),
        }),
        variants: &[],
    },
    Step { from: 1_900, nodes: &[0], question: None, variants: &["sync"] },
];

const ZAB_READS_SAYS: &[&[Claim]] = &[
    &[ELECTED_S5],
    &[says(1_460, "1 committed", |s| told(s, 0, 1_300) == Some(1))],
    &[says(1_760, "2 committed without Server1", |s| {
        told(s, 0, 1_600) == Some(2) && committed(s, 0) == zxid(1, 1)
    })],
    &[
        says(2_000, "Server1 answered 1", |s| got(s, 1, 1_900) == Some(Got::Read(Some(1)))),
        says_under("sync", 2_400, "Server1 answered 2 after the heal", |s| {
            got(s, 1, 1_900) == Some(Got::Read(Some(2)))
        }),
    ],
];

const ZAB_VS_PAXOS: &[Step] = &[
    step(0, &[0, 1, 2]),
    Step {
        from: 1_200,
        nodes: &[2],
        question: Some(Question {
            ask_at: 1_270,
            choices: 2,
            nodes: 0,
            answer_at: 1_500,
            answer: |s| {
                let ordered = (0..3).all(|n| delivered(s, n) == [zxid(1, 1), zxid(1, 2)]);
                Some(u32::from(!ordered))
            },
        }),
        variants: &["commit"],
    },
    step(1_355, &[0, 1, 2]),
    step(1_900, &[1]),
];

const ZAB_VS_PAXOS_SAYS: &[&[Claim]] = &[
    &[says(1_190, "Server3 leads epoch 1", |s| leads(s, 2, 1))],
    &[
        says(1_354, "1:2 proposed before 1:1 committed", |s| {
            server(s, 2).is_some_and(|v| v.log.iter().any(|t| t.zxid == zxid(1, 2)))
                && committed(s, 2) == 0
        }),
        says_under("commit", 1_354, "the leader committed both at once", |s| {
            committed(s, 2) == zxid(1, 2)
        }),
    ],
    &[says(1_500, "every server delivered 1:1 then 1:2", |s| {
        (0..3).all(|n| delivered(s, n) == [zxid(1, 1), zxid(1, 2)])
    })],
    &[says(2_300, "Server2 read 2", |s| got(s, 2, 1_900) == Some(Got::Read(Some(2))))],
];

/// Every server's delivered log agrees with every other's on each zxid (a
/// light check, for the page; the tests judge with the oracle).
fn one_order(s: &Sim) -> bool {
    let n = s.scenario().protocol.nodes();
    let delivered =
        |i: u32| server(s, i).map(|v| v.log.iter().filter(move |t| t.zxid <= v.committed));
    (0..n).all(|a| {
        (0..n).all(|b| {
            delivered(a).into_iter().flatten().all(|t| {
                delivered(b).into_iter().flatten().all(|u| u.zxid != t.zxid || u.value == t.value)
            })
        })
    })
}

/// No two servers delivered different values under one zxid, and none
/// lost a write a client was told of (the Zab oracle, unsettled).
fn zab_oracle_silent(s: &Sim) -> bool {
    let mut w = crate::oracle::Watch::new(&s.scenario().protocol, false);
    w.observe(s.trace());
    w.judge(s, None).is_none()
}

const ZAB_CUSTOM: &[Step] = &experiment(8_000, |s| Some(u32::from(!one_order(s))), &[]);

const ZAB_CUSTOM_SAYS: &[&[Claim]] =
    &[&[], &[], &[says(8_000, "one order, nothing acknowledged lost", zab_oracle_silent)]];

const CAP_REGISTRY: &[Step] = &[
    step(0, &[]),
    step(1_200, &[]),
    Step {
        from: 3_000,
        nodes: &[3, 4],
        question: Some(Question {
            ask_at: 3_005,
            choices: 2,
            nodes: 0,
            answer_at: 7_000,
            answer: |s| Some(u32::from(failed_between(s, 3_000, 6_500))),
        }),
        variants: &[],
    },
    step(4_000, &[]),
    step(6_500, &[]),
];

const CAP_REGISTRY_SAYS: &[&[Claim]] = &[
    &[],
    &[says(2_990, "every request answered", |s| !failed_between(s, 0, 3_000))],
    &[],
    &[says(6_500, "ZooKeeper refused some; no lookup was stale", |s| {
        failed_between(s, 3_000, 6_500) && stale_reads(&s.history()).is_empty()
    })],
    &[],
];

pub(super) fn steps(id: &str) -> Option<&'static [Step]> {
    Some(match id {
        "zab-broadcast" => ZAB_BROADCAST,
        "zab-follower-recovers" => ZAB_FOLLOWER_RECOVERS,
        "zab-snap" => ZAB_SNAP,
        "zab-election" => ZAB_ELECTION,
        "zab-epochs" => ZAB_EPOCHS,
        "zab-observers" => ZAB_OBSERVERS,
        "zab-partition" => ZAB_PARTITION,
        "zab-reads" => ZAB_READS,
        "zab-vs-paxos" => ZAB_VS_PAXOS,
        "zab-custom" => ZAB_CUSTOM,
        "cap-registry" => CAP_REGISTRY,
        _ => return None,
    })
}

/// What the steps' texts say, step by step.
pub(super) fn said(id: &str) -> Option<&'static [&'static [Claim]]> {
    Some(match id {
        "zab-broadcast" => ZAB_BROADCAST_SAYS,
        "zab-follower-recovers" => ZAB_FOLLOWER_RECOVERS_SAYS,
        "zab-snap" => ZAB_SNAP_SAYS,
        "zab-election" => ZAB_ELECTION_SAYS,
        "zab-epochs" => ZAB_EPOCHS_SAYS,
        "zab-observers" => ZAB_OBSERVERS_SAYS,
        "zab-partition" => ZAB_PARTITION_SAYS,
        "zab-reads" => ZAB_READS_SAYS,
        "zab-vs-paxos" => ZAB_VS_PAXOS_SAYS,
        "zab-custom" => ZAB_CUSTOM_SAYS,
        "cap-registry" => CAP_REGISTRY_SAYS,
        _ => return None,
    })
}
