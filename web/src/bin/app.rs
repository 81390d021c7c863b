//! Entry point of the page (main thread).

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// Where the page lists what its Content-Security-Policy blocked (the end-to-end tests read
/// it; the console shows each one too).
const VIOLATIONS: &str = "iclPolicyViolations";

/// Records every `securitypolicyviolation` event as "directive blocked-uri".
fn record_policy_violations() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let list = js_sys::Array::new();
    let _ = js_sys::Reflect::set(&window, &VIOLATIONS.into(), &list);
    let listener = Closure::<dyn Fn(web_sys::Event)>::new(move |e: web_sys::Event| {
        let field = |name: &str| {
            js_sys::Reflect::get(&e, &name.into())
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_default()
        };
        let what = format!("{} {}", field("violatedDirective"), field("blockedURI"));
        web_sys::console::error_1(&format!("blocked by the page's policy: {what}").into());
        list.push(&what.into());
    });
    if let Some(d) = window.document() {
        let _ = d.add_event_listener_with_callback(
            "securitypolicyviolation",
            listener.as_ref().unchecked_ref(),
        );
    }
    listener.forget();
}

fn main() {
    console_error_panic_hook::set_once();
    record_policy_violations();
    yew::Renderer::<icl_web::app::App>::new().render();
}
