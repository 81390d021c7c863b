//! The document: everything a visitor edits and shares (examples, query, template, model,
//! sampling settings, the open view). Share links and drafts are two encodings of it; both
//! pass through [`Doc::checked`], which applies the same limits as the page's controls.
//!
//! Long mostly for its tests of those limits.

use icl_model::net::sampling::SamplingConfig;
use icl_model::rules::tasks::Task;
use icl_model::rules::template::Template;
use serde::{Deserialize, Serialize};

/// Most examples a document may hold.
pub const MAX_EXAMPLES: usize = 64;
/// Longest text field (characters).
pub const MAX_TEXT: usize = 2_000;
/// Longest raw prompt (characters).
pub const MAX_RAW: usize = 4 * MAX_TEXT;
/// Longest template part (characters).
pub const MAX_TEMPLATE: usize = 32;
/// Most new tokens one run may ask for.
pub const MAX_NEW_TOKENS: usize = 1_000;
/// Highest temperature the page offers.
pub const MAX_TEMPERATURE: f32 = 2.0;

/// One few-shot example.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Example {
    pub input: String,
    pub output: String,
}

impl Example {
    pub fn new(input: impl Into<String>, output: impl Into<String>) -> Self {
        Self {
            input: input.into(),
            output: output.into(),
        }
    }
}

/// Which input view is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum View {
    /// Examples, query and template, rendered into the prompt.
    Builder,
    /// The prompt as free text.
    Raw,
}

/// The preset an episode came from: regenerating with the same seed gives the same rule, so
/// "More examples" continues it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresetRef {
    /// [`Task::name`].
    pub task: String,
    pub seed: u64,
    /// Examples of the episode's pool used so far.
    pub used: usize,
    /// The wrong rule the examples were flipped to ([`Task::name`]), if any.
    #[serde(default)]
    pub flip: Option<String>,
}

/// Sampling settings as the page shows them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sampling {
    /// 0 = greedy.
    pub temperature: f32,
    /// 0 = no limit.
    pub top_k: usize,
    pub top_p: f32,
    pub max_new_tokens: usize,
    pub seed: u64,
    pub stop_at_newline: bool,
}

impl Default for Sampling {
    /// The model crate's defaults, as the page shows them.
    fn default() -> Self {
        let d = SamplingConfig::default();
        Self {
            temperature: d.temperature,
            top_k: d.top_k,
            top_p: d.top_p,
            max_new_tokens: d.max_new_tokens,
            seed: d.seed,
            stop_at_newline: d.stop == [NEWLINE],
        }
    }
}

/// The stop sequence "stop at newline" sets.
const NEWLINE: &str = "\n";

impl Sampling {
    /// The model crate's settings.
    pub fn config(&self) -> SamplingConfig {
        SamplingConfig {
            temperature: self.temperature,
            top_k: self.top_k,
            top_p: self.top_p,
            seed: self.seed,
            max_new_tokens: self.max_new_tokens,
            stop: if self.stop_at_newline {
                vec![NEWLINE.to_string()]
            } else {
                Vec::new()
            },
        }
    }
}

/// What the compare view varies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Vary {
    /// 0, 1, … of the current examples.
    #[default]
    Shots,
    /// Every model of the zoo.
    Model,
    /// The current model's training checkpoints.
    Checkpoint,
    /// Greedy and sampled at a few temperatures and seeds.
    Sampling,
    /// Correct, shuffled and flipped labels.
    Labels,
    /// The ladder's rungs: one family of models across sizes (the Scale view).
    Ladder,
}

/// Seed of the random strings the head scores use by default: the one training records in the
/// curves, so a checkpoint's live scores equal its curves' numbers.
pub const HEAD_SEED: u64 = icl_model::eval::metrics::HEAD_PROBE.seed;
/// Most heads the page lets a visitor ablate at once.
pub const MAX_ABLATED: usize = 64;

