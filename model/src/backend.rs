//! Choosing the CPU backend at run time: burn-flex or burn-ndarray.
//!
//! Both compile natively and to wasm32; the benchmarks decide the default per target.

use std::fmt;
use std::str::FromStr;

use burn::tensor::Device;
use serde::{Deserialize, Serialize};

/// A CPU tensor backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    /// burn-flex: burn's current pure-Rust CPU backend.
    #[default]
    Flex,
    /// burn-ndarray: deprecated upstream, kept because it measured faster in wasm.
    Ndarray,
}

impl Backend {
    /// Both backends, for benchmarks and tests.
    pub const ALL: [Backend; 2] = [Backend::Flex, Backend::Ndarray];

    /// A device of this backend.
    pub fn device(self) -> Device {
        match self {
            Backend::Flex => Device::flex(),
            #[allow(deprecated)]
            Backend::Ndarray => Device::ndarray(),
        }
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Backend::Flex => "flex",
            Backend::Ndarray => "ndarray",
        })
    }
}

impl FromStr for Backend {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "flex" => Ok(Backend::Flex),
            "ndarray" => Ok(Backend::Ndarray),
            _ => Err(format!("unknown backend {s:?} (use flex or ndarray)")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ModelConfig;
    use crate::model::Model;
    use crate::sampling::{SamplingConfig, complete};
    use crate::weights::{DType, from_bytes, to_bytes};
    use std::collections::BTreeMap;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn both_backends_give_the_same_greedy_completion() {
        let cfg = ModelConfig {
            block_size: 32,
            ..ModelConfig::preset("attn2").unwrap()
        };
        // The same weights on both backends (random init differs per backend's RNG).
        let bytes = to_bytes(
            &Model::random(cfg, 5, &Device::flex()).unwrap(),
            DType::F32,
            &BTreeMap::new(),
        );
        let run = |b: Backend| {
            let (m, _) = from_bytes(&bytes, &b.device()).unwrap();
            let s = SamplingConfig {
                max_new_tokens: 8,
                stop: vec![],
                ..SamplingConfig::default()
            };
            complete(&m, "hello", s, None).unwrap()
        };
        let (f, n) = (run(Backend::Flex), run(Backend::Ndarray));
        assert_eq!(f.text, n.text);
        for (a, b) in f.tokens.iter().zip(&n.tokens) {
            assert!((a.prob - b.prob).abs() < 1e-4);
        }
        assert_eq!("ndarray".parse::<Backend>(), Ok(Backend::Ndarray));
        assert!("gpu".parse::<Backend>().is_err());
    }
}
