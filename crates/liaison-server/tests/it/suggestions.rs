//! 代表建议 in a real headless Chromium against `serve --demo`: the demo deputy raises a suggestion on
//! a phone (a motion with too few co-signers is refused first, with the words kept), the county office
//! records the co-signers' paper signatures, registers it and assigns a lead and a co-unit, the
//! co-unit signs off, the lead replies class B with a milestone, the deputy rates 不满意 on the phone,
//! the item goes back, the second reply is rated 满意, and the public board shows it. (Co-signers who
//! confirm on their own accounts are walked in the web tests, `it/suggestions.rs`.)

use fantoccini::Locator;
use liaison_testkit::browser::{Browser, Viewport};

use crate::browser::{Server, click, log_in, screenshot_dir, start_demo_server, text_of, type_into};

/// Submits the form `#form-{action}` on the item page and waits for the saved notice.
async fn step(c: &fantoccini::Client, server: &Server, id: &str, form: &str) {
    click(c, &format!("#form-{form} button[type=submit]")).await;
    if c.wait().for_element(Locator::Css(".notice")).await.is_err() {
        std::fs::write(
            screenshot_dir().join(format!("failed-suggestion-{form}.png")),
            c.screenshot().await.unwrap(),
        )
        .unwrap();
        let body = c.find(Locator::Css("body")).await.unwrap().text().await.unwrap();
        panic!("{form} on suggestion {id}: no notice; page: {body}");
    }
    let _ = server;
}

async fn open(c: &fantoccini::Client, server: &Server, id: &str) {
    c.goto(&format!("{}/suggestions/{id}", server.base))
        .await
        .unwrap();
    c.wait().for_element(Locator::Css("#stage")).await.unwrap();
}

/// Picks the option of `select` whose text contains `label`.
async fn choose(c: &fantoccini::Client, select: &str, label: &str) {
    let options = c
        .find_all(Locator::Css(&format!("{select} option")))
        .await
        .unwrap();
    for o in options {
        if o.text().await.unwrap().contains(label) {
            o.click().await.unwrap();
            return;
        }
    }
    panic!("no option {label} in {select}");
}

