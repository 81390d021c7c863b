//! `icl eval --ladder`: the ladder's rungs ([`crate::train::ladder`]) measured side by side.
//! Per rung, its training compute and final training loss, with a power law fitted across
//! the rungs (Kaplan et al. 2020); per task set (addition by the operands' digit count,
//! held-out programs, the fixed tasks), exact match, per-character accuracy and the answer's
//! mean log-probability at every shot count of [`SHOTS`]. Exact match is the metric that
//! jumps; the other two are the ones that may move smoothly (Schaeffer et al. 2023). The
//! report says what it measures, whichever way it falls.
//!
//! Sets are seeded, so every rung is scored on the very same prompts.

use rand::SeedableRng;
use rand::seq::IndexedRandom;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::eval::rule_report::Group;
use crate::eval::scaling::{PowerLaw, fit_power_law, training_flops};
use crate::eval::score::{SHOTS, SweepPoint};
use crate::eval::sweep::Sweeper;
use crate::net::model::Model;
use crate::rules::arithmetic::{self, Digits, MAX_DIGITS};
use crate::rules::space::Program;
use crate::rules::split::ProgramSplit;
use crate::rules::tasks::Task;
use crate::rules::template::{Shots, Template};
use crate::rules::words::Split;

/// File name of the ladder's report inside the models folder.
pub const LADDER_FILE: &str = "ladder.json";

/// File name of a report: the ladder's ([`LADDER_FILE`]), or that of every rung at one place in
/// its checkpoint list (`ladder-stage-N.json`).
pub fn report_file(stage: Option<usize>) -> String {
    match stage {
        None => LADDER_FILE.to_string(),
        Some(i) => format!("ladder-stage-{i}.json"),
    }
}

/// A set of prompts every rung is scored on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskSet {
    /// Sums of two operands of exactly this many digits.
    Addition(usize),
    /// A different held-out program per query, on held-out inputs.
    HeldOutPrograms,
    /// A fixed task on words per query, drawn in turn.
    FixedTasks,
}

impl TaskSet {
    /// Every set, addition by digit count first.
    pub fn all() -> Vec<TaskSet> {
        (1..=MAX_DIGITS)
            .map(TaskSet::Addition)
            .chain([TaskSet::HeldOutPrograms, TaskSet::FixedTasks])
            .collect()
    }

    /// Its name in tables: `addition 3-digit`, `held-out programs`, `fixed tasks`.
    pub fn name(self) -> String {
        match self {
            TaskSet::Addition(n) => format!("addition {n}-digit"),
            TaskSet::HeldOutPrograms => "held-out programs".into(),
            TaskSet::FixedTasks => "fixed tasks".into(),
        }
    }

    /// `queries` queries, each with `shots` examples, seeded by `seed` and the set.
    pub fn chains(self, shots: usize, queries: usize, seed: u64) -> Vec<Shots> {
        let salt = match self {
            TaskSet::Addition(n) => n as u64,
            TaskSet::HeldOutPrograms => 100,
            TaskSet::FixedTasks => 200,
        };
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ (salt << 40));
        (0..queries)
            .map(|_| match self {
                TaskSet::Addition(n) => arithmetic::episode(&mut rng, shots, Digits::Exactly(n)),
                TaskSet::HeldOutPrograms => {
                    let p = Program::draw(&mut rng, ProgramSplit::HeldOut);
                    p.episode(&mut rng, shots, Group::HeldOut.source(), Split::HeldOut)
                }
                TaskSet::FixedTasks => {
                    let task = *Task::WORDS.choose(&mut rng).expect("tasks");
                    let e = task.episode(&mut rng, shots, Split::HeldOut);
                    Shots {
                        examples: e.examples,
                        query: e.query,
                        answer: e.answer,
                    }
                }
            })
            .collect()
    }
}

/// One set's curve on one rung.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SetCurve {
    pub set: TaskSet,
    pub points: Vec<SweepPoint>,
}

