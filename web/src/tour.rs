//! The guided tour: a path through the page's ideas, one step per idea. Each step sets the
//! page's state (the document: preset, examples, model, checkpoint, switched-off heads), says
//! what to look at in two or three sentences, points at one element and opens that panel's
//! explanation. Every step has a link of its own, `#tour-N`.
//!
//! This file is the steps as data; `hooks/tour.rs` walks them and `components/tour_card.rs`
//! shows them.

use crate::doc::Doc;
use crate::i18n::Lang;
use crate::presets::{self, FIRST_VISIT_SHOTS};
use crate::protocol::ModelRef;

/// A step of the tour, in the order the tour takes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    Compression,
    Learns,
    Recognises,
    InductionHead,
    Ablation,
    PhaseChange,
    Mirage,
    TrainIt,
    InWeights,
}

/// What a step starts once its document is on screen and its model is ready.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Jobs {
    /// Complete the prompt.
    pub run: bool,
    /// Measure the ICL curve (k = 0…8).
    pub measure: bool,
}

/// The default model's strongest induction heads, `(layer, head)` counted from 0 as the heads
/// panel labels them (`L3H0`), strongest first; the ablation step switches them off. A test
/// measures that they are the shipped default's top ones by induction score and that without
/// them the copy step's answer breaks and the second copy of a random string costs nearly as
/// much as the first.
pub const INDUCTION_HEADS: &[(usize, usize)] = &[(3, 1), (3, 0), (2, 1)];
/// The two-layer attention-only model whose training shows the phase change.
pub const PHASE_MODEL: &str = "attn2";
/// Its checkpoint just before the phase change, and the last one (the final weights): the
/// loss on a repeated string's second copy falls from 2.9 to 0.35 nats between them.
pub const PHASE_BEFORE: u64 = 937;
pub const PHASE_AFTER: u64 = 1500;
/// The preset whose rule the learner recognises from one example (first letter: 5 % at
/// k = 0, 100 % at k = 1 in its evaluation).
const RECOGNISED: &str = "first_letter";
/// The copying preset of the induction steps, and its seed.
const COPY: &str = "copy";
const SEED: u64 = 1;

impl Step {
    pub const ALL: [Step; 9] = [
        Step::Compression,
        Step::Learns,
        Step::Recognises,
        Step::InductionHead,
        Step::Ablation,
        Step::PhaseChange,
        Step::Mirage,
        Step::TrainIt,
        Step::InWeights,
    ];

    /// Its place, counted from 1 as the card and the link show it.
    pub fn number(self) -> usize {
        Step::ALL.iter().position(|&s| s == self).unwrap_or(0) + 1
    }

    /// The step numbered `n` (from 1).
    pub fn numbered(n: usize) -> Option<Step> {
        n.checked_sub(1).and_then(|i| Step::ALL.get(i).copied())
    }

    pub fn next(self) -> Option<Step> {
        Step::numbered(self.number() + 1)
    }

    pub fn previous(self) -> Option<Step> {
        Step::numbered(self.number() - 1)
    }

    /// The step's link fragment (without `#`).
    pub fn fragment(self) -> String {
        format!("{FRAGMENT}{}", self.number())
    }

    /// The step a fragment links to (`tour-3`, with or without `#`); `None` for a fragment that
    /// is no tour link (a share link, or a step the tour does not have).
    pub fn from_fragment(fragment: &str) -> Option<Step> {
        let f = fragment.strip_prefix('#').unwrap_or(fragment);
        let n = f.strip_prefix(FRAGMENT)?;
        if n.is_empty() || n.len() > 2 || !n.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Step::numbered(n.parse().ok()?)
    }

