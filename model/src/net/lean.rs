//! A lean forward pass for one sequence: the weights of a [`Transformer`] copied into plain
//! `f32` buffers, a fused Q/K/V projection, and a key/value cache and scratch space allocated
//! once and reused by every step.
//!
//! Why it exists: at batch 1 a model this small needs about 1.7 MFLOP per token, microseconds of
//! arithmetic, while burn runs dozens of tensor operations per layer, each with its own
//! allocation and dispatch. That overhead, not the arithmetic, bounded decoding (see
//! `docs/PERFORMANCE.md`). This path does the same arithmetic in a few tight loops, which the
//! compiler vectorises (`+simd128` in the browser), and hands matrices of 8 rows or more to
//! `ndarray`'s matrix product.
//!
//! burn remains the one model definition: training and the reference forward run the burn
//! network, and this path only reads its weights, by the burn network's names and shapes
//! ([`LeanNet::new`] from a network, [`LeanNet::from_tensors`] from a weight file, which is
//! how the page's inference worker loads a model without burn). Tests check it against the
//! burn forward (max |Δlogit| < 1e-4), with and without the KV cache, rotary or learned
//! positions, MLPs and ablated heads.
//!
//! Long because it is the forward pass itself: weights, kernels, cache and attention kept in
//! one file so the hot loop can be read and measured in one place.

// Branch-free, so the softmax and GELU loops vectorise (`libm::erff` alone took a quarter of a
// full-window forward): the patched burn-flex's, which its kernels use on wasm32.
use burn_flex::fast_math::{erf, exp};
use ndarray::{ArrayView2, ArrayViewMut2, ShapeBuilder, linalg::general_mat_mul};

use crate::net::config::ModelConfig;
use crate::net::transformer::Transformer;

mod chains;
mod heads;
mod load;
pub use chains::LeanChains;
pub use load::NamedTensors;

/// Layer norm epsilon (burn's `LayerNormConfig` default, which the network uses).
const LN_EPS: f32 = 1e-5;
/// From this many rows on, a projection is one `ndarray` matrix product; below, a row loop.
const GEMM_ROWS: usize = 8;

/// A bias-optional linear map with its weights row-major `[d_in, d_out]`.
#[derive(Debug, Clone)]
struct Dense {
    w: Vec<f32>,
    bias: Option<Vec<f32>>,
    d_in: usize,
    d_out: usize,
}

/// One linear map as stored: row-major `[d_in, d_out]` weights and its bias, if any.
struct Part {
    w: Vec<f32>,
    bias: Option<Vec<f32>>,
    d_out: usize,
}

impl Dense {
    /// Several linear maps of the same input side by side (`[d_in, Σ d_out]`).
    fn fused(d_in: usize, parts: &[Part]) -> Self {
        let d_out: usize = parts.iter().map(|p| p.d_out).sum();
        let mut w = Vec::with_capacity(d_in * d_out);
        for i in 0..d_in {
            for p in parts {
                w.extend_from_slice(&p.w[i * p.d_out..(i + 1) * p.d_out]);
            }
        }
        let bias = parts.iter().any(|p| p.bias.is_some()).then(|| {
            parts
                .iter()
                .flat_map(|p| p.bias.clone().unwrap_or_else(|| vec![0.0; p.d_out]))
                .collect()
        });
        Self {
            w,
            bias,
            d_in,
            d_out,
        }
    }

