//! One line saying which model is loaded, or why none is, with Retry.

use yew::prelude::*;

use crate::state::ModelStatus;

#[derive(Properties, PartialEq)]
pub struct ModelStatusProps {
    pub status: ModelStatus,
    pub on_retry: Callback<()>,
}

#[function_component]
pub fn ModelStatusLine(props: &ModelStatusProps) -> Html {
    match &props.status {
        ModelStatus::Loading => {
            html! { <p class="model" data-model="loading">{ "Loading the model…" }</p> }
        }
        ModelStatus::Ready(info) => html! {
            <p class="model" data-model="ready">
                { format!("Model: {} · {} parameters · window {} characters", info.name, info.params, info.block_size) }
            </p>
        },
        ModelStatus::Failed(message) => {
            let retry = props.on_retry.reform(|_: MouseEvent| ());
            html! {
                <p class="model error" data-model="failed">
                    { format!("The model could not be loaded: {message}") }
                    <button onclick={retry}>{ "Retry" }</button>
                </p>
            }
        }
    }
}
