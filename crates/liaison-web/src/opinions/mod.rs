//! Staff, deputy and unit pages for opinions: queues, the item page with its actions, and records
//! made on a citizen's behalf (walk-ins, calls, visits; a deputy's own collection).

pub mod bulk;
pub mod detail;
pub mod queue;
pub mod record;
