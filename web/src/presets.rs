//! Builder operations: presets from the model crate's task generators, "More examples",
//! shuffling order or labels, and flipping to a wrong rule. Pure functions of a document and
//! a seed, so they are tested natively and reproducible from a share link.

use icl_model::rules::arithmetic::{self, Digits};
use icl_model::rules::space::Program;

use icl_model::rules::split::ProgramSplit;
use icl_model::rules::tasks::{Family, Task, derange};
use icl_model::rules::words::Split;
use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use crate::doc::{Doc, Example, MAX_EXAMPLES, PresetRef, Vary, View};

/// Examples drawn per preset episode; the ones not shown feed "More examples".
const POOL: usize = 24;

/// The addition preset's operands: two to four digits each.
const PRESET_DIGITS: Digits = Digits::AtLeast(2);

/// A preset's name on the page.
pub fn label(task: Task) -> &'static str {
    match task {
        Task::Copy => "Copy",
        Task::Reverse => "Reverse",
        Task::Uppercase => "Uppercase",
        Task::FirstLetter => "First letter",
        Task::LastLetter => "Last letter",
        Task::SortLetters => "Sort letters",
        Task::RepeatTwice => "Repeat twice",
        Task::DropVowels => "Drop vowels",
        Task::Length => "Length",
        Task::Caesar => "Caesar shift",
        Task::Substitution => "Random cipher",
        Task::Category => "Arbitrary labels",
        Task::Lookup => "Key → value",
        Task::Addition => "Add two numbers",
    }
}

/// One sentence on what a preset tests.
pub fn explain(task: Task) -> &'static str {
    match task.family() {
        Family::Recognition if task == Task::Addition => {
            "Sums of two to four digits, a rule fixed in training: does this model add, or only guess digits?"
        }
        Family::Recognition if task == Task::Caesar => {
            "The shift (1–25) is new in every episode: the examples must say which."
        }
        Family::Recognition => {
            "A rule the model saw in training: the examples only have to say which rule is meant."
        }
        Family::Learning => {
            "A rule drawn at random for this episode: only your examples can teach it (0-shot is chance)."
        }
    }
}

/// The preset of a rule no model of the page was trained on.
pub const UNSEEN: &str = "unseen_rule";

/// What the unseen-rule preset tests.
pub const UNSEEN_EXPLAIN: &str = "A rule drawn from a space of string programs and held out of every model's training: only your examples can teach it. Guess it yourself first, then show it.";

/// The held-out program `seed` draws for the unseen-rule preset: its examples follow it and
/// its canonical form (`drop(1) | upper(last)`) is shown on request.
pub fn unseen_program(seed: u64) -> Program {
    Program::draw(&mut ChaCha8Rng::seed_from_u64(seed), ProgramSplit::HeldOut)
}

/// The seed of the rule a first visit opens on: `upper(vowels)` (`alive` → `AlIvE`), a
/// held-out program. Measured with `icl complete --model learner`: 8 examples give `AlIvE`
/// (p = 0.95 on its least sure letter), none give `vila`.
pub const FIRST_VISIT_SEED: u64 = 21;
/// Examples the first visit's document shows.
pub const FIRST_VISIT_SHOTS: usize = 8;

/// The document a first visit opens on: a rule the learner never saw, taught by its examples
/// (the page runs it and measures its ICL curve as soon as the model is ready).
pub fn first_visit() -> Doc {
    apply_named(&Doc::default(), UNSEEN, FIRST_VISIT_SEED, FIRST_VISIT_SHOTS)
        .expect("the unseen-rule preset draws an episode")
}

/// The preset picker's groups, in the order it shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// Rules no model of the page was trained on: only the examples can teach them.
    Learns,
    /// Rules the model was trained on: the examples only say which is meant.
    Recognises,
    /// Copying what the prompt already holds (induction heads).
    Induction,
}

