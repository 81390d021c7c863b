//! ICL Playground's model: a small decoder-only character-level transformer in burn, the rule
//! space and tasks it learns from, its training, and what the page measures about it.
//!
//! The folders, from the bottom up (a folder uses only those above it in this list; a test,
//! `module_graph`, checks it and that no two files import each other in a circle):
//! - [`net`]: the network: its configuration, tokenizer, burn transformer, the lean forward
//!   the page runs, decoding and sampling, weight files, backends.
//! - [`zoo`]: the models folder the page offers: its manifest and file names.
//! - [`rules`]: what the model reads: the rule space, the fixed tasks, inputs, templates and
//!   formats, and the training sequences made of them.
//! - [`eval`]: scoring primitives, ICL curves, interpretability metrics, evaluation reports and
//!   the page's analyses.
//! - [`train`]: training settings and presets, the training step, runs with their curves,
//!   live training in the tab, and shipping a run to the page.
//! - [`bench`]: the benchmarks native and in the browser.

pub mod bench;
pub mod eval;
pub mod net;
pub mod rules;
pub mod train;
pub mod zoo;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod module_graph;

#[cfg(all(test, target_arch = "wasm32"))]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
