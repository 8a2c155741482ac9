//! Import a Jepsen history (file picker or drag and drop) and judge it.
//!
//! The text is parsed and checked with the same linearizability checker the
//! CLI uses, in a Web Worker, so a long search never stalls the animation;
//! unreadable lines are reported by number; the search reports its progress
//! and can be cancelled (see [`crate::worker`]). The imported history never
//! touches the run.

use qcore::small::VecMap;

use qcore::check::jepsen::{parse_prefix, ParseError, Parsed};
use qcore::check::linear::{check_keys_with, KvKey, Progress, Register, Verdict};
use wasm_bindgen_futures::JsFuture;
use web_sys::File;
use yew::prelude::*;

use crate::i18n::Lang;

/// Search steps allowed for an imported history.
const IMPORT_BUDGET: u64 = 50_000_000;
/// Files larger than this are refused before reading.
const MAX_FILE_BYTES: f64 = 32.0 * 1024.0 * 1024.0;

/// What the import panel shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Judged {
    Verdict {
        name: String,
        ops: usize,
        verdict: Verdict,
        /// The unreadable line (number, what is wrong) that ended the
        /// history judged, if one did.
        cut: Option<(usize, String)>,
    },
    Unreadable {
        name: String,
        error: ParseError,
    },
    TooLarge {
        name: String,
    },
    /// The checker's worker could not start, and why.
    NoWorker {
        name: String,
        why: String,
    },
    /// The user stopped the check.
    Cancelled {
        name: String,
    },
}

/// Parse and check a history text.
#[must_use]
pub fn judge(name: &str, text: &str) -> Judged {
    judge_with(name, text, &mut |_| {})
}

/// [`judge`], telling `progress` how far the search has got.
pub fn judge_with(name: &str, text: &str, progress: &mut dyn FnMut(Progress)) -> Judged {
    let go_on = |p| {
        progress(p);
        true
    };
    let name = name.to_string();
    let prefix = match parse_prefix(text) {
        Ok(p) => p,
        Err(error) => return Judged::Unreadable { name, error },
    };
    let cut = match prefix.cut {
        Some(ParseError::Line { line, what }) => Some((line, what)),
        _ => None,
    };
    let (ops, verdict) = match prefix.parsed {
        Parsed::Register(ops) => {
            let n = ops.len();
            (n, check_keys_with(&Register, &one_key(ops), IMPORT_BUDGET, go_on))
        }
        Parsed::Kv(keys) => {
            let n = keys.values().map(Vec::len).sum();
            (n, check_keys_with(&KvKey, &keys, IMPORT_BUDGET, go_on))
        }
    };
    Judged::Verdict { name, ops, verdict, cut }
}

