//! Who hears about what (notifications), as pure rules. The store calls these inside the transaction
//! that records the event, resolves each recipient to accounts (inbox) or the citizen's phone (SMS)
//! and writes one outbox row per delivery; sender jobs deliver the SMS rows later.
//!
//! The citizen (only when they gave a phone) hears by SMS at 受理, 交办, 答复 and 办结. "答复" is sent
//! when an answer first becomes visible on the tracking page: the unit's reply, the deputy's direct
//! answer or an answer on the spot. 反馈群众 (the deputy or station passing the unit's answer on) sends
//! nothing more: the citizen already had the reply, and one message per answer is enough. When staff
//! merge a duplicate into another item (合并), its citizen hears that their matter is handled together
//! with a similar one; from then on every SMS the survivor's citizen gets also goes to the citizen of
//! each item merged into it (see [`followers_hear`], [`sms_template_kind`]), with that item's own
//! receipt and link.
//!
//! Deputies, staff and units hear in their inbox: the deputy when an item reaches them, staff when a
//! deputy hands one over, an item is escalated to them, a unit replies or returns an assignment, and
//! the unit when it is assigned or a 不满意 sends the item back to it.

use crate::notification::{NoticeKind, Recipient};
use crate::opinion::{Action, Channel, Holder, Satisfaction, Stage, Status};

/// Who hears that a new item came in: the deputy for an item that reaches a deputy first, else the
/// staff. (The account that recorded the item is left out by the store: nobody is told what they did.)
pub fn on_arrival(channel: Channel) -> Vec<(Recipient, NoticeKind)> {
    if channel.deputy_first() {
        vec![(Recipient::Deputy, NoticeKind::Arrived)]
    } else {
        vec![(Recipient::Staff, NoticeKind::Arrived)]
    }
}

/// Who hears about one step `before --action--> after` (see the module notes).
pub fn on_transition(
    before: &Status,
    action: &Action,
    after: &Status,
    citizen_has_phone: bool,
) -> Vec<(Recipient, NoticeKind)> {
    use NoticeKind as K;
    use Recipient as R;
    let mut out = Vec::new();
    let citizen = |out: &mut Vec<(Recipient, NoticeKind)>, k: NoticeKind| {
        if citizen_has_phone {
            out.push((R::Citizen, k));
        }
    };
    match action {
        // to the station or township for registration; an escalated item to the county's staff
        Action::HandOver | Action::Escalate => out.push((R::Staff, K::Arrived)),
        Action::Accept => citizen(&mut out, K::Accepted),
        Action::Assign { .. } => {
            citizen(&mut out, K::Assigned);
            out.push((R::Unit, K::Assigned));
        }
        Action::Reply => {
            citizen(&mut out, K::Replied);
            out.push((R::Staff, K::Replied));
            // the deputy the item came through passes the answer back
            if after.deputy_first {
                out.push((R::Deputy, K::Replied));
            }
        }
        Action::DeputyAnswer | Action::AnswerOnSpot => citizen(&mut out, K::Replied),
        Action::Return => out.push((R::Staff, K::Returned)),
        Action::Merge { .. } => citizen(&mut out, K::Merged),
        Action::Rate {
            satisfaction: Satisfaction::Unsatisfied,
        } => {
            // back to the unit that answered, or to registration when nobody did
            if after.stage == Stage::Assigned && after.unit.is_some() {
                out.push((R::Unit, K::Reopened));
            } else {
                out.push((R::Staff, K::Reopened));
            }
        }
        _ => {}
    }
    if after.stage == Stage::Closed && before.stage != Stage::Closed {
        citizen(&mut out, K::Closed);
    }
    out
}

/// Whether the citizens of the items merged into an item also get its citizen's SMS of `kind`: every
/// one but the news that the item itself was merged (its followers were told when they were).
pub fn followers_hear(kind: NoticeKind) -> bool {
    kind != NoticeKind::Merged
}

/// The `sms_template` row a citizen's SMS of `kind` is written with. `follower`: the citizen of an
/// item merged into the one the step happened on. They read the survivor's answer on their tracking
/// page but do not rate it (the survivor's citizen does), so their answer text does not ask them to.
pub fn sms_template_kind(kind: NoticeKind, follower: bool) -> &'static str {
    match kind {
        NoticeKind::Replied if follower => "replied_merged",
        _ => kind.as_str(),
    }
}

/// The text used when the `sms_template` row named by [`sms_template_kind`] is missing.
pub fn default_sms(kind: NoticeKind, follower: bool) -> &'static str {
    match kind {
        NoticeKind::Replied if follower => "您反映的问题已有答复（回执码{receipt}），请查看：{link}",
        _ => kind.default_sms(),
    }
}

/// Who is reminded of a deadline: whoever holds the item (the citizen is never reminded).
pub fn recipient_for(holder: Holder) -> Option<Recipient> {
    match holder {
        Holder::Deputy => Some(Recipient::Deputy),
        Holder::Station => Some(Recipient::Staff),
        Holder::Unit => Some(Recipient::Unit),
        Holder::Citizen | Holder::Nobody => None,
    }
}

