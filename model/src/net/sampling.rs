//! Sampling (greedy, temperature, top-k, top-p, seeded), streamed completions with per-token
//! probabilities, and scoring a given continuation.
//!
//! Reported probabilities are always the model's own (softmax of the logits at temperature 1);
//! temperature, top-k and top-p only shape the distribution a token is drawn from.
//!
//! Long because the generator, its sampling rules and scoring share the window, the engine
//! and the per-token report.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::net::decoding::{Decoder, PromptRead, Step, log_prob, window};
use crate::net::model::LeanModel;
use crate::net::transformer::HeadMask;

/// Largest `max_new_tokens` accepted.
pub const MAX_NEW_TOKENS: usize = 4096;
/// How many alternatives each generated token reports.
pub const TOP_ALTERNATIVES: usize = 5;

/// How to pick each next token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SamplingConfig {
    /// 0 picks the most likely token (greedy); otherwise logits are divided by it.
    pub temperature: f32,
    /// Keep only the `top_k` most likely tokens (0: no limit).
    pub top_k: usize,
    /// Keep the smallest set of tokens whose probability adds up to `top_p` (1: no limit).
    pub top_p: f32,
    /// Seed of the sampler's random numbers; the same seed gives the same completion.
    pub seed: u64,
    /// Stop after this many new tokens.
    pub max_new_tokens: usize,
    /// Stop when the completion ends with any of these (the stop text is not part of it).
    pub stop: Vec<String>,
}

impl Default for SamplingConfig {
    fn default() -> Self {
        Self {
            temperature: 0.0,
            top_k: 0,
            top_p: 1.0,
            seed: 0,
            max_new_tokens: 32,
            stop: vec!["\n".to_string()],
        }
    }
}

/// Settings that cannot be used.
#[derive(Debug, Clone, thiserror::Error, PartialEq)]
pub enum SamplingError {
    #[error("temperature must be a finite number ≥ 0 (got {0})")]
    Temperature(f32),
    #[error("top_p must be in (0, 1] (got {0})")]
    TopP(f32),
    #[error("max_new_tokens must be at most {MAX_NEW_TOKENS} (got {0})")]
    MaxTokens(usize),
    #[error("a continuation to score must not be empty")]
    EmptyContinuation,
    #[error("the continuation ({0} tokens) does not fit in the model's window")]
    ContinuationTooLong(usize),
}

impl SamplingConfig {
    /// Checks the settings.
    pub fn validate(&self) -> Result<(), SamplingError> {
        if !self.temperature.is_finite() || self.temperature < 0.0 {
            return Err(SamplingError::Temperature(self.temperature));
        }
        if !(self.top_p > 0.0 && self.top_p <= 1.0) {
            return Err(SamplingError::TopP(self.top_p));
        }
        if self.max_new_tokens > MAX_NEW_TOKENS {
            return Err(SamplingError::MaxTokens(self.max_new_tokens));
        }
        Ok(())
    }
}

/// One alternative the model considered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alternative {
    pub id: u32,
    pub text: String,
    pub prob: f32,
}

/// One generated token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TokenInfo {
    pub id: u32,
    /// The token as text (`<unk>` / `<bos>` for specials).
    pub text: String,
    /// The model's probability of this token.
    pub prob: f32,
    /// Natural log of `prob`.
    pub logprob: f32,
    /// The most likely tokens at this step, most likely first.
    pub top: Vec<Alternative>,
}

/// Why generation ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum StopReason {
    /// The completion reached one of the stop sequences.
    StopSequence(String),
    /// `max_new_tokens` were generated.
    MaxTokens,
}

/// A finished completion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Completion {
    /// Generated text, without the stop sequence.
    pub text: String,
    /// Every generated token, the stop sequence's included.
    pub tokens: Vec<TokenInfo>,
    pub stop: StopReason,
    /// Prompt characters outside the alphabet (read as `<unk>`).
    pub unknown_chars: usize,
    /// Prompt tokens that did not fit in the window (see the context policy in `decoding`).
    pub dropped_tokens: usize,
}

/// Streams a completion one token at a time; each `next` runs one decode step.
#[derive(Debug)]
pub struct Generator<'a> {
    model: &'a LeanModel,
    decoder: Decoder<'a>,
    config: SamplingConfig,
    rng: ChaCha8Rng,
    step: Option<Step>,
    text: String,
    tokens: Vec<TokenInfo>,
    stop: Option<StopReason>,
    unknown_chars: usize,
    dropped_tokens: usize,
}

