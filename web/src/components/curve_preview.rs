//! The ICL curve small, beside the answer: on a first visit the page measures it by itself,
//! so the answer and how it grew with the examples are on the first screen. The full chart,
//! with its controls and explanation, is the ICL curve panel further down.

use yew::prelude::*;

use icl_model::eval::score::SweepPoint;

use crate::i18n::{Lang, use_lang};

use super::chart::Chart;
use super::icl_curve::series_lines;
use crate::store::Series;

#[derive(Properties, PartialEq)]
pub struct PreviewProps {
    pub series: Vec<Series>,
    /// The exports' name without extension.
    pub file: AttrValue,
}

/// The curve in words, beside it: exact match with no examples, with the most, and at best.
fn reading(s: &Series, lang: Lang) -> Html {
    let scored: Vec<_> = s.points.iter().filter(|q| q.n > 0).collect();
    let (Some(first), Some(last)) = (scored.first(), scored.last()) else {
        return html! {};
    };
    let best = scored
        .iter()
        .max_by(|a, b| a.exact_match.total_cmp(&b.exact_match).then(b.k.cmp(&a.k)))
        .unwrap_or(first);
    let pct = |q: &SweepPoint| format!("{:.0}", 100.0 * q.exact_match);
    html! {
        <ul class="preview-reading" id="curve-reading">
            <li>{ lang.f("k = {k}: {e} % exact", &[("k", &first.k), ("e", &pct(first))]) }</li>
            <li>{ lang.f("k = {k}: {e} % exact", &[("k", &last.k), ("e", &pct(last))]) }</li>
            <li>{ lang.f("best: {e} % at k = {k}", &[("k", &best.k), ("e", &pct(best))]) }</li>
        </ul>
    }
}

#[function_component]
pub fn CurvePreview(p: &PreviewProps) -> Html {
    let lang = use_lang();
    let lines = series_lines(&p.series, lang);
    if lines.is_empty() {
        return html! {};
    }
    html! {
        // No heading and narrow, so that it fits under the answer on a laptop's first screen;
        // a part of the ICL curve panel (which explains it), not a panel of its own.
        <div class="panel preview-row" role="region" aria-label={lang.t("The answer against the number of examples")} id="curve-preview">
            <div class="preview-chart">
                <Chart id="curve-preview-chart" title={lang.t("Exact match (left axis, solid) and mean log-probability of the right answer (right axis, dashed) against the number of examples")}
                    x_label={lang.t("examples in the prompt (k)")} left_label={lang.t("exact match (%)")} right_label={Some(AttrValue::from(lang.t("mean log p (nats)")))}
                    left_range={Some((0.0, 100.0))} lines={lines} file={p.file.clone()} />
            </div>
            <div class="preview-words">
                { for p.series.last().map(|s| reading(s, lang)) }
                <p class="hint"><a href="#icl-curve">{ lang.t("The ICL curve in full, to measure again or compare: below") }</a></p>
            </div>
        </div>
    }
}
