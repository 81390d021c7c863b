//! A decoder-only, pre-norm, causal transformer (GPT-2 shaped, optional rotary positions).
//!
//! Attention is written by hand, so every layer's attention pattern comes back with the logits
//! and any set of heads can be ablated. References: Vaswani et al. 2017; Radford et al. 2019;
//! Su et al. 2021 (rotary positions); Elhage et al. 2021 (attention-only transformers).
//!
//! Long because the network, its initialisation, rotary positions and head ablation are one
//! model and are read together.

use burn::module::{Module, ModuleVisitor, Param};
use burn::nn::{
    Embedding, EmbeddingConfig, Initializer, LayerNorm, LayerNormConfig, Linear, LinearConfig,
};
use burn::tensor::activation::{gelu, softmax};
use burn::tensor::{Bool, Device, Int, Tensor, TensorData};

use crate::net::config::{ModelConfig, Positional};

/// Standard deviation of the initial embeddings.
const EMBED_STD: f64 = 1.0;

/// Fan-in initialisation: `N(0, 1/d_in)` keeps activations at unit scale. (GPT-2's fixed 0.02
/// is tuned for d_model 768; at d_model 64 it leaves attention uniform for hundreds of steps.)
fn fan_in(d_in: usize) -> f64 {
    1.0 / (d_in as f64).sqrt()
}
/// Rotary base frequency (Su et al. 2021).
const ROPE_BASE: f32 = 10_000.0;

/// The whole network: embeddings, blocks, final norm, unembedding.
#[derive(Module, Debug)]
pub struct Transformer {
    pub tok_emb: Embedding,
    pub pos_emb: Option<Embedding>,
    pub blocks: Vec<Block>,
    pub ln_f: LayerNorm,
    pub lm_head: Linear,
    n_heads: usize,
    block_size: usize,
}

/// One pre-norm block: `x + attn(ln1(x))`, then `x + mlp(ln2(x))` when it has an MLP.
#[derive(Module, Debug)]
pub struct Block {
    pub ln1: LayerNorm,
    pub attn: Attention,
    pub ln2: Option<LayerNorm>,
    pub mlp: Option<Mlp>,
}

/// Multi-head causal self-attention with separate Q, K, V, O projections (no biases, so an
/// ablated head contributes exactly zero).
#[derive(Module, Debug)]
pub struct Attention {
    pub query: Linear,
    pub key: Linear,
    pub value: Linear,
    pub output: Linear,
    n_heads: usize,
    d_head: usize,
    rotary: bool,
}

/// The position-wise MLP of a block.
#[derive(Module, Debug)]
pub struct Mlp {
    pub up: Linear,
    pub down: Linear,
}

/// Options of one forward pass.
#[derive(Debug, Clone, Default)]
pub struct ForwardOptions<'a> {
    /// Heads to ablate; `None` keeps all.
    pub head_mask: Option<&'a HeadMask>,
    /// Also return the residual stream after each block (for a logit lens).
    pub residuals: bool,
}

/// Everything one forward pass returns.
#[derive(Debug, Clone)]
pub struct ForwardOutput {
    /// `[batch, seq, vocab]` next-token logits.
    pub logits: Tensor<3>,
    /// Per layer, `[batch, n_heads, seq, kv]` attention weights (rows sum to 1; `kv` is `seq`
    /// for a full forward and the cached length for a decode step).
    pub attention: Vec<Tensor<4>>,
    /// Per layer, `[batch, seq, d_model]` residual stream after the block, if asked for.
    pub residuals: Option<Vec<Tensor<3>>>,
}

/// Keys and values of one layer for positions `0..capacity`, filled up to the decoder's length.
#[derive(Debug, Clone)]
pub struct LayerKv {
    /// `[batch, n_heads, capacity, d_head]`.
    pub k: Tensor<4>,
    /// `[batch, n_heads, capacity, d_head]`.
    pub v: Tensor<4>,
}

/// Which heads contribute to the residual stream. An ablated head's output is multiplied by 0.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadMask {
    /// `keep[layer][head]`.
    keep: Vec<Vec<bool>>,
}

impl HeadMask {
    /// A mask that keeps every head.
    pub fn all(n_layers: usize, n_heads: usize) -> Self {
        Self {
            keep: vec![vec![true; n_heads]; n_layers],
        }
    }

