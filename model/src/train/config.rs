//! What a training run is configured with: its hyper-parameters, its later phases, the
//! learning-rate schedule, the checkpoint steps and the data mix of each step. Plain data and
//! pure functions, shared by the trainer (`train`, native only) and the curves the page reads.
//!
//! Long because the zoo's settings are data, each preset's reasons are written beside its
//! numbers, and every preset's schedule and mix is tested here.

use serde::{Deserialize, Serialize};

use crate::net::config::{ConfigError, ModelConfig, Preset};
use crate::rules::corpus::{DataMix, ProgramMix};
use crate::rules::formats::FormatMix;
use crate::rules::tasks::Task;
use crate::train::ladder;

/// Which preset a run trains: a zoo model's (`attn1` … `learner`), a rung of the ladder's
/// (`rung0` …: [`crate::train::ladder`]) or a live preset's (`live1`, `live2`:
/// [`crate::train::live`]); written by its name in settings and curves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum RunPreset {
    Zoo(Preset),
    /// A live preset of this many layers.
    Live(usize),
    /// The ladder's rung of this number (0 is the smallest).
    Rung(usize),
}

impl std::fmt::Display for RunPreset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunPreset::Zoo(p) => f.write_str(p.name()),
            RunPreset::Live(layers) => write!(f, "live{layers}"),
            RunPreset::Rung(n) => f.write_str(&ladder::rung_name(*n)),
        }
    }
}

impl TryFrom<String> for RunPreset {
    type Error = ConfigError;
    fn try_from(name: String) -> Result<Self, ConfigError> {
        if let Some(Ok(layers)) = name.strip_prefix("live").map(str::parse::<usize>) {
            return Ok(RunPreset::Live(layers));
        }
        match ladder::rung_of(&name) {
            Some(n) => Ok(RunPreset::Rung(n)),
            None => Preset::from_name(&name).map(RunPreset::Zoo),
        }
    }
}

impl From<RunPreset> for String {
    fn from(p: RunPreset) -> String {
        p.to_string()
    }
}

/// Settings that cannot train, with what is wrong.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SettingsError {
    #[error("answer weight must be positive, not {0}")]
    AnswerWeight(f32),
    #[error("the default template's share must be in 0..=1, not {0}")]
    FormatShare(f32),
    #[error("the share of open marker words must be in 0..=1, not {0}")]
    OpenMarkerShare(f32),
    #[error("the first phase's window must be at least 16 characters")]
    FirstWindow,
    #[error("phase {phase}'s window must be at least 16 characters")]
    Window { phase: usize },
    #[error("phase {phase} starts at step {from} of {steps}, after step {previous}")]
    PhaseStart {
        phase: usize,
        from: usize,
        steps: usize,
        previous: usize,
    },
    #[error("learning rate must be positive, not {0}")]
    LearningRate(f64),
    #[error("phase {phase}'s batch size must be at least 1")]
    BatchSize { phase: usize },
    #[error("program, family and per-letter shares must be in 0..=1, distinct > 0")]
    ProgramShares,
    #[error("{0} is a live preset: its model is made by the live presets, not the zoo's")]
    NotZoo(RunPreset),
    #[error("{0}")]
    Model(String),
}

/// Hyper-parameters of one training run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainConfig {
    pub preset: RunPreset,
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
    pub tasks: Option<Vec<Task>>,
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
    /// Few-shot sequences in templates drawn from the format space (default: every one in
    /// the page's default template).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formats: Option<FormatMix>,
    /// The model's shape when it differs from the preset's (the probes of width and depth).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shape: Option<Shape>,
}

/// A model shape that replaces the preset's: layers, heads, width and MLP width.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shape {
    pub n_layers: usize,
    pub n_heads: usize,
    pub d_model: usize,
    pub d_ff: usize,
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
    /// Fraction of the program sequences whose program shifts or substitutes letters
    /// ([`crate::rules::space::Program::maps_letters`]); default: as often as a fresh draw has one.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub per_letter: f32,
    /// Programs of the whole rule space, the kinds on phrases and the kinds that answer
    /// about the input included, on inputs with phrases among them
    /// ([`crate::rules::space::Program::draw_extended`]); default: the first 31 kinds on words.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub extended: bool,
}

