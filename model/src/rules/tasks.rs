//! The project's fixed few-shot tasks: seeded generators of episodes. Each string task is a
//! program of the rule space ([`Program::family`]), so the page's presets, training and
//! evaluation apply one implementation.
//!
//! *Recognition* tasks have a fixed rule; examples only say which rule is meant. *Learning*
//! tasks draw a new random rule per episode, so only the examples can teach it (0-shot is at
//! chance). Episodes use the words of one split ([`super::words`]).
//!
//! Long for its tests: each task's worked example, and property tests of every task against
//! what its name says on inputs of every kind.

use rand::Rng;
use rand::seq::{IndexedRandom, SliceRandom};
use serde::{Deserialize, Serialize};

use crate::rules::arithmetic::{self, Digits};
use crate::rules::space::{Class, Prim, Program, Which, random_subst};
use crate::rules::template::{Shots, Template};
use crate::rules::words::{CATEGORIES, Split, category_words, words};

impl Program {
    /// The program that does what `task` does (copy, reverse, ...), or `None` for the tasks
    /// that are not string programs (category, lookup). Caesar and substitution need their
    /// random parameter: they are drawn with `rng`. Training, evaluation and the page's
    /// presets all apply a fixed task through this program.
    pub fn family(task: Task, rng: &mut impl Rng) -> Option<Program> {
        match task {
            Task::Caesar => Some(Program(vec![Prim::Shift(rng.random_range(1..=25))])),
            Task::Substitution => Some(Program(vec![random_subst(rng)])),
            _ => Program::fixed(task),
        }
    }

    /// The program of a task whose rule has no random parameter, or `None` (Caesar,
    /// substitution, category, lookup).
    pub fn fixed(task: Task) -> Option<Program> {
        let p = match task {
            Task::Copy => Prim::Copy,
            Task::Reverse => Prim::Reverse,
            Task::Uppercase => Prim::Upper(Which::All),
            Task::FirstLetter => Prim::Take(1),
            Task::LastLetter => Prim::Last(1),
            Task::SortLetters => Prim::Sort,
            Task::RepeatTwice => Prim::Repeat,
            Task::DropVowels => Prim::Remove(Class::Vowels),
            Task::Length => Prim::Length,
            Task::Caesar | Task::Substitution | Task::Category | Task::Lookup | Task::Addition => {
                return None;
            }
        };
        Some(Program(vec![p]))
    }
}

/// Whether a task's rule is fixed or drawn per episode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Family {
    Recognition,
    Learning,
}

/// The few-shot tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Task {
    /// `stone` → `stone`
    Copy,
    /// `stone` → `enots`
    Reverse,
    /// `stone` → `STONE`
    Uppercase,
    /// `stone` → `s`
    FirstLetter,
    /// `stone` → `e`
    LastLetter,
    /// `stone` → `enost`
    SortLetters,
    /// `stone` → `stonestone`
    RepeatTwice,
    /// `stone` → `stn`
    DropVowels,
    /// `stone` → `5`
    Length,
    /// `stone` → `tupof` with k = 1; k ∈ 1..=25 is drawn per episode and must be inferred.
    Caesar,
    /// `stone` → `qhkmv`: a random letter permutation per episode.
    Substitution,
    /// `tiger` → `vok`: each category (animal, color, fruit, body part) gets a random label.
    Category,
    /// `k7` → `dum`: a random table of keys and values per episode.
    Lookup,
    /// `347+58` → `405`: multi-digit addition ([`crate::rules::arithmetic`]), the ladder's
    /// "emergent" ability; not one of the [`Task::WORDS`].
    Addition,
}

impl Task {
    /// The tasks on words, recognition first: every model's default mix and evaluation.
    pub const WORDS: [Task; 13] = [
        Task::Copy,
        Task::Reverse,
        Task::Uppercase,
        Task::FirstLetter,
        Task::LastLetter,
        Task::SortLetters,
        Task::RepeatTwice,
        Task::DropVowels,
        Task::Length,
        Task::Caesar,
        Task::Substitution,
        Task::Category,
        Task::Lookup,
    ];

