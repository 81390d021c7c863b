//! The two networks as the head scores read them: the burn network (training's curves, on any
//! device) and the lean one (the page, with no tensor library), behind one trait, so every
//! score is defined once ([`crate::eval::metrics`]) and both give the same numbers (tested).

use burn::tensor::Device;
use burn::tensor::activation::log_softmax;

use crate::net::lean::{Keep, LeanNet};
use crate::net::tensors::{batch_tokens, to_vec};
use crate::net::transformer::{ForwardOptions, Transformer};

/// One forward pass over rows of equal length.
#[derive(Debug, Clone, PartialEq)]
pub struct Pass {
    /// Per layer, `[batch, heads, seq, seq]` attention weights (empty when not asked for).
    pub attention: Vec<Vec<f32>>,
    /// `[batch, seq, vocab]` log-probabilities.
    pub logprobs: Vec<f32>,
    pub vocab: usize,
}

impl Pass {
    /// Per-position loss `[batch][seq-1]` of predicting `rows[b][t+1]` from `rows[b][..=t]`.
    pub fn losses(&self, rows: &[Vec<u32>]) -> Vec<Vec<f32>> {
        let (seq, v) = (rows[0].len(), self.vocab);
        rows.iter()
            .enumerate()
            .map(|(b, r)| {
                (0..seq - 1)
                    .map(|t| -self.logprobs[(b * seq + t) * v + r[t + 1] as usize])
                    .collect()
            })
            .collect()
    }
}

/// A network the head scores can read.
pub trait Probed {
    /// Longest sequence it reads.
    fn block_size(&self) -> usize;
    /// Layers and heads per layer.
    fn layers_heads(&self) -> (usize, usize);
    /// The forward pass over `rows` (equal lengths, `<bos>` first), with attention when asked.
    fn pass(&self, rows: &[Vec<u32>], attention: bool) -> Pass;
    /// `[layer][head]` copying scores over `tokens` ([`LeanNet::copying_scores`]).
    fn copying(&self, tokens: &[u32]) -> Vec<Vec<f32>>;
}

/// The burn network on its device.
pub struct BurnNet<'a> {
    pub net: &'a Transformer,
    pub device: &'a Device,
}

impl Probed for BurnNet<'_> {
    fn block_size(&self) -> usize {
        self.net.block_size()
    }

    fn layers_heads(&self) -> (usize, usize) {
        (self.net.n_layers(), self.net.n_heads())
    }

    fn pass(&self, rows: &[Vec<u32>], attention: bool) -> Pass {
        let out = self
            .net
            .forward(batch_tokens(rows, self.device), &ForwardOptions::default());
        let [b, s, v] = out.logits.dims();
        Pass {
            attention: if attention {
                out.attention
                    .into_iter()
                    .map(|w| {
                        let n = w.dims().iter().product::<usize>();
                        to_vec(w.reshape([n]))
                    })
                    .collect()
            } else {
                Vec::new()
            },
            logprobs: to_vec(log_softmax(out.logits, 2).reshape([b * s * v])),
            vocab: v,
        }
    }

    /// On the network's lean copy: the score reads weights only, and is written once
    /// ([`LeanNet::copying_scores`]).
    fn copying(&self, tokens: &[u32]) -> Vec<Vec<f32>> {
        LeanNet::new(&self.net.config(), self.net).copying_scores(tokens)
    }
}

impl Probed for LeanNet {
    fn block_size(&self) -> usize {
        LeanNet::block_size(self)
    }

    fn layers_heads(&self) -> (usize, usize) {
        (self.n_layers(), self.n_heads())
    }

    fn pass(&self, rows: &[Vec<u32>], attention: bool) -> Pass {
        let (layers, vocab) = (self.n_layers(), self.vocab());
        let mut pass = Pass {
            attention: vec![Vec::new(); if attention { layers } else { 0 }],
            logprobs: Vec::with_capacity(rows.len() * rows[0].len() * vocab),
            vocab,
        };
        let mut cache = self.cache();
        for row in rows {
            cache.clear();
            let keep = attention.then_some(Keep::All);
            let out = self.forward(&mut cache, row, true, keep);
            // Each row's `[heads, seq, seq]` after the rows before it: `[batch, heads, seq, seq]`.
            for (all, w) in pass.attention.iter_mut().zip(out.attention) {
                all.extend(w);
            }
            for logits in out.logits.chunks_exact(vocab) {
                let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
                let lse = max + logits.iter().map(|x| (x - max).exp()).sum::<f32>().ln();
                pass.logprobs.extend(logits.iter().map(|x| x - lse));
            }
        }
        pass
    }

    fn copying(&self, tokens: &[u32]) -> Vec<Vec<f32>> {
        self.copying_scores(tokens)
    }
}
