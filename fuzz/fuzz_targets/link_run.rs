//! Any scenario a link can carry runs without panicking: decoded scenarios
//! pass the caps, and the world must cope with whatever they describe. The
//! input is a link payload built from the fuzzer's bytes (deflated postcard),
//! so the fuzzer explores scenarios rather than the envelope.
#![no_main]

use libfuzzer_sys::fuzz_target;

/// Events one input may run: enough to reach every handler, bounded so the
/// fuzzer keeps its pace.
const EVENTS: u64 = 20_000;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = postcard_scenario(data) else { return };
    if s.validate().is_err() {
        return;
    }
    let Ok(mut sim) = qcore::Sim::new(s) else { return };
    sim.run_until_budget(qcore::scenario::MAX_TICK, EVENTS);
    let _ = sim.history();
});

fn postcard_scenario(data: &[u8]) -> Result<qcore::Scenario, qcore::link::LinkError> {
    use base64::Engine as _;
    let packed = miniz_oxide::deflate::compress_to_vec(data, 6);
    let text = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(packed);
    qcore::link::decode(&format!("v1.{text}"))
}