    /// Every task: the [`Task::WORDS`], then addition.
    pub const ALL: [Task; 14] = {
        let mut all = [Task::Addition; 14];
        let mut i = 0;
        while i < Task::WORDS.len() {
            all[i] = Task::WORDS[i];
            i += 1;
        }
        all
    };

    /// Stable snake_case name.
    pub fn name(self) -> &'static str {
        match self {
            Task::Copy => "copy",
            Task::Reverse => "reverse",
            Task::Uppercase => "uppercase",
            Task::FirstLetter => "first_letter",
            Task::LastLetter => "last_letter",
            Task::SortLetters => "sort_letters",
            Task::RepeatTwice => "repeat_twice",
            Task::DropVowels => "drop_vowels",
            Task::Length => "length",
            Task::Caesar => "caesar",
            Task::Substitution => "substitution",
            Task::Category => "category",
            Task::Lookup => "lookup",
            Task::Addition => "addition",
        }
    }

    /// The task called `name`.
    pub fn from_name(name: &str) -> Option<Task> {
        Task::ALL.into_iter().find(|t| t.name() == name)
    }
}

/// A task name that is not one of [`Task::WORDS`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown task {0:?}; tasks are {names}", names = Task::ALL.map(Task::name).join(", "))]
pub struct UnknownTask(pub String);

impl std::str::FromStr for Task {
    type Err = UnknownTask;
    fn from_str(s: &str) -> Result<Task, UnknownTask> {
        Task::from_name(s.trim()).ok_or_else(|| UnknownTask(s.to_string()))
    }
}

impl Task {
    pub fn family(self) -> Family {
        match self {
            Task::Substitution | Task::Category | Task::Lookup => Family::Learning,
            _ => Family::Recognition,
        }
    }

    /// The output of a fixed-rule task for `x` (its [`Program::fixed`], or the sum for
    /// addition); `None` for tasks whose rule is drawn per episode (Caesar, substitution,
    /// category, lookup) and for an input that is not a sum.
    pub fn apply(self, x: &str) -> Option<String> {
        if self == Task::Addition {
            return arithmetic::answer(x);
        }
        Program::fixed(self).map(|p| p.apply(x))
    }

    /// An episode of `k` examples and a query, from words of `split` (sums of one to four
    /// digits for addition, whose numbers have no split).
    pub fn episode(self, rng: &mut impl Rng, k: usize, split: Split) -> Episode {
        if self == Task::Addition {
            let Shots {
                examples,
                query,
                answer,
            } = arithmetic::episode(rng, k, Digits::AtLeast(1));
            return Episode {
                task: self,
                examples,
                query,
                answer,
            };
        }
        let pool = words(split);
        let pick = |rng: &mut dyn rand::RngCore| -> String {
            (*pool.choose(rng).expect("words")).to_string()
        };
        let rule = Rule::draw(self, rng);
        let (inputs, query): (Vec<String>, String) = match self {
            Task::Category => {
                let cats: Vec<usize> = {
                    let mut c: Vec<usize> = (0..CATEGORIES.len()).collect();
                    c.shuffle(rng);
                    c.truncate(rng.random_range(2..=3));
                    c
                };
                let word = |rng: &mut dyn rand::RngCore, c: usize| -> String {
                    (*category_words(c, split)
                        .choose(rng)
                        .expect("category words"))
                    .to_string()
                };
                let qc = *cats.choose(rng).expect("categories");
                let query = word(rng, qc);
                // Every category shown at least once when k allows, the query's first.
                let mut order: Vec<usize> = std::iter::once(qc)
                    .chain(cats.iter().copied().filter(|&c| c != qc))
                    .collect();
                order.truncate(k);
                while order.len() < k {
                    order.push(*cats.choose(rng).expect("categories"));
                }
                order.shuffle(rng);
                (order.into_iter().map(|c| word(rng, c)).collect(), query)
            }
            Task::Lookup => {
                let keys = rule.lookup_keys();
                let mut shown: Vec<String> = keys.clone();
                shown.shuffle(rng);
                shown.truncate(k);
                let query = if k == 0 {
                    keys[0].clone()
                } else {
                    shown.choose(rng).expect("keys").clone()
                };
                (shown, query)
            }
            Task::Substitution => {
                let query = pick(rng);
                // Show each of the query's letters in some example when k allows.
                let mut inputs: Vec<String> = Vec::new();
                for c in query.chars() {
                    if inputs.len() >= k || inputs.iter().any(|w| w.contains(c)) {
                        continue;
                    }
                    let with: Vec<&&str> = pool
                        .iter()
                        .filter(|w| w.contains(c) && **w != query)
                        .collect();
                    if let Some(w) = with.choose(rng) {
                        inputs.push(w.to_string());
                    }
                }
                while inputs.len() < k {
                    inputs.push(pick(rng));
                }
                inputs.shuffle(rng);
                (inputs, query)
            }
            _ => ((0..k).map(|_| pick(rng)).collect(), pick(rng)),
        };
        let examples = inputs
            .into_iter()
            .map(|x| (rule.apply(&x), x))
            .map(|(y, x)| (x, y))
            .collect();
        let answer = rule.apply(&query);
        Episode {
            task: self,
            examples,
            query,
            answer,
        }
    }
}

