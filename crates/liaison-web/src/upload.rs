//! Reading multipart forms: text fields and files, each bounded, with Chinese errors.

use std::collections::HashMap;

use crate::WebError;
use crate::extract::Multipart;

/// One uploaded file: the form field, the name the browser gave, the bytes.
pub struct UploadedFile {
    pub field: String,
    pub filename: String,
    pub bytes: Vec<u8>,
}

#[derive(Default)]
pub struct MultipartForm {
    pub fields: HashMap<String, String>,
    pub files: Vec<UploadedFile>,
}

impl MultipartForm {
    pub fn text(&self, name: &str) -> &str {
        self.fields.get(name).map(String::as_str).unwrap_or("")
    }

    /// The non-empty files sent in one field.
    pub fn files_in<'a>(&'a self, field: &'a str) -> impl Iterator<Item = &'a UploadedFile> + 'a {
        self.files
            .iter()
            .filter(move |f| f.field == field && !f.bytes.is_empty())
    }
}

/// Reads the whole form. Text fields are limited to `max_text` bytes each; at most `max_files` files
/// (empty file inputs do not count). The request body limit bounds the total.
pub async fn read(
    Multipart(mut mp): Multipart,
    max_text: usize,
    max_files: usize,
) -> Result<MultipartForm, WebError> {
    let broken = |_| WebError::invalid("file", "上传中断，请重试");
    let mut form = MultipartForm::default();
    while let Some(field) = mp.next_field().await.map_err(broken)? {
        let name = field.name().unwrap_or("").to_owned();
        match field.file_name().map(str::to_owned) {
            Some(filename) => {
                let bytes = field.bytes().await.map_err(broken)?.to_vec();
                if bytes.is_empty() {
                    continue;
                }
                if form.files.len() >= max_files {
                    return Err(WebError::invalid(&name, format!("最多上传 {max_files} 个文件")));
                }
                form.files.push(UploadedFile {
                    field: name,
                    filename,
                    bytes,
                });
            }
            None => {
                let text = field.text().await.map_err(broken)?;
                if text.len() > max_text {
                    return Err(WebError::invalid(&name, "内容过长"));
                }
                form.fields.insert(name, text);
            }
        }
    }
    Ok(form)
}
