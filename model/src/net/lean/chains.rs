//! Several sequences in one lean key/value cache, each grown and cut back on its own, read
//! together: what an ICL curve needs when every query keeps its shots' keys and values while
//! the shot count changes (see [`crate::eval::sweep::Sweeper`]).

use super::{LeanCache, LeanNet, Seg};

/// Sequences side by side in one cache: sequence `i` holds positions `0..len(i)`, at most
/// `room(i)`, from `at[i]` of every head's buffer.
#[derive(Debug, Clone)]
pub struct LeanChains {
    cache: LeanCache,
    lens: Vec<usize>,
    at: Vec<usize>,
    rooms: Vec<usize>,
}

impl LeanChains {
    /// Number of sequences.
    pub fn count(&self) -> usize {
        self.lens.len()
    }

    /// Positions sequence `i` holds.
    pub fn len(&self, i: usize) -> usize {
        self.lens[i]
    }

    /// Positions sequence `i` has room for.
    pub fn room(&self, i: usize) -> usize {
        self.rooms[i]
    }

    /// Forgets sequence `i`'s positions from `len` on (the keys and values before stay).
    pub fn truncate(&mut self, i: usize, len: usize) {
        self.lens[i] = self.lens[i].min(len);
    }
}

impl LeanNet {
    /// Empty sequences with room for `rooms` positions each (at most a window).
    pub fn chains(&self, rooms: &[usize]) -> LeanChains {
        let rooms: Vec<usize> = rooms.iter().map(|&r| r.min(self.block_size)).collect();
        let at: Vec<usize> = rooms
            .iter()
            .scan(0, |total, &r| {
                let at = *total;
                *total += r;
                Some(at)
            })
            .collect();
        let mut cache = self.cache();
        self.lay_out(&mut cache, rooms.iter().sum::<usize>().max(1));
        LeanChains {
            cache,
            lens: vec![0; rooms.len()],
            at,
            rooms,
        }
    }

    /// Appends tokens to several sequences in one forward (`(sequence, tokens)`, each sequence
    /// at most once) and returns, per part, the logits of every new position (`[len, vocab]`).
    ///
    /// # Panics
    /// If a part is empty, names a sequence twice or one that does not exist, would run past
    /// its room, or holds an id outside the vocabulary.
    pub fn extend(&self, chains: &mut LeanChains, parts: &[(usize, &[u32])]) -> Vec<Vec<f32>> {
        let mut segs = Vec::with_capacity(parts.len());
        let mut seen = vec![false; chains.count()];
        let mut row = 0;
        for &(i, tokens) in parts {
            assert!(!tokens.is_empty(), "an empty part");
            assert!(!std::mem::replace(&mut seen[i], true), "sequence {i} twice");
            let start = chains.lens[i];
            assert!(
                start + tokens.len() <= chains.rooms[i],
                "positions past the room: {start} + {} > {}",
                tokens.len(),
                chains.rooms[i]
            );
            segs.push(Seg {
                row,
                len: tokens.len(),
                start,
                kv: chains.at[i],
            });
            row += tokens.len();
        }
        if row == 0 {
            return Vec::new();
        }
        let tokens: Vec<u32> = parts.iter().flat_map(|p| p.1.iter().copied()).collect();
        self.run(&mut chains.cache, &tokens, &segs, None);
        for &(i, tokens) in parts {
            chains.lens[i] += tokens.len();
        }
        let all = self.logits(&mut chains.cache, 0, row);
        let v = self.vocab;
        segs.iter()
            .map(|g| all[g.row * v..(g.row + g.len) * v].to_vec())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::config::Positional;
    use crate::net::transformer::tests::{max_abs_diff, tiny};
    use rand::{Rng, SeedableRng};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// Sequences grown in pieces, cut back and regrown side by side read the same logits as
    /// each whole sequence alone.
    #[test]
    fn chains_equal_whole_sequences() {
        for (positional, attention_only) in
            [(Positional::Rotary, false), (Positional::Learned, true)]
        {
            let (cfg, net) = tiny(positional, attention_only);
            let lean = LeanNet::new(&cfg, &net);
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(4);
            let mut draw = |n: usize| -> Vec<u32> {
                (0..n)
                    .map(|_| rng.random_range(0..cfg.vocab_size as u32))
                    .collect()
            };
            let b = cfg.block_size;
            let whole = [draw(b), draw(9), draw(b / 2)];
            assert_eq!(lean.chains(&[b + 5]).room(0), b);
            let alone = |ids: &[u32]| {
                let mut cache = lean.cache();
                lean.forward(&mut cache, ids, true, None).logits
            };
            let v = cfg.vocab_size;
            let mut chains = lean.chains(&[b, b, b / 2]);
            // First pieces of unequal length, then the rest of two of them.
            let cuts = [b / 2, 1, b / 4];
            let first: Vec<(usize, &[u32])> = whole
                .iter()
                .enumerate()
                .map(|(i, w)| (i, &w[..cuts[i]]))
                .collect();
            let out = lean.extend(&mut chains, &first);
            for (i, got) in out.iter().enumerate() {
                let want = alone(&whole[i][..cuts[i]]);
                assert!(max_abs_diff(got, &want) < 1e-4, "first piece of {i}");
            }
            let rest: Vec<(usize, &[u32])> =
                [0, 1].iter().map(|&i| (i, &whole[i][cuts[i]..])).collect();
            let out = lean.extend(&mut chains, &rest);
            for (&(i, _), got) in rest.iter().zip(&out) {
                let want = alone(&whole[i]);
                assert!(
                    max_abs_diff(got, &want[cuts[i] * v..]) < 1e-4,
                    "rest of {i}"
                );
            }
            assert_eq!((chains.len(0), chains.len(1), chains.len(2)), (b, 9, b / 4));
            // Cut back, regrown with other tokens: the result of that other sequence.
            chains.truncate(1, 4);
            let other: Vec<u32> = whole[1][..4].iter().copied().chain(draw(6)).collect();
            let out = lean.extend(&mut chains, &[(1, &other[4..])]);
            assert!(max_abs_diff(&out[0], &alone(&other)[4 * v..]) < 1e-4);
            assert_eq!(chains.len(1), 10);
        }
    }

    #[test]
    #[should_panic(expected = "positions past the room")]
    fn a_chain_past_its_room_is_refused() {
        let (cfg, net) = tiny(Positional::Rotary, false);
        let lean = LeanNet::new(&cfg, &net);
        let mut chains = lean.chains(&[cfg.block_size, 5]);
        let ids = vec![1; 5];
        lean.extend(&mut chains, &[(1, &ids)]);
        lean.extend(&mut chains, &[(1, &ids[..1])]);
    }
}
