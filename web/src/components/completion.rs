//! The streamed completion: one chip per token, with its probability and alternatives.

use icl_model::sampling::TokenInfo;
use yew::prelude::*;

use crate::state::RunState;

#[derive(Properties, PartialEq)]
pub struct CompletionProps {
    pub tokens: Vec<TokenInfo>,
    pub run_state: RunState,
    pub text: Option<String>,
    pub reason: Option<String>,
}

/// How a token is shown: whitespace made visible.
fn shown(text: &str) -> String {
    match text {
        "\n" => "↵".to_string(),
        " " => "␣".to_string(),
        t => t.to_string(),
    }
}

fn tooltip(t: &TokenInfo) -> String {
    let alts: Vec<String> = t
        .top
        .iter()
        .map(|a| format!("{} {:.1}%", shown(&a.text), a.prob * 100.0))
        .collect();
    format!(
        "p = {:.1}%, log p = {:.2}\nalternatives: {}",
        t.prob * 100.0,
        t.logprob,
        alts.join(", ")
    )
}

#[function_component]
pub fn Completion(props: &CompletionProps) -> Html {
    let state = match props.run_state {
        RunState::Idle => "idle",
        RunState::Running => "running",
        RunState::Done => "done",
    };
    let text = props.text.clone().unwrap_or_default();
    html! {
        <section class="completion" aria-label="Completion">
            <h2>{ "Completion" }</h2>
            <div id="completion" data-state={state} data-text={text}>
                { for props.tokens.iter().enumerate().map(|(i, t)| {
                    // Opacity follows the probability, so unsure tokens look faint.
                    let style = format!("--p: {:.3}", t.prob);
                    html! {
                        <span class="token" key={i} title={tooltip(t)} style={style} data-id={t.id.to_string()}>
                            { shown(&t.text) }
                        </span>
                    }
                }) }
                if props.run_state == RunState::Running { <span class="cursor" aria-hidden="true">{ "▍" }</span> }
            </div>
            if let Some(r) = &props.reason {
                <p class="meta">{ format!("{} tokens, ended by {r}", props.tokens.len()) }</p>
            }
        </section>
    }
}
