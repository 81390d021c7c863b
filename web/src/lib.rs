//! ICL Playground's page: a yew app (main thread, UI only) and a web worker that runs the model.

pub mod about;
pub mod app;
pub mod bundle;
pub mod comparison;
pub mod components;
pub mod doc;
pub mod download;
pub mod export;
pub mod glyph;
pub mod heatmap;
pub mod hooks;
pub mod i18n;
pub mod icons;
pub mod live_run;
pub mod presets;
pub mod protocol;
pub mod region;
pub mod scale;
pub mod share;
pub mod share_state;
pub mod side_table;
pub mod storage;
pub mod store;
pub mod tour;
pub mod worker;
pub mod worker_error;
