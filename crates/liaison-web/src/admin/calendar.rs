//! 工作日历: the yearly public-holiday arrangements (放假调休) deadlines are counted with. Lists the
//! built-in and entered years, lets the system administrator or county-level committee staff enter the
//! next year or correct one, and warns when the current year (or, from November, the next) is missing.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Datelike, NaiveDate};
use liaison_domain::Permission;
use liaison_domain::calendar::{CalendarError, YearArrangement, entry_reminder};
use liaison_store::calendar::CalendarYear;
use serde::Deserialize;

use crate::ctx::Staff;
use crate::extract::{Form, Query};
use crate::layout::{Page, local_time};
use crate::{AppState, WebError};

/// Longest text accepted in one textarea (a year has a few dozen lines at most).
const MAX_TEXT: usize = 4000;
/// Longest source (the notice's number and date).
const MAX_SOURCE: usize = 200;

#[derive(Template, WebTemplate)]
#[template(path = "admin/calendar.html")]
pub struct CalendarPage {
    page: Page,
    /// One reminder per year that should have been entered by now.
    warnings: Vec<String>,
    rows: Vec<YearRow>,
    may_edit: bool,
    /// The form to add a year (defaults, or what was typed when it failed).
    add: YearForm,
}

pub struct YearRow {
    year: i32,
    source: String,
    off_summary: String,
    work_summary: String,
    status: &'static str,
    entered: bool,
    /// When and by whom it was entered.
    updated: Option<String>,
    form: YearForm,
}

/// A year's form: what it shows in its fields and the message next to each.
#[derive(Default)]
pub struct YearForm {
    year: String,
    source: String,
    off_text: String,
    work_text: String,
    year_error: Option<String>,
    source_error: Option<String>,
    off_error: Option<String>,
    work_error: Option<String>,
    /// Shown unfolded (after a failed save).
    open: bool,
}

impl YearForm {
    fn of(a: &YearArrangement) -> YearForm {
        YearForm {
            year: a.year.to_string(),
            source: a.source.clone(),
            off_text: a.to_off_text(),
            work_text: a.to_work_text(),
            ..YearForm::default()
        }
    }
}

#[derive(Deserialize)]
pub struct Done {
    done: Option<String>,
}

#[derive(Deserialize)]
pub struct SaveForm {
    /// `add` (the new-year form) or `edit` (a listed year's form).
    #[serde(default)]
    form: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    off_text: String,
    #[serde(default)]
    work_text: String,
}

fn today() -> NaiveDate {
    liaison_domain::time::today()
}

/// `1/1–1/3、2/15–2/23（共2段11天）`.
fn off_summary(a: &YearArrangement) -> String {
    if a.off.is_empty() {
        return "无".into();
    }
    let days: i64 = a.off.iter().map(|(f, t)| (*t - *f).num_days() + 1).sum();
    let ranges: Vec<String> = a
        .off
        .iter()
        .map(|(f, t)| {
            if f == t {
                short(*f)
            } else {
                format!("{}–{}", short(*f), short(*t))
            }
        })
        .collect();
    format!("{}（共{}段{}天）", ranges.join("、"), a.off.len(), days)
}

/// `1/4、2/14（共2天）`.
fn work_summary(a: &YearArrangement) -> String {
    if a.work.is_empty() {
        return "无".into();
    }
    let days: Vec<String> = a.work.iter().map(|d| short(*d)).collect();
    format!("{}（共{}天）", days.join("、"), a.work.len())
}

fn short(d: NaiveDate) -> String {
    format!("{}/{}", d.month(), d.day())
}

fn row(y: &CalendarYear) -> YearRow {
    let a = &y.arrangement;
    YearRow {
        year: a.year,
        source: a.source.clone(),
        off_summary: off_summary(a),
        work_summary: work_summary(a),
        status: match (y.entered, y.built_in) {
            (false, _) => "内置",
            (true, false) => "已录入",
            (true, true) => "已录入（替换内置）",
        },
        entered: y.entered,
        updated: y.updated_at.as_ref().map(|at| match &y.updated_by {
            Some(by) => format!("{} {by}", local_time(at)),
            None => local_time(at),
        }),
        form: YearForm::of(a),
    }
}

/// The page, with `failed` (a form that did not save) put back where it was typed.
async fn build(
    state: &AppState,
    staff: &Staff,
    failed: Option<(bool, YearForm)>,
) -> Result<CalendarPage, WebError> {
    let today = today();
    let calendar = state.store.work_calendar().await?;
    let missing = calendar.years_to_enter(today);
    let mut rows: Vec<YearRow> = state.store.calendar_years().await?.iter().map(row).collect();
    let default_year = missing.first().copied().unwrap_or(today.year() + 1);
    let mut add = YearForm {
        year: default_year.to_string(),
        ..YearForm::default()
    };
    match failed {
        Some((true, form)) => match rows.iter_mut().find(|r| r.year.to_string() == form.year.trim()) {
            Some(r) => r.form = form,
            None => add = form,
        },
        Some((false, form)) => add = form,
        None => {}
    }
    Ok(CalendarPage {
        page: Page::new(&staff.ctx, "工作日历", "/admin/calendar"),
        warnings: missing.into_iter().map(entry_reminder).collect(),
        rows,
        may_edit: state.store.may_edit_calendar(&staff.scope).await?,
        add,
    })
}

