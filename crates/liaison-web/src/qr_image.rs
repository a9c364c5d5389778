//! QR images of a URL: SVG (scales for print) and PNG (for chat apps and office software).

use qrcode::{EcLevel, QrCode};

use crate::WebError;

fn code(url: &str) -> Result<QrCode, WebError> {
    // level M survives a creased or partly dirty print
    QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M)
        .map_err(|e| WebError::Internal(e.to_string()))
}

pub fn svg(url: &str) -> Result<String, WebError> {
    Ok(code(url)?
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build())
}

/// A greyscale PNG, `scale` pixels per module, with the standard 4-module quiet zone.
pub fn png(url: &str, scale: usize) -> Result<Vec<u8>, WebError> {
    let qr = code(url)?;
    let n = qr.width();
    let colors = qr.to_colors();
    let quiet = 4;
    let side = (n + 2 * quiet) * scale;
    let mut pixels = vec![255u8; side * side];
    for (i, c) in colors.iter().enumerate() {
        if *c == qrcode::Color::Dark {
            let (mx, my) = (i % n + quiet, i / n + quiet);
            for y in my * scale..(my + 1) * scale {
                pixels[y * side + mx * scale..y * side + (mx + 1) * scale].fill(0);
            }
        }
    }
    let mut out = Vec::new();
    {
        let side32 = u32::try_from(side).map_err(|_| WebError::Internal("QR too large".into()))?;
        let mut enc = png::Encoder::new(&mut out, side32, side32);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc
            .write_header()
            .map_err(|e| WebError::Internal(e.to_string()))?;
        w.write_image_data(&pixels)
            .map_err(|e| WebError::Internal(e.to_string()))?;
    }
    Ok(out)
}
