//! Messages for the visitor (a broken link, storage that refuses), until dismissed.

use yew::prelude::*;

use crate::i18n::use_lang;

#[derive(Properties, PartialEq)]
pub struct MessagesProps {
    pub messages: Vec<String>,
    pub on_dismiss: Callback<()>,
}

#[function_component]
pub fn Messages(p: &MessagesProps) -> Html {
    let lang = use_lang();
    if p.messages.is_empty() {
        return html! {};
    }
    html! {
        <div id="messages" class="messages" role="alert">
            { for p.messages.iter().map(|m| html! { <p class="message">{ lang.t_owned(m) }</p> }) }
            <button class="secondary" title={lang.t("Hide these messages")} onclick={p.on_dismiss.reform(|_: MouseEvent| ())}>{ lang.t("Dismiss") }</button>
        </div>
    }
}
