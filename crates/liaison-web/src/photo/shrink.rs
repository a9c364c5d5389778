//! A PNG decoded row by row into a box-filtered image of the stored size, so memory does not grow
//! with the picture's dimensions (`png_factor` picks the box).

use std::io::Cursor;

use image::RgbImage;

use super::{BROKEN, DECODE_BUDGET, png_factor};

/// Decodes a PNG row by row into a box-filtered image (see `png_factor`); transparent pixels are
/// laid on white.
pub(super) fn decode_png(bytes: &[u8]) -> Result<RgbImage, String> {
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
