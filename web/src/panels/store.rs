//! The panels of lectures 01 and 02 on the eventually consistent store: its
//! switches, the CAP mode, the SLA calculator, the window lesson's factors,
//! the flash sale, ZooKeeper beside Eureka, and the store's checks.

use std::rc::Rc;

use qcore::eventual::{Delivery, Session};
use qcore::{ProtocolConfig, Scenario};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::{checked, rendered, select_value, use_app};
use crate::driver::{Checks, Proto, Summary};
use crate::i18n::Lang;

#[derive(Properties, PartialEq)]
pub struct StoreProps {
    pub lesson: AttrValue,
    pub replicas: u32,
    pub delivery: Delivery,
    pub session: Session,
    pub anti_entropy: bool,
    pub replicate: bool,
}

/// The store's switches (delivery, sessions, replication, anti-entropy).
#[function_component(StorePanel)]
pub fn store_panel(p: &StoreProps) -> Html {
    rendered("store");
    let app = use_app();
    let cb = callbacks(&app.rescript(&p.lesson));
    view(&cb, app.lang, p.replicas, p.delivery, p.session, p.anti_entropy, p.replicate)
}

/// Whether lesson `id` has a panel of its own (below).
#[must_use]
pub fn has_lesson_panel(id: &str) -> bool {
    id.starts_with("cap-") || id == "ec-base" || id == "ec-window"
}

#[derive(Properties, PartialEq)]
pub struct LessonPanelProps {
    pub lesson: AttrValue,
    /// These panels plot live figures of the run: they follow every summary.
    pub summary: Rc<Summary>,
}

/// The panel of a lesson of lectures 01 and 02 that has one.
#[function_component(StoreLessonPanel)]
pub fn store_lesson_panel(p: &LessonPanelProps) -> Html {
    rendered("store-lesson");
    let app = use_app();
    let cb = callbacks(&app.rescript(&p.lesson));
    lesson_panel(&cb, app.lang, &p.summary, &p.lesson).unwrap_or_default()
}

/// The callbacks the panels use: each rebuilds the lesson with a change.
#[derive(Clone)]
pub struct Callbacks {
    delivery: Callback<Event>,
    session: Callback<Event>,
    gossip: Callback<Event>,
    replicate: Callback<Event>,
    cap: Callback<Event>,
    queue: Callback<Event>,
    /// The window lesson's factors: latency, clients, replicas.
    factors: Callback<(u32, u32, u32)>,
}

fn store(s: &mut Scenario) -> Option<&mut qcore::eventual::EventualConfig> {
    match &mut s.protocol {
        ProtocolConfig::Eventual(c) => Some(c),
        _ => None,
    }
}

pub fn callbacks<R>(rescript: &R) -> Callbacks
where
    R: Fn(&dyn Fn(&mut Scenario)) + Clone + 'static,
{
    let r = rescript.clone();
    let delivery = Callback::from(move |e: Event| {
        let d = if select_value(&e) == "causal" { Delivery::Causal } else { Delivery::Eventual };
        r(&move |s: &mut Scenario| {
            if let Some(c) = store(s) {
                c.delivery = d;
            }
        });
    });
    let r = rescript.clone();
    let session = Callback::from(move |e: Event| {
        let m = match select_value(&e).as_str() {
            "sticky" => Session::Sticky,
            "token" => Session::Token,
            _ => Session::None,
        };
        r(&move |s: &mut Scenario| {
            if let Some(c) = store(s) {
                c.session = m;
            }
        });
    });
    let r = rescript.clone();
    let gossip = Callback::from(move |e: Event| {
        let on = checked(&e);
        r(&move |s: &mut Scenario| {
            if let Some(c) = store(s) {
                c.anti_entropy_ticks = if on { 400 } else { 0 };
            }
        });
    });
    let r = rescript.clone();
    let replicate = Callback::from(move |e: Event| {
        let on = checked(&e);
        r(&move |s: &mut Scenario| {
            if let Some(c) = store(s) {
                c.replicate = on;
            }
        });
    });
    let r = rescript.clone();
    let cap = Callback::from(move |e: Event| {
        let cp = select_value(&e) == "cp";
        r(&move |s: &mut Scenario| qcore::lessons::consistency::set_cap_mode(s, cp));
    });
    let r = rescript.clone();
    let factors = Callback::from(move |(l, c, n): (u32, u32, u32)| {
        r(&move |s: &mut Scenario| qcore::lessons::consistency::set_window_factors(s, l, c, n));
    });
    let r = rescript.clone();
    let queue = Callback::from(move |e: Event| {
        let limit = select_value(&e).parse::<u32>().unwrap_or(0);
        r(&move |s: &mut Scenario| {
            if let Some(c) = store(s) {
                c.queue_limit = limit;
            }
        });
    });
    Callbacks { delivery, session, gossip, replicate, cap, queue, factors }
}

