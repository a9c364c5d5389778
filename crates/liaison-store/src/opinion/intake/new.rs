//! A new item as the store takes it: a parsed submission, placed (channel, deputy, station, region),
//! from whom, with its photos and the rate-limit buckets it counts against.

use liaison_domain::RegionCode;
use liaison_domain::opinion::Channel;
use liaison_domain::opinion::submission::Submission;
use liaison_domain::personal::{CitizenName, CitizenPhone, Phone};

use crate::Actor;

/// A submission, parsed at the edge (`liaison_domain::opinion::submission`) and placed by the web
/// layer (the code scanned, or the scope of a staff record).
#[derive(Debug, Clone)]
pub struct NewOpinion {
    /// The form's one-time token: the same token twice is the same submission.
    pub nonce: String,
    pub channel: Channel,
    pub person_id: Option<i64>,
    pub station_id: Option<i64>,
    pub region: RegionCode,
    pub category: String,
    pub description: String,
    pub citizen_name: CitizenName,
    pub citizen_phone: CitizenPhone,
    pub callback_ok: bool,
    pub share_contact: bool,
    /// Who submits: the public (no account) or the staff/deputy account recording it.
    pub actor: Actor,
    /// Photos already stored in the file store (content addresses).
    pub photos: Vec<String>,
    /// Rate-limit buckets to count this submission against (empty for staff records).
    pub limit_buckets: Vec<(String, i64)>,
}

/// Where a submission belongs: how it came in, the deputy and station it reached, its region.
#[derive(Debug, Clone)]
pub struct Placement {
    pub channel: Channel,
    pub person_id: Option<i64>,
    pub station_id: Option<i64>,
    pub region: RegionCode,
}

impl NewOpinion {
    /// A parsed submission, placed, from `actor` (no rate limits: add `limit_buckets` for the public).
    pub fn new(
        sub: Submission,
        share_contact: bool,
        nonce: String,
        place: Placement,
        actor: Actor,
        photos: Vec<String>,
    ) -> NewOpinion {
        NewOpinion {
            nonce,
            channel: place.channel,
            person_id: place.person_id,
            station_id: place.station_id,
            region: place.region,
            category: sub.category,
            description: sub.description,
            citizen_name: sub.name,
            citizen_phone: sub.phone.map(Phone::into_personal).unwrap_or_default(),
            callback_ok: sub.callback,
            share_contact,
            actor,
            photos,
            limit_buckets: vec![],
        }
    }
}
