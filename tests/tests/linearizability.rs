//! Property tests of the linearizability checker and the history parsers.

use proptest::prelude::*;
use qcore::check::jepsen::parse;
use qcore::check::linear::{check, KvKey, KvOp, Op, Register, RegisterOp, Verdict};

/// A history made by running operations one after another on a real
/// register, then stretching each interval so they overlap at random.
fn sequential(ops: &[(u8, i64)], stretch: &[u64]) -> Vec<Op<RegisterOp>> {
    let mut reg: Option<i64> = None;
    let mut out = Vec::new();
    for (k, &(kind, v)) in ops.iter().enumerate() {
        let input = match kind % 3 {
            0 => RegisterOp::Write(v),
            1 => RegisterOp::Read(reg),
            _ => {
                let ok = reg == Some(v);
                RegisterOp::Cas { from: v, to: v + 1, ok: Some(ok) }
            }
        };
        if let RegisterOp::Write(x) = input {
            reg = Some(x);
        }
        if let RegisterOp::Cas { ok: Some(true), to, .. } = input {
            reg = Some(to);
        }
        // The op takes effect at time 10k; its interval is widened around it.
        let at = 10 * k as u64;
        let s = stretch.get(k).copied().unwrap_or(0);
        out.push(Op {
            id: k,
            process: k as u64,
            input,
            invoke: at.saturating_sub(s),
            ret: Some(at + s),
        });
    }
    out
}

/// A key–value history made the same way: gets, puts and appends of
/// short values that are often prefixes of one another ("a", "ab", ""),
/// so that a pruning which reads too much into a prefix would show.
fn sequential_kv(ops: &[(u8, u8)], stretch: &[u64]) -> Vec<Op<KvOp>> {
    const VALUES: [&str; 4] = ["", "a", "ab", "b"];
    let mut key = String::new();
    let mut out = Vec::new();
    for (k, &(kind, v)) in ops.iter().enumerate() {
        let v = VALUES[usize::from(v) % VALUES.len()].to_string();
        let input = match kind % 3 {
            0 => KvOp::Get(key.clone()),
            1 => {
                key.clone_from(&v);
                KvOp::Put(v)
            }
            _ => {
                key.push_str(&v);
                KvOp::Append(v)
            }
        };
        let at = 10 * k as u64;
        let s = stretch.get(k).copied().unwrap_or(0);
        out.push(Op {
            id: k,
            process: k as u64,
            input,
            invoke: at.saturating_sub(s),
            ret: Some(at + s),
        });
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// The search's look-ahead (a get must read a string that starts with
    /// the state or with a put's value) never cuts off a valid order.
    #[test]
    fn kv_histories_from_a_sequential_run_are_always_linearizable(
        ops in proptest::collection::vec((0u8..3, 0u8..4), 1..40),
        stretch in proptest::collection::vec(0u64..35, 40),
    ) {
        let h = sequential_kv(&ops, &stretch);
        prop_assert!(check(&KvKey, &h, 10_000_000).is_linearizable());
    }

    #[test]
    fn histories_from_a_sequential_run_are_always_linearizable(
        ops in proptest::collection::vec((0u8..3, 0i64..3), 1..40),
        stretch in proptest::collection::vec(0u64..25, 40),
    ) {
        let h = sequential(&ops, &stretch);
        prop_assert!(check(&Register, &h, 10_000_000).is_linearizable());
    }

    #[test]
    fn a_planted_stale_read_is_caught(
        ops in proptest::collection::vec((0u8..3, 0i64..3), 1..30),
        v in 100i64..200,
    ) {
        // Two writes, strictly in order, then a read of the first: stale.
        let mut h = sequential(&ops, &[]);
        let t = 10 * ops.len() as u64 + 10;
        let n = h.len();
        h.push(Op { id: n, process: 90, input: RegisterOp::Write(v), invoke: t, ret: Some(t + 1) });
        h.push(Op { id: n + 1, process: 91, input: RegisterOp::Write(v + 1), invoke: t + 2, ret: Some(t + 3) });
        h.push(Op { id: n + 2, process: 92, input: RegisterOp::Read(Some(v)), invoke: t + 4, ret: Some(t + 5) });
        let verdict = check(&Register, &h, 10_000_000);
        prop_assert!(matches!(verdict, Verdict::NotLinearizable { stuck, .. } if stuck == n + 2), "{:?}", verdict);
    }

    #[test]
    fn the_parsers_never_panic(text in ".{0,300}") {
        let _ = parse(&text);
        let _ = parse(&format!("{{:process 1, :type :invoke, :f :write, :value {text}}}"));
        let _ = parse(&format!("INFO  jepsen.util - 1\t:invoke\t:cas\t{text}"));
    }

    #[test]
    fn the_parsers_never_panic_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = parse(&String::from_utf8_lossy(&bytes));
    }
}

/// A run's history exported as Jepsen EDN reads back to the same verdict
/// as the live check on the run itself.
#[test]
fn exported_edn_reimports_to_the_same_verdict() {
    use qcore::check::jepsen::{to_edn, Parsed};
    use qcore::check::register_ops;
    use qcore::{lessons, Sim};
    for (id, expect) in
        [("quorum-3-2-2", false), ("waro", true), ("quorum-stale", false), ("quorum-10-3-8", true)]
    {
        let mut sim = Sim::new(lessons::lesson(id).expect("exists")).expect("valid");
        sim.run_until(3_000);
        let h = sim.history();
        let live = check(&Register, &register_ops(&h), 1_000_000).is_linearizable();
        let Parsed::Register(ops) = parse(&to_edn(&h)).expect("our own EDN parses") else {
            panic!("register")
        };
        let again = check(&Register, &ops, 1_000_000).is_linearizable();
        assert_eq!((live, again), (expect, expect), "{id}");
    }
}
