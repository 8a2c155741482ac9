//! Sorted maps and sets kept in a Vec: the core's maps and sets.
//!
//! Every `BTreeMap` or `BTreeSet` key and value type brings its own copy of
//! the tree's code into the wasm bundle (insertion, rebalancing, removal,
//! cloning, dropping: about 5 KB each; a dozen copies were counted with
//! twiggy). A sorted Vec costs a few hundred bytes per type. The maps here
//! hold a handful of entries (a node's peers, links, votes, timers, the
//! messages in flight), are filled in key order (a run's operations, a
//! verdict's points) or gain each key once (a history's keys, at most a
//! few hundred), where a Vec is also cheaper to clone, hash and walk than a
//! tree. The API is the trees' where it is used, and iteration is
//! in key order, as for a tree; `Debug` prints as a tree does.

use std::borrow::Borrow;
use std::collections::VecDeque;
use std::fmt;
use std::ops::{Bound, RangeBounds};

/// Where the entries of sorted `v` whose keys lie in `r` start and end.
fn bounds<E, K: Ord>(v: &[E], r: &impl RangeBounds<K>, key: impl Fn(&E) -> &K) -> (usize, usize) {
    let from = match r.start_bound() {
        Bound::Included(s) => v.partition_point(|e| key(e) < s),
        Bound::Excluded(s) => v.partition_point(|e| key(e) <= s),
        Bound::Unbounded => 0,
    };
    let to = match r.end_bound() {
        Bound::Included(e) => v.partition_point(|x| key(x) <= e),
        Bound::Excluded(e) => v.partition_point(|x| key(x) < e),
        Bound::Unbounded => v.len(),
    };
    (from, to.max(from))
}

/// A map with its entries sorted by key.
#[derive(PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VecMap<K, V>(Vec<(K, V)>);

/// A copy made over another keeps that one's room (an explorer makes each
/// successor over the last one it threw away: no allocation).
impl<K: Clone, V: Clone> Clone for VecMap<K, V> {
    fn clone(&self) -> Self {
        VecMap(vec_with_room(&self.0, 0))
    }

    fn clone_from(&mut self, source: &Self) {
        copy_over(&mut self.0, &source.0);
    }
}

/// Make `dst` a copy of `src` in `dst`'s room. Unlike `Vec::clone_from`
/// (which clones over each old entry, then appends the rest), this is the
/// same code as a copy with room: in wasm, one loop per entry type, not
/// three.
pub fn copy_over<T: Clone>(dst: &mut Vec<T>, src: &[T]) {
    dst.clear();
    dst.extend_from_slice(src);
}

/// A copy of `src` made with the same code as [`copy_over`].
#[must_use]
pub fn copy_of<T: Clone>(src: &[T]) -> Vec<T> {
    vec_with_room(src, 0)
}

impl<K, V> Default for VecMap<K, V> {
    fn default() -> Self {
        VecMap(Vec::new())
    }
}

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for VecMap<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.0.iter().map(|(k, v)| (k, v))).finish()
    }
}

impl<K, V> VecMap<K, V> {
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Room for how many entries before the map grows.
    #[must_use]
    pub fn capacity(&self) -> usize {
        self.0.capacity()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn clear(&mut self) {
        self.0.clear();
    }

    /// The entries in key order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&K, &V)> + ExactSizeIterator {
        self.0.iter().map(|(k, v)| (k, v))
    }

    pub fn iter_mut(&mut self) -> impl DoubleEndedIterator<Item = (&K, &mut V)> {
        self.0.iter_mut().map(|(k, v)| (&*k, v))
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &K> + ExactSizeIterator {
        self.0.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator {
        self.0.iter().map(|(_, v)| v)
    }

    pub fn values_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut V> {
        self.0.iter_mut().map(|(_, v)| v)
    }

    pub fn into_values(self) -> impl DoubleEndedIterator<Item = V> {
        self.0.into_iter().map(|(_, v)| v)
    }

    #[must_use]
    pub fn first_key_value(&self) -> Option<(&K, &V)> {
        self.0.first().map(|(k, v)| (k, v))
    }

    #[must_use]
    pub fn last_key_value(&self) -> Option<(&K, &V)> {
        self.0.last().map(|(k, v)| (k, v))
    }

    pub fn pop_last(&mut self) -> Option<(K, V)> {
        self.0.pop()
    }

    pub fn retain(&mut self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        self.0.retain_mut(|(k, v)| keep(k, v));
    }
}

impl<K: Ord, V> VecMap<K, V> {
    fn find<Q: Ord + ?Sized>(&self, k: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
    {
        // Entries are often added in key order: try the end first.
        match self.0.last() {
            Some((last, _)) if last.borrow() < k => Err(self.0.len()),
            _ => self.0.binary_search_by(|(x, _)| x.borrow().cmp(k)),
        }
    }

    #[must_use]
    pub fn get<Q: Ord + ?Sized>(&self, k: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        let i = self.find(k).ok()?;
        Some(&self.0[i].1)
    }

    pub fn get_mut<Q: Ord + ?Sized>(&mut self, k: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        let i = self.find(k).ok()?;
        Some(&mut self.0[i].1)
    }

    #[must_use]
    pub fn contains_key<Q: Ord + ?Sized>(&self, k: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.find(k).is_ok()
    }

    /// The entries whose keys lie in `r`, in key order.
    pub fn range(&self, r: impl RangeBounds<K>) -> impl DoubleEndedIterator<Item = (&K, &V)> {
        let (from, to) = bounds(&self.0, &r, |(k, _)| k);
        self.0[from..to].iter().map(|(k, v)| (k, v))
    }

    /// Put `v` at `k`; the value it replaced, if any.
    pub fn insert(&mut self, k: K, v: V) -> Option<V> {
        match self.find(&k) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, v)),
            Err(i) => {
                self.0.insert(i, (k, v));
                None
            }
        }
    }

