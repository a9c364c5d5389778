//! A real headless Chromium against the real binary started as the README says (`serve --demo`):
//! a township clerk logs in and sees the Chinese home page, at phone width (390x844) and on a PC.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::Locator;
use liaison_testkit::browser::{Browser, Viewport};

struct Server {
    child: Child,
    base: String,
    dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn start_demo_server() -> Server {
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
    for _ in 0..300 {
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
    panic!("server did not become healthy");
}

fn demo_password(dir: &std::path::Path) -> String {
    let text = std::fs::read_to_string(dir.join("demo-accounts.txt")).unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix("password = "))
        .unwrap()
        .to_owned()
}

/// Logs in through the real login form and waits for the home page.
async fn log_in(c: &fantoccini::Client, server: &Server, username: &str) {
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

fn screenshot_dir() -> std::path::PathBuf {
    let d = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&d).unwrap();
    d
}

async fn login_and_see_home(server: &Server, viewport: Viewport, name: &str) {
    let b = Browser::start(viewport).await;
    let c = &b.client;
    c.goto(&format!("{}/", server.base)).await.unwrap();
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
