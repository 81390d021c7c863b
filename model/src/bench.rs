//! Benchmarks shared by the native runner (`icl bench`) and the browser runner (a
//! wasm-bindgen test run by `cargo xtask bench`): the same code measures both, with the clock
//! passed in (`Instant` natively, `performance.now()` in the browser).
//!
//! Every figure is a plain [`Figure`]; `cargo xtask bench` gathers them from both places into
//! `target/bench/report.json` and a markdown table.

use burn::tensor::{Device, Distribution, Tensor};
use serde::{Deserialize, Serialize};

use crate::backend::Backend;
use crate::config::ModelConfig;
use crate::decoding::{Decoder, batch_tokens, to_vec};
use crate::eval::{Labels, sweep_task_on};
use crate::lean::{Keep, LeanNet};
use crate::model::Model;
use crate::sampling::Engine;
use crate::tasks::{Task, Template};
use crate::tokenizer::Tokenizer;
use crate::transformer::ForwardOptions;
use crate::weights::load_verified;

/// One measured number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    /// Where it was measured: `native` or `browser`.
    pub place: String,
    pub backend: String,
    /// What: `decode`, `decode-recompute`, `prefill+attention`, `sweep`, `load`, `matmul`.
    pub what: String,
    pub model: String,
    /// Context length or matrix size, where it applies.
    pub size: usize,
    pub value: f64,
    pub unit: String,
    /// Achieved GFLOP/s, where the work is counted.
    pub gflops: Option<f64>,
}

/// A clock in milliseconds.
pub type Clock = fn() -> f64;

/// Multiply-adds × 2 of one token's forward at context `ctx` (weights, attention scores and
/// weighted values; layer norms and softmax are left out).
pub fn flops_per_token(c: &ModelConfig, ctx: usize) -> f64 {
    let d = c.d_model as f64;
    let attn = 4.0 * d * d + 2.0 * ctx as f64 * d;
    let mlp = if c.attention_only {
        0.0
    } else {
        2.0 * d * c.d_ff as f64
    };
    2.0 * (c.n_layers as f64 * (attn + mlp) + d * c.vocab_size as f64)
}

/// Median of a few repeats of `f` (ms).
fn median_ms(clock: Clock, repeats: usize, mut f: impl FnMut()) -> f64 {
    // A first, untimed run: the browser compiles hot code with its optimising tier meanwhile.
    f();
    let mut t: Vec<f64> = (0..repeats.max(1))
        .map(|_| {
            let start = clock();
            f();
            clock() - start
        })
        .collect();
    t.sort_by(f64::total_cmp);
    t[t.len() / 2]
}

/// A prompt of `n` characters the models know.
fn text(n: usize) -> Vec<u32> {
    let tok = Tokenizer::default();
    let base = "in: stone\nout: enots\nin: river\nout: revir\nin: cloud\nout: duolc\n";
    tok.encode(&base.repeat(n / base.len() + 1)[..n]).ids
}

/// How [`decode`] runs each step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decode {
    /// burn, with the KV cache.
    Cached,
    /// burn, a full forward over the window per token.
    Recompute,
    /// The lean path ([`crate::lean`]), with its KV cache.
    Lean,
}

/// Decoding speed, batch 1: tokens per second of the steps that bring the window to `ctx`
/// tokens (the prompt's prefill is not timed), median of 3 after one warm-up run.
pub fn decode(
    m: &Model,
    clock: Clock,
    ctx: usize,
    tokens: usize,
    how: Decode,
) -> (f64, Option<f64>) {
    let ctx = ctx.min(m.config.block_size - 1);
    let tokens = tokens.min(ctx.saturating_sub(1)).max(1);
    let prompt = text(ctx - tokens);
    let next = text(tokens);
    // Only the steps are timed: the prompt's prefill is measured by `prefill_attention`.
    // One run first, untimed, so the browser has compiled the hot code with its optimising tier.
    let mut times: Vec<f64> = (0..4)
        .map(|_| {
            if how == Decode::Recompute {
                let mut window = prompt.clone();
                let start = clock();
                for &id in &next {
                    window.push(id);
                    let out = m.net.forward(
                        batch_tokens(std::slice::from_ref(&window), &m.device),
                        &ForwardOptions::default(),
                    );
                    let _ = to_vec(out.logits.slice([0..1, window.len() - 1..window.len()]));
                }
                return clock() - start;
            }
            let mut d = if how == Decode::Lean {
                Decoder::lean(&m.config, &m.net, None)
            } else {
                Decoder::new(&m.net, &m.device, None)
            };
            d.prefill(&prompt);
            let start = clock();
            for &id in &next {
                let _ = d.push(id);
            }
            clock() - start
        })
        .collect();
    times.remove(0);
    times.sort_by(f64::total_cmp);
    let ms = times[1];
    let tok_s = tokens as f64 / (ms / 1000.0);
    let flops = flops_per_token(&m.config, ctx) * tok_s / 1e9;
    (tok_s, Some(flops))
}

