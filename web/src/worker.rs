//! The page's side of the checker's Web Workers, and the workers' own loop.
//!
//! Two workers run this same wasm module (compiled once by the page and
//! handed over on start, see `web/worker.js`), each started the first time
//! it is needed:
//! - the *import* worker judges a dropped Jepsen file, reporting progress;
//!   cancelling the check ends that worker (a search cannot be interrupted
//!   from outside, and a fresh worker starts in milliseconds from the
//!   compiled module), so nothing else may wait on it;
//! - the *run* worker does the run's jobs (exports, QR codes) and checks long
//!   histories of the run;
//! - the *search* worker looks for a counterexample in every schedule of the
//!   run's configuration (see [`crate::hunt`]); like the import worker, it is
//!   ended to cancel.
//!
//! A worker that cannot start (its script fails to load, or the module fails
//! to instantiate) answers every waiting and later request at once, with why.

use std::cell::RefCell;

use qcore::check::linear::Progress;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent, Worker};
use yew::Callback;

use crate::import::Judged;

/// The workers' script (`web/worker.js`): it starts this same module.
const WORKER_URL: &str = "./worker.js";
/// What a worker says when it listens.
const READY: &str = "ready";
/// What `web/worker.js` says when the module would not start: `FAILED why`.
const FAILED: &str = "\u{1}failed|";
/// Message names for the run worker's jobs and live checks.
const JOB: &str = "\u{1}job";
const LIVE: &str = "\u{1}live";
const HUNT: &str = "\u{1}hunt";
/// A message name that asks a worker to run the Paxos benchmark workload.
pub const BENCH_PAXOS: &str = "__bench-paxos";
/// A message name that asks a worker to judge a file as the import does and
/// say how long that took inside the worker (`T|MICROSECONDS|VERDICT`): the
/// bench tells the check's time from the message's round trip.
const BENCH_CHECK: &str = "\u{1}bench-check";
/// How often the import worker reports progress, in milliseconds.
const PROGRESS_EVERY_MS: f64 = 100.0;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Lane {
    Import = 0,
    Run = 1,
    Search = 2,
}

/// A worker, whether it said it is ready, and the requests waiting for that
/// (a message posted before the worker's wasm has started would be lost).
struct Checker {
    worker: Worker,
    ready: bool,
    waiting: Vec<JsValue>,
}

/// A lane's worker: not started, started, or unable to start (and why).
enum Slot {
    Idle,
    Up(Checker),
    Failed(String),
}

/// Who waits for what.
#[derive(Default)]
struct Waiters {
    /// The file being judged, its verdict's and its progress's receivers.
    import: Option<(String, Callback<Judged>, Callback<Progress>)>,
    live: Option<Callback<Judged>>,
    /// The last job number, and the jobs waiting for their text.
    job_id: u32,
    jobs: Vec<(u32, Callback<String>)>,
    /// The search's report and progress receivers.
    hunt: Option<(Callback<crate::hunt::Report>, Callback<crate::hunt::Running>)>,
}

thread_local! {
    static SLOTS: RefCell<[Slot; 3]> =
        const { RefCell::new([Slot::Idle, Slot::Idle, Slot::Idle]) };
    static WAITERS: RefCell<Waiters> = RefCell::new(Waiters::default());
}

/// Have the import worker judge a file (its bytes, an `ArrayBuffer`, or its
/// text); `done` gets the verdict, `progress` how far the search has got
/// while it runs.
pub fn judge(name: String, file: JsValue, done: Callback<Judged>, progress: Callback<Progress>) {
    WAITERS.with(|w| w.borrow_mut().import = Some((name.clone(), done, progress)));
    post(Lane::Import, js_sys::Array::of2(&name.into(), &file).into());
}

/// Stop judging the file: its worker ends, and the verdict is "cancelled".
pub fn cancel_import() {
    end(Lane::Import);
    if let Some((name, done, _)) = WAITERS.with(|w| w.borrow_mut().import.take()) {
        done.emit(Judged::Cancelled { name });
    }
}

/// Search every schedule of the run (a share fragment) for a
/// counterexample; `progress` hears how far the search has got, `done` what
/// it found.
pub fn hunt(
    fragment: String,
    done: Callback<crate::hunt::Report>,
    progress: Callback<crate::hunt::Running>,
) {
    WAITERS.with(|w| w.borrow_mut().hunt = Some((done, progress)));
    post(Lane::Search, js_sys::Array::of2(&HUNT.into(), &fragment.into()).into());
}

/// Stop the search: its worker ends, and no report comes.
pub fn cancel_hunt() {
    end(Lane::Search);
    WAITERS.with(|w| w.borrow_mut().hunt = None);
}

/// End a lane's worker; the next request starts a fresh one.
fn end(lane: Lane) {
    let slot = SLOTS.with(|s| std::mem::replace(&mut s.borrow_mut()[lane as usize], Slot::Idle));
    if let Slot::Up(c) = slot {
        c.worker.terminate();
    }
}