    /// `out[rows, d_out] = x[rows, d_in] · w (+ bias)`.
    fn apply(&self, x: &[f32], rows: usize, out: &mut [f32]) {
        let (d_in, d_out) = (self.d_in, self.d_out);
        let x = &x[..rows * d_in];
        let out = &mut out[..rows * d_out];
        match &self.bias {
            Some(b) => out
                .chunks_exact_mut(d_out)
                .for_each(|row| row.copy_from_slice(b)),
            None => out.fill(0.0),
        }
        if rows >= GEMM_ROWS {
            let xv = ArrayView2::from_shape((rows, d_in), x).expect("x has rows × d_in values");
            let wv = ArrayView2::from_shape((d_in, d_out), &self.w).expect("w is d_in × d_out");
            let mut ov =
                ArrayViewMut2::from_shape((rows, d_out), out).expect("out has rows × d_out");
            general_mat_mul(1.0, &xv, &wv, 1.0, &mut ov);
            return;
        }
        for (xr, yr) in x.chunks_exact(d_in).zip(out.chunks_exact_mut(d_out)) {
            // Four input features per pass, so the output row is read and written a quarter
            // as often.
            let mut xs = xr.chunks_exact(4);
            let mut ws = self.w.chunks_exact(4 * d_out);
            for (a, w4) in xs.by_ref().zip(ws.by_ref()) {
                let (w0, rest) = w4.split_at(d_out);
                let (w1, rest) = rest.split_at(d_out);
                let (w2, w3) = rest.split_at(d_out);
                let (a0, a1, a2, a3) = (a[0], a[1], a[2], a[3]);
                for ((((y, &p0), &p1), &p2), &p3) in yr.iter_mut().zip(w0).zip(w1).zip(w2).zip(w3) {
                    *y += a0 * p0 + a1 * p1 + a2 * p2 + a3 * p3;
                }
            }
            for (&a, wr) in xs
                .remainder()
                .iter()
                .zip(ws.remainder().chunks_exact(d_out))
            {
                for (y, &p) in yr.iter_mut().zip(wr) {
                    *y += a * p;
                }
            }
        }
    }
}

/// Layer norm parameters.
#[derive(Debug, Clone)]
struct Norm {
    gamma: Vec<f32>,
    beta: Vec<f32>,
}

impl Norm {
    fn new(gamma: Vec<f32>, beta: Option<Vec<f32>>) -> Self {
        let beta = beta.unwrap_or_else(|| vec![0.0; gamma.len()]);
        Self { gamma, beta }
    }

    /// Normalises each row of `x` into `out`.
    fn apply(&self, x: &[f32], rows: usize, out: &mut [f32]) {
        let d = self.gamma.len();
        for (xr, yr) in x[..rows * d]
            .chunks_exact(d)
            .zip(out[..rows * d].chunks_exact_mut(d))
        {
            let mean = xr.iter().sum::<f32>() / d as f32;
            let var = xr.iter().map(|v| (v - mean) * (v - mean)).sum::<f32>() / d as f32;
            let inv = 1.0 / (var + LN_EPS).sqrt();
            for (((y, &v), &g), &b) in yr.iter_mut().zip(xr).zip(&self.gamma).zip(&self.beta) {
                *y = (v - mean) * inv * g + b;
            }
        }
    }
}

/// One block's weights.
#[derive(Debug, Clone)]
struct LeanBlock {
    ln1: Norm,
    /// Query, key and value projections side by side: `[d, 3d]`.
    qkv: Dense,
    out: Dense,
    mlp: Option<(Norm, Dense, Dense)>,
}

/// The network's weights in plain buffers, ready for [`LeanNet::forward`].
#[derive(Debug, Clone)]
pub struct LeanNet {
    d: usize,
    n_heads: usize,
    d_head: usize,
    d_ff: usize,
    vocab: usize,
    block_size: usize,
    tok_emb: Vec<f32>,
    pos_emb: Option<Vec<f32>>,
    /// Rotary `cos`/`sin` per position and frequency, `[block_size, d_head / 2]`.
    rotary: Option<(Vec<f32>, Vec<f32>)>,
    blocks: Vec<LeanBlock>,
    ln_f: Norm,
    lm_head: Dense,
}

/// Which attention weights a forward keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// Only for the last new position.
    Last,
    /// For every new position.
    All,
}

/// Keys, values and scratch space of one sequence, allocated once.
#[derive(Debug, Clone)]
pub struct LeanCache {
    /// `[layer, head, cap, d_head]`.
    k: Vec<f32>,
    v: Vec<f32>,
    /// Positions each head's buffer holds.
    cap: usize,
    /// Positions filled.
    len: usize,
    scratch: Scratch,
}

#[derive(Debug, Clone, Default)]
struct Scratch {
    x: Vec<f32>,
    h: Vec<f32>,
    qkv: Vec<f32>,
    ctx: Vec<f32>,
    tmp: Vec<f32>,
    ff: Vec<f32>,
    scores: Vec<f32>,
}

/// What one forward returns.
#[derive(Debug, Clone, PartialEq)]
pub struct LeanOutput {
    /// `[rows, vocab]` logits of the kept rows (the last new position, or every new one).
    pub logits: Vec<f32>,
    /// Per layer, `[n_heads, rows, kv]` attention of the kept rows over positions `0..kv`,
    /// `kv` being the cache length after the forward (zero past each row's own position).
    pub attention: Vec<Vec<f32>>,
}

