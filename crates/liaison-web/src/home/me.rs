//! A deputy's own things on their home page: their 码上办 QR code (to show on the phone or save),
//! their service card to print, and what reached them this year. Only the account's own person: no
//! registry permission is needed to see oneself.

use axum::extract::State;
use axum::response::Response;
use chrono::{Datelike, Utc};
use liaison_domain::{Permission, time};
use liaison_store::registry::qr::QrTarget;

use super::{Panel, Tally};
use crate::ctx::Staff;
use crate::extract::Path;
use crate::registry::print::{CardsPage, card_of};
use crate::registry::qr::{image, url_for};
use crate::{AppState, WebError};

/// The QR code block of a deputy's home page.
pub struct QrView {
    /// Whether a code can be made (a public address is configured).
    pub printable: bool,
}

/// The person a deputy's account answers for, or 404.
fn own_person(staff: &Staff) -> Result<i64, WebError> {
    match staff.scope.person_id {
        Some(p) if staff.scope.can(Permission::AnswerAsDeputy) => Ok(p),
        _ => Err(WebError::NotFound),
    }
}

/// Adds the deputy's panel (this year's figures, the card and code) when the caller is a deputy.
pub async fn panel(
    state: &AppState,
    staff: &Staff,
    panels: &mut Vec<Panel>,
) -> Result<Option<QrView>, WebError> {
    let Ok(person) = own_person(staff) else {
        return Ok(None);
    };
    let year_start = time::today()
        .with_day(1)
        .and_then(|d| d.with_month(1))
        .and_then(time::day_start)
        .unwrap_or_else(Utc::now);
    let (received, done) = state.store.deputy_tally(person, year_start).await?;
    let mut p = Panel::new("panel-me", "我的履职（今年）");
    p.tallies = vec![
        Tally {
            label: "收到群众意见",
            shown: received.to_string(),
            href: Some(format!(
                "/opinions?tab=deputy&from={}",
                year_start.with_timezone(&time::beijing()).date_naive()
            )),
            class: "",
        },
        Tally {
            label: "已办结",
            shown: done.to_string(),
            href: None,
            class: "",
        },
    ];
    // the deputy's own record (一人一档: households, committee links), read as themself
    if let Some(m) = state
        .store
        .mandates_of_person(person)
        .await?
        .into_iter()
        .find(|d| d.in_office())
    {
        p.links
            .push((format!("/deputies/{}", m.mandate_id), "我的档案与联系户"));
    }
    p.links.push(("/me/card".into(), "打印我的服务卡"));
    panels.push(p);
    Ok(Some(QrView {
        printable: state.config.public_url.is_some(),
    }))
}

/// `GET /me/card`: the deputy's own service card (one per mandate in office), to print.
pub async fn card(State(state): State<AppState>, staff: Staff) -> Result<CardsPage, WebError> {
    let person = own_person(&staff)?;
    let mut cards = Vec::new();
    let mut name = String::new();
    for d in state.store.mandates_of_person(person).await? {
        if d.in_office() {
            name.clone_from(&d.name);
            cards.push(card_of(&state, &d).await?);
        }
    }
    if cards.is_empty() {
        return Err(WebError::NotFound);
    }
    Ok(CardsPage {
        title: format!("人大代表服务卡 {name}"),
        cards,
    })
}

/// `GET /me/qr.svg`, `/me/qr.png`: the deputy's own 码上办 code.
pub async fn qr(
    State(state): State<AppState>,
    staff: Staff,
    Path(format): Path<String>,
) -> Result<Response, WebError> {
    let person = own_person(&staff)?;
    if !matches!(format.as_str(), "qr.svg" | "qr.png") {
        return Err(WebError::NotFound);
    }
    let url = url_for(&state, QrTarget::Deputy(person)).await?;
    image(&format, &url, "我的码上办二维码")
}
