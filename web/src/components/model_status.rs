//! Which model is loaded, a real progress bar while it downloads, or why it failed, with Retry.

use yew::prelude::*;

use crate::i18n::use_lang;

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
    let lang = use_lang();
    match &props.status {
        ModelStatus::Loading { loaded, total } => {
            let label = if *total > 0 {
                lang.f(
                    "Downloading the model: {a} of {b}",
                    &[("a", &kb(*loaded)), ("b", &kb(*total))],
                )
            } else {
                lang.t("Loading the model list…").to_string()
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
                { lang.f("Model: {name} · {params} parameters · window {n} characters", &[("name", &lang.t_owned(&info.name)), ("params", &lang.int(info.params)), ("n", &info.block_size)]) }
                { if info.from_cache { lang.t(" · loaded from this browser's cache") } else { "" } }
            </p>
        },
        ModelStatus::Failed(message) => {
            let retry = props.on_retry.reform(|_: MouseEvent| ());
            html! {
                <p class="model error" data-model="failed" role="alert">
                    { lang.f("The model could not be loaded: {why} ", &[("why", &lang.t_owned(message))]) }
                    <button id="retry" title={lang.t("Try loading the model again")} onclick={retry}>{ lang.t("Retry") }</button>
                </p>
            }
        }
    }
}
