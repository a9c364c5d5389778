//! 代表管理: list with filters, register, detail (contact read is audited), leave office, QR.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use liaison_domain::registry::deputy::{DeputyLevel, Gender, parse_ethnicity, parse_party};
use liaison_domain::{Permission, RegionCode};
use liaison_store::Cursor;
use liaison_store::page::{self, Key};
use liaison_store::registry::deputy::{Deputy, DeputyFilter, DeputyInput};
use liaison_store::registry::station::Station;
use serde::Deserialize;

use crate::ctx::Staff;
use crate::extract::{Form, Multipart, Path, Query};
use crate::layout::Page;
use crate::{AppState, WebError};

const PAGE_SIZE: i64 = 50;

fn levels() -> Vec<(&'static str, &'static str)> {
    DeputyLevel::ALL.iter().map(|l| (l.as_str(), l.label())).collect()
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    region: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    term: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    q: String,
    after: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "registry/deputies.html")]
pub struct ListPage {
    page: Page,
    rows: Vec<Deputy>,
    f: ListQuery,
    levels: Vec<(&'static str, &'static str)>,
    next: Option<String>,
    error: Option<String>,
    can_manage: bool,
    export_query: String,
}

pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(f): Query<ListQuery>,
) -> Result<ListPage, WebError> {
    staff.require(Permission::ViewRegistry)?;
    let mut error = None;
    let region = super::region_filter(&Some(f.region.clone())).unwrap_or_else(|e| {
        error = Some(e);
        None
    });
    let term = match f.term.trim() {
        "" => None,
        t => match t.parse::<i32>() {
            Ok(n) => Some(n),
            Err(_) => {
                error = Some("届次应为数字，如 18".into());
                None
            }
        },
    };
    let filter = DeputyFilter {
        region,
        level: DeputyLevel::parse(&f.level),
        term,
        in_office: match f.status.as_str() {
            "in_office" => Some(true),
            "left" => Some(false),
            _ => None,
        },
        q: (!f.q.trim().is_empty()).then(|| f.q.trim().chars().take(30).collect()),
    };
    let query = [
        ("region", f.region.as_str()),
        ("level", &f.level),
        ("term", &f.term),
        ("status", &f.status),
        ("q", &f.q),
    ];
    let after = f.after.as_deref().and_then(Cursor::parse);
    let fetched = state
        .store
        .deputies(&staff.scope, &filter, after.as_ref(), page::fetch(PAGE_SIZE))
        .await;
    let page = super::list_page(fetched, PAGE_SIZE, "/deputies", &query, |d: &Deputy| {
        Cursor::new(&d.constituency_region, d.mandate_id)
    })?;
    let (rows, next) = (page.rows, page.next);
    error = error.or(page.error);
    let export_query = super::filter_query(&query);
    Ok(ListPage {
        export_query,
        page: Page::new(&staff.ctx, "代表管理", "/deputies"),
        rows,
        f,
        levels: levels(),
        next,
        error,
        can_manage: staff.scope.can(Permission::ManageRegistry),
    })
}

#[derive(Deserialize, Default, Clone)]
pub struct DeputyForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub gender: String,
    #[serde(default)]
    pub ethnicity: String,
    #[serde(default)]
    pub birth_year: String,
    #[serde(default)]
    pub party: String,
    #[serde(default)]
    pub occupation: String,
    #[serde(default)]
    pub employer: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub level: String,
    #[serde(default)]
    pub congress_region: String,
    #[serde(default)]
    pub term: String,
    #[serde(default)]
    pub constituency: String,
    #[serde(default)]
    pub constituency_region: String,
    #[serde(default)]
    pub deputy_group: String,
    #[serde(default)]
    pub expert_group: String,
}

