//! The counterexample search in the page: what the search worker is asked
//! (the run as a share fragment), what it says while it runs and what it
//! found, in short text messages both sides read and write here.

use qcore::explore::Progress;
use qcore::hunt::{self, Part, Stage, Unsearchable};
use qcore::safety::Rule;
use qcore::types::Tick;

/// How often the worker reports progress, in milliseconds.
const PROGRESS_EVERY_MS: u64 = 150;

/// A search under way.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Running {
    /// The stage searched (from 0) and how many there are.
    pub stage: usize,
    pub stages: usize,
    pub progress: Progress,
    /// Milliseconds since the search started, in the worker.
    pub ms: u64,
}

impl Running {
    /// States visited per second so far in this search.
    #[must_use]
    pub fn per_second(states: u64, ms: u64) -> u64 {
        states.saturating_mul(1000).checked_div(ms).unwrap_or(0)
    }

    /// Milliseconds as seconds with one decimal (no float formatting: its
    /// tables would weigh on the bundle).
    #[must_use]
    pub fn seconds(ms: u64) -> String {
        let tenths = (ms + 50) / 100;
        format!("{}.{}", tenths / 10, tenths % 10)
    }
}

/// A counterexample.
#[derive(Clone, Debug, PartialEq)]
pub struct Found {
    pub rule: Rule,
    pub steps: usize,
    /// The run that replays it (a share fragment) and the breaking step's tick.
    pub replay: Option<(String, Tick)>,
}

/// What a search said at its end.
#[derive(Clone, Debug, PartialEq)]
pub enum Report {
    Done {
        stages: Vec<Stage>,
        found: Option<Found>,
        ms: u64,
    },
    Unsearchable(Unsearchable),
    /// The run could not be read back (a bug, said plainly).
    Unreadable,
    NoWorker(String),
}

/// The worker's side: search the run in `fragment`, posting progress.
pub fn serve(fragment: &str, post: &mut dyn FnMut(String)) -> String {
    let scenario = qcore::link::parse_fragment(fragment)
        .ok()
        .and_then(|f| f.scenario.or_else(|| f.lesson.and_then(|l| qcore::lessons::lesson(&l))));
    let Some(scenario) = scenario else { return encode(&Report::Unreadable) };
    let stages = match hunt::stages(&scenario) {
        Ok(s) => s,
        Err(e) => return encode(&Report::Unsearchable(e)),
    };
    // Whole milliseconds: integers all the way to the page.
    let now = || js_sys::Date::now() as u64;
    let t0 = now();
    let mut last = t0;
    let count = stages.len();
    let mut pages = 0;
    let out = hunt::hunt(&stages, hunt::PAGE_MAX_STATES, &mut |stage, progress| {
        crate::grow_ahead(&mut pages);
        let t = now();
        if t - last >= PROGRESS_EVERY_MS {
            last = t;
            post(encode_running(&Running { stage, stages: count, progress, ms: t - t0 }));
        }
    });
    let ms = now() - t0;
    let found = out.found.map(|f| Found {
        rule: f.violation.rule,
        steps: f.steps,
        replay: f.replay.map(|(s, tick)| {
            (qcore::link::fragment(&s, &qcore::link::ViewOptions::default()), tick)
        }),
    });
    encode(&Report::Done { stages: out.stages, found, ms })
}

/// `H|stage|stages|states|transitions|depth|frontier|ms`.
#[must_use]
pub fn encode_running(r: &Running) -> String {
    let p = &r.progress;
    format!(
        "H|{}|{}|{}|{}|{}|{}|{}",
        r.stage, r.stages, p.states, p.transitions, p.depth, p.frontier, r.ms
    )
}

#[must_use]
pub fn decode_running(s: &str) -> Option<Running> {
    let mut f = s.strip_prefix("H|")?.split('|');
    let mut num = || f.next()?.parse::<u64>().ok();
    let (stage, stages) = (num()?, num()?);
    let (states, transitions, depth, frontier, ms) = (num()?, num()?, num()?, num()?, num()?);
    Some(Running {
        stage: usize::try_from(stage).ok()?,
        stages: usize::try_from(stages).ok()?,
        progress: Progress {
            states,
            transitions,
            depth: usize::try_from(depth).ok()?,
            frontier: usize::try_from(frontier).ok()?,
        },
        ms,
    })
}

