//! Messages for the visitor (a broken link, storage that refuses), until dismissed.

use yew::prelude::*;

use crate::i18n::{Lang, use_lang};
use crate::protocol::Notice;
use crate::store::Message;

/// A message in `lang`.
pub fn words(m: &Message, lang: Lang) -> String {
    match m {
        Message::Text(m) => lang.t_owned(m),
        Message::Worker(e) => e.words(lang),
        Message::StorageFull => Notice::StorageFull.words(lang),
        Message::WorkerRestarted { why } => lang.f(
            "The model worker stopped ({why}). A new one was started and the model is loading again: run again once it is ready.",
            &[("why", why)],
        ),
        Message::WorkerKeepsStopping { why } => lang.f(
            "the model worker keeps stopping ({why})",
            &[("why", &lang.t_owned(why))],
        ),
        Message::ModelReplaced { used } => lang.f(
            "This page has no model with the name the link or draft gave; the model {used} is used instead.",
            &[("used", used)],
        ),
    }
}

#[derive(Properties, PartialEq)]
pub struct MessagesProps {
    pub messages: Vec<Message>,
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
            { for p.messages.iter().map(|m| html! { <p class="message">{ words(m, lang) }</p> }) }
            <button class="secondary" title={lang.t("Hide these messages")} onclick={p.on_dismiss.reform(|_: MouseEvent| ())}>{ lang.t("Dismiss") }</button>
        </div>
    }
}