    /// Its title (English; the page's catalogue has the other languages).
    pub fn title(self) -> &'static str {
        match self {
            Step::Compression => "Prediction is compression",
            Step::Learns => "A rule learned from your examples",
            Step::Recognises => "Recognising is not learning",
            Step::InductionHead => "The induction head",
            Step::Ablation => "Switch the head off",
            Step::PhaseChange => "A phase change in training",
            Step::Mirage => "Exact match or log-probability",
            Step::TrainIt => "Train one yourself",
            Step::InWeights => "In context, or in weights",
        }
    }

    /// What to look at, in two or three sentences (a template: [`Step::args`] fill it).
    pub fn body(self) -> &'static str {
        match self {
            Step::Compression => {
                "The model gives every next character a probability, and a character it expected costs few bits (−log₂ p). In the strip, red characters surprised it: the first examples cost the most, the later answers almost nothing once it has the rule. Predicting well is compressing well, and next-character prediction is all its training asked for."
            }
            Step::Learns => {
                "This rule, capitals on the vowels, was held out of the model's training: only the {k} examples can teach it. The curve beside the answer scores held-out queries of the same rule with 0 to 8 examples in the prompt: with none the model cannot know the rule, with a few it starts to get it right."
            }
            Step::Recognises => {
                "Now the examples take each word's first letter, a rule the model met constantly in training. One example is enough to say which rule is meant, so its curve in the ICL curve panel is near the top from k = 1 on and stays there; the unseen rule's curve beside it stays lower and less steady, since its examples have to teach the rule, not point to it. Much of what large models do in context is this: recognising a task, not learning it."
            }
            Step::InductionHead => {
                "Each square is one attention head, a row per layer. A bright square in the induction matrix is a head that looks from a repeated character to the one that followed it last time and copies it: an induction head, the circuit behind copying from the prompt. Focus or hover a square for its scores."
            }
            Step::Ablation => {
                "The brightest induction heads, {heads}, are now switched off, and every panel runs without them: the answer no longer copies the query. Look at the copy losses under the matrices: the second copy of a random string now costs nearly as much as the first. Click any square to switch heads off or on yourself."
            }
            Step::PhaseChange => {
                "This is attn2, two attention layers and no MLPs, at step {before} of its training, before it has an induction head. Drag the checkpoint slider to the end ({after}): within a few hundred steps the loss on repeated text falls steeply as the head forms. Every panel follows the slider."
            }
            Step::Mirage => {
                "Back on the unseen rule. The ICL curve draws two measures of the same answers: exact match (solid) counts an answer only when every character is right, so it moves in jumps; the log-probability of the right answer (dashed) moves smoothly. Whether an ability seems to appear suddenly can depend on which of the two is plotted."
            }
            Step::TrainIt => {
                "Press Train: a small model starts from random weights in this tab. Watch its loss and its top induction score: within a minute or two the same phase change happens in front of you. Pause, export or share it at any step."
            }
            Step::InWeights => {
                "Press Tune: a copy of the model takes a few gradient steps on your examples, and the table sets its answers beside the model that reads them in context. The same examples teach the rule two ways; watch which one answers the query that no step trained on."
            }
        }
    }

    /// The values [`Step::body`]'s placeholders take.
    pub fn args(self) -> Vec<(&'static str, String)> {
        match self {
            Step::Learns => vec![("k", FIRST_VISIT_SHOTS.to_string())],
            Step::Ablation => {
                let heads: Vec<String> = INDUCTION_HEADS
                    .iter()
                    .map(|&(l, h)| format!("L{l}H{h}"))
                    .collect();
                vec![("heads", heads.join(", "))]
            }
            Step::PhaseChange => vec![
                ("before", PHASE_BEFORE.to_string()),
                ("after", PHASE_AFTER.to_string()),
            ],
            _ => Vec::new(),
        }
    }

    /// The body in `lang`, its placeholders filled.
    pub fn text(self, lang: Lang) -> String {
        let args = self.args();
        let args: Vec<(&str, &dyn std::fmt::Display)> = args
            .iter()
            .map(|(k, v)| (*k, v as &dyn std::fmt::Display))
            .collect();
        lang.f(self.body(), &args)
    }

    /// The id of the element the step points at.
    pub fn target(self) -> &'static str {
        match self {
            Step::Compression => "compression",
            Step::Learns => "curve-preview",
            Step::Recognises | Step::Mirage => "icl-curve",
            Step::InductionHead => "heads",
            Step::Ablation => "copy-losses",
            Step::PhaseChange => "checkpoint",
            Step::TrainIt => "live-train",
            Step::InWeights => "tune-start",
        }
    }

    /// The panel explanation ("What am I seeing?") the step opens, by its key.
    pub fn about(self) -> Option<&'static str> {
        match self {
            Step::Compression => Some("compression"),
            Step::Learns => None,
            Step::Recognises | Step::Mirage => Some("icl-curve"),
            Step::InductionHead | Step::Ablation => Some("heads"),
            Step::PhaseChange => Some("training"),
            Step::TrainIt => Some("live"),
            Step::InWeights => Some("in-weights"),
        }
    }

    /// What the step starts once its document is on screen.
    pub fn jobs(self) -> Jobs {
        match self {
            Step::Compression | Step::InductionHead | Step::Ablation => Jobs {
                run: true,
                measure: false,
            },
            Step::Learns | Step::Recognises => Jobs {
                run: true,
                measure: true,
            },
            Step::Mirage => Jobs {
                run: false,
                measure: true,
            },
            Step::PhaseChange | Step::TrainIt | Step::InWeights => Jobs::default(),
        }
    }

    /// The document the step shows, in `lang`.
    pub fn doc(self, lang: Lang) -> Doc {
        let preset = |name: &str| {
            presets::apply_named(&Doc::default(), name, SEED, FIRST_VISIT_SHOTS)
                .expect("the tour's presets exist")
        };
        let mut doc = match self {
            Step::Compression | Step::Learns | Step::Mirage | Step::TrainIt | Step::InWeights => {
                presets::first_visit()
            }
            Step::Recognises => preset(RECOGNISED),
            Step::InductionHead => preset(COPY),
            Step::Ablation => {
                let mut d = preset(COPY);
                d.explore.ablated = INDUCTION_HEADS.to_vec();
                d
            }
            Step::PhaseChange => {
                let mut d = preset(COPY);
                d.model = ModelRef::Shipped(PHASE_MODEL.to_string());
                d.explore.checkpoint = Some(PHASE_BEFORE);
                d
            }
        };
        doc.lang = lang;
        // In the form every document takes (its ablated heads in (layer, head) order).
        doc.checked().expect("the tour's documents are valid")
    }
}

