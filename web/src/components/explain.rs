//! The explain panels: the ICL curve, the compare view with its scaling strip, the heads
//! (scores and ablation), the attention view and the checkpoint scrubber. Everything they
//! show is computed in the worker by the model crate's own functions.

use std::rc::Rc;

use icl_model::curves::CurvePoint;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::chart::{Axis, COLORS, Chart, Line};
use crate::doc::{Doc, Vary};
use crate::protocol::{Explanation, ModelSummary};
use crate::state::{Comparison, Series};

/// `L1H3` for layer 1, head 3.
pub fn head_name((l, h): (usize, usize)) -> String {
    format!("L{l}H{h}")
}

fn top(m: &[Vec<f32>]) -> f32 {
    m.iter().flatten().copied().fold(0.0, f32::max)
}

#[derive(Properties, PartialEq)]
pub struct CurveProps {
    pub series: Vec<Series>,
    pub busy: bool,
    pub on_measure: Callback<()>,
    pub on_clear: Callback<()>,
    /// What the sweep is measured on, in words.
    pub source: AttrValue,
}

/// Exact match and mean log-probability of the right answer against the number of shots.
#[function_component]
pub fn IclCurve(p: &CurveProps) -> Html {
    let mut lines = Vec::new();
    for (i, s) in p.series.iter().enumerate() {
        let color = COLORS[i % COLORS.len()];
        let pts = |f: fn(&icl_model::eval::SweepPoint) -> f64| {
            s.points.iter().map(|q| (q.k as f64, f(q))).collect()
        };
        lines.push(Line {
            label: format!("{}: exact match (%)", s.label),
            color,
            axis: Axis::Left,
            dashed: false,
            points: pts(|q| 100.0 * f64::from(q.exact_match)),
        });
        lines.push(Line {
            label: format!("{}: mean log p of the answer (nats)", s.label),
            color,
            axis: Axis::Right,
            dashed: true,
            points: pts(|q| f64::from(q.mean_logprob)),
        });
    }
    let measure = p.on_measure.reform(|_: MouseEvent| ());
    let clear = p.on_clear.reform(|_: MouseEvent| ());
    html! {
        <section class="panel" aria-labelledby="curve-h" id="icl-curve">
            <h2 id="curve-h">{ "ICL curve" }</h2>
            <p class="explain">{ "How the answer improves with the number of examples (k), on " }{ p.source.clone() }
                { ". Exact match can jump from 0 to 100 % while the log-probability of the right answer rises smoothly: a whole word is right only once every letter is, so a sharp \"emergence\" in the first can be a gradual change measured coarsely (Schaeffer et al. 2023)." }</p>
            <div class="row wrap">
                <button id="measure-curve" onclick={measure} disabled={p.busy}>{ "Measure k = 0…8" }</button>
                <button id="clear-curves" class="secondary" onclick={clear} disabled={p.series.is_empty()}>{ "Clear" }</button>
                <span class="hint">{ "Measure again after switching model, checkpoint or heads to overlay curves." }</span>
            </div>
            if !lines.is_empty() {
                <Chart id="curve-chart" title="Exact match (left axis, solid) and mean log-probability of the right answer (right axis, dashed) against the number of examples"
                    x_label="examples in the prompt (k)" left_label="exact match (%)" right_label={Some(AttrValue::from("mean log p (nats)"))}
                    left_range={Some((0.0, 100.0))} lines={lines} />
            }
        </section>
    }
}

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
    }
}

const VARIES: [Vary; 5] = [
    Vary::Shots,
    Vary::Model,
    Vary::Checkpoint,
    Vary::Sampling,
    Vary::Labels,
];