impl<'a> Generator<'a> {
    /// Prefills `prompt` and gets ready to generate.
    pub fn new(
        model: &'a LeanModel,
        prompt: &str,
        config: SamplingConfig,
        head_mask: Option<HeadMask>,
    ) -> Result<Self, SamplingError> {
        config.validate()?;
        let enc = model.tokenizer.encode(prompt);
        let mut decoder = Decoder::new(model, head_mask.as_ref());
        let step = decoder.prefill(&enc.ids);
        Ok(Self::ready(model, decoder, step, config, enc.unknown))
    }

    /// [`Generator::new`] that also reads the prompt from its one prefill: each character's
    /// surprisal and `expected`'s log-probability after it.
    pub fn reading(
        model: &'a LeanModel,
        prompt: &str,
        config: SamplingConfig,
        expected: Option<&str>,
    ) -> Result<(Self, PromptRead), SamplingError> {
        config.validate()?;
        let enc = model.tokenizer.encode(prompt);
        let continuation = model.tokenizer.encode(expected.unwrap_or("")).ids;
        let mut decoder = Decoder::new(model, None);
        let (step, read) = decoder.prefill_reading(&enc.ids, &continuation);
        Ok((Self::ready(model, decoder, step, config, enc.unknown), read))
    }

    /// A generator whose prompt has been prefilled into `decoder`.
    fn ready(
        model: &'a LeanModel,
        decoder: Decoder<'a>,
        step: Step,
        config: SamplingConfig,
        unknown_chars: usize,
    ) -> Self {
        let stop = (config.max_new_tokens == 0).then_some(StopReason::MaxTokens);
        Self {
            model,
            dropped_tokens: decoder.dropped(),
            decoder,
            rng: ChaCha8Rng::seed_from_u64(config.seed),
            config,
            step: Some(step),
            text: String::new(),
            tokens: Vec::new(),
            stop,
            unknown_chars,
        }
    }

    /// Prompt characters outside the alphabet.
    pub fn unknown_chars(&self) -> usize {
        self.unknown_chars
    }

    /// Prompt tokens that did not fit in the window.
    pub fn dropped_tokens(&self) -> usize {
        self.dropped_tokens
    }

    /// The attention of the last position over the window, per layer `[n_heads, kv]`.
    pub fn last_attention(&self) -> Option<&[Vec<f32>]> {
        self.step.as_ref().map(|s| s.attention.as_slice())
    }

    /// Runs to the end and returns the whole completion.
    pub fn finish(mut self) -> Completion {
        while self.next().is_some() {}
        self.into_completion()
    }

    /// The completion so far (call after the iterator returned `None` for the final one).
    pub fn into_completion(self) -> Completion {
        let mut text = self.text;
        if let Some(StopReason::StopSequence(s)) = &self.stop {
            text.truncate(text.len() - s.len());
        }
        Completion {
            text,
            tokens: self.tokens,
            stop: self.stop.unwrap_or(StopReason::MaxTokens),
            unknown_chars: self.unknown_chars,
            dropped_tokens: self.dropped_tokens,
        }
    }
}

impl Iterator for Generator<'_> {
    type Item = TokenInfo;

    fn next(&mut self) -> Option<TokenInfo> {
        if self.stop.is_some() {
            return None;
        }
        let step = self.step.take()?;
        let probs = softmax(&step.logits, 1.0);
        let id = pick(&step.logits, &self.config, &mut self.rng);
        let tok = &self.model.tokenizer;
        let info = TokenInfo {
            id,
            text: tok.token_text(id),
            prob: probs[id as usize],
            logprob: probs[id as usize].max(f32::MIN_POSITIVE).ln(),
            top: top_n(&probs, TOP_ALTERNATIVES)
                .into_iter()
                .map(|(i, p)| Alternative {
                    id: i,
                    text: tok.token_text(i),
                    prob: p,
                })
                .collect(),
        };
        self.text.push(tok.char_of(id));
        self.tokens.push(info.clone());
        if let Some(s) = self
            .config
            .stop
            .iter()
            .find(|s| !s.is_empty() && self.text.ends_with(s.as_str()))
        {
            self.stop = Some(StopReason::StopSequence(s.clone()));
        } else if self.tokens.len() >= self.config.max_new_tokens {
            self.stop = Some(StopReason::MaxTokens);
        } else {
            self.step = Some(self.decoder.push(id));
        }
        Some(info)
    }
}

