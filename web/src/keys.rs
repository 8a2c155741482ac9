//! The keyboard: Space plays, arrows step, Home restarts, digits crash or
//! restart nodes, H heals, Ctrl+Z undoes, `+ − [ ] F` move the space-time
//! diagram; while the user is the network, ↑ ↓ pick a waiting message and
//! D X U deliver, drop or duplicate it; `?` lists them all. A focused control keeps the keys it uses
//! itself (typing in a field, moving a slider), so keyboard users keep both.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_events::EventListener;
use qcore::scenario::ActionKind;
use wasm_bindgen::JsCast;
use web_sys::KeyboardEvent;
use yew::UseReducerDispatcher;

use crate::app::{Problem, Ui, UiAction};
use crate::driver::{self, Driver, Shared};

/// Listen to the document's keys for as long as the listener lives.
pub fn listen(
    doc: &web_sys::Document,
    driver: Rc<RefCell<Option<Shared>>>,
    ui: UseReducerDispatcher<Ui>,
) -> EventListener {
    let opts = gloo_events::EventListenerOptions::enable_prevent_default();
    EventListener::new_with_options(doc, "keydown", opts, move |e| {
        let Some(e) = e.dyn_ref::<KeyboardEvent>() else { return };
        let Some(d) = driver.borrow().clone() else { return };
        on_key(e, &d, &ui);
    })
}

fn on_key(e: &KeyboardEvent, d: &Shared, ui: &UseReducerDispatcher<Ui>) {
    let key = e.key();
    let typing = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| own_key(&el, &key));
    // Ctrl/⌘+Z takes back the last action, except in a text field (where
    // it undoes typing).
    if (e.ctrl_key() || e.meta_key()) && key.eq_ignore_ascii_case("z") {
        if !typing {
            e.prevent_default();
            driver::with(d, Driver::undo);
        }
        return;
    }
    if typing || e.ctrl_key() || e.meta_key() || e.alt_key() {
        if key == "Escape" {
            ui.dispatch(UiAction::Help(Some(false)));
        }
        return;
    }
    // ↑ ↓ scroll the page unless the user is the network.
    let manual = d.borrow().manual();
    let arrows = matches!(key.as_str(), "ArrowUp" | "ArrowDown");
    if matches!(key.as_str(), "Home" | " " | "ArrowRight" | "ArrowLeft") || (manual && arrows) {
        e.prevent_default();
    }
    shortcut(&key, d, ui);
}

/// What a key does when no control keeps it.
fn shortcut(key: &str, d: &Shared, ui: &UseReducerDispatcher<Ui>) {
    let diagram = |zoom, pan, follow| {
        driver::with(d, |me| me.diagram_view(zoom, pan, follow));
    };
    match key {
        "?" => ui.dispatch(UiAction::Help(None)),
        // Digits crash or restart a node: the canvas by keyboard.
        k if k.len() == 1 && ("1"..="9").contains(&k) => {
            let n = u32::from(k.as_bytes()[0] - b'1');
            if let Some(Err(err)) = driver::with(d, |me| me.toggle_node(n)) {
                ui.dispatch(UiAction::Problem(Some(Problem::Config(err))));
            }
        }
        "h" | "H" => {
            driver::with(d, |me| me.act(ActionKind::HealAll));
        }
        "Escape" => ui.dispatch(UiAction::Help(Some(false))),
        "Home" => {
            driver::with(d, |me| me.seek(0));
        }
        "+" | "=" => diagram(Some(0.8), None, false),
        "-" | "_" => diagram(Some(1.25), None, false),
        "[" => diagram(None, Some(-0.2), false),
        "]" => diagram(None, Some(0.2), false),
        "f" | "F" => diagram(None, None, true),
        " " => {
            driver::with(d, |me| {
                let on = !me.playing();
                me.set_playing(on)
            });
        }
        "ArrowRight" => {
            driver::with(d, Driver::step);
        }
        "ArrowLeft" => {
            driver::with(d, Driver::step_back);
        }
        "ArrowDown" => {
            driver::with(d, |me| me.select_held(1));
        }
        "ArrowUp" => {
            driver::with(d, |me| me.select_held(-1));
        }
        "d" | "D" | "x" | "X" | "u" | "U" => {
            let what = key.to_ascii_lowercase().chars().next().unwrap_or(' ');
            if let Some(Err(err)) = driver::with(d, |me| me.act_on_selected(what)) {
                ui.dispatch(UiAction::Problem(Some(Problem::Config(err))));
            }
        }
        _ => {}
    }
}

/// Whether the focused element `el` uses `key` itself (typing in a field,
/// pressing a button, moving a slider), so it is not a shortcut there.
fn own_key(el: &web_sys::Element, key: &str) -> bool {
    let kind = el.get_attribute("type").unwrap_or_default();
    match el.tag_name().as_str() {
        "SELECT" | "TEXTAREA" => true,
        "INPUT" => match kind.as_str() {
            "range" => matches!(
                key,
                "ArrowLeft"
                    | "ArrowRight"
                    | "ArrowUp"
                    | "ArrowDown"
                    | "Home"
                    | "End"
                    | "PageUp"
                    | "PageDown"
            ),
            "checkbox" | "radio" => key == " ",
            _ => true,
        },
        "BUTTON" | "A" => key == " " || key == "Enter",
        _ => false,
    }
}
