//! What the page's panels compute about one model, as pure functions of it: the prompt's
//! surprisal, the explanation (attention maps and head scores), the queries of an ICL curve and
//! one column of a comparison. The web worker only routes messages to these, so they are
//! tested here, natively.

use serde::{Deserialize, Serialize};

use crate::eval::metrics::{
    HEAD_PROBE, HeadScores, PromptHeads, lean_head_scores, lean_position_losses,
    prompt_head_scores_from, repeated_string,
};
#[cfg(doc)]
use crate::eval::report::{sweep_examples, sweep_task};
use crate::eval::score::Labels;
#[cfg(doc)]
use crate::eval::sweep::Sweeper;
use crate::eval::sweep::{leave_one_out, task_chains};
use crate::net::decoding::{Decoder, window};
use crate::net::lean::Keep;
use crate::net::model::LeanModel;
use crate::net::sampling::{SamplingConfig, complete, score};
use crate::net::tokenizer::{BOS, BOS_TEXT};
use crate::rules::tasks::Task;
use crate::rules::template::Shots;

/// Surprisal (bits) of each prompt character given the ones before it.
#[derive(Debug, Clone, PartialEq)]
pub struct Surprisal {
    /// One value per character in the window.
    pub bits: Vec<f32>,
    /// Leading characters that fell outside the window and are not scored.
    pub skipped: usize,
}

/// The surprisal of every character of `text` that fits the window: the lean prefill a
/// generation reads its prompt with ([`Decoder::prefill_reading`]).
pub fn surprisal(model: &LeanModel, text: &str) -> Surprisal {
    let ids = model.tokenizer.encode(text).ids;
    let mut decoder = Decoder::new(model, None);
    let (_, read) = decoder.prefill_reading(&ids, &[]);
    Surprisal {
        bits: read
            .nats
            .into_iter()
            .map(|x| x / std::f32::consts::LN_2)
            .collect(),
        skipped: decoder.dropped(),
    }
}

/// The log-probability (nats) of `expected` after `prompt`; `None` when there is no expected
/// answer or it cannot be scored (e.g. it does not fit the window).
pub fn expected_logprob(model: &LeanModel, prompt: &str, expected: Option<&str>) -> Option<f32> {
    let expected = expected.filter(|e| !e.is_empty())?;
    score(model, prompt, expected).ok().map(|s| s.logprob)
}

/// The part of an explanation that does not depend on the prompt: head scores and per-token
/// losses on seeded random repeated strings ([`HEAD_PROBE`]'s strings when `seed` is its seed).
#[derive(Debug, Clone, PartialEq)]
pub struct RandomStrings {
    pub scores: HeadScores,
    /// One repeated string: two copies, without `<bos>`.
    pub repeat: String,
    /// The loss (nats) of each of its tokens after the first.
    pub repeat_losses: Vec<f32>,
}

/// Scores every head on repeated random strings drawn from `seed`.
pub fn random_strings(model: &LeanModel, seed: u64) -> RandomStrings {
    let p = HEAD_PROBE;
    let len = p.len.min((model.config.block_size - 1) / 2);
    let repeat = repeated_string(seed, len);
    let net = model.lean();
    RandomStrings {
        scores: lean_head_scores(net, seed, p.strings, p.len),
        repeat: model.tokenizer.decode(&repeat[1..]),
        repeat_losses: lean_position_losses(net, std::slice::from_ref(&repeat)).remove(0),
    }
}

/// What the explain panels show about one prompt and one set of weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// The window's tokens as characters (`<bos>` first); the first `skipped` prompt
    /// characters did not fit.
    pub chars: Vec<String>,
    pub skipped: usize,
    pub layers: usize,
    pub heads: usize,
    /// Attention weights `[layer][head][query][key]` over the window, flattened.
    pub attention: Vec<f32>,
    /// Head scores on fresh repeated random strings (seeded).
    pub random: HeadScores,
    /// Head scores on the prompt itself.
    pub prompt: PromptHeads,
    /// A repeated random string (`<bos>` and two copies) and the loss (nats) of each of its
    /// tokens after the first.
    pub repeat: String,
    pub repeat_losses: Vec<f32>,
}