    /// Ablates head `head` of layer `layer` (out-of-range indices are ignored).
    pub fn ablate(mut self, layer: usize, head: usize) -> Self {
        if let Some(h) = self.keep.get_mut(layer).and_then(|l| l.get_mut(head)) {
            *h = false;
        }
        self
    }

    /// Whether a head is kept.
    pub fn keeps(&self, layer: usize, head: usize) -> bool {
        self.keep
            .get(layer)
            .and_then(|l| l.get(head))
            .copied()
            .unwrap_or(true)
    }

    /// A mask that ablates exactly `heads` (`(layer, head)` pairs; out-of-range ones ignored).
    pub fn from_ablated(n_layers: usize, n_heads: usize, heads: &[(usize, usize)]) -> Self {
        heads
            .iter()
            .fold(Self::all(n_layers, n_heads), |m, &(l, h)| m.ablate(l, h))
    }

    /// The ablated heads as `(layer, head)` pairs, in order.
    pub fn ablated(&self) -> Vec<(usize, usize)> {
        self.keep
            .iter()
            .enumerate()
            .flat_map(|(l, row)| {
                row.iter()
                    .enumerate()
                    .filter(|(_, k)| !**k)
                    .map(move |(h, _)| (l, h))
            })
            .collect()
    }

    /// Number of ablated heads.
    pub fn ablated_count(&self) -> usize {
        self.keep.iter().flatten().filter(|k| !**k).count()
    }

    /// `[1, n_heads, 1, 1]` multipliers for one layer, or `None` when the layer keeps all heads.
    fn layer_factor(&self, layer: usize, device: &Device) -> Option<Tensor<4>> {
        let keep = self.keep.get(layer)?;
        if keep.iter().all(|k| *k) {
            return None;
        }
        let v: Vec<f32> = keep.iter().map(|&k| if k { 1.0 } else { 0.0 }).collect();
        let n = v.len();
        Some(Tensor::from_data(TensorData::new(v, [1, n, 1, 1]), device))
    }
}

fn linear(d_in: usize, d_out: usize, std: f64, device: &Device) -> Linear {
    LinearConfig::new(d_in, d_out)
        .with_bias(false)
        .with_initializer(Initializer::Normal { mean: 0.0, std })
        .init(device)
}

fn embedding(n: usize, d: usize, device: &Device) -> Embedding {
    EmbeddingConfig::new(n, d)
        .with_initializer(Initializer::Normal {
            mean: 0.0,
            std: EMBED_STD,
        })
        .init(device)
}

/// Held while a network is built: burn draws initial weights lazily from one generator shared
/// by all threads, so a network built (or loaded, whose placeholders may be drawn) on one
/// thread must not draw between another's seeding and its draws.
pub(crate) fn init_lock() -> std::sync::MutexGuard<'static, ()> {
    static INIT: std::sync::Mutex<()> = std::sync::Mutex::new(());
    INIT.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl ModelConfig {
    /// The network [`ModelConfig::init`] builds after seeding the device with `seed`, the
    /// same on every call. burn draws initial weights from one generator shared by every
    /// thread, and only when a parameter is first read; so the weights are drawn here, every
    /// parameter in module order, under a process-wide lock. Two runs that start at once (the
    /// zoo trains two models side by side) would otherwise draw from each other's sequence.
    pub fn init_seeded(&self, device: &Device, seed: u64) -> Transformer {
        struct Draw;
        impl ModuleVisitor for Draw {
            fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
                let _ = param.val();
            }
        }
        let _only_one = init_lock();
        device.seed(seed);
        let net = self.init(device);
        net.visit(&mut Draw);
        net
    }

    /// Builds a randomly initialised network (fan-in initialisation) from the device's
    /// generator; [`ModelConfig::init_seeded`] for reproducible weights.
    pub fn init(&self, device: &Device) -> Transformer {
        let d = self.d_model;
        let std = fan_in(d);
        // Output projections are scaled down so the residual stream keeps its scale with depth.
        let depth = (2.0 * self.n_layers as f64).sqrt();
        let out_std = std / depth;
        let blocks = (0..self.n_layers)
            .map(|_| Block {
                ln1: LayerNormConfig::new(d).init(device),
                attn: Attention {
                    query: linear(d, d, std, device),
                    key: linear(d, d, std, device),
                    value: linear(d, d, std, device),
                    output: linear(d, d, out_std, device),
                    n_heads: self.n_heads,
                    d_head: self.d_head(),
                    rotary: self.positional == Positional::Rotary,
                },
                ln2: (!self.attention_only).then(|| LayerNormConfig::new(d).init(device)),
                mlp: (!self.attention_only).then(|| Mlp {
                    up: LinearConfig::new(d, self.d_ff)
                        .with_initializer(Initializer::Normal { mean: 0.0, std })
                        .init(device),
                    down: LinearConfig::new(self.d_ff, d)
                        .with_initializer(Initializer::Normal {
                            mean: 0.0,
                            std: fan_in(self.d_ff) / depth,
                        })
                        .init(device),
                }),
            })
            .collect();
        Transformer {
            tok_emb: embedding(self.vocab_size, d, device),
            pos_emb: (self.positional == Positional::Learned)
                .then(|| embedding(self.block_size, d, device)),
            blocks,
            ln_f: LayerNormConfig::new(d).init(device),
            lm_head: linear(d, self.vocab_size, std, device),
            n_heads: self.n_heads,
            block_size: self.block_size,
        }
    }
}

