//! A read-only test hook, `window.quorumscope`, so browser tests can ask
//! what the app shows: the trace hash, the tick, the draw count, the share
//! link, where things are on the canvas. It can change nothing.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use js_sys::{Array, Object, Reflect};
use qcore::types::Addr;
use wasm_bindgen::prelude::*;

use crate::driver::{Driver, Shared};

fn point(x: f64, y: f64) -> JsValue {
    let o = Object::new();
    let _ = Reflect::set(&o, &"x".into(), &x.into());
    let _ = Reflect::set(&o, &"y".into(), &y.into());
    o.into()
}

fn getter(
    obj: &Object,
    name: &str,
    weak: &Weak<RefCell<Driver>>,
    f: impl Fn(&Driver, JsValue) -> JsValue + 'static,
) {
    let weak = weak.clone();
    let closure = Closure::<dyn Fn(JsValue) -> JsValue>::new(move |arg: JsValue| {
        weak.upgrade()
            .and_then(|d| d.try_borrow().ok().map(|me| f(&me, arg)))
            .unwrap_or(JsValue::NULL)
    });
    let _ = Reflect::set(obj, &name.into(), closure.as_ref());
    // The hook lives as long as the page.
    closure.forget();
}

/// Install `window.quorumscope`.
pub fn install(d: &Shared) {
    let Some(window) = web_sys::window() else { return };
    let weak = Rc::downgrade(d);
    let o = Object::new();
    getter(&o, "traceHash", &weak, |me, _| format!("{:016x}", me.sim().trace_hash()).into());
    getter(&o, "tick", &weak, |me, _| (me.sim().now() as f64).into());
    getter(&o, "events", &weak, |me, _| (me.sim().world().events() as f64).into());
    getter(&o, "drawCount", &weak, |me, _| (me.draws() as f64).into());
    getter(&o, "playing", &weak, |me, _| me.playing().into());
    getter(&o, "shareFragment", &weak, |me, _| me.share_fragment().into());
    // Renders of each panel so far (`{panel: count}`): the bench reads them
    // while a run plays, to see which panels follow every summary.
    getter(&o, "renders", &weak, |_, _| {
        let out = Object::new();
        for (name, n) in crate::panels::renders() {
            let _ = Reflect::set(&out, &name.into(), &f64::from(n).into());
        }
        out.into()
    });
    // How many times the canvas's still layer was repainted (on events only).
    getter(&o, "stillRepaints", &weak, |me, _| (me.still_repaints() as f64).into());
    // How many times the history's checks ran (they run when it changes).
    getter(&o, "checkRuns", &weak, |me, _| (me.check_runs() as f64).into());
    getter(&o, "missingKeys", &weak, |_, _| {
        crate::i18n::missing_keys().into_iter().map(JsValue::from).collect::<Array>().into()
    });
    getter(&o, "nodeUp", &weak, |me, i| {
        let i = i.as_f64().unwrap_or(-1.0);
        me.sim().world().nodes().get(i as usize).is_some_and(|n| n.up).into()
    });
    getter(&o, "linkState", &weak, |me, args| {
        let get = |k: &str| {
            Reflect::get(&args, &k.into()).ok().and_then(|v| v.as_f64()).unwrap_or(0.0) as u32
        };
        let s = me.sim().world().net().link(Addr::Node(get("from")), Addr::Node(get("to")));
        match s {
            qcore::LinkState::Healthy => "Healthy",
            qcore::LinkState::Partitioned => "Partitioned",
            qcore::LinkState::Held => "Held",
        }
        .into()
    });
    getter(&o, "nodePos", &weak, |me, i| {
        let i = i.as_f64().unwrap_or(-1.0);
        me.scene()
            .and_then(|s| s.nodes.get(i as usize))
            .map_or(JsValue::NULL, |n| point(n.pos.x, n.pos.y))
    });
    getter(&o, "messages", &weak, |me, _| {
        me.scene()
            .map(|s| {
                s.messages
                    .iter()
                    .map(|m| {
                        let p = point(m.pos.x, m.pos.y);
                        let _ = Reflect::set(&p, &"id".into(), &(m.id as f64).into());
                        let _ = Reflect::set(&p, &"held".into(), &m.held.into());
                        p
                    })
                    .collect::<Array>()
                    .into()
            })
            .unwrap_or(JsValue::NULL)
    });
    getter(&o, "violations", &weak, |me, _| (me.sim().world().violations().len() as f64).into());
    getter(&o, "chosen", &weak, |me, _| {
        me.sim()
            .world()
            .paxos_checks()
            .and_then(qcore::paxos::invariants::Invariants::chosen_value)
            .map_or(JsValue::NULL, |v| (v as f64).into())
    });
    getter(&o, "inFlight", &weak, |me, _| (me.sim().world().net().in_flight_count() as f64).into());
    getter(&o, "sides", &weak, |me, _| {
        me.scene().map_or(JsValue::NULL, |s| f64::from(s.sides).into())
    });
    // The work time (ms) of the last frames: the per-frame budget bench.
    getter(&o, "frameAllocs", &weak, |me, _| {
        me.frame_allocs().into_iter().map(|n| JsValue::from(f64::from(n))).collect::<Array>().into()
    });
    getter(&o, "frameTimes", &weak, |me, _| {
        let a = js_sys::Array::new();
        for t in me.frame_times() {
            a.push(&t.into());
        }
        a.into()
    });
    // Bytes of wasm linear memory (it only grows): the soak test's gauge.
    getter(&o, "wasmMemory", &weak, |_, _| {
        Reflect::get(&wasm_bindgen::memory(), &"buffer".into())
            .and_then(|b| Reflect::get(&b, &"byteLength".into()))
            .unwrap_or(JsValue::NULL)
    });
    spacetime_hooks(&o, &weak);
    zab_hooks(&o, &weak);
    let _ = Reflect::set(&window, &"quorumscope".into(), &o);
}

