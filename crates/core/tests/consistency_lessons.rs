//! The lessons of lectures 01 and 02 make the claims their narration makes:
//! the anomaly happens in the unsafe mode and a checker reports it; the safe
//! mode never shows it, over many seeds.

use qcore::check::{causal, linear, register_ops, session};
use qcore::client::{history_from_trace, History, Outcome};
use qcore::eventual::window::{summary, windows};
use qcore::eventual::{Delivery, EventualConfig, Session};
use qcore::lessons::consistency::{measure_window, set_cap_mode};
use qcore::lessons::lesson_with;
use qcore::scenario::RandomWorkload;
use qcore::{NetConfig, ProtocolConfig, Scenario, Sim};

fn run(id: &str, tweak: impl Fn(&mut Scenario), until: u64) -> (Sim, History) {
    let s = lesson_with(id, tweak).expect("lesson exists").expect("valid");
    let mut sim = Sim::new(s).expect("valid");
    sim.run_until(until);
    assert!(sim.world().violations().is_empty(), "{id}: {:?}", sim.world().violations());
    let h = history_from_trace(sim.trace());
    (sim, h)
}

fn linearizable(h: &History) -> linear::Verdict {
    linear::check(&linear::Register, &register_ops(h), 50_000_000)
}

fn eventual(s: &mut Scenario) -> &mut EventualConfig {
    match &mut s.protocol {
        ProtocolConfig::Eventual(c) => c,
        _ => panic!("an eventual store"),
    }
}

#[test]
fn cap_ap_answers_during_the_partition_and_the_read_is_stale() {
    let (_, h) = run("cap-proof", |s| set_cap_mode(s, false), 4_000);
    // Every request was answered.
    assert!(h.iter().all(|r| r.ok().is_some()), "{h:?}");
    // The read on Server 2 during the partition returned the old X = 2.
    let stale = &h[5];
    assert_eq!(stale.ok().map(|(_, v, _)| v), Some(Some(2)));
    // …which the linearizability checker flags, naming that read.
    match linearizable(&h) {
        linear::Verdict::NotLinearizable { stuck, .. } => assert_eq!(stuck as u64, stale.id),
        v => panic!("expected a violation, got {v:?}"),
    }
    // After the heal the servers agree again.
    assert_eq!(h[6].ok().map(|(_, v, _)| v), Some(Some(3)));
}

#[test]
fn cap_cp_refuses_during_the_partition_and_stays_linearizable() {
    let (_, h) = run("cap-proof", |s| set_cap_mode(s, true), 4_000);
    // The write and the read across the partition are not answered with a value.
    assert!(h[4].ok().is_none() && h[5].ok().is_none(), "{h:?}");
    assert!(matches!(h[5].ret, Some((_, Outcome::Fail(_) | Outcome::Timeout))));
    assert!(linearizable(&h).is_linearizable());
    // Before the partition every request succeeded.
    assert!(h[..4].iter().all(|r| r.ok().is_some()));
}

#[test]
fn cap_cp_stays_linearizable_over_many_seeds() {
    for seed in 0..40 {
        let (_, h) = run(
            "cap-sla",
            |s| {
                set_cap_mode(s, true);
                s.seed = seed;
            },
            13_000,
        );
        assert!(linearizable(&h).is_linearizable(), "seed {seed}");
    }
}

#[test]
fn sla_availability_drops_under_cp_but_not_under_ap() {
    let answered = |h: &History| {
        let done = h.iter().filter(|r| r.ret.is_some()).count();
        h.iter().filter(|r| r.ok().is_some()).count() * 1000 / done.max(1)
    };
    let (_, ap) = run("cap-sla", |s| set_cap_mode(s, false), 13_000);
    let (_, cp) = run("cap-sla", |s| set_cap_mode(s, true), 13_000);
    assert_eq!(answered(&ap), 1000);
    assert!(answered(&cp) < 900, "CP refuses during the partition: {}‰", answered(&cp));
}

#[test]
fn weak_consistency_leaves_a_replica_stale_with_no_bound() {
    let (sim, h) = run("ec-weak", |_| {}, 4_000);
    let reads: Vec<Option<u64>> =
        h.iter().filter(|r| r.client == 2).filter_map(|r| r.ok().map(|(_, v, _)| v)).collect();
    // Server 3 never got either write: every read there is old, however long after.
    assert_eq!(reads, vec![None; 8]);
    let ws = windows(sim.trace(), 3);
    assert_eq!(ws.len(), 2);
    assert!(ws.iter().all(|w| w.end.is_none()), "windows that never close: {ws:?}");
}

#[test]
fn causal_example_eventual_delivery_shows_the_reply_without_the_comment() {
    let (_, h) = run("ec-causal", |_| {}, 2_500);
    let v = causal::check(&causal::from_history(&h));
    assert_eq!(v.len(), 1, "{v:?}");
    // The reader (client 2) read the reply, then missed the comment.
    let read = h.iter().find(|r| r.id == v[0].read).unwrap();
    assert_eq!((read.client, read.op.key()), (2, 2));
    let missed = h.iter().find(|r| r.id == v[0].missed).unwrap();
    assert_eq!(missed.op.written(), Some(2));
}

