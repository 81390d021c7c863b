//! End to end in a real browser: the built site, served on 127.0.0.1, driven in headless
//! Chromium through WebDriver. Run by `cargo xtask test`, which builds the site first
//! (`ICL_DIST` points at it), installs Chromium and chromedriver, and runs these one at a time.
//! Screenshots go to `target/screenshots/` (ignored by git) for a person to look at.
//!
//! One module per scenario; `harness` holds what more than one of them uses.

mod harness;

mod accessibility;
mod chinese_and_english;
mod crashed_worker;
mod damaged_weights_and_cache;
mod drafts_and_hostile_links;
mod explain_panels;
mod export_and_heatmap;
mod first_visit_learns;
mod first_visit_share;
mod in_weights;
mod layout_gaps;
mod live_training;
mod own_format;
mod scale_view;
mod stop_long_generation;
mod tour;
mod trainer_worker;
mod unseen_rule;
