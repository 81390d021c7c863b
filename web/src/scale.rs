//! The Scale view's numbers: the ladder's rungs on the visitor's prompt (a comparison that
//! varies the rung), the ladder's measured sets from its table, and the loss against compute
//! with its power law, as chart lines, a table and its exports. Pure, so it is tested
//! natively.

use icl_model::eval::ladder_report::{LadderReport, TaskSet};
use icl_model::eval::score::SweepPoint;
use serde_json::json;

use crate::components::chart::{Axis, COLORS, Line};
use crate::doc::{Doc, Measure};
use crate::export::csv_field;
use crate::i18n::Lang;
use crate::side_table::mark;
use crate::store::Comparison;

/// The ladder's sets the view draws: sums of two and of three digits (the classic "emergent"
/// ability), rules never trained on, and the fixed tasks.
pub const SETS: [TaskSet; 4] = [
    TaskSet::Addition(2),
    TaskSet::Addition(3),
    TaskSet::HeldOutPrograms,
    TaskSet::FixedTasks,
];

/// The set's name on the page.
pub fn set_name(set: TaskSet, lang: Lang) -> String {
    match set {
        TaskSet::Addition(n) => lang.f("addition, {n}-digit numbers", &[("n", &n)]),
        TaskSet::HeldOutPrograms => lang.t("rules never trained on").to_string(),
        TaskSet::FixedTasks => lang.t("the fixed tasks").to_string(),
    }
}

/// One rung on the visitor's prompt.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub label: String,
    pub params: u64,
    /// The greedy completion, or why there is none (`None` while it runs).
    pub text: Option<Result<String, String>>,
    pub exact: Option<bool>,
    pub char_accuracy: Option<f32>,
    pub logprob: Option<f32>,
    /// Its held-out batch, once measured.
    pub batch: Option<SweepPoint>,
}

/// The rows of a comparison of the ladder's rungs, in its order (smallest first).
pub fn rows(c: &Comparison, lang: Lang) -> Vec<Row> {
    c.labels
        .iter()
        .enumerate()
        .map(|(i, label)| {
            let result = c.results.get(i).cloned().flatten();
            let ok = result.as_ref().and_then(|r| r.as_ref().ok());
            Row {
                label: label.clone(),
                params: c.params.get(i).copied().unwrap_or(0),
                text: result.as_ref().map(|r| match r {
                    Ok(c) => Ok(c.text.clone()),
                    Err(e) => Err(e.words(lang)),
                }),
                exact: ok.and_then(|c| c.exact_match),
                char_accuracy: ok.and_then(|c| c.char_accuracy),
                logprob: ok.and_then(|c| c.logprob),
                batch: c.batches.get(i).and_then(|b| b.point.clone()),
            }
        })
        .collect()
}

/// The axes' names for `measure`: left, and right when it has one.
pub fn axis_labels(measure: Measure, lang: Lang) -> (String, Option<String>) {
    match measure {
        Measure::Exact => (lang.t("exact match").to_string(), None),
        Measure::Smooth => (
            lang.t("per-character accuracy").to_string(),
            Some(lang.t("log p of the answer (nats)").to_string()),
        ),
    }
}

/// One size's measures: exact match, per-character accuracy, log-probability.
#[derive(Debug, Clone, Copy)]
struct Measured {
    params: u64,
    exact: Option<f32>,
    chars: Option<f32>,
    logprob: Option<f32>,
}

impl Measured {
    fn of(params: u64, p: &SweepPoint) -> Self {
        Measured {
            params,
            exact: Some(p.exact_match),
            chars: Some(p.char_accuracy),
            logprob: Some(p.mean_logprob),
        }
    }
}

