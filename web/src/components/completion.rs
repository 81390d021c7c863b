//! The streamed completion: one chip per token shaded by its probability, with its top-5
//! alternatives on hover or focus, and the comparison with the expected answer.

use std::rc::Rc;

use crate::glyph::shown;
use icl_model::net::sampling::TokenInfo;
use yew::prelude::*;

use crate::i18n::{Lang, use_lang};

use super::about_box::AboutBox;

use crate::store::{PromptNotice, RunState};

/// What the page says beside a run about its prompt (in English, as the worker's words).
pub fn notice_words(n: &PromptNotice) -> String {
    let mut notes = Vec::new();
    if n.unknown_chars > 0 {
        notes.push(format!(
            "{} character{} not in the model's alphabet (read as <unk>)",
            n.unknown_chars,
            if n.unknown_chars == 1 { " is" } else { "s are" }
        ));
    }
    if n.dropped_tokens > 0 {
        notes.push(format!(
            "the prompt is longer than the model's window: its first {} characters were left out",
            n.dropped_tokens
        ));
    }
    notes.join("; ")
}

#[derive(Properties, PartialEq)]
pub struct CompletionProps {
    /// Shared with the store (a render copies no token).
    pub tokens: Rc<Vec<TokenInfo>>,
    pub run_state: RunState,
    pub text: Option<String>,
    pub reason: Option<String>,
    /// The expected completion of this run, if known.
    pub expected: Option<String>,
    /// Its log-probability (nats) under the model, once scored.
    pub expected_logprob: Option<f32>,
    /// Saves the completion with its per-token probabilities as JSON.
    pub on_export: Callback<()>,
}

/// The alternatives of one token: probability bars of the five most likely characters.
fn alternatives(lang: Lang, t: &TokenInfo) -> Html {
    html! {
        <div id="token-detail" class="detail">
            <p class="tip-head">{ lang.f("“{c}”: p = {p}% · log p = {lp}. The five characters the model considered:", &[("c", &shown(&t.text)), ("p", &format!("{:.1}", t.prob * 100.0)), ("lp", &format!("{:.2}", t.logprob))]) }</p>
            <table>
                <caption class="sr-only">{ lang.t("Top 5 next characters and their probabilities") }</caption>
                <tbody>
                { for t.top.iter().map(|a| html! {
                    <tr class={classes!((a.id == t.id).then_some("chosen"))}>
                        <td class="mono" translate="no">{ shown(&a.text) }</td>
                        <td class="bar"><span style={format!("width: {:.1}%", a.prob * 100.0)} /></td>
                        <td class="num">{ format!("{:.1}%", a.prob * 100.0) }</td>
                    </tr>
                }) }
                </tbody>
            </table>
        </div>
    }
}

#[function_component]
pub fn Completion(props: &CompletionProps) -> Html {
    let lang = use_lang();
    let state = match props.run_state {
        RunState::Idle => "idle",
        RunState::Running => "running",
        RunState::Done => "done",
    };
    let text = props.text.clone().unwrap_or_default();
    // The token whose alternatives are shown (hovered or focused); one panel for all tokens
    // keeps each token a single element, so long completions stay cheap to render.
    let selected = use_state(|| None::<usize>);
    let chips = props.tokens.iter().enumerate().map(|(i, t)| {
        let select = {
            let selected = selected.clone();
            Callback::from(move |_| selected.set(Some(i)))
        };
        html! {
            <span class="token" key={i} tabindex="0" style={format!("--p: {:.3}", t.prob)}
                data-id={t.id.to_string()} data-prob={format!("{:.4}", t.prob)}
                aria-label={lang.f("{c} with probability {p}%", &[("c", &shown(&t.text)), ("p", &format!("{:.1}", t.prob * 100.0))])}
                onmouseenter={select.reform(|_: MouseEvent| ())} onfocus={select.reform(|_: FocusEvent| ())}>
                { shown(&t.text) }
            </span>
        }
    });
    let detail = selected
        .and_then(|i| props.tokens.get(i))
        .map(|t| alternatives(lang, t));
    let verdict = match (&props.expected, &props.text) {
        (Some(e), Some(t)) => {
            let ok = e == t;
            let lp = props.expected_logprob.map(|lp| {
                lang.f(
                    " · log p(expected) = {lp} nats (p = {p}%)",
                    &[
                        ("lp", &format!("{lp:.2}")),
                        ("p", &format!("{:.1}", 100.0 * lp.exp())),
                    ],
                )
            });
            Some(html! {
                <p id="verdict" class={classes!("verdict", if ok { "ok" } else { "miss" })} data-match={ok.to_string()}>
                    { if ok { lang.t("✓ Exact match with the expected answer").to_string() } else { lang.f("✗ Expected “{e}”", &[("e", &e.trim_start())]) } }
                    { lp.unwrap_or_default() }
                </p>
            })
        }
        _ => None,
    };
    html! {
        <section class="panel" aria-labelledby="completion-h">
            <h2 id="completion-h">{ lang.t("3 · Completion") }</h2>
            <AboutBox about="completion" />
            <div id="completion" translate="no" data-state={state} data-text={text} aria-live="off">
                { for chips }
                if props.run_state == RunState::Running { <span class="cursor" aria-hidden="true"></span> }
                if props.run_state == RunState::Idle && props.tokens.is_empty() { <span class="placeholder">{ lang.t("Press Run (or Ctrl+Enter) to complete the prompt.") }</span> }
            </div>
            { detail.unwrap_or_default() }
            if let Some(r) = &props.reason {
                <p class="meta">{ lang.f("{n} tokens, ended by {why}", &[("n", &props.tokens.len()), ("why", r)]) }
                    <button id="export-completion" type="button" class="secondary small" title={lang.t("Save the completion with each character's probability and the alternatives the model considered, as JSON")}
                        onclick={props.on_export.reform(|_: MouseEvent| ())}>{ lang.t("Save as JSON") }</button>
                </p>
            }
            { verdict.unwrap_or_default() }
            <p class="explain">{ lang.t("Each character the model wrote, shaded by how sure it was (darker = more probable). Hover or focus a character to see the five it considered.") }</p>
        </section>
    }
}
