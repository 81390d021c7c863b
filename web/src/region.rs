//! The attention heatmap's arithmetic, apart from drawing: one head's (or a layer's mean)
//! `T × T` pattern out of an explanation, the zoomed region of it, which cell a point of the
//! drawing falls on, and how sparsely the axes can be labelled.

use std::ops::Range;

use crate::protocol::Explanation;

/// A rectangle of a square matrix: rows (destinations) and columns (sources), ends exclusive.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Region {
    pub rows: Range<usize>,
    pub cols: Range<usize>,
}

impl Region {
    /// The whole `n × n` matrix.
    pub fn full(n: usize) -> Region {
        Region {
            rows: 0..n,
            cols: 0..n,
        }
    }

    /// The smallest region holding the cells `a` and `b` (`(row, column)`, both included).
    pub fn spanning(a: (usize, usize), b: (usize, usize)) -> Region {
        Region {
            rows: a.0.min(b.0)..a.0.max(b.0) + 1,
            cols: a.1.min(b.1)..a.1.max(b.1) + 1,
        }
    }

    /// This region if it lies inside an `n × n` matrix and is not empty, else the whole one
    /// (a zoom kept from a longer prompt).
    pub fn within(&self, n: usize) -> Region {
        if self.rows.is_empty() || self.cols.is_empty() || self.rows.end > n || self.cols.end > n {
            Region::full(n)
        } else {
            self.clone()
        }
    }

    pub fn is_full(&self, n: usize) -> bool {
        *self == Region::full(n)
    }

    /// The cell `(row, column)` under the point at fractions `fx`, `fy` (0..1) of the drawing's
    /// width and height, clamped to the region.
    pub fn cell_at(&self, fx: f64, fy: f64) -> (usize, usize) {
        let pick = |r: &Range<usize>, f: f64| {
            let i = (f.clamp(0.0, 1.0) * r.len() as f64).floor() as usize;
            r.start + i.min(r.len().saturating_sub(1))
        };
        (pick(&self.rows, fy), pick(&self.cols, fx))
    }

    /// The region's part of the `n × n` row-major matrix `m`, row-major.
    pub fn cut(&self, n: usize, m: &[f32]) -> Vec<f32> {
        self.rows
            .clone()
            .flat_map(|r| self.cols.clone().map(move |c| r * n + c))
            .map(|i| m.get(i).copied().unwrap_or(0.0))
            .collect()
    }
}

/// The `n × n` pattern of `head` in `layer` (row: the position attending; column: the position
/// attended to), or the mean over the layer's heads when `head` is `None`.
pub fn pattern(x: &Explanation, layer: usize, head: Option<usize>) -> Vec<f32> {
    pattern_of(&x.attention, x.chars.len(), x.heads, layer, head)
}

/// [`pattern`] of `attention`, `[layer][head][query][key]` flattened, over `n` positions.
fn pattern_of(
    attention: &[f32],
    n: usize,
    heads_per_layer: usize,
    layer: usize,
    head: Option<usize>,
) -> Vec<f32> {
    let heads: Vec<usize> = match head {
        Some(h) if h < heads_per_layer => vec![h],
        _ => (0..heads_per_layer).collect(),
    };
    let mut out = vec![0.0f32; n * n];
    for &h in &heads {
        let start = (layer * heads_per_layer + h) * n * n;
        if let Some(m) = attention.get(start..start + n * n) {
            for (o, w) in out.iter_mut().zip(m) {
                *o += w / heads.len() as f32;
            }
        }
    }
    out
}

/// Every how many positions an axis of `count` positions drawn `pixels` long can carry a
/// label at least `min_px` apart.
pub fn label_stride(count: usize, pixels: f64, min_px: f64) -> usize {
    if count == 0 || pixels <= 0.0 {
        return 1;
    }
    let cell = pixels / count as f64;
    (min_px / cell).ceil().max(1.0) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_drag_spans_the_cells_in_any_direction() {
        let r = Region::spanning((5, 9), (2, 3));
        assert_eq!(r.rows, 2..6);
        assert_eq!(r.cols, 3..10);
        assert_eq!(Region::spanning((4, 4), (4, 4)).rows.len(), 1);
    }

    #[test]
    fn points_map_to_cells_of_the_region_and_clamp() {
        let r = Region {
            rows: 10..20,
            cols: 0..4,
        };
        assert_eq!(r.cell_at(0.0, 0.0), (10, 0));
        assert_eq!(r.cell_at(0.99, 0.51), (15, 3));
        assert_eq!(
            r.cell_at(1.0, 1.0),
            (19, 3),
            "the far edge is the last cell"
        );
        assert_eq!(r.cell_at(-3.0, 7.0), (19, 0));
    }

    #[test]
    fn cutting_keeps_the_region_row_by_row() {
        let m: Vec<f32> = (0..16).map(|i| i as f32).collect();
        let r = Region {
            rows: 1..3,
            cols: 2..4,
        };
        assert_eq!(r.cut(4, &m), vec![6.0, 7.0, 10.0, 11.0]);
        assert_eq!(Region::full(4).cut(4, &m), m);
    }

    #[test]
    fn a_zoom_that_no_longer_fits_falls_back_to_the_whole() {
        let r = Region {
            rows: 10..30,
            cols: 5..8,
        };
        assert_eq!(r.within(40), r);
        assert_eq!(r.within(20), Region::full(20));
        assert!(Region::full(7).is_full(7));
    }

    #[test]
    fn labels_thin_out_on_long_axes() {
        assert_eq!(label_stride(16, 480.0, 10.0), 1);
        assert_eq!(label_stride(256, 480.0, 10.0), 6);
        assert_eq!(label_stride(0, 480.0, 10.0), 1);
    }

    #[test]
    fn a_layer_mean_averages_its_heads() {
        // Two positions, two heads: head 0 looks at position 0, head 1 at the position itself.
        let a = [1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 1.0];
        assert_eq!(pattern_of(&a, 2, 2, 0, Some(1)), vec![1.0, 0.0, 0.0, 1.0]);
        assert_eq!(pattern_of(&a, 2, 2, 0, None), vec![1.0, 0.0, 0.5, 0.5]);
        assert_eq!(pattern_of(&a, 2, 2, 1, None), vec![0.0; 4], "no such layer");
    }
}
