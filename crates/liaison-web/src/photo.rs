//! Uploaded photos: the type is read from the content (JPEG or PNG only), the size and the pixel count
//! are checked from the file's header before anything is decoded, and the image is decoded straight
//! to a small size and re-encoded as JPEG, which drops EXIF (GPS, device) and any trailing data. The
//! stored photo is at most 1200 px on the long side (EXIF orientation applied first).
//!
//! Memory per decode is bounded whatever the dimensions: a JPEG is decoded at 1/2, 1/4 or 1/8 scale
//! (DCT scaling: the output is at least 1200 px and under 2400 px on its long side), a PNG row by row
//! into a box-filtered image of that size. What a decode would allocate is estimated from the header
//! and refused above `DECODE_BUDGET`; at most `decodes_at_once()` decodes run at a time. Limits and
//! why: docs/ARCHITECTURE.md, "Upload limits".

use std::io::Cursor;
use std::sync::{Arc, LazyLock};

use axum::body::Bytes;
use image::metadata::Orientation;
use image::{DynamicImage, ImageFormat, RgbImage};
use tokio::sync::Semaphore;

/// Largest photo file accepted (a phone photo is 2–12 MB).
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// Most pixels accepted: 50 MP phone cameras (8160 × 6120, 8192 × 6144) and no more.
pub const MAX_PIXELS: u64 = 52_000_000;
/// Longest side accepted (phone panoramas).
pub const MAX_SIDE: u32 = 20_000;
/// The stored photo's longest side.
pub const OUT_SIDE: u32 = 1200;
/// What one decode may allocate, estimated from the header before decoding.
pub const DECODE_BUDGET: usize = 64 * 1024 * 1024;

pub const TOO_BIG: &str = "照片不能超过 10 MB";
const WRONG_TYPE: &str = "只能上传 JPG 或 PNG 格式的照片";
const TOO_MANY_PIXELS: &str = "照片像素过多（最多 5200 万像素），请缩小后再上传";
const BROKEN: &str = "照片已损坏或无法识别";
const FAILED: &str = "照片处理失败，请稍后重试";

/// How many photos are decoded at once: one per core, at most four (each may use `DECODE_BUDGET`).
pub fn decodes_at_once() -> usize {
    std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, 4)
}

static DECODES: LazyLock<Arc<Semaphore>> = LazyLock::new(|| Arc::new(Semaphore::new(decodes_at_once())));

/// `sanitize` off the async threads, at most `decodes_at_once()` at a time. The header checks run
/// first, so a refused file never waits for (or takes) a decode slot. The slot is held by the
/// decoding thread itself: a client that goes away does not free it before the decode ends.
pub async fn sanitize_bounded(bytes: Bytes) -> Result<Vec<u8>, String> {
    inspect(&bytes)?;
    let permit = DECODES
        .clone()
        .acquire_owned()
        .await
        .map_err(|_| FAILED.to_owned())?;
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        sanitize(&bytes)
    })
    .await
    .map_err(|_| FAILED.to_owned())?
}

/// Checks, decodes (bounded) and re-encodes one photo; the error is a Chinese message.
pub fn sanitize(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let header = inspect(bytes)?;
    let (img, orientation) = match header.format {
        ImageFormat::Jpeg => decode_jpeg(bytes, &header)?,
        _ => (decode_png(bytes)?, None),
    };
    let mut img = DynamicImage::ImageRgb8(img);
    if img.width().max(img.height()) > OUT_SIDE {
        img = img.thumbnail(OUT_SIDE, OUT_SIDE);
    }
    if let Some(o) = orientation {
        img.apply_orientation(o);
    }
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), ImageFormat::Jpeg)
        .map_err(|_| FAILED.to_owned())?;
    Ok(out)
}

/// What the header says, read without decoding any pixels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub format: ImageFormat,
    pub width: u32,
    pub height: u32,
    /// What decoding it would allocate at most (bytes).
    pub decode_bytes: usize,
}

