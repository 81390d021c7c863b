//! Incremental decoding with a true KV cache, and the context-window policy.
//!
//! The prompt is prefilled in one batched forward; each later token is one forward of a single
//! query against the cached keys and values, so a step costs O(context), not O(context²).
//!
//! **Context policy.** The model reads at most `block_size` tokens, and the window always starts
//! with `<bos>` (as in training). A prompt longer than that keeps `<bos>` and its most recent
//! `block_size - 1` tokens; [`Decoder::dropped`] says how many tokens fell out. When generation
//! fills the window, it slides: `<bos>` plus the most recent `block_size / 2` tokens are
//! re-encoded in one batched forward (positions restart, as the model was trained), and cached
//! decoding continues. [`Decoder::window`] is always exactly what the model sees, so a full
//! forward over it gives the same logits as the cache.

use std::borrow::Cow;

use crate::net::lean::{Keep, LeanCache, LeanNet};
use crate::net::model::LeanModel;
use crate::net::tokenizer::BOS;
use crate::net::transformer::HeadMask;

/// What the model says after one prefill or decode step.
#[derive(Debug, Clone)]
pub struct Step {
    /// `[vocab]` logits for the next token.
    pub logits: Vec<f32>,
    /// Per layer, `[n_heads, kv]` attention of the last query over the window.
    pub attention: Vec<Vec<f32>>,
}

/// What a prefill read of its prompt besides the next token (see [`Decoder::prefill_reading`]).
#[derive(Debug, Clone, PartialEq)]
pub struct PromptRead {
    /// The loss (nats) of each window token after `<bos>`, given the ones before it.
    pub nats: Vec<f32>,
    /// The log-probability (nats) of the continuation after the prompt, when one was asked
    /// for and both fit the window.
    pub continuation: Option<f32>,
}

/// The log-probability of `id` under the logits `row` (a stable log-softmax), as the
/// decoder's prompt read and the scorer both take it.
pub fn log_prob(row: &[f32], id: u32) -> f32 {
    let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let log_sum = row.iter().map(|&l| (l - max).exp()).sum::<f32>().ln() + max;
    row[id as usize] - log_sum
}

/// A forward pass with a cache, as a [`Decoder`] drives it: the lean path ([`Lean`], what
/// the page runs), or a reference (the burn network's, in `crate::bench::reference`).
pub trait Forward {
    /// Positions the model reads.
    fn block_size(&self) -> usize;
    /// Reads `ids` at positions `start..` (0: a fresh window, the cache emptied first) and
    /// returns the last position's logits and attention.
    fn run(&mut self, ids: &[u32], start: usize) -> Step;
}

/// The lean path over a model's weights (see [`crate::net::lean`]): the model's own copy, or
/// an ablated one made for this decoder, with its cache.
#[derive(Debug)]
pub struct Lean<'a> {
    net: Box<Cow<'a, LeanNet>>,
    cache: LeanCache,
}

impl Forward for Lean<'_> {
    fn block_size(&self) -> usize {
        self.net.block_size()
    }

    fn run(&mut self, ids: &[u32], start: usize) -> Step {
        if start == 0 {
            self.cache.clear();
        }
        debug_assert_eq!(self.cache.len(), start);
        let out = self
            .net
            .forward(&mut self.cache, ids, false, Some(Keep::Last));
        Step {
            logits: out.logits,
            attention: out.attention,
        }
    }
}

/// The context policy for a whole sequence: `<bos>` and the last `block_size - 1` of `ids`,
/// and how many of `ids` did not fit. Everything that reads a prompt reads it through this.
pub fn window(ids: &[u32], block_size: usize) -> (Vec<u32>, usize) {
    let keep = ids.len().min(block_size.saturating_sub(1));
    let dropped = ids.len() - keep;
    let mut window = Vec::with_capacity(keep + 1);
    window.push(BOS);
    window.extend_from_slice(&ids[dropped..]);
    (window, dropped)
}

/// A sequence being decoded token by token, on the lean path unless another [`Forward`] is
/// given.
#[derive(Debug)]
pub struct Decoder<'a, F: Forward = Lean<'a>> {
    runner: F,
    block_size: usize,
    /// The window the cache holds: `<bos>` then the most recent tokens.
    window: Vec<u32>,
    /// Tokens of the whole sequence (without `<bos>`) that are no longer in the window.
    dropped: usize,
    _model: std::marker::PhantomData<&'a ()>,
}

