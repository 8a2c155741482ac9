//! How fast each lesson plays at the player's default speed: quiet
//! stretches (a cluster idling between elections and the first client, a
//! client waiting out its timeout) pass several times faster, the key
//! moments at the speed the player is set to, and a moment too brief to
//! follow slower. A schedule is a list of (from tick, percent of the
//! player's speed); the page says when it plays faster or slower.

use crate::types::Tick;

/// The player's default speed, in ticks per second (its slider at 42).
pub const DEFAULT_TICKS_PER_SECOND: f64 = 60.0;

/// A Zab cluster's opening: the election at full attention, then the idle
/// stretch until the first client fast.
const ZAB_OPENING: [(Tick, u32); 2] = [(0, 100), (450, 600)];

const ZAB_BROADCAST: &[(Tick, u32)] =
    &[ZAB_OPENING[0], ZAB_OPENING[1], (1_380, 100), (1_620, 400), (2_180, 100)];
const ZAB_FOLLOWER_RECOVERS: &[(Tick, u32)] = &[
    ZAB_OPENING[0],
    ZAB_OPENING[1],
    (1_480, 200),
    (2_250, 600),
    (2_980, 100),
    (3_400, 600),
    (4_180, 100),
];
const ZAB_SNAP: &[(Tick, u32)] = &[
    ZAB_OPENING[0],
    ZAB_OPENING[1],
    (1_480, 150),
    (1_900, 400),
    (3_590, 100),
    (3_950, 600),
    (4_580, 100),
];
const ZAB_ELECTION: &[(Tick, u32)] = &[
    ZAB_OPENING[0],
    ZAB_OPENING[1],
    (1_290, 300),
    (2_470, 600),
    (2_990, 200),
    (3_200, 600),
    (3_790, 200),
    (4_600, 100),
    (5_100, 300),
];
const ZAB_EPOCHS: &[(Tick, u32)] = &[
    ZAB_OPENING[0],
    ZAB_OPENING[1],
    (1_390, 200),
    (2_000, 400),
    (2_700, 100),
    (2_980, 600),
    (3_990, 300),
    (5_250, 200),
    (5_900, 600),
    (6_790, 100),
];
const ZAB_OBSERVERS: &[(Tick, u32)] = &[
    ZAB_OPENING[0],
    (450, 200),
    (820, 600),
    (1_390, 200),
    (2_900, 600),
    (3_290, 100),
    (3_650, 800),
    (6_600, 100),
];
const ZAB_PARTITION: &[(Tick, u32)] = &[
    ZAB_OPENING[0],
    ZAB_OPENING[1],
    (1_390, 100),
    (1_600, 400),
    (2_600, 100),
    (2_950, 400),
    (3_190, 200),
    (4_100, 600),
    (5_490, 200),
    (5_900, 600),
    (7_190, 100),
];
const ZAB_READS: &[(Tick, u32)] = &[ZAB_OPENING[0], ZAB_OPENING[1], (1_290, 100), (1_990, 200)];
const ZAB_VS_PAXOS: &[(Tick, u32)] =
    &[ZAB_OPENING[0], ZAB_OPENING[1], (1_190, 100), (1_500, 400), (1_890, 100)];
const ZAB_RANDOM: &[(Tick, u32)] = &[ZAB_OPENING[0], (450, 400)];
const CAP_REGISTRY: &[(Tick, u32)] =
    &[ZAB_OPENING[0], ZAB_OPENING[1], (1_190, 400), (2_990, 300), (6_600, 400)];
