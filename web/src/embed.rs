//! Embedding: the control API a course page uses to drive Quorumscope in an
//! iframe, and the snippet the Embed button offers.
//!
//! Only the page that embeds the app may drive it: a message is obeyed when
//! it comes from the parent window *and* from the parent's origin (read from
//! `location.ancestorOrigins`, or the referrer where that is missing), and
//! events go back to that origin only, never to `*`. A link cannot widen
//! this. Commands map to what the controls already do — load a lesson or a
//! link (validated like any link), play, pause, step, seek, set the speed
//! or the language — so nothing a host sends can run code or change a
//! security setting.
//!
//! Messages are plain objects with a `qs` field: `{qs: "play"}`,
//! `{qs: "seek", tick: 500}`, `{qs: "load", lesson: "paxos-duel"}`… Events
//! back: `ready`, `tick` (while the tick changes, at most five times a
//! second), `violation`, `lesson` and `error`.

use std::cell::RefCell;

use js_sys::{Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::driver::Summary;
use crate::i18n::Lang;

/// A command from the host page.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    Play,
    Pause,
    Step,
    Seek(u64),
    /// Ticks per second.
    Speed(f64),
    Lesson(String),
    /// A share link or its fragment.
    Link(String),
    Lang(Lang),
}

/// The longest link a host may send (the decoder caps it again).
const MAX_LINK: usize = 16 * 1024;

fn field(o: &JsValue, k: &str) -> JsValue {
    Reflect::get(o, &k.into()).unwrap_or(JsValue::UNDEFINED)
}

/// Read a command from a message's data; anything else is `None`.
#[must_use]
pub fn parse(data: &JsValue) -> Option<Command> {
    let kind = field(data, "qs").as_string()?;
    let num = |k: &str| field(data, k).as_f64().filter(|v| v.is_finite() && *v >= 0.0);
    let text = |k: &str| field(data, k).as_string().filter(|s| s.len() <= MAX_LINK);
    Some(match kind.as_str() {
        "play" => Command::Play,
        "pause" => Command::Pause,
        "step" => Command::Step,
        "seek" => Command::Seek(num("tick")? as u64),
        "speed" => Command::Speed(num("ticksPerSecond")?),
        "load" => match (text("lesson"), text("link")) {
            (Some(l), _) => Command::Lesson(l),
            (None, Some(l)) => {
                Command::Link(l.rsplit_once('#').map_or(l.clone(), |(_, f)| f.to_string()))
            }
            _ => return None,
        },
        "lang" => Command::Lang(Lang::from_code(&text("lang")?)?),
        _ => return None,
    })
}

/// The embedding page: its window and origin.
struct Host {
    window: web_sys::Window,
    origin: String,
    /// What was last reported, so events say only what changed.
    tick: Option<u64>,
    violations: usize,
    /// The language violations are described in.
    lang: Lang,
}

thread_local! {
    static HOST: RefCell<Option<Host>> = const { RefCell::new(None) };
}

/// The parent's origin, when this page is framed and it can be known.
fn parent_origin(window: &web_sys::Window) -> Option<String> {
    let loc = field(&window.location(), "ancestorOrigins");
    if let Some(o) = Reflect::get(&loc, &0.into()).ok().and_then(|v| v.as_string()) {
        return Some(o);
    }
    let referrer = window.document()?.referrer();
    let origin = web_sys::Url::new(&referrer).ok()?.origin();
    // Opaque origins ("null") can never be matched safely.
    (origin != "null" && !origin.is_empty()).then_some(origin)
}

/// Start listening to the embedding page, if there is one. Returns the
/// parent's window (to compare message sources with).
pub fn connect(lang: Lang) -> Option<web_sys::Window> {
    let window = web_sys::window()?;
    let parent = window.parent().ok().flatten()?;
    if Object::is(&parent, &window) {
        return None; // not framed
    }
    let origin = parent_origin(&window)?;
    HOST.with(|h| {
        *h.borrow_mut() =
            Some(Host { window: parent.clone(), origin, tick: None, violations: 0, lang });
    });
    Some(parent)
}

/// Whether a message event comes from the embedding page.
#[must_use]
pub fn from_host(e: &web_sys::MessageEvent) -> bool {
    HOST.with(|h| {
        h.borrow().as_ref().is_some_and(|host| {
            e.origin() == host.origin
                && e.source().is_some_and(|s| Object::is(&s, host.window.unchecked_ref()))
        })
    })
}

fn post(kind: &str, fields: &[(&str, JsValue)]) {
    HOST.with(|h| {
        let h = h.borrow();
        let Some(host) = h.as_ref() else { return };
        let o = Object::new();
        let _ = Reflect::set(&o, &"qs".into(), &kind.into());
        for (k, v) in fields {
            let _ = Reflect::set(&o, &(*k).into(), v);
        }
        let _ = host.window.post_message(&o, &host.origin);
    });
}

/// The language the user (or the host) chose.
pub fn set_lang(lang: Lang) {
    HOST.with(|h| {
        if let Some(host) = h.borrow_mut().as_mut() {
            host.lang = lang;
        }
    });
}

/// Tell the host the app is ready, and which lesson it shows.
pub fn ready(lesson: Option<&str>) {
    post("ready", &[("lesson", lesson.map_or(JsValue::NULL, JsValue::from))]);
}

pub fn lesson(id: Option<&str>) {
    post("lesson", &[("id", id.map_or(JsValue::NULL, JsValue::from))]);
}

pub fn error(text: &str) {
    post("error", &[("text", text.into())]);
}

/// Report what changed in a summary: the tick, and new violations (safety
/// rules, or a history that is no longer linearizable).
pub fn on_summary(s: &Summary) {
    let changed = HOST.with(|h| {
        let mut h = h.borrow_mut();
        let host = h.as_mut()?;
        let lang = host.lang;
        let tick = (host.tick != Some(s.tick)).then_some(s.tick);
        host.tick = Some(s.tick);
        let bad = s.checks.violations.len()
            + usize::from(matches!(s.checks.linear, crate::driver::Linear::No(_)));
        let new = bad > host.violations;
        host.violations = bad;
        Some((tick, new, lang))
    });
    let Some((tick, new, lang)) = changed else { return };
    if let Some(t) = tick {
        post("tick", &[("tick", (t as f64).into()), ("playing", s.playing.into())]);
    }
    if new {
        let text = s
            .checks
            .violations
            .last()
            .map_or_else(|| lang.t("check.linear_bad_short").to_string(), |v| lang.rule(v));
        post("violation", &[("text", text.into()), ("tick", (s.tick as f64).into())]);
    }
}

/// The iframe snippet for `url` (the app's address with its fragment).
#[must_use]
pub fn snippet(url: &str) -> String {
    // `allow-scripts` alone would give the frame an opaque origin: its
    // module and wasm fetches would become CORS requests and fail. With
    // `allow-same-origin` it keeps its own (cross-origin) origin; downloads
    // serve the export buttons, popups the "open in Quorumscope" link.
    let url = url.replace('&', "&amp;").replace('"', "&quot;");
    format!(
        "<iframe src=\"{url}\" title=\"Quorumscope\" width=\"960\" height=\"640\" loading=\"lazy\" \
         sandbox=\"allow-scripts allow-same-origin allow-downloads allow-popups\"></iframe>"
    )
}