/// `cos` and `sin` of the rotary angles for `positions`, `[positions, d_head / 2]` each (the
/// lean forward reads the same tables).
pub(crate) fn rotary_tables(
    positions: std::ops::Range<usize>,
    d_head: usize,
) -> (Vec<f32>, Vec<f32>) {
    let half = d_head / 2;
    let mut cos = Vec::with_capacity(positions.len() * half);
    let mut sin = Vec::with_capacity(positions.len() * half);
    for p in positions {
        for i in 0..half {
            let theta = p as f32 * ROPE_BASE.powf(-((2 * i) as f32) / d_head as f32);
            cos.push(theta.cos());
            sin.push(theta.sin());
        }
    }
    (cos, sin)
}

/// Applies rotary embeddings to `[batch, heads, seq, d_head]` for absolute positions
/// `start..start + seq` (rotate-half form).
fn rotary(x: Tensor<4>, start: usize) -> Tensor<4> {
    let [b, h, s, dh] = x.dims();
    let half = dh / 2;
    let (cos, sin) = rotary_tables(start..start + s, dh);
    let device = x.device();
    let cos = Tensor::<4>::from_data(TensorData::new(cos, [1, 1, s, half]), &device);
    let sin = Tensor::<4>::from_data(TensorData::new(sin, [1, 1, s, half]), &device);
    let x1 = x.clone().slice([0..b, 0..h, 0..s, 0..half]);
    let x2 = x.slice([0..b, 0..h, 0..s, half..dh]);
    let r1 = x1.clone() * cos.clone() - x2.clone() * sin.clone();
    let r2 = x1 * sin + x2 * cos;
    Tensor::cat(vec![r1, r2], 3)
}

impl Transformer {
    /// The same network with the heads `mask` ablates switched off in the weights: their
    /// rows of the attention output projection are zeroed. The projections have no bias, so
    /// this equals running with the mask (tested), and every function that takes a network
    /// (generation, scoring, metrics) sees the ablation without knowing of it.
    pub fn with_heads_ablated(mut self, mask: &HeadMask) -> Transformer {
        for (layer, block) in self.blocks.iter_mut().enumerate() {
            let Some(factor) = mask.layer_factor(layer, &block.attn.output.weight.device()) else {
                continue;
            };
            let (heads, dh) = (block.attn.n_heads, block.attn.d_head);
            block.attn.output.weight = block.attn.output.weight.clone().map(|w| {
                let [d_in, d_out] = w.dims();
                // [heads, d_head, d_out] scaled per head.
                let f = factor.clone().reshape([heads, 1, 1]);
                (w.reshape([heads, dh, d_out]) * f).reshape([d_in, d_out])
            });
        }
        self
    }

    /// Number of blocks.
    pub fn n_layers(&self) -> usize {
        self.blocks.len()
    }

