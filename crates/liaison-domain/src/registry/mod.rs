//! The registry: deputies, stations (家站室点), linked households and the short ids behind printed QR codes.

pub mod deputy;
pub mod household;
pub mod phone;
pub mod qr;
pub mod station;
