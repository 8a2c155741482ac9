//! Import a Jepsen history (file picker or drag and drop) and judge it.
//!
//! The text is parsed and checked with the same linearizability checker the
//! CLI uses, in a Web Worker, so a long search never stalls the animation;
//! unreadable lines are reported by number. The worker runs the page's own
//! wasm module (compiled once, handed over on start) and is started the
//! first time it is needed. The imported history never touches the run.

use std::cell::RefCell;

use qcore::check::jepsen::{parse, ParseError, Parsed};
use qcore::check::linear::{check, check_keys, KvKey, Register, Verdict};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DedicatedWorkerGlobalScope, File, MessageEvent, Worker};
use yew::prelude::*;

use crate::i18n::Lang;

/// Search steps allowed for an imported history.
const IMPORT_BUDGET: u64 = 50_000_000;
/// Files larger than this are refused before reading.
const MAX_FILE_BYTES: f64 = 32.0 * 1024.0 * 1024.0;

/// What the import panel shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Judged {
    Verdict { name: String, ops: usize, verdict: Verdict },
    Unreadable { name: String, error: ParseError },
    TooLarge { name: String },
}

/// Parse and check a history text.
#[must_use]
pub fn judge(name: &str, text: &str) -> Judged {
    match parse(text) {
        Err(error) => Judged::Unreadable { name: name.to_string(), error },
        Ok(Parsed::Register(ops)) => {
            let verdict = check(&Register, &ops, IMPORT_BUDGET);
            Judged::Verdict { name: name.to_string(), ops: ops.len(), verdict }
        }
        Ok(Parsed::Kv(keys)) => {
            let n = keys.values().map(Vec::len).sum();
            let verdict = check_keys(&KvKey, &keys, IMPORT_BUDGET);
            Judged::Verdict { name: name.to_string(), ops: n, verdict }
        }
    }
}

/// The worker's script (`web/worker.js`): it starts this same module.
const WORKER_URL: &str = "./worker.js";

/// The worker, whether it said it is ready, and the requests waiting for
/// that (a message posted before the worker's wasm has started would be lost).
struct Checker {
    worker: Worker,
    ready: bool,
    waiting: Vec<JsValue>,
}

thread_local! {
    static CHECKER: RefCell<Option<Checker>> = const { RefCell::new(None) };
    static DONE: RefCell<Option<Callback<Judged>>> = const { RefCell::new(None) };
    static LIVE_DONE: RefCell<Option<Callback<Judged>>> = const { RefCell::new(None) };
    static JOBS: RefCell<Jobs> = const { RefCell::new((0, Vec::new())) };
}

/// The name a live check of the running history travels under (a file's
/// name never reaches the worker with this prefix: see [`read`]).
const LIVE: &str = "\u{1}live";

const READY: &str = "ready";
/// The last job number, and the jobs waiting for the worker.
type Jobs = (u32, Vec<(u32, Callback<String>)>);

/// A message name for the worker's jobs on a run (see [`job`]).
const JOB: &str = "\u{1}job";

/// Have the worker do a job off the main thread (it replays the run), and give
/// `done` its text (empty if it could not be done):
/// - `json`: the run of a share fragment (replayed to its `t=`), as JSON;
/// - `edn`: that run's client history as Jepsen EDN;
/// - `svg`: `MILLITICK|W|H|FRAGMENT`, the frame at that moment as SVG;
/// - `qr`: the QR code of a link (`width|0101…`).
pub fn job(kind: &str, arg: String, done: Callback<String>) {
    let id = JOBS.with(|j| {
        let mut j = j.borrow_mut();
        j.0 += 1;
        let id = j.0;
        j.1.push((id, done));
        id
    });
    post(js_sys::Array::of2(&JOB.into(), &format!("{id}|{kind}|{arg}").into()).into());
}