/// `zab(i)`: server i's state, epochs, last and committed zxid (as
/// `epoch:counter`) and value; `zabCommitted()`: transactions committed.
fn zab_hooks(o: &Object, weak: &Weak<RefCell<Driver>>) {
    use qcore::zab::{show, ServerState};
    getter(o, "zab", weak, |me, i| {
        let i = i.as_f64().unwrap_or(-1.0);
        let slot = me.sim().world().nodes().get(i as usize).filter(|s| s.up && i >= 0.0);
        let Some(x) = slot.and_then(|_| me.sim().world().zab_server(i as u32)) else {
            return JsValue::NULL;
        };
        let state = match x.state {
            ServerState::Looking => "LOOKING",
            ServerState::Following => "FOLLOWING",
            ServerState::Leading => "LEADING",
            ServerState::Observing => "OBSERVING",
        };
        let obj = Object::new();
        let set = |k: &str, v: JsValue| {
            let _ = Reflect::set(&obj, &k.into(), &v);
        };
        set("state", state.into());
        set("serving", x.serving().into());
        set("acceptedEpoch", f64::from(x.accepted_epoch).into());
        set("currentEpoch", f64::from(x.current_epoch).into());
        set("last", show(x.last_zxid()).into());
        set("committed", show(x.committed).into());
        set("value", x.value.map_or(JsValue::NULL, |v| (v as f64).into()));
        obj.into()
    });
    // The benchmark's Zab workload (timed by the caller): events run.
    getter(o, "benchZab", weak, |_, n| {
        let n = qscene::clamp(n.as_f64().unwrap_or(100_000.0), 1.0, 1e8) as u64;
        (qcore::bench::run_zab(n).0 as f64).into()
    });
    getter(o, "zabCommitted", weak, |me, _| {
        me.sim().world().zab_checks().map_or(JsValue::NULL, |c| (c.committed_count() as f64).into())
    });
}

/// The space-time diagram: what is selected, where its arrows and marks are
/// drawn (their middles, in CSS px of the diagram's canvas), its window.
fn spacetime_hooks(o: &Object, weak: &Weak<RefCell<Driver>>) {
    getter(o, "selected", weak, |me, _| {
        let o = Object::new();
        let (kind, id) = match me.selected() {
            Some(qscene::Selected::Message(m)) => ("message", m as f64),
            Some(qscene::Selected::Mark(e)) => ("mark", e as f64),
            None => return JsValue::NULL,
        };
        let _ = Reflect::set(&o, &"kind".into(), &kind.into());
        let _ = Reflect::set(&o, &"id".into(), &id.into());
        o.into()
    });
    getter(o, "diagramArrows", weak, |me, _| {
        me.diagram()
            .and_then(|d| d.scene())
            .map(|s| {
                s.arrows
                    .iter()
                    .map(|a| {
                        let m = a.a.lerp(a.b, 0.5);
                        let p = point(m.x, m.y);
                        let _ = Reflect::set(&p, &"id".into(), &(a.msg as f64).into());
                        let _ = Reflect::set(&p, &"length".into(), &a.a.dist(a.b).into());
                        let _ = Reflect::set(&p, &"selected".into(), &a.selected.into());
                        p
                    })
                    .collect::<Array>()
                    .into()
            })
            .unwrap_or(JsValue::NULL)
    });
    getter(o, "diagramMarks", weak, |me, _| {
        me.diagram()
            .and_then(|d| d.scene())
            .map(|s| {
                s.marks
                    .iter()
                    .filter_map(|m| {
                        let p = point(m.x, m.y?);
                        let _ = Reflect::set(&p, &"entry".into(), &(m.entry as f64).into());
                        let kind = format!("{:?}", m.kind);
                        let _ = Reflect::set(&p, &"kind".into(), &kind.into());
                        let _ = Reflect::set(&p, &"found".into(), &m.found.into());
                        Some(p)
                    })
                    .collect::<Array>()
                    .into()
            })
            .unwrap_or(JsValue::NULL)
    });
    getter(o, "diagramWindow", weak, |me, _| {
        me.diagram().map_or(JsValue::NULL, |d| {
            let (a, b) = d.window();
            let p = point(a, b);
            let _ = Reflect::set(&p, &"follow".into(), &d.following().into());
            p
        })
    });
}
