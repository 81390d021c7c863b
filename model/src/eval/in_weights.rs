//! "In context or in weights?" for the visitor's own rule: the same examples used in the
//! prompt, as a few gradient steps on the weights (a tune, [`crate::train::tune`]), or both.
//! Given the shipped and the tuned model, the four columns for the visitor's query and for
//! their examples, each in turn the query of the others (leave-one-out).

use serde::{Deserialize, Serialize};

use crate::eval::analysis::{Compared, compare};
use crate::eval::score::{Scored, score_answers};
use crate::net::model::Model;
use crate::net::sampling::SamplingConfig;
use crate::rules::template::{Shots, Template};

/// Where the examples are: the view's columns, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    /// The shipped weights, no examples.
    NoExamples,
    /// The shipped weights, the examples in the prompt.
    InContext,
    /// The tuned weights, no examples in the prompt.
    InWeights,
    /// The tuned weights and the examples in the prompt.
    Both,
}

impl Column {
    pub const ALL: [Column; 4] = [
        Column::NoExamples,
        Column::InContext,
        Column::InWeights,
        Column::Both,
    ];

    /// Its English name (tables of `icl eval`; the page words it in its language).
    pub fn name(self) -> &'static str {
        match self {
            Column::NoExamples => "no examples",
            Column::InContext => "in context",
            Column::InWeights => "in weights",
            Column::Both => "both",
        }
    }

    /// Whether it runs on the tuned weights.
    pub fn tuned(self) -> bool {
        matches!(self, Column::InWeights | Column::Both)
    }

    /// Whether its prompt holds the examples.
    pub fn shots(self) -> bool {
        matches!(self, Column::InContext | Column::Both)
    }
}

/// Exact match and mean answer log-probability over the examples, each the query of the
/// others (leave-one-out); `n` of them fit the window.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct LeaveOneOut {
    pub n: usize,
    pub exact: f32,
    pub logprob: f32,
}

impl LeaveOneOut {
    /// The mean of the scores that exist.
    pub fn of(scores: &[Option<Scored>]) -> Self {
        let s: Vec<&Scored> = scores.iter().flatten().collect();
        let m = s.len().max(1) as f32;
        Self {
            n: s.len(),
            exact: s.iter().filter(|s| s.exact).count() as f32 / m,
            logprob: s.iter().map(|s| s.logprob).sum::<f32>() / m,
        }
    }
}

/// One column of the view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SideColumn {
    pub column: Column,
    /// The visitor's query: the greedy completion, and against the expected answer (when
    /// known) its exact match and log-probability.
    pub query: Compared,
    /// The visitor's examples, leave-one-out.
    pub examples: LeaveOneOut,
}

/// Each example scored as the query of the others (`shots`) or alone, in order; `None` where
/// a prompt does not fit the window.
pub fn leave_one_out(
    model: &Model,
    template: &Template,
    examples: &[(String, String)],
    shots: bool,
) -> Vec<Option<Scored>> {
    let items: Vec<Shots> = (0..examples.len())
        .map(|i| Shots {
            examples: if shots {
                examples
                    .iter()
                    .enumerate()
                    .filter(|&(j, _)| j != i)
                    .map(|(_, e)| e.clone())
                    .collect()
            } else {
                Vec::new()
            },
            query: examples[i].0.clone(),
            answer: examples[i].1.clone(),
        })
        .collect();
    score_answers(model, template, &items)
        .into_iter()
        .map(Result::ok)
        .collect()
}

/// The four columns for `query` (its right answer `expected`, if known, without the output
/// prefix's space) and the examples, the shipped model `base` against the `tuned` one.
pub fn side_by_side(
    base: &Model,
    tuned: &Model,
    template: &Template,
    examples: &[(String, String)],
    query: &str,
    expected: Option<&str>,
) -> Vec<SideColumn> {
    let greedy = SamplingConfig {
        stop: vec![template.separator.clone()],
        ..SamplingConfig::default()
    };
    let expected = expected
        .filter(|e| !e.is_empty())
        .map(|e| template.answer(e));
    Column::ALL
        .iter()
        .map(|&column| {
            let model = if column.tuned() { tuned } else { base };
            let shots: &[(String, String)] = if column.shots() { examples } else { &[] };
            SideColumn {
                column,
                query: compare(
                    model,
                    &template.prompt(shots, query),
                    greedy.clone(),
                    expected.as_deref(),
                ),
                examples: LeaveOneOut::of(&leave_one_out(
                    model,
                    template,
                    examples,
                    column.shots(),
                )),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::sampling::tests::model;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn examples() -> Vec<(String, String)> {
        ["stone", "river", "cloud"]
            .iter()
            .map(|w| (w.to_string(), w.to_uppercase()))
            .collect()
    }

    #[test]
    fn leave_one_out_never_shows_a_query_its_own_answer() {
        let m = model();
        let t = Template::default();
        let ex = examples();
        let with = leave_one_out(&m, &t, &ex, true);
        let alone = leave_one_out(&m, &t, &ex, false);
        assert_eq!((with.len(), alone.len()), (3, 3));
        // Each score is the one of the prompt without the query's own example.
        for i in 0..3 {
            let others: Vec<_> = ex
                .iter()
                .enumerate()
                .filter(|&(j, _)| j != i)
                .map(|(_, e)| e.clone())
                .collect();
            let one = crate::eval::score::score_answer(&m, &t, &others, &ex[i].0, &ex[i].1);
            assert_eq!(with[i], Some(one.unwrap()));
            let bare = crate::eval::score::score_answer(&m, &t, &[], &ex[i].0, &ex[i].1);
            assert_eq!(alone[i], Some(bare.unwrap()));
        }
    }

    #[test]
    fn the_columns_run_the_weights_and_prompts_they_name() {
        let base = model();
        let t = Template::default();
        let ex = examples();
        // The same model on both sides: the tuned columns equal the shipped ones.
        let cols = side_by_side(&base, &base, &t, &ex, "light", Some("LIGHT"));
        assert_eq!(
            cols.iter().map(|c| c.column).collect::<Vec<_>>(),
            Column::ALL
        );
        assert_eq!(cols[0].query, cols[2].query);
        assert_eq!(cols[1].query, cols[3].query);
        assert_eq!(cols[1].examples, cols[3].examples);
        let direct = compare(
            &base,
            &t.prompt(&ex, "light"),
            SamplingConfig {
                stop: vec!["\n".into()],
                ..SamplingConfig::default()
            },
            Some(" LIGHT"),
        );
        assert_eq!(cols[1].query, direct);
        assert!(cols[1].query.logprob.is_some());
        // No expected answer: completions only.
        let open = side_by_side(&base, &base, &t, &ex, "light", None);
        assert!(open.iter().all(|c| c.query.exact_match.is_none()));
    }
}
