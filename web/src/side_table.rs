//! "In context or in weights?" as a table: the four columns (no examples, in context, in
//! weights, both) for the visitor's query and for their examples left out in turn, worded in
//! the page's language; and the table's exports (CSV: one row per column, JSON: the numbers
//! with what they were measured on). Pure, so it is tested natively.

use icl_model::eval::in_weights::{Column, SideColumn};
use serde_json::json;

use crate::export::csv_field;
use crate::i18n::Lang;
use crate::protocol::TuneRequest;

/// The table as the page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct SideTable {
    /// The header: the rows' labels' column, then one name per column.
    pub heads: Vec<String>,
    /// Each row's label and its cells, one per column.
    pub rows: Vec<(String, Vec<String>)>,
}

/// A column's name with what it runs on: `k` examples in the prompt or none, shipped or
/// tuned weights.
pub fn heading(column: Column, k: usize, lang: Lang) -> String {
    match column {
        Column::NoExamples => lang.t("no examples (shipped weights)").to_string(),
        Column::InContext => lang.f("in context ({k} examples, shipped weights)", &[("k", &k)]),
        Column::InWeights => lang.t("in weights (tuned, no examples)").to_string(),
        Column::Both => lang.f("both (tuned + {k} examples)", &[("k", &k)]),
    }
}

/// A completion with its invisible characters drawn (a missing or extra space is what often
/// tells two answers apart).
fn visible(text: &str) -> String {
    text.chars()
        .map(|c| crate::glyph::shown(c.encode_utf8(&mut [0; 4])))
        .collect()
}

/// ✓, ✗, or – when there is no answer to compare with.
pub fn mark(exact: Option<bool>) -> &'static str {
    match exact {
        Some(true) => "✓",
        Some(false) => "✗",
        None => "–",
    }
}

/// The table of `columns`, measured for `request`.
pub fn side_table(request: &TuneRequest, columns: &[SideColumn], lang: Lang) -> SideTable {
    let k = request.examples.len();
    let cells = |f: &dyn Fn(&SideColumn) -> String| columns.iter().map(f).collect::<Vec<_>>();
    let number = |v: Option<f32>| v.map_or_else(|| "–".to_string(), |v| format!("{v:.2}"));
    let query = lang.f(
        "your query “{query}”: completion",
        &[("query", &request.query)],
    );
    SideTable {
        heads: std::iter::once(String::new())
            .chain(columns.iter().map(|c| heading(c.column, k, lang)))
            .collect(),
        rows: vec![
            (
                query,
                cells(&|c| match &c.query.error {
                    Some(why) => lang.t_owned(why),
                    None => visible(&c.query.text),
                }),
            ),
            (
                lang.t("exact match").to_string(),
                cells(&|c| mark(c.query.exact_match).to_string()),
            ),
            (
                lang.t("log p of the expected answer (nats)").to_string(),
                cells(&|c| number(c.query.logprob)),
            ),
            (
                lang.t("your examples, leave-one-out: exact match")
                    .to_string(),
                cells(&|c| {
                    lang.f(
                        "{pct} % of {n}",
                        &[
                            ("pct", &format!("{:.0}", 100.0 * c.examples.exact)),
                            ("n", &c.examples.n),
                        ],
                    )
                }),
            ),
            (
                lang.t("your examples, leave-one-out: mean log p (nats)")
                    .to_string(),
                cells(&|c| number((c.examples.n > 0).then_some(c.examples.logprob))),
            ),
        ],
    }
}

/// The columns as CSV: one row per column, named as `icl eval` names them.
pub fn csv(columns: &[SideColumn]) -> String {
    let opt = |v: Option<String>| v.unwrap_or_default();
    let mut out = String::from(
        "column,completion,exact_match,logprob,examples_n,examples_exact,examples_mean_logprob\n",
    );
    for c in columns {
        out += &format!(
            "{},{},{},{},{},{},{}\n",
            csv_field(c.column.name()),
            csv_field(&c.query.text),
            opt(c.query.exact_match.map(|m| m.to_string())),
            opt(c.query.logprob.map(|l| l.to_string())),
            c.examples.n,
            c.examples.exact,
            c.examples.logprob,
        );
    }
    out
}

