//! The benchmarks the native runner and the browser runner share: the [`clock`] passed in,
//! the [`jobs`] and their figures, the live-training [`race`], and the burn network's
//! decoder and scorer ([`reference`]) that the lean path is measured and tested against.

pub mod clock;
pub mod jobs;
#[cfg(feature = "train")]
pub mod race;
pub mod reference;
