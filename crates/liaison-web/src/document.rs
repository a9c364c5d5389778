//! Uploaded documents (station rules, evidence): the type is read from the content, never from the
//! name or the browser's claim, and only office formats people here use are accepted. Documents are
//! served as downloads (`attachment`, `nosniff`), so a disguised page cannot run in the browser.

pub const MAX_BYTES: usize = 15 * 1024 * 1024;

/// (media type, extension) of an accepted document.
pub fn kind_of(bytes: &[u8], filename: &str) -> Result<(&'static str, &'static str), String> {
    if bytes.len() > MAX_BYTES {
        return Err("文件不能超过 15 MB".into());
    }
    let ext = filename
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let zip = bytes.starts_with(b"PK\x03\x04");
    let ole = bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    Ok(match ext.as_str() {
        _ if bytes.starts_with(b"%PDF-") => ("application/pdf", "pdf"),
        "docx" if zip => (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        ),
        "xlsx" if zip => (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
        "ofd" if zip => ("application/ofd", "ofd"),
        "doc" if ole => ("application/msword", "doc"),
        "xls" if ole => ("application/vnd.ms-excel", "xls"),
        "wps" if ole => ("application/vnd.ms-works", "wps"),
        _ => return Err("只能上传 PDF、Word（doc/docx）、Excel（xls/xlsx）、WPS 或 OFD 文件".into()),
    })
}

/// A file name safe to show and to send back: no path, no control characters, bounded length, and
/// the extension that matches the content.
pub fn clean_name(filename: &str, ext: &str) -> String {
    let base = filename.rsplit(['/', '\\']).next().unwrap_or("");
    let stem = base.rsplit_once('.').map_or(base, |(s, _)| s);
    let stem: String = stem
        .chars()
        .filter(|c| !c.is_control() && !"\"<>:|?*".contains(*c))
        .take(60)
        .collect();
    let stem = stem.trim();
    format!("{}.{ext}", if stem.is_empty() { "文件" } else { stem })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_comes_from_the_content() {
        assert_eq!(kind_of(b"%PDF-1.7 ...", "制度.pdf").unwrap().1, "pdf");
        assert_eq!(kind_of(b"%PDF-1.7 ...", "制度.docx").unwrap().1, "pdf");
        assert_eq!(kind_of(b"PK\x03\x04....", "制度.docx").unwrap().1, "docx");
        assert!(kind_of(b"<html><script>", "制度.pdf").is_err());
        assert!(kind_of(b"PK\x03\x04....", "x.html").is_err());
        assert!(kind_of(b"MZ\x90\x00", "制度.doc").is_err());
        assert!(kind_of(&vec![b'%'; MAX_BYTES + 1], "a.pdf").is_err());
    }

    #[test]
    fn names_are_cleaned() {
        assert_eq!(clean_name("../../etc/接待制度.PDF", "pdf"), "接待制度.pdf");
        assert_eq!(clean_name("C:\\x\\a\"b<c>.docx", "docx"), "abc.docx");
        assert_eq!(clean_name(".pdf", "pdf"), "文件.pdf");
        assert_eq!(clean_name("", "pdf"), "文件.pdf");
    }
}