/// One forward over a full window returning every layer's attention (ms), on burn or the
/// lean path.
pub fn prefill_attention(m: &Model, clock: Clock, lean: bool) -> (f64, f64) {
    let n = m.config.block_size - 1;
    let row = [vec![crate::tokenizer::BOS], text(n)].concat();
    let net = LeanNet::new(&m.config, &m.net, None);
    let mut cache = net.cache();
    let ms = median_ms(clock, 5, || {
        if lean {
            cache.clear();
            let _ = net.forward(&mut cache, &row, true, Some(Keep::All));
            return;
        }
        let out = m.net.forward(
            batch_tokens(std::slice::from_ref(&row), &m.device),
            &ForwardOptions::default(),
        );
        for a in out.attention {
            let _ = to_vec(a);
        }
        let _ = to_vec(out.logits);
    });
    let flops = flops_per_token(&m.config, n / 2) * n as f64;
    (ms, flops / (ms / 1000.0) / 1e9)
}

/// The page's k-shot sweep: k = 0..8, `queries` held-out queries each, greedy exact match and
/// log-probability (ms).
pub fn sweep(m: &Model, clock: Clock, queries: usize, engine: Engine) -> f64 {
    let ks: Vec<usize> = (0..=8).collect();
    median_ms(clock, 1, || {
        let _ = sweep_task_on(
            m,
            Task::FirstLetter,
            &Template::default(),
            &ks,
            queries,
            7,
            Labels::Correct,
            engine,
        );
    })
}

/// Verifying (SHA-256) and initialising a weight file (ms).
pub fn load(bytes: &[u8], sha256: &str, device: &Device, clock: Clock) -> f64 {
    median_ms(clock, 3, || {
        let _ = load_verified(bytes, bytes.len() as u64, sha256, device);
    })
}

/// f32 matmul of two `n`×`n` matrices (GFLOP/s): the machine's limit for these figures.
pub fn matmul(device: &Device, clock: Clock, n: usize) -> f64 {
    let a = Tensor::<2>::random([n, n], Distribution::Default, device);
    let b = Tensor::<2>::random([n, n], Distribution::Default, device);
    let _ = to_vec(a.clone().matmul(b.clone()));
    let ms = median_ms(clock, 5, || {
        let _ = to_vec(a.clone().matmul(b.clone()));
    });
    2.0 * (n as f64).powi(3) / (ms / 1000.0) / 1e9
}

/// The name lean-path figures carry in place of a backend (its weights load on flex).
const LEAN: &str = "lean";

/// Every figure for the given models (`(id, file bytes, sha256)`) on both backends; `quick`
/// runs one short iteration of each (a smoke check).
pub fn run_all(
    place: &str,
    models: &[(String, Vec<u8>, String)],
    clock: Clock,
    quick: bool,
) -> Vec<Figure> {
    let mut out = Vec::new();
    let fig = |backend: &dyn std::fmt::Display,
               what: &str,
               model: &str,
               size: usize,
               value: f64,
               unit: &str,
               gflops: Option<f64>| Figure {
        place: place.to_string(),
        backend: backend.to_string(),
        what: what.to_string(),
        model: model.to_string(),
        size,
        value,
        unit: unit.to_string(),
        gflops,
    };
    for &backend in Backend::ALL {
        let device = backend.device();
        let n = if quick { 64 } else { 512 };
        out.push(fig(
            &backend,
            "matmul",
            "",
            n,
            matmul(&device, clock, n),
            "GFLOP/s",
            None,
        ));
        for (id, bytes, sha) in models {
            out.push(fig(
                &backend,
                "load",
                id,
                bytes.len(),
                load(bytes, sha, &device, clock),
                "ms",
                None,
            ));
            let Ok((m, _)) = load_verified(bytes, bytes.len() as u64, sha, &device) else {
                continue;
            };
            let block = m.config.block_size - 1;
            let contexts: Vec<usize> = if quick {
                vec![32]
            } else {
                vec![32, 128, block]
            };
            let tokens = if quick { 4 } else { 24 };
            let lean = backend == Backend::Flex;
            for &ctx in &contexts {
                let (v, g) = decode(&m, clock, ctx, tokens, Decode::Cached);
                out.push(fig(&backend, "decode", id, ctx, v, "tokens/s", g));
                let (v, g) = decode(&m, clock, ctx, tokens.min(8), Decode::Recompute);
                out.push(fig(&backend, "decode-recompute", id, ctx, v, "tokens/s", g));
                if lean {
                    let (v, g) = decode(&m, clock, ctx, tokens, Decode::Lean);
                    out.push(fig(&LEAN, "decode", id, ctx, v, "tokens/s", g));
                }
            }
            let (ms, g) = prefill_attention(&m, clock, false);
            out.push(fig(
                &backend,
                "prefill+attention",
                id,
                block,
                ms,
                "ms",
                Some(g),
            ));
            if lean {
                let (ms, g) = prefill_attention(&m, clock, true);
                out.push(fig(
                    &LEAN,
                    "prefill+attention",
                    id,
                    block,
                    ms,
                    "ms",
                    Some(g),
                ));
            }
            if id == "base" || quick {
                let q = if quick { 1 } else { 16 };
                let ms = sweep(&m, clock, q, Engine::Burn);
                out.push(fig(&backend, "sweep", id, q, ms, "ms", None));
                if lean {
                    let ms = sweep(&m, clock, q, Engine::Lean);
                    out.push(fig(&LEAN, "sweep", id, q, ms, "ms", None));
                }
            }
        }
    }
    out
}