/// Attention maps of `prompt` and the head scores on it, in one forward pass, with the scores
/// on random strings.
pub fn explain(model: &LeanModel, prompt: &str, random: RandomStrings) -> Explanation {
    let ids = model.tokenizer.encode(prompt).ids;
    let (row, skipped) = window(&ids, model.config.block_size);
    // The lean path gives the same maps as the burn forward (tested) in a fraction of the time.
    let net = model.lean();
    let out = net.forward(&mut net.cache(), &row, false, Some(Keep::All));
    let attention = out.attention.concat();
    let chars = row
        .iter()
        .map(|&id| {
            if id == BOS {
                BOS_TEXT.to_string()
            } else {
                model.tokenizer.char_of(id).to_string()
            }
        })
        .collect();
    Explanation {
        chars,
        skipped,
        layers: model.config.n_layers,
        heads: model.config.n_heads,
        prompt: prompt_head_scores_from(&attention, model.config.n_heads, &row),
        attention,
        random: random.scores,
        repeat: random.repeat,
        repeat_losses: random.repeat_losses,
    }
}

/// The prompts an ICL curve is measured on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum SweepSource {
    /// Fresh held-out episodes of a preset task (seeded), `queries` per shot count, their
    /// outputs rewritten by `labels` ([`sweep_task`]).
    Task {
        task: Task,
        seed: u64,
        queries: usize,
        labels: Labels,
    },
    /// The visitor's own examples, leave-one-out ([`sweep_examples`]).
    Examples(Vec<(String, String)>),
}

impl SweepSource {
    /// The curve's queries, each with its examples, for a curve up to `shots` shots: the
    /// same draws `icl eval` scores ([`sweep_task`], [`sweep_examples`]), so the page and the
    /// command line agree. A [`Sweeper`] over them gives the curve's points.
    pub fn chains(&self, shots: usize) -> Vec<Shots> {
        match self {
            SweepSource::Task {
                task,
                seed,
                queries,
                labels,
            } => task_chains(*task, shots, *queries, *seed, *labels),
            SweepSource::Examples(examples) => leave_one_out(examples),
        }
    }
}

/// The result of one column of a comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Compared {
    pub text: String,
    pub exact_match: Option<bool>,
    /// Log-probability (nats) of the expected completion.
    pub logprob: Option<f32>,
    /// Of the expected answer's own characters (not its leading spaces), the share the
    /// model ranks first given the right ones before it (teacher-forced, as
    /// [`crate::eval::score::Scored`]'s).
    #[serde(default)]
    pub char_accuracy: Option<f32>,
    /// Why the column has no result (e.g. its model could not be loaded).
    pub error: Option<String>,
}

impl Compared {
    /// A column that could not run.
    pub fn failed(error: impl Into<String>) -> Self {
        Self {
            text: String::new(),
            exact_match: None,
            logprob: None,
            char_accuracy: None,
            error: Some(error.into()),
        }
    }
}

