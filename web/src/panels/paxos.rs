//! Lecture 03's basic Paxos: proposers, acceptors and learners, back-off, and the
//! deliberately broken variants.

use qcore::paxos::Variant;
use qcore::{ProtocolConfig, Scenario};
use yew::prelude::*;

use super::{fitting, number, rendered, select_value, use_app};
use crate::app::Problem;

#[derive(Properties, PartialEq)]
pub struct PaxosProps {
    pub lesson: AttrValue,
    pub proposers: u32,
    pub acceptors: u32,
    pub learners: u32,
    pub backoff: bool,
    pub variant: Variant,
}

#[function_component(PaxosPanel)]
pub fn paxos_panel(p: &PaxosProps) -> Html {
    rendered("paxos");
    let app = use_app();
    let t = |k: &str| app.t(k);
    let (rp, ra, rl) = (use_node_ref(), use_node_ref(), use_node_ref());
    let on_apply = {
        let (app, id) = (app.clone(), p.lesson.to_string());
        let (rp, ra, rl) = (rp.clone(), ra.clone(), rl.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (Some(pr), Some(a), Some(l)) = (number(&rp), number(&ra), number(&rl)) else {
                return app.problem(Some(Problem::NotNumber));
            };
            let set = move |s: &mut Scenario| {
                if let ProtocolConfig::Paxos(c) = &mut s.protocol {
                    (c.proposers, c.acceptors, c.learners) = (pr, a, l);
                }
            };
            app.load_lesson(&fitting(&id, set, "paxos-custom"), &set, false);
        })
    };
    let on_backoff = app.switch(&p.lesson, |s, on| {
        if let ProtocolConfig::Paxos(c) = &mut s.protocol {
            c.backoff = on;
        }
    });
    let on_variant = {
        let rescript = app.rescript(&p.lesson);
        Callback::from(move |e: Event| {
            let v = match select_value(&e).as_str() {
                "forget" => Variant::PromiseInMemory,
                "reuse" => Variant::ReuseNumbers,
                "lowest" => Variant::AdoptLowest,
                _ => Variant::Faithful,
            };
            rescript(&move |s: &mut Scenario| {
                if let ProtocolConfig::Paxos(c) = &mut s.protocol {
                    c.variant = v;
                }
            });
        })
    };
    let opt = |value: &'static str, v: Variant| {
        html! { <option value={value} selected={p.variant == v}>{ t(crate::i18n::variant_key(v)) }</option> }
    };
    html! {
        <form class="panel paxos" onsubmit={on_apply}>
            <h2>{ t("paxos.title") }</h2>
            <label>{ "P" }<input id="pax-p" ref={rp} type="number" value={p.proposers.to_string()} /></label>
            <label>{ "A" }<input id="pax-a" ref={ra} type="number" value={p.acceptors.to_string()} /></label>
            <label>{ "L" }<input id="pax-l" ref={rl} type="number" value={p.learners.to_string()} /></label>
            <button id="pax-apply" type="submit">{ t("nwr.apply") }</button>
            <label class="check">
                <input id="backoff" type="checkbox" checked={p.backoff} onchange={on_backoff} />
                { t("paxos.backoff") }
            </label>
            <label class="variant">{ t("paxos.variant") }
                <select id="variant" onchange={on_variant}
                    class={classes!((p.variant != Variant::Faithful).then_some("broken"))}>
                    { opt("faithful", Variant::Faithful) }
                    { opt("forget", Variant::PromiseInMemory) }
                    { opt("reuse", Variant::ReuseNumbers) }
                    { opt("lowest", Variant::AdoptLowest) }
                </select>
            </label>
        </form>
    }
}