/// Generates a whole completion.
pub fn complete(
    model: &LeanModel,
    prompt: &str,
    config: SamplingConfig,
    head_mask: Option<HeadMask>,
) -> Result<Completion, SamplingError> {
    Ok(Generator::new(model, prompt, config, head_mask)?.finish())
}

/// Softmax of `logits / temperature`, computed in f64 for stability.
fn softmax(logits: &[f32], temperature: f32) -> Vec<f32> {
    let t = f64::from(temperature);
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max) as f64;
    let exps: Vec<f64> = logits
        .iter()
        .map(|&l| ((f64::from(l) - max) / t).exp())
        .collect();
    let sum: f64 = exps.iter().sum();
    exps.iter().map(|e| (e / sum) as f32).collect()
}

/// The `n` most likely `(id, prob)`, most likely first (ties: lower id first).
fn top_n(probs: &[f32], n: usize) -> Vec<(u32, f32)> {
    let mut idx: Vec<u32> = (0..probs.len() as u32).collect();
    idx.sort_by(|&a, &b| {
        probs[b as usize]
            .total_cmp(&probs[a as usize])
            .then(a.cmp(&b))
    });
    idx.into_iter()
        .take(n)
        .map(|i| (i, probs[i as usize]))
        .collect()
}

/// Picks the next token id from `logits` under `config`.
fn pick(logits: &[f32], config: &SamplingConfig, rng: &mut ChaCha8Rng) -> u32 {
    if config.temperature == 0.0 {
        return top_n(&softmax(logits, 1.0), 1)[0].0;
    }
    let probs = softmax(logits, config.temperature);
    let mut ranked = top_n(&probs, probs.len());
    if config.top_k > 0 {
        ranked.truncate(config.top_k);
    }
    if config.top_p < 1.0 {
        let mut acc = 0.0;
        let keep = ranked
            .iter()
            .position(|&(_, p)| {
                acc += p;
                acc >= config.top_p
            })
            .map_or(ranked.len(), |i| i + 1);
        ranked.truncate(keep);
    }
    let total: f64 = ranked.iter().map(|&(_, p)| f64::from(p)).sum();
    let mut u = rng.random::<f64>() * total;
    for &(id, p) in &ranked {
        u -= f64::from(p);
        if u <= 0.0 {
            return id;
        }
    }
    ranked.last().map_or(0, |&(id, _)| id)
}

/// Log-probability of a continuation after a prompt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Score {
    /// Sum of the per-token log-probabilities (natural log).
    pub logprob: f32,
    /// Log-probability of each continuation token.
    pub token_logprobs: Vec<f32>,
    /// Whether greedy decoding would produce the continuation, token by token.
    pub greedy_match: bool,
    /// Per continuation token: whether it was the most likely next token, given the right
    /// ones before it (the character accuracy of [`crate::eval::scaling::char_accuracy`]).
    #[serde(default)]
    pub token_hits: Vec<bool>,
}

/// Scores `continuation` after `prompt` in one forward pass (the prompt is truncated from the
/// left, after `<bos>`, if both do not fit).
pub fn score(model: &LeanModel, prompt: &str, continuation: &str) -> Result<Score, SamplingError> {
    let item = (prompt.to_string(), continuation.to_string());
    score_batch(model, std::slice::from_ref(&item)).remove(0)
}

/// A window to score: its ids (`<bos>`, the prompt's most recent tokens, the continuation)
/// and where the continuation starts.
pub type ScoreRow = (Vec<u32>, usize);

/// What reads windows' next-token logits and scores them: the lean path ([`score_lean`]), or
/// a reference (the burn network's, in `crate::bench::reference`).
pub type Scorer<M = LeanModel> = fn(&M, &[&ScoreRow]) -> Vec<Score>;

/// [`score`] for many `(prompt, continuation)` pairs, on the lean path. Equal to scoring one
/// by one, up to rounding.
pub fn score_batch(
    model: &LeanModel,
    items: &[(String, String)],
) -> Vec<Result<Score, SamplingError>> {
    score_batch_with(model, items, score_lean)
}

