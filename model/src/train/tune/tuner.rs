//! The tune: a few optimiser steps on the visitor's own examples. Each step trains on episodes
//! built from the examples alone: one example in turn is the query, a random number of the
//! others (shuffled) its shots, written in the visitor's template, with the loss on answer
//! tokens only. Deterministic from the seed on either target, like [`crate::train::step`].

use super::{MAX_STEPS, Moving, POINTS, QueryScore, TuneError, TunePoint, TuneSettings};
use crate::eval::in_weights::{LeaveOneOut, leave_one_out};
use crate::eval::score::score_answer;
use crate::net::model::Model;
use crate::net::tokenizer::{BOS, Tokenizer};
use crate::net::transformer::Transformer;
use crate::rules::corpus::Sequence;
use crate::rules::template::Template;
use crate::train::step::batch_loss;
use burn::module::{Lora, Module};
use burn::optim::grad_clipping::GradientClippingConfig;
use burn::optim::{AdamWConfig, GradientsParams, ModuleOptimizer};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// One leave-one-out episode: the index of the query example and of its shots, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Episode {
    pub query: usize,
    pub shots: Vec<usize>,
}

impl Episode {
    /// The `turn`-th episode over `n` examples: the query is example `turn mod n` (each in
    /// turn), its shots a random number (1 to n − 1) of the others in random order.
    pub fn draw(turn: usize, n: usize, rng: &mut impl Rng) -> Self {
        let query = turn % n;
        let mut others: Vec<usize> = (0..n).filter(|&i| i != query).collect();
        others.shuffle(rng);
        let k = rng.random_range(1..=others.len().max(1));
        others.truncate(k);
        Self {
            query,
            shots: others,
        }
    }

    /// Its text in `template`, every answer marked (the query's last), as one training row
    /// of exactly its own length; shots are dropped from the front until it fits `block`
    /// tokens (`None` when not even the query does).
    pub fn sequence(
        &self,
        examples: &[(String, String)],
        template: &Template,
        tok: &Tokenizer,
        block: usize,
    ) -> Option<Sequence> {
        let encoded = |i: usize| -> (Vec<u32>, Vec<bool>) {
            let (x, y) = &examples[i];
            let mut ids = Vec::new();
            let mut answer = Vec::new();
            for (s, is_answer) in answer_spans(template, x, y) {
                let e = tok.encode(s).ids;
                answer.extend(std::iter::repeat_n(is_answer, e.len()));
                ids.extend(e);
            }
            (ids, answer)
        };
        let parts: Vec<_> = self
            .shots
            .iter()
            .chain(std::iter::once(&self.query))
            .map(|&i| encoded(i))
            .collect();
        let mut from = 0;
        while 1 + parts[from..].iter().map(|p| p.0.len()).sum::<usize>() > block + 1 {
            from += 1;
            if from == parts.len() {
                return None;
            }
        }
        let mut ids = vec![BOS];
        let mut answer = vec![false];
        for (i, a) in &parts[from..] {
            ids.extend(i);
            answer.extend(a);
        }
        let answer_mask = answer[1..].to_vec();
        Some(Sequence {
            loss_mask: answer_mask
                .iter()
                .map(|&a| f32::from(u8::from(a)))
                .collect(),
            answer_mask,
            ids,
        })
    }
}

/// How a tune marks one example's answer: as training does ([`Template::spans`]), and also
/// the output prefix's trailing spaces, which the page's prompt leaves for the model to write
/// (`out:` → ` enots`): a tune that did not train them would learn to drop them.
fn answer_spans<'a>(template: &'a Template, x: &'a str, y: &'a str) -> Vec<(&'a str, bool)> {
    let mut out = Vec::with_capacity(7);
    for (s, is_answer) in template.spans(x, y) {
        if std::ptr::eq(s, template.output_prefix.as_str()) {
            let cut = s.trim_end_matches(' ').len();
            out.push((&s[..cut], false));
            out.push((&s[cut..], true));
        } else {
            out.push((s, is_answer));
        }
    }
    out
}

/// Rows padded to the longest (padding carries no loss).
fn pad(mut rows: Vec<Sequence>) -> Vec<Sequence> {
    let len = rows.iter().map(|r| r.ids.len()).max().unwrap_or(1);
    for r in &mut rows {
        let pad = *r.ids.last().unwrap_or(&BOS);
        r.ids.resize(len, pad);
        r.loss_mask.resize(len - 1, 0.0);
        r.answer_mask.resize(len - 1, false);
    }
    rows
}

