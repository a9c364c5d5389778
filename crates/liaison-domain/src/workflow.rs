//! A workflow as a pure state machine over an append-only history. The current state of an item is the
//! fold of its events from the start, so the history is the truth and the cached columns of the item's
//! row are only a convenience for queues. The store's `history` piece replays the events inside the
//! write transaction, appends the new one and refreshes the row guarded by its event count, for every
//! workflow that implements this trait; a new workflow writes its table of capacities × stages and
//! its `apply`, nothing else.

use serde::Serialize;
use serde::de::DeserializeOwned;

pub trait Workflow: Clone + Sized {
    /// In which capacity someone acts (stored in the event's `actor` column).
    type Capacity: Copy + Serialize + DeserializeOwned;
    /// What they do (stored as the event's JSON `data`).
    type Action: Serialize + DeserializeOwned;
    /// Why a step is refused, in the words the user sees.
    type Refusal: std::fmt::Display;
    /// What the first state depends on (an opinion's channel, say).
    type Origin: Copy;

    fn start(origin: Self::Origin) -> Self;

    /// The next state, or why not. `self` is never changed.
    fn apply(&self, who: Self::Capacity, action: &Self::Action) -> Result<Self, Self::Refusal>;

    /// Replays a history from the start.
    fn replay<'a>(
        origin: Self::Origin,
        events: impl IntoIterator<Item = &'a (Self::Capacity, Self::Action)>,
    ) -> Result<Self, Self::Refusal>
    where
        Self::Capacity: 'a,
        Self::Action: 'a,
    {
        events
            .into_iter()
            .try_fold(Self::start(origin), |s, (who, a)| s.apply(*who, a))
    }
}
