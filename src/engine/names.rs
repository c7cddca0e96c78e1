//! Location names interned engine-wide: a session record names the location of its capacity
//! slot in four bytes rather than a boxed name (24 bytes with the allocation), a million times.

use std::num::NonZeroU32;

use serde::{Deserialize, Serialize};

/// An interned location name. `Option<LocationId>` is four bytes too.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct LocationId(NonZeroU32);

/// Every location name a session has held a slot in, in the order first seen. Append-only: a
/// name costs its few bytes for the engine's life, and names are the groups' locations.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub(crate) struct LocationNames {
    names: Vec<Box<str>>,
}

impl LocationNames {
    /// The ID of `name`, interning it if new.
    pub(crate) fn intern(&mut self, name: &str) -> LocationId {
        let index = match self.names.iter().position(|n| &**n == name) {
            Some(index) => index,
            None => {
                self.names.push(name.into());
                self.names.len() - 1
            }
        };
        LocationId(
            u32::try_from(index + 1)
                .ok()
                .and_then(NonZeroU32::new)
                .expect("fewer than 2^32 location names"),
        )
    }

    /// The name of `id`, if it is one of these names (a restored snapshot's may not be).
    pub(crate) fn get(&self, id: LocationId) -> Option<&str> {
        self.names
            .get(usize::try_from(id.0.get() - 1).ok()?)
            .map(|n| &**n)
    }

    /// The name of `id`, which this table made.
    pub(crate) fn name(&self, id: LocationId) -> &str {
        self.get(id).unwrap_or_default()
    }
}