impl LeanCache {
    /// Positions the cache holds.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the cache is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Forgets every position (keeps the buffers).
    pub fn clear(&mut self) {
        self.len = 0;
    }
}

impl LeanNet {
    /// Copies the weights of `net` (shaped by `config`). An ablation travels in the weights
    /// ([`Transformer::with_heads_ablated`]).
    ///
    /// # Panics
    /// If `net` is not shaped by `config`.
    pub fn new(config: &ModelConfig, net: &Transformer) -> Self {
        Self::from_tensors(config, crate::net::named::named_tensors(net))
            .expect("the network has the config's shape")
    }

    /// Longest sequence the network reads.
    pub fn block_size(&self) -> usize {
        self.block_size
    }

    /// Number of token ids.
    pub fn vocab(&self) -> usize {
        self.vocab
    }

    /// An empty cache for this network.
    pub fn cache(&self) -> LeanCache {
        let mut cache = LeanCache {
            k: Vec::new(),
            v: Vec::new(),
            cap: 0,
            len: 0,
            scratch: Scratch::default(),
        };
        self.lay_out(&mut cache, self.block_size);
        cache
    }

    /// Empties `cache` and lays it out for `cap` positions per head, growing its buffers
    /// when they are too small (they never shrink).
    fn lay_out(&self, cache: &mut LeanCache, cap: usize) {
        let n = self.blocks.len() * self.n_heads * cap * self.d_head;
        if cache.k.len() < n {
            cache.k.resize(n, 0.0);
            cache.v.resize(n, 0.0);
        }
        cache.cap = cap;
        cache.len = 0;
    }

    /// Reads `tokens` at positions `cache.len()..`, appending their keys and values to the
    /// cache. Returns the logits of the last new position, or of every new one with
    /// `all_logits`, and the attention weights `keep` asks for (`None`: none).
    ///
    /// # Panics
    /// If the tokens do not fit in the window or an id is outside the vocabulary (the callers,
    /// the decoder and the scorer, keep both true).
    pub fn forward(
        &self,
        cache: &mut LeanCache,
        tokens: &[u32],
        all_logits: bool,
        keep: Option<Keep>,
    ) -> LeanOutput {
        if cache.cap != self.block_size {
            // Left laid out for several sequences by `forward_many` (and so empty).
            self.lay_out(cache, self.block_size);
        }
        let (s, start) = (tokens.len(), cache.len);
        assert!(
            start + s <= self.block_size,
            "positions past the window: {start} + {s} > {}",
            self.block_size
        );
        let seg = Seg {
            row: 0,
            len: s,
            start,
            kv: 0,
        };
        let attention = self.run(cache, tokens, &[seg], keep);
        cache.len = start + s;
        let from = if all_logits { 0 } else { s - 1 };
        LeanOutput {
            logits: self.logits(cache, from, s - from),
            attention,
        }
    }

    /// Every position's next-token logits (`[len, vocab]`) of several whole sequences, read
    /// together: the projections and MLPs of all their tokens are one matrix product per
    /// layer, which runs nearer the machine's limit than one short sequence at a time, and
    /// attention stays within each sequence. `cache` is only scratch space here; it is left
    /// empty, and a later [`LeanNet::forward`] lays it out for one window again.
    ///
    /// # Panics
    /// If a sequence is empty or longer than the window, or an id is outside the vocabulary.
    pub fn forward_many(&self, cache: &mut LeanCache, seqs: &[&[u32]]) -> Vec<Vec<f32>> {
        let mut segs = Vec::with_capacity(seqs.len());
        let mut row = 0;
        for q in seqs {
            assert!(
                !q.is_empty() && q.len() <= self.block_size,
                "positions past the window: {} > {}",
                q.len(),
                self.block_size
            );
            segs.push(Seg {
                row,
                len: q.len(),
                start: 0,
                kv: row,
            });
            row += q.len();
        }
        let tokens: Vec<u32> = seqs.concat();
        self.lay_out(cache, row);
        self.run(cache, &tokens, &segs, None);
        let all = self.logits(cache, 0, row);
        segs.iter()
            .map(|g| all[g.row * self.vocab..(g.row + g.len) * self.vocab].to_vec())
            .collect()
    }

