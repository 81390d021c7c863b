//! The heads panel: per-head scores on random repeated strings and on the prompt, the loss on
//! a repeated string, and head ablation by click.

use std::rc::Rc;

use icl_model::eval::metrics::max_score;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::i18n::use_lang;

use super::about_box::AboutBox;

use super::chart::{Axis, COLORS, Chart, Line};
use crate::doc::Doc;
use crate::protocol::Explanation;

/// `L1H3` for layer 1, head 3.
pub fn head_name((l, h): (usize, usize)) -> String {
    format!("L{l}H{h}")
}

#[derive(Properties, PartialEq)]
pub struct HeadsProps {
    pub doc: Doc,
    pub explanation: Option<Rc<Explanation>>,
    pub on_doc: Callback<Doc>,
    /// The exports' name without extension.
    pub file: AttrValue,
}

/// Per head: the four scores on random repeated strings and two on the prompt; a click
/// switches a head off or on. Below, the loss of each token of a repeated random string.
#[function_component]
pub fn Heads(p: &HeadsProps) -> Html {
    let lang = use_lang();
    let Some(x) = &p.explanation else {
        return html! {
            <section class="panel" id="heads"><h2>{ lang.t("Induction heads") }</h2><AboutBox about="heads" /><p class="explain">{ lang.t("Scores appear once the model is loaded.") }</p></section>
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
        <section class="panel" aria-labelledby="heads-h" id="heads" data-top-induction={max_score(&r.induction).to_string()}>
            <h2 id="heads-h">{ lang.t("Induction heads") }</h2>
            <AboutBox about="heads" />
            <p class="explain">{ lang.t("An induction head finds the earlier occurrence of the current character and copies what came next. Scores: induction (on a repeated random string), prefix matching and previous token (where the head looks), copying (whether its output raises the logit of what it attends to). Click a head to switch it off: every panel recomputes.") }</p>
            <div class="row wrap">
                <label for="head-seed">{ lang.t("Random strings' seed") }</label>
                <input id="head-seed" type="number" title={lang.t("Seed of the random strings the head scores are measured on")} min="0" value={p.doc.explore.seed.to_string()} onchange={on_seed} />
                <span class="hint">{ lang.f("top induction score {v}", &[("v", &format!("{:.3}", max_score(&r.induction)))]) }</span>
            </div>
            <div class="head-grid" role="group" aria-label={lang.t("heads by layer; pressed = switched off")}
                style={format!("grid-template-columns: auto repeat({}, 1fr)", x.heads)}>
                <span></span>
                { for (0..x.heads).map(|h| html! { <span class="col-h">{ lang.f("head {h}", &[("h", &h)]) }</span> }) }
                { for (0..x.layers).map(|l| html! {
                    <>
                        <span class="row-h">{ lang.f("layer {l}", &[("l", &l)]) }</span>
                        { for (0..x.heads).map(|h| {
                            let off = p.doc.explore.ablated.contains(&(l, h));
                            let ind = r.induction[l][h];
                            html! {
                                <button class={classes!("head", off.then_some("off"))} aria-pressed={off.to_string()}
                                    data-head={head_name((l, h))} data-induction={ind.to_string()}
                                    style={format!("--v:{:.2}", ind.clamp(0.0, 1.0))}
                                    title={if off { lang.f("{head}: click to switch on", &[("head", &head_name((l, h)))]) } else { lang.f("{head}: click to switch off", &[("head", &head_name((l, h)))]) }}
                                    onclick={toggle(l, h)}>
                                    <strong>{ head_name((l, h)) }{ if off { lang.t(" (off)") } else { "" } }</strong>
                                    <span>{ lang.f("induction {v}", &[("v", &format!("{ind:.2}"))]) }</span>
                                    <span>{ lang.f("prefix {v}", &[("v", &format!("{:.2}", r.prefix_matching.get(l).and_then(|v| v.get(h)).copied().unwrap_or(0.0)))]) }</span>
                                    <span>{ lang.f("prev {v}", &[("v", &format!("{:.2}", r.previous_token[l][h]))]) }</span>
                                    <span>{ lang.f("copying {v}", &[("v", &format!("{:.2}", r.copying.get(l).and_then(|v| v.get(h)).copied().unwrap_or(0.0)))]) }</span>
                                    <span class="on-prompt">{ lang.f("on prompt: prefix {p} · prev {q}", &[("p", &format!("{:.2}", x.prompt.prefix_matching[l][h])), ("q", &format!("{:.2}", x.prompt.previous_token[l][h]))]) }</span>
                                </button>
                            }
                        }) }
                    </>
                }) }
            </div>
            <p id="copy-losses" data-first={first.to_string()} data-second={second.to_string()}>
                { lang.f("Loss on a repeated random string: first copy {a} nats per character, second copy {b} ({pct} % of the first).", &[("a", &format!("{first:.2}")), ("b", &format!("{second:.2}")), ("pct", &format!("{:.0}", 100.0 * second / first.max(1e-6)))]) }
            </p>
            <Chart id="repeat-chart" title={lang.t("Loss of each character of a random string followed by its repeat: the second half drops where an induction head copies")}
                x_label={lang.t("position in the repeated string")} left_label={lang.t("loss (nats)")} lines={vec![Line {
                    label: lang.f("loss per character of “{s}…”", &[("s", &x.repeat.chars().take(12).collect::<String>())]),
                    color: COLORS[0], axis: Axis::Left, dashed: false, points: losses }]} file={p.file.clone()}
                marker={Some((half as f64) + 0.5)} />
        </section>
    }
}
