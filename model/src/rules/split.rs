//! Which programs of the rule space train and which are held out, and how programs are
//! drawn. The space is split three ways by fixed hashes ([`ProgramSplit`]): a pair of
//! primitive kinds is held out altogether (no training program contains both), and of the
//! other programs a share is held out by a hash of their *behaviour* on fixed probe inputs,
//! so two texts for the same function (`rotate(1) | rotate(1)` and `rotate(2)`) always fall
//! on the same side. Programs that do what a fixed task does always train.

use rand::Rng;
use rand::seq::IndexedRandom;
use serde::{Deserialize, Serialize};

use crate::rules::space::{Kind, MAX_OUTPUT, Prim, Program, fnv};
use crate::rules::tasks::Task;

/// Share of drawn programs that end in an answer kind ([`Kind::is_answer`]).
const ANSWER_SHARE: f64 = 0.2;

/// Which part of the space a program belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProgramSplit {
    /// Drawn in training.
    Train,
    /// Never trained on: a program whose behaviour hashes into the held-out share.
    HeldOut,
    /// Never trained on: a composition containing a pair of kinds no training program has.
    HeldOutPair,
}

/// Whether the unordered pair of kinds `a`, `b` is held out (about one pair in eight; a kind
/// paired with itself never is).
pub fn pair_held_out(a: Kind, b: Kind) -> bool {
    let (a, b) = (a.name(), b.name());
    let (a, b) = if a <= b { (a, b) } else { (b, a) };
    a != b && fnv(format!("{a}+{b}").bytes()).is_multiple_of(8)
}

impl Program {
    /// Which part of the space the program is in. A program that does what a fixed task
    /// does trains, unless it holds a held-out pair (then [`Program::draw`] never draws it).
    pub fn split(&self) -> ProgramSplit {
        let kinds: Vec<Kind> = self.0.iter().map(Prim::kind).collect();
        for (i, a) in kinds.iter().enumerate() {
            if kinds[i + 1..].iter().any(|&b| pair_held_out(*a, b)) {
                return ProgramSplit::HeldOutPair;
            }
        }
        if self.is_family_like() {
            return ProgramSplit::Train;
        }
        if fnv(self.fingerprint().to_le_bytes()) % 100 < HELD_OUT_PERCENT {
            ProgramSplit::HeldOut
        } else {
            ProgramSplit::Train
        }
    }

    /// Whether the program is worth a rule: short outputs, rarely empty, it changes most
    /// inputs, and no step can be dropped without changing what it does.
    fn is_sound(&self) -> bool {
        let probes = self.probes();
        let outs: Vec<String> = probes.iter().map(|x| self.apply(x)).collect();
        // Spaces only inside the words of a phrase's answer.
        let spaced = |y: &str| y.contains("  ") || y.starts_with(' ') || y.ends_with(' ');
        if outs.iter().any(|y| {
            y.chars().count() > MAX_OUTPUT
                || y.contains('\n')
                || spaced(y)
                || (!self.is_phrasal() && y.contains(' '))
        }) {
            return false;
        }
        let extended = self.is_extended();
        let empty = outs.iter().filter(|y| y.is_empty()).count();
        let same = outs.iter().zip(probes).filter(|(y, x)| y == x).count();
        if empty > 3 || (same > probes.len() / 2 && self.0 != [Prim::Copy]) {
            return false;
        }
        let distinct: std::collections::HashSet<&String> = outs.iter().collect();
        if extended && distinct.len() < 2 {
            return false;
        }
        let print = self.fingerprint();
        (0..self.0.len()).all(|i| {
            let mut fewer = self.0.clone();
            fewer.remove(i);
            fewer.is_empty() || Program(fewer).fingerprint() != print
        })
    }

    /// A random sound program of 1–3 primitives (40 / 40 / 20 %) in `split`, by rejection.
    pub fn draw(rng: &mut impl Rng, split: ProgramSplit) -> Program {
        loop {
            let n = step_count(rng);
            // `copy` and `length` only alone: in a composition they are no step or end it.
            let p: Vec<Prim> = (0..n)
                .map(|_| Prim::draw(Kind::ALL[rng.random_range(1..ORIGINAL_KINDS - 1)], rng))
                .collect();
            let p = if n == 1 && rng.random_bool(0.04) {
                vec![Prim::draw(
                    *[Kind::Copy, Kind::Length].choose(rng).expect("k"),
                    rng,
                )]
            } else {
                p
            };
            if let Some(program) = Program(p).accepted(split) {
                return program;
            }
        }
    }

    /// A random sound program of the whole space, the kinds on phrases and the kinds that
    /// answer about the input included, in `split`, by rejection. One in five ends in an
    /// answering kind (`length`, `count`, `has`, `palindrome`, `longer`, `words`).
    pub fn draw_extended(rng: &mut impl Rng, split: ProgramSplit) -> Program {
        loop {
            let n = step_count(rng);
            // `copy` only alone; a kind that answers about its input only as the last step.
            let p: Vec<Prim> = (0..n)
                .map(|i| {
                    let kinds = if i + 1 == n && rng.random_bool(ANSWER_SHARE) {
                        &answer_kinds()[..]
                    } else {
                        &rewrite_kinds()[..]
                    };
                    Prim::draw(*kinds.choose(rng).expect("kinds"), rng)
                })
                .collect();
            let p = if n == 1 && rng.random_bool(0.02) {
                vec![Prim::Copy]
            } else {
                p
            };
            if let Some(program) = Program(p).accepted(split) {
                return program;
            }
        }
    }

