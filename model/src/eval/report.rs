//! Evaluation on held-out words and fresh random rules: exact match and the log-probability
//! of the correct answer per task and shot count, plus the head scores and the ICL score.
//!
//! Both metrics are always reported: exact match is all-or-nothing per answer and so jumps,
//! while the log-probability moves smoothly (Schaeffer et al. 2023).

use serde::{Deserialize, Serialize};

use crate::eval::metrics::{HeadScores, head_scores, icl_scores};
use crate::eval::score::{Labels, SHOTS, SweepPoint};
use crate::eval::sweep::{Sweeper, leave_one_out, task_chains};
use crate::net::model::Model;
use crate::rules::tasks::{Family, Task};
use crate::rules::template::Template;

/// One task at one shot count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    pub task: Task,
    pub k: usize,
    pub episodes: usize,
    /// Fraction of episodes whose greedy answer is exactly right (stop included).
    pub exact_match: f32,
    /// Mean log-probability (nats) of the correct answer.
    pub mean_logprob: f32,
}

/// A whole evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub model: String,
    pub step: Option<u64>,
    pub cells: Vec<Cell>,
    pub heads: HeadScores,
    /// [`crate::eval::metrics::IclScores::icl`].
    pub icl_score: f32,
    /// [`crate::eval::metrics::IclScores::answers`].
    #[serde(default)]
    pub answer_icl_score: f32,
    /// The rule-space evaluation, when asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rules: Option<crate::eval::rule_report::RuleReport>,
    /// The evaluation across prompt formats, when asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formats: Option<crate::eval::format_report::FormatReport>,
    /// The visitor's test, when asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visitor: Option<crate::eval::visitor_report::VisitorReport>,
}

impl Report {
    /// Mean exact match over a family's tasks at `k` shots.
    pub fn family_exact(&self, family: Family, k: usize) -> f32 {
        let v: Vec<f32> = self
            .cells
            .iter()
            .filter(|c| c.k == k && c.task.family() == family)
            .map(|c| c.exact_match)
            .collect();
        v.iter().sum::<f32>() / v.len().max(1) as f32
    }

    /// The cell of one task and shot count.
    pub fn cell(&self, task: Task, k: usize) -> Option<&Cell> {
        self.cells.iter().find(|c| c.task == task && c.k == k)
    }

    /// A markdown table: exact match and, in brackets, mean log p (nats) per task and k.
    pub fn markdown(&self) -> String {
        let mut s = String::from("| task |");
        for k in SHOTS {
            s += &format!(" k={k} |");
        }
        s += "\n|---|";
        s += &"---|".repeat(SHOTS.len());
        s.push('\n');
        for task in Task::WORDS {
            s += &format!("| {} |", task.name());
            for k in SHOTS {
                if let Some(c) = self.cell(task, k) {
                    s += &format!(" {:.0}% ({:.2}) |", c.exact_match * 100.0, c.mean_logprob);
                }
            }
            s.push('\n');
        }
        for (name, f) in [
            ("recognition", Family::Recognition),
            ("learning", Family::Learning),
        ] {
            s += &format!("| **mean {name}** |");
            for k in SHOTS {
                s += &format!(" **{:.0}%** |", self.family_exact(f, k) * 100.0);
            }
            s.push('\n');
        }
        s
    }