/// Lines of `(parameters, value)` points: for [`Measure::Exact`] one line of exact match;
/// for [`Measure::Smooth`] per-character accuracy (left axis) and a dashed log-probability
/// (right axis).
fn measured(
    label: &str,
    color: &'static str,
    measure: Measure,
    points: &[Measured],
    lang: Lang,
) -> Vec<Line> {
    let line = |name: String, axis, dashed, pick: fn(&Measured) -> Option<f32>| Line {
        label: name,
        color,
        axis,
        dashed,
        points: points
            .iter()
            .filter_map(|p| Some((p.params as f64, f64::from(pick(p)?))))
            .collect(),
    };
    match measure {
        Measure::Exact => vec![line(
            lang.f("{what}: exact match", &[("what", &label)]),
            Axis::Left,
            false,
            |p| p.exact,
        )],
        Measure::Smooth => vec![
            line(
                lang.f("{what}: per-character accuracy", &[("what", &label)]),
                Axis::Left,
                false,
                |p| p.chars,
            ),
            line(
                lang.f("{what}: log p", &[("what", &label)]),
                Axis::Right,
                true,
                |p| p.logprob,
            ),
        ],
    }
}

/// The visitor's prompt across the rungs: their query, and the held-out batch of the same
/// rule, against parameters.
pub fn prompt_lines(rows: &[Row], measure: Measure, lang: Lang) -> Vec<Line> {
    let query: Vec<Measured> = rows
        .iter()
        .map(|r| Measured {
            params: r.params,
            exact: r.exact.map(|m| if m { 1.0 } else { 0.0 }),
            chars: r.char_accuracy,
            logprob: r.logprob,
        })
        .collect();
    let batch: Vec<Measured> = rows
        .iter()
        .filter_map(|r| {
            Some(Measured::of(
                r.params,
                r.batch.as_ref().filter(|b| b.n > 0)?,
            ))
        })
        .collect();
    let mut lines = measured(lang.t("your query"), COLORS[0], measure, &query, lang);
    lines.extend(measured(
        lang.t("held-out queries"),
        COLORS[1],
        measure,
        &batch,
        lang,
    ));
    lines.retain(|l| !l.points.is_empty());
    lines
}

/// The ladder's measured sets at `k` examples against parameters.
pub fn set_lines(report: &LadderReport, k: usize, measure: Measure, lang: Lang) -> Vec<Line> {
    SETS.iter()
        .zip(COLORS.iter().skip(2).chain(COLORS.iter()))
        .flat_map(|(&set, &color)| {
            let points: Vec<Measured> = report
                .rungs
                .iter()
                .filter_map(|r| Some(Measured::of(r.params, r.point(set, k).filter(|p| p.n > 0)?)))
                .collect();
            measured(&set_name(set, lang), color, measure, &points, lang)
        })
        .filter(|l| !l.points.is_empty())
        .collect()
}

/// Shot counts the ladder's table was measured at.
pub fn report_ks(report: &LadderReport) -> Vec<usize> {
    let mut ks: Vec<usize> = report
        .rungs
        .iter()
        .flat_map(|r| r.sets.iter().flat_map(|s| s.points.iter().map(|p| p.k)))
        .collect();
    ks.sort_unstable();
    ks.dedup();
    ks
}

/// Points of the fitted power law drawn between the rungs' smallest and largest compute.
const FIT_POINTS: usize = 24;

/// Final training loss against training compute (FLOPs), and the fitted power law.
pub fn loss_lines(report: &LadderReport, lang: Lang) -> Vec<Line> {
    let points: Vec<(f64, f64)> = report
        .rungs
        .iter()
        .filter_map(|r| Some((r.flops, f64::from(r.loss?))))
        .collect();
    let mut lines = vec![Line {
        label: lang.t("final training loss of each rung").to_string(),
        color: COLORS[0],
        axis: Axis::Left,
        dashed: false,
        points: points.clone(),
    }];
    let (lo, hi) = points.iter().fold((f64::INFINITY, 0.0f64), |(a, b), p| {
        (a.min(p.0), b.max(p.0))
    });
    if let Some(fit) = &report.loss_fit
        && lo.is_finite()
        && lo > 0.0
        && hi > lo
    {
        let step = (hi / lo).ln() / (FIT_POINTS - 1) as f64;
        lines.push(Line {
            label: fit_words(fit, lang),
            color: COLORS[1],
            axis: Axis::Left,
            dashed: true,
            points: (0..FIT_POINTS)
                .map(|i| {
                    let x = lo * (step * i as f64).exp();
                    (x, fit.at(x))
                })
                .collect(),
        });
    }
    lines
}

