//! Interpretability metrics read from the forward pass (Olsson et al. 2022, "In-context
//! Learning and Induction Heads").
//!
//! On a sequence `<bos> r₁ … r_L r₁ … r_L` of random tokens repeated once, a query at the
//! second copy's position of `r_i` should, in an induction head, attend to the position of
//! `r_{i+1}` in the first copy (the token after the previous occurrence), which sits `L - 1`
//! positions back.
//!
//! Long mostly for its tests, on hand-built attention patterns.

use burn::tensor::activation::log_softmax;
use burn::tensor::{Device, Tensor};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::eval::probed::{BurnNet, Probed};
use crate::net::lean::LeanNet;
use crate::net::tensors::{batch_tokens, to_vec};
use crate::net::tokenizer::{ALPHANUMERIC, BOS, Tokenizer};
use crate::net::transformer::{ForwardOptions, Transformer};
use crate::rules::corpus::{DataMix, Sequence};
use crate::rules::tasks::Task;

/// How heads are scored on repeated random strings: training records these scores in the
/// curves and the page shows them, so a checkpoint's scores on the page equal its curves'
/// numbers when the page's seed is this seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeadProbe {
    /// Seed of the random strings.
    pub seed: u64,
    /// How many strings are drawn.
    pub strings: usize,
    /// Tokens in each string (each is repeated once).
    pub len: usize,
}

/// The one probe every head score uses.
pub const HEAD_PROBE: HeadProbe = HeadProbe {
    seed: 1234,
    strings: 8,
    len: 48,
};

/// Attention scores per layer and head, and the losses on a repeated random string.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeadScores {
    /// `[layer][head]`: mean attention from second-copy tokens to the token after their first
    /// occurrence.
    pub induction: Vec<Vec<f32>>,
    /// `[layer][head]`: mean attention from second-copy tokens to their first occurrence
    /// (duplicate-token heads).
    pub duplicate: Vec<Vec<f32>>,
    /// `[layer][head]`: mean attention to the previous position.
    pub previous_token: Vec<Vec<f32>>,
    /// `[layer][head]`: on random text over a small alphabet (no clean repeat), the share of
    /// attention on tokens that followed an earlier occurrence of the current token.
    #[serde(default)]
    pub prefix_matching: Vec<Vec<f32>>,
    /// `[layer][head]`: share of letters and digits whose own logit the head's direct OV
    /// circuit raises the most (see [`crate::eval::probed::Probed::copying`]).
    #[serde(default)]
    pub copying: Vec<Vec<f32>>,
    /// Mean loss (nats) on the first copy's tokens.
    pub loss_first_copy: f32,
    /// Mean loss (nats) on the second copy's tokens.
    pub loss_second_copy: f32,
}

impl HeadScores {
    /// Highest induction score of any head.
    pub fn top_induction(&self) -> f32 {
        max_score(&self.induction)
    }
}

/// The highest of `[layer][head]` scores (0 when there are none).
pub fn max_score(scores: &[Vec<f32>]) -> f32 {
    scores.iter().flatten().copied().fold(0.0, f32::max)
}

/// [`position_losses`] on the lean network.
pub fn lean_position_losses(net: &LeanNet, rows: &[Vec<u32>]) -> Vec<Vec<f32>> {
    net.pass(rows, false).losses(rows)
}

/// Per-position loss `[batch][seq-1]` of predicting `rows[b][t+1]` from `rows[b][..=t]`.
pub fn position_losses(net: &Transformer, rows: &[Vec<u32>], device: &Device) -> Vec<Vec<f32>> {
    let n = rows[0].len();
    let inputs: Vec<Vec<u32>> = rows.iter().map(|r| r[..n - 1].to_vec()).collect();
    let out = net.forward(batch_tokens(&inputs, device), &ForwardOptions::default());
    let [b, s, v] = out.logits.dims();
    let lp = to_vec(log_softmax(out.logits, 2).reshape([b * s * v]));
    rows.iter()
        .enumerate()
        .map(|(bi, r)| {
            (0..s)
                .map(|t| -lp[(bi * s + t) * v + r[t + 1] as usize])
                .collect()
        })
        .collect()
}

/// Scores every head of the burn network on `n` repeated random strings of `len` tokens
/// (seeded): what training records in its curves.
pub fn head_scores(
    net: &Transformer,
    device: &Device,
    seed: u64,
    n: usize,
    len: usize,
) -> HeadScores {
    scores_of(&BurnNet { net, device }, seed, n, len)
}

