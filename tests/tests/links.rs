//! Share links v1 (DESIGN.md): roundtrip, typed errors for bad input, caps,
//! and a golden set of links made by this version that every later version
//! must replay to the same trace hash.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use proptest::prelude::*;
use qcore::link::{self, LinkError, MAX_FRAGMENT_BYTES, MAX_PAYLOAD_BYTES};
use qcore::scenario::{Action, ActionKind, ConfigError, MAX_ACTIONS};
use qcore::types::{Addr, ClientOp};
use qcore::{lessons, LinkState, Scenario, Sim};
use quorumscope_tests::{quorum_base, with_random_faults};

fn pack(bytes: &[u8]) -> String {
    format!("v1.{}", URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(bytes, 9)))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn any_recorded_run_roundtrips_through_a_link(seed in 0u64..10_000, n in 1u32..8) {
        let w = n / 2 + 1;
        let s = with_random_faults(quorum_base(seed, n, w, n + 1 - w, seed % 2 == 0), 3_000);
        let text = link::encode(&s);
        prop_assert!(text.len() <= MAX_FRAGMENT_BYTES);
        prop_assert_eq!(link::decode(&text).expect("decodes"), s);
    }

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,400}") {
        let _ = link::decode(&text);
        let _ = link::parse_fragment(&text);
    }

    #[test]
    fn arbitrary_bytes_in_a_valid_envelope_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = link::decode(&pack(&bytes));
        let _ = link::decode(&format!("v1.{}", URL_SAFE_NO_PAD.encode(&bytes)));
    }
}

fn lesson() -> Scenario {
    lessons::lesson("quorum-3-2-2").expect("exists")
}

#[test]
fn malformed_links_give_typed_errors() {
    assert_eq!(link::decode("nothing"), Err(LinkError::NoVersion));
    assert_eq!(link::decode("v9.AAAA"), Err(LinkError::UnsupportedVersion("v9".into())));
    assert_eq!(link::decode("v1.@@@@"), Err(LinkError::Base64));
    assert_eq!(link::decode("v1.AAAA"), Err(LinkError::Inflate));
    assert_eq!(link::decode(&pack(b"\xff\xff\xff")), Err(LinkError::Payload));
    assert_eq!(link::parse_fragment("#s=v1.@@"), Err(LinkError::Base64));
    assert_eq!(link::parse_fragment("lang=fr"), Err(LinkError::BadOption("lang".into())));
    assert_eq!(link::parse_fragment("t=-1"), Err(LinkError::BadOption("t".into())));
}

#[test]
fn a_truncated_link_is_an_error_not_a_different_run() {
    let full = link::encode(&lesson());
    for cut in [full.len() - 1, full.len() - 5, full.len() / 2, 4] {
        assert!(link::decode(&full[..cut]).is_err(), "cut at {cut}");
    }
}

#[test]
fn oversized_links_are_refused_before_decoding() {
    let huge = format!("v1.{}", "A".repeat(MAX_FRAGMENT_BYTES));
    assert!(matches!(link::decode(&huge), Err(LinkError::TooLong { .. })));
    // A small link that inflates past the cap (a zip bomb) stops at the cap.
    let bomb = pack(&vec![0u8; MAX_PAYLOAD_BYTES * 4]);
    assert!(bomb.len() < 2_000);
    assert_eq!(link::decode(&bomb), Err(LinkError::TooLarge { max: MAX_PAYLOAD_BYTES }));
}

#[test]
fn content_over_the_caps_is_refused() {
    let mut s = lesson();
    let a = Action { after_event: 0, tick: 0, kind: ActionKind::HealAll };
    s.actions = vec![a; MAX_ACTIONS + 1];
    assert!(matches!(
        link::decode(&link::encode(&s)),
        Err(LinkError::Invalid(ConfigError::TooManyActions { .. }))
    ));
    let mut s = lesson();
    let qcore::ProtocolConfig::Quorum(q) = &mut s.protocol else { unreachable!("a quorum lesson") };
    q.n = 16;
    assert!(matches!(
        link::decode(&link::encode(&s)),
        Err(LinkError::Invalid(ConfigError::TooManyNodes { n: 16, .. }))
    ));
    let mut s = lesson();
    s.actions.push(Action { after_event: 99, tick: 10_000_001, kind: ActionKind::HealAll });
    assert!(matches!(
        link::decode(&link::encode(&s)),
        Err(LinkError::Invalid(ConfigError::TickTooLarge { .. }))
    ));
}

#[test]
fn impossible_configs_are_typed_errors() {
    let with = |n, w, r| {
        let mut s = lesson();
        let qcore::ProtocolConfig::Quorum(q) = &mut s.protocol else {
            unreachable!("a quorum lesson")
        };
        (q.n, q.w, q.r) = (n, w, r);
        s.actions.clear();
        s.workload.clear();
        s.validate()
    };
    assert_eq!(with(3, 4, 1), Err(ConfigError::WriteQuorumTooLarge { w: 4, n: 3 }));
    assert_eq!(with(3, 1, 0), Err(ConfigError::ReadQuorumZero));
    assert_eq!(with(0, 1, 1), Err(ConfigError::ZeroNodes));
    assert_eq!(with(3, 2, 5), Err(ConfigError::ReadQuorumTooLarge { r: 5, n: 3 }));
}

