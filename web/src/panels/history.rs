//! The client history: lanes per client on a canvas (click a bar or a fault
//! to go to its moment), the run's faults across them (each kind
//! switchable), and the list of the latest operations with their outcomes.

use std::rc::Rc;

use qcore::client::Outcome;
use qscene::{BarKind, Fault, FaultKind, HistoryOp};
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use super::{rendered, use_app};
use crate::driver::{Checks, Linear, OpLine};
use crate::i18n::Lang;

#[derive(Properties, PartialEq)]
pub struct LanesProps {
    pub checks: Rc<Checks>,
    pub clients: u32,
    pub tick: u64,
    /// The store's inconsistency windows, drawn as a lane of bands.
    pub windows: Rc<Vec<(u64, Option<u64>)>>,
    /// The operation a background check found in no legal order.
    pub offender: Option<u64>,
    /// The operations a counterexample's broken rule involves.
    pub found: Rc<Vec<u64>>,
    /// The run's faults, drawn across the lanes, and the nodes' names.
    pub faults: Rc<Vec<Fault>>,
    pub node_names: Rc<Vec<String>>,
}

/// What the lanes are drawn from.
#[derive(Clone, PartialEq)]
struct Inputs {
    checks: Rc<Checks>,
    clients: u32,
    tick: u64,
    windows: Rc<Vec<(u64, Option<u64>)>>,
    offender: Option<u64>,
    found: Rc<Vec<u64>>,
    faults: Rc<Vec<Fault>>,
    names: Rc<Vec<String>>,
    /// The kinds of fault the reader chose to see.
    shown: Vec<FaultKind>,
}

/// The history's lanes, repainted when the history or the moment changes,
/// with a switch per kind of fault the run has had.
#[function_component(HistoryLanes)]
pub fn history_lanes(p: &LanesProps) -> Html {
    rendered("history-lanes");
    let app = use_app();
    let canvas = use_node_ref();
    let shown = use_state(|| FaultKind::ALL.to_vec());
    let inputs = Inputs {
        checks: p.checks.clone(),
        clients: p.clients,
        tick: p.tick,
        windows: p.windows.clone(),
        offender: p.offender,
        found: p.found.clone(),
        faults: p.faults.clone(),
        names: p.node_names.clone(),
        shown: (*shown).clone(),
    };
    {
        let canvas = canvas.clone();
        use_effect_with((inputs.clone(), app.lang), move |(inputs, lang)| {
            if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                let scene = layout(inputs, f64::from(c.client_width()));
                crate::draw::paint_history(&c, &scene, *lang);
            }
        });
    }
    let on_click = {
        let (app, canvas) = (app.clone(), canvas.clone());
        Callback::from(move |e: MouseEvent| {
            let Some(c) = canvas.cast::<HtmlCanvasElement>() else { return };
            let scene = layout(&inputs, f64::from(c.client_width()));
            let (x, y) = (f64::from(e.offset_x()), f64::from(e.offset_y()));
            // Jump the canvas to the moment the operation was invoked, or
            // to the fault's.
            let at = qscene::hit_bar(&scene, x, y)
                .map(|bar| bar.invoke)
                .or_else(|| qscene::hit_fault(&scene, x).map(|f| f.tick));
            if let Some(at) = at {
                app.with(|me| me.seek(at));
            }
        })
    };
    html! {
        <>
            <canvas id="history-canvas" class="history-canvas" ref={canvas} onclick={on_click}
                data-offender={p.offender.map(|o| o.to_string())}
                data-found={found_ids(&p.found)}></canvas>
            { fault_switches(&p.faults, &shown, app.lang) }
        </>
    }
}

/// The marked operations' ids, for tests to read (none: no attribute).
fn found_ids(found: &[u64]) -> Option<String> {
    let ids: Vec<String> = found.iter().map(u64::to_string).collect();
    (!ids.is_empty()).then(|| ids.join(" "))
}

/// A switch for each kind of fault the run has had.
fn fault_switches(faults: &[Fault], shown: &UseStateHandle<Vec<FaultKind>>, lang: Lang) -> Html {
    let kinds: Vec<FaultKind> =
        FaultKind::ALL.into_iter().filter(|k| faults.iter().any(|f| f.kind == *k)).collect();
    if kinds.is_empty() {
        return html! {};
    }
    let switch = |kind: FaultKind| {
        let (id, key) = match kind {
            FaultKind::Crash => ("fault-crash", "fault.crash"),
            FaultKind::Restart => ("fault-restart", "fault.restart"),
            FaultKind::Partition => ("fault-partition", "fault.partition"),
            FaultKind::Heal => ("fault-heal", "fault.heal"),
            FaultKind::Leader => ("fault-leader", "fault.leader"),
        };
        let on = shown.contains(&kind);
        let toggle = {
            let shown = shown.clone();
            Callback::from(move |_: Event| {
                let mut v = (*shown).clone();
                if let Some(i) = v.iter().position(|k| *k == kind) {
                    v.remove(i);
                } else {
                    v.push(kind);
                }
                shown.set(v);
            })
        };
        html! {
            <label class={classes!("fault", id)}>
                <input type="checkbox" {id} checked={on} onchange={toggle} />{ lang.t(key) }
            </label>
        }
    };
    html! {
        <p class="fault-switches" id="fault-switches">
            <span class="muted">{ lang.t("history.faults") }</span>
            { for kinds.into_iter().map(switch) }
        </p>
    }
}