/// The explain panels' settings, shared and drafted with the rest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Explore {
    /// Training checkpoint (step) every panel runs on; `None` = the final weights.
    pub checkpoint: Option<u64>,
    /// Switched-off heads, `(layer, head)`.
    pub ablated: Vec<(usize, usize)>,
    pub vary: Vary,
    /// Seed of the random repeated strings the head scores are measured on.
    pub seed: u64,
    /// Attention view: the layer and head shown (`None`: every head of the layer).
    pub layer: usize,
    pub head: Option<usize>,
    /// Attention view: the selected query position in the window.
    pub focus: Option<usize>,
    /// Scale view: the training checkpoint every rung is run at, by its place in the rung's
    /// own list (`None`: the final weights).
    pub stage: Option<usize>,
    /// Scale view: what its curves measure.
    pub measure: Measure,
}

/// What the Scale view's curves measure: whether a whole answer is right, or how close it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Exact match of the whole answer: all or nothing.
    #[default]
    Exact,
    /// Per-character accuracy and the answer's log-probability: partial credit.
    Smooth,
}

impl Default for Explore {
    fn default() -> Self {
        Self {
            checkpoint: None,
            ablated: Vec::new(),
            vary: Vary::Shots,
            seed: HEAD_SEED,
            layer: 0,
            head: None,
            focus: None,
            stage: None,
            measure: Measure::Exact,
        }
    }
}

/// The shareable state of the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Doc {
    pub view: View,
    pub examples: Vec<Example>,
    pub query: String,
    /// The answer the query should get (filled by presets, editable); empty = unknown.
    pub expected: String,
    pub template: Template,
    /// The prompt of the raw view.
    pub raw: String,
    pub preset: Option<PresetRef>,
    /// The model the page runs (written as its id, `null` for the default one).
    #[serde(default)]
    pub model: crate::protocol::ModelRef,
    pub sampling: Sampling,
    /// Checkpoint, ablated heads and the explain panels' choices (absent in v1 links made
    /// before they existed: defaults).
    #[serde(default)]
    pub explore: Explore,
    /// A live training run to reproduce: its settings and the step it reached (only in links;
    /// the page takes it out when it opens them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub live: Option<LiveLink>,
    /// A tune on the document's examples to reproduce (only in links; the page takes it out
    /// when it opens them and runs the tune again).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tune: Option<TuneLink>,
    /// The page's language (absent in links made before it existed: English).
    #[serde(default)]
    pub lang: crate::i18n::Lang,
}

/// A live run in a link: training is deterministic from the settings, so the page trains to
/// `step` again and reaches the same weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LiveLink {
    pub settings: crate::live_run::LiveSettings,
    pub step: usize,
}

/// A tune in a link: deterministic from its settings, so the page tunes the same base
/// weights on the document's examples again and reaches the same tuned weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TuneLink {
    pub settings: icl_model::train::tune::TuneSettings,
    /// The model tuned (a model of the manifest, or the default).
    pub base: crate::protocol::ModelRef,
    /// Its checkpoint (`None`: the final weights).
    pub checkpoint: Option<u64>,
}

/// Most episodes a tune's step may take, the largest adapter rank and the most blocks a link
/// may ask for.
pub const MAX_TUNE_BATCH: usize = 32;
pub const MAX_TUNE_RANK: usize = 64;
/// The highest learning rate a tune may use.
pub const MAX_TUNE_LR: f64 = 0.1;

impl TuneLink {
    /// The link's tune as the page would run it: settings held to what the page allows, and
    /// a base that is a model of the manifest.
    pub fn checked(mut self) -> Self {
        use icl_model::train::tune::{MAX_STEPS, Moving, TuneSettings};
        let s = &mut self.settings;
        let d = TuneSettings::default();
        s.steps = s.steps.clamp(1, MAX_STEPS);
        s.batch = s.batch.clamp(1, MAX_TUNE_BATCH);
        s.lr = if s.lr.is_finite() && s.lr > 0.0 {
            s.lr.min(MAX_TUNE_LR)
        } else {
            d.lr
        };
        s.moving = match s.moving {
            Moving::LastBlocks(n) => Moving::LastBlocks(n.clamp(1, MAX_TUNE_RANK)),
            Moving::Adapter(r) => Moving::Adapter(r.clamp(1, MAX_TUNE_RANK)),
            // The kinds without a number.
            other => other,
        };
        if self.base.made_here() {
            self.base = crate::protocol::ModelRef::Default;
        }
        self
    }
}

