//! The Scale view: one family of models (the ladder's rungs) across sizes on the visitor's
//! own prompt, beside the ladder's measured sets and its loss against compute, with a toggle
//! between exact match and the smoother measures (the emergence-or-mirage question).

use std::rc::Rc;

use icl_model::eval::ladder_report::LadderReport;
use web_sys::HtmlInputElement;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::about_box::AboutBox;
use super::chart::Chart;
use super::export_buttons::ExportButtons;
use crate::doc::{Doc, Measure, Vary};
use crate::export::Format;
use crate::i18n::use_lang;
use crate::protocol::{ModelSummary, WorkerError};
use crate::scale::{
    axis_labels, csv, fit_words, json, loss_lines, prompt_lines, report_ks, rows, set_lines, table,
};
use crate::store::Comparison;

/// The shot count the ladder's sets are first shown at (the bar's: 3-digit sums at k = 4).
const FIRST_K: usize = 4;

#[derive(Properties, PartialEq)]
pub struct ScaleProps {
    pub doc: Doc,
    /// The ladder's rungs of the model list, smallest first.
    pub rungs: Vec<ModelSummary>,
    /// The last comparison, when it varied the rung.
    pub comparison: Option<Comparison>,
    /// The ladder's measured table, once come.
    pub ladder: Option<Result<Rc<LadderReport>, WorkerError>>,
    pub busy: bool,
    pub on_doc: Callback<Doc>,
    /// Runs every rung on this document (opening the view).
    pub on_scale: Callback<Doc>,
    /// The exports' names without extension: table, prompt chart, sets chart, loss chart.
    pub files: [AttrValue; 4],
}