/// [`head_scores`] of the lean network: what the page shows (equal to the burn network's,
/// tested).
pub fn lean_head_scores(net: &LeanNet, seed: u64, n: usize, len: usize) -> HeadScores {
    scores_of(net, seed, n, len)
}

/// Scores every head on `n` repeated random strings of `len` tokens (seeded).
fn scores_of(net: &impl Probed, seed: u64, n: usize, len: usize) -> HeadScores {
    let tok = Tokenizer::default();
    let alphabet: Vec<u32> = tok.encode(ALPHANUMERIC).ids;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let len = len.min((net.block_size() - 1) / 2);
    let rows: Vec<Vec<u32>> = (0..n)
        .map(|_| repeated_row(&mut rng, &alphabet, len))
        .collect();
    let (layers, heads) = net.layers_heads();
    let mut induction = vec![vec![0.0; heads]; layers];
    let mut duplicate = vec![vec![0.0; heads]; layers];
    let mut previous_token = vec![vec![0.0; heads]; layers];
    let pass = net.pass(&rows, true);
    for (l, w) in pass.attention.iter().enumerate() {
        for (h, [ind, dup, prev]) in pattern_scores(w, n, heads, len).into_iter().enumerate() {
            induction[l][h] = ind;
            duplicate[l][h] = dup;
            previous_token[l][h] = prev;
        }
    }
    let prefix_matching = prefix_matching_of(net, &mut rng, n, &alphabet[..8]);
    let losses = pass.losses(&rows);
    // Target index t predicts token t+1: first copy = targets 0..len, second = len..2len.
    let mean = |range: std::ops::Range<usize>| {
        let total: f32 = losses
            .iter()
            .map(|r| r[range.clone()].iter().sum::<f32>())
            .sum();
        total / (n * range.len()) as f32
    };
    HeadScores {
        induction,
        duplicate,
        previous_token,
        prefix_matching,
        copying: net.copying(&alphabet),
        loss_first_copy: mean(1..len),
        loss_second_copy: mean(len + 1..2 * len),
    }
}

/// `[layer][head]` prefix-matching scores on `n` random sequences over `letters` (seeded by
/// `rng`): for every query whose token occurred before, the attention mass on the positions
/// right after its earlier occurrences (excluding the query's own previous position). Uniform
/// attention scores about `1 / letters.len()`.
pub fn prefix_matching_scores(
    net: &Transformer,
    device: &Device,
    rng: &mut impl Rng,
    n: usize,
    letters: &[u32],
) -> Vec<Vec<f32>> {
    prefix_matching_of(&BurnNet { net, device }, rng, n, letters)
}

fn prefix_matching_of(
    net: &impl Probed,
    rng: &mut impl Rng,
    n: usize,
    letters: &[u32],
) -> Vec<Vec<f32>> {
    let seq = net.block_size().min(97);
    let rows: Vec<Vec<u32>> = (0..n)
        .map(|_| {
            std::iter::once(BOS)
                .chain((1..seq).map(|_| letters[rng.random_range(0..letters.len())]))
                .collect()
        })
        .collect();
    let heads = net.layers_heads().1;
    net.pass(&rows, true)
        .attention
        .iter()
        .map(|w| prefix_matching_from(w, &rows, heads))
        .collect()
}

/// Prefix-matching mass per head from attention `w` laid out `[batch, heads, seq, seq]` over
/// `rows`: for every query whose token occurred before, the attention on the positions right
/// after its earlier occurrences (excluding the query's own previous position, unless that is
/// also such a position), averaged over queries.
fn prefix_matching_from(w: &[f32], rows: &[Vec<u32>], heads: usize) -> Vec<f32> {
    let seq = rows[0].len();
    (0..heads)
        .map(|h| {
            let (mut mass, mut queries) = (0.0f32, 0usize);
            for (b, row) in rows.iter().enumerate() {
                for q in 2..seq {
                    let targets: Vec<usize> = (1..q - 1)
                        .filter(|&k| row[k] == row[q])
                        .map(|k| k + 1)
                        .filter(|&k| k != q - 1 || row[q - 1] == row[q])
                        .collect();
                    if targets.is_empty() {
                        continue;
                    }
                    queries += 1;
                    let base = ((b * heads + h) * seq + q) * seq;
                    mass += targets.iter().map(|&k| w[base + k]).sum::<f32>();
                }
            }
            mass / queries.max(1) as f32
        })
        .collect()
}

/// Head scores measured on one prompt (`ids` starting with `<bos>`), `[layer][head]` each.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PromptHeads {
    /// Attention on the previous position.
    pub previous_token: Vec<Vec<f32>>,
    /// For characters seen before in the prompt, the attention on what followed their earlier
    /// occurrences (the induction pattern on the visitor's own text).
    pub prefix_matching: Vec<Vec<f32>>,
}

