//! The main canvas the driver draws on, with its pointer gestures (click a
//! node to crash or restart it, click a link to cut it, drag a line to split
//! the network, shift-click a message to inspect it), and the twin canvas a
//! comparing lesson runs beside it.

use qscene::Point;
use yew::prelude::*;

use super::{rendered, use_app};
use crate::app::Problem;
use crate::driver::{Driver, Gesture};

#[derive(Properties, PartialEq)]
pub struct StageProps {
    pub canvas: NodeRef,
    /// ZooKeeper beside Eureka: the twin canvas is shown.
    pub comparing: bool,
}

fn point(e: &PointerEvent) -> Point {
    Point::new(f64::from(e.offset_x()), f64::from(e.offset_y()))
}

#[function_component(Stage)]
pub fn stage(p: &StageProps) -> Html {
    rendered("stage");
    let app = use_app();
    let t = |k: &str| app.t(k);
    let on_down = {
        let app = app.clone();
        Callback::from(move |e: PointerEvent| {
            if let Some(el) = e.target_dyn_into::<web_sys::Element>() {
                let _ = el.set_pointer_capture(e.pointer_id());
            }
            app.with(|me| me.pointer_down(point(&e)));
        })
    };
    let on_move = {
        let app = app.clone();
        Callback::from(move |e: PointerEvent| {
            app.with(|me| me.pointer_move(point(&e)));
        })
    };
    let on_up = {
        let app = app.clone();
        Callback::from(move |e: PointerEvent| {
            let inspect = e.shift_key();
            if let Some(Gesture::Refused(err)) = app.with(|me| me.pointer_up(point(&e), inspect)) {
                app.problem(Some(Problem::Config(err)));
            }
        })
    };
    let comparing = p.comparing;
    html! {
        <>
            if comparing { <p class="caption">{ t("compare.main") }</p> }
            <canvas id="stage" ref={p.canvas.clone()} class="canvas"
                onpointerdown={on_down} onpointermove={on_move}
                onpointerup={on_up} onpointercancel={app.on(Driver::pointer_cancel)}></canvas>
            if comparing { <p class="caption">{ t("compare.twin") }</p> }
            // Always in the page, so a lesson can attach its twin before
            // the view knows the lesson; shown only while comparing.
            <canvas id="twin-stage" class={classes!("canvas", "twin", (!comparing).then_some("hidden"))}
                aria-label={comparing.then(|| t("compare.twin").to_string())}></canvas>
            <p class="hint">{ t("hint.canvas") }</p>
        </>
    }
}
