//! The ladder: models of one family across sizes, for seeing which abilities jump with scale
//! and which improve smoothly (issue 36). Every rung is the learner's architecture (pre-norm
//! blocks with MLPs four times as wide, four heads, rotary positions) at its own depth and
//! width, trained by one recipe on one data mix (`TrainConfig::for_preset("rung3")`): the
//! learner's rule space plus multi-digit addition ([`crate::rules::arithmetic`]).
//!
//! Tokens scale with size by one rule: [`TOKENS_PER_PARAM`] tokens per parameter (Hoffmann et
//! al. 2022's compute-optimal ratio), and never fewer than [`MIN_STEPS`] steps, so that the
//! smallest rungs, whose 20 tokens per parameter would be a few hundred steps, are trained
//! long enough to form an induction head.

/// The rungs' depth and width, smallest first: `rung0` is the first. (`rung0` was added
/// after the others had trained, so that the trained rungs span a hundredfold before the
/// largest has; every rung's name is its index.)
pub const RUNGS: [(usize, usize); 7] = [
    (1, 16),
    (1, 24),
    (2, 48),
    (3, 64),
    (4, 96),
    (5, 128),
    (6, 160),
];

/// Heads of every rung's attention.
pub const HEADS: usize = 4;

/// Every rung's MLP width as a multiple of its model width.
pub const FF_RATIO: usize = 4;

/// Tokens of training per parameter.
pub const TOKENS_PER_PARAM: u64 = 20;

/// The fewest steps a rung is trained for.
pub const MIN_STEPS: usize = 1_000;

/// Sequences per step (the learner's CPU batch).
pub const BATCH: usize = 32;

/// The ladder's rung number `n` (its index in [`RUNGS`]) as a preset and model name: `rung3`.
pub fn rung_name(n: usize) -> String {
    format!("rung{n}")
}

/// The rung a preset or model name names (`rung3` → 3), if it is one of the ladder's.
pub fn rung_of(name: &str) -> Option<usize> {
    let n: usize = name.strip_prefix("rung")?.parse().ok()?;
    (n < RUNGS.len() && rung_name(n) == name).then_some(n)
}

/// The depth and width of rung `n`, or `None` past the ladder.
pub fn dims(n: usize) -> Option<(usize, usize)> {
    RUNGS.get(n).copied()
}

/// Steps for a rung of `params` parameters in rows of `block` tokens: [`TOKENS_PER_PARAM`]
/// tokens per parameter, at least [`MIN_STEPS`].
pub fn steps(params: u64, block: usize) -> usize {
    let per_step = (BATCH * block) as u64;
    ((params * TOKENS_PER_PARAM).div_ceil(per_step) as usize).max(MIN_STEPS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::config::Preset;
    use crate::rules::tasks::Task;
    use crate::train::config::TrainConfig;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn the_ladder_spans_a_hundredfold_in_one_family() {
        let config = |n| {
            TrainConfig::for_preset(&rung_name(n))
                .unwrap()
                .model_config()
                .unwrap()
        };
        let params: Vec<u64> = (0..RUNGS.len()).map(|n| config(n).param_count()).collect();
        assert!(params.len() >= 5);
        assert!(params.windows(2).all(|w| w[0] < w[1]), "{params:?}");
        assert!(params[params.len() - 1] >= 100 * params[0], "{params:?}");
        for n in 0..RUNGS.len() {
            let c = config(n);
            assert!(!c.attention_only);
            assert_eq!(c.positional, Preset::Learner.config().positional);
            assert_eq!(c.d_ff, 4 * c.d_model);
        }
        assert!(dims(RUNGS.len()).is_none());
        assert!(TrainConfig::for_preset(&rung_name(RUNGS.len())).is_err());
        for bad in [
            "rung", "rung+1", "rung01", "rungs", "Rung1", "rung٣", "rung99",
        ] {
            assert_eq!(rung_of(bad), None, "{bad}");
            assert!(TrainConfig::for_preset(bad).is_err(), "{bad}");
        }
        assert_eq!(rung_of("rung0"), Some(0));
        assert_eq!(rung_of(&rung_name(3)), Some(3));
    }

    #[test]
    fn tokens_follow_the_rule_with_a_floor_of_steps() {
        let mut last = 0;
        for n in 0..RUNGS.len() {
            let s = TrainConfig::for_preset(&rung_name(n)).unwrap();
            let params = s.model_config().unwrap().param_count();
            let tokens = (s.steps * s.batch_size * 256) as u64;
            assert!(s.steps >= MIN_STEPS);
            if s.steps > MIN_STEPS {
                assert!(tokens >= TOKENS_PER_PARAM * params, "rung {n}");
                assert!(tokens < TOKENS_PER_PARAM * params + (BATCH * 256) as u64);
            }
            assert!(s.steps >= last, "bigger rungs train no shorter");
            last = s.steps;
            let mix = s.data_mix().unwrap();
            assert!(mix.tasks.contains(&Task::Addition));
            assert_eq!(s.preset.to_string(), rung_name(n));
        }
    }
}
