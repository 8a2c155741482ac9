//! A guided lesson's step: its text, the way to the next and previous step,
//! and predict mode, which stops before a key moment and asks what happens.
//! The answer is read from the run itself (`lessons::guide::answer`).

use std::rc::Rc;

use qcore::lessons::guide::{self, Question};
use yew::prelude::*;

use super::{checked, rendered, use_app, AppCtx};
use crate::app::UiAction;

#[derive(Clone, Properties, PartialEq)]
pub struct GuideProps {
    pub lesson: AttrValue,
    /// The catalog key of the step's text (its own, or the one written for
    /// a setting of the lesson's switches).
    pub text: AttrValue,
    /// The step on show.
    pub step: usize,
    pub predict: bool,
    /// Predict mode has reached this step's question.
    pub ask: bool,
    /// The last prediction: the step, the choice, the answer the run bore out.
    pub answer: Option<(usize, u32, Option<u32>)>,
    pub node_names: Rc<Vec<String>>,
}

#[function_component(Guide)]
pub fn guide_view(p: &GuideProps) -> Html {
    rendered("guide");
    let app = use_app();
    let steps = guide::steps(&p.lesson);
    let Some(st) = steps.get(p.step) else { return Html::default() };
    let k = p.step;
    let go = |to: Option<usize>| {
        let at = to.and_then(|i| steps.get(i)).map(|st| st.from);
        let app = app.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(at) = at {
                app.with(|me| {
                    me.set_playing(false);
                    me.seek(at)
                });
            }
        })
    };
    let on_predict = {
        let app = app.clone();
        Callback::from(move |e: Event| app.dispatch(UiAction::Predict(checked(&e))))
    };
    let question = st.question.filter(|_| p.ask).map(|q| question(&app, p, q));
    let t = |key: &str| app.t(key);
    html! {
        <section class="guide" aria-live="polite">
            <p class="muted">{ app.lang.fmt("guide.step", &[("k", (k + 1).to_string()), ("n", steps.len().to_string())]) }</p>
            <p id="guide-text">{ app.lang.t(&p.text) }</p>
            <div class="guide-nav">
                <button id="guide-prev" onclick={go(k.checked_sub(1))} disabled={k == 0}>{ t("guide.prev") }</button>
                <button id="guide-next" onclick={go(Some(k + 1))} disabled={k + 1 == steps.len()}>{ t("guide.next") }</button>
            </div>
            <label class="check"><input id="predict" type="checkbox" checked={p.predict} onchange={on_predict} />{ t("guide.predict") }</label>
            { for question }
        </section>
    }
}

/// The step's question, its choices, and once chosen whether the run agreed.
fn question(app: &AppCtx, p: &GuideProps, q: Question) -> Html {
    let (lang, k, id) = (app.lang, p.step, p.lesson.clone());
    let choice_text = |c: u32| {
        if c < q.nodes {
            p.node_names.get(c as usize).cloned().unwrap_or_default()
        } else {
            lang.t(&format!("lesson.{id}.q.{k}.{c}")).to_string()
        }
    };
    let answered = p.answer.filter(|(step, ..)| *step == k);
    let result = answered.map(|(_, chose, right)| {
        let (cls, text) = match right {
            None => ("muted", lang.t("guide.undecided").to_string()),
            Some(r) => (
                if r == chose { "ok" } else { "bad" },
                lang.fmt(
                    if r == chose { "guide.right" } else { "guide.wrong" },
                    &[("a", choice_text(r))],
                ),
            ),
        };
        html! { <p id="answer" class={cls}>{ text }</p> }
    });
    let choice = |c: u32| {
        let app = app.clone();
        let pick = Callback::from(move |_: MouseEvent| {
            let Some(d) = app.driver() else { return };
            // The run itself says which choice was right.
            let right = guide::answer(d.borrow().sim(), &q);
            app.dispatch(UiAction::Answer(k, c, right));
        });
        html! {
            <button id={format!("choice-{c}")} onclick={pick} disabled={answered.is_some()}
                aria-pressed={answered.is_some_and(|(_, x, _)| x == c).to_string()}>{ choice_text(c) }</button>
        }
    };
    html! {
        <div id="question" class="question">
            <p><b>{ lang.t("guide.ask") }</b>{ " " }{ lang.t(&format!("lesson.{id}.q.{k}")) }</p>
            <div class="choices">{ for (0..q.choices).map(choice) }</div>
            { for result }
        </div>
    }
}