/// The worker's side of [`crate::worker::job`]: `ID|KIND|ARG` in, `@ID|TEXT` out.
/// The kinds:
/// - `json`: the run of a share fragment (replayed to its `t=`), as JSON;
/// - `edn`: that run's client history as Jepsen EDN;
/// - `svg`: `MILLITICK|W|H|FRAGMENT`, the frame at that moment as SVG;
/// - `qr`: the QR code of a link (`width|0101…`).
pub fn run_job(text: &str) -> String {
    let mut parts = text.splitn(3, '|');
    let (id, kind, arg) =
        (parts.next().unwrap_or(""), parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let out = match kind {
        "json" => replay(arg).and_then(|sim| qcore::export::trace_json(&sim).ok()),
        "edn" => replay(arg).map(|sim| qcore::check::jepsen::to_edn(&sim.history())),
        "svg" => frame_svg(arg),
        "qr" => qscene::qr::encode(arg).map(|q| q.to_text()),
        _ => None,
    };
    format!("@{id}|{}", out.unwrap_or_default())
}

/// The run of a share fragment, replayed to its `t=` tick.
fn replay(fragment: &str) -> Option<qcore::Sim> {
    let f = qcore::link::parse_fragment(fragment).ok()?;
    let mut sim = qcore::Sim::new(f.scenario?).ok()?;
    sim.run_until(f.view.start_tick.unwrap_or(0));
    Some(sim)
}

/// `MILLITICK|W|H|FRAGMENT`: the frame the page shows, as SVG (the page
/// sends its moment in thousandths of a tick: it formats no floats).
fn frame_svg(arg: &str) -> Option<String> {
    let mut p = arg.splitn(4, '|');
    let milli: u64 = p.next()?.parse().ok()?;
    let w: u32 = p.next()?.parse().ok()?;
    let h: u32 = p.next()?.parse().ok()?;
    let sim = replay(p.next()?)?;
    let scene = qscene::project(&sim, milli as f64 / 1000.0, f64::from(w), f64::from(h));
    Some(qscene::svg::to_svg(&scene))
}

/// Read a file the user chose or dropped, have the worker judge it, report
/// its verdict to `done` and, while the search runs, its progress.
pub fn read(file: File, done: Callback<Judged>, progress: Callback<Progress>) {
    let name = file.name();
    if file.size() > MAX_FILE_BYTES {
        done.emit(Judged::TooLarge { name });
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        // The file's bytes go to the worker as they are: a copied buffer,
        // where text would be decoded here, encoded for the message and
        // decoded again there (a third of a 3 MB file's time in the worker).
        let bytes = JsFuture::from(file.array_buffer()).await.unwrap_or_default();
        // Names starting with \u{1} are the workers' own messages.
        let name = name.trim_start_matches('\u{1}').to_string();
        crate::worker::judge(name, bytes, done, progress);
    });
}

/// A register history as the checker's one unnamed key (inserted, not
/// built from an array: that would sort, and each sorted type costs the
/// bundle a copy of the sort).
fn one_key<T>(ops: T) -> VecMap<String, T> {
    let mut keys = VecMap::new();
    keys.insert(String::new(), ops);
    keys
}

/// The worker's side of a live check: replay the run of a share fragment
/// and check its history as the in-frame check does (so the offending
/// operation is named by its id in the run).
#[must_use]
pub fn judge_run(fragment: &str) -> Judged {
    let Some(sim) = replay(fragment) else {
        return Judged::Unreadable { name: String::new(), error: ParseError::Empty };
    };
    let ops = qcore::check::register_ops(&sim.history());
    let n = ops.len();
    let keys = one_key(ops);
    let verdict = check_keys_with(&Register, &keys, IMPORT_BUDGET, |_| true);
    Judged::Verdict { name: String::new(), ops: n, verdict, cut: None }
}

/// A small text form of a judgement to cross the worker boundary: fields
/// separated by `|`, the file name last (it may contain anything).
#[must_use]
pub fn encode(j: &Judged) -> String {
    match j {
        // A cut history: its line and what is wrong, then its verdict.
        Judged::Verdict { name, ops, verdict, cut: Some((line, what)) } => {
            let whole = Judged::Verdict {
                name: name.clone(),
                ops: *ops,
                verdict: verdict.clone(),
                cut: None,
            };
            format!("X|{line}|{}|{}", what.replace('|', "/"), encode(&whole))
        }
        Judged::Verdict { name, ops, verdict, cut: None } => match verdict {
            Verdict::Linearizable { .. } => format!("L|{ops}|{name}"),
            Verdict::NotLinearizable { longest, stuck } => {
                format!("N|{ops}|{}|{stuck}|{name}", longest.len())
            }
            Verdict::Unknown => format!("U|{ops}|{name}"),
        },
        Judged::Unreadable { name, error } => match error {
            ParseError::Line { line, what } => {
                format!("E|{line}|{}|{name}", what.replace('|', "/"))
            }
            ParseError::TooLarge { .. } => format!("T|{name}"),
            ParseError::Empty => format!("Z|{name}"),
        },
        Judged::TooLarge { name } => format!("T|{name}"),
        Judged::NoWorker { name, why } => format!("W|{}|{name}", why.replace('|', "/")),
        Judged::Cancelled { name } => format!("C|{name}"),
    }
}