/// The fitted law in words: `fit: loss ≈ 10.58 · C^−0.062 (R² 0.999)`.
pub fn fit_words(fit: &icl_model::eval::scaling::PowerLaw, lang: Lang) -> String {
    lang.f(
        "fit: loss ≈ {a} · C^−{b} (R² {r2})",
        &[
            ("a", &format!("{:.2}", fit.coefficient)),
            ("b", &format!("{:.3}", fit.exponent)),
            ("r2", &format!("{:.3}", fit.r2)),
        ],
    )
}

/// The rungs' table as the page shows and exports it.
#[derive(Debug, Clone, PartialEq)]
pub struct ScaleTable {
    pub heads: Vec<String>,
    /// Each rung's label and its cells.
    pub rows: Vec<(String, Vec<String>)>,
}

fn pct(v: Option<f32>) -> String {
    v.map_or_else(|| "–".into(), |v| format!("{:.0} %", 100.0 * v))
}

fn nats(v: Option<f32>) -> String {
    v.map_or_else(|| "–".into(), |v| format!("{v:.2}"))
}

/// One row per rung: its size, its answer to the visitor's query and how right it is, and
/// its held-out batch.
pub fn table(rows: &[Row], lang: Lang) -> ScaleTable {
    ScaleTable {
        heads: [
            lang.t("rung"),
            lang.t("parameters"),
            lang.t("completion"),
            lang.t("exact"),
            lang.t("per-character accuracy"),
            lang.t("log p (expected)"),
            lang.t("held-out queries: exact · per-character · log p"),
        ]
        .map(String::from)
        .to_vec(),
        rows: rows
            .iter()
            .map(|r| {
                let batch = r.batch.as_ref().filter(|b| b.n > 0).map_or_else(
                    || "–".to_string(),
                    |b| {
                        format!(
                            "{} · {} · {} (n = {})",
                            pct(Some(b.exact_match)),
                            pct(Some(b.char_accuracy)),
                            nats(Some(b.mean_logprob)),
                            b.n
                        )
                    },
                );
                let text = match &r.text {
                    None => "…".to_string(),
                    Some(Ok(t)) => crate::glyph::shown(t),
                    Some(Err(why)) => why.clone(),
                };
                (
                    r.label.clone(),
                    vec![
                        lang.int(r.params),
                        text,
                        mark(r.exact).to_string(),
                        pct(r.char_accuracy),
                        nats(r.logprob),
                        batch,
                    ],
                )
            })
            .collect(),
    }
}

/// The rows as CSV, one per rung, with the numbers unrounded.
pub fn csv(rows: &[Row]) -> String {
    let opt = |v: Option<String>| v.unwrap_or_default();
    let mut out = String::from(
        "rung,parameters,completion,exact_match,char_accuracy,logprob,batch_n,batch_exact,batch_char_accuracy,batch_mean_logprob\n",
    );
    for r in rows {
        let b = r.batch.as_ref();
        out += &format!(
            "{},{},{},{},{},{},{},{},{},{}\n",
            csv_field(&r.label),
            r.params,
            csv_field(&match &r.text {
                Some(Ok(t)) => t.clone(),
                _ => String::new(),
            }),
            opt(r.exact.map(|m| m.to_string())),
            opt(r.char_accuracy.map(|v| v.to_string())),
            opt(r.logprob.map(|v| v.to_string())),
            opt(b.map(|b| b.n.to_string())),
            opt(b.map(|b| b.exact_match.to_string())),
            opt(b.map(|b| b.char_accuracy.to_string())),
            opt(b.map(|b| b.mean_logprob.to_string())),
        );
    }
    out
}