    /// Final norm and unembedding of `rows` residual rows from `from`.
    fn logits(&self, cache: &mut LeanCache, from: usize, rows: usize) -> Vec<f32> {
        let sc = &mut cache.scratch;
        let d = self.d;
        self.ln_f.apply(&sc.x[from * d..], rows, &mut sc.h);
        let mut logits = vec![0.0; rows * self.vocab];
        self.lm_head.apply(&sc.h, rows, &mut logits);
        logits
    }

    /// The blocks over `tokens`, laid out as `segs`; leaves the residual stream in the
    /// scratch space and returns the attention `keep` asks for (of the first segment).
    fn run(
        &self,
        cache: &mut LeanCache,
        tokens: &[u32],
        segs: &[Seg],
        keep: Option<Keep>,
    ) -> Vec<Vec<f32>> {
        let (d, s) = (self.d, tokens.len());
        let longest = segs
            .iter()
            .map(|g| g.len * (g.start + g.len))
            .max()
            .unwrap_or(0);
        let sc = &mut cache.scratch;
        sc.x.resize(s * d, 0.0);
        sc.h.resize(s * d, 0.0);
        sc.qkv.resize(s * 3 * d, 0.0);
        sc.ctx.resize(s * d, 0.0);
        sc.tmp.resize(s * d, 0.0);
        sc.ff.resize(s * self.d_ff, 0.0);
        sc.scores.resize(longest, 0.0);
        for g in segs {
            let rows = sc.x[g.row * d..(g.row + g.len) * d].chunks_exact_mut(d);
            for (t, (&id, row)) in tokens[g.row..g.row + g.len].iter().zip(rows).enumerate() {
                let id = id as usize;
                assert!(id < self.vocab, "token id {id} outside the vocabulary");
                row.copy_from_slice(&self.tok_emb[id * d..(id + 1) * d]);
                if let Some(pos) = &self.pos_emb {
                    let p = g.start + t;
                    for (x, &e) in row.iter_mut().zip(&pos[p * d..(p + 1) * d]) {
                        *x += e;
                    }
                }
            }
        }
        let (kept_rows, seen) = match (keep, segs.first()) {
            (Some(Keep::All), Some(g)) => (g.len, g.start + g.len),
            (Some(Keep::Last), Some(g)) => (1, g.start + g.len),
            _ => (0, 0),
        };
        let mut attention = Vec::new();
        let layer_len = self.n_heads * cache.cap * self.d_head;
        for (layer, blk) in self.blocks.iter().enumerate() {
            blk.ln1.apply(&sc.x, s, &mut sc.h);
            blk.qkv.apply(&sc.h, s, &mut sc.qkv);
            let kc = &mut cache.k[layer * layer_len..(layer + 1) * layer_len];
            let vc = &mut cache.v[layer * layer_len..(layer + 1) * layer_len];
            let mut maps = vec![0.0; self.n_heads * kept_rows * seen];
            for (i, g) in segs.iter().enumerate() {
                self.store_kv(&mut sc.qkv, *g, cache.cap, kc, vc);
                let kept = if i == 0 { kept_rows } else { 0 };
                let at = Heads {
                    k: kc,
                    v: vc,
                    cap: cache.cap,
                };
                self.attend(
                    &sc.qkv,
                    *g,
                    &at,
                    &mut sc.scores,
                    &mut sc.ctx,
                    kept,
                    &mut maps,
                );
            }
            if keep.is_some() {
                attention.push(maps);
            }
            blk.out.apply(&sc.ctx, s, &mut sc.tmp);
            add(&mut sc.x[..s * d], &sc.tmp[..s * d]);
            if let Some((ln2, up, down)) = &blk.mlp {
                ln2.apply(&sc.x, s, &mut sc.h);
                up.apply(&sc.h, s, &mut sc.ff);
                sc.ff[..s * self.d_ff]
                    .iter_mut()
                    .for_each(|v| *v = gelu(*v));
                down.apply(&sc.ff, s, &mut sc.tmp);
                add(&mut sc.x[..s * d], &sc.tmp[..s * d]);
            }
        }
        attention
    }

