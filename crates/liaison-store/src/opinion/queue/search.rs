//! Finding items in a queue: by receipt code, by a word of the description, by the handling unit, and
//! by the last 4 digits of the citizen's phone. The phone search reads personal information, so its
//! token ([`PhoneTail`]) is made only by [`Store::phone_tail_search`], which writes the audit row
//! (`personal.read`, like every read of a citizen's contact); a filter cannot search phones unaudited.

use liaison_domain::audit::AuditAction;
use liaison_domain::opinion::access;
use liaison_domain::{DomainError, Scope};

use crate::{Actor, Result, Store, StoreError};

/// The last 4 digits of a citizen's phone, searched for with an audit row written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneTail(String);

impl PhoneTail {
    pub fn digits(&self) -> &str {
        &self.0
    }
}

/// `%`, `_` and `\` of a searched word, escaped for `LIKE … ESCAPE '\'`.
pub(crate) fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

impl Store {
    /// Allows a search by the last 4 digits of the citizen's phone to staff who handle items (who may
    /// read the contact of the items they handle), and records it in the audit log.
    pub async fn phone_tail_search(&self, scope: &Scope, actor: &Actor, tail: &str) -> Result<PhoneTail> {
        if !access::is_staff(scope) {
            return Err(StoreError::Forbidden);
        }
        let tail = tail.trim();
        if tail.len() != 4 || !tail.bytes().all(|b| b.is_ascii_digit()) {
            return Err(StoreError::Domain(DomainError::Field {
                field: "phone4",
                message: "请输入群众手机号码的后 4 位数字",
            }));
        }
        let mut tx = self.begin().await?;
        let detail = serde_json::json!({ "field": "citizen_phone_tail", "tail": tail }).to_string();
        self.audit(
            &mut tx,
            actor,
            AuditAction::PersonalRead,
            "opinion:search",
            Some(&scope.region),
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(PhoneTail(tail.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::like_escape;

    #[test]
    fn wildcards_are_searched_for_as_written() {
        assert_eq!(like_escape("100%_路灯\\"), "100\\%\\_路灯\\\\");
    }
}
