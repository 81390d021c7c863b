//! Scoring primitives every evaluation is built on: a few-shot prompt's exact match and
//! answer log-probability, a curve's point, and the label experiments' rewrites.

use serde::{Deserialize, Serialize};

use crate::eval::scaling::char_accuracy;
use crate::net::model::LeanModel;
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
    /// The output's part of a window's [`Score`]: its first `n` tokens (the separator after),
    /// of which the first `lead` are the output prefix's space. The log-probability counts
    /// the space; the character accuracy only the output's own characters.
    pub fn of(s: &Score, lead: usize, n: usize) -> Self {
        Scored {
            exact: s.greedy_match,
            logprob: s.token_logprobs[..n].iter().sum::<f32>(),
            char_accuracy: char_accuracy(&s.token_hits[lead.min(n)..n]),
        }
    }
}

/// Scores one few-shot prompt: whether the greedy answer is exactly `output` followed by the
/// separator, and the log-probability (nats) of `output` (with the prefix's space).
pub fn score_answer(
    model: &LeanModel,
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
    model: &LeanModel,
    template: &Template,
    items: &[Shots],
) -> Vec<Result<Scored, SamplingError>> {
    score_answers_with(model, template, items, score_lean)
}

/// [`score_answers`] with a chosen scorer (the benchmarks time the burn reference too).
pub fn score_answers_with<M: AsRef<LeanModel>>(
    model: &M,
    template: &Template,
    items: &[Shots],
    scorer: Scorer<M>,
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
    let lean = model.as_ref();
    let lead = lean.tokenizer.encode(&template.answer("")).ids.len();
    score_batch_with(model, &pairs, scorer)
        .into_iter()
        .zip(items)
        .map(|(s, item)| {
            let s = s?;
            let n = lean
                .tokenizer
                .encode(&template.answer(&item.answer))
                .ids
                .len();
            Ok(Scored::of(&s, lead, n))
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

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// ` 405` then the separator: the space right, `4` right, `0` wrong, `5` right.
    fn hand_built() -> Score {
        Score {
            logprob: -3.5,
            token_logprobs: vec![-0.1, -0.4, -2.0, -0.5, -0.5],
            greedy_match: false,
            token_hits: vec![true, true, false, true, true],
        }
    }

    #[test]
    fn an_answer_is_scored_on_its_own_characters() {
        let s = Scored::of(&hand_built(), 1, 4);
        assert!(!s.exact);
        // The log-probability sums the answer with its space, not the separator.
        assert!((s.logprob - (-3.0)).abs() < 1e-6, "{s:?}");
        // Two of the output's three characters; the space and separator do not count.
        assert!((s.char_accuracy - 2.0 / 3.0).abs() < 1e-6, "{s:?}");
        // No space before the output (a template without one): four characters.
        assert!((Scored::of(&hand_built(), 0, 4).char_accuracy - 0.75).abs() < 1e-6);
        // An empty output has no characters to get right.
        assert_eq!(Scored::of(&hand_built(), 1, 1).char_accuracy, 0.0);
    }

    #[test]
    fn a_point_averages_its_prompts() {
        let a = Scored::of(&hand_built(), 1, 4);
        let b = Scored {
            exact: true,
            logprob: -1.0,
            char_accuracy: 1.0,
        };
        let p = SweepPoint::of(4, &[a, b]);
        assert_eq!((p.k, p.n), (4, 2));
        assert_eq!(p.exact_match, 0.5);
        assert!((p.mean_logprob - (-2.0)).abs() < 1e-6);
        assert!((p.char_accuracy - (2.0 / 3.0 + 1.0) / 2.0).abs() < 1e-6);
        assert_eq!(SweepPoint::of(0, &[]).n, 0);
    }
}
