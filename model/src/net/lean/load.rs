//! The lean network made from named tensors (a weight file's, or a burn network's), without
//! burn: the page's inference worker reads weight files this way, so it carries no tensor
//! library. The names and shapes are the burn network's ([`crate::net::transformer`]); a
//! tensor that is missing, misshapen or left over is the same [`WeightsError`] the burn loader
//! gives.

use std::collections::BTreeMap;

use super::{Dense, LeanBlock, LeanNet, Norm, Part};
use crate::net::config::{ModelConfig, Positional};
use crate::net::transformer::rotary_tables;
use crate::net::weights::error::{WeightsError, not_in_model};

/// Tensors by name: shape and values.
pub type NamedTensors = BTreeMap<String, (Vec<usize>, Vec<f32>)>;

/// Takes tensors out by name, checking their shapes.
struct Take(NamedTensors);

impl Take {
    fn take(&mut self, name: &str, shape: &[usize]) -> Result<Vec<f32>, WeightsError> {
        let problem = match self.0.remove(name) {
            Some((s, values)) if s == shape => return Ok(values),
            Some((s, _)) => format!("shape {s:?} in the file, {shape:?} in the model"),
            None => "missing from the file".to_string(),
        };
        Err(WeightsError::Tensor {
            name: name.to_string(),
            problem,
        })
    }

    /// A linear map `[d_in, d_out]`, with its bias when the network has one.
    fn linear(
        &mut self,
        name: &str,
        (d_in, d_out): (usize, usize),
        bias: bool,
    ) -> Result<Part, WeightsError> {
        let w = self.take(&format!("{name}.weight"), &[d_in, d_out])?;
        let b = if bias {
            Some(self.take(&format!("{name}.bias"), &[d_out])?)
        } else {
            None
        };
        Ok(Part { w, bias: b, d_out })
    }

    /// A layer norm's scale and shift.
    fn norm(&mut self, name: &str, d: usize) -> Result<Norm, WeightsError> {
        let gamma = self.take(&format!("{name}.gamma"), &[d])?;
        let beta = self.take(&format!("{name}.beta"), &[d])?;
        Ok(Norm::new(gamma, Some(beta)))
    }

    /// Errs on the first tensor nothing took.
    fn finish(self) -> Result<(), WeightsError> {
        match self.0.keys().next() {
            Some(name) => Err(not_in_model(name)),
            None => Ok(()),
        }
    }
}

impl LeanNet {
    /// The network `config` describes, with the weights `tensors` name.
    pub fn from_tensors(config: &ModelConfig, tensors: NamedTensors) -> Result<Self, WeightsError> {
        let (d, ff, vocab) = (config.d_model, config.d_ff, config.vocab_size);
        let mut t = Take(tensors);
        let tok_emb = t.take("tok_emb.weight", &[vocab, d])?;
        // In the burn network's order, so that the first problem reported is the same.
        let pos_emb = match config.positional {
            Positional::Learned => Some(t.take("pos_emb.weight", &[config.block_size, d])?),
            Positional::Rotary => None,
        };
        let mut blocks = Vec::with_capacity(config.n_layers);
        for l in 0..config.n_layers {
            let at = |part: &str| format!("blocks.{l}.{part}");
            // Attention projections have no bias; the MLP's have.
            let ln1 = t.norm(&at("ln1"), d)?;
            let q = t.linear(&at("attn.query"), (d, d), false)?;
            let k = t.linear(&at("attn.key"), (d, d), false)?;
            let v = t.linear(&at("attn.value"), (d, d), false)?;
            let out = t.linear(&at("attn.output"), (d, d), false)?;
            let mlp = if config.attention_only {
                None
            } else {
                let ln2 = t.norm(&at("ln2"), d)?;
                let up = t.linear(&at("mlp.up"), (d, ff), true)?;
                let down = t.linear(&at("mlp.down"), (ff, d), true)?;
                Some((ln2, Dense::fused(d, &[up]), Dense::fused(ff, &[down])))
            };
            blocks.push(LeanBlock {
                ln1,
                qkv: Dense::fused(d, &[q, k, v]),
                out: Dense::fused(d, &[out]),
                mlp,
            });
        }
        let ln_f = t.norm("ln_f", d)?;
        let lm_head = t.linear("lm_head", (d, vocab), false)?;
        t.finish()?;
        let rotary = (config.positional == Positional::Rotary)
            .then(|| rotary_tables(0..config.block_size, config.d_head()));
        Ok(Self {
            d,
            n_heads: config.n_heads,
            d_head: config.d_head(),
            d_ff: ff,
            vocab,
            block_size: config.block_size,
            tok_emb,
            pos_emb,
            rotary,
            blocks,
            ln_f,
            lm_head: Dense::fused(d, &[lm_head]),
        })
    }
}
