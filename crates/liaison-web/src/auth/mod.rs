//! Logging in and out, the password change, and the first-run setup; the login protection's gate.

mod gate;
pub mod login;
pub mod password;
pub mod setup;
pub mod sms;

pub(crate) use gate::LoginGate;

use crate::routes::Routes;

/// The redirect target after login (or any target taken from input): a path of this site, else `/`.
/// Every place that redirects to a target it was given goes through here.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if is_local_path(n) => n.to_owned(),
        _ => "/".to_owned(),
    }
}

/// A path of this site as every browser and proxy reads it: it starts with one `/` (no `//` host, no
/// scheme) and holds no backslash (read as `/`), no control or white-space character (browsers drop a
/// tab or newline, so `/\t/evil` becomes `//evil`; CR/LF would split the header), and none of these
/// after percent-decoding either (however many times), and no non-ASCII character.
fn is_local_path(n: &str) -> bool {
    if n.len() > 500 {
        return false;
    }
    let mut text = n.to_owned();
    // decoding stops changing anything after a few rounds; a target still changing is refused
    for _ in 0..4 {
        let bad = |c: char| c == '\\' || c.is_control() || c.is_whitespace() || !c.is_ascii();
        if !text.starts_with('/') || text.starts_with("//") || text.chars().any(bad) {
            return false;
        }
        let decoded = percent_decode(&text);
        if decoded == text {
            return true;
        }
        text = decoded;
    }
    false
}

/// `%XX` escapes decoded (bytes that are not UTF-8 become U+FFFD, which `is_local_path` refuses).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).and_then(|b| hex(*b)),
                bytes.get(i + 2).and_then(|b| hex(*b)),
            )
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub(crate) fn routes() -> Routes {
    Routes::new()
        .get_post("/login", login::form, login::submit)
        .get_post("/login/sms", sms::form, sms::send)
        .post("/login/sms/verify", sms::verify)
        .post("/login/code", sms::second)
        .post("/logout", login::logout)
        .get_post("/setup", setup::form, setup::submit)
        .get_post("/account/password", password::form, password::submit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_of_this_site_are_followed() {
        for ok in [
            "/",
            "/opinions?status=open&page=2",
            "/opinions/7#notes",
            "/regions/632521%2Fx",
            "/a%25b",
        ] {
            assert_eq!(safe_next(Some(ok)), ok, "{ok}");
        }
        for bad in [
            "/\t/evil.example",
            "/%09/evil.example",
            "/%2509/evil.example",
            "/%252509/evil",
            "//evil",
            "/%2F/evil",
            "/%2f%2fevil",
            "/\\evil",
            "/%5Cevil",
            "https://evil",
            "http:/evil",
            "javascript:alert(1)",
            "/\r\nSet-Cookie:x",
            "/%0d%0aSet-Cookie:x",
            " /x",
            "/x\n",
            "/\u{3000}/evil",
            "/\u{a0}/evil",
            "/%E3%80%80/evil",
            "/%C2%A0/evil",
            "/%ff",
            "/ /evil",
            "",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(safe_next(None), "/");
        assert_eq!(safe_next(Some(&format!("/{}", "a".repeat(600)))), "/");
    }
}