/// The rule of one episode: a program of the rule space, or a table drawn for it.
#[derive(Debug, Clone)]
enum Rule {
    Program(Program),
    Category([String; 4]),
    Lookup(Vec<(String, String)>),
}

fn random_label(rng: &mut impl Rng) -> String {
    const C: &[u8] = b"bcdfghjklmnprstvz";
    const V: &[u8] = b"aeiou";
    [C, V, C]
        .iter()
        .map(|set| *set.choose(rng).expect("letters") as char)
        .collect()
}

impl Rule {
    fn draw(task: Task, rng: &mut impl Rng) -> Rule {
        match task {
            Task::Category => {
                let mut labels: Vec<String> = Vec::new();
                while labels.len() < 4 {
                    let l = random_label(rng);
                    if !labels.contains(&l) {
                        labels.push(l);
                    }
                }
                Rule::Category(std::array::from_fn(|i| labels[i].clone()))
            }
            Task::Lookup => {
                let mut table: Vec<(String, String)> = Vec::new();
                while table.len() < 12 {
                    let key = format!(
                        "{}{}",
                        rng.random_range(b'a'..=b'z') as char,
                        rng.random_range(0..10)
                    );
                    if table.iter().all(|(k, _)| *k != key) {
                        table.push((key, random_label(rng)));
                    }
                }
                Rule::Lookup(table)
            }
            t => Rule::Program(Program::family(t, rng).expect("a string task")),
        }
    }

    fn lookup_keys(&self) -> Vec<String> {
        match self {
            Rule::Lookup(t) => t.iter().map(|(k, _)| k.clone()).collect(),
            _ => Vec::new(),
        }
    }

    fn apply(&self, x: &str) -> String {
        match self {
            Rule::Program(p) => p.apply(x),
            Rule::Category(labels) => CATEGORIES
                .iter()
                .position(|(_, ws)| ws.contains(&x))
                .map_or_else(|| "?".to_string(), |i| labels[i].clone()),
            Rule::Lookup(t) => t
                .iter()
                .find(|(k, _)| k == x)
                .map_or_else(|| "?".into(), |(_, v)| v.clone()),
        }
    }
}

/// Permutes `items` so that none stays in place (when there are at least two): a random
/// rotation of a shuffled order.
pub fn derange<T: Clone>(items: &mut [T], rng: &mut impl Rng) {
    let n = items.len();
    if n < 2 {
        return;
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(rng);
    let old = items.to_vec();
    for (i, &at) in order.iter().enumerate() {
        items[at] = old[order[(i + 1) % n]].clone();
    }
}

/// One few-shot episode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Episode {
    pub task: Task,
    /// `(input, output)` pairs shown in the prompt.
    pub examples: Vec<(String, String)>,
    pub query: String,
    /// The correct output for the query.
    pub answer: String,
}

