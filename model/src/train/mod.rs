//! Training: the settings and presets of a run ([`config`]), the [`ladder`] of models across
//! sizes, one optimiser [`step`], a run with its checkpoints and resumable state ([`run`]),
//! the [`curves`] it records, the attention-only models trained [`live`] in the tab, a
//! [`tune`] on a visitor's examples, and shipping a run to the page ([`ship`]).

pub mod config;
pub mod curves;
pub mod ladder;
pub mod live;
#[cfg(feature = "native")]
pub mod run;
#[cfg(feature = "native")]
pub mod ship;
#[cfg(feature = "train")]
pub mod step;
pub mod tune;
#[cfg(feature = "native")]
pub mod tune_report;
