//! The page's effects as hooks, one per file: each keeps one thing in step with the state
//! (the loaded model, the saved draft, the explanation...), so `app.rs` only wires them.

mod autosave;
mod explanations;
mod first_visit;
mod jobs;
mod ladder;
mod link_listener;
mod live_training;
mod model_loading;
mod service_worker;
mod supervisor;
mod tour;
mod training_curves;
mod tune;

pub use autosave::use_autosave;
pub use explanations::use_explanations;
pub use first_visit::use_first_visit;
pub use jobs::{Jobs, next_job, use_jobs};
pub use ladder::use_ladder;
pub use link_listener::{
    consume_fragment, current_fragment, open_link, page_url, use_link_listener,
};
pub use live_training::{LiveJobs, use_live_training};
pub use model_loading::use_model_loading;
pub use service_worker::use_service_worker;
pub use supervisor::{Bridge, use_worker};
pub use tour::{Tour, tour_link, use_tour};
pub use training_curves::use_training_curves;
pub use tune::{TuneJobs, tune_request, use_tune};

/// The page's store.
pub use crate::store::Store;

/// Absolute URL of the models folder, next to the page.
pub fn models_url() -> String {
    let base = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .unwrap_or_default();
    web_sys::Url::new_with_base("models/", &base)
        .map(|u| u.href())
        .unwrap_or_else(|_| "models/".to_string())
}
