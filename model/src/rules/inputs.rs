//! Inputs like a visitor's: words from a large English vocabulary (SCOWL sizes 10–50, 56,669
//! words of 1–12 letters, split into training and held-out words by a fixed hash), random letter
//! strings, palindromes, words with doubled letters, and words dressed with capitals, digits
//! and punctuation. E.g. `kayak`, `quokka`, `Paris`, `r2d2`, `x-ray`, `zqjxv`.
//!
//! Rare letters (q, x, z, j, k), repeated letters and palindromes are drawn far more often than
//! English has them, so that copy, reverse and sort are exact on the inputs a visitor tries.

use std::sync::OnceLock;

use rand::Rng;
use rand::seq::IndexedRandom;
use serde::{Deserialize, Serialize};

use crate::rules::words::{Split, split_of};

const COMMON: &str = include_str!("../../data/vocab-common.txt");
const RARE: &str = include_str!("../../data/vocab-rare.txt");

/// The longest input drawn.
pub const MAX_INPUT: usize = 12;

/// Where an input comes from; evaluation reports accuracy per source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// SCOWL sizes 10–35: words most people know.
    Common,
    /// SCOWL sizes 40–50: uncommon words (`quokka`, `abseil`).
    Uncommon,
    /// Random lowercase letters, 1–10 of them.
    Random,
    /// Any of the sources above, mixed as in training ([`draw`]).
    Mixed,
    /// Two or three common words: `ice cream`, `Big red dog` ([`phrase`]).
    Phrase,
    /// [`Source::Mixed`], and one input in ten a phrase: the new learners' training inputs.
    WithPhrases,
}

struct Vocab {
    common: [Vec<&'static str>; 2],
    rare: [Vec<&'static str>; 2],
    /// Words with q, x, z, j or k, from both lists.
    rare_letters: [Vec<&'static str>; 2],
}

fn index(split: Split) -> usize {
    match split {
        Split::Train => 0,
        Split::HeldOut => 1,
    }
}

fn vocab() -> &'static Vocab {
    static V: OnceLock<Vocab> = OnceLock::new();
    V.get_or_init(|| {
        let by_split = |text: &'static str| {
            let mut out: [Vec<&str>; 2] = [Vec::new(), Vec::new()];
            for w in text.lines().filter(|w| !w.is_empty()) {
                out[index(split_of(w))].push(w);
            }
            out
        };
        let (common, rare) = (by_split(COMMON), by_split(RARE));
        let rare_letters = std::array::from_fn(|i| {
            common[i]
                .iter()
                .chain(&rare[i])
                .copied()
                .filter(|w| w.contains(['q', 'x', 'z', 'j', 'k']))
                .collect()
        });
        Vocab {
            common,
            rare,
            rare_letters,
        }
    })
}

/// The vocabulary words of one source and split (common or uncommon).
pub fn vocabulary(uncommon: bool, split: Split) -> &'static [&'static str] {
    let v = vocab();
    if uncommon {
        &v.rare[index(split)]
    } else {
        &v.common[index(split)]
    }
}

fn random_letters<R: Rng + ?Sized>(rng: &mut R, min: usize, max: usize) -> String {
    let n = rng.random_range(min..=max);
    (0..n)
        .map(|_| rng.random_range(b'a'..=b'z') as char)
        .collect()
}

fn word<R: Rng + ?Sized>(rng: &mut R, pool: &[&str]) -> String {
    (*pool.choose(rng).expect("vocabulary words")).to_string()
}

/// One input of `source`, from the words of `split`.
pub fn draw_from<R: Rng + ?Sized>(rng: &mut R, source: Source, split: Split) -> String {
    match source {
        Source::Common => word(rng, vocabulary(false, split)),
        Source::Uncommon => word(rng, vocabulary(true, split)),
        Source::Random => random_letters(rng, 1, 10),
        Source::Mixed => draw(rng, split),
        Source::Phrase => phrase(rng, split),
        Source::WithPhrases => {
            if rng.random_range(0..10) == 0 {
                phrase(rng, split)
            } else {
                draw(rng, split)
            }
        }
    }
}

/// The longest phrase drawn, spaces included.
pub const MAX_PHRASE: usize = 16;

/// Two or three common words of `split` joined by spaces, at most [`MAX_PHRASE`] characters:
/// `ice cream`, `red fox den`; one in five capitalised (`Big red dog`), one in ten with every
/// word capitalised (`New York`).
pub fn phrase<R: Rng + ?Sized>(rng: &mut R, split: Split) -> String {
    let pool = &vocab().common[index(split)];
    loop {
        let n = if rng.random_bool(0.7) { 2 } else { 3 };
        // Short whole words: a cut word reads as a typo.
        let words: Vec<String> = (0..n)
            .map(|_| {
                loop {
                    let w = word(rng, pool);
                    if w.len() <= 7 {
                        break w;
                    }
                }
            })
            .collect();
        let p = words.join(" ");
        if p.len() > MAX_PHRASE {
            continue;
        }
        return match rng.random_range(0..10) {
            0 | 1 => capital(&p),
            2 => words
                .iter()
                .map(|w| capital(w))
                .collect::<Vec<_>>()
                .join(" "),
            _ => p,
        };
    }
}

fn capital(w: &str) -> String {
    let mut c = w.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}

