//! Saves the draft on every change; says once if the browser refuses.

use yew::prelude::*;

use super::Store;
use crate::state::Action;
use crate::storage::browser;

#[hook]
pub fn use_autosave(state: &Store) {
    let dispatch = state.dispatcher();
    use_effect_with(state.doc.clone(), move |doc| {
        if let Err(e) = browser::save_draft(doc) {
            dispatch.dispatch(Action::Message(e));
        }
    });
}
