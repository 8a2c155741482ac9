//! The last things that happened, as a list screen readers follow.

use std::rc::Rc;

use yew::prelude::*;

use super::{rendered, use_app};
use crate::driver::LogLine;

#[derive(Properties, PartialEq)]
pub struct LogProps {
    pub log: Rc<Vec<LogLine>>,
}

#[function_component(EventLog)]
pub fn event_log(p: &LogProps) -> Html {
    rendered("event-log");
    let app = use_app();
    html! {
        <section class="panel events">
            <h2>{ app.t("log.title") }</h2>
            <ol id="event-log" aria-live="polite" aria-relevant="additions">
                { for p.log.iter().map(|l| html! { <li key={l.entry}>{ app.lang.log_line(l) }</li> }) }
            </ol>
        </section>
    }
}