/// The inverse of [`encode`] (only the detail a viewer shows survives).
#[must_use]
pub fn decode(s: &str) -> Option<Judged> {
    let (tag, rest) = s.split_once('|')?;
    let num = |x: &str| x.parse::<usize>().ok();
    Some(match tag {
        "L" | "U" => {
            let (ops, name) = rest.split_once('|')?;
            let verdict = if tag == "L" {
                Verdict::Linearizable { order: Vec::new(), points: VecMap::new() }
            } else {
                Verdict::Unknown
            };
            Judged::Verdict { name: name.to_string(), ops: num(ops)?, verdict, cut: None }
        }
        "N" => {
            let mut p = rest.splitn(4, '|');
            let (ops, k, stuck, name) =
                (num(p.next()?)?, num(p.next()?)?, num(p.next()?)?, p.next()?);
            // The prefix's length is what is shown; its members stay in the worker.
            let verdict = Verdict::NotLinearizable { longest: vec![0; k], stuck };
            Judged::Verdict { name: name.to_string(), ops, verdict, cut: None }
        }
        "E" => {
            let mut p = rest.splitn(3, '|');
            let (line, what, name) = (num(p.next()?)?, p.next()?, p.next()?);
            Judged::Unreadable {
                name: name.to_string(),
                error: ParseError::Line { line, what: what.to_string() },
            }
        }
        "X" => {
            let mut p = rest.splitn(3, '|');
            let (line, what) = (num(p.next()?)?, p.next()?.to_string());
            match decode(p.next()?)? {
                Judged::Verdict { name, ops, verdict, .. } => {
                    Judged::Verdict { name, ops, verdict, cut: Some((line, what)) }
                }
                _ => return None,
            }
        }
        "T" => Judged::TooLarge { name: rest.to_string() },
        "Z" => Judged::Unreadable { name: rest.to_string(), error: ParseError::Empty },
        "C" => Judged::Cancelled { name: rest.to_string() },
        "W" => {
            let (why, name) = rest.split_once('|')?;
            Judged::NoWorker { name: name.to_string(), why: why.to_string() }
        }
        _ => return None,
    })
}

/// A live check's verdict on the run's first `n` operations.
#[must_use]
pub fn describe_live(
    j: &Judged,
    lang: Lang,
    n: usize,
    op_name: &dyn Fn(u64) -> String,
) -> (bool, String) {
    let (ok, verdict) = match j {
        Judged::Verdict { verdict: Verdict::Linearizable { .. }, .. } => {
            (true, lang.t("check.linear_ok").to_string())
        }
        Judged::Verdict { verdict: Verdict::NotLinearizable { stuck, .. }, .. } => {
            (false, lang.fmt("check.live_bad", &[("op", op_name(*stuck as u64))]))
        }
        Judged::NoWorker { why, .. } => {
            return (false, lang.fmt("check.live_no_worker", &[("why", why.clone())]));
        }
        _ => (false, lang.t("check.live_unknown").to_string()),
    };
    (ok, format!("{verdict} ({})", lang.fmt("check.live", &[("n", n.to_string())])))
}