    /// Rotates a segment's new queries and keys (rotary positions) and writes its keys and
    /// values into the layer's cache.
    fn store_kv(&self, qkv: &mut [f32], g: Seg, cap: usize, kc: &mut [f32], vc: &mut [f32]) {
        let (d, dh) = (self.d, self.d_head);
        for t in 0..g.len {
            let p = g.start + t;
            let row = &mut qkv[(g.row + t) * 3 * d..(g.row + t + 1) * 3 * d];
            if let Some((cos, sin)) = &self.rotary {
                let half = dh / 2;
                let (c, sn) = (
                    &cos[p * half..(p + 1) * half],
                    &sin[p * half..(p + 1) * half],
                );
                for head in row[..2 * d].chunks_exact_mut(dh) {
                    let (x1, x2) = head.split_at_mut(half);
                    for (((a, b), &c), &s) in x1.iter_mut().zip(x2.iter_mut()).zip(c).zip(sn) {
                        let (u, w) = (*a, *b);
                        *a = u * c - w * s;
                        *b = u * s + w * c;
                    }
                }
            }
            for h in 0..self.n_heads {
                let at = (h * cap + g.kv + p) * dh;
                kc[at..at + dh].copy_from_slice(&row[d + h * dh..d + (h + 1) * dh]);
                vc[at..at + dh].copy_from_slice(&row[2 * d + h * dh..2 * d + (h + 1) * dh]);
            }
        }
    }

    /// Causal attention of a segment's queries over its cached positions; writes its rows of
    /// `ctx` (`[rows, d]`, heads side by side) and, for its last `kept` rows, their weights
    /// into `maps` (`[heads, kept, seen]`).
    #[allow(clippy::too_many_arguments)]
    fn attend(
        &self,
        qkv: &[f32],
        g: Seg,
        cached: &Heads<'_>,
        scores: &mut [f32],
        ctx: &mut [f32],
        kept: usize,
        maps: &mut [f32],
    ) {
        let (d, dh) = (self.d, self.d_head);
        let (s, start) = (g.len, g.start);
        let end = start + s;
        let scale = 1.0 / (dh as f32).sqrt();
        let first_kept = s - kept;
        let qkv = &qkv[g.row * 3 * d..(g.row + s) * 3 * d];
        let ctx = &mut ctx[g.row * d..(g.row + s) * d];
        for h in 0..self.n_heads {
            let base = (h * cached.cap + g.kv) * dh;
            let keys = &cached.k[base..base + end * dh];
            let values = &cached.v[base..base + end * dh];
            if s >= GEMM_ROWS {
                // Many queries: scores and weighted values are two matrix products (the
                // masked half of the scores is computed and thrown away; gemm still wins).
                let scores = &mut scores[..s * end];
                let q = ArrayView2::from_shape((s, dh).strides((3 * d, 1)), &qkv[h * dh..])
                    .expect("queries fit the buffer");
                let k = ArrayView2::from_shape((end, dh), keys).expect("keys fit the cache");
                let v = ArrayView2::from_shape((end, dh), values).expect("values fit the cache");
                {
                    let mut sv = ArrayViewMut2::from_shape((s, end), &mut *scores)
                        .expect("scores fit the buffer");
                    general_mat_mul(scale, &q, &k.t(), 0.0, &mut sv);
                }
                for (t, row) in scores.chunks_exact_mut(end).enumerate() {
                    let seen = start + t + 1;
                    softmax_in_place(&mut row[..seen]);
                    row[seen..].fill(0.0);
                    if t >= first_kept {
                        let at = (h * kept + t - first_kept) * end;
                        maps[at..at + end].copy_from_slice(row);
                    }
                }
                let sv = ArrayView2::from_shape((s, end), &*scores).expect("scores fit");
                let mut out =
                    ArrayViewMut2::from_shape((s, dh).strides((d, 1)), &mut ctx[h * dh..])
                        .expect("context fits the buffer");
                general_mat_mul(1.0, &sv, &v, 0.0, &mut out);
                continue;
            }
            for t in 0..s {
                let seen = start + t + 1;
                let q = &qkv[t * 3 * d + h * dh..t * 3 * d + (h + 1) * dh];
                let sc = &mut scores[..seen];
                for (sj, k) in sc.iter_mut().zip(keys.chunks_exact(dh)) {
                    *sj = dot(q, k) * scale;
                }
                softmax_in_place(sc);
                let out = &mut ctx[t * d + h * dh..t * d + (h + 1) * dh];
                out.fill(0.0);
                for (&w, v) in sc.iter().zip(values.chunks_exact(dh)) {
                    for (o, &x) in out.iter_mut().zip(v) {
                        *o += w * x;
                    }
                }
                if t >= first_kept {
                    let at = (h * kept + t - first_kept) * end;
                    maps[at..at + seen].copy_from_slice(sc);
                }
            }
        }
    }
}

