//! "Recover earlier work": the drafts set aside (replaced by a link or a recovery, cut to the
//! limits, or unreadable), newest first. One the page can read is restored with a click (the
//! work on screen is set aside in its place); one it cannot read is shown as saved text.

use yew::prelude::*;

use crate::storage::SetAside;

#[derive(Properties, PartialEq)]
pub struct RecoverProps {
    pub items: Vec<SetAside>,
    /// Restore the entry at this index.
    pub on_recover: Callback<usize>,
}

fn when(ms: f64) -> String {
    String::from(
        js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms))
            .to_locale_string("default", &wasm_bindgen::JsValue::UNDEFINED),
    )
}

#[function_component]
pub fn Recover(p: &RecoverProps) -> Html {
    if p.items.is_empty() {
        return html! {};
    }
    let rows = p.items.iter().enumerate().rev().map(|(i, item)| {
        let body = match item.doc() {
            Some(doc) => {
                let query: String = doc.query.chars().take(40).collect();
                html! {
                    <>
                        <span>{ format!("{} examples, query “{query}”", doc.examples.len()) }</span>
                        <button class="secondary recover" title="Bring this earlier work back; what is on screen is set aside in turn" onclick={p.on_recover.reform(move |_: MouseEvent| i)}>{ "Restore" }</button>
                    </>
                }
            }
            None => html! {
                <details>
                    <summary>{ "Show the saved text (this page cannot open it)" }</summary>
                    <textarea readonly=true rows="4" title="The saved text, to copy by hand" aria-label="The saved text" value={item.text.clone()} />
                </details>
            },
        };
        html! {
            <li>
                <span class="why">{ format!("{} · {}", when(item.when), item.why.describe()) }</span>
                { body }
            </li>
        }
    });
    html! {
        <details id="recover" class="recover-panel">
            <summary>{ format!("Recover earlier work ({})", p.items.len()) }</summary>
            <ul>{ for rows }</ul>
        </details>
    }
}
