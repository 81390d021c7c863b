//! Multi-digit addition in the few-shot format: `347+58` → `405`. The classic "emergent"
//! ability (Wei et al. 2022): the ladder of models across sizes is trained on it beside the
//! rule space, and measured on it by the operands' digit count.
//!
//! Operands are written without leading zeros, one to [`MAX_DIGITS`] digits each; training
//! draws each operand's digit count uniformly, so short and long sums are seen alike.

use rand::Rng;

use crate::rules::template::Shots;

/// The most digits an operand has.
pub const MAX_DIGITS: usize = 4;

/// How many digits an episode's operands have (each clamped to 1..=[`MAX_DIGITS`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Digits {
    /// Each operand's count drawn from this many to [`MAX_DIGITS`]: `AtLeast(1)` in training
    /// (the task's episodes), `AtLeast(2)` in the page's preset.
    AtLeast(usize),
    /// Both operands exactly this many digits: the evaluation by size.
    Exactly(usize),
}

impl Digits {
    fn draw(self, rng: &mut impl Rng) -> usize {
        match self {
            Digits::AtLeast(n) => rng.random_range(n.clamp(1, MAX_DIGITS)..=MAX_DIGITS),
            Digits::Exactly(n) => n.clamp(1, MAX_DIGITS),
        }
    }
}

/// A number of exactly `digits` digits (0 counts as one digit).
fn operand(rng: &mut impl Rng, digits: usize) -> u32 {
    if digits <= 1 {
        return rng.random_range(0..10);
    }
    let low = 10u32.pow(digits as u32 - 1);
    rng.random_range(low..low * 10)
}

/// One sum and its answer: `("347+58", "405")`.
pub fn sum(rng: &mut impl Rng, digits: Digits) -> (String, String) {
    let (da, db) = (digits.draw(rng), digits.draw(rng));
    let (a, b) = (operand(rng, da), operand(rng, db));
    (format!("{a}+{b}"), (a + b).to_string())
}

/// The answer to `a+b` written as the task writes it, or `None` when `input` is not two
/// numbers of at most [`MAX_DIGITS`] digits joined by `+` (surrounding spaces allowed).
pub fn answer(input: &str) -> Option<String> {
    let (a, b) = input.trim().split_once('+')?;
    let number = |s: &str| -> Option<u32> {
        let s = s.trim();
        let ok = !s.is_empty() && s.len() <= MAX_DIGITS && s.bytes().all(|c| c.is_ascii_digit());
        ok.then(|| s.parse().ok()).flatten()
    };
    Some((number(a)? + number(b)?).to_string())
}

/// `k` sums and a query sum, all with operands of `digits`.
pub fn episode(rng: &mut impl Rng, k: usize, digits: Digits) -> Shots {
    let examples = (0..k).map(|_| sum(rng, digits)).collect();
    let (query, answer) = sum(rng, digits);
    Shots {
        examples,
        query,
        answer,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn sums_are_right_and_have_the_digits_asked_for() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        for n in 1..=MAX_DIGITS {
            for _ in 0..200 {
                let (q, a) = sum(&mut rng, Digits::Exactly(n));
                let (x, y) = q.split_once('+').unwrap();
                assert_eq!(x.len(), n, "{q}");
                assert_eq!(y.len(), n, "{q}");
                let want = x.parse::<u32>().unwrap() + y.parse::<u32>().unwrap();
                assert_eq!(a, want.to_string());
                assert_eq!(answer(&q).as_deref(), Some(a.as_str()));
            }
        }
    }

    #[test]
    fn any_digits_covers_every_length() {
        let mut rng = ChaCha8Rng::seed_from_u64(4);
        let mut seen = [false; MAX_DIGITS + 1];
        for _ in 0..400 {
            let (q, _) = sum(&mut rng, Digits::AtLeast(1));
            for part in q.split('+') {
                seen[part.len()] = true;
            }
        }
        assert!(seen[1..].iter().all(|&s| s), "{seen:?}");
    }

    #[test]
    fn answer_reads_a_visitors_sum_and_refuses_the_rest() {
        assert_eq!(answer("347+58").as_deref(), Some("405"));
        assert_eq!(answer(" 9999 + 1 ").as_deref(), Some("10000"));
        assert_eq!(answer("12+"), None);
        assert_eq!(answer("12-3"), None);
        assert_eq!(answer("12345+1"), None);
        assert_eq!(answer("a+1"), None);
        assert_eq!(answer("１+1"), None);
    }

    #[test]
    fn episodes_are_seeded_and_sized() {
        let e = episode(&mut ChaCha8Rng::seed_from_u64(1), 4, Digits::Exactly(3));
        assert_eq!(e.examples.len(), 4);
        assert_eq!(answer(&e.query), Some(e.answer.clone()));
        assert_eq!(
            e,
            episode(&mut ChaCha8Rng::seed_from_u64(1), 4, Digits::Exactly(3))
        );
    }
}