impl DeputyForm {
    /// Accepts the words a clerk types (男/女, 藏/藏族, 县/县人大代表 …); every problem in Chinese.
    pub fn parse(&self) -> Result<DeputyInput, Vec<(&'static str, String)>> {
        let mut errors: Vec<(&'static str, String)> = Vec::new();
        let region = |s: &str,
                      field: &'static str,
                      label: &str,
                      errors: &mut Vec<(&'static str, String)>|
         -> Option<RegionCode> {
            match RegionCode::parse(s) {
                Ok(r) => Some(r),
                Err(_) => {
                    errors.push((field, format!("{label}应为 2～12 位行政区划代码")));
                    None
                }
            }
        };
        let ethnicity = match self.ethnicity.trim() {
            "" => String::new(),
            e => parse_ethnicity(e).map(str::to_owned).unwrap_or_else(|| {
                errors.push(("ethnicity", format!("民族“{e}”无法识别")));
                String::new()
            }),
        };
        let party = match self.party.trim() {
            "" => String::new(),
            p => parse_party(p).map(str::to_owned).unwrap_or_else(|| {
                errors.push(("party", format!("政治面貌“{p}”无法识别")));
                String::new()
            }),
        };
        let birth_year = match self.birth_year.trim() {
            "" => None,
            y => y.parse::<i32>().ok().or_else(|| {
                errors.push(("birth_year", "出生年份应为 4 位数字".into()));
                None
            }),
        };
        let input = DeputyInput {
            name: self.name.trim().to_owned(),
            gender: Gender::parse(&self.gender),
            ethnicity,
            birth_year,
            party,
            occupation: self.occupation.trim().to_owned(),
            employer: self.employer.trim().to_owned(),
            phone: self.phone.trim().to_owned(),
            level: DeputyLevel::parse(&self.level).or_else(|| DeputyLevel::from_label(&self.level)),
            congress_region: region(
                &self.congress_region,
                "congress_region",
                "选举产生的人大",
                &mut errors,
            ),
            term: self
                .term
                .trim()
                .trim_start_matches('第')
                .trim_end_matches('届')
                .parse()
                .ok(),
            constituency: self.constituency.trim().to_owned(),
            constituency_region: region(
                &self.constituency_region,
                "constituency_region",
                "选区所在行政区",
                &mut errors,
            ),
            deputy_group: self.deputy_group.trim().to_owned(),
            expert_group: self.expert_group.trim().to_owned(),
        };
        let known_bad: Vec<&str> = errors.iter().map(|(f, _)| *f).collect();
        errors.extend(
            input
                .validate()
                .into_iter()
                .filter(|(f, _)| !known_bad.contains(f)),
        );
        if errors.is_empty() { Ok(input) } else { Err(errors) }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "registry/deputy_form.html")]
pub struct FormPage {
    page: Page,
    form: DeputyForm,
    levels: Vec<(&'static str, &'static str)>,
    errors: Vec<String>,
}

pub async fn new_form(staff: Staff) -> Result<FormPage, WebError> {
    staff.require(Permission::ManageRegistry)?;
    let short = staff.scope.region.short().to_owned();
    let form = DeputyForm {
        congress_region: short.clone(),
        constituency_region: short,
        level: "county".into(),
        ..Default::default()
    };
    Ok(FormPage {
        page: Page::new(&staff.ctx, "登记代表", "/deputies"),
        form,
        levels: levels(),
        errors: vec![],
    })
}

pub async fn create(
    State(state): State<AppState>,
    staff: Staff,
    Form(f): Form<DeputyForm>,
) -> Result<Response, WebError> {
    staff.require(Permission::ManageRegistry)?;
    let errors = match f.parse() {
        Ok(input) => match state
            .store
            .upsert_deputy(&staff.scope, &staff.actor(), &input)
            .await
        {
            Ok((id, _)) => return Ok(Redirect::to(&format!("/deputies/{id}?done=saved")).into_response()),
            Err(liaison_store::StoreError::OutOfScope) => vec!["选区所在行政区不在您的管辖范围内".to_owned()],
            Err(e) => return Err(e.into()),
        },
        Err(errors) => errors.into_iter().map(|(_, m)| m).collect(),
    };
    let page = FormPage {
        page: Page::new(&staff.ctx, "登记代表", "/deputies"),
        form: f,
        levels: levels(),
        errors,
    };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "registry/deputy_detail.html")]
pub struct DetailPage {
    page: Page,
    households: Vec<liaison_store::registry::household::Household>,
    committee: Vec<liaison_store::registry::committee::CommitteeLink>,
    members: Vec<Deputy>,
    link_gaps: Vec<String>,
    household_kinds: Vec<(&'static str, &'static str)>,
    household_errors: Vec<String>,
    d: Deputy,
    has_photo: bool,
    others: Vec<Deputy>,
    stations: Vec<Station>,
    phone: Option<String>,
    can_manage: bool,
    can_contacts: bool,
    today: String,
}

#[derive(Deserialize)]
pub struct Done {
    done: Option<String>,
}

async fn detail_page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    phone: Option<String>,
    done: Option<&str>,
) -> Result<DetailPage, WebError> {
    detail_with(state, staff, id, phone, done, vec![]).await
}

