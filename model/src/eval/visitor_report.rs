//! A visitor's test: everyday rules a visitor might type (add `ed`, capitalise, reverse, count
//! the vowels...), taught by examples on common words and asked about words outside them,
//! written in formats visitors write (`in:` / `out:`, `x -> y`, `Q:` / `A:`, `x, y`...).
//!
//! Unlike the rule-space evaluation ([`crate::eval::rule_report`]), nothing here is drawn: the
//! rules, the four visitors' example sets and the formats are fixed, so that a checkpoint's
//! figure reads as "what a visitor trying the page would see", and two checkpoints are
//! compared on the very same prompts.

use serde::{Deserialize, Serialize};

use crate::eval::sweep::{self, Sweeper};
use crate::net::model::Model;
use crate::rules::formats::{self, FormatSplit};
use crate::rules::space::{Class, Prim, Program, Which};
use crate::rules::template::{Shots, Template};

/// Four visitors: eight examples on common words each, four query words outside them. The
/// fourth teaches on words that begin with a consonant and asks only about words that begin
/// with a vowel: a rule that changes the first letter (capitalise, the vowels in capitals)
/// then asks for an answer that begins in a way no example did, where a model may drop the
/// letter in one format and not in another (`x -> y`: `alive ->` → `lIvE`).
pub const EXAMPLE_SETS: [([&str; 8], [&str; 4]); 4] = [
    (
        [
            "garden", "pencil", "river", "candle", "basket", "mirror", "ladder", "window",
        ],
        ["wombat", "zonk", "quiver", "jumble"],
    ),
    (
        [
            "apple", "house", "table", "music", "water", "paper", "tiger", "orange",
        ],
        ["gravel", "plinth", "banjo", "sprout"],
    ),
    (
        ["cat", "dog", "sun", "moon", "tree", "book", "fish", "road"],
        ["kettle", "fog", "marble", "twig"],
    ),
    (
        [
            "rocket", "silver", "planet", "button", "forest", "cookie", "mango", "turtle",
        ],
        ["elbow", "acorn", "oyster", "ink"],
    ),
];

/// The everyday rules, named as a visitor would, each a program of the rule space.
pub fn rules() -> Vec<(&'static str, Program)> {
    let p = |prims: Vec<Prim>| Program(prims);
    vec![
        ("add ed", p(vec![Prim::Suffix("ed".into())])),
        ("capitalise", p(vec![Prim::Upper(Which::First)])),
        ("swap the first two letters", p(vec![Prim::Swap(0, 1)])),
        ("drop the last letter", p(vec![Prim::DropLast(1)])),
        ("double each letter", p(vec![Prim::Double])),
        ("wrap in brackets", p(vec![Prim::Wrap('[', ']')])),
        (
            "last letter to the front",
            p(vec![Prim::Reverse, Prim::Rotate(1), Prim::Reverse]),
        ),
        (
            "uppercase the last letter",
            p(vec![Prim::Upper(Which::Last)]),
        ),
        ("reverse", p(vec![Prim::Reverse])),
        ("count the vowels", p(vec![Prim::Count(Class::Vowels)])),
        (
            "the vowels in capitals",
            p(vec![Prim::Upper(Which::Vowels)]),
        ),
    ]
}

/// Formats visitors write, the page's default first, with one example written out as the
/// format report shows it (`stone -> enots⏎`). Each is a format of the space (trained or
/// held out: [`formats::split`]).
pub const FORMATS: [&str; 7] = [
    "in: stone⏎out: enots⏎",
    "stone -> enots⏎",
    "Q: stone⏎A: enots⏎",
    "stone, enots⏎",
    "stone => enots⏎",
    "Word: stone⏎Answer: enots⏎",
    "\"stone\" = \"enots\"⏎",
];

/// The templates of [`FORMATS`], looked up in the format space, each with its split.
pub fn templates() -> Vec<(Template, FormatSplit)> {
    FORMATS
        .iter()
        .map(|s| {
            formats::all()
                .iter()
                .find(|(t, _, _)| t.sample() == *s)
                .map(|(t, split, _)| (t.clone(), *split))
                .unwrap_or_else(|| panic!("{s} is a format of the space"))
        })
        .collect()
}

/// One rule in one format at one shot count, over every visitor's queries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VisitorCell {
    pub rule: String,
    /// One example written in the format ([`FORMATS`]).
    pub format: String,
    pub split: FormatSplit,
    pub k: usize,
    /// Prompts scored.
    pub n: usize,
    pub exact_match: f32,
}

/// The whole test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VisitorReport {
    pub cells: Vec<VisitorCell>,
}

/// Each visitor's prompts for `program`: the set's eight examples, then each query word.
fn chains(program: &Program) -> Vec<Shots> {
    EXAMPLE_SETS
        .iter()
        .flat_map(|(examples, queries)| {
            let examples: Vec<(String, String)> = examples
                .iter()
                .map(|x| (x.to_string(), program.apply(x)))
                .collect();
            queries.iter().map(move |q| Shots {
                examples: examples.clone(),
                query: q.to_string(),
                answer: program.apply(q),
            })
        })
        .collect()
}

