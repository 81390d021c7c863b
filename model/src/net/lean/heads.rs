//! What the page asks of the lean network's heads besides a forward: their count, the network
//! with some of them switched off, and the copying score of their direct OV circuit.

use super::LeanNet;
use crate::net::transformer::HeadMask;

impl LeanNet {
    /// Number of blocks.
    pub fn n_layers(&self) -> usize {
        self.blocks.len()
    }

    /// Heads per block.
    pub fn n_heads(&self) -> usize {
        self.n_heads
    }

    /// The same network with the heads `mask` ablates switched off: their rows of the
    /// attention output projection zeroed, as [`crate::net::transformer::Transformer::with_heads_ablated`]
    /// does to the burn network's weights.
    pub fn with_heads_ablated(&self, mask: &HeadMask) -> Self {
        let mut net = self.clone();
        let (dh, n_heads) = (net.d_head, net.n_heads);
        for (layer, block) in net.blocks.iter_mut().enumerate() {
            let d_out = block.out.d_out;
            for head in (0..n_heads).filter(|&h| !mask.keeps(layer, h)) {
                block.out.w[head * dh * d_out..(head + 1) * dh * d_out].fill(0.0);
            }
        }
        net
    }

    /// `[layer][head]` copying scores (Olsson et al.'s OV-circuit test, in a form cheap enough
    /// for the browser): for each of `tokens`, the head's direct path embedding → layer norm →
    /// value → output → final norm scale → unembedding gives a logit vector over the
    /// vocabulary, and the score is the share of `tokens` whose own logit is the largest in it.
    /// A head that copies what it attends to scores near 1; chance is about `1 / vocab`. The
    /// head scores of both networks read it here.
    pub fn copying_scores(&self, tokens: &[u32]) -> Vec<Vec<f32>> {
        let (d, dh, vocab) = (self.d, self.d_head, self.vocab);
        let mut x = vec![0.0; d];
        self.blocks
            .iter()
            .map(|block| {
                (0..self.n_heads)
                    .map(|h| {
                        let hits = tokens
                            .iter()
                            .filter(|&&t| {
                                let t = t as usize;
                                block
                                    .ln1
                                    .apply(&self.tok_emb[t * d..(t + 1) * d], 1, &mut x);
                                // Value columns of head h in the fused [d, 3d] projection.
                                let v: Vec<f32> = (0..dh)
                                    .map(|j| {
                                        let col = 2 * d + h * dh + j;
                                        (0..d).map(|i| x[i] * block.qkv.w[i * 3 * d + col]).sum()
                                    })
                                    .collect();
                                let o: Vec<f32> = (0..d)
                                    .map(|c| {
                                        let ov: f32 = (0..dh)
                                            .map(|j| v[j] * block.out.w[(h * dh + j) * d + c])
                                            .sum();
                                        ov * self.ln_f.gamma[c]
                                    })
                                    .collect();
                                let logit = |u: usize| -> f32 {
                                    (0..d).map(|c| o[c] * self.lm_head.w[c * vocab + u]).sum()
                                };
                                let own = logit(t);
                                (0..vocab).all(|u| logit(u) <= own)
                            })
                            .count();
                        hits as f32 / tokens.len().max(1) as f32
                    })
                    .collect()
            })
            .collect()
    }
}
