//! The properties list under the checks: each safety rule of the protocol
//! and each verdict on what clients were told, with its state at the moment
//! on show; a broken one (or one that breaks later in this run) has a button
//! that seeks to the moment it broke.

use yew::prelude::*;

use super::AppCtx;
use crate::driver::properties::{Line, Prop, State};

/// The key of a property's name (`prop.<slug>`) and its `data-prop`.
#[must_use]
pub fn slug(p: Prop) -> &'static str {
    match p {
        Prop::Rule(r) => crate::i18n::rule_slug(r),
        Prop::Told => "told",
        Prop::Stale => "stale",
        Prop::Inversion => "inversion",
        Prop::Linear => "linear",
        Prop::Session => "session",
        Prop::Causal => "causal",
        Prop::Converged => "converged",
    }
}

pub fn list(app: &AppCtx, lines: &[Line]) -> Html {
    if lines.is_empty() {
        return Html::default();
    }
    html! {
        <>
            <h3>{ app.t("prop.title") }</h3>
            <ul id="props">{ for lines.iter().map(|l| line(app, l)) }</ul>
        </>
    }
}

fn line(app: &AppCtx, l: &Line) -> Html {
    let lang = app.lang;
    let (class, state, seek) = match l.state {
        State::Holds => ("ok", lang.t("prop.holds").to_string(), None),
        State::Broke(t) => ("bad", String::new(), Some((t, "prop.broke"))),
        State::Later(t) => ("later", lang.t("prop.holds").to_string(), Some((t, "prop.later"))),
        State::Unknown => ("muted", lang.t("prop.unknown").to_string(), None),
        State::Spreading(n) => ("muted", lang.fmt("prop.spreading", &[("n", n.to_string())]), None),
    };
    let button = seek.map(|(t, key)| {
        let text = lang.fmt(key, &[("t", t.to_string())]);
        html! { <button class="seek" onclick={app.on(move |d| d.seek(t))}>{ text }</button> }
    });
    let slug = slug(l.prop);
    html! {
        <li {class} data-prop={slug}>
            <span class="name">{ lang.t(&format!("prop.{slug}")) }</span>
            { " " }<span class="state">{ state }</span>{ for button }
        </li>
    }
}