const CAP_SLA: &[(Tick, u32)] = &[(0, 200), (400, 500)];
const CAP_PROOF: &[(Tick, u32)] = &[(0, 100), (1_400, 300), (1_990, 100)];
const EC_BASE: &[(Tick, u32)] = &[(0, 100), (900, 400)];
const EC_WEAK: &[(Tick, u32)] = &[(0, 100), (320, 400), (1_480, 100), (1_600, 300)];
const EC_WINDOW: &[(Tick, u32)] = &[(0, 200), (1_000, 600)];
const EC_CAUSAL: &[(Tick, u32)] = &[(0, 100), (250, 50), (300, 100)];
const QUORUM_3_2_2: &[(Tick, u32)] = &[(0, 100), (140, 50), (200, 100)];
const QUORUM_STALE: &[(Tick, u32)] = &[(0, 100), (300, 50), (350, 100)];
const PAXOS_FORGET: &[(Tick, u32)] = &[(0, 100), (95, 40), (200, 100)];
const EC_SESSION: &[(Tick, u32)] = &[(0, 100), (500, 400), (1_190, 100)];
const RANDOM: &[(Tick, u32)] = &[(0, 200), (1_000, 600)];
const PAXOS_HAPPY: &[(Tick, u32)] = &[(0, 100), (144, 70), (227, 100), (290, 400), (690, 100)];
const PAXOS_MINORITY: &[(Tick, u32)] = &[(0, 100), (300, 400), (490, 100)];
/// Slow until the first messages leave at tick 10.
const PAXOS_LEARNER: &[(Tick, u32)] = &[(0, 10), (10, 100)];
const PAXOS_DUEL: &[(Tick, u32)] = &[(0, 100), (400, 300)];
const WARO: &[(Tick, u32)] = &[(0, 100), (600, 300), (1_290, 100)];
const QUORUM_10_3_8: &[(Tick, u32)] = &[(0, 100), (470, 300), (690, 100)];

/// Lesson `id`'s schedule (empty: the player's speed throughout).
#[must_use]
pub fn schedule(id: &str) -> &'static [(Tick, u32)] {
    match id {
        "zab-broadcast" => ZAB_BROADCAST,
        "zab-follower-recovers" => ZAB_FOLLOWER_RECOVERS,
        "zab-snap" => ZAB_SNAP,
        "zab-election" => ZAB_ELECTION,
        "zab-epochs" => ZAB_EPOCHS,
        "zab-observers" => ZAB_OBSERVERS,
        "zab-partition" => ZAB_PARTITION,
        "zab-reads" => ZAB_READS,
        "zab-vs-paxos" => ZAB_VS_PAXOS,
        "zab-custom" => ZAB_RANDOM,
        "cap-registry" => CAP_REGISTRY,
        "cap-sla" => CAP_SLA,
        "cap-proof" => CAP_PROOF,
        "ec-base" => EC_BASE,
        "ec-weak" => EC_WEAK,
        "ec-window" => EC_WINDOW,
        "ec-session" => EC_SESSION,
        "ec-causal" => EC_CAUSAL,
        "quorum-3-2-2" | "ec-strong" => QUORUM_3_2_2,
        "quorum-stale" => QUORUM_STALE,
        "paxos-forget" => PAXOS_FORGET,
        "ec-custom" | "quorum-custom" | "paxos-custom" => RANDOM,
        "paxos-happy" => PAXOS_HAPPY,
        "paxos-minority" => PAXOS_MINORITY,
        "paxos-duel" => PAXOS_DUEL,
        "paxos-learner" => PAXOS_LEARNER,
        "waro" => WARO,
        "quorum-10-3-8" => QUORUM_10_3_8,
        _ => &[],
    }
}

/// The percent of the player's speed `schedule` plays at `tick` (100
/// before its first entry).
#[must_use]
pub fn tempo_at(schedule: &[(Tick, u32)], tick: Tick) -> u32 {
    schedule.iter().rev().find(|(from, _)| *from <= tick).map_or(100, |(_, p)| (*p).max(1))
}

/// The seconds of wall time, at the default speed, from Play at tick 0 to
/// `tick` under `schedule`.
#[must_use]
pub fn seconds_to(schedule: &[(Tick, u32)], tick: Tick) -> f64 {
    let mut bounds: Vec<Tick> = schedule.iter().map(|(t, _)| *t).filter(|&t| t < tick).collect();
    bounds.insert(0, 0);
    bounds.push(tick);
    bounds.dedup();
    let ticks: f64 = bounds
        .windows(2)
        .map(|w| (w[1] - w[0]) as f64 * 100.0 / f64::from(tempo_at(schedule, w[0])))
        .sum();
    ticks / DEFAULT_TICKS_PER_SECOND
}
