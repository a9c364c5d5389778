//! The 码上办 form as the public card shows it: the values as typed (kept to show again with the
//! errors), the categories to choose from, where it posts. The card renders it; intake fills it again.

use crate::{AppState, WebError};

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
    pub async fn new(state: &AppState, code: &str) -> Result<IntakeForm, WebError> {
        Ok(IntakeForm {
            action: format!("/q/{code}"),
            categories: categories(state).await?,
            values: IntakeValues {
                nonce: liaison_domain::token::random_token(),
                ..IntakeValues::default()
            },
            errors: vec![],
            draft_key: format!("draft-{code}"),
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
