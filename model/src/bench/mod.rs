//! The benchmarks the native runner and the browser runner share: the [`clock`] passed in,
//! the [`jobs`] and their figures, and the live-training [`race`].

pub mod clock;
pub mod jobs;
#[cfg(feature = "train")]
pub mod race;
