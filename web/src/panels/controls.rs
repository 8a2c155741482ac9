//! The play controls, the time slider and the status line.

use qcore::scenario::ActionKind;
use yew::prelude::*;

use super::{input_value, rendered, use_app};
use crate::app::UiAction;
use crate::driver::Driver;

/// Log-scale speed slider: 0..=100 ↦ 3..≈3 000 ticks per second.
#[must_use]
pub fn speed_of(v: f64) -> f64 {
    // The browser's Math.pow: Rust's would add its own code to the bundle.
    js_sys::Math::pow(10.0, 0.5 + v * 3.0 / 100.0)
}

pub const DEFAULT_SPEED_SLIDER: f64 = 42.0;

#[derive(Properties, PartialEq)]
pub struct ControlsProps {
    pub playing: bool,
    pub can_undo: bool,
    /// The shortcut list is open.
    pub help: bool,
    /// The user is the network.
    pub manual: bool,
}

/// Play, step, restart and speed; heal and undo; the shortcut list's
/// button. Each group is labelled for screen readers.
#[function_component(Controls)]
pub fn controls(p: &ControlsProps) -> Html {
    rendered("controls");
    let app = use_app();
    let t = |k: &str| app.t(k);
    let on_play = app.on(|me: &mut Driver| {
        let on = !me.playing();
        me.set_playing(on)
    });
    let on_heal = {
        let app = app.clone();
        Callback::from(move |_: MouseEvent| app.report(app.with(|me| me.act(ActionKind::HealAll))))
    };
    let on_speed = {
        let app = app.clone();
        Callback::from(move |e: InputEvent| {
            // Integers only: float parsing would add weight to the bundle.
            let v = input_value(&e).parse::<u32>().map_or(DEFAULT_SPEED_SLIDER, f64::from);
            app.with(|me| me.set_speed(speed_of(v)));
        })
    };
    let on_manual = {
        let app = app.clone();
        Callback::from(move |e: Event| {
            let on = super::checked(&e);
            app.report(app.with(|me| me.act(ActionKind::ManualNetwork(on))));
        })
    };
    let on_help = {
        let app = app.clone();
        Callback::from(move |_: MouseEvent| app.dispatch(UiAction::Help(None)))
    };
    html! {
        <>
            <div class="group" role="group" aria-label={t("ctl.group.time")}>
                <button id="play" onclick={on_play}>{ t(if p.playing { "ctl.pause" } else { "ctl.play" }) }</button>
                <button id="back" onclick={app.on(Driver::step_back)}>{ t("ctl.back") }</button>
                <button id="step" onclick={app.on(Driver::step)}>{ t("ctl.step") }</button>
                <button id="reset" onclick={app.on(|me: &mut Driver| me.seek(0))}>{ t("ctl.reset") }</button>
                <label class="speed">{ t("ctl.speed") }
                    <input id="speed" type="range" min="0" max="100" step="1"
                        value="42" oninput={on_speed} />
                </label>
            </div>
            <div class="group" role="group" aria-label={t("ctl.group.faults")}>
                <button id="heal" onclick={on_heal}>{ t("ctl.heal") }</button>
                <button id="undo" onclick={app.on(Driver::undo)} disabled={!p.can_undo}>{ t("ctl.undo") }</button>
                <label class="check"><input id="manual" type="checkbox" checked={p.manual} onchange={on_manual} />{ t("net.manual") }</label>
            </div>
            <button id="help" onclick={on_help} aria-expanded={p.help.to_string()} aria-controls="shortcuts">{ "?" }</button>
        </>
    }
}

#[derive(Properties, PartialEq)]
pub struct TimeProps {
    pub tick: u64,
    /// Seeking cannot go before this tick.
    pub first_tick: u64,
    pub horizon: u64,
}

