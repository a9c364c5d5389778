//! HTML assertions by CSS selector.

use scraper::{Html, Selector};

pub struct Doc(Html);

impl Doc {
    pub fn parse(s: &str) -> Doc {
        Doc(Html::parse_document(s))
    }

    fn sel(css: &str) -> Selector {
        Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e}"))
    }

    /// Text of every element matching `css`, whitespace-trimmed.
    pub fn texts(&self, css: &str) -> Vec<String> {
        self.0
            .select(&Self::sel(css))
            .map(|e| e.text().collect::<String>().trim().to_owned())
            .collect()
    }

    pub fn text(&self, css: &str) -> String {
        self.texts(css)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("nothing matches {css}"))
    }

    pub fn count(&self, css: &str) -> usize {
        self.0.select(&Self::sel(css)).count()
    }

    /// The attribute of every element matching `css`.
    pub fn attrs(&self, css: &str, attr: &str) -> Vec<String> {
        self.0
            .select(&Self::sel(css))
            .filter_map(|e| e.value().attr(attr))
            .map(str::to_owned)
            .collect()
    }

    pub fn attr(&self, css: &str, attr: &str) -> Option<String> {
        self.0
            .select(&Self::sel(css))
            .next()
            .and_then(|e| e.value().attr(attr))
            .map(str::to_owned)
    }
}

/// The `_csrf` hidden field's value in a page, if any.
pub fn csrf_of(body: &str) -> Option<String> {
    let i = body.find("name=\"_csrf\" value=\"")? + "name=\"_csrf\" value=\"".len();
    body.get(i..i + 64)
        .filter(|t| t.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(str::to_owned)
}