/// The size, type, dimensions and decode cost of a photo, from its first bytes; refuses what is
/// too large before anything is decoded.
pub fn inspect(bytes: &[u8]) -> Result<Header, String> {
    if bytes.len() > MAX_BYTES {
        return Err(TOO_BIG.into());
    }
    let header = match bytes {
        [0xFF, 0xD8, 0xFF, ..] => jpeg_header(bytes)?,
        [0x89, b'P', b'N', b'G', ..] => png_header(bytes)?,
        _ => return Err(WRONG_TYPE.into()),
    };
    if header.width == 0 || header.height == 0 {
        return Err(BROKEN.into());
    }
    if header.width > MAX_SIDE
        || header.height > MAX_SIDE
        || u64::from(header.width) * u64::from(header.height) > MAX_PIXELS
        || header.decode_bytes > DECODE_BUDGET
    {
        return Err(TOO_MANY_PIXELS.into());
    }
    Ok(header)
}

/// A JPEG frame header (SOFn): dimensions, coding, and each component's sampling factors.
struct Frame {
    width: u32,
    height: u32,
    progressive: bool,
    lossless: bool,
    sampling: Vec<(u32, u32)>,
}

fn read_frame(bytes: &[u8]) -> Option<Frame> {
    let mut i = 2;
    loop {
        // markers may be preceded by fill bytes (0xFF)
        while *bytes.get(i)? == 0xFF && *bytes.get(i + 1)? == 0xFF {
            i += 1;
        }
        if *bytes.get(i)? != 0xFF {
            return None;
        }
        let marker = *bytes.get(i + 1)?;
        i += 2;
        if (0xD0..=0xD7).contains(&marker) || marker == 0x01 {
            continue;
        }
        let len = usize::from(u16::from_be_bytes([*bytes.get(i)?, *bytes.get(i + 1)?]));
        let seg = bytes.get(i + 2..i + len)?;
        match marker {
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                let height = u32::from(u16::from_be_bytes([*seg.get(1)?, *seg.get(2)?]));
                let width = u32::from(u16::from_be_bytes([*seg.get(3)?, *seg.get(4)?]));
                let n = usize::from(*seg.get(5)?);
                let sampling = (0..n)
                    .map(|c| {
                        let f = *seg.get(6 + c * 3 + 1)?;
                        Some((u32::from(f >> 4).max(1), u32::from(f & 15).max(1)))
                    })
                    .collect::<Option<Vec<_>>>()?;
                return Some(Frame {
                    width,
                    height,
                    progressive: matches!(marker, 0xC2 | 0xC6 | 0xCA | 0xCE),
                    lossless: matches!(marker, 0xC3 | 0xC7 | 0xCB | 0xCF),
                    sampling,
                });
            }
            0xDA | 0xD9 => return None,
            _ => i += len,
        }
    }
}

/// The DCT scale (in eighths) the decoder picks for a 1200 px request: the smallest whose output
/// reaches 1200 px on one side (the same rule as `jpeg_decoder::Decoder::scale`).
fn jpeg_scale(width: u32, height: u32) -> u32 {
    let scaled = |len: u32, s: u32| (len * s).div_ceil(8);
    [1, 2, 4]
        .into_iter()
        .find(|&s| scaled(width, s) >= OUT_SIDE || scaled(height, s) >= OUT_SIDE)
        .unwrap_or(8)
}

fn jpeg_header(bytes: &[u8]) -> Result<Header, String> {
    let f = read_frame(bytes).ok_or(BROKEN)?;
    let (w, h) = (f.width as usize, f.height as usize);
    let comps = f.sampling.len().max(1);
    let hmax = f.sampling.iter().map(|s| s.0).max().unwrap_or(1) as usize;
    let vmax = f.sampling.iter().map(|s| s.1).max().unwrap_or(1) as usize;
    let (mcu_x, mcu_y) = (w.div_ceil(8 * hmax), h.div_ceil(8 * vmax));
    // blocks per component, as the decoder lays them out (whole MCUs)
    let blocks: usize = f
        .sampling
        .iter()
        .map(|&(hs, vs)| mcu_x * hs as usize * mcu_y * vs as usize)
        .sum();
    let decode_bytes = if f.lossless {
        // no DCT, so no scaling: full-size planes and output
        w * h * comps * 4
    } else {
        let s = jpeg_scale(f.width, f.height) as usize;
        let (ow, oh) = ((w * s).div_ceil(8), (h * s).div_ceil(8));
        // the component planes at the output scale, the decoder's output, its RGB copy, the 1200 px copy
        let planes = blocks * s * s;
        let output = ow * oh * comps.max(3) * 2;
        let thumbnail = (OUT_SIDE * OUT_SIDE * 3) as usize;
        // a progressive JPEG keeps every coefficient until its last scan (2 bytes each)
        let coefficients = if f.progressive { blocks * 64 * 2 } else { 0 };
        planes + output + thumbnail + coefficients
    };
    Ok(Header {
        format: ImageFormat::Jpeg,
        width: f.width,
        height: f.height,
        decode_bytes,
    })
}

