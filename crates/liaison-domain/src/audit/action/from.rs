//! Each workflow's step as the audit action it is recorded under.

use super::AuditAction;
use crate::opinion::Action;

impl From<&crate::suggestion::Action> for AuditAction {
    fn from(a: &crate::suggestion::Action) -> AuditAction {
        use crate::suggestion::Action as S;
        match a {
            S::Propose { .. } => AuditAction::SuggestionPropose,
            S::Confirm { .. } => AuditAction::SuggestionConfirm,
            S::Refuse { .. } => AuditAction::SuggestionRefuse,
            S::Submit => AuditAction::SuggestionSubmit,
            S::Register => AuditAction::SuggestionRegister,
            S::Return => AuditAction::SuggestionReturn,
            S::Resubmit => AuditAction::SuggestionResubmit,
            S::Assign { .. } => AuditAction::SuggestionAssign,
            S::UnitReturn => AuditAction::SuggestionUnitReturn,
            S::SignOff { .. } => AuditAction::SuggestionSignOff,
            S::Reply { .. } => AuditAction::SuggestionReply,
            S::Reclass { .. } => AuditAction::SuggestionReclass,
            S::Rate { .. } => AuditAction::SuggestionRate,
        }
    }
}

impl From<&crate::project::Action> for AuditAction {
    fn from(a: &crate::project::Action) -> AuditAction {
        use crate::project::Action as P;
        match a {
            P::Vote { .. } => AuditAction::ProjectVote,
            P::Assign { .. } => AuditAction::ProjectAssign,
            P::Report { .. } => AuditAction::ProjectReport,
            P::Complete => AuditAction::ProjectComplete,
            P::Inspect => AuditAction::ProjectInspect,
            P::Test { .. } => AuditAction::ProjectTest,
        }
    }
}

impl From<&crate::review::Action> for AuditAction {
    fn from(a: &crate::review::Action) -> AuditAction {
        use crate::review::Action as R;
        match a {
            R::Send { .. } => AuditAction::ReviewSend,
            R::Report => AuditAction::ReviewReport,
            R::ReturnReport => AuditAction::ReviewReturnReport,
            R::Examine => AuditAction::ReviewExamine,
            R::Test { .. } => AuditAction::ReviewTest,
        }
    }
}

impl From<Action> for AuditAction {
    fn from(a: Action) -> AuditAction {
        AuditAction::Opinion(a)
    }
}
