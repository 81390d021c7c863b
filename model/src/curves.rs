//! What a training run is configured with and what it records: the settings, and the curves
//! (losses, head scores, ICL scores) written beside the weights. Plain data, so the page can
//! read the curves too; training itself lives in `train` (native only).

use serde::{Deserialize, Serialize};

use crate::config::{ConfigError, ModelConfig};
use crate::data::{DataMix, ProgramMix};
use crate::tasks::Task;

/// Hyper-parameters of one training run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainConfig {
    pub preset: String,
    pub steps: usize,
    pub batch_size: usize,
    pub lr: f64,
    pub warmup: usize,
    /// Final learning rate as a fraction of `lr`.
    pub min_lr_frac: f64,
    pub weight_decay: f32,
    pub grad_clip: f32,
    pub seed: u64,
    /// Share of repeated random strings in the data.
    pub induction_fraction: f32,
    /// Number of log-spaced checkpoints.
    pub checkpoints: usize,
    /// Extra evenly spaced checkpoints, so a late phase change is scrubbed in detail.
    #[serde(default)]
    pub linear_checkpoints: usize,
    /// Window override (default: the preset's).
    #[serde(default)]
    pub block_size: Option<usize>,
    /// Tasks of the few-shot share by name, a task listed twice drawn twice as often
    /// (default: every task, uniformly).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tasks: Option<Vec<String>>,
    /// Weight of answer tokens in the loss relative to the other tokens.
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub answer_weight: f32,
    /// Length of the first phase's training sequences when shorter than the model's window
    /// (default: the window): short rows give more episodes for the same compute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<usize>,
    /// Later phases, each from its step `from` to the next one's start or the run's end, in
    /// order (default: none, one phase).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phases: Vec<Phase>,
    /// Episodes of string programs in every phase's few-shot share (default: none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub programs: Option<Programs>,
}

/// The rule-space share of a run's few-shot sequences ([`crate::rules`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Programs {
    /// Fraction of the few-shot sequences that are programs; the rest are the run's tasks.
    pub share: f32,
    /// Fraction of the program sequences that are the fixed tasks' programs.
    pub families: f32,
    /// Only this many distinct training programs, drawn from the run's seed (the
    /// task-diversity probes); default: a fresh program for every sequence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distinct: Option<usize>,
}

/// A later training phase, from step `from` to the next phase's start or the run's last step:
/// batches come from its own task mix with its own answer weight, and the optimiser starts
/// afresh, warming up over [`PHASE_WARMUP`] steps to the phase's peak learning rate and
/// decaying along a cosine to the run's floor. The schedule and checkpoints before `from` are
/// those of a run that ends at `from`, so a finished run can be continued by a later phase.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Phase {
    /// The step the phase starts at.
    pub from: usize,
    /// Peak learning rate of the phase.
    pub lr: f64,
    /// Tasks of its few-shot share by name, a task listed twice drawn twice as often.
    pub tasks: Vec<String>,
    /// Weight of answer tokens in its loss.
    pub answer_weight: f32,
    /// Evenly spaced checkpoints in the phase, its last step included.
    pub checkpoints: usize,
    /// Length of its training sequences when shorter than the model's window: more episodes
    /// for the same compute, each with fewer examples.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<usize>,
}

/// The preset meta-trained on the rule space.
pub const LEARNER: &str = "learner";

/// Steps of the learner's whole run (its schedule decays to this step, across sessions).
pub const LEARNER_STEPS: usize = 15_000;

/// Warmup of a later phase, in steps.
pub const PHASE_WARMUP: usize = 50;

/// `peak` warmed up linearly over `warmup` steps, then a cosine down to `floor * peak` at
/// step `steps`.
fn cosine(peak: f64, warmup: usize, floor: f64, step: usize, steps: usize) -> f64 {
    if step < warmup {
        return peak * (step + 1) as f64 / warmup as f64;
    }
    let t = (step - warmup) as f64 / (steps.saturating_sub(warmup)).max(1) as f64;
    let cos = 0.5 * (1.0 + (std::f64::consts::PI * t.min(1.0)).cos());
    peak * (floor + (1.0 - floor) * cos)
}

