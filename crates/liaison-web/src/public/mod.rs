//! Public pages: no login, no JavaScript, small, personal data masked.

pub mod card;
pub mod find;
pub mod form;
pub mod home;
pub mod intake;
pub mod missing;
pub mod published;
pub mod receipt;
pub mod track;
pub mod tracked;

use crate::routes::Routes;
use axum::handler::Handler;

/// The address printed into QR codes and SMS links: the configured public URL. Never the `Host` a
/// request came with — anyone can send any `Host`, and a code printed with a wrong address sends
/// every voter who scans it elsewhere — so without one no code is made.
pub fn base_url(config: &crate::WebConfig) -> Result<String, crate::WebError> {
    match &config.public_url {
        Some(u) => Ok(u.trim_end_matches('/').to_owned()),
        None => Err(crate::WebError::Conflict {
            code: "no_public_url",
            message: "尚未设置本平台的对外访问地址（LIAISON_PUBLIC_URL），不能生成二维码：请系统管理员先设置，以免群众扫码后打不开".into(),
        }),
    }
}

pub(crate) fn routes() -> Routes {
    Routes::new()
        .get("/p/{file}", card::photo)
        .get_post(
            "/q/{code}",
            card::scan,
            intake::submit.layer(crate::upload::OPINION.layer()),
        )
        .get("/t", track::page)
        .post("/t/rate", track::rate)
        .get("/t/photos/{file}", track::photo)
        .get("/t/files/{id}", track::file)
        .get("/published", published::list)
        .get("/published/photos/{file}", published::photo)
        .get_post(
            "/s/{id}",
            card::station,
            intake::submit_station.layer(crate::upload::OPINION.layer()),
        )
        .get_post(
            "/d/{person}",
            card::deputy,
            intake::submit_deputy.layer(crate::upload::OPINION.layer()),
        )
        .get("/find", find::page)
}
