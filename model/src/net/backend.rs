//! Choosing the tensor backend at run time: burn-flex, burn-ndarray or (with the `gpu`
//! feature) burn's Vulkan backend.
//!
//! flex and ndarray compile natively and to wasm32; the benchmarks decide the default per
//! target. ndarray is behind the `ndarray-backend` feature (on for the command line and the
//! benchmarks), so the web worker, which runs flex, does not carry it. Vulkan is behind the
//! `gpu` feature, built only for training on a machine with a GPU (`docs/TRAINING.md`); the
//! device is made here, so every command of the `icl` CLI can run on it.

use std::fmt;
use std::str::FromStr;

use burn::tensor::Device;
use serde::{Deserialize, Serialize};

/// A tensor backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    /// burn-flex: burn's current pure-Rust CPU backend.
    #[default]
    Flex,
    /// burn-ndarray: deprecated upstream, kept for comparison in the benchmarks.
    #[cfg(feature = "ndarray-backend")]
    Ndarray,
    /// burn's Vulkan backend (cubecl-wgpu, SPIR-V) with fusion and autotune: training on a GPU.
    #[cfg(feature = "gpu")]
    Vulkan,
}

impl Backend {
    /// Every backend this build has, for benchmarks and tests.
    pub const ALL: &'static [Backend] = &[
        Backend::Flex,
        #[cfg(feature = "ndarray-backend")]
        Backend::Ndarray,
        #[cfg(feature = "gpu")]
        Backend::Vulkan,
    ];

    /// The names `FromStr` accepts in this build, for messages.
    pub fn names() -> String {
        Self::ALL
            .iter()
            .map(|b| b.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// A device of this backend.
    pub fn device(self) -> Device {
        match self {
            Backend::Flex => Device::flex(),
            #[cfg(feature = "ndarray-backend")]
            #[allow(deprecated)]
            Backend::Ndarray => Device::ndarray(),
            #[cfg(feature = "gpu")]
            Backend::Vulkan => Device::vulkan(burn::tensor::DeviceKind::DefaultDevice),
        }
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Backend::Flex => "flex",
            #[cfg(feature = "ndarray-backend")]
            Backend::Ndarray => "ndarray",
            #[cfg(feature = "gpu")]
            Backend::Vulkan => "vulkan",
        })
    }
}

/// A backend name this build cannot make.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BackendError {
    #[cfg(not(feature = "gpu"))]
    #[error(
        "backend \"vulkan\" is not in this build: build icl with `--features gpu` (docs/TRAINING.md)"
    )]
    NotBuilt,
    #[error("unknown backend {0:?} (use {names})", names = Backend::names())]
    Unknown(String),
}

impl FromStr for Backend {
    type Err = BackendError;
    fn from_str(s: &str) -> Result<Self, BackendError> {
        match s {
            "flex" => Ok(Backend::Flex),
            #[cfg(feature = "ndarray-backend")]
            "ndarray" => Ok(Backend::Ndarray),
            #[cfg(feature = "gpu")]
            "vulkan" => Ok(Backend::Vulkan),
            #[cfg(not(feature = "gpu"))]
            "vulkan" => Err(BackendError::NotBuilt),
            _ => Err(BackendError::Unknown(s.to_string())),
        }
    }
}

#[cfg(all(test, feature = "ndarray-backend"))]
mod tests {
    use super::*;
    use crate::net::config::ModelConfig;
    use crate::net::model::Model;
    use crate::net::weights::{DType, from_bytes, to_bytes};
    use std::collections::BTreeMap;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn both_backends_decode_the_same_greedy_tokens() {
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
            let mut d = crate::bench::reference::Burn::decoder(&m.net, &m.device, None);
            let mut step = d.prefill(&m.tokenizer.encode("hello").ids);
            let mut out = Vec::new();
            for _ in 0..8 {
                let id = (0..step.logits.len())
                    .max_by(|&i, &j| step.logits[i].total_cmp(&step.logits[j]))
                    .unwrap() as u32;
                out.push((id, step.logits.clone()));
                step = d.push(id);
            }
            out
        };
        let (f, n) = (run(Backend::Flex), run(Backend::Ndarray));
        for ((a, la), (b, lb)) in f.iter().zip(&n) {
            assert_eq!(a, b);
            let diff = la
                .iter()
                .zip(lb)
                .map(|(x, y)| (x - y).abs())
                .fold(0.0, f32::max);
            assert!(diff < 1e-4, "flex and ndarray logits differ by {diff}");
        }
        assert_eq!("ndarray".parse::<Backend>(), Ok(Backend::Ndarray));
        assert!("gpu".parse::<Backend>().is_err());
    }
}
