//! Photo checks and decoding: unit tests.

use super::*;

fn encode(img: DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), format).unwrap();
    out
}

fn png(w: u32, h: u32) -> Vec<u8> {
    encode(
        DynamicImage::ImageRgb8(RgbImage::from_pixel(w, h, image::Rgb([200, 30, 30]))),
        ImageFormat::Png,
    )
}

/// A PNG whose header claims `w` × `h` and whose data is cut off after the header.
fn png_header_only(w: u32, h: u32) -> Vec<u8> {
    let mut bytes = png(8, 8);
    bytes[16..20].copy_from_slice(&w.to_be_bytes());
    bytes[20..24].copy_from_slice(&h.to_be_bytes());
    bytes.truncate(33);
    bytes
}

/// A baseline YCbCr 4:2:0 JPEG of `w` × `h` whose every block is flat grey: a few bits a block,
/// so a huge image fits in a small file (a decompression bomb).
pub(crate) fn flat_jpeg(w: u16, h: u16) -> Vec<u8> {
    fn seg(out: &mut Vec<u8>, marker: u8, payload: &[u8]) {
        out.extend([0xFF, marker]);
        out.extend(((payload.len() + 2) as u16).to_be_bytes());
        out.extend(payload);
    }
    let mut out = vec![0xFF, 0xD8];
    let mut dqt = vec![0u8];
    dqt.extend([1u8; 64]);
    seg(&mut out, 0xDB, &dqt);
    let mut sof = vec![8];
    sof.extend(h.to_be_bytes());
    sof.extend(w.to_be_bytes());
    sof.extend([3, 1, 0x22, 0, 2, 0x11, 0, 3, 0x11, 0]);
    seg(&mut out, 0xC0, &sof);
    // one table each for DC and AC: symbol 0 is the 1-bit code "0"
    for class in [0x00u8, 0x10] {
        let mut dht = vec![class, 1];
        dht.extend([0u8; 15]);
        dht.push(0);
        seg(&mut out, 0xC4, &dht);
    }
    seg(&mut out, 0xDA, &[3, 1, 0, 2, 0, 3, 0, 0, 63, 0]);
    let blocks = usize::from(w).div_ceil(16) * usize::from(h).div_ceil(16) * 6;
    out.extend(vec![0u8; (blocks * 2).div_ceil(8)]);
    out.extend([0xFF, 0xD9]);
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
    let from_jpeg = encode(
        DynamicImage::ImageRgb8(RgbImage::from_pixel(2600, 1300, image::Rgb([10, 200, 90]))),
        ImageFormat::Jpeg,
    );
    let small = image::load_from_memory(&sanitize(&from_jpeg).unwrap()).unwrap();
    assert_eq!((small.width(), small.height()), (1200, 600));
    let px = small.to_rgb8().get_pixel(600, 300).0;
    assert!(
        px[1] > 150 && px[0] < 60,
        "colours survive the scaled decode: {px:?}"
    );
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

#[test]
fn a_9000_px_square_png_is_refused_from_its_header() {
    // the header alone: there is nothing to decode, so the refusal cannot come from decoding
    let bomb = png_header_only(9000, 9000);
    let err = sanitize(&bomb).unwrap_err();
    assert!(err.contains("像素过多"), "{err}");
    let err = sanitize(&flat_jpeg(9000, 9000)[..200]).unwrap_err();
    assert!(err.contains("像素过多"), "{err}");
    // a 50 MP phone photo's dimensions pass
    assert!(inspect(&png_header_only(8160, 6120)).is_ok());
    let wide = inspect(&flat_jpeg(8160, 6120)).unwrap();
    assert_eq!((wide.width, wide.height), (8160, 6120));
}

#[test]
fn a_large_photo_decodes_within_the_budget() {
    // 48 MP: a full decode to RGB would be 144 MB; scaled, the estimate is a fraction of the budget
    let h = inspect(&flat_jpeg(8000, 6000)).unwrap();
    assert!(h.decode_bytes < 32 * 1024 * 1024, "{}", h.decode_bytes);
    let h = inspect(&png_header_only(8000, 6000)).unwrap();
    assert!(h.decode_bytes < 32 * 1024 * 1024, "{}", h.decode_bytes);
    assert_eq!(jpeg_scale(8000, 6000), 2, "1/4 scale: 2000 × 1500");
    assert_eq!(jpeg_scale(4000, 3000), 4, "1/2 scale: 2000 × 1500");
    assert_eq!(jpeg_scale(1000, 800), 8, "full size");
    let out = sanitize(&flat_jpeg(4000, 3000)).unwrap();
    let out = image::load_from_memory(&out).unwrap();
    assert_eq!((out.width(), out.height()), (1200, 900));
}

#[test]
fn progressive_jpegs_count_their_coefficients() {
    let mut jpeg = flat_jpeg(6000, 4000);
    let sof = jpeg.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    jpeg[sof + 1] = 0xC2;
    let err = inspect(&jpeg).unwrap_err();
    assert!(
        err.contains("像素过多"),
        "24 MP progressive keeps 72 MB of coefficients: {err}"
    );
}

/// An Adam7-interlaced RGBA PNG (the encoder writes none), its data in stored deflate blocks.
fn interlaced_png(img: &image::RgbaImage) -> Vec<u8> {
    fn crc(data: &[u8]) -> u32 {
        let mut c = 0xFFFF_FFFFu32;
        for &b in data {
            c ^= u32::from(b);
            for _ in 0..8 {
                c = if c & 1 == 1 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
        }
        !c
    }
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend((data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend(data);
        out.extend(&body);
        out.extend(crc(&body).to_be_bytes());
    }
    let (w, h) = img.dimensions();
    let mut raw = Vec::new();
    for (sx, sy, dx, dy) in [
        (0, 0, 8, 8),
        (4, 0, 8, 8),
        (0, 4, 4, 8),
        (2, 0, 4, 4),
        (0, 2, 2, 4),
        (1, 0, 2, 2),
        (0, 1, 1, 2),
    ] {
        if w <= sx || h <= sy {
            continue;
        }
        for y in (sy..h).step_by(dy as usize) {
            raw.push(0);
            for x in (sx..w).step_by(dx as usize) {
                raw.extend(img.get_pixel(x, y).0);
            }
        }
    }
    let mut z = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = raw.chunks(65535).collect();
    for (i, b) in blocks.iter().enumerate() {
        z.push(u8::from(i + 1 == blocks.len()));
        z.extend((b.len() as u16).to_le_bytes());
        z.extend((!(b.len() as u16)).to_le_bytes());
        z.extend(*b);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &x in &raw {
        a = (a + u32::from(x)) % 65521;
        b = (b + a) % 65521;
    }
    z.extend(((b << 16) | a).to_be_bytes());
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = w.to_be_bytes().to_vec();
    ihdr.extend(h.to_be_bytes());
    ihdr.extend([8, 6, 0, 0, 1]);
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &z);
    chunk(&mut out, b"IEND", &[]);
    out
}

#[test]
fn png_rows_are_boxed_to_size_and_alpha_laid_on_white() {
    // left half transparent, right half blue
    let half = |w: u32, h: u32| {
        image::RgbaImage::from_fn(w, h, |x, _| {
            if x < w / 2 {
                image::Rgba([0, 0, 0, 0])
            } else {
                image::Rgba([0, 0, 255, 255])
            }
        })
    };
    let img = half(2500, 1250);
    let mut bytes = Vec::new();
    let mut enc = png::Encoder::new(&mut bytes, 2500, 1250);
    enc.set_color(png::ColorType::Rgba);
    enc.set_depth(png::BitDepth::Eight);
    let mut w = enc.write_header().unwrap();
    w.write_image_data(img.as_raw()).unwrap();
    w.finish().unwrap();
    let interlaced = interlaced_png(&half(1300, 650));
    for (bytes, size) in [(bytes, (1200, 600)), (interlaced, (650, 325))] {
        let out = image::load_from_memory(&sanitize(&bytes).unwrap())
            .unwrap()
            .to_rgb8();
        assert_eq!(out.dimensions(), size);
        let (w, h) = size;
        let left = out.get_pixel(w / 10, h / 2).0;
        let right = out.get_pixel(w - w / 10, h / 2).0;
        assert!(left.iter().all(|c| *c > 240), "transparent is white: {left:?}");
        assert!(right[2] > 200 && right[0] < 40, "blue stays blue: {right:?}");
    }
}
