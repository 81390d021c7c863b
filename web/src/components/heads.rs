//! The heads panel: one colour matrix (layers × heads) per score on random repeated strings
//! and on the prompt, the loss on a repeated string, and head ablation by click.

use std::rc::Rc;

use icl_model::eval::metrics::{HeadScores, PromptHeads, max_score};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::i18n::use_lang;

use super::about_box::AboutBox;

use super::chart::{Axis, COLORS, Chart, Line};
use super::export_buttons::ExportButtons;
use crate::doc::Doc;
use crate::export::{self, Format};
use crate::heatmap::{viridis_css, viridis_gradient};
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

/// One matrix per score, five on random repeated strings and two on the prompt; a click on a
/// cell switches its head off or on. Below, the loss of each token of a repeated random string.
#[function_component]
pub fn Heads(p: &HeadsProps) -> Html {
    let lang = use_lang();
    let Some(x) = &p.explanation else {
        return html! {
            <section class="panel" id="heads"><h2>{ lang.t("Induction heads") }</h2><AboutBox about="heads" /><p class="explain">{ lang.t("Scores appear once the model is loaded.") }</p></section>
        };
    };
    let toggle = {
        let (doc, cb) = (p.doc.clone(), p.on_doc.clone());
        Callback::from(move |(l, h): (usize, usize)| {
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
            <div class="row wrap">
                <label for="head-seed">{ lang.t("Random strings' seed") }</label>
                <input id="head-seed" type="number" title={lang.t("Seed of the random strings the head scores are measured on")} min="0" value={p.doc.explore.seed.to_string()} onchange={on_seed} />
                <span class="hint">{ lang.f("top induction score {v}", &[("v", &format!("{:.3}", max_score(&r.induction)))]) }</span>
            </div>
            <HeadMatrices matrices={score_matrices(r, &x.prompt)} ablated={p.doc.explore.ablated.clone()} on_toggle={toggle} file={p.file.clone()} />
            <p id="copy-losses" data-first={first.to_string()} data-second={second.to_string()}>
                { lang.f("Loss on a repeated random string: first copy {a} nats per character, second copy {b} ({pct} % of the first).", &[("a", &format!("{first:.2}")), ("b", &format!("{second:.2}")), ("pct", &format!("{:.0}", 100.0 * second / first.max(1e-6)))]) }
            </p>
            <Chart id="repeat-chart" title={lang.t("Loss of each character of a random string followed by its repeat: the second half drops where an induction head copies")}
                x_label={lang.t("position in the repeated string")} left_label={lang.t("loss (nats)")} lines={vec![Line {
                    label: lang.f("loss per character of “{s}…”", &[("s", &x.repeat.chars().take(12).collect::<String>())]),
                    color: COLORS[0], axis: Axis::Left, dashed: false, points: losses }]} file={p.file.clone()}
                marker={Some((half as f64) + 0.5)} />
            <p class="explain">{ lang.t("An induction head finds the earlier occurrence of the current character and copies what came next. Scores: induction (on a repeated random string), prefix matching and previous token (where the head looks), copying (whether its output raises the logit of what it attends to). Each matrix is one score, a row per layer and a column per head, coloured from 0 (dark) to 1 (light). Click a cell to switch its head off: every panel recomputes.") }</p>
        </section>
    }
}

/// One score of every head, as the panel draws it.
#[derive(Clone, Debug, PartialEq)]
pub struct ScoreMatrix {
    /// `data-score` of the matrix: `induction`, `prompt-prefix`, ….
    pub key: &'static str,
    /// Its title, in English (translated when drawn).
    pub title: &'static str,
    /// `[layer][head]`.
    pub values: Vec<Vec<f32>>,
}

/// The matrices of the panel, in the order it shows them. A score older explanations lack
/// (empty) has no matrix.
pub fn score_matrices(random: &HeadScores, prompt: &PromptHeads) -> Vec<ScoreMatrix> {
    let m = |key, title, values: &Vec<Vec<f32>>| ScoreMatrix {
        key,
        title,
        values: values.clone(),
    };
    [
        m("induction", "Induction", &random.induction),
        m("prefix", "Prefix matching", &random.prefix_matching),
        m("previous", "Previous token", &random.previous_token),
        m("duplicate", "Duplicate token", &random.duplicate),
        m("copying", "Copying", &random.copying),
        m(
            "prompt-prefix",
            "Prefix matching on the prompt",
            &prompt.prefix_matching,
        ),
        m(
            "prompt-previous",
            "Previous token on the prompt",
            &prompt.previous_token,
        ),
    ]
    .into_iter()
    .filter(|m| !m.values.is_empty())
    .collect()
}

/// One cell of a matrix: its head, value, the value as shown, and its colour.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    /// `(layer, head)`.
    pub head: (usize, usize),
    pub value: f32,
    /// The value to three decimals, as labels and tooltips give it.
    pub shown: String,
    /// `rgb(…)` on the viridis scale, 0 to 1.
    pub colour: String,
}

/// The cells of `m`, row by row (a row per layer).
pub fn cells(m: &ScoreMatrix) -> Vec<Vec<Cell>> {
    m.values
        .iter()
        .enumerate()
        .map(|(l, row)| {
            row.iter()
                .enumerate()
                .map(|(h, &value)| Cell {
                    head: (l, h),
                    value,
                    shown: format!("{value:.3}"),
                    colour: viridis_css(value),
                })
                .collect()
        })
        .collect()
}

#[derive(Properties, PartialEq)]
struct HeadMatricesProps {
    matrices: Vec<ScoreMatrix>,
    /// Heads switched off.
    ablated: Vec<(usize, usize)>,
    on_toggle: Callback<(usize, usize)>,
    /// The exports' name without extension.
    file: AttrValue,
}

/// The matrices side by side, under one legend of the colour scale.
#[function_component]
fn HeadMatrices(p: &HeadMatricesProps) -> Html {
    let lang = use_lang();
    let said = use_state(String::new);
    let export = {
        let (matrices, said) = (p.matrices.clone(), said.clone());
        let stem = format!("{}_heads", p.file);
        Callback::from(move |f: Format| {
            let titled: Vec<(&str, &[Vec<f32>])> = matrices
                .iter()
                .map(|m| (lang.t(m.title), m.values.as_slice()))
                .collect();
            let title = lang.t("Head scores by layer and head (colour: 0 to 1)");
            let said = said.clone();
            crate::download::save_as(
                f,
                &stem,
                || export::head_matrices_svg(title, &titled),
                || export::head_matrices_csv(&titled),
                || export::head_matrices_json(title, &titled),
                lang,
                Callback::from(move |s| said.set(s)),
            );
        })
    };
    html! {
        <div class="head-matrices">
            <div class="scale-legend" aria-hidden="true">
                <span>{ lang.t("score") }</span>
                <span class="num">{ "0" }</span>
                <span class="scale-bar" style={format!("background: {}", viridis_gradient())}></span>
                <span class="num">{ "1" }</span>
                <span class="hint">{ lang.t("hatched: switched off") }</span>
            </div>
            <div class="matrix-row">
                { for p.matrices.iter().map(|m| matrix(m, &p.ablated, &p.on_toggle, lang)) }
            </div>
            <ExportButtons said={(*said).clone()} on_export={export} />
        </div>
    }
}

/// One score's matrix: a button per head, labelled with its layer, head, score and value.
fn matrix(
    m: &ScoreMatrix,
    ablated: &[(usize, usize)],
    on_toggle: &Callback<(usize, usize)>,
    lang: crate::i18n::Lang,
) -> Html {
    let rows = cells(m);
    let heads = rows.first().map_or(0, Vec::len);
    let title = lang.t(m.title);
    html! {
        <figure class="head-matrix" data-score={m.key}>
            <figcaption>{ title }</figcaption>
            <div class="hm-grid" role="group" aria-label={lang.f("{score}: heads by layer; pressed = switched off", &[("score", &title)])}
                style={format!("grid-template-columns: auto repeat({heads}, 1.9rem)")}>
                <span></span>
                { for (0..heads).map(|h| html! { <span class="col-h" title={lang.f("head {h}", &[("h", &h)])}>{ format!("H{h}") }</span> }) }
                { for rows.into_iter().enumerate().map(|(l, row)| html! {
                    <>
                        <span class="row-h" title={lang.f("layer {l}", &[("l", &l)])}>{ format!("L{l}") }</span>
                        { for row.into_iter().map(|c| {
                            let off = ablated.contains(&c.head);
                            let (l, h) = c.head;
                            let label = lang.f("layer {l}, head {h}, {score} {v}", &[("l", &l), ("h", &h), ("score", &title), ("v", &c.shown)]);
                            let tip = if off { lang.f("{head} {score} {v}: switched off, click to switch on", &[("head", &head_name(c.head)), ("score", &title), ("v", &c.shown)]) }
                                else { lang.f("{head} {score} {v}: click to switch off", &[("head", &head_name(c.head)), ("score", &title), ("v", &c.shown)]) };
                            let head = c.head;
                            html! {
                                <button type="button" class={classes!("head", off.then_some("off"))} aria-pressed={off.to_string()} aria-label={label} title={tip}
                                    data-head={head_name(head)} data-value={c.value.to_string()} data-shown={c.shown.clone()}
                                    style={format!("background-color: {}", c.colour)}
                                    onclick={on_toggle.reform(move |_: MouseEvent| head)}></button>
                            }
                        }) }
                    </>
                }) }
            </div>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::heatmap::viridis;

    fn scores() -> (HeadScores, PromptHeads) {
        let g = |k: f32| vec![vec![0.0, 0.25 * k, 0.5], vec![1.0, 0.125 * k, 0.875]];
        let random = HeadScores {
            induction: g(1.0),
            duplicate: g(2.0),
            previous_token: g(3.0),
            prefix_matching: g(0.5),
            copying: vec![],
            loss_first_copy: 3.0,
            loss_second_copy: 1.0,
        };
        let prompt = PromptHeads {
            previous_token: g(1.5),
            prefix_matching: g(2.5),
        };
        (random, prompt)
    }

    #[test]
    fn every_cell_holds_the_score_of_its_head() {
        let (random, prompt) = scores();
        let ms = score_matrices(&random, &prompt);
        let keys: Vec<&str> = ms.iter().map(|m| m.key).collect();
        assert_eq!(
            keys,
            [
                "induction",
                "prefix",
                "previous",
                "duplicate",
                "prompt-prefix",
                "prompt-previous"
            ],
            "copying is missing from these scores, so it has no matrix"
        );
        let expected = [
            &random.induction,
            &random.prefix_matching,
            &random.previous_token,
            &random.duplicate,
            &prompt.prefix_matching,
            &prompt.previous_token,
        ];
        for (m, want) in ms.iter().zip(expected) {
            let rows = cells(m);
            assert_eq!(rows.len(), 2, "{}: a row per layer", m.key);
            for (l, row) in rows.iter().enumerate() {
                assert_eq!(row.len(), 3, "{}: a cell per head", m.key);
                for (h, c) in row.iter().enumerate() {
                    assert_eq!(c.head, (l, h));
                    assert_eq!(c.value, want[l][h], "{} L{l}H{h}", m.key);
                    assert_eq!(c.shown, format!("{:.3}", want[l][h]));
                    let [r, g, b] = viridis(want[l][h]);
                    assert_eq!(c.colour, format!("rgb({r}, {g}, {b})"));
                }
            }
        }
        let ind = cells(&ms[0]);
        assert_eq!(ind[1][0].shown, "1.000");
        assert_eq!(ind[0][1].shown, "0.250");
        assert_eq!(ind[1][2].shown, "0.875");
    }
}