/// Completions side by side for one varied setting, with a batch score per column.
#[function_component]
pub fn Compare(p: &CompareProps) -> Html {
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
            <h2 id="compare-h">{ "Compare" }</h2>
            <p class="explain">{ "Change one thing and see the completions side by side. Each column also scores a batch of held-out queries (fresh words of the same preset, or your examples left out one at a time)." }</p>
            <div class="row wrap">
                <label for="vary">{ "Vary" }</label>
                <select id="vary" onchange={on_vary}>
                    { for VARIES.iter().enumerate().map(|(i, v)| html! {
                        <option value={i.to_string()} selected={i == selected}>{ vary_name(*v) }</option>
                    }) }
                </select>
                <button id="run-compare" onclick={compare} disabled={p.busy}>{ "Compare" }</button>
            </div>
            if let Some(c) = &p.comparison {
                <table class="compare" id="compare-table" data-done={c.done.to_string()}>
                    <thead><tr>
                        <th scope="col">{ vary_name(c.vary) }</th><th scope="col">{ "completion" }</th>
                        <th scope="col">{ "exact" }</th><th scope="col">{ "log p (expected)" }</th>
                        <th scope="col">{ "batch: exact · mean log p" }</th>
                    </tr></thead>
                    <tbody>
                        { for c.labels.iter().enumerate().map(|(i, label)| {
                            let r = c.results.get(i).cloned().flatten();
                            let b = c.batches.get(i).and_then(|b| b.1.clone());
                            html! {
                                <tr class="compare-row" data-index={i.to_string()}>
                                    <th scope="row">{ label }</th>
                                    <td class="mono">{ match &r { None => "…".to_string(), Some(r) => r.error.clone().unwrap_or_else(|| super::completion::shown(&r.text)) } }</td>
                                    <td data-match={r.as_ref().and_then(|r| r.exact_match).map(|m| m.to_string()).unwrap_or_default()}>
                                        { match r.as_ref().and_then(|r| r.exact_match) { Some(true) => "✓", Some(false) => "✗", None => "–" } }</td>
                                    <td>{ r.as_ref().and_then(|r| r.logprob).map(|l| format!("{l:.2}")).unwrap_or_else(|| "–".into()) }</td>
                                    <td class="batch" data-exact={b.as_ref().map(|b| b.exact_match.to_string()).unwrap_or_default()}>
                                        { b.map(|b| format!("{:.0} % · {:.2} (n = {})", 100.0 * b.exact_match, b.mean_logprob, b.n)).unwrap_or_else(|| "–".into()) }</td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
                if c.vary == Vary::Model && c.done {
                    <ScalingStrip comparison={c.clone()} />
                }
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct ScalingProps {
    pub comparison: Comparison,
}

/// The same prompt's answer log-probability across the zoo's sizes.
#[function_component]
pub fn ScalingStrip(p: &ScalingProps) -> Html {
    let c = &p.comparison;
    let mut rows: Vec<(u64, String, f32)> = c
        .labels
        .iter()
        .zip(&c.params)
        .zip(&c.results)
        .filter_map(|((l, &n), r)| Some((n, l.clone(), r.as_ref()?.logprob?)))
        .collect();
    rows.sort_by_key(|r| r.0);
    let worst = rows.iter().map(|r| r.2).fold(-1.0, f32::min);
    html! {
        <div id="scaling" class="scaling">
            <h3>{ "Scaling strip: log p of the expected answer by model size" }</h3>
            <ol>
                { for rows.iter().map(|(n, l, lp)| html! {
                    <li data-params={n.to_string()} data-logprob={lp.to_string()}>
                        <span class="who">{ format!("{l} ({n} parameters)") }</span>
                        <span class="bar" style={format!("width:{:.0}%", 100.0 * (1.0 - lp / worst).max(0.02))}></span>
                        <span class="val">{ format!("{lp:.2} nats") }</span>
                    </li>
                }) }
            </ol>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct HeadsProps {
    pub doc: Doc,
    pub explanation: Option<Rc<Explanation>>,
    pub on_doc: Callback<Doc>,
}

/// Per head: the four scores on random repeated strings and two on the prompt; a click
/// switches a head off or on. Below, the loss of each token of a repeated random string.
#[function_component]
pub fn Heads(p: &HeadsProps) -> Html {
    let Some(x) = &p.explanation else {
        return html! {
            <section class="panel" id="heads"><h2>{ "Induction heads" }</h2><p class="explain">{ "Scores appear once the model is loaded." }</p></section>
        };
    };
    let toggle = |l: usize, h: usize| {
        let (doc, cb) = (p.doc.clone(), p.on_doc.clone());
        Callback::from(move |_: MouseEvent| {
            let mut d = doc.clone();
            let a = &mut d.explore.ablated;
            match a.iter().position(|&v| v == (l, h)) {
                Some(i) => {
                    a.remove(i);
                }
                None => {
                    a.push((l, h));
                    a.sort_unstable();
                }
            }
            cb.emit(d);
        })
    };
    let on_seed = {
        let (doc, cb) = (p.doc.clone(), p.on_doc.clone());
        Callback::from(move |e: Event| {
            if let Ok(v) = e
                .target_unchecked_into::<HtmlInputElement>()
                .value()
                .parse()
            {
                let mut d = doc.clone();
                d.explore.seed = v;
                cb.emit(d);
            }
        })
    };
    let r = &x.random;
    let half = x.repeat_losses.len() / 2;
    let losses: Vec<(f64, f64)> = x
        .repeat_losses
        .iter()
        .enumerate()
        .map(|(i, &l)| ((i + 1) as f64, f64::from(l)))
        .collect();
    let mean = |s: &[f32]| s.iter().sum::<f32>() / s.len().max(1) as f32;
    let (first, second) = (
        mean(&x.repeat_losses[..half]),
        mean(&x.repeat_losses[half..]),
    );
    html! {
        <section class="panel" aria-labelledby="heads-h" id="heads" data-top-induction={top(&r.induction).to_string()}>
            <h2 id="heads-h">{ "Induction heads" }</h2>
            <p class="explain">{ "An induction head finds the earlier occurrence of the current character and copies what came next. Scores: induction (on a repeated random string), prefix matching and previous token (where the head looks), copying (whether its output raises the logit of what it attends to). Click a head to switch it off: every panel recomputes." }</p>
            <div class="row wrap">
                <label for="head-seed">{ "Random strings' seed" }</label>
                <input id="head-seed" type="number" min="0" value={p.doc.explore.seed.to_string()} onchange={on_seed} />
                <span class="hint">{ format!("top induction score {:.3}", top(&r.induction)) }</span>
            </div>
            <div class="head-grid" role="group" aria-label="heads by layer; pressed = switched off"
                style={format!("grid-template-columns: auto repeat({}, 1fr)", x.heads)}>
                <span></span>
                { for (0..x.heads).map(|h| html! { <span class="col-h">{ format!("head {h}") }</span> }) }
                { for (0..x.layers).map(|l| html! {
                    <>
                        <span class="row-h">{ format!("layer {l}") }</span>
                        { for (0..x.heads).map(|h| {
                            let off = p.doc.explore.ablated.contains(&(l, h));
                            let ind = r.induction[l][h];
                            html! {
                                <button class={classes!("head", off.then_some("off"))} aria-pressed={off.to_string()}
                                    data-head={head_name((l, h))} data-induction={ind.to_string()}
                                    style={format!("--v:{:.2}", ind.clamp(0.0, 1.0))}
                                    title={format!("{}: click to switch {}", head_name((l, h)), if off { "on" } else { "off" })}
                                    onclick={toggle(l, h)}>
                                    <strong>{ head_name((l, h)) }{ if off { " (off)" } else { "" } }</strong>
                                    <span>{ format!("induction {ind:.2}") }</span>
                                    <span>{ format!("prefix {:.2}", r.prefix_matching.get(l).and_then(|v| v.get(h)).copied().unwrap_or(0.0)) }</span>
                                    <span>{ format!("prev {:.2}", r.previous_token[l][h]) }</span>
                                    <span>{ format!("copying {:.2}", r.copying.get(l).and_then(|v| v.get(h)).copied().unwrap_or(0.0)) }</span>
                                    <span class="on-prompt">{ format!("on prompt: prefix {:.2} · prev {:.2}", x.prompt.prefix_matching[l][h], x.prompt.previous_token[l][h]) }</span>
                                </button>
                            }
                        }) }
                    </>
                }) }
            </div>
            <p id="copy-losses" data-first={first.to_string()} data-second={second.to_string()}>
                { format!("Loss on a repeated random string: first copy {first:.2} nats per character, second copy {second:.2} ({:.0} % of the first).", 100.0 * second / first.max(1e-6)) }
            </p>
            <Chart id="repeat-chart" title="Loss of each character of a random string followed by its repeat: the second half drops where an induction head copies"
                x_label="position in the repeated string" left_label="loss (nats)" lines={vec![Line {
                    label: format!("loss per character of \"{}…\"", x.repeat.chars().take(12).collect::<String>()),
                    color: COLORS[0], axis: Axis::Left, dashed: false, points: losses }]}
                marker={Some((half as f64) + 0.5)} />
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct AttentionProps {
    pub doc: Doc,
    pub explanation: Option<Rc<Explanation>>,
    pub on_doc: Callback<Doc>,
}

/// Where each head looks: pick a character of the prompt (the query) and every head of the
/// layer shades the characters it attends to. Answer characters point to the example
/// character they attend to most.
#[function_component]
pub fn AttentionView(p: &AttentionProps) -> Html {
    let Some(x) = &p.explanation else {
        return html! {};
    };
    let n = x.chars.len();
    let e = &p.doc.explore;
    let layer = e.layer.min(x.layers.saturating_sub(1));
    let q = e.focus.filter(|&q| q < n).unwrap_or(n.saturating_sub(1));
    let at = |h: usize, q: usize, k: usize| x.attention[((layer * x.heads + h) * n + q) * n + k];
    let heads: Vec<usize> = match e.head {
        Some(h) if h < x.heads => vec![h],
        _ => (0..x.heads).collect(),
    };
    let pick = |q: usize| {
        let (doc, cb) = (p.doc.clone(), p.on_doc.clone());
        Callback::from(move |_: MouseEvent| {
            let mut d = doc.clone();
            d.explore.focus = Some(q);
            cb.emit(d);
        })
    };
    let on_layer = {
        let (doc, cb) = (p.doc.clone(), p.on_doc.clone());
        Callback::from(move |ev: Event| {
            let mut d = doc.clone();
            d.explore.layer = ev
                .target_unchecked_into::<HtmlSelectElement>()
                .value()
                .parse()
                .unwrap_or(0);
            cb.emit(d);
        })
    };
    let on_head = {
        let (doc, cb) = (p.doc.clone(), p.on_doc.clone());
        Callback::from(move |ev: Event| {
            let mut d = doc.clone();
            d.explore.head = ev
                .target_unchecked_into::<HtmlSelectElement>()
                .value()
                .parse()
                .ok();
            cb.emit(d);
        })
    };
    let shown = |c: &str| match c {
        "\n" => "⏎".to_string(),
        " " => "␣".to_string(),
        "<bos>" => "◆".to_string(),
        c => c.to_string(),
    };
    // Answer characters: those after an output prefix up to the line's end.
    let prefix: Vec<char> = p.doc.template.output_prefix.trim_end().chars().collect();
    let text: Vec<&str> = x.chars.iter().map(String::as_str).collect();
    let mut answer = vec![false; n];
    let mut inside = false;
    for i in 0..n {
        if text[i] == "\n" {
            inside = false;
        } else if inside {
            answer[i] = text[i] != " ";
        }
        if !prefix.is_empty() && i + 1 >= prefix.len() {
            let tail: String = text[i + 1 - prefix.len()..=i].concat();
            if tail == prefix.iter().collect::<String>() {
                inside = true;
            }
        }
    }
    let links: Vec<(usize, usize, f32)> = (0..n)
        .filter(|&i| answer[i])
        .filter_map(|i| {
            (0..i)
                .filter(|&k| !answer[k] && k > 0)
                .map(|k| {
                    let w: f32 =
                        heads.iter().map(|&h| at(h, i, k)).sum::<f32>() / heads.len() as f32;
                    (k, w)
                })
                .max_by(|a, b| a.1.total_cmp(&b.1))
                .map(|(k, w)| (i, k, w))
        })
        .collect();
    let focus_link = links.iter().find(|l| l.0 == q).map(|l| l.1);
    html! {
        <section class="panel" aria-labelledby="attn-h" id="attention">
            <h2 id="attn-h">{ "Attention" }</h2>
            <p class="explain">{ "Click a character: each head's row shades the characters that position attends to (darker = more). Answer characters are underlined; the box marks the example character the chosen heads attend to most." }</p>
            <div class="row wrap">
                <label for="attn-layer">{ "Layer" }</label>
                <select id="attn-layer" onchange={on_layer}>
                    { for (0..x.layers).map(|l| html! { <option value={l.to_string()} selected={l == layer}>{ format!("layer {l}") }</option> }) }
                </select>
                <label for="attn-head">{ "Head" }</label>
                <select id="attn-head" onchange={on_head}>
                    <option value="all" selected={e.head.is_none()}>{ "all heads" }</option>
                    { for (0..x.heads).map(|h| html! { <option value={h.to_string()} selected={e.head == Some(h)}>{ format!("head {h}") }</option> }) }
                </select>
                <span class="hint" id="attn-focus" data-q={q.to_string()}>{ format!("query: position {q}, “{}”{}", shown(&x.chars[q]), if x.skipped > 0 { format!(" ({} leading characters did not fit the window)", x.skipped) } else { String::new() }) }</span>
            </div>
            <div class="attn-text mono" aria-label="the window; click a character to see where the heads look from it">
                { for (0..n).map(|k| {
                    let w: f32 = heads.iter().map(|&h| at(h, q, k)).sum::<f32>() / heads.len() as f32;
                    html! {
                        <button class={classes!("ch", answer[k].then_some("answer"), (k == q).then_some("query"), (Some(k) == focus_link).then_some("linked"))}
                            style={format!("--a:{:.3}", w.sqrt())} data-k={k.to_string()} data-w={w.to_string()}
                            title={format!("position {k}: attention {w:.3}")} onclick={pick(k)}>{ shown(&x.chars[k]) }</button>
                    }
                }) }
            </div>
            <details>
                <summary>{ format!("Per head, from position {q}") }</summary>
                <table class="attn-heads">
                    <thead><tr><th scope="col">{ "head" }</th><th scope="col">{ "looks most at" }</th><th scope="col">{ "weight" }</th></tr></thead>
                    <tbody>
                        { for (0..x.heads).map(|h| {
                            let (k, w) = (0..=q).map(|k| (k, at(h, q, k))).max_by(|a, b| a.1.total_cmp(&b.1)).unwrap_or((0, 0.0));
                            html! { <tr><td>{ head_name((layer, h)) }</td><td>{ format!("position {k} “{}”", shown(&x.chars[k])) }</td><td>{ format!("{w:.2}") }</td></tr> }
                        }) }
                    </tbody>
                </table>
            </details>
            <details>
                <summary>{ format!("Answer characters → the example character they attend to most ({} links)", links.len()) }</summary>
                <ol class="links">
                    { for links.iter().map(|&(i, k, w)| html! {
                        <li>{ format!("{i} “{}” → {k} “{}” ({w:.2})", shown(&x.chars[i]), shown(&x.chars[k])) }</li>
                    }) }
                </ol>
            </details>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct TrainingProps {
    pub doc: Doc,
    pub model: Option<ModelSummary>,
    pub curves: Option<Rc<Vec<CurvePoint>>>,
    /// The live top induction score at the chosen checkpoint.
    pub live_top: Option<f32>,
    pub on_doc: Callback<Doc>,
}

/// The checkpoint scrubber: a slider over the model's shipped checkpoints that every panel
/// follows, over its training loss and top induction score.
#[function_component]
pub fn Training(p: &TrainingProps) -> Html {
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
            label: "training loss (nats per character)".into(),
            color: COLORS[0],
            axis: Axis::Left,
            dashed: false,
            points: points
                .iter()
                .filter_map(|c| Some((c.step.max(1) as f64, f64::from(c.loss?))))
                .collect(),
        },
        Line {
            label: "top induction score".into(),
            color: COLORS[1],
            axis: Axis::Right,
            dashed: true,
            points: points
                .iter()
                .map(|c| (c.step.max(1) as f64, f64::from(top(&c.induction))))
                .collect(),
        },
        Line {
            label: "ICL score (nats, late − early tokens)".into(),
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
            <h2 id="train-h">{ "Training checkpoints" }</h2>
            <p class="explain">{ "Scrub through training: every panel runs on the chosen checkpoint. The phase change is where the loss bends and the top induction score jumps together." }</p>
            <label for="checkpoint">{ format!("Checkpoint: {}", if at == last { "final weights".to_string() } else { format!("step {}", steps[at]) }) }</label>
            <input id="checkpoint" type="range" min="0" max={last.to_string()} value={at.to_string()} oninput={on_slide}
                aria-valuetext={if at == last { "final weights".to_string() } else { format!("step {}", steps[at]) }} />
            <p id="checkpoint-scores" data-step={step.map(|s| s.to_string()).unwrap_or_default()}
                data-logged-top={logged.map(|c| top(&c.induction).to_string()).unwrap_or_default()}
                data-live-top={p.live_top.map(|v| v.to_string()).unwrap_or_default()}>
                { match (logged, p.live_top) {
                    (Some(c), Some(live)) => format!("At step {}: top induction {:.3} (recorded in training), {live:.3} (measured now); training loss {}.",
                        c.step, top(&c.induction), c.loss.map(|l| format!("{l:.3}")).unwrap_or_else(|| "–".into())),
                    (_, Some(live)) => format!("Top induction measured now: {live:.3}."),
                    _ => "Measuring…".to_string(),
                } }
            </p>
            if !points.is_empty() {
                <Chart id="training-chart" title="Training loss and ICL score (left axis) and top induction score (right axis) against training step, log scale"
                    x_label="training step (log scale)" left_label="nats" right_label={Some(AttrValue::from("induction score"))}
                    right_range={Some((0.0, 1.0))} log_x=true marker={step.map(|s| s as f64)} lines={lines} />
            }
        </section>
    }
}
