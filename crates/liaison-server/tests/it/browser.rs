//! A real headless Chromium against the real binary started as the README says (`serve --demo`):
//! a township clerk logs in and sees the Chinese home page, at phone width (390x844) and on a PC.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::Locator;
use liaison_testkit::browser::{Browser, Viewport};

pub(crate) struct Server {
    child: Child,
    pub(crate) base: String,
    dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) async fn start_demo_server() -> Server {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(env!("CARGO_BIN_EXE_liaison"))
        .args([
            "serve",
            "--demo",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--data-dir",
        ])
        .arg(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // owned at once, so the process is killed and reaped whatever happens next
    let server = Server {
        child,
        base: format!("http://127.0.0.1:{port}"),
        dir,
    };
    // a debug build migrates 46,000 regions and seeds the demo county first; other tests of this
    // binary run beside it on 2 cores, so allow two minutes (a bound, not a timing assertion)
    for _ in 0..1200 {
        if let Ok(mut s) = tokio::net::TcpStream::connect(("127.0.0.1", port)).await {
            use tokio::io::{AsyncReadExt, AsyncWriteExt};
            let _ = s.write_all(b"GET /healthz HTTP/1.0\r\n\r\n").await;
            let mut buf = String::new();
            let _ = s.read_to_string(&mut buf).await;
            if buf.starts_with("HTTP/1.0 200") || buf.starts_with("HTTP/1.1 200") {
                return server;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("server did not become healthy within two minutes");
}

fn demo_password(dir: &std::path::Path) -> String {
    let text = std::fs::read_to_string(dir.join("demo-accounts.txt")).unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix("password = "))
        .unwrap()
        .to_owned()
}

/// Logs in through the real login form and waits for the home page.
pub(crate) async fn log_in(c: &fantoccini::Client, server: &Server, username: &str) {
    c.goto(&format!("{}/login", server.base)).await.unwrap();
    c.find(Locator::Css("input[name=username]"))
        .await
        .unwrap()
        .send_keys(username)
        .await
        .unwrap();
    c.find(Locator::Css("input[name=password]"))
        .await
        .unwrap()
        .send_keys(&demo_password(server.dir.path()))
        .await
        .unwrap();
    c.find(Locator::Css("form.stack button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // wait for the home page itself (the login page also has an h1)
    c.wait().for_element(Locator::Css("#home-region")).await.unwrap();
}

pub(crate) fn screenshot_dir() -> std::path::PathBuf {
    let d = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&d).unwrap();
    d
}

async fn login_and_see_home(server: &Server, viewport: Viewport, name: &str) {
    let b = Browser::start(viewport).await;
    let c = &b.client;
    c.goto(&format!("{}/login", server.base)).await.unwrap();
    // not logged in: the login page
    let h1 = c.find(Locator::Css("h1")).await.unwrap().text().await.unwrap();
    assert_eq!(h1, "工作人员登录");
    std::fs::write(
        screenshot_dir().join(format!("login-{name}.png")),
        c.screenshot().await.unwrap(),
    )
    .unwrap();
    c.find(Locator::Css("input[name=username]"))
        .await
        .unwrap()
        .send_keys("qiabuqia")
        .await
        .unwrap();
    c.find(Locator::Css("input[name=password]"))
        .await
        .unwrap()
        .send_keys(&demo_password(server.dir.path()))
        .await
        .unwrap();
    c.find(Locator::Css("form.stack button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // wait for the home page itself (the login page also has an h1)
    c.wait().for_element(Locator::Css("#home-region")).await.unwrap();
    let h1 = c
        .find(Locator::Css("main h1"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(h1, "工作台");
    let region = c
        .find(Locator::Css("#home-region"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(region, "青海省 › 海南藏族自治州 › 共和县 › 恰卜恰镇");
    let nav: Vec<String> = {
        let mut v = Vec::new();
        for e in c.find_all(Locator::Css("nav.main a")).await.unwrap() {
            v.push(e.text().await.unwrap());
        }
        v
    };
    assert!(nav.contains(&"行政区划".to_owned()), "{nav:?}");
    assert!(
        !nav.contains(&"审计日志".to_owned()),
        "a township clerk has no audit menu: {nav:?}"
    );
    // the page fits the screen: nothing scrolls sideways
    let widths = c
        .execute(
            "return [document.documentElement.scrollWidth, window.innerWidth];",
            vec![],
        )
        .await
        .unwrap();
    let (scroll, inner) = (widths[0].as_i64().unwrap(), widths[1].as_i64().unwrap());
    if let Viewport::Phone = viewport {
        assert_eq!(inner, 390, "mobile emulation gives a 390 px viewport");
    }
    assert!(scroll <= inner, "page is {scroll}px wide in a {inner}px viewport");
    std::fs::write(
        screenshot_dir().join(format!("home-{name}.png")),
        c.screenshot().await.unwrap(),
    )
    .unwrap();
    // large-text mode (适老化) survives a reload
    c.find(Locator::Css("form.size button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait().for_element(Locator::Css("html.lt")).await.unwrap();
    c.refresh().await.unwrap();
    c.wait()
        .for_element(Locator::Css("html.lt main h1"))
        .await
        .unwrap();
    std::fs::write(
        screenshot_dir().join(format!("home-large-{name}.png")),
        c.screenshot().await.unwrap(),
    )
    .unwrap();
    b.close().await;
}

/// Pages of a PDF, counted from its page objects.
fn pdf_pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    text.matches("/Type /Page").count() - text.matches("/Type /Pages").count()
}

async fn print_pdf(c: &fantoccini::Client, url: &str, name: &str) -> Vec<u8> {
    c.goto(url).await.unwrap();
    let pdf = c
        .print(fantoccini::wd::PrintConfiguration::default())
        .await
        .unwrap();
    assert!(pdf.starts_with(b"%PDF"), "{name} is a PDF");
    std::fs::write(screenshot_dir().join(format!("{name}.pdf")), &pdf).unwrap();
    pdf
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn printables_fit_their_paper() {
    let server = start_demo_server().await;
    let b = Browser::start(Viewport::Desktop).await;
    let c = &b.client;
    log_in(c, &server, "qiabuqia").await;
    // the township's home: the first station listed under 代表之家
    c.goto(&format!("{}/stations?kind=home", server.base))
        .await
        .unwrap();
    let href = c
        .find(Locator::Css("#stations tbody td a"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    let poster = print_pdf(c, &format!("{}{href}/poster", server.base), "poster").await;
    assert_eq!(pdf_pages(&poster), 1, "the door poster fits one A4 page");
    let name = c
        .find(Locator::Css("#poster-name"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(name.ends_with("人大代表之家"), "{name}");
    // one deputy's service card, and a sheet of eight per page
    c.goto(&format!("{}/deputies?level=county", server.base))
        .await
        .unwrap();
    let href = c
        .find(Locator::Css("#deputies tbody td a"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    let card = print_pdf(c, &format!("{}{href}/card", server.base), "card").await;
    assert_eq!(pdf_pages(&card), 1);
    let sheet = print_pdf(
        c,
        &format!("{}/deputies/cards?level=county", server.base),
        "cards",
    )
    .await;
    let n = c.find_all(Locator::Css("section.card")).await.unwrap().len();
    assert!(n > 8, "{n} county deputies in the township");
    assert_eq!(pdf_pages(&sheet), n.div_ceil(8), "eight cards per A4 page");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn township_clerk_logs_in_at_phone_and_pc_width() {
    let server = start_demo_server().await;
    login_and_see_home(&server, Viewport::Phone, "phone").await;
    login_and_see_home(&server, Viewport::Desktop, "pc").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registry_pages_fit_a_phone() {
    let server = start_demo_server().await;
    let b = Browser::start(Viewport::Phone).await;
    let c = &b.client;
    log_in(c, &server, "qiabuqia").await;
    c.goto(&format!("{}/deputies?level=county", server.base))
        .await
        .unwrap();
    let deputy = c
        .find(Locator::Css("#deputies tbody td a"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    c.goto(&format!("{}/stations?kind=room", server.base))
        .await
        .unwrap();
    let station = c
        .find(Locator::Css("#stations tbody td a"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    let pages = [
        ("stations", "/stations".to_owned()),
        ("station", station.clone()),
        ("deputies", "/deputies".to_owned()),
        ("deputy", deputy),
        ("units", "/units".to_owned()),
        ("routing", "/units/routing?region=632521100".to_owned()),
        ("import", "/import/deputies".to_owned()),
        ("find", "/find?region=632521100".to_owned()),
        // the queue's filters open, with the township's station and deputy pickers
        ("queue-pickers", "/opinions?region=632521100".to_owned()),
    ];
    for (name, path) in pages {
        c.goto(&format!("{}{path}", server.base)).await.unwrap();
        let h1 = c
            .find(Locator::Css("main h1"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!h1.is_empty() && !h1.contains("错误"), "{path}: {h1}");
        let w = c
            .execute(
                "return [document.documentElement.scrollWidth, window.innerWidth];",
                vec![],
            )
            .await
            .unwrap();
        let (scroll, inner) = (w[0].as_i64().unwrap(), w[1].as_i64().unwrap());
        assert!(scroll <= inner, "{path} is {scroll}px wide on a {inner}px phone");
        std::fs::write(
            screenshot_dir().join(format!("phone-{name}.png")),
            c.screenshot().await.unwrap(),
        )
        .unwrap();
    }
    // the public card behind the station's QR, as a voter's phone shows it
    c.goto(&format!("{}{station}", server.base)).await.unwrap();
    let qr = c
        .find(Locator::Css(".qr code"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    c.goto(&qr).await.unwrap();
    let name = c
        .find(Locator::Css("#station-name"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(name.ends_with("代表联络室"), "{name}");
    std::fs::write(
        screenshot_dir().join("phone-qr-card.png"),
        c.screenshot().await.unwrap(),
    )
    .unwrap();
    b.close().await;
}

/// Fetches a URL inside the page (with the page's cookies) and returns the bytes.
async fn fetch_bytes(c: &fantoccini::Client, path: &str) -> Vec<u8> {
    let v = c
        .execute_async(
            "const done = arguments[arguments.length - 1];\
             fetch(arguments[0]).then(r => r.arrayBuffer()).then(b => done(Array.from(new Uint8Array(b))));",
            vec![serde_json::json!(path)],
        )
        .await
        .unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_u64().unwrap() as u8)
        .collect()
}

pub(crate) async fn click(c: &fantoccini::Client, css: &str) {
    c.find(Locator::Css(css)).await.unwrap().click().await.unwrap();
}

pub(crate) async fn type_into(c: &fantoccini::Client, css: &str, text: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap()
        .send_keys(text)
        .await
        .unwrap();
}

pub(crate) async fn text_of(c: &fantoccini::Client, css: &str) -> String {
    // the element may belong to the page being replaced: look again
    for _ in 0..50 {
        let el = c.wait().for_element(Locator::Css(css)).await.unwrap();
        if let Ok(t) = el.text().await {
            return t;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{css} kept going stale");
}

/// Acts on the item page as the logged-in person: fills the form `#act-{action}` and submits it.
async fn act(c: &fantoccini::Client, server: &Server, item: &str, action: &str, note: Option<&str>) {
    c.goto(&format!("{}{item}", server.base)).await.unwrap();
    if let Some(n) = note {
        type_into(
            c,
            &format!("#act-{action} textarea[name=note], #act-{action} input[name=note]"),
            n,
        )
        .await;
    }
    click(c, &format!("#act-{action} button[type=submit]")).await;
    if c.wait().for_element(Locator::Css(".notice")).await.is_err() {
        std::fs::write(
            screenshot_dir().join(format!("failed-{action}.png")),
            c.screenshot().await.unwrap(),
        )
        .unwrap();
        let body = c.find(Locator::Css("body")).await.unwrap().text().await.unwrap();
        panic!(
            "{action} on {item}: no notice at {}; page: {body}",
            c.current_url().await.unwrap()
        );
    }
}

/// The walk, at phone width, against the real binary: a voter scans a printed deputy code,
/// reports a broken street light with a photo and gets a receipt; the deputy hands it to the
/// township; the clerk accepts and assigns it; the unit replies; the voter rates 不满意; the unit gets
/// it back; after the second reply the voter rates 满意; the outcome is on the public list with no
/// name and no phone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_voter_reports_a_broken_light_by_phone_and_sees_it_through() {
    let server = start_demo_server().await;
    let b = Browser::start(Viewport::Phone).await;
    let c = &b.client;
    // the printed code of the demo deputy, decoded from the PNG a clerk would print
    log_in(c, &server, "daibiao").await;
    let who = text_of(c, ".who .name").await;
    let name = who.split('（').next().unwrap().to_owned();
    // the deputy's own code, as their home page offers it to save and print
    let src = c
        .find(Locator::Css("#my-qr img"))
        .await
        .unwrap()
        .attr("src")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(src, "/me/qr.svg");
    let png = fetch_bytes(c, "/me/qr.png").await;
    let img = image::load_from_memory(&png).unwrap().to_luma8();
    let (w, h) = (img.width() as usize, img.height() as usize);
    let mut prepared =
        rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| img.get_pixel(x as u32, y as u32).0[0]);
    let grids = prepared.detect_grids();
    let (_, url) = grids[0].decode().unwrap();
    let path = &url[url.find("/q/").unwrap()..];
    c.delete_all_cookies().await.unwrap();

    // the voter's phone opens the code: the deputy's name and the form
    c.goto(&format!("{}{path}", server.base)).await.unwrap();
    assert_eq!(text_of(c, "#deputy-name").await, name);
    click(c, "input[name=category][value=street_lights]").await;
    type_into(
        c,
        "textarea[name=description]",
        "幸福路12号门口的路灯坏了一个多月，晚上很黑",
    )
    .await;
    // the connection drops and the page is opened again: the draft is still there (a new navigation,
    // so this is the page's own draft, not the browser restoring a reloaded form)
    c.goto("about:blank").await.unwrap();
    c.goto(&format!("{}{path}", server.base)).await.unwrap();
    let restored = c
        .find(Locator::Css("textarea[name=description]"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(
        restored.as_deref(),
        Some("幸福路12号门口的路灯坏了一个多月，晚上很黑")
    );
    let checked = c
        .find(Locator::Css("input[name=category][value=street_lights]"))
        .await
        .unwrap()
        .prop("checked")
        .await
        .unwrap();
    assert_eq!(checked.as_deref(), Some("true"), "the category is restored too");
    let photo = tempfile::Builder::new().suffix(".jpg").tempfile().unwrap();
    image::RgbImage::from_pixel(320, 240, image::Rgb([250, 210, 40]))
        .save_with_format(photo.path(), image::ImageFormat::Jpeg)
        .unwrap();
    type_into(c, "input[name=photo]", photo.path().to_str().unwrap()).await;
    type_into(c, "input[name=name]", "王秀英").await;
    type_into(c, "input[name=phone]", "13912345678").await;
    std::fs::write(
        screenshot_dir().join("intake-phone.png"),
        c.screenshot().await.unwrap(),
    )
    .unwrap();
    click(c, "#intake-form button[type=submit]").await;
    let receipt = text_of(c, "#receipt").await;
    std::fs::write(
        screenshot_dir().join("receipt-phone.png"),
        c.screenshot().await.unwrap(),
    )
    .unwrap();
    let track = format!("{}/t?r={receipt}&d=5678", server.base);
    // once submitted, the draft is gone: the next report starts empty
    c.goto(&format!("{}{path}", server.base)).await.unwrap();
    let after = c
        .find(Locator::Css("textarea[name=description]"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(after.as_deref(), Some(""));

    // the deputy hands it to the township
    log_in(c, &server, "daibiao").await;
    c.goto(&format!("{}/opinions", server.base)).await.unwrap();
    let item = c
        .find(Locator::Css("#queue a"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    act(c, &server, &item, "hand_over", Some("路灯归镇政府管，请登记交办")).await;
    c.delete_all_cookies().await.unwrap();
    // the township clerk accepts and assigns (the routing table has chosen the township government)
    log_in(c, &server, "qiabuqia").await;
    act(c, &server, &item, "accept", None).await;
    act(c, &server, &item, "assign", Some("请尽快修复")).await;
    assert!(text_of(c, "main").await.contains("恰卜恰镇人民政府（主办）"));
    // the item shows its deadline (the unit's 7 working days); the clerk's queue sorts by it
    assert!(text_of(c, "#due").await.contains("办理期限"));
    std::fs::write(
        screenshot_dir().join("item-clerk-phone.png"),
        c.screenshot().await.unwrap(),
    )
    .unwrap();
    c.goto(&format!("{}/opinions?stage=open&sort=due", server.base))
        .await
        .unwrap();
    assert!(text_of(c, "#queue").await.contains("剩余"));
    std::fs::write(
        screenshot_dir().join("queue-clerk-phone.png"),
        c.screenshot().await.unwrap(),
    )
    .unwrap();
    c.delete_all_cookies().await.unwrap();
    // the unit replies
    log_in(c, &server, "chengban").await;
    act(c, &server, &item, "reply", Some("已安排检修，三日内修复")).await;
    c.delete_all_cookies().await.unwrap();
    // the voter sees the reply and is not satisfied
    c.goto(&track).await.unwrap();
    assert_eq!(text_of(c, "#track-answer").await, "已安排检修，三日内修复");
    click(c, "input[name=rating][value=unsatisfied]").await;
    click(c, "#rate button[type=submit]").await;
    assert!(text_of(c, "#track-notice").await.contains("退回承办单位"));
    // the unit has it back, replies again; the voter is satisfied
    log_in(c, &server, "chengban").await;
    c.goto(&format!("{}{item}", server.base)).await.unwrap();
    assert!(text_of(c, "main").await.contains("不满意重办 1 次"));
    act(c, &server, &item, "reply", Some("已更换灯具，恢复照明")).await;
    c.delete_all_cookies().await.unwrap();
    c.goto(&track).await.unwrap();
    click(c, "input[name=rating][value=satisfied]").await;
    click(c, "#rate button[type=submit]").await;
    assert!(text_of(c, "#track-notice").await.contains("已办结"));
    assert_eq!(text_of(c, "#track-stage").await, "已办结");
    std::fs::write(
        screenshot_dir().join("tracking-phone.png"),
        c.screenshot().await.unwrap(),
    )
    .unwrap();
    // the clerk reviews the text and publishes
    log_in(c, &server, "qiabuqia").await;
    act(c, &server, &item, "publish", None).await;
    c.delete_all_cookies().await.unwrap();
    c.goto(&format!("{}/published", server.base)).await.unwrap();
    let list = text_of(c, "#published").await;
    assert!(list.contains("已更换灯具，恢复照明"), "{list}");
    assert!(
        !list.contains("王秀英") && !list.contains("13912345678") && !list.contains("5678"),
        "{list}"
    );
    assert_eq!(
        c.find_all(Locator::Css("#published img")).await.unwrap().len(),
        1,
        "the photo is shown"
    );
    std::fs::write(
        screenshot_dir().join("published-phone.png"),
        c.screenshot().await.unwrap(),
    )
    .unwrap();
    b.close().await;
}
