//! The 码上办 form as the public card shows it: the values as typed (kept to show again with the
//! errors), the categories to choose from, where it posts. The card renders it; intake fills it again.

use crate::{AppState, WebError};

/// The way a citizen reached the form: a printed QR code, or a deputy's or station's public card
/// opened from the site's own lists (码上找代表, a station's resident deputies). Each card posts back
/// to its own address and the submission goes where the card's code would send it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// A (parsed) QR code: `/q/{code}`.
    Code(String),
    /// A person holding a mandate in office: `/d/{person}`.
    Deputy(i64),
    /// An open station: `/s/{id}`.
    Station(i64),
}

impl Entry {
    /// The card's address, where its form posts.
    pub fn path(&self) -> String {
        match self {
            Entry::Code(c) => format!("/q/{c}"),
            Entry::Deputy(p) => format!("/d/{p}"),
            Entry::Station(s) => format!("/s/{s}"),
        }
    }

    /// Where the phone keeps the unsent draft (one per card).
    pub fn draft_key(&self) -> String {
        match self {
            Entry::Code(c) => format!("draft-{c}"),
            Entry::Deputy(p) => format!("draft-d{p}"),
            Entry::Station(s) => format!("draft-s{s}"),
        }
    }

    /// The rate-limit bucket of submissions through this card.
    pub fn bucket(&self) -> String {
        match self {
            Entry::Code(c) => format!("code:{c}"),
            Entry::Deputy(p) => format!("deputy:{p}"),
            Entry::Station(s) => format!("station:{s}"),
        }
    }
}

/// What the citizen typed, kept to show again with the errors.
#[derive(Debug, Clone, Default)]
pub struct IntakeValues {
    pub category: String,
    pub description: String,
    pub name: String,
    pub phone: String,
    pub callback: bool,
    pub share: bool,
    pub nonce: String,
}

/// The form, filled into the deputy's or station's public card.
#[derive(Debug, Clone)]
pub struct IntakeForm {
    pub action: String,
    pub categories: Vec<(String, String)>,
    pub values: IntakeValues,
    pub errors: Vec<String>,
    pub draft_key: String,
}

impl IntakeForm {
    pub async fn new(state: &AppState, entry: &Entry) -> Result<IntakeForm, WebError> {
        Ok(IntakeForm {
            action: entry.path(),
            categories: categories(state).await?,
            values: IntakeValues {
                nonce: liaison_domain::token::random_token(),
                ..IntakeValues::default()
            },
            errors: vec![],
            draft_key: entry.draft_key(),
        })
    }
}

pub async fn categories(state: &AppState) -> Result<Vec<(String, String)>, WebError> {
    Ok(state
        .store
        .categories()
        .await?
        .into_iter()
        .map(|c| (c.code, c.label))
        .collect())
}
