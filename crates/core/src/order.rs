//! Sorting, in one place.
//!
//! Why not `slice::sort*` at each call: the standard sorts are generic, and
//! every element type sorted gets its own copy of the sort's code in the wasm
//! bundle (3–5 KB each; sixteen copies were counted with twiggy). Here a
//! slice is ordered through its indices, by one copy of the sort for keys
//! and one for comparisons, whatever the element type. Both are stable.

use std::cmp::Ordering;

/// Sort `v` by a key packed into a `u128` (stable: equal keys keep their order).
pub fn by_key<T>(v: &mut Vec<T>, key: impl Fn(&T) -> u128) {
    let mut keyed: Vec<(u128, u32)> = v.iter().zip(0u32..).map(|(x, i)| (key(x), i)).collect();
    sort_keyed(&mut keyed);
    permute(v, keyed.into_iter().map(|(_, i)| i));
}

/// Sort `v` by a comparison (stable).
pub fn by<T>(v: &mut Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) {
    let perm = sorted_indices(v.len(), &|a, b| cmp(&v[a], &v[b]));
    permute(v, perm.into_iter());
}

/// A key that orders signed values as they compare (`i64::MIN` first).
#[must_use]
pub fn signed(x: i64) -> u128 {
    // Flipping the sign bit maps two's complement onto unsigned order.
    u128::from((x as u64) ^ (1 << 63))
}

/// Two keys of 64 bits as one, the first deciding.
#[must_use]
pub fn pair(hi: u64, lo: u64) -> u128 {
    (u128::from(hi) << 64) | u128::from(lo)
}

// Not generic: the one copy of the unstable sort (ties are broken by index).
fn sort_keyed(keyed: &mut [(u128, u32)]) {
    keyed.sort_unstable();
}

// Not generic: the one copy of the stable sort by comparison.
fn sorted_indices(n: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<u32> {
    let mut perm: Vec<u32> = (0..n as u32).collect();
    perm.sort_by(|&a, &b| cmp(a as usize, b as usize));
    perm
}

/// Rearrange `v` so that its `k`-th element is the old `perm[k]`-th.
fn permute<T>(v: &mut Vec<T>, perm: impl Iterator<Item = u32>) {
    let mut old: Vec<Option<T>> = v.drain(..).map(Some).collect();
    v.extend(perm.filter_map(|i| old[i as usize].take()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_sort_stably_and_signed_values_in_order() {
        let mut v = vec![(3, 'a'), (-1, 'b'), (3, 'c'), (i64::MIN, 'd'), (i64::MAX, 'e'), (0, 'f')];
        by_key(&mut v, |&(x, _)| signed(x));
        assert_eq!(v, [(i64::MIN, 'd'), (-1, 'b'), (0, 'f'), (3, 'a'), (3, 'c'), (i64::MAX, 'e')]);
    }

    #[test]
    fn comparisons_sort_stably() {
        let mut v = vec!["bb", "a", "ccc", "dd", "e"];
        by(&mut v, |a, b| a.len().cmp(&b.len()));
        assert_eq!(v, ["a", "e", "bb", "dd", "ccc"]);
        let mut w: Vec<String> = Vec::new();
        by(&mut w, |a, b| a.cmp(b));
        assert!(w.is_empty());
    }

    #[test]
    fn pairs_order_by_the_first_then_the_second() {
        let mut v = vec![(2u64, 1u64), (1, 9), (2, 0), (1, 3)];
        by_key(&mut v, |&(a, b)| pair(a, b));
        assert_eq!(v, [(1, 3), (1, 9), (2, 0), (2, 1)]);
    }
}
