//! Uploaded photos: the type is read from the content (JPEG or PNG only), size and pixel count are
//! bounded, and the image is decoded and re-encoded as JPEG, which drops EXIF (GPS, device) and any
//! trailing data. Portraits are scaled to at most 1200 px on the long side.

use image::{ImageFormat, ImageReader, Limits};

pub const MAX_BYTES: usize = 10 * 1024 * 1024;

pub fn sanitize(bytes: &[u8]) -> Result<Vec<u8>, String> {
    if bytes.len() > MAX_BYTES {
        return Err("照片不能超过 10 MB".into());
    }
    let format = match bytes {
        [0xFF, 0xD8, 0xFF, ..] => ImageFormat::Jpeg,
        [0x89, b'P', b'N', b'G', ..] => ImageFormat::Png,
        _ => return Err("只能上传 JPG 或 PNG 格式的照片".into()),
    };
    let mut reader = ImageReader::with_format(std::io::Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(12_000);
    limits.max_image_height = Some(12_000);
    limits.max_alloc = Some(256 * 1024 * 1024);
    reader.limits(limits);
    let img = reader.decode().map_err(|_| "照片已损坏或无法识别".to_owned())?;
    let img = if img.width().max(img.height()) > 1200 {
        img.thumbnail(1200, 1200)
    } else {
        img
    };
    let mut out = Vec::new();
    img.to_rgb8()
        .write_to(&mut std::io::Cursor::new(&mut out), ImageFormat::Jpeg)
        .map_err(|_| "照片处理失败".to_owned())?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_pixel(w, h, image::Rgb([200, 30, 30]));
        let mut out = Vec::new();
        img.write_to(&mut std::io::Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn accepts_images_and_refuses_the_rest() {
        let jpeg = sanitize(&png(40, 30)).unwrap();
        assert!(jpeg.starts_with(&[0xFF, 0xD8, 0xFF]));
        assert!(sanitize(b"GIF89a....").is_err());
        assert!(sanitize(b"<svg onload=alert(1)>").is_err());
        assert!(sanitize(&[0x89, b'P', b'N', b'G', 0, 0, 0]).is_err());
        let big = image::load_from_memory(&sanitize(&png(3000, 1500)).unwrap()).unwrap();
        assert_eq!((big.width(), big.height()), (1200, 600));
    }

    #[test]
    fn exif_does_not_survive() {
        // a JPEG with an APP1 "Exif" segment spliced in after SOI
        let mut jpeg = sanitize(&png(20, 20)).unwrap();
        let exif = b"\xFF\xE1\x00\x11Exif\x00\x00GPS-DATA!";
        let mut with_exif = jpeg[..2].to_vec();
        with_exif.extend_from_slice(exif);
        with_exif.extend_from_slice(&jpeg[2..]);
        jpeg = sanitize(&with_exif).unwrap();
        assert!(!jpeg.windows(4).any(|w| w == b"Exif"));
        assert!(!jpeg.windows(8).any(|w| w == b"GPS-DATA"));
    }
}