#[test]
fn causal_example_causal_delivery_never_shows_the_reply_alone() {
    let (_, h) = run("ec-causal", |s| eventual(s).delivery = Delivery::Causal, 2_500);
    assert!(causal::check(&causal::from_history(&h)).is_empty());
    // The reply was held back, so the reader saw neither at first, and both after the heal.
    let reads: Vec<Option<u64>> =
        h.iter().filter(|r| r.client == 2).map(|r| r.ok().unwrap().1).collect();
    assert_eq!(reads, vec![None, None, Some(3), Some(2)]);
}

#[test]
fn causal_delivery_is_causal_over_many_random_seeds() {
    for seed in 0..60 {
        let (sim, h) = run(
            "ec-custom",
            |s| {
                s.seed = seed;
                eventual(s).delivery = Delivery::Causal;
                s.network.loss_ppm = 100_000;
                s.random_workload = Some(RandomWorkload {
                    gap_ticks_min: 50,
                    gap_ticks_max: 300,
                    write_ppm: 500_000,
                    until: 8_000,
                });
                s.workload = keyed_workload(seed);
            },
            9_000,
        );
        assert!(sim.world().violations().is_empty());
        let v = causal::check(&causal::from_history(&h));
        assert!(v.is_empty(), "seed {seed}: {v:?}");
    }
}

/// Reads and writes of the photo, comment and reply keys, from every client.
fn keyed_workload(seed: u64) -> Vec<qcore::scenario::ScriptedOp> {
    (0..60u64)
        .map(|k| {
            let x = qcore::rng::mix64(seed * 1000 + k);
            let key = 1 + u32::try_from(x % 3).unwrap();
            let op = if x % 7 < 3 {
                qcore::ClientOp::WriteKey(key, 10_000 + k)
            } else {
                qcore::ClientOp::ReadKey(key)
            };
            let client = u32::try_from((x >> 8) % 3).unwrap();
            let node = u32::try_from((x >> 16) % 4).unwrap();
            qcore::scenario::ScriptedOp { at: 100 * k + 50, client, node, op }
        })
        .collect()
}

#[test]
fn session_without_guarantee_misses_the_clients_own_write() {
    let (_, h) = run("ec-session", |_| {}, 2_000);
    let v = session::check(&h);
    assert!(v.iter().any(|v| v.guarantee == session::Guarantee::ReadYourWrites), "{v:?}");
    assert_eq!(h[1].ok().map(|(_, v, _)| v), Some(None));
}

#[test]
fn session_sticky_and_token_read_their_writes() {
    for mode in [Session::Sticky, Session::Token] {
        let (_, h) = run("ec-session", |s| eventual(s).session = mode, 2_000);
        assert!(session::check(&h).is_empty(), "{mode:?}");
        assert_eq!(h[1].ok().map(|(_, v, _)| v), Some(Some(1)), "{mode:?}");
    }
}

#[test]
fn session_tokens_keep_every_guarantee_over_many_seeds() {
    for seed in 0..60 {
        let (_, h) = run(
            "ec-custom",
            |s| {
                s.seed = seed;
                eventual(s).session = Session::Token;
                s.network.loss_ppm = 150_000;
                if let Some(rw) = &mut s.random_workload {
                    rw.until = 10_000;
                }
            },
            11_000,
        );
        let v = session::check(&h);
        assert!(v.is_empty(), "seed {seed}: {v:?}");
    }
}

#[test]
fn strong_consistency_needs_write_back() {
    let (_, h) = run("ec-strong", |_| {}, 3_000);
    assert!(!linearizable(&h).is_linearizable());
    for seed in 0..40 {
        let (_, h) = run(
            "quorum-custom",
            |s| {
                s.seed = seed;
                if let ProtocolConfig::Quorum(q) = &mut s.protocol {
                    q.write_back = true;
                }
                if let Some(rw) = &mut s.random_workload {
                    rw.until = 20_000;
                }
                s.network = NetConfig { loss_ppm: 50_000, ..NetConfig::default() };
            },
            21_000,
        );
        assert!(linearizable(&h).is_linearizable(), "seed {seed}");
    }
}

#[test]
fn the_window_with_no_load_and_fixed_latency_is_the_replication_delay() {
    let s = lesson_with("ec-window", |s| {
        s.network =
            NetConfig { latency_ticks_min: 70, latency_ticks_max: 70, ..NetConfig::default() };
        s.random_workload = None;
        s.workload = vec![qcore::scenario::ScriptedOp {
            at: 10,
            client: 0,
            node: 0,
            op: qcore::ClientOp::Write(1),
        }];
    })
    .unwrap()
    .unwrap();
    let mut sim = Sim::new(s).unwrap();
    sim.run_until(2_000);
    let ws = windows(sim.trace(), 3);
    assert_eq!(ws.len(), 1);
    // The push's 70 ticks on the wire plus the 60 a replica of this lesson
    // takes to apply it.
    assert_eq!(ws[0].length(2_000), 130);
    assert_eq!(summary(&ws), (130, 130, 0));
    assert_eq!(ws[0].spread, Some(ws[0].start + 130));
}

