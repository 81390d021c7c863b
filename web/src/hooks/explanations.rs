//! Explains again when the weights, the seed or the last run's text change; not while a
//! completion runs, and the very first time only after a pause, so a first Run is not queued
//! behind the explanation.

use yew::prelude::*;

use super::{Bridge, Store, next_job};
use crate::protocol::ToWorker;
use crate::store::{Action, RunState};

/// Before any run, how long the page waits before asking for an explanation (ms).
const EXPLAIN_DELAY_MS: u32 = 1_500;

#[hook]
pub fn use_explanations(bridge: &Bridge, state: &Store) {
    let (bridge, dispatch) = (bridge.clone(), state.dispatcher());
    let running = state.run.state == RunState::Running;
    let ran = match (&state.run.text, state.run.state) {
        (Some(t), RunState::Done) => format!("{}{t}", state.run.prompt),
        _ => String::new(),
    };
    let doc_prompt = state.page.doc.prompt();
    let none_yet = state.explore.explanation.is_none();
    let deps = (
        state.page.ready_model(),
        state.page.doc.target(),
        state.page.doc.explore.seed,
        ran,
        running,
    );
    use_effect_with(deps, move |(ready, target, seed, ran, running)| {
        let mut timer = None;
        if ready.is_some() && !*running {
            let (target, seed, first) = (target.clone(), *seed, ran.is_empty());
            let prompt = if first { doc_prompt } else { ran.clone() };
            let send = move || {
                let run = next_job();
                dispatch.dispatch(Action::Explaining(run));
                bridge.send(ToWorker::Explain {
                    run,
                    target,
                    prompt,
                    seed,
                });
            };
            if first && none_yet {
                timer = Some(gloo_timers::callback::Timeout::new(EXPLAIN_DELAY_MS, send));
            } else {
                send();
            }
        }
        // Dropping a pending timer cancels it.
        move || drop(timer)
    });
}
