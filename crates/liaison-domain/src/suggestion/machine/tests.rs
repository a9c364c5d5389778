use super::*;
use Action as A;
use Capacity as W;
use proptest::prelude::*;

fn origin(kind: Kind, min: u32) -> Origin {
    Origin {
        kind,
        min_cosigners: min,
        proposer: Some(1),
    }
}

fn rate(person: i64, s: Satisfaction) -> Action {
    A::Rate {
        person,
        satisfaction: s,
    }
}

#[test]
fn the_journey_with_two_cosigners_a_co_unit_and_a_second_reply() {
    let steps = [
        (
            W::Proposer,
            A::Propose {
                cosigners: vec![2, 3],
                confirmed: false,
            },
        ),
        (W::Cosigner, A::Confirm { person: 2 }),
        (W::Staff, A::Confirm { person: 3 }),
        (W::Proposer, A::Submit),
        (W::Staff, A::Register),
        (
            W::Staff,
            A::Assign {
                lead: 10,
                co: vec![11],
            },
        ),
        (W::CoUnit, A::SignOff { unit: 11 }),
        (W::LeadUnit, A::Reply { class: "B".into() }),
        (W::Cosigner, rate(2, Satisfaction::Satisfied)),
        (W::Proposer, rate(1, Satisfaction::Unsatisfied)),
        (W::CoUnit, A::SignOff { unit: 11 }),
        (W::LeadUnit, A::Reply { class: "A".into() }),
        (W::Proposer, rate(1, Satisfaction::Satisfied)),
        (W::Staff, rate(3, Satisfaction::Basic)),
    ];
    let mut s = Status::new(origin(Kind::Suggestion, 10));
    for (i, (who, a)) in steps.iter().enumerate() {
        s = s.apply(*who, a).unwrap_or_else(|e| panic!("step {i}: {e}"));
        if i == 8 {
            assert_eq!(s.stage, Stage::Replied, "a co-signer's verdict does not decide");
        }
        if i == 9 {
            assert_eq!(s.stage, Stage::Assigned, "不满意 goes back to the lead unit");
            assert_eq!(s.lead, Some(10));
            assert!(s.signed.is_empty(), "the co-unit signs off again");
        }
    }
    assert_eq!(s.stage, Stage::Closed);
    assert_eq!((s.reopens, s.replies), (1, 2));
    assert_eq!(s.class.as_deref(), Some("A"));
    assert_eq!(Status::replay(origin(Kind::Suggestion, 10), &steps).unwrap(), s);
}

#[test]
fn refusals_say_why_in_chinese() {
    let motion = Status::new(origin(Kind::Motion, 10));
    let e = motion
        .apply(
            W::Proposer,
            &A::Propose {
                cosigners: vec![2, 3],
                confirmed: false,
            },
        )
        .unwrap_err();
    assert_eq!(e.to_string(), "议案须由至少 10 名代表联名，目前联名名单只有 2 名");
    let listed = motion
        .apply(
            W::Proposer,
            &A::Propose {
                cosigners: (2..12).collect(),
                confirmed: false,
            },
        )
        .unwrap();
    let refused = listed.apply(W::Cosigner, &A::Refuse { person: 2 }).unwrap();
    let all: Status = (3..12).fold(refused, |s, p| {
        s.apply(W::Cosigner, &A::Confirm { person: p }).unwrap()
    });
    assert_eq!(
        all.apply(W::Proposer, &A::Submit).unwrap_err().to_string(),
        "议案须由至少 10 名代表联名，目前确认联名的只有 9 名"
    );
    let pending = listed.apply(W::Proposer, &A::Submit).unwrap_err();
    assert_eq!(pending, Refusal::CosignersPending(10));
    let s = Status::new(origin(Kind::Suggestion, 10))
        .apply(
            W::Staff,
            &A::Propose {
                cosigners: vec![],
                confirmed: false,
            },
        )
        .unwrap();
    assert_eq!(s.stage, Stage::Submitted, "no co-signers: straight to the office");
    assert_eq!(
        s.apply(W::Proposer, &A::Register).unwrap_err().to_string(),
        "您不能对该建议执行“立案登记”"
    );
    let assigned = s
        .apply(W::Staff, &A::Register)
        .unwrap()
        .apply(
            W::Staff,
            &A::Assign {
                lead: 10,
                co: vec![11, 12],
            },
        )
        .unwrap();
    assert_eq!(
        assigned
            .apply(W::LeadUnit, &A::Reply { class: "A".into() })
            .unwrap_err()
            .to_string(),
        "还有 2 个协办单位尚未会签，会签后主办单位才能答复"
    );
    assert_eq!(
        Status::new(origin(Kind::Suggestion, 1))
            .apply(
                W::Proposer,
                &A::Propose {
                    cosigners: vec![1],
                    confirmed: false
                }
            )
            .unwrap_err(),
        Refusal::ProposerCosigns
    );
    assert!(
        Status::new(origin(Kind::Suggestion, 1))
            .apply(
                W::Proposer,
                &A::Propose {
                    cosigners: vec![2],
                    confirmed: true
                }
            )
            .is_err(),
        "only staff record paper signatures"
    );
}

