//! The ICL curve small, beside the answer: on a first visit the page measures it by itself,
//! so the answer and how it grew with the examples are on the first screen. The full chart,
//! with its controls and explanation, is the ICL curve panel further down.

use yew::prelude::*;

use crate::i18n::use_lang;

use super::chart::Chart;
use super::icl_curve::series_lines;
use crate::store::Series;

#[derive(Properties, PartialEq)]
pub struct PreviewProps {
    pub series: Vec<Series>,
    /// The exports' name without extension.
    pub file: AttrValue,
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
        <div class="panel" role="region" aria-label={lang.t("The answer against the number of examples")} id="curve-preview">
            <div style="max-width: 22rem">
                <Chart id="curve-preview-chart" title={lang.t("Exact match (left axis, solid) and mean log-probability of the right answer (right axis, dashed) against the number of examples")}
                    x_label={lang.t("examples in the prompt (k)")} left_label={lang.t("exact match (%)")} right_label={Some(AttrValue::from(lang.t("mean log p (nats)")))}
                    left_range={Some((0.0, 100.0))} lines={lines} file={p.file.clone()} />
            </div>
            <p class="hint"><a href="#icl-curve">{ lang.t("The ICL curve in full, to measure again or compare: below") }</a></p>
        </div>
    }
}