/// The worker's side of [`job`]: `ID|KIND|ARG` in, `@ID|TEXT` out.
fn run_job(text: &str) -> String {
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

/// A message name that asks the worker to run the Paxos benchmark workload.
pub const BENCH_PAXOS: &str = "__bench-paxos";

/// Read a file the user chose or dropped, have the worker judge it, report.
pub fn read(file: File, done: Callback<Judged>) {
    let name = file.name();
    if file.size() > MAX_FILE_BYTES {
        done.emit(Judged::TooLarge { name });
        return;
    }
    DONE.with(|d| *d.borrow_mut() = Some(done));
    wasm_bindgen_futures::spawn_local(async move {
        let text =
            JsFuture::from(file.text()).await.ok().and_then(|v| v.as_string()).unwrap_or_default();
        let name = name.trim_start_matches('\u{1}').to_string();
        post(js_sys::Array::of2(&name.into(), &text.into()).into());
    });
}

/// Check the running history in the worker, off the main thread: it gets
/// the run (a share fragment up to the furthest moment reached), replays
/// it and checks its history; the verdict comes back through `done`.
pub fn check_live(fragment: String, done: Callback<Judged>) {
    LIVE_DONE.with(|d| *d.borrow_mut() = Some(done));
    post(js_sys::Array::of2(&LIVE.into(), &fragment.into()).into());
}

/// Send a message to the worker, starting it on first use.
fn post(msg: JsValue) {
    CHECKER.with(|c| {
        let mut c = c.borrow_mut();
        if c.is_none() {
            *c = spawn().map(|worker| Checker { worker, ready: false, waiting: Vec::new() });
        }
        if let Some(c) = c.as_mut() {
            if c.ready {
                let _ = c.worker.post_message(&msg);
            } else {
                c.waiting.push(msg);
            }
        }
    });
}

fn spawn() -> Option<Worker> {
    let opts = web_sys::WorkerOptions::new();
    opts.set_type(web_sys::WorkerType::Module);
    let worker = Worker::new_with_options(WORKER_URL, &opts).ok()?;
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|e: MessageEvent| {
        let Some(text) = e.data().as_string() else { return };
        if text == READY {
            CHECKER.with(|c| {
                if let Some(c) = c.borrow_mut().as_mut() {
                    c.ready = true;
                    for msg in std::mem::take(&mut c.waiting) {
                        let _ = c.worker.post_message(&msg);
                    }
                }
            });
            return;
        }
        if let Some((id, out)) = text.strip_prefix('@').and_then(|t| t.split_once('|')) {
            let id: u32 = id.parse().unwrap_or(0);
            let done = JOBS.with(|j| {
                let mut j = j.borrow_mut();
                let i = j.1.iter().position(|(x, _)| *x == id)?;
                Some(j.1.remove(i).1)
            });
            if let Some(done) = done {
                done.emit(out.to_string());
            }
            return;
        }
        if let Some(j) = decode(&text) {
            let live = matches!(&j, Judged::Verdict { name, .. } if name == LIVE);
            let done = if live { &LIVE_DONE } else { &DONE };
            if let Some(done) = done.with(|d| d.borrow().clone()) {
                done.emit(j);
            }
        }
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // Lives as long as the page (one worker).
    on_message.forget();
    // The module this page runs, already compiled: the worker instantiates it.
    worker.post_message(&wasm_bindgen::module()).ok()?;
    Some(worker)
}

/// The worker's side: judge each `[name, text]` message, answer with [`encode`].
pub fn worker_start() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        let data = e.data();
        let name = js_sys::Reflect::get(&data, &0.into())
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default();
        let text = js_sys::Reflect::get(&data, &1.into())
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default();
        if name == BENCH_PAXOS {
            // The benchmark's shared Paxos workload, timed by the caller.
            let events = text.parse::<u64>().unwrap_or(100_000).clamp(1, 100_000_000);
            let done = qcore::bench::run_paxos(events).0;
            let _ = reply.post_message(&format!("B|{done}").into());
            return;
        }
        if name == JOB {
            let _ = reply.post_message(&run_job(&text).into());
            return;
        }
        // The running history, sent as its run: replayed here, checked as EDN.
        if name == LIVE {
            let edn = replay(&text).map(|sim| qcore::check::jepsen::to_edn(&sim.history()));
            let _ = reply.post_message(&encode(&judge(&name, &edn.unwrap_or_default())).into());
            return;
        }
        let _ = reply.post_message(&encode(&judge(&name, &text)).into());
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let _ = scope.post_message(&READY.into());
}

/// A small text form of a judgement to cross the worker boundary: fields
/// separated by `|`, the file name last (it may contain anything).
#[must_use]
pub fn encode(j: &Judged) -> String {
    match j {
        Judged::Verdict { name, ops, verdict } => match verdict {
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
                Verdict::Linearizable {
                    order: Vec::new(),
                    points: std::collections::BTreeMap::new(),
                }
            } else {
                Verdict::Unknown
            };
            Judged::Verdict { name: name.to_string(), ops: num(ops)?, verdict }
        }
        "N" => {
            let mut p = rest.splitn(4, '|');
            let (ops, k, stuck, name) =
                (num(p.next()?)?, num(p.next()?)?, num(p.next()?)?, p.next()?);
            // The prefix's length is what is shown; its members stay in the worker.
            let verdict = Verdict::NotLinearizable { longest: vec![0; k], stuck };
            Judged::Verdict { name: name.to_string(), ops, verdict }
        }
        "E" => {
            let mut p = rest.splitn(3, '|');
            let (line, what, name) = (num(p.next()?)?, p.next()?, p.next()?);
            Judged::Unreadable {
                name: name.to_string(),
                error: ParseError::Line { line, what: what.to_string() },
            }
        }
        "T" => Judged::TooLarge { name: rest.to_string() },
        "Z" => Judged::Unreadable { name: rest.to_string(), error: ParseError::Empty },
        _ => return None,
    })
}

/// A live check's verdict on the run's first `n` operations.
#[must_use]
pub fn describe_live(j: &Judged, lang: Lang, n: usize) -> (bool, String) {
    let (ok, key) = match j {
        Judged::Verdict { verdict: Verdict::Linearizable { .. }, .. } => (true, "check.linear_ok"),
        Judged::Verdict { verdict: Verdict::NotLinearizable { .. }, .. } => {
            (false, "check.live_bad")
        }
        _ => (false, "check.live_unknown"),
    };
    (ok, format!("{} ({})", lang.t(key), lang.fmt("check.live", &[("n", n.to_string())])))
}

/// The verdict, in the user's language.
#[must_use]
pub fn describe(j: &Judged, lang: Lang) -> (bool, String) {
    match j {
        Judged::Verdict { name, ops, verdict } => match verdict {
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
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn judgements_cross_the_worker_boundary_intact() {
        let cases = [
            judge("a|b.log", "INFO  jepsen.util - 1\t:invoke\t:write\t1\nINFO  jepsen.util - 1\t:ok\t:write\t1\n"),
            judge("bad.edn", "{:process 1 :type ???}"),
            judge("empty", ""),
            Judged::TooLarge { name: "big".into() },
        ];
        for j in cases {
            let back = decode(&encode(&j)).expect("decodes");
            assert_eq!(describe(&back, Lang::En), describe(&j, Lang::En));
        }
    }
}
