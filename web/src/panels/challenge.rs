//! Challenges: a goal per protocol ("make two values be chosen") to reach by
//! hand with "you are the network", faithful first, then with the broken
//! variant that allows it; the search below can be asked next. The
//! properties list is the judge: a run solves a challenge when the goal's
//! property broke in it, so a shared link of a solved run shows it solved.

use std::rc::Rc;

use qcore::challenge::{Broken, Challenge};
use yew::prelude::*;

use super::{rendered, use_app, AppCtx};
use crate::app::UiAction;
use crate::driver::properties::{Line, Prop, State};
use crate::driver::Proto;
use crate::i18n::Lang;
use qcore::safety::Rule;

#[derive(Properties, PartialEq)]
pub struct ChallengeProps {
    pub proto: Proto,
    pub properties: Rc<Vec<Line>>,
}

#[function_component(ChallengePanel)]
pub fn challenge_panel(p: &ChallengeProps) -> Html {
    rendered("challenges");
    let app = use_app();
    let mine: Vec<&Challenge> =
        qcore::challenge::ALL.iter().filter(|c| ours(c, &p.proto)).collect();
    if mine.is_empty() {
        return Html::default();
    }
    html! {
        <section id="challenges" class="panel challenges">
            <h2>{ app.t("challenge.title") }</h2>
            <p class="muted">{ app.t("challenge.hint") }</p>
            <ul>{ for mine.into_iter().map(|c| card(&app, c, p)) }</ul>
        </section>
    }
}

/// Whether `c` is a challenge of the protocol on show.
fn ours(c: &Challenge, proto: &Proto) -> bool {
    matches!(
        (c.broken, proto),
        (Broken::Paxos(_), Proto::Paxos { .. })
            | (Broken::Zab(_), Proto::Zab { .. })
            | (Broken::Quorum { .. }, Proto::Quorum { .. })
    )
}

/// Whether the run on show has the variant that makes `c` possible.
fn broken_here(c: &Challenge, proto: &Proto) -> bool {
    match (c.broken, proto) {
        (Broken::Paxos(v), Proto::Paxos { variant, .. }) => v == *variant,
        (Broken::Zab(v), Proto::Zab { variant, .. }) => v == *variant,
        (Broken::Quorum { broken: b, .. }, Proto::Quorum { n, w, r, write_back }) => {
            (*n, *w, *r, *write_back) == (qcore::hunt::REPLICAS, b.w, b.r, b.write_back)
        }
        _ => false,
    }
}

/// What the broken setting is called: the variant's name, or Quorum's
/// N, W, R and write-back.
fn variant_name(lang: Lang, c: &Challenge) -> String {
    match c.broken {
        Broken::Paxos(v) => lang.t(crate::i18n::variant_key(v)).to_string(),
        Broken::Zab(v) => lang.t(crate::i18n::zab_variant_key(v)).to_string(),
        Broken::Quorum { broken: b, .. } => {
            let wb = lang.t(if b.write_back {
                "challenge.write_back"
            } else {
                "challenge.no_write_back"
            });
            let n = qcore::hunt::REPLICAS;
            lang.fmt(
                "challenge.nwr",
                &[
                    ("n", n.to_string()),
                    ("w", b.w.to_string()),
                    ("r", b.r.to_string()),
                    ("wb", wb.to_string()),
                ],
            )
        }
    }
}

/// The property in the list that judges `c`.
fn judge(c: &Challenge) -> Prop {
    match c.goal {
        Rule::StaleRead => Prop::Stale,
        Rule::NewOldInversion => Prop::Inversion,
        r => Prop::Rule(r),
    }
}

fn card(app: &AppCtx, c: &'static Challenge, p: &ChallengeProps) -> Html {
    let lang = app.lang;
    let state = p.properties.iter().find(|l| l.prop == judge(c)).map(|l| l.state);
    let broken = broken_here(c, &p.proto);
    let (class, text, seek) = match state {
        Some(State::Broke(t)) => {
            ("solved", lang.fmt("challenge.solved", &[("t", t.to_string())]), None)
        }
        Some(State::Later(t)) => {
            ("later", lang.fmt("challenge.later", &[("t", t.to_string())]), Some(t))
        }
        _ if broken => ("open", lang.t("challenge.open_broken").to_string(), None),
        _ => ("open", lang.t("challenge.open_faithful").to_string(), None),
    };
    let seek = seek.map(|t| {
        html! { <button class="seek" onclick={app.on(move |d| d.seek(t))}>{ lang.t("challenge.see") }</button> }
    });
    let share = (class == "solved").then(|| {
        html! { <button class="share-solution" onclick={super::share::on_share(app)}>{ lang.t("challenge.share") }</button> }
    });
    let variant = lang.fmt("challenge.try_broken", &[("variant", variant_name(lang, c))]);
    html! {
        <li class={class} data-challenge={c.id}>
            <strong class="goal">{ lang.t(&format!("challenge.{}.goal", c.id)) }</strong>
            <p class="how muted">{ lang.t(&format!("challenge.{}.how", c.id)) }</p>
            <p class="state">{ text }{ " " }{ for seek }{ for share }</p>
            <button class="try-faithful" onclick={start(app, c, false)}>{ lang.t("challenge.try") }</button>
            { " " }
            <button class="try-broken" onclick={start(app, c, true)}>{ variant }</button>
        </li>
    }
}

/// Open the challenge's starting run, faithful or broken.
fn start(app: &AppCtx, c: &'static Challenge, broken: bool) -> Callback<MouseEvent> {
    let app = app.clone();
    Callback::from(move |_| {
        let Ok((s, at)) = c.start(broken) else { return };
        app.report(app.with(|d| d.load(s, Some(at), false)));
        app.dispatch(UiAction::Lesson(None));
        app.problem(None);
    })
}