impl Default for Doc {
    /// A plain document to build on; a first visit opens on [`crate::presets::first_visit`].
    fn default() -> Self {
        Self {
            view: View::Builder,
            examples: vec![
                Example::new("stone", "STONE"),
                Example::new("river", "RIVER"),
                Example::new("cloud", "CLOUD"),
            ],
            query: "light".into(),
            expected: "LIGHT".into(),
            template: Template::default(),
            raw: "in: stone\nout: enots\nin: river\nout: revir\nin: cloud\nout:".into(),
            preset: None,
            model: crate::protocol::ModelRef::Default,
            sampling: Sampling::default(),
            explore: Explore::default(),
            live: None,
            tune: None,
            lang: crate::i18n::Lang::En,
        }
    }
}

/// Why a document was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocError {
    #[error("it has {0} examples; at most {MAX_EXAMPLES} are allowed")]
    TooManyExamples(usize),
    #[error("the {0} is longer than {1} characters")]
    TooLong(&'static str, usize),
    // Neither message quotes the name: it comes from a link, and links come from strangers.
    #[error("its model name is not a valid model id")]
    BadModel,
    #[error("the setting {0} is not a number")]
    NotANumber(&'static str),
    #[error("it names a preset that does not exist")]
    BadPreset,
    #[error("it switches off {0} heads; at most {MAX_ABLATED} can be")]
    TooManyAblated(usize),
}

fn check_len(what: &'static str, s: &str, max: usize) -> Result<(), DocError> {
    if s.chars().count() > max {
        Err(DocError::TooLong(what, max))
    } else {
        Ok(())
    }
}

/// Cuts `s` to at most `max` characters (never inside one); `true` when it was cut.
pub fn clamp_text(s: &mut String, max: usize) -> bool {
    match s.char_indices().nth(max) {
        Some((at, _)) => {
            s.truncate(at);
            true
        }
        None => false,
    }
}

impl Doc {
    /// The document cut to the page's limits (texts, examples, switched-off heads), and
    /// whether anything was cut. The page's inputs and its reducer hold every edit to these.
    pub fn clamped(mut self) -> (Doc, bool) {
        let mut cut = self.examples.len() > MAX_EXAMPLES;
        self.examples.truncate(MAX_EXAMPLES);
        let mut texts: Vec<(&mut String, usize)> = vec![
            (&mut self.query, MAX_TEXT),
            (&mut self.expected, MAX_TEXT),
            (&mut self.raw, MAX_RAW),
            (&mut self.template.input_prefix, MAX_TEMPLATE),
            (&mut self.template.output_prefix, MAX_TEMPLATE),
            (&mut self.template.separator, MAX_TEMPLATE),
        ];
        if let Some(b) = &mut self.template.between {
            texts.push((b, MAX_TEMPLATE));
        }
        for e in &mut self.examples {
            texts.push((&mut e.input, MAX_TEXT));
            texts.push((&mut e.output, MAX_TEXT));
        }
        for (s, max) in texts {
            cut |= clamp_text(s, max);
        }
        cut |= self.explore.ablated.len() > MAX_ABLATED;
        self.explore.ablated.truncate(MAX_ABLATED);
        (self, cut)
    }

    /// The examples as (input, output) pairs, as the model crate takes them.
    pub fn pairs(&self) -> Vec<(String, String)> {
        self.examples
            .iter()
            .map(|e| (e.input.clone(), e.output.clone()))
            .collect()
    }

    /// The prompt the model reads.
    pub fn prompt(&self) -> String {
        match self.view {
            View::Raw => self.raw.clone(),
            View::Builder => self.template.prompt(&self.pairs(), &self.query),
        }
    }

    /// The completion that counts as right: the expected answer with the output prefix's
    /// trailing space (the prompt ends without it). `None` when no answer is known.
    pub fn expected_completion(&self) -> Option<String> {
        if self.expected.is_empty() {
            return None;
        }
        Some(match self.view {
            View::Builder => self.template.answer(&self.expected),
            View::Raw => self.expected.clone(),
        })
    }

    /// The document with numbers clamped to the page's limits, or why it cannot be used
    /// (too many examples, texts too long, an impossible model id, NaN settings).
    pub fn checked(mut self) -> Result<Doc, DocError> {
        if self.examples.len() > MAX_EXAMPLES {
            return Err(DocError::TooManyExamples(self.examples.len()));
        }
        for e in &self.examples {
            check_len("example input", &e.input, MAX_TEXT)?;
            check_len("example output", &e.output, MAX_TEXT)?;
        }
        check_len("query", &self.query, MAX_TEXT)?;
        check_len("expected answer", &self.expected, MAX_TEXT)?;
        check_len("raw prompt", &self.raw, MAX_RAW)?;
        check_len("input prefix", &self.template.input_prefix, MAX_TEMPLATE)?;
        check_len("output prefix", &self.template.output_prefix, MAX_TEMPLATE)?;
        check_len("separator", &self.template.separator, MAX_TEMPLATE)?;
        if let Some(b) = &self.template.between {
            check_len("text after the input", b, MAX_TEMPLATE)?;
        }
        if let Some(m) = self.model.id() {
            let ok = !m.is_empty()
                && m.len() <= 64
                && m.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if !ok {
                return Err(DocError::BadModel);
            }
        }
        if let Some(p) = &self.preset {
            let flip_ok = p
                .flip
                .as_deref()
                .is_none_or(|f| Task::from_name(f).is_some());
            if !crate::presets::is_preset(&p.task) || !flip_ok {
                return Err(DocError::BadPreset);
            }
        }
        if let Some(l) = &mut self.live {
            // What Train would use, and no further than the run's schedule.
            let live = l.settings.live();
            l.settings.layers = live.n_layers;
            l.settings.lr = live.lr;
            l.settings.induction_fraction = live.induction_fraction;
            l.step = l.step.min(live.steps);
        }
        self.tune = self.tune.take().map(TuneLink::checked);
        let x = &mut self.explore;
        if x.ablated.len() > MAX_ABLATED {
            return Err(DocError::TooManyAblated(x.ablated.len()));
        }
        x.ablated.sort_unstable();
        x.ablated.dedup();
        let s = &mut self.sampling;
        if s.temperature.is_nan() {
            return Err(DocError::NotANumber("temperature"));
        }
        if s.top_p.is_nan() {
            return Err(DocError::NotANumber("top-p"));
        }
        s.temperature = s.temperature.clamp(0.0, MAX_TEMPERATURE);
        s.top_p = s.top_p.clamp(0.01, 1.0);
        s.top_k = s
            .top_k
            .min(icl_model::net::tokenizer::Tokenizer::default().vocab_size());
        s.max_new_tokens = s.max_new_tokens.clamp(1, MAX_NEW_TOKENS);
        Ok(self)
    }

    /// The weights the page's requests run on.
    pub fn target(&self) -> crate::protocol::Target {
        crate::protocol::Target {
            model: self.model.clone(),
            checkpoint: self.explore.checkpoint,
            ablated: self.explore.ablated.clone(),
        }
    }

    /// Whether this is an untouched starting document: a first visit's, or the one pages
    /// opened on before (drafts saved untouched hold it).
    pub fn is_default(&self) -> bool {
        *self == Doc::default() || *self == crate::presets::first_visit()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_starts_from_the_model_crates_sampling_defaults() {
        assert_eq!(Sampling::default().config(), SamplingConfig::default());
    }

    #[test]
    fn builder_prompt_and_expected_follow_the_template() {
        let d = Doc::default();
        assert_eq!(
            d.prompt(),
            "in: stone\nout: STONE\nin: river\nout: RIVER\nin: cloud\nout: CLOUD\nin: light\nout:"
        );
        assert_eq!(d.expected_completion().as_deref(), Some(" LIGHT"));
        let raw = Doc {
            view: View::Raw,
            expected: String::new(),
            ..Doc::default()
        };
        assert!(raw.prompt().starts_with("in: stone\nout: enots"));
        assert_eq!(raw.expected_completion(), None);
    }

    #[test]
    fn checked_clamps_numbers_and_rejects_what_cannot_be_clamped() {
        let mut d = Doc::default();
        d.sampling.temperature = f32::INFINITY;
        d.sampling.top_p = -3.0;
        d.sampling.top_k = usize::MAX;
        d.sampling.max_new_tokens = 0;
        let c = d.checked().unwrap();
        assert_eq!(c.sampling.temperature, MAX_TEMPERATURE);
        assert_eq!(c.sampling.top_p, 0.01);
        assert_eq!(c.sampling.top_k, 98);
        assert_eq!(c.sampling.max_new_tokens, 1);

        let mut d = Doc::default();
        d.sampling.temperature = f32::NAN;
        assert_eq!(d.checked(), Err(DocError::NotANumber("temperature")));
        let d = Doc {
            examples: vec![Example::new("a", "b"); MAX_EXAMPLES + 1],
            ..Doc::default()
        };
        assert!(matches!(d.checked(), Err(DocError::TooManyExamples(_))));
        let d = Doc {
            model: crate::protocol::ModelRef::from_id("<img src=x>"),
            ..Doc::default()
        };
        assert!(matches!(d.checked(), Err(DocError::BadModel)));
        let d = Doc {
            query: "x".repeat(MAX_TEXT + 1),
            ..Doc::default()
        };
        assert!(matches!(d.checked(), Err(DocError::TooLong("query", _))));
    }

    #[test]
    fn clamped_cuts_at_characters_and_leaves_a_document_checked_accepts() {
        let mut d = Doc {
            query: "é".repeat(MAX_TEXT + 3),
            raw: "🙂".repeat(MAX_RAW),
            examples: vec![Example::new("a", "ß".repeat(MAX_TEXT * 2)); MAX_EXAMPLES + 2],
            ..Doc::default()
        };
        d.template.separator = "→".repeat(MAX_TEMPLATE + 1);
        d.template.between = Some("←".repeat(MAX_TEMPLATE + 2));
        let (c, cut) = d.clone().clamped();
        assert!(cut);
        assert_eq!(c.query, "é".repeat(MAX_TEXT));
        assert_eq!(c.raw, d.raw, "a text at its limit is kept whole");
        assert_eq!(c.examples.len(), MAX_EXAMPLES);
        assert_eq!(c.examples[0].output.chars().count(), MAX_TEXT);
        assert_eq!(c.template.separator.chars().count(), MAX_TEMPLATE);
        assert_eq!(
            c.template.between.as_ref().map(|b| b.chars().count()),
            Some(MAX_TEMPLATE)
        );
        assert!(c.clone().checked().is_ok());
        assert_eq!(c.clone().clamped(), (c, false));
        assert_eq!(Doc::default().clamped(), (Doc::default(), false));
    }

    #[test]
    fn explore_is_checked_and_old_documents_get_its_defaults() {
        let mut d = Doc::default();
        d.explore.ablated = vec![(1, 3), (0, 2), (1, 3)];
        let c = d.checked().unwrap();
        assert_eq!(c.explore.ablated, vec![(0, 2), (1, 3)]);
        let mut d = Doc::default();
        d.explore.ablated = (0..=MAX_ABLATED).map(|i| (i, 0)).collect();
        assert!(matches!(d.checked(), Err(DocError::TooManyAblated(_))));
        // A document written before `explore` existed reads with the defaults.
        let mut v = serde_json::to_value(Doc::default()).unwrap();
        v.as_object_mut().unwrap().remove("explore");
        let old: Doc = serde_json::from_value(v).unwrap();
        assert_eq!(old.explore, Explore::default());
        assert_eq!(old.explore.seed, HEAD_SEED);
        let t = Doc {
            model: crate::protocol::ModelRef::from_id("attn2"),
            explore: Explore {
                checkpoint: Some(1125),
                ablated: vec![(1, 3)],
                ..Explore::default()
            },
            ..Doc::default()
        }
        .target();
        assert_eq!(
            (t.model.id(), t.checkpoint, t.ablated),
            (Some("attn2"), Some(1125), vec![(1, 3)])
        );
    }
}