/// How a tour link's fragment starts.
const FRAGMENT: &str = "tour-";

/// Whether `doc` is a tour step's document as the tour left it: nothing of the visitor's, so
/// replacing it sets nothing aside.
pub fn is_step_doc(doc: &Doc) -> bool {
    Step::ALL.iter().any(|s| s.doc(doc.lang) == *doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_numbered_in_order_and_linked_both_ways() {
        assert!(
            (7..=9).contains(&Step::ALL.len()),
            "the issue asks 7 to 9 steps"
        );
        for (i, s) in Step::ALL.iter().enumerate() {
            assert_eq!(s.number(), i + 1);
            assert_eq!(Step::from_fragment(&s.fragment()), Some(*s));
            assert_eq!(Step::from_fragment(&format!("#{}", s.fragment())), Some(*s));
        }
        assert_eq!(Step::Compression.previous(), None);
        assert_eq!(Step::InWeights.next(), None);
        assert_eq!(Step::Learns.next(), Some(Step::Recognises));
        for bad in [
            "tour-0",
            "tour-10",
            "tour-",
            "tour-+1",
            "tour-01x",
            "tour-99999999999999999999",
            "v1.abc",
            "",
            "tour-١",
        ] {
            assert_eq!(Step::from_fragment(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn every_step_text_is_in_both_languages_with_its_values() {
        for s in Step::ALL {
            for lang in Lang::ALL {
                let text = s.text(lang);
                assert!(!text.contains('{'), "{s:?} {lang:?}: {text}");
                let sentences = text.matches(['.', '。']).count();
                assert!(
                    (2..=4).contains(&sentences),
                    "{s:?} {lang:?}: {sentences} sentences"
                );
            }
            assert_ne!(
                Lang::Zh.t(s.title()),
                s.title(),
                "{s:?} title has no Chinese"
            );
            assert_ne!(Lang::Zh.t(s.body()), s.body(), "{s:?} text has no Chinese");
        }
    }

    #[test]
    fn every_step_sets_a_valid_document_of_its_own() {
        for s in Step::ALL {
            let doc = s.doc(Lang::Zh);
            assert_eq!(doc.lang, Lang::Zh);
            assert_eq!(doc.clone().checked(), Ok(doc.clone()), "{s:?}");
            assert!(is_step_doc(&doc));
            assert!(!doc.examples.is_empty());
        }
        let mut mine = Step::Learns.doc(Lang::En);
        mine.query = "my own".into();
        assert!(!is_step_doc(&mine));
        // The steps differ where they say they do.
        let mut heads = Step::Ablation.doc(Lang::En).explore.ablated;
        heads.sort_by_key(|h| INDUCTION_HEADS.iter().position(|i| i == h));
        assert_eq!(heads, INDUCTION_HEADS.to_vec());
        let phase = Step::PhaseChange.doc(Lang::En);
        assert_eq!(phase.model.id(), Some(PHASE_MODEL));
        assert_eq!(phase.explore.checkpoint, Some(PHASE_BEFORE));
        assert_ne!(
            Step::Recognises.doc(Lang::En).examples,
            Step::Learns.doc(Lang::En).examples
        );
        let copies = Step::InductionHead.doc(Lang::En).examples;
        assert!(copies.iter().all(|e| e.input == e.output));
    }
}

/// The claims the steps make about the shipped models, measured on their weights.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod measured {
    use super::*;
    use icl_model::eval::metrics::{HEAD_PROBE, head_scores};
    use icl_model::net::backend::Backend;
    use icl_model::net::model::Model;
    use icl_model::net::sampling::{SamplingConfig, complete};
    use icl_model::net::transformer::HeadMask;
    use icl_model::zoo::manifest::Manifest;

    fn models() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../public/models")
    }

    fn manifest() -> Manifest {
        Manifest::parse(&std::fs::read_to_string(models().join("manifest.json")).unwrap()).unwrap()
    }

    /// The model `id`'s weights at `step` (`None`: its final weights).
    fn load(id: &str, step: Option<u64>) -> Model {
        let manifest = manifest();
        let entry = manifest.get(id).unwrap();
        let file = match step {
            None => entry.file.clone(),
            Some(s) => entry
                .checkpoints
                .iter()
                .find(|c| c.step == s)
                .unwrap()
                .file
                .clone(),
        };
        let bytes = std::fs::read(models().join(file)).unwrap();
        icl_model::net::weights::from_bytes(&bytes, &Backend::Flex.device())
            .unwrap()
            .0
    }

    fn scores(m: &Model) -> icl_model::eval::metrics::HeadScores {
        let p = HEAD_PROBE;
        head_scores(&m.net, &m.device, p.seed, p.strings, p.len)
    }

    #[test]
    fn the_ablation_step_switches_off_the_defaults_top_induction_heads_and_copying_breaks() {
        let default = load(&manifest_default(), None);
        let s = scores(&default);
        let mut ranked: Vec<(f32, (usize, usize))> = s
            .induction
            .iter()
            .enumerate()
            .flat_map(|(l, row)| row.iter().enumerate().map(move |(h, &v)| (v, (l, h))))
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
        let top: Vec<(usize, usize)> = ranked
            .iter()
            .take(INDUCTION_HEADS.len())
            .map(|r| r.1)
            .collect();
        assert_eq!(top, INDUCTION_HEADS.to_vec(), "{:?}", s.induction);
        let c = &default.config;
        let mask = HeadMask::from_ablated(c.n_layers, c.n_heads, INDUCTION_HEADS);
        let ablated = default.with_heads_ablated(&mask);
        let after = scores(&ablated);
        // The card's words: the second copy costs nearly as much as the first.
        assert!(
            after.loss_second_copy > 0.6 * after.loss_first_copy
                && after.loss_second_copy > 10.0 * s.loss_second_copy,
            "second copy {} → {} (first {})",
            s.loss_second_copy,
            after.loss_second_copy,
            after.loss_first_copy
        );
        let doc = Step::Ablation.doc(Lang::En);
        let answer = |m: &Model| {
            complete(m, &doc.prompt(), SamplingConfig::default(), None)
                .unwrap()
                .text
        };
        let want = doc.expected_completion().unwrap();
        assert!(
            answer(&default).starts_with(&want),
            "{:?}",
            answer(&default)
        );
        assert!(
            !answer(&ablated).starts_with(&want),
            "{:?}",
            answer(&ablated)
        );
    }

    #[test]
    fn the_phase_change_step_opens_before_attn2s_induction_head_forms() {
        let before = scores(&load(PHASE_MODEL, Some(PHASE_BEFORE)));
        let after = scores(&load(PHASE_MODEL, None));
        assert!(before.loss_second_copy > 2.0, "{}", before.loss_second_copy);
        assert!(after.loss_second_copy < 0.5 * before.loss_second_copy);
        assert!(after.top_induction() > before.top_induction() + 0.2);
        let last = manifest()
            .get(PHASE_MODEL)
            .unwrap()
            .checkpoints
            .last()
            .unwrap()
            .step;
        assert_eq!(last, PHASE_AFTER);
    }

    /// The manifest's default model: the one the tour's `ModelRef::Default` steps run.
    fn manifest_default() -> String {
        manifest().models[0].id.clone()
    }
}