/// Completes `prompt` and scores the completion against `expected` (when given).
pub fn compare(
    model: &LeanModel,
    prompt: &str,
    sampling: SamplingConfig,
    expected: Option<&str>,
) -> Compared {
    match complete(model, prompt, sampling, None) {
        Err(e) => Compared::failed(e.to_string()),
        Ok(c) => {
            let expected = expected.filter(|e| !e.is_empty());
            let scored = expected.and_then(|e| Some((e, score(model, prompt, e).ok()?)));
            Compared {
                exact_match: expected.map(|e| c.text == e),
                logprob: scored.as_ref().map(|(_, s)| s.logprob),
                char_accuracy: scored.and_then(|(e, s)| {
                    let lead = e.chars().take_while(|c| c.is_whitespace()).count();
                    let own = s.token_hits.get(lead..).filter(|h| !h.is_empty())?;
                    Some(crate::eval::scaling::char_accuracy(own))
                }),
                text: c.text,
                error: None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::metrics::{head_scores, position_losses};
    use crate::eval::sweep::Sweeper;
    use crate::net::sampling::tests::model;
    use crate::rules::template::Template;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// A generation's one prefill reads the prompt as the separate passes do: the surprisal
    /// of every character (the burn network's losses) and the expected answer's
    /// log-probability (the scorer's), within rounding; an answer that does not fit after the
    /// prompt is left to the scorer.
    #[test]
    fn a_generations_prefill_reads_what_the_separate_passes_do() {
        use crate::net::sampling::{Generator, SamplingConfig};
        let m = model();
        let block = m.config.block_size;
        for (prompt, expected) in [
            ("in: ab\nout: ba\nin: cd\nout:", " dc"),
            ("x", " y"),
            (&*"in: stone\nout: enots\n".repeat(4), " q"),
        ] {
            let (g, read) =
                Generator::reading(&m, prompt, SamplingConfig::default(), Some(expected)).unwrap();
            let s = surprisal(&m, prompt);
            assert_eq!(g.dropped_tokens(), s.skipped, "{prompt:?}");
            // The burn network's losses over the same window, the reference.
            let ids = m.tokenizer.encode(prompt).ids;
            let (row, _) = window(&ids, block);
            let burn = position_losses(&m.net, &[row], &m.device).remove(0);
            assert_eq!(burn.len(), s.bits.len());
            for (n, b) in burn.iter().zip(&s.bits) {
                assert!(
                    (n / std::f32::consts::LN_2 - b).abs() < 1e-3,
                    "{n} vs {b} bits"
                );
            }
            assert_eq!(read.nats.len(), s.bits.len());
            for (n, b) in read.nats.iter().zip(&s.bits) {
                assert!(
                    (n / std::f32::consts::LN_2 - b).abs() < 1e-3,
                    "{n} vs {b} bits"
                );
            }
            let fits =
                prompt.chars().count().min(block - 1) + 1 + expected.chars().count() <= block;
            match (
                read.continuation,
                expected_logprob(&m, prompt, Some(expected)),
            ) {
                (Some(a), Some(b)) => assert!(fits && (a - b).abs() < 1e-3, "{a} vs {b}"),
                (None, _) => assert!(!fits, "{prompt:?} fits but was not read"),
                (Some(_), None) => panic!("read what the scorer cannot"),
            }
        }
        let (_, read) = Generator::reading(&m, "abc", SamplingConfig::default(), None).unwrap();
        assert_eq!(read.continuation, None);
    }

    #[test]
    fn surprisal_scores_each_character_in_the_window() {
        let m = model();
        let s = surprisal(&m, "abc");
        assert_eq!((s.bits.len(), s.skipped), (3, 0));
        assert!(s.bits.iter().all(|b| b.is_finite() && *b > 0.0));
        // A prompt longer than the window: the oldest characters are skipped, the rest scored.
        let long: String = "xyz".repeat(20);
        let s = surprisal(&m, &long);
        assert_eq!(s.skipped, 60 - 31);
        assert_eq!(s.bits.len(), 31);
        assert_eq!(surprisal(&m, "").bits, Vec::<f32>::new());
        // Multi-byte characters count as one unknown token each.
        assert_eq!(surprisal(&m, "é€").bits.len(), 2);
    }

    #[test]
    fn explanations_cover_the_window_and_match_the_probe() {
        let m = model();
        let prompt = "in: stone\nout: enots\n".repeat(3);
        let e = explain(&m, &prompt, random_strings(&m, HEAD_PROBE.seed));
        assert_eq!(e.chars[0], BOS_TEXT);
        assert_eq!(e.chars.len(), 32);
        assert_eq!(e.skipped, prompt.chars().count() - 31);
        assert_eq!(e.attention.len(), e.layers * e.heads * 32 * 32);
        // Every query's attention over the keys sums to one.
        for row in e.attention.chunks(32) {
            let sum: f32 = row.iter().sum();
            assert!((sum - 1.0).abs() < 1e-4, "a row sums to {sum}");
        }
        let p = HEAD_PROBE;
        // The page's scores (the lean network's) are training's (the burn network's).
        let direct = head_scores(&m.net, &m.device, p.seed, p.strings, p.len);
        crate::eval::metrics::tests::assert_scores_close(&e.random, &direct);
        assert_eq!(e.repeat_losses.len(), e.repeat.chars().count());
    }

    #[test]
    fn ablated_heads_change_the_explanation() {
        let m = model();
        let mask = crate::net::transformer::HeadMask::from_ablated(2, m.config.n_heads, &[(1, 0)]);
        let ablated = m.with_heads_ablated(&mask);
        let a = explain(&m, "abcabc", random_strings(&m, 1));
        let b = explain(&ablated, "abcabc", random_strings(&ablated, 1));
        assert_eq!(a.chars, b.chars);
        assert_ne!(a.repeat_losses, b.repeat_losses);
    }

    #[test]
    fn sweep_points_and_comparisons_score_answers() {
        let m = model();
        let t = Template::default();
        let source = SweepSource::Task {
            task: Task::Copy,
            seed: 3,
            queries: 2,
            labels: Labels::Correct,
        };
        let p = Sweeper::new(&m, &t, source.chains(0)).point(0);
        assert_eq!((p.k, p.n), (0, 2));
        assert!(p.mean_logprob < 0.0);
        // A comparison's one-point batch at k is the curve's point at k.
        let curve =
            crate::eval::report::sweep_task(&m, Task::Copy, &t, &[0, 1, 2], 2, 3, Labels::Correct);
        let one = Sweeper::new(&m, &t, source.chains(2)).point(2);
        assert_eq!((one.n, one.exact_match), (curve[2].n, curve[2].exact_match));
        assert!((one.mean_logprob - curve[2].mean_logprob).abs() < 1e-4);
        let own = SweepSource::Examples(vec![("ab".into(), "ba".into()); 3]);
        let mut s = Sweeper::new(&m, &t, own.chains(5));
        assert_eq!(s.point(1).n, 3);
        // More shots than examples: nothing to score, an empty point rather than an error.
        assert_eq!(s.point(5).n, 0);

        let greedy = SamplingConfig {
            max_new_tokens: 3,
            ..SamplingConfig::default()
        };
        let c = compare(&m, "in: ab\nout:", greedy.clone(), Some(" ba"));
        assert_eq!(c.error, None);
        assert_eq!(c.exact_match, Some(c.text == " ba"));
        assert!(c.logprob.is_some_and(|l| l < 0.0));
        // Per-character accuracy counts the answer's own characters, not the prefix's space:
        // the share of the teacher-forced hits after it.
        let hits = score(&m, "in: ab\nout:", " ba").unwrap().token_hits;
        let right = hits[1..].iter().filter(|&&h| h).count() as f32;
        assert_eq!(c.char_accuracy, Some(right / 2.0));
        let bare = compare(&m, "in: ab\nout:", greedy.clone(), Some("ba"));
        let hits = score(&m, "in: ab\nout:", "ba").unwrap().token_hits;
        let right = hits.iter().filter(|&&h| h).count() as f32;
        assert_eq!(bare.char_accuracy, Some(right / 2.0));
        let space = compare(&m, "in: ab\nout:", greedy.clone(), Some(" "));
        assert_eq!(space.char_accuracy, None, "no characters of its own");
        let none = compare(&m, "in: ab\nout:", greedy, None);
        assert_eq!(
            (none.exact_match, none.logprob, none.char_accuracy),
            (None, None, None)
        );
    }
}
