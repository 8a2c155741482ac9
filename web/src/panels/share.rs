//! Share, embed and export: the buttons, the share link with its QR code,
//! and the Embed panel's iframe snippet.

use wasm_bindgen::JsCast;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use super::{checked, rendered, select_value, use_app, AppCtx};
use crate::app::{page_address, Problem, UiAction};

/// The Embed panel: the run's address, autoplay, and the controls option.
pub type EmbedState = (String, bool, &'static str);

#[derive(Properties, PartialEq)]
pub struct ButtonsProps {
    /// The main canvas (for the PNG export).
    pub canvas: NodeRef,
    pub embed_open: bool,
}

#[function_component(ShareButtons)]
pub fn share_buttons(p: &ButtonsProps) -> Html {
    rendered("share-buttons");
    let app = use_app();
    let t = |k: &str| app.t(k);
    let on_embed = {
        let (app, open) = (app.clone(), p.embed_open);
        Callback::from(move |_: MouseEvent| {
            let Some(d) = app.driver().filter(|_| !open) else {
                return app.dispatch(UiAction::Embed(None));
            };
            let frag = d.borrow().share_fragment();
            app.dispatch(UiAction::Embed(Some((format!("{}#{frag}", page_address()), false, ""))));
        })
    };
    let on_png = {
        let canvas = p.canvas.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                crate::download_png("quorumscope-frame.png", &c);
            }
        })
    };
    // A choice made in the export menu closes it.
    let menu = use_node_ref();
    let on_pick = {
        let menu = menu.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(m) = menu.cast::<web_sys::Element>() {
                let _ = m.remove_attribute("open");
            }
        })
    };
    html! {
        <div class="group" role="group" aria-label={t("ctl.group.share")}>
            <button id="share" onclick={on_share(&app)}>{ t("ctl.share") }</button>
            <button id="embed" onclick={on_embed} aria-expanded={p.embed_open.to_string()}>{ t("ctl.embed") }</button>
            <details class="menu" id="export-menu" ref={menu}>
                <summary id="export">{ t("ctl.export") }</summary>
                <div class="menu-items" onclick={on_pick}>
                    <button id="export-edn" onclick={export(&app, "edn", "quorumscope-history.edn", "application/edn")}>{ t("ctl.export_edn") }</button>
                    <button id="export-json" onclick={export(&app, "json", "quorumscope-trace.json", "application/json")}>{ t("ctl.export_json") }</button>
                    <button id="export-svg" onclick={export(&app, "svg", "quorumscope-frame.svg", "image/svg+xml")}>{ t("ctl.export_svg") }</button>
                    <button id="export-png" onclick={on_png}>{ t("ctl.export_png") }</button>
                </div>
            </details>
        </div>
    }
}

/// Share: the link for this run at this moment, copied where the browser
/// allows, with its QR code for phones in front of a projector.
pub(crate) fn on_share(app: &AppCtx) -> Callback<MouseEvent> {
    let app = app.clone();
    Callback::from(move |_: MouseEvent| {
        let (Some(d), Some(window)) = (app.driver(), web_sys::window()) else { return };
        let url = format!("{}#{}", page_address(), d.borrow().share_fragment());
        app.dispatch(UiAction::Share(url.clone(), false));
        // The worker encodes the QR code; its answer comes once the share
        // panel this dispatch shows is on the page, ready to paint.
        crate::worker::job("qr", url.clone(), Callback::from(paint_qr));
        // The clipboard exists only in a secure context (not on plain
        // http over a LAN): then the link stays in the field to copy by hand.
        let nav = window.navigator();
        let has_clipboard = js_sys::Reflect::get(&nav, &"clipboard".into())
            .is_ok_and(|c| !c.is_undefined() && !c.is_null());
        if has_clipboard {
            let promise = nav.clipboard().write_text(&url);
            let app = app.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let ok = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
                app.dispatch(UiAction::Share(url, ok));
            });
        }
    })
}