/// The store's switches.
pub fn view(
    cb: &Callbacks,
    lang: Lang,
    replicas: u32,
    delivery: Delivery,
    session: Session,
    anti_entropy: bool,
    replicate: bool,
) -> Html {
    let t = |k: &str| lang.t(k);
    html! {
        <div class="panel eventual">
            <h2>{ t("ev.title") }</h2>
            <p class="muted">{ lang.fmt("ev.header", &[("n", replicas.to_string())]) }</p>
            <label class="variant">{ t("ev.delivery") }
                <select id="ev-delivery" onchange={cb.delivery.clone()}>
                    <option value="eventual" selected={delivery == Delivery::Eventual}>{ t("ev.delivery.eventual") }</option>
                    <option value="causal" selected={delivery == Delivery::Causal}>{ t("ev.delivery.causal") }</option>
                </select>
            </label>
            <label class="variant">{ t("ev.session") }
                <select id="ev-session" onchange={cb.session.clone()}>
                    <option value="none" selected={session == Session::None}>{ t("ev.session.none") }</option>
                    <option value="sticky" selected={session == Session::Sticky}>{ t("ev.session.sticky") }</option>
                    <option value="token" selected={session == Session::Token}>{ t("ev.session.token") }</option>
                </select>
            </label>
            <label class="check">
                <input id="ev-replicate" type="checkbox" checked={replicate} onchange={cb.replicate.clone()} />
                { t("ev.replicate") }
            </label>
            <label class="check">
                <input id="ev-gossip" type="checkbox" checked={anti_entropy} onchange={cb.gossip.clone()} />
                { t("ev.gossip") }
            </label>
        </div>
    }
}

/// The panel some lessons add: the CP / AP switch of the CAP lessons (with
/// the SLA calculator) and the window lesson's factors.
pub fn lesson_panel(cb: &Callbacks, lang: Lang, s: &Summary, lesson: &str) -> Option<Html> {
    if lesson == "cap-registry" {
        return Some(compare_view(lang, s));
    }
    if lesson.starts_with("cap-") {
        return Some(cap_view(cb, lang, s, lesson == "cap-sla"));
    }
    if lesson == "ec-base" {
        return Some(base_view(cb, lang, s));
    }
    (lesson == "ec-window").then(|| {
        html! {
            <div class="panel window">
                <h2>{ lang.t("window.title") }</h2>
                { window_lab(cb, lang, s) }
            </div>
        }
    })
}

/// The window lesson's three factors as sliders, and a chart of the window
/// against each, measured by running the lesson at several settings.
pub fn window_lab(cb: &Callbacks, lang: Lang, s: &Summary) -> Html {
    let replicas = match s.proto {
        Proto::Eventual { replicas, .. } => replicas,
        _ => 3,
    };
    html! {
        <WindowLab lang={lang} factors={cb.factors.clone()}
            latency={s.latency_min} clients={s.clients} replicas={replicas} />
    }
}

#[derive(Properties, PartialEq)]
pub struct WindowLabProps {
    pub lang: Lang,
    pub factors: Callback<(u32, u32, u32)>,
    pub latency: u32,
    pub clients: u32,
    pub replicas: u32,
}

/// One factor's measurements: (setting, mean window, mean spread).
type Series = Vec<(u32, u64, u64)>;

/// Ticks each measuring run covers.
const MEASURE_TICKS: u64 = 20_000;

fn measure(latency: u32, clients: u32, replicas: u32) -> [Series; 3] {
    let run = |l: u32, c: u32, r: u32| {
        qcore::lessons::consistency::measure_window(l, c, r, MEASURE_TICKS).unwrap_or((0, 0))
    };
    let by = |values: &[u32], f: &dyn Fn(u32) -> (u64, u64)| -> Series {
        values
            .iter()
            .map(|&v| {
                let (w, s) = f(v);
                (v, w, s)
            })
            .collect()
    };
    [
        by(&[20, 60, 120, 200, 300], &|l| run(l, clients, replicas)),
        by(&[1, 2, 4, 6, 8], &|c| run(latency, c, replicas)),
        by(&[2, 3, 4, 5, 7], &|r| run(latency, clients, r)),
    ]
}

