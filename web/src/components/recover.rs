//! "Recover earlier work": the drafts set aside (replaced by a link or a recovery, cut to the
//! limits, or unreadable), newest first. One the page can read is restored with a click (the
//! work on screen is set aside in its place); one it cannot read is shown as saved text.

use yew::prelude::*;

use crate::i18n::{Lang, use_lang};

use crate::storage::SetAside;

#[derive(Properties, PartialEq)]
pub struct RecoverProps {
    pub items: Vec<SetAside>,
    /// Restore the entry at this index.
    pub on_recover: Callback<usize>,
}

/// The moment `ms` as the page's language writes dates, in local time.
fn when(lang: Lang, ms: f64) -> String {
    String::from(
        js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms))
            .to_locale_string(lang.locale(), &wasm_bindgen::JsValue::UNDEFINED),
    )
}

#[function_component]
pub fn Recover(p: &RecoverProps) -> Html {
    let lang = use_lang();
    if p.items.is_empty() {
        return html! {};
    }
    let rows = p.items.iter().enumerate().rev().map(|(i, item)| {
        let body = match item.doc() {
            Some(doc) => {
                let query: String = doc.query.chars().take(40).collect();
                html! {
                    <>
                        <span>{ lang.f("{n} examples, query “{q}”", &[("n", &doc.examples.len()), ("q", &query)]) }</span>
                        <button class="secondary recover" title={lang.t("Bring this earlier work back; what is on screen is set aside in turn")} onclick={p.on_recover.reform(move |_: MouseEvent| i)}>{ lang.t("Restore") }</button>
                    </>
                }
            }
            None => html! {
                <details>
                    <summary>{ lang.t("Show the saved text (this page cannot open it)") }</summary>
                    <textarea readonly=true rows="4" title={lang.t("The saved text, to copy by hand")} aria-label={lang.t("The saved text")} value={item.text.clone()} />
                </details>
            },
        };
        html! {
            <li>
                <span class="why">{ format!("{} · {}", when(lang, item.when), lang.t(item.why.describe())) }</span>
                { body }
            </li>
        }
    });
    html! {
        <details id="recover" class="recover-panel">
            <summary>{ lang.f("Recover earlier work ({n})", &[("n", &p.items.len())]) }</summary>
            <ul>{ for rows }</ul>
        </details>
    }
}