impl Programs {
    /// `85% string programs (a fresh one each time, 30% of them the fixed tasks' on
    /// visitor-like inputs)`, and the per-letter share when there is one.
    fn describe(&self) -> String {
        let per_letter = if self.per_letter > 0.0 {
            format!(
                ", {:.0}% shifting or substituting letters",
                self.per_letter * 100.0
            )
        } else {
            String::new()
        };
        let space = if self.extended {
            " of the whole space, phrases among the inputs"
        } else {
            ""
        };
        format!(
            "{:.0}% string programs{space} ({}, {:.0}% of them the fixed tasks' on visitor-like \
             inputs{per_letter})",
            self.share * 100.0,
            self.distinct
                .map_or("a fresh one each time".to_string(), |n| format!(
                    "{n} distinct"
                )),
            self.families * 100.0
        )
    }
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
    /// Tasks of its few-shot share, a task listed twice drawn twice as often.
    pub tasks: Vec<Task>,
    /// Weight of answer tokens in its loss.
    pub answer_weight: f32,
    /// Evenly spaced checkpoints in the phase, its last step included.
    pub checkpoints: usize,
    /// Length of its training sequences when shorter than the model's window: more episodes
    /// for the same compute, each with fewer examples.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<usize>,
    /// Its string programs, when they differ from the run's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub programs: Option<Programs>,
    /// Its few-shot sequences in templates drawn from the format space (default: the run's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formats: Option<FormatMix>,
    /// Its batch size, when it differs from the run's (a phase trained on a GPU).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch_size: Option<usize>,
}

/// Steps of the learner's whole run, across sessions and machines: 18,000 on one CPU core,
/// then [`Phase::any_format`] on a GPU.
pub const LEARNER_STEPS: usize = LEARNER_ANY_FORMAT_FROM + 1_800;

/// Where the learner's CPU run ended and its GPU phase in every format starts.
pub const LEARNER_ANY_FORMAT_FROM: usize = 18_000;

/// Where the learner's per-letter phase starts: its second phase's schedule decays to here.
pub const LEARNER_PER_LETTER_FROM: usize = 15_000;

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

/// The task mix of `tasks` (every task when none); a bad answer weight is an error.
fn mix_of(
    induction: f32,
    tasks: Option<&[Task]>,
    answer_weight: f32,
) -> Result<DataMix, SettingsError> {
    if !(answer_weight > 0.0 && answer_weight.is_finite()) {
        return Err(SettingsError::AnswerWeight(answer_weight));
    }
    let mut mix = DataMix::new(induction);
    if let Some(tasks) = tasks {
        mix.tasks = tasks.to_vec();
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
            (Task::Substitution, 3),
            (Task::Caesar, 3),
            (Task::Reverse, 1),
            (Task::SortLetters, 1),
        ]);
        Phase {
            from,
            lr: 1e-3,
            tasks,
            answer_weight: 3.0,
            checkpoints: 2,
            window: None,
            programs: None,
            formats: None,
            batch_size: None,
        }
    }

    /// A phase from step `from` weighted to the fixed rules base still gets wrong most after
    /// [`Phase::per_letter`]: sort (3×), drop vowels (3×), Caesar (3×), reverse (2×) and
    /// repeat twice (2×), whose errors are letters dropped, doubled or swapped; substitution
    /// stays at 2× and every other task at 1×. Answers weigh 3× in the loss; one checkpoint.
    pub fn recognition(from: usize) -> Phase {
        Phase {
            tasks: weighted_tasks(&[
                (Task::Reverse, 1),
                (Task::SortLetters, 2),
                (Task::RepeatTwice, 1),
                (Task::DropVowels, 2),
                (Task::Caesar, 2),
                (Task::Substitution, 1),
            ]),
            checkpoints: 1,
            ..Phase::per_letter(from)
        }
    }
}

impl Phase {
    /// A phase from step `from` for a run on string `programs` that has not learned the rules
    /// read through a letter table: half its programs shift or substitute letters, alone or
    /// composed, and its other few-shot sequences are category, lookup, substitution and
    /// caesar. A probe continuing the learner's step-12,000 state so for 400 steps moved the
    /// substitution's answers at k = 8 from −12.2 to −5.8 nats (0 → 25 % exact) and caesar's
    /// from −11.8 to −7.4. Peak learning rate 1e-3, answers weigh 3×, one checkpoint.
    pub fn letter_tables(from: usize, programs: &Programs) -> Phase {
        Phase {
            tasks: vec![
                Task::Category,
                Task::Lookup,
                Task::Substitution,
                Task::Caesar,
            ],
            checkpoints: 1,
            programs: Some(Programs {
                per_letter: 0.5,
                ..programs.clone()
            }),
            ..Phase::per_letter(from)
        }
    }
}