/// Lay out the run's client history for the lanes.
fn layout(i: &Inputs, width: f64) -> qscene::HistoryScene {
    let points = match &i.checks.linear {
        Linear::Yes(p) => p.clone(),
        _ => qcore::small::VecMap::new(),
    };
    // The checked-in-frame verdict's, or the worker's on a long history.
    let stuck = match i.checks.linear {
        Linear::No(op) => Some(op),
        _ => i.offender,
    };
    let ops: Vec<HistoryOp> = i
        .checks
        .history
        .iter()
        .map(|o| HistoryOp {
            id: o.id,
            client: o.client,
            invoke: o.invoke,
            ret: o.ret.map(|(t, _)| t),
            kind: match o.ret {
                None => BarKind::Pending,
                Some((_, Outcome::Ok { .. })) => BarKind::Ok,
                Some(_) => BarKind::Failed,
            },
            label: bar_label(o),
            flagged: o.flagged || stuck == Some(o.id) || i.found.contains(&o.id),
            stuck: stuck == Some(o.id),
            point: points.get(&o.id).copied(),
        })
        .collect();
    let name = |n: u32| i.names.get(n as usize).cloned().unwrap_or_else(|| format!("n{n}"));
    qscene::layout_history(&ops, i.clients, i.tick, width, 22.0)
        .with_windows(&i.windows, i.tick)
        .with_faults(&i.faults, &i.shown, i.tick, &name)
}

/// `w2`, `r2`, `r∅`, `r?`; keys other than X are named: `w comment=2`.
fn bar_label(o: &OpLine) -> String {
    let key = match o.op.key() {
        0 => String::new(),
        k => format!(" {}", qcore::types::key_name(k)),
    };
    match (o.op.written(), o.ret) {
        (Some(v), _) if key.is_empty() => format!("w{v}"),
        (Some(v), _) => format!("w{key}={v}"),
        (None, Some((_, Outcome::Ok { value: Some(v), .. }))) if key.is_empty() => format!("r{v}"),
        (None, Some((_, Outcome::Ok { value: Some(v), .. }))) => format!("r{key}={v}"),
        (None, Some((_, Outcome::Ok { value: None, .. }))) => format!("r{key}∅"),
        (None, _) => format!("r{key}?"),
    }
}

#[derive(Properties, PartialEq)]
pub struct ListProps {
    pub checks: Rc<Checks>,
    pub node_names: Rc<Vec<String>>,
    /// Zab names versions as zxids, `epoch:counter`.
    pub zxids: bool,
    /// The operation a background check found in no legal order.
    pub offender: Option<u64>,
    /// The operations a counterexample's broken rule involves.
    pub found: Rc<Vec<u64>>,
}

/// The latest operations, newest first, with how each ended.
#[function_component(HistoryList)]
pub fn history_list(p: &ListProps) -> Html {
    rendered("history-list");
    let app = use_app();
    let t = |k: &str| app.t(k);
    let items: Html = if p.checks.history.is_empty() {
        html! { <p class="muted">{ t("history.empty") }</p> }
    } else {
        p.checks.history.iter().rev().take(14).map(|o| line(p, o, &t)).collect()
    };
    html! {
        <section class="panel history">
            <h2>{ t("history.title") }</h2>
            <ol id="history">{ items }</ol>
        </section>
    }
}

fn line(p: &ListProps, o: &OpLine, t: &dyn Fn(&str) -> &'static str) -> Html {
    let stamp = |s: qcore::Stamp| if p.zxids { qcore::zab::show(s.counter) } else { s.to_string() };
    let (cls, outcome) = match o.ret {
        None => ("pending", t("history.pending").to_string()),
        Some((at, Outcome::Ok { value, stamp: st })) => {
            let value = value.map_or("∅".to_string(), |v| v.to_string());
            ("ok", format!("{} {value} {} @{at}", t("history.ok"), stamp(st)))
        }
        Some((at, Outcome::Fail(qcore::FailReason::Overloaded))) => {
            ("fail", format!("{} @{at}", t("history.refused")))
        }
        Some((at, Outcome::Fail(_))) => ("fail", format!("{} @{at}", t("history.fail"))),
        Some((at, Outcome::Timeout)) => ("fail", format!("{} @{at}", t("history.timeout"))),
    };
    let flagged = if o.flagged || p.offender == Some(o.id) || p.found.contains(&o.id) {
        " flagged"
    } else {
        ""
    };
    let node = p.node_names.get(o.node as usize).cloned().unwrap_or_default();
    html! {
        <li key={o.id} class={format!("op {cls}{flagged}")}>
            <span class="who">{ format!("c{} → {node}", o.client) }</span>
            <span class="what">{ format!("#{} {}", o.id, o.op) }</span>
            <span class="when">{ format!("@{}", o.invoke) }</span>
            <span class="res">{ outcome }</span>
        </li>
    }
}