#[function_component(WindowLab)]
pub fn window_lab_view(props: &WindowLabProps) -> Html {
    let results = use_state(|| None::<[Series; 3]>);
    let lang = props.lang;
    let slider = |id: &'static str, key: &str, min: u32, max: u32, value: u32, which: usize| {
        let (factors, l, c, r) =
            (props.factors.clone(), props.latency, props.clients, props.replicas);
        let on = Callback::from(move |e: Event| {
            let Some(v) =
                e.target_dyn_into::<HtmlInputElement>().and_then(|i| i.value().parse::<u32>().ok())
            else {
                return;
            };
            let mut f = [l, c, r];
            f[which] = v;
            factors.emit((f[0], f[1], f[2]));
        });
        html! {
            <label class="factor">{ format!("{} {value}", lang.t(key)) }
                <input id={id} type="range" min={min.to_string()} max={max.to_string()}
                    value={value.to_string()} onchange={on} />
            </label>
        }
    };
    let on_measure = {
        let (results, l, c, r) = (results.clone(), props.latency, props.clients, props.replicas);
        Callback::from(move |_: MouseEvent| results.set(Some(measure(l, c, r))))
    };
    let charts = results.as_ref().map(|rs| {
        let names = ["window.latency", "window.load", "window.replicas"];
        html! {
            <div id="window-charts" class="charts">
                { for rs.iter().zip(names).map(|(series, name)| chart(lang.t(name), series)) }
                <p class="muted">{ lang.t("window.legend") }</p>
            </div>
        }
    });
    html! {
        <div class="window-lab">
            { slider("factor-latency", "window.latency", 10, 300, props.latency, 0) }
            { slider("factor-load", "window.load", 1, 8, props.clients, 1) }
            { slider("factor-replicas", "window.replicas", 2, 7, props.replicas, 2) }
            <button id="window-measure" onclick={on_measure}>{ lang.t("window.measure") }</button>
            { for charts }
        </div>
    }
}