/// The verdict, in the user's language.
#[must_use]
pub fn describe(j: &Judged, lang: Lang) -> (bool, String) {
    match j {
        Judged::Verdict { name, ops, verdict, cut: Some((line, what)) } => {
            let at = [("line", line.to_string()), ("what", what.clone())];
            match verdict {
                // A prefix that is not linearizable: neither is the whole.
                Verdict::NotLinearizable { .. } => {
                    let whole = Judged::Verdict {
                        name: name.clone(),
                        ops: *ops,
                        verdict: verdict.clone(),
                        cut: None,
                    };
                    let (_, text) = describe(&whole, lang);
                    (false, format!("{text} {}", lang.fmt("import.cut_bad", &at)))
                }
                _ => {
                    let mut args = at.to_vec();
                    args.extend([("file", name.clone()), ("n", ops.to_string())]);
                    let key = if verdict.is_linearizable() {
                        "import.cut_ok"
                    } else {
                        "import.cut_unknown"
                    };
                    (false, lang.fmt(key, &args))
                }
            }
        }
        Judged::Verdict { name, ops, verdict, cut: None } => match verdict {
            Verdict::Linearizable { .. } => {
                (true, lang.fmt("import.linear", &[("file", name.clone()), ("n", ops.to_string())]))
            }
            Verdict::NotLinearizable { longest, stuck } => (
                false,
                lang.fmt(
                    "import.not_linear",
                    &[
                        ("file", name.clone()),
                        ("n", ops.to_string()),
                        ("k", longest.len().to_string()),
                        ("line", stuck.to_string()),
                    ],
                ),
            ),
            Verdict::Unknown => (false, lang.fmt("import.unknown", &[("file", name.clone())])),
        },
        Judged::Unreadable { name, error } => {
            let detail = match error {
                ParseError::Line { line, what } => lang
                    .fmt("import.bad_line", &[("line", line.to_string()), ("what", what.clone())]),
                ParseError::TooLarge { .. } => lang.t("import.too_large").to_string(),
                ParseError::Empty => lang.t("import.empty").to_string(),
            };
            (false, lang.fmt("import.unreadable", &[("file", name.clone()), ("detail", detail)]))
        }
        Judged::TooLarge { name } => (
            false,
            lang.fmt(
                "import.unreadable",
                &[("file", name.clone()), ("detail", lang.t("import.too_large").to_string())],
            ),
        ),
        Judged::NoWorker { name, why } => {
            (false, lang.fmt("import.no_worker", &[("file", name.clone()), ("why", why.clone())]))
        }
        Judged::Cancelled { name } => {
            (false, lang.fmt("import.cancelled", &[("file", name.clone())]))
        }
    }
}

/// A search's progress, in the user's language.
#[must_use]
pub fn describe_progress(name: &str, p: &Progress, lang: Lang) -> String {
    lang.fmt(
        "import.progress",
        &[
            ("file", name.to_string()),
            ("done", p.keys_done.to_string()),
            ("keys", p.keys.to_string()),
            ("states", p.states.to_string()),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn judgements_cross_the_worker_boundary_intact() {
        let cases = [
            judge("a|b.log", "INFO  jepsen.util - 1\t:invoke\t:write\t1\nINFO  jepsen.util - 1\t:ok\t:write\t1\n"),
            judge("bad.edn", "{:process 1 :type ???}"),
            judge("cut|ok.log", "INFO  jepsen.util - 1\t:invoke\t:write\t1\nwhat | is this\n"),
            judge(
                "cut-bad.log",
                "INFO  jepsen.util - 1\t:invoke\t:write\t1\nINFO  jepsen.util - 1\t:ok\t:write\t1\n\
                 INFO  jepsen.util - 2\t:invoke\t:read\tnil\nINFO  jepsen.util - 2\t:ok\t:read\t5\n\
                 ???\n",
            ),
            judge("empty", ""),
            Judged::TooLarge { name: "big".into() },
            Judged::NoWorker { name: "x|y".into(), why: "404 gone".into() },
            Judged::Cancelled { name: "c.edn".into() },
        ];
        for j in cases {
            let back = decode(&encode(&j)).expect("decodes");
            assert_eq!(describe(&back, Lang::En), describe(&j, Lang::En));
        }
    }

    #[test]
    fn a_cut_history_is_judged_only_where_that_is_sound() {
        let good =
            "INFO  jepsen.util - 1\t:invoke\t:write\t1\nINFO  jepsen.util - 1\t:ok\t:write\t1\n";
        let (ok, text) = describe(&judge("f", &format!("{good}garbage\n")), Lang::En);
        assert!(!ok && text.contains("line 3") && text.contains("rest"), "{text}");
        let bad = format!("{good}INFO  jepsen.util - 2\t:invoke\t:read\tnil\nINFO  jepsen.util - 2\t:ok\t:read\t5\ngarbage\n");
        let (ok, text) = describe(&judge("f", &bad), Lang::En);
        assert!(!ok && text.contains("not linearizable") && text.contains("line 5"), "{text}");
    }
}
