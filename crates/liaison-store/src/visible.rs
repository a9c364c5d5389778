//! Proof that the caller may see an item. Only the store's scoped reads make a [`Visible`] (an
//! opinion through `Store::opinion` for staff, deputies and units; through `Store::track` for the
//! citizen holding the receipt; through `Store::published` for the public list), and the by-id reads
//! of an item's parts (its history, photos, units, 督办单, merged items) take one. So a handler cannot
//! read an item's parts without having read the item through its caller's scope first: the compiler
//! checks what used to rest on each handler remembering to.

use std::ops::Deref;

use liaison_domain::opinion::access::Relation;

/// An item the caller may see, with what they are on it (nothing, for the citizen and the public).
#[derive(Debug, Clone)]
pub struct Visible<T> {
    item: T,
    relation: Relation,
}

impl<T> Visible<T> {
    /// Only the store's scoped reads vouch for an item.
    pub(crate) fn vouch(item: T, relation: Relation) -> Visible<T> {
        Visible { item, relation }
    }

    /// What the caller is on the item.
    pub fn relation(&self) -> Relation {
        self.relation
    }

    /// The item itself, giving up the proof.
    pub fn into_inner(self) -> T {
        self.item
    }

    /// Changes the item for display (masking, say) keeping the proof.
    pub fn map_in_place(&mut self, f: impl FnOnce(&mut T)) {
        f(&mut self.item)
    }
}

impl<T> Deref for Visible<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.item
    }
}
