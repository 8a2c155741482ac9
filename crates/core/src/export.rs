//! A run as JSON: its share link, the tick it reached, its trace hash and
//! every trace entry (serde's derived forms), for tools outside the app.
//! The CLI's `run --export json` and the app's "Export trace (JSON)" both
//! write this.

use serde::Serialize;

use crate::link::{self, ViewOptions};
use crate::sim::Sim;
use crate::trace::TraceEntry;

#[derive(Serialize)]
struct Export<'a> {
    link: String,
    tick: u64,
    hash: String,
    trace: &'a [TraceEntry],
}

/// The run so far as a JSON document.
///
/// # Errors
/// Only if serialization fails, which the derived forms never do.
pub fn trace_json(sim: &Sim) -> Result<String, serde_json::Error> {
    serde_json::to_string(&Export {
        link: format!("#{}", link::fragment(sim.scenario(), &ViewOptions::default())),
        tick: sim.now(),
        hash: format!("{:016x}", sim.trace_hash()),
        trace: sim.trace(),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_run_exports_as_json_that_reads_back() {
        let s = crate::lessons::lesson("quorum-3-2-2").expect("lesson");
        let mut sim = crate::Sim::new(s).expect("valid");
        sim.run_until(700);
        let text = super::trace_json(&sim).expect("serializes");
        let v: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(v["tick"], 700);
        assert_eq!(v["hash"], format!("{:016x}", sim.trace_hash()));
        assert_eq!(v["trace"].as_array().map(Vec::len), Some(sim.trace().len()));
        assert!(v["link"].as_str().is_some_and(|l| l.starts_with("#s=v2.")));
        assert!(text.contains(r#""Crashed":{"node":0}"#), "the crash of n0 is in it");
    }
}