    /// The value at `k`, made by `make` if there is none.
    pub fn get_or(&mut self, k: K, make: impl FnOnce() -> V) -> &mut V {
        let i = match self.find(&k) {
            Ok(i) => i,
            Err(i) => {
                self.0.insert(i, (k, make()));
                i
            }
        };
        &mut self.0[i].1
    }

    pub fn remove<Q: Ord + ?Sized>(&mut self, k: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        let i = self.find(k).ok()?;
        Some(self.0.remove(i).1)
    }
}

impl<K: Ord, V: Default> VecMap<K, V> {
    /// The value at `k`, the default if there is none.
    pub fn get_or_default(&mut self, k: K) -> &mut V {
        self.get_or(k, V::default)
    }
}

impl<K: Ord, V> FromIterator<(K, V)> for VecMap<K, V> {
    /// As a tree collects: a later entry replaces an earlier one of its key.
    fn from_iter<I: IntoIterator<Item = (K, V)>>(it: I) -> Self {
        let mut m = VecMap::new();
        m.extend(it);
        m
    }
}

impl<K: Ord, V> Extend<(K, V)> for VecMap<K, V> {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, it: I) {
        for (k, v) in it {
            self.insert(k, v);
        }
    }
}

impl<K, V> IntoIterator for VecMap<K, V> {
    type Item = (K, V);
    type IntoIter = std::vec::IntoIter<(K, V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// As a tree's: the value at a key that must be there (panics when absent).
impl<K: Ord + Borrow<Q>, Q: Ord + ?Sized, V> std::ops::Index<&Q> for VecMap<K, V> {
    type Output = V;
    fn index(&self, k: &Q) -> &V {
        self.get(k).expect("no entry for the key")
    }
}

impl<'a, K, V> IntoIterator for &'a VecMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (K, V)>, fn(&'a (K, V)) -> (&'a K, &'a V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl<K: serde::Serialize, V: serde::Serialize> serde::Serialize for VecMap<K, V> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

/// A set kept sorted.
#[derive(PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VecSet<T>(Vec<T>);

/// As for [`VecMap`], a copy made over another keeps its room.
impl<T: Clone> Clone for VecSet<T> {
    fn clone(&self) -> Self {
        VecSet(vec_with_room(&self.0, 0))
    }

    fn clone_from(&mut self, source: &Self) {
        copy_over(&mut self.0, &source.0);
    }
}

/// A collection copied to be added to: the copy has room for `extra` more
/// entries (a plain copy has none, and its first insert moves it).
pub trait CloneWithRoom {
    #[must_use]
    fn clone_with_room(&self, extra: usize) -> Self;
}

fn vec_with_room<T: Clone>(v: &[T], extra: usize) -> Vec<T> {
    let mut copy = Vec::with_capacity(v.len() + extra);
    copy.extend_from_slice(v);
    copy
}

impl<T: Clone> CloneWithRoom for Vec<T> {
    fn clone_with_room(&self, extra: usize) -> Self {
        vec_with_room(self, extra)
    }
}

impl<K: Clone, V: Clone> CloneWithRoom for VecMap<K, V> {
    fn clone_with_room(&self, extra: usize) -> Self {
        VecMap(vec_with_room(&self.0, extra))
    }
}

impl<T: Clone> CloneWithRoom for VecSet<T> {
    fn clone_with_room(&self, extra: usize) -> Self {
        VecSet(vec_with_room(&self.0, extra))
    }
}

/// A shared collection to change: copied, with room for one more entry,
/// only while something else holds it too (as `Rc::make_mut`, whose copy
/// has no room).
pub fn edit<C: CloneWithRoom + Clone>(shared: &mut std::rc::Rc<C>) -> &mut C {
    if std::rc::Rc::get_mut(shared).is_none() {
        *shared = std::rc::Rc::new(shared.clone_with_room(1));
    }
    std::rc::Rc::make_mut(shared) // its own now: nothing is copied
}

impl<T> Default for VecSet<T> {
    fn default() -> Self {
        VecSet(Vec::new())
    }
}

impl<T: fmt::Debug> fmt::Debug for VecSet<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.0.iter()).finish()
    }
}

