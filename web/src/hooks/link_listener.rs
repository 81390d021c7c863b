//! Opens a link pasted into the address bar of the open page (a `hashchange`), and the URL
//! helpers the page's links need.

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

use super::Store;
use crate::share;
use crate::storage::{self, browser};
use crate::store::Action;
use crate::tour::Step;

/// The current URL's fragment, without `#`.
pub fn current_fragment() -> Option<String> {
    let hash = web_sys::window()?.location().hash().ok()?;
    let f = hash.strip_prefix('#').unwrap_or(&hash);
    (!f.is_empty()).then(|| f.to_string())
}

/// The page URL without its fragment.
pub fn page_url() -> String {
    let href = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    href.split('#').next().unwrap_or_default().to_string()
}

/// Removes the fragment from the address bar without reloading (the link is consumed).
pub fn consume_fragment() {
    if let Some(h) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&page_url()));
    }
}

/// How the page starts from the saved draft and `fragment`. A tour link is no share link:
/// the page opens on the draft as without a link, and the tour (`hooks/tour.rs`) takes it from
/// there; it is no first visit either, since the tour says what to run.
pub fn open_link(fragment: Option<String>) -> storage::Startup {
    let tour = fragment.as_deref().and_then(Step::from_fragment).is_some();
    let share = fragment.filter(|_| !tour);
    let mut startup = storage::startup(browser::load_draft(), share.as_deref());
    startup.first_visit &= !tour;
    startup
}

/// A link opened while the page is open: it meets the document on screen, not the stored one.
fn link_opened(fragment: &str, lang: crate::i18n::Lang) -> Action {
    Action::LinkOpened(share::decode(fragment).map_err(|e| storage::link_message(&e, lang)))
}

/// Opens a link pasted while the page is open: a tour link goes to its step (`on_tour`).
#[hook]
pub fn use_link_listener(state: &Store, on_tour: Callback<Option<Step>>) {
    let dispatch = state.dispatcher();
    // Registered again when the language changes: the message is said in it.
    use_effect_with(state.page.doc.lang, move |&lang| {
        let listener = Closure::<dyn Fn()>::new(move || {
            if let Some(f) = current_fragment() {
                consume_fragment();
                match Step::from_fragment(&f) {
                    Some(step) => on_tour.emit(Some(step)),
                    None => dispatch.dispatch(link_opened(&f, lang)),
                }
            }
        });
        let window = web_sys::window();
        if let Some(w) = &window {
            let _ =
                w.add_event_listener_with_callback("hashchange", listener.as_ref().unchecked_ref());
        }
        move || {
            if let Some(w) = window {
                let _ = w.remove_event_listener_with_callback(
                    "hashchange",
                    listener.as_ref().unchecked_ref(),
                );
            }
        }
    });
}
