//! The dialog shown when a shared link meets a draft with edits: keep mine, or open the link
//! (mine is kept aside). It is modal for the keyboard: focus moves into it, Tab and Shift+Tab
//! stay inside, Escape keeps the draft, and focus goes back where it was when it closes.

use wasm_bindgen::JsCast;
use web_sys::HtmlElement;
use yew::prelude::*;

use crate::i18n::use_lang;

use crate::doc::Doc;

#[derive(Properties, PartialEq)]
pub struct LinkChoiceProps {
    /// The link's document.
    pub link: Doc,
    /// `true`: keep the draft on screen; `false`: open the link.
    pub on_choose: Callback<bool>,
}

/// The element focused now, if it is not the page itself.
fn focused() -> Option<HtmlElement> {
    let d = web_sys::window()?.document()?;
    let e = d.active_element()?;
    (e.tag_name() != "BODY")
        .then(|| e.dyn_into().ok())
        .flatten()
}

fn by_id(id: &str) -> Option<HtmlElement> {
    web_sys::window()?
        .document()?
        .get_element_by_id(id)?
        .dyn_into()
        .ok()
}

#[function_component]
pub fn LinkChoice(p: &LinkChoiceProps) -> Html {
    let lang = use_lang();
    use_effect_with((), |_| {
        // Where focus returns: the element focused before, or the query field.
        let back = focused();
        if let Some(b) = by_id("keep-mine") {
            let _ = b.focus();
        }
        move || {
            let target = back
                .filter(|e| e.is_connected())
                .or_else(|| by_id("query"))
                .or_else(|| by_id("prompt"));
            if let Some(t) = target {
                let _ = t.focus();
            }
        }
    });
    let choose = |keep_mine: bool| p.on_choose.reform(move |_: MouseEvent| keep_mine);
    let on_key = {
        let cb = p.on_choose.clone();
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "Escape" => cb.emit(true),
            "Tab" => {
                // Two buttons: Tab from the last goes to the first and back.
                let at = focused().map(|f| f.id()).unwrap_or_default();
                let next = match (at.as_str(), e.shift_key()) {
                    ("open-link", false) => Some("keep-mine"),
                    ("keep-mine", true) => Some("open-link"),
                    ("keep-mine", false) | ("open-link", true) => None,
                    _ => Some("keep-mine"),
                };
                if let Some(id) = next {
                    e.prevent_default();
                    if let Some(b) = by_id(id) {
                        let _ = b.focus();
                    }
                }
            }
            _ => {}
        })
    };
    html! {
        <div id="link-choice" class="dialog" role="dialog" aria-modal="true" aria-labelledby="link-choice-h" aria-describedby="link-choice-p" onkeydown={on_key}>
            <h2 id="link-choice-h">{ lang.t("Open the shared link?") }</h2>
            <p id="link-choice-p">{ lang.f("The link holds other examples ({n} examples, query “{q}”) than the work on screen. Which do you want to keep on screen?",
                &[("n", &p.link.examples.len()), ("q", &p.link.query.chars().take(40).collect::<String>())]) }</p>
            <div class="row">
                <button id="keep-mine" title={lang.t("Keep your draft; the link is not opened")} onclick={choose(true)}>{ lang.t("Keep mine") }</button>
                <button id="open-link" title={lang.t("Open the link; your draft goes to Recover earlier work")} class="secondary" onclick={choose(false)}>{ lang.t("Open the link (mine is kept aside)") }</button>
            </div>
        </div>
    }
}
