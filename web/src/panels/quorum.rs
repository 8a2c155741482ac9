//! Lecture 03's Quorum: N, W and R, and read write-back (ABD).

use qcore::{ProtocolConfig, Scenario};
use yew::prelude::*;

use super::{fitting, number, rendered, use_app};
use crate::app::Problem;

#[derive(Properties, PartialEq)]
pub struct QuorumProps {
    pub lesson: AttrValue,
    pub n: u32,
    pub w: u32,
    pub r: u32,
    pub write_back: bool,
}

#[function_component(QuorumPanel)]
pub fn quorum_panel(p: &QuorumProps) -> Html {
    rendered("quorum");
    let app = use_app();
    let (rn, rw, rr) = (use_node_ref(), use_node_ref(), use_node_ref());
    let on_apply = {
        let (app, id) = (app.clone(), p.lesson.to_string());
        let (rn, rw, rr) = (rn.clone(), rw.clone(), rr.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (Some(n), Some(w), Some(r)) = (number(&rn), number(&rw), number(&rr)) else {
                return app.problem(Some(Problem::NotNumber));
            };
            let set = move |s: &mut Scenario| {
                if let ProtocolConfig::Quorum(q) = &mut s.protocol {
                    (q.n, q.w, q.r) = (n, w, r);
                }
            };
            app.load_lesson(&fitting(&id, set, "quorum-custom"), &set, false);
        })
    };
    let on_write_back = app.switch(&p.lesson, |s, on| {
        if let ProtocolConfig::Quorum(q) = &mut s.protocol {
            q.write_back = on;
        }
    });
    html! {
        <form class="panel nwr" onsubmit={on_apply}>
            <h2>{ app.t("nwr.title") }</h2>
            <label>{ "N" }<input id="nwr-n" ref={rn} type="number" value={p.n.to_string()} /></label>
            <label>{ "W" }<input id="nwr-w" ref={rw} type="number" value={p.w.to_string()} /></label>
            <label>{ "R" }<input id="nwr-r" ref={rr} type="number" value={p.r.to_string()} /></label>
            <button id="nwr-apply" type="submit">{ app.t("nwr.apply") }</button>
            <label class="check">
                <input id="write-back" type="checkbox" checked={p.write_back} onchange={on_write_back} />
                { app.t("nwr.write_back") }
            </label>
        </form>
    }
}
