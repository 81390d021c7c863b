//! Evaluation on held-out words and fresh random rules: exact match and the log-probability
//! of the correct answer per task and shot count, plus the head scores and the ICL score.
//!
//! Both metrics are always reported: exact match is all-or-nothing per answer and so jumps,
//! while the log-probability moves smoothly (Schaeffer et al. 2023).

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::metrics::{HeadScores, head_scores, icl_score};
use crate::model::Model;
use crate::sampling::score;
use crate::tasks::{Family, Split, Task, Template};

/// Shot counts every evaluation reports.
pub const SHOTS: [usize; 5] = [0, 1, 2, 4, 8];

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
    pub icl_score: f32,
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
        for task in Task::ALL {
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
        for task in Task::ALL {
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
            "\ntop induction score {:.3}; ICL score {:.3}; loss first/second copy {:.3} / {:.3} ({:.0}%)\n",
            self.heads.top_induction(),
            self.icl_score,
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

/// Evaluates `model` on `episodes` held-out episodes per task and shot count.
pub fn evaluate(
    model: &Model,
    name: &str,
    step: Option<u64>,
    episodes: usize,
    seed: u64,
) -> Report {
    let template = Template::default();
    let mut cells = Vec::new();
    for task in Task::ALL {
        for k in SHOTS {
            let mut rng = ChaCha8Rng::seed_from_u64(seed ^ ((task as u64) << 32) ^ k as u64);
            let (mut hits, mut lp) = (0usize, 0.0f32);
            for _ in 0..episodes {
                let e = task.episode(&mut rng, k, Split::HeldOut);
                let answer = template.answer(&e.answer);
                let full = format!("{answer}{}", template.separator);
                let s = score(model, &e.prompt(&template), &full).expect("answers fit the window");
                hits += usize::from(s.greedy_match);
                let n = model.tokenizer.encode(&answer).ids.len();
                lp += s.token_logprobs[..n].iter().sum::<f32>();
            }
            cells.push(Cell {
                task,
                k,
                episodes,
                exact_match: hits as f32 / episodes as f32,
                mean_logprob: lp / episodes as f32,
            });
        }
    }
    Report {
        model: name.to_string(),
        step,
        cells,
        heads: head_scores(&model.net, &model.device, seed, 16, 48),
        icl_score: icl_score(&model.net, &model.device, seed, 16),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ModelConfig;
    use burn::tensor::Device;

    #[test]
    fn random_model_is_near_chance_and_the_table_lists_every_task() {
        let m = Model::random(ModelConfig::preset("attn1").unwrap(), 0, &Device::flex()).unwrap();
        let r = evaluate(&m, "attn1", None, 2, 0);
        assert_eq!(r.cells.len(), Task::ALL.len() * SHOTS.len());
        assert!(
            r.cells
                .iter()
                .all(|c| c.exact_match == 0.0 && c.mean_logprob < -3.0)
        );
        let t = r.table();
        assert!(Task::ALL.iter().all(|task| t.contains(task.name())));
        let md = r.markdown();
        assert_eq!(md.lines().count(), 2 + Task::ALL.len() + 2);
        assert!(md.contains("| copy | 0% ("));
    }
}
