use liaison_domain::DomainError;
use thiserror::Error;

/// The one error type of the store layer.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// The row exists but lies outside the caller's region or role: reported like `NotFound` to the user.
    #[error("out of scope")]
    OutOfScope,
    /// The caller's roles do not allow this action.
    #[error("forbidden")]
    Forbidden,
    /// A unique key is taken; the string names the field for the form.
    #[error("conflict on {0}")]
    Conflict(&'static str),
    #[error(transparent)]
    Domain(#[from] DomainError),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A domain rule refused the change; the text is the Chinese message for the user.
    #[error("refused: {0}")]
    Refused(String),
    /// A value typed into one field does not fit what is stored (an unknown reference, say); the
    /// message is the Chinese text shown next to that field.
    #[error("field {field}: {message}")]
    Field { field: &'static str, message: String },
    /// Too many submissions from one address or to one code in the current window.
    #[error("rate limited")]
    RateLimited,
    #[error("invalid stored data: {0}")]
    Corrupt(String),
}

impl StoreError {
    /// Turns a unique-constraint violation into `Conflict(field)`, anything else into `Db`.
    pub(crate) fn unique(field: &'static str) -> impl FnOnce(sqlx::Error) -> StoreError {
        move |e| match &e {
            sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Conflict(field),
            _ => StoreError::Db(e),
        }
    }
}
