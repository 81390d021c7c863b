//! What the page's exports contain, as pure functions of what is on screen: a chart as a
//! standalone SVG (the page's own drawing, with its title and legend and the styles the page
//! gives it), its numbers as CSV and JSON, and the names of the files.

use serde::Serialize;

use crate::components::chart::{Axis, Line};

/// A chart as its exports describe it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChartData {
    pub title: String,
    pub x_label: String,
    pub left_label: String,
    pub right_label: Option<String>,
    pub series: Vec<SeriesData>,
}

/// One line of a chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeriesData {
    pub label: String,
    /// `left` or `right`.
    pub axis: &'static str,
    pub points: Vec<(f64, f64)>,
}

impl ChartData {
    pub fn new(
        title: &str,
        x_label: &str,
        left_label: &str,
        right_label: Option<&str>,
        lines: &[Line],
    ) -> ChartData {
        ChartData {
            title: title.into(),
            x_label: x_label.into(),
            left_label: left_label.into(),
            right_label: right_label.map(Into::into),
            series: lines
                .iter()
                .map(|l| SeriesData {
                    label: l.label.clone(),
                    axis: match l.axis {
                        Axis::Left => "left",
                        Axis::Right => "right",
                    },
                    points: l.points.clone(),
                })
                .collect(),
        }
    }

    /// One row per point: `series,axis,x,y`, with the axes' labels in the header.
    pub fn csv(&self) -> String {
        let mut out = format!(
            "series,axis,{},{}\n",
            csv_field(&self.x_label),
            csv_field("value")
        );
        for s in &self.series {
            for &(x, y) in &s.points {
                out += &format!("{},{},{x},{y}\n", csv_field(&s.label), s.axis);
            }
        }
        out
    }

    pub fn json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// A CSV field, quoted when it holds a comma, a quote or a line break.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Text for XML: `&`, `<`, `>` and quotes escaped.
pub fn xml_text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The styles the page's stylesheet gives a chart, for a file read without it.
const CHART_STYLE: &str = ".axis{stroke:#8c959f;stroke-width:1}\
.tick{font-size:10px;fill:#57606a}\
.axis-label{font-size:11px;fill:#24292f}\
.marker{stroke:#24292f;stroke-dasharray:2 3}\
text{font-family:system-ui,sans-serif}";

/// Height of the title band above the plot and of one legend row below it.
const BAND: f64 = 22.0;

/// The formats a chart or the heatmap saves in, as the buttons offer them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Svg,
    Png,
    Csv,
    Json,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Svg, Format::Png, Format::Csv, Format::Json];

    pub fn ext(self) -> &'static str {
        match self {
            Format::Svg => "svg",
            Format::Png => "png",
            Format::Csv => "csv",
            Format::Json => "json",
        }
    }

    pub fn hint(self, lang: crate::i18n::Lang) -> &'static str {
        lang.t(self.hint_en())
    }

    fn hint_en(self) -> &'static str {
        match self {
            Format::Svg => "Save the chart as SVG: a vector drawing for papers and slides",
            Format::Png => "Save the chart as PNG: an image twice the size shown",
            Format::Csv => "Save the chart's numbers as CSV: one row per point",
            Format::Json => "Save the chart's numbers as JSON: labels, axes and points",
        }
    }
}

/// Characters of the title on one line of a drawing `w` wide (12 px text).
fn title_chars(w: f64) -> usize {
    ((w - 16.0) / 6.6).max(20.0) as usize
}

