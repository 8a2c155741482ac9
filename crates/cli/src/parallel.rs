//! Many keys checked on every core: the keys are dealt into one share per
//! thread (largest first, each to the lightest share), each share is checked
//! as the page checks a whole history (its keys interleaved in slices), and
//! the first share to find a key not linearizable stops the others.

use qcore::small::VecMap;
use std::sync::atomic::{AtomicBool, Ordering};

use qcore::check::linear::{check_slices_with, join_keys, Model, Op, Verdict};
use rayon::prelude::*;

/// Below this many operations the keys are checked on one thread.
const PARALLEL_FROM_OPS: usize = 2_000;

/// A history split by key.
type Keys<I> = VecMap<String, Vec<Op<I>>>;

/// Keys dealt to one thread, each with its place in the history's keys.
type Share<'a, I> = Vec<(usize, &'a [Op<I>])>;

/// [`qcore::check::linear::check_keys`] on every core.
pub fn check_keys_parallel<M>(model: &M, keys: &Keys<M::Input>, budget: u64) -> Verdict
where
    M: Model + Sync,
    M::Input: Send + Sync,
{
    // Waking the pool costs tens of microseconds: more than a small
    // history's whole check.
    let ops: usize = keys.values().map(Vec::len).sum();
    let threads = if ops < PARALLEL_FROM_OPS { 1 } else { rayon::current_num_threads() };
    let shares = deal(keys, threads);
    if shares.len() < 2 {
        let all: Vec<&[Op<M::Input>]> = keys.values().map(Vec::as_slice).collect();
        return check_slices_with(model, &all, budget, |_| true);
    }
    let stop = AtomicBool::new(false);
    let verdicts: Vec<Verdict> = shares
        .into_par_iter()
        .map(|share| {
            let v = check_slices_with(model, &share, budget, |_| !stop.load(Ordering::Relaxed));
            if matches!(v, Verdict::NotLinearizable { .. }) {
                stop.store(true, Ordering::Relaxed);
            }
            v
        })
        .collect();
    join_keys(verdicts)
}

/// The keys dealt into at most `n` shares of about equal operation counts
/// (largest first, each to the lightest share), borrowed, not copied: a
/// copy of a 50 000-operation history cost more than the second core won.
/// Within a share the keys keep their order in `keys`.
fn deal<I>(keys: &Keys<I>, n: usize) -> Vec<Vec<&[Op<I>]>> {
    let n = n.clamp(1, keys.len().max(1));
    let mut by_size: Vec<(usize, &Vec<Op<I>>)> = keys.values().enumerate().collect();
    by_size.sort_by_key(|(k, ops)| (std::cmp::Reverse(ops.len()), *k));
    // Each share: its load, and its keys (by place in `keys`).
    let mut shares: Vec<(usize, Share<I>)> = vec![(0, Vec::new()); n];
    for (k, ops) in by_size {
        let lightest = shares.iter_mut().min_by_key(|(load, _)| *load).expect("n >= 1");
        lightest.0 += ops.len();
        lightest.1.push((k, ops));
    }
    shares
        .into_iter()
        .filter(|(_, s)| !s.is_empty())
        .map(|(_, mut s)| {
            s.sort_by_key(|(k, _)| *k);
            s.into_iter().map(|(_, ops)| ops).collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use qcore::check::linear::{check_keys, KvKey, KvOp};

    fn op(id: usize, invoke: u64, ret: u64, input: KvOp) -> Op<KvOp> {
        Op { id, process: id as u64, input, invoke, ret: Some(ret) }
    }

    #[test]
    fn the_verdict_is_the_serial_one() {
        // Enough operations for the parallel path.
        let good: Vec<Op<KvOp>> = (0..200u64)
            .flat_map(|i| {
                let v = format!("v{i}");
                let k = 2 * i as usize;
                [
                    op(k, 4 * i, 4 * i + 1, KvOp::Put(v.clone())),
                    op(k + 1, 4 * i + 2, 4 * i + 3, KvOp::Get(v)),
                ]
            })
            .collect();
        assert!(6 * good.len() >= PARALLEL_FROM_OPS);
        let stale = vec![op(2, 0, 1, KvOp::Put("b".into())), op(3, 2, 3, KvOp::Get(String::new()))];
        let mut keys: VecMap<String, Vec<Op<KvOp>>> =
            (0..6).map(|k| (format!("k{k}"), good.clone())).collect();
        let serial = check_keys(&KvKey, &keys, 1_000_000);
        assert!(matches!(
            check_keys_parallel(&KvKey, &keys, 1_000_000),
            Verdict::Linearizable { .. }
        ));
        assert!(matches!(serial, Verdict::Linearizable { .. }));
        keys.insert("k9".into(), stale);
        assert!(matches!(
            check_keys_parallel(&KvKey, &keys, 1_000_000),
            Verdict::NotLinearizable { .. }
        ));
    }

    #[test]
    fn shares_are_balanced_and_lose_no_key() {
        let keys: VecMap<String, Vec<Op<KvOp>>> = (0..7)
            .map(|k| {
                (format!("k{k}"), (0..=k).map(|i| op(i, 0, 1, KvOp::Get(String::new()))).collect())
            })
            .collect();
        let shares = deal(&keys, 2);
        assert_eq!(shares.iter().map(Vec::len).sum::<usize>(), 7);
        let loads: Vec<usize> = shares.iter().map(|s| s.iter().map(|o| o.len()).sum()).collect();
        assert!(loads[0].abs_diff(loads[1]) <= 1, "{loads:?}");
        // Every key once, each share in the keys' order (k0 has 1 operation,
        // k6 has 7).
        let mut sizes: Vec<usize> = shares.iter().flatten().map(|o| o.len()).collect();
        for share in &shares {
            assert!(share.windows(2).all(|w| w[0].len() < w[1].len()), "in key order");
        }
        sizes.sort_unstable();
        assert_eq!(sizes, [1, 2, 3, 4, 5, 6, 7]);
    }
}