/// A tune between steps.
pub struct Tuner {
    pub settings: TuneSettings,
    base: Model,
    template: Template,
    examples: Vec<(String, String)>,
    /// Taken out only for the length of an optimiser step.
    net: Option<Transformer>,
    optim: ModuleOptimizer,
    autodiff: burn::tensor::Device,
    /// Steps done so far.
    pub step: usize,
}

impl Tuner {
    /// A tune of `model` on `examples` written in `template`.
    pub fn new(
        model: &Model,
        template: &Template,
        examples: &[(String, String)],
        settings: TuneSettings,
    ) -> Result<Self, TuneError> {
        if examples.len() < 2 {
            return Err(TuneError::TooFewExamples(examples.len()));
        }
        if !(1..=MAX_STEPS).contains(&settings.steps)
            || settings.batch == 0
            || !(settings.lr.is_finite() && settings.lr > 0.0)
        {
            return Err(TuneError::Settings);
        }
        if settings.moving == Moving::Mlps && model.net.blocks.iter().all(|b| b.mlp.is_none()) {
            return Err(TuneError::NoMlps);
        }
        let block = model.config.block_size;
        for i in 0..examples.len() {
            let alone = Episode {
                query: i,
                shots: Vec::new(),
            };
            if alone
                .sequence(examples, template, &model.tokenizer, block)
                .is_none()
            {
                return Err(TuneError::TooLong(i + 1, block));
            }
        }
        let autodiff = model.device.clone().autodiff();
        // A model read from a file has its gradients switched off: switched on here for all,
        // then off again where the settings keep weights as shipped.
        let net = model
            .net
            .clone()
            .fork(&autodiff)
            .set_require_grad(true)
            .train();
        let net = match settings.moving {
            Moving::All => net,
            Moving::LastBlocks(n) => {
                let mut net = net.no_grad();
                let from = net.blocks.len().saturating_sub(n);
                for b in &mut net.blocks[from..] {
                    *b = b.clone().set_require_grad(true);
                }
                net.ln_f = net.ln_f.set_require_grad(true);
                net.lm_head = net.lm_head.set_require_grad(true);
                net
            }
            Moving::Mlps => {
                let mut net = net.no_grad();
                for b in &mut net.blocks {
                    b.mlp = b.mlp.take().map(|m| m.set_require_grad(true));
                }
                net
            }
            Moving::Adapter(rank) => {
                autodiff.seed(settings.seed);
                net.apply_lora(Lora::new(rank.max(1), 2.0 * rank.max(1) as f64))
            }
        };
        Ok(Self {
            optim: AdamWConfig::new()
                .with_weight_decay(0.0)
                .with_grad_clipping(Some(GradientClippingConfig::Norm(1.0)))
                .init(),
            settings,
            base: model.clone(),
            template: template.clone(),
            examples: examples.to_vec(),
            net: Some(net),
            autodiff,
            step: 0,
        })
    }

    /// The episodes of step `step`: the same in every process that runs this tune.
    pub fn episodes(&self, step: usize) -> Vec<Episode> {
        let mut rng = ChaCha8Rng::seed_from_u64(
            self.settings
                .seed
                .wrapping_mul(1_000_003)
                .wrapping_add(step as u64),
        );
        let b = self.settings.batch;
        (0..b)
            .map(|j| Episode::draw(step * b + j, self.examples.len(), &mut rng))
            .collect()
    }

    /// Whether every step is done.
    pub fn finished(&self) -> bool {
        self.step >= self.settings.steps
    }

    /// Trains one step; the mean loss (nats) on its answer characters.
    pub fn step(&mut self) -> f32 {
        let block = self.base.config.block_size;
        let tok = &self.base.tokenizer;
        let rows: Vec<Sequence> = self
            .episodes(self.step)
            .iter()
            .filter_map(|e| e.sequence(&self.examples, &self.template, tok, block))
            .collect();
        let net = self.net.take().expect("the network is there between steps");
        let (loss, answer_loss, _) = batch_loss(&net, &pad(rows), &self.autodiff, 1.0);
        let grads = GradientsParams::from_grads(loss.backward(), &net);
        // A short warmup: AdamW's first steps are otherwise full-size in every direction.
        let warm = ((self.step + 1) as f64 / 4.0).min(1.0);
        self.net = Some(self.optim.step(self.settings.lr * warm, net, grads));
        self.step += 1;
        answer_loss
    }

    /// Whether a progress point is due now: before the first step, after the last, and at
    /// [`POINTS`] steps spread between them (a point scores every example, which costs a good
    /// part of a step: one per step would add half a tune's time).
    pub fn point_due(&self) -> bool {
        let every = self.settings.steps.div_ceil(POINTS).max(1);
        self.step == 0 || self.finished() || self.step.is_multiple_of(every)
    }

