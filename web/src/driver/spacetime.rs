//! The driver's side of the space-time diagram: attaching it, its
//! gestures and view, and the selection it shares with the canvas.

use qcore::types::Addr;
use qscene::Point;
use web_sys::HtmlCanvasElement;

use super::{Driver, Summary};
use crate::diagram::SelInfo;

impl Driver {
    /// Draw the space-time diagram on `canvas` from now on.
    pub fn attach_diagram(&mut self, canvas: HtmlCanvasElement) {
        self.st.diagram = crate::diagram::Diagram::new(canvas, &self.sim);
        self.dirty = true;
    }

    #[must_use]
    pub fn diagram(&self) -> Option<&crate::diagram::Diagram> {
        self.st.diagram.as_ref()
    }

    #[must_use]
    pub fn selected(&self) -> Option<qscene::Selected> {
        self.st.selected
    }

    /// Select an event in both views (and go to it when `seek`: a message
    /// to its send, so it is on the canvas in flight; a mark to its tick).
    pub fn select(&mut self, sel: Option<qscene::Selected>, seek: bool) -> Summary {
        self.st.selected = sel;
        self.dirty = true;
        let tick = match sel {
            Some(qscene::Selected::Message(m)) => {
                self.st.diagram.as_ref().and_then(|d| d.index().arrow(m)).map(|a| a.sent)
            }
            Some(qscene::Selected::Mark(entry)) => self.sim.recorded().get(entry).map(|e| e.tick),
            None => None,
        };
        match tick.filter(|_| seek) {
            Some(t) => {
                self.playing = false;
                if let Some(d) = &mut self.st.diagram {
                    d.set_follow(false);
                }
                self.seek(t)
            }
            None => self.summary(),
        }
    }

    pub fn show_vectors(&mut self, on: bool) -> Summary {
        self.st.vectors = on;
        self.summary()
    }

    /// Zoom the diagram (factor < 1 zooms in), pan it (fraction of its
    /// width), or make it follow the present again.
    pub fn diagram_view(&mut self, zoom: Option<f64>, pan: Option<f64>, follow: bool) -> Summary {
        if let Some(d) = &mut self.st.diagram {
            if let Some(f) = zoom {
                d.zoom(f, None);
            }
            if let Some(p) = pan {
                d.pan(p);
            }
            if follow {
                d.set_follow(true);
            }
        }
        self.dirty = true;
        self.summary()
    }

    pub fn diagram_wheel(&mut self, x: f64, dy: f64, horizontal: bool) {
        if let Some(d) = &mut self.st.diagram {
            d.wheel(x, dy, horizontal);
            self.dirty = true;
        }
    }

    pub fn diagram_down(&mut self, id: i32, p: Point) {
        if let Some(d) = &mut self.st.diagram {
            d.pointer_down(id, p);
        }
    }

    pub fn diagram_move(&mut self, id: i32, p: Point) {
        if self.st.diagram.as_mut().is_some_and(|d| d.pointer_move(id, p)) {
            self.dirty = true;
        }
    }

    /// A tap or click on the diagram selects what it hits, in both views.
    pub fn diagram_up(&mut self, id: i32, p: Point) -> Option<Summary> {
        let hit = self.st.diagram.as_mut()?.pointer_up(id, p);
        self.dirty = true;
        let sel = hit.map(|h| match h {
            qscene::StHit::Message(m) => qscene::Selected::Message(m),
            qscene::StHit::Mark(e) => qscene::Selected::Mark(e),
        });
        Some(self.select(sel, sel.is_some()))
    }

    pub fn diagram_cancel(&mut self) {
        if let Some(d) = &mut self.st.diagram {
            d.pointer_cancel();
        }
    }

    /// The selection described, with its vector clock if asked for.
    pub(super) fn selection(&self) -> Option<SelInfo> {
        let sel = self.st.selected?;
        let d = self.st.diagram.as_ref()?;
        let st = d.index();
        let name = |a: Addr| {
            st.lane_of(a).and_then(|r| d.names().get(r as usize).cloned()).unwrap_or_default()
        };
        let vector = |entry: usize, lane: Option<Addr>| -> Option<Vec<u64>> {
            if !self.st.vectors {
                return None;
            }
            let row = lane.and_then(|l| st.lane_of(l))? as usize;
            if let Some((s, v)) = self.st.vector_cache.borrow().as_ref() {
                if *s == sel {
                    return Some(v.clone());
                }
            }
            let s = self.sim.scenario();
            let all = qcore::spacetime::vector_clocks(
                self.sim.recorded(),
                s.protocol.nodes(),
                s.clients,
                entry,
            );
            let v = all.get(row)?.clone();
            self.st.vector_cache.replace(Some((sel, v.clone())));
            Some(v)
        };
        match sel {
            qscene::Selected::Message(m) => {
                let a = st.arrow(m)?;
                Some(SelInfo::Message {
                    msg: m,
                    name: a.kind.name(),
                    from: name(a.from),
                    to: name(a.to),
                    sent: a.sent,
                    lamport: a.lamport,
                    end: a.end,
                    duplicate: a.duplicate,
                    vector: vector(a.entry, Some(a.from)),
                })
            }
            qscene::Selected::Mark(entry) => {
                let mk = st.marks().iter().find(|m| m.entry == entry)?;
                Some(SelInfo::Mark {
                    kind: mk.kind,
                    lane: mk.lane.map(name),
                    tick: mk.tick,
                    lamport: mk.lamport,
                    vector: vector(entry, mk.lane),
                })
            }
        }
    }
}
