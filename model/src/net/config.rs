//! Model hyper-parameters and the named presets of the model zoo.

use burn::config::Config;

use crate::net::tokenizer::Tokenizer;

/// How the model knows where a token sits.
#[derive(Config, Debug, PartialEq, Eq, Copy)]
pub enum Positional {
    /// Rotary position embeddings on queries and keys (attention sees relative offsets).
    Rotary,
    /// A learned embedding per absolute position, added to the token embedding.
    Learned,
}

/// Shape of a decoder-only transformer.
#[derive(Config, Debug, PartialEq)]
pub struct ModelConfig {
    /// Number of transformer blocks.
    pub n_layers: usize,
    /// Attention heads per block.
    pub n_heads: usize,
    /// Width of the residual stream; a multiple of `n_heads`.
    pub d_model: usize,
    /// Hidden width of each MLP (ignored when `attention_only`).
    pub d_ff: usize,
    /// Longest sequence the model reads at once, `<bos>` included.
    pub block_size: usize,
    /// Number of token ids the embedding and the unembedding cover.
    pub vocab_size: usize,
    /// Blocks without MLPs: only attention writes to the residual stream.
    #[config(default = false)]
    pub attention_only: bool,
    /// Position scheme.
    #[config(default = "Positional::Rotary")]
    pub positional: Positional,
}

/// Errors in a configuration read from a file or a command line.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("unknown preset {0:?}; known presets: {known}", known = Preset::names().join(", "))]
    UnknownPreset(String),
    #[error("invalid model config: {0}")]
    Invalid(String),
}

/// The zoo's models.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Preset {
    /// 1 layer, attention only: cannot form an induction head.
    Attn1,
    /// 2 layers, attention only: the smallest model that can.
    Attn2,
    /// 4 layers with MLPs: recognises the tasks it was trained on.
    Base,
    /// 5 layers with MLPs, meta-trained on a space of string programs: learns a rule from the
    /// examples.
    Learner,
}

impl Preset {
    pub const ALL: [Preset; 4] = [Preset::Attn1, Preset::Attn2, Preset::Base, Preset::Learner];

    /// The name the command line, the manifest and the curves use.
    pub const fn name(self) -> &'static str {
        match self {
            Preset::Attn1 => "attn1",
            Preset::Attn2 => "attn2",
            Preset::Base => "base",
            Preset::Learner => "learner",
        }
    }

    /// Every preset's name.
    pub fn names() -> Vec<&'static str> {
        Self::ALL.iter().map(|p| p.name()).collect()
    }

    /// The preset called `name`.
    pub fn from_name(name: &str) -> Result<Self, ConfigError> {
        Self::ALL
            .into_iter()
            .find(|p| p.name() == name)
            .ok_or_else(|| ConfigError::UnknownPreset(name.to_string()))
    }

    /// Whether the preset's blocks have no MLPs.
    pub fn attention_only(self) -> bool {
        matches!(self, Preset::Attn1 | Preset::Attn2)
    }

    /// Its shape, with the default alphabet.
    pub fn config(self) -> ModelConfig {
        let vocab = Tokenizer::default().vocab_size();
        let c = match self {
            // A 128-character window: the induction phase change came after ~700 steps here,
            // against no sign of it in 2,000 steps with 256.
            Preset::Attn1 => ModelConfig::new(1, 4, 64, 0, 128, vocab),
            Preset::Attn2 => ModelConfig::new(2, 4, 64, 0, 128, vocab),
            Preset::Base => ModelConfig::new(4, 4, 128, 512, 256, vocab),
            // One layer deeper than base: rules of up to three steps; its f16 checkpoints are
            // 1.8 MB each and its k = 0…8 sweep about 1.25× base's.
            Preset::Learner => ModelConfig::new(5, 4, 128, 512, 256, vocab),
        };
        c.with_attention_only(self.attention_only())
    }
}

impl std::fmt::Display for Preset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Upper bounds a loaded config must respect, so a crafted file cannot make the page allocate
/// gigabytes before anything is checked.
const MAX_DIM: usize = 4096;
const MAX_LAYERS: usize = 64;
const MAX_BLOCK: usize = 8192;

impl ModelConfig {
    /// The preset called `name` ([`Preset`]) with the default alphabet.
    pub fn preset(name: &str) -> Result<Self, ConfigError> {
        Ok(Preset::from_name(name)?.config())
    }

    /// Width of one head.
    pub fn d_head(&self) -> usize {
        self.d_model / self.n_heads.max(1)
    }

    /// Checks the invariants the model relies on.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let bad = |m: &str| Err(ConfigError::Invalid(m.to_string()));
        if self.n_layers == 0 || self.n_layers > MAX_LAYERS {
            return bad("n_layers must be in 1..=64");
        }
        if self.n_heads == 0 || self.d_model == 0 || !self.d_model.is_multiple_of(self.n_heads) {
            return bad("d_model must be a positive multiple of n_heads");
        }
        if self.d_model > MAX_DIM || self.d_ff > 4 * MAX_DIM {
            return bad("d_model or d_ff too large");
        }
        if self.positional == Positional::Rotary && !self.d_head().is_multiple_of(2) {
            return bad("rotary positions need an even head width");
        }
        if !self.attention_only && self.d_ff == 0 {
            return bad("d_ff must be positive when the model has MLPs");
        }
        if self.block_size < 2 || self.block_size > MAX_BLOCK {
            return bad("block_size must be in 2..=8192");
        }
        if self.vocab_size < 3 || self.vocab_size > 1 << 16 {
            return bad("vocab_size must be in 3..=65536");
        }
        Ok(())
    }

    /// Number of parameters a model of this shape has (matches `Module::num_params`).
    /// Computed in `u64` so that even a crafted config cannot overflow on 32-bit wasm.
    pub fn param_count(&self) -> u64 {
        let [d, ff, v, block, layers] = [
            self.d_model,
            self.d_ff,
            self.vocab_size,
            self.block_size,
            self.n_layers,
        ]
        .map(|x| x as u64);
        let ln = 2 * d;
        let attn = 4 * d * d;
        let mlp = if self.attention_only {
            0
        } else {
            ln + d * ff + ff + ff * d + d
        };
        let pos = match self.positional {
            Positional::Learned => block * d,
            Positional::Rotary => 0,
        };
        v * d + pos + layers * (ln + attn + mlp) + ln + d * v
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn presets_are_valid_and_unknown_names_are_errors() {
        for name in Preset::names() {
            ModelConfig::preset(name).unwrap().validate().unwrap();
        }
        for p in Preset::ALL {
            assert_eq!(Preset::from_name(p.name()), Ok(p));
            assert_eq!(p.config().attention_only, p.attention_only());
        }
        assert!(ModelConfig::preset("attn1").unwrap().attention_only);
        assert!(ModelConfig::preset("base").unwrap().n_layers >= 4);
        assert_eq!(
            ModelConfig::preset("big"),
            Err(ConfigError::UnknownPreset("big".into()))
        );
    }

    #[test]
    fn invalid_shapes_are_rejected() {
        let c = ModelConfig::preset("attn2").unwrap();
        assert!(
            ModelConfig {
                n_heads: 3,
                ..c.clone()
            }
            .validate()
            .is_err()
        );
        assert!(
            ModelConfig {
                block_size: 1,
                ..c.clone()
            }
            .validate()
            .is_err()
        );
        assert!(c.clone().with_attention_only(false).validate().is_err());
        assert!(
            ModelConfig {
                d_model: 1 << 20,
                ..c
            }
            .validate()
            .is_err()
        );
    }
}