    /// The config that shapes this network, read from its weights' shapes (`d_ff` 0 for an
    /// attention-only network, which has no MLP to read it from).
    pub fn config(&self) -> ModelConfig {
        let [vocab_size, d_model] = self.tok_emb.weight.dims();
        let mlp = self.blocks.first().and_then(|b| b.mlp.as_ref());
        ModelConfig {
            n_layers: self.n_layers(),
            n_heads: self.n_heads,
            d_model,
            d_ff: mlp.map_or(0, |m| m.up.weight.dims()[1]),
            block_size: self.block_size,
            vocab_size,
            attention_only: mlp.is_none(),
            positional: if self.pos_emb.is_some() {
                Positional::Learned
            } else {
                Positional::Rotary
            },
        }
    }

    /// Heads per block.
    pub fn n_heads(&self) -> usize {
        self.n_heads
    }

    /// Longest sequence the network reads at once.
    pub fn block_size(&self) -> usize {
        self.block_size
    }

    /// Full causal forward over `tokens` from position 0.
    ///
    /// # Shapes
    /// - `tokens`: `[batch, seq]`, `seq <= block_size`
    /// - returns logits `[batch, seq, vocab]`, attention per layer `[batch, n_heads, seq, seq]`
    pub fn forward(&self, tokens: Tensor<2, Int>, opts: &ForwardOptions) -> ForwardOutput {
        self.forward_at(tokens, 0, None, opts)
    }

    /// Forward of `tokens` placed at positions `start..start+seq`, reading and filling `cache`
    /// when given (see [`Attention::forward`]).
    ///
    /// # Shapes
    /// - `tokens`: `[batch, seq]`, `start + seq <= block_size`
    /// - returns logits `[batch, seq, vocab]`, attention per layer `[batch, n_heads, seq, start+seq]`
    pub fn forward_at(
        &self,
        tokens: Tensor<2, Int>,
        start: usize,
        mut cache: Option<&mut [LayerKv]>,
        opts: &ForwardOptions,
    ) -> ForwardOutput {
        let [b, s] = tokens.dims();
        let device = tokens.device();
        debug_assert!(start + s <= self.block_size, "positions past block_size");
        // [batch, seq, d_model]
        let mut x = self.tok_emb.forward(tokens);
        if let Some(pos) = &self.pos_emb {
            let positions = Tensor::<1, Int>::arange(start as i64..(start + s) as i64, &device)
                .reshape([1, s])
                .expand([b, s]);
            x = x + pos.forward(positions);
        }
        let mut attention = Vec::with_capacity(self.blocks.len());
        let mut residuals = opts.residuals.then(Vec::new);
        for (layer, block) in self.blocks.iter().enumerate() {
            let factor = opts.head_mask.and_then(|m| m.layer_factor(layer, &device));
            let kv = cache.as_deref_mut().map(|c| &mut c[layer]);
            let w;
            (x, w) = block.forward(x, start, kv, factor);
            attention.push(w);
            if let Some(r) = residuals.as_mut() {
                r.push(x.clone());
            }
        }
        let logits = self.unembed(x);
        ForwardOutput {
            logits,
            attention,
            residuals,
        }
    }

    /// Final norm and unembedding of a residual stream (also the logit lens).
    ///
    /// # Shapes
    /// - `x`: `[batch, seq, d_model]` → `[batch, seq, vocab]`
    pub fn unembed(&self, x: Tensor<3>) -> Tensor<3> {
        self.lm_head.forward(self.ln_f.forward(x))
    }

    /// Fresh zeroed key/value buffers for `batch` sequences of up to `block_size` positions.
    pub fn empty_cache(&self, batch: usize, device: &Device) -> Vec<LayerKv> {
        self.blocks
            .iter()
            .map(|blk| {
                let shape = [batch, self.n_heads, self.block_size, blk.attn.d_head];
                LayerKv {
                    k: Tensor::zeros(shape, device),
                    v: Tensor::zeros(shape, device),
                }
            })
            .collect()
    }
}