pub async fn page(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<Done>,
) -> Result<CalendarPage, WebError> {
    staff.require(Permission::ManageCalendar)?;
    let mut page = build(&state, &staff, None).await?;
    page.page = page.page.notice(q.done.as_deref());
    Ok(page)
}

/// Reads the form into an arrangement, or gives the form back with a message next to each bad field.
fn parse(f: &SaveForm) -> Result<YearArrangement, Box<YearForm>> {
    let mut form = Box::new(YearForm {
        year: f.year.clone(),
        source: f.source.clone(),
        off_text: f.off_text.clone(),
        work_text: f.work_text.clone(),
        open: true,
        ..YearForm::default()
    });
    let year_text = f.year.trim();
    let year = year_text
        .parse::<i32>()
        .ok()
        .filter(|_| year_text.len() == 4 && year_text.bytes().all(|b| b.is_ascii_digit()));
    if year.is_none() {
        form.year_error = Some("年份应为四位数字，如 2027".into());
    }
    let source = f.source.trim();
    if source.is_empty() {
        form.source_error = Some("请填写来源：通知的文号或发布日期".into());
    } else if source.chars().count() > MAX_SOURCE {
        form.source_error = Some(format!("来源不超过 {MAX_SOURCE} 个字"));
    }
    if f.off_text.chars().count() > MAX_TEXT {
        form.off_error = Some(format!("内容过长（不超过 {MAX_TEXT} 个字）"));
    }
    if f.work_text.chars().count() > MAX_TEXT {
        form.work_error = Some(format!("内容过长（不超过 {MAX_TEXT} 个字）"));
    }
    let Some(year) = year else {
        return Err(form);
    };
    if form.off_error.is_some() || form.work_error.is_some() {
        return Err(form);
    }
    // The days off alone first, so a problem is put next to the field that causes it.
    match YearArrangement::parse_text(year, source, &f.off_text, "") {
        Err(CalendarError::InvalidYear(_)) => {
            form.year_error = Some("年份应为四位数字，如 2027".into());
            return Err(form);
        }
        Err(e) => {
            form.off_error = Some(e.to_string());
            return Err(form);
        }
        Ok(a) if a.off.is_empty() => {
            form.off_error = Some("请至少填写一段放假日期".into());
            return Err(form);
        }
        Ok(_) => {}
    }
    match YearArrangement::parse_text(year, source, &f.off_text, &f.work_text) {
        Err(e) => {
            form.work_error = Some(e.to_string());
            Err(form)
        }
        Ok(_) if form.source_error.is_some() => Err(form),
        Ok(a) => Ok(a),
    }
}

pub async fn save(
    State(state): State<AppState>,
    staff: Staff,
    Form(f): Form<SaveForm>,
) -> Result<Response, WebError> {
    staff.require(Permission::ManageCalendar)?;
    if !state.store.may_edit_calendar(&staff.scope).await? {
        return Err(WebError::Forbidden);
    }
    match parse(&f) {
        Ok(arrangement) => {
            state
                .store
                .save_calendar_year(&staff.scope, &staff.actor(), &arrangement)
                .await?;
            Ok(Redirect::to("/admin/calendar?done=saved").into_response())
        }
        Err(form) => {
            let page = build(&state, &staff, Some((f.form == "edit", *form))).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(year: &str, source: &str, off: &str, work: &str) -> SaveForm {
        SaveForm {
            form: "add".into(),
            year: year.into(),
            source: source.into(),
            off_text: off.into(),
            work_text: work.into(),
        }
    }

    #[test]
    fn errors_go_next_to_the_field_that_causes_them() {
        let bad = |f: SaveForm| parse(&f).expect_err("invalid");
        let e = bad(form("27", "x", "2027-01-01", ""));
        assert!(e.year_error.is_some() && e.off_error.is_none());
        let e = bad(form("2027", " ", "2027-01-01", ""));
        assert!(e.source_error.is_some() && e.off_error.is_none());
        let e = bad(form("2027", "x", "2027-02-30", ""));
        assert_eq!(
            e.off_error.as_deref(),
            Some("放假日期第1行：2027-02-30 不是有效日期")
        );
        assert_eq!(e.off_text, "2027-02-30");
        let e = bad(form("2027", "x", "2027-01-01", "2027-02-09"));
        assert_eq!(e.work_error.as_deref(), Some("调休上班日 2027-02-09 不是周末"));
        assert!(e.off_error.is_none());
        let e = bad(form("2027", "x", "# 只有备注", ""));
        assert_eq!(e.off_error.as_deref(), Some("请至少填写一段放假日期"));
        let ok = parse(&form("2027", " 通知 ", "2027-01-01 至 2027-01-03", "2027-02-14"));
        let ok = ok.ok().map(|a| (a.source, a.off.len(), a.work.len()));
        assert_eq!(ok, Some(("通知".into(), 1, 1)));
    }

    #[test]
    fn summaries_are_short() {
        let a = YearArrangement::parse_text(2027, "x", "2027-01-01\n2027-02-05 至 2027-02-12", "2027-02-14")
            .expect("valid");
        assert_eq!(off_summary(&a), "1/1、2/5–2/12（共2段9天）");
        assert_eq!(work_summary(&a), "2/14（共1天）");
    }
}
