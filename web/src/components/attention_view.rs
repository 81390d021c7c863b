//! The attention view: where each head of a layer looks from one character of the window,
//! and which example character each answer character attends to most.

use std::rc::Rc;

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::i18n::use_lang;

use super::about_box::AboutBox;

use super::attention_map::AttentionMap;
use super::heads::head_name;
use crate::doc::Doc;
use crate::glyph::shown;
use crate::protocol::Explanation;

#[derive(Properties, PartialEq)]
pub struct AttentionProps {
    pub doc: Doc,
    pub explanation: Option<Rc<Explanation>>,
    pub on_doc: Callback<Doc>,
    /// The exports' name without extension.
    pub file: AttrValue,
}

/// An answer character and the example character the chosen heads attend to most from it.
#[derive(Clone, Copy)]
struct Link {
    answer: usize,
    example: usize,
    weight: f32,
}

/// Where each head looks: pick a character of the prompt (the query) and every head of the
/// layer shades the characters it attends to. Answer characters point to the example
/// character they attend to most.
#[function_component]
pub fn AttentionView(p: &AttentionProps) -> Html {
    let lang = use_lang();
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
    let focus = {
        let (doc, cb) = (p.doc.clone(), p.on_doc.clone());
        Callback::from(move |q: usize| {
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
    let text: Vec<&str> = x.chars.iter().map(String::as_str).collect();
    let answer = p.doc.template.answer_positions(&text);
    let links: Vec<Link> = (0..n)
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
                .map(|(k, weight)| Link {
                    answer: i,
                    example: k,
                    weight,
                })
        })
        .collect();
    let focus_link = links.iter().find(|l| l.answer == q).map(|l| l.example);
    html! {
        <section class="panel" aria-labelledby="attn-h" id="attention">
            <h2 id="attn-h">{ lang.t("Attention") }</h2>
            <AboutBox about="attention" />
            <div class="row wrap">
                <label for="attn-layer">{ lang.t("Layer") }</label>
                <select id="attn-layer" title={lang.t("The layer whose heads are shown here and in the heatmap")} onchange={on_layer}>
                    { for (0..x.layers).map(|l| html! { <option value={l.to_string()} selected={l == layer}>{ lang.f("layer {l}", &[("l", &l)]) }</option> }) }
                </select>
                <label for="attn-head">{ lang.t("Head") }</label>
                <select id="attn-head" title={lang.t("One head, or all heads of the layer together (their mean in the heatmap)")} onchange={on_head}>
                    <option value="all" selected={e.head.is_none()}>{ lang.t("all heads") }</option>
                    { for (0..x.heads).map(|h| html! { <option value={h.to_string()} selected={e.head == Some(h)}>{ lang.f("head {h}", &[("h", &h)]) }</option> }) }
                </select>
                <span class="hint" id="attn-focus" data-q={q.to_string()}>{ lang.f("query: position {q}, “{c}”", &[("q", &q), ("c", &shown(&x.chars[q]))]) }{ if x.skipped > 0 { lang.f(" ({n} leading characters did not fit the window)", &[("n", &x.skipped)]) } else { String::new() } }</span>
            </div>
            <div class="attn-text mono" translate="no" aria-label={lang.t("the window; click a character to see where the heads look from it")}>
                { for (0..n).map(|k| {
                    let w: f32 = heads.iter().map(|&h| at(h, q, k)).sum::<f32>() / heads.len() as f32;
                    html! {
                        <button class={classes!("ch", answer[k].then_some("answer"), (k == q).then_some("query"), (Some(k) == focus_link).then_some("linked"))}
                            style={format!("--a:{:.3}", w.sqrt())} data-k={k.to_string()} data-w={w.to_string()}
                            title={lang.f("position {k}: attention {w}", &[("k", &k), ("w", &format!("{w:.3}"))])} onclick={pick(k)}>{ shown(&x.chars[k]) }</button>
                    }
                }) }
            </div>
            <AttentionMap explanation={x.clone()} layer={layer} head={e.head.filter(|&h| h < x.heads)} focus={q} on_focus={focus} file={p.file.clone()} />
            <details>
                <summary>{ lang.f("Per head, from position {q}", &[("q", &q)]) }</summary>
                <table class="attn-heads">
                    <thead><tr><th scope="col">{ lang.t("head") }</th><th scope="col">{ lang.t("looks most at") }</th><th scope="col">{ lang.t("weight") }</th></tr></thead>
                    <tbody>
                        { for (0..x.heads).map(|h| {
                            let (k, w) = (0..=q).map(|k| (k, at(h, q, k))).max_by(|a, b| a.1.total_cmp(&b.1)).unwrap_or((0, 0.0));
                            html! { <tr><td>{ head_name((layer, h)) }</td><td>{ lang.f("position {k} “{c}”", &[("k", &k), ("c", &shown(&x.chars[k]))]) }</td><td>{ format!("{w:.2}") }</td></tr> }
                        }) }
                    </tbody>
                </table>
            </details>
            <details>
                <summary>{ lang.f("Answer characters → the example character they attend to most ({n} links)", &[("n", &links.len())]) }</summary>
                <ol class="links">
                    { for links.iter().map(|&Link { answer: i, example: k, weight: w }| html! {
                        <li>{ format!("{i} “{}” → {k} “{}” ({w:.2})", shown(&x.chars[i]), shown(&x.chars[k])) }</li>
                    }) }
                </ol>
            </details>
            <p class="explain">{ lang.t("Click a character: each head's row shades the characters that position attends to (darker = more). Answer characters are underlined; the box marks the example character the chosen heads attend to most.") }</p>
        </section>
    }
}
