//! Check a Jepsen history: pick or drop a file; the checker's worker judges
//! it, showing how far the search has got (it can be cancelled), and the
//! verdict (or the line it could not read) shows here.

use qcore::check::linear::Progress;
use web_sys::{File, HtmlInputElement};
use yew::prelude::*;

use super::{rendered, use_app};
use crate::app::UiAction;
use crate::import::Judged;

#[derive(Properties, PartialEq)]
pub struct ImportProps {
    pub imported: Option<Judged>,
    /// The file being judged and how far its search has got.
    pub importing: Option<(String, Progress)>,
}

#[function_component(ImportPanel)]
pub fn import_panel(p: &ImportProps) -> Html {
    rendered("import");
    let app = use_app();
    let start = {
        let app = app.clone();
        Callback::from(move |file: File| {
            let name = file.name();
            app.dispatch(UiAction::Importing(Some((name.clone(), Progress::default()))));
            let done = {
                let app = app.clone();
                Callback::from(move |j| app.dispatch(UiAction::Imported(j)))
            };
            let app = app.clone();
            let progress = Callback::from(move |p| {
                app.dispatch(UiAction::Importing(Some((name.clone(), p))));
            });
            crate::import::read(file, done, progress);
        })
    };
    let on_file = {
        let start = start.clone();
        Callback::from(move |e: Event| {
            let file = e
                .target_dyn_into::<HtmlInputElement>()
                .and_then(|i| i.files())
                .and_then(|f| f.get(0));
            if let Some(file) = file {
                start.emit(file);
            }
        })
    };
    let on_dragover = Callback::from(|e: DragEvent| e.prevent_default());
    let on_drop = Callback::from(move |e: DragEvent| {
        e.prevent_default();
        if let Some(file) = e.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)) {
            start.emit(file);
        }
    });
    let running = p.importing.as_ref().map(|(name, progress)| {
        let text = crate::import::describe_progress(name, progress, app.lang);
        let cancel = Callback::from(|_| crate::worker::cancel_import());
        html! {
            <p id="import-progress" class="muted">
                { text }{ " " }
                <button id="import-cancel" onclick={cancel}>{ app.t("import.cancel") }</button>
            </p>
        }
    });
    let result = p.imported.as_ref().filter(|_| p.importing.is_none()).map(|j| {
        let (ok, text) = crate::import::describe(j, app.lang);
        html! { <p id="import-result" class={if ok { "ok" } else { "bad" }}>{ text }</p> }
    });
    html! {
        <section id="import-panel" class="panel import" ondragover={on_dragover} ondrop={on_drop}>
            <h2>{ app.t("import.title") }</h2>
            <p class="muted">{ app.t("import.hint") }</p>
            <input id="import" type="file" accept=".edn,.txt,.log,.clj" onchange={on_file} />
            { for running }
            { for result }
        </section>
    }
}