    /// How the tune stands after `loss` (the last step's, NaN before any): its examples
    /// scored on the weights as they are now, alone and as each other's shots, and the
    /// visitor's `query` with its right answer when known (never trained on).
    pub fn point(&self, loss: f32, query: Option<(&str, &str)>) -> TunePoint {
        let m = self.model();
        let t = &self.template;
        let q = |shots: &[(String, String)]| {
            query.and_then(|(x, y)| score_answer(&m, t, shots, x, y).ok())
        };
        TunePoint {
            step: self.step,
            loss,
            in_weights: LeaveOneOut::of(&leave_one_out(&m, t, &self.examples, false)),
            // Each example with the others in the prompt: ten times the characters of the
            // rest of a point, so scored only before the first step and after the last.
            both: if self.step == 0 || self.finished() {
                LeaveOneOut::of(&leave_one_out(&m, t, &self.examples, true))
            } else {
                LeaveOneOut::default()
            },
            query_in_weights: q(&[]).map(QueryScore::from),
            query_both: q(&self.examples).map(QueryScore::from),
        }
    }

    /// The model as it is now (an adapter folded into its weights).
    pub fn model(&self) -> Model {
        let net = self
            .net
            .as_ref()
            .expect("the network is there between steps")
            .valid()
            .materialize();
        Model::new(
            self.base.config.clone(),
            self.base.tokenizer.clone(),
            net,
            self.base.device.clone(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::config::ModelConfig;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn examples() -> Vec<(String, String)> {
        ["stone", "river", "cloud", "apple", "grape", "lemon"]
            .iter()
            .map(|w| (w.to_string(), w.chars().rev().collect()))
            .collect()
    }

    /// A small random model, read back from its weight file as the page and `icl` read one.
    fn small() -> Model {
        use crate::net::weights::{DType, from_bytes, to_bytes};
        let config = ModelConfig::new(2, 2, 32, 64, 96, Tokenizer::default().vocab_size());
        let device = burn::tensor::Device::flex();
        let m = Model::random(config, 3, &device).unwrap();
        let bytes = to_bytes(&m, DType::F32, &Default::default());
        from_bytes(&bytes, &device).unwrap().0
    }

    #[test]
    fn no_query_is_among_its_own_shots_and_each_example_takes_its_turn() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        for n in 2..9 {
            let mut queries = vec![0; n];
            for turn in 0..4 * n {
                let e = Episode::draw(turn, n, &mut rng);
                assert!(!e.shots.contains(&e.query), "{e:?}");
                assert!((1..n).contains(&e.shots.len()), "{e:?}");
                let mut distinct = e.shots.clone();
                distinct.sort_unstable();
                distinct.dedup();
                assert_eq!(distinct.len(), e.shots.len(), "{e:?}");
                queries[e.query] += 1;
            }
            assert!(queries.iter().all(|&q| q == 4), "{queries:?}");
        }
    }

    #[test]
    fn episodes_keep_the_visitors_template_and_mark_only_answers() {
        let tok = Tokenizer::default();
        let t = Template {
            input_prefix: String::new(),
            output_prefix: " -> ".into(),
            separator: "\n".into(),
            between: Some(String::new()),
        };
        let ex = examples();
        let e = Episode {
            query: 2,
            shots: vec![4, 0],
        };
        let s = e.sequence(&ex, &t, &tok, 96).unwrap();
        assert_eq!(
            tok.decode(&s.ids[1..]),
            "grape -> eparg\nstone -> enots\ncloud -> duolc\n"
        );
        let marked: String = s.ids[1..]
            .iter()
            .zip(&s.answer_mask)
            .filter(|&(_, &a)| a)
            .map(|(&i, _)| tok.decode(&[i]))
            .collect();
        // The answers and the separators that end them, as training marks them, and the
        // output prefix's space the page's prompt leaves for the model to write.
        assert_eq!(marked, " eparg\n enots\n duolc\n");
        assert_eq!(s.loss_mask.len(), s.ids.len() - 1);
        // A window too small for every shot drops the first ones, never the query.
        let cut = e.sequence(&ex, &t, &tok, 20).unwrap();
        assert_eq!(tok.decode(&cut.ids[1..]), "cloud -> duolc\n");
        assert!(e.sequence(&ex, &t, &tok, 8).is_none());
    }

    fn tuned(settings: TuneSettings) -> Model {
        let mut t = Tuner::new(&small(), &Template::default(), &examples(), settings).unwrap();
        while !t.finished() {
            t.step();
        }
        t.model()
    }

    /// Every weight, as the weight file writes them.
    fn weights(m: &Model) -> Vec<u8> {
        use crate::net::weights::{DType, to_bytes};
        to_bytes(m, DType::F32, &Default::default())
    }

    #[test]
    fn the_same_seed_gives_the_same_weights() {
        let s = TuneSettings {
            steps: 3,
            ..TuneSettings::default()
        };
        assert_eq!(weights(&tuned(s)), weights(&tuned(s)));
        let other = tuned(TuneSettings { seed: 1, ..s });
        assert_ne!(weights(&tuned(s)), weights(&other));
    }

    #[test]
    fn a_tune_raises_its_examples_log_probability() {
        let base = small();
        let query = Some(("melon", "nolem"));
        for moving in [
            Moving::All,
            Moving::LastBlocks(1),
            Moving::Adapter(4),
            Moving::Mlps,
        ] {
            let settings = TuneSettings {
                steps: 30,
                lr: 3e-3,
                moving,
                ..TuneSettings::default()
            };
            let mut t = Tuner::new(&base, &Template::default(), &examples(), settings).unwrap();
            let before = t.point(f32::NAN, query);
            assert_eq!((before.step, before.in_weights.n), (0, 6));
            let mut loss = f32::NAN;
            while !t.finished() {
                loss = t.step();
            }
            let after = t.point(loss, query);
            assert_eq!(after.step, 30);
            assert!(t.point_due());
            let mut t2 = Tuner::new(&base, &Template::default(), &examples(), settings).unwrap();
            t2.step();
            let between = t2.point(f32::NAN, query);
            assert_eq!((between.in_weights.n, between.both.n), (6, 0));
            for (b, a) in [
                (before.in_weights, after.in_weights),
                (before.both, after.both),
            ] {
                assert!(a.logprob > b.logprob + 2.0, "{moving:?}: {b:?} -> {a:?}");
            }
            assert!(after.query_in_weights.is_some() && after.query_both.is_some());
        }
    }

    #[test]
    fn progress_points_fall_at_the_ends_and_a_few_steps_between() {
        for steps in [1, 5, 24, 100] {
            let settings = TuneSettings {
                steps,
                ..TuneSettings::default()
            };
            let mut t = Tuner::new(&small(), &Template::default(), &examples(), settings).unwrap();
            let mut due = vec![t.point_due()];
            while !t.finished() {
                t.step();
                due.push(t.point_due());
            }
            let (first, last) = (due[0], due[steps]);
            let n = due.iter().filter(|&&d| d).count();
            assert!(
                first && last && n <= POINTS + 2 && n >= steps.min(POINTS),
                "{steps}: {n}"
            );
        }
    }

    #[test]
    fn moving_reads_what_it_writes() {
        for m in [
            Moving::All,
            Moving::LastBlocks(2),
            Moving::Adapter(8),
            Moving::Mlps,
        ] {
            assert_eq!(m.to_string().parse::<Moving>(), Ok(m));
        }
        for bad in ["", "last", "last:0", "adapter:x", "some"] {
            assert!(bad.parse::<Moving>().is_err(), "{bad}");
        }
    }

    #[test]
    fn too_few_or_too_long_examples_are_refused() {
        let m = small();
        let t = Template::default();
        let one = &examples()[..1];
        assert!(matches!(
            Tuner::new(&m, &t, one, TuneSettings::default()),
            Err(TuneError::TooFewExamples(1))
        ));
        let long = vec![("x".repeat(200), "y".into()), ("a".into(), "b".into())];
        assert!(matches!(
            Tuner::new(&m, &t, &long, TuneSettings::default()),
            Err(TuneError::TooLong(1, 96))
        ));
        let attention_only = ModelConfig::new(1, 2, 32, 0, 96, Tokenizer::default().vocab_size())
            .with_attention_only(true);
        let attention_only =
            Model::random(attention_only, 1, &burn::tensor::Device::flex()).unwrap();
        let mlps = TuneSettings {
            moving: Moving::Mlps,
            ..TuneSettings::default()
        };
        assert_eq!(
            Tuner::new(&attention_only, &t, &examples(), mlps).err(),
            Some(TuneError::NoMlps)
        );
        let zero = TuneSettings {
            steps: 0,
            ..TuneSettings::default()
        };
        assert_eq!(
            Tuner::new(&m, &t, &examples(), zero).err(),
            Some(TuneError::Settings)
        );
    }
}
