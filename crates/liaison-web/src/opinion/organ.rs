//! `/supervision/organ`: 督办单落款 — the staff who issue 督办单 set their own region's issuing organ
//! (签发机关) and number prefix. Reached from an item's 督办 section and from a printed 督办单 whose
//! region has set none. A mistake comes back beside its field with everything typed kept (422).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use liaison_domain::Permission;
use liaison_domain::supervision::{ORGAN_MAX, Organ, PREFIX_MAX};
use liaison_store::supervision::organ::OrganSetting;
use serde::Deserialize;

use crate::ctx::Staff;
use crate::error::FieldError;
use crate::extract::{MultiForm, Query};
use crate::layout::Page;
use crate::redisplay::{Redisplay, unprocessable};
use crate::{AppState, WebError};

#[derive(Template, WebTemplate)]
#[template(path = "opinion/organ.html")]
pub struct OrganPage {
    page: Page,
    setting: OrganSetting,
    /// Where to go back to (an item or a printed notice), checked.
    back: String,
    /// A number as it would read this year with the prefix in force.
    example: String,
    organ_max: usize,
    prefix_max: usize,
    again: Redisplay,
}

impl OrganPage {
    /// What the field shows: as typed when shown again, else what is in force.
    fn typed(&self, field: &str) -> String {
        match self.again.value("organ", field) {
            Some(v) => v.to_owned(),
            None if field == "prefix" => self.setting.organ.prefix.clone(),
            None => self.setting.organ.name.clone(),
        }
    }
}

/// A way back to a page of ours that shows 督办单: an item or a printed notice; else none.
fn back_to(s: &str) -> String {
    let ok = ["/opinions/", "/supervision/"].iter().any(|p| {
        s.strip_prefix(p)
            .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
    });
    if ok { s.to_owned() } else { String::new() }
}

async fn page(state: &AppState, staff: &Staff, back: &str, again: Redisplay) -> Result<OrganPage, WebError> {
    let setting = state.store.supervision_organ(&staff.scope).await?;
    let year = chrono::Datelike::year(&liaison_domain::time::today());
    Ok(OrganPage {
        page: Page::new(&staff.ctx, "督办单落款设置", "/opinions"),
        example: liaison_domain::supervision::number(&setting.organ.number_stem(year), 1),
        setting,
        back: back_to(back),
        organ_max: ORGAN_MAX,
        prefix_max: PREFIX_MAX,
        again,
    })
}

#[derive(Deserialize, Default)]
pub struct Back {
    #[serde(default)]
    back: String,
    done: Option<String>,
}

/// `GET /supervision/organ`
pub async fn form(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<Back>,
) -> Result<OrganPage, WebError> {
    staff.require(Permission::HandleRegionOpinions)?;
    let mut p = page(&state, &staff, &q.back, Redisplay::default()).await?;
    p.page = p.page.notice(q.done.as_deref());
    Ok(p)
}

#[derive(Deserialize)]
pub struct OrganForm {
    #[serde(default)]
    organ: String,
    #[serde(default)]
    prefix: String,
    #[serde(default)]
    back: String,
}

/// `POST /supervision/organ`
pub async fn save(
    State(state): State<AppState>,
    staff: Staff,
    MultiForm(f): MultiForm<OrganForm>,
) -> Result<Response, WebError> {
    staff.require(Permission::HandleRegionOpinions)?;
    let saved = match Organ::parse(&f.organ, &f.prefix) {
        Ok(organ) => state
            .store
            .set_supervision_organ(&staff.scope, &staff.actor(), &organ)
            .await
            .map_err(WebError::from),
        Err(problems) => Err(WebError::Invalid {
            code: "invalid_input",
            message: problems.first().map(|p| p.1).unwrap_or_default().to_owned(),
            fields: problems
                .into_iter()
                .map(|(field, message)| FieldError {
                    field: field.to_owned(),
                    message: message.to_owned(),
                })
                .collect(),
        }),
    };
    let back = back_to(&f.back);
    match saved {
        Ok(()) if back.is_empty() => Ok(Redirect::to("/supervision/organ?done=saved").into_response()),
        Ok(()) => Ok(Redirect::to(&format!("{back}?done=saved")).into_response()),
        Err(e) => {
            let typed = vec![
                ("organ".to_owned(), f.organ.clone()),
                ("prefix".to_owned(), f.prefix.clone()),
            ];
            let again = Redisplay::of("organ", typed, e)?;
            Ok(unprocessable(page(&state, &staff, &back, again).await?))
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_our_own_pages_are_ways_back() {
        assert_eq!(super::back_to("/opinions/12"), "/opinions/12");
        assert_eq!(super::back_to("/supervision/3"), "/supervision/3");
        for bad in [
            "//evil.example/opinions/1",
            "/opinions/",
            "/opinions/1?x",
            "https://x/supervision/1",
            "",
        ] {
            assert_eq!(super::back_to(bad), "", "{bad}");
        }
    }
}
