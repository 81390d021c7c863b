//! Loads the chosen model whenever the document's model changes, and again in the new worker
//! after a crash.

use yew::prelude::*;

use super::{Bridge, Store, models_url};
use crate::protocol::{LIVE_MODEL, ToWorker};
use crate::store::Action;

/// Asks the worker for `model` (`None`: the default), marking the page as loading.
pub fn load(bridge: &Bridge, state: &Store, model: Option<String>) {
    // The live model is not in the list: the default one is loaded beside it.
    let model = model.filter(|m| m != LIVE_MODEL);
    state.dispatch(Action::Reload);
    bridge.send(ToWorker::Load {
        models_url: models_url(),
        model,
    });
}

#[hook]
pub fn use_model_loading(bridge: &Bridge, state: &Store) {
    {
        let (bridge, s) = (bridge.clone(), state.clone());
        use_effect_with(state.page.worker_restarts, move |restarts| {
            if *restarts > 0 {
                load(&bridge, &s, s.page.doc.model.clone());
            }
        });
    }
    let (bridge, s) = (bridge.clone(), state.clone());
    let ready = state.page.ready_model();
    use_effect_with(state.page.doc.model.clone(), move |model| {
        if model.as_deref() == Some(LIVE_MODEL) {
            // The live model is in the worker already; a model of the list is loaded only so
            // that the page has one ready.
            if ready.is_none() {
                load(&bridge, &s, None);
            }
        } else if model.is_none() || *model != ready {
            // (An unknown model replaced by the default one that is already loaded is not
            // loaded again.)
            load(&bridge, &s, model.clone());
        }
    });
}
