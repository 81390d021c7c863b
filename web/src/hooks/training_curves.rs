//! Asks for the training curves of each model that becomes ready.

use yew::prelude::*;

use super::{Bridge, Store};
use crate::protocol::ToWorker;

#[hook]
pub fn use_training_curves(bridge: &Bridge, state: &Store) {
    let bridge = bridge.clone();
    use_effect_with(state.page.ready_model(), move |id| {
        if let Some(model) = id.clone() {
            bridge.send(ToWorker::Curves { model });
        }
    });
}
