//! What a notification, a 督办单 or a deadline is about: a kind of item and its id. Every workflow's
//! item is a subject, so the inbox, supervision and the deadline sweep serve each workflow without
//! knowing it (a new workflow adds its kind here).

use std::fmt;

/// The kinds of item the shared workflow pieces (notifications, 督办单, deadlines) can be about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SubjectKind {
    /// 群众意见 (`opinion`).
    Opinion,
    /// 代表建议、议案 (`suggestion`).
    Suggestion,
    /// 民生实事 (`project`).
    Project,
    /// 审议意见 (`review`).
    Review,
}

impl SubjectKind {
    pub const ALL: [SubjectKind; 4] = [
        SubjectKind::Opinion,
        SubjectKind::Suggestion,
        SubjectKind::Project,
        SubjectKind::Review,
    ];

    /// The value stored in `subject_kind` columns and `deadline_rule.kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            SubjectKind::Opinion => "opinion",
            SubjectKind::Suggestion => "suggestion",
            SubjectKind::Project => "project",
            SubjectKind::Review => "review",
        }
    }

    pub fn parse(s: &str) -> Option<SubjectKind> {
        SubjectKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// What staff call such an item.
    pub fn label(self) -> &'static str {
        match self {
            SubjectKind::Opinion => "群众意见",
            SubjectKind::Suggestion => "代表建议",
            SubjectKind::Project => "民生实事",
            SubjectKind::Review => "审议意见",
        }
    }
}

/// One item of some kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Subject {
    pub kind: SubjectKind,
    pub id: i64,
}

impl Subject {
    pub fn opinion(id: i64) -> Subject {
        Subject {
            kind: SubjectKind::Opinion,
            id,
        }
    }

    pub fn suggestion(id: i64) -> Subject {
        Subject {
            kind: SubjectKind::Suggestion,
            id,
        }
    }

    pub fn project(id: i64) -> Subject {
        Subject {
            kind: SubjectKind::Project,
            id,
        }
    }

    pub fn review(id: i64) -> Subject {
        Subject {
            kind: SubjectKind::Review,
            id,
        }
    }

    /// From the two stored columns; `None` when the kind is unknown (a row written by a later version).
    pub fn from_columns(kind: &str, id: i64) -> Option<Subject> {
        SubjectKind::parse(kind).map(|kind| Subject { kind, id })
    }

    /// The staff page of the item, where the inbox and 督办单 lead.
    pub fn path(&self) -> String {
        match self.kind {
            SubjectKind::Opinion => format!("/opinions/{}", self.id),
            SubjectKind::Suggestion => format!("/suggestions/{}", self.id),
            SubjectKind::Project => format!("/projects/{}", self.id),
            SubjectKind::Review => format!("/reviews/{}", self.id),
        }
    }
}

/// `opinion:42`, the form audit rows name their target in.
impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.kind.as_str(), self.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_subjects_name_their_page() {
        for k in SubjectKind::ALL {
            assert_eq!(SubjectKind::parse(k.as_str()), Some(k));
            assert!(!k.label().is_empty());
        }
        let s = Subject::opinion(42);
        assert_eq!(s.path(), "/opinions/42");
        assert_eq!(s.to_string(), "opinion:42");
        assert_eq!(Subject::from_columns("opinion", 42), Some(s));
        assert_eq!(Subject::from_columns("rocket", 42), None);
        assert_eq!(Subject::review(7).path(), "/reviews/7");
    }
}
