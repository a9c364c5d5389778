//! 答复附件: a unit's reply carries its scanned letter (PDF, kept as sent) and photos (re-encoded
//! without metadata). Staff on the item see them all, per reply; the citizen sees only the public
//! ones, once the answer is theirs to read. A wrong or too large file brings the form back.

use liaison_testkit::app::{Client, TestApp};
use liaison_testkit::both_backends;
use liaison_testkit::fixtures::{PASSWORD, cast};

use crate::support::*;

const LETTER: &[u8] =
    b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

async fn newest(c: &mut Client<'_>) -> i64 {
    let links = c.get("/opinions").await.html().attrs("#queue a", "href");
    links[0].trim_start_matches("/opinions/").parse().unwrap()
}

/// A citizen's item assigned to the township government: (id, receipt).
async fn assigned(app: &TestApp, w: &World, voter: &mut Client<'_>) -> (i64, String) {
    let r = report(
        voter,
        &w.station_code,
        &[("category", "street_lights"), ("description", "桥头路灯不亮")],
        None,
    )
    .await;
    let receipt = r.html().text("#receipt");
    let mut clerk = app.client();
    clerk.login("town_clerk", PASSWORD).await;
    let id = newest(&mut clerk).await;
    let unit = w.unit_id.to_string();
    let r = act(
        &mut clerk,
        id,
        &[
            ("as", "staff"),
            ("action", "accept"),
            ("then", "assign"),
            ("unit", &unit),
        ],
    )
    .await;
    assert_eq!(r.status.as_u16(), 303, "{}", r.body);
    (id, receipt)
}

/// The attachments' links on the item page, in order.
async fn links(c: &mut Client<'_>, id: i64) -> Vec<String> {
    let page = c.get(&format!("/opinions/{id}")).await.html();
    page.attrs("#attachments .attachment a.file", "href")
}

both_backends!(
    async fn a_unit_s_reply_carries_its_letter_and_photos_and_the_citizen_sees_only_the_public_ones(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let w = world(&app, &c).await;
        let mut voter = app.client();
        let (id, receipt) = assigned(&app, &w, &mut voter).await;
        let mut u = app.client();
        u.login("unit", PASSWORD).await;
        let form = u.get(&format!("/opinions/{id}")).await.html();
        assert_eq!(form.attr("#act-reply", "enctype").as_deref(), Some("multipart/form-data"));
        assert_eq!(form.count("#act-reply input[name=photos_public][checked]"), 1, "photos public by default");
        assert_eq!(form.count("#act-reply input[name=letter_public][checked]"), 0, "the letter not");
        let photo = jpeg_with_exif();
        let files: [(&str, &str, &[u8]); 3] = [("attachment", "答复函.pdf", LETTER), ("attachment", "维修前.jpg", &photo), ("attachment", "维修后.jpg", &photo)];
        let r = u.post_multipart(&format!("/opinions/{id}/reply"), &[("as", "unit"), ("note", "已更换灯泡"), ("photos_public", "1")], &files).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        // the letter's file is referred to by its row: the orphan sweep keeps it
        let scratch = std::env::temp_dir().join(format!("liaison-hash-{}", liaison_domain::token::random_token()));
        let hash = liaison_store::blob::Blobs::new(&scratch).put_blocking(LETTER).unwrap();
        let _ = std::fs::remove_dir_all(scratch);
        assert!(app.db.referenced_blobs(std::slice::from_ref(&hash)).await.unwrap().contains(&hash));
        // staff see all three, the letter marked not shown to the citizen
        let mut clerk = app.client();
        clerk.login("town_clerk", PASSWORD).await;
        let page = clerk.get(&format!("/opinions/{id}")).await.html();
        assert!(page.text("#stage").starts_with("已答复"), "{}", page.text("#stage"));
        assert_eq!(page.count("#reply-files-1 .attachment"), 3);
        assert_eq!(page.count("#reply-files-1 .attachment[data-kind=letter] .tag.ok"), 0);
        assert_eq!(page.count("#reply-files-1 .attachment[data-kind=photo] .tag.ok"), 2);
        let all = links(&mut clerk, id).await;
        assert_eq!(all.len(), 3, "{all:?}");
        let (status, bytes) = clerk.get_bytes(&all[0]).await;
        assert_eq!((status.as_u16(), bytes.as_slice()), (200, LETTER), "the letter as sent");
        let (status, bytes) = clerk.get_bytes(&all[1]).await;
        assert_eq!(status.as_u16(), 200);
        assert!(bytes.starts_with(&[0xFF, 0xD8]) && !bytes.windows(6).any(|w| w == b"GPS-36"), "re-encoded, no EXIF");
        // out of reach: the other township's staff get nothing
        let mut other = app.client();
        other.login("other_town_clerk", PASSWORD).await;
        assert_eq!(other.get_bytes(&all[0]).await.0.as_u16(), 404);
        // the citizen: the two photos, not the letter
        let track = format!("/t?r={receipt}");
        let t = voter.get(&track).await.html();
        let shown = t.attrs("#track-attachments img", "src");
        assert_eq!(shown.len(), 2, "{}", t.text("main"));
        assert_eq!(t.count("#track-attachments .attachment"), 0);
        assert_eq!(voter.get_bytes(&shown[0]).await.0.as_u16(), 200);
        let letter_id = all[0].trim_start_matches("/opinions/attachments/");
        let letter_for_citizen = format!("/t/files/{letter_id}?r={receipt}&d=");
        assert_eq!(voter.get_bytes(&letter_for_citizen).await.0.as_u16(), 404);
        assert_eq!(voter.get_bytes(&format!("/t/files/{letter_id}?r=XXXX-XXXX")).await.0.as_u16(), 404, "no receipt, no file");
        // staff decide to show the letter
        let toggle = page.attrs("#reply-files-1 .attachment[data-kind=letter] form", "action");
        let r = clerk.post_form(&toggle[0], &[("public", "1")]).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        assert_eq!(voter.get(&track).await.html().count("#track-attachments .attachment a"), 1);
        assert_eq!(voter.get_bytes(&letter_for_citizen).await, (axum::http::StatusCode::OK, LETTER.to_vec()));
        // 不满意, a second reply with one photo: the first reply's files stay with the first
        let r = voter.post_form("/t/rate", &[("r", &receipt), ("rating", "unsatisfied"), ("note", "还是不亮")]).await;
        assert!(r.status.is_redirection() || r.status.is_success(), "{}", r.status);
        let t = voter.get(&track).await.html();
        assert_eq!(t.count("#track-earlier"), 1);
        assert_eq!(t.count("#track-attachments img"), 2, "the earlier answer keeps its photos");
        let files: [(&str, &str, &[u8]); 1] = [("attachment", "再次维修.png", &png())];
        let r = u.post_multipart(&format!("/opinions/{id}/reply"), &[("as", "unit"), ("note", "已更换线路")], &files).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        let page = clerk.get(&format!("/opinions/{id}")).await.html();
        assert_eq!(page.count("#reply-files-1 .attachment"), 3);
        assert_eq!(page.count("#reply-files-2 .attachment"), 1);
        assert_eq!(page.count("#reply-files-2 .attachment .tag.ok"), 0, "photos_public not ticked");
        let t = voter.get(&track).await.html();
        assert_eq!(t.text("#track-answer"), "已更换线路");
        assert_eq!(t.count("#track-attachments"), 0, "the new answer's photo is not public, the old ones went with the old answer");
        // audited
        let mut aud = app.client();
        aud.login("auditor", PASSWORD).await;
        let items = aud.get_json("/api/v1/audit?action=opinion.attachment_visibility").await.json()["items"].as_array().unwrap().clone();
        assert_eq!(items.len(), 1, "{items:?}");
    }
);

