//! What the explain panels ask the worker for, as pure functions of the document and the
//! models: how a target is named, which held-out batch a curve is measured on, the models a
//! run or comparison can use, and the columns of a comparison.

use icl_model::eval::score::Labels;
use icl_model::rules::tasks::Task;

use crate::components::heads::head_name;
use crate::doc::{Doc, Vary};
use crate::i18n::Lang;
use crate::live_run::LiveRun;
use crate::presets;
use crate::protocol::{LIVE_MODEL, ModelRef, ModelSummary, SweepSource, TUNED_MODEL, Target};
use crate::store::Tune;

/// Shot counts of the ICL curve.
pub use icl_model::eval::sweep::SWEEP_KS;
/// Held-out queries per shot count.
pub const SWEEP_QUERIES: usize = 16;

/// How a target is named on charts and tables: `base @ step 845 − L1H3` (the default model
/// is the first of `models`).
pub fn target_label(t: &Target, models: &[ModelSummary], lang: Lang) -> String {
    let mut s = t
        .model
        .id()
        .or_else(|| models.first().map(|m| m.id.as_str()))
        .unwrap_or_default()
        .to_string();
    if let Some(c) = t.checkpoint {
        s += &lang.f(" @ step {c}", &[("c", &c)]);
    }
    if !t.ablated.is_empty() {
        let names: Vec<String> = t.ablated.iter().map(|&h| head_name(h)).collect();
        s += &format!(" − {}", names.join(","));
    }
    s
}

/// The held-out batch the document is measured on: held-out episodes of its preset's task, or
/// its own examples when it has no preset (or one the model crate does not know).
pub fn sweep_source(doc: &Doc, labels: Labels) -> SweepSource {
    match doc
        .preset
        .as_ref()
        .and_then(|p| Some((p, Task::from_name(&p.task)?)))
    {
        Some((p, task)) => SweepSource::Task {
            task,
            seed: p.seed,
            queries: SWEEP_QUERIES,
            labels,
        },
        None => SweepSource::Examples(doc.pairs()),
    }
}

/// The curve's batch in words.
pub fn source_words(doc: &Doc) -> String {
    match doc
        .preset
        .as_ref()
        .filter(|p| Task::from_name(&p.task).is_some())
    {
        Some(p) => doc.lang.f(
            "{n} held-out queries of the preset “{task}”, the same at every k, each with its first k examples",
            &[("n", &SWEEP_QUERIES), ("task", &p.task)],
        ),
        None => doc
            .lang
            .t("your own examples, each left out in turn as the query")
            .to_string(),
    }
}

/// One column of a comparison, as the page builds it.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub label: String,
    pub target: Target,
    /// The document the column's prompt, sampling and expected answer come from.
    pub doc: Doc,
    /// Shot count and labels of its held-out batch (none for sampling variants, whose
    /// greedy batch would be the same for every column).
    pub batch: Option<(usize, Labels)>,
    /// Parameters of its model.
    pub params: u64,
}

fn column(
    label: impl Into<String>,
    target: Target,
    doc: Doc,
    batch: Option<(usize, Labels)>,
    params: u64,
) -> Column {
    Column {
        label: label.into(),
        target,
        doc,
        batch,
        params,
    }
}

/// The models Run, Compare and every panel can use, named in `lang`: those of the list, the
/// model trained in this tab once it has trained, and the model tuned on the visitor's
/// examples while there is one.
pub fn offered(
    models: &[ModelSummary],
    live: &LiveRun,
    tune: &Tune,
    lang: Lang,
) -> Vec<ModelSummary> {
    let mut all = with_live(models, live, lang);
    all.extend(tuned(models, tune, lang));
    all
}

