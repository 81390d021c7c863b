//! Which model is loaded, a real progress bar while it downloads, or why it failed, with Retry.

use yew::prelude::*;

use crate::state::ModelStatus;

#[derive(Properties, PartialEq)]
pub struct ModelStatusProps {
    pub status: ModelStatus,
    pub on_retry: Callback<()>,
}

fn kb(n: u64) -> String {
    format!("{:.0} kB", n as f64 / 1000.0)
}

#[function_component]
pub fn ModelStatusLine(props: &ModelStatusProps) -> Html {
    match &props.status {
        ModelStatus::Loading { loaded, total } => {
            let label = if *total > 0 {
                format!("Downloading the model: {} of {}", kb(*loaded), kb(*total))
            } else {
                "Loading the model list…".to_string()
            };
            html! {
                <div class="model" data-model="loading">
                    <label for="load-progress">{ label }</label>
                    <progress id="load-progress" max={total.max(&1).to_string()} value={loaded.to_string()} />
                </div>
            }
        }
        ModelStatus::Ready(info) => html! {
            <p class="model" data-model="ready" data-cached={info.from_cache.to_string()}>
                { format!("Model: {} · {} parameters · window {} characters{}", info.name, info.params, info.block_size,
                    if info.from_cache { " · loaded from this browser's cache" } else { "" }) }
            </p>
        },
        ModelStatus::Failed(message) => {
            let retry = props.on_retry.reform(|_: MouseEvent| ());
            html! {
                <p class="model error" data-model="failed" role="alert">
                    { format!("The model could not be loaded: {message} ") }
                    <button id="retry" title="Try loading the model again" onclick={retry}>{ "Retry" }</button>
                </p>
            }
        }
    }
}
