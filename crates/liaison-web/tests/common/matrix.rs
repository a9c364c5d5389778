//! The authorisation matrix's table: every guarded route with the status each role of the fixture cast
//! gets, and the routes open to all with their reason. The matrix test (`it/authz_matrix.rs`) holds
//! the router to it; the statement budget test (`budget.rs`) asks every row as every role and counts
//! the statements each answer took.

use liaison_testkit::app::TestApp;
use liaison_testkit::fixtures::{Cast, PASSWORD};

use crate::support::{report, world};

/// Who is asking. `anon` is nobody logged in.
pub const WHO: &[&str] = &[
    "anon",
    "sysadmin",
    "secadmin",
    "auditor",
    "county_clerk",
    "town_clerk",
    "other_town_clerk",
    "station_mgr",
    "deputy",
    "unit",
    "chair",
];

/// A password policy form that parses but is refused (every number malformed): saves nothing.
pub const POLICY: &[(&str, &str)] = &[
    ("min_length", "x"),
    ("min_classes", "x"),
    ("max_age_days", "x"),
    ("lockout_threshold", "x"),
    ("lockout_minutes", "x"),
    ("session_idle_minutes", "x"),
];

/// A valid meeting with the deputy's linked household: whoever may record it adds one more.
pub const MEETING: &[(&str, &str)] = &[
    ("household", "{household}"),
    ("on", "2025-06-01"),
    ("note", "走访"),
];

/// (how, route, path, form fields, expected status per WHO), described at `MATRIX`.
pub type Row = (
    &'static str,
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
    [u16; 11],
);

