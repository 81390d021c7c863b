//! A ready-to-run model: its config, its alphabet and its network on one device.

use burn::module::Module;
use burn::tensor::Device;

use crate::config::{ConfigError, ModelConfig};
use crate::tokenizer::Tokenizer;
use crate::transformer::Transformer;

/// Config, tokenizer and weights that belong together.
#[derive(Debug, Clone)]
pub struct Model {
    pub config: ModelConfig,
    pub tokenizer: Tokenizer,
    pub net: Transformer,
    pub device: Device,
}

impl Model {
    /// A model with random weights, reproducible from `seed`.
    pub fn random(config: ModelConfig, seed: u64, device: &Device) -> Result<Self, ConfigError> {
        config.validate()?;
        let tokenizer = Tokenizer::default();
        if config.vocab_size != tokenizer.vocab_size() {
            return Err(ConfigError::Invalid(format!(
                "vocab_size {} does not match the alphabet ({})",
                config.vocab_size,
                tokenizer.vocab_size()
            )));
        }
        let net = config.init_seeded(device, seed);
        Ok(Self {
            config,
            tokenizer,
            net,
            device: device.clone(),
        })
    }

    /// Number of trainable parameters.
    pub fn num_params(&self) -> usize {
        self.net.num_params()
    }
}
