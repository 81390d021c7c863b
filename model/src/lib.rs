//! ICL Playground's model: a small decoder-only character-level transformer in burn, with
//! attention outputs, head ablation, KV-cache decoding, sampling and a weight file format.

pub mod analysis;
pub mod backend;
pub mod bench;
pub mod config;
pub mod curves;
pub mod data;
pub mod decoding;
pub mod eval;
pub mod format_eval;
pub mod formats;
pub mod inputs;
pub mod lean;
pub mod live;
pub mod manifest;
pub mod metrics;
pub mod model;
#[cfg(feature = "train")]
pub mod race;
pub mod rule_eval;
pub mod rules;
pub mod sampling;
#[cfg(feature = "native")]
pub mod ship;
#[cfg(feature = "train")]
pub mod step;
pub mod sweep;
pub mod tasks;
pub mod tensors;
pub mod tokenizer;
#[cfg(feature = "native")]
pub mod train;
pub mod train_config;
pub mod transformer;
pub mod weights;

#[cfg(all(test, target_arch = "wasm32"))]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