impl Block {
    /// One pre-norm block: attention, then the MLP (when the block has one), each added to the
    /// residual stream. Returns the stream and the block's attention weights.
    ///
    /// # Shapes
    /// - `x`: `[batch, seq, d_model]` → `[batch, seq, d_model]`
    /// - attention: `[batch, n_heads, seq, start + seq]`
    pub fn forward(
        &self,
        x: Tensor<3>,
        start: usize,
        kv: Option<&mut LayerKv>,
        head_factor: Option<Tensor<4>>,
    ) -> (Tensor<3>, Tensor<4>) {
        let (a, w) = self
            .attn
            .forward(self.ln1.forward(x.clone()), start, kv, head_factor);
        let x = x + a;
        let x = match (&self.ln2, &self.mlp) {
            (Some(ln2), Some(mlp)) => x.clone() + mlp.forward(ln2.forward(x)),
            _ => x,
        };
        (x, w)
    }
}

impl Attention {
    /// Width of one head.
    pub fn d_head(&self) -> usize {
        self.d_head
    }

    /// `[batch, seq, d_model]` → `[batch, n_heads, seq, d_head]`.
    fn split(&self, x: Tensor<3>) -> Tensor<4> {
        let [b, s, _] = x.dims();
        x.reshape([b, s, self.n_heads, self.d_head]).swap_dims(1, 2)
    }

    /// Self-attention over `x` (`[batch, seq, d_model]`, absolute positions `start..start+seq`).
    ///
    /// With `kv`, the new keys and values are written into the cache at `start..start+seq` and
    /// the queries attend to cached positions `0..start+seq`; without it, `start` must be 0.
    ///
    /// # Shapes
    /// - returns (`[batch, seq, d_model]` output, `[batch, n_heads, seq, kv_len]` weights)
    pub fn forward(
        &self,
        x: Tensor<3>,
        start: usize,
        kv: Option<&mut LayerKv>,
        head_factor: Option<Tensor<4>>,
    ) -> (Tensor<3>, Tensor<4>) {
        let [b, s, d] = x.dims();
        let mut q = self.split(self.query.forward(x.clone()));
        let mut k = self.split(self.key.forward(x.clone()));
        let v = self.split(self.value.forward(x));
        if self.rotary {
            q = rotary(q, start);
            k = rotary(k, start);
        }
        let end = start + s;
        let (k, v) = match kv {
            Some(cache) => {
                let h = self.n_heads;
                let dh = self.d_head;
                cache.k = cache
                    .k
                    .clone()
                    .slice_assign([0..b, 0..h, start..end, 0..dh], k);
                cache.v = cache
                    .v
                    .clone()
                    .slice_assign([0..b, 0..h, start..end, 0..dh], v);
                (
                    cache.k.clone().slice([0..b, 0..h, 0..end, 0..dh]),
                    cache.v.clone().slice([0..b, 0..h, 0..end, 0..dh]),
                )
            }
            None => (k, v),
        };
        // [batch, heads, seq, kv_len]
        let mut scores = q
            .matmul(k.swap_dims(2, 3))
            .div_scalar((self.d_head as f32).sqrt());
        if s > 1 {
            // Query i sits at position start+i and may see keys 0..=start+i.
            let mask = Tensor::<2, Bool>::tril_mask([s, end], start as i64, &scores.device());
            scores = scores.mask_fill(mask.unsqueeze::<4>(), -1e9);
        }
        let weights = softmax(scores, 3);
        // [batch, heads, seq, d_head]
        let mut ctx = weights.clone().matmul(v);
        if let Some(f) = head_factor {
            ctx = ctx * f;
        }
        let ctx = ctx.swap_dims(1, 2).reshape([b, s, d]);
        (self.output.forward(ctx), weights)
    }
}

