//! The UI as small components, one per panel. Each is given only the data it
//! shows, in props that compare equal when nothing changed, so a summary from
//! the driver re-renders only the panels whose data did. What every panel may
//! reach (the driver, to send it commands; the UI reducer; the language) comes
//! through one context, [`AppCtx`]. Protocol-specific panels are named for
//! their protocol (`quorum`, `paxos`, `zab`, `store`).

use std::cell::RefCell;
use std::rc::Rc;

use qcore::scenario::ConfigError;
use qcore::{lessons, Scenario};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::app::{Problem, Ui, UiAction};
use crate::driver::{self, Driver, Publish, Shared};
use crate::i18n::Lang;

pub mod challenge;
pub mod checks;
pub mod client;
pub mod controls;
pub mod event_log;
pub mod guide;
pub mod header;
pub mod history;
pub mod hunt;
pub mod jepsen;
pub mod lesson;
pub mod network;
pub mod paxos;
pub mod properties;
pub mod quorum;
pub mod share;
pub mod stage;
pub mod store;
pub mod zab;

/// What every panel may reach.
#[derive(Clone)]
pub struct AppCtx {
    /// The driver, once the canvas exists.
    pub driver: Rc<RefCell<Option<Shared>>>,
    pub ui: UseReducerDispatcher<Ui>,
    pub lang: Lang,
}

impl PartialEq for AppCtx {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.driver, &other.driver) && self.ui == other.ui && self.lang == other.lang
    }
}

impl AppCtx {
    #[must_use]
    pub fn t(&self, key: &str) -> &'static str {
        self.lang.t(key)
    }

    #[must_use]
    pub fn driver(&self) -> Option<Shared> {
        self.driver.borrow().clone()
    }

    /// Run `f` on the driver and publish what it returns (see [`driver::with`]).
    pub fn with<R: Publish>(&self, f: impl FnOnce(&mut Driver) -> R) -> Option<R> {
        driver::with(&self.driver()?, f)
    }

    /// A callback that runs `f` on the driver, whatever the event.
    pub fn on<E: 'static, R: Publish>(
        &self,
        f: impl Fn(&mut Driver) -> R + 'static,
    ) -> Callback<E> {
        let me = self.clone();
        Callback::from(move |_: E| {
            me.with(&f);
        })
    }

    pub fn dispatch(&self, action: UiAction) {
        self.ui.dispatch(action);
    }

    /// Say what went wrong (or clear the message with `None`).
    pub fn problem(&self, p: Option<Problem>) {
        self.ui.dispatch(UiAction::Problem(p));
    }

    /// Show a refused command's reason.
    pub fn report<T>(&self, result: Option<Result<T, ConfigError>>) {
        if let Some(Err(e)) = result {
            self.problem(Some(Problem::Config(e)));
        }
    }

    /// Open lesson `id` with `tweak` applied; `keep_time` stays at the same
    /// moment (a switch rebuilds the lesson and goes back to where it was).
    pub fn load_lesson(&self, id: &str, tweak: &dyn Fn(&mut Scenario), keep_time: bool) {
        let Some(result) = lessons::lesson_with(id, tweak) else { return };
        let Some(d) = self.driver() else { return };
        let s = match result {
            Ok(s) => s,
            Err(e) => return self.problem(Some(Problem::Config(e))),
        };
        let at = keep_time.then(|| d.borrow().sim().now());
        if let Some(Err(e)) = driver::with(&d, |me| me.load(s, at, false)) {
            return self.problem(Some(Problem::Config(e)));
        }
        if let Some(twin) = lessons::consistency::twin(id) {
            driver::with(&d, |me| me.set_twin(Some(twin)));
        }
        self.dispatch(UiAction::Lesson(Some(id.to_string())));
        self.problem(None);
    }

    /// A function that rebuilds `lesson` with a change, at the same moment.
    pub fn rescript(&self, lesson: &str) -> impl Fn(&dyn Fn(&mut Scenario)) + Clone + 'static {
        let (me, id) = (self.clone(), lesson.to_string());
        move |set: &dyn Fn(&mut Scenario)| me.load_lesson(&id, set, true)
    }

    /// A checkbox callback that rebuilds `lesson` with `set(scenario, on)`.
    #[must_use]
    pub fn switch(&self, lesson: &str, set: fn(&mut Scenario, bool)) -> Callback<Event> {
        let rescript = self.rescript(lesson);
        Callback::from(move |e: Event| {
            let on = checked(&e);
            rescript(&move |s: &mut Scenario| set(s, on));
        })
    }
}

/// The app's context, for a panel.
#[hook]
pub fn use_app() -> AppCtx {
    use_context::<AppCtx>().expect("panels live inside the app's context")
}

thread_local! {
    // A sorted Vec, not a BTreeMap: a dozen panels, and each map type costs
    // the bundle its own copy of the tree code.
    static RENDERS: RefCell<Vec<(&'static str, u32)>> = const { RefCell::new(Vec::new()) };
}

/// Count a render of panel `name` (the bench and the tests read the counts:
/// `window.quorumscope.renders()`).
pub fn rendered(name: &'static str) {
    RENDERS.with(|r| {
        let mut r = r.borrow_mut();
        match r.binary_search_by_key(&name, |e| e.0) {
            Ok(at) => r[at].1 += 1,
            Err(at) => r.insert(at, (name, 1)),
        }
    });
}

/// Renders so far, per panel.
#[must_use]
pub fn renders() -> Vec<(&'static str, u32)> {
    RENDERS.with(|r| r.borrow().clone())
}

#[must_use]
pub fn input_value(e: &Event) -> String {
    e.target_dyn_into::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default()
}

#[must_use]
pub fn select_value(e: &Event) -> String {
    e.target_dyn_into::<HtmlSelectElement>().map(|i| i.value()).unwrap_or_default()
}

#[must_use]
pub fn checked(e: &Event) -> bool {
    e.target_dyn_into::<HtmlInputElement>().is_some_and(|i| i.checked())
}

/// The number typed in a field, if it is one.
#[must_use]
pub fn number(r: &NodeRef) -> Option<u32> {
    r.cast::<HtmlInputElement>().and_then(|i| i.value().trim().parse::<u32>().ok())
}

/// The lesson to rebuild with a change: the current one when its timeline
/// still fits the new shape, else the free experiment of the same protocol.
#[must_use]
pub fn fitting(id: &str, set: impl Fn(&mut Scenario) + Copy, fallback: &str) -> String {
    let fits = lessons::lesson_with(id, set).is_some_and(|r| {
        !matches!(r, Err(ConfigError::NoSuchNode { .. } | ConfigError::NoSuchClient { .. }))
    });
    if fits {
        id.to_string()
    } else {
        fallback.to_string()
    }
}
