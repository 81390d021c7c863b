//! Evaluation on the rule space: per rule, exact match and the answer's log-probability at
//! each shot count, for programs never trained on (held-out programs, held-out primitive
//! pairs) and for the fixed tasks' programs on uncommon and random words.
//!
//! Rules and queries are seeded, so two models (or two checkpoints) are scored on the very
//! same prompts.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::eval::score::{SHOTS, Scored, score_answers};
use crate::net::model::Model;
use crate::rules::corpus::FAMILY_TASKS;
use crate::rules::inputs::Source;
use crate::rules::space::Program;
use crate::rules::split::ProgramSplit;
use crate::rules::tasks::Task;
use crate::rules::template::{Shots, Template};
use crate::rules::words::Split;

/// A set of rules scored together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    /// Programs whose behaviour is held out, on visitor-like held-out inputs.
    HeldOut,
    /// Compositions of a held-out pair of primitive kinds.
    HeldOutPair,
    /// The fixed tasks' programs on held-out uncommon words.
    FamiliesUncommon,
    /// The fixed tasks' programs on random letter strings.
    FamiliesRandom,
    /// Held-out programs of the whole space with a kind added after the first 31 among their
    /// steps: words of a phrase, or an answer about the input (a number, yes or no).
    NewKinds,
    /// The fixed tasks' programs on phrases of two or three held-out words.
    FamiliesPhrases,
}

impl Group {
    pub const ALL: [Group; 6] = [
        Group::HeldOut,
        Group::HeldOutPair,
        Group::FamiliesUncommon,
        Group::FamiliesRandom,
        Group::NewKinds,
        Group::FamiliesPhrases,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Group::HeldOut => "held-out programs",
            Group::HeldOutPair => "held-out primitive pairs",
            Group::FamiliesUncommon => "fixed tasks, uncommon words",
            Group::FamiliesRandom => "fixed tasks, random strings",
            Group::NewKinds => "held-out programs, new kinds",
            Group::FamiliesPhrases => "fixed tasks, phrases",
        }
    }

    /// Where its inputs come from.
    pub fn source(self) -> Source {
        match self {
            Group::HeldOut | Group::HeldOutPair => Source::Mixed,
            Group::FamiliesUncommon => Source::Uncommon,
            Group::FamiliesRandom => Source::Random,
            Group::NewKinds => Source::WithPhrases,
            Group::FamiliesPhrases => Source::Phrase,
        }
    }
}

/// One rule at one shot count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleCell {
    pub group: Group,
    /// The program's canonical text (a fixed task's name for the families).
    pub rule: String,
    pub k: usize,
    /// Prompts scored (those that fit the window).
    pub n: usize,
    pub exact_match: f32,
    pub mean_logprob: f32,
}

/// A whole rule-space evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleReport {
    pub rules_per_group: usize,
    pub queries: usize,
    pub seed: u64,
    pub cells: Vec<RuleCell>,
}

/// The rules of `group`, seeded: `n` held-out programs, or the fixed tasks' programs (with
/// their drawn parameter for Caesar and substitution).
pub fn rules(group: Group, n: usize, seed: u64) -> Vec<(String, Program)> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ ((group as u64 + 1) * 0x9e37_79b9));
    match group {
        Group::HeldOut | Group::HeldOutPair => {
            let split = if group == Group::HeldOut {
                ProgramSplit::HeldOut
            } else {
                ProgramSplit::HeldOutPair
            };
            (0..n)
                .map(|_| {
                    let p = Program::draw(&mut rng, split);
                    (p.text(), p)
                })
                .collect()
        }
        Group::NewKinds => (0..n)
            .map(|_| {
                loop {
                    let p = Program::draw_extended(&mut rng, ProgramSplit::HeldOut);
                    if p.is_extended() {
                        break (p.text(), p);
                    }
                }
            })
            .collect(),
        // Sorting or repeating a phrase reads badly (`  adeiv`): not asked on phrases.
        Group::FamiliesPhrases => FAMILY_TASKS
            .iter()
            .filter(|t| !matches!(t, Task::SortLetters | Task::RepeatTwice))
            .map(|&t| {
                let p = Program::family(t, &mut rng).expect("a string task");
                (t.name().to_string(), p)
            })
            .collect(),
        _ => FAMILY_TASKS
            .iter()
            .map(|&t| {
                let p = Program::family(t, &mut rng).expect("a string task");
                (t.name().to_string(), p)
            })
            .collect(),
    }
}

/// The prompts of one rule at `k` shots: `queries` episodes on held-out inputs.
pub fn rule_items(
    program: &Program,
    source: Source,
    k: usize,
    queries: usize,
    seed: u64,
) -> Vec<Shots> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed.wrapping_mul(31).wrapping_add(k as u64));
    (0..queries)
        .map(|_| program.episode(&mut rng, k, source, Split::HeldOut))
        .collect()
}

/// Scores `model` on `n` rules per held-out group (every fixed task in the others),
/// `queries` prompts per rule and shot count, at every count of [`SHOTS`].
pub fn evaluate_rules(model: &Model, n: usize, queries: usize, seed: u64) -> RuleReport {
    evaluate_rules_at(model, n, queries, seed, &SHOTS)
}

/// The exact match of each of `rules` at `k` shots in `template`, `queries` prompts each
/// (those that fit the window), inputs from `source`: (prompts scored, exact).
pub fn exact_in(
    model: &Model,
    template: &Template,
    rules: &[(Group, Program)],
    k: usize,
    queries: usize,
    seed: u64,
) -> (usize, f32) {
    let mut scored = Vec::new();
    for (i, (group, program)) in rules.iter().enumerate() {
        let items = rule_items(
            program,
            group.source(),
            k,
            queries,
            seed ^ ((i as u64) << 20),
        );
        scored.extend(
            score_answers(model, template, &items)
                .into_iter()
                .filter_map(Result::ok)
                .map(|s| s.exact),
        );
    }
    let hits = scored.iter().filter(|&&h| h).count();
    (scored.len(), hits as f32 / scored.len().max(1) as f32)
}