/// `text` cut into lines of at most `max` characters, at spaces where it can be.
pub fn wrap(text: &str, max: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let fits = line.chars().count() + 1 + word.chars().count() <= max;
        if !line.is_empty() && !fits {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line += word;
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// The opening of a standalone SVG `w × h`: its `style`, a white ground and the title's lines.
fn svg_head(w: f64, h: f64, style: &str, title_rows: &[String]) -> String {
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\">\
<style>{style}</style><rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>"
    );
    for (i, line) in title_rows.iter().enumerate() {
        out += &format!(
            "<text x=\"8\" y=\"{}\" style=\"font:600 12px system-ui,sans-serif;fill:#24292f\">{}</text>",
            15.0 + BAND * i as f64,
            xml_text(line)
        );
    }
    out
}

/// The height of [`standalone_svg`] for a plot `w × h` under `title` with `legend_rows`
/// legend rows.
pub fn standalone_height(w: f64, h: f64, title: &str, legend_rows: usize) -> f64 {
    let title_rows = wrap(title, title_chars(w)).len();
    h + BAND * (title_rows + legend_rows) as f64 + 8.0
}

/// A standalone SVG of a chart: `inner` is the markup inside the page's `<svg>` (of size
/// `w × h`), put under a title, with the legend (label, colour, dashed) below.
pub fn standalone_svg(
    inner: &str,
    w: f64,
    h: f64,
    title: &str,
    legend: &[(String, String, bool)],
) -> String {
    let total = standalone_height(w, h, title, legend.len());
    let title_rows = wrap(title, title_chars(w));
    let top = BAND * title_rows.len() as f64;
    let mut out = svg_head(w, total, CHART_STYLE, &title_rows);
    out += &format!("<g transform=\"translate(0 {top})\">{inner}</g>");
    for (i, (label, colour, dashed)) in legend.iter().enumerate() {
        let y = top + h + BAND * i as f64 + 12.0;
        out += &format!(
            "<line x1=\"12\" y1=\"{y}\" x2=\"36\" y2=\"{y}\" stroke=\"{}\" stroke-width=\"2\"{}/>\
<text x=\"42\" y=\"{}\" font-size=\"11\" fill=\"#24292f\">{}</text>",
            xml_text(colour),
            if *dashed {
                " stroke-dasharray=\"5 4\""
            } else {
                ""
            },
            y + 4.0,
            xml_text(label)
        );
    }
    out + "</svg>"
}

/// The heatmap's region as CSV: a header of its columns' labels, then one row per destination
/// with its label and weights.
pub fn matrix_csv(rows: &[String], cols: &[String], weights: &[f32]) -> String {
    let mut out = String::from("destination \\ source");
    for c in cols {
        out.push(',');
        out += &csv_field(c);
    }
    out.push('\n');
    for (r, label) in rows.iter().enumerate() {
        out += &csv_field(label);
        for w in weights.iter().skip(r * cols.len()).take(cols.len()) {
            out += &format!(",{w}");
        }
        out.push('\n');
    }
    out
}

/// The heatmap's region as JSON: its title, the labels of its rows and columns, and the
/// weights row by row.
pub fn matrix_json(title: &str, rows: &[String], cols: &[String], weights: &[f32]) -> String {
    let matrix: Vec<&[f32]> = weights.chunks(cols.len().max(1)).collect();
    serde_json::to_string_pretty(&serde_json::json!({
        "title": title,
        "rows": rows,
        "cols": cols,
        "weights": matrix,
    }))
    .unwrap_or_default()
}

/// Side of the heatmap's square in its SVG, and the room its labels take.
const MAP: f64 = 480.0;
const MARGIN: f64 = 56.0;

/// A standalone SVG of the heatmap: the title above, the `image` (a data URL of the page's
/// bitmap) in a square, and the labels of rows and columns along its sides (as many as fit).
/// Returns the SVG and its width and height.
pub fn heatmap_svg(
    title: &str,
    image: &str,
    rows: &[String],
    cols: &[String],
) -> (String, f64, f64) {
    let w = MARGIN + MAP + 8.0;
    let title_rows = wrap(title, title_chars(w));
    let top = BAND * title_rows.len() as f64 + MARGIN;
    let h = top + MAP + 8.0;
    let mut out = svg_head(
        w,
        h,
        "text{font-family:ui-monospace,monospace;font-size:9px;fill:#24292f}",
        &title_rows,
    );
    out += &format!(
        "<image x=\"{MARGIN}\" y=\"{top}\" width=\"{MAP}\" height=\"{MAP}\" preserveAspectRatio=\"none\" style=\"image-rendering:pixelated\" href=\"{}\"/>",
        xml_text(image)
    );
    let cell = |n: usize| MAP / n.max(1) as f64;
    let stride = |n: usize| crate::region::label_stride(n, MAP, 11.0);
    for (i, label) in rows.iter().enumerate().step_by(stride(rows.len())) {
        let y = top + cell(rows.len()) * (i as f64 + 0.5) + 3.0;
        out += &format!(
            "<text x=\"{}\" y=\"{y:.1}\" text-anchor=\"end\">{}</text>",
            MARGIN - 3.0,
            xml_text(label)
        );
    }
    for (i, label) in cols.iter().enumerate().step_by(stride(cols.len())) {
        let x = MARGIN + cell(cols.len()) * (i as f64 + 0.5);
        out += &format!(
            "<text transform=\"translate({x:.1} {}) rotate(-90)\">{}</text>",
            top - 3.0,
            xml_text(label)
        );
    }
    (out + "</svg>", w, h)
}

/// One score's matrix to save: its title and `[layer][head]` values.
pub type HeadMatrix<'a> = (&'a str, &'a [Vec<f32>]);

/// Head score matrices as CSV, one row per cell: `score,layer,head,value`.
pub fn head_matrices_csv(matrices: &[HeadMatrix]) -> String {
    let mut out = String::from("score,layer,head,value\n");
    for (title, values) in matrices {
        for (l, row) in values.iter().enumerate() {
            for (h, v) in row.iter().enumerate() {
                out += &format!("{},{l},{h},{v}\n", csv_field(title));
            }
        }
    }
    out
}

/// Head score matrices as JSON: the title, the colour scale's range, and each matrix.
pub fn head_matrices_json(title: &str, matrices: &[HeadMatrix]) -> String {
    let list: Vec<serde_json::Value> = matrices
        .iter()
        .map(|(t, v)| serde_json::json!({ "score": t, "values": v }))
        .collect();
    serde_json::to_string_pretty(&serde_json::json!({
        "title": title,
        "scale": { "colours": "viridis", "min": 0.0, "max": 1.0 },
        "matrices": list,
    }))
    .unwrap_or_default()
}

/// Side of one cell of a head matrix in its SVG (px).
const HEAD_CELL: f64 = 22.0;

/// A standalone SVG of head score matrices side by side under `title`, cells coloured as on
/// the page, with a legend of the scale (0 to 1). Returns the SVG and its width and height.
pub fn head_matrices_svg(title: &str, matrices: &[HeadMatrix]) -> (String, f64, f64) {
    let heads = matrices
        .iter()
        .flat_map(|m| m.1.first())
        .map(Vec::len)
        .max()
        .unwrap_or(0);
    let layers = matrices.iter().map(|m| m.1.len()).max().unwrap_or(0);
    // Room for the row labels, the cells, and a caption of up to ~26 characters.
    let block = (24.0 + HEAD_CELL * heads as f64).max(170.0) + 12.0;
    let per_row = ((720.0 / block) as usize).clamp(1, matrices.len().max(1));
    let w = 8.0 + block * per_row as f64;
    let title_rows = wrap(title, title_chars(w));
    let top = BAND * title_rows.len() as f64 + 30.0;
    let block_h = 34.0 + HEAD_CELL * layers as f64 + 8.0;
    let rows = matrices.len().div_ceil(per_row);
    let h = top + block_h * rows as f64 + 8.0;
    let mut out = svg_head(
        w,
        h,
        "text{font-family:system-ui,sans-serif;font-size:10px;fill:#24292f}",
        &title_rows,
    );
    // The legend: the scale from 0 to 1.
    let y = top - 22.0;
    out += "<defs><linearGradient id=\"viridis\">";
    for i in 0..=8 {
        let t = i as f32 / 8.0;
        out += &format!(
            "<stop offset=\"{:.3}\" stop-color=\"{}\"/>",
            t,
            crate::heatmap::viridis_css(t)
        );
    }
    out += "</linearGradient></defs>";
    out += &format!(
        "<text x=\"8\" y=\"{}\">0</text><rect x=\"18\" y=\"{y}\" width=\"120\" height=\"10\" fill=\"url(#viridis)\"/><text x=\"142\" y=\"{}\">1</text>",
        y + 9.0,
        y + 9.0
    );
    for (i, (name, values)) in matrices.iter().enumerate() {
        let x0 = 8.0 + block * (i % per_row) as f64;
        let y0 = top + block_h * (i / per_row) as f64;
        out += &format!(
            "<text x=\"{x0}\" y=\"{}\" style=\"font-weight:600\">{}</text>",
            y0 + 10.0,
            xml_text(name)
        );
        let (cx, cy) = (x0 + 24.0, y0 + 30.0);
        for h in 0..values.first().map_or(0, Vec::len) {
            out += &format!(
                "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">H{h}</text>",
                cx + HEAD_CELL * (h as f64 + 0.5),
                cy - 4.0
            );
        }
        for (l, row) in values.iter().enumerate() {
            let ry = cy + HEAD_CELL * l as f64;
            out += &format!(
                "<text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">L{l}</text>",
                cx - 4.0,
                ry + HEAD_CELL / 2.0 + 3.0
            );
            for (h, v) in row.iter().enumerate() {
                out += &format!(
                    "<rect x=\"{:.1}\" y=\"{ry:.1}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>L{l}H{h} {}: {v:.3}</title></rect>",
                    cx + HEAD_CELL * h as f64,
                    HEAD_CELL - 2.0,
                    HEAD_CELL - 2.0,
                    crate::heatmap::viridis_css(*v),
                    xml_text(name)
                );
            }
        }
    }
    (out + "</svg>", w, h)
}

/// Width of one character of the drawn table's 11 px text, and a cell's padding (px).
const CHAR_W: f64 = 6.4;
const CELL_PAD: f64 = 12.0;
/// Characters on one line of a table's cell before it wraps.
const CELL_CHARS: usize = 26;

/// A standalone SVG of a table under `title`: a header row of `heads` (the first over the
/// rows' labels), then each row's label and cells, every cell wrapped at spaces. Returns the
/// SVG and its width and height.
pub fn table_svg(
    title: &str,
    heads: &[String],
    rows: &[(String, Vec<String>)],
) -> (String, f64, f64) {
    let lines = |s: &str| wrap(s, CELL_CHARS);
    let cols = heads.len().max(1);
    let cell = |r: &(String, Vec<String>), c: usize| -> String {
        if c == 0 {
            r.0.clone()
        } else {
            r.1.get(c - 1).cloned().unwrap_or_default()
        }
    };
    let widths: Vec<f64> = (0..cols)
        .map(|c| {
            let texts = std::iter::once(heads.get(c).cloned().unwrap_or_default())
                .chain(rows.iter().map(|r| cell(r, c)));
            let chars = texts
                .flat_map(|t| lines(&t))
                .map(|l| l.chars().count())
                .max()
                .unwrap_or(1);
            chars as f64 * CHAR_W + CELL_PAD
        })
        .collect();
    let w = widths.iter().sum::<f64>() + 16.0;
    let title_rows = wrap(title, title_chars(w));
    let mut y = BAND * title_rows.len() as f64 + 8.0;
    let mut body = String::new();
    let all_rows = std::iter::once((
        heads.first().cloned().unwrap_or_default(),
        heads.iter().skip(1).cloned().collect(),
    ))
    .chain(rows.iter().cloned());
    for (i, r) in all_rows.enumerate() {
        let cells: Vec<Vec<String>> = (0..cols).map(|c| lines(&cell(&r, c))).collect();
        let height = cells.iter().map(Vec::len).max().unwrap_or(1) as f64 * 14.0 + 6.0;
        let weight = if i == 0 { " font-weight=\"600\"" } else { "" };
        let mut x = 8.0;
        for (c, text) in cells.iter().enumerate() {
            for (j, line) in text.iter().enumerate() {
                body += &format!(
                    "<text x=\"{:.1}\" y=\"{:.1}\"{weight}>{}</text>",
                    x + CELL_PAD / 2.0,
                    y + 14.0 * (j as f64 + 1.0),
                    xml_text(line)
                );
            }
            x += widths[c];
        }
        y += height;
        body += &format!(
            "<line x1=\"8\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"#d0d7de\"/>",
            w - 8.0
        );
    }
    let h = y + 8.0;
    let style =
        "text{font-family:system-ui,sans-serif;font-size:11px;fill:#24292f;white-space:pre}";
    (svg_head(w, h, style, &title_rows) + &body + "</svg>", w, h)
}

/// A file's name without extension from the view, the model and (where it applies) the
/// training step: `icl-curve_base_step6300`. Characters other than letters, digits, `-`, `_`
/// and `.` become `-`.
pub fn file_stem(view: &str, model: Option<&str>, step: Option<usize>) -> String {
    let mut stem = view.to_string();
    if let Some(m) = model.filter(|m| !m.is_empty()) {
        stem += "_";
        stem += m;
    }
    if let Some(s) = step {
        stem += &format!("_step{s}");
    }
    stem.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn head_matrices_save_every_cell_in_each_format() {
        let ind = vec![vec![0.5, 0.25], vec![1.0, 0.0]];
        let prev = vec![vec![0.125, 0.75], vec![0.0, 0.375]];
        let ms: [super::HeadMatrix; 2] = [("Induction", &ind), ("Previous, token", &prev)];
        let csv = super::head_matrices_csv(&ms);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 1 + 8);
        assert_eq!(lines[1], "Induction,0,0,0.5");
        assert_eq!(lines[3], "Induction,1,0,1");
        assert_eq!(lines[6], "\"Previous, token\",0,1,0.75");
        let json: serde_json::Value =
            serde_json::from_str(&super::head_matrices_json("Heads", &ms)).unwrap();
        assert_eq!(json["matrices"][1]["values"][1][1], 0.375);
        assert_eq!(json["scale"]["max"], 1.0);
        let (svg, w, h) = super::head_matrices_svg("Heads", &ms);
        assert!(w > 0.0 && h > 0.0);
        assert_eq!(
            svg.matches("<rect x=").count(),
            1 + 8,
            "the legend and a rect per cell"
        );
        assert!(svg.contains(&format!("fill=\"{}\"", crate::heatmap::viridis_css(1.0))));
        assert!(svg.contains("<title>L1H0 Induction: 1.000</title>"));
    }

    use super::*;

    fn data() -> ChartData {
        let lines = vec![
            Line {
                label: "base, exact \"match\"".into(),
                color: "#1f6feb",
                axis: Axis::Left,
                dashed: false,
                points: vec![(0.0, 10.0), (1.0, 50.5)],
            },
            Line {
                label: "base, log p".into(),
                color: "#d1242f",
                axis: Axis::Right,
                dashed: true,
                points: vec![(0.0, -2.25)],
            },
        ];
        ChartData::new("A <chart>", "k", "exact match (%)", Some("log p"), &lines)
    }

    #[test]
    fn csv_has_a_row_per_point_with_quoted_labels() {
        let csv = data().csv();
        let rows: Vec<&str> = csv.lines().collect();
        assert_eq!(rows[0], "series,axis,k,value");
        assert_eq!(rows[1], "\"base, exact \"\"match\"\"\",left,0,10");
        assert_eq!(rows[2], "\"base, exact \"\"match\"\"\",left,1,50.5");
        assert_eq!(rows[3], "\"base, log p\",right,0,-2.25");
        assert_eq!(rows.len(), 4);
    }

    #[test]
    fn json_holds_labels_axes_and_points() {
        let v: serde_json::Value = serde_json::from_str(&data().json()).unwrap();
        assert_eq!(v["title"], "A <chart>");
        assert_eq!(v["right_label"], "log p");
        assert_eq!(v["series"][1]["axis"], "right");
        assert_eq!(v["series"][0]["points"][1][1], 50.5);
    }

    #[test]
    fn the_svg_is_the_page_drawing_under_an_escaped_title_with_a_legend() {
        let legend = vec![
            ("a & b".to_string(), "#1f6feb".to_string(), false),
            ("c".to_string(), "#d1242f".to_string(), true),
        ];
        let svg = standalone_svg("<line class=\"axis\"/>", 560.0, 240.0, "x < y", &legend);
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains(">x &lt; y</text>"));
        assert!(svg.contains("<g transform=\"translate(0 22)\"><line class=\"axis\"/></g>"));
        assert!(svg.contains(">a &amp; b</text>"));
        assert_eq!(svg.matches("stroke-dasharray=\"5 4\"").count(), 1);
        // Title band + plot + two legend rows + margin.
        assert!(svg.contains("viewBox=\"0 0 560 314\""));
        assert!(svg.ends_with("</svg>"));
        // A long title wraps onto more bands, and the plot moves down below them.
        let long = "word ".repeat(40);
        let svg = standalone_svg("", 560.0, 240.0, &long, &legend);
        assert_eq!(svg.matches("font:600 12px").count(), 3);
        assert!(svg.contains("<g transform=\"translate(0 66)\">"));
        assert_eq!(
            standalone_height(560.0, 240.0, &long, 2),
            240.0 + 22.0 * 5.0 + 8.0
        );
    }

    #[test]
    fn a_heatmap_saves_as_a_labelled_matrix_and_a_drawing() {
        let rows = vec!["3 a".to_string(), "4 ,".to_string()];
        let cols = vec!["0 <bos>".to_string(), "1 b".to_string(), "2 \"".to_string()];
        let w = [1.0, 0.0, 0.0, 0.25, 0.5, 0.25];
        let csv = matrix_csv(&rows, &cols, &w);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], "destination \\ source,0 <bos>,1 b,\"2 \"\"\"");
        assert_eq!(lines[1], "3 a,1,0,0");
        assert_eq!(lines[2], "\"4 ,\",0.25,0.5,0.25");
        let v: serde_json::Value =
            serde_json::from_str(&matrix_json("t", &rows, &cols, &w)).unwrap();
        assert_eq!(v["weights"][1][1], 0.5);
        assert_eq!(v["cols"][2], "2 \"");
        let (svg, width, height) = heatmap_svg("A & B", "data:image/bmp;base64,Qk0=", &rows, &cols);
        assert!(svg.starts_with("<svg xmlns=") && svg.ends_with("</svg>"));
        assert!(svg.contains("href=\"data:image/bmp;base64,Qk0=\""));
        assert!(svg.contains(">A &amp; B</text>") && svg.contains(">0 &lt;bos&gt;</text>"));
        assert_eq!(
            svg.matches("text-anchor=\"end\"").count(),
            2,
            "both rows labelled"
        );
        assert!(width > 480.0 && height > 480.0);
    }

    #[test]
    fn a_table_is_drawn_with_its_header_labels_and_escaped_cells() {
        let heads = vec![
            "".to_string(),
            "in context".to_string(),
            "both <tuned>".to_string(),
        ];
        let rows = vec![
            (
                "exact match".to_string(),
                vec!["✗".to_string(), "✓".to_string()],
            ),
            (
                "completion".to_string(),
                vec!["a & b".to_string(), "word ".repeat(12)],
            ),
        ];
        let (svg, w, h) = table_svg("A table", &heads, &rows);
        assert!(svg.starts_with("<svg xmlns=") && svg.ends_with("</svg>"));
        assert!(svg.contains(">both &lt;tuned&gt;</text>") && svg.contains(">a &amp; b</text>"));
        assert!(svg.contains(">✓</text>") && svg.contains(">exact match</text>"));
        // A long cell wraps onto lines of at most CELL_CHARS characters; every row is ruled.
        assert!(svg.matches(">word word word word word</text>").count() >= 2);
        assert_eq!(svg.matches("<line ").count(), 3);
        assert!(w > 200.0 && h > 60.0);
        assert!(svg.contains(&format!("viewBox=\"0 0 {w} {h}\"")));
    }

    #[test]
    fn wrapping_breaks_at_spaces_and_counts_characters() {
        assert_eq!(wrap("ab cd ef", 5), vec!["ab cd", "ef"]);
        assert_eq!(wrap("é é é é", 3), vec!["é é", "é é"]);
        assert_eq!(wrap("", 5), vec![""]);
        assert_eq!(wrap("toolongword x", 4), vec!["toolongword", "x"]);
    }

    #[test]
    fn file_names_carry_view_model_and_step() {
        assert_eq!(
            file_stem("icl-curve", Some("base"), Some(6300)),
            "icl-curve_base_step6300"
        );
        assert_eq!(file_stem("live", None, None), "live");
        assert_eq!(
            file_stem("heads", Some("my model/ü"), None),
            "heads_my-model--"
        );
    }
}