/// `R|ms|states,transitions,depth,complete;…|found` where found is `-` or
/// `rule,steps,tick|fragment` (tick 0: no replay); `X|part,max,got` or
/// `X|-` when the run cannot be searched; `Q` when it could not be read;
/// `W|why` when there is no worker.
#[must_use]
pub fn encode(r: &Report) -> String {
    match r {
        Report::Done { stages, found, ms } => {
            let stages: Vec<String> = stages
                .iter()
                .map(|s| {
                    format!("{},{},{},{}", s.states, s.transitions, s.depth, u8::from(s.complete))
                })
                .collect();
            let found = match found {
                None => "-".to_string(),
                Some(f) => {
                    let (fragment, tick) = f.replay.clone().unwrap_or_default();
                    let slug = crate::i18n::rule_slug(f.rule);
                    format!("{slug},{},{tick}|{fragment}", f.steps)
                }
            };
            format!("R|{ms}|{}|{found}", stages.join(";"))
        }
        Report::Unsearchable(Unsearchable::Protocol) => "X|-".to_string(),
        Report::Unsearchable(Unsearchable::TooBig { what, max, got }) => {
            format!("X|{},{max},{got}", part_slug(*what))
        }
        Report::Unreadable => "Q".to_string(),
        Report::NoWorker(why) => format!("W|{}", why.replace('|', "/")),
    }
}

#[must_use]
pub fn decode_report(s: &str) -> Option<Report> {
    if s == "Q" {
        return Some(Report::Unreadable);
    }
    let (tag, rest) = s.split_once('|')?;
    Some(match tag {
        "R" => {
            let mut f = rest.splitn(3, '|');
            let ms = f.next()?.parse::<u64>().ok()?;
            let stages = f.next()?.split(';').map(decode_stage).collect::<Option<Vec<_>>>()?;
            let found = match f.next()? {
                "-" => None,
                found => Some(decode_found(found)?),
            };
            Report::Done { stages, found, ms }
        }
        "X" if rest == "-" => Report::Unsearchable(Unsearchable::Protocol),
        "X" => {
            let mut f = rest.split(',');
            let slug = f.next()?;
            let what = PARTS.iter().find(|p| part_slug(**p) == slug)?;
            let (max, got) = (f.next()?.parse().ok()?, f.next()?.parse().ok()?);
            Report::Unsearchable(Unsearchable::TooBig { what: *what, max, got })
        }
        "W" => Report::NoWorker(rest.to_string()),
        _ => return None,
    })
}

fn decode_stage(s: &str) -> Option<Stage> {
    let mut f = s.split(',').map(str::parse::<u64>);
    let (states, transitions) = (f.next()?.ok()?, f.next()?.ok()?);
    let (depth, complete) = (f.next()?.ok()?, f.next()?.ok()?);
    Some(Stage {
        states,
        transitions,
        depth: usize::try_from(depth).ok()?,
        complete: complete == 1,
    })
}

fn decode_found(s: &str) -> Option<Found> {
    let (head, fragment) = s.split_once('|')?;
    let mut f = head.split(',');
    let slug = f.next()?;
    let rule = *Rule::ALL.iter().find(|r| crate::i18n::rule_slug(**r) == slug)?;
    let steps = f.next()?.parse().ok()?;
    let tick: Tick = f.next()?.parse().ok()?;
    let replay = (tick > 0).then(|| (fragment.to_string(), tick));
    Some(Found { rule, steps, replay })
}

const PARTS: [Part; 5] =
    [Part::Acceptors, Part::Proposers, Part::Voters, Part::Observers, Part::Replicas];

/// A part's name in the catalogs (`hunt.part.<slug>`).
#[must_use]
pub fn part_slug(p: Part) -> &'static str {
    match p {
        Part::Acceptors => "acceptors",
        Part::Proposers => "proposers",
        Part::Voters => "voters",
        Part::Observers => "observers",
        Part::Replicas => "replicas",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_survive_the_trip_to_the_page() {
        let stage = |complete| Stage { states: 84_347, transitions: 421_752, depth: 22, complete };
        let found = Found {
            rule: Rule::TwoValuesChosen,
            steps: 15,
            replay: Some(("s=v2.abc-_&t=3".to_string(), 1_602)),
        };
        for r in [
            Report::Done { stages: vec![stage(true), stage(false)], found: Some(found), ms: 812 },
            Report::Done { stages: vec![stage(true)], found: None, ms: 3 },
            Report::Unsearchable(Unsearchable::Protocol),
            Report::Unsearchable(Unsearchable::TooBig { what: Part::Voters, max: 3, got: 5 }),
            Report::Unreadable,
            Report::NoWorker("no script".into()),
        ] {
            assert_eq!(decode_report(&encode(&r)), Some(r));
        }
        let run = Running {
            stage: 1,
            stages: 2,
            progress: Progress { states: 9, transitions: 30, depth: 4, frontier: 5 },
            ms: 120,
        };
        assert_eq!(decode_running(&encode_running(&run)), Some(run));
        assert_eq!(decode_report("R|x"), None);
        assert_eq!(Running::per_second(1_000, 500), 2_000);
        assert_eq!(Running::per_second(1_000, 0), 0);
        assert_eq!((Running::seconds(1_949), Running::seconds(50)), ("1.9".into(), "0.1".into()));
    }
}
