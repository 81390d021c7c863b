//! The attention heatmap: one head's (or a layer's mean) full `T × T` pattern over the window
//! as one image, the characters on both axes, drag to zoom into a region, click to pick a
//! destination row and a source column, and a table of the picked row for screen readers.

use std::rc::Rc;

use yew::prelude::*;

use crate::i18n::use_lang;

use super::export_buttons::ExportButtons;
use crate::export::Format;
use crate::glyph::shown;
use crate::heatmap::rect_data_url;
use crate::protocol::Explanation;
use crate::region::{Region, label_stride, pattern};

#[derive(Properties, PartialEq)]
pub struct AttentionMapProps {
    pub explanation: Rc<Explanation>,
    pub layer: usize,
    /// `None`: the mean of the layer's heads.
    pub head: Option<usize>,
    /// The destination (query) row picked, shared with the per-character view.
    pub focus: usize,
    pub on_focus: Callback<usize>,
    /// The exports' name without extension (the head is added).
    pub file: AttrValue,
}

/// The drawing's width on a wide screen (CSS), for spacing the axis labels.
const DRAWN_PX: f64 = 480.0;
/// The least room an axis label needs.
const LABEL_PX: f64 = 11.0;

/// Where a band (a row or a column) of `range` sits along an axis of `of`, as CSS.
fn band(range: std::ops::Range<usize>, of: &std::ops::Range<usize>) -> (f64, f64) {
    let len = of.len().max(1) as f64;
    (
        100.0 * (range.start.saturating_sub(of.start)) as f64 / len,
        100.0 * range.len() as f64 / len,
    )
}

