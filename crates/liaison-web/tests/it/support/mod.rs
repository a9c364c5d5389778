//! What the 码上办 tests share: a township with a deputy, a station, a unit bound to accounts, and
//! helpers to submit the public form and act on an item.
#![allow(dead_code)]

use liaison_domain::RegionCode;
use liaison_domain::registry::deputy::{DeputyLevel, Gender};
use liaison_domain::registry::station::StationKind;
use liaison_store::Actor;
use liaison_store::account::AccountChange;
use liaison_store::registry::deputy::DeputyInput;
use liaison_store::registry::qr::QrTarget;
use liaison_store::registry::station::StationInput;
use liaison_store::registry::unit::UnitInput;
use liaison_testkit::app::{Client, TestApp};
use liaison_testkit::fixtures::Cast;

pub const CITIZEN_PHONE: &str = "13912345678";

pub fn rc(s: &str) -> RegionCode {
    RegionCode::parse(s).unwrap()
}

pub fn jpeg_with_exif() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(80, 60, image::Rgb([240, 200, 40]));
    let mut jpeg = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut jpeg), image::ImageFormat::Jpeg)
        .unwrap();
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(b"\xFF\xE1\x00\x13Exif\x00\x00GPS-36.28N!");
    out.extend_from_slice(&jpeg[2..]);
    out
}

pub struct World {
    pub deputy_code: String,
    pub station_code: String,
    pub station_id: i64,
    pub unit_id: i64,
}

/// A room with a county deputy (bound to the `deputy` account), the township government as a unit
/// (bound to the `unit` account) and a routing rule for street lights.
pub async fn world(app: &TestApp, c: &Cast) -> World {
    let county = app.db.scope_of(c.id("county_clerk")).await.unwrap();
    let a = Actor::of(&county, "-");
    let st = StationInput {
        region: Some(rc("632521100201")),
        kind: Some(StationKind::Room),
        name: "东香卡村代表联络室".into(),
        ..Default::default()
    };
    let sid = app.db.create_station(&county, &a, &st).await.unwrap();
    let d = DeputyInput {
        name: "拉毛".into(),
        gender: Some(Gender::Female),
        level: Some(DeputyLevel::County),
        congress_region: Some(rc("632521")),
        term: Some(18),
        constituency_region: Some(rc("632521100201")),
        ..Default::default()
    };
    let (mid, _) = app.db.upsert_deputy(&county, &a, &d).await.unwrap();
    app.db.add_resident(&county, &a, sid, mid).await.unwrap();
    let person = app.db.deputy(&county, mid).await.unwrap().person_id;
    let unit = UnitInput {
        region: rc("632521100"),
        name: "恰卜恰镇人民政府".into(),
        kind: "township_government".into(),
        phone: String::new(),
    };
    let (unit_id, _) = app.db.upsert_unit(&county, &a, &unit).await.unwrap();
    app.db
        .set_route(&county, &a, &rc("632521100"), "street_lights", Some(unit_id))
        .await
        .unwrap();
    let admin = app.db.scope_of(c.id("sysadmin")).await.unwrap();
    for (name, unit, person) in [("deputy", None, Some(person)), ("unit", Some(unit_id), None)] {
        let acc = app.db.account(&admin, c.id(name)).await.unwrap();
        let ch = AccountChange {
            display_name: acc.display_name.clone(),
            region: rc(&acc.region_code),
            roles: acc.roles.clone(),
            unit_id: unit,
            station_id: None,
            person_id: person,
        };
        app.db
            .update_account(&admin, &Actor::of(&admin, "-"), c.id(name), ch)
            .await
            .unwrap();
        // the binding gives the account citizens' data to read: it waits for the security administrator
        liaison_testkit::fixtures::grant(&app.db, c.id(name)).await;
    }
    World {
        deputy_code: app.db.qr_code_for(QrTarget::Deputy(person)).await.unwrap(),
        station_code: app.db.qr_code_for(QrTarget::Station(sid)).await.unwrap(),
        station_id: sid,
        unit_id,
    }
}

/// Submits the public form behind `code`; returns the response.
pub async fn report(
    v: &mut Client<'_>,
    code: &str,
    fields: &[(&str, &str)],
    photo: Option<&[u8]>,
) -> liaison_testkit::app::TestResponse {
    let page = v.get(&format!("/q/{code}")).await;
    assert_eq!(page.status.as_u16(), 200);
    let nonce = page.html().attrs("input[name=nonce]", "value")[0].clone();
    let mut all: Vec<(&str, &str)> = vec![("nonce", nonce.as_str())];
    all.extend_from_slice(fields);
    let files: Vec<(&str, &str, &[u8])> = photo.map(|p| vec![("photo", "IMG_1.jpg", p)]).unwrap_or_default();
    v.post_multipart(&format!("/q/{code}"), &all, &files).await
}

pub async fn act(c: &mut Client<'_>, id: i64, fields: &[(&str, &str)]) -> liaison_testkit::app::TestResponse {
    c.get(&format!("/opinions/{id}")).await;
    c.post_form(&format!("/opinions/{id}/act"), fields).await
}