impl<'a> Decoder<'a> {
    /// A decoder on the lean path, several times faster per token than the burn network
    /// with the same results (`docs/PERFORMANCE.md`); with `head_mask`, on an ablated copy.
    pub fn new(model: &'a LeanModel, head_mask: Option<&HeadMask>) -> Self {
        let net = match head_mask {
            Some(mask) => Cow::Owned(model.with_heads_ablated(mask).lean().clone()),
            None => Cow::Borrowed(model.lean()),
        };
        Self::on(Lean {
            cache: net.cache(),
            net: Box::new(net),
        })
    }
}

impl<'a, F: Forward> Decoder<'a, F> {
    /// A decoder on `runner` with an empty window.
    pub fn on(runner: F) -> Self {
        Self {
            block_size: runner.block_size(),
            runner,
            window: Vec::new(),
            dropped: 0,
            _model: std::marker::PhantomData,
        }
    }

    /// Tokens of the sequence (not counting `<bos>`) that no longer fit in the window.
    pub fn dropped(&self) -> usize {
        self.dropped
    }

    /// The tokens the model currently sees, `<bos>` first.
    pub fn window(&self) -> &[u32] {
        &self.window
    }

    /// Starts a sequence: `<bos>` + `ids` (truncated by the context policy), one batched forward.
    pub fn prefill(&mut self, ids: &[u32]) -> Step {
        let (window, dropped) = window(ids, self.block_size);
        self.dropped = dropped;
        self.encode_window(window)
    }

    /// Appends one token and returns what the model says next: one query against the cache, or
    /// a slide of the window when it is full.
    pub fn push(&mut self, id: u32) -> Step {
        if self.window.is_empty() {
            return self.prefill(&[id]);
        }
        let block = self.block_size;
        if self.window.len() >= block {
            let keep = (block / 2).max(1);
            let mut tail: Vec<u32> = self.window[self.window.len() + 1 - keep..].to_vec();
            tail.push(id);
            self.dropped += self.window.len() - keep;
            let mut window = Vec::with_capacity(block);
            window.push(BOS);
            window.extend(tail);
            return self.encode_window(window);
        }
        let start = self.window.len();
        self.window.push(id);
        self.run(&[id], start)
    }

    fn encode_window(&mut self, window: Vec<u32>) -> Step {
        self.window = window;
        let ids = self.window.clone();
        self.run(&ids, 0)
    }

    /// Runs `ids` at positions `start..` and returns the last position's logits and attention.
    fn run(&mut self, ids: &[u32], start: usize) -> Step {
        self.runner.run(ids, start)
    }
}

