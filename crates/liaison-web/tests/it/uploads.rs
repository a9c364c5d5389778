//! Uploads at their limits, on both backends: phone-sized photos go through the 码上办 form; a photo
//! or a body over the limit, and a decompression bomb, are refused in Chinese with everything typed
//! kept; a submission over the rate limit stores no file; staff uploads (portraits, station files,
//! Excel imports, zip bombs) are refused in Chinese before anything is stored.

use crate::support::*;
use liaison_testkit::app::{TestApp, TestResponse};
use liaison_testkit::both_backends;
use liaison_testkit::fixtures::{PASSWORD, cast};
use liaison_web::WebConfig;

const MB: usize = 1024 * 1024;

/// A real JPEG of `total` bytes: a flat 1600 × 1200 picture after APP2 segments of padding (phones
/// put megabytes of metadata and previews in such segments).
fn jpeg_of(total: usize) -> Vec<u8> {
    let (w, h) = (1600u16, 1200u16);
    let mut body = Vec::new();
    let mut seg = |marker: u8, payload: &[u8]| {
        body.extend([0xFF, marker]);
        body.extend(((payload.len() + 2) as u16).to_be_bytes());
        body.extend(payload);
    };
    let mut dqt = vec![0u8];
    dqt.extend([1u8; 64]);
    seg(0xDB, &dqt);
    let mut sof = vec![8];
    sof.extend(h.to_be_bytes());
    sof.extend(w.to_be_bytes());
    sof.extend([3, 1, 0x22, 0, 2, 0x11, 0, 3, 0x11, 0]);
    seg(0xC0, &sof);
    for class in [0x00u8, 0x10] {
        let mut dht = vec![class, 1];
        dht.extend([0u8; 15]);
        dht.push(0);
        seg(0xC4, &dht);
    }
    seg(0xDA, &[3, 1, 0, 2, 0, 3, 0, 0, 63, 0]);
    let blocks = usize::from(w).div_ceil(16) * usize::from(h).div_ceil(16) * 6;
    body.extend(vec![0u8; (blocks * 2).div_ceil(8)]);
    body.extend([0xFF, 0xD9]);
    let mut out = vec![0xFF, 0xD8];
    while out.len() + body.len() + 4 < total {
        let n = (total - out.len() - body.len() - 4).min(65533);
        out.extend([0xFF, 0xE2]);
        out.extend(((n + 2) as u16).to_be_bytes());
        out.extend(std::iter::repeat_n(0x5Au8, n));
    }
    out.extend(body);
    out
}

/// A PNG whose header says 9000 × 9000 (the pixels would take 243 MB) and whose data is cut off.
fn png_bomb_header() -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
    bytes.extend(9000u32.to_be_bytes());
    bytes.extend(9000u32.to_be_bytes());
    bytes.extend([8, 2, 0, 0, 0, 0, 0, 0, 0]);
    bytes
}

/// Files in the app's file store (leftover temp files aside).
fn stored_files(app: &TestApp) -> usize {
    fn walk(p: &std::path::Path) -> usize {
        match std::fs::read_dir(p) {
            Ok(rd) => rd
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.file_name().is_some_and(|n| n != "tmp"))
                .map(|p| if p.is_dir() { walk(&p) } else { 1 })
                .sum(),
            Err(_) => 0,
        }
    }
    walk(&app.files.path().join("files"))
}

/// Posts the public form with its nonce, the fields, and the photos.
async fn post_photos(
    v: &mut liaison_testkit::app::Client<'_>,
    code: &str,
    fields: &[(&str, &str)],
    photos: &[&[u8]],
) -> TestResponse {
    let page = v.get(&format!("/q/{code}")).await;
    let nonce = page.html().attrs("input[name=nonce]", "value")[0].clone();
    let mut all: Vec<(&str, &str)> = vec![("nonce", nonce.as_str())];
    all.extend_from_slice(fields);
    let files: Vec<(&str, &str, &[u8])> = photos.iter().map(|p| ("photo", "IMG_0001.JPG", *p)).collect();
    v.post_multipart(&format!("/q/{code}"), &all, &files).await
}

const TYPED: &[(&str, &str)] = &[
    ("category", "roads"),
    ("description", "村口的桥栏杆断了两根，孩子上学要经过"),
    ("name", "才让"),
];

fn assert_kept(r: &TestResponse) {
    let doc = r.html();
    assert_eq!(
        doc.text("textarea[name=description]"),
        "村口的桥栏杆断了两根，孩子上学要经过",
        "{}",
        r.body
    );
    assert_eq!(doc.attrs("input[name=name]", "value"), ["才让"]);
    assert_eq!(doc.attrs("input[name=category][checked]", "value"), ["roads"]);
}