impl Group {
    pub const ALL: [Group; 3] = [Group::Learns, Group::Recognises, Group::Induction];

    /// The group's heading in the picker.
    pub fn title(self) -> &'static str {
        match self {
            Group::Learns => "The model learns it from your examples",
            Group::Recognises => "The model recognises it from training",
            Group::Induction => "Induction: repeating what the prompt holds",
        }
    }

    /// The presets of the group, by name ([`Task::name`] or [`UNSEEN`]).
    pub fn presets(self) -> Vec<&'static str> {
        let unseen = (self == Group::Learns).then_some(UNSEEN);
        unseen
            .into_iter()
            .chain(
                Task::ALL
                    .into_iter()
                    .filter(|&t| group(t) == self)
                    .map(Task::name),
            )
            .collect()
    }
}

/// The picker's group of a task: copying and repeating are induction, the rules drawn per
/// episode are learned, the fixed ones recognised.
pub fn group(task: Task) -> Group {
    match task {
        Task::Copy | Task::RepeatTwice => Group::Induction,
        t if t.family() == Family::Learning => Group::Learns,
        _ => Group::Recognises,
    }
}

/// A preset's name on the page, by its name ([`Task::name`] or [`UNSEEN`]).
pub fn label_of(name: &str) -> &'static str {
    Task::from_name(name).map_or("A rule the model never saw", label)
}

/// Whether `name` names a preset ([`Task::name`] or [`UNSEEN`]).
pub fn is_preset(name: &str) -> bool {
    name == UNSEEN || Task::from_name(name).is_some()
}

/// A preset's examples, query and answer.
struct Pool {
    examples: Vec<(String, String)>,
    query: String,
    answer: String,
}

/// The episode of the preset `name` (a task, or [`UNSEEN`]): `POOL` examples of one rule and
/// a held-out query.
fn episode(name: &str, seed: u64) -> Option<Pool> {
    if name == UNSEEN {
        // The presets' own held-out words: the rule space's larger vocabulary would add its
        // word lists to the page's code.
        let rule = unseen_program(seed);
        let mut words = icl_model::rules::words::words(Split::HeldOut);
        words.shuffle(&mut ChaCha8Rng::seed_from_u64(seed ^ 0x0005_ee11));
        let mut pairs = words
            .into_iter()
            .map(|w| (w.to_string(), rule.apply(w)))
            .filter(|(_, y)| !y.is_empty());
        let (query, answer) = pairs.next()?;
        let mut examples: Vec<(String, String)> = pairs.take(POOL).collect();
        // A letter-by-letter rule can only be learned for letters the examples show.
        if rule.needs_coverage() {
            examples.sort_by_key(|(x, _)| usize::from(!x.chars().any(|c| query.contains(c))));
        }
        return Some(Pool {
            examples,
            query,
            answer,
        });
    }
    let task = Task::from_name(name)?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    if task == Task::Addition {
        let s = arithmetic::episode(&mut rng, POOL, PRESET_DIGITS);
        return Some(Pool {
            examples: s.examples,
            query: s.query,
            answer: s.answer,
        });
    }
    let mut e = task.episode(&mut rng, POOL, Split::HeldOut);
    // Lookup and cipher queries need their key / letters shown: keep the examples that hold
    // them first, so the first k shown are the useful ones.
    let q = e.query.clone();
    e.examples.sort_by_key(|(x, _)| match task {
        Task::Lookup => usize::from(*x != q),
        Task::Substitution => usize::from(!x.chars().any(|c| q.contains(c))),
        _ => 0,
    });
    Some(Pool {
        examples: e.examples,
        query: e.query,
        answer: e.answer,
    })
}

/// A fresh preset: `k` examples and a query from `task`'s generator (held-out words).
pub fn apply_preset(doc: &Doc, task: Task, seed: u64, k: usize) -> Doc {
    apply_named(doc, task.name(), seed, k).unwrap_or_else(|| doc.clone())
}

