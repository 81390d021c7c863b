//! Branch-free single-precision `exp` and `erf` (added to this copy of burn-flex by ICL
//! Playground, see `vendor/README.md`).
//!
//! On wasm32, `f32::exp` and `libm::erff` are software routines with branches, called one
//! element at a time; a training step of a small transformer spent about half its time in
//! them. Written without branches, the loops that call these vectorise (simd128). The
//! element-wise kernels use them on wasm32 ([`exp_f32`], [`erf_f32`]); elsewhere the
//! platform's own functions.

/// `e^x` from `e^x = 2^n · e^r`, `|r| <= ln 2 / 2`, with Cephes' polynomial for `e^r`: within
/// 2e-7 relative of `f32::exp` on [-87, 88]; 0 below -87.3 (where `f32::exp` is subnormal),
/// infinity past 88.72, NaN for NaN. No branches, so a loop over it vectorises.
#[inline(always)]
pub fn exp(x: f32) -> f32 {
    let c = x.clamp(-87.3, 89.0);
    let n = (c * core::f32::consts::LOG2_E + 0.5).floor().min(127.0);
    let r = c - n * 0.693_359_4 + n * 2.121_944_4e-4;
    let p = ((((1.987_569_1e-4 * r + 1.398_199_9e-3) * r + 8.333_452e-3) * r + 4.166_579_6e-2)
        * r
        + 1.666_666_5e-1)
        * r
        + 0.5;
    let e_r = p * r * r + r + 1.0;
    let y = e_r * f32::from_bits(((n as i32 + 127) as u32) << 23);
    if x < -87.3 { 0.0 } else { y }
}

/// The error function as a rational polynomial (the coefficients of Eigen's and XLA's
/// single-precision `erf`): within 1e-6 of `libm::erff`. No branches.
#[inline(always)]
pub fn erf(x: f32) -> f32 {
    let x = x.clamp(-4.0, 4.0);
    let x2 = x * x;
    let mut p = x2 * -2.726_142_3e-10 + 2.770_681_4e-8;
    p = x2 * p - 2.101_024e-6;
    p = x2 * p - 5.692_506_4e-5;
    p = x2 * p - 7.349_906_3e-4;
    p = x2 * p - 2.954_600_2e-3;
    p = x2 * p - 1.609_603_3e-2;
    let mut q = x2 * -1.456_607_2e-5 - 2.133_740_6e-4;
    q = x2 * q - 1.682_827e-3;
    q = x2 * q - 7.373_329_3e-3;
    q = x2 * q - 1.426_474e-2;
    x * p / q
}

/// `e^x` as the element-wise kernels compute it: [`exp`] on wasm32, `f32::exp` elsewhere.
#[inline(always)]
pub fn exp_f32(x: f32) -> f32 {
    #[cfg(target_arch = "wasm32")]
    {
        exp(x)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        x.exp()
    }
}

/// `erf(x)` as the element-wise kernels compute it: [`erf`] on wasm32, `libm::erff` elsewhere.
#[inline(always)]
pub fn erf_f32(x: f32) -> f32 {
    #[cfg(target_arch = "wasm32")]
    {
        erf(x)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        libm::erff(x)
    }
}

// Tested against `f32::exp` and `libm::erff` (natively and in the browser) where ICL Playground
// uses them: `icl-model`'s `net::lean` tests.
