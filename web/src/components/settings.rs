//! Model choice and sampling settings.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::i18n::use_lang;

use crate::doc::{Doc, MAX_NEW_TOKENS, MAX_TEMPERATURE};
use crate::protocol::{ModelRef, ModelSummary};

#[derive(Properties, PartialEq)]
pub struct SettingsProps {
    pub doc: Doc,
    pub models: Vec<ModelSummary>,
    pub on_change: Callback<Doc>,
}

/// A number field's callback: parse, clamp in `apply`, hand the document up. Text that is
/// not a number yet (an empty field while typing) changes nothing.
fn number<T: std::str::FromStr + 'static>(
    doc: &Doc,
    cb: &Callback<Doc>,
    apply: fn(&mut Doc, T),
) -> Callback<InputEvent> {
    let (doc, cb) = (doc.clone(), cb.clone());
    Callback::from(move |e: InputEvent| {
        let v = e.target_unchecked_into::<HtmlInputElement>().value();
        if let Ok(x) = v.trim().parse::<T>() {
            let mut d = doc.clone();
            apply(&mut d, x);
            cb.emit(d);
        }
    })
}

fn params(n: u64) -> String {
    if n >= 1_000_000 {
        format!("{:.1}M", n as f64 / 1e6)
    } else {
        format!("{:.0}k", n as f64 / 1e3)
    }
}

#[function_component]
pub fn Settings(props: &SettingsProps) -> Html {
    let lang = use_lang();
    let (doc, cb) = (&props.doc, &props.on_change);
    let s = &doc.sampling;
    let on_model = {
        let (doc, cb) = (doc.clone(), cb.clone());
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            // Checkpoints and heads belong to one model: start afresh on another.
            cb.emit(Doc {
                model: if v.is_empty() {
                    ModelRef::Default
                } else {
                    ModelRef::from_id(&v)
                },
                explore: crate::doc::Explore {
                    checkpoint: None,
                    ablated: Vec::new(),
                    focus: None,
                    layer: 0,
                    head: None,
                    ..doc.explore.clone()
                },
                ..doc.clone()
            })
        })
    };
    let on_newline = {
        let (doc, cb) = (doc.clone(), cb.clone());
        Callback::from(move |e: Event| {
            let mut d = doc.clone();
            d.sampling.stop_at_newline = e.target_unchecked_into::<HtmlInputElement>().checked();
            cb.emit(d);
        })
    };
    let current = doc
        .model
        .id()
        .or_else(|| props.models.first().map(|m| m.id.as_str()))
        .unwrap_or_default()
        .to_string();
    html! {
        <details class="settings" open=true>
            <summary>{ lang.t("Settings") }</summary>
            <p class="explain">{ lang.t("Temperature 0 always takes the most likely character (greedy). Higher values sample; the seed makes a sample repeatable.") }</p>
            <div class="fields grid">
                <label for="model">{ lang.t("Model") }</label>
                <select id="model" title={lang.t("The model that runs every panel")} onchange={on_model}>
                    // The ladder's rungs belong to the Scale view; one shows here only while it runs.
                    { for props.models.iter().filter(|m| m.rung.is_none() || m.id == current).map(|m| html! {
                        <option value={m.id.clone()} selected={m.id == current}>
                            { lang.f("{name} · {params} parameters", &[("name", &lang.t_owned(&m.name)), ("params", &params(m.params))]) }
                        </option>
                    }) }
                </select>
                <label for="temperature">{ lang.t("Temperature") }</label>
                <input id="temperature" type="number" title={lang.t("0 always takes the most likely character; higher values sample more freely")} min="0" max={MAX_TEMPERATURE.to_string()} step="0.1" value={s.temperature.to_string()}
                    oninput={number(doc, cb, |d, x: f32| d.sampling.temperature = if x.is_finite() { x.clamp(0.0, MAX_TEMPERATURE) } else { 0.0 })} />
                <label for="top-k">{ lang.t("Top-k") }<span class="hint">{ lang.t(" (0 = all)") }</span></label>
                <input id="top-k" type="number" title={lang.t("Sample only among the k most likely characters (0: all)")} min="0" max="98" value={s.top_k.to_string()}
                    oninput={number(doc, cb, |d, x: usize| d.sampling.top_k = x.min(98))} />
                <label for="top-p">{ lang.t("Top-p") }</label>
                <input id="top-p" type="number" title={lang.t("Sample only among the most likely characters that together reach this probability")} min="0.01" max="1" step="0.05" value={s.top_p.to_string()}
                    oninput={number(doc, cb, |d, x: f32| d.sampling.top_p = if x.is_finite() { x.clamp(0.01, 1.0) } else { 1.0 })} />
                <label for="max-tokens">{ lang.t("Max new tokens") }</label>
                <input id="max-tokens" type="number" title={lang.t("The most characters the model writes")} min="1" max={MAX_NEW_TOKENS.to_string()} value={s.max_new_tokens.to_string()}
                    oninput={number(doc, cb, |d, x: usize| d.sampling.max_new_tokens = x.clamp(1, MAX_NEW_TOKENS))} />
                <label for="seed">{ lang.t("Seed") }</label>
                <input id="seed" type="number" title={lang.t("The seed of sampling: the same seed gives the same sample")} min="0" value={s.seed.to_string()}
                    oninput={number(doc, cb, |d, x: u64| d.sampling.seed = x)} />
                <label for="stop-newline">{ lang.t("Stop at newline") }</label>
                <input id="stop-newline" type="checkbox" title={lang.t("Stop at the end of the line, where the answer ends")} checked={s.stop_at_newline} onchange={on_newline} />
            </div>
        </details>
    }
}
