//! A map from node id to a value, as a vector indexed by id. Clusters have
//! at most a handful of servers, so this is as fast as a tree map and much
//! smaller in the WebAssembly bundle.

/// Node id → `T`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NodeMap<T>(Vec<Option<T>>);

impl<T> Default for NodeMap<T> {
    fn default() -> Self {
        NodeMap(Vec::new())
    }
}

impl<T> NodeMap<T> {
    pub fn insert(&mut self, node: u32, value: T) {
        let i = node as usize;
        if self.0.len() <= i {
            self.0.resize_with(i + 1, || None);
        }
        self.0[i] = Some(value);
    }

    #[must_use]
    pub fn get(&self, node: u32) -> Option<&T> {
        self.0.get(node as usize).and_then(Option::as_ref)
    }

    pub fn get_mut(&mut self, node: u32) -> Option<&mut T> {
        self.0.get_mut(node as usize).and_then(Option::as_mut)
    }

    pub fn clear(&mut self) {
        self.0.clear();
    }

    /// Entries in node order.
    pub fn iter(&self) -> impl Iterator<Item = (u32, &T)> {
        self.0
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.as_ref().map(|v| (u32::try_from(i).unwrap_or(u32::MAX), v)))
    }

    pub fn values(&self) -> impl Iterator<Item = &T> {
        self.0.iter().flatten()
    }

    /// Node ids present, in order.
    pub fn keys(&self) -> impl Iterator<Item = u32> + '_ {
        self.iter().map(|(k, _)| k)
    }
}