/// [`score_batch`] with a chosen scorer.
pub fn score_batch_with<M: AsRef<LeanModel>>(
    model: &M,
    items: &[(String, String)],
    scorer: Scorer<M>,
) -> Vec<Result<Score, SamplingError>> {
    let lean = model.as_ref();
    let room = lean.config.block_size - 1;
    // Per item: the window's ids and where the continuation starts, or why it cannot be scored.
    let rows: Vec<Result<ScoreRow, SamplingError>> = items
        .iter()
        .map(|(prompt, continuation)| {
            let p = lean.tokenizer.encode(prompt).ids;
            let c = lean.tokenizer.encode(continuation).ids;
            if c.is_empty() {
                return Err(SamplingError::EmptyContinuation);
            }
            if c.len() >= room {
                return Err(SamplingError::ContinuationTooLong(c.len()));
            }
            // The prompt's window leaves room for the whole continuation.
            let (mut ids, _) = window(&p, lean.config.block_size - c.len());
            let first = ids.len();
            ids.extend_from_slice(&c);
            Ok((ids, first))
        })
        .collect();
    let ok: Vec<&ScoreRow> = rows.iter().filter_map(|r| r.as_ref().ok()).collect();
    let mut scores = scorer(model, &ok).into_iter();
    rows.into_iter()
        .map(|r| {
            r.map(|_| {
                scores
                    .next()
                    .expect("one score for every row that can be scored")
            })
        })
        .collect()
}

/// The score of one window from its next-token logits (`[len - 1, vocab]`, row `t` predicting
/// token `t + 1`).
pub fn score_row(ids: &[u32], first: usize, logits: &[f32], vocab: usize) -> Score {
    let mut token_logprobs = Vec::with_capacity(ids.len() - first);
    let mut token_hits = Vec::with_capacity(ids.len() - first);
    for (t, &id) in ids.iter().enumerate().skip(first) {
        let row = &logits[(t - 1) * vocab..t * vocab];
        token_logprobs.push(log_prob(row, id));
        token_hits.push(argmax(row) == id as usize);
    }
    Score {
        logprob: token_logprobs.iter().sum(),
        token_logprobs,
        greedy_match: token_hits.iter().all(|&h| h),
        token_hits,
    }
}

/// Tokens read together by one [`crate::net::lean::LeanNet::forward_many`] when scoring.
pub(crate) const SCORE_TOKENS: usize = 1024;

/// The lean path's [`Scorer`]: several windows read together by
/// [`crate::net::lean::LeanNet::forward_many`].
pub fn score_lean(model: &LeanModel, rows: &[&ScoreRow]) -> Vec<Score> {
    let net = model.lean();
    let mut cache = net.cache();
    let mut out = Vec::with_capacity(rows.len());
    let mut i = 0;
    while i < rows.len() {
        // Whole rows, up to SCORE_TOKENS tokens (at least one row).
        let mut j = i + 1;
        let mut tokens = rows[i].0.len();
        while j < rows.len() && tokens + rows[j].0.len() <= SCORE_TOKENS {
            tokens += rows[j].0.len();
            j += 1;
        }
        let inputs: Vec<&[u32]> = rows[i..j]
            .iter()
            .map(|(ids, _)| &ids[..ids.len() - 1])
            .collect();
        let logits = net.forward_many(&mut cache, &inputs);
        for ((ids, first), l) in rows[i..j].iter().zip(&logits) {
            out.push(score_row(ids, *first, l, net.vocab()));
        }
        i = j;
    }
    out
}

