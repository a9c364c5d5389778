//! The audit actions' names and labels: unit tests.

use super::*;
use std::collections::{BTreeSet, HashSet};

#[test]
fn every_action_has_its_own_code_and_a_chinese_label() {
    let mut codes = HashSet::new();
    for a in AuditAction::ALL {
        assert!(codes.insert(a.as_str()), "{} twice", a.as_str());
        assert!(
            a.label().chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{a:?}"
        );
        assert_eq!(AuditAction::parse(a.as_str()), Some(a));
        assert_eq!(AuditAction::label_of(a.as_str()), a.label());
    }
    assert_eq!(AuditAction::parse("opinion.nothing"), None);
    assert_eq!(AuditAction::label_of("seed.demo"), "其他操作（seed.demo）");
}

#[test]
fn an_opinion_step_is_named_by_its_kind() {
    let a = AuditAction::from(Action::Assign { unit: 7 });
    assert_eq!((a.as_str(), a.label()), ("opinion.assign", "交办"));
    assert_eq!(a, AuditAction::Opinion(Action::Assign { unit: 0 }));
    assert_ne!(a, AuditAction::from(Action::Accept));
}

/// The codes the log holds today. Stored codes are hashed into the chain, so this list only grows:
/// renaming a code would leave old entries unnamed.
#[test]
fn the_codes_are_the_ones_already_written() {
    let written = [
        "bootstrap",
        "login.success",
        "login.failure",
        "logout",
        "account.locked",
        "account.create",
        "account.update",
        "account.disable",
        "account.enable",
        "account.unlock",
        "account.reset_password",
        "account.change_password",
        "session.end_all",
        "security.policy",
        "calendar.save",
        "deadline_rule.save",
        "sms.retry",
        "personal.read",
        "personal.export",
        "deputy.create",
        "deputy.update",
        "deputy.leave",
        "deputy.photo",
        "station.create",
        "station.update",
        "station.close",
        "station.resident_add",
        "station.resident_remove",
        "station.file_add",
        "station.file_remove",
        "unit.create",
        "unit.update",
        "routing.set",
        "household.create",
        "household.meeting",
        "committee.link",
        "committee.meeting",
        "opinion.submit",
        "opinion.record",
        "opinion.note",
        "opinion.photo_visibility",
        "opinion.supervise",
        "opinion.supervise_ack",
        "opinion.key_supervision",
        "opinion.deputy_answer",
        "opinion.hand_over",
        "opinion.accept",
        "opinion.decline",
        "opinion.answer_on_spot",
        "opinion.escalate",
        "opinion.assign",
        "opinion.reply",
        "opinion.return",
        "opinion.feedback",
        "opinion.rate",
        "opinion.publish",
        "opinion.merge",
        "opinion.take_over",
        "account.request",
        "account.grant",
        "account.request_reject",
        "account.request_withdraw",
        "public_phone.add",
        "public_phone.remove",
        "login.throttled",
        "sms.quiet_hours",
        "account.mobile",
        "login.code_sent",
        "supervision.organ",
        "opinion.attachment_visibility",
        "suggestion.propose",
        "suggestion.confirm",
        "suggestion.refuse",
        "suggestion.submit",
        "suggestion.register",
        "suggestion.return",
        "suggestion.resubmit",
        "suggestion.assign",
        "suggestion.unit_return",
        "suggestion.sign_off",
        "suggestion.reply",
        "suggestion.reclass",
        "suggestion.rate",
        "suggestion.key",
        "suggestion.milestone",
        "suggestion.supervise_ack",
        "meeting.save",
        "project.create",
        "project.vote",
        "project.assign",
        "project.report",
        "project.complete",
        "project.inspect",
        "project.test",
        "review.create",
        "review.send",
        "review.report",
        "review.return_report",
        "review.examine",
        "review.test",
        "review.supervise_ack",
    ];
    let ours: BTreeSet<&str> = AuditAction::ALL.iter().map(|a| a.as_str()).collect();
    assert_eq!(ours, BTreeSet::from(written));
    assert_eq!(AuditAction::ALL.len(), written.len());
}
