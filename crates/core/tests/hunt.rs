//! The page's counterexample search: a run's configuration maps to the
//! explorer's stages, and a search out of budget is not a proof. What the
//! search finds and proves is tested through the challenges
//! (`tests/challenges.rs`).

use qcore::hunt::{hunt, stages, Part, Space, Unsearchable};
use qcore::lessons::lesson;
use qcore::scenario::{ProtocolConfig, Scenario};

fn with_paxos(id: &str, f: impl Fn(&mut qcore::paxos::PaxosConfig)) -> Scenario {
    let mut s = lesson(id).expect("a lesson");
    let ProtocolConfig::Paxos(c) = &mut s.protocol else { panic!("{id} is not Paxos") };
    f(c);
    s
}

fn with_zab(v: qcore::zab::Variant) -> Scenario {
    let mut s = lesson("zab-broadcast").expect("a lesson");
    let ProtocolConfig::Zab(c) = &mut s.protocol else { panic!("not Zab") };
    (c.voters, c.observers, c.variant) = (3, 0, v);
    s
}

#[test]
fn a_search_out_of_budget_says_so_and_is_not_safe() {
    let s = with_paxos("paxos-duel", |_| {});
    let out = hunt(&stages(&s).expect("searchable"), 10_000, &mut |_, _| {});
    assert!(!out.safe());
    assert!(out.found.is_none());
    assert!(!out.stages.last().expect("a stage").complete);
}

#[test]
fn configurations_too_big_to_search_say_what_is_too_many() {
    let s = with_paxos("paxos-duel", |c| c.acceptors = 5);
    let e = stages(&s).expect_err("too big");
    assert_eq!(e, Unsearchable::TooBig { what: Part::Acceptors, max: 3, got: 5 });
    assert_eq!(stages(&lesson("ec-causal").expect("a lesson")), Err(Unsearchable::Protocol));
    let e = stages(&lesson("quorum-10-3-8").expect("a lesson")).expect_err("too big");
    assert_eq!(e, Unsearchable::TooBig { what: Part::Replicas, max: 3, got: 10 });
    assert!(matches!(
        &stages(&lesson("quorum-3-2-2").expect("a lesson")).expect("searchable")[..],
        [Space::Quorum(_)]
    ));
    let mut z = with_zab(qcore::zab::Variant::Faithful);
    let ProtocolConfig::Zab(c) = &mut z.protocol else { unreachable!() };
    c.observers = 1;
    assert!(matches!(stages(&z), Err(Unsearchable::TooBig { what: Part::Observers, .. })));
    let Ok(st) = stages(&with_paxos("paxos-duel", |_| {})) else { panic!() };
    assert!(
        matches!(&st[..], [Space::Paxos(a), Space::Paxos(b)] if a.crashes == 0 && b.crashes == 1)
    );
}