/// [`PromptHeads`] of one prompt.
pub fn prompt_head_scores(net: &Transformer, device: &Device, ids: &[u32]) -> PromptHeads {
    let rows = vec![ids.to_vec()];
    let out = net.forward(batch_tokens(&rows, device), &ForwardOptions::default());
    prompt_head_scores_from(&flat_attention(out.attention), net.n_heads(), ids)
}

/// Every layer's attention weights, one layer after another, as plain numbers.
pub fn flat_attention(attention: Vec<Tensor<4>>) -> Vec<f32> {
    attention
        .into_iter()
        .flat_map(|w| {
            let n = w.dims().iter().product::<usize>();
            to_vec(w.reshape([n]))
        })
        .collect()
}

/// [`PromptHeads`] from attention already computed for `ids`: `w` is every layer's
/// `[heads, seq, seq]` weights, one layer after another.
pub fn prompt_head_scores_from(w: &[f32], heads: usize, ids: &[u32]) -> PromptHeads {
    let seq = ids.len();
    let rows = vec![ids.to_vec()];
    let layer = heads * seq * seq;
    let mut previous_token = Vec::new();
    let mut prefix_matching = Vec::new();
    for w in w.chunks(layer.max(1)) {
        prefix_matching.push(prefix_matching_from(w, &rows, heads));
        previous_token.push(
            (0..heads)
                .map(|h| {
                    let at = |q: usize| w[(h * seq + q) * seq + q - 1];
                    (1..seq).map(at).sum::<f32>() / (seq - 1).max(1) as f32
                })
                .collect(),
        );
    }
    PromptHeads {
        previous_token,
        prefix_matching,
    }
}

/// `<bos> r r` with `r` of `len` characters drawn from `alphabet` by `rng`.
fn repeated_row(rng: &mut impl Rng, alphabet: &[u32], len: usize) -> Vec<u32> {
    let r: Vec<u32> = (0..len)
        .map(|_| alphabet[rng.random_range(0..alphabet.len())])
        .collect();
    std::iter::once(BOS)
        .chain(r.iter().copied())
        .chain(r.iter().copied())
        .collect()
}

/// A repeated random string of letters and digits, `<bos> r r` with `len` characters in `r`
/// (seeded): the probe the induction scores use, for showing per-token losses.
pub fn repeated_string(seed: u64, len: usize) -> Vec<u32> {
    let tok = Tokenizer::default();
    let alphabet: Vec<u32> = tok.encode(ALPHANUMERIC).ids;
    repeated_row(&mut ChaCha8Rng::seed_from_u64(seed), &alphabet, len)
}

/// Per head `[induction, duplicate, previous_token]` from attention weights laid out
/// `[batch, heads, seq, seq]` over `<bos> r r` sequences with `len`-token copies.
pub fn pattern_scores(w: &[f32], n: usize, heads: usize, len: usize) -> Vec<[f32; 3]> {
    let seq = 2 * len + 1;
    (0..heads)
        .map(|h| {
            let (mut ind, mut dup, mut prev) = (0.0, 0.0, 0.0);
            for b in 0..n {
                let at = |q: usize, k: usize| w[((b * heads + h) * seq + q) * seq + k];
                for i in 0..len {
                    let q = len + 1 + i; // second copy of r_{i+1}
                    ind += at(q, q - len + 1);
                    dup += at(q, q - len);
                }
                for q in 1..seq {
                    prev += at(q, q - 1);
                }
            }
            [
                ind / (n * len) as f32,
                dup / (n * len) as f32,
                prev / (n * (seq - 1)) as f32,
            ]
        })
        .collect()
}

/// In-context learning scores (nats; more negative = more learned from the context).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IclScores {
    /// Olsson et al.'s "loss at late tokens minus loss at early tokens": on an even mix of
    /// few-shot sequences (every task alike) and repeated random strings, the mean loss over
    /// the last quarter of the window minus the mean loss over its first eighth, all tokens.
    pub icl: f32,
    /// The same on task answers only: per task, the mean loss on answer tokens in the last
    /// quarter of the window minus the loss on the first example's answer (which has no
    /// example before it), averaged over tasks.
    pub answers: f32,
}

