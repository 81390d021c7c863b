//! The clock benchmarks read: `Instant` natively, `performance.now()` in the browser, passed
//! in as a plain function so the same jobs run in both places.

/// A clock in milliseconds.
pub type Clock = fn() -> f64;

/// The native [`Clock`]: milliseconds since its first call.
#[cfg(not(target_arch = "wasm32"))]
pub fn native_clock() -> f64 {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    START
        .get_or_init(std::time::Instant::now)
        .elapsed()
        .as_secs_f64()
        * 1000.0
}