/// How a row asks: `GET`, `POST` (a urlencoded form with the row's fields and the CSRF token) or
/// `MULTIPART` (the same as a multipart form, as the upload pages send it; a POST route).
///
/// (how, route as in `liaison_web::route_table()`, path asked, form fields, expected status in WHO
/// order). In paths and fields, `{town}` / `{far}` are the account ids of `town_clerk` (恰卜恰镇) and
/// `far_clerk` (乌当区, outside everyone's reach here); `{station}` is the 东香卡村 room, `{mandate}` its
/// resident county deputy (bound to `deputy`), `{household}` a household linked to that deputy,
/// `{opinion}` a citizen's item submitted at that room, `{unit}` the township government, `{suggestion}` a suggestion the deputy raised to the county's meeting, assigned to that unit; `{review}` a review opinion the county office sent to that unit; 999999 is an id that does not exist.
/// 303 for anon means "sent to the login page"; the API answers anon with 401. 403: the role lacks the
/// permission; 404: out of the caller's region (or nothing there); 422: the empty form reached the
/// handler and was refused, i.e. the caller got past authorisation (see the comments where validation
/// comes before the region check); 409: a domain refusal past authorisation.
#[rustfmt::skip]
pub const MATRIX: &[Row] = &[
    //                                                                                                 anon sys  sec  aud  cty  twn  otw  stn  dep  unit chair
    // pages
    ("GET",  "/", "/", &[],                                                                           [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
    // a deputy's own service card and code: their person only; everyone else has none (404)
    ("GET",  "/me/card", "/me/card", &[],                                                             [303, 404, 404, 404, 404, 404, 404, 404, 200, 404, 404]),
    ("GET",  "/me/{format}", "/me/qr.png", &[],                                                       [303, 404, 404, 404, 404, 404, 404, 404, 200, 404, 404]),
    ("GET",  "/account", "/account", &[],                                                             [303, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
    // one's own mobile: everyone (a malformed number: 422; the administrators' also asks the password)
    ("POST", "/account/mobile", "/account/mobile", &[("mobile", "12")],                               [303, 422, 422, 422, 422, 422, 422, 422, 422, 422, 422]),
    ("GET",  "/regions", "/regions", &[],                                                             [303, 303, 303, 303, 303, 303, 303, 303, 303, 303, 303]),
    ("GET",  "/regions/{code}", "/regions/632521", &[],                                               [303, 200, 200, 200, 200, 404, 404, 404, 404, 200, 200]),
    ("GET",  "/regions/{code}", "/regions/632521100", &[],                                            [303, 200, 200, 200, 200, 200, 404, 200, 404, 200, 200]),
    ("GET",  "/regions/{code}", "/regions/632521101", &[],                                            [303, 200, 200, 200, 200, 404, 200, 404, 404, 200, 200]),
    ("GET",  "/regions/{code}", "/regions/632521100201", &[],                                         [303, 200, 200, 200, 200, 200, 404, 200, 200, 200, 200]),
    ("GET",  "/regions/{code}", "/regions/520112", &[],                                               [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404]),
    // auth
    ("GET",  "/account/password", "/account/password", &[],                                          [303, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("POST", "/account/password", "/account/password", &[],                                           [303, 422, 422, 422, 422, 422, 422, 422, 422, 422, 422]),
    // notification
    ("GET",  "/inbox", "/inbox", &[],                                                                 [303, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("GET",  "/inbox/{id}", "/inbox/999999", &[],                                                     [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404]),
    ("POST", "/inbox/read-all", "/inbox/read-all", &[],                                               [303, 303, 303, 303, 303, 303, 303, 303, 303, 303, 303]),
    // admin
    ("GET",  "/admin/accounts", "/admin/accounts", &[],                                               [303, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403]),
    ("POST", "/admin/accounts", "/admin/accounts", &[],                                               [303, 422, 403, 403, 403, 403, 403, 403, 403, 403, 403]),
    ("GET",  "/admin/accounts/new", "/admin/accounts/new", &[],                                       [303, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403]),
    ("GET",  "/admin/accounts/{id}", "/admin/accounts/{town}", &[],                                   [303, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403]),
    ("GET",  "/admin/accounts/{id}", "/admin/accounts/{far}", &[],                                    [303, 404, 404, 403, 403, 403, 403, 403, 403, 403, 403]),
    ("POST", "/admin/accounts/{id}", "/admin/accounts/{town}", &[],                                   [303, 422, 403, 403, 403, 403, 403, 403, 403, 403, 403]),
    ("POST", "/admin/accounts/{id}", "/admin/accounts/{far}", &[],                                    [303, 404, 403, 403, 403, 403, 403, 403, 403, 403, 403]),
    ("POST", "/admin/accounts/{id}/{action}", "/admin/accounts/{far}/disable", &[],                   [303, 404, 404, 403, 403, 403, 403, 403, 403, 403, 403]),
    // a deputy's or a unit's mobile, by the system administrator (the security administrator sees
    // accounts but sets nobody's number; an administrator's own is set on 我的账号)
    ("POST", "/admin/accounts/{id}/mobile", "/admin/accounts/{town}/mobile", &[("mobile", "12")],    [303, 422, 403, 403, 403, 403, 403, 403, 403, 403, 403]),
    ("POST", "/admin/accounts/{id}/mobile", "/admin/accounts/{far}/mobile", &[("mobile", "12")],     [303, 404, 403, 403, 403, 403, 403, 403, 403, 403, 403]),
    ("POST", "/admin/accounts/{id}/{action}", "/admin/accounts/{far}/unlock", &[],                    [303, 403, 404, 403, 403, 403, 403, 403, 403, 403, 403]),
    ("POST", "/admin/accounts/{id}/{action}", "/admin/accounts/{town}/unlock", &[],                   [303, 403, 303, 403, 403, 403, 403, 403, 403, 403, 403]),
    // 三员分立: the open account requests, seen by the three administrators; the bulk grant is the
    // security administrator's (nothing ticked: 422)
    ("GET",  "/admin/requests", "/admin/requests", &[],                                               [303, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403]),
    ("POST", "/admin/requests", "/admin/requests", &[],                                               [303, 403, 422, 403, 403, 403, 403, 403, 403, 403, 403]),
    ("POST", "/admin/requests/{id}/{decision}", "/admin/requests/999999/confirm", &[],                [303, 404, 404, 404, 403, 403, 403, 403, 403, 403, 403]),
    ("GET",  "/admin/security", "/admin/security", &[],                                               [303, 403, 200, 403, 403, 403, 403, 403, 403, 403, 403]),
    ("POST", "/admin/security", "/admin/security", POLICY,                                               [303, 403, 422, 403, 403, 403, 403, 403, 403, 403, 403]),
    ("GET",  "/admin/audit", "/admin/audit", &[],                                                     [303, 403, 403, 200, 403, 403, 403, 403, 403, 403, 403]),
    ("GET",  "/admin/calendar", "/admin/calendar", &[],                                               [303, 200, 403, 403, 200, 403, 403, 403, 403, 403, 403]),
    ("POST", "/admin/calendar", "/admin/calendar", &[],                                               [303, 422, 403, 403, 422, 403, 403, 403, 403, 403, 403]),
    ("GET",  "/admin/deadlines", "/admin/deadlines", &[],                                             [303, 200, 403, 403, 200, 403, 403, 403, 403, 403, 403]),
    ("POST", "/admin/deadlines", "/admin/deadlines", &[],                                             [303, 422, 403, 403, 422, 403, 403, 403, 403, 403, 403]),
    ("GET",  "/admin/sms", "/admin/sms", &[],                                                         [303, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403]),
    ("POST", "/admin/sms/{id}/retry", "/admin/sms/999999/retry", &[],                                 [303, 404, 403, 403, 403, 403, 403, 403, 403, 403, 403]),
    ("POST", "/admin/sms/quiet", "/admin/sms/quiet", &[],                                             [303, 422, 403, 403, 403, 403, 403, 403, 403, 403, 403]),
    // registry: stations
    ("GET",  "/stations", "/stations", &[],                                                           [303, 403, 403, 403, 200, 200, 200, 200, 403, 200, 200]),
    ("POST", "/stations", "/stations", &[],                                                           [303, 403, 403, 403, 422, 422, 422, 403, 403, 403, 403]),
    ("GET",  "/stations/new", "/stations/new", &[],                                                   [303, 403, 403, 403, 200, 200, 200, 403, 403, 403, 403]),
    ("GET",  "/stations/{id}", "/stations/{station}", &[],                                            [303, 403, 403, 403, 200, 200, 404, 200, 403, 200, 200]),
    ("POST", "/stations/{id}", "/stations/{station}", &[],                                            [303, 403, 403, 403, 422, 422, 404, 403, 403, 403, 403]),
    ("GET",  "/stations/{id}/edit", "/stations/{station}/edit", &[],                                  [303, 403, 403, 403, 200, 200, 404, 403, 403, 403, 403]),
    ("MULTIPART", "/stations/{id}/files", "/stations/{station}/files", &[],                           [303, 403, 403, 403, 422, 422, 404, 403, 403, 403, 403]),
    ("POST", "/stations/{id}/files/{file}/remove", "/stations/{station}/files/999999/remove", &[],     [303, 403, 403, 403, 404, 404, 404, 403, 403, 403, 403]),
    // close and leave check the form before the region: another township's clerk is told the date is
    // missing (422, nothing of the station shown); a complete form would be refused by the store (404)
    ("POST", "/stations/{id}/close", "/stations/{station}/close", &[],                                [303, 403, 403, 403, 422, 422, 422, 403, 403, 403, 403]),
    ("GET",  "/stations/{id}/poster", "/stations/{station}/poster", &[],                              [303, 403, 403, 403, 200, 200, 404, 200, 403, 200, 200]),
    ("POST", "/stations/{id}/residents/{action}", "/stations/{station}/residents/add", &[("mandate", "{mandate}")],           [303, 403, 403, 403, 303, 303, 404, 403, 403, 403, 403]),
    ("GET",  "/stations/{id}/{format}", "/stations/{station}/qr.png", &[],                            [303, 403, 403, 403, 200, 200, 404, 200, 403, 200, 200]),
    // station staff phones: roles that read contacts, in region (audited)
    ("POST", "/stations/{id}/contact", "/stations/{station}/contact", &[],                            [303, 403, 403, 403, 200, 200, 404, 200, 403, 403, 403]),
    // registry: deputies
    ("GET",  "/deputies", "/deputies", &[],                                                           [303, 403, 403, 403, 200, 200, 200, 200, 403, 200, 200]),
    ("POST", "/deputies", "/deputies", &[],                                                           [303, 403, 403, 403, 422, 422, 422, 403, 403, 403, 403]),
    ("GET",  "/deputies/new", "/deputies/new", &[],                                                   [303, 403, 403, 403, 200, 200, 200, 403, 403, 403, 403]),
    ("GET",  "/deputies/cards", "/deputies/cards", &[],                                               [303, 403, 403, 403, 200, 200, 200, 200, 403, 200, 200]),
    ("GET",  "/deputies/{id}/card", "/deputies/{mandate}/card", &[],                                  [303, 403, 403, 403, 200, 200, 404, 200, 200, 200, 200]),
    ("GET",  "/deputies/{id}", "/deputies/{mandate}", &[],                                            [303, 403, 403, 403, 200, 200, 404, 200, 200, 200, 200]),
    ("POST", "/deputies/{id}", "/deputies/{mandate}", &[],                                            [303, 403, 403, 403, 422, 422, 404, 403, 403, 403, 403]),
    ("GET",  "/deputies/{id}/edit", "/deputies/{mandate}/edit", &[],                                  [303, 403, 403, 403, 200, 200, 404, 403, 403, 403, 403]),
    ("POST", "/deputies/{id}/contact", "/deputies/{mandate}/contact", &[],                            [303, 403, 403, 403, 200, 200, 404, 200, 403, 403, 403]),
    ("POST", "/deputies/{id}/leave", "/deputies/{mandate}/leave", &[],                                [303, 403, 403, 403, 422, 422, 422, 403, 403, 403, 403]),
    ("MULTIPART", "/deputies/{id}/photo", "/deputies/{mandate}/photo", &[],                           [303, 403, 403, 403, 422, 422, 404, 403, 403, 403, 403]),
    ("POST", "/deputies/{id}/households", "/deputies/{mandate}/households", &[],                      [303, 403, 403, 403, 422, 422, 404, 403, 403, 403, 403]),
    ("POST", "/deputies/{id}/households/meeting", "/deputies/{mandate}/households/meeting", MEETING,      [303, 403, 403, 403, 303, 303, 404, 403, 303, 403, 403]),
    // the households' names and phones: the deputy themself and staff who read contacts there (audited)
    ("POST", "/deputies/{id}/households/contact", "/deputies/{mandate}/households/contact", &[],      [303, 403, 403, 403, 200, 200, 404, 200, 200, 403, 403]),
    ("POST", "/deputies/{id}/committee", "/deputies/{mandate}/committee", &[],                        [303, 403, 403, 403, 422, 422, 404, 403, 403, 403, 403]),
    ("POST", "/deputies/{id}/committee/meeting", "/deputies/{mandate}/committee/meeting", &[],        [303, 403, 403, 403, 422, 422, 404, 403, 403, 403, 403]),
    ("GET",  "/deputies/{id}/{format}", "/deputies/{mandate}/qr.png", &[],                            [303, 403, 403, 403, 200, 200, 404, 200, 200, 200, 200]),
    // registry: units, routing, Excel
    ("GET",  "/units", "/units", &[],                                                                 [303, 403, 403, 403, 200, 200, 200, 200, 403, 200, 200]),
    ("POST", "/units", "/units", &[],                                                                 [303, 403, 403, 403, 422, 422, 422, 403, 403, 403, 403]),
    ("GET",  "/units/routing", "/units/routing", &[],                                                 [303, 403, 403, 403, 200, 200, 200, 200, 403, 200, 200]),
    // 公开电话: seen by the registry's readers, kept by those who keep the registry
    ("GET",  "/public-phones", "/public-phones", &[],                                                 [303, 403, 403, 403, 200, 200, 200, 200, 403, 200, 200]),
    ("POST", "/public-phones", "/public-phones", &[],                                                 [303, 403, 403, 403, 422, 422, 422, 403, 403, 403, 403]),
    ("POST", "/public-phones/{id}/remove", "/public-phones/999999/remove", &[],                        [303, 403, 403, 403, 404, 404, 404, 403, 403, 403, 403]),
    ("POST", "/units/{id}", "/units/{unit}", &[],                                                     [303, 403, 403, 403, 422, 422, 404, 403, 403, 403, 403]),
    ("GET",  "/units/{id}/edit", "/units/{unit}/edit", &[],                                           [303, 403, 403, 403, 200, 200, 404, 403, 403, 403, 403]),
    ("POST", "/units/routing", "/units/routing", &[],                                                 [303, 403, 403, 403, 422, 422, 422, 403, 403, 403, 403]),
    ("GET",  "/import/{kind}", "/import/units", &[],                                                  [303, 403, 403, 403, 200, 200, 200, 403, 403, 403, 403]),
    ("MULTIPART", "/import/{kind}", "/import/units", &[],                                             [303, 403, 403, 403, 422, 422, 422, 403, 403, 403, 403]),
    ("GET",  "/import/{kind}/template.xlsx", "/import/units/template.xlsx", &[],                      [303, 403, 403, 403, 200, 200, 200, 403, 403, 403, 403]),
    ("GET",  "/export/{file}", "/export/stations.xlsx", &[],                                          [303, 403, 403, 403, 200, 200, 200, 200, 403, 200, 200]),
    // job
    ("GET",  "/jobs/{id}", "/jobs/999999", &[],                                                       [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404]),
    // opinion: an item is reached through the store's scope, so a role with no part in it (the three
    // administrators, the unit it was not assigned to, a station manager bound to no station, the
    // deputy it was not sent to) gets 404, as for an item that does not exist. The room's item waits
    // for the township's staff: acting as staff with a unit's action is refused by the workflow (409).
    ("GET",  "/opinions", "/opinions", &[],                                                           [303, 403, 403, 403, 200, 200, 200, 403, 200, 200, 403]),
    ("GET",  "/opinions/export.xlsx", "/opinions/export.xlsx", &[],                                   [303, 403, 403, 403, 200, 200, 200, 403, 200, 200, 403]),
    ("GET",  "/opinions/new", "/opinions/new", &[],                                                   [303, 403, 403, 403, 200, 200, 200, 200, 200, 403, 403]),
    ("MULTIPART", "/opinions/new", "/opinions/new", &[],                                              [303, 403, 403, 403, 422, 422, 422, 422, 422, 403, 403]),
    ("GET",  "/opinions/bulk", "/opinions/bulk", &[],                                                 [303, 403, 403, 403, 200, 200, 200, 403, 403, 403, 403]),
    ("POST", "/opinions/bulk", "/opinions/bulk", &[],                                                 [303, 403, 403, 403, 422, 422, 422, 403, 403, 403, 403]),
    ("GET",  "/opinions/{id}", "/opinions/{opinion}", &[],                                            [303, 404, 404, 404, 200, 200, 404, 404, 404, 404, 404]),
    ("POST", "/opinions/{id}/act", "/opinions/{opinion}/act", &[("as", "staff"), ("action", "reply")],     [303, 404, 404, 404, 409, 409, 404, 404, 404, 404, 404]),
    ("POST", "/opinions/{id}/contact", "/opinions/{opinion}/contact", &[],                            [303, 404, 404, 404, 200, 200, 404, 404, 404, 404, 404]),
    ("POST", "/opinions/{id}/supervise", "/opinions/{opinion}/supervise", &[],                        [303, 404, 404, 404, 409, 409, 404, 404, 404, 404, 404]),
    ("POST", "/opinions/{id}/key", "/opinions/{opinion}/key", &[],                                    [303, 404, 404, 404, 303, 303, 404, 404, 404, 404, 404]),
    ("POST", "/opinions/{id}/note", "/opinions/{opinion}/note", &[],                                  [303, 404, 404, 404, 422, 422, 404, 404, 404, 404, 404]),
    ("GET",  "/supervision/{id}", "/supervision/999999", &[],                                         [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404]),
    ("POST", "/supervision/{id}/ack", "/supervision/999999/ack", &[],                                 [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404]),
    ("GET",  "/opinions/photos/{file}", "/opinions/photos/nothing.jpg", &[],                          [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404]),
    ("POST", "/opinions/photos/{id}/visibility", "/opinions/photos/999999/visibility", &[],           [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404]),
    // 答复附件: the reply with files reaches the item like 办理 does (the workflow refuses staff a unit's
    // reply, 409); a file or its flag only through an item the caller may see
    ("MULTIPART", "/opinions/{id}/reply", "/opinions/{opinion}/reply", &[("as", "staff"), ("note", "已处理")], [303, 404, 404, 404, 409, 409, 404, 404, 404, 404, 404]),
    ("GET",  "/opinions/attachments/{id}", "/opinions/attachments/999999", &[],                       [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404]),
    ("POST", "/opinions/attachments/{id}/visibility", "/opinions/attachments/999999/visibility", &[],  [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404]),
    // 督办单落款: the staff who issue 督办单 (HandleRegionOpinions), their own region's row only
    ("GET",  "/supervision/organ", "/supervision/organ", &[],                                          [303, 403, 403, 403, 200, 200, 200, 403, 403, 403, 403]),
    ("POST", "/supervision/organ", "/supervision/organ", &[],                                          [303, 403, 403, 403, 422, 422, 422, 403, 403, 403, 403]),
    // 代表建议: the office (committee and township staff), deputies and units; the rows name an item that
    // does not exist, so past authorisation everyone gets 404 (scoped items: it/suggestions.rs)
    ("GET",  "/suggestions", "/suggestions", &[],                                                      [303, 403, 403, 403, 200, 200, 200, 403, 200, 200, 403]),
    ("GET",  "/suggestions/export.xlsx", "/suggestions/export.xlsx", &[],                              [303, 403, 403, 403, 200, 200, 200, 403, 200, 200, 403]),
    ("GET",  "/suggestions/figures", "/suggestions/figures", &[],                                      [303, 403, 403, 403, 200, 200, 200, 403, 403, 403, 403]),
    ("GET",  "/suggestions/topics", "/suggestions/topics", &[],                                        [303, 403, 403, 403, 200, 200, 200, 403, 403, 403, 403]),
    ("GET",  "/suggestions/new", "/suggestions/new", &[],                                              [303, 403, 403, 403, 200, 200, 200, 403, 200, 403, 403]),
    ("POST", "/suggestions/new", "/suggestions/new", &[],                                              [303, 403, 403, 403, 422, 422, 422, 403, 422, 403, 403]),
    ("GET",  "/suggestions/meetings", "/suggestions/meetings", &[],                                [303, 403, 403, 403, 200, 200, 200, 403, 403, 403, 403]),
    ("POST", "/suggestions/meetings", "/suggestions/meetings", &[],                                [303, 403, 403, 403, 422, 422, 422, 403, 403, 403, 403]),
    // the room's deputy raised {suggestion} to the county's meeting; assigned to the township government
    ("GET",  "/suggestions/{id}", "/suggestions/{suggestion}", &[],                                    [303, 404, 404, 404, 200, 404, 404, 404, 200, 200, 404]),
    ("POST", "/suggestions/{id}/act", "/suggestions/{suggestion}/act", &[],                            [303, 404, 404, 404, 422, 404, 404, 404, 422, 422, 404]),
    ("POST", "/suggestions/{id}/key", "/suggestions/{suggestion}/key", &[],                            [303, 404, 404, 404, 303, 404, 404, 404, 403, 403, 404]),
    ("GET",  "/suggestions/{id}", "/suggestions/999999", &[],                                          [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404]),
    ("POST", "/suggestions/{id}/act", "/suggestions/999999/act", &[],                                  [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404]),
    ("POST", "/suggestions/{id}/key", "/suggestions/999999/key", &[],                                  [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404]),
    ("POST", "/suggestions/{id}/milestones/{milestone}", "/suggestions/999999/milestones/1", &[],      [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404]),
    ("GET",  "/suggestions/{id}/letter", "/suggestions/999999/letter", &[],                            [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404]),
    // 民生实事: the office (committee and township staff) and units; 999999 does not exist
    ("GET",  "/projects", "/projects", &[],                                                            [303, 403, 403, 403, 200, 200, 200, 403, 403, 200, 403]),
    ("GET",  "/projects/new", "/projects/new", &[],                                                    [303, 403, 403, 403, 200, 200, 200, 403, 403, 403, 403]),
    ("POST", "/projects/new", "/projects/new", &[],                                                    [303, 403, 403, 403, 422, 422, 422, 403, 403, 403, 403]),
    ("GET",  "/projects/{id}", "/projects/999999", &[],                                                [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404]),
    ("POST", "/projects/{id}/act", "/projects/999999/act", &[("do", "inspect")],                      [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404]),
    // 审议意见: the county's committee office (HandleReviews) and handling units have the list; only
    // the office creates (an empty form: 422). {review} was sent by the county office to the township
    // government (the unit account's): the office and that unit see it, everyone else 404
    ("GET",  "/reviews", "/reviews", &[],                                                              [303, 403, 403, 403, 200, 403, 403, 403, 403, 200, 403]),
    ("GET",  "/reviews/new", "/reviews/new", &[],                                                      [303, 403, 403, 403, 200, 403, 403, 403, 403, 403, 403]),
    ("POST", "/reviews/new", "/reviews/new", &[],                                                      [303, 403, 403, 403, 422, 403, 403, 403, 403, 403, 403]),
    ("GET",  "/reviews/{id}", "/reviews/{review}", &[],                                                [303, 404, 404, 404, 200, 404, 404, 404, 404, 200, 404]),
    ("POST", "/reviews/{id}/act", "/reviews/{review}/act", &[],                                        [303, 404, 404, 404, 422, 404, 404, 404, 404, 422, 404]),
    ("GET",  "/reviews/{id}", "/reviews/999999", &[],                                                  [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404]),
    ("POST", "/reviews/{id}/act", "/reviews/999999/act", &[],                                          [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404]),
    // api
    ("GET",  "/api/v1/me", "/api/v1/me", &[],                                                         [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("GET",  "/api/v1/accounts", "/api/v1/accounts", &[],                                             [401, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403]),
    ("GET",  "/api/v1/audit", "/api/v1/audit", &[],                                                   [401, 403, 403, 200, 403, 403, 403, 403, 403, 403, 403]),
];

/// Routes every caller may use, logged in or not, with the reason; the matrix needs no row for these.
#[rustfmt::skip]
pub const EXEMPT: &[(&str, &str, &str)] = &[
    ("GET",  "/healthz", "the load balancer's probe: says only ok or not"),
    ("GET",  "/static/{*file}", "CSS, JavaScript and fonts built into the binary"),
    ("GET",  "/login", "the login form"),
    ("POST", "/login", "logging in"),
    ("POST", "/logout", "ends the caller's own session, whatever it is"),
    ("GET",  "/login/sms", "the form to log in by mobile number and SMS code"),
    ("POST", "/login/sms", "asks for a login code (the same answer for every number; rate-limited)"),
    ("POST", "/login/sms/verify", "logging in by mobile number and SMS code"),
    ("POST", "/login/code", "an administrator's second factor: the half-finished login's cookie is the authority"),
    ("GET",  "/setup", "first run: a one-time token in the link is the authority"),
    ("POST", "/setup", "first run: a one-time token in the form is the authority"),
    ("POST", "/prefs/text-size", "a cookie for the reader's own text size"),
    ("GET",  "/regions/picker", "region names and codes are public official data (the public finder uses it)"),
    ("GET",  "/api/v1/regions", "region names and codes are public official data"),
    ("GET",  "/api/v1/regions/{code}", "region names and codes are public official data"),
    ("GET",  "/q/{code}", "码上办: the public page a printed QR code opens"),
    ("POST", "/q/{code}", "码上办: a citizen's submission (rate-limited, honeypot)"),
    ("GET",  "/t", "a citizen tracks an item by receipt code (and phone digits)"),
    ("POST", "/t/rate", "a citizen rates an answer by receipt code (and phone digits)"),
    ("GET",  "/published", "answers published after review, personal data removed"),
    ("GET",  "/published/photos/{file}", "photos of published answers that staff left visible"),
    ("GET",  "/p/{file}", "deputies' photos on their public cards"),
    ("GET",  "/s/{id}", "a station's public page with the 码上办 form"),
    ("POST", "/s/{id}", "码上办 on a station's public page (rate-limited, honeypot)"),
    ("GET",  "/d/{person}", "a deputy's public card with the 码上办 form, as the deputy's QR code opens it"),
    ("POST", "/d/{person}", "码上办 on a deputy's public card (rate-limited, honeypot)"),
    ("GET",  "/t/photos/{file}", "a citizen's own photos, by receipt code (and phone digits) like the tracking page"),
    ("GET",  "/t/files/{id}", "the public attachments of the answer a citizen's tracking page shows, by receipt code (and phone digits)"),
    ("GET",  "/s/{id}/files/{file}", "a station's public photos and rules documents"),
    ("GET",  "/find", "the public finder of stations and deputies"),
    ("GET",  "/board/projects", "实事办理结果满意度测评情况公开栏: chosen livelihood projects, their units, progress and test; no personal data"),
    ("GET",  "/board/suggestions", "代表建议办理情况公开栏: registered suggestions, units, class, state and rating; deputies' names only"),
    ("GET",  "/board/reviews", "审议意见办理落实情况公开栏: the report reviewed, meeting, body, state, examination and test result; nothing personal"),
];

/// The data the rows' placeholders name: a room with its deputy and unit, a citizen's item there, a
/// household linked to the deputy. Returns (placeholder, id) pairs.
pub async fn setup(app: &TestApp, c: &Cast) -> [(&'static str, i64); 9] {
    let w = world(app, c).await;
    // a citizen's item at the room, and the room's deputy as staff find them
    let mut citizen = app.client();
    let fields = [
        ("category", "street_lights"),
        ("description", "村口的路灯坏了一个星期"),
    ];
    let r = report(&mut citizen, &w.station_code, &fields, None).await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.body);
    let mut clerk = app.client();
    clerk.login("town_clerk", PASSWORD).await;
    let opinion = first_id(&clerk.get("/opinions").await, "#queue a", "/opinions/");
    let mandate = first_id(
        &clerk.get("/deputies").await,
        "#deputies tbody td a",
        "/deputies/",
    );
    let household = [("kind", "needy"), ("name", "才让"), ("region", "632521100201")];
    let r = clerk
        .post_form(&format!("/deputies/{mandate}/households"), &household)
        .await;
    assert_eq!(r.status.as_u16(), 303, "{}", r.body);
    let page = clerk.get(&format!("/deputies/{mandate}")).await.html();
    let household: i64 = page.attrs("select[name=household] option", "value")[0]
        .parse()
        .unwrap();
    let suggestion = suggestion(app, c, w.unit_id).await;
    let review = review(app, c, w.unit_id).await;
    [
        ("{suggestion}", suggestion),
        ("{review}", review),
        ("{town}", c.id("town_clerk")),
        ("{far}", c.id("far_clerk")),
        ("{station}", w.station_id),
        ("{mandate}", mandate),
        ("{opinion}", opinion),
        ("{household}", household),
        ("{unit}", w.unit_id),
    ]
}

/// A county meeting and a suggestion the room's deputy raised to it, registered and assigned to the
/// township government (the `unit` account's): its id.
async fn suggestion(app: &TestApp, c: &Cast, unit: i64) -> i64 {
    use liaison_domain::suggestion::meeting::{MeetingFields, MeetingRules};
    use liaison_domain::suggestion::{Action, Capacity, Draft, Kind, Period};
    use liaison_store::Actor;
    use liaison_store::suggestion::{NewSuggestion, StepInput};
    let county = app.db.scope_of(c.id("county_clerk")).await.unwrap();
    let a = Actor::of(&county, "-");
    let rules = MeetingRules::parse(MeetingFields {
        name: "共和县第十八届人民代表大会第三次会议",
        year: "2027",
        min_cosigners: "10",
        answer_months: "3",
        return_days: "5",
    })
    .unwrap();
    let meeting = app
        .db
        .save_meeting(&county, &a, None, &rules, true)
        .await
        .unwrap();
    let deputy = app.db.scope_of(c.id("deputy")).await.unwrap();
    let draft = Draft {
        title: "关于村口路灯维修的建议".into(),
        body: "村口路灯损坏多日，夜间群众出行不便，建议尽快维修并建立巡查机制。".into(),
        category: "street_lights".into(),
        kind: Kind::Suggestion,
        period: Period::Recess,
        meeting,
        cosigners: vec![],
        opinions: vec![],
    };
    let new = NewSuggestion {
        draft,
        proposer: None,
        paper_signatures: false,
    };
    let id = app
        .db
        .propose_suggestion(&deputy, &Actor::of(&deputy, "-"), &new)
        .await
        .unwrap();
    for action in [
        Action::Register,
        Action::Assign {
            lead: unit,
            co: vec![],
        },
    ] {
        app.db
            .act_on_suggestion(&county, &a, id, Capacity::Staff, &action, &StepInput::default())
            .await
            .unwrap();
    }
    id
}

/// A review opinion the county office sent to the township government (the `unit` account's): its id.
async fn review(app: &TestApp, c: &Cast, unit: i64) -> i64 {
    use liaison_domain::review::Draft;
    use liaison_store::Actor;
    let county = app.db.scope_of(c.id("county_clerk")).await.unwrap();
    let today = liaison_domain::time::today();
    let draft = Draft {
        title: "关于全县农村人居环境整治工作情况的报告".into(),
        meeting: "共和县第十八届人大常委会第十二次会议".into(),
        met_on: today,
        body: "常委会组成人员认为，农村人居环境整治取得阶段性成效，但垃圾收运体系仍不健全，建议加大投入。"
            .into(),
        unit,
        due_on: today + chrono::Days::new(60),
    };
    app.db
        .create_review(&county, &Actor::of(&county, "-"), &draft)
        .await
        .unwrap()
}

/// A row's path or field with its placeholders filled.
pub fn fill(ids: &[(&str, i64)], s: &str) -> String {
    ids.iter()
        .fold(s.to_owned(), |s, (k, v)| s.replace(k, &v.to_string()))
}

/// The id in the first link of a list (`/opinions/17` -> 17).
pub fn first_id(page: &liaison_testkit::app::TestResponse, links: &str, prefix: &str) -> i64 {
    assert_eq!(page.status.as_u16(), 200, "{}", page.body);
    let hrefs = page.html().attrs(links, "href");
    let first = hrefs.first().unwrap_or_else(|| panic!("no {links} on the page"));
    first
        .trim_start_matches(prefix)
        .parse()
        .unwrap_or_else(|_| panic!("{first}"))
}
