//! The compare view: completions side by side as one thing varies (shots, model,
//! checkpoint, sampling, labels), each scored on its held-out batch.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::i18n::use_lang;

use super::about_box::AboutBox;

use crate::doc::{Doc, Vary};
use crate::store::Comparison;

#[derive(Properties, PartialEq)]
pub struct CompareProps {
    pub doc: Doc,
    pub comparison: Option<Comparison>,
    pub busy: bool,
    pub on_doc: Callback<Doc>,
    pub on_compare: Callback<()>,
}

fn vary_name(v: Vary) -> &'static str {
    match v {
        Vary::Shots => "number of examples",
        Vary::Model => "model",
        Vary::Checkpoint => "training checkpoint",
        Vary::Sampling => "temperature and seed",
        Vary::Labels => "labels (correct, shuffled, flipped)",
        Vary::Ladder => "model size (the ladder's rungs)",
    }
}

const VARIES: [Vary; 6] = [
    Vary::Shots,
    Vary::Model,
    Vary::Ladder,
    Vary::Checkpoint,
    Vary::Sampling,
    Vary::Labels,
];

/// Completions side by side for one varied setting, with a batch score per column.
#[function_component]
pub fn Compare(p: &CompareProps) -> Html {
    let lang = use_lang();
    let on_vary = {
        let (doc, cb) = (p.doc.clone(), p.on_doc.clone());
        Callback::from(move |e: Event| {
            let i: usize = e
                .target_unchecked_into::<HtmlSelectElement>()
                .value()
                .parse()
                .unwrap_or(0);
            let mut d = doc.clone();
            d.explore.vary = VARIES[i.min(VARIES.len() - 1)];
            cb.emit(d);
        })
    };
    let compare = p.on_compare.reform(|_: MouseEvent| ());
    let selected = VARIES
        .iter()
        .position(|v| *v == p.doc.explore.vary)
        .unwrap_or(0);
    html! {
        <section class="panel" aria-labelledby="compare-h" id="compare">
            <h2 id="compare-h">{ lang.t("Compare") }</h2>
            <AboutBox about="compare" />
            <div class="row wrap">
                <label for="vary">{ lang.t("Vary") }</label>
                <select id="vary" title={lang.t("What changes from one column to the next")} onchange={on_vary}>
                    { for VARIES.iter().enumerate().map(|(i, v)| html! {
                        <option value={i.to_string()} selected={i == selected}>{ lang.t(vary_name(*v)) }</option>
                    }) }
                </select>
                <button id="run-compare" title={lang.t("Run every column and score each on held-out queries")} onclick={compare} disabled={p.busy}>{ lang.t("Compare") }</button>
            </div>
            if let Some(c) = p.comparison.as_ref().filter(|c| c.vary == Vary::Ladder) {
                <p class="hint" id="compare-ladder" data-done={c.done.to_string()}>{ lang.t("The rungs' answers are in the Scale view, with their curves against size.") }</p>
            } else if let Some(c) = &p.comparison {
                <table class="compare" id="compare-table" data-done={c.done.to_string()}>
                    <thead><tr>
                        <th scope="col">{ lang.t(vary_name(c.vary)) }</th><th scope="col">{ lang.t("completion") }</th>
                        <th scope="col">{ lang.t("exact") }</th><th scope="col">{ lang.t("log p (expected)") }</th>
                        <th scope="col">{ lang.t("batch: exact · mean log p") }</th>
                    </tr></thead>
                    <tbody>
                        { for c.labels.iter().enumerate().map(|(i, label)| {
                            let row = c.results.get(i).cloned().flatten();
                            let r = row.as_ref().and_then(|r| r.as_ref().ok());
                            let b = c.batches.get(i).and_then(|b| b.point.clone());
                            html! {
                                <tr class="compare-row" data-index={i.to_string()}>
                                    <th scope="row">{ lang.t_owned(label) }</th>
                                    <td class="mono" translate="no">{ match &row { None => "…".to_string(), Some(Err(e)) => e.words(lang), Some(Ok(r)) => crate::glyph::shown(&r.text) } }</td>
                                    <td data-match={r.and_then(|r| r.exact_match).map(|m| m.to_string()).unwrap_or_default()}>
                                        { match r.and_then(|r| r.exact_match) { Some(true) => "✓", Some(false) => "✗", None => "–" } }</td>
                                    <td>{ r.and_then(|r| r.logprob).map(|l| format!("{l:.2}")).unwrap_or_else(|| "–".into()) }</td>
                                    <td class="batch" data-exact={b.as_ref().map(|b| b.exact_match.to_string()).unwrap_or_default()} data-logprob={b.as_ref().map(|b| b.mean_logprob.to_string()).unwrap_or_default()}>
                                        { b.map(|b| format!("{:.0} % · {:.2} (n = {})", 100.0 * b.exact_match, b.mean_logprob, b.n)).unwrap_or_else(|| "–".into()) }</td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
                if c.vary == Vary::Model {
                    <p class="hint">{ lang.t("These models differ in kind as well as size. For one family across sizes, open the Scale view.") }</p>
                }
            }
            <p class="explain">{ lang.t("Change one thing and see the completions side by side. Each column also scores a batch of held-out queries (fresh words of the same preset, or your examples left out one at a time).") }</p>
        </section>
    }
}
