//! The panels of lectures 01 and 02: the store's switches, the CAP mode, the
//! SLA calculator and the consistency checks (full build only).

use qcore::eventual::{Delivery, Session};
use qcore::{ProtocolConfig, Scenario};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::driver::{Proto, Summary};
use crate::i18n::Lang;

/// The callbacks the panels use: each rebuilds the lesson with a change.
#[derive(Clone)]
pub struct Callbacks {
    delivery: Callback<Event>,
    session: Callback<Event>,
    gossip: Callback<Event>,
    replicate: Callback<Event>,
    cap: Callback<Event>,
}

fn select_value(e: &Event) -> String {
    e.target_dyn_into::<web_sys::HtmlSelectElement>().map(|s| s.value()).unwrap_or_default()
}

fn checked(e: &Event) -> bool {
    e.target_dyn_into::<HtmlInputElement>().is_some_and(|i| i.checked())
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
    Callbacks { delivery, session, gossip, replicate, cap }
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
pub fn checks(lang: Lang, s: &Summary) -> Html {
    let eventual = matches!(s.proto, Proto::Eventual { .. });
    let (ok, ended) = s.answered;
    let avail = (ended > 0).then(|| {
        let ppm = u32::try_from(ok * 1_000_000 / ended).unwrap_or(0);
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
        s.history
            .iter()
            .find(|o| o.id == id)
            .map(|o| format!("#{id} c{} {}", o.client, o.op))
            .unwrap_or_default()
    };
    let causal = if s.causal.is_empty() {
        html! { <li id="check-causal" class="ok">{ lang.t("check.causal_ok") }</li> }
    } else {
        s.causal
            .iter()
            .map(|(read, missed)| {
                let args = [("read", name(*read)), ("missed", name(*missed))];
                html! { <li id="check-causal" class="bad">{ lang.fmt("check.causal_bad", &args) }</li> }
            })
            .collect()
    };
    let window = s.window.map(|(mean, max, open, spread)| {
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
