//! Tests of the patched burn-flex's element-wise kernels (`vendor/README.md`): on wasm32 its
//! `exp`, softmax and GELU run a branch-free exponential and error function, so these check
//! them, and GELU's gradient, against f64 references, natively and in the browser.

use burn::tensor::activation::{gelu, log_softmax, softmax};
use burn::tensor::{Device, Tensor};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use crate::net::tensors::to_vec;

/// 4,001 points from -40 to 40, where softmax and the loss take their exponentials.
fn points() -> Vec<f32> {
    (-2000..=2000).map(|i| i as f32 / 50.0).collect()
}

fn gelu_f64(x: f64) -> f64 {
    0.5 * x * (1.0 + libm::erf(x / std::f64::consts::SQRT_2))
}

#[test]
fn exp_is_within_a_millionth_relative() {
    let xs = points();
    let got = to_vec(Tensor::<1>::from_floats(xs.as_slice(), &Device::flex()).exp());
    for (&x, &e) in xs.iter().zip(&got) {
        let want = f64::from(x).exp();
        assert!(
            ((f64::from(e) - want) / want).abs() < 1e-6,
            "exp({x}) = {e}, not {want}"
        );
    }
    let edges = [f32::NEG_INFINITY, -200.0, 0.0, 200.0];
    let got = to_vec(Tensor::<1>::from_floats(edges, &Device::flex()).exp());
    assert_eq!(got[..3], [0.0, 0.0, 1.0]);
    assert_eq!(got[3], f32::INFINITY);
}

#[test]
fn softmax_and_log_softmax_match_f64_with_masked_scores() {
    // Rows of 64 scores (a causal attention row: the future masked with -inf or -1e9).
    let rows: Vec<Vec<f32>> = (0..16)
        .map(|r| {
            (0..64)
                .map(|c| match c {
                    c if c > 40 + r => f32::NEG_INFINITY,
                    c if c > 32 + r => -1e9,
                    c => ((c * 7 + r * 13) % 29) as f32 * 0.7 - 9.0,
                })
                .collect()
        })
        .collect();
    let flat: Vec<f32> = rows.concat();
    let t = Tensor::<1>::from_floats(flat.as_slice(), &Device::flex()).reshape([16, 64]);
    let (p, lp) = (to_vec(softmax(t.clone(), 1)), to_vec(log_softmax(t, 1)));
    for (r, row) in rows.iter().enumerate() {
        let max = row
            .iter()
            .fold(f64::NEG_INFINITY, |m, &x| m.max(f64::from(x)));
        let sum: f64 = row.iter().map(|&x| (f64::from(x) - max).exp()).sum();
        for (c, &x) in row.iter().enumerate() {
            let want = (f64::from(x) - max).exp() / sum;
            let got = f64::from(p[r * 64 + c]);
            assert!(
                (got - want).abs() < 1e-6,
                "softmax row {r} col {c}: {got} vs {want}"
            );
            if want > 1e-30 {
                let lwant = f64::from(x) - max - sum.ln();
                let lgot = f64::from(lp[r * 64 + c]);
                assert!((lgot - lwant).abs() < 1e-5, "log_softmax row {r} col {c}");
            }
        }
    }
}

#[test]
fn gelu_and_its_gradient_match_f64() {
    let xs: Vec<f32> = points().into_iter().map(|x| x / 4.0).collect();
    let got = to_vec(gelu(Tensor::<1>::from_floats(
        xs.as_slice(),
        &Device::flex(),
    )));
    for (&x, &g) in xs.iter().zip(&got) {
        let want = gelu_f64(f64::from(x));
        assert!(
            (f64::from(g) - want).abs() < 2e-6,
            "gelu({x}) = {g}, not {want}"
        );
    }
    #[cfg(feature = "train")]
    {
        let device = Device::flex().autodiff();
        let x = Tensor::<1>::from_floats(xs.as_slice(), &device).require_grad();
        let grads = gelu(x.clone()).sum().backward();
        let dx = to_vec(x.grad(&grads).expect("x has a gradient"));
        for (&x, &d) in xs.iter().zip(&dx) {
            let x = f64::from(x);
            let want = 0.5 * (1.0 + libm::erf(x / std::f64::consts::SQRT_2))
                + x * (-0.5 * x * x).exp() / (2.0 * std::f64::consts::PI).sqrt();
            assert!(
                (f64::from(d) - want).abs() < 2e-6,
                "gelu'({x}) = {d}, not {want}"
            );
        }
    }
}
