//! Guided lessons: a lesson's timeline cut into steps the narration follows
//! (the text of step `k` of lesson `id` is the string `lesson.<id>.step.<k>`),
//! with the nodes each step is about, and "predict the next step" questions
//! at chosen moments.
//!
//! A question's answer is never written down: it is read from the run
//! itself when the moment comes (which value did that read return, which
//! server leads), so it stays right when a switch changes the run — turn on
//! write-back, or CP, and the answer changes with it.
//!
//! What a step's text says is written down beside it as claims, each a test
//! of the run at a moment. Where a switch the lesson offers changes the
//! story, the step has a text of its own for that setting
//! (`lesson.<id>.step.<k>.<tag>`) with claims of its own; a native test runs
//! every lesson under every setting of its switches and checks every claim
//! the shown text makes.

use crate::client::Outcome;
use crate::scenario::Scenario;
use crate::sim::Sim;
use crate::types::{ClientOp, Tick};

pub mod pace;
mod paxos;
mod quorum;
pub mod settings;
mod store;
mod zab;

pub use settings::{settings, Setting};

/// A question asked before `ask_at`: `choices` answers, the right one read
/// from the run at `answer_at`. The first `nodes` choices are the nodes (by
/// their names), the others strings `lesson.<id>.q.<k>.<c>`.
#[derive(Clone, Copy, Debug)]
pub struct Question {
    pub ask_at: Tick,
    pub choices: u32,
    pub nodes: u32,
    pub answer_at: Tick,
    /// Which choice the run at `answer_at` bears out (`None`: not decided).
    pub answer: fn(&Sim) -> Option<u32>,
}

/// Something a step's text says, checked against the run at `at`.
#[derive(Clone, Copy, Debug)]
pub struct Claim {
    /// The setting whose text says it (`None`: the step's own text).
    pub under: Option<&'static str>,
    pub at: Tick,
    /// What is claimed, in a few words, for a failing test to name.
    pub what: &'static str,
    pub holds: fn(&Sim) -> bool,
}

/// One step: from `from` until the next step begins.
#[derive(Clone, Copy, Debug)]
pub struct Step {
    pub from: Tick,
    /// Nodes the step is about, ringed on the canvas.
    pub nodes: &'static [u32],
    pub question: Option<Question>,
    /// Settings under which the step tells a story of its own. Settings
    /// that tell the same story share a text: `"faithful|reuse"` is the
    /// text tagged `faithful`, shown under either setting.
    pub variants: &'static [&'static str],
}

const fn step(from: Tick, nodes: &'static [u32]) -> Step {
    Step { from, nodes, question: None, variants: &[] }
}

/// The three steps of a free experiment (random clients): what runs; at
/// tick 1 000 a yes/no question that `answer` settles by `answer_at`; from
/// 4 000 an invitation to break it (with its own text under `last`).
const fn experiment(
    answer_at: Tick,
    answer: fn(&Sim) -> Option<u32>,
    last: &'static [&'static str],
) -> [Step; 3] {
    let question = Question { ask_at: 1_000, choices: 2, nodes: 0, answer_at, answer };
    [
        step(0, &[]),
        Step { from: 1_000, nodes: &[], question: Some(question), variants: &[] },
        Step { from: 4_000, nodes: &[], question: None, variants: last },
    ]
}

/// A claim of the step's own text.
const fn says(at: Tick, what: &'static str, holds: fn(&Sim) -> bool) -> Claim {
    Claim { under: None, at, what, holds }
}

/// A claim of the text shown under setting `tag`.
const fn says_under(
    tag: &'static str,
    at: Tick,
    what: &'static str,
    holds: fn(&Sim) -> bool,
) -> Claim {
    Claim { under: Some(tag), at, what, holds }
}

/// What one client operation came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Got {
    /// A read's value (`None`: ∅).
    Read(Option<u64>),
    /// A write succeeded.
    Wrote,
    /// The node said it failed, or the client gave up waiting.
    Failed,
    /// No answer yet.
    Running,
}

/// What the operation of `client` invoked at `at` came to, if there is one.
#[must_use]
pub fn got(sim: &Sim, client: u32, at: Tick) -> Option<Got> {
    let h = sim.history();
    let op = h.iter().find(|o| o.client == client && o.invoke == at)?;
    let write = matches!(op.op, ClientOp::Write(_) | ClientOp::WriteKey(..));
    Some(match op.ret {
        None => Got::Running,
        Some((_, Outcome::Ok { value, .. })) => {
            if write {
                Got::Wrote
            } else {
                Got::Read(value)
            }
        }
        Some((_, Outcome::Fail(_) | Outcome::Timeout)) => Got::Failed,
    })
}

/// The value client `client` was told by the operation invoked at `at`
/// (a Paxos proposal is answered with the value chosen).
#[must_use]
pub fn told(sim: &Sim, client: u32, at: Tick) -> Option<u64> {
    let h = sim.history();
    let op = h.iter().find(|o| o.client == client && o.invoke == at)?;
    op.ok().and_then(|(_, v, _)| v)
}

/// Some read returned a value older than a write completed before it began.
fn stale(sim: &Sim) -> bool {
    !crate::check::register::stale_reads(&sim.history()).is_empty()
}

/// The client history is linearizable (the checker's verdict, decided).
fn linearizable(sim: &Sim) -> bool {
    let ops = crate::check::register_ops(&sim.history());
    crate::check::linear::check(&crate::check::linear::Register, &ops, 1_000_000).is_linearizable()
}