#[function_component]
pub fn ScaleView(p: &ScaleProps) -> Html {
    let lang = use_lang();
    let said = use_state(String::new);
    let k = use_state(|| FIRST_K);
    let open = p.doc.explore.vary == Vary::Ladder;
    let measure = p.doc.explore.measure;
    let on_measure = |m: Measure| {
        let (doc, cb) = (p.doc.clone(), p.on_doc.clone());
        Callback::from(move |_: MouseEvent| {
            let mut d = doc.clone();
            d.explore.measure = m;
            cb.emit(d);
        })
    };
    // Training progress: the same place in every rung's own checkpoint list.
    let stages = p
        .rungs
        .iter()
        .map(|m| m.checkpoints.len())
        .max()
        .unwrap_or(0);
    let stage = p.doc.explore.stage.map_or(stages.saturating_sub(1), |s| {
        s.min(stages.saturating_sub(1))
    });
    // A new stage runs the rungs again at it (on release: a drag is one comparison).
    let on_stage = {
        let (doc, cb) = (p.doc.clone(), p.on_scale.clone());
        Callback::from(move |e: Event| {
            let v: usize = e
                .target_unchecked_into::<HtmlInputElement>()
                .value()
                .parse()
                .unwrap_or(0);
            let mut d = doc.clone();
            d.explore.stage = (v + 1 < stages).then_some(v);
            cb.emit(d);
        })
    };
    let stage_words = if p.doc.explore.stage.is_none() {
        lang.t("every rung's final weights").to_string()
    } else {
        lang.f(
            "checkpoint {i} of {n} of every rung",
            &[("i", &(stage + 1)), ("n", &stages)],
        )
    };
    let run = {
        let doc = p.doc.clone();
        p.on_scale.reform(move |_: MouseEvent| doc.clone())
    };
    let comparison = p.comparison.as_ref().filter(|c| c.vary == Vary::Ladder);
    let rows = comparison.map(|c| rows(c, lang)).unwrap_or_default();
    let report = p.ladder.as_ref().and_then(|r| r.as_ref().ok()).cloned();
    let (left, right) = axis_labels(measure, lang);
    let left_range = Some((0.0, 1.0));
    let export = {
        let (rows, doc, report) = (rows.clone(), p.doc.clone(), report.clone());
        let (stem, said) = (p.files[0].to_string(), said.clone());
        let title = lang.t("The ladder on your prompt").to_string();
        Callback::from(move |f: Format| {
            let said = said.clone();
            let t = table(&rows, lang);
            crate::download::save_as(
                f,
                &stem,
                || crate::export::table_svg(&title, &t.heads, &t.rows),
                || csv(&rows),
                || json(&doc, &rows, report.as_deref()),
                lang,
                Callback::from(move |s| said.set(s)),
            );
        })
    };
    let on_k = {
        let k = k.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            k.set(v.parse().unwrap_or(FIRST_K));
        })
    };
    html! {
        <section class="panel scale-view" aria-labelledby="scale-h" id="scale">
            <h2 id="scale-h">{ lang.t("Scale: one family of models across sizes") }</h2>
            <AboutBox about="scale" />
            <p class="explain">{ lang.t("The ladder is one model, one recipe and one data mix at several sizes. Run every rung on your prompt, then switch between exact match and per-character accuracy: does the ability jump with size, or grow smoothly?") }</p>
            if p.rungs.is_empty() {
                <p class="notice">{ lang.t("This model list has no ladder.") }</p>
            } else {
                <div class="row wrap">
                    <button id="run-scale" title={lang.t("Download each rung when it is needed and run it on your examples and query")}
                        onclick={run} disabled={p.busy}>{ if open { lang.t("Run every rung again") } else { lang.t("Scale: run every rung on my prompt") } }</button>
                    <div class="measure-toggle" role="group" aria-label={lang.t("What the curves measure")}>
                        <button type="button" id="measure-exact" class={classes!("secondary", "small", (measure == Measure::Exact).then_some("active"))}
                            aria-pressed={(measure == Measure::Exact).to_string()}
                            title={lang.t("Score each answer all or nothing: right only when every character is")} onclick={on_measure(Measure::Exact)}>{ lang.t("Exact match") }</button>
                        <button type="button" id="measure-smooth" class={classes!("secondary", "small", (measure == Measure::Smooth).then_some("active"))}
                            aria-pressed={(measure == Measure::Smooth).to_string()}
                            title={lang.t("Score the share of right characters and the log-probability of the expected answer: partial progress shows")} onclick={on_measure(Measure::Smooth)}>{ lang.t("Per-character accuracy and log p") }</button>
                    </div>
                </div>
                if stages > 1 {
                    <div class="row wrap">
                        <label for="scale-stage">{ lang.t("Training progress") }</label>
                        <input id="scale-stage" type="range" min="0" max={(stages - 1).to_string()} value={stage.to_string()}
                            title={lang.t("Run every rung at the same place in its own training: each rung trained for its own number of steps")} onchange={on_stage} disabled={p.busy} />
                        <span class="hint" id="scale-stage-words">{ stage_words }</span>
                    </div>
                }
            }
            if open {
                if let Some(c) = comparison {
                    { scale_table(&table(&rows, lang), c.done) }
                    <div id="scale-table-export"><ExportButtons said={(*said).clone()} on_export={export} /></div>
                }
                <div class="scale-charts">
                    if comparison.is_some() {
                        <Chart id="scale-prompt" title={lang.t("Your prompt across the ladder: your query and held-out queries of the same rule")}
                            x_label={lang.t("parameters (log scale)")} left_label={left.clone()} right_label={right.clone().map(AttrValue::from)}
                            lines={prompt_lines(&rows, measure, lang)} left_range={left_range} log_x=true file={p.files[1].clone()} />
                    }
                    { match (&p.ladder, &report) {
                        (_, Some(r)) => html! {
                            <>
                                <div>
                                    <label for="scale-k">{ lang.t("Examples in the prompt") }</label>
                                    <select id="scale-k" onchange={on_k}>
                                        { for report_ks(r).into_iter().map(|v| html! { <option value={v.to_string()} selected={v == *k}>{ v }</option> }) }
                                    </select>
                                    <Chart id="scale-sets" title={lang.f("The ladder's measured sets at k = {k} ({n} queries each)", &[("k", &*k), ("n", &r.queries)])}
                                        x_label={lang.t("parameters (log scale)")} left_label={left.clone()} right_label={right.clone().map(AttrValue::from)}
                                        lines={set_lines(r, *k, measure, lang)} left_range={left_range} log_x=true file={p.files[2].clone()} />
                                </div>
                                <div>
                                    <Chart id="scale-loss" title={lang.t("Final training loss against training compute (6 × parameters × tokens)")}
                                        x_label={lang.t("training compute (FLOPs, log scale)")} left_label={lang.t("loss (nats per character)")}
                                        lines={loss_lines(r, lang)} log_x=true file={p.files[3].clone()} />
                                    if let Some(fit) = &r.loss_fit {
                                        <p class="hint" id="scale-fit">{ fit_words(fit, lang) }</p>
                                    }
                                </div>
                            </>
                        },
                        (Some(Err(e)), None) => html! { <p class="notice">{ e.words(lang) }</p> },
                        _ => html! { <p class="hint">{ lang.t("Loading the ladder's measured table…") }</p> },
                    } }
                </div>
            }
        </section>
    }
}

/// The rungs' table; `data-done` says when every rung has answered.
fn scale_table(t: &crate::scale::ScaleTable, done: bool) -> Html {
    html! {
        <table class="compare" id="scale-table" data-done={done.to_string()}>
            <thead><tr>{ for t.heads.iter().map(|h| html! { <th scope="col">{ h }</th> }) }</tr></thead>
            <tbody>
                { for t.rows.iter().enumerate().map(|(i, (label, cells))| html! {
                    <tr class="scale-row" data-index={i.to_string()}>
                        <th scope="row">{ label }</th>
                        { for cells.iter().enumerate().map(|(j, c)| html! {
                            <td class={classes!((j == 1).then_some("mono"))} translate={(j == 1).then_some("no")}>{ c }</td>
                        }) }
                    </tr>
                }) }
            </tbody>
        </table>
    }
}
