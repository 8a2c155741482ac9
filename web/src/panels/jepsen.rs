//! Check a Jepsen history: pick or drop a file; the checker's worker judges
//! it and the verdict (or the line it could not read) shows here.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::{rendered, use_app};
use crate::app::UiAction;
use crate::import::Judged;

#[derive(Properties, PartialEq)]
pub struct ImportProps {
    pub imported: Option<Judged>,
}

#[function_component(ImportPanel)]
pub fn import_panel(p: &ImportProps) -> Html {
    rendered("import");
    let app = use_app();
    let judged = {
        let app = app.clone();
        Callback::from(move |j| app.dispatch(UiAction::Imported(j)))
    };
    let on_file = {
        let judged = judged.clone();
        Callback::from(move |e: Event| {
            let file = e
                .target_dyn_into::<HtmlInputElement>()
                .and_then(|i| i.files())
                .and_then(|f| f.get(0));
            if let Some(file) = file {
                crate::import::read(file, judged.clone());
            }
        })
    };
    let on_dragover = Callback::from(|e: DragEvent| e.prevent_default());
    let on_drop = Callback::from(move |e: DragEvent| {
        e.prevent_default();
        if let Some(file) = e.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)) {
            crate::import::read(file, judged.clone());
        }
    });
    let result = p.imported.as_ref().map(|j| {
        let (ok, text) = crate::import::describe(j, app.lang);
        html! { <p id="import-result" class={if ok { "ok" } else { "bad" }}>{ text }</p> }
    });
    html! {
        <section id="import-panel" class="panel import" ondragover={on_dragover} ondrop={on_drop}>
            <h2>{ app.t("import.title") }</h2>
            <p class="muted">{ app.t("import.hint") }</p>
            <input id="import" type="file" accept=".edn,.txt,.log,.clj" onchange={on_file} />
            { for result }
        </section>
    }
}