/// A small line chart: the mean window (solid) and the mean spread (dashed)
/// against one factor's settings.
fn chart(title: &str, series: &Series) -> Html {
    // Whole pixels, integer arithmetic: float formatting would weigh.
    const W: u64 = 220;
    const H: u64 = 70;
    let top = series.iter().map(|&(_, w, s)| w.max(s)).max().unwrap_or(1).max(1);
    let n = series.len().max(2) as u64 - 1;
    let x_of = |i: usize| 24 + (W - 30) * i as u64 / n;
    let points = |pick: &dyn Fn(&(u32, u64, u64)) -> u64| -> String {
        series
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let y = H - 14 - (H - 22) * pick(p).min(top) / top;
                format!("{},{y}", x_of(i))
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    html! {
        <figure class="chart">
            <figcaption>{ format!("{title} → {}", series.iter().map(|p| p.1.to_string()).collect::<Vec<_>>().join(" / ")) }</figcaption>
            <svg viewBox={format!("0 0 {W} {H}")} width={W.to_string()} height={H.to_string()} role="img" aria-label={title.to_string()}>
                <line x1="24" y1={(H - 14).to_string()} x2={W.to_string()} y2={(H - 14).to_string()} stroke="#9aa3ad" />
                <text x="2" y="12" font-size="10" fill="#5b6470">{ top.to_string() }</text>
                <polyline points={points(&|p| p.1)} fill="none" stroke="#d97706" stroke-width="2" />
                <polyline points={points(&|p| p.2)} fill="none" stroke="#2563eb" stroke-width="1.5" stroke-dasharray="4 3" />
                { for series.iter().enumerate().map(|(i, p)| {
                    html! { <text x={x_of(i).to_string()} y={(H - 2).to_string()} font-size="10" text-anchor="middle" fill="#5b6470">{ p.0.to_string() }</text> }
                }) }
            </svg>
        </figure>
    }
}

/// ZooKeeper and Eureka measured side by side: availability, stale reads
/// and the linearizability checker's verdict, with what each promises.
fn compare_view(lang: Lang, s: &Summary) -> Html {
    use crate::driver::Linear;
    let Some(pair) = &s.compare else { return Html::default() };
    let (zk, eu) = &**pair;
    let row = |name: &str, f: &crate::twin::Figures| {
        let (ok, all) = f.answered;
        let pct = (ok * 100).checked_div(all).unwrap_or(100);
        let verdict = match f.linear {
            Linear::Yes(_) => lang.t("compare.linear_yes"),
            Linear::No(_) => lang.t("compare.linear_no"),
            Linear::Unknown | Linear::Deferred => lang.t("compare.linear_unknown"),
        };
        html! {
            <tr>
                <th scope="row">{ name.to_string() }</th>
                <td>{ format!("{ok}/{all} ({pct}%)") }</td>
                <td>{ f.stale.to_string() }</td>
                <td>{ verdict }</td>
            </tr>
        }
    };
    html! {
        <div class="panel compare">
            <h2>{ lang.t("compare.title") }</h2>
            <table id="compare-table">
                <thead><tr>
                    <th></th>
                    <th scope="col">{ lang.t("compare.available") }</th>
                    <th scope="col">{ lang.t("compare.stale") }</th>
                    <th scope="col">{ lang.t("compare.linear") }</th>
                </tr></thead>
                <tbody>
                    { row("ZooKeeper", zk) }
                    { row("Eureka", eu) }
                </tbody>
            </table>
            <p class="muted">{ lang.t("compare.note") }</p>
        </div>
    }
}

/// The flash sale: the queue's limit, what happened to the requests, and
/// each request's wait plotted against when it was sent.
fn base_view(cb: &Callbacks, lang: Lang, s: &Summary) -> Html {
    use qcore::client::Outcome;
    let limit = match &s.proto {
        Proto::Eventual { queue_limit, .. } => *queue_limit,
        _ => 0,
    };
    let ended: Vec<(u64, u64, &Outcome)> = s
        .checks
        .history
        .iter()
        .filter_map(|o| o.ret.as_ref().map(|(t, r)| (o.invoke, t - o.invoke, r)))
        .collect();
    let count = |f: &dyn Fn(&Outcome) -> bool| ended.iter().filter(|e| f(e.2)).count();
    let ok = count(&|o| matches!(o, Outcome::Ok { .. }));
    let refused = count(&|o| matches!(o, Outcome::Fail(qcore::FailReason::Overloaded)));
    let late = count(&|o| matches!(o, Outcome::Timeout));
    let waits: Vec<u64> =
        ended.iter().filter(|e| matches!(e.2, Outcome::Ok { .. })).map(|e| e.1).collect();
    let mean = if waits.is_empty() { 0 } else { waits.iter().sum::<u64>() / waits.len() as u64 };
    let args = [
        ("ok", ok.to_string()),
        ("refused", refused.to_string()),
        ("late", late.to_string()),
        ("mean", mean.to_string()),
        ("max", waits.iter().max().copied().unwrap_or(0).to_string()),
    ];
    // Wait against send time: blue answered, grey refused, red timed out.
    const W: u64 = 240;
    const H: u64 = 90;
    let t_end = ended.iter().map(|e| e.0 + e.1).max().unwrap_or(1).max(1);
    let w_top = ended.iter().map(|e| e.1).max().unwrap_or(1).max(1);
    let dots = ended.iter().map(|&(at, wait, o)| {
        let colour = match o {
            Outcome::Ok { .. } => "#2563eb",
            Outcome::Fail(_) => "#9aa3ad",
            Outcome::Timeout => "#c0392b",
        };
        let x = 6 + (W - 12) * at.min(t_end) / t_end;
        let y = H - 6 - (H - 12) * wait.min(w_top) / w_top;
        html! { <circle cx={x.to_string()} cy={y.to_string()} r="2.5" fill={colour} /> }
    });
    html! {
        <div class="panel base">
            <h2>{ lang.t("base.title") }</h2>
            <label class="variant">{ lang.t("base.queue") }
                <select id="base-queue" onchange={cb.queue.clone()}>
                    <option value="0" selected={limit == 0}>{ lang.t("base.unbounded") }</option>
                    <option value="3" selected={limit == 3}>{ lang.t("base.bounded") }</option>
                </select>
            </label>
            <p id="base-counts">{ lang.fmt("base.counts", &args) }</p>
            <figure class="chart">
                <figcaption>{ lang.t("base.chart") }</figcaption>
                <svg id="base-chart" viewBox={format!("0 0 {W} {H}")} width={W.to_string()} height={H.to_string()} role="img" aria-label={lang.t("base.chart")}>
                    <line x1="6" y1={(H - 6).to_string()} x2={W.to_string()} y2={(H - 6).to_string()} stroke="#9aa3ad" />
                    { for dots }
                </svg>
            </figure>
        </div>
    }
}

/// The CP / AP switch of the CAP lessons, and the SLA calculator.
pub fn cap_view(cb: &Callbacks, lang: Lang, s: &Summary, sla: bool) -> Html {
    let cp = matches!(s.proto, Proto::Quorum { .. });
    html! {
        <div class="panel cap">
            <h2>{ lang.t("cap.title") }</h2>
            <label class="variant">{ lang.t("cap.mode") }
                <select id="cap-mode" onchange={cb.cap.clone()}>
                    <option value="ap" selected={!cp}>{ lang.t("cap.ap") }</option>
                    <option value="cp" selected={cp}>{ lang.t("cap.cp") }</option>
                </select>
            </label>
            <p class="muted">{ lang.t(if cp { "cap.cp_note" } else { "cap.ap_note" }) }</p>
            if sla { <SlaCalc lang={lang} /> }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct SlaProps {
    pub lang: Lang,
}

/// Availability → nines and downtime in a 30-day month (lecture 01).
#[function_component(SlaCalc)]
pub fn sla_calc(props: &SlaProps) -> Html {
    let text = use_state(|| "99.95".to_string());
    let on_input = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
                text.set(i.value());
            }
        })
    };
    let lang = props.lang;
    let out = match qcore::sla::parse_percent(&text) {
        Some(ppm) => lang.fmt(
            "sla.result",
            &[("n", qcore::sla::nines(ppm).to_string()), ("m", qcore::sla::downtime_text(ppm))],
        ),
        None => lang.t("sla.bad").to_string(),
    };
    html! {
        <div class="sla">
            <label>{ lang.t("sla.input") }
                <input id="sla-input" value={(*text).clone()} oninput={on_input} />
            </label>
            <p id="sla-result">{ out }</p>
        </div>
    }
}