/// Check the running history in the run worker: it gets the run (a share
/// fragment up to the furthest moment reached), replays it and checks its
/// history; the verdict comes back through `done`.
pub fn check_live(fragment: String, done: Callback<Judged>) {
    WAITERS.with(|w| w.borrow_mut().live = Some(done));
    post(Lane::Run, js_sys::Array::of2(&LIVE.into(), &fragment.into()).into());
}

/// Have the run worker do a job off the main thread (it replays the run),
/// and give `done` its text (empty if it could not be done); see
/// [`crate::import::run_job`] for the kinds.
pub fn job(kind: &str, arg: String, done: Callback<String>) {
    let id = WAITERS.with(|w| {
        let mut w = w.borrow_mut();
        w.job_id += 1;
        let id = w.job_id;
        w.jobs.push((id, done));
        id
    });
    post(Lane::Run, js_sys::Array::of2(&JOB.into(), &format!("{id}|{kind}|{arg}").into()).into());
}

/// Send a message to a lane's worker, starting it on first use.
fn post(lane: Lane, msg: JsValue) {
    let failed = SLOTS.with(|s| {
        let slot = &mut s.borrow_mut()[lane as usize];
        if matches!(slot, Slot::Idle) {
            *slot = match spawn(lane) {
                Ok(worker) => Slot::Up(Checker { worker, ready: false, waiting: Vec::new() }),
                Err(why) => Slot::Failed(why),
            };
        }
        match slot {
            Slot::Up(c) if c.ready => {
                let _ = c.worker.post_message(&msg);
                None
            }
            Slot::Up(c) => {
                c.waiting.push(msg);
                None
            }
            Slot::Failed(why) => Some(why.clone()),
            Slot::Idle => None,
        }
    });
    if let Some(why) = failed {
        answer_failed(lane, &why);
    }
}

/// A lane's worker cannot start: say so to everyone waiting on it.
fn fail(lane: Lane, why: String) {
    SLOTS.with(|s| {
        let slot = &mut s.borrow_mut()[lane as usize];
        if let Slot::Up(c) = slot {
            c.worker.terminate();
        }
        *slot = Slot::Failed(why.clone());
    });
    answer_failed(lane, &why);
}

fn answer_failed(lane: Lane, why: &str) {
    let why = why.to_string();
    if lane == Lane::Search {
        if let Some((done, _)) = WAITERS.with(|w| w.borrow_mut().hunt.take()) {
            done.emit(crate::hunt::Report::NoWorker(why));
        }
        return;
    }
    if lane == Lane::Import {
        if let Some((name, done, _)) = WAITERS.with(|w| w.borrow_mut().import.take()) {
            done.emit(Judged::NoWorker { name, why });
        }
        return;
    }
    let (live, jobs) = WAITERS.with(|w| {
        let mut w = w.borrow_mut();
        (w.live.take(), std::mem::take(&mut w.jobs))
    });
    if let Some(done) = live {
        done.emit(Judged::NoWorker { name: String::new(), why });
    }
    for (_, done) in jobs {
        done.emit(String::new());
    }
}

fn spawn(lane: Lane) -> Result<Worker, String> {
    let opts = web_sys::WorkerOptions::new();
    opts.set_type(web_sys::WorkerType::Module);
    let worker = Worker::new_with_options(WORKER_URL, &opts).map_err(|e| describe_js(&e))?;
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        if let Some(text) = e.data().as_string() {
            receive(lane, &text);
        }
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The script did not load or threw before it listened.
    let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
        e.prevent_default();
        fail(lane, describe_js(&e));
    });
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    // They live as long as the page (an ended import worker leaks two small
    // closures; a student cancels by hand, a few times at most).
    on_message.forget();
    on_error.forget();
    // The module this page runs, already compiled: the worker instantiates it.
    worker.post_message(&wasm_bindgen::module()).map_err(|e| describe_js(&e))?;
    Ok(worker)
}

/// A readable line for a JS error or error event.
fn describe_js(e: &JsValue) -> String {
    js_sys::Reflect::get(e, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| "worker.js did not start".to_string())
}

/// A message from a lane's worker.
fn receive(lane: Lane, text: &str) {
    if text == READY {
        SLOTS.with(|s| {
            if let Slot::Up(c) = &mut s.borrow_mut()[lane as usize] {
                c.ready = true;
                for msg in std::mem::take(&mut c.waiting) {
                    let _ = c.worker.post_message(&msg);
                }
            }
        });
    } else if let Some(why) = text.strip_prefix(FAILED) {
        fail(lane, why.to_string());
    } else if lane == Lane::Search {
        hunt_heard(text);
    } else if let Some(p) = text.strip_prefix("P|").and_then(decode_progress) {
        let progress = WAITERS.with(|w| w.borrow().import.as_ref().map(|i| i.2.clone()));
        if let Some(cb) = progress {
            cb.emit(p);
        }
    } else if let Some((id, out)) = text.strip_prefix('@').and_then(|t| t.split_once('|')) {
        let id: u32 = id.parse().unwrap_or(0);
        let done = WAITERS.with(|w| {
            let mut w = w.borrow_mut();
            let i = w.jobs.iter().position(|(x, _)| *x == id)?;
            Some(w.jobs.remove(i).1)
        });
        if let Some(done) = done {
            done.emit(out.to_string());
        }
    } else if let Some(j) = crate::import::decode(text) {
        let done = WAITERS.with(|w| {
            let mut w = w.borrow_mut();
            match lane {
                Lane::Import => w.import.take().map(|i| i.1),
                Lane::Run => w.live.take(),
                Lane::Search => None,
            }
        });
        if let Some(done) = done {
            done.emit(j);
        }
    }
}