/// One rung's measures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RungReport {
    pub id: String,
    pub params: u64,
    /// Training tokens and steps of the weights scored.
    pub tokens: u64,
    pub steps: usize,
    /// 6 · parameters · tokens.
    pub flops: f64,
    /// Mean training loss (nats/token) over the run's last evaluation interval.
    pub loss: Option<f32>,
    pub sets: Vec<SetCurve>,
}

impl RungReport {
    /// The point of `set` at `k` shots.
    pub fn point(&self, set: TaskSet, k: usize) -> Option<&SweepPoint> {
        self.sets
            .iter()
            .find(|c| c.set == set)?
            .points
            .iter()
            .find(|p| p.k == k)
    }
}

/// How a table writes one metric of a point.
type Show = fn(&SweepPoint) -> String;

/// The whole ladder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LadderReport {
    pub queries: usize,
    pub seed: u64,
    /// Smallest first.
    pub rungs: Vec<RungReport>,
    /// Final training loss against training FLOPs, over the rungs that have a loss.
    pub loss_fit: Option<PowerLaw>,
}

/// How far a rung's weights were trained, from its run's curves.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Trained {
    pub steps: usize,
    pub tokens: u64,
    /// Mean training loss over the run's last evaluation interval.
    pub loss: Option<f32>,
}

/// Scores one rung: its weights `model`, trained as `trained` says.
pub fn evaluate_rung(
    model: &Model,
    id: &str,
    trained: Trained,
    queries: usize,
    seed: u64,
) -> RungReport {
    let template = Template::default();
    let shots = SHOTS[SHOTS.len() - 1];
    let sets = TaskSet::all()
        .into_iter()
        .map(|set| SetCurve {
            set,
            points: Sweeper::new(model, &template, set.chains(shots, queries, seed)).points(&SHOTS),
        })
        .collect();
    let params = model.num_params() as u64;
    RungReport {
        id: id.to_string(),
        params,
        tokens: trained.tokens,
        steps: trained.steps,
        flops: training_flops(params, trained.tokens),
        loss: trained.loss,
        sets,
    }
}

impl LadderReport {
    /// The report of `rungs`, sorted by size, with the loss's power law fitted when two or
    /// more rungs have a loss.
    pub fn new(mut rungs: Vec<RungReport>, queries: usize, seed: u64) -> Self {
        rungs.sort_by_key(|r| r.params);
        let points: Vec<(f64, f64)> = rungs
            .iter()
            .filter_map(|r| r.loss.map(|l| (r.flops, f64::from(l))))
            .collect();
        LadderReport {
            queries,
            seed,
            loss_fit: fit_power_law(&points).ok(),
            rungs,
        }
    }

