//! Messages for the visitor (a broken link, storage that refuses), until dismissed.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct MessagesProps {
    pub messages: Vec<String>,
    pub on_dismiss: Callback<()>,
}

#[function_component]
pub fn Messages(p: &MessagesProps) -> Html {
    if p.messages.is_empty() {
        return html! {};
    }
    html! {
        <div id="messages" class="messages" role="alert">
            { for p.messages.iter().map(|m| html! { <p class="message">{ m }</p> }) }
            <button class="secondary" title="Hide these messages" onclick={p.on_dismiss.reform(|_: MouseEvent| ())}>{ "Dismiss" }</button>
        </div>
    }
}