/// [`apply_preset`] by the preset's name, a task's or [`UNSEEN`] (`None` for another name).
pub fn apply_named(doc: &Doc, name: &str, seed: u64, k: usize) -> Option<Doc> {
    let e = episode(name, seed)?;
    let k = k.min(e.examples.len());
    let mut examples: Vec<Example> = e.examples[..k]
        .iter()
        .map(|(x, y)| Example::new(x.clone(), y.clone()))
        .collect();
    examples.shuffle(&mut ChaCha8Rng::seed_from_u64(seed ^ 0x5eed));
    // Sums are the ladder's question (does adding emerge with size?): the preset opens the
    // Scale view.
    let mut explore = doc.explore.clone();
    if name == Task::Addition.name() {
        explore.vary = Vary::Ladder;
    }
    Some(Doc {
        explore,
        view: View::Builder,
        examples,
        query: e.query.clone(),
        expected: e.answer.clone(),
        preset: Some(PresetRef {
            task: name.to_string(),
            seed,
            used: k,
            flip: None,
        }),
        ..doc.clone()
    })
}

/// Adds the next example of the preset's episode (same rule); an error says why not.
pub fn more_examples(doc: &Doc) -> Result<Doc, String> {
    let p = doc
        .preset
        .as_ref()
        .ok_or("the examples are your own: pick a preset to generate more")?;
    if doc.examples.len() >= MAX_EXAMPLES {
        return Err(format!("at most {MAX_EXAMPLES} examples"));
    }
    let e = episode(&p.task, p.seed).ok_or("unknown preset")?;
    let (x, y) = e
        .examples
        .get(p.used)
        .ok_or("this episode has no more examples: pick the preset again for a new one")?;
    let y = match p.flip.as_deref().and_then(Task::from_name) {
        Some(wrong) => wrong.apply(x).unwrap_or_else(|| y.clone()),
        None => y.clone(),
    };
    let mut d = doc.clone();
    d.examples.push(Example::new(x.clone(), y));
    if let Some(p) = d.preset.as_mut() {
        p.used += 1;
    }
    Ok(d)
}

/// The examples in a random order.
pub fn shuffle_order(doc: &Doc, seed: u64) -> Doc {
    let mut d = doc.clone();
    d.examples.shuffle(&mut ChaCha8Rng::seed_from_u64(seed));
    d
}

/// Outputs permuted across inputs (no output stays with its input when that is possible):
/// the format survives, the mapping does not.
pub fn shuffle_labels(doc: &Doc, seed: u64) -> Doc {
    let mut d = doc.clone();
    let mut outputs: Vec<String> = d.examples.iter().map(|e| e.output.clone()).collect();
    derange(&mut outputs, &mut ChaCha8Rng::seed_from_u64(seed));
    for (e, y) in d.examples.iter_mut().zip(outputs) {
        e.output = y;
    }
    d
}

/// The rule [`flip`] teaches instead: reverse, or uppercase where the outputs already are
/// reversals.
pub fn wrong_rule(doc: &Doc) -> Task {
    let all_reversed = doc
        .examples
        .iter()
        .all(|e| Task::Reverse.apply(&e.input).as_deref() == Some(e.output.as_str()));
    if all_reversed && !doc.examples.is_empty() {
        Task::Uppercase
    } else {
        Task::Reverse
    }
}