#[test]
fn a_unit_returns_before_its_first_reply_only() {
    let s = Status::new(origin(Kind::Suggestion, 1))
        .apply(
            W::Staff,
            &A::Propose {
                cosigners: vec![],
                confirmed: false,
            },
        )
        .unwrap()
        .apply(W::Staff, &A::Register)
        .unwrap()
        .apply(W::Staff, &A::Assign { lead: 10, co: vec![] })
        .unwrap();
    let back = s.apply(W::LeadUnit, &A::UnitReturn).unwrap();
    assert_eq!(
        (back.stage, back.lead, back.unit_returns),
        (Stage::Registered, None, 1)
    );
    let reopened = s
        .apply(W::LeadUnit, &A::Reply { class: "A".into() })
        .unwrap()
        .apply(W::Proposer, &rate(1, Satisfaction::Unsatisfied))
        .unwrap();
    assert_eq!(
        reopened.apply(W::LeadUnit, &A::UnitReturn).unwrap_err(),
        Refusal::ReturnAfterReply
    );
}

fn any_step() -> impl Strategy<Value = (Capacity, Action)> {
    let who = prop::sample::select(Capacity::ALL.to_vec());
    let sat = prop::sample::select(Satisfaction::ALL.to_vec());
    let action = prop_oneof![
        (prop::collection::vec(1i64..6, 0..4), any::<bool>())
            .prop_map(|(cosigners, confirmed)| A::Propose { cosigners, confirmed }),
        (1i64..6).prop_map(|person| A::Confirm { person }),
        (1i64..6).prop_map(|person| A::Refuse { person }),
        Just(A::Submit),
        Just(A::Register),
        Just(A::Return),
        Just(A::Resubmit),
        (10i64..13, prop::collection::vec(10i64..14, 0..3)).prop_map(|(lead, co)| A::Assign { lead, co }),
        Just(A::UnitReturn),
        (10i64..14).prop_map(|unit| A::SignOff { unit }),
        prop::sample::select(vec!["A", "B", "C"]).prop_map(|c| A::Reply { class: c.into() }),
        prop::sample::select(vec!["A", "B", "C"]).prop_map(|c| A::Reclass { class: c.into() }),
        ((1i64..6), sat).prop_map(|(person, satisfaction)| A::Rate { person, satisfaction }),
    ];
    (who, action)
}

proptest! {
    /// Any sequence of attempts: refused ones change nothing, accepted ones keep the invariants,
    /// 不满意 from the proposer counts the reopenings, and replay equals the fold.
    #[test]
    fn any_sequence_keeps_the_invariants(
        motion in any::<bool>(),
        min in 1u32..4,
        attempts in prop::collection::vec(any_step(), 0..80),
    ) {
        let o = origin(if motion { Kind::Motion } else { Kind::Suggestion }, min);
        let mut s = Status::new(o);
        let mut accepted = Vec::new();
        let mut unsatisfied = 0;
        for (who, a) in attempts {
            let before = s.clone();
            match s.apply(who, &a) {
                Err(_) => prop_assert_eq!(&s, &before),
                Ok(next) => {
                    let (actors, stages) = a.rule();
                    prop_assert!(actors.contains(&who) && stages.contains(&before.stage));
                    if matches!(a, A::Rate { person: 1, satisfaction: Satisfaction::Unsatisfied }) {
                        unsatisfied += 1;
                    }
                    if next.stage == Stage::Submitted && motion {
                        prop_assert!(next.confirmed() >= min, "a motion reaches the office with enough co-signers");
                    }
                    if matches!(next.stage, Stage::Assigned | Stage::Replied) {
                        prop_assert!(next.lead.is_some());
                        prop_assert!(!next.co_units.contains(&next.lead.unwrap_or(0)));
                    }
                    if next.stage == Stage::Replied {
                        prop_assert!(next.unsigned().is_empty(), "every co-unit signed before the reply");
                        prop_assert!(next.class.is_some());
                    }
                    if next.stage == Stage::Closed {
                        prop_assert!(matches!(next.satisfaction, Some(Satisfaction::Satisfied | Satisfaction::Basic)));
                    }
                    prop_assert!(next.reopens >= before.reopens && next.replies >= before.replies);
                    prop_assert!(next.signed.iter().all(|u| next.co_units.contains(u)));
                    accepted.push((who, a));
                    s = next;
                }
            }
        }
        prop_assert_eq!(s.reopens, unsatisfied);
        prop_assert_eq!(Status::replay(o, &accepted).unwrap(), s);
    }
}
