//! Small sorted maps and sets kept in a Vec, for the explorers' states.
//!
//! A state holds a handful of messages, timers and broken links, and the
//! explorer clones and hashes millions of states: a sorted Vec is cheaper to
//! clone and hash than a tree, and it costs the wasm bundle a few hundred
//! bytes per type where each `BTreeMap` type brings its own copy of the tree
//! code. Iteration is in key order, as for a `BTreeMap`.

/// A map with its entries sorted by key.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct VecMap<K, V>(Vec<(K, V)>);

impl<K, V> Default for VecMap<K, V> {
    fn default() -> Self {
        VecMap(Vec::new())
    }
}

impl<K: Ord, V> VecMap<K, V> {
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    fn find(&self, k: &K) -> Result<usize, usize> {
        self.0.binary_search_by(|(x, _)| x.cmp(k))
    }

    pub fn get_mut(&mut self, k: &K) -> Option<&mut V> {
        let i = self.find(k).ok()?;
        Some(&mut self.0[i].1)
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

    pub fn remove(&mut self, k: &K) -> Option<V> {
        let i = self.find(k).ok()?;
        Some(self.0.remove(i).1)
    }

    pub fn keys(&self) -> impl Iterator<Item = &K> {
        self.0.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.0.iter().map(|(_, v)| v)
    }

    pub fn retain(&mut self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        self.0.retain_mut(|(k, v)| keep(k, v));
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }
}

/// A set kept sorted.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct VecSet<T>(Vec<T>);

impl<T> Default for VecSet<T> {
    fn default() -> Self {
        VecSet(Vec::new())
    }
}

impl<T: Ord> VecSet<T> {
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Add `t`; false if it was there.
    pub fn insert(&mut self, t: T) -> bool {
        match self.0.binary_search(&t) {
            Ok(_) => false,
            Err(i) => {
                self.0.insert(i, t);
                true
            }
        }
    }

    /// Take `t` out; false if it was not there.
    pub fn remove(&mut self, t: &T) -> bool {
        match self.0.binary_search(t) {
            Ok(i) => {
                self.0.remove(i);
                true
            }
            Err(_) => false,
        }
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
    pub fn contains(&self, t: &T) -> bool {
        self.0.binary_search(t).is_ok()
    }

    pub fn retain(&mut self, keep: impl FnMut(&T) -> bool) {
        self.0.retain(keep);
    }

    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.0.iter()
    }
}

impl<'a, T> IntoIterator for &'a VecSet<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        m.retain(|k, _| *k > 1);
        assert_eq!((m.len(), m.is_empty()), (1, false));
        let mut s = VecSet::new();
        assert!(s.insert((2, 9)) && s.insert((1, 4)) && !s.insert((2, 9)));
        assert_eq!(s.iter().copied().collect::<Vec<_>>(), [(1, 4), (2, 9)]);
        assert!(s.contains(&(1, 4)) && s.remove(&(1, 4)) && !s.remove(&(1, 4)));
        s.retain(|&(a, _)| a != 2);
        assert!(s.iter().next().is_none());
    }
}