/// A format mix, if its shares (the default template's, the open marker words') are in 0..=1.
fn check_formats(f: Option<FormatMix>) -> Result<Option<FormatMix>, SettingsError> {
    match f {
        Some(f) if !(0.0..=1.0).contains(&f.default_share) => {
            Err(SettingsError::FormatShare(f.default_share))
        }
        Some(f) if !(0.0..=1.0).contains(&f.open_markers) => {
            Err(SettingsError::OpenMarkerShare(f.open_markers))
        }
        f => Ok(f),
    }
}

impl Phase {
    /// A phase from step `from` in every format of the format space's training part (30 %
    /// in the page's default `in:` / `out:`), on programs of the whole rule space (the kinds
    /// on phrases and the kinds that answer about the input among them, phrases among the
    /// inputs, a quarter shifting or substituting letters), in batches of 256: the learner's
    /// GPU phase. Peak learning rate 1e-3, answers weigh 3×, four checkpoints.
    pub fn any_format(from: usize, programs: &Programs) -> Phase {
        Phase {
            checkpoints: 4,
            programs: Some(Programs {
                per_letter: 0.25,
                extended: true,
                ..programs.clone()
            }),
            formats: Some(FormatMix {
                default_share: 0.3,
                open_markers: 0.0,
            }),
            batch_size: Some(256),
            ..Phase::letter_tables(from, programs)
        }
    }
}

/// Every task once, then each of `extra` listed again its count of times.
fn weighted_tasks(extra: &[(Task, usize)]) -> Vec<Task> {
    let mut tasks = Task::WORDS.to_vec();
    for &(task, n) in extra {
        tasks.extend(std::iter::repeat_n(task, n));
    }
    tasks
}

/// Tasks in first-seen order, each with how often it is listed.
fn task_counts(tasks: &[Task]) -> Vec<(Task, usize)> {
    let mut counts: Vec<(Task, usize)> = Vec::new();
    for &t in tasks {
        match counts.iter_mut().find(|(n, _)| *n == t) {
            Some((_, c)) => *c += 1,
            None => counts.push((t, 1)),
        }
    }
    counts
}