/// Whether node `n` is up.
fn up(sim: &Sim, n: u32) -> bool {
    sim.world().nodes().get(n as usize).is_some_and(|s| s.up)
}

/// 0 when the read returned `new`, 1 when it returned something older (or
/// nothing), 2 when it failed: the choices "new / old / no answer".
fn new_old_or_none(sim: &Sim, client: u32, at: Tick, new: u64) -> Option<u32> {
    match got(sim, client, at)? {
        Got::Read(Some(v)) if v == new => Some(0),
        Got::Read(_) => Some(1),
        Got::Failed => Some(2),
        Got::Wrote | Got::Running => None,
    }
}

/// 0 when the write of `client` invoked at `at` succeeded, 1 when it failed
/// or timed out.
fn write_succeeded(sim: &Sim, client: u32, at: Tick) -> Option<u32> {
    match got(sim, client, at)? {
        Got::Wrote => Some(0),
        Got::Failed => Some(1),
        Got::Read(_) | Got::Running => None,
    }
}

/// The guided steps of a lesson (empty when it has none).
#[must_use]
pub fn steps(id: &str) -> &'static [Step] {
    quorum::steps(id)
        .or_else(|| paxos::steps(id))
        .or_else(|| zab::steps(id))
        .or_else(|| store::steps(id))
        .unwrap_or(&[])
}

/// What each step of lesson `id` says, step by step (kept apart from the
/// steps so that the page, which shows the steps, does not carry the code
/// that checks them).
#[must_use]
pub fn said(id: &str) -> &'static [&'static [Claim]] {
    quorum::said(id)
        .or_else(|| paxos::said(id))
        .or_else(|| zab::said(id))
        .or_else(|| store::said(id))
        .unwrap_or(&[])
}

/// The step showing at `tick`.
#[must_use]
pub fn step_at(steps: &[Step], tick: Tick) -> Option<usize> {
    steps.iter().rposition(|s| s.from <= tick)
}

/// The settings of lesson `id`'s switches that `s` has on and the lesson's
/// own scenario, `lesson`, has not.
#[must_use]
pub fn active(id: &str, lesson: &Scenario, s: &Scenario) -> Vec<&'static str> {
    settings::changes(id, lesson).iter().filter(|set| (set.on)(s)).map(|set| set.tag).collect()
}

/// Which text step `st` shows under the settings `active`: the tag of its
/// own text for one of them, or `None` for the step's own.
#[must_use]
pub fn variant(st: &Step, active: &[&str]) -> Option<&'static str> {
    st.variants.iter().find(|v| v.split('|').any(|t| active.contains(&t))).map(|v| text_tag(v))
}

/// The tag naming a variant's text: its first setting.
fn text_tag(variant: &'static str) -> &'static str {
    variant.split('|').next().unwrap_or(variant)
}

/// The tags of the texts step `st` has for settings.
pub fn text_tags(st: &Step) -> impl Iterator<Item = &'static str> {
    st.variants.iter().map(|v| text_tag(v))
}

/// The catalog key of step `k`'s text under the settings `active`.
#[must_use]
pub fn text_key(id: &str, k: usize, active: &[&str]) -> String {
    let shown = steps(id).get(k).and_then(|st| variant(st, active));
    match shown {
        Some(tag) => format!("lesson.{id}.step.{k}.{tag}"),
        None => format!("lesson.{id}.step.{k}"),
    }
}

/// The claims the shown texts of lesson `id` make under `active`, with the
/// step each belongs to, in the order of their moments.
#[must_use]
pub fn claims(id: &str, active: &[&str]) -> Vec<(usize, Claim)> {
    let mut all: Vec<(usize, Claim)> = steps(id)
        .iter()
        .zip(said(id))
        .enumerate()
        .flat_map(|(k, (st, said))| {
            let shown = variant(st, active);
            said.iter().filter(move |c| c.under == shown).map(move |c| (k, *c))
        })
        .collect();
    crate::order::by_key(&mut all, |(_, c)| u128::from(c.at));
    all
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

    #[test]
    fn steps_are_in_order_and_questions_inside_their_step() {
        for id in lessons::LESSONS {
            let st = steps(id);
            for (k, w) in st.windows(2).enumerate() {
                assert!(w[0].from < w[1].from, "{id} step {k}");
            }
            assert_eq!(said(id).len(), st.len(), "{id}: one list of claims a step");
            for (k, (s, said)) in st.iter().zip(said(id)).enumerate() {
                if let Some(q) = s.question {
                    assert!(q.ask_at >= s.from && q.ask_at < q.answer_at, "{id} step {k}");
                    assert!(q.choices >= 2);
                }
                for c in *said {
                    if let Some(tag) = c.under {
                        assert!(text_tags(s).any(|t| t == tag), "{id} step {k}: {tag} has no text");
                    }
                }
            }
        }
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

    #[test]
    fn a_setting_with_a_text_of_its_own_changes_the_key() {
        let k = steps("quorum-3-2-2").iter().position(|s| s.variants.contains(&"abd"));
        let k = k.expect("the inversion lesson tells write-back's story");
        assert_eq!(text_key("quorum-3-2-2", k, &[]), format!("lesson.quorum-3-2-2.step.{k}"));
        assert_eq!(
            text_key("quorum-3-2-2", k, &["abd"]),
            format!("lesson.quorum-3-2-2.step.{k}.abd")
        );
    }
}