impl<T> VecSet<T> {
    /// Room for how many entries before the set grows.
    #[must_use]
    pub fn capacity(&self) -> usize {
        self.0.capacity()
    }

    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn clear(&mut self) {
        self.0.clear();
    }

    pub fn retain(&mut self, keep: impl FnMut(&T) -> bool) {
        self.0.retain(keep);
    }

    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.0.iter()
    }

    #[must_use]
    pub fn first(&self) -> Option<&T> {
        self.0.first()
    }

    #[must_use]
    pub fn last(&self) -> Option<&T> {
        self.0.last()
    }
}

impl<T: Ord> VecSet<T> {
    fn find(&self, t: &T) -> Result<usize, usize> {
        match self.0.last() {
            Some(last) if last < t => Err(self.0.len()),
            _ => self.0.binary_search(t),
        }
    }

    /// Add `t`; false if it was there.
    pub fn insert(&mut self, t: T) -> bool {
        match self.find(&t) {
            Ok(_) => false,
            Err(i) => {
                self.0.insert(i, t);
                true
            }
        }
    }

    /// Take `t` out; false if it was not there.
    pub fn remove(&mut self, t: &T) -> bool {
        match self.find(t) {
            Ok(i) => {
                self.0.remove(i);
                true
            }
            Err(_) => false,
        }
    }

    #[must_use]
    pub fn contains(&self, t: &T) -> bool {
        self.find(t).is_ok()
    }

    /// The members in `r`, in order.
    pub fn range(&self, r: impl RangeBounds<T>) -> std::slice::Iter<'_, T> {
        let (from, to) = bounds(&self.0, &r, |t| t);
        self.0[from..to].iter()
    }
}

impl<'a, T> IntoIterator for &'a VecSet<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<T> IntoIterator for VecSet<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<T: Ord> FromIterator<T> for VecSet<T> {
    fn from_iter<I: IntoIterator<Item = T>>(it: I) -> Self {
        let mut s = VecSet::new();
        s.extend(it);
        s
    }
}

impl<T: Ord> Extend<T> for VecSet<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, it: I) {
        for t in it {
            self.insert(t);
        }
    }
}

impl<T: serde::Serialize> serde::Serialize for VecSet<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter())
    }
}

/// A queue of entries taken in key order, any of which can be withdrawn:
/// the simulator's events. New keys mostly come last and the first is
/// taken, both cheap at the two ends of a ring buffer; a withdrawal shifts
/// the shorter side.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SortedQueue<K, V>(VecDeque<(K, V)>);

impl<K, V> Default for SortedQueue<K, V> {
    fn default() -> Self {
        SortedQueue(VecDeque::new())
    }
}

impl<K: Ord, V> SortedQueue<K, V> {
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    #[must_use]
    pub fn first_key(&self) -> Option<&K> {
        self.0.front().map(|(k, _)| k)
    }

    pub fn pop_first(&mut self) -> Option<(K, V)> {
        self.0.pop_front()
    }

    fn find(&self, k: &K) -> Result<usize, usize> {
        match self.0.back() {
            Some((last, _)) if last < k => Err(self.0.len()),
            _ => self.0.binary_search_by(|(x, _)| x.cmp(k)),
        }
    }