#[function_component]
pub fn AttentionMap(p: &AttentionMapProps) -> Html {
    let lang = use_lang();
    let x = p.explanation.clone();
    let n = x.chars.len();
    let zoom = use_state(|| None::<Region>);
    let column = use_state(|| None::<usize>);
    let drag = use_state(|| None::<((usize, usize), (usize, usize))>);
    let plot = use_node_ref();
    let region = zoom
        .as_ref()
        .map(|r| r.within(n))
        .unwrap_or_else(|| Region::full(n));
    // Keyed by the explanation's address: comparing a million weights every render would
    // cost more than drawing them.
    let key = (Rc::as_ptr(&x) as usize, p.layer, p.head);
    let matrix = {
        let x = x.clone();
        use_memo(key, move |&(_, layer, head)| pattern(&x, layer, head))
    };
    let image = {
        let matrix = matrix.clone();
        use_memo((key, region.clone()), move |(_, r)| {
            rect_data_url(r.cols.len(), r.rows.len(), &r.cut(n, &matrix))
        })
    };
    let cell = {
        let (plot, region) = (plot.clone(), region.clone());
        move |e: &MouseEvent| {
            let r = plot.cast::<web_sys::Element>()?.get_bounding_client_rect();
            (r.width() > 0.0 && r.height() > 0.0).then(|| {
                region.cell_at(
                    (f64::from(e.client_x()) - r.left()) / r.width(),
                    (f64::from(e.client_y()) - r.top()) / r.height(),
                )
            })
        }
    };
    let on_down = {
        let (drag, cell) = (drag.clone(), cell.clone());
        Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            drag.set(cell(&e).map(|c| (c, c)));
        })
    };
    let on_move = {
        let (drag, cell) = (drag.clone(), cell.clone());
        Callback::from(move |e: MouseEvent| {
            if let (Some((a, b)), Some(c)) = (*drag, cell(&e))
                && b != c
            {
                drag.set(Some((a, c)));
            }
        })
    };
    let on_up = {
        let (drag, zoom, column, on_focus) = (
            drag.clone(),
            zoom.clone(),
            column.clone(),
            p.on_focus.clone(),
        );
        Callback::from(move |e: MouseEvent| {
            let (Some((a, _)), Some(c)) = (*drag, cell(&e)) else {
                return;
            };
            drag.set(None);
            if a == c {
                on_focus.emit(c.0);
                column.set(Some(c.1));
            } else {
                zoom.set(Some(Region::spanning(a, c)));
            }
        })
    };
    let on_leave = {
        let drag = drag.clone();
        Callback::from(move |_: MouseEvent| drag.set(None))
    };
    let q = p.focus.min(n.saturating_sub(1));
    let on_key = {
        let (zoom, column, on_focus) = (zoom.clone(), column.clone(), p.on_focus.clone());
        let last = n.saturating_sub(1);
        Callback::from(move |e: KeyboardEvent| {
            let col = column.unwrap_or(q);
            match e.key().as_str() {
                "ArrowUp" => on_focus.emit(q.saturating_sub(1)),
                "ArrowDown" => on_focus.emit((q + 1).min(last)),
                "ArrowLeft" => column.set(Some(col.saturating_sub(1))),
                "ArrowRight" => column.set(Some((col + 1).min(last))),
                "Escape" => zoom.set(None),
                _ => return,
            }
            e.prevent_default();
        })
    };
    let reset = {
        let zoom = zoom.clone();
        Callback::from(move |_: MouseEvent| zoom.set(None))
    };
    let pick_row = |r: usize| p.on_focus.reform(move |_: MouseEvent| r);
    let pick_col = |c: usize| {
        let column = column.clone();
        Callback::from(move |_: MouseEvent| column.set(Some(c)))
    };
    let col = column.filter(|&c| c < n);
    let stride_c = label_stride(region.cols.len(), DRAWN_PX, LABEL_PX);
    let stride_r = label_stride(region.rows.len(), DRAWN_PX, LABEL_PX);
    let style_band = |rows: bool, r: std::ops::Range<usize>| {
        let (at, size) = band(r, if rows { &region.rows } else { &region.cols });
        if rows {
            format!("top:{at:.3}%;height:{size:.3}%")
        } else {
            format!("left:{at:.3}%;width:{size:.3}%")
        }
    };
    let what = match p.head {
        Some(h) => lang.f("head {h} of layer {l}", &[("h", &h), ("l", &p.layer)]),
        None => lang.f("the mean of layer {l}'s heads", &[("l", &p.layer)]),
    };
    // The rectangle being dragged out, as CSS.
    let dragged = drag.filter(|(a, b)| a != b).map(|(a, b)| {
        let s = Region::spanning(a, b);
        let (top, height) = band(s.rows, &region.rows);
        let (left, width) = band(s.cols, &region.cols);
        format!("top:{top:.3}%;height:{height:.3}%;left:{left:.3}%;width:{width:.3}%")
    });
    let said = use_state(String::new);
    let export = {
        let (x, matrix, image, region, said) = (
            x.clone(),
            matrix.clone(),
            image.clone(),
            region.clone(),
            said.clone(),
        );
        let what = what.clone();
        let head = p.head.map_or("mean".to_string(), |h| format!("H{h}"));
        let stem = format!("{}_L{}{head}", p.file, p.layer);
        Callback::from(move |f: Format| {
            let label = |i: usize| format!("{i} {}", shown(&x.chars[i]));
            let rows: Vec<String> = region.rows.clone().map(label).collect();
            let cols: Vec<String> = region.cols.clone().map(label).collect();
            let weights = region.cut(n, &matrix);
            let title = lang.f(
                "Attention of {what}: rows (reading) {r0}–{r1}, columns (read) {c0}–{c1}",
                &[
                    ("what", &what),
                    ("r0", &region.rows.start),
                    ("r1", &(region.rows.end - 1)),
                    ("c0", &region.cols.start),
                    ("c1", &(region.cols.end - 1)),
                ],
            );
            let said = said.clone();
            crate::download::save_as(
                f,
                &stem,
                || crate::export::heatmap_svg(&title, &image, &rows, &cols),
                || crate::export::matrix_csv(&rows, &cols, &weights),
                || crate::export::matrix_json(&title, &rows, &cols, &weights),
                lang,
                Callback::from(move |s| said.set(s)),
            );
        })
    };
    let row: Vec<(usize, f32)> = (0..=q).map(|k| (k, matrix[q * n + k])).collect();
    let mut top = row.clone();
    top.sort_by(|a, b| b.1.total_cmp(&a.1));
    html! {
        <div class="amap-panel">
            <div class="row wrap">
                <span class="hint">{ lang.f("The whole pattern of {what}: row = the position reading, column = the position read; brighter = more attention. Drag to zoom; click a cell to pick its row and column; arrow keys move, Esc zooms out.", &[("what", &what)]) }</span>
                <button id="amap-reset" type="button" class="secondary small" onclick={reset} disabled={region.is_full(n)}
                    title={lang.t("Show the whole window again")}>{ lang.t("Zoom out") }</button>
            </div>
            <div id="amap" class="amap" data-n={n.to_string()}
                data-rows={format!("{}-{}", region.rows.start, region.rows.end)}
                data-cols={format!("{}-{}", region.cols.start, region.cols.end)}
                data-row={q.to_string()} data-col={col.map(|c| c.to_string()).unwrap_or_default()}>
                <div class="amap-cols" aria-hidden="true" translate="no">
                    { for region.cols.clone().filter(|k| (k - region.cols.start) % stride_c == 0).map(|k| html! {
                        <button type="button" tabindex="-1" class={classes!("amap-label", (Some(k) == col).then_some("picked"))}
                            style={style_band(false, k..k + 1)} title={lang.f("source position {k} “{c}”", &[("k", &k), ("c", &shown(&x.chars[k]))])}
                            onclick={pick_col(k)}>{ shown(&x.chars[k]) }</button>
                    }) }
                </div>
                <div class="amap-rows" aria-hidden="true" translate="no">
                    { for region.rows.clone().filter(|r| (r - region.rows.start) % stride_r == 0).map(|r| html! {
                        <button type="button" tabindex="-1" class={classes!("amap-label", (r == q).then_some("picked"))}
                            style={style_band(true, r..r + 1)} title={lang.f("destination position {r} “{c}”", &[("r", &r), ("c", &shown(&x.chars[r]))])}
                            onclick={pick_row(r)}>{ shown(&x.chars[r]) }</button>
                    }) }
                </div>
                <div class="amap-plot" ref={plot} tabindex="0" role="img"
                    aria-label={lang.f("Attention heatmap of {what}, rows {r0} to {r1}, columns {c0} to {c1}; the table below reads the picked row", &[("what", &what), ("r0", &region.rows.start), ("r1", &(region.rows.end - 1)), ("c0", &region.cols.start), ("c1", &(region.cols.end - 1))])}
                    onmousedown={on_down} onmousemove={on_move} onmouseup={on_up} onmouseleave={on_leave} onkeydown={on_key}>
                    <img src={(*image).clone()} alt="" draggable="false" />
                    if region.rows.contains(&q) {
                        <div class="amap-band amap-row" style={style_band(true, q..q + 1)}></div>
                    }
                    if let Some(c) = col.filter(|c| region.cols.contains(c)) {
                        <div class="amap-band amap-col" style={style_band(false, c..c + 1)}></div>
                    }
                    if let Some(style) = dragged {
                        <div class="amap-drag" {style}></div>
                    }
                </div>
            </div>
            <ExportButtons said={(*said).clone()} on_export={export} />
            <p id="amap-picked" class="hint">
                { lang.f("Row {q} “{c}” reads most from: ", &[("q", &q), ("c", &shown(&x.chars[q]))]) }
                { top.iter().take(3).map(|&(k, w)| format!("{k} “{}” {w:.2}", shown(&x.chars[k]))).collect::<Vec<_>>().join(" · ") }
                if let Some(c) = col.filter(|&c| c <= q) {
                    { lang.f(" · column {c} “{ch}”: {w}", &[("c", &c), ("ch", &shown(&x.chars[c])), ("w", &format!("{:.3}", matrix[q * n + c]))]) }
                }
            </p>
            <div class="sr-only"><table id="amap-row-table">
                <caption>{ lang.f("Attention of {what} from position {q} “{c}” to every earlier position", &[("what", &what), ("q", &q), ("c", &shown(&x.chars[q]))]) }</caption>
                <thead><tr><th scope="col">{ lang.t("position") }</th><th scope="col">{ lang.t("character") }</th><th scope="col">{ lang.t("weight") }</th></tr></thead>
                <tbody>
                    { for row.iter().map(|&(k, w)| html! {
                        <tr><td>{ k }</td><td>{ shown(&x.chars[k]) }</td><td>{ format!("{w:.3}") }</td></tr>
                    }) }
                </tbody>
            </table></div>
        </div>
    }
}
