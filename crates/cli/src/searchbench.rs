//! `quorumscope bench-search [--json] [CHALLENGE]`: the page's counterexample searches,
//! timed natively. Each challenge's configuration is searched broken and as
//! specified, with the page's limit of states per stage, so the figures are
//! the same searches the page's worker runs; the browser bench runs them
//! there and divides.

use std::time::Instant;

use qcore::challenge::{self, Challenge};
use qcore::hunt::{hunt, stages, Outcome, PAGE_MAX_STATES};

/// One search timed.
pub struct Row {
    pub challenge: &'static str,
    pub broken: bool,
    pub verdict: String,
    pub states: u64,
    pub ms: f64,
}

impl Row {
    fn per_second(&self) -> f64 {
        self.states as f64 * 1e3 / self.ms.max(1e-3)
    }

    fn json(&self) -> String {
        format!(
            "{{\"challenge\":\"{}\",\"broken\":{},\"verdict\":\"{}\",\"states\":{},\"ms\":{:.1}}}",
            self.challenge, self.broken, self.verdict, self.states, self.ms
        )
    }
}

/// Time the search of `c`'s configuration, broken or as specified.
///
/// # Errors
/// The challenge does not start or its run is not searchable (a bug).
pub fn time(c: &Challenge, broken: bool) -> Result<Row, String> {
    let (s, _) = c.start(broken)?;
    let spaces = stages(&s).map_err(|e| format!("{}: not searchable: {e:?}", c.id))?;
    let t0 = Instant::now();
    let out = hunt(&spaces, PAGE_MAX_STATES, &mut |_, _| {});
    let ms = t0.elapsed().as_secs_f64() * 1e3;
    let states = out.stages.iter().map(|s| s.states).sum();
    Ok(Row { challenge: c.id, broken, verdict: verdict(&out), states, ms })
}

fn verdict(out: &Outcome) -> String {
    match &out.found {
        Some(f) => format!("{:?} after {} steps", f.violation.rule, f.steps),
        None if out.safe() => "complete, nothing breaks".into(),
        None => "stopped at the limit".into(),
    }
}

/// Print every challenge's searches (or only `only`'s), as a table or as JSON rows.
///
/// # Errors
/// As [`time`], or no challenge is called `only`.
pub fn run(json: bool, only: Option<&str>) -> Result<(), String> {
    if only.is_some_and(|id| challenge::ALL.iter().all(|c| c.id != id)) {
        return Err(format!("no challenge {:?}", only.unwrap_or_default()));
    }
    if !json {
        println!(
            "counterexample searches, as the page runs them (native, at most {PAGE_MAX_STATES} states a stage)"
        );
    }
    let mut rows = Vec::new();
    for c in challenge::ALL.iter().filter(|c| only.is_none_or(|id| c.id == id)) {
        for broken in [true, false] {
            let r = time(c, broken)?;
            if !json {
                let how = if broken { "broken" } else { "as specified" };
                println!(
                    "  {:<20} {:<13} {:>9} states {:>9.1} ms {:>9.0} states/s   {}",
                    r.challenge,
                    how,
                    r.states,
                    r.ms,
                    r.per_second(),
                    r.verdict
                );
            }
            rows.push(r.json());
        }
    }
    if json {
        println!("[{}]", rows.join(","));
    }
    Ok(())
}