/// The columns as JSON, with what they were measured on: the weights tuned and how, the
/// steps taken, the examples and the query.
pub fn json(request: &TuneRequest, steps: usize, stopped: bool, columns: &[SideColumn]) -> String {
    serde_json::to_string_pretty(&json!({
        "format": crate::bundle::FORMAT,
        "version": crate::bundle::VERSION,
        "kind": "in-context-or-in-weights",
        "base": request.base,
        "settings": request.settings,
        "steps": steps,
        "stopped": stopped,
        "template": request.template,
        "examples": request.examples,
        "query": request.query,
        "expected": request.expected,
        "columns": columns,
    }))
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use icl_model::eval::in_weights::LeaveOneOut;
    use icl_model::train::tune::TuneSettings;

    use super::*;
    use crate::protocol::{Compared, Target};

    fn request() -> TuneRequest {
        TuneRequest {
            base: Target::default(),
            template: Default::default(),
            examples: vec![
                ("stone".into(), "nesto".into()),
                ("river".into(), "verri".into()),
                ("cloud".into(), "oudcl".into()),
            ],
            query: "light".into(),
            expected: Some("ghtli".into()),
            settings: TuneSettings::default(),
        }
    }

    fn columns() -> Vec<SideColumn> {
        Column::ALL
            .iter()
            .map(|&column| SideColumn {
                column,
                query: Compared {
                    text: if column.tuned() { " ghtli" } else { " ght,li" }.into(),
                    exact_match: Some(column.tuned()),
                    logprob: Some(if column.tuned() { -0.25 } else { -3.5 }),
                    char_accuracy: Some(if column.tuned() { 1.0 } else { 0.6 }),
                    error: None,
                },
                examples: LeaveOneOut {
                    n: 3,
                    exact: if column.tuned() { 1.0 } else { 1.0 / 3.0 },
                    logprob: -1.5,
                },
            })
            .collect()
    }

    #[test]
    fn the_table_has_a_column_per_place_and_rows_for_the_query_and_the_examples() {
        let t = side_table(&request(), &columns(), Lang::En);
        assert_eq!(
            t.heads,
            [
                "",
                "no examples (shipped weights)",
                "in context (3 examples, shipped weights)",
                "in weights (tuned, no examples)",
                "both (tuned + 3 examples)"
            ]
        );
        assert_eq!(t.rows.len(), 5);
        assert_eq!(t.rows[0].0, "your query “light”: completion");
        assert_eq!(t.rows[0].1[2], "␣ghtli", "the leading space shows");
        assert_eq!(t.rows[1].1, ["✗", "✗", "✓", "✓"]);
        assert_eq!(t.rows[2].1[3], "-0.25");
        assert_eq!(t.rows[3].1[0], "33 % of 3");
        assert_eq!(t.rows[4].1[1], "-1.50");
        // In Chinese, every word of it is the catalogue's.
        let zh = side_table(&request(), &columns(), Lang::Zh);
        assert!(
            zh.heads
                .iter()
                .chain(zh.rows.iter().map(|r| &r.0))
                .all(|h| !h.contains("examples"))
        );
    }

    #[test]
    fn its_csv_has_a_row_per_column_and_its_json_says_what_was_measured() {
        let csv = csv(&columns());
        let rows: Vec<&str> = csv.lines().collect();
        assert_eq!(rows.len(), 5);
        assert_eq!(
            rows[0],
            "column,completion,exact_match,logprob,examples_n,examples_exact,examples_mean_logprob"
        );
        assert_eq!(
            rows[1],
            "no examples,\" ght,li\",false,-3.5,3,0.33333334,-1.5"
        );
        assert_eq!(rows[3], "in weights, ghtli,true,-0.25,3,1,-1.5");
        let v: serde_json::Value =
            serde_json::from_str(&json(&request(), 24, false, &columns())).unwrap();
        assert_eq!(v["kind"], "in-context-or-in-weights");
        assert_eq!(v["steps"], 24);
        assert_eq!(v["query"], "light");
        assert_eq!(v["examples"][2][1], "oudcl");
        assert_eq!(v["columns"][3]["column"], "both");
        assert_eq!(v["columns"][2]["query"]["text"], " ghtli");
        assert_eq!(v["settings"]["steps"], TuneSettings::default().steps);
    }
}
