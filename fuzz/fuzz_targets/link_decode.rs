//! Any fragment a user can paste: parsing never panics, and whatever
//! decodes is a valid scenario that encodes back to a link that decodes to
//! the same scenario.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(f) = qcore::link::parse_fragment(&text) {
        if let Some(s) = f.scenario {
            assert!(s.validate().is_ok(), "a decoded scenario is valid");
            let again = qcore::link::decode(&qcore::link::encode(&s)).expect("our own link");
            assert_eq!(again, s);
        }
    }
    // The payload decoder alone, on raw text after the version prefix.
    let _ = qcore::link::decode(&format!("v1.{text}"));
});
