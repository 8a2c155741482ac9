//! Real Jepsen histories (tests/fixtures/jepsen, from Porcupine's test data): the linearizability
//! checker reaches Porcupine's verdict on every one.

use std::path::PathBuf;

use qcore::check::jepsen::{parse, Parsed};
use qcore::check::linear::{check, check_keys, KvKey, Register, Verdict};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/jepsen")
}

fn verdict(text: &str) -> Verdict {
    match parse(text).expect("a readable history") {
        Parsed::Register(ops) => check(&Register, &ops, 50_000_000),
        Parsed::Kv(keys) => check_keys(&KvKey, &keys, 50_000_000),
    }
}

#[test]
fn every_fixture_gets_porcupines_verdict() {
    let dir = fixtures();
    let verdicts = std::fs::read_to_string(dir.join("verdicts.txt"))
        .expect("tests/fixtures/jepsen/verdicts.txt");
    let mut checked = 0;
    for line in verdicts.lines().filter(|l| !l.trim().is_empty()) {
        let (file, expected) = line.split_once(' ').expect("<file> <verdict>");
        let text = std::fs::read_to_string(dir.join(file)).expect("fixture file");
        let v = verdict(&text);
        let got = match v {
            Verdict::Linearizable { .. } => "linearizable",
            Verdict::NotLinearizable { .. } => "not-linearizable",
            Verdict::Unknown => "unknown",
        };
        assert_eq!(got, expected.trim(), "{file}");
        checked += 1;
    }
    assert_eq!(checked, 24);
}

#[test]
fn treating_timeouts_as_never_happened_would_flip_verdicts() {
    // The fixtures' README: ":info" must stay open. Closing them as failures
    // changes some verdicts, so this test proves the fixtures exercise it.
    let dir = fixtures();
    let mut flipped = 0;
    for n in 0..20 {
        let text =
            std::fs::read_to_string(dir.join(format!("etcd/etcd_{n:03}.log"))).expect("fixture");
        let Parsed::Register(ops) = parse(&text).expect("parses") else { panic!("register") };
        let honest = check(&Register, &ops, 50_000_000).is_linearizable();
        let dropped: Vec<_> = ops.into_iter().filter(|o| o.ret.is_some()).collect();
        if check(&Register, &dropped, 50_000_000).is_linearizable() != honest {
            flipped += 1;
        }
    }
    assert!(flipped > 0);
}