/// A search's progress or report.
fn hunt_heard(text: &str) {
    let Some((done, progress)) = WAITERS.with(|w| w.borrow().hunt.clone()) else { return };
    if let Some(p) = crate::hunt::decode_running(text) {
        progress.emit(p);
    } else if let Some(r) = crate::hunt::decode_report(text) {
        WAITERS.with(|w| w.borrow_mut().hunt = None);
        done.emit(r);
    }
}

/// `KEYS_DONE|KEYS|STATES`.
fn decode_progress(s: &str) -> Option<Progress> {
    let mut p = s.split('|').map(str::parse::<u64>);
    let (done, keys, states) = (p.next()?.ok()?, p.next()?.ok()?, p.next()?.ok()?);
    Some(Progress {
        keys: usize::try_from(keys).ok()?,
        keys_done: usize::try_from(done).ok()?,
        states,
        steps: 0,
    })
}

/// The worker's side: judge each `[name, text]` message, answer with
/// [`crate::import::encode`]; a run's jobs and live checks, and the bench's
/// workload, travel under their own names.
pub fn serve() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        let started = reply.performance().map(|p| p.now());
        let data = e.data();
        let field = |i: u32| {
            js_sys::Reflect::get(&data, &i.into())
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_default()
        };
        let name = field(0);
        // A file comes as its bytes (text that is not UTF-8 is read as the
        // browser reads it, with U+FFFD for what cannot be decoded).
        let text = match js_sys::Reflect::get(&data, &1.into()) {
            Ok(v) if v.is_instance_of::<js_sys::ArrayBuffer>() => {
                let bytes = js_sys::Uint8Array::new(&v).to_vec();
                String::from_utf8(bytes)
                    .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
            }
            _ => field(1),
        };
        let answer = match name.as_str() {
            BENCH_PAXOS => {
                // The benchmark's shared Paxos workload, timed by the caller.
                let events = text.parse::<u64>().unwrap_or(100_000).clamp(1, 100_000_000);
                format!("B|{}", qcore::bench::run_paxos(events).0)
            }
            JOB => crate::import::run_job(&text),
            LIVE => crate::import::encode(&crate::import::judge_run(&text)),
            HUNT => crate::hunt::serve(&text, &mut |p| {
                let _ = reply.post_message(&p.into());
            }),
            BENCH_CHECK => {
                let verdict = crate::import::encode(&crate::import::judge("bench", &text));
                let now = || reply.performance().map(|p| p.now());
                let first = started.zip(now()).map_or(0.0, |(a, b)| b - a);
                let warm = if first < WARM_MS { warm_check(&text, &now) } else { first };
                format!("T|{}|{}|{verdict}", micros(first), micros(warm))
            }
            _ => crate::import::encode(&judge_reporting(&reply, &name, &text)),
        };
        let _ = reply.post_message(&answer.into());
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let _ = scope.post_message(&READY.into());
}

/// How long the bench judges a small file again, in milliseconds: a
/// worker's clock ticks in 0.1 ms steps, coarser than a small file's check.
/// A file whose first check took longer is timed by that check alone.
const WARM_MS: f64 = 40.0;

/// A warm check's time in milliseconds: the file judged again and again
/// for at least [`WARM_MS`], divided by the runs.
fn warm_check(text: &str, now: &dyn Fn() -> Option<f64>) -> f64 {
    let Some(t0) = now() else { return 0.0 };
    let mut runs = 0u32;
    loop {
        std::hint::black_box(crate::import::judge("bench", text));
        runs += 1;
        let elapsed = now().map_or(WARM_MS, |t| t - t0);
        if elapsed >= WARM_MS || runs >= 10_000 {
            return elapsed / f64::from(runs);
        }
    }
}

fn micros(ms: f64) -> u64 {
    (ms * 1000.0).round() as u64
}

/// Judge a file, posting progress to the page every so often.
fn judge_reporting(reply: &DedicatedWorkerGlobalScope, name: &str, text: &str) -> Judged {
    let mut last = js_sys::Date::now();
    let mut pages = 0;
    crate::import::judge_with(name, text, &mut |p: Progress| {
        crate::grow_ahead(&mut pages);
        let now = js_sys::Date::now();
        if now - last >= PROGRESS_EVERY_MS {
            last = now;
            let msg = format!("P|{}|{}|{}", p.keys_done, p.keys, p.states);
            let _ = reply.post_message(&msg.into());
        }
    })
}
