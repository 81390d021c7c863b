//! Interpretability metrics read from the forward pass (Olsson et al. 2022, "In-context
//! Learning and Induction Heads").
//!
//! On a sequence `<bos> r₁ … r_L r₁ … r_L` of random tokens repeated once, a query at the
//! second copy's position of `r_i` should, in an induction head, attend to the position of
//! `r_{i+1}` in the first copy (the token after the previous occurrence), which sits `L - 1`
//! positions back.

use burn::tensor::Device;
use burn::tensor::activation::log_softmax;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::data::DataMix;
use crate::decoding::{batch_tokens, to_vec};
use crate::tokenizer::{BOS, Tokenizer};
use crate::transformer::{ForwardOptions, Transformer};

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
    /// Mean loss (nats) on the first copy's tokens.
    pub loss_first_copy: f32,
    /// Mean loss (nats) on the second copy's tokens.
    pub loss_second_copy: f32,
}

impl HeadScores {
    /// Highest induction score of any head.
    pub fn top_induction(&self) -> f32 {
        self.induction.iter().flatten().copied().fold(0.0, f32::max)
    }
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

/// Scores every head on `n` repeated random strings of `len` tokens (seeded).
pub fn head_scores(
    net: &Transformer,
    device: &Device,
    seed: u64,
    n: usize,
    len: usize,
) -> HeadScores {
    let tok = Tokenizer::default();
    let alphabet: Vec<u32> = tok.encode("abcdefghijklmnopqrstuvwxyz0123456789").ids;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let len = len.min((net.block_size() - 1) / 2);
    let rows: Vec<Vec<u32>> = (0..n)
        .map(|_| {
            let r: Vec<u32> = (0..len)
                .map(|_| alphabet[rng.random_range(0..alphabet.len())])
                .collect();
            std::iter::once(BOS)
                .chain(r.iter().copied())
                .chain(r.iter().copied())
                .collect()
        })
        .collect();
    let seq = 2 * len + 1;
    let out = net.forward(batch_tokens(&rows, device), &ForwardOptions::default());
    let (layers, heads) = (net.n_layers(), net.n_heads());
    let mut induction = vec![vec![0.0; heads]; layers];
    let mut duplicate = vec![vec![0.0; heads]; layers];
    let mut previous_token = vec![vec![0.0; heads]; layers];
    for (l, w) in out.attention.into_iter().enumerate() {
        // [batch, heads, seq, seq]
        let w = to_vec(w.reshape([n * heads * seq * seq]));
        for (h, [ind, dup, prev]) in pattern_scores(&w, n, heads, len).into_iter().enumerate() {
            induction[l][h] = ind;
            duplicate[l][h] = dup;
            previous_token[l][h] = prev;
        }
    }
    let losses = position_losses(net, &rows, device);
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
        loss_first_copy: mean(1..len),
        loss_second_copy: mean(len + 1..2 * len),
    }
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

/// In-context learning score (Olsson et al.): mean loss at late positions minus mean loss at
/// early positions of held-out few-shot sequences. More negative = more learning in context.
pub fn icl_score(net: &Transformer, device: &Device, seed: u64, n: usize) -> f32 {
    let tok = Tokenizer::default();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let block = net.block_size();
    let mix = DataMix::new(0.0);
    let rows: Vec<Vec<u32>> = (0..n)
        .map(|_| mix.sequence(&mut rng, &tok, block - 1).ids)
        .collect();
    let losses = position_losses(net, &rows, device);
    let (early, late) = (block / 16..block / 8, block * 3 / 4..block - 2);
    let mean = |r: std::ops::Range<usize>| {
        losses
            .iter()
            .map(|l| l[r.clone()].iter().sum::<f32>())
            .sum::<f32>()
            / (n * r.len()) as f32
    };
    mean(late) - mean(early)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{ModelConfig, Positional};
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
    fn scores_are_attention_fractions_and_uniform_at_random_init() {
        let cfg = ModelConfig {
            block_size: 64,
            ..ModelConfig::preset("attn2").unwrap()
        }
        .with_positional(Positional::Rotary);
        let device = Device::flex();
        device.seed(1);
        let net = cfg.init(&device);
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
        assert!(icl_score(&net, &device, 0, 2).abs() < 1.0);
    }
}
