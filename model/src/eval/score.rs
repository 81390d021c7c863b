//! Scoring primitives every evaluation is built on: a few-shot prompt's exact match and
//! answer log-probability, a curve's point, and the label experiments' rewrites.

use serde::{Deserialize, Serialize};

use crate::eval::scaling::char_accuracy;
use crate::net::model::Model;
use crate::net::sampling::{SamplingError, Score, Scorer, score_batch_with, score_lean};
use crate::rules::tasks::{Episode, Task, derange};
use crate::rules::template::{Shots, Template};

/// Shot counts every evaluation reports.
pub const SHOTS: [usize; 5] = [0, 1, 2, 4, 8];

/// How one prompt scored: whether the greedy answer is exactly the expected output followed
/// by the separator, the output's log-probability (nats), and the share of its characters
/// that were the most likely next ones (given the right ones before them).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scored {
    pub exact: bool,
    pub logprob: f32,
    pub char_accuracy: f32,
}

impl Scored {
    /// The output's part of a window's [`Score`] (its first `n` tokens, the separator after).
    pub fn of(s: &Score, n: usize) -> Self {
        Scored {
            exact: s.greedy_match,
            logprob: s.token_logprobs[..n].iter().sum::<f32>(),
            char_accuracy: char_accuracy(&s.token_hits[..n]),
        }
    }
}

/// Scores one few-shot prompt: whether the greedy answer is exactly `output` followed by the
/// separator, and the log-probability (nats) of `output` (with the prefix's space).
pub fn score_answer(
    model: &Model,
    template: &Template,
    examples: &[(String, String)],
    query: &str,
    output: &str,
) -> Result<Scored, SamplingError> {
    let item = Shots {
        examples: examples.to_vec(),
        query: query.to_string(),
        answer: output.to_string(),
    };
    score_answers(model, template, std::slice::from_ref(&item)).remove(0)
}

/// [`score_answer`] for many prompts (see [`crate::net::sampling::score_batch`]).
pub fn score_answers(
    model: &Model,
    template: &Template,
    items: &[Shots],
) -> Vec<Result<Scored, SamplingError>> {
    score_answers_with(model, template, items, score_lean)
}

/// [`score_answers`] with a chosen scorer (the benchmarks time the burn reference too).
pub fn score_answers_with(
    model: &Model,
    template: &Template,
    items: &[Shots],
    scorer: Scorer,
) -> Vec<Result<Scored, SamplingError>> {
    let pairs: Vec<(String, String)> = items
        .iter()
        .map(|s| {
            let answer = template.answer(&s.answer);
            (
                template.prompt(&s.examples, &s.query),
                format!("{answer}{}", template.separator),
            )
        })
        .collect();
    score_batch_with(model, &pairs, scorer)
        .into_iter()
        .zip(items)
        .map(|(s, item)| {
            let s = s?;
            let n = model
                .tokenizer
                .encode(&template.answer(&item.answer))
                .ids
                .len();
            Ok(Scored::of(&s, n))
        })
        .collect()
}

/// One point of an ICL curve: exact match and mean answer log-probability at `k` shots.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepPoint {
    pub k: usize,
    /// Prompts scored (some may not fit the window and are skipped).
    pub n: usize,
    pub exact_match: f32,
    pub mean_logprob: f32,
    /// Mean share of the answers' characters right (absent in files written before it: 0).
    #[serde(default)]
    pub char_accuracy: f32,
}

impl SweepPoint {
    /// The point at `k` of scored prompts (greedy exact match, answer log-probability).
    pub fn of(k: usize, scores: &[Scored]) -> Self {
        let n = scores.len();
        SweepPoint {
            k,
            n,
            exact_match: scores.iter().filter(|s| s.exact).count() as f32 / n.max(1) as f32,
            mean_logprob: scores.iter().map(|s| s.logprob).sum::<f32>() / n.max(1) as f32,
            char_accuracy: scores.iter().map(|s| s.char_accuracy).sum::<f32>() / n.max(1) as f32,
        }
    }
}

/// What the examples' outputs say, for label experiments (after Min et al. 2022: does the
/// mapping in the examples matter, or only their format?).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Labels {
    #[default]
    Correct,
    /// Outputs moved to other inputs (a derangement); the query is still scored on the true
    /// rule.
    Shuffled,
    /// Every output, and the query's answer, by another fixed rule.
    Flipped(Task),
}

impl Labels {
    /// Rewrites an episode's outputs (and for [`Labels::Flipped`] its answer).
    pub fn apply(self, e: &mut Episode, rng: &mut impl rand::Rng) {
        match self {
            Labels::Correct => {}
            Labels::Shuffled => {
                let mut outputs: Vec<String> = e.examples.iter().map(|x| x.1.clone()).collect();
                derange(&mut outputs, rng);
                for (x, y) in e.examples.iter_mut().zip(outputs) {
                    x.1 = y;
                }
            }
            Labels::Flipped(rule) => {
                for x in &mut e.examples {
                    if let Some(y) = rule.apply(&x.0) {
                        x.1 = y;
                    }
                }
                if let Some(a) = rule.apply(&e.query) {
                    e.answer = a;
                }
            }
        }
    }
}
