//! The training checkpoints: a slider over the shipped checkpoints, over the training loss,
//! ICL score and top induction score.

use std::rc::Rc;

use icl_model::eval::metrics::max_score;
use icl_model::train::curves::CurvePoint;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::i18n::use_lang;

use super::about_box::AboutBox;

use super::chart::{Axis, COLORS, Chart, Line};
use crate::doc::Doc;
use crate::protocol::ModelSummary;

#[derive(Properties, PartialEq)]
pub struct TrainingProps {
    pub doc: Doc,
    pub model: Option<ModelSummary>,
    pub curves: Option<Rc<Vec<CurvePoint>>>,
    /// The live top induction score at the chosen checkpoint.
    pub live_top: Option<f32>,
    pub on_doc: Callback<Doc>,
    /// The exports' name without extension.
    pub file: AttrValue,
}

/// The checkpoint scrubber: a slider over the model's shipped checkpoints that every panel
/// follows, over its training loss and top induction score.
#[function_component]
pub fn Training(p: &TrainingProps) -> Html {
    let lang = use_lang();
    let Some(m) = &p.model else {
        return html! {};
    };
    if m.checkpoints.is_empty() {
        return html! {};
    }
    let steps = &m.checkpoints;
    let last = steps.len(); // the final weights
    let at = p
        .doc
        .explore
        .checkpoint
        .and_then(|c| steps.iter().position(|&s| s == c))
        .unwrap_or(last);
    let which = if at == last {
        lang.t("final weights").to_string()
    } else {
        lang.f("step {s}", &[("s", &steps[at])])
    };
    let on_slide = {
        let (doc, cb, steps) = (p.doc.clone(), p.on_doc.clone(), steps.clone());
        Callback::from(move |e: InputEvent| {
            let i: usize = e
                .target_unchecked_into::<HtmlInputElement>()
                .value()
                .parse()
                .unwrap_or(steps.len());
            let mut d = doc.clone();
            d.explore.checkpoint = steps.get(i).copied();
            cb.emit(d);
        })
    };
    let step = steps.get(at).copied().or(steps.last().copied());
    let points: &[CurvePoint] = p.curves.as_deref().map_or(&[], Vec::as_slice);
    let logged = step.and_then(|s| points.iter().find(|c| c.step as u64 == s));
    let lines = vec![
        Line {
            label: lang.t("training loss (nats per character)").into(),
            color: COLORS[0],
            axis: Axis::Left,
            dashed: false,
            points: points
                .iter()
                .filter_map(|c| Some((c.step.max(1) as f64, f64::from(c.loss?))))
                .collect(),
        },
        Line {
            label: lang.t("top induction score").into(),
            color: COLORS[1],
            axis: Axis::Right,
            dashed: true,
            points: points
                .iter()
                .map(|c| (c.step.max(1) as f64, f64::from(max_score(&c.induction))))
                .collect(),
        },
        Line {
            label: lang.t("ICL score (nats, late − early tokens)").into(),
            color: COLORS[2],
            axis: Axis::Left,
            dashed: true,
            points: points
                .iter()
                .map(|c| (c.step.max(1) as f64, f64::from(c.icl_score)))
                .collect(),
        },
    ];
    html! {
        <section class="panel" aria-labelledby="train-h" id="training">
            <h2 id="train-h">{ lang.t("Training checkpoints") }</h2>
            <AboutBox about="training" />
            <label for="checkpoint">{ lang.f("Checkpoint: {which}", &[("which", &which)]) }</label>
            <input id="checkpoint" type="range" title={lang.t("Pick a training checkpoint: every panel runs on it")} min="0" max={last.to_string()} value={at.to_string()} oninput={on_slide}
                aria-valuetext={which.clone()} />
            <p id="checkpoint-scores" data-step={step.map(|s| s.to_string()).unwrap_or_default()}
                data-logged-top={logged.map(|c| max_score(&c.induction).to_string()).unwrap_or_default()}
                data-live-top={p.live_top.map(|v| v.to_string()).unwrap_or_default()}>
                { match (logged, p.live_top) {
                    (Some(c), Some(live)) => lang.f("At step {step}: top induction {logged} (recorded in training), {live} (measured now); training loss {loss}.",
                        &[("step", &c.step), ("logged", &format!("{:.3}", max_score(&c.induction))), ("live", &format!("{live:.3}")), ("loss", &c.loss.map(|l| format!("{l:.3}")).unwrap_or_else(|| "–".into()))]),
                    (_, Some(live)) => lang.f("Top induction measured now: {live}.", &[("live", &format!("{live:.3}"))]),
                    _ => lang.t("Measuring…").to_string(),
                } }
            </p>
            if !points.is_empty() {
                <Chart id="training-chart" title={lang.t("Training loss and ICL score (left axis) and top induction score (right axis) against training step, log scale")}
                    x_label={lang.t("training step (log scale)")} left_label={lang.t("nats")} right_label={Some(AttrValue::from(lang.t("induction score")))}
                    right_range={Some((0.0, 1.0))} log_x=true marker={step.map(|s| s as f64)} lines={lines} file={p.file.clone()} />
            }
            <p class="explain">{ lang.t("Scrub through training: every panel runs on the chosen checkpoint. The phase change is where the loss bends and the top induction score jumps together.") }</p>
        </section>
    }
}