/// Scores `model` on every rule in every format at each of `shots` (at most eight), greedy
/// exact match.
pub fn evaluate_visitor(model: &Model, shots: &[usize]) -> VisitorReport {
    let mut cells = Vec::new();
    for (format, (template, split)) in FORMATS.iter().zip(templates()) {
        for (rule, program) in rules() {
            for p in Sweeper::new(model, &template, chains(&program)).points(shots) {
                cells.push(VisitorCell {
                    rule: rule.to_string(),
                    format: format.to_string(),
                    split,
                    k: p.k,
                    n: p.n,
                    exact_match: p.exact_match,
                });
            }
        }
    }
    VisitorReport { cells }
}

impl VisitorReport {
    /// Exact match over the cells `keep` selects at `k`, each prompt weighing the same.
    fn mean(&self, k: usize, keep: impl Fn(&VisitorCell) -> bool) -> f32 {
        let (right, n) = self
            .cells
            .iter()
            .filter(|c| c.k == k && keep(c))
            .fold((0.0, 0), |(r, n), c| {
                (r + c.exact_match * c.n as f32, n + c.n)
            });
        right / n.max(1) as f32
    }

    /// Exact match over every rule and format at `k`.
    pub fn overall(&self, k: usize) -> f32 {
        self.mean(k, |_| true)
    }

    /// Exact match of one format (as [`FORMATS`] writes it) over every rule at `k`.
    pub fn of_format(&self, format: &str, k: usize) -> f32 {
        self.mean(k, |c| c.format == format)
    }

    /// Exact match of one rule over every format at `k`.
    pub fn of_rule(&self, rule: &str, k: usize) -> f32 {
        self.mean(k, |c| c.rule == rule)
    }

    /// Shot counts scored, in order.
    pub fn shots(&self) -> Vec<usize> {
        sweep::shot_counts(self.cells.iter().map(|c| c.k))
    }

    /// Two markdown tables: per format, then per rule (over every format), each shot count a
    /// column, with the whole test's row first.
    pub fn markdown(&self) -> String {
        let ks = self.shots();
        let head = |what: &str| {
            let mut s = format!("| {what} |");
            for k in &ks {
                s += &format!(" k={k} |");
            }
            s + &format!("\n|---|{}\n", "---|".repeat(ks.len()))
        };
        let row = |name: String, f: &dyn Fn(usize) -> f32| {
            let mut s = format!("| {name} |");
            for &k in &ks {
                s += &format!(" {:.0}% |", f(k) * 100.0);
            }
            s + "\n"
        };
        let mut s = head("format");
        s += &row("**every format**".into(), &|k| self.overall(k));
        for format in FORMATS {
            let split = self
                .cells
                .iter()
                .find(|c| c.format == format)
                .map(|c| c.split);
            let split = match split {
                Some(FormatSplit::Train) => "trained",
                Some(FormatSplit::HeldOut) => "held out",
                None => continue,
            };
            let shown = format.replace('|', "\\|");
            s += &row(format!("`{shown}` ({split})"), &|k| {
                self.of_format(format, k)
            });
        }
        s += "\n";
        s += &head("rule");
        for (rule, _) in rules() {
            s += &row(rule.to_string(), &|k| self.of_rule(rule, k));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::config::ModelConfig;
    use burn::tensor::Device;

    #[test]
    fn the_rules_do_what_they_say_and_the_formats_are_the_spaces() {
        let want = [
            "gardened",
            "Garden",
            "agrden",
            "garde",
            "ggaarrddeenn",
            "[garden]",
            "ngarde",
            "gardeN",
            "nedrag",
            "2",
            "gArdEn",
        ];
        let got: Vec<String> = rules().iter().map(|(_, p)| p.apply("garden")).collect();
        assert_eq!(got, want);
        let t = templates();
        assert_eq!(t[0], (Template::default(), FormatSplit::Train));
        assert_eq!(t[3].1, FormatSplit::HeldOut);
        assert_eq!(
            t[1].0.prompt(&[("a".into(), "b".into())], "c"),
            "a -> b\nc ->"
        );
        // No query is among its visitor's examples.
        for (examples, queries) in EXAMPLE_SETS {
            assert!(queries.iter().all(|q| !examples.contains(q)));
        }
    }

    #[test]
    fn a_random_model_scores_zero_and_the_tables_name_every_rule_and_format() {
        let m = Model::random(ModelConfig::preset("attn1").unwrap(), 0, &Device::flex()).unwrap();
        let r = evaluate_visitor(&m, &[0, 8]);
        assert_eq!(r.cells.len(), FORMATS.len() * rules().len() * 2);
        assert!(r.cells.iter().all(|c| c.n == 16 && c.exact_match == 0.0));
        let md = r.markdown();
        assert!(FORMATS.iter().all(|f| md.contains(f)), "{md}");
        assert!(rules().iter().all(|(name, _)| md.contains(name)), "{md}");
        assert!(md.contains("| **every format** | 0% | 0% |"), "{md}");
    }
}