/// The task mix of `names` (every task when none); a bad name or answer weight is an error.
fn mix_of(induction: f32, names: Option<&[String]>, answer_weight: f32) -> Result<DataMix, String> {
    if !(answer_weight > 0.0 && answer_weight.is_finite()) {
        return Err(format!(
            "answer weight must be positive, not {answer_weight}"
        ));
    }
    let mut mix = DataMix::new(induction);
    if let Some(names) = names {
        mix.tasks = names
            .iter()
            .map(|n| {
                Task::from_name(n.trim()).ok_or_else(|| {
                    let all: Vec<&str> = Task::ALL.iter().map(|t| t.name()).collect();
                    format!("unknown task {n:?}; tasks are {}", all.join(", "))
                })
            })
            .collect::<Result<_, _>>()?;
    }
    Ok(mix)
}

impl Phase {
    /// A second phase from step `from` weighted to the rules base must read letter by letter
    /// from the examples (a random substitution, a Caesar shift: each drawn 4× as often as
    /// the others) and to reverse and sort (2×), its weakest tasks after 3,000 steps; every
    /// task stays in the mix so none is forgotten. Answers weigh 3× in the loss.
    pub fn per_letter(from: usize) -> Phase {
        let tasks = weighted_tasks(&[
            ("substitution", 3),
            ("caesar", 3),
            ("reverse", 1),
            ("sort_letters", 1),
        ]);
        Phase {
            from,
            lr: 1e-3,
            tasks,
            answer_weight: 3.0,
            checkpoints: 2,
            window: None,
        }
    }

    /// A phase from step `from` weighted to the fixed rules base still gets wrong most after
    /// [`Phase::per_letter`]: sort (3×), drop vowels (3×), Caesar (3×), reverse (2×) and
    /// repeat twice (2×), whose errors are letters dropped, doubled or swapped; substitution
    /// stays at 2× and every other task at 1×. Answers weigh 3× in the loss; one checkpoint.
    pub fn recognition(from: usize) -> Phase {
        Phase {
            tasks: weighted_tasks(&[
                ("reverse", 1),
                ("sort_letters", 2),
                ("repeat_twice", 1),
                ("drop_vowels", 2),
                ("caesar", 2),
                ("substitution", 1),
            ]),
            checkpoints: 1,
            ..Phase::per_letter(from)
        }
    }
}

/// Every task once, then each of `extra` listed again its count of times.
fn weighted_tasks(extra: &[(&str, usize)]) -> Vec<String> {
    let mut tasks: Vec<String> = Task::ALL.iter().map(|t| t.name().to_string()).collect();
    for &(name, n) in extra {
        tasks.extend(std::iter::repeat_n(name.to_string(), n));
    }
    tasks
}

/// Task names in first-seen order, each with how often it is listed.
fn task_counts(names: &[String]) -> Vec<(&str, usize)> {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for t in names {
        match counts.iter_mut().find(|(n, _)| *n == t.trim()) {
            Some((_, c)) => *c += 1,
            None => counts.push((t.trim(), 1)),
        }
    }
    counts
}

/// `copy, substitution ×2`: each task, with its count when listed more than once.
fn weight_list<'a>(counts: impl Iterator<Item = &'a (&'a str, usize)>) -> String {
    let named: Vec<String> = counts
        .map(|&(n, c)| {
            if c > 1 {
                format!("{n} ×{c}")
            } else {
                n.to_string()
            }
        })
        .collect();
    named.join(", ")
}

/// ` in N-character rows` for a row length shorter than the window, else nothing.
fn rows(window: Option<usize>) -> String {
    window.map_or(String::new(), |w| format!(" in {w}-character rows"))
}