    /// Queue `v` at `k`; the value it replaced, if any.
    pub fn insert(&mut self, k: K, v: V) -> Option<V> {
        match self.find(&k) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, v)),
            Err(i) => {
                self.0.insert(i, (k, v));
                None
            }
        }
    }

    pub fn remove(&mut self, k: &K) -> Option<V> {
        let i = self.find(k).ok()?;
        self.0.remove(i).map(|(_, v)| v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_with_room_is_equal_and_takes_that_many_entries_in_place() {
        let m: VecMap<u8, u8> = [(1, 1), (3, 3)].into_iter().collect();
        let mut c = m.clone_with_room(2);
        assert_eq!(c, m);
        assert!(c.capacity() >= 4);
        let at = c.capacity();
        c.insert(2, 2);
        c.insert(0, 0);
        assert_eq!(c.capacity(), at, "no growth for the room asked");
        assert_eq!(c.keys().copied().collect::<Vec<_>>(), [0, 1, 2, 3]);
    }

    #[test]
    fn an_edit_copies_a_shared_collection_once_and_leaves_the_other_holder_alone() {
        let mut a = std::rc::Rc::new([1, 3].into_iter().collect::<VecSet<u8>>());
        let b = std::rc::Rc::clone(&a);
        edit(&mut a).insert(2);
        assert_eq!(b.iter().copied().collect::<Vec<_>>(), [1, 3], "the other holder's set");
        assert_eq!(a.iter().copied().collect::<Vec<_>>(), [1, 2, 3]);
        assert!(a.capacity() >= 3);
        let at = std::rc::Rc::as_ptr(&a);
        edit(&mut a).insert(0);
        assert_eq!(std::rc::Rc::as_ptr(&a), at, "a set of its own is changed in place");
        assert_eq!(a.iter().copied().collect::<Vec<_>>(), [0, 1, 2, 3]);
    }

    #[test]
    fn maps_and_sets_stay_sorted_and_answer_like_trees() {
        let mut m = VecMap::new();
        for k in [5, 1, 3, 1] {
            *m.get_or(k, || 0) += 1;
        }
        assert_eq!(m.keys().copied().collect::<Vec<_>>(), [1, 3, 5]);
        assert_eq!(m.values().copied().collect::<Vec<_>>(), [2, 1, 1]);
        assert_eq!(m.remove(&3), Some(1));
        assert_eq!(m.remove(&3), None);
        assert_eq!(m.get_mut(&5).map(|v| *v), Some(1));
        assert_eq!((m.insert(7, 4), m.insert(7, 6), m.get(&7)), (None, Some(4), Some(&6)));
        assert_eq!(format!("{m:?}"), "{1: 2, 5: 1, 7: 6}");
        m.retain(|k, _| *k > 1);
        assert_eq!((m.len(), m.is_empty(), m.contains_key(&1)), (2, false, false));
        let c: VecMap<u8, u8> = [(2, 1), (1, 1), (2, 3)].into_iter().collect();
        assert_eq!(c.into_iter().collect::<Vec<_>>(), [(1, 1), (2, 3)]);
        let mut s = VecSet::new();
        assert!(s.insert((2, 9)) && s.insert((1, 4)) && !s.insert((2, 9)));
        assert_eq!(s.iter().copied().collect::<Vec<_>>(), [(1, 4), (2, 9)]);
        assert_eq!(format!("{s:?}"), "{(1, 4), (2, 9)}");
        assert!(s.contains(&(1, 4)) && s.remove(&(1, 4)) && !s.remove(&(1, 4)));
        s.retain(|&(a, _)| a != 2);
        assert!(s.iter().next().is_none());
    }

    #[test]
    #[allow(clippy::disallowed_types)] // the trees are the reference
    fn maps_and_sets_agree_with_trees_on_any_operations() {
        use std::collections::{BTreeMap, BTreeSet};
        // A fixed pseudo-random walk of inserts and removes.
        let (mut m, mut t) = (VecMap::new(), BTreeMap::new());
        let (mut s, mut u) = (VecSet::new(), BTreeSet::new());
        let mut x: u32 = 7;
        for i in 0..2_000u32 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let k = (x >> 16) % 64;
            if x.is_multiple_of(3) {
                assert_eq!(m.remove(&k), t.remove(&k));
                assert_eq!(s.remove(&k), u.remove(&k));
            } else {
                assert_eq!(m.insert(k, i), t.insert(k, i));
                assert_eq!(s.insert(k), u.insert(k));
            }
        }
        assert!(m.iter().eq(t.iter()));
        assert!(s.iter().eq(u.iter()));
        assert_eq!(
            (m.first_key_value(), m.last_key_value()),
            (t.first_key_value(), t.last_key_value())
        );
        for (a, b) in [(0, 64), (10, 20), (20, 20), (63, 64)] {
            assert!(m.range(a..b).eq(t.range(a..b)));
            assert!(m.range(a..=b).rev().eq(t.range(a..=b).rev()));
            assert!(s.range(a..b).eq(u.range(a..b)));
        }
        let mut q = SortedQueue::new();
        for (k, v) in m.iter() {
            assert_eq!(q.insert(*k, *v), None);
        }
        assert_eq!(q.len(), m.len());
        assert_eq!(
            q.remove(&m.first_key_value().map_or(0, |(k, _)| *k)),
            t.pop_first().map(|(_, v)| v)
        );
        while let Some((k, v)) = q.pop_first() {
            assert_eq!(t.pop_first(), Some((k, v)));
        }
        assert!(t.is_empty() && q.is_empty() && q.first_key().is_none());
    }
}
