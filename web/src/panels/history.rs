//! The client history: lanes per client on a canvas (click a bar to go to
//! its moment) and the list of the latest operations with their outcomes.

use std::rc::Rc;

use qcore::client::Outcome;
use qscene::{BarKind, HistoryOp};
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use super::{rendered, use_app};
use crate::driver::{Checks, Linear, OpLine};

#[derive(Properties, PartialEq)]
pub struct LanesProps {
    pub checks: Rc<Checks>,
    pub clients: u32,
    pub tick: u64,
    /// The store's inconsistency windows, drawn as a lane of bands.
    pub windows: Rc<Vec<(u64, Option<u64>)>>,
}

/// The history's lanes, repainted when the history or the moment changes.
#[function_component(HistoryLanes)]
pub fn history_lanes(p: &LanesProps) -> Html {
    rendered("history-lanes");
    let app = use_app();
    let canvas = use_node_ref();
    {
        let canvas = canvas.clone();
        let deps = (p.checks.clone(), p.clients, p.tick, p.windows.clone(), app.lang);
        use_effect_with(deps, move |(checks, clients, tick, windows, lang)| {
            if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                let width = f64::from(c.client_width());
                let scene = layout(checks, *clients, *tick, windows, width);
                crate::draw::paint_history(&c, &scene, *lang);
            }
        });
    }
    let on_click = {
        let (app, canvas) = (app.clone(), canvas.clone());
        let (checks, clients, tick, windows) =
            (p.checks.clone(), p.clients, p.tick, p.windows.clone());
        Callback::from(move |e: MouseEvent| {
            let Some(c) = canvas.cast::<HtmlCanvasElement>() else { return };
            let scene = layout(&checks, clients, tick, &windows, f64::from(c.client_width()));
            let (x, y) = (f64::from(e.offset_x()), f64::from(e.offset_y()));
            if let Some(bar) = qscene::hit_bar(&scene, x, y) {
                // Jump the canvas to the moment the operation was invoked.
                let at = bar.invoke;
                app.with(|me| me.seek(at));
            }
        })
    };
    html! { <canvas id="history-canvas" class="history-canvas" ref={canvas} onclick={on_click}></canvas> }
}

/// Lay out the run's client history for the lanes.
fn layout(
    c: &Checks,
    clients: u32,
    tick: u64,
    windows: &[(u64, Option<u64>)],
    width: f64,
) -> qscene::HistoryScene {
    let points = match &c.linear {
        Linear::Yes(p) => p.clone(),
        _ => std::collections::BTreeMap::new(),
    };
    let ops: Vec<HistoryOp> = c
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
            flagged: o.flagged,
            point: points.get(&o.id).copied(),
        })
        .collect();
    qscene::layout_history(&ops, clients, tick, width, 22.0).with_windows(windows, tick)
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
    let flagged = if o.flagged { " flagged" } else { "" };
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
