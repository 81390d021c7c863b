//! The bundled words (`data/words.txt`, a list written for this project) and their split
//! into training and held-out words by a fixed hash; evaluation uses only held-out words.

use serde::{Deserialize, Serialize};

const WORDS: &str = include_str!("../../data/words.txt");

/// Word categories for [`Task::Category`] (training and held-out words are split per category).
pub const CATEGORIES: [(&str, &[&str]); 4] = [
    (
        "animal",
        &[
            "cat", "dog", "fox", "owl", "pig", "cow", "bat", "bee", "ant", "eel", "yak", "hen",
            "horse", "sheep", "mouse", "tiger", "zebra", "camel", "eagle", "shark", "whale",
            "snake", "otter", "panda", "rabbit", "monkey", "spider", "turtle", "lizard", "dolphin",
            "penguin", "giraffe", "octopus", "kitten", "salmon", "robin",
        ],
    ),
    (
        "color",
        &[
            "red", "blue", "green", "black", "white", "brown", "pink", "gray", "gold", "teal",
            "navy", "cyan", "rose", "amber", "coral", "ivory", "purple", "yellow", "silver",
            "violet", "indigo", "maroon", "scarlet", "crimson", "magenta", "beige", "azure",
        ],
    ),
    (
        "fruit",
        &[
            "apple", "pear", "plum", "fig", "kiwi", "lime", "lemon", "grape", "mango", "melon",
            "peach", "berry", "cherry", "banana", "orange", "papaya", "guava", "olive", "date",
            "apricot", "coconut", "raisin", "quince", "lychee", "nectar", "durian", "citron",
        ],
    ),
    (
        "body",
        &[
            "arm", "leg", "ear", "eye", "lip", "toe", "hip", "jaw", "hand", "foot", "head", "neck",
            "knee", "nose", "chin", "shin", "heel", "palm", "wrist", "elbow", "ankle", "thumb",
            "tooth", "mouth", "chest", "spine", "finger", "cheek", "throat", "stomach",
        ],
    ),
];

/// Which words a generator may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Split {
    /// About 80 % of the words: used for training.
    Train,
    /// The other 20 %: used only for evaluation.
    HeldOut,
}

fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf29ce484222325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
    })
}

pub(crate) fn split_of(word: &str) -> Split {
    if fnv(word).is_multiple_of(5) {
        Split::HeldOut
    } else {
        Split::Train
    }
}

/// The bundled words of one split, sorted and without duplicates.
pub fn words(split: Split) -> Vec<&'static str> {
    let mut w: Vec<&str> = WORDS
        .split_whitespace()
        .filter(|w| split_of(w) == split)
        .collect();
    w.sort_unstable();
    w.dedup();
    w
}

pub(crate) fn category_words(cat: usize, split: Split) -> Vec<&'static str> {
    CATEGORIES[cat]
        .1
        .iter()
        .copied()
        .filter(|w| split_of(w) == split)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn splits_are_disjoint_and_nonempty() {
        let (train, held) = (words(Split::Train), words(Split::HeldOut));
        assert!(
            train.len() > 800 && held.len() > 150,
            "{} / {}",
            train.len(),
            held.len()
        );
        assert!(held.iter().all(|w| !train.contains(w)));
        for (c, (name, _)) in CATEGORIES.iter().enumerate() {
            assert!(category_words(c, Split::HeldOut).len() >= 3, "{name}");
        }
    }
}
