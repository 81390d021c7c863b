//! The burn network's decoder and scorer: references the lean path (what the page runs) is
//! tested against, and the benchmarks' `flex` rows. Inference and scoring in the product
//! run on the lean path only; training runs on burn.

use burn::tensor::Device;

use crate::net::decoding::{Decoder, Forward, Step};
use crate::net::model::Model;
use crate::net::sampling::{Score, ScoreRow, score_row};
use crate::net::tensors::{batch_tokens, to_vec};
use crate::net::tokenizer::BOS;
use crate::net::transformer::{ForwardOptions, HeadMask, LayerKv, Transformer};

/// The burn network with its tensor KV cache (batch 1), as a [`Forward`].
#[derive(Debug)]
pub struct Burn<'a> {
    net: &'a Transformer,
    device: Device,
    head_mask: Option<HeadMask>,
    cache: Vec<LayerKv>,
}

impl<'a> Burn<'a> {
    /// A decoder on the burn network, with an empty cache.
    pub fn decoder(
        net: &'a Transformer,
        device: &Device,
        head_mask: Option<HeadMask>,
    ) -> Decoder<'a, Burn<'a>> {
        Decoder::on(Burn {
            net,
            device: device.clone(),
            head_mask,
            cache: net.empty_cache(1, device),
        })
    }
}

impl Forward for Burn<'_> {
    fn block_size(&self) -> usize {
        self.net.block_size()
    }

    fn run(&mut self, ids: &[u32], start: usize) -> Step {
        let opts = ForwardOptions {
            head_mask: self.head_mask.as_ref(),
            residuals: false,
        };
        let tokens = batch_tokens(&[ids.to_vec()], &self.device);
        let out = self
            .net
            .forward_at(tokens, start, Some(&mut self.cache), &opts);
        let [_, s, vocab] = out.logits.dims();
        let logits = out.logits.slice([0..1, s - 1..s, 0..vocab]);
        let attention = out
            .attention
            .into_iter()
            .map(|w| {
                let [_, h, _, kv] = w.dims();
                to_vec(w.slice([0..1, 0..h, s - 1..s, 0..kv]).reshape([h * kv]))
            })
            .collect();
        Step {
            logits: to_vec(logits.reshape([vocab])),
            attention,
        }
    }
}

/// Rows scored in one burn forward pass (bounds the attention maps'
/// memory). The burn engine pads rows on the right; causal attention keeps the padding from
/// changing any scored position. The lean engine reads rows without padding, several at once.
const SCORE_CHUNK: usize = 8;

/// The burn network's [`crate::net::sampling::Scorer`]: padded rows, a few per forward pass.
pub fn score_burn(model: &Model, rows: &[&ScoreRow]) -> Vec<Score> {
    let vocab = model.config.vocab_size;
    let mut out = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(SCORE_CHUNK) {
        let len = chunk
            .iter()
            .map(|(ids, _)| ids.len() - 1)
            .max()
            .unwrap_or(1);
        let inputs: Vec<Vec<u32>> = chunk
            .iter()
            .map(|(ids, _)| {
                let mut v = ids[..ids.len() - 1].to_vec();
                v.resize(len, BOS);
                v
            })
            .collect();
        let logits = model
            .net
            .forward(
                batch_tokens(&inputs, &model.device),
                &ForwardOptions::default(),
            )
            .logits;
        let logits = to_vec(logits.reshape([inputs.len() * len * vocab]));
        for (b, (ids, first)) in chunk.iter().enumerate() {
            let row = &logits[b * len * vocab..(b + 1) * len * vocab];
            out.push(score_row(ids, *first, row, vocab));
        }
    }
    out
}