/// Rows `row..row + len` of a forward belong to one sequence, at positions `start..`; its
/// position 0 sits at `kv` in the cache.
#[derive(Debug, Clone, Copy)]
struct Seg {
    row: usize,
    len: usize,
    start: usize,
    kv: usize,
}

/// One layer's cached keys and values, `[head, cap, d_head]`.
struct Heads<'a> {
    k: &'a [f32],
    v: &'a [f32],
    cap: usize,
}

/// Softmax of a row of scores, in place.
fn softmax_in_place(row: &mut [f32]) {
    let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    // Exponentials first (a loop that vectorises), then their sum.
    row.iter_mut().for_each(|v| *v = exp(*v - max));
    let inv = 1.0 / row.iter().sum::<f32>();
    row.iter_mut().for_each(|v| *v *= inv);
}

/// `x += y`.
fn add(x: &mut [f32], y: &[f32]) {
    for (a, &b) in x.iter_mut().zip(y) {
        *a += b;
    }
}

/// Dot product with four partial sums (so it vectorises).
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0.0f32; 4];
    let (ac, bc) = (a.chunks_exact(4), b.chunks_exact(4));
    let tail: f32 = ac
        .remainder()
        .iter()
        .zip(bc.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in ac.zip(bc) {
        for i in 0..4 {
            acc[i] += x[i] * y[i];
        }
    }
    acc[0] + acc[1] + acc[2] + acc[3] + tail
}