/// The tuned model as a model of the page, while there is one: named after the model it was
/// tuned from (checkpoints do not apply to it).
fn tuned(models: &[ModelSummary], tune: &Tune, lang: Lang) -> Option<ModelSummary> {
    let base = &tune.request.as_ref().filter(|_| tune.ready())?.base;
    let from = model_of(models, &base.model)?;
    let steps = tune.points.last().map_or(0, |p| p.step);
    let name = match base.checkpoint {
        None => lang.f(
            "{model}, tuned on your examples ({steps} steps)",
            &[("model", &from.id), ("steps", &steps)],
        ),
        Some(c) => lang.f(
            "{model} at step {c}, tuned on your examples ({steps} steps)",
            &[("model", &from.id), ("c", &c), ("steps", &steps)],
        ),
    };
    Some(ModelSummary {
        id: TUNED_MODEL.into(),
        name,
        description: String::new(),
        params: from.params,
        bytes: 0,
        checkpoints: Vec::new(),
        rung: None,
    })
}

/// The models of the list, and the model trained in this tab once it has trained, named in
/// `lang`.
fn with_live(models: &[ModelSummary], live: &LiveRun, lang: Lang) -> Vec<ModelSummary> {
    let mut models = models.to_vec();
    if let Some(p) = live.last() {
        let preset = live.settings.live();
        let name = if preset.n_layers == 1 {
            "Trained in this tab (1 layer, step {step})"
        } else {
            "Trained in this tab ({n} layers, step {step})"
        };
        models.push(ModelSummary {
            id: LIVE_MODEL.into(),
            name: lang.f(name, &[("n", &preset.n_layers), ("step", &p.step)]),
            description: String::new(),
            params: preset.model_config().param_count(),
            bytes: 0,
            checkpoints: Vec::new(),
            rung: None,
        });
    }
    models
}

/// The model `model` names, or the default (first) one.
pub fn model_of<'a>(models: &'a [ModelSummary], model: &ModelRef) -> Option<&'a ModelSummary> {
    models
        .iter()
        .find(|m| Some(m.id.as_str()) == model.id())
        .or(models.first())
}

/// The ladder's rungs among `models`, smallest first.
pub fn ladder(models: &[ModelSummary]) -> Vec<&ModelSummary> {
    let mut rungs: Vec<&ModelSummary> = models.iter().filter(|m| m.rung.is_some()).collect();
    rungs.sort_by_key(|m| (m.rung, m.params));
    rungs
}

/// The columns of a comparison of `doc` on what its explore settings vary.
pub fn columns(doc: &Doc, models: &[ModelSummary]) -> Vec<Column> {
    let mut cols = all_columns(doc, models);
    // The visitor's own examples are scored leave-one-out: each query is shown at most the
    // others, so a batch asking for all of them is scored on all the others, except in the
    // shot columns, where the column before it already is.
    if let SweepSource::Examples(examples) = sweep_source(doc, Labels::Correct) {
        let n = examples.len();
        for c in &mut cols {
            c.batch = c.batch.and_then(|(k, labels)| match k.checked_sub(n) {
                None => Some((k, labels)),
                Some(_) if n > 0 && doc.explore.vary != Vary::Shots => Some((n - 1, labels)),
                Some(_) => None,
            });
        }
    }
    cols
}

