//! Station photos and rules documents: checked by content, photos re-encoded without EXIF, public on
//! the station's page, removable (kept in history), scoped and audited.

use liaison_domain::RegionCode;
use liaison_domain::registry::station::StationKind;
use liaison_store::Actor;
use liaison_store::registry::station::StationInput;
use liaison_testkit::app::TestApp;
use liaison_testkit::both_backends;
use liaison_testkit::fixtures::{PASSWORD, cast};

fn png_with_exif() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(64, 48, image::Rgb([20, 120, 200]));
    let mut jpeg = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut jpeg), image::ImageFormat::Jpeg)
        .unwrap();
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(b"\xFF\xE1\x00\x13Exif\x00\x00GPS-36.28N!");
    out.extend_from_slice(&jpeg[2..]);
    out
}

both_backends!(
    async fn station_photos_and_rules_documents(db) {
        cast(&db).await;
        let app = TestApp::with_db(db);
        let mut c = app.client();
        c.login("county_clerk", PASSWORD).await;
        let clerk = app.db.store.login_record("county_clerk").await.unwrap().unwrap().id;
        let scope = app.db.scope_of(clerk).await.unwrap();
        let input = StationInput {
            region: Some(RegionCode::parse("632521100201").unwrap()),
            kind: Some(StationKind::Room),
            name: "东香卡村代表联络室".into(),
            ..Default::default()
        };
        let id = app.db.create_station(&scope, &Actor::of(&scope, "-"), &input).await.unwrap();
        c.get(&format!("/stations/{id}")).await;
        // a photo: stored re-encoded, without its EXIF
        let r = c
            .post_multipart(&format!("/stations/{id}/files"), &[("kind", "photo"), ("name", "接待室")], &[("file", "IMG_0001.JPG", &png_with_exif())])
            .await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        // a rules document, and a web page pretending to be one
        let pdf = b"%PDF-1.4\n% rules\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
        let r = c
            .post_multipart(&format!("/stations/{id}/files"), &[("kind", "document")], &[("file", "代表接待制度.pdf", &pdf)])
            .await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        c.get(&format!("/stations/{id}")).await;
        let r = c
            .post_multipart(&format!("/stations/{id}/files"), &[("kind", "document")], &[("file", "制度.pdf", b"<html><script>alert(1)</script>")])
            .await;
        assert_eq!(r.status.as_u16(), 422);
        assert!(r.body.contains("只能上传 PDF"), "{}", r.body);
        // both on the public page, no login
        let mut public = app.client();
        let page = public.get(&format!("/s/{id}")).await.html();
        let photos = page.attrs("#station-photos img", "src");
        assert_eq!(photos.len(), 1);
        assert_eq!(page.texts("#station-documents a"), ["代表接待制度.pdf"]);
        let (status, photo) = public.get_bytes(&photos[0]).await;
        assert_eq!(status.as_u16(), 200);
        assert!(photo.starts_with(&[0xFF, 0xD8, 0xFF]));
        assert!(!photo.windows(4).any(|w| w == b"Exif"), "EXIF removed");
        let doc_url = page.attrs("#station-documents a", "href")[0].clone();
        let r = public.get(&doc_url).await;
        assert!(r.headers["content-disposition"].to_str().unwrap().starts_with("attachment"));
        assert_eq!(r.headers["x-content-type-options"], "nosniff");
        assert_eq!(r.headers["content-type"], "application/pdf");
        assert_eq!(r.body.as_bytes(), &pdf[..]);
        // another county's clerk cannot add files here
        let mut far = app.client();
        far.login("far_clerk", PASSWORD).await;
        far.get("/").await;
        let r = far
            .post_multipart(&format!("/stations/{id}/files"), &[("kind", "document")], &[("file", "x.pdf", &pdf)])
            .await;
        assert_eq!(r.status.as_u16(), 404);
        // removing the photo takes it off the public page and its address; the audit keeps both steps
        let detail = c.get(&format!("/stations/{id}")).await.html();
        let remove = detail.attrs("#station-photos form", "action")[0].clone();
        assert_eq!(c.post_form(&remove, &[]).await.status.as_u16(), 303);
        assert_eq!(public.get(&format!("/s/{id}")).await.html().count("#station-photos img"), 0);
        assert_eq!(public.get(&photos[0]).await.status.as_u16(), 404);
        let mut aud = app.client();
        aud.login("auditor", PASSWORD).await;
        let adds = aud.get_json("/api/v1/audit?action=station.file_add").await.json()["items"].as_array().unwrap().len();
        let removes = aud.get_json("/api/v1/audit?action=station.file_remove").await.json()["items"].as_array().unwrap().len();
        assert_eq!((adds, removes), (2, 1));
    }
);