/// The time slider: drag it to go to any moment reached so far.
#[function_component(TimeBar)]
pub fn time_bar(p: &TimeProps) -> Html {
    rendered("time");
    let app = use_app();
    let on_time = {
        let app = app.clone();
        Callback::from(move |e: InputEvent| {
            if let Ok(t) = input_value(&e).parse::<u64>() {
                app.with(|me| me.seek(t));
            }
        })
    };
    html! {
        <label class="time">{ app.t("ctl.time") }
            <input id="time" type="range" min={p.first_tick.to_string()} max={p.horizon.max(1).to_string()}
                value={p.tick.to_string()} oninput={on_time} />
        </label>
    }
}

#[derive(Properties, PartialEq)]
pub struct StatusProps {
    pub tick: u64,
    pub events: u64,
    pub in_flight: usize,
    pub hash: AttrValue,
    pub first_tick: u64,
    /// The percent of the player's speed the lesson plays at now.
    pub pace: u32,
}

/// A pace as a factor: 600 ↦ "6", 50 ↦ "0.5" (integers only: float
/// formatting would add its own code to the bundle).
fn factor(percent: u32) -> String {
    match (percent / 100, percent % 100) {
        (whole, 0) => whole.to_string(),
        (whole, part) if part % 10 == 0 => format!("{whole}.{}", part / 10),
        (whole, part) => format!("{whole}.{part:02}"),
    }
}

/// The run's tick, events, messages in flight and trace hash.
#[function_component(Status)]
pub fn status(p: &StatusProps) -> Html {
    rendered("status");
    let app = use_app();
    let t = |k: &str| app.t(k);
    html! {
        <div class="status" aria-live="polite">
            <span>{ format!("{} {}", t("status.tick"), p.tick) }</span>
            <span>{ format!("{} {}", t("status.events"), p.events) }</span>
            <span>{ format!("{} {}", t("status.in_flight"), p.in_flight) }</span>
            <span id="hash">{ format!("{} {}", t("status.hash"), p.hash) }</span>
            if p.pace != 100 {
                <span id="pace">{ app.lang.fmt(if p.pace > 100 { "status.faster" } else { "status.slower" }, &[("m", factor(p.pace))]) }</span>
            }
            if p.first_tick > 0 {
                <span id="forgotten">{ app.lang.fmt("status.forgotten", &[("t", p.first_tick.to_string())]) }</span>
            }
        </div>
    }
}

/// The keyboard shortcuts and what they do (the `?` list).
pub const SHORTCUTS: &[(&str, &str)] = &[
    ("Space", "keys.play"),
    ("→", "keys.step"),
    ("←", "keys.back"),
    ("Home", "keys.reset"),
    ("Ctrl+Z", "keys.undo"),
    ("1 … 9", "keys.crash"),
    ("H", "keys.heal"),
    ("+ / −", "keys.zoom"),
    ("[ / ]", "keys.pan"),
    ("F", "keys.follow"),
    ("↑ / ↓", "keys.held"),
    ("D / X / U", "keys.deliver"),
    ("Shift+click", "keys.inspect"),
    ("Tab", "keys.tab"),
    ("?", "keys.help"),
];

/// The shortcut list, opened with `?`.
#[function_component(Shortcuts)]
pub fn shortcuts() -> Html {
    rendered("shortcuts");
    let app = use_app();
    let t = |k: &str| app.t(k);
    let on_close = {
        let app = app.clone();
        Callback::from(move |_: MouseEvent| app.dispatch(UiAction::Help(None)))
    };
    html! {
        <section id="shortcuts" class="panel shortcuts" role="dialog" aria-labelledby="keys-title">
            <h2 id="keys-title">{ t("keys.title") }</h2>
            <dl>
                { for SHORTCUTS.iter().map(|(k, d)| html! { <><dt><kbd>{ *k }</kbd></dt><dd>{ t(d) }</dd></> }) }
            </dl>
            <button id="help-close" onclick={on_close}>{ t("ctl.dismiss") }</button>
        </section>
    }
}