/// Sequences for the ICL scores: `per_task` few-shot sequences of every task (training
/// template and words), tagged with the task's index, then as many repeated random strings
/// (tagged `None`), each filling a window of `block`.
fn icl_sequences(seed: u64, per_task: usize, block: usize) -> Vec<(Option<usize>, Sequence)> {
    let tok = Tokenizer::default();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let tasks: Vec<(Option<usize>, DataMix)> = Task::WORDS
        .iter()
        .enumerate()
        .map(|(i, &task)| {
            let mix = DataMix {
                tasks: vec![task],
                ..DataMix::new(0.0)
            };
            (Some(i), mix)
        })
        .chain(std::iter::once((None, DataMix::new(1.0))))
        .collect();
    tasks
        .iter()
        .flat_map(|(tag, mix)| {
            let n = if tag.is_some() {
                per_task
            } else {
                per_task * Task::WORDS.len()
            };
            std::iter::repeat_n((*tag, mix), n)
        })
        .map(|(tag, mix)| (tag, mix.sequence(&mut rng, &tok, block - 1)))
        .collect()
}

/// The ICL scores of one model: see [`IclScores`].
pub fn icl_scores(net: &Transformer, device: &Device, seed: u64, per_task: usize) -> IclScores {
    let seqs = icl_sequences(seed, per_task, net.block_size());
    let rows: Vec<Vec<u32>> = seqs.iter().map(|(_, s)| s.ids.clone()).collect();
    let losses = position_losses(net, &rows, device);
    let len = losses[0].len();
    // Olsson: every real token, late positions against early ones.
    let (mut early, mut late) = ((0.0f32, 0usize), (0.0f32, 0usize));
    // Per task: (early sum, early count, late sum, late count) over answer tokens.
    let mut sums = vec![(0.0f32, 0usize, 0.0f32, 0usize); Task::WORDS.len()];
    for ((task, seq), loss) in seqs.iter().zip(&losses) {
        let real = |t: usize| seq.loss_mask[t] > 0.0;
        for t in (0..len / 8).filter(|&t| real(t)) {
            early = (early.0 + loss[t], early.1 + 1);
        }
        for t in (len * 3 / 4..len).filter(|&t| real(t)) {
            late = (late.0 + loss[t], late.1 + 1);
        }
        let Some(task) = task else { continue };
        let answer = |t: usize| seq.answer_mask[t] && real(t);
        let s = &mut sums[*task];
        // The first example's answer: the first run of answer targets.
        if let Some(f) = (0..len).find(|&t| answer(t)) {
            for t in (f..len).take_while(|&t| answer(t)) {
                s.0 += loss[t];
                s.1 += 1;
            }
        }
        for t in (len * 3 / 4..len).filter(|&t| answer(t)) {
            s.2 += loss[t];
            s.3 += 1;
        }
    }
    let per: Vec<f32> = sums
        .iter()
        .filter(|s| s.1 > 0 && s.3 > 0)
        .map(|s| s.2 / s.3 as f32 - s.0 / s.1 as f32)
        .collect();
    IclScores {
        icl: late.0 / late.1.max(1) as f32 - early.0 / early.1.max(1) as f32,
        answers: per.iter().sum::<f32>() / per.len().max(1) as f32,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::net::config::{ModelConfig, Positional};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// A hand-built pattern: head 0 is a perfect induction head, head 1 a previous-token head.
    #[test]
    fn pattern_scores_find_hand_built_heads() {
        let (len, heads) = (5, 2);
        let seq = 2 * len + 1;
        let mut w = vec![0.0f32; heads * seq * seq];
        // Sequence: <bos> a b c d e a b c d e. After the second `a` (q = 6) comes `b`, whose
        // first occurrence is at position 2: the induction target is q - len + 1.
        for q in 0..seq {
            let ind = if q > len { q - len + 1 } else { q };
            w[q * seq + ind] = 1.0;
            w[(seq + q) * seq + q.saturating_sub(1)] = 1.0;
        }
        let s = pattern_scores(&w, 1, heads, len);
        assert_eq!(s[0][0], 1.0);
        assert_eq!(s[0][1], 0.0);
        assert_eq!(s[1][2], 1.0);
        assert_eq!(s[1][0], 0.0);
    }

    #[test]
    fn prefix_matching_finds_a_hand_built_pattern() {
        // <bos> a b c a b: the second `a` (q = 4) had an earlier `a` at 1, so its target is 2;
        // the second `b` (q = 5) targets 3.
        let rows = vec![vec![0, 1, 2, 3, 1, 2]];
        let seq = 6;
        let mut w = vec![0.0f32; 2 * seq * seq];
        w[4 * seq + 2] = 1.0; // head 0 looks where induction says
        w[5 * seq + 3] = 1.0;
        w[(seq + 4) * seq + 1] = 1.0; // head 1 looks at the earlier occurrence itself
        w[(seq + 5) * seq + 2] = 1.0;
        let s = prefix_matching_from(&w, &rows, 2);
        assert_eq!(s, vec![1.0, 0.0]);
    }

    #[test]
    fn prompt_scores_and_repeated_strings() {
        let r = repeated_string(5, 12);
        assert_eq!(r.len(), 25);
        assert_eq!(r[0], BOS);
        assert_eq!(r[1..13], r[13..]);
        assert_eq!(r, repeated_string(5, 12));
        assert_ne!(r, repeated_string(6, 12));
        let cfg = ModelConfig {
            block_size: 64,
            ..ModelConfig::preset("attn2").unwrap()
        };
        let device = crate::net::backend::Backend::Flex.device();
        let net = cfg.init_seeded(&device, 1);
        let p = prompt_head_scores(&net, &device, &r);
        assert_eq!(p.previous_token.len(), 2);
        for v in p.previous_token.iter().chain(&p.prefix_matching).flatten() {
            assert!((0.0..=1.0).contains(v), "{v}");
        }
    }

    #[test]
    fn scores_are_attention_fractions_and_uniform_at_random_init() {
        let cfg = ModelConfig {
            block_size: 64,
            ..ModelConfig::preset("attn2").unwrap()
        }
        .with_positional(Positional::Rotary);
        let device = Device::flex();
        let net = cfg.init_seeded(&device, 1);
        let s = head_scores(&net, &device, 0, 4, 20);
        assert_eq!(s.induction.len(), 2);
        assert_eq!(s.induction[0].len(), 4);
        // A random small-init network attends almost uniformly: ~1/position, far below 0.3.
        for x in s
            .induction
            .iter()
            .chain(&s.duplicate)
            .chain(&s.previous_token)
            .flatten()
        {
            assert!((0.0..0.3).contains(x), "{x}");
        }
        assert!(s.loss_first_copy > 3.0 && s.loss_second_copy > 3.0);
        let scores = icl_scores(&net, &device, 0, 1);
        assert!(scores.icl.abs() < 1.0, "{scores:?}");
        assert!(scores.answers.abs() < 1.0, "{scores:?}");
    }

    /// Two head scores agree: attention scores and losses within float rounding, copying
    /// scores within one token of the alphabet (a near-tie can fall either way).
    pub(crate) fn assert_scores_close(a: &HeadScores, b: &HeadScores) {
        let close = |x: &[Vec<f32>], y: &[Vec<f32>], tol: f32, what: &str| {
            assert_eq!(x.len(), y.len(), "{what}");
            for (p, q) in x.iter().flatten().zip(y.iter().flatten()) {
                assert!((p - q).abs() <= tol, "{what}: {p} vs {q}");
            }
        };
        close(&a.induction, &b.induction, 1e-4, "induction");
        close(&a.duplicate, &b.duplicate, 1e-4, "duplicate");
        close(&a.previous_token, &b.previous_token, 1e-4, "previous token");
        close(
            &a.prefix_matching,
            &b.prefix_matching,
            1e-4,
            "prefix matching",
        );
        close(&a.copying, &b.copying, 1.0 / 36.0 + 1e-6, "copying");
        assert!((a.loss_first_copy - b.loss_first_copy).abs() < 1e-3);
        assert!((a.loss_second_copy - b.loss_second_copy).abs() < 1e-3);
    }

    /// The page's scores (lean network) are training's (burn network), for both kinds of
    /// positions, with and without MLPs, with a head ablated.
    #[test]
    fn lean_and_burn_networks_score_heads_alike() {
        let device = Device::flex();
        for (preset, positional) in [("base", Positional::Rotary), ("attn2", Positional::Learned)] {
            let cfg = ModelConfig {
                block_size: 64,
                ..ModelConfig::preset(preset).unwrap()
            }
            .with_positional(positional);
            let net = cfg.init_seeded(&device, 3);
            let mask =
                crate::net::transformer::HeadMask::all(cfg.n_layers, cfg.n_heads).ablate(1, 0);
            for net in [net.clone(), net.with_heads_ablated(&mask)] {
                let lean = LeanNet::new(&cfg, &net);
                let burn = head_scores(&net, &device, 7, 4, 20);
                assert_scores_close(&lean_head_scores(&lean, 7, 4, 20), &burn);
                let rows = vec![repeated_string(1, 20), repeated_string(2, 20)];
                let (a, b) = (
                    lean_position_losses(&lean, &rows),
                    position_losses(&net, &rows, &device),
                );
                for (x, y) in a.iter().flatten().zip(b.iter().flatten()) {
                    assert!((x - y).abs() < 1e-3, "{x} vs {y}");
                }
            }
        }
    }
}