impl Decoder<'_> {
    /// [`Decoder::prefill`] that also reads the prompt from the same forward pass: every
    /// window token's loss, and the log-probability of `continuation` after the prompt from a
    /// copy of the cache (when it is not empty and both fit the window).
    pub fn prefill_reading(&mut self, ids: &[u32], continuation: &[u32]) -> (Step, PromptRead) {
        let Lean { net, cache } = &mut self.runner;
        let (window, dropped) = window(ids, self.block_size);
        self.dropped = dropped;
        cache.clear();
        let out = net.forward(cache, &window, true, Some(Keep::Last));
        let vocab = net.vocab();
        let rows = window.len();
        let read: Vec<&[f32]> = out.logits.chunks(vocab).collect();
        let nats = (1..rows)
            .map(|t| -log_prob(read[t - 1], window[t]))
            .collect();
        let last = read[rows - 1].to_vec();
        let fits = !continuation.is_empty() && rows + continuation.len() <= self.block_size;
        let continuation = fits.then(|| {
            let mut sum = log_prob(&last, continuation[0]);
            if continuation.len() > 1 {
                let mut copy = cache.clone();
                let more = net.forward(
                    &mut copy,
                    &continuation[..continuation.len() - 1],
                    true,
                    None,
                );
                for (row, &id) in more.logits.chunks(vocab).zip(&continuation[1..]) {
                    sum += log_prob(row, id);
                }
            }
            sum
        });
        self.window = window;
        let step = Step {
            logits: last,
            attention: out.attention,
        };
        (step, PromptRead { nats, continuation })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::reference::Burn;
    use crate::net::config::Positional;
    use crate::net::model::Model;
    use crate::net::tensors::to_vec;
    use crate::net::transformer::tests::{max_abs_diff, tiny, tokens};
    use crate::net::transformer::{ForwardOptions, Transformer};
    use burn::tensor::Device;
    use rand::{Rng, SeedableRng};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// Logits of the last position of a full forward over `window`.
    fn full_last(net: &Transformer, window: &[u32], mask: Option<&HeadMask>) -> Vec<f32> {
        let opts = ForwardOptions {
            head_mask: mask,
            residuals: false,
        };
        let out = net.forward(tokens(window), &opts);
        let [_, s, v] = out.logits.dims();
        to_vec(out.logits.slice([0..1, s - 1..s, 0..v]).reshape([v]))
    }

    /// The tiny network as a model, for the lean decoder.
    fn as_model(cfg: &crate::net::config::ModelConfig, net: &Transformer) -> Model {
        let tok = crate::net::tokenizer::Tokenizer::default();
        Model::new(cfg.clone(), tok, net.clone(), Device::flex())
    }

    #[test]
    fn the_window_keeps_bos_and_the_most_recent_tokens() {
        assert_eq!(window(&[], 4), (vec![BOS], 0));
        assert_eq!(window(&[5, 6], 4), (vec![BOS, 5, 6], 0));
        assert_eq!(window(&[5, 6, 7], 4), (vec![BOS, 5, 6, 7], 0));
        assert_eq!(window(&[5, 6, 7, 8, 9], 4), (vec![BOS, 7, 8, 9], 2));
    }

    fn check_cached_equals_full(positional: Positional, attention_only: bool, seed: u64) {
        let (cfg, net) = tiny(positional, attention_only);
        let model = as_model(&cfg, &net);
        let device = Device::flex();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let block = cfg.block_size;
        let mask = HeadMask::all(cfg.n_layers, cfg.n_heads).ablate(0, 1);
        // Prompt lengths below, at and beyond the block, each decoded across the boundary.
        for prompt_len in [0, 1, block - 2, block - 1, block, block + 1, 3 * block] {
            for (head_mask, lean) in [
                (None, false),
                (Some(mask.clone()), false),
                (None, true),
                (Some(mask.clone()), true),
            ] {
                let prompt: Vec<u32> = (0..prompt_len).map(|_| rng.random_range(2..98)).collect();
                if lean {
                    let dec = Decoder::new(&model, head_mask.as_ref());
                    check_decoder(dec, &net, &cfg, &prompt, head_mask.as_ref(), &mut rng, lean);
                } else {
                    let dec = Burn::decoder(&net, &device, head_mask.clone());
                    check_decoder(dec, &net, &cfg, &prompt, head_mask.as_ref(), &mut rng, lean);
                }
            }
        }
    }

    /// Decodes past the window's end from `prompt`, checking every step against a full forward.
    fn check_decoder<F: Forward>(
        mut dec: Decoder<'_, F>,
        net: &Transformer,
        cfg: &crate::net::config::ModelConfig,
        prompt: &[u32],
        head_mask: Option<&HeadMask>,
        rng: &mut impl Rng,
        lean: bool,
    ) {
        let block = cfg.block_size;
        let prompt_len = prompt.len();
        let mut step = dec.prefill(prompt);
        assert_eq!(dec.dropped(), prompt_len.saturating_sub(block - 1));
        assert!(dec.window().len() <= block);
        let mut worst = 0.0f32;
        for _ in 0..block + 5 {
            let full = full_last(net, dec.window(), head_mask);
            worst = worst.max(max_abs_diff(&step.logits, &full));
            assert_eq!(step.attention.len(), cfg.n_layers);
            assert_eq!(step.attention[0].len(), cfg.n_heads * dec.window().len());
            step = dec.push(rng.random_range(2..98));
            assert_eq!(dec.window()[0], BOS);
            assert!(dec.window().len() <= block);
        }
        assert!(
            worst < 1e-4,
            "cached vs full (lean: {lean}) max |Δlogit| = {worst}"
        );
    }

    #[test]
    fn cached_decoding_equals_full_forward_rotary() {
        check_cached_equals_full(Positional::Rotary, true, 1);
    }

    #[test]
    fn cached_decoding_equals_full_forward_learned_with_mlp() {
        check_cached_equals_full(Positional::Learned, false, 2);
    }

    #[test]
    fn push_without_prefill_starts_a_sequence() {
        let (cfg, net) = tiny(Positional::Rotary, true);
        let model = as_model(&cfg, &net);
        let mut burn = Burn::decoder(&net, &Device::flex(), None);
        let mut lean = Decoder::new(&model, None);
        for (step, window) in [
            (burn.push(10), burn.window().to_vec()),
            (lean.push(10), lean.window().to_vec()),
        ] {
            assert_eq!(window, &[BOS, 10]);
            assert!(max_abs_diff(&step.logits, &full_last(&net, &[BOS, 10], None)) < 1e-5);
        }
    }
}