    /// Whether a program of kinds added after the first 31 (on phrases, or answering
    /// about the input) is among its steps.
    pub fn is_extended(&self) -> bool {
        self.0.iter().any(|p| p.kind() as usize >= ORIGINAL_KINDS)
    }

    /// The program, if it is sound and in `split` (a held-out one never does what a fixed
    /// task does).
    fn accepted(self, split: ProgramSplit) -> Option<Program> {
        let family = split != ProgramSplit::Train && self.is_family_like();
        (self.split() == split && !family && self.is_sound()).then_some(self)
    }
}

/// 1–3 steps (40 / 40 / 20 %).
fn step_count(rng: &mut impl Rng) -> usize {
    match rng.random_range(0..10) {
        0..4 => 1,
        4..8 => 2,
        _ => 3,
    }
}

/// The kinds of the first rule space (to `length`): [`Program::draw`] draws only these, so
/// runs begun before the space grew see the same programs.
const ORIGINAL_KINDS: usize = Kind::Length as usize + 1;

/// The kinds that rewrite their input (all but `copy` and the answer kinds).
fn rewrite_kinds() -> &'static Vec<Kind> {
    static K: std::sync::OnceLock<Vec<Kind>> = std::sync::OnceLock::new();
    K.get_or_init(|| {
        Kind::ALL[1..]
            .iter()
            .copied()
            .filter(|k| !k.is_answer())
            .collect()
    })
}

/// The kinds that answer about their input ([`Kind::is_answer`]).
fn answer_kinds() -> &'static Vec<Kind> {
    static K: std::sync::OnceLock<Vec<Kind>> = std::sync::OnceLock::new();
    K.get_or_init(|| {
        Kind::ALL
            .iter()
            .copied()
            .filter(|k| k.is_answer())
            .collect()
    })
}

/// Percent of the programs outside held-out pairs that are held out.
pub const HELD_OUT_PERCENT: u64 = 12;

impl Program {
    /// Whether the program does what a fixed task does: its behaviour is one of theirs, or it
    /// only shifts and substitutes letters (which is a substitution).
    pub fn is_family_like(&self) -> bool {
        static PRINTS: std::sync::OnceLock<Vec<u64>> = std::sync::OnceLock::new();
        let prints = PRINTS.get_or_init(|| {
            Task::WORDS
                .into_iter()
                .filter_map(Program::fixed)
                .chain((1..26).map(|n| Program(vec![Prim::Shift(n)])))
                .map(|p| p.fingerprint())
                .collect()
        });
        self.0
            .iter()
            .all(|p| matches!(p, Prim::Shift(_) | Prim::Subst(_)))
            || prints.contains(&self.fingerprint())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    use std::collections::HashSet;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn fixed_tasks_are_members_that_train() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        for task in Task::WORDS {
            let Some(p) = Program::family(task, &mut rng) else {
                assert!(matches!(task, Task::Category | Task::Lookup));
                continue;
            };
            assert_eq!(p.split(), ProgramSplit::Train, "{task:?}");
            assert!(p.is_family_like());
            if let Some(y) = task.apply("stone") {
                assert_eq!(p.apply("stone"), y, "{task:?}");
            }
        }
        // `reverse | last(1)` is `take(1)`, so it trains whatever its text.
        let same = Program(vec![Prim::Reverse, Prim::Last(1)]);
        assert!(same.is_family_like());
    }

    #[test]
    fn the_split_is_three_way_and_held_out_programs_never_train() {
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        let train: Vec<Program> = (0..20_000)
            .map(|_| Program::draw(&mut rng, ProgramSplit::Train))
            .collect();
        let texts: HashSet<String> = train.iter().map(Program::text).collect();
        assert!(texts.len() > 7_000, "{} distinct programs", texts.len());
        let prints: HashSet<u64> = train.iter().map(Program::fingerprint).collect();
        for p in &train {
            let k: Vec<Kind> = p.0.iter().map(Prim::kind).collect();
            for i in 0..k.len() {
                for j in i + 1..k.len() {
                    assert!(!pair_held_out(k[i], k[j]), "{} trains", p.text());
                }
            }
        }
        for split in [ProgramSplit::HeldOut, ProgramSplit::HeldOutPair] {
            for _ in 0..1_000 {
                let p = Program::draw(&mut rng, split);
                assert_eq!(p.split(), split);
                assert!(!texts.contains(&p.text()), "{} trains", p.text());
                // A held-out program's behaviour never trains (the split hashes it); a held-out
                // pair is held out by its kinds, and other kinds may do the same thing.
                assert!(
                    split == ProgramSplit::HeldOutPair || !prints.contains(&p.fingerprint()),
                    "{} behaves like a training program",
                    p.text()
                );
            }
        }
        let n = Kind::ALL.len();
        let all_pairs = n * (n - 1) / 2;
        let n_held = (0..n)
            .flat_map(|i| (i + 1..n).map(move |j| (i, j)))
            .filter(|&(i, j)| pair_held_out(Kind::ALL[i], Kind::ALL[j]))
            .count();
        assert!(
            n_held * 20 > all_pairs && n_held * 5 < all_pairs,
            "{n_held} of {all_pairs} pairs held out"
        );
    }
}