/// An account that could be told as staff: its depth (digits of its region's short code), its
/// staff roles and its station.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffCandidate {
    pub account: i64,
    /// `RegionCode::level().digits()` of the account's home region, which covers the item.
    pub depth: usize,
    pub township: bool,
    pub committee: bool,
    pub station_manager: bool,
    pub station: Option<i64>,
}

/// Which staff hear about an item: the nearest ones, not everyone above. A station manager hears
/// about their own station's items; township and committee staff hear at the deepest level that has
/// any (so a county clerk is not told of every township item unless the township has no staff); an
/// escalated item goes to committee staff only (the nearest that exist). Sorted, no repeats.
pub fn pick_staff(candidates: &[StaffCandidate], station: Option<i64>, escalated: bool) -> Vec<i64> {
    let wide = |c: &StaffCandidate| c.committee || (!escalated && c.township);
    let deepest = candidates.iter().filter(|c| wide(c)).map(|c| c.depth).max();
    let mut out: Vec<i64> = candidates
        .iter()
        .filter(|c| {
            let nearest = wide(c) && Some(c.depth) == deepest;
            let own_station = !escalated && c.station_manager && station.is_some() && c.station == station;
            nearest || own_station
        })
        .map(|c| c.account)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Fills an SMS template. Unknown placeholders stay as typed.
pub fn render(template: &str, receipt: &str, stage: &str, link: &str) -> String {
    template
        .replace("{receipt}", &crate::opinion::receipt::show_receipt(receipt))
        .replace("{stage}", stage)
        .replace("{link}", link)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opinion::Capacity as W;
    use Action as A;
    use NoticeKind as K;
    use Recipient as R;

    /// Applies the steps; returns every step's notices.
    fn walk(channel: Channel, phone: bool, steps: &[(W, Action)]) -> Vec<Vec<(Recipient, NoticeKind)>> {
        let mut s = Status::new(channel);
        let mut out = Vec::new();
        for (who, a) in steps {
            let next = s.apply(*who, a).unwrap_or_else(|e| panic!("{a:?}: {e}"));
            out.push(on_transition(&s, a, &next, phone));
            s = next;
        }
        out
    }

    const SATISFIED: Action = A::Rate {
        satisfaction: Satisfaction::Satisfied,
    };
    const UNSATISFIED: Action = A::Rate {
        satisfaction: Satisfaction::Unsatisfied,
    };

    #[test]
    fn the_citizen_hears_four_times_on_the_whole_loop() {
        let steps = [
            (W::Deputy, A::HandOver),
            (W::Staff, A::Accept),
            (W::Staff, A::Assign { unit: 7 }),
            (W::Unit, A::Reply),
            (W::Deputy, A::Feedback),
            (W::Citizen, SATISFIED),
            (W::Staff, A::Publish),
        ];
        let n = walk(Channel::DeputyCode, true, &steps);
        assert_eq!(n[0], [(R::Staff, K::Arrived)]);
        assert_eq!(n[1], [(R::Citizen, K::Accepted)]);
        assert_eq!(n[2], [(R::Citizen, K::Assigned), (R::Unit, K::Assigned)]);
        assert_eq!(
            n[3],
            [
                (R::Citizen, K::Replied),
                (R::Staff, K::Replied),
                (R::Deputy, K::Replied)
            ]
        );
        assert!(n[4].is_empty(), "feedback repeats nothing");
        assert_eq!(n[5], [(R::Citizen, K::Closed)]);
        assert!(n[6].is_empty());
        let sms: Vec<_> = n
            .iter()
            .flatten()
            .filter(|(r, _)| *r == R::Citizen)
            .map(|(_, k)| *k)
            .collect();
        assert_eq!(sms, [K::Accepted, K::Assigned, K::Replied, K::Closed]);
    }

    #[test]
    fn without_a_phone_the_citizen_hears_nothing() {
        let steps = [
            (W::Staff, A::Accept),
            (W::Staff, A::Assign { unit: 7 }),
            (W::Unit, A::Reply),
            (W::Citizen, SATISFIED),
        ];
        let n = walk(Channel::StationCode, false, &steps);
        assert!(n.iter().flatten().all(|(r, _)| *r != R::Citizen));
        assert_eq!(n[2], [(R::Staff, K::Replied)], "no deputy on a station's item");
    }

    #[test]
    fn unsatisfied_goes_back_to_whoever_answered() {
        let steps = [
            (W::Staff, A::Accept),
            (W::Staff, A::Assign { unit: 7 }),
            (W::Unit, A::Reply),
            (W::Citizen, UNSATISFIED),
        ];
        let n = walk(Channel::StationCode, true, &steps);
        assert_eq!(n[3], [(R::Unit, K::Reopened)]);
        let direct = walk(
            Channel::DeputyVisit,
            true,
            &[(W::Deputy, A::DeputyAnswer), (W::Citizen, UNSATISFIED)],
        );
        assert_eq!(direct[0], [(R::Citizen, K::Replied)]);
        assert_eq!(direct[1], [(R::Staff, K::Reopened)]);
    }

    #[test]
    fn returns_escalations_and_quiet_steps() {
        let steps = [
            (W::Staff, A::Accept),
            (W::Staff, A::Escalate),
            (W::Staff, A::Assign { unit: 3 }),
            (W::Unit, A::Return),
            (W::Staff, A::AnswerOnSpot),
        ];
        let n = walk(Channel::WalkIn, false, &steps);
        assert!(n[0].is_empty());
        assert_eq!(
            n[1],
            [(R::Staff, K::Arrived)],
            "the county's staff hear of an escalation"
        );
        assert_eq!(n[2], [(R::Unit, K::Assigned)]);
        assert_eq!(n[3], [(R::Staff, K::Returned)]);
        assert!(n[4].is_empty(), "no phone");
        assert!(walk(Channel::StationCode, true, &[(W::Staff, A::Decline)])[0].is_empty());
    }

    #[test]
    fn a_merged_items_citizen_hears_of_the_merge_and_reads_no_call_to_rate() {
        let merge = [(W::Staff, A::Merge { into: 9 })];
        assert_eq!(
            walk(Channel::StationCode, true, &merge)[0],
            [(R::Citizen, K::Merged)]
        );
        assert!(
            walk(Channel::StationCode, false, &merge)[0].is_empty(),
            "no phone"
        );
        assert!(!followers_hear(K::Merged));
        assert!(
            [K::Accepted, K::Assigned, K::Replied, K::Closed]
                .into_iter()
                .all(followers_hear)
        );
        assert_eq!(sms_template_kind(K::Replied, false), "replied");
        assert_eq!(sms_template_kind(K::Replied, true), "replied_merged");
        for k in [K::Accepted, K::Assigned, K::Closed, K::Merged] {
            assert_eq!(sms_template_kind(k, true), k.as_str());
            assert_eq!(default_sms(k, true), k.default_sms());
        }
        assert!(!default_sms(K::Replied, true).contains("评价"));
        assert!(default_sms(K::Replied, false).contains("评价"));
    }

    #[test]
    fn deadlines_remind_the_holder() {
        assert_eq!(
            recipient_for(Status::new(Channel::DeputyCode).holder()),
            Some(R::Deputy)
        );
        assert_eq!(
            recipient_for(Status::new(Channel::StationCode).holder()),
            Some(R::Staff)
        );
        assert_eq!(recipient_for(Holder::Unit), Some(R::Unit));
        assert_eq!(recipient_for(Holder::Citizen), None);
        assert_eq!(recipient_for(Holder::Nobody), None);
    }

    #[test]
    fn arrivals_go_to_whoever_holds_the_item() {
        assert_eq!(on_arrival(Channel::DeputyCode), [(R::Deputy, K::Arrived)]);
        assert_eq!(on_arrival(Channel::DeputyVisit), [(R::Deputy, K::Arrived)]);
        for c in [
            Channel::StationCode,
            Channel::WalkIn,
            Channel::Phone,
            Channel::HomeVisit,
        ] {
            assert_eq!(on_arrival(c), [(R::Staff, K::Arrived)]);
        }
    }

    fn cand(account: i64, depth: usize, roles: (bool, bool, bool), station: Option<i64>) -> StaffCandidate {
        StaffCandidate {
            account,
            depth,
            township: roles.0,
            committee: roles.1,
            station_manager: roles.2,
            station,
        }
    }

    #[test]
    fn the_nearest_staff_hear() {
        let town = cand(1, 9, (true, false, false), None);
        let county = cand(2, 6, (false, true, false), None);
        let mgr = cand(3, 9, (false, false, true), Some(50));
        let other_mgr = cand(4, 9, (false, false, true), Some(51));
        let all = [town.clone(), county.clone(), mgr.clone(), other_mgr.clone()];
        assert_eq!(pick_staff(&all, Some(50), false), [1, 3]);
        assert_eq!(pick_staff(&all, None, false), [1]);
        assert_eq!(
            pick_staff(&all, Some(50), true),
            [2],
            "escalated: the county only"
        );
        assert_eq!(
            pick_staff(&[county.clone(), mgr.clone()], Some(50), false),
            [2, 3],
            "no township staff"
        );
        assert!(
            pick_staff(&[town, mgr], Some(50), true).is_empty(),
            "no committee staff at all"
        );
    }

    #[test]
    fn sms_templates_fill_the_receipt() {
        assert_eq!(
            render(
                "回执码{receipt}，{stage}：{link}",
                "ABCDEFGH",
                "已受理",
                "https://x/t?r=ABCDEFGH"
            ),
            "回执码ABCD-EFGH，已受理：https://x/t?r=ABCDEFGH"
        );
        for k in NoticeKind::ALL {
            assert!(k.default_sms().contains("{receipt}"));
        }
    }
}
