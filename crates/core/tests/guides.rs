//! Every guided step says what its run shows, under every setting of every
//! switch its lesson offers: each claim a shown text makes is checked at
//! its moment, and each question's answer is decided by the run.

use qcore::lessons::{self, guide, LESSONS};
use qcore::{Scenario, Sim};

/// The lesson as it opens, then with each setting of its switches.
fn runs(id: &str) -> (Scenario, Vec<(&'static str, Scenario)>) {
    let default = lessons::lesson(id).expect("listed lessons exist");
    let mut runs = vec![("default", default.clone())];
    for set in guide::settings::changes(id, &default) {
        let s = lessons::lesson_with(id, set.apply).expect("exists");
        runs.push((set.tag, s.unwrap_or_else(|e| panic!("{id} with {}: {e}", set.tag))));
    }
    (default, runs)
}

/// What is wrong with lesson `id` under one setting.
fn check(id: &str, default: &Scenario, tag: &str, s: Scenario) -> Vec<String> {
    let active = guide::active(id, default, &s);
    let mut wrong = Vec::new();
    let mut sim = Sim::new(s.clone()).expect("valid");
    for (k, c) in guide::claims(id, &active) {
        sim.run_until(c.at);
        if !(c.holds)(&sim) {
            let key = guide::text_key(id, k, &active);
            wrong.push(format!("{id} [{tag}] step {k} ({key}) at {}: {}", c.at, c.what));
        }
    }
    let mut sim = Sim::new(s).expect("valid");
    for (k, st) in guide::steps(id).iter().enumerate() {
        if let Some(q) = st.question {
            sim.run_until(q.ask_at);
            if guide::answer(&sim, &q).is_none() {
                wrong.push(format!("{id} [{tag}] step {k}: the run does not decide the question"));
            }
        }
    }
    wrong
}

#[test]
fn every_claim_holds_under_every_setting() {
    let mut wrong = Vec::new();
    for id in LESSONS {
        let (default, runs) = runs(id);
        for (tag, s) in runs {
            wrong.extend(check(id, &default, tag, s));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} claims the runs do not bear out:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn no_setting_is_already_the_default() {
    for id in LESSONS {
        let default = lessons::lesson(id).expect("exists");
        for set in guide::settings::changes(id, &default) {
            let s = lessons::lesson_with(id, set.apply).expect("exists").expect("valid");
            assert!((set.on)(&s), "{id}: {} does not turn itself on", set.tag);
            assert_eq!(guide::active(id, &default, &s), vec![set.tag], "{id}");
        }
        assert!(guide::active(id, &default, &default).is_empty(), "{id}");
    }
}

#[test]
fn every_lesson_is_guided_from_its_start_and_asks_a_question() {
    for id in LESSONS {
        let steps = guide::steps(id);
        assert!(steps.len() >= 2, "{id} has {} guided steps", steps.len());
        assert_eq!(steps[0].from, 0, "{id}'s guide starts late");
        assert!(steps.iter().any(|s| s.question.is_some()), "{id} asks nothing");
    }
}

/// The answer each question's run bears out, under each setting.
fn answers(id: &str, s: Scenario) -> Vec<u32> {
    let mut sim = Sim::new(s).expect("valid");
    guide::steps(id)
        .iter()
        .filter_map(|st| st.question)
        .map(|q| {
            sim.run_until(q.ask_at);
            guide::answer(&sim, &q).expect("decided")
        })
        .collect()
}

/// The right choice of every question under every setting, read from the
/// runs (choices count from 0; for a question about servers, the server's
/// index, and one past the last for "no one"). Each line was checked
/// against the run it names.
const ANSWERS: &str = "\
cap-proof: default=[1] cp=[2] causal=[1] sticky=[1] token=[1] no-replicate=[1] no-gossip=[1]
cap-sla: default=[0] cp=[1] causal=[1] sticky=[1] token=[1] no-replicate=[0] no-gossip=[0]
cap-registry: default=[1] sync=[1] commit=[1] myid=[1] ack=[1] epoch=[1]
ec-base: default=[1] queue=[1] causal=[1] sticky=[1] token=[1] no-replicate=[1] gossip=[1]
ec-weak: default=[1] causal=[1] sticky=[1] token=[1] no-replicate=[1] gossip=[0]
ec-window: default=[1] load=[1] far=[0] causal=[0] sticky=[0] token=[1] no-replicate=[1] no-gossip=[1]
ec-causal: default=[1] causal=[1] sticky=[1] token=[1] no-replicate=[1] gossip=[0]
ec-session: default=[1] causal=[0] sticky=[0] token=[0] no-replicate=[1] gossip=[1]
ec-strong: default=[1] abd=[0]
ec-custom: default=[1] causal=[1] sticky=[1] token=[1] no-replicate=[0] no-gossip=[1]
waro: default=[1] abd=[1]
quorum-3-2-2: default=[1] abd=[0]
quorum-10-3-8: default=[0] abd=[0]
quorum-stale: default=[1] abd=[1] r4=[2] w4=[1]
quorum-custom: default=[1] abd=[1]
paxos-happy: default=[1] backoff=[1] forget=[1] reuse=[1] lowest=[1]
paxos-minority: default=[1] backoff=[1] forget=[1] reuse=[1] lowest=[1]
paxos-preempt: default=[0] backoff=[0] forget=[0] reuse=[0] lowest=[0]
paxos-learner: default=[2] backoff=[2] forget=[2] reuse=[2] lowest=[2]
paxos-duel: default=[1] backoff=[0] forget=[1] reuse=[1] lowest=[1]
paxos-numbers: default=[2] forget=[2] reuse=[2] lowest=[2]
paxos-forget: default=[0] backoff=[0] faithful=[1] reuse=[1] lowest=[1]
paxos-custom: default=[0] backoff=[0] forget=[0] reuse=[0] lowest=[0]
zab-broadcast: default=[4] sync=[4] commit=[4] myid=[4] ack=[4] epoch=[4]
zab-follower-recovers: default=[0] sync=[0] commit=[0] myid=[0] ack=[0] epoch=[0]
zab-snap: default=[2] sync=[2] commit=[2] myid=[2] ack=[2] epoch=[2]
zab-election: default=[2] sync=[2] commit=[2] myid=[5] ack=[2] epoch=[2]
zab-epochs: default=[1] sync=[1] commit=[1] myid=[1] ack=[1] epoch=[1]
zab-observers: default=[1] sync=[1] commit=[0] myid=[1] ack=[1] epoch=[1]
zab-partition: default=[2] sync=[2] commit=[2] myid=[2] ack=[2] epoch=[2]
zab-reads: default=[1] sync=[0] commit=[1] myid=[1] ack=[1] epoch=[1]
zab-vs-paxos: default=[0] sync=[0] commit=[0] myid=[0] ack=[0] epoch=[0]
zab-custom: default=[0] sync=[0] commit=[0] myid=[0] ack=[0] epoch=[0]
";

#[test]
fn every_question_has_the_answer_its_run_was_checked_for() {
    let mut got = String::new();
    for id in LESSONS {
        let (_, runs) = runs(id);
        let line: Vec<String> =
            runs.into_iter().map(|(tag, s)| format!("{tag}={:?}", answers(id, s))).collect();
        got.push_str(&format!("{id}: {}\n", line.join(" ")));
    }
    assert_eq!(got, ANSWERS);
}

/// At the player's default speed, with each lesson's schedule: every step
/// is reached within 45 s of Play, no step waits more than 15 s for the
/// next, and none flies by in under 1.5 s (prints the figures).
#[test]
fn every_lesson_is_paced_so_something_happens() {
    use guide::pace::{schedule, seconds_to};
    let mut wrong = Vec::new();
    for id in LESSONS {
        let at: Vec<f64> =
            guide::steps(id).iter().map(|s| seconds_to(schedule(id), s.from)).collect();
        println!("{id}: {}", at.iter().map(|s| format!("{s:.1}")).collect::<Vec<_>>().join(" "));
        if at.last().is_some_and(|&s| s > 45.0) {
            wrong.push(format!("{id}: the last step comes {:.1} s after Play", at[at.len() - 1]));
        }
        for (k, w) in at.windows(2).enumerate() {
            let shown = w[1] - w[0];
            if !(1.5..=15.0).contains(&shown) {
                wrong.push(format!("{id}: step {k} is on screen {shown:.1} s"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