/// [`evaluate_rules`] at the given shot counts only; each cell is the one the whole
/// evaluation scores (its prompts depend on the seed, the rule and `k` alone).
pub fn evaluate_rules_at(
    model: &Model,
    n: usize,
    queries: usize,
    seed: u64,
    shots: &[usize],
) -> RuleReport {
    let template = Template::default();
    let mut cells = Vec::new();
    for group in Group::ALL {
        for (i, (name, program)) in rules(group, n, seed).into_iter().enumerate() {
            for &k in shots {
                let items = rule_items(
                    &program,
                    group.source(),
                    k,
                    queries,
                    seed ^ ((i as u64) << 20),
                );
                let scores: Vec<Scored> = score_answers(model, &template, &items)
                    .into_iter()
                    .filter_map(Result::ok)
                    .collect();
                let m = scores.len().max(1) as f32;
                cells.push(RuleCell {
                    group,
                    rule: name.clone(),
                    k,
                    n: scores.len(),
                    exact_match: scores.iter().filter(|s| s.exact).count() as f32 / m,
                    mean_logprob: scores.iter().map(|s| s.logprob).sum::<f32>() / m,
                });
            }
        }
    }
    RuleReport {
        rules_per_group: n,
        queries,
        seed,
        cells,
    }
}

impl RuleReport {
    /// Mean exact match over a group's rules at `k` (each rule weighs the same).
    pub fn mean_exact(&self, group: Group, k: usize) -> f32 {
        self.mean(group, k, |c| c.exact_match)
    }

    /// Mean answer log-probability over a group's rules at `k`.
    pub fn mean_logprob(&self, group: Group, k: usize) -> f32 {
        self.mean(group, k, |c| c.mean_logprob)
    }

    fn mean(&self, group: Group, k: usize, f: impl Fn(&RuleCell) -> f32) -> f32 {
        let v: Vec<f32> = self
            .cells
            .iter()
            .filter(|c| c.group == group && c.k == k)
            .map(f)
            .collect();
        v.iter().sum::<f32>() / v.len().max(1) as f32
    }

    /// Exact match of one rule of a group at `k`.
    pub fn exact(&self, group: Group, rule: &str, k: usize) -> Option<f32> {
        self.cells
            .iter()
            .find(|c| c.group == group && c.rule == rule && c.k == k)
            .map(|c| c.exact_match)
    }

    /// A markdown table: each group's mean exact match (and mean log p) per shot count, then
    /// every rule's.
    pub fn markdown(&self) -> String {
        let head = |first: &str| {
            let mut s = format!("| {first} |");
            for k in SHOTS {
                s += &format!(" k={k} |");
            }
            s + "\n|---|" + &"---|".repeat(SHOTS.len()) + "\n"
        };
        let mut s = head("rules");
        for g in Group::ALL {
            s += &format!("| **{}** |", g.name());
            for k in SHOTS {
                s += &format!(
                    " **{:.0}%** ({:.2}) |",
                    self.mean_exact(g, k) * 100.0,
                    self.mean_logprob(g, k)
                );
            }
            s.push('\n');
        }
        for g in Group::ALL {
            s += &format!("\n{}\n\n", g.name());
            s += &head("rule");
            let mut names: Vec<&str> = Vec::new();
            for c in self.cells.iter().filter(|c| c.group == g) {
                if !names.contains(&c.rule.as_str()) {
                    names.push(&c.rule);
                }
            }
            for name in names {
                // A program's `|` would split the table's cell.
                s += &format!("| `{}` |", name.replace('|', "\\|"));
                for k in SHOTS {
                    if let Some(e) = self.exact(g, name, k) {
                        s += &format!(" {:.0}% |", e * 100.0);
                    }
                }
                s.push('\n');
            }
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
    fn rules_are_seeded_held_out_and_a_random_model_scores_near_zero() {
        assert_eq!(rules(Group::HeldOut, 5, 1), rules(Group::HeldOut, 5, 1));
        assert_ne!(rules(Group::HeldOut, 5, 1), rules(Group::HeldOut, 5, 2));
        for (_, p) in rules(Group::HeldOutPair, 20, 0) {
            assert_eq!(p.split(), ProgramSplit::HeldOutPair);
        }
        assert_eq!(rules(Group::FamiliesRandom, 3, 0).len(), FAMILY_TASKS.len());
        let m = Model::random(ModelConfig::preset("attn1").unwrap(), 0, &Device::flex()).unwrap();
        let r = evaluate_rules(&m, 2, 2, 0);
        assert_eq!(
            r.cells.len(),
            (2 + 2 + 2 + 3 * FAMILY_TASKS.len() - 2) * SHOTS.len()
        );
        assert!(
            r.cells
                .iter()
                .all(|c| c.exact_match == 0.0 && c.mean_logprob < -3.0)
        );
        let md = r.markdown();
        assert!(
            md.contains("**held-out programs**") && md.contains("| `copy` |"),
            "{md}"
        );
        // Scoring some shot counts only gives exactly those cells of the whole evaluation.
        let some = evaluate_rules_at(&m, 2, 2, 0, &[0, 8]);
        let same: Vec<&RuleCell> = r.cells.iter().filter(|c| c.k == 0 || c.k == 8).collect();
        assert_eq!(some.cells.iter().collect::<Vec<_>>(), same);
    }
}