fn png_header(bytes: &[u8]) -> Result<Header, String> {
    // the IHDR chunk comes first: 8-byte signature, length, "IHDR", width, height, depth, colour, …, interlace
    let ihdr = bytes.get(8..29).ok_or(BROKEN)?;
    if &ihdr[4..8] != b"IHDR" {
        return Err(BROKEN.into());
    }
    let width = u32::from_be_bytes([ihdr[8], ihdr[9], ihdr[10], ihdr[11]]);
    let height = u32::from_be_bytes([ihdr[12], ihdr[13], ihdr[14], ihdr[15]]);
    let interlaced = ihdr[20] != 0;
    let k = png_factor(width, height, interlaced);
    let (ow, oh) = (width.div_ceil(k) as usize, height.div_ceil(k) as usize);
    // the output, its accumulator (a band of one output row, or the whole image when interlaced),
    // the decoder's rows (up to 8 bytes a pixel, current and previous)
    let acc = if interlaced { ow * oh * 12 } else { ow * 12 };
    let decode_bytes = ow * oh * 3 + acc + width as usize * 16 + (OUT_SIDE * OUT_SIDE * 3) as usize;
    Ok(Header {
        format: ImageFormat::Png,
        width,
        height,
        decode_bytes,
    })
}

/// The box filter's factor for a PNG: the output is at least 1200 px on its long side (under 2400),
/// then resampled; an interlaced PNG, whose rows come in seven passes, is boxed straight to 1200 px or
/// less (its accumulator covers the whole output).
fn png_factor(width: u32, height: u32, interlaced: bool) -> u32 {
    let long = width.max(height);
    if long <= OUT_SIDE {
        1
    } else if interlaced {
        long.div_ceil(OUT_SIDE)
    } else {
        long / OUT_SIDE
    }
}

fn decode_jpeg(bytes: &[u8], header: &Header) -> Result<(RgbImage, Option<Orientation>), String> {
    use jpeg_decoder::PixelFormat;
    let mut d = jpeg_decoder::Decoder::new(bytes);
    d.read_info().map_err(|_| BROKEN.to_owned())?;
    let info = d.info().ok_or(BROKEN)?;
    if (u32::from(info.width), u32::from(info.height)) != (header.width, header.height) {
        return Err(BROKEN.into());
    }
    let (w, h) = d
        .scale(OUT_SIDE as u16, OUT_SIDE as u16)
        .map_err(|_| BROKEN.to_owned())?;
    let (w, h) = (u32::from(w), u32::from(h));
    let px = d.decode().map_err(|_| BROKEN.to_owned())?;
    let orientation = d.exif_data().and_then(Orientation::from_exif_chunk);
    let rgb = match info.pixel_format {
        PixelFormat::RGB24 => px,
        PixelFormat::L8 => px.iter().flat_map(|&g| [g, g, g]).collect(),
        PixelFormat::L16 => px
            .chunks_exact(2)
            .flat_map(|v| {
                let g = u16::from_ne_bytes([v[0], v[1]]).to_be_bytes()[0];
                [g, g, g]
            })
            .collect(),
        PixelFormat::CMYK32 => px
            .chunks_exact(4)
            .flat_map(|p| {
                let k = 255 - u16::from(p[3]);
                let ch = |c: u8| ((255 - u16::from(c)) * k / 255) as u8;
                [ch(p[0]), ch(p[1]), ch(p[2])]
            })
            .collect(),
    };
    let img = RgbImage::from_raw(w, h, rgb).ok_or(BROKEN)?;
    Ok((img, orientation))
}

