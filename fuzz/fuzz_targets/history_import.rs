//! Any file a teacher can drop on the import panel: the EDN and log parsers
//! never panic, and whatever parses can be checked (with a small budget)
//! without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qcore::check::jepsen::{parse, Parsed};
use qcore::check::linear::{check, check_keys, KvKey, Register};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match parse(&text) {
        Ok(Parsed::Register(ops)) => {
            let _ = check(&Register, &ops, 20_000);
        }
        Ok(Parsed::Kv(keys)) => {
            let _ = check_keys(&KvKey, &keys, 20_000);
        }
        Err(_) => {}
    }
});