both_backends!(
    async fn phone_photos_up_to_10_mb_go_through_the_public_form(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let w = world(&app, &c).await;
        let mut v = app.client();
        for size in [5 * MB, 10 * MB - 1024] {
            let photo = jpeg_of(size);
            let r = post_photos(&mut v, &w.station_code, TYPED, &[&photo]).await;
            assert_eq!(r.status.as_u16(), 200, "{size} bytes: {}", r.body);
            assert_eq!(r.html().count("#receipt"), 1);
        }
        // three of them in one submission
        let (a, b, c3) = (jpeg_of(10 * MB - 1024), jpeg_of(10 * MB - 2048), jpeg_of(10 * MB - 4096));
        let r = post_photos(&mut v, &w.station_code, TYPED, &[&a, &b, &c3]).await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        let mut clerk = app.client();
        clerk.login("town_clerk", PASSWORD).await;
        let items = clerk.get("/opinions").await.html().attrs("#queue a", "href");
        assert_eq!(items.len(), 3);
        let mut photos = Vec::new();
        for item in &items {
            photos.extend(clerk.get(item).await.html().attrs(".photos img", "src"));
        }
        assert_eq!(photos.len(), 5, "one, one and three photos");
        let (status, jpeg) = clerk.get_bytes(&photos[0]).await;
        assert_eq!(status.as_u16(), 200);
        let img = image::load_from_memory(&jpeg).unwrap();
        assert_eq!((img.width(), img.height()), (1200, 900), "stored at 1200 px");
    }
);

both_backends!(
    async fn a_photo_over_the_limit_is_refused_in_chinese_with_everything_typed_kept(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let w = world(&app, &c).await;
        let mut v = app.client();
        // one photo over 10 MB: named, the rest of the form kept
        let big = jpeg_of(11 * MB);
        let r = post_photos(&mut v, &w.station_code, TYPED, &[&big]).await;
        assert_eq!(r.status.as_u16(), 422, "{}", r.body);
        let errors = r.html().texts("#intake-errors li");
        assert!(errors.iter().any(|e| e.contains("第 1 张照片超过 10 MB")), "{errors:?}");
        assert_kept(&r);
        // more than the route takes in all (four photos of 10 MB): 413, still in Chinese, still kept
        let photo = jpeg_of(10 * MB - 1024);
        let r = post_photos(&mut v, &w.station_code, TYPED, &[&photo, &photo, &photo, &photo]).await;
        assert_eq!(r.status.as_u16(), 413, "{}", r.body);
        assert!(r.headers["content-type"].to_str().unwrap().starts_with("text/html"));
        let errors = r.html().texts("#intake-errors li");
        assert!(errors.iter().any(|e| e.contains("合计超过 31 MB")), "{errors:?}");
        assert_kept(&r);
        // a decompression bomb: refused from its header
        let r = post_photos(&mut v, &w.station_code, TYPED, &[&png_bomb_header()]).await;
        assert_eq!(r.status.as_u16(), 422, "{}", r.body);
        let errors = r.html().texts("#intake-errors li");
        assert!(errors.iter().any(|e| e.contains("像素过多")), "{errors:?}");
        assert_kept(&r);
        assert_eq!(stored_files(&app), 0, "nothing stored for refused submissions");
        // the form states its limit next to the input
        let form = v.get(&format!("/q/{}", w.station_code)).await.html();
        assert!(form.text("label:has(input[name=photo])").contains("每张 10 MB 以内"));
    }
);

both_backends!(
    async fn a_submission_over_the_rate_limit_stores_no_photo(db) {
        let c = cast(&db).await;
        let config = WebConfig {
            intake_per_ip: 2,
            ..WebConfig::default()
        };
        let app = TestApp::with_config(db, config);
        let w = world(&app, &c).await;
        let mut v = app.client();
        for _ in 0..2 {
            let r = post_photos(&mut v, &w.station_code, TYPED, &[]).await;
            assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        }
        let photo = jpeg_with_exif();
        let r = post_photos(&mut v, &w.station_code, TYPED, &[&photo]).await;
        assert_eq!(r.status.as_u16(), 429, "{}", r.body);
        assert!(r.body.contains("提交太频繁"));
        assert_kept(&r);
        assert_eq!(stored_files(&app), 0, "the refused submission's photo was not stored");
    }
);

