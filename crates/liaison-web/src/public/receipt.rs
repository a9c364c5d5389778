//! The page after a 码上办 submission: the receipt code, what happens next and roughly when, in the
//! words of the deadline rules staff set (`/admin/deadlines`).

use askama::Template;
use askama_web::WebTemplate;
use axum::response::{IntoResponse, Response};
use liaison_domain::calendar::Span;
use liaison_domain::opinion::show_receipt;
use liaison_domain::subject::SubjectKind;
use liaison_store::deadline::Deadlines;

use crate::layout::Page;
use crate::{AppState, RequestCtx, WebError};

#[derive(Template, WebTemplate)]
#[template(path = "public/receipt.html")]
pub struct ReceiptPage {
    page: Page,
    receipt: String,
    receipt_raw: String,
    to: String,
    with_phone: bool,
    draft_key: String,
    expect: Expect,
}

/// When the citizen may expect to hear, from the deadline rules.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Expect {
    /// How soon the deputy or station first looks at it (`submitted`'s rule), e.g. "24小时".
    pub first: Option<String>,
    /// Working days, at most, from registration to the answer reaching the citizen.
    pub answer_days: Option<u32>,
}

/// The stages an item goes through on its way to an answer, each with its holder's deadline.
const TO_ANSWER: [&str; 4] = ["referred", "accepted", "assigned", "replied"];

impl Expect {
    pub fn from_rules(rules: &Deadlines) -> Expect {
        let mut days = 0;
        let mut any = false;
        for stage in TO_ANSWER {
            match rules.span_of(stage) {
                Some(Span::WorkingDays(n)) => {
                    days += n;
                    any = true;
                }
                Some(Span::Hours(h)) => {
                    days += h.div_ceil(24);
                    any = true;
                }
                // a span in months or calendar days is no working-day estimate: say nothing rather
                // than guess
                Some(Span::Months(_) | Span::Days(_)) => return Expect::first_only(rules),
                None => {}
            }
        }
        Expect {
            answer_days: any.then_some(days),
            ..Expect::first_only(rules)
        }
    }

    fn first_only(rules: &Deadlines) -> Expect {
        Expect {
            first: rules.span_of("submitted").map(|s| s.label()),
            answer_days: None,
        }
    }
}

pub async fn page(
    state: &AppState,
    ctx: &RequestCtx,
    receipt: &str,
    to: String,
    with_phone: bool,
    draft_key: String,
) -> Result<Response, WebError> {
    let expect = match state.store.deadlines(SubjectKind::Opinion).await {
        Ok(rules) => Expect::from_rules(&rules),
        // the submission is committed: a failed read of the rules must not hide its receipt
        Err(e) => {
            tracing::warn!(error = %e, "deadline rules unreadable on the receipt page");
            Expect::default()
        }
    };
    Ok(ReceiptPage {
        page: Page::public(ctx, "已收到您反映的问题"),
        receipt: show_receipt(receipt),
        receipt_raw: receipt.to_owned(),
        to,
        with_phone,
        draft_key,
        expect,
    }
    .into_response())
}
