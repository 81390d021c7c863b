//! The page: a prompt box, Run / Stop, and the completion streamed from the model worker.

use icl_model::sampling::SamplingConfig;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;
use yew_agent::reactor::{ReactorEvent, ReactorProvider, use_reactor_bridge};

use crate::components::completion::Completion;
use crate::components::model_status::ModelStatusLine;
use crate::protocol::ToWorker;
use crate::state::{Action, ModelStatus, RunState, State};
use crate::worker::ModelWorker;

/// Absolute URL of the models folder, next to the page.
fn models_url() -> String {
    let base = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .unwrap_or_default();
    web_sys::Url::new_with_base("models/", &base)
        .map(|u| u.href())
        .unwrap_or_else(|_| "models/".to_string())
}

#[function_component]
fn Playground() -> Html {
    let state = use_reducer(State::default);
    let bridge = {
        let dispatch = state.dispatcher();
        use_reactor_bridge::<ModelWorker, _>(move |event| match event {
            ReactorEvent::Output(msg) => dispatch.dispatch(Action::Worker(msg)),
            ReactorEvent::Finished => dispatch.dispatch(Action::WorkerGone),
        })
    };
    {
        let bridge = bridge.clone();
        use_effect_with((), move |_| {
            bridge.send(ToWorker::Load {
                models_url: models_url(),
                model: None,
            })
        });
    }
    let on_input = {
        let dispatch = state.dispatcher();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            dispatch.dispatch(Action::SetPrompt(area.value()));
        })
    };
    let on_run = {
        let (bridge, state) = (bridge.clone(), state.clone());
        Callback::from(move |_: MouseEvent| {
            let run = state.run + 1;
            state.dispatch(Action::Start(run));
            let prompt = state.prompt.clone();
            bridge.send(ToWorker::Generate {
                run,
                prompt,
                sampling: SamplingConfig::default(),
            });
        })
    };
    let on_stop = {
        let bridge = bridge.clone();
        Callback::from(move |_: MouseEvent| bridge.send(ToWorker::Stop))
    };
    let on_retry = {
        let (bridge, dispatch) = (bridge.clone(), state.dispatcher());
        Callback::from(move |_| {
            dispatch.dispatch(Action::Retry);
            bridge.send(ToWorker::Load {
                models_url: models_url(),
                model: None,
            });
        })
    };
    let ready = matches!(state.model, ModelStatus::Ready(_));
    let running = state.run_state == RunState::Running;
    let status = match (&state.model, state.run_state, &state.error) {
        (_, _, Some(e)) => format!("Error: {e}"),
        (ModelStatus::Loading, _, _) => "Loading the model…".to_string(),
        (ModelStatus::Failed(_), _, _) => "The model could not be loaded.".to_string(),
        (_, RunState::Running, _) => "Generating…".to_string(),
        (_, RunState::Done, _) => "Done.".to_string(),
        (_, RunState::Idle, _) => "Ready.".to_string(),
    };
    html! {
        <main>
            <h1>{ "ICL Playground" }</h1>
            <p class="lede">{ "A small transformer, running in this tab, continues your prompt. Give it examples and watch it pick up the pattern." }</p>
            <ModelStatusLine status={state.model.clone()} on_retry={on_retry} />
            <label for="prompt">{ "Prompt" }</label>
            <textarea id="prompt" rows="8" spellcheck="false" value={state.prompt.clone()} oninput={on_input} />
            <div class="controls">
                <button id="run" onclick={on_run} disabled={!ready || running}>{ "Run" }</button>
                <button id="stop" onclick={on_stop} disabled={!running}>{ "Stop" }</button>
            </div>
            if let Some(n) = &state.notice { <p class="notice">{ n }</p> }
            <Completion tokens={state.tokens.clone()} run_state={state.run_state} text={state.text.clone()} reason={state.reason.clone()} />
            <p id="status" role="status" aria-live="polite">{ status }</p>
        </main>
    }
}

/// The root component: connects the page to the model worker.
#[function_component]
pub fn App() -> Html {
    html! {
        <ReactorProvider<ModelWorker> path="worker.js">
            <Playground />
        </ReactorProvider<ModelWorker>>
    }
}