#[test]
fn the_window_grows_with_latency_load_and_replicas() {
    let until = 30_000;
    let spread = |l, c, r| measure_window(l, c, r, until).unwrap().1;
    let window = |l, c, r| measure_window(l, c, r, until).unwrap().0;
    // Latency stretches both the window and the replication delay.
    assert!(window(200, 3, 3) > window(20, 3, 3));
    assert!(spread(200, 3, 3) > spread(20, 3, 3));
    // Load: replicas queue what they receive, so a write takes longer to
    // reach them all.
    assert!(spread(60, 8, 3) > spread(60, 1, 3), "{} {}", spread(60, 1, 3), spread(60, 8, 3));
    // More replicas: a write must reach more of them (and each receives more).
    assert!(spread(60, 3, 7) > spread(60, 3, 2));
}

/// Requests of the flash sale's burst: (answered, refused, timed out), and
/// the longest wait of an answered one.
fn flash_sale(limit: u32) -> (usize, usize, usize, u64) {
    let (_, h) = run("ec-base", |s| eventual(s).queue_limit = limit, 12_000);
    let burst: Vec<_> = h.iter().filter(|r| r.invoke >= 300).collect();
    assert!(burst.iter().all(|r| r.ret.is_some()), "every request ended");
    let answered = burst.iter().filter(|r| r.ok().is_some()).count();
    let refused = burst
        .iter()
        .filter(|r| matches!(r.ret, Some((_, Outcome::Fail(qcore::FailReason::Overloaded)))))
        .count();
    let timed_out = burst.iter().filter(|r| matches!(r.ret, Some((_, Outcome::Timeout)))).count();
    let wait = burst.iter().filter_map(|r| r.ok().map(|(t, ..)| t - r.invoke)).max().unwrap_or(0);
    (answered, refused, timed_out, wait)
}

#[test]
fn base_an_unbounded_queue_collapses_under_a_flash_sale() {
    let (answered, refused, timed_out, _) = flash_sale(0);
    assert_eq!(refused, 0);
    // Requests whose clients gave up still take their turn: most time out.
    assert!(timed_out > 2 * answered, "answered {answered}, timed out {timed_out}");
}

#[test]
fn base_a_bounded_queue_refuses_the_excess_and_serves_the_rest_in_time() {
    let (answered, refused, timed_out, wait) = flash_sale(3);
    assert_eq!(timed_out, 0);
    assert!(refused > 0, "the excess is refused at once");
    // Every served order is served in time: several times the collapsed queue's.
    let (collapsed, ..) = flash_sale(0);
    assert!(answered >= 3 * collapsed.max(1), "answered {answered} against {collapsed}");
    // Longer waits than the 60 ticks of a quiet moment, but bounded.
    assert!(wait > 60 && wait <= 3 * 60 + 2 * 10 + 60, "wait {wait}");
}

#[test]
fn zookeeper_refuses_during_the_partition_eureka_answers_with_stale_entries() {
    let answered = |h: &History| {
        let ended = h.iter().filter(|r| r.ret.is_some()).count();
        (h.iter().filter(|r| r.ok().is_some()).count(), ended)
    };
    let (_, zk) = run("cap-registry", |_| {}, 9_500);
    let mut eureka = Sim::new(qcore::lessons::consistency::twin("cap-registry").unwrap()).unwrap();
    eureka.run_until(9_500);
    assert!(eureka.world().violations().is_empty());
    let eu = history_from_trace(eureka.trace());
    let (zk_ok, zk_all) = answered(&zk);
    let (eu_ok, eu_all) = answered(&eu);
    assert_eq!((eu_ok, eu_all), (40, 40), "Eureka answers every request");
    assert!(zk_ok < zk_all, "ZooKeeper refuses some: {zk_ok}/{zk_all}");
    let stale = qcore::check::register::stale_reads(&eu).len();
    assert!(stale > 0, "Eureka answers with stale entries");
    assert!(!linearizable(&eu).is_linearizable());
    // ZooKeeper's writes are linearizable: a history of its writes alone is.
    let writes: History = zk.iter().filter(|r| r.op.written().is_some()).cloned().collect();
    assert!(linearizable(&writes).is_linearizable());
}

#[test]
fn a_multi_key_run_exports_as_key_value_edn_and_reimports_per_key() {
    use qcore::check::jepsen::{parse, to_edn, Parsed};
    let (_, h) = run("ec-causal", |_| {}, 2_500);
    let edn = to_edn(&h);
    assert!(edn.contains(":f :put, :key \"comment\", :value \"2\""), "{edn}");
    let Ok(Parsed::Kv(keys)) = parse(&edn) else { panic!("key–value EDN: {edn}") };
    assert_eq!(keys.keys().cloned().collect::<Vec<_>>(), ["comment", "photo", "reply"]);
    // Checked key by key: the reader's empty comment after the comment was
    // written is not linearizable (the store is only eventually consistent).
    let v = linear::check_keys(&linear::KvKey, &keys, 1_000_000);
    assert!(matches!(v, linear::Verdict::NotLinearizable { .. }), "{v:?}");
}
