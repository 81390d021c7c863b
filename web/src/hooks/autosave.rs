//! Saves the draft and the set-aside list on every change; says once if the browser refuses.
//! A stored draft that could not be set aside is never saved over.

use yew::prelude::*;

use super::Store;
use crate::storage::browser;
use crate::store::Action;

#[hook]
pub fn use_autosave(state: &Store) {
    let dispatch = state.dispatcher();
    let protect = state.page.protect_draft;
    {
        let dispatch = dispatch.clone();
        use_effect_with(state.page.doc.clone(), move |doc| {
            if !protect && let Err(e) = browser::save_draft(doc) {
                dispatch.dispatch(Action::Message(e));
            }
        });
    }
    use_effect_with(state.page.set_aside.clone(), move |items| {
        if let Err(e) = browser::save_set_aside(items) {
            dispatch.dispatch(Action::Message(e));
        }
    });
}