fn paint_qr(text: String) {
    let canvas = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("share-qr"))
        .and_then(|e| e.dyn_into::<HtmlCanvasElement>().ok());
    if let (Some(c), Some(code)) = (canvas, qscene::qr::Qr::from_text(&text)) {
        crate::draw::paint_qr(&c, &code);
    }
}

/// Exports written by the worker from the run, replayed there so a long run
/// does not stall the animation: the client history as Jepsen EDN (what
/// `quorumscope check` and Jepsen's tools read), the trace as JSON, and the
/// frame on show as SVG (from the Scene, as `run --export svg` makes it).
fn export(
    app: &AppCtx,
    kind: &'static str,
    file: &'static str,
    mime: &'static str,
) -> Callback<MouseEvent> {
    let app = app.clone();
    Callback::from(move |_: MouseEvent| {
        let Some(d) = app.driver() else { return };
        let arg = if kind == "svg" { d.borrow().frame_spec() } else { d.borrow().share_fragment() };
        // An empty answer: no client operation has started yet (EDN).
        let app = app.clone();
        let save = Callback::from(move |text: String| {
            if text.is_empty() {
                app.problem(Some(Problem::NothingToExport));
            } else {
                crate::download(file, mime, &text);
            }
        });
        crate::worker::job(kind, arg, save);
    })
}

#[derive(Properties, PartialEq)]
pub struct ShareProps {
    /// The link, and whether it was copied.
    pub share: Option<(String, bool)>,
}

#[function_component(SharePanel)]
pub fn share_panel(p: &ShareProps) -> Html {
    rendered("share");
    let app = use_app();
    let Some((url, copied)) = &p.share else { return Html::default() };
    html! {
        <div class="share">
            <span id="share-status">{ app.t(if *copied { "ctl.copied" } else { "ctl.copy_manual" }) }</span>
            <input id="share-link" readonly=true value={url.clone()} />
            <figure class="qr">
                <canvas id="share-qr" width="0" height="0" role="img" aria-label={app.t("share.qr")}></canvas>
                <figcaption>{ app.t("share.qr") }</figcaption>
            </figure>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct EmbedProps {
    pub embed: Option<EmbedState>,
}

/// The iframe snippet for this run, with autoplay and the controls option.
#[function_component(EmbedPanel)]
pub fn embed_panel(p: &EmbedProps) -> Html {
    rendered("embed");
    let app = use_app();
    let t = |k: &str| app.t(k);
    let Some((url, autoplay, controls)) = p.embed.clone() else { return Html::default() };
    let set = |f: fn(&Event, &mut EmbedState)| {
        let (app, state) = (app.clone(), (url.clone(), autoplay, controls));
        Callback::from(move |e: Event| {
            let mut s = state.clone();
            f(&e, &mut s);
            app.dispatch(UiAction::Embed(Some(s)));
        })
    };
    let on_autoplay = set(|e, s| s.1 = checked(e));
    let on_controls = set(|e, s| {
        s.2 = match select_value(e).as_str() {
            "locked" => "locked",
            "hidden" => "hidden",
            _ => "",
        };
    });
    let mut src = format!("{url}&embed=1");
    if autoplay {
        src.push_str("&autoplay=1");
    }
    if !controls.is_empty() {
        src.push_str("&controls=");
        src.push_str(controls);
    }
    let opt = |v: &'static str, k: &str| html! { <option value={v} selected={controls == v}>{ t(k) }</option> };
    html! {
        <section id="embed-panel" class="embed-panel">
            <h2>{ t("embed.title") }</h2>
            <p class="muted">{ t("embed.hint") }</p>
            <label class="check"><input id="embed-autoplay" type="checkbox" checked={autoplay} onchange={on_autoplay} />{ t("embed.autoplay") }</label>
            <label>{ t("embed.controls") }
                <select id="embed-controls" onchange={on_controls}>
                    { opt("", "embed.controls.normal") }{ opt("locked", "embed.controls.locked") }{ opt("hidden", "embed.controls.hidden") }
                </select>
            </label>
            <textarea id="embed-code" readonly=true rows="4" value={crate::embed::snippet(&src)} />
        </section>
    }
}
