//! What a ladder of models across sizes is measured by, beside exact match: the share of an
//! answer's characters the model gets right (each given the right ones before it), which moves
//! smoothly where exact match jumps (Schaeffer et al. 2023), and the power law of the training
//! loss against training compute (Kaplan et al. 2020), fitted on the ladder's rungs.

use serde::{Deserialize, Serialize};

/// The share of an answer's characters greedy decoding gets right, each predicted after the
/// right characters before it (teacher forcing): `hits[i]` says whether character `i` was the
/// model's most likely next token. 0 for an empty answer.
pub fn char_accuracy(hits: &[bool]) -> f32 {
    if hits.is_empty() {
        return 0.0;
    }
    hits.iter().filter(|&&h| h).count() as f32 / hits.len() as f32
}

/// Training compute in FLOPs: 6 per parameter per token (a forward and a backward pass; the
/// approximation of Kaplan et al. 2020, attention's own cost left out).
pub fn training_flops(params: u64, tokens: u64) -> f64 {
    6.0 * params as f64 * tokens as f64
}

/// `y = coefficient · x^(−exponent)`, fitted by least squares on `ln y` against `ln x`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PowerLaw {
    pub coefficient: f64,
    /// The power law's exponent: `y` falls as `x^(−exponent)`.
    pub exponent: f64,
    /// The fit's R² in log-log space (1 = every point on the line).
    pub r2: f64,
}

impl PowerLaw {
    /// The fitted value at `x`.
    pub fn at(&self, x: f64) -> f64 {
        self.coefficient * x.powf(-self.exponent)
    }
}

/// Why a power law could not be fitted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FitError {
    #[error("a power law needs positive values; point {0} is not")]
    NotPositive(usize),
    #[error("a power law needs at least two different x values")]
    TooFewPoints,
}

/// Fits `y = a · x^(−b)` to `(x, y)` points (compute and loss, say).
pub fn fit_power_law(points: &[(f64, f64)]) -> Result<PowerLaw, FitError> {
    if let Some(i) = points
        .iter()
        .position(|&(x, y)| !(x > 0.0 && y > 0.0 && x.is_finite() && y.is_finite()))
    {
        return Err(FitError::NotPositive(i));
    }
    if points.len() < 2 {
        return Err(FitError::TooFewPoints);
    }
    let logs: Vec<(f64, f64)> = points.iter().map(|&(x, y)| (x.ln(), y.ln())).collect();
    let n = logs.len() as f64;
    let mean_x = logs.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_y = logs.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = logs.iter().map(|p| (p.0 - mean_x).powi(2)).sum();
    if sxx <= f64::EPSILON {
        return Err(FitError::TooFewPoints);
    }
    let sxy: f64 = logs.iter().map(|p| (p.0 - mean_x) * (p.1 - mean_y)).sum();
    let slope = sxy / sxx;
    let intercept = mean_y - slope * mean_x;
    let ss_tot: f64 = logs.iter().map(|p| (p.1 - mean_y).powi(2)).sum();
    let ss_res: f64 = logs
        .iter()
        .map(|p| (p.1 - (intercept + slope * p.0)).powi(2))
        .sum();
    Ok(PowerLaw {
        coefficient: intercept.exp(),
        exponent: -slope,
        r2: if ss_tot > 0.0 {
            1.0 - ss_res / ss_tot
        } else {
            1.0
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_accuracy_counts_the_characters_right() {
        assert_eq!(char_accuracy(&[true, true, false, true]), 0.75);
        assert_eq!(char_accuracy(&[false, false]), 0.0);
        assert_eq!(char_accuracy(&[]), 0.0);
        // One wrong character of four: exact match is 0, the character accuracy 0.75.
        assert!(char_accuracy(&[true, false, true, true]) > 0.7);
    }

    #[test]
    fn a_power_law_with_a_known_exponent_is_recovered() {
        // Loss = 40 · C^(−0.05) on compute from 1e9 to 1e15, a little noise in log space.
        let wiggle = [0.01, -0.008, 0.004, -0.012, 0.006, 0.0, -0.003];
        let points: Vec<(f64, f64)> = (0..7)
            .map(|i| {
                let c = 10f64.powi(9 + i);
                (c, 40.0 * c.powf(-0.05) * (1.0 + wiggle[i as usize]))
            })
            .collect();
        let fit = fit_power_law(&points).unwrap();
        assert!((fit.exponent - 0.05).abs() < 0.003, "{fit:?}");
        assert!((fit.coefficient / 40.0 - 1.0).abs() < 0.1, "{fit:?}");
        assert!(fit.r2 > 0.95, "{fit:?}");
        let exact = fit_power_law(&[(1.0, 2.0), (10.0, 1.0), (100.0, 0.5)]).unwrap();
        assert!((exact.exponent - 2f64.log10()).abs() < 1e-12);
        assert!((exact.r2 - 1.0).abs() < 1e-12);
        assert!((exact.at(1000.0) - 0.25).abs() < 1e-9);
    }

    #[test]
    fn a_power_law_needs_positive_points_at_two_places() {
        assert_eq!(fit_power_law(&[(1.0, 1.0)]), Err(FitError::TooFewPoints));
        assert_eq!(
            fit_power_law(&[(5.0, 1.0), (5.0, 2.0)]),
            Err(FitError::TooFewPoints)
        );
        assert_eq!(
            fit_power_law(&[(1.0, 1.0), (0.0, 1.0)]),
            Err(FitError::NotPositive(1))
        );
        assert_eq!(
            fit_power_law(&[(1.0, f64::NAN), (2.0, 1.0)]),
            Err(FitError::NotPositive(0))
        );
        assert_eq!(fit_power_law(&[]), Err(FitError::TooFewPoints));
    }

    #[test]
    fn training_compute_is_six_flops_per_parameter_and_token() {
        assert_eq!(training_flops(1_000_000, 135_000_000), 8.1e14);
    }
}
