//! "Find a counterexample": the explorer searches every schedule of the
//! run's configuration in the search worker, showing states, states per
//! second, depth and frontier while it runs (it can be cancelled). A
//! violation opens as a run stopped just before the step that breaks the
//! rule; a complete search with none says so, with the states it covered.

use yew::prelude::*;

use super::{rendered, use_app, AppCtx};
use crate::app::UiAction;
use crate::hunt::{Found, Report, Running};
use crate::i18n::Lang;

#[derive(Clone, Debug, Default, PartialEq)]
enum Status {
    #[default]
    Idle,
    Running(Running),
    Done(Report),
}

#[function_component(HuntPanel)]
pub fn hunt_panel() -> Html {
    rendered("hunt");
    let app = use_app();
    let status = use_state(Status::default);
    let start = {
        let (app, status) = (app.clone(), status.clone());
        Callback::from(move |_| start(&app, &status))
    };
    let cancel = {
        let status = status.clone();
        Callback::from(move |_| {
            crate::worker::cancel_hunt();
            status.set(Status::Idle);
        })
    };
    let body = match &*status {
        Status::Idle => html! {},
        Status::Running(r) => html! {
            <p id="hunt-progress" class="muted">
                { running(app.lang, r) }{ " " }
                <button id="hunt-cancel" onclick={cancel}>{ app.t("hunt.cancel") }</button>
            </p>
        },
        Status::Done(r) => report(&app, r),
    };
    let busy = matches!(*status, Status::Running(_));
    html! {
        <section id="hunt" class="panel hunt">
            <h2>{ app.t("hunt.title") }</h2>
            <p class="muted">{ app.t("hunt.hint") }</p>
            <button id="hunt-start" onclick={start} disabled={busy}>{ app.t("hunt.start") }</button>
            { body }
        </section>
    }
}

/// Send the run to the search worker; its report opens a counterexample.
fn start(app: &AppCtx, status: &UseStateHandle<Status>) {
    let Some(fragment) = app.driver().map(|d| d.borrow().share_fragment()) else { return };
    status.set(Status::Running(Running::default()));
    let done = {
        let (app, status) = (app.clone(), status.clone());
        Callback::from(move |r: Report| {
            if let Report::Done { found: Some(Found { replay: Some((f, tick)), .. }), .. } = &r {
                open(&app, f, *tick);
            }
            status.set(Status::Done(r));
        })
    };
    let progress = {
        let status = status.clone();
        Callback::from(move |r: Running| status.set(Status::Running(r)))
    };
    crate::worker::hunt(fragment, done, progress);
}

/// Open the counterexample's run, stopped before its breaking step.
fn open(app: &AppCtx, fragment: &str, tick: u64) {
    let Some(s) = qcore::link::parse_fragment(fragment).ok().and_then(|f| f.scenario) else {
        return;
    };
    app.report(app.with(|d| d.open_found(s, tick)));
    app.dispatch(UiAction::Lesson(None));
}

fn running(lang: Lang, r: &Running) -> String {
    let p = &r.progress;
    lang.fmt(
        "hunt.running",
        &[
            ("stage", (r.stage + 1).to_string()),
            ("stages", r.stages.max(1).to_string()),
            ("states", p.states.to_string()),
            ("rate", Running::per_second(p.states, r.ms).to_string()),
            ("depth", p.depth.to_string()),
            ("frontier", p.frontier.to_string()),
        ],
    )
}

fn report(app: &AppCtx, r: &Report) -> Html {
    let lang = app.lang;
    // The figures as numbers too, for the benchmark that times the page's
    // searches against the same ones natively.
    let (states, ms) = match r {
        Report::Done { stages, ms, .. } => {
            (Some(stages.iter().map(|s| s.states).sum::<u64>().to_string()), Some(ms.to_string()))
        }
        _ => (None, None),
    };
    let (class, text) = match r {
        Report::Done { stages, found, ms } => {
            let states: u64 = stages.iter().map(|s| s.states).sum();
            let args = |extra: &[(&'static str, String)]| {
                let mut a: Vec<(&str, String)> = vec![
                    ("states", states.to_string()),
                    ("secs", Running::seconds(*ms)),
                    ("rate", Running::per_second(states, *ms).to_string()),
                ];
                a.extend(extra.iter().cloned());
                a
            };
            match found {
                Some(f) => {
                    let rule = lang.t(&format!("prop.{}", crate::i18n::rule_slug(f.rule)));
                    let key =
                        if f.replay.is_some() { "hunt.found" } else { "hunt.found_no_replay" };
                    (
                        "bad",
                        lang.fmt(
                            key,
                            &args(&[("rule", rule.to_string()), ("steps", f.steps.to_string())]),
                        ),
                    )
                }
                None if stages.iter().all(|s| s.complete) => {
                    ("ok", lang.fmt("hunt.safe", &args(&[])))
                }
                None => ("muted", lang.fmt("hunt.budget", &args(&[]))),
            }
        }
        Report::Unsearchable(qcore::hunt::Unsearchable::Protocol) => {
            ("muted", lang.t("hunt.no_protocol").to_string())
        }
        Report::Unsearchable(qcore::hunt::Unsearchable::TooBig { what, max, got }) => {
            let part = lang.t(&format!("hunt.part.{}", crate::hunt::part_slug(*what)));
            let args =
                [("part", part.to_string()), ("max", max.to_string()), ("got", got.to_string())];
            ("muted", lang.fmt("hunt.too_big", &args))
        }
        Report::Unreadable => ("bad", lang.t("hunt.unreadable").to_string()),
        Report::NoWorker(why) => ("bad", lang.fmt("hunt.no_worker", &[("why", why.clone())])),
    };
    html! { <p id="hunt-result" {class} data-states={states} data-ms={ms}>{ text }</p> }
}
