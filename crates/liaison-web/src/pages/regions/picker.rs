//! The region picker: one select named after the form's field, listing the way down from the
//! caller's region to the chosen one and the chosen one's children, so a clerk picks a township, then
//! a village, by name. With JavaScript (htmx) a change redraws the picker at once; without it the
//! "选下级" button submits the form, whose handler shows it again with everything typed kept
//! (`_drill`), or a list filter simply filters.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use liaison_domain::{RegionCode, RegionLevel};

use crate::extract::Query;
use crate::{AppState, RequestCtx, WebError};

/// What the picker offers besides the caller's subtree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickerMode {
    /// A form's required region: one of the subtree's regions.
    Form,
    /// A list filter: also "全部" (the empty value).
    Filter,
    /// The congress that elected a deputy: also the regions above the caller's (a township clerk
    /// registers county deputies).
    Above,
}

impl PickerMode {
    fn as_str(self) -> &'static str {
        match self {
            PickerMode::Form => "form",
            PickerMode::Filter => "filter",
            PickerMode::Above => "above",
        }
    }

    fn parse(s: &str) -> PickerMode {
        match s {
            "filter" => PickerMode::Filter,
            "above" => PickerMode::Above,
            _ => PickerMode::Form,
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "region_picker.html")]
pub struct Picker {
    field: String,
    mode: &'static str,
    /// (short code, label indented by depth, selected)
    options: Vec<(String, String, bool)>,
    /// The chosen region's names from the caller's region down: 共和县 › 恰卜恰镇 › 东香卡村.
    label: String,
    /// The chosen region has regions below it ("选下级" is offered).
    deeper: bool,
}

/// `GET /regions/picker?field=F&mode=M&F=code` (htmx sends the select's own value under its name;
/// `code=` is read too).
pub async fn picker(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let root = match &ctx.session {
        Some(s) if !ctx.password_expired => s.scope.region.clone(),
        _ => return Err(WebError::Unauthenticated),
    };
    let field = q
        .get("field")
        .filter(|f| !f.is_empty() && f.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .cloned()
        .unwrap_or_else(|| "region".to_owned());
    let code = q
        .get(&field)
        .or_else(|| q.get("code"))
        .cloned()
        .unwrap_or_default();
    let mode = PickerMode::parse(q.get("mode").map(String::as_str).unwrap_or(""));
    Ok(render_picker_as(&state, Some(&root), &field, &code, mode)
        .await?
        .into_response())
}

/// The picker of a form's required region within `root`'s subtree.
pub async fn render_picker(
    state: &AppState,
    root: Option<&RegionCode>,
    field: &str,
    code: &str,
) -> Result<Picker, WebError> {
    render_picker_as(state, root, field, code, PickerMode::Form).await
}

/// The picker for `field` with `code` chosen (a code outside what `mode` offers counts as none).
pub async fn render_picker_as(
    state: &AppState,
    root: Option<&RegionCode>,
    field: &str,
    code: &str,
    mode: PickerMode,
) -> Result<Picker, WebError> {
    let Some(root) = root.cloned() else {
        return Err(WebError::Forbidden);
    };
    let chosen = RegionCode::parse(code.trim())
        .ok()
        .filter(|c| root.contains(c) || (mode == PickerMode::Above && c.contains(&root)));
    let mut options = Vec::new();
    if mode == PickerMode::Filter {
        options.push((String::new(), "全部".to_owned(), chosen.is_none()));
    }
    let is_chosen = |c: &RegionCode| {
        chosen.as_ref() == Some(c) || (chosen.is_none() && mode != PickerMode::Filter && *c == root)
    };
    // above the caller's region (only for the electing congress), then the root
    let ancestors = state.store.region_lineage(&root).await?;
    let mut label = String::new();
    for r in &ancestors {
        let Ok(c) = RegionCode::parse(&r.code) else {
            continue;
        };
        if c == root || mode == PickerMode::Above {
            options.push((c.short().to_owned(), r.name.clone(), is_chosen(&c)));
        }
        if c == root {
            label = r.name.clone();
        }
    }
    // from the root down to the chosen region, indented by depth, then its children
    let base = chosen
        .clone()
        .filter(|c| root.contains(c))
        .unwrap_or_else(|| root.clone());
    let below: Vec<RegionCode> = base
        .lineage()
        .into_iter()
        .filter(|l| root.contains(l) && *l != root)
        .collect();
    let mut depth = 1;
    for code in &below {
        if let Some(r) = state.store.region(code).await? {
            options.push((
                code.short().to_owned(),
                indent(depth, &r.short_name()),
                is_chosen(code),
            ));
            label = format!("{label} › {}", r.short_name());
        }
        depth += 1;
    }
    if let Some(c) = chosen.as_ref().filter(|c| !root.contains(c))
        && let Some(r) = ancestors.iter().find(|r| r.code == c.as_str())
    {
        label = r.name.clone();
    }
    let mut deeper = false;
    if base.level() < RegionLevel::Village {
        let children = state.store.region_children(Some(&base)).await?;
        deeper = !children.is_empty() && chosen.as_ref().is_none_or(|c| root.contains(c));
        for r in children {
            let Ok(c) = RegionCode::parse(&r.code) else {
                continue;
            };
            options.push((c.short().to_owned(), indent(depth, &r.short_name()), false));
        }
    }
    if mode == PickerMode::Filter && chosen.is_none() {
        label = format!("{label}（全部）");
    }
    Ok(Picker {
        field: field.to_owned(),
        mode: mode.as_str(),
        options,
        label,
        deeper,
    })
}

/// A name shown `depth` levels below the caller's region (ideographic spaces: a select shows no CSS).
fn indent(depth: usize, name: &str) -> String {
    format!("{}{name}", "\u{3000}".repeat(depth))
}