pub(super) async fn detail_with(
    state: &AppState,
    staff: &Staff,
    id: i64,
    phone: Option<String>,
    done: Option<&str>,
    household_errors: Vec<String>,
) -> Result<DetailPage, WebError> {
    use liaison_domain::registry::household::{HouseholdKind, LinkFact, LinkRule, link_gaps};
    let d = state.store.deputy(&staff.scope, id).await?;
    let households = state.store.households(&staff.scope, d.person_id).await?;
    let facts: Vec<LinkFact> = households
        .iter()
        .filter_map(|h| {
            h.kind().map(|kind| LinkFact {
                kind,
                meetings_this_year: h.meetings_this_year as usize,
            })
        })
        .collect();
    let link_gaps = link_gaps(&LinkRule::default(), &facts);
    let committee = state.store.committee_links(&staff.scope, d.person_id).await?;
    // candidates for the member side: county-level deputies in office in the caller's scope
    let members = if staff.scope.can(Permission::ManageRegistry) {
        let f = DeputyFilter {
            level: Some(DeputyLevel::County),
            in_office: Some(true),
            ..Default::default()
        };
        state
            .store
            .deputies(&staff.scope, &f, None, 500)
            .await?
            .into_iter()
            .filter(|m| m.person_id != d.person_id)
            .collect()
    } else {
        vec![]
    };
    let others = state
        .store
        .mandates_of_person(d.person_id)
        .await?
        .into_iter()
        .filter(|m| m.mandate_id != id)
        .collect();
    Ok(DetailPage {
        page: Page::new(&staff.ctx, d.name.clone(), "/deputies").notice(done),
        households,
        committee,
        members,
        link_gaps,
        household_kinds: HouseholdKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label()))
            .collect(),
        household_errors,
        stations: state.store.stations_of_person(d.person_id).await?,
        has_photo: state.store.public_photo(d.person_id).await?.is_some(),
        others,
        d,
        phone,
        can_manage: staff.scope.can(Permission::ManageRegistry),
        can_contacts: staff.scope.can(Permission::ReadContacts),
        today: liaison_domain::time::today().to_string(),
    })
}

pub async fn detail(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Query(q): Query<Done>,
) -> Result<DetailPage, WebError> {
    staff.require(Permission::ViewRegistry)?;
    detail_page(&state, &staff, id, None, q.done.as_deref()).await
}

/// Shows the phone number: a deliberate, audited read (POST, so it is never prefetched or cached).
pub async fn contact(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<DetailPage, WebError> {
    let phone = state
        .store
        .deputy_contact(&staff.scope, &staff.actor(), id)
        .await?;
    detail_page(&state, &staff, id, Some(phone), None).await
}

#[derive(Deserialize)]
pub struct LeaveForm {
    #[serde(default)]
    on: String,
    #[serde(default)]
    reason: String,
}

pub async fn leave(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(f): Form<LeaveForm>,
) -> Result<Response, WebError> {
    staff.require(Permission::ManageRegistry)?;
    let on = NaiveDate::parse_from_str(f.on.trim(), "%Y-%m-%d")
        .map_err(|_| WebError::invalid("on", "离任日期应为 年-月-日，如 2026-11-22"))?;
    let reason = f.reason.trim();
    if reason.is_empty() || reason.chars().count() > 200 {
        return Err(WebError::invalid("reason", "请填写离任原因（不超过 200 字）"));
    }
    state
        .store
        .leave_office(&staff.scope, &staff.actor(), id, on, reason)
        .await?;
    Ok(Redirect::to(&format!("/deputies/{id}?done=left")).into_response())
}

/// `POST /deputies/{id}/photo` (multipart, field `photo`): checked, re-encoded, stored durably, then
/// the record points at it.
pub async fn upload_photo(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Multipart(mut mp): Multipart,
) -> Result<Response, WebError> {
    staff.require(Permission::ManageRegistry)?;
    state.store.deputy(&staff.scope, id).await?;
    let mut bytes = None;
    while let Some(field) = mp
        .next_field()
        .await
        .map_err(|_| WebError::invalid("photo", "上传中断，请重试"))?
    {
        if field.name() == Some("photo") {
            bytes = Some(
                field
                    .bytes()
                    .await
                    .map_err(|_| WebError::invalid("photo", "上传中断，请重试"))?,
            );
        }
    }
    let bytes = bytes
        .filter(|b| !b.is_empty())
        .ok_or_else(|| WebError::invalid("photo", "请选择照片"))?;
    let clean = tokio::task::spawn_blocking(move || crate::photo::sanitize(&bytes))
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?
        .map_err(|m| WebError::invalid("photo", m))?;
    let hash = state
        .blobs
        .put(clean)
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?;
    state
        .store
        .set_person_photo(&staff.scope, &staff.actor(), id, &hash)
        .await?;
    Ok(Redirect::to(&format!("/deputies/{id}?done=saved")).into_response())
}