/// Availability, causal consistency and the inconsistency windows.
pub fn checks(
    lang: Lang,
    checks: &Checks,
    eventual: bool,
    window: Option<(u64, u64, usize, u64)>,
) -> Html {
    let (ok, ended) = checks.answered;
    let avail = (ended > 0).then(|| {
        // Two decimals are enough for a measured figure.
        let ppm = u32::try_from(ok * 1_000_000 / ended).unwrap_or(0) / 100 * 100;
        let args = [
            ("ok", ok.to_string()),
            ("all", ended.to_string()),
            ("p", qcore::sla::percent_text(ppm)),
            ("n", qcore::sla::nines(ppm).to_string()),
            ("m", qcore::sla::downtime_text(ppm)),
        ];
        let cls = if ok == ended { "ok" } else { "bad" };
        html! { <li id="check-avail" class={cls}>{ lang.fmt("check.avail", &args) }</li> }
    });
    if !eventual {
        return html! { <>{ for avail }</> };
    }
    let name = |id: u64| {
        checks
            .history
            .iter()
            .find(|o| o.id == id)
            .map(|o| format!("#{id} c{} {}", o.client, o.op))
            .unwrap_or_default()
    };
    let causal = if checks.causal.is_empty() {
        html! { <li id="check-causal" class="ok">{ lang.t("check.causal_ok") }</li> }
    } else {
        checks
            .causal
            .iter()
            .map(|(read, missed)| {
                let args = [("read", name(*read)), ("missed", name(*missed))];
                html! { <li id="check-causal" class="bad">{ lang.fmt("check.causal_bad", &args) }</li> }
            })
            .collect()
    };
    let window = window.map(|(mean, max, open, spread)| {
        let args = [
            ("mean", mean.to_string()),
            ("max", max.to_string()),
            ("open", open.to_string()),
            ("spread", spread.to_string()),
        ];
        html! { <li id="check-window" class="muted">{ lang.fmt("check.window", &args) }</li> }
    });
    html! { <>{ for avail }{ causal }{ for window }</> }
}
