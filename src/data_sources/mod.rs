//! Data source types, each a small interface the server calls (see
//! `resources::DataSource`).

pub mod delivery_stream;
