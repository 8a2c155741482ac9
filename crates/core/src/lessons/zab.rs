//! Zab lessons (lecture 04). Nodes `0..V` are voters (node i is Server
//! i+1), then the observers. Every Zab lesson runs on FIFO links that
//! behave like TCP connections.

use super::{op, script, Step};
use crate::net::{LinkState, NetConfig};
use crate::scenario::{ActionKind, ConfigError, ProtocolConfig, RandomWorkload, Scenario};
use crate::sim::Sim;
use crate::types::{Addr, ClientOp, Tick};
use crate::zab::{Variant, ZabConfig};
use crate::ENGINE_VERSION;

/// A cluster with the timing every lesson shares: links of 30–50 ticks,
/// a heartbeat every 400, a sync limit of 1 000, votes re-sent every 600.
#[must_use]
pub fn config(voters: u32, observers: u32) -> ZabConfig {
    ZabConfig {
        voters,
        observers,
        heartbeat_ticks: 400,
        sync_limit_ticks: 1_000,
        election_ticks: 600,
        sync_reads: false,
        variant: Variant::Faithful,
    }
}

#[must_use]
pub fn network() -> NetConfig {
    NetConfig { latency_ticks_min: 30, latency_ticks_max: 50, fifo: true, ..NetConfig::default() }
}

fn base(cfg: ZabConfig, workload: Vec<crate::scenario::ScriptedOp>) -> Scenario {
    Scenario {
        engine: ENGINE_VERSION,
        protocol: ProtocolConfig::Zab(cfg),
        network: network(),
        clients: 3,
        client_timeout_ticks: 3_000,
        workload,
        random_workload: None,
        seed: 1,
        actions: Vec::new(),
    }
}

fn crash(n: u32) -> Step {
    Step::Do(ActionKind::Crash(n))
}

fn restart(n: u32) -> Step {
    Step::Do(ActionKind::Restart(n))
}

/// The server that leads now, if any.
pub(super) fn leader(sim: &Sim) -> Option<u32> {
    let n = sim.scenario().protocol.nodes();
    (0..n).find(|&i| {
        sim.world().nodes()[i as usize].up
            && sim
                .world()
                .zab_server(i)
                .is_some_and(|s| s.state == crate::zab::ServerState::Leading)
    })
}

/// Drop the proposals in flight from the leader to `to`.
fn drop_proposals_to(sim: &Sim, to: &[u32]) -> Vec<ActionKind> {
    let Some(l) = leader(sim) else { return Vec::new() };
    sim.world()
        .net()
        .in_flight()
        .filter(|m| m.from == Addr::Node(l) && m.to.node().is_some_and(|t| to.contains(&t)))
        .filter(|m| matches!(m.msg, crate::node::Msg::Zab(crate::zab::Msg::Proposal { .. })))
        .map(|m| ActionKind::DropMessage(m.id))
        .collect()
}

fn crash_leader(sim: &Sim) -> Vec<ActionKind> {
    leader(sim).map(ActionKind::Crash).into_iter().collect()
}

/// Every live server's "leader silent" deadline passes now.
fn notice_all(sim: &Sim) -> Vec<ActionKind> {
    let n = sim.scenario().protocol.nodes();
    (0..n)
        .filter(|&i| sim.world().nodes()[i as usize].up)
        .map(|node| ActionKind::FireTimer { node, key: crate::zab::TICK_TIMER })
        .collect()
}

fn link(from: u32, to: u32, state: LinkState) -> Step {
    Step::Do(ActionKind::SetLink { from: Addr::Node(from), to: Addr::Node(to), state })
}

const W: fn(u64) -> ClientOp = ClientOp::Write;
const R: ClientOp = ClientOp::Read;