async fn log_out(c: &fantoccini::Client) {
    c.delete_all_cookies().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deputy_raises_a_suggestion_by_phone_and_sees_it_answered() {
    let server = start_demo_server().await;
    let phone = Browser::start(Viewport::Phone).await;
    let c = &phone.client;
    log_in(c, &server, "daibiao").await;
    c.goto(&format!("{}/suggestions/new", server.base)).await.unwrap();
    choose(c, "select[name=meeting]", "共和县").await;
    click(c, "input[name=kind][value=motion]").await;
    type_into(c, "input[name=title]", "关于修缮恰卜恰镇东大街人行道的议案").await;
    choose(c, "select[name=category]", "道路交通").await;
    let body = "东大街人行道砖块松动破损，雨天积水，老人和学生出行不便，建议列入县城道路维修计划。";
    type_into(c, "textarea[name=body]", body).await;
    let cosigners = c
        .find_all(Locator::Css("select[name=cosigners] option"))
        .await
        .unwrap();
    for o in cosigners.iter().take(2) {
        o.click().await.unwrap();
    }
    click(c, "#suggestion-form button[type=submit]").await;
    let refused = text_of(c, "[data-field=cosigners]").await;
    assert!(refused.contains("议案须由至少 10 名代表联名"), "{refused}");
    let kept = c
        .find(Locator::Css("textarea[name=body]"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(kept.as_deref(), Some(body), "the text is kept");
    std::fs::write(
        screenshot_dir().join("suggestion-refused-phone.png"),
        c.screenshot().await.unwrap(),
    )
    .unwrap();
    // as a suggestion it goes through
    click(c, "input[name=kind][value=suggestion]").await;
    c.find(Locator::Css("input[name=title]"))
        .await
        .unwrap()
        .clear()
        .await
        .unwrap();
    type_into(c, "input[name=title]", "关于修缮恰卜恰镇东大街人行道的建议").await;
    click(c, "#suggestion-form button[type=submit]").await;
    c.wait().for_element(Locator::Css(".notice")).await.unwrap();
    let url = c.current_url().await.unwrap();
    let id = url.path().trim_start_matches("/suggestions/").to_owned();
    assert_eq!(text_of(c, "#stage").await, "联名确认中");
    log_out(c).await;

    // the county office, on a PC: the co-signers' paper signatures, registration, assignment
    let pc = Browser::start(Viewport::Desktop).await;
    let o = &pc.client;
    log_in(o, &server, "xianlian").await;
    for _ in 0..2 {
        open(o, &server, &id).await;
        step(o, &server, &id, "confirm").await;
    }
    open(o, &server, &id).await;
    step(o, &server, &id, "submit").await;
    step(o, &server, &id, "register").await;
    open(o, &server, &id).await;
    choose(o, "#form-assign select[name=lead]", "住房和城乡建设局").await;
    choose(o, "#form-assign select[name=co]", "水利局").await;
    step(o, &server, &id, "assign").await;
    assert_eq!(text_of(o, "#stage").await, "办理中");
    std::fs::write(
        screenshot_dir().join("suggestion-assigned-pc.png"),
        o.screenshot().await.unwrap(),
    )
    .unwrap();
    log_out(o).await;

    let sign_off = async |who: &str| {
        log_in(o, &server, who).await;
        open(o, &server, &id).await;
        step(o, &server, &id, "sign-off").await;
        log_out(o).await;
    };
    let reply = async |class: &str, text: &str| {
        log_in(o, &server, "zhujian").await;
        open(o, &server, &id).await;
        click(o, &format!("#form-reply input[name=class][value={class}]")).await;
        type_into(o, "#form-reply textarea[name=text]", text).await;
        if class == "B" {
            // typed as a phone's date picker sends it
            o.execute(
                "document.querySelector('#form-reply input[name=planned]').value = arguments[0];\
                 document.querySelector('#form-reply input[name=m_date]').value = arguments[1];",
                vec![serde_json::json!("2099-06-30"), serde_json::json!("2099-03-31")],
            )
            .await
            .unwrap();
            type_into(o, "#form-reply input[name=m_what]", "完成施工设计").await;
        }
        step(o, &server, &id, "reply").await;
        log_out(o).await;
    };
    sign_off("shuili").await;
    reply(
        "B",
        "已将东大街人行道修缮列入本年度县城道路维修计划，正在开展施工设计。",
    )
    .await;

    // the deputy rates 不满意 on the phone: back to the lead unit
    log_in(c, &server, "daibiao").await;
    open(c, &server, &id).await;
    assert!(text_of(c, "#reply").await.contains("完成施工设计"));
    click(c, "#form-rate input[name=satisfaction][value=unsatisfied]").await;
    type_into(c, "#form-rate textarea[name=note]", "进度太慢，希望雨季前完工").await;
    step(c, &server, &id, "rate").await;
    assert_eq!(text_of(c, "#stage").await, "办理中");
    log_out(c).await;

    sign_off("shuili").await;
    reply("A", "东大街人行道已于雨季前修缮完毕，积水点已加装排水设施。").await;
    log_in(c, &server, "daibiao").await;
    open(c, &server, &id).await;
    click(c, "#form-rate input[name=satisfaction][value=satisfied]").await;
    step(c, &server, &id, "rate").await;
    assert_eq!(text_of(c, "#stage").await, "已办结");
    std::fs::write(
        screenshot_dir().join("suggestion-closed-phone.png"),
        c.screenshot().await.unwrap(),
    )
    .unwrap();
    log_out(c).await;

    // the public board, on the phone, without logging in
    c.goto(&format!("{}/board/suggestions", server.base))
        .await
        .unwrap();
    // the county's meeting, chosen on the board itself
    choose(c, "select[name=meeting]", "共和县").await;
    click(c, "form[action='/board/suggestions'] button[type=submit]").await;
    let row = text_of(c, &format!("#board tr[data-id=\"{id}\"]")).await;
    for want in [
        "关于修缮恰卜恰镇东大街人行道的建议",
        "住房和城乡建设局",
        "A类",
        "已办结",
        "满意",
    ] {
        assert!(row.contains(want), "{want} in {row}");
    }
    std::fs::write(
        screenshot_dir().join("suggestion-board-phone.png"),
        c.screenshot().await.unwrap(),
    )
    .unwrap();
    phone.close().await;
    pc.close().await;
}
