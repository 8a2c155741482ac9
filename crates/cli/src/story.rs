//! `quorumscope story <lesson> [--with TAG]… [--until TICK] [--messages]`: a lesson's run
//! as its author reads it beside the narration: what the user's actions,
//! the clients and the protocol did (messages left out), each guided step
//! where it begins, and whether each claim its shown text makes holds.

use qcore::lessons::{self, guide};
use qcore::{Happened, Sim};

pub fn run(args: &[String]) -> Result<(), String> {
    let id = args.first().ok_or("story needs a lesson id")?;
    let default = lessons::lesson(id).ok_or_else(|| format!("no lesson {id:?}"))?;
    let tags: Vec<&str> =
        args.windows(2).filter(|w| w[0] == "--with").map(|w| w[1].as_str()).collect();
    let offered = guide::settings::changes(id, &default);
    let chosen: Vec<guide::Setting> = tags
        .iter()
        .map(|t| {
            offered.iter().find(|s| s.tag == *t).copied().ok_or_else(|| {
                let names: Vec<&str> = offered.iter().map(|s| s.tag).collect();
                format!("{id} offers {names:?}, not {t:?}")
            })
        })
        .collect::<Result<_, _>>()?;
    let s = lessons::lesson_with(id, |s| chosen.iter().for_each(|set| (set.apply)(s)))
        .ok_or("no lesson")?
        .map_err(|e| e.to_string())?;
    let active = guide::active(id, &default, &s);
    let until = super::until(args)?;
    let steps = guide::steps(id);
    let claims = guide::claims(id, &active);
    let mut sim = Sim::new(s).map_err(|e| e.to_string())?;
    let all = args.iter().any(|a| a == "--messages");
    let mut out = Printer { id, active: &active, steps, shown: 0, next_step: 0, all };
    let mut next_claim = 0;
    let mut t = 0;
    while t < until {
        let next = (t + 10).min(until);
        while next_claim < claims.len() && claims[next_claim].1.at <= next {
            let (k, c) = &claims[next_claim];
            sim.run_until(c.at);
            out.print(&sim, c.at);
            let ok = if (c.holds)(&sim) { "holds" } else { "FAILS" };
            println!("{:>7} ✓? step {k}: {} — {ok}", c.at, c.what);
            next_claim += 1;
        }
        sim.run_until(next);
        out.print(&sim, next);
        t = next;
    }
    Ok(())
}

/// Prints what the trace gained since last time, and each step as it begins.
struct Printer<'a> {
    id: &'a str,
    active: &'a [&'static str],
    steps: &'static [guide::Step],
    shown: usize,
    next_step: usize,
    /// Messages too.
    all: bool,
}

impl Printer<'_> {
    fn print(&mut self, sim: &Sim, now: u64) {
        for e in &sim.trace()[self.shown..] {
            self.steps_until(e.tick);
            if self.all
                || !matches!(
                    e.what,
                    Happened::Sent { .. }
                        | Happened::Delivered { .. }
                        | Happened::Timer { .. }
                        | Happened::Persisted { .. }
                        | Happened::Link { .. }
                )
            {
                println!("{:>7} {:?}", e.tick, e.what);
            }
        }
        self.shown = sim.trace().len();
        self.steps_until(now);
    }

    fn steps_until(&mut self, tick: u64) {
        while self.next_step < self.steps.len() && self.steps[self.next_step].from <= tick {
            let key = guide::text_key(self.id, self.next_step, self.active);
            println!("{:>7} ── step {}: {key}", self.steps[self.next_step].from, self.next_step);
            self.next_step += 1;
        }
    }
}