/// Decodes a PNG row by row into a box-filtered image (see `png_factor`); transparent pixels are
/// laid on white.
fn decode_png(bytes: &[u8]) -> Result<RgbImage, String> {
    let mut dec = png::Decoder::new_with_limits(Cursor::new(bytes), png::Limits { bytes: DECODE_BUDGET });
    dec.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = dec.read_info().map_err(|_| BROKEN.to_owned())?;
    let (width, height, interlaced) = {
        let i = reader.info();
        (i.width, i.height, i.interlaced)
    };
    let channels = reader.output_color_type().0.samples();
    let k = png_factor(width, height, interlaced);
    let mut shrink = Shrink::new(width, height, k, interlaced);
    // Adam7: pass by pass, (x start, y start, x step, y step); passes without pixels are skipped
    const ADAM7: [(u32, u32, u32, u32); 7] = [
        (0, 0, 8, 8),
        (4, 0, 8, 8),
        (0, 4, 4, 8),
        (2, 0, 4, 4),
        (0, 2, 2, 4),
        (1, 0, 2, 2),
        (0, 1, 1, 2),
    ];
    let lines: Vec<(u32, u32, u32)> = if interlaced {
        ADAM7
            .iter()
            .filter(|(sx, sy, _, _)| width > *sx && height > *sy)
            .flat_map(|&(sx, sy, dx, dy)| (0..(height - sy).div_ceil(dy)).map(move |l| (sx, sy + l * dy, dx)))
            .collect()
    } else {
        vec![]
    };
    let mut n = 0u32;
    while let Some(row) = reader.next_row().map_err(|_| BROKEN.to_owned())? {
        let (x0, y, dx) = if interlaced {
            *lines.get(n as usize).ok_or(BROKEN)?
        } else {
            (0, n, 1)
        };
        shrink.add(x0, dx, y, row.data(), channels);
        n += 1;
    }
    Ok(shrink.finish())
}

/// A box filter fed one row at a time: each output pixel is the mean of a k × k block.
struct Shrink {
    w: u32,
    h: u32,
    k: u32,
    ow: u32,
    /// Sums per output pixel and channel: one output row (`band`), or all of them (`full`).
    acc: Vec<u32>,
    full: bool,
    band: Option<u32>,
    out: Vec<u8>,
}

impl Shrink {
    fn new(w: u32, h: u32, k: u32, full: bool) -> Shrink {
        let (ow, oh) = (w.div_ceil(k), h.div_ceil(k));
        let rows = if full { oh } else { 1 };
        Shrink {
            w,
            h,
            k,
            ow,
            acc: vec![0; (ow * rows * 3) as usize],
            full,
            band: None,
            out: vec![0; (ow * oh * 3) as usize],
        }
    }

    fn add(&mut self, x0: u32, dx: u32, y: u32, data: &[u8], channels: usize) {
        if y >= self.h {
            return;
        }
        let oy = y / self.k;
        if !self.full && self.band != Some(oy) {
            if let Some(b) = self.band {
                self.flush(b, 0);
            }
            self.band = Some(oy);
        }
        let base = if self.full { (oy * self.ow * 3) as usize } else { 0 };
        for (i, p) in data.chunks_exact(channels).enumerate() {
            let x = x0 + i as u32 * dx;
            if x >= self.w {
                break;
            }
            let rgb = match *p {
                [g] => [g, g, g],
                [g, a] => [on_white(g, a); 3],
                [r, g, b] => [r, g, b],
                [r, g, b, a] => [on_white(r, a), on_white(g, a), on_white(b, a)],
                _ => [255; 3],
            };
            let o = base + (x / self.k * 3) as usize;
            for (sum, v) in self.acc[o..o + 3].iter_mut().zip(rgb) {
                *sum += u32::from(v);
            }
        }
    }

    /// Writes output row `oy` from the accumulator starting at `from`, and clears it.
    fn flush(&mut self, oy: u32, from: usize) {
        let kh = self.k.min(self.h - oy * self.k);
        for ox in 0..self.ow {
            let count = self.k.min(self.w - ox * self.k) * kh;
            for c in 0..3 {
                let a = from + (ox * 3) as usize + c;
                let o = ((oy * self.ow + ox) * 3) as usize + c;
                self.out[o] = ((self.acc[a] + count / 2) / count) as u8;
                self.acc[a] = 0;
            }
        }
    }

    fn finish(mut self) -> RgbImage {
        if self.full {
            for oy in 0..self.h.div_ceil(self.k) {
                self.flush(oy, (oy * self.ow * 3) as usize);
            }
        } else if let Some(b) = self.band {
            self.flush(b, 0);
        }
        let (ow, oh) = (self.ow, self.h.div_ceil(self.k));
        RgbImage::from_raw(ow, oh, self.out).unwrap_or_default()
    }
}

fn on_white(c: u8, a: u8) -> u8 {
    ((u32::from(c) * u32::from(a) + 255 * (255 - u32::from(a)) + 127) / 255) as u8
}

#[cfg(test)]
mod tests {
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
}