pub(super) fn lesson(
    id: &str,
    tweak: &dyn Fn(&mut Scenario),
) -> Option<Result<Scenario, ConfigError>> {
    let make = |cfg, workload| {
        let mut s = base(cfg, workload);
        tweak(&mut s);
        s
    };
    let steps: Vec<(Tick, Step)>;
    let s = match id {
        // The cluster starts LOOKING, elects Server5 (equal histories: the
        // largest myid), syncs, and then one write goes through both rounds.
        "zab-broadcast" => {
            steps = vec![];
            make(config(5, 0), vec![op(1_400, 0, 1, W(7)), op(2_200, 1, 3, R)])
        }
        // Server2 crashes; the quorum of four goes on; Server2 comes back,
        // finds the leader, and is brought up to date with a DIFF.
        "zab-follower-recovers" => {
            steps = vec![(1_500, crash(1)), (3_000, restart(1))];
            make(
                config(5, 0),
                vec![op(1_600, 0, 0, W(1)), op(2_000, 1, 2, W(2)), op(4_200, 2, 1, R)],
            )
        }
        // SNAP: Server1 crashes, and 17 writes commit without it. Once 16
        // committed entries sit in the log, every server folds them into its
        // snapshot (ZooKeeper's snapCount), so when Server1 returns its last
        // zxid is older than anything the leader's log still holds.
        "zab-snap" => {
            steps = vec![(1_500, crash(0)), (3_600, restart(0))];
            let mut ops: Vec<_> = (0..17u32)
                .map(|k| op(1_600 + 100 * Tick::from(k), k % 3, 2, W(u64::from(k) + 1)))
                .collect();
            ops.push(op(4_600, 0, 0, R));
            make(config(3, 0), ops)
        }
        // The lecture's election. First the stage: Server4 and Server5 are
        // still booting, so Server3 leads epoch 1 and then crashes; Server1
        // and Server2 (currentEpoch 1) beat the empty Server4 and Server5 and
        // Server2 leads epoch 2. Then the story: Server2's proposal 2:2
        // reaches only Server1 and Server3 — with Server2, a quorum, so it
        // commits — and Server2 crashes. Server3 has the largest zxid (tied
        // with Server1, a larger myid) and wins. An election that compared
        // myids only would pick Server5, which lacks the committed 2:2.
        "zab-election" => {
            steps = vec![
                (0, crash(3)),
                (0, crash(4)),
                // Their first votes never left.
                (0, Step::DropWhere(|m| matches!(m.from, Addr::Node(3 | 4)))),
                (1_300, crash(2)),
                (1_300, restart(3)),
                (1_300, restart(4)),
                (3_000, restart(2)),
                // Proposal 2:2 is lost on the way to Server4 and Server5.
                (4_470, Step::Dynamic(|sim| drop_proposals_to(sim, &[3, 4]))),
                (4_560, Step::Dynamic(crash_leader)),
                // The followers notice the silence together (the lecture's
                // "at some moment the leader dies, and the election starts").
                (4_600, Step::Dynamic(notice_all)),
            ];
            make(config(5, 0), vec![op(3_800, 0, 1, W(1)), op(4_420, 1, 1, W(2))])
        }
        // Server5 leads epoch 1 and is cut off alone; the writes it takes
        // cannot commit. The majority elects Server4 in epoch 2 (2:1, 2:2);
        // when Server5 rejoins, its uncommitted 1:2 and 1:3 are truncated.
        "zab-epochs" => {
            steps = vec![
                (1_800, Step::Do(ActionKind::Partition { side: vec![4] })),
                (5_200, Step::Do(ActionKind::HealAll)),
            ];
            make(
                config(5, 0),
                vec![
                    op(1_400, 0, 4, W(1)),
                    op(1_850, 1, 4, W(2)),
                    op(1_950, 0, 4, W(5)),
                    op(4_000, 2, 0, W(3)),
                    op(4_400, 0, 1, W(4)),
                    op(6_800, 1, 4, R),
                ],
            )
        }
        // Three voters and two observers: observers learn every commit and
        // answer reads, but never vote. With two voters down there is no
        // quorum, however many observers are up.
        "zab-observers" => {
            steps = vec![(2_300, crash(1)), (3_300, crash(0))];
            make(
                config(3, 2),
                vec![
                    op(1_400, 0, 3, W(1)),
                    op(2_000, 1, 4, R),
                    op(2_600, 0, 4, W(2)),
                    op(3_100, 1, 3, R),
                    op(3_600, 2, 3, W(3)),
                ],
            )
        }
        // The leader, Server5, and Server4 end up on the minority side: it
        // loses its quorum and stops taking writes (ZooKeeper is CP); the
        // majority elects Server3 and goes on.
        "zab-partition" => {
            steps = vec![
                (1_500, Step::Do(ActionKind::Partition { side: vec![3, 4] })),
                (5_500, Step::Do(ActionKind::HealAll)),
            ];
            make(
                config(5, 0),
                vec![
                    op(1_400, 0, 4, W(1)),
                    op(3_200, 0, 4, W(2)),
                    op(3_400, 1, 0, W(3)),
                    op(4_000, 2, 3, R),
                    op(7_200, 2, 3, R),
                ],
            )
        }
        // Reads are local: Server1 lags (its link from the leader is slow),
        // so it answers with the old value although 2 is committed. With
        // `sync` before reads, the read waits for the pipeline and is fresh.
        "zab-reads" => {
            steps =
                vec![(1_500, link(4, 0, LinkState::Held)), (2_300, link(4, 0, LinkState::Healthy))];
            make(
                config(5, 0),
                vec![op(1_300, 0, 4, W(1)), op(1_600, 0, 4, W(2)), op(1_900, 1, 0, R)],
            )
        }
        // Three voters, a steady workload: the broadcast pipeline to compare
        // with Paxos.
        "zab-vs-paxos" => {
            steps = vec![];
            make(
                config(3, 0),
                vec![op(1_200, 0, 0, W(1)), op(1_260, 1, 2, W(2)), op(1_900, 2, 1, R)],
            )
        }
        "zab-custom" => {
            let mut s = base(config(5, 1), Vec::new());
            s.random_workload = Some(RandomWorkload {
                gap_ticks_min: 300,
                gap_ticks_max: 900,
                write_ppm: 500_000,
                until: 600_000,
            });
            tweak(&mut s);
            return Some(s.validate().map(|()| s));
        }
        _ => return None,
    };
    Some(script(s, steps))
}
