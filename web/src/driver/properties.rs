//! The properties a run is held to, each with its state at the moment on
//! show and the moment it first broke: the protocol's safety rules (checked
//! after every step) and the verdicts on what clients were told.
//!
//! A break seen once is remembered for the run (the same scenario replays
//! the same way), so after seeking back before it the panel can still say
//! when it will break.

use std::hash::{Hash, Hasher};

use qcore::check::first;
use qcore::hash::Fnv1a;
use qcore::safety::{Rule, Violation};
use qcore::{OpRecord, ProtocolConfig, Scenario};

/// A property shown in the panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Prop {
    /// One of the protocol's safety rules.
    Rule(Rule),
    /// Paxos: every value told to a client is one value.
    Told,
    Stale,
    Inversion,
    Linear,
    Session,
    /// The store's history judged by the causal checker.
    Causal,
    /// The store's replicas hold the same writes (once the load stops).
    Converged,
}

/// Where a property stands at the moment on show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    Holds,
    /// Broken since this tick.
    Broke(u64),
    /// Holds now and breaks at this later tick of the same run.
    Later(u64),
    /// Not decided (a search ran out of budget, or the worker is on it).
    Unknown,
    /// Convergence only: this many writes have not reached every replica.
    Spreading(usize),
}

/// One line of the panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Line {
    pub prop: Prop,
    pub state: State,
}

/// The properties a protocol is held to, in the order they are shown.
#[must_use]
pub fn of(p: &ProtocolConfig) -> Vec<Prop> {
    use Rule as R;
    let rules: &[Rule] = match p {
        ProtocolConfig::Paxos(_) => &[
            R::TwoValuesChosen,
            R::ChosenNotProposed,
            R::LearnedNotChosen,
            R::LearnersDisagree,
            R::MaxNDecreased,
            R::AcceptedAboveMaxN,
            R::NumberReused,
        ],
        ProtocolConfig::Zab(_) => &[
            R::ZabAgreement,
            R::ZabTotalOrder,
            R::ZabPrimaryOrder,
            R::ZabPrimaryIntegrity,
            R::ZabCommittedLost,
            R::ZabTwoLeadersInEpoch,
            R::ZabElectedStale,
            R::ZabEpochForgotten,
        ],
        ProtocolConfig::Eventual(e) if e.delivery == qcore::eventual::Delivery::Causal => {
            &[R::CausalGap]
        }
        _ => &[],
    };
    let mut all: Vec<Prop> = rules.iter().map(|&r| Prop::Rule(r)).collect();
    match p {
        ProtocolConfig::Paxos(_) => all.push(Prop::Told),
        ProtocolConfig::Zab(_) => {}
        ProtocolConfig::Quorum(_) => {
            all.extend([Prop::Stale, Prop::Inversion, Prop::Linear, Prop::Session]);
        }
        ProtocolConfig::Eventual(_) => all.extend([
            Prop::Stale,
            Prop::Inversion,
            Prop::Linear,
            Prop::Session,
            Prop::Causal,
            Prop::Converged,
        ]),
    }
    all
}

/// When the client-visible verdicts on history `h` first broke, given the
/// violations the checks found (the register's stale reads and inversions;
/// `stuck`: the history has no linearization).
#[must_use]
pub fn client_breaks(
    h: &[OpRecord],
    c: &super::Checks,
    [stale, inversions]: [&[qcore::check::register::Violation]; 2],
    stuck: bool,
    budget: u64,
) -> Vec<(Prop, u64)> {
    use qcore::check::register::Violation as V;
    let pair = |v: &V| match *v {
        // A stale read shows when the read returns.
        V::StaleRead { read, .. } => [read, read],
        V::Inversion { earlier, later } => [earlier, later],
    };
    let found = [
        (Prop::Told, first::second_value_told(h)),
        (Prop::Stale, first::earliest(h, stale, pair)),
        (Prop::Inversion, first::earliest(h, inversions, pair)),
        (Prop::Session, first::earliest(h, &c.session, |v| [v.earlier, v.later])),
        (Prop::Causal, first::earliest(h, &c.causal, |&(a, b)| [a, b])),
        (Prop::Linear, if stuck { first::not_linearizable(h, budget) } else { None }),
    ];
    found.into_iter().filter_map(|(p, t)| Some((p, t?))).collect()
}

/// The breaks seen so far in one run.
#[derive(Default)]
pub struct Memo {
    run: Option<u64>,
    seen: Vec<(Prop, u64)>,
}

