//! A matrix of weights in 0..=1 as a tiny bitmap (`data:image/bmp`): one element for a whole
//! attention pattern instead of thousands, allowed by the page's `img-src data:`.

use base64::Engine;

/// Viridis at nine evenly spaced stops, dark purple (0) to yellow (1): sequential, readable by
/// the common forms of colour blindness and in greyscale (its lightness rises throughout).
const VIRIDIS: [[f32; 3]; 9] = [
    [68.0, 1.0, 84.0],
    [71.0, 44.0, 122.0],
    [59.0, 81.0, 139.0],
    [44.0, 113.0, 142.0],
    [33.0, 144.0, 141.0],
    [39.0, 173.0, 129.0],
    [92.0, 200.0, 99.0],
    [170.0, 220.0, 50.0],
    [253.0, 231.0, 37.0],
];

/// The colour of weight `w` as red, green, blue. The square root spreads the small weights
/// most of a pattern holds.
pub fn colour(w: f32) -> [u8; 3] {
    viridis(w.clamp(0.0, 1.0).sqrt())
}

/// Viridis at `t` in 0..=1 (clamped), linearly: the page's one colour scale.
pub fn viridis(t: f32) -> [u8; 3] {
    let t = t.clamp(0.0, 1.0) * (VIRIDIS.len() - 1) as f32;
    let i = (t.floor() as usize).min(VIRIDIS.len() - 2);
    let f = t - i as f32;
    let (a, b) = (VIRIDIS[i], VIRIDIS[i + 1]);
    [0, 1, 2].map(|c| (a[c] + (b[c] - a[c]) * f).round() as u8)
}

/// `rgb(r, g, b)` of viridis at `t`, for styles.
pub fn viridis_css(t: f32) -> String {
    let [r, g, b] = viridis(t);
    format!("rgb({r}, {g}, {b})")
}

/// Viridis from 0 (left) to 1 (right) as a CSS gradient, for a legend of the scale.
pub fn viridis_gradient() -> String {
    let n = VIRIDIS.len() - 1;
    let stops: Vec<String> = (0..=n)
        .map(|i| format!("{} {}%", viridis_css(i as f32 / n as f32), 100 * i / n))
        .collect();
    format!("linear-gradient(to right, {})", stops.join(", "))
}

/// The `size × size` matrix `weights` (row-major, row 0 at the top) as a 24-bit BMP.
pub fn bmp(size: usize, weights: &[f32]) -> Vec<u8> {
    bmp_rect(size, size, weights)
}

/// The `width × height` matrix `weights` (row-major, row 0 at the top) as a 24-bit BMP.
pub fn bmp_rect(width: usize, height: usize, weights: &[f32]) -> Vec<u8> {
    let row = (width * 3).div_ceil(4) * 4;
    let pixels = row * height;
    let mut out = Vec::with_capacity(54 + pixels);
    let u32le = |out: &mut Vec<u8>, v: u32| out.extend_from_slice(&v.to_le_bytes());
    out.extend_from_slice(b"BM");
    u32le(&mut out, (54 + pixels) as u32);
    u32le(&mut out, 0);
    u32le(&mut out, 54);
    u32le(&mut out, 40);
    u32le(&mut out, width as u32);
    // Negative height: rows from the top down.
    u32le(&mut out, (-(height as i32)) as u32);
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&24u16.to_le_bytes());
    for _ in 0..6 {
        u32le(&mut out, 0);
    }
    for r in 0..height {
        let start = out.len();
        for c in 0..width {
            let [red, green, blue] = colour(weights.get(r * width + c).copied().unwrap_or(0.0));
            // BMP stores blue, green, red.
            out.extend_from_slice(&[blue, green, red]);
        }
        out.resize(start + row, 0);
    }
    out
}

/// [`bmp_rect`] as a `data:` URL.
pub fn rect_data_url(width: usize, height: usize, weights: &[f32]) -> String {
    format!(
        "data:image/bmp;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(bmp_rect(width, height, weights))
    )
}

/// [`bmp`] as a `data:` URL.
pub fn data_url(size: usize, weights: &[f32]) -> String {
    rect_data_url(size, size, weights)
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
        assert_eq!(
            &b[54..57],
            &[84, 1, 68],
            "0 is viridis' dark purple (stored BGR)"
        );
        assert_eq!(&b[57..60], &[37, 231, 253], "1 is viridis' yellow");
        assert_eq!(&b[63..66], &[0, 0, 0], "rows are padded");
        assert!(data_url(1, &[0.3]).starts_with("data:image/bmp;base64,Qk"));
    }

    #[test]
    fn rectangles_keep_their_width_and_height() {
        let b = bmp_rect(2, 3, &[1.0; 6]);
        // 2 pixels × 3 bytes = 6, padded to 8 per row, 3 rows.
        assert_eq!(b.len(), 54 + 8 * 3);
        assert_eq!(i32::from_le_bytes(b[18..22].try_into().unwrap()), 2);
        assert_eq!(i32::from_le_bytes(b[22..26].try_into().unwrap()), -3);
    }

    #[test]
    fn the_legend_runs_through_every_stop_of_the_scale() {
        assert_eq!(viridis(0.0), [68, 1, 84]);
        assert_eq!(viridis(1.0), [253, 231, 37]);
        assert_eq!(viridis(2.0), viridis(1.0), "clamped");
        assert_eq!(
            colour(0.25),
            viridis(0.5),
            "attention maps take the square root"
        );
        let g = viridis_gradient();
        assert!(
            g.starts_with("linear-gradient(to right, rgb(68, 1, 84) 0%"),
            "{g}"
        );
        assert!(g.ends_with("rgb(253, 231, 37) 100%)"), "{g}");
        assert_eq!(g.matches("rgb(").count(), VIRIDIS.len());
    }

    #[test]
    fn the_palette_gets_lighter_as_weights_grow() {
        // Relative luminance rises monotonically: the order reads without hue.
        let lum = |w: f32| {
            let [r, g, b] = colour(w);
            0.2126 * f32::from(r) + 0.7152 * f32::from(g) + 0.0722 * f32::from(b)
        };
        let l: Vec<f32> = (0..=20).map(|i| lum(i as f32 / 20.0)).collect();
        assert!(l.windows(2).all(|p| p[1] > p[0]), "{l:?}");
    }
}