fn all_columns(doc: &Doc, models: &[ModelSummary]) -> Vec<Column> {
    let target = doc.target();
    let k = doc.examples.len();
    let here = model_of(models, &doc.model).map_or(0, |m| m.params);
    let lang = doc.lang;
    match doc.explore.vary {
        Vary::Shots => (0..=k.min(8))
            .map(|i| {
                let mut d = doc.clone();
                d.examples.truncate(i);
                let batch = Some((i, Labels::Correct));
                column(
                    lang.f("{i} examples", &[("i", &i)]),
                    target.clone(),
                    d,
                    batch,
                    here,
                )
            })
            .collect(),
        Vary::Model => models
            .iter()
            .filter(|m| m.rung.is_none())
            .map(|m| {
                let t = Target {
                    model: ModelRef::from_id(&m.id),
                    ..Target::default()
                };
                let batch = Some((k, Labels::Correct));
                column(m.id.clone(), t, doc.clone(), batch, m.params)
            })
            .collect(),
        Vary::Checkpoint => {
            let steps = model_of(models, &doc.model)
                .map(|m| m.checkpoints.clone())
                .unwrap_or_default();
            steps
                .iter()
                .map(|&s| Some(s))
                .chain(std::iter::once(None))
                .map(|c| {
                    let t = Target {
                        checkpoint: c,
                        ..target.clone()
                    };
                    let label = c.map_or(lang.t("final").to_string(), |s| {
                        lang.f("step {s}", &[("s", &s)])
                    });
                    column(label, t, doc.clone(), Some((k, Labels::Correct)), here)
                })
                .collect()
        }
        Vary::Ladder => ladder(models)
            .into_iter()
            .map(|m| {
                // Every rung at the same place in its own checkpoint list: the rungs were
                // trained for different numbers of steps.
                let checkpoint = doc
                    .explore
                    .stage
                    .and_then(|i| {
                        m.checkpoints
                            .get(i.min(m.checkpoints.len().checked_sub(1)?))
                    })
                    .copied();
                let t = Target {
                    model: ModelRef::from_id(&m.id),
                    checkpoint,
                    ablated: Vec::new(),
                };
                let label = match checkpoint {
                    None => m.id.clone(),
                    Some(s) => lang.f("{model} @ step {s}", &[("model", &m.id), ("s", &s)]),
                };
                column(label, t, doc.clone(), Some((k, Labels::Correct)), m.params)
            })
            .collect(),
        Vary::Sampling => [(0.0, 0), (0.5, 1), (1.0, 1), (1.0, 2), (1.5, 3)]
            .iter()
            .map(|&(temperature, seed)| {
                let mut d = doc.clone();
                d.sampling.temperature = temperature;
                d.sampling.seed = seed;
                let label = if temperature == 0.0 {
                    lang.t("greedy").to_string()
                } else {
                    lang.f(
                        "T = {t}, seed {seed}",
                        &[("t", &temperature), ("seed", &seed)],
                    )
                };
                column(label, target.clone(), d, None, here)
            })
            .collect(),
        Vary::Labels => {
            let flipped = presets::flip(doc);
            let wrong = presets::wrong_rule(doc);
            let shuffled = presets::shuffle_labels(doc, 1);
            vec![
                column(
                    lang.t("correct"),
                    target.clone(),
                    doc.clone(),
                    Some((k, Labels::Correct)),
                    here,
                ),
                column(
                    lang.t("shuffled"),
                    target.clone(),
                    shuffled,
                    Some((k, Labels::Shuffled)),
                    here,
                ),
                column(
                    lang.t("flipped"),
                    target,
                    flipped,
                    Some((k, Labels::Flipped(wrong))),
                    here,
                ),
            ]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{Example, PresetRef};

    fn models() -> Vec<ModelSummary> {
        ["base", "attn2"]
            .iter()
            .enumerate()
            .map(|(i, id)| ModelSummary {
                id: id.to_string(),
                name: id.to_string(),
                description: String::new(),
                params: 1000 * (i as u64 + 1),
                bytes: 0,
                checkpoints: vec![10, 100],
                rung: None,
            })
            .collect()
    }

    #[test]
    fn targets_are_named_by_model_step_and_heads() {
        let m = models();
        assert_eq!(target_label(&Target::default(), &m, Lang::En), "base");
        let t = Target {
            model: ModelRef::from_id("attn2"),
            checkpoint: Some(845),
            ablated: vec![(1, 3), (0, 0)],
        };
        assert_eq!(
            target_label(&t, &m, Lang::En),
            "attn2 @ step 845 − L1H3,L0H0"
        );
        assert_eq!(target_label(&Target::default(), &[], Lang::En), "");
    }

    #[test]
    fn the_tuned_model_is_offered_only_while_it_is_there_named_after_its_base() {
        use crate::protocol::TuneRequest;
        use crate::store::tune::{Action, reported};
        use icl_model::train::tune::TuneSettings;
        use yew::Reducible;
        let m = models();
        let live = LiveRun::default();
        let request = std::rc::Rc::new(TuneRequest {
            base: Target {
                model: ModelRef::from_id("attn2"),
                checkpoint: Some(100),
                ablated: vec![],
            },
            template: Default::default(),
            examples: vec![],
            query: String::new(),
            expected: None,
            settings: TuneSettings::default(),
        });
        let ids = |t: &Tune| -> Vec<String> {
            offered(&m, &live, t, Lang::En)
                .into_iter()
                .map(|s| s.id)
                .collect()
        };
        let t = std::rc::Rc::new(Tune::default()).reduce(Action::Started { run: 4, request });
        let t = t.reduce(Action::Worker(reported(4, 0, 0.5)));
        assert_eq!(ids(&t), ["base", "attn2"], "not before its first step");
        let t = t.reduce(Action::Worker(reported(4, 6, 0.5)));
        assert_eq!(ids(&t), ["base", "attn2", "tuned"]);
        let tuned = offered(&m, &live, &t, Lang::En).pop().unwrap();
        assert_eq!(
            tuned.name,
            "attn2 at step 100, tuned on your examples (6 steps)"
        );
        assert_eq!((tuned.params, tuned.checkpoints.len()), (2000, 0));
        // Checkpoints do not apply: a comparison by checkpoint on it has the one column.
        let doc = Doc {
            model: ModelRef::Tuned,
            explore: crate::doc::Explore {
                vary: Vary::Checkpoint,
                ..Default::default()
            },
            ..Doc::default()
        };
        let cols = columns(&doc, &offered(&m, &live, &t, Lang::En));
        assert_eq!(cols.len(), 1);
        assert_eq!(cols[0].target.model, ModelRef::Tuned);
        assert_eq!(ids(&t.reduce(Action::Reset)), ["base", "attn2"]);
    }

    #[test]
    fn presets_sweep_fresh_episodes_and_own_examples_leave_one_out() {
        let mut doc = Doc {
            preset: Some(PresetRef {
                task: "reverse".into(),
                seed: 9,
                used: 0,
                flip: None,
            }),
            ..Doc::default()
        };
        assert_eq!(
            sweep_source(&doc, Labels::Correct),
            SweepSource::Task {
                task: Task::Reverse,
                seed: 9,
                queries: SWEEP_QUERIES,
                labels: Labels::Correct
            }
        );
        // A preset the model crate does not know is measured on the examples themselves.
        doc.preset.as_mut().unwrap().task = "no such task".into();
        doc.examples = vec![Example::new("ab", "ba")];
        assert_eq!(
            sweep_source(&doc, Labels::Correct),
            SweepSource::Examples(vec![("ab".into(), "ba".into())])
        );
        // …and says so (the unseen-rule preset is measured this way).
        assert!(source_words(&doc).contains("your own examples"));
        doc.preset = None;
        assert!(source_words(&doc).contains("your own examples"));
    }

    #[test]
    fn every_kind_of_comparison_has_its_columns() {
        let m = models();
        let mut doc = Doc::default();
        let k = doc.examples.len();
        let shots = columns(&doc, &m);
        assert_eq!(shots.len(), k.min(8) + 1);
        assert_eq!(shots[0].doc.examples.len(), 0);
        assert!(shots.iter().all(|c| c.params == 1000));
        doc.explore.vary = Vary::Model;
        let by_model = columns(&doc, &m);
        assert_eq!(
            by_model.iter().map(|c| c.params).collect::<Vec<_>>(),
            [1000, 2000]
        );
        doc.explore.vary = Vary::Checkpoint;
        let labels: Vec<String> = columns(&doc, &m).into_iter().map(|c| c.label).collect();
        assert_eq!(labels, ["step 10", "step 100", "final"]);
        doc.explore.vary = Vary::Sampling;
        assert!(columns(&doc, &m).iter().all(|c| c.batch.is_none()));
        doc.explore.vary = Vary::Labels;
        let l = columns(&doc, &m);
        assert_eq!(l.len(), 3);
        // Without a preset (the default document has none) the batch is the examples
        // themselves, leave-one-out: never more shots than the others.
        assert!(doc.preset.is_none());
        assert_eq!(l[1].batch, Some((k - 1, Labels::Shuffled)));
        let n = k;
        assert!(n > 1);
        doc.explore.vary = Vary::Model;
        assert!(
            columns(&doc, &m)
                .iter()
                .all(|c| c.batch == Some((n - 1, Labels::Correct)))
        );
        doc.explore.vary = Vary::Shots;
        let batches: Vec<_> = columns(&doc, &m).into_iter().map(|c| c.batch).collect();
        assert_eq!(batches[n - 1], Some((n - 1, Labels::Correct)));
        assert_eq!(batches[n], None);
    }
}
