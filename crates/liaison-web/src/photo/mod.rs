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
        _ => (shrink::decode_png(bytes)?, None),
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

mod shrink;

#[cfg(test)]
mod tests;