/// `copy, substitution ×2`: each task, with its count when listed more than once.
fn weight_list<'a>(counts: impl Iterator<Item = &'a (Task, usize)>) -> String {
    let named: Vec<String> = counts
        .map(|&(t, c)| {
            if c > 1 {
                format!("{} ×{c}", t.name())
            } else {
                t.name().to_string()
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

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if passes a reference
fn is_zero(w: &f32) -> bool {
    *w == 0.0
}

impl TrainConfig {
    /// The settings each zoo model is trained with. `base` is a curriculum: 3,000 steps of
    /// copy and random substitution (2×) in 128-character rows with answers weighted 3×, which
    /// is where the per-letter rule is learned, then 2,500 steps of every task in full-window
    /// rows, the per-letter rules still drawn most ([`Phase::per_letter`]), then 800 steps
    /// weighted to the fixed rules it still gets wrong ([`Phase::recognition`]).
    pub fn for_preset(name: &str) -> Result<Self, ConfigError> {
        let run_preset = RunPreset::try_from(name.to_string())?;
        let preset = match run_preset {
            RunPreset::Zoo(p) => p,
            RunPreset::Rung(_) => Preset::Learner,
            RunPreset::Live(_) => return Err(ConfigError::UnknownPreset(name.to_string())),
        };
        let mut cfg = Self {
            preset: RunPreset::Zoo(preset),
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
            formats: None,
            shape: None,
        };
        if let RunPreset::Rung(n) = run_preset {
            return Ok(Self::rung(n, cfg));
        }
        if preset == Preset::Learner {
            return Ok(Self::learner(cfg));
        }
        if !preset.attention_only() {
            cfg.steps = 6300;
            cfg.induction_fraction = 0.3;
            // base's f16 checkpoints are 1.4 MB each: 7 + 4 + 1 keep the models folder
            // under 20 MB.
            cfg.checkpoints = 7;
            cfg.linear_checkpoints = 0;
            cfg.tasks = Some(vec![Task::Copy, Task::Substitution, Task::Substitution]);
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
    /// induction head forms), the rest full 256-character rows so that 8 shots fit. After
    /// 15,000 steps no rule with a shift or a substitution among its steps was learned (0 %
    /// at every k): a third phase draws half its programs with one ([`Phase::letter_tables`]).
    fn learner(base: TrainConfig) -> TrainConfig {
        let programs = Programs {
            share: 0.85,
            families: 0.3,
            distinct: None,
            per_letter: 0.0,
            extended: false,
        };
        TrainConfig {
            steps: LEARNER_STEPS,
            lr: 2e-3,
            induction_fraction: 0.1,
            // 6 + 4 + 1 + 4 checkpoints of 1.8 MB keep the models folder under 80 MB.
            checkpoints: 6,
            linear_checkpoints: 0,
            tasks: Some(vec![Task::Category, Task::Lookup]),
            answer_weight: 3.0,
            window: Some(128),
            phases: vec![
                Phase {
                    from: 3000,
                    lr: 1e-3,
                    tasks: vec![Task::Category, Task::Lookup],
                    answer_weight: 3.0,
                    checkpoints: 4,
                    window: None,
                    programs: None,
                    formats: None,
                    batch_size: None,
                },
                Phase::letter_tables(LEARNER_PER_LETTER_FROM, &programs),
                Phase::any_format(LEARNER_ANY_FORMAT_FROM, &programs),
            ],
            programs: Some(programs),
            ..base
        }
    }

    /// Rung `n` of the ladder ([`ladder`]), `n` on it: one phase at the learner's learning
    /// rate, in full 256-character rows so that 8 shots fit, for [`ladder::TOKENS_PER_PARAM`]
    /// tokens per parameter (at least [`ladder::MIN_STEPS`] steps). Its data: the learner's
    /// rule space (70 % of the few-shot sequences, 30 % of those the fixed tasks' programs),
    /// and addition, category and lookup for the rest, addition drawn four times as often
    /// (18 % of all sequences are sums); 10 % repeated random strings; answers weigh 3×.
    fn rung(n: usize, base: TrainConfig) -> TrainConfig {
        let (n_layers, d_model) = ladder::dims(n).expect("a rung's number is on the ladder");
        let mut cfg = TrainConfig {
            preset: RunPreset::Rung(n),
            batch_size: ladder::BATCH,
            lr: 2e-3,
            induction_fraction: 0.1,
            checkpoints: 4,
            linear_checkpoints: 0,
            tasks: Some(vec![
                Task::Category,
                Task::Lookup,
                Task::Addition,
                Task::Addition,
                Task::Addition,
                Task::Addition,
            ]),
            answer_weight: 3.0,
            programs: Some(Programs {
                share: 0.7,
                families: 0.3,
                distinct: None,
                per_letter: 0.0,
                extended: false,
            }),
            shape: Some(Shape {
                n_layers,
                n_heads: ladder::HEADS,
                d_model,
                d_ff: ladder::FF_RATIO * d_model,
            }),
            window: None,
            phases: Vec::new(),
            formats: None,
            ..base
        };
        if let Ok(c) = cfg.model_config() {
            cfg.steps = ladder::steps(c.param_count(), c.block_size);
        }
        cfg
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
        let first = self.batch_size * steps.min(self.phase1_steps()) * self.window_at(0, block);
        let later: usize = self
            .later_phases()
            .map(|(p, end)| {
                p.batch_size.unwrap_or(self.batch_size)
                    * steps.min(end).saturating_sub(p.from)
                    * self.window_at(p.from, block)
            })
            .sum();
        (first + later) as u64
    }

    /// Sequences per step at `step` (0-based): the phase's batch size, else the run's.
    pub fn batch_at(&self, step: usize) -> usize {
        self.later_phase(step)
            .and_then(|(p, _)| p.batch_size)
            .unwrap_or(self.batch_size)
    }

    /// What the first phase's batches are drawn from; an unknown task name, a non-positive
    /// answer weight or a later phase that does not fit the run is an error.
    pub fn data_mix(&self) -> Result<DataMix, SettingsError> {
        if self.window.is_some_and(|w| w < 16) {
            return Err(SettingsError::FirstWindow);
        }
        let mut previous = 0;
        for (i, p) in self.phases.iter().enumerate() {
            let n = i + 2;
            if p.from <= previous || p.from >= self.steps {
                return Err(SettingsError::PhaseStart {
                    phase: n,
                    from: p.from,
                    steps: self.steps,
                    previous,
                });
            }
            previous = p.from;
            if !(p.lr > 0.0 && p.lr.is_finite()) {
                return Err(SettingsError::LearningRate(p.lr));
            }
            if p.window.is_some_and(|w| w < 16) {
                return Err(SettingsError::Window { phase: n });
            }
            if p.batch_size == Some(0) {
                return Err(SettingsError::BatchSize { phase: n });
            }
            check_formats(p.formats)?;
            mix_of(self.induction_fraction, Some(&p.tasks), p.answer_weight)?;
            self.program_mix(p.programs.as_ref())?;
        }
        let mut mix = mix_of(
            self.induction_fraction,
            self.tasks.as_deref(),
            self.answer_weight,
        )?;
        mix.programs = self.program_mix(None)?;
        mix.formats = check_formats(self.formats)?;
        Ok(mix)
    }

    /// The rule-space part of a phase's mix: the phase's own programs, else the run's.
    fn program_mix(&self, own: Option<&Programs>) -> Result<Option<ProgramMix>, SettingsError> {
        let Some(p) = own.or(self.programs.as_ref()) else {
            return Ok(None);
        };
        let unit = 0.0..=1.0;
        if ![p.share, p.families, p.per_letter]
            .iter()
            .all(|f| unit.contains(f))
            || p.distinct == Some(0)
        {
            return Err(SettingsError::ProgramShares);
        }
        Ok(Some(ProgramMix {
            share: p.share,
            families: p.families,
            pool: p
                .distinct
                .map(|n| std::sync::Arc::new(ProgramMix::pool(n, self.seed))),
            per_letter: p.per_letter,
            extended: p.extended,
        }))
    }

    /// The model this run trains: the preset's shape, or the run's own, with its window.
    pub fn model_config(&self) -> Result<ModelConfig, SettingsError> {
        let mut config = match self.preset {
            RunPreset::Zoo(preset) => preset.config(),
            RunPreset::Rung(_) => Preset::Learner.config(),
            RunPreset::Live(_) => return Err(SettingsError::NotZoo(self.preset)),
        };
        if let Some(s) = self.shape {
            config.n_layers = s.n_layers;
            config.n_heads = s.n_heads;
            config.d_model = s.d_model;
            config.d_ff = s.d_ff;
        }
        if let Some(b) = self.block_size {
            config.block_size = b;
        }
        config
            .validate()
            .map_err(|e| SettingsError::Model(e.to_string()))?;
        Ok(config)
    }

    /// The mix and answer weight of the batches of `phase` (1, 2, ...).
    pub fn phase_mix(&self, phase: usize) -> Result<(DataMix, f32), SettingsError> {
        match phase.checked_sub(2).and_then(|i| self.phases.get(i)) {
            Some(p) => {
                let mut mix = mix_of(self.induction_fraction, Some(&p.tasks), p.answer_weight)?;
                mix.programs = self.program_mix(p.programs.as_ref())?;
                mix.formats = check_formats(p.formats.or(self.formats))?;
                Ok((mix, p.answer_weight))
            }
            None => Ok((self.data_mix()?, self.answer_weight)),
        }
    }

    /// What the data is, in words, for the manifest.
    pub fn describe_data(&self) -> String {
        let tasks = match &self.tasks {
            Some(names) => weight_list(task_counts(names).iter()),
            None => format!("{} tasks", Task::WORDS.len()),
        };
        let tasks = match &self.programs {
            Some(p) => format!("{} and {tasks}", p.describe()),
            None => tasks,
        };
        let mut text = DataMix::new(self.induction_fraction).describe(&tasks);
        text.push_str(&rows(self.window));
        text.push_str(&self.formats.map_or(String::new(), |f| f.describe()));
        if self.answer_weight != 1.0 {
            text.push_str(&format!(" with answers weighted ×{}", self.answer_weight));
        }
        for p in &self.phases {
            let counts = task_counts(&p.tasks);
            let weighted = weight_list(counts.iter().filter(|(_, c)| *c > 1));
            let tasks = if weighted.is_empty() {
                format!("{} tasks ({})", counts.len(), weight_list(counts.iter()))
            } else {
                format!("{} tasks weighted {weighted}", counts.len())
            };
            let tasks = match &p.programs {
                Some(own) => format!("{} and {tasks}", own.describe()),
                None => tasks,
            };
            text.push_str(&format!(
                "; from step {}, {tasks}{}{} with answers weighted ×{}",
                p.from,
                rows(p.window),
                p.formats.map_or(String::new(), |f| f.describe()),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::config::ModelConfig;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn task_lists_weight_the_mix_and_bad_settings_are_refused() {
        let mut c = TrainConfig::for_preset("attn2").unwrap();
        assert_eq!(c.data_mix().unwrap().tasks, Task::WORDS.to_vec());
        c.tasks = Some(vec![Task::Copy, Task::Substitution, Task::Copy]);
        let mix = c.data_mix().unwrap();
        assert_eq!(mix.tasks, vec![Task::Copy, Task::Substitution, Task::Copy]);
        // Settings name their tasks and preset; an unknown name does not read.
        let json = serde_json::to_string(&c).unwrap();
        assert!(
            json.contains(r#""tasks":["copy","substitution","copy"]"#),
            "{json}"
        );
        assert!(json.contains(r#""preset":"attn2""#), "{json}");
        let bad = json.replace(r#""substitution""#, r#""cipher""#);
        let err = serde_json::from_str::<TrainConfig>(&bad)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("cipher") && err.contains("substitution"),
            "{err}"
        );
        let bad = json.replace(r#""attn2""#, r#""attn9""#);
        assert!(serde_json::from_str::<TrainConfig>(&bad).is_err());
        c.tasks = None;
        c.answer_weight = 0.0;
        assert_eq!(c.data_mix().unwrap_err(), SettingsError::AnswerWeight(0.0));
        c.answer_weight = 1.0;
        c.formats = Some(FormatMix {
            default_share: 0.3,
            open_markers: 1.5,
        });
        assert_eq!(
            c.data_mix().unwrap_err(),
            SettingsError::OpenMarkerShare(1.5)
        );
        // A format mix written before the open marker words existed reads as none of them.
        let mix: FormatMix = serde_json::from_str(r#"{"default_share":0.3}"#).unwrap();
        assert_eq!(mix.open_markers, 0.0);
        c.formats = None;
        let live: RunPreset = serde_json::from_str(r#""live2""#).unwrap();
        assert_eq!(live, RunPreset::Live(2));
        assert_eq!(serde_json::to_string(&live).unwrap(), r#""live2""#);
        // Settings written before these fields existed read back as the defaults.
        let old = serde_json::to_string(&TrainConfig::for_preset("attn2").unwrap()).unwrap();
        assert!(
            !old.contains("answer_weight") && !old.contains("tasks") && !old.contains("phases"),
            "{old}"
        );
        let back: TrainConfig = serde_json::from_str(&old).unwrap();
        assert_eq!(back, TrainConfig::for_preset("attn2").unwrap());
    }

    #[test]
    fn schedule_warms_up_then_decays() {
        let c = TrainConfig {
            steps: 1000,
            warmup: 100,
            ..TrainConfig::for_preset("attn2").unwrap()
        };
        assert!(c.lr_at(0) < c.lr_at(50) && c.lr_at(50) < c.lr_at(99));
        assert!((c.lr_at(100) - c.lr).abs() < 1e-9);
        assert!((c.lr_at(999) - c.lr * c.min_lr_frac).abs() < 1e-5);
        let s = c.checkpoint_steps();
        assert!(
            s.len() >= 10 && s[0] == 10 && *s.last().unwrap() == 1000,
            "{s:?}"
        );
        assert!(s.windows(2).all(|w| w[0] < w[1]));
        // Early ones are log-spaced; the evenly spaced ones cover the late steps.
        assert!(s[1] < 20, "{s:?}");
        assert!((1..=8).all(|i| s.contains(&(125 * i))), "{s:?}");
    }

    /// A second phase after base's 3,000 steps keeps the schedule and checkpoints of the run
    /// that ends there; it warms up to its own peak and decays to the floor.
    #[test]
    fn a_second_phase_keeps_the_first_phases_schedule() {
        let c = TrainConfig {
            steps: 4500,
            phases: vec![Phase::per_letter(3000)],
            tasks: None,
            window: None,
            ..TrainConfig::for_preset("base").unwrap()
        };
        let p = c.phases[0].clone();
        let first = TrainConfig {
            steps: p.from,
            phases: Vec::new(),
            ..c.clone()
        };
        for s in [0, 50, 99, 100, 1500, p.from - 1] {
            assert_eq!(c.lr_at(s), first.lr_at(s), "step {s}");
        }
        assert!((c.lr_at(p.from) - p.lr / PHASE_WARMUP as f64).abs() < 1e-12);
        assert!((c.lr_at(p.from + PHASE_WARMUP - 1) - p.lr).abs() < 1e-12);
        assert!((c.lr_at(c.steps - 1) - p.lr * c.min_lr_frac).abs() < 1e-5);
        let mut expected = first.checkpoint_steps();
        expected.extend([p.from + (c.steps - p.from) / 2, c.steps]);
        assert_eq!(c.checkpoint_steps(), expected);
        assert_eq!(c.phase_mix(1).unwrap().0.tasks, Task::WORDS.to_vec());
        let (mix2, weight2) = c.phase_mix(2).unwrap();
        assert_eq!(weight2, p.answer_weight);
        let drawn = |t: Task| mix2.tasks.iter().filter(|&&x| x == t).count();
        assert!(drawn(Task::Substitution) > drawn(Task::Copy));
        assert!(
            Task::WORDS.iter().all(|&t| drawn(t) >= 1),
            "every task stays"
        );
        let late = TrainConfig {
            steps: p.from,
            ..c.clone()
        };
        assert!(
            late.data_mix()
                .unwrap_err()
                .to_string()
                .contains("phase 2 starts")
        );
        let data = c.describe_data();
        assert!(
            data.contains("from step 3000") && data.contains("substitution ×4"),
            "{data}"
        );
    }

    /// base is a curriculum: per-letter rules in short rows, then every task in full ones.
    #[test]
    fn base_trains_short_substitution_rows_before_every_task() {
        let c = TrainConfig::for_preset("base").unwrap();
        let block = ModelConfig::preset("base").unwrap().block_size;
        let p = c.phases[0].clone();
        assert_eq!(c.window_at(0, block), 128);
        assert_eq!(c.window_at(p.from - 1, block), 128);
        assert_eq!(c.window_at(p.from, block), block);
        let (first, w1) = c.phase_mix(1).unwrap();
        let subs = first
            .tasks
            .iter()
            .filter(|&&t| t == Task::Substitution)
            .count();
        assert!(
            subs * 2 > first.tasks.len() && w1 > 1.0,
            "{:?}",
            first.tasks
        );
        assert_eq!(c.phase_mix(2).unwrap().0.tasks.len(), p.tasks.len());
        assert!(Task::WORDS.iter().all(|t| p.tasks.contains(t)));
        assert_eq!(
            c.tokens_after(c.steps, block),
            (c.batch_size * (p.from * 128 + (c.steps - p.from) * block)) as u64
        );
        let s = c.checkpoint_steps();
        assert!(s.len() >= 10 && s.contains(&p.from) && s[0] == 10, "{s:?}");
        let data = c.describe_data();
        assert!(
            data.contains("episodes of copy, substitution ×2 (training words) in 128-character rows with answers weighted ×3; from step 3000, 13 tasks weighted"),
            "{data}"
        );
        let short = TrainConfig {
            window: Some(8),
            ..c.clone()
        };
        assert!(
            short
                .data_mix()
                .unwrap_err()
                .to_string()
                .contains("first phase's window")
        );
    }

    /// base's third phase restarts the schedule where the second ends, draws the fixed rules
    /// it still gets wrong most and adds one checkpoint; the first two phases' schedule and
    /// checkpoints are those of a run that ends at its start.
    #[test]
    fn base_ends_with_a_phase_weighted_to_the_fixed_rules() {
        let c = TrainConfig::for_preset("base").unwrap();
        let [p2, p3] = [&c.phases[0], &c.phases[1]];
        assert_eq!((p2.from, p3.from, c.steps), (3000, 5500, 6300));
        let before = c.ending_at(p3.from);
        assert_eq!(before.phases, c.phases[..1]);
        for s in [0, 2999, 3000, 3049, 4000, 5499] {
            assert_eq!(c.lr_at(s), before.lr_at(s), "step {s}");
            assert_eq!(c.phase_of(s), before.phase_of(s), "step {s}");
        }
        assert!(c.lr_at(5499) < 1.01 * p2.lr * c.min_lr_frac);
        assert!((c.lr_at(p3.from) - p3.lr / PHASE_WARMUP as f64).abs() < 1e-12);
        assert!((c.lr_at(p3.from + PHASE_WARMUP - 1) - p3.lr).abs() < 1e-12);
        assert!((c.lr_at(c.steps - 1) - p3.lr * c.min_lr_frac).abs() < 1e-5);
        assert_eq!(c.phase_of(p3.from), 3);
        let mut expected = before.checkpoint_steps();
        expected.push(c.steps);
        assert_eq!(c.checkpoint_steps(), expected);
        assert_eq!(expected.len(), 12);
        let (mix3, weight3) = c.phase_mix(3).unwrap();
        assert_eq!(weight3, 3.0);
        let drawn = |t: Task| mix3.tasks.iter().filter(|&&x| x == t).count();
        let weights: Vec<usize> = Task::WORDS.iter().map(|&t| drawn(t)).collect();
        // copy, reverse, uppercase, first, last, sort, repeat, drop vowels, length, Caesar,
        // substitution, category, lookup.
        assert_eq!(weights, [1, 2, 1, 1, 1, 3, 2, 3, 1, 3, 2, 1, 1]);
        let data = c.describe_data();
        assert!(
            data.ends_with("; from step 5500, 13 tasks weighted reverse ×2, sort_letters ×3, repeat_twice ×2, drop_vowels ×3, caesar ×3, substitution ×2 with answers weighted ×3"),
            "{data}"
        );
        let swapped = TrainConfig {
            phases: vec![p3.clone(), p2.clone()],
            ..c.clone()
        };
        let err = swapped.data_mix().unwrap_err();
        assert!(
            err.to_string().contains("phase 3 starts at step 3000"),
            "{err}"
        );
    }

    #[test]
    fn the_learner_meta_trains_on_programs_in_two_windows() {
        let c = TrainConfig::for_preset(Preset::Learner.name()).unwrap();
        let steps = c.checkpoint_steps();
        assert_eq!(steps.len(), 15, "{steps:?}");
        assert!(steps.contains(&LEARNER_ANY_FORMAT_FROM), "{steps:?}");
        assert!(steps.contains(&LEARNER_PER_LETTER_FROM), "{steps:?}");
        assert_eq!(*steps.last().unwrap(), c.steps);
        assert_eq!(c.window_at(0, 256), 128);
        assert_eq!(c.window_at(c.phases[0].from, 256), 256);
        let mix = c.data_mix().unwrap();
        let p = mix.programs.as_ref().unwrap();
        assert!(p.pool.is_none() && p.share > 0.5);
        assert!(c.phase_mix(2).unwrap().0.programs.is_some());
        assert!(
            c.describe_data().contains("string programs"),
            "{}",
            c.describe_data()
        );
        // A phase without a weighted task names its tasks.
        assert!(
            c.describe_data()
                .contains("; from step 3000, 2 tasks (category, lookup) with answers weighted ×3;"),
            "{}",
            c.describe_data()
        );
        // The phase in every format says so; an open vocabulary of marker words too.
        let formats = ", 30% in the page's template, the others in the training formats with";
        assert!(c.describe_data().contains(formats), "{}", c.describe_data());
        let mut open = c.clone();
        open.phases.last_mut().unwrap().formats = Some(FormatMix {
            default_share: 0.5,
            open_markers: 0.5,
        });
        let data = open.describe_data();
        assert!(
            data.contains("50% in the page's template, the others in the training formats (50% of them with open marker words) with"),
            "{data}"
        );
        let last = c.phase_mix(3).unwrap().0;
        assert_eq!(last.programs.unwrap().per_letter, 0.5);
        assert!(last.tasks.contains(&Task::Substitution) && last.tasks.contains(&Task::Caesar));
        let back: TrainConfig = serde_json::from_str(&serde_json::to_string(&c).unwrap()).unwrap();
        assert_eq!(back, c);
        // The diversity probes' pool is drawn from the seed.
        let probe = TrainConfig {
            programs: Some(Programs {
                distinct: Some(16),
                ..c.programs.clone().unwrap()
            }),
            ..c
        };
        let pool = probe.data_mix().unwrap().programs.unwrap().pool.unwrap();
        assert_eq!(pool.len(), 16);
        assert_eq!(
            pool,
            probe.data_mix().unwrap().programs.unwrap().pool.unwrap()
        );
    }

    /// A phase with its own programs draws them (its per-letter share here) while the others
    /// keep theirs; a share outside 0..=1 is refused; the settings read back.
    #[test]
    fn a_phase_may_draw_its_own_programs() {
        let c = TrainConfig::for_preset(Preset::Learner.name()).unwrap();
        let own = Programs {
            per_letter: 0.25,
            ..c.programs.clone().unwrap()
        };
        let mut longer = TrainConfig {
            steps: c.steps + 3000,
            ..c.clone()
        };
        longer.phases.push(Phase {
            programs: Some(own.clone()),
            ..Phase::per_letter(c.steps)
        });
        assert_eq!(
            longer.ending_at(c.steps),
            c,
            "the run before it is the learner's"
        );
        let per_letter = |phase| {
            longer
                .phase_mix(phase)
                .unwrap()
                .0
                .programs
                .unwrap()
                .per_letter
        };
        assert_eq!(
            (per_letter(1), per_letter(2), per_letter(3)),
            (0.0, 0.0, 0.5)
        );
        assert!(
            longer
                .describe_data()
                .contains(&format!("from step {}, 85% string programs", c.steps)),
            "{}",
            longer.describe_data()
        );
        assert!(
            longer
                .describe_data()
                .contains("25% shifting or substituting letters")
        );
        let back: TrainConfig =
            serde_json::from_str(&serde_json::to_string(&longer).unwrap()).unwrap();
        assert_eq!(back, longer);
        longer.phases[2].programs = Some(Programs {
            per_letter: 1.5,
            ..own
        });
        assert!(longer.data_mix().is_err());
    }

    /// The learner's run as far as it has gone (the shipped curves' settings) is its preset
    /// ending there, so `--resume` with the preset continues it into its later phases.
    #[test]
    fn the_learners_run_so_far_is_its_preset_ending_there() {
        let text = include_str!("../../../public/models/learner/curves.json");
        let recorded: crate::train::curves::Curves = serde_json::from_str(text).unwrap();
        let preset = TrainConfig::for_preset(Preset::Learner.name()).unwrap();
        assert_eq!(recorded.train, preset.ending_at(recorded.train.steps));
    }
}