    /// A plain-text table: one row per task, exact match and mean log p per shot count.
    pub fn table(&self) -> String {
        let mut s = format!("{:<14}", "task");
        for k in SHOTS {
            s += &format!(" {:>13}", format!("k={k} EM / logp"));
        }
        s.push('\n');
        for task in Task::WORDS {
            s += &format!("{:<14}", task.name());
            for k in SHOTS {
                if let Some(c) = self.cell(task, k) {
                    s += &format!(" {:>5.0}% {:>6.2}", c.exact_match * 100.0, c.mean_logprob);
                }
            }
            s.push('\n');
        }
        for (name, f) in [
            ("recognition", Family::Recognition),
            ("learning", Family::Learning),
        ] {
            s += &format!("{:<14}", format!("mean {name}"));
            for k in SHOTS {
                s += &format!(" {:>5.0}% {:>6}", self.family_exact(f, k) * 100.0, "");
            }
            s.push('\n');
        }
        s += &format!(
            "\ntop induction score {:.3}; ICL score {:.3} (answers only {:.3}); loss first/second copy {:.3} / {:.3} ({:.0}%)\n",
            self.heads.top_induction(),
            self.icl_score,
            self.answer_icl_score,
            self.heads.loss_first_copy,
            self.heads.loss_second_copy,
            100.0 * self.heads.loss_second_copy / self.heads.loss_first_copy
        );
        let fmt = |v: &[f32]| {
            v.iter()
                .map(|x| format!("{x:.2}"))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let h = &self.heads;
        for l in 0..h.induction.len() {
            let row = |m: &Vec<Vec<f32>>| m.get(l).map(|r| fmt(r)).unwrap_or_default();
            s += &format!(
                "layer {l}: induction [{}]  prefix-matching [{}]  previous-token [{}]  copying [{}]\n",
                row(&h.induction),
                row(&h.prefix_matching),
                row(&h.previous_token),
                row(&h.copying),
            );
        }
        s
    }
}

/// The ICL curve of a task: `queries` held-out episodes (seeded), their outputs rewritten by
/// `labels`, each scored at every `k` with its first `k` examples ([`crate::eval::sweep`]).
pub fn sweep_task(
    model: &Model,
    task: Task,
    template: &Template,
    ks: &[usize],
    queries: usize,
    seed: u64,
    labels: Labels,
) -> Vec<SweepPoint> {
    let shots = ks.iter().copied().max().unwrap_or(0);
    let chains = task_chains(task, shots, queries, seed, labels);
    Sweeper::new(model, template, chains).points(ks)
}

/// The ICL curve of the visitor's own examples, leave-one-out: at each `k`, every example in
/// turn is the query and the first `k` of the others are the prompt.
pub fn sweep_examples(
    model: &Model,
    template: &Template,
    examples: &[(String, String)],
    ks: &[usize],
) -> Vec<SweepPoint> {
    Sweeper::new(model, template, leave_one_out(examples)).points(ks)
}

/// Evaluates `model` on `episodes` held-out episodes per task and shot count.
pub fn evaluate(
    model: &Model,
    name: &str,
    step: Option<u64>,
    episodes: usize,
    seed: u64,
) -> Report {
    let template = Template::default();
    let cells = Task::WORDS
        .into_iter()
        .flat_map(|task| {
            sweep_task(
                model,
                task,
                &template,
                &SHOTS,
                episodes,
                seed,
                Labels::Correct,
            )
            .into_iter()
            .map(move |p| Cell {
                task,
                k: p.k,
                episodes: p.n,
                exact_match: p.exact_match,
                mean_logprob: p.mean_logprob,
            })
        })
        .collect();
    let icl = icl_scores(&model.net, &model.device, seed, 4);
    Report {
        model: name.to_string(),
        step,
        cells,
        heads: head_scores(&model.net, &model.device, seed, 16, 48),
        icl_score: icl.icl,
        answer_icl_score: icl.answers,
        rules: None,
        formats: None,
        visitor: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::config::ModelConfig;
    use burn::tensor::Device;

    #[test]
    fn random_model_is_near_chance_and_the_table_lists_every_task() {
        let m = Model::random(ModelConfig::preset("attn1").unwrap(), 0, &Device::flex()).unwrap();
        let r = evaluate(&m, "attn1", None, 2, 0);
        assert_eq!(r.cells.len(), Task::WORDS.len() * SHOTS.len());
        assert!(
            r.cells
                .iter()
                .all(|c| c.exact_match == 0.0 && c.mean_logprob < -3.0)
        );
        let t = r.table();
        assert!(Task::WORDS.iter().all(|task| t.contains(task.name())));
        // Leave-one-out over the visitor's examples: k = 0..n-1, each scoring n prompts.
        let ex: Vec<(String, String)> = ["ab", "cd", "ef"]
            .iter()
            .map(|w| (w.to_string(), w.to_uppercase()))
            .collect();
        let loo = sweep_examples(&m, &Template::default(), &ex, &[0, 1, 2, 3]);
        assert_eq!(
            loo.iter().map(|p| (p.k, p.n)).collect::<Vec<_>>(),
            vec![(0, 3), (1, 3), (2, 3), (3, 0)]
        );
        assert!(loo[..3].iter().all(|p| p.mean_logprob < 0.0));
        let md = r.markdown();
        assert_eq!(md.lines().count(), 2 + Task::WORDS.len() + 2);
        assert!(md.contains("| copy | 0% ("));
    }
}