impl Episode {
    /// The prompt under `template`.
    pub fn prompt(&self, template: &Template) -> String {
        template.prompt(&self.examples, &self.query)
    }
}

/// A repeated random string, for induction: e.g. `q3kx9…q3kx9…` (length `len`).
///
/// The string has 10 to `len / 2` characters (at most 120) of letters and digits, so the only
/// way to predict the second and later copies is to look back at the first. The period varies
/// widely so that heads attending at fixed offsets cannot stand in for an induction head.
pub fn induction_text(rng: &mut impl Rng, len: usize) -> String {
    let n = rng.random_range(10..=(len / 2).clamp(10, 120));
    let chars = crate::net::tokenizer::ALPHANUMERIC.as_bytes();
    let unit: Vec<u8> = (0..n).map(|_| *chars.choose(rng).expect("chars")).collect();
    unit.iter().cycle().take(len).map(|&b| b as char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn documented_examples_hold() {
        let r = |t: Task| t.apply("stone").unwrap();
        assert_eq!(Task::Caesar.apply("stone"), None);
        assert_eq!(Task::Lookup.apply("stone"), None);
        assert_eq!(r(Task::Reverse), "enots");
        assert_eq!(r(Task::Uppercase), "STONE");
        assert_eq!(r(Task::FirstLetter), "s");
        assert_eq!(r(Task::LastLetter), "e");
        assert_eq!(r(Task::SortLetters), "enost");
        assert_eq!(r(Task::RepeatTwice), "stonestone");
        assert_eq!(r(Task::DropVowels), "stn");
        assert_eq!(r(Task::Length), "5");
    }

    #[test]
    fn episodes_are_seeded_and_consistent() {
        for task in Task::WORDS {
            let a = task.episode(&mut ChaCha8Rng::seed_from_u64(3), 8, Split::HeldOut);
            let b = task.episode(&mut ChaCha8Rng::seed_from_u64(3), 8, Split::HeldOut);
            assert_eq!(a, b, "{task:?}");
            assert_eq!(a.examples.len(), 8);
            assert!(!a.answer.is_empty() && a.answer != "?", "{task:?}: {a:?}");
            let held = words(Split::HeldOut);
            if !matches!(task, Task::Lookup | Task::Category) {
                assert!(
                    held.contains(&a.query.as_str()),
                    "{task:?} query from held-out words"
                );
            }
            assert_eq!(Task::from_name(task.name()), Some(task));
        }
    }

    #[test]
    fn learning_tasks_show_what_the_query_needs() {
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        for _ in 0..50 {
            let e = Task::Substitution.episode(&mut rng, 8, Split::HeldOut);
            for c in e.query.chars() {
                assert!(e.examples.iter().any(|(x, _)| x.contains(c)), "{e:?}");
            }
            let e = Task::Lookup.episode(&mut rng, 4, Split::HeldOut);
            assert!(
                e.examples
                    .iter()
                    .any(|(x, y)| *x == e.query && *y == e.answer)
            );
            let e = Task::Category.episode(&mut rng, 4, Split::HeldOut);
            assert!(e.examples.iter().any(|(_, y)| *y == e.answer), "{e:?}");
        }
    }

    /// Every fixed task, on any input (capitals, digits, marks, letters beyond ASCII), does
    /// what its name says, written here independently of the rule space that runs it: the
    /// presets, training and evaluation all apply these programs.
    #[cfg(not(target_arch = "wasm32"))]
    mod props {
        use super::super::*;
        use proptest::prelude::*;
        use rand::SeedableRng;
        use rand_chacha::ChaCha8Rng;

        const VOWELS: &str = "aeiouAEIOU";

        /// What a visitor expects of each fixed task (`None`: the rule is drawn).
        fn expected(task: Task, x: &str) -> Option<String> {
            let chars: Vec<char> = x.chars().collect();
            Some(match task {
                Task::Copy => x.to_string(),
                Task::Reverse => chars.iter().rev().collect(),
                Task::Uppercase => x.to_uppercase(),
                Task::FirstLetter => chars.first().map(char::to_string).unwrap_or_default(),
                Task::LastLetter => chars.last().map(char::to_string).unwrap_or_default(),
                Task::SortLetters => {
                    let mut c = chars;
                    c.sort();
                    c.into_iter().collect()
                }
                Task::RepeatTwice => format!("{x}{x}"),
                Task::DropVowels => x.chars().filter(|c| !VOWELS.contains(*c)).collect(),
                Task::Length => chars.len().to_string(),
                Task::Caesar
                | Task::Substitution
                | Task::Category
                | Task::Lookup
                | Task::Addition => return None,
            })
        }

        /// The letter `c` shifted `n` places in its own case; anything else unchanged.
        fn shifted(c: char, n: u8) -> char {
            match c {
                'a'..='z' => (b'a' + (c as u8 - b'a' + n) % 26) as char,
                'A'..='Z' => (b'A' + (c as u8 - b'A' + n) % 26) as char,
                _ => c,
            }
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(512))]
            #[test]
            fn addition_adds(a in 0u32..10_000, b in 0u32..10_000) {
                let sum = Task::Addition.apply(&format!("{a}+{b}"));
                prop_assert_eq!(sum, Some((a + b).to_string()));
            }

            #[test]
            fn fixed_tasks_do_what_their_names_say(x in "[a-zA-Z0-9 .!?éÉßø-]{0,14}") {
                for task in Task::WORDS {
                    prop_assert_eq!(task.apply(&x), expected(task, &x), "{:?} on {:?}", task, x);
                }
            }

            #[test]
            fn ciphers_keep_case_and_leave_other_characters(
                x in "[a-zA-Z0-9 .!?é-]{1,14}",
                seed in any::<u64>(),
            ) {
                let mut rng = ChaCha8Rng::seed_from_u64(seed);
                let caesar = Program::family(Task::Caesar, &mut rng).unwrap();
                let y = caesar.apply(&x);
                // The shift is the one that maps the first letter of the alphabet.
                let n = (caesar.apply("a").as_bytes()[0] - b'a') % 26;
                prop_assert!((1..=25).contains(&n));
                let want: String = x.chars().map(|c| shifted(c, n)).collect();
                prop_assert_eq!(&y, &want);
                let subst = Program::family(Task::Substitution, &mut rng).unwrap();
                let lower = subst.apply(&x.to_ascii_lowercase());
                let y = subst.apply(&x);
                prop_assert_eq!(y.to_ascii_lowercase(), lower);
                for (a, b) in x.chars().zip(y.chars()) {
                    prop_assert_eq!(a.is_ascii_uppercase(), b.is_ascii_uppercase());
                    prop_assert_eq!(a.is_ascii_alphabetic(), b.is_ascii_alphabetic());
                    if !a.is_ascii_alphabetic() {
                        prop_assert_eq!(a, b);
                    }
                }
            }

            #[test]
            fn episodes_apply_their_task(task_i in 0usize..11, seed in any::<u64>()) {
                let task = Task::WORDS[task_i];
                let e = task.episode(&mut ChaCha8Rng::seed_from_u64(seed), 6, Split::HeldOut);
                let query = (e.query.clone(), e.answer.clone());
                for (x, y) in e.examples.iter().chain([&query]) {
                    if let Some(want) = expected(task, x) {
                        prop_assert_eq!(y, &want);
                    }
                }
            }
        }
    }

    #[test]
    fn induction_text_repeats() {
        let s = induction_text(&mut ChaCha8Rng::seed_from_u64(1), 100);
        assert_eq!(s.len(), 100);
        let n = (8..=32)
            .find(|&n| s[n..].starts_with(&s[..100 - n]))
            .unwrap();
        assert!(s[..n].chars().all(|c| c.is_ascii_alphanumeric()));
    }
}