impl Mlp {
    /// # Shapes
    /// - `x`: `[batch, seq, d_model]` → `[batch, seq, d_model]`
    pub fn forward(&self, x: Tensor<3>) -> Tensor<3> {
        self.down.forward(gelu(self.up.forward(x)))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::net::tokenizer::Tokenizer;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    pub(crate) fn tiny(positional: Positional, attention_only: bool) -> (ModelConfig, Transformer) {
        let cfg = ModelConfig::new(2, 4, 32, 64, 24, Tokenizer::default().vocab_size())
            .with_attention_only(attention_only)
            .with_positional(positional);
        let device = Device::flex();
        let net = cfg.init_seeded(&device, 7);
        (cfg, net)
    }

    /// A network's config read back from its shapes is the config it was made from.
    #[test]
    fn a_network_knows_its_config() {
        for positional in [Positional::Rotary, Positional::Learned] {
            let (cfg, net) = tiny(positional, false);
            assert_eq!(net.config(), cfg);
            let (cfg, net) = tiny(positional, true);
            assert_eq!(net.config(), ModelConfig { d_ff: 0, ..cfg });
        }
    }

    /// Two threads initialising at once (as the zoo's two runs do) each get the weights a
    /// lone initialisation from their seed gives.
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn seeded_initialisation_is_the_same_when_threads_initialise_at_once() {
        let device = Device::flex();
        let small = ModelConfig::preset("attn1").unwrap();
        let big = ModelConfig::preset("base").unwrap();
        // The first and the last tensors drawn.
        let weights = |net: &Transformer| {
            let mut w = values(net.tok_emb.weight.val());
            w.extend(values(net.lm_head.weight.val()));
            w
        };
        let (want_small, want_big) = (
            weights(&small.init_seeded(&device, 0)),
            weights(&big.init_seeded(&device, 0)),
        );
        for _ in 0..4 {
            let (got_small, got_big) = std::thread::scope(|s| {
                let a = s.spawn(|| weights(&small.init_seeded(&device, 0)));
                let b = s.spawn(|| weights(&big.init_seeded(&device, 0)));
                (a.join().unwrap(), b.join().unwrap())
            });
            assert_eq!(got_small, want_small);
            assert_eq!(got_big, want_big);
        }
    }

    pub(crate) fn tokens(ids: &[u32]) -> Tensor<2, Int> {
        crate::net::tensors::batch_tokens(&[ids.to_vec()], &Device::flex())
    }

    pub(crate) fn values<const D: usize>(t: Tensor<D>) -> Vec<f32> {
        t.into_data()
            .convert::<f32>()
            .try_into_vec::<f32>()
            .unwrap()
    }

    pub(crate) fn max_abs_diff(a: &[f32], b: &[f32]) -> f32 {
        assert_eq!(a.len(), b.len());
        a.iter()
            .zip(b)
            .map(|(x, y)| (x - y).abs())
            .fold(0.0, f32::max)
    }

    /// Rotary scores depend only on the offset between query and key positions.
    #[test]
    fn rotary_scores_depend_only_on_relative_position() {
        let device = Device::flex();
        let dh = 16;
        let vals: Vec<f32> = (0..2 * dh)
            .map(|i| ((i * 37 % 11) as f32 - 5.0) / 3.0)
            .collect();
        let q =
            Tensor::<4>::from_data(TensorData::new(vals[..dh].to_vec(), [1, 1, 1, dh]), &device);
        let k =
            Tensor::<4>::from_data(TensorData::new(vals[dh..].to_vec(), [1, 1, 1, dh]), &device);
        let score = |qp: usize, kp: usize| {
            let a = values(rotary(q.clone(), qp));
            let b = values(rotary(k.clone(), kp));
            a.iter().zip(&b).map(|(x, y)| x * y).sum::<f32>()
        };
        for offset in [0, 1, 5] {
            let base = score(offset, 0);
            for start in [3, 40, 200] {
                assert!(
                    (score(start + offset, start) - base).abs() < 1e-3,
                    "offset {offset}"
                );
            }
        }
        assert!(
            (score(1, 0) - score(0, 0)).abs() > 1e-3,
            "positions change scores"
        );
        // Broadcasting over batch and heads: each row rotates like a single vector.
        let many = Tensor::<4>::from_data(
            TensorData::new(vals[..dh].repeat(6), [2, 3, 1, dh]),
            &device,
        );
        let one = values(rotary(q.clone(), 7));
        let rows = values(rotary(many, 7));
        for r in rows.chunks(dh) {
            assert!(max_abs_diff(r, &one) < 1e-6);
        }
    }

    #[test]
    fn param_count_matches_config() {
        for (pos, ao) in [(Positional::Rotary, true), (Positional::Learned, false)] {
            let (cfg, net) = tiny(pos, ao);
            assert_eq!(net.num_params() as u64, cfg.param_count());
        }
    }

    #[test]
    fn attention_is_causal_and_normalised() {
        let (_, net) = tiny(Positional::Rotary, false);
        let out = net.forward(tokens(&[0, 5, 6, 7, 8]), &ForwardOptions::default());
        assert_eq!(out.logits.dims(), [1, 5, 98]);
        assert_eq!(out.attention.len(), 2);
        let w = values(out.attention[1].clone());
        // [1, 4, 5, 5]
        for h in 0..4 {
            for q in 0..5 {
                let row = &w[(h * 5 + q) * 5..(h * 5 + q + 1) * 5];
                assert!((row.iter().sum::<f32>() - 1.0).abs() < 1e-5);
                assert!(
                    row[q + 1..].iter().all(|&x| x == 0.0),
                    "future visible: {row:?}"
                );
            }
        }
        // Changing a later token must not change earlier logits.
        let out2 = net.forward(tokens(&[0, 5, 6, 7, 9]), &ForwardOptions::default());
        let (a, b) = (values(out.logits), values(out2.logits));
        assert!(max_abs_diff(&a[..4 * 98], &b[..4 * 98]) < 1e-6);
        assert!(max_abs_diff(&a[4 * 98..], &b[4 * 98..]) > 1e-6);
    }

    #[test]
    fn ablating_in_the_weights_equals_the_mask() {
        let (cfg, net) = tiny(Positional::Rotary, true);
        let ids = [0, 40, 41, 42, 40, 41];
        let heads = [(1, 2), (0, 0), (7, 7)];
        let mask = HeadMask::from_ablated(cfg.n_layers, cfg.n_heads, &heads);
        assert_eq!(mask.ablated(), vec![(0, 0), (1, 2)]);
        let opts = ForwardOptions {
            head_mask: Some(&mask),
            residuals: false,
        };
        let masked = values(net.forward(tokens(&ids), &opts).logits);
        let full = values(net.forward(tokens(&ids), &ForwardOptions::default()).logits);
        let surgery = net.clone().with_heads_ablated(&mask);
        let cut = values(
            surgery
                .forward(tokens(&ids), &ForwardOptions::default())
                .logits,
        );
        assert!(max_abs_diff(&masked, &cut) < 1e-5);
        assert!(
            max_abs_diff(&full, &cut) > 1e-4,
            "the ablation changed nothing"
        );
        // Keeping every head leaves the network as it was.
        let none = net
            .clone()
            .with_heads_ablated(&HeadMask::all(cfg.n_layers, cfg.n_heads));
        let same = values(
            none.forward(tokens(&ids), &ForwardOptions::default())
                .logits,
        );
        assert_eq!(same, full);
    }

    #[test]
    fn head_mask_zeroes_a_heads_contribution() {
        let (cfg, net) = tiny(Positional::Rotary, true);
        let ids = [0, 40, 41, 42, 40, 41];
        let full = values(net.forward(tokens(&ids), &ForwardOptions::default()).logits);
        let one = HeadMask::all(2, 4).ablate(1, 2);
        let opts = ForwardOptions {
            head_mask: Some(&one),
            residuals: false,
        };
        let ablated = values(net.forward(tokens(&ids), &opts).logits);
        assert!(
            max_abs_diff(&full, &ablated) > 1e-5,
            "ablating a head changed nothing"
        );

        // Every head masked: only the residual path (embedding -> ln_f -> unembed) remains.
        let mut all = HeadMask::all(2, 4);
        for l in 0..2 {
            for h in 0..4 {
                all = all.ablate(l, h);
            }
        }
        assert_eq!(all.ablated_count(), 8);
        let opts = ForwardOptions {
            head_mask: Some(&all),
            residuals: true,
        };
        let out = net.forward(tokens(&ids), &opts);
        let direct = net.unembed(net.tok_emb.forward(tokens(&ids)));
        assert!(max_abs_diff(&values(out.logits), &values(direct)) < 1e-5);
        assert_eq!(out.residuals.unwrap().len(), cfg.n_layers);
    }

    #[test]
    fn residuals_end_in_the_logits() {
        let (_, net) = tiny(Positional::Learned, false);
        let opts = ForwardOptions {
            head_mask: None,
            residuals: true,
        };
        let out = net.forward(tokens(&[0, 3, 4, 5]), &opts);
        let last = out.residuals.unwrap().pop().unwrap();
        assert!(max_abs_diff(&values(net.unembed(last)), &values(out.logits)) < 1e-6);
    }
}
