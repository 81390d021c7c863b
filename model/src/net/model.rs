//! A ready-to-run model: its config, its alphabet and its network on one device, and the lean
//! copy of its weights that generation and scoring run on, built once.
//!
//! Two types: [`LeanModel`] is what the page's panels run (generation, scoring, attention, head
//! scores), plain numbers with no tensor library, so the page's inference worker carries none;
//! [`Model`] adds the burn network that training and the reference forward use, and reads as
//! its lean copy wherever a [`LeanModel`] is asked for.

use std::ops::Deref;
use std::sync::{Arc, OnceLock};

use burn::module::Module;
use burn::tensor::Device;

use crate::net::config::{ConfigError, ModelConfig};
use crate::net::lean::LeanNet;
use crate::net::tokenizer::Tokenizer;
use crate::net::transformer::{HeadMask, Transformer};

/// Config, alphabet and the lean network: everything the page's panels run.
#[derive(Debug, Clone)]
pub struct LeanModel {
    pub config: ModelConfig,
    pub tokenizer: Tokenizer,
    net: Arc<LeanNet>,
}

impl LeanModel {
    /// A model from its parts.
    pub fn new(config: ModelConfig, tokenizer: Tokenizer, net: LeanNet) -> Self {
        Self {
            config,
            tokenizer,
            net: Arc::new(net),
        }
    }

    /// The network's weights in plain buffers.
    pub fn lean(&self) -> &LeanNet {
        &self.net
    }

    /// The same model with the heads `mask` switches off zeroed in the weights.
    pub fn with_heads_ablated(&self, mask: &HeadMask) -> Self {
        Self::new(
            self.config.clone(),
            self.tokenizer.clone(),
            self.net.with_heads_ablated(mask),
        )
    }

    /// Number of trainable parameters.
    pub fn num_params(&self) -> usize {
        self.config.param_count() as usize
    }
}

/// Config, tokenizer and weights that belong together.
///
/// The fields are read freely; a model with other weights is made with [`Model::new`] or
/// [`Model::with_heads_ablated`], so that its lean copy is never the old weights'.
#[derive(Debug, Clone)]
pub struct Model {
    pub config: ModelConfig,
    pub tokenizer: Tokenizer,
    pub net: Transformer,
    pub device: Device,
    /// The lean copy ([`crate::net::lean`]), made on first use and shared by clones.
    lean: Arc<OnceLock<LeanModel>>,
}

impl Model {
    /// A model from its parts.
    pub fn new(
        config: ModelConfig,
        tokenizer: Tokenizer,
        net: Transformer,
        device: Device,
    ) -> Self {
        Self {
            config,
            tokenizer,
            net,
            device,
            lean: Arc::default(),
        }
    }

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
        Ok(Self::new(config, tokenizer, net, device.clone()))
    }

    /// The same model with the heads `mask` switches off zeroed in the weights.
    pub fn with_heads_ablated(&self, mask: &HeadMask) -> Self {
        Self::new(
            self.config.clone(),
            self.tokenizer.clone(),
            self.net.clone().with_heads_ablated(mask),
            self.device.clone(),
        )
    }

    /// The lean copy of the model, built the first time it is asked for.
    pub fn lean_model(&self) -> &LeanModel {
        self.lean.get_or_init(|| {
            LeanModel::new(
                self.config.clone(),
                self.tokenizer.clone(),
                LeanNet::new(&self.config, &self.net),
            )
        })
    }

    /// The lean copy of the weights, built the first time it is asked for.
    pub fn lean(&self) -> &LeanNet {
        self.lean_model().lean()
    }

    /// Number of trainable parameters.
    pub fn num_params(&self) -> usize {
        self.net.num_params()
    }
}

/// A model runs wherever its lean copy is asked for.
impl Deref for Model {
    type Target = LeanModel;

    fn deref(&self) -> &LeanModel {
        self.lean_model()
    }
}

impl AsRef<LeanModel> for LeanModel {
    fn as_ref(&self) -> &LeanModel {
        self
    }
}

impl AsRef<LeanModel> for Model {
    fn as_ref(&self) -> &LeanModel {
        self.lean_model()
    }
}
