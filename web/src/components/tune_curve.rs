//! Learning in weights against learning in context, as two small charts side by side: the
//! examples' and the query's scores against the tune's steps, and the in-context curve
//! against the number of examples in the prompt (an ICL curve on the visitor's examples).

use icl_model::eval::in_weights::LeaveOneOut;
use icl_model::train::tune::{QueryScore, TunePoint};
use yew::prelude::*;

use super::chart::{Axis, COLORS, Chart, Line};
use super::icl_curve::series_lines;
use crate::i18n::{Lang, use_lang};
use crate::store::Series;

#[derive(Properties, PartialEq)]
pub struct TuneCurvesProps {
    pub points: Vec<TunePoint>,
    /// The in-context curve on the examples, once measured.
    pub in_context: Option<Series>,
    /// Whether the worker is busy (the in-context curve waits).
    pub busy: bool,
    pub on_measure: Callback<()>,
    /// The exports' names without extension: the tuning curve's and the in-context curve's.
    pub file: AttrValue,
    pub file_in_context: AttrValue,
}

/// Exact match (%) of the examples that were scored (none fitted the window: no point, not
/// a 0 %).
fn exact(l: &LeaveOneOut) -> Option<f64> {
    (l.n > 0).then(|| 100.0 * f64::from(l.exact))
}

/// Mean answer log-probability of the examples that were scored.
fn logprob(l: &LeaveOneOut) -> Option<f64> {
    (l.n > 0).then(|| f64::from(l.logprob))
}

/// The query's answer log-probability, when its answer is known.
fn query(q: &Option<QueryScore>) -> Option<f64> {
    q.map(|q| f64::from(q.logprob))
}

/// A point's value on one line of the tuning curve (`None`: not measured).
type Value = fn(&TunePoint) -> Option<f64>;

/// The tuning curve's lines: the label, the colour, the axis (the right one's lines dashed)
/// and a point's value. The examples' exact match and mean log-probability, alone (in
/// weights) and as each other's shots (both), and the query's log-probability when its
/// answer is known.
const LINES: [(&str, usize, Axis, Value); 6] = [
    (
        "your examples in weights: exact match (%)",
        2,
        Axis::Left,
        |p| exact(&p.in_weights),
    ),
    ("your examples, both: exact match (%)", 4, Axis::Left, |p| {
        exact(&p.both)
    }),
    (
        "your examples in weights: mean log p (nats)",
        2,
        Axis::Right,
        |p| logprob(&p.in_weights),
    ),
    (
        "your examples, both: mean log p (nats)",
        4,
        Axis::Right,
        |p| logprob(&p.both),
    ),
    ("your query in weights: log p (nats)", 0, Axis::Right, |p| {
        query(&p.query_in_weights)
    }),
    ("your query, both: log p (nats)", 1, Axis::Right, |p| {
        query(&p.query_both)
    }),
];

/// The tuning curve's [`LINES`] that have points, worded in `lang`.
pub fn tune_lines(points: &[TunePoint], lang: Lang) -> Vec<Line> {
    LINES
        .iter()
        .map(|&(label, color, axis, of)| Line {
            label: lang.t(label).to_string(),
            color: COLORS[color],
            axis,
            dashed: axis == Axis::Right,
            points: points
                .iter()
                .filter_map(|p| Some((p.step as f64, of(p)?)))
                .collect(),
        })
        .filter(|l| !l.points.is_empty())
        .collect()
}

#[function_component]
pub fn TuneCurves(p: &TuneCurvesProps) -> Html {
    let lang = use_lang();
    let tuned = tune_lines(&p.points, lang);
    let in_context = series_lines(p.in_context.as_slice(), lang);
    html! {
        <div class="layout tune-curves">
            <div class="col">
                if !tuned.is_empty() {
                    <Chart id="tune-chart" title={lang.t("In weights: exact match (left axis, solid) and log-probability of the right answers (right axis, dashed) against the tune's steps")}
                        x_label={lang.t("tuning step")} left_label={lang.t("exact match (%)")} right_label={Some(AttrValue::from(lang.t("log p (nats)")))}
                        left_range={Some((0.0, 100.0))} lines={tuned} file={p.file.clone()} />
                }
            </div>
            <div class="col">
                <button id="tune-measure" class="secondary" onclick={p.on_measure.reform(|_: MouseEvent| ())} disabled={p.busy}
                    title={lang.t("Score each of your examples with 0 to 8 of the others in the prompt, on the weights the tune starts from")}>{ lang.t("Measure in context, k = 0…8") }</button>
                if !in_context.is_empty() {
                    <Chart id="tune-icl-chart" title={lang.t("In context: exact match (left axis, solid) and mean log-probability of the right answer (right axis, dashed) against the number of your examples in the prompt, shipped weights")}
                        x_label={lang.t("examples in the prompt (k)")} left_label={lang.t("exact match (%)")} right_label={Some(AttrValue::from(lang.t("mean log p (nats)")))}
                        left_range={Some((0.0, 100.0))} lines={in_context} file={p.file_in_context.clone()} />
                }
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(step: usize, n: usize, query: Option<f32>) -> TunePoint {
        let loo = LeaveOneOut {
            n,
            exact: 0.5,
            logprob: -2.0,
        };
        TunePoint {
            step,
            loss: f32::NAN,
            in_weights: loo,
            both: loo,
            query_in_weights: query.map(|logprob| QueryScore {
                exact: false,
                logprob,
            }),
            query_both: None,
        }
    }

    #[test]
    fn the_tuning_curve_draws_what_was_measured_against_steps() {
        let lines = tune_lines(&[point(0, 4, Some(-5.0)), point(3, 4, None)], Lang::En);
        let labels: Vec<&str> = lines.iter().map(|l| l.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "your examples in weights: exact match (%)",
                "your examples, both: exact match (%)",
                "your examples in weights: mean log p (nats)",
                "your examples, both: mean log p (nats)",
                "your query in weights: log p (nats)",
            ],
            "the query's lines only where its answer is known"
        );
        assert_eq!(lines[0].points, [(0.0, 50.0), (3.0, 50.0)]);
        assert_eq!(lines[3].points, [(0.0, -2.0), (3.0, -2.0)]);
        assert_eq!(lines[4].points, [(0.0, -5.0)]);
        // Examples that did not fit the window score nothing: no point, not a 0 %.
        assert!(tune_lines(&[point(0, 0, None)], Lang::En).is_empty());
    }
}
