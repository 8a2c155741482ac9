//! Client operations by hand: a client reads or writes through a node.

use std::rc::Rc;

use qcore::scenario::ActionKind;
use qcore::types::ClientOp;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::{rendered, use_app};
use crate::app::Problem;

#[derive(Properties, PartialEq)]
pub struct ClientProps {
    pub clients: u32,
    pub node_names: Rc<Vec<String>>,
}

#[function_component(ClientPanel)]
pub fn client_panel(p: &ClientProps) -> Html {
    rendered("client");
    let app = use_app();
    let t = |k: &str| app.t(k);
    let (client_sel, node_sel, value_in) = (use_node_ref(), use_node_ref(), use_node_ref());
    let send = |write: bool| {
        let app = app.clone();
        let (cs, ns, vi) = (client_sel.clone(), node_sel.clone(), value_in.clone());
        Callback::from(move |_: MouseEvent| {
            let sel = |r: &NodeRef| {
                r.cast::<HtmlSelectElement>().and_then(|s| s.value().parse::<u32>().ok())
            };
            let (Some(client), Some(node)) = (sel(&cs), sel(&ns)) else { return };
            let op = if write {
                let value =
                    vi.cast::<HtmlInputElement>().and_then(|i| i.value().trim().parse().ok());
                let Some(v) = value else { return app.problem(Some(Problem::NotNumber)) };
                ClientOp::Write(v)
            } else {
                ClientOp::Read
            };
            app.report(app.with(|me| me.act(ActionKind::ClientOp { client, node, op })));
        })
    };
    html! {
        <section class="panel client">
            <h2>{ t("client.title") }</h2>
            <label>{ t("client.client") }
                <select id="op-client" ref={client_sel.clone()}>
                    { for (0..p.clients).map(|c| html! { <option value={c.to_string()} selected={c == 0}>{ format!("c{c}") }</option> }) }
                </select>
            </label>
            <label>{ t("client.node") }
                <select id="op-node" ref={node_sel.clone()}>
                    { for p.node_names.iter().enumerate().map(|(x, name)| html! { <option value={x.to_string()} selected={x == 0}>{ name.clone() }</option> }) }
                </select>
            </label>
            <label>{ t("client.value") }<input id="op-value" ref={value_in.clone()} type="number" value="7" /></label>
            <button id="op-write" onclick={send(true)}>{ t("client.write") }</button>
            <button id="op-read" onclick={send(false)}>{ t("client.read") }</button>
        </section>
    }
}
