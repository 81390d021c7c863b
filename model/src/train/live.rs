//! Live training: attention-only models small enough to train in a browser tab, where the
//! 2-layer model's induction head forms within a minute and the 1-layer control's cannot (it
//! has no earlier layer to find the previous token). Their shapes and settings were chosen
//! from native probes (`icl live-probe`; the figures are in `docs/PERFORMANCE.md`).

use burn::tensor::Device;
use serde::{Deserialize, Serialize};

use crate::eval::metrics::{HEAD_PROBE, HeadScores, repeated_string};
use crate::net::tensors::{batch_tokens, to_vec};
use crate::net::transformer::{ForwardOptions, Transformer};

use crate::net::config::{ModelConfig, Positional};
use crate::net::tokenizer::Tokenizer;
use crate::train::config::{RunPreset, TrainConfig};

/// The top induction score at which the page says the induction head formed.
pub const PHASE_CHANGE_INDUCTION: f32 = 0.4;

/// A live preset: the model's shape and the run's settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Live {
    pub n_layers: usize,
    pub n_heads: usize,
    pub d_model: usize,
    /// Window (characters, `<bos>` included).
    pub block: usize,
    pub batch: usize,
    pub lr: f64,
    pub warmup: usize,
    /// Steps of the schedule (training can go on past them at the last rate).
    pub steps: usize,
    /// Share of repeated random strings; the rest are few-shot episodes of the tasks.
    pub induction_fraction: f32,
}

impl Live {
    /// The 2-layer model, where the induction head forms.
    pub const TWO: Live = Live {
        n_layers: 2,
        n_heads: 4,
        d_model: 64,
        block: 64,
        batch: 16,
        lr: 3e-3,
        warmup: 50,
        steps: 2000,
        induction_fraction: 0.75,
    };

    /// The 1-layer control.
    pub const ONE: Live = Live {
        n_layers: 1,
        ..Live::TWO
    };

    /// The 1-layer control for `n_layers == 1`, otherwise the 2-layer model.
    pub fn for_layers(n_layers: usize) -> Live {
        if n_layers == 1 { Live::ONE } else { Live::TWO }
    }

    /// Its model's shape.
    pub fn model_config(&self) -> ModelConfig {
        ModelConfig::new(
            self.n_layers,
            self.n_heads,
            self.d_model,
            0,
            self.block,
            Tokenizer::default().vocab_size(),
        )
        .with_attention_only(true)
        .with_positional(Positional::Rotary)
    }

    /// Its run's settings from `seed`.
    pub fn train_config(&self, seed: u64) -> TrainConfig {
        let base = TrainConfig::for_preset("attn2").expect("attn2 is a preset");
        TrainConfig {
            preset: RunPreset::Live(self.n_layers),
            steps: self.steps,
            batch_size: self.batch,
            lr: self.lr,
            warmup: self.warmup,
            seed,
            induction_fraction: self.induction_fraction,
            block_size: Some(self.block),
            ..base
        }
    }

    /// Tokens one step trains on.
    pub fn tokens_per_step(&self) -> usize {
        self.batch * (self.block - 1)
    }
}

/// Where the head with the top induction score in `scores` looks on one repeated random string
/// (`<bos> r r`, the head probe's first seed): `(layer, head, size, weights)` with the
/// `size × size` weights row by row.
pub fn top_induction_pattern(
    net: &Transformer,
    device: &Device,
    scores: &HeadScores,
) -> Option<(usize, usize, usize, Vec<f32>)> {
    let (layer, head) = scores
        .induction
        .iter()
        .enumerate()
        .flat_map(|(l, hs)| hs.iter().enumerate().map(move |(h, &s)| (l, h, s)))
        .max_by(|a, b| a.2.total_cmp(&b.2))
        .map(|(l, h, _)| (l, h))?;
    let ids = repeated_string(HEAD_PROBE.seed, (net.block_size() - 1) / 2);
    let out = net.forward(
        batch_tokens(std::slice::from_ref(&ids), device),
        &ForwardOptions::default(),
    );
    let w = out.attention.into_iter().nth(layer)?;
    let [_, heads, size, kv] = w.dims();
    if head >= heads || size != kv {
        return None;
    }
    let all = to_vec(w.reshape([heads * size * kv]));
    let one = all[head * size * size..(head + 1) * size * size].to_vec();
    Some((layer, head, size, one))
}