/// One visitor-like input of 1–[`MAX_INPUT`] characters from the words of `split`:
/// 30 % common words, 20 % uncommon, 10 % words with rare letters, 12 % random letters,
/// 7 % palindromes, 7 % words with a doubled letter, 14 % words with capitals, digits or
/// punctuation.
pub fn draw<R: Rng + ?Sized>(rng: &mut R, split: Split) -> String {
    let v = vocab();
    let i = index(split);
    let short = |w: String| -> String { w.chars().take(MAX_INPUT).collect() };
    let r: u32 = rng.random_range(0..100);
    let s = match r {
        0..30 => word(rng, &v.common[i]),
        30..50 => word(rng, &v.rare[i]),
        50..60 => word(rng, &v.rare_letters[i]),
        60..72 => random_letters(rng, 1, 10),
        72..79 => {
            // `kayak`, `abba`: a random half mirrored, with or without a middle letter.
            let half = random_letters(rng, 1, 5);
            let mid = if rng.random_bool(0.5) {
                random_letters(rng, 1, 1)
            } else {
                String::new()
            };
            format!("{half}{mid}{}", half.chars().rev().collect::<String>())
        }
        79..86 => {
            // `quokka`: a word with one of its letters doubled (or tripled).
            let w: Vec<char> = short(word(rng, &v.common[i])).chars().collect();
            let at = rng.random_range(0..w.len());
            let times = if rng.random_bool(0.8) { 2 } else { 3 };
            w.iter()
                .enumerate()
                .flat_map(|(j, &c)| std::iter::repeat_n(c, if j == at { times } else { 1 }))
                .collect()
        }
        _ => {
            let w = word(rng, &v.common[i]);
            decorated(rng, w)
        }
    };
    short(s)
}

/// `Paris`, `OK`, `abc12`, `r2d2`, `x-ray`, `don't`, `hi!`: a word with capitals, digits or
/// punctuation.
fn decorated<R: Rng + ?Sized>(rng: &mut R, w: String) -> String {
    let mut w: String = w.chars().take(MAX_INPUT - 2).collect();
    match rng.random_range(0..6) {
        0 => {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        }
        1 => w.to_ascii_uppercase(),
        2 => {
            w.push_str(&rng.random_range(0..100).to_string());
            w
        }
        3 => {
            // A digit in place of one letter: `r2d2`-like.
            let at = rng.random_range(0..w.chars().count());
            w.chars()
                .enumerate()
                .map(|(j, c)| {
                    if j == at {
                        char::from(b'0' + rng.random_range(0..10u8))
                    } else {
                        c
                    }
                })
                .collect()
        }
        4 => {
            let p = *['-', '\'', '.', '_'].choose(rng).expect("marks");
            let at = rng.random_range(0..=w.chars().count());
            let (a, b): (String, String) =
                (w.chars().take(at).collect(), w.chars().skip(at).collect());
            format!("{a}{p}{b}")
        }
        _ => {
            w.push(*['!', '?', '.', ','].choose(rng).expect("marks"));
            w
        }
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
    fn vocabulary_is_large_and_split_by_a_fixed_hash() {
        for uncommon in [false, true] {
            let (train, held) = (
                vocabulary(uncommon, Split::Train),
                vocabulary(uncommon, Split::HeldOut),
            );
            assert!(
                train.len() > 12_000 && held.len() > 3_000,
                "{}",
                train.len()
            );
            let t: std::collections::HashSet<_> = train.iter().collect();
            assert!(held.iter().all(|w| !t.contains(w)));
        }
    }

    #[test]
    fn inputs_are_short_varied_and_rich_in_hard_cases() {
        let mut rng = ChaCha8Rng::seed_from_u64(4);
        let xs: Vec<String> = (0..4000).map(|_| draw(&mut rng, Split::Train)).collect();
        let n = xs.len() as f32;
        let share = |f: &dyn Fn(&str) -> bool| xs.iter().filter(|x| f(x)).count() as f32 / n;
        assert!(
            xs.iter()
                .all(|x| (1..=MAX_INPUT).contains(&x.chars().count()))
        );
        assert!(xs.iter().all(|x| x.chars().all(|c| c.is_ascii_graphic())));
        let palindrome = |x: &str| x.len() > 2 && x.chars().rev().eq(x.chars());
        let repeated = |x: &str| x.as_bytes().windows(2).any(|w| w[0] == w[1]);
        let rare = |x: &str| x.contains(['q', 'x', 'z', 'j', 'k']);
        assert!(
            share(&palindrome) > 0.05,
            "palindromes {}",
            share(&palindrome)
        );
        assert!(
            share(&repeated) > 0.12,
            "doubled letters {}",
            share(&repeated)
        );
        assert!(share(&rare) > 0.2, "rare letters {}", share(&rare));
        assert!(share(&|x| x.chars().any(|c| c.is_ascii_uppercase())) > 0.03);
        assert!(share(&|x| x.chars().any(|c| c.is_ascii_digit())) > 0.03);
        assert!(share(&|x| x.chars().any(|c| c.is_ascii_punctuation())) > 0.03);
        assert!(share(&|x| x.len() == 1) > 0.005);
        // Held-out draws use held-out words only.
        let train = vocabulary(false, Split::Train);
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        for _ in 0..200 {
            let w = draw_from(&mut rng, Source::Common, Split::HeldOut);
            assert!(train.binary_search(&w.as_str()).is_err(), "{w}");
        }
    }
}
