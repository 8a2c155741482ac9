//! What the checkers say about the run: the protocol's invariants, or for
//! the stores linearizability, stale reads, inversions, session guarantees,
//! and for the eventually consistent store availability, causality and the
//! inconsistency windows.

use std::rc::Rc;

use yew::prelude::*;

use super::{rendered, use_app};
use crate::driver::{Checks, Linear};
use crate::import::Judged;

#[derive(Properties, PartialEq)]
pub struct ChecksProps {
    pub checks: Rc<Checks>,
    /// Paxos and Zab are judged by their invariants.
    pub invariants: bool,
    /// The eventually consistent store (causality, windows).
    pub eventual: bool,
    pub window: Option<(u64, u64, usize, u64)>,
    /// The worker's verdict on a long history, and its length.
    pub live: Option<(usize, Judged)>,
    /// Each property with its state now and when it broke.
    pub properties: Rc<Vec<crate::driver::properties::Line>>,
}

#[function_component(ChecksPanel)]
pub fn checks_panel(p: &ChecksProps) -> Html {
    rendered("checks");
    let app = use_app();
    let body = if p.invariants { invariants(p, &app) } else { history(p, &app) };
    html! {
        <section class="panel checks">
            <h2>{ app.t("check.title") }</h2>
            { body }
            { super::properties::list(&app, &p.properties) }
        </section>
    }
}

fn invariants(p: &ChecksProps, app: &super::AppCtx) -> Html {
    let c = &p.checks;
    if c.violations.is_empty() {
        return html! { <p id="checks" class="ok">{ app.t("check.invariants_ok") }</p> };
    }
    html! {
        <ul id="checks" class="bad">
            { for c.violations.iter().map(|v| html! { <li>{ app.lang.rule(v) }</li> }) }
        </ul>
    }
}

fn history(p: &ChecksProps, app: &super::AppCtx) -> Html {
    let (c, lang) = (&p.checks, app.lang);
    let linear = match c.linear {
        Linear::Yes(_) => html! { <li class="ok">{ app.t("check.linear_ok") }</li> },
        Linear::No(op) => {
            html! { <li class="bad">{ lang.fmt("check.linear_bad", &[("op", op_name(c, op))]) }</li> }
        }
        Linear::Unknown | Linear::Deferred => {
            let n = c.history.len();
            match p.live.as_ref().filter(|(len, _)| *len == n) {
                Some((_, j)) => {
                    let (ok, text) = crate::import::describe_live(j, lang, n, &|op| op_name(c, op));
                    html! { <li id="check-live" class={if ok { "ok" } else { "bad" }}>{ text }</li> }
                }
                None => {
                    html! { <li id="check-live" class="muted">{ app.t("check.live_pending") }</li> }
                }
            }
        }
    };
    let counts = (c.stale > 0 || c.inversions > 0).then(|| {
        html! {
            <>
                <li class="bad">{ lang.fmt("check.stale", &[("n", c.stale.to_string())]) }</li>
                <li class="bad">{ lang.fmt("check.inversion", &[("n", c.inversions.to_string())]) }</li>
            </>
        }
    });
    let session = if c.session.is_empty() {
        html! { <li class="ok">{ app.t("check.session_ok") }</li> }
    } else {
        c.session.iter().map(|v| html! { <li class="bad">{ lang.session(v) }</li> }).collect()
    };
    let more = super::store::checks(lang, c, p.eventual, p.window);
    html! { <ul id="checks">{ linear }{ for counts }{ session }{ more }</ul> }
}

/// `c2 get @520`: who invoked operation `id`, what, and when.
fn op_name(c: &Checks, id: u64) -> String {
    c.history
        .iter()
        .find(|o| o.id == id)
        .map(|o| format!("c{} {} @{}", o.client, o.op, o.invoke))
        .unwrap_or_default()
}