/// Index of the largest value (the first on ties).
fn argmax(row: &[f32]) -> usize {
    row.iter()
        .enumerate()
        .fold(
            (0, f32::NEG_INFINITY),
            |b, (j, &x)| if x > b.1 { (j, x) } else { b },
        )
        .0
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::net::config::ModelConfig;
    use crate::net::model::Model;
    use crate::net::tensors::{batch_tokens, to_vec};
    use crate::net::tokenizer::BOS;
    use crate::net::transformer::ForwardOptions;
    use burn::tensor::Device;
    use burn::tensor::activation::log_softmax;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// A random 2-layer attention-only model with a 32-token window.
    pub(crate) fn model() -> Model {
        let cfg = ModelConfig {
            block_size: 32,
            ..ModelConfig::preset("attn2").unwrap()
        };
        Model::random(cfg, 3, &Device::flex()).unwrap()
    }

    /// Hand-built logits (vocabulary of 3): each answer token is scored by its own row, a hit
    /// where the row ranks it first; exact match needs every one.
    #[test]
    fn score_row_marks_each_answer_token_the_model_ranked_first() {
        let ids = [0u32, 1, 2, 1];
        #[rustfmt::skip]
        let logits = [
            0.0, 5.0, 0.0, // row 0 predicts ids[1] = 1 (not scored: before `first`)
            0.0, 0.0, 5.0, // row 1 predicts ids[2] = 2: a hit
            5.0, 1.0, 0.0, // row 2 predicts ids[3] = 1, ranks 0 first: a miss
        ];
        let s = score_row(&ids, 2, &logits, 3);
        assert_eq!(s.token_hits, vec![true, false]);
        assert!(!s.greedy_match);
        assert_eq!(crate::eval::scaling::char_accuracy(&s.token_hits), 0.5);
        let ln = |row: [f32; 3], id: usize| row[id] - row.iter().map(|x| x.exp()).sum::<f32>().ln();
        let want = ln([0.0, 0.0, 5.0], 2) + ln([5.0, 1.0, 0.0], 1);
        assert!((s.logprob - want).abs() < 1e-5, "{} vs {want}", s.logprob);
        let all = score_row(&[0, 1, 2], 1, &logits[..6], 3);
        assert_eq!(all.token_hits, vec![true, true]);
        assert!(all.greedy_match);
    }

    #[test]
    fn batched_scores_equal_one_row_at_a_time() {
        let m = model();
        let items: Vec<(String, String)> = [
            ("in: stone\nout:", " enots\n"),
            ("ab", "c"),
            ("x".repeat(60).as_str(), " yz"),
            ("in: a\nout:", ""),
            ("q", "0123456789abcdefghijklmnopqrstuvwxyz"),
        ]
        .iter()
        .cycle()
        .take(11)
        .map(|(p, c)| (p.to_string(), c.to_string()))
        .collect();
        let burn: Scorer<Model> = crate::bench::reference::score_burn;
        let lean: Scorer<Model> = |m, rows| score_lean(m, rows);
        for (engine, scorer) in [("lean", lean), ("burn", burn)] {
            let batched = score_batch_with(&m, &items, scorer);
            assert_eq!(batched.len(), items.len());
            for ((p, c), got) in items.iter().zip(&batched) {
                let pi = m.tokenizer.encode(p).ids;
                let ci = m.tokenizer.encode(c).ids;
                if ci.is_empty() {
                    assert_eq!(got, &Err(SamplingError::EmptyContinuation));
                    continue;
                }
                if ci.len() >= 31 {
                    assert_eq!(got, &Err(SamplingError::ContinuationTooLong(ci.len())));
                    continue;
                }
                // One row, its own forward pass.
                let keep = pi.len().min(31 - ci.len());
                let mut ids = vec![BOS];
                ids.extend_from_slice(&pi[pi.len() - keep..]);
                let first = ids.len();
                ids.extend_from_slice(&ci);
                let out = m.net.forward(
                    batch_tokens(&[ids[..ids.len() - 1].to_vec()], &m.device),
                    &ForwardOptions::default(),
                );
                let v = m.config.vocab_size;
                let lp = to_vec(log_softmax(out.logits, 2).reshape([(ids.len() - 1) * v]));
                let got = got.as_ref().unwrap();
                for (j, t) in (first..ids.len()).enumerate() {
                    let want = lp[(t - 1) * v + ids[t] as usize];
                    assert!(
                        (got.token_logprobs[j] - want).abs() < 1e-4,
                        "{engine} {p:?} {c:?}: {} vs {want}",
                        got.token_logprobs[j]
                    );
                }
            }
        }
    }

    #[test]
    fn same_seed_gives_the_same_sample() {
        let m = model();
        let cfg = SamplingConfig {
            temperature: 1.5,
            seed: 42,
            max_new_tokens: 40,
            stop: vec![],
            ..SamplingConfig::default()
        };
        let a = complete(&m, "in: stone\nout:", cfg.clone(), None).unwrap();
        let b = complete(&m, "in: stone\nout:", cfg.clone(), None).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.tokens.len(), 40);
        let c = complete(
            &m,
            "in: stone\nout:",
            SamplingConfig { seed: 43, ..cfg },
            None,
        )
        .unwrap();
        assert_ne!(
            a.text, c.text,
            "a different seed should give a different random sample"
        );
    }

    #[test]
    fn greedy_tokens_report_probabilities_and_alternatives() {
        let m = model();
        let cfg = SamplingConfig {
            max_new_tokens: 5,
            stop: vec![],
            ..SamplingConfig::default()
        };
        let c = complete(&m, "abc", cfg, None).unwrap();
        assert_eq!(c.stop, StopReason::MaxTokens);
        for t in &c.tokens {
            assert_eq!(t.top.len(), TOP_ALTERNATIVES);
            assert_eq!(t.top[0].id, t.id, "greedy picks the most likely token");
            assert!((t.prob.ln() - t.logprob).abs() < 1e-4);
            assert!(t.top.windows(2).all(|w| w[0].prob >= w[1].prob));
        }
        // Greedy scoring agrees with greedy generation.
        let s = score(&m, "abc", &c.text).unwrap();
        assert!(s.greedy_match);
        let sum: f32 = c.tokens.iter().map(|t| t.logprob).sum();
        assert!((s.logprob - sum).abs() < 1e-3, "{} vs {sum}", s.logprob);
    }

    #[test]
    fn top_k_one_is_greedy_and_stop_sequences_end_generation() {
        let m = model();
        let greedy = SamplingConfig {
            max_new_tokens: 12,
            stop: vec![],
            ..SamplingConfig::default()
        };
        let g = complete(&m, "xyz", greedy.clone(), None).unwrap();
        let k1 = SamplingConfig {
            temperature: 2.0,
            top_k: 1,
            seed: 9,
            ..greedy.clone()
        };
        assert_eq!(complete(&m, "xyz", k1, None).unwrap().text, g.text);
        let p = SamplingConfig {
            temperature: 1.0,
            top_p: 1e-6,
            seed: 9,
            ..greedy
        };
        assert_eq!(complete(&m, "xyz", p, None).unwrap().text, g.text);
        // Stop on the third generated character.
        let third = g.text.chars().nth(2).unwrap();
        let stop = SamplingConfig {
            max_new_tokens: 12,
            stop: vec![third.to_string()],
            ..SamplingConfig::default()
        };
        let s = complete(&m, "xyz", stop, None).unwrap();
        assert!(matches!(s.stop, StopReason::StopSequence(_)));
        assert!(s.text.chars().count() < 3 && g.text.starts_with(&s.text));
    }

    #[test]
    fn bad_settings_are_errors() {
        let m = model();
        for bad in [
            SamplingConfig {
                temperature: f32::NAN,
                ..SamplingConfig::default()
            },
            SamplingConfig {
                temperature: -1.0,
                ..SamplingConfig::default()
            },
            SamplingConfig {
                top_p: 0.0,
                ..SamplingConfig::default()
            },
            SamplingConfig {
                max_new_tokens: usize::MAX,
                ..SamplingConfig::default()
            },
        ] {
            assert!(complete(&m, "a", bad, None).is_err());
        }
        assert_eq!(score(&m, "a", ""), Err(SamplingError::EmptyContinuation));
        assert!(score(&m, "a", &"x".repeat(40)).is_err());
    }

    #[test]
    fn prompts_of_any_length_complete() {
        let m = model();
        let block = m.config.block_size;
        for n in [0, block - 1, block, block + 1, 100 * block] {
            let prompt = "ab".repeat(n).chars().take(n).collect::<String>();
            let cfg = SamplingConfig {
                max_new_tokens: 3,
                stop: vec![],
                ..SamplingConfig::default()
            };
            let c = complete(&m, &prompt, cfg, None).unwrap();
            assert_eq!(c.tokens.len(), 3);
            assert_eq!(c.dropped_tokens, n.saturating_sub(block - 1));
        }
        let s = score(&m, &"q".repeat(500), "ab").unwrap();
        assert_eq!(s.token_logprobs.len(), 2);
    }
}
