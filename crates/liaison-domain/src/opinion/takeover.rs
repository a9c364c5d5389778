//! 乡镇接办: an item sent to a deputy's code waits in the deputy's inbox until the deputy answers or
//! hands it over. When the deputy lets the first-response deadline (the `submitted` stage's span,
//! 24 hours by default) pass, the township's staff may take it over for registration, so a
//! citizen's matter is not lost with a deputy who does not look. Before the deadline it stays the
//! deputy's; items that reached the station first are the staff's anyway.

use chrono::{DateTime, Utc};

use crate::opinion::{Action, Capacity, Stage, Status};

/// Why staff may not take the item over now, in the words they see.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotYet {
    #[error("该事项不在代表待处理中，无需接办")]
    NotWithDeputy,
    #[error("代表首次响应期限未到，暂不能由乡镇接办")]
    DeputyStillInTime,
}

/// Whether staff may take the item over at `now`: it still waits on the deputy it reached
/// (submitted through a deputy) and the deputy's first-response deadline `due` has passed.
pub fn may_take_over(status: &Status, due: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Result<(), NotYet> {
    if status.stage != Stage::Submitted || !status.deputy_first {
        return Err(NotYet::NotWithDeputy);
    }
    match due {
        Some(d) if now > d => Ok(()),
        _ => Err(NotYet::DeputyStillInTime),
    }
}

/// The actions `who` may take now, the take-over only once it is due: what the item page offers.
pub fn allowed_now(
    status: &Status,
    who: Capacity,
    due: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Vec<&'static str> {
    status
        .allowed(who)
        .into_iter()
        .filter(|a| *a != Action::TakeOver.name() || may_take_over(status, due, now).is_ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opinion::Channel;
    use chrono::Duration;

    #[test]
    fn the_township_takes_over_only_after_the_deputys_deadline() {
        let now = Utc::now();
        let waiting = Status::new(Channel::DeputyCode);
        let past = Some(now - Duration::minutes(1));
        let ahead = Some(now + Duration::hours(3));
        assert_eq!(may_take_over(&waiting, past, now), Ok(()));
        assert_eq!(
            may_take_over(&waiting, ahead, now),
            Err(NotYet::DeputyStillInTime)
        );
        assert_eq!(may_take_over(&waiting, None, now), Err(NotYet::DeputyStillInTime));
        assert_eq!(allowed_now(&waiting, Capacity::Staff, past, now), ["take_over"]);
        assert!(allowed_now(&waiting, Capacity::Staff, ahead, now).is_empty());
        // the deputy keeps their own actions either way
        assert_eq!(
            allowed_now(&waiting, Capacity::Deputy, past, now),
            ["deputy_answer", "hand_over"]
        );
        // a station's item is the staff's from the start; a handed-over one is no longer waiting
        let station = Status::new(Channel::StationCode);
        assert_eq!(may_take_over(&station, past, now), Err(NotYet::NotWithDeputy));
        assert!(!allowed_now(&station, Capacity::Staff, past, now).contains(&"take_over"));
        let handed = waiting.apply(Capacity::Deputy, &Action::HandOver).unwrap();
        assert_eq!(may_take_over(&handed, past, now), Err(NotYet::NotWithDeputy));
        // taken over, it is the station's to register: accepted like a handed-over item
        let taken = waiting.apply(Capacity::Staff, &Action::TakeOver).unwrap();
        assert_eq!(taken.stage, Stage::Referred);
        assert!(taken.apply(Capacity::Staff, &Action::Accept).is_ok());
        assert!(taken.apply(Capacity::Deputy, &Action::DeputyAnswer).is_err());
    }
}