/// Every example rewritten with a different, wrong rule, and the expected answer changed to
/// what that rule gives: does the model follow the prompt or its prior?
pub fn flip(doc: &Doc) -> Doc {
    let wrong = wrong_rule(doc);
    let mut d = doc.clone();
    for e in &mut d.examples {
        e.output = wrong.apply(&e.input).expect("a fixed rule");
    }
    d.expected = wrong.apply(&d.query).expect("a fixed rule");
    if let Some(p) = d.preset.as_mut() {
        p.flip = Some(wrong.name().to_string());
    }
    d
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_unseen_rule_is_a_held_out_program_its_examples_follow() {
        let doc = Doc::default();
        let d = super::apply_named(&doc, UNSEEN, 42, 5).unwrap();
        let rule = unseen_program(42);
        assert_eq!(rule.split(), ProgramSplit::HeldOut);
        assert_eq!(d.preset.as_ref().unwrap().task, UNSEEN);
        assert_eq!(d.examples.len(), 5);
        for e in &d.examples {
            assert_eq!(rule.apply(&e.input), e.output);
        }
        assert_eq!(d.expected, rule.apply(&d.query));
        // The same seed gives the same rule and episode; More examples follows the rule.
        assert_eq!(super::apply_named(&doc, UNSEEN, 42, 5), Some(d.clone()));
        let more = more_examples(&d).unwrap();
        let added = more.examples.last().unwrap();
        assert_eq!(rule.apply(&added.input), added.output);
        // Seeds draw different rules.
        let texts: std::collections::BTreeSet<String> =
            (0..20).map(|s| unseen_program(s).text()).collect();
        assert!(texts.len() >= 15, "{texts:?}");
        assert_eq!(super::apply_named(&doc, "no such preset", 1, 3), None);
    }

    use super::*;

    #[test]
    fn presets_fill_k_examples_and_more_continues_the_same_rule() {
        let d = apply_preset(&Doc::default(), Task::Substitution, 5, 3);
        assert_eq!(d.examples.len(), 3);
        assert!(!d.expected.is_empty() && !d.query.is_empty());
        let d2 = more_examples(&d).unwrap();
        assert_eq!(d2.examples.len(), 4);
        assert_eq!(d2.examples[..3], d.examples[..]);
        // Same cipher: every letter maps the same way in all examples and the answer.
        let mut map = std::collections::HashMap::new();
        let pairs = d2
            .examples
            .iter()
            .map(|e| (e.input.as_str(), e.output.as_str()))
            .chain([(d2.query.as_str(), d2.expected.as_str())]);
        for (x, y) in pairs {
            for (a, b) in x.chars().zip(y.chars()) {
                assert_eq!(*map.entry(a).or_insert(b), b);
            }
        }
        // Same seed, same preset.
        assert_eq!(apply_preset(&Doc::default(), Task::Substitution, 5, 3), d);
        assert!(more_examples(&Doc::default()).is_err());
    }

    #[test]
    fn lookup_shows_the_queried_key() {
        for seed in 0..20 {
            let d = apply_preset(&Doc::default(), Task::Lookup, seed, 2);
            assert!(d.examples.iter().any(|e| e.input == d.query), "seed {seed}");
        }
    }

    #[test]
    fn shuffles_keep_the_parts_and_flip_teaches_another_rule() {
        let d = apply_preset(&Doc::default(), Task::Uppercase, 1, 6);
        let s = shuffle_order(&d, 3);
        let sorted = |d: &Doc| {
            let mut v = d.examples.clone();
            v.sort_by(|a, b| a.input.cmp(&b.input));
            v
        };
        assert_eq!(sorted(&s), sorted(&d));
        let l = shuffle_labels(&d, 3);
        assert!(
            l.examples
                .iter()
                .all(|e| e.output != e.input.to_uppercase())
        );
        let mut outs: Vec<_> = l.examples.iter().map(|e| e.output.clone()).collect();
        let mut orig: Vec<_> = d.examples.iter().map(|e| e.output.clone()).collect();
        outs.sort();
        orig.sort();
        assert_eq!(outs, orig);
        let f = flip(&d);
        assert!(
            f.examples
                .iter()
                .all(|e| e.output == e.input.chars().rev().collect::<String>())
        );
        assert_eq!(f.expected, d.query.chars().rev().collect::<String>());
        // More examples follow the flipped rule.
        let m = more_examples(&f).unwrap();
        let last = m.examples.last().unwrap();
        assert_eq!(last.output, last.input.chars().rev().collect::<String>());
        // Flipping reversals teaches uppercase.
        let r = flip(&apply_preset(&Doc::default(), Task::Reverse, 2, 4));
        assert!(
            r.examples
                .iter()
                .all(|e| e.output == e.input.to_uppercase())
        );
    }

    #[test]
    fn a_first_visit_opens_on_a_held_out_rule_taught_by_its_examples() {
        let d = first_visit();
        let rule = unseen_program(FIRST_VISIT_SEED);
        assert_eq!(rule.split(), ProgramSplit::HeldOut);
        assert_eq!(rule.text(), "upper(vowels)");
        // No fixed task does what it does: the learner never saw it in training.
        for t in Task::WORDS {
            let mut rng = ChaCha8Rng::seed_from_u64(0);
            let p = Program::family(t, &mut rng);
            assert!(
                p.is_none_or(|p| p.apply("alive") != rule.apply("alive")),
                "{t:?}"
            );
        }
        assert_eq!(d.preset.as_ref().map(|p| p.task.as_str()), Some(UNSEEN));
        assert_eq!(d.examples.len(), FIRST_VISIT_SHOTS);
        for e in &d.examples {
            assert_eq!(rule.apply(&e.input), e.output);
        }
        assert_eq!((d.query.as_str(), d.expected.as_str()), ("alive", "AlIvE"));
        // It is a document the page accepts as a draft or a link, and it counts as untouched.
        assert_eq!(d.clone().checked(), Ok(d.clone()));
        assert!(d.is_default());
    }

    #[test]
    fn the_addition_preset_shows_right_sums_of_two_to_four_digits() {
        for seed in 0..20 {
            let d = apply_preset(&Doc::default(), Task::Addition, seed, 4);
            assert_eq!(d.examples.len(), 4);
            assert_eq!(d.explore.vary, Vary::Ladder, "it opens the Scale view");
            for (x, y) in d
                .examples
                .iter()
                .map(|e| (e.input.as_str(), e.output.as_str()))
                .chain([(d.query.as_str(), d.expected.as_str())])
            {
                assert_eq!(Task::Addition.apply(x).as_deref(), Some(y), "{x}");
                assert!(x.split('+').all(|n| (2..=4).contains(&n.len())), "{x}");
            }
            // More examples come from the same episode, still sums.
            let more = more_examples(&d).unwrap();
            let e = more.examples.last().unwrap();
            assert_eq!(Task::Addition.apply(&e.input), Some(e.output.clone()));
        }
        assert_eq!(label_of("addition"), "Add two numbers");
        let reverse = apply_preset(&Doc::default(), Task::Reverse, 0, 4);
        assert_eq!(reverse.explore.vary, Doc::default().explore.vary);
    }

    #[test]
    fn the_preset_groups_hold_every_preset_once() {
        let mut all: Vec<&str> = Group::ALL.into_iter().flat_map(Group::presets).collect();
        assert_eq!(all.len(), Task::ALL.len() + 1);
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), Task::ALL.len() + 1);
        assert!(Group::Recognises.presets().contains(&"addition"));
        assert!(all.iter().all(|n| is_preset(n)));
        assert!(Group::Learns.presets().contains(&UNSEEN));
        assert_eq!(Group::Induction.presets(), ["copy", "repeat_twice"]);
        assert!(Group::Recognises.presets().contains(&"uppercase"));
        assert_eq!(label_of(UNSEEN), "A rule the model never saw");
        // The picker's texts in both languages.
        for text in Group::ALL
            .map(Group::title)
            .into_iter()
            .chain([label_of(UNSEEN)])
        {
            assert_ne!(crate::i18n::Lang::Zh.t(text), text);
        }
        assert_eq!(label_of("reverse"), "Reverse");
    }
}