fn one() -> f32 {
    1.0
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if passes a reference
fn is_one(w: &f32) -> bool {
    *w == 1.0
}

impl TrainConfig {
    /// The settings each zoo model is trained with. `base` is a curriculum: 3,000 steps of
    /// copy and random substitution (2×) in 128-character rows with answers weighted 3×, which
    /// is where the per-letter rule is learned, then 2,500 steps of every task in full-window
    /// rows, the per-letter rules still drawn most ([`Phase::per_letter`]), then 800 steps
    /// weighted to the fixed rules it still gets wrong ([`Phase::recognition`]).
    pub fn for_preset(preset: &str) -> Result<Self, ConfigError> {
        ModelConfig::preset(preset)?;
        let attention_only = matches!(preset, "attn1" | "attn2");
        let mut cfg = Self {
            preset: preset.to_string(),
            steps: 1500,
            batch_size: 32,
            lr: 2e-3,
            warmup: 100,
            min_lr_frac: 0.1,
            weight_decay: 0.05,
            grad_clip: 1.0,
            seed: 0,
            induction_fraction: 0.75,
            checkpoints: 8,
            linear_checkpoints: 8,
            block_size: None,
            tasks: None,
            answer_weight: 1.0,
            window: None,
            phases: Vec::new(),
            programs: None,
        };
        if preset == LEARNER {
            return Ok(Self::learner(cfg));
        }
        if !attention_only {
            cfg.steps = 6300;
            cfg.induction_fraction = 0.3;
            // base's f16 checkpoints are 1.4 MB each: 7 + 4 + 1 keep the models folder
            // under 20 MB.
            cfg.checkpoints = 7;
            cfg.linear_checkpoints = 0;
            cfg.tasks = Some(
                ["copy", "substitution", "substitution"]
                    .map(String::from)
                    .to_vec(),
            );
            cfg.answer_weight = 3.0;
            cfg.window = Some(128);
            cfg.phases = vec![
                Phase {
                    checkpoints: 4,
                    ..Phase::per_letter(3000)
                },
                Phase::recognition(5500),
            ];
        }
        Ok(cfg)
    }

    /// The learner: meta-trained on the rule space ([`crate::rules`]). 85 % of its few-shot
    /// sequences are string programs (30 % of those the fixed tasks' on visitor-like inputs),
    /// the rest category and lookup; 10 % repeated random strings keep the induction story.
    /// The first 3,000 steps use 128-character rows (more episodes for the compute, where the
    /// induction head forms), the rest full 256-character rows so that 8 shots fit.
    fn learner(base: TrainConfig) -> TrainConfig {
        TrainConfig {
            steps: LEARNER_STEPS,
            lr: 2e-3,
            induction_fraction: 0.1,
            // 6 + 4 checkpoints of 1.8 MB keep the models folder under 40 MB.
            checkpoints: 6,
            linear_checkpoints: 0,
            tasks: Some(["category", "lookup"].map(String::from).to_vec()),
            answer_weight: 3.0,
            window: Some(128),
            phases: vec![Phase {
                from: 3000,
                lr: 1e-3,
                tasks: ["category", "lookup"].map(String::from).to_vec(),
                answer_weight: 3.0,
                checkpoints: 4,
                window: None,
            }],
            programs: Some(Programs {
                share: 0.85,
                families: 0.3,
                distinct: None,
            }),
            ..base
        }
    }

    /// These settings for a run that ends after `steps` steps; a later phase that would start
    /// there or later is dropped, so a run cut before a phase is exactly the phases before
    /// it, which `--resume` with the full settings continues into the rest.
    pub fn ending_at(&self, steps: usize) -> TrainConfig {
        let mut cfg = TrainConfig {
            steps,
            ..self.clone()
        };
        cfg.phases.retain(|p| p.from < steps);
        cfg
    }

    /// The steps of the first phase (all of them when there is no other).
    pub fn phase1_steps(&self) -> usize {
        self.phases.first().map_or(self.steps, |p| p.from)
    }

    /// The phase that `step` (0-based) belongs to: 1 for the first, 2 for `phases[0]`, ...
    pub fn phase_of(&self, step: usize) -> usize {
        1 + self.phases.iter().take_while(|p| p.from <= step).count()
    }

    /// Each later phase with the step it ends at (the next one's start or the run's end).
    fn later_phases(&self) -> impl Iterator<Item = (&Phase, usize)> {
        let ends = self
            .phases
            .iter()
            .skip(1)
            .map(|p| p.from)
            .chain([self.steps]);
        self.phases.iter().zip(ends)
    }

    /// The later phase `step` belongs to and the step that phase ends at; none in the first.
    fn later_phase(&self, step: usize) -> Option<(&Phase, usize)> {
        self.later_phases()
            .take_while(|(p, _)| p.from <= step)
            .last()
    }

    /// Length of the training sequences of `step` (0-based), for a model whose window is
    /// `block`.
    pub fn window_at(&self, step: usize, block: usize) -> usize {
        match self.later_phase(step) {
            Some((p, _)) => p.window.unwrap_or(block).min(block),
            None => self.window.unwrap_or(block).min(block),
        }
    }

    /// Tokens trained on in the first `steps` steps, for a model whose window is `block`.
    pub fn tokens_after(&self, steps: usize, block: usize) -> u64 {
        let first = steps.min(self.phase1_steps()) * self.window_at(0, block);
        let later: usize = self
            .later_phases()
            .map(|(p, end)| steps.min(end).saturating_sub(p.from) * self.window_at(p.from, block))
            .sum();
        (self.batch_size * (first + later)) as u64
    }

    /// What the first phase's batches are drawn from; an unknown task name, a non-positive
    /// answer weight or a later phase that does not fit the run is an error.
    pub fn data_mix(&self) -> Result<DataMix, String> {
        if self.window.is_some_and(|w| w < 16) {
            return Err("the first phase's window must be at least 16 characters".into());
        }
        let mut previous = 0;
        for (i, p) in self.phases.iter().enumerate() {
            let n = i + 2;
            if p.from <= previous || p.from >= self.steps {
                return Err(format!(
                    "phase {n} starts at step {} of {}, after step {previous}",
                    p.from, self.steps
                ));
            }
            previous = p.from;
            if !(p.lr > 0.0 && p.lr.is_finite()) {
                return Err(format!("learning rate must be positive, not {}", p.lr));
            }
            if p.window.is_some_and(|w| w < 16) {
                return Err(format!("phase {n}'s window must be at least 16 characters"));
            }
            mix_of(self.induction_fraction, Some(&p.tasks), p.answer_weight)?;
        }
        let mut mix = mix_of(
            self.induction_fraction,
            self.tasks.as_deref(),
            self.answer_weight,
        )?;
        mix.programs = self.program_mix()?;
        Ok(mix)
    }

    /// The rule-space part of every phase's mix.
    fn program_mix(&self) -> Result<Option<ProgramMix>, String> {
        let Some(p) = &self.programs else {
            return Ok(None);
        };
        let unit = 0.0..=1.0;
        if !unit.contains(&p.share) || !unit.contains(&p.families) || p.distinct == Some(0) {
            return Err("program share and family share must be in 0..=1, distinct > 0".into());
        }
        Ok(Some(ProgramMix {
            share: p.share,
            families: p.families,
            pool: p
                .distinct
                .map(|n| std::sync::Arc::new(ProgramMix::pool(n, self.seed))),
        }))
    }

    /// The mix and answer weight of the batches of `phase` (1, 2, ...).
    pub fn phase_mix(&self, phase: usize) -> Result<(DataMix, f32), String> {
        match phase.checked_sub(2).and_then(|i| self.phases.get(i)) {
            Some(p) => {
                let mut mix = mix_of(self.induction_fraction, Some(&p.tasks), p.answer_weight)?;
                mix.programs = self.program_mix()?;
                Ok((mix, p.answer_weight))
            }
            None => Ok((self.data_mix()?, self.answer_weight)),
        }
    }

    /// What the data is, in words, for the manifest.
    pub fn describe_data(&self) -> String {
        let tasks = match &self.tasks {
            Some(names) => weight_list(task_counts(names).iter()),
            None => format!("{} tasks", Task::ALL.len()),
        };
        let tasks = match &self.programs {
            Some(p) => format!(
                "{:.0}% string programs ({}, {:.0}% of them the fixed tasks' on visitor-like \
                 inputs) and {tasks}",
                p.share * 100.0,
                p.distinct
                    .map_or("a fresh one each time".to_string(), |n| format!(
                        "{n} distinct"
                    )),
                p.families * 100.0
            ),
            None => tasks,
        };
        let mut text = DataMix::new(self.induction_fraction).describe(&tasks);
        text.push_str(&rows(self.window));
        if self.answer_weight != 1.0 {
            text.push_str(&format!(" with answers weighted ×{}", self.answer_weight));
        }
        for p in &self.phases {
            let counts = task_counts(&p.tasks);
            text.push_str(&format!(
                "; from step {}, {} tasks weighted {}{} with answers weighted ×{}",
                p.from,
                counts.len(),
                weight_list(counts.iter().filter(|(_, c)| *c > 1)),
                rows(p.window),
                p.answer_weight
            ));
        }
        text
    }

    /// Learning rate at `step`: linear warmup, then cosine decay to `min_lr_frac * lr`; in a
    /// later phase the same shape again from its start to its end, with its own peak.
    pub fn lr_at(&self, step: usize) -> f64 {
        match self.later_phase(step) {
            Some((p, end)) => cosine(
                p.lr,
                PHASE_WARMUP,
                self.min_lr_frac,
                step - p.from,
                end - p.from,
            ),
            None => cosine(
                self.lr,
                self.warmup,
                self.min_lr_frac,
                step,
                self.phase1_steps(),
            ),
        }
    }

    /// Log-spaced checkpoint steps, the first ones early, plus `linear_checkpoints` evenly
    /// spaced ones, plus each later phase's evenly spaced ones; sorted, always ending at
    /// `steps`.
    pub fn checkpoint_steps(&self) -> Vec<usize> {
        let n = self.checkpoints.max(2);
        let end = self.phase1_steps();
        let first = 10f64.min(end as f64);
        let mut v: Vec<usize> = (0..n)
            .map(|i| {
                let t = i as f64 / (n - 1) as f64;
                (first * (end as f64 / first).powf(t)).round() as usize
            })
            .collect();
        let m = self.linear_checkpoints;
        v.extend((1..=m).map(|i| end * i / m));
        for (p, end) in self.later_phases() {
            let (n, len) = (p.checkpoints.max(1), end - p.from);
            v.extend((1..=n).map(|i| p.from + len * i / n));
        }
        v.sort_unstable();
        v.dedup();
        v
    }
}

/// One evaluation point of the curves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CurvePoint {
    pub step: usize,
    pub tokens: u64,
    pub lr: f64,
    /// Mean training loss (nats/token) since the previous point (none before training).
    pub loss: Option<f32>,
    /// Mean training loss on answer tokens since the previous point.
    pub answer_loss: Option<f32>,
    /// `[layer][head]` induction scores.
    pub induction: Vec<Vec<f32>>,
    pub previous_token: Vec<Vec<f32>>,
    /// [`crate::metrics::IclScores::icl`].
    pub icl_score: f32,
    /// [`crate::metrics::IclScores::answers`].
    #[serde(default)]
    pub answer_icl_score: f32,
    pub loss_first_copy: f32,
    pub loss_second_copy: f32,
}

/// Everything written beside the weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Curves {
    pub model: String,
    pub train: TrainConfig,
    pub config: ModelConfig,
    pub points: Vec<CurvePoint>,
}
