//! The tooltip of the control that has keyboard focus: every control carries a `title`, which
//! browsers show on hover only; this shows the same words under the focused control.

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

/// The focused control's tooltip and where it goes (page coordinates).
type Tip = Option<(String, f64, f64)>;

/// The tooltip of `el`, if it has keyboard focus and a title.
fn tip_of(el: &web_sys::Element) -> Tip {
    let title = el.get_attribute("title").filter(|t| !t.trim().is_empty())?;
    // Focus by mouse or touch already shows the hover tooltip.
    if !el.matches(":focus-visible").unwrap_or(false) {
        return None;
    }
    let w = web_sys::window()?;
    let r = el.get_bounding_client_rect();
    let (sx, sy) = (w.scroll_x().unwrap_or(0.0), w.scroll_y().unwrap_or(0.0));
    Some((title, r.left() + sx, r.bottom() + sy + 4.0))
}

#[function_component]
pub fn FocusTip() -> Html {
    let tip = use_state(|| None as Tip);
    {
        let tip = tip.clone();
        use_effect_with((), move |_| {
            let doc = web_sys::window().and_then(|w| w.document());
            let on_in = {
                let tip = tip.clone();
                Closure::<dyn Fn(FocusEvent)>::new(move |e: FocusEvent| {
                    let el = e
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
                    tip.set(el.as_ref().and_then(tip_of));
                })
            };
            let on_out = Closure::<dyn Fn(FocusEvent)>::new(move |_: FocusEvent| tip.set(None));
            if let Some(d) = &doc {
                let _ =
                    d.add_event_listener_with_callback("focusin", on_in.as_ref().unchecked_ref());
                let _ =
                    d.add_event_listener_with_callback("focusout", on_out.as_ref().unchecked_ref());
            }
            move || {
                if let Some(d) = &doc {
                    let _ = d.remove_event_listener_with_callback(
                        "focusin",
                        on_in.as_ref().unchecked_ref(),
                    );
                    let _ = d.remove_event_listener_with_callback(
                        "focusout",
                        on_out.as_ref().unchecked_ref(),
                    );
                }
            }
        });
    }
    match &*tip {
        Some((text, x, y)) => html! {
            <div id="focus-tip" class="focus-tip" role="tooltip" aria-hidden="true"
                style={format!("left:{x:.0}px;top:{y:.0}px")}>{ text }</div>
        },
        None => html! {},
    }
}