fn png() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(40, 30, image::Rgb([10, 120, 200]));
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

both_backends!(
    async fn a_reply_with_a_wrong_file_comes_back_with_the_text_kept(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let w = world(&app, &c).await;
        let mut voter = app.client();
        let (id, _) = assigned(&app, &w, &mut voter).await;
        let mut u = app.client();
        u.login("unit", PASSWORD).await;
        u.get(&format!("/opinions/{id}")).await;
        let path = format!("/opinions/{id}/reply");
        let fields = [("as", "unit"), ("note", "已安排检修"), ("letter_public", "1")];
        // a page disguised as a PDF
        let fake: [(&str, &str, &[u8]); 1] = [("attachment", "答复函.pdf", b"<html><script>alert(1)</script>")];
        let r = u.post_multipart(&path, &fields, &fake).await;
        assert_eq!(r.status.as_u16(), 422);
        let page = r.html();
        assert!(page.text("#act-reply .field-error[data-field=attachment]").contains("只能上传 JPG、PNG 照片或 PDF"), "{}", page.text("#act-reply"));
        assert_eq!(page.text("#act-reply textarea[name=note]"), "已安排检修");
        assert_eq!(page.count("#act-reply input[name=letter_public][checked]"), 1, "the ticks kept");
        assert_eq!(page.count("#act-reply input[name=photos_public][checked]"), 0);
        // a letter over 10 MB
        let mut big = b"%PDF-1.4\n".to_vec();
        big.resize(10 * 1024 * 1024 + 10, b' ');
        let r = u.post_multipart(&path, &fields, &[("attachment", "扫描件.pdf", &big)]).await;
        assert_eq!(r.status.as_u16(), 422);
        assert!(r.html().text("#act-reply .field-error[data-field=attachment]").contains("10 MB"));
        assert_eq!(r.html().text("#act-reply textarea[name=note]"), "已安排检修");
        // five files
        let five: Vec<(&str, &str, &[u8])> = (0..5).map(|_| ("attachment", "a.pdf", LETTER)).collect();
        let r = u.post_multipart(&path, &fields, &five).await;
        assert_eq!(r.status.as_u16(), 422);
        assert!(r.html().text("#act-reply .field-error[data-field=attachment]").contains("最多上传 4 个附件"));
        // no words and a broken photo: both said at once
        let r = u.post_multipart(&path, &[("as", "unit"), ("note", " ")], &[("attachment", "x.jpg", &[0xFF, 0xD8, 0xFF, 0x00])]).await;
        assert_eq!(r.status.as_u16(), 422);
        assert!(r.html().count("#act-reply .field-error[data-field=note]") == 1);
        assert!(r.html().count("#act-reply .field-error[data-field=attachment]") == 1);
        // nothing was stored, nothing moved
        let mut clerk = app.client();
        clerk.login("town_clerk", PASSWORD).await;
        let page = clerk.get(&format!("/opinions/{id}")).await.html();
        assert_eq!(page.text("#stage"), "承办中");
        assert_eq!(page.count("#attachments"), 0);
        // the reply without files still goes through the same form
        let r = u.post_multipart(&path, &[("as", "unit"), ("note", "已安排检修")], &[]).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
    }
);