#[test]
fn a_wrong_engine_version_is_refused() {
    let mut s = lesson();
    s.engine = 99;
    assert!(matches!(
        link::decode(&link::encode(&s)),
        Err(LinkError::Invalid(ConfigError::EngineVersion { found: 99, .. }))
    ));
}

#[test]
fn view_options_travel_beside_the_run() {
    let s = lesson();
    let view = link::ViewOptions {
        lang: Some("en".into()),
        embed: true,
        autoplay: true,
        start_tick: Some(250),
        controls: Some("locked".into()),
        step: Some(2),
    };
    let f = link::parse_fragment(&format!("#{}", link::fragment(&s, &view))).expect("parses");
    assert_eq!(f.scenario, Some(s));
    assert_eq!(f.view, view);
    assert!(link::parse_fragment("#lesson=waro&step=x").is_err(), "a bad step is refused");
}

/// One line per link: `<until> <trace hash> <link>`. v1 links were made
/// before Paxos had learner nodes; v2 links since.
const GOLDEN_V1: &str = "golden/links-v1.txt";
const GOLDEN_V2: &str = "golden/links-v2.txt";

fn golden_runs() -> Vec<(u64, Scenario)> {
    let mut out: Vec<(u64, Scenario)> =
        lessons::LESSONS.iter().map(|id| (3_000, lessons::lesson(id).expect("exists"))).collect();
    // A run with a crash, a partition, a one-way cut, a drop and client ops.
    let mut sim = Sim::new(lessons::lesson("quorum-custom").expect("exists")).expect("valid");
    sim.run_until(700);
    sim.act(ActionKind::Crash(1)).expect("valid");
    sim.run_until(1_400);
    sim.act(ActionKind::Partition { side: vec![0, 4] }).expect("valid");
    sim.act(ActionKind::ClientOp { client: 2, node: 3, op: ClientOp::Write(77) }).expect("valid");
    let mut t = 2_000;
    let id = loop {
        sim.run_until(t);
        if let Some(m) = sim.world().net().in_flight().next() {
            break m.id;
        }
        t += 1;
    };
    sim.act(ActionKind::DropMessage(id)).expect("valid");
    let cut = ActionKind::SetLink {
        from: Addr::Node(2),
        to: Addr::Node(3),
        state: LinkState::Partitioned,
    };
    sim.act(cut).expect("valid");
    sim.run_until(3_000);
    sim.act(ActionKind::HealAll).expect("valid");
    sim.act(ActionKind::Restart(1)).expect("valid");
    out.push((6_000, sim.scenario().clone()));
    out
}

/// Replay every link of a golden file and compare trace hashes; returns
/// how many were checked. A missing file is recorded first (then committed).
fn replay_golden(file: &str, version: &str) -> usize {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    if !path.exists() {
        let mut text =
            format!("# until trace-hash link — made by link format {version}; never edit\n");
        for (until, s) in golden_runs() {
            let mut sim = Sim::new(s.clone()).expect("valid");
            sim.run_until(until);
            text.push_str(&format!("{until} {:016x} {}\n", sim.trace_hash(), link::encode(&s)));
        }
        std::fs::write(&path, text).expect("write golden file");
    }
    let text = std::fs::read_to_string(&path).expect("golden file");
    let mut checked = 0;
    for line in text.lines().filter(|l| !l.starts_with('#') && !l.is_empty()) {
        let mut parts = line.split(' ');
        let until: u64 = parts.next().and_then(|x| x.parse().ok()).expect("until");
        let hash = parts.next().expect("hash");
        let text = parts.next().expect("link");
        assert!(text.starts_with(&format!("{version}.")), "{file} holds {version} links");
        let s = link::decode(text).expect("an old link still decodes");
        let mut sim = Sim::new(s).expect("valid");
        sim.run_until(until);
        assert_eq!(format!("{:016x}", sim.trace_hash()), hash, "replay of {text}");
        checked += 1;
    }
    checked
}

#[test]
fn golden_links_of_v1_replay_to_their_recorded_hashes() {
    assert!(replay_golden(GOLDEN_V1, "v1") >= 6);
}

#[test]
fn golden_links_of_v2_replay_to_their_recorded_hashes() {
    // v2 has every lesson, the learner lesson among them.
    assert!(replay_golden(GOLDEN_V2, "v2") > lessons::LESSONS.len());
}

#[test]
fn a_v1_link_opens_as_the_same_scenario_with_no_learners() {
    for line in include_str!("../golden/links-v1.txt").lines().filter(|l| !l.starts_with('#')) {
        let Some(text) = line.split(' ').nth(2) else { continue };
        let s = link::decode(text).expect("decodes");
        if let qcore::ProtocolConfig::Paxos(p) = &s.protocol {
            assert_eq!(p.learners, 0);
        }
        // Re-encoded, it is a v2 link of the same scenario.
        let again = link::encode(&s);
        assert!(again.starts_with("v2."));
        assert_eq!(link::decode(&again), Ok(s));
    }
}