/// What the panel needs of the moment on show.
pub struct Now<'a> {
    pub scenario: &'a Scenario,
    pub tick: u64,
    pub checks: &'a super::Checks,
    pub violations: &'a [(u64, Violation)],
    /// Writes still spreading in the store.
    pub open: usize,
}

impl Memo {
    /// The panel's lines at the moment `now`.
    pub fn lines(&mut self, now: &Now) -> Vec<Line> {
        let mut f = Fnv1a::default();
        now.scenario.hash(&mut f);
        let run = f.finish();
        if self.run != Some(run) {
            *self = Memo { run: Some(run), seen: Vec::new() };
        }
        let rules = now.violations.iter().map(|(t, v)| (Prop::Rule(v.rule), *t));
        for (p, t) in rules.chain(now.checks.breaks.iter().copied()) {
            match self.seen.iter_mut().find(|(q, _)| *q == p) {
                Some((_, at)) => *at = (*at).min(t),
                None => self.seen.push((p, t)),
            }
        }
        of(&now.scenario.protocol)
            .into_iter()
            .map(|prop| Line { prop, state: self.state(prop, now) })
            .collect()
    }

    fn state(&self, prop: Prop, now: &Now) -> State {
        let seen = self.seen.iter().find(|(q, _)| *q == prop).map(|&(_, t)| t);
        match (prop, seen) {
            (_, Some(t)) if t <= now.tick => State::Broke(t),
            (_, Some(t)) => State::Later(t),
            (Prop::Converged, None) if now.open > 0 => State::Spreading(now.open),
            (Prop::Linear, None) if !matches!(now.checks.linear, super::Linear::Yes(_)) => {
                State::Unknown
            }
            _ => State::Holds,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use qcore::Sim;

    /// The lines of `lesson` at `tick`, read through `memo`.
    fn at(memo: &mut Memo, lesson: &str, tick: u64) -> Vec<Line> {
        let mut sim = Sim::new(qcore::lessons::lesson(lesson).expect("a lesson")).expect("valid");
        sim.run_until(tick);
        let eventual = matches!(sim.scenario().protocol, ProtocolConfig::Eventual(_));
        let violations = sim.world().violations().iter().map(|(_, v)| v.clone()).collect();
        let checks = super::super::checks::compute(&sim.history(), violations, eventual);
        let now = Now {
            scenario: sim.scenario(),
            tick: sim.now(),
            checks: &checks,
            violations: sim.world().violations(),
            open: 0,
        };
        memo.lines(&now)
    }

    fn state(lines: &[Line], p: Prop) -> State {
        lines.iter().find(|l| l.prop == p).expect("shown").state
    }

    #[test]
    fn a_forgotten_promise_breaks_at_one_moment_and_is_remembered_before_it() {
        let mut memo = Memo::default();
        let lines = at(&mut memo, "paxos-forget", 1500);
        let State::Broke(t) = state(&lines, Prop::Rule(Rule::TwoValuesChosen)) else {
            panic!("{lines:?}")
        };
        let State::Broke(told) = state(&lines, Prop::Told) else { panic!("{lines:?}") };
        assert!(told >= t, "told {told}, chosen {t}");
        assert_eq!(state(&lines, Prop::Rule(Rule::ChosenNotProposed)), State::Holds);
        let before = at(&mut memo, "paxos-forget", t - 1);
        assert_eq!(state(&before, Prop::Rule(Rule::TwoValuesChosen)), State::Later(t));
        // A fresh memo knows nothing of the future.
        let fresh = at(&mut Memo::default(), "paxos-forget", t - 1);
        assert_eq!(state(&fresh, Prop::Rule(Rule::TwoValuesChosen)), State::Holds);
    }

    #[test]
    fn the_faithful_protocol_keeps_every_property() {
        let lines = at(&mut Memo::default(), "paxos-happy", 1500);
        assert!(lines.len() >= 8);
        assert!(lines.iter().all(|l| l.state == State::Holds), "{lines:?}");
    }

    #[test]
    fn a_stale_quorum_read_breaks_when_it_returns() {
        let lines = at(&mut Memo::default(), "quorum-stale", 3000);
        let State::Broke(stale) = state(&lines, Prop::Stale) else { panic!("{lines:?}") };
        let State::Broke(linear) = state(&lines, Prop::Linear) else { panic!("{lines:?}") };
        assert!(stale > 700 && linear <= stale, "stale {stale}, linear {linear}");
    }
}
