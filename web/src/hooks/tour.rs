//! Walks the guided tour ([`crate::tour`]): a step puts its document on screen (the visitor's
//! own set aside), starts its run or curve once its model is ready, points at its element and
//! opens that panel's explanation, and keeps its link (`#tour-N`) in the address bar. Esc
//! leaves the tour with the page as the tour left it.

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

use super::{Jobs, Store, page_url};
use crate::protocol::ModelRef;
use crate::storage::browser;
use crate::store::{Action, ModelStatus, Page, RunState};
use crate::tour::Step;

/// The attribute the pointed-at element wears (styles and tests find it by it).
const TARGET_MARK: &str = "data-tour-target";

/// How long after a resize the step's element is scrolled back into view (ms).
const RESIZE_SETTLE_MS: u32 = 150;

/// The tour as the page holds it.
#[derive(Clone, PartialEq)]
pub struct Tour {
    /// The step shown (`None`: no tour).
    pub step: Option<Step>,
    /// Goes to a step, or (`None`) leaves the tour.
    pub go: Callback<Option<Step>>,
}

/// The step a link to the page opened on (read before the page takes the fragment away).
pub fn tour_link() -> Option<Step> {
    super::current_fragment()
        .as_deref()
        .and_then(Step::from_fragment)
}

/// Whether the model the document names is the one loaded and ready.
fn model_ready(page: &Page) -> bool {
    let ModelStatus::Ready(info) = &page.model else {
        return false;
    };
    match &page.doc.model {
        ModelRef::Default => page.models.first().is_some_and(|m| m.id == info.id),
        ModelRef::Shipped(id) => *id == info.id,
        ModelRef::Live | ModelRef::Tuned => true,
    }
}

/// Puts the step's link in the address bar (or takes it away), without a reload or a
/// `hashchange`.
fn show_link(step: Option<Step>) {
    let url = match step {
        Some(s) => format!("{}#{}", page_url(), s.fragment()),
        None => page_url(),
    };
    if let Some(h) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// Marks the step's element (once it exists) and takes the mark off any other; the first time
/// it is found for a step, scrolls it into view and opens its panel's explanation. Returns
/// whether it was found.
fn point_at(step: Option<Step>, first: bool) -> bool {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return false;
    };
    let target = step.and_then(|s| doc.get_element_by_id(s.target()));
    if let Ok(marked) = doc.query_selector_all(&format!("[{TARGET_MARK}]")) {
        for i in 0..marked.length() {
            if let Some(e) = marked
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
                && Some(&e) != target.as_ref()
            {
                let _ = e.remove_attribute(TARGET_MARK);
            }
        }
    }
    let Some(t) = target else {
        return false;
    };
    let _ = t.set_attribute(TARGET_MARK, "");
    if first {
        if let Some(key) = step.and_then(Step::about)
            && let Ok(Some(d)) = doc.query_selector(&format!("details[data-about=\"{key}\"]"))
        {
            let _ = d.set_attribute("open", "");
        }
        scroll_to_target();
    }
    true
}

/// Scrolls the marked element to the top of the view (less the margin the style gives it):
/// the card sits below.
fn scroll_to_target() {
    if let Ok(Some(t)) = web_sys::window()
        .and_then(|w| w.document())
        .map(|d| d.query_selector(&format!("[{TARGET_MARK}]")))
        .transpose()
        .map(Option::flatten)
    {
        t.scroll_into_view_with_bool(true);
    }
}

#[hook]
pub fn use_tour(state: &Store, jobs: &Jobs, start: Option<Step>) -> Tour {
    let step = use_state(|| start);
    let go = {
        let step = step.setter();
        Callback::from(move |s: Option<Step>| step.set(s))
    };
    // The step whose jobs wait for its document and model, and the step last pointed at.
    let due = use_mut_ref(|| None::<Step>);
    let pointed = use_mut_ref(|| None::<Step>);
    {
        let (dispatch, due, lang) = (state.dispatcher(), due.clone(), state.page.doc.lang);
        use_effect_with(*step, move |&s| {
            show_link(s);
            *due.borrow_mut() = s;
            if let Some(s) = s {
                dispatch.dispatch(Action::Show {
                    doc: s.doc(lang),
                    now: browser::now(),
                });
            }
        });
    }
    let page = &state.page;
    let on_step = step.is_some_and(|s| s.doc(page.doc.lang) == page.doc);
    let idle = state.run.state != RunState::Running && !state.explore.measuring();
    {
        let (due, jobs) = (due.clone(), jobs.clone());
        let go_on = on_step && idle && model_ready(page);
        use_effect_with((go_on, *step), move |&(go_on, _)| {
            if go_on && let Some(s) = due.borrow_mut().take() {
                let j = s.jobs();
                if j.run {
                    jobs.run.emit(());
                }
                if j.measure {
                    jobs.measure.emit(());
                }
            }
        });
    }
    // After every render: the element may appear only once its data has come.
    {
        let s = *step;
        use_effect(move || {
            let first = *pointed.borrow() != s;
            if point_at(s, first) || s.is_none() {
                *pointed.borrow_mut() = s;
            }
        });
    }
    {
        let go = go.clone();
        use_effect_with(step.is_some(), move |&open| {
            // Esc leaves; a new window size (a phone turned) brings the step's element back,
            // once the new layout has settled (the charts redraw for the new width).
            let keys = Closure::<dyn Fn(KeyboardEvent)>::new(move |e: KeyboardEvent| {
                if e.key() == "Escape" {
                    go.emit(None);
                }
            });
            let resized = Closure::<dyn Fn()>::new(|| {
                gloo_timers::callback::Timeout::new(RESIZE_SETTLE_MS, scroll_to_target).forget();
            });
            let window = web_sys::window().filter(|_| open);
            let doc = window.as_ref().and_then(|w| w.document());
            if let (Some(w), Some(d)) = (&window, &doc) {
                let _ =
                    d.add_event_listener_with_callback("keydown", keys.as_ref().unchecked_ref());
                let _ =
                    w.add_event_listener_with_callback("resize", resized.as_ref().unchecked_ref());
            }
            move || {
                if let (Some(w), Some(d)) = (window, doc) {
                    let _ = d.remove_event_listener_with_callback(
                        "keydown",
                        keys.as_ref().unchecked_ref(),
                    );
                    let _ = w.remove_event_listener_with_callback(
                        "resize",
                        resized.as_ref().unchecked_ref(),
                    );
                }
            }
        });
    }
    Tour { step: *step, go }
}
