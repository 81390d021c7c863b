//! A square matrix of weights in 0..=1 as a tiny bitmap (`data:image/bmp`): one element for a
//! whole attention pattern instead of thousands, allowed by the page's `img-src data:`.

use base64::Engine;

/// White (0) to dark blue (1): a sequential palette that reads in greyscale too.
fn colour(w: f32) -> [u8; 3] {
    let t = w.clamp(0.0, 1.0).sqrt();
    let mix = |a: f32, b: f32| (a + (b - a) * t).round() as u8;
    // Blue, green, red: the order BMP stores.
    [mix(255.0, 110.0), mix(255.0, 48.0), mix(255.0, 8.0)]
}

/// The `size × size` matrix `weights` (row-major, row 0 at the top) as a 24-bit BMP.
pub fn bmp(size: usize, weights: &[f32]) -> Vec<u8> {
    let row = (size * 3).div_ceil(4) * 4;
    let pixels = row * size;
    let mut out = Vec::with_capacity(54 + pixels);
    let u32le = |out: &mut Vec<u8>, v: u32| out.extend_from_slice(&v.to_le_bytes());
    out.extend_from_slice(b"BM");
    u32le(&mut out, (54 + pixels) as u32);
    u32le(&mut out, 0);
    u32le(&mut out, 54);
    u32le(&mut out, 40);
    u32le(&mut out, size as u32);
    // Negative height: rows from the top down.
    u32le(&mut out, (-(size as i32)) as u32);
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&24u16.to_le_bytes());
    for _ in 0..6 {
        u32le(&mut out, 0);
    }
    for r in 0..size {
        let start = out.len();
        for c in 0..size {
            out.extend_from_slice(&colour(weights.get(r * size + c).copied().unwrap_or(0.0)));
        }
        out.resize(start + row, 0);
    }
    out
}

/// [`bmp`] as a `data:` URL.
pub fn data_url(size: usize, weights: &[f32]) -> String {
    format!(
        "data:image/bmp;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(bmp(size, weights))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bitmaps_have_a_header_padded_rows_and_the_palette() {
        let b = bmp(3, &[0.0, 1.0, 0.5, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0]);
        // 3 pixels × 3 bytes = 9, padded to 12 per row.
        assert_eq!(b.len(), 54 + 12 * 3);
        assert_eq!(&b[..2], b"BM");
        assert_eq!(
            u32::from_le_bytes(b[2..6].try_into().unwrap()) as usize,
            b.len()
        );
        assert_eq!(&b[54..57], &[255, 255, 255], "0 is white");
        assert_eq!(&b[57..60], &[110, 48, 8], "1 is dark blue");
        assert_eq!(&b[63..66], &[0, 0, 0], "rows are padded");
        assert!(data_url(1, &[0.3]).starts_with("data:image/bmp;base64,Qk"));
    }
}
