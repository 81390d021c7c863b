//! "Train a model in this tab": Train, Pause and Reset a small attention-only model in the
//! worker, and watch its loss, its losses on the two copies of a repeated string, and its
//! heads' scores, with the step where the induction head formed marked.

use icl_model::eval::metrics::max_score;
use icl_model::train::live::PHASE_CHANGE_INDUCTION;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::i18n::use_lang;

use super::about_box::AboutBox;
use super::download_link::DownloadLink;

use super::chart::{Axis, COLORS, Chart, Line};
use crate::live_run::{LiveRun, LiveSettings};
use crate::protocol::WeightFile;

#[derive(Properties, PartialEq)]
pub struct LiveTrainingProps {
    pub live: LiveRun,
    /// The settings shown (edited before Train).
    pub settings: LiveSettings,
    pub on_settings: Callback<LiveSettings>,
    pub on_train: Callback<()>,
    pub on_pause: Callback<()>,
    pub on_reset: Callback<()>,
    /// The live model's weight file, once asked for.
    pub file: Option<std::rc::Rc<WeightFile>>,
    pub on_export: Callback<()>,
}

fn curve(live: &LiveRun, f: impl Fn(&crate::live_run::LivePoint) -> f32) -> Vec<(f64, f64)> {
    live.points
        .iter()
        .map(|p| (p.step as f64, f64::from(f(p))))
        .collect()
}

