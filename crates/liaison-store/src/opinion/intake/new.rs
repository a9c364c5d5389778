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
    /// What recognises a resent form: the form's one-time token joined with a digest of everything
    /// sent ([`resend_key`]). The same form sent again with the same content is the same submission;
    /// the same token with other content (a back button, a shared kiosk, a second citizen) is a new one.
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
    /// When a staff record's matter was received, if earlier than now (`opinion::received`): the
    /// item is dated then and its deadline counts from then.
    pub received_at: Option<chrono::DateTime<chrono::Utc>>,
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
        let nonce = resend_key(&nonce, &sub, share_contact, &place, &photos);
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
            received_at: None,
        }
    }
}

/// The form's token joined with a SHA-256 of the content, each field length-prefixed, so that only
/// an identical resend finds the submission already made.
pub fn resend_key(
    nonce: &str,
    sub: &Submission,
    share: bool,
    place: &Placement,
    photos: &[String],
) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    let mut field = |s: &str| {
        h.update((s.len() as u64).to_be_bytes());
        h.update(s.as_bytes());
    };
    field(place.channel.as_str());
    field(&place.person_id.map(|p| p.to_string()).unwrap_or_default());
    field(&place.station_id.map(|p| p.to_string()).unwrap_or_default());
    field(place.region.as_str());
    field(&sub.category);
    field(&sub.description);
    field(sub.name.expose());
    let phone = sub.phone.clone().map(Phone::into_personal).unwrap_or_default();
    field(phone.expose());
    field(if sub.callback { "1" } else { "0" });
    field(if share { "1" } else { "0" });
    for p in photos {
        field(p);
    }
    format!("{nonce}.{}", hex::encode(&h.finalize()[..16]))
}
