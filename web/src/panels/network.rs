//! "You are the network": the messages waiting on the wire (pick one, then
//! deliver, drop or duplicate it), "deliver the oldest" and "deliver all",
//! and the nodes' timers to fire by hand. Each choice is a user action, so
//! undo, the share link and the space-time diagram treat it as any other.

use std::rc::Rc;

use qcore::scenario::ActionKind;
use yew::prelude::*;

use super::{rendered, use_app};
use crate::driver::{Driver, Held};

#[derive(Properties, PartialEq)]
pub struct NetworkProps {
    pub held: Rc<Held>,
    pub node_names: Rc<Vec<String>>,
}

#[function_component(NetworkPanel)]
pub fn network_panel(p: &NetworkProps) -> Html {
    rendered("network");
    let app = use_app();
    let t = |k: &str| app.t(k);
    let held = &p.held;
    let on_selected = |what: char| app.on(move |me: &mut Driver| me.act_on_selected(what));
    let none = held.selected.is_none();
    let message = |m: &crate::driver::HeldMsg| {
        let id = m.id;
        let age = app.lang.fmt("net.age", &[("t", m.age.to_string())]);
        let behind = if m.behind { t("net.behind") } else { "" };
        let selected = held.selected == Some(id);
        let act = |kind: fn(u64) -> ActionKind| app.on(move |me: &mut Driver| me.act(kind(id)));
        html! {
            <li class={classes!(selected.then_some("selected"))}>
                <button aria-pressed={selected.to_string()} onclick={app.on(move |me: &mut Driver| me.select_message(id))}>
                    { format!("{} → {} · {} · {age} {behind}", m.from, m.to, m.label) }
                </button>
                <button class="net-deliver" disabled={m.behind} onclick={act(ActionKind::DeliverMessage)}>{ t("net.deliver") }</button>
                <button class="net-drop" onclick={act(ActionKind::DropMessage)}>{ t("net.drop") }</button>
                <button class="net-dup" onclick={act(ActionKind::DuplicateMessage)}>{ t("net.duplicate") }</button>
            </li>
        }
    };
    let timer = |x: &crate::driver::HeldTimer| {
        let node = p.node_names.get(x.node as usize).cloned().unwrap_or_default();
        let fire = ActionKind::FireTimer { node: x.node, key: x.key };
        let due = app.lang.fmt("net.due", &[("t", x.due.to_string())]);
        html! {
            <li><button onclick={app.on(move |me: &mut Driver| me.act(fire.clone()))}>
                { format!("{} {node} · {} · {due}", t("net.fire"), t(x.name)) }
            </button></li>
        }
    };
    let count = |key: &str, n: usize| app.lang.fmt(key, &[("n", n.to_string())]);
    html! {
        <section class="panel network" id="network">
            <h2>{ t("net.title") }</h2>
            <p class="hint">{ t("net.hint") }</p>
            <button id="net-next" onclick={app.on(Driver::deliver_next)}>{ t("net.next") }</button>
            <button id="net-all" onclick={app.on(Driver::deliver_all)}>{ t("net.all") }</button>
            <h3>{ count("net.messages", held.messages.len()) }</h3>
            <button id="net-d" disabled={none} onclick={on_selected('d')}>{ t("net.deliver") }</button>
            <button id="net-x" disabled={none} onclick={on_selected('x')}>{ t("net.drop") }</button>
            <button id="net-u" disabled={none} onclick={on_selected('u')}>{ t("net.duplicate") }</button>
            <ul id="held" class="held">{ for held.messages.iter().map(message) }</ul>
            <h3>{ count("net.timers", held.timers.len()) }</h3>
            <ul id="timers" class="held">{ for held.timers.iter().map(timer) }</ul>
        </section>
    }
}
