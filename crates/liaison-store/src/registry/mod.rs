//! The registry: stations (家站室点) and their files, deputies and their mandates, residence, handling
//! units, routing rules, linked households (双联系), the public phone numbers (公开电话) and the QR codes printed for deputies and stations.

#[macro_use]
pub mod deputy;
#[macro_use]
pub mod station;
pub mod committee;
pub mod household;
pub mod import;
pub mod public_phone;
pub mod qr;
pub mod residence;
pub mod routing;
pub mod station_file;
pub mod unit;
