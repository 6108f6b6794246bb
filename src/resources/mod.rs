//! Resource types, one module each; they implement `framework::Resource`.

pub mod delivery_stream;
pub mod grant;