/// Exact GELU, `x · Φ(x)`, as burn's `gelu`.
fn gelu(x: f32) -> f32 {
    0.5 * x * (1.0 + erf(x * std::f32::consts::FRAC_1_SQRT_2))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::config::Positional;
    use crate::net::tensors::{batch_tokens, to_vec};
    use crate::net::transformer::tests::{max_abs_diff, tiny};
    use crate::net::transformer::{ForwardOptions, HeadMask};
    use burn::tensor::Device;
    use rand::{Rng, SeedableRng};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn burn_forward(
        net: &Transformer,
        ids: &[u32],
        mask: Option<&HeadMask>,
    ) -> (Vec<f32>, Vec<Vec<f32>>) {
        let opts = ForwardOptions {
            head_mask: mask,
            residuals: false,
        };
        let out = net.forward(batch_tokens(&[ids.to_vec()], &Device::flex()), &opts);
        (
            to_vec(out.logits),
            out.attention.into_iter().map(to_vec).collect(),
        )
    }

    fn check(positional: Positional, attention_only: bool, seed: u64) {
        let (cfg, net) = tiny(positional, attention_only);
        let mask = HeadMask::all(cfg.n_layers, cfg.n_heads).ablate(1, 2);
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        for m in [None, Some(&mask)] {
            let ablated = match m {
                Some(mask) => net.clone().with_heads_ablated(mask),
                None => net.clone(),
            };
            let lean = LeanNet::new(&cfg, &ablated);
            // Whole windows at once (below and at the gemm threshold, and the full block).
            for len in [1, 3, GEMM_ROWS - 1, GEMM_ROWS, cfg.block_size] {
                let ids: Vec<u32> = (0..len)
                    .map(|_| rng.random_range(0..cfg.vocab_size as u32))
                    .collect();
                let (logits, attn) = burn_forward(&net, &ids, m);
                let mut cache = lean.cache();
                let out = lean.forward(&mut cache, &ids, true, Some(Keep::All));
                let diff = max_abs_diff(&out.logits, &logits);
                assert!(diff < 1e-4, "len {len}: max |Δlogit| {diff}");
                for (a, b) in out.attention.iter().zip(&attn) {
                    assert!(max_abs_diff(a, b) < 1e-5, "attention differs");
                }
                // Token by token through the cache, and a prefill then steps.
                let mut cache = lean.cache();
                let split = len / 2;
                if split > 0 {
                    lean.forward(&mut cache, &ids[..split], false, None);
                }
                for (t, &id) in ids.iter().enumerate().skip(split) {
                    let step = lean.forward(&mut cache, &[id], false, Some(Keep::Last));
                    let v = cfg.vocab_size;
                    let want = &logits[t * v..(t + 1) * v];
                    let diff = max_abs_diff(&step.logits, want);
                    assert!(diff < 1e-4, "step {t}: max |Δlogit| {diff}");
                    let h = cfg.n_heads;
                    for (a, full) in step.attention.iter().zip(&attn) {
                        assert_eq!(a.len(), h * (t + 1));
                        for head in 0..h {
                            let row = &full[(head * len + t) * len..(head * len + t) * len + t + 1];
                            assert!(
                                max_abs_diff(&a[head * (t + 1)..(head + 1) * (t + 1)], row) < 1e-5
                            );
                        }
                    }
                }
                assert_eq!(cache.len(), len);
                // A many-row forward that starts mid-window (the matrix-product attention).
                if len > GEMM_ROWS + 3 {
                    let mut cache = lean.cache();
                    lean.forward(&mut cache, &ids[..3], false, None);
                    let out = lean.forward(&mut cache, &ids[3..], true, None);
                    let diff = max_abs_diff(&out.logits, &logits[3 * cfg.vocab_size..]);
                    assert!(diff < 1e-4, "mid-window prefill: max |Δlogit| {diff}");
                }
            }
        }
    }

    #[test]
    fn lean_equals_burn_rotary_attention_only() {
        check(Positional::Rotary, true, 1);
    }

    #[test]
    fn lean_equals_burn_learned_with_mlp() {
        check(Positional::Learned, false, 2);
    }

    #[test]
    fn lean_equals_burn_rotary_with_mlp() {
        check(Positional::Rotary, false, 3);
    }

    #[test]
    fn many_sequences_at_once_equal_one_at_a_time() {
        for (positional, attention_only) in
            [(Positional::Rotary, false), (Positional::Learned, true)]
        {
            let (cfg, net) = tiny(positional, attention_only);
            let lean = LeanNet::new(&cfg, &net);
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(9);
            let seqs: Vec<Vec<u32>> = [1, 5, cfg.block_size, GEMM_ROWS, 2]
                .iter()
                .map(|&n| {
                    (0..n)
                        .map(|_| rng.random_range(0..cfg.vocab_size as u32))
                        .collect()
                })
                .collect();
            let refs: Vec<&[u32]> = seqs.iter().map(Vec::as_slice).collect();
            let mut cache = lean.cache();
            let many = lean.forward_many(&mut cache, &refs);
            assert_eq!(many.len(), seqs.len());
            for (q, got) in seqs.iter().zip(&many) {
                let (want, _) = burn_forward(&net, q, None);
                let diff = max_abs_diff(got, &want);
                assert!(diff < 1e-4, "sequence of {}: max |Δlogit| {diff}", q.len());
            }
            // The cache decodes normally afterwards.
            let out = lean.forward(&mut cache, &seqs[2], true, None);
            let (want, _) = burn_forward(&net, &seqs[2], None);
            assert!(max_abs_diff(&out.logits, &want) < 1e-4);
        }
    }

    /// The branch-free exponential (shared with the patched burn-flex's kernels on wasm32).
    #[test]
    fn exp_matches_std() {
        let worst = (-87_000..=88_000)
            .map(|i| i as f32 / 1000.0)
            .map(|x| ((exp(x) - x.exp()) / x.exp()).abs())
            .fold(0.0f32, f32::max);
        assert!(worst < 2e-7, "max relative error {worst}");
        assert_eq!(exp(-1000.0), 0.0);
        assert_eq!(exp(f32::NEG_INFINITY), 0.0);
        assert_eq!(exp(0.0), 1.0);
        assert_eq!(exp(100.0), f32::INFINITY);
        assert!(exp(f32::NAN).is_nan());
    }

    #[test]
    fn erf_matches_libm() {
        let worst = (-6000..=6000)
            .map(|i| i as f32 / 1000.0)
            .map(|x| (erf(x) - libm::erff(x)).abs())
            .fold(0.0f32, f32::max);
        assert!(worst < 1e-6, "max |erf - erff| = {worst}");
    }

    #[test]
    #[should_panic(expected = "positions past the window")]
    fn a_window_overflow_is_refused() {
        let (cfg, net) = tiny(Positional::Rotary, true);
        let lean = LeanNet::new(&cfg, &net);
        let mut cache = lean.cache();
        lean.forward(&mut cache, &vec![3; cfg.block_size + 1], false, None);
    }
}