    /// Markdown tables: the rungs' size, compute and loss with the fit, then per set and
    /// metric one row per rung across the shot counts.
    pub fn markdown(&self) -> String {
        let mut s = String::from("| rung | parameters | steps | tokens | FLOPs | loss |\n");
        s += "|---|---|---|---|---|---|\n";
        for r in &self.rungs {
            s += &format!(
                "| {} | {} | {} | {:.1}M | {:.2e} | {} |\n",
                r.id,
                r.params,
                r.steps,
                r.tokens as f64 / 1e6,
                r.flops,
                r.loss.map_or("–".into(), |l| format!("{l:.3}"))
            );
        }
        match &self.loss_fit {
            Some(f) => {
                s += &format!(
                    "\nLoss ≈ {:.3} · C^(−{:.4}) (C in FLOPs; R² = {:.3}).\n",
                    f.coefficient, f.exponent, f.r2
                )
            }
            None => s += "\nNo power law: fewer than two rungs have a training loss.\n",
        }
        let metrics: [(&str, Show); 3] = [
            ("exact match", |p| format!("{:.0}%", p.exact_match * 100.0)),
            ("per-character accuracy", |p| {
                format!("{:.0}%", p.char_accuracy * 100.0)
            }),
            ("answer log-probability (nats)", |p| {
                format!("{:.2}", p.mean_logprob)
            }),
        ];
        for set in TaskSet::all() {
            for (metric, show) in metrics {
                s += &format!(
                    "\n**{}: {metric}** ({} queries)\n\n| rung |",
                    set.name(),
                    self.queries
                );
                for k in SHOTS {
                    s += &format!(" k={k} |");
                }
                s += "\n|---|";
                s += &"---|".repeat(SHOTS.len());
                s.push('\n');
                for r in &self.rungs {
                    s += &format!("| {} |", r.id);
                    for k in SHOTS {
                        s += &format!(" {} |", r.point(set, k).map_or("–".into(), show));
                    }
                    s.push('\n');
                }
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
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn sets_are_seeded_sized_and_answer_their_own_rule() {
        for set in TaskSet::all() {
            let a = set.chains(8, 5, 7);
            assert_eq!(a, set.chains(8, 5, 7), "{set:?}");
            assert_eq!(a.len(), 5);
            assert!(a.iter().all(|c| c.examples.len() == 8), "{set:?}");
            if let TaskSet::Addition(n) = set {
                for c in &a {
                    assert_eq!(arithmetic::answer(&c.query), Some(c.answer.clone()));
                    assert_eq!(c.query.split('+').next().unwrap().len(), n);
                }
            }
        }
        let names: Vec<String> = TaskSet::all().into_iter().map(TaskSet::name).collect();
        assert_eq!(names[2], "addition 3-digit");
    }

    #[test]
    fn a_rung_is_scored_on_every_set_and_the_ladder_fits_its_losses() {
        let cfg = ModelConfig::new(1, 2, 16, 32, 64, 98);
        let model = Model::random(cfg.clone(), 1, &Device::default()).unwrap();
        let trained = Trained {
            steps: 10,
            tokens: 1_000,
            loss: Some(3.0),
        };
        let r = evaluate_rung(&model, "tiny", trained, 3, 1);
        assert_eq!(r.params, cfg.param_count());
        assert_eq!(r.flops, 6.0 * r.params as f64 * 1_000.0);
        assert_eq!(r.sets.len(), TaskSet::all().len());
        for c in &r.sets {
            assert_eq!(c.points.iter().map(|p| p.k).collect::<Vec<_>>(), SHOTS);
            for p in &c.points {
                assert!((0.0..=1.0).contains(&p.char_accuracy));
                assert!(p.mean_logprob < 0.0);
                // An untrained model does not add.
                assert!(p.exact_match <= p.char_accuracy || p.exact_match == 0.0);
            }
        }
        // Losses that follow L = 50 · C^-0.1 exactly: the fit finds the exponent.
        let rung = |params: u64, tokens: u64| {
            let flops = training_flops(params, tokens);
            RungReport {
                id: format!("r{params}"),
                params,
                tokens,
                steps: 1,
                flops,
                loss: Some((50.0 * flops.powf(-0.1)) as f32),
                sets: Vec::new(),
            }
        };
        let ladder = LadderReport::new(
            vec![
                rung(100_000, 4_000_000),
                rung(10_000, 1_000_000),
                rung(1_000_000, 20_000_000),
            ],
            3,
            1,
        );
        assert_eq!(ladder.rungs[0].params, 10_000, "smallest first");
        let fit = ladder.loss_fit.unwrap();
        assert!((fit.exponent - 0.1).abs() < 1e-3, "{fit:?}");
        assert!(fit.r2 > 0.999);
        let md = ladder.markdown();
        assert!(md.contains("C^(−0.1000)"), "{md}");
        assert!(md.contains("**addition 4-digit: per-character accuracy**"));
        assert_eq!(LadderReport::new(vec![rung(10, 10)], 1, 1).loss_fit, None);
    }

    #[test]
    fn a_stage_has_a_report_of_its_own() {
        assert_eq!(report_file(None), LADDER_FILE);
        assert_eq!(report_file(Some(2)), "ladder-stage-2.json");
        assert_ne!(report_file(Some(0)), report_file(None));
    }
}
