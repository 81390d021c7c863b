//! A small SVG line chart with labelled axes, a legend, a table of its numbers for screen
//! readers, and buttons that save it as SVG, PNG, CSV or JSON (every chart of the page is one
//! of these).

use yew::prelude::*;

use super::export_buttons::ExportButtons;
use crate::export::Format;
use crate::i18n::use_lang;

/// Which y axis a series is drawn against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Axis {
    Left,
    Right,
}

/// One line of a chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub label: String,
    pub color: &'static str,
    pub axis: Axis,
    /// Dashed (e.g. the second metric of the same model).
    pub dashed: bool,
    pub points: Vec<(f64, f64)>,
}

#[derive(Properties, PartialEq, Clone)]
pub struct ChartProps {
    pub id: AttrValue,
    /// What the chart shows, as a sentence (the table's caption).
    pub title: AttrValue,
    pub x_label: AttrValue,
    pub left_label: AttrValue,
    #[prop_or_default]
    pub right_label: Option<AttrValue>,
    pub lines: Vec<Line>,
    /// Fixed ranges (otherwise from the data).
    #[prop_or_default]
    pub left_range: Option<(f64, f64)>,
    #[prop_or_default]
    pub right_range: Option<(f64, f64)>,
    #[prop_or_default]
    pub log_x: bool,
    /// A vertical marker (e.g. the current checkpoint).
    #[prop_or_default]
    pub marker: Option<f64>,
    /// The exported files' name without extension (see [`crate::export::file_stem`]).
    pub file: AttrValue,
}

/// Colours for series, in order (distinguishable in greyscale by their dash patterns too).
pub const COLORS: [&str; 6] = [
    "#1f6feb", "#d1242f", "#1a7f37", "#9a6700", "#8250df", "#57606a",
];

const W: f64 = 560.0;
const H: f64 = 240.0;
const PAD_L: f64 = 52.0;
const PAD_R: f64 = 52.0;
const PAD_T: f64 = 12.0;
const PAD_B: f64 = 40.0;

fn range(points: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = points.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    if !lo.is_finite() || !hi.is_finite() {
        return (0.0, 1.0);
    }
    if (hi - lo).abs() < 1e-9 {
        return (lo - 0.5, hi + 0.5);
    }
    (lo, hi)
}