both_backends!(
    async fn malformed_and_oversized_bodies_are_answered_in_chinese(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let w = world(&app, &c).await;
        let mut v = app.client();
        let page = v.get(&format!("/q/{}", w.station_code)).await;
        let csrf = v.csrf().unwrap().to_owned();
        assert!(page.status.is_success());
        // a multipart body whose parts do not use the declared boundary
        let body = format!("--other\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{csrf}\r\n--other--\r\n");
        let req = axum::http::Request::post(format!("/q/{}", w.station_code))
            .header("content-type", "multipart/form-data; boundary=declared")
            .body(axum::body::Body::from(body))
            .unwrap();
        let r = v.send(req).await;
        assert_eq!(r.status.as_u16(), 400, "{}", r.body);
        assert!(r.headers["content-type"].to_str().unwrap().starts_with("text/html"));
        assert!(r.html().text("h1").contains("请刷新页面后重试"), "{}", r.body);
        // a form (not an upload) over its 1 MB limit
        let note = "很".repeat(400_000);
        let r = v.post_form("/t/rate", &[("r", "ABCD-EFGH"), ("note", &note)]).await;
        assert_eq!(r.status.as_u16(), 413, "{}", r.body);
        assert!(r.body.contains("提交的内容过大（上限 1 MB）"), "{}", r.body);
        // an upload over its route's limit, read up to there
        let mut body = format!("--b\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{csrf}\r\n").into_bytes();
        body.extend(b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.xlsx\"\r\n\r\n");
        body.extend(vec![b'x'; 12 * MB]);
        body.extend(b"\r\n--b--\r\n");
        let mut staff = app.client();
        staff.login("county_clerk", PASSWORD).await;
        staff.get("/import/stations").await;
        let token = staff.csrf().unwrap().to_owned();
        let body = String::from_utf8_lossy(&body).replace(&csrf, &token).into_bytes();
        let req = axum::http::Request::post("/import/stations")
            .header("content-type", "multipart/form-data; boundary=b")
            .body(axum::body::Body::from(body))
            .unwrap();
        let r = staff.send(req).await;
        assert_eq!(r.status.as_u16(), 413, "{}", r.body);
        assert!(r.html().text("#import-errors").contains("Excel 文件不能超过 10 MB"), "{}", r.body);
    }
);

both_backends!(
    async fn staff_uploads_are_bounded_and_refused_in_chinese(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let w = world(&app, &c).await;
        let mut clerk = app.client();
        clerk.login("county_clerk", PASSWORD).await;
        // a portrait of a real phone's size goes through; one over 10 MB is refused
        let list = clerk.get("/deputies").await.html();
        let deputy = list.attrs("table a[href^='/deputies/']", "href")[0].clone();
        let page = clerk.get(&deputy).await;
        assert!(page.body.contains("10 MB 以内"));
        let r = clerk.post_file(&format!("{deputy}/photo"), "photo", "IMG_0002.JPG", &jpeg_of(8 * MB)).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        clerk.get(&deputy).await;
        let r = clerk.post_file(&format!("{deputy}/photo"), "photo", "IMG_0003.JPG", &jpeg_of(11 * MB)).await;
        assert!(matches!(r.status.as_u16(), 413 | 422), "{}", r.body);
        assert!(r.body.contains("照片不能超过 10 MB"), "{}", r.body);
        // a station photo of 3 MB goes through; a 16 MB document is refused
        let station = format!("/stations/{}", w.station_id);
        let page = clerk.get(&station).await;
        assert!(page.body.contains("制度文件 15 MB 以内"));
        let r = clerk
            .post_multipart(&format!("{station}/files"), &[("kind", "photo"), ("name", "接待室")], &[("file", "IMG_0004.JPG", &jpeg_of(3 * MB))])
            .await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        clerk.get(&station).await;
        let mut pdf = b"%PDF-1.4\n".to_vec();
        pdf.resize(16 * MB, b' ');
        let r = clerk
            .post_multipart(&format!("{station}/files"), &[("kind", "document"), ("name", "制度")], &[("file", "制度.pdf", &pdf)])
            .await;
        assert!(matches!(r.status.as_u16(), 413 | 422), "{}", r.body);
        assert!(r.body.contains("文件不能超过 15 MB"), "{}", r.body);
        // an Excel zip bomb: refused on the import page before it is stored or read
        let before = stored_files(&app);
        let page = clerk.get("/import/stations").await;
        assert!(page.body.contains("10 MB 以内"));
        let r = clerk.post_file("/import/stations", "file", "站点.xlsx", &xlsx_bomb()).await;
        assert_eq!(r.status.as_u16(), 422, "{}", r.body);
        assert!(r.html().text("#import-errors").contains("解压后过大"), "{}", r.body);
        assert_eq!(stored_files(&app), before, "the bomb was not stored");
    }
);

/// A small .xlsx whose sheet unpacks to 80 MB.
fn xlsx_bomb() -> Vec<u8> {
    use std::io::Write;
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("[Content_Types].xml", opts).unwrap();
    zip.write_all(b"<?xml version=\"1.0\"?><Types/>").unwrap();
    zip.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
    let row = b"<row><c t=\"inlineStr\"><is><t>x</t></is></c></row>".repeat(1024);
    for _ in 0..(80 * MB / row.len()) {
        zip.write_all(&row).unwrap();
    }
    zip.finish().unwrap();
    out.into_inner()
}
