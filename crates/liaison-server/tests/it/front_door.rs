//! A citizen's way in, in a real headless Chromium against `serve --demo`: from the front door to a
//! deputy's 码上办 form in three taps (home → township → village → deputy), at phone width
//! (390x844) and on a PC, with nothing scrolling sideways. Screenshots go to `target/screenshots`
//! (`front-*.png`).

use fantoccini::Locator;
use liaison_testkit::browser::{Browser, Viewport};

use crate::browser::{Server, click, screenshot_dir, start_demo_server, text_of};

async fn shot(c: &fantoccini::Client, name: &str) {
    std::fs::write(
        screenshot_dir().join(format!("front-{name}.png")),
        c.screenshot().await.unwrap(),
    )
    .unwrap();
}

/// Nothing scrolls sideways on this page.
async fn fits(c: &fantoccini::Client, what: &str) {
    let w = c
        .execute(
            "return [document.documentElement.scrollWidth, window.innerWidth];",
            vec![],
        )
        .await
        .unwrap();
    let (scroll, inner) = (w[0].as_i64().unwrap(), w[1].as_i64().unwrap());
    assert!(
        scroll <= inner,
        "{what} is {scroll}px wide in a {inner}px viewport"
    );
}

async fn path_of(c: &fantoccini::Client) -> String {
    let url = c.current_url().await.unwrap();
    match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_owned(),
    }
}

async fn three_taps_to_a_deputys_form(server: &Server, viewport: Viewport, name: &str) {
    let b = Browser::start(viewport).await;
    let c = &b.client;
    c.goto(&format!("{}/", server.base)).await.unwrap();
    assert_eq!(text_of(c, "#door-title").await, "有事找代表");
    fits(c, "the front door").await;
    shot(c, &format!("home-{name}")).await;
    // tap 1: the township
    click(c, "#door-places a[href='/find?region=632521100']").await;
    c.wait()
        .for_element(Locator::Css("#deputies .level-group"))
        .await
        .unwrap();
    assert_eq!(path_of(c).await, "/find?region=632521100");
    fits(c, "the township's deputies").await;
    shot(c, &format!("township-{name}")).await;
    // tap 2: a village
    click(c, "#places a").await;
    c.wait()
        .for_element(Locator::Css("ol.crumbs li:nth-child(3)"))
        .await
        .unwrap();
    let village = path_of(c).await;
    assert!(
        village.starts_with("/find?region=632521100") && village.len() > 24,
        "{village}"
    );
    fits(c, "the village's deputies").await;
    shot(c, &format!("village-{name}")).await;
    // tap 3: a deputy: the card with the form
    click(c, "#deputies ul.people a").await;
    let who = text_of(c, "#deputy-name").await;
    assert!(!who.is_empty());
    let action = c
        .find(Locator::Css("form#intake-form"))
        .await
        .unwrap()
        .attr("action")
        .await
        .unwrap()
        .unwrap();
    assert!(action.starts_with("/d/"), "{action}");
    assert_eq!(path_of(c).await, action, "the card posts back to itself");
    fits(c, "the deputy's card").await;
    shot(c, &format!("card-{name}")).await;
    // the village's nearest station: where and when at the top, the form, its deputies as links
    c.goto(&format!("{}{village}", server.base)).await.unwrap();
    click(c, "#stations h3 a").await;
    let facts = text_of(c, "#station-facts").await;
    assert!(facts.contains("接待日"), "{facts}");
    let action = c
        .find(Locator::Css("form#intake-form"))
        .await
        .unwrap()
        .attr("action")
        .await
        .unwrap()
        .unwrap();
    assert!(action.starts_with("/s/"), "{action}");
    fits(c, "the station's card").await;
    shot(c, &format!("station-{name}")).await;
    // the card leads home again
    click(c, "nav.public-links a[href='/']").await;
    assert_eq!(text_of(c, "#door-title").await, "有事找代表");
    // a code that reaches nothing: plain words and a way on
    c.goto(&format!("{}/q/NOSUCHCODE", server.base)).await.unwrap();
    assert_eq!(text_of(c, "main h1").await, "二维码无效或已停用");
    fits(c, "an unknown code").await;
    shot(c, &format!("unknown-code-{name}")).await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_citizen_reaches_a_deputys_form_in_three_taps_at_phone_and_pc_width() {
    let server = start_demo_server().await;
    three_taps_to_a_deputys_form(&server, Viewport::Phone, "phone").await;
    three_taps_to_a_deputys_form(&server, Viewport::Desktop, "pc").await;
}
