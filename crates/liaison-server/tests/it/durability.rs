//! A submission acknowledged is a submission kept: the real binary takes a stream of 码上办 reports
//! from concurrent clients, is killed with SIGKILL in the middle, and every report that got a receipt
//! is in the database afterwards (with its photo file).

use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use liaison_store::Store;
use liaison_store::registry::qr::QrTarget;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// One HTTP/1.1 exchange on a fresh connection; (status, headers, body).
async fn http(port: u16, req: Vec<u8>) -> std::io::Result<(u16, String, String)> {
    let mut s = tokio::net::TcpStream::connect(("127.0.0.1", port)).await?;
    s.write_all(&req).await?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).await?;
    let text = String::from_utf8_lossy(&buf).into_owned();
    let (head, body) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("no head"))?;
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status"))?;
    Ok((status, head.to_owned(), body.to_owned()))
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let i = s.find(start)? + start.len();
    Some(&s[i..i + s[i..].find(end)?])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_submissions_survive_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_liaison");
    let ok = Command::new(bin)
        .args(["seed-demo", "--data-dir"])
        .arg(dir.path())
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(ok.success());
    // a station's printed code
    let db = dir.path().join("liaison.db");
    let code = {
        let store = Store::connect(db.to_str().unwrap()).await.unwrap();
        let code = store.qr_code_for(QrTarget::Station(1)).await.unwrap();
        store.close().await;
        code
    };
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut child = Command::new(bin)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--data-dir"])
        .arg(dir.path())
        .env("LIAISON_INTAKE_PER_IP", "1000000")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let get = format!("GET /q/{code} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").into_bytes();
    let mut page = None;
    // a bound, not a timing assertion: other tests of this binary run beside it on 2 cores
    for _ in 0..600 {
        if let Ok(r) = http(port, get.clone()).await {
            page = Some(r);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (status, head, body) = page.expect("server up");
    assert_eq!(status, 200);
    let cookie = head
        .lines()
        .filter_map(|l| {
            l.strip_prefix("set-cookie: ")
                .or_else(|| l.strip_prefix("Set-Cookie: "))
        })
        .map(|c| c.split(';').next().unwrap().to_owned())
        .collect::<Vec<_>>()
        .join("; ");
    let csrf = between(&body, "name=\"_csrf\" value=\"", "\"")
        .unwrap()
        .to_owned();
    let photo = {
        let img = image::RgbImage::from_pixel(64, 48, image::Rgb([200, 40, 40]));
        let mut out = Vec::new();
        img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Jpeg)
            .unwrap();
        out
    };
    // eight clients submit as fast as they can; every receipt they get is recorded
    let acked: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let mut tasks = Vec::new();
    for t in 0..8 {
        let (acked, cookie, csrf, code, photo) = (
            acked.clone(),
            cookie.clone(),
            csrf.clone(),
            code.clone(),
            photo.clone(),
        );
        tasks.push(tokio::spawn(async move {
            for n in 0u64.. {
                let nonce = format!("durability{t:02}x{n:06}xxxxxxxx");
                let b = "----durabilityboundary";
                let mut body: Vec<u8> = Vec::new();
                for (k, v) in [("_csrf", csrf.as_str()), ("nonce", &nonce), ("category", "roads"), ("description", &format!("第{t}号客户端第{n}条：路面破损"))] {
                    body.extend(format!("--{b}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes());
                }
                if n.is_multiple_of(4) {
                    body.extend(format!("--{b}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"p.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n").as_bytes());
                    body.extend(&photo);
                    body.extend(b"\r\n");
                }
                body.extend(format!("--{b}--\r\n").as_bytes());
                let mut req = format!(
                    "POST /q/{code} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nCookie: {cookie}\r\n\
                     Content-Type: multipart/form-data; boundary={b}\r\nContent-Length: {}\r\n\r\n",
                    body.len()
                )
                .into_bytes();
                req.extend(body);
                match http(port, req).await {
                    Ok((200, _, body)) => {
                        let receipt = between(&body, "id=\"receipt\">", "<").expect("a receipt").replace('-', "");
                        acked.lock().unwrap().push((nonce, receipt));
                    }
                    Ok((s, _, body)) => panic!("unexpected {s}: {:?}", between(&body, "intake-errors", "</ul>").unwrap_or(&body)),
                    Err(_) => return, // the server is gone
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(2500)).await;
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    for t in tasks {
        t.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() > 20,
        "the stream was running: {} acknowledged",
        acked.len()
    );
    // every acknowledged submission is there, under its receipt, with its photo file on disk
    let store = Store::connect(db.to_str().unwrap()).await.unwrap();
    let mut missing = Vec::new();
    for (nonce, receipt) in &acked {
        match store.track(receipt, "").await.unwrap() {
            Some(o) => {
                assert!(o.description.contains("路面破损"));
                let n: usize = nonce[13..19].parse().unwrap();
                if n.is_multiple_of(4) {
                    let photos = store.opinion_photos(&o).await.unwrap();
                    assert_eq!(photos.len(), 1, "{receipt}");
                    let f = &photos[0].blob;
                    assert!(
                        dir.path()
                            .join("files")
                            .join(&f[..2])
                            .join(&f[2..4])
                            .join(f)
                            .exists()
                    );
                }
            }
            None => missing.push(receipt.clone()),
        }
    }
    assert!(
        missing.is_empty(),
        "{} of {} acknowledged submissions lost: {missing:?}",
        missing.len(),
        acked.len()
    );
    println!(
        "{} acknowledged submissions, all found after SIGKILL",
        acked.len()
    );
}
