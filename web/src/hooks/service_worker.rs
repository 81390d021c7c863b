//! Registers the service worker that keeps the page's own files for offline visits (the model
//! worker caches the weights).

use yew::prelude::*;

#[hook]
pub fn use_service_worker() {
    use_effect_with((), |_| {
        if let Some(w) = web_sys::window() {
            let registered = w.navigator().service_worker().register("sw.js");
            // Without it the page still works; it just needs the network next time.
            wasm_bindgen_futures::spawn_local(async move {
                let _ = wasm_bindgen_futures::JsFuture::from(registered).await;
            });
        }
    });
}
