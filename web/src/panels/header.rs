//! The top bar: the name, the language menu, and in a frame the way out to
//! the whole app; and the bar that says what went wrong.

use yew::prelude::*;

use super::{rendered, select_value, use_app};
use crate::app::{page_address, Problem, UiAction};
use crate::i18n::Lang;

#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    /// Shown in an iframe of a course page.
    pub embed: bool,
}

#[function_component(Header)]
pub fn header(p: &HeaderProps) -> Html {
    rendered("header");
    let app = use_app();
    let lang = app.lang;
    let on_lang = {
        let app = app.clone();
        Callback::from(move |e: Event| {
            let Some(l) = Lang::from_code(&select_value(&e)) else { return };
            crate::embed::set_lang(l);
            app.dispatch(UiAction::Lang(l));
            app.with(|me| me.set_lang(l));
            set_document_lang(l);
        })
    };
    let open_app = p.embed.then(|| {
        html! { <a id="open-app" class="open-app" href={open_app_href()} target="_blank" rel="noopener">{ app.t("embed.open") }</a> }
    });
    html! {
        <header class="top">
            <h1>{ "Quorumscope" }</h1>
            { for open_app }
            <span class="tagline">{ app.t("app.tagline") }</span>
            <label class="lang">{ app.t("ctl.lang") }
                <select id="lang" onchange={on_lang}>
                    <option value="zh" selected={lang == Lang::Zh}>{ "中文" }</option>
                    <option value="en" selected={lang == Lang::En}>{ "English" }</option>
                </select>
            </label>
        </header>
    }
}

/// The page's `lang` attribute, for screen readers and fonts.
pub fn set_document_lang(l: Lang) {
    if let Some(root) =
        web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("lang", if l == Lang::Zh { "zh-CN" } else { "en" });
    }
}

/// The same run in the whole app, without the embedding options.
fn open_app_href() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .map(|h| {
            let keep: Vec<&str> = h
                .trim_start_matches('#')
                .split('&')
                .filter(|p| !p.starts_with("embed=") && !p.starts_with("controls="))
                .collect();
            format!("{}#{}", page_address(), keep.join("&"))
        })
        .unwrap_or_default()
}

#[derive(Properties, PartialEq)]
pub struct ProblemProps {
    pub problem: Option<Problem>,
}

/// What went wrong, in the user's language, until dismissed.
#[function_component(ProblemBar)]
pub fn problem_bar(p: &ProblemProps) -> Html {
    rendered("problem");
    let app = use_app();
    let Some(problem) = &p.problem else { return Html::default() };
    let on_dismiss = {
        let app = app.clone();
        Callback::from(move |_: MouseEvent| app.problem(None))
    };
    html! {
        <div id="problem" class="problem" role="alert">
            <span>{ problem.text(app.lang) }</span>
            <button class="dismiss" onclick={on_dismiss}>{ app.t("ctl.dismiss") }</button>
        </div>
    }
}