#[function_component]
pub fn LiveTraining(p: &LiveTrainingProps) -> Html {
    let lang = use_lang();
    let s = &p.settings;
    let edit = |f: fn(&mut LiveSettings, String)| {
        let (s, cb) = (s.clone(), p.on_settings.clone());
        Callback::from(move |e: Event| {
            let target = e.target_unchecked_into::<HtmlInputElement>();
            let mut next = s.clone();
            f(&mut next, target.value());
            cb.emit(next);
        })
    };
    let on_layers = {
        let (s, cb) = (s.clone(), p.on_settings.clone());
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            cb.emit(LiveSettings {
                layers: v.parse().unwrap_or(2),
                ..s.clone()
            });
        })
    };
    let live = &p.live;
    let same = live.settings == *s && !live.points.is_empty();
    let formed = live.formed_at();
    let lines = vec![
        Line {
            label: lang.t("training loss").into(),
            color: COLORS[0],
            axis: Axis::Left,
            dashed: false,
            points: curve(live, |q| q.loss),
        },
        Line {
            label: lang.t("loss on the first copy of a repeated string").into(),
            color: COLORS[5],
            axis: Axis::Left,
            dashed: true,
            points: curve(live, |q| q.scores.loss_first_copy),
        },
        Line {
            label: lang.t("loss on its second copy").into(),
            color: COLORS[2],
            axis: Axis::Left,
            dashed: true,
            points: curve(live, |q| q.scores.loss_second_copy),
        },
        Line {
            label: lang.t("top induction score").into(),
            color: COLORS[1],
            axis: Axis::Right,
            dashed: false,
            points: curve(live, |q| q.scores.top_induction()),
        },
        Line {
            label: lang.t("top previous-token score").into(),
            color: COLORS[4],
            axis: Axis::Right,
            dashed: true,
            points: curve(live, |q| max_score(&q.scores.previous_token)),
        },
    ];
    let status = match live.last() {
        None if live.training => lang.t("Starting…").to_string(),
        None => lang.t("Not trained yet.").to_string(),
        Some(q) => lang.f(
            if live.training {
                "Training: step {step} · {s} s of training · {tps} tokens/s · loss {loss} · top induction {ind}"
            } else {
                "Paused at step {step} · {s} s of training · {tps} tokens/s · loss {loss} · top induction {ind}"
            },
            &[
                ("step", &q.step),
                ("s", &format!("{:.0}", q.seconds)),
                ("tps", &lang.int(q.tokens_per_s as u64)),
                ("loss", &format!("{:.2}", q.loss)),
                ("ind", &format!("{:.2}", q.scores.top_induction())),
            ],
        ),
    };
    let heads = live.last().map(|q| {
        let rows = q.scores.induction.iter().enumerate().flat_map(|(l, layer)| {
            (0..layer.len()).map(move |h| (l, h))
        });
        html! {
            <table id="live-heads" class="scores">
                <caption>{ lang.f("Head scores at step {step}", &[("step", &q.step)]) }</caption>
                <thead><tr><th scope="col">{ lang.t("head") }</th><th scope="col">{ lang.t("induction") }</th><th scope="col">{ lang.t("prefix matching") }</th><th scope="col">{ lang.t("previous token") }</th></tr></thead>
                <tbody>
                    { for rows.map(|(l, h)| {
                        let at = |v: &Vec<Vec<f32>>| v.get(l).and_then(|x| x.get(h)).copied().unwrap_or(0.0);
                        html! {
                            <tr data-head={format!("L{l}H{h}")}>
                                <th scope="row">{ format!("L{l}H{h}") }</th>
                                <td>{ format!("{:.2}", at(&q.scores.induction)) }</td>
                                <td>{ format!("{:.2}", at(&q.scores.prefix_matching)) }</td>
                                <td>{ format!("{:.2}", at(&q.scores.previous_token)) }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
        }
    });
    html! {
        <section class="panel" aria-labelledby="live-h" id="live">
            <h2 id="live-h">{ lang.t("Train a model in this tab") }</h2>
            <AboutBox about="live" />
            <div class="row wrap">
                <label for="live-layers">{ lang.t("Model") }</label>
                <select id="live-layers" title={lang.t("Two layers can form an induction head; one layer is the control that cannot")} onchange={on_layers} disabled={live.training}>
                    <option value="2" selected={s.layers != 1}>{ lang.t("2 layers (forms an induction head)") }</option>
                    <option value="1" selected={s.layers == 1}>{ lang.t("1 layer (the control)") }</option>
                </select>
                <label for="live-seed">{ lang.t("Seed") }</label>
                <input id="live-seed" type="number" title={lang.t("The seed of the weights and the data: the same seed trains the same run")} min="0" value={s.seed.to_string()} disabled={live.training}
                    onchange={edit(|s, v| if let Ok(x) = v.parse() { s.seed = x })} />
                <label for="live-lr">{ lang.t("Learning rate") }</label>
                <input id="live-lr" type="number" title={lang.t("The learning rate of AdamW at the top of its schedule")} min="0.0001" max="0.1" step="0.0005" value={s.lr.to_string()} disabled={live.training}
                    onchange={edit(|s, v| if let Ok(x) = v.parse::<f64>() && x.is_finite() && x > 0.0 { s.lr = x.min(0.1) })} />
                <label for="live-mix">{ lang.t("Repeated strings") }</label>
                <input id="live-mix" type="range" title={lang.t("The share of repeated random strings in the data; the rest are few-shot examples")} min="0" max="1" step="0.05" value={s.induction_fraction.to_string()} disabled={live.training}
                    aria-valuetext={lang.f("{pct} % repeated random strings, the rest few-shot examples", &[("pct", &format!("{:.0}", s.induction_fraction * 100.0))])}
                    onchange={edit(|s, v| if let Ok(x) = v.parse::<f32>() { s.induction_fraction = x.clamp(0.0, 1.0) })} />
                <span class="hint">{ lang.f("{pct} % repeated strings", &[("pct", &format!("{:.0}", s.induction_fraction * 100.0))]) }</span>
            </div>
            <div class="row">
                if live.training {
                    <button id="live-pause" title={lang.t("Pause after the current step")} onclick={p.on_pause.reform(|_: MouseEvent| ())}>{ lang.t("Pause") }</button>
                } else {
                    <button id="live-train" title={lang.t("Train in this tab; Pause stops within a step")} onclick={p.on_train.reform(|_: MouseEvent| ())}>{ if same { lang.t("Resume") } else { lang.t("Train") } }</button>
                }
                <button id="live-export" title={lang.t("Save the live model as a weight file of the project")} class="secondary" onclick={p.on_export.reform(|_: MouseEvent| ())} disabled={live.points.is_empty() || live.training}>{ lang.t("Download weights") }</button>
                if let Some(f) = &p.file { <DownloadLink id="live-download" file={f.clone()} /> }
                <button id="live-reset" title={lang.t("Throw the run away and start again from step 0")} class="secondary" onclick={p.on_reset.reform(|_: MouseEvent| ())} disabled={live.points.is_empty() && !live.training}>{ lang.t("Reset") }</button>
            </div>
            <p id="live-status" class="status-line" aria-live="polite"
                data-step={live.last().map(|q| q.step.to_string()).unwrap_or_default()}
                data-training={live.training.to_string()}
                data-top={live.last().map(|q| q.scores.top_induction().to_string()).unwrap_or_default()}
                data-copy-losses={live.last().map(|q| format!("{} {}", q.scores.loss_first_copy, q.scores.loss_second_copy)).unwrap_or_default()}>{ status }</p>
            if let Some(step) = formed {
                <p id="live-formed" class="ok">{ format!("The induction head formed at step {step}: the top induction score passed {PHASE_CHANGE_INDUCTION}.") }</p>
            }
            if !live.points.is_empty() {
                <Chart id="live-chart" title={lang.t("Live training: losses (left axis) and top induction and previous-token scores (right axis) against step")}
                    x_label={lang.t("training step")} left_label={lang.t("nats per character")} right_label={Some(AttrValue::from(lang.t("score")))}
                    right_range={Some((0.0, 1.0))} marker={formed.map(|s| s as f64)} lines={lines}
                    file={crate::export::file_stem("live-training", Some(&format!("live{}", p.settings.live().n_layers)), live.last().map(|q| q.step))} />
            }
            if let Some(pat) = live.last().and_then(|q| q.pattern.as_ref()) {
                <figure id="live-pattern" class="pattern" data-head={format!("L{}H{}", pat.layer, pat.head)}>
                    <img src={crate::heatmap::data_url(pat.size, &pat.weights)} width="252" height="252"
                        alt={lang.f("Attention of head {head} on a repeated random string of {n} positions.", &[("head", &format!("L{}H{}", pat.layer, pat.head)), ("n", &pat.size)])} />
                    <figcaption>{ lang.f("Where {head}, the top induction head now, looks on a repeated random string: each row is a position reading, each column a position it attends to (brighter: more). An induction head draws a stripe in the lower half, just right of the diagonal's copy: each character of the second copy looks at the character after its first occurrence.", &[("head", &format!("L{}H{}", pat.layer, pat.head))]) }</figcaption>
                </figure>
            }
            { for heads }
            <p class="explain">{ lang.t("A small attention-only model trains here, in your browser, on repeated random strings and few-shot examples. Watch the loss sit on a plateau, then drop as a previous-token head and an induction head appear together: the phase change. The 1-layer model is the control: with no earlier layer to find the previous token, it cannot build an induction head.") }</p>
        </section>
    }
}
