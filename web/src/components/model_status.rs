//! Which model is loaded, a real progress bar while it downloads, or why it failed, with Retry.

use yew::prelude::*;

use super::messages::words;
use crate::i18n::{Lang, use_lang};
use crate::store::{ModelStatus, Run, RunState};

/// The line the page's `role=status` region announces: the model's loading, then the run's.
pub fn status_line(lang: Lang, model: &ModelStatus, run: &Run) -> String {
    let fixed = |en: &'static str| lang.t(en).to_string();
    match (model, run.state, &run.error) {
        (_, _, Some(e)) => lang.f("Error: {e}", &[("e", &e.words(lang))]),
        (ModelStatus::Loading { loaded, total }, _, _) if *total > 0 => lang.f(
            "Loading the model… {pct}%",
            &[(
                "pct",
                &format!("{:.0}", 100.0 * *loaded as f64 / *total as f64),
            )],
        ),
        (ModelStatus::Loading { .. }, _, _) => fixed("Loading the model…"),
        (ModelStatus::Failed(_), _, _) => fixed("The model could not be loaded."),
        (_, RunState::Running, _) => fixed("Generating…"),
        (_, RunState::Done, _) => fixed("Done."),
        (_, RunState::Idle, _) => fixed("Ready."),
    }
}

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
                    { lang.f("The model could not be loaded: {why} ", &[("why", &words(message, lang))]) }
                    <button id="retry" title={lang.t("Try loading the model again")} onclick={retry}>{ lang.t("Retry") }</button>
                </p>
            }
        }
    }
}
