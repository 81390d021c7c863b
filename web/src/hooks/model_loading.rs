//! Loads the chosen model whenever the document's model changes, and again in the new worker
//! after a crash.

use yew::prelude::*;

use super::{Bridge, Store, models_url};
use crate::protocol::{ModelRef, ToWorker};
use crate::store::Action;

/// Asks the worker for `model`, marking the page as loading.
pub fn load(bridge: &Bridge, state: &Store, model: &ModelRef) {
    // The live model is not in the list: the default one is loaded beside it.
    state.dispatch(Action::Reload);
    bridge.send(ToWorker::Load {
        models_url: models_url(),
        model: model.shipped().map(String::from),
    });
}

#[hook]
pub fn use_model_loading(bridge: &Bridge, state: &Store) {
    {
        let (bridge, s) = (bridge.clone(), state.clone());
        use_effect_with(state.page.worker_restarts, move |restarts| {
            if *restarts > 0 {
                load(&bridge, &s, &s.page.doc.model);
            }
        });
    }
    let (bridge, s) = (bridge.clone(), state.clone());
    let ready = state.page.ready_model();
    use_effect_with(state.page.doc.model.clone(), move |model| match model {
        // The live and the tuned model are in the worker already; a model of the list is
        // loaded only so that the page has one ready.
        ModelRef::Live | ModelRef::Tuned => {
            if ready.is_none() {
                load(&bridge, &s, &ModelRef::Default);
            }
        }
        ModelRef::Default => load(&bridge, &s, model),
        // (An unknown model replaced by the default one that is already loaded is not loaded
        // again.)
        ModelRef::Shipped(id) => {
            if ready.as_ref() != Some(id) {
                load(&bridge, &s, model);
            }
        }
    });
}
