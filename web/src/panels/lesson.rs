//! The lesson menu, grouped by lecture, and the lesson's narration with its
//! guided steps.

use qcore::lessons::{self, LESSONS};
use yew::prelude::*;

use super::guide::{Guide, GuideProps};
use super::{rendered, select_value, use_app};

#[derive(Properties, PartialEq)]
pub struct MenuProps {
    /// The lesson on show, if the run is one.
    pub lesson: Option<AttrValue>,
}

#[function_component(LessonMenu)]
pub fn lesson_menu(p: &MenuProps) -> Html {
    rendered("lesson-menu");
    let app = use_app();
    let lang = app.lang;
    let on_lesson = {
        let app = app.clone();
        Callback::from(move |e: Event| app.load_lesson(&select_value(&e), &|_| {}, false))
    };
    let lecture = |lecture: &str| {
        let options = LESSONS.iter().filter(|id| lessons::lecture(id) == lecture).map(|id| {
            html! {
                <option value={*id} selected={p.lesson.as_deref() == Some(*id)}>
                    { lang.t(&format!("lesson.{id}.title")) }
                </option>
            }
        });
        html! { <optgroup label={lang.t(&format!("lecture.{lecture}"))}>{ for options }</optgroup> }
    };
    html! {
        <div class="lessonbar">
            <label>{ app.t("ctl.lesson") }
                <select id="lesson" onchange={on_lesson}>
                    { for ["01", "02", "03", "04"].iter().map(|l| lecture(l)) }
                </select>
            </label>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct NarrationProps {
    /// The lesson on show (or the free experiment of the run's protocol).
    pub lesson: AttrValue,
    /// The guided step at this moment, if the lesson has one here.
    pub guide: Option<GuideProps>,
    /// The run is no lesson (a link, a counterexample, a challenge): the
    /// free experiment's description would tell of its default settings.
    #[prop_or_default]
    pub own: bool,
}

/// What the lesson is about, and its guided step (which says what to watch
/// for at each moment).
#[function_component(Narration)]
pub fn narration(p: &NarrationProps) -> Html {
    rendered("narration");
    let app = use_app();
    let key = |part: &str| format!("lesson.{}.{part}", p.lesson);
    let guide = p.guide.clone().map(|g| html! { <Guide ..g /> });
    html! {
        <section class="narration">
            <h2>{ app.lang.t(&key("title")) }</h2>
            <h3>{ app.t("narr.what") }</h3>
            <p>{ if p.own { app.t("narr.own") } else { app.lang.t(&key("what")) } }</p>
            { for guide }
        </section>
    }
}
