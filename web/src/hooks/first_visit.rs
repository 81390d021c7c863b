//! A first visit runs its document and measures its ICL curve as soon as the model is ready,
//! so the visitor sees a rule learned from examples before pressing anything.

use yew::prelude::*;

use super::{Jobs, Store};
use crate::store::RunState;

/// Marks the page's root `data-first-visit`: `running` while the first visit's run and curve
/// are on their way, `done` after (tests wait on it; nothing when this is no first visit).
fn mark(value: &str) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("data-first-visit", value);
    }
}

#[hook]
pub fn use_first_visit(state: &Store, jobs: &Jobs) {
    let started = use_mut_ref(|| false);
    // Only the untouched document: an edit made while the model loads is the visitor's own.
    let due = state.page.first_visit
        && state.page.ready_model().is_some()
        && state.page.pending_link.is_none()
        && state.page.doc.is_default();
    {
        let (started, jobs) = (started.clone(), jobs.clone());
        use_effect_with(due, move |&due| {
            if due && !started.replace(true) {
                mark("running");
                jobs.run.emit(());
                jobs.measure.emit(());
            }
        });
    }
    let busy = state.run.state == RunState::Running || state.explore.measuring();
    use_effect_with(busy, move |&busy| {
        if *started.borrow() && !busy {
            mark("done");
        }
    });
}
