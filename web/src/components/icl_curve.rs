//! The ICL curve: exact match and mean log-probability of the right answer against the
//! number of examples, for every measured series.

use yew::prelude::*;

use crate::i18n::{Lang, use_lang};

use super::about_box::AboutBox;

use super::chart::{Axis, COLORS, Chart, Line};
use crate::store::Series;

#[derive(Properties, PartialEq)]
pub struct CurveProps {
    pub series: Vec<Series>,
    pub busy: bool,
    pub on_measure: Callback<()>,
    pub on_clear: Callback<()>,
    /// What the sweep is measured on, in words.
    pub source: AttrValue,
    /// The exports' name without extension.
    pub file: AttrValue,
}

/// The chart's lines of `series`: per series, exact match (left axis, solid) and mean
/// log-probability of the right answer (right axis, dashed) against the number of shots.
pub fn series_lines(series: &[Series], lang: Lang) -> Vec<Line> {
    let mut lines = Vec::new();
    for (i, s) in series.iter().enumerate() {
        let color = COLORS[i % COLORS.len()];
        // A shot count with nothing to score (more shots than the examples allow) is not a
        // point: drawn as 0 % it would read as a measured failure.
        let pts = |f: fn(&icl_model::eval::score::SweepPoint) -> f64| {
            s.points
                .iter()
                .filter(|q| q.n > 0)
                .map(|q| (q.k as f64, f(q)))
                .collect()
        };
        lines.push(Line {
            label: lang.f("{series}: exact match (%)", &[("series", &s.label)]),
            color,
            axis: Axis::Left,
            dashed: false,
            points: pts(|q| 100.0 * f64::from(q.exact_match)),
        });
        lines.push(Line {
            label: lang.f(
                "{series}: mean log p of the answer (nats)",
                &[("series", &s.label)],
            ),
            color,
            axis: Axis::Right,
            dashed: true,
            points: pts(|q| f64::from(q.mean_logprob)),
        });
    }
    lines
}

/// Exact match and mean log-probability of the right answer against the number of shots.
#[function_component]
pub fn IclCurve(p: &CurveProps) -> Html {
    let lang = use_lang();
    let lines = series_lines(&p.series, lang);
    let unmeasured: Vec<usize> = p
        .series
        .iter()
        .flat_map(|s| s.points.iter().filter(|q| q.n == 0).map(|q| q.k))
        .collect();
    let measure = p.on_measure.reform(|_: MouseEvent| ());
    let clear = p.on_clear.reform(|_: MouseEvent| ());
    html! {
        <section class="panel" aria-labelledby="curve-h" id="icl-curve">
            <h2 id="curve-h">{ lang.t("ICL curve") }</h2>
            <AboutBox about="icl-curve" />
            <div class="row wrap">
                <button id="measure-curve" title={lang.t("Score held-out queries with 0 to 8 examples in the prompt and draw the curve")} onclick={measure} disabled={p.busy}>{ lang.t("Measure k = 0…8") }</button>
                <button id="clear-curves" title={lang.t("Remove every curve from the chart")} class="secondary" onclick={clear} disabled={p.series.is_empty()}>{ lang.t("Clear") }</button>
                <span class="hint">{ lang.t("Measure again after switching model, checkpoint or heads to overlay curves.") }</span>
            </div>
            if let (Some(lo), Some(hi)) = (unmeasured.iter().min(), unmeasured.iter().max()) {
                <p id="curve-unmeasured" class="hint">{ format!("k = {lo}…{hi} is not drawn: leaving one of your examples out as the query leaves fewer than k to show. Add examples to measure it.") }</p>
            }
            if !lines.is_empty() {
                <Chart id="curve-chart" title={lang.t("Exact match (left axis, solid) and mean log-probability of the right answer (right axis, dashed) against the number of examples")}
                    x_label={lang.t("examples in the prompt (k)")} left_label={lang.t("exact match (%)")} right_label={Some(AttrValue::from(lang.t("mean log p (nats)")))}
                    left_range={Some((0.0, 100.0))} lines={lines} file={p.file.clone()} />
            }
            <p class="explain">{ lang.t("How the answer improves with the number of examples (k), on ") }{ p.source.clone() }
                { lang.t(". Exact match can jump from 0 to 100 % while the log-probability of the right answer rises smoothly: a whole word is right only once every letter is, so a sharp \"emergence\" in the first can be a gradual change measured coarsely (Schaeffer et al. 2023).") }</p>
        </section>
    }
}
