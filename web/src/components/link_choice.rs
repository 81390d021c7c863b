//! The dialog shown when a shared link meets a draft with edits: keep mine, or open the link
//! (mine is kept aside).

use yew::prelude::*;

use crate::doc::Doc;

#[derive(Properties, PartialEq)]
pub struct LinkChoiceProps {
    /// The link's document.
    pub link: Doc,
    /// `true`: keep the draft on screen; `false`: open the link.
    pub on_choose: Callback<bool>,
}

#[function_component]
pub fn LinkChoice(p: &LinkChoiceProps) -> Html {
    let choose = |keep_mine: bool| p.on_choose.reform(move |_: MouseEvent| keep_mine);
    html! {
        <div id="link-choice" class="dialog" role="dialog" aria-labelledby="link-choice-h">
            <h2 id="link-choice-h">{ "Open the shared link?" }</h2>
            <p>{ format!("The link holds other examples ({} examples, query “{}”) than your saved work. Which do you want to keep on screen?",
                p.link.examples.len(), p.link.query.chars().take(40).collect::<String>()) }</p>
            <div class="row">
                <button id="keep-mine" onclick={choose(true)}>{ "Keep mine" }</button>
                <button id="open-link" class="secondary" onclick={choose(false)}>{ "Open the link (mine is kept aside)" }</button>
            </div>
        </div>
    }
}