fn fmt(v: f64) -> String {
    if v.fract() == 0.0 || v.abs() >= 1000.0 {
        format!("{v:.0}")
    } else if v.abs() >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// A power of ten as a log axis labels it: `1000` up to ten thousand, then `10⁵`, `10¹²`.
fn power_of_ten(x: f64) -> String {
    let e = x.log10().round() as i32;
    if e <= 4 {
        return fmt(x);
    }
    const SUP: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    let digits: String = e
        .to_string()
        .chars()
        .filter_map(|d| SUP.get(d.to_digit(10)? as usize).copied())
        .collect();
    format!("10{digits}")
}

/// Makes and saves one export of the chart drawn in `svg`.
fn export(
    lang: crate::i18n::Lang,
    p: &ChartProps,
    svg: &NodeRef,
    format: Format,
    status: UseStateHandle<String>,
) {
    let data = || {
        crate::export::ChartData::new(
            &p.title,
            &p.x_label,
            &p.left_label,
            p.right_label.as_deref(),
            &p.lines,
        )
    };
    let standalone = || {
        // The page's own drawing, serialised as XML (its text escaped by the serialiser).
        let inner = svg
            .cast::<web_sys::Element>()
            .map(|e| children_markup(&e))
            .unwrap_or_default();
        let legend: Vec<(String, String, bool)> = p
            .lines
            .iter()
            .map(|l| (l.label.clone(), l.color.to_string(), l.dashed))
            .collect();
        let h = crate::export::standalone_height(W, H, &p.title, p.lines.len());
        (
            crate::export::standalone_svg(&inner, W, H, &p.title, &legend),
            W,
            h,
        )
    };
    crate::download::save_as(
        format,
        &p.file,
        standalone,
        || data().csv(),
        || data().json(),
        lang,
        Callback::from(move |s| status.set(s)),
    );
}

#[function_component]
pub fn Chart(p: &ChartProps) -> Html {
    let lang = use_lang();
    let svg_ref = use_node_ref();
    let status = use_state(String::new);
    let tx = |x: f64| if p.log_x { x.max(1.0).log10() } else { x };
    let (x0, x1) = range(
        p.lines
            .iter()
            .flat_map(|l| l.points.iter().map(|q| tx(q.0))),
    );
    let side = |axis: Axis| {
        p.lines
            .iter()
            .filter(move |l| l.axis == axis)
            .flat_map(|l| l.points.iter().map(|q| q.1))
    };
    let left = p.left_range.unwrap_or_else(|| range(side(Axis::Left)));
    let right = p.right_range.unwrap_or_else(|| range(side(Axis::Right)));
    let sx = move |x: f64| PAD_L + (tx(x) - x0) / (x1 - x0).max(1e-9) * (W - PAD_L - PAD_R);
    let sy = |y: f64, (a, b): (f64, f64)| PAD_T + (1.0 - (y - a) / (b - a)) * (H - PAD_T - PAD_B);
    let ticks = |(a, b): (f64, f64)| (0..=4).map(move |i| a + (b - a) * i as f64 / 4.0);
    let xs: Vec<f64> = if p.log_x {
        // Powers of ten inside the data's range.
        (0..=18)
            .map(|e| 10f64.powi(e))
            .filter(|&x| tx(x) >= x0 - 1e-9 && tx(x) <= x1 + 1e-9)
            .collect()
    } else {
        let mut v: Vec<f64> = p
            .lines
            .iter()
            .flat_map(|l| l.points.iter().map(|q| q.0))
            .collect();
        v.sort_by(f64::total_cmp);
        v.dedup();
        if v.len() > 10 {
            let step = v.len().div_ceil(10);
            v = v.into_iter().step_by(step).collect();
        }
        v
    };
    html! {
        <figure class="chart" id={p.id.clone()}>
            <svg ref={svg_ref.clone()} viewBox={format!("0 0 {W} {H}")} role="img" aria-label={p.title.clone()}>
                <line class="axis" x1={PAD_L.to_string()} y1={(H - PAD_B).to_string()} x2={(W - PAD_R).to_string()} y2={(H - PAD_B).to_string()} />
                <line class="axis" x1={PAD_L.to_string()} y1={PAD_T.to_string()} x2={PAD_L.to_string()} y2={(H - PAD_B).to_string()} />
                { for ticks(left).map(|v| html! {
                    <text class="tick" x={(PAD_L - 4.0).to_string()} y={(sy(v, left) + 4.0).to_string()} text-anchor="end">{ fmt(v) }</text>
                }) }
                if p.right_label.is_some() {
                    <line class="axis" x1={(W - PAD_R).to_string()} y1={PAD_T.to_string()} x2={(W - PAD_R).to_string()} y2={(H - PAD_B).to_string()} />
                    { for ticks(right).map(|v| html! {
                        <text class="tick" x={(W - PAD_R + 4.0).to_string()} y={(sy(v, right) + 4.0).to_string()}>{ fmt(v) }</text>
                    }) }
                }
                { for xs.iter().map(|&x| html! {
                    <text class="tick" x={sx(x).to_string()} y={(H - PAD_B + 14.0).to_string()} text-anchor="middle">{ if p.log_x { power_of_ten(x) } else { fmt(x) } }</text>
                }) }
                <text class="axis-label" x={((W) / 2.0).to_string()} y={(H - 6.0).to_string()} text-anchor="middle">{ p.x_label.clone() }</text>
                <text class="axis-label" transform={format!("translate(12 {}) rotate(-90)", H / 2.0)} text-anchor="middle">{ p.left_label.clone() }</text>
                if let Some(r) = &p.right_label {
                    <text class="axis-label" transform={format!("translate({} {}) rotate(90)", W - 10.0, H / 2.0)} text-anchor="middle">{ r.clone() }</text>
                }
                if let Some(m) = p.marker {
                    <line class="marker" x1={sx(m).to_string()} y1={PAD_T.to_string()} x2={sx(m).to_string()} y2={(H - PAD_B).to_string()} />
                }
                { for p.lines.iter().enumerate().map(|(i, l)| {
                    let r = if l.axis == Axis::Left { left } else { right };
                    let path: Vec<String> = l.points.iter().map(|&(x, y)| format!("{:.1},{:.1}", sx(x), sy(y, r))).collect();
                    html! {
                        <g class="series" data-series={i.to_string()} data-label={l.label.clone()}>
                            <polyline points={path.join(" ")} fill="none" stroke={l.color} stroke-width="2"
                                stroke-dasharray={if l.dashed { "5 4" } else { "none" }} />
                            { for l.points.iter().map(|&(x, y)| html! {
                                <circle class="pt" cx={format!("{:.1}", sx(x))} cy={format!("{:.1}", sy(y, r))} r="3"
                                    fill={l.color} data-x={x.to_string()} data-y={y.to_string()} />
                            }) }
                        </g>
                    }
                }) }
            </svg>
            <figcaption>
                <ul class="legend">
                    { for p.lines.iter().map(|l| html! {
                        <li><span class={classes!("swatch", l.dashed.then_some("dashed"))} style={format!("border-color:{}", l.color)}></span>{ &l.label }</li>
                    }) }
                </ul>
            </figcaption>
            <ExportButtons said={(*status).clone()} on_export={{
                let (svg_ref, status, p) = (svg_ref.clone(), status.clone(), p.clone());
                Callback::from(move |f: Format| export(lang, &p, &svg_ref, f, status.clone()))
            }} />
            <div class="sr-only"><table>
                <caption>{ p.title.clone() }</caption>
                <thead><tr><th scope="col">{ lang.t("series") }</th><th scope="col">{ p.x_label.clone() }</th><th scope="col">{ lang.t("value") }</th></tr></thead>
                <tbody>
                    { for p.lines.iter().flat_map(|l| l.points.iter().map(move |&(x, y)| html! {
                        <tr><td>{ &l.label }</td><td>{ fmt(x) }</td><td>{ format!("{y:.4}") }</td></tr>
                    })) }
                </tbody>
            </table></div>
        </figure>
    }
}

/// The XML of an element's children, one after another (what the SVG export wraps).
fn children_markup(e: &web_sys::Element) -> String {
    let Ok(xml) = web_sys::XmlSerializer::new() else {
        return String::new();
    };
    let nodes = e.child_nodes();
    (0..nodes.length())
        .filter_map(|i| nodes.item(i))
        .filter_map(|n| xml.serialize_to_string(&n).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_axes_write_large_powers_of_ten_as_powers() {
        assert_eq!(power_of_ten(1.0), "1");
        assert_eq!(power_of_ten(10_000.0), "10000");
        assert_eq!(power_of_ten(1e5), "10⁵");
        assert_eq!(power_of_ten(1e12), "10¹²");
        assert_eq!(power_of_ten(1e18), "10¹⁸");
    }
}
