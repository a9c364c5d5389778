//! The store crate's integration tests, one module per feature, linked into one test binary.

mod accounts;
mod audit;
mod blobs;
mod registry;
mod schema;
mod tally;