/// The rows as JSON, with the prompt they answered and the ladder's table beside them.
pub fn json(doc: &Doc, rows: &[Row], report: Option<&LadderReport>) -> String {
    let rungs: Vec<_> = rows
        .iter()
        .map(|r| {
            json!({
                "rung": r.label,
                "params": r.params,
                "completion": r.text.as_ref().and_then(|t| t.as_ref().ok()),
                "error": r.text.as_ref().and_then(|t| t.as_ref().err()),
                "exact_match": r.exact,
                "char_accuracy": r.char_accuracy,
                "logprob": r.logprob,
                "batch": r.batch,
            })
        })
        .collect();
    serde_json::to_string_pretty(&json!({
        "format": crate::bundle::FORMAT,
        "version": crate::bundle::VERSION,
        "kind": "scale",
        "template": doc.template,
        "examples": doc.pairs(),
        "query": doc.query,
        "expected": doc.expected,
        "stage": doc.explore.stage,
        "rungs": rungs,
        "ladder": report,
    }))
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use icl_model::eval::ladder_report::{RungReport, SetCurve};

    use super::*;
    use crate::doc::Vary;
    use crate::protocol::{Compared, WorkerError};
    use crate::store::Batch;

    fn point(k: usize, exact: f32, chars: f32, logprob: f32) -> SweepPoint {
        SweepPoint {
            k,
            n: 10,
            exact_match: exact,
            mean_logprob: logprob,
            char_accuracy: chars,
        }
    }

    fn comparison() -> Comparison {
        let compared = |text: &str, exact, chars, lp| {
            Some(Ok(Compared {
                text: text.into(),
                exact_match: Some(exact),
                logprob: Some(lp),
                char_accuracy: Some(chars),
                error: None,
            }))
        };
        Comparison {
            run: 1,
            vary: Vary::Ladder,
            labels: vec!["rung0".into(), "rung1".into(), "rung2".into()],
            params: vec![6_000, 12_000, 600_000],
            results: vec![
                compared(" 41", false, 0.5, -7.5),
                Some(Err(WorkerError::ListEmpty)),
                compared(" 405", true, 1.0, -0.2),
            ],
            batches: vec![
                Batch {
                    job: Some(2),
                    point: Some(point(4, 0.0, 0.25, -8.0)),
                },
                Batch {
                    job: Some(3),
                    point: None,
                },
                Batch {
                    job: Some(4),
                    point: Some(point(4, 0.75, 0.9, -1.0)),
                },
            ],
            done: false,
        }
    }

    #[test]
    fn the_prompts_curves_follow_the_toggle_and_skip_what_is_missing() {
        let r = rows(&comparison(), Lang::En);
        assert_eq!(r[1].text, Some(Err(WorkerError::ListEmpty.words(Lang::En))));
        let exact = prompt_lines(&r, Measure::Exact, Lang::En);
        assert_eq!(exact.len(), 2);
        assert!(exact.iter().all(|l| l.axis == Axis::Left && !l.dashed));
        assert_eq!(exact[0].label, "your query: exact match");
        assert_eq!(exact[0].points, [(6_000.0, 0.0), (600_000.0, 1.0)]);
        assert_eq!(exact[1].points, [(6_000.0, 0.0), (600_000.0, 0.75)]);
        let smooth = prompt_lines(&r, Measure::Smooth, Lang::En);
        assert_eq!(smooth.len(), 4);
        assert_eq!(smooth[0].points, [(6_000.0, 0.5), (600_000.0, 1.0)]);
        assert_eq!(
            (smooth[1].axis, smooth[1].dashed),
            (Axis::Right, true),
            "log p on its own axis"
        );
        assert_eq!(smooth[1].points[0], (6_000.0, -7.5));
        assert_eq!(smooth[3].points[1], (600_000.0, -1.0));
        // Nothing measured yet: no lines rather than empty ones.
        let mut empty = comparison();
        empty.results = vec![None; 3];
        empty.batches = vec![Batch::default(); 3];
        assert!(prompt_lines(&rows(&empty, Lang::En), Measure::Smooth, Lang::En).is_empty());
    }

    fn rung(id: &str, params: u64, flops: f64, loss: f32, exact3: f32) -> RungReport {
        RungReport {
            id: id.into(),
            params,
            tokens: 1,
            steps: 1,
            flops,
            loss: Some(loss),
            sets: vec![SetCurve {
                set: TaskSet::Addition(3),
                points: vec![point(0, 0.0, 0.1, -9.0), point(4, exact3, 0.5, -3.0)],
            }],
        }
    }

    #[test]
    fn the_ladders_sets_and_loss_come_from_its_table() {
        // Loss 10 · C^−0.1 exactly: the fit must find it and draw through the points.
        let loss = |c: f64| (10.0 * c.powf(-0.1)) as f32;
        let report = LadderReport::new(
            vec![
                rung("rung1", 20_000, 1e12, loss(1e12), 0.5),
                rung("rung0", 5_000, 1e11, loss(1e11), 0.0),
                rung("rung2", 80_000, 1e13, loss(1e13), 1.0),
            ],
            10,
            0,
        );
        assert_eq!(report_ks(&report), [0, 4]);
        let exact = set_lines(&report, 4, Measure::Exact, Lang::En);
        assert_eq!(exact.len(), 1, "only the set the table has");
        assert_eq!(exact[0].label, "addition, 3-digit numbers: exact match");
        assert_eq!(
            exact[0].points,
            [(5_000.0, 0.0), (20_000.0, 0.5), (80_000.0, 1.0)]
        );
        let smooth = set_lines(&report, 0, Measure::Smooth, Lang::En);
        assert_eq!(smooth.len(), 2);
        assert_eq!(smooth[1].points[0], (5_000.0, -9.0));
        assert!(set_lines(&report, 8, Measure::Exact, Lang::En).is_empty());
        let lines = loss_lines(&report, Lang::En);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].points.len(), 3);
        let fit = &lines[1];
        assert_eq!(fit.points.len(), FIT_POINTS);
        assert!((fit.points[0].0 - 1e11).abs() < 1.0);
        assert!((fit.points[FIT_POINTS - 1].0 / 1e13 - 1.0).abs() < 1e-9);
        for &(x, y) in &fit.points {
            assert!((y - 10.0 * x.powf(-0.1)).abs() < 1e-3, "{x}: {y}");
        }
        assert!(fit.label.contains("C^−0.100"), "{}", fit.label);
        assert!(fit.label.contains("R² 1.000"), "{}", fit.label);
    }

    #[test]
    fn the_table_and_its_exports_hold_every_rung() {
        let r = rows(&comparison(), Lang::En);
        let t = table(&r, Lang::En);
        assert_eq!(t.heads.len(), 7);
        assert_eq!(t.rows.len(), 3);
        assert_eq!(t.rows[0].0, "rung0");
        assert_eq!(t.rows[0].1[0], "6,000");
        assert_eq!(t.rows[0].1[2], "✗");
        assert_eq!(t.rows[0].1[3], "50 %");
        assert_eq!(t.rows[2].1[5], "75 % · 90 % · -1.00 (n = 10)");
        assert_eq!(t.rows[1].1[5], "–");
        let csv = csv(&r);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[3], "rung2,600000, 405,true,1,-0.2,10,0.75,0.9,-1");
        assert_eq!(lines[2], "rung1,12000,,,,,,,,");
        let doc = Doc::default();
        let v: serde_json::Value = serde_json::from_str(&json(&doc, &r, None)).unwrap();
        assert_eq!(v["kind"], "scale");
        assert_eq!(v["rungs"].as_array().unwrap().len(), 3);
        assert_eq!(v["rungs"][2]["completion"], " 405");
        assert!(v["rungs"][1]["error"].is_string());
        assert_eq!(v["query"], doc.query.as_str());
        let zh = table(&r, Lang::Zh);
        assert!(zh.heads.iter().all(|h| !h.is_empty()));
    }
}
