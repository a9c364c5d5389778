use super::*;
use Action as A;
use Capacity as W;
use proptest::prelude::*;

fn test(satisfied: u32, basic: u32, unsatisfied: u32) -> Action {
    A::Test {
        satisfied,
        basic,
        unsatisfied,
    }
}

#[test]
fn the_journey_with_a_returned_report_and_a_failed_test() {
    let steps = [
        (W::Staff, A::Send { unit: 10 }),
        (W::Unit, A::Report),
        (W::Staff, A::ReturnReport),
        (W::Unit, A::Report),
        (W::Staff, A::Examine),
        (W::Staff, test(3, 4, 12)),
        (W::Unit, A::Report),
        (W::Staff, A::Examine),
        (W::Staff, test(15, 3, 1)),
    ];
    let mut s = Status::default();
    for (i, (who, a)) in steps.iter().enumerate() {
        s = s.apply(*who, a).unwrap_or_else(|e| panic!("step {i}: {e}"));
        if i == 2 {
            assert_eq!(s.stage, Stage::Sent, "退回重报 goes back to the body");
        }
        if i == 5 {
            assert_eq!(s.stage, Stage::Sent, "a failed test goes back for re-handling");
            assert_eq!(s.passed(), Some(false));
        }
    }
    assert_eq!(s.stage, Stage::Closed);
    assert_eq!((s.reports, s.returns, s.reopens), (3, 1, 1));
    assert_eq!(s.unit, Some(10));
    assert_eq!(s.passed(), Some(true));
    assert_eq!(Status::replay((), &steps).unwrap(), s);
}

#[test]
fn refusals_say_why_in_chinese() {
    let sent = Status::default().apply(W::Staff, &A::Send { unit: 1 }).unwrap();
    assert_eq!(
        sent.apply(W::Staff, &A::Report).unwrap_err().to_string(),
        "您不能对该审议意见执行“报送研究处理情况报告”"
    );
    assert_eq!(
        sent.apply(W::Staff, &A::Examine).unwrap_err().to_string(),
        "该审议意见当前状态为“办理中”，不能提出审核意见"
    );
    assert_eq!(
        Status::default()
            .apply(W::Unit, &A::Send { unit: 1 })
            .unwrap_err(),
        Refusal::NotYours("交办")
    );
    let examined = sent
        .apply(W::Unit, &A::Report)
        .unwrap()
        .apply(W::Staff, &A::Examine)
        .unwrap();
    assert_eq!(
        examined.apply(W::Staff, &test(0, 0, 0)).unwrap_err(),
        Refusal::NoBallots
    );
    assert_eq!(examined.allowed(W::Staff), ["test"]);
    assert!(examined.allowed(W::Unit).is_empty());
    assert_eq!(sent.allowed(W::Unit), ["report"]);
    let reported = sent.apply(W::Unit, &A::Report).unwrap();
    assert_eq!(reported.allowed(W::Staff), ["return_report", "examine"]);
    let closed = examined.apply(W::Staff, &test(1, 1, 1)).unwrap();
    assert_eq!(closed.stage, Stage::Closed);
    assert!(closed.allowed(W::Staff).is_empty() && closed.allowed(W::Unit).is_empty());
}

#[test]
fn actions_are_stored_tagged() {
    let a = serde_json::to_value(test(1, 2, 3)).unwrap();
    assert_eq!(
        a,
        serde_json::json!({"action": "test", "satisfied": 1, "basic": 2, "unsatisfied": 3})
    );
    let back: Action = serde_json::from_value(serde_json::json!({"action": "return_report"})).unwrap();
    assert_eq!(back, A::ReturnReport);
}

fn any_step() -> impl Strategy<Value = (Capacity, Action)> {
    let who = prop::sample::select(Capacity::ALL.to_vec());
    let action = prop_oneof![
        (1i64..4).prop_map(|unit| A::Send { unit }),
        Just(A::Report),
        Just(A::ReturnReport),
        Just(A::Examine),
        (0u32..6, 0u32..6, 0u32..12).prop_map(|(s, b, u)| test(s, b, u)),
    ];
    (who, action)
}

proptest! {
    /// Any sequence of attempts: refused ones change nothing, accepted ones follow the table, an
    /// unpassed test counts a reopening, a closed item has a passing ballot, and replay equals the fold.
    #[test]
    fn any_sequence_keeps_the_invariants(attempts in prop::collection::vec(any_step(), 0..80)) {
        let mut s = Status::default();
        let mut accepted = Vec::new();
        let mut failed = 0;
        for (who, a) in attempts {
            let before = s.clone();
            match s.apply(who, &a) {
                Err(_) => prop_assert_eq!(&s, &before),
                Ok(next) => {
                    let (actors, stages) = a.rule();
                    prop_assert!(actors.contains(&who) && stages.contains(&before.stage));
                    if let A::Test { satisfied, basic, unsatisfied } = a {
                        let b = Ballot::new(satisfied, basic, unsatisfied);
                        prop_assert!(b.is_ok(), "a test without ballots is refused");
                        if b.is_ok_and(|b| !b.passes()) {
                            failed += 1;
                            prop_assert_eq!(next.stage, Stage::Sent);
                        }
                    }
                    if next.stage == Stage::Closed {
                        prop_assert_eq!(next.passed(), Some(true));
                    }
                    if next.stage != Stage::Drafted {
                        prop_assert!(next.unit.is_some());
                    }
                    prop_assert!(next.reports >= before.reports && next.returns >= before.returns);
                    prop_assert!(next.returns + next.reopens <= next.reports);
                    accepted.push((who, a));
                    s = next;
                }
            }
        }
        prop_assert_eq!(s.reopens, failed);
        prop_assert_eq!(Status::replay((), &accepted).unwrap(), s);
    }
}
