//! What the worker reports as gone wrong, and what it says that is not an error, as data: the
//! worker sends these, the page words them in its language ([`WorkerError::words`]). Detail
//! that comes from elsewhere (the browser, the model crate) travels as its own text and is
//! shown as it is, in Chinese too where the catalogue knows it whole.

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

/// Why the worker could not do what the page asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum WorkerError {
    /// The worker's code runs outside a web worker.
    NotInWorker,
    /// The network refused a download (`why`: the browser's words).
    Unreachable {
        url: String,
        why: String,
    },
    /// The server answered a download with an HTTP error.
    Http {
        url: String,
        status: u16,
        text: String,
    },
    /// `fetch` gave something that is not a response.
    NoResponse,
    /// A text file's response is not text.
    NotText,
    /// A download's body cannot be read.
    Unreadable,
    /// A download stopped half-way (`why`: the browser's words).
    BrokeOff {
        why: String,
    },
    /// A download kept going far past its size in the model list.
    TooMuchData,
    /// The browser's own words about something that failed.
    Browser(String),
    /// The model list does not parse (`why`: the model crate's words).
    BrokenList {
        why: String,
    },
    ListNotLoaded,
    ListEmpty,
    /// The model list has no model with this id (cut short).
    NoSuchModel {
        id: String,
    },
    /// A model of the list has no checkpoint at this step.
    NoCheckpoint {
        model: String,
        step: u64,
    },
    /// A model of the list has no training curves.
    NoCurves {
        model: String,
    },
    /// A model's training curves do not parse (`why`: the parser's words).
    BrokenCurves {
        why: String,
    },
    /// The ladder's measured table does not parse (`why`: the parser's words).
    BrokenLadder {
        why: String,
    },
    /// A weight file was downloaded but cannot be used.
    DamagedWeights {
        /// The model's name.
        model: String,
        /// The checkpoint's step (`None`: the final weights).
        step: Option<u64>,
        damage: Damage,
    },
    /// A request for the live model before any training.
    NoLiveModel,
    /// The live model's weight file was asked for before any training.
    NothingTrained,
    /// The live run could not start (the model crate's words).
    Training(String),
    /// A completion could not start (the model crate's words about its settings).
    Sampling(String),
    /// A request for the tuned model before any tune (or after Reset).
    NoTunedModel,
    /// A tune was asked of the live or the tuned model.
    NotTunable,
    /// A tune could not start.
    Tune(icl_model::train::tune::TuneError),
    /// Training or a tune reached the inference worker, which has no training code (the page
    /// sends them to the trainer worker).
    NoTrainingCode,
}

/// What is wrong with a downloaded weight file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Damage {
    /// It has another length than the model list says.
    Length { expected: u64, actual: u64 },
    /// Anything else (the model crate's words).
    Other(String),
}

/// What the worker tells the visitor besides answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Notice {
    /// The browser's storage is full: the model stays in memory for this visit only.
    StorageFull,
    /// Something the visitor asked for failed (training curves, the live weight file...).
    Failed(WorkerError),
}

impl WorkerError {
    /// What went wrong, in `lang`.
    pub fn words(&self, lang: Lang) -> String {
        use WorkerError as E;
        match self {
            E::NotInWorker => lang.t("the model must run in a web worker").into(),
            E::Unreachable { url, why } => lang.f(
                "could not download {url}: {why} (check your connection and retry)",
                &[("url", url), ("why", &lang.t_owned(why))],
            ),
            E::Http { url, status, text } => lang.f(
                "could not download {url}: HTTP {status} {text}",
                &[("url", url), ("status", status), ("text", text)],
            ),
            E::NoResponse => lang.t("fetch returned no response").into(),
            E::NotText => lang.t("the response is not text").into(),
            E::Unreadable => lang.t("the download cannot be read").into(),
            E::BrokeOff { why } => lang.f(
                "the download broke off: {why} (check your connection and retry)",
                &[("why", &lang.t_owned(why))],
            ),
            E::TooMuchData => lang
                .t("the server sent far more data than the model list says")
                .into(),
            E::Browser(why) | E::Training(why) | E::Sampling(why) => lang.t_owned(why),
            E::BrokenList { why } => lang.f(
                "the model list is broken: {why}",
                &[("why", &lang.t_owned(why))],
            ),
            E::ListNotLoaded => lang.t("the model list is not loaded yet").into(),
            E::ListEmpty => lang.t("the model list is empty").into(),
            E::NoSuchModel { id } => lang.f(
                "there is no model called {name}",
                &[("name", &format!("{id:?}"))],
            ),
            E::NoCheckpoint { model, step } => lang.f(
                "{name} has no checkpoint at step {step}",
                &[("name", &lang.t_owned(model)), ("step", step)],
            ),
            E::NoCurves { model } => lang.f(
                "{name} has no training curves",
                &[("name", &lang.t_owned(model))],
            ),
            E::BrokenCurves { why } => lang.f(
                "the training curves are broken: {why}",
                &[("why", &lang.t_owned(why))],
            ),
            E::BrokenLadder { why } => lang.f(
                "the ladder's measured table is broken: {why}",
                &[("why", &lang.t_owned(why))],
            ),
            E::DamagedWeights {
                model,
                step,
                damage,
            } => {
                let model = lang.t_owned(model);
                let name = match step {
                    None => model,
                    Some(step) => {
                        lang.f("{name} at step {step}", &[("name", &model), ("step", step)])
                    }
                };
                lang.f(
                    "{name} could not be used: {why}. Retry; if it persists the server has a damaged copy.",
                    &[("name", &name), ("why", &damage.words(lang))],
                )
            }
            E::NoLiveModel => lang
                .t("no model was trained in this tab yet: press Train first")
                .into(),
            E::NothingTrained => lang.t("no model was trained in this tab yet").into(),
            E::NoTunedModel => lang
                .t("no model was tuned on your examples yet: press Tune first")
                .into(),
            E::NotTunable => lang
                .t("only a model of the page can be tuned, not the live or a tuned one")
                .into(),
            E::Tune(e) => {
                use icl_model::train::tune::{MAX_STEPS, TuneError as T};
                match e {
                    T::TooFewExamples(n) => lang.f(
                        "tuning needs at least 2 examples (one is the query, the others its shots); there are {n}",
                        &[("n", n)],
                    ),
                    T::TooLong(i, block) => lang.f(
                        "example {i} alone does not fit the model's window of {block} characters",
                        &[("i", i), ("block", block)],
                    ),
                    T::Settings => lang.f(
                        "steps must be 1 to {max}, the batch at least 1 and the learning rate a number above 0",
                        &[("max", &MAX_STEPS)],
                    ),
                    T::NoMlps => lang
                        .t("this model has no MLPs (attention only): choose other weights to move")
                        .into(),
                }
            }
            E::NoTrainingCode => lang
                .t("the training code is not loaded: press Train or Tune again")
                .into(),
        }
    }
}

impl Damage {
    /// What is wrong with the file, in `lang`.
    pub fn words(&self, lang: Lang) -> String {
        match self {
            Damage::Length { expected, actual } => lang.f(
                "expected {a} bytes but got {b}: the download is incomplete or wrong",
                &[("a", expected), ("b", actual)],
            ),
            Damage::Other(why) => lang.t_owned(why),
        }
    }
}

impl Notice {
    /// The notice, in `lang`.
    pub fn words(&self, lang: Lang) -> String {
        match self {
            Notice::StorageFull => lang
                .t("this browser's storage is full, so the model is kept in memory for this visit only")
                .into(),
            Notice::Failed(e) => e.words(lang),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One of each variant.
    fn all() -> Vec<WorkerError> {
        use WorkerError as E;
        let s = |x: &str| x.to_string();
        vec![
            E::NotInWorker,
            E::Unreachable {
                url: s("models/base.bin"),
                why: s("TypeError: Failed to fetch"),
            },
            E::Http {
                url: s("models/base.bin"),
                status: 404,
                text: s("Not Found"),
            },
            E::NoResponse,
            E::NotText,
            E::Unreadable,
            E::BrokeOff { why: s("network") },
            E::TooMuchData,
            E::Browser(s("QuotaExceededError")),
            E::BrokenList { why: s("x: y") },
            E::ListNotLoaded,
            E::ListEmpty,
            E::NoSuchModel { id: s("gone") },
            E::NoCheckpoint {
                model: s("base"),
                step: 845,
            },
            E::NoCurves { model: s("base") },
            E::BrokenCurves { why: s("EOF") },
            E::BrokenLadder { why: s("EOF") },
            E::DamagedWeights {
                model: s("base"),
                step: Some(845),
                damage: Damage::Length {
                    expected: 10,
                    actual: 9,
                },
            },
            E::DamagedWeights {
                model: s("base"),
                step: None,
                damage: Damage::Other(s(
                    "the file is corrupt: its checksum does not match its contents",
                )),
            },
            E::NoLiveModel,
            E::NothingTrained,
            E::Training(s("bad settings")),
            E::Sampling(s("top_p must be in (0, 1] (got 2)")),
            E::NoTunedModel,
            E::NotTunable,
            E::Tune(icl_model::train::tune::TuneError::TooFewExamples(1)),
            E::Tune(icl_model::train::tune::TuneError::TooLong(3, 128)),
            E::Tune(icl_model::train::tune::TuneError::Settings),
            E::Tune(icl_model::train::tune::TuneError::NoMlps),
            E::NoTrainingCode,
        ]
    }

    /// The English the worker's sentences had before they were typed (the e2e tests read some).
    #[test]
    fn english_words_are_the_worker_sentences() {
        let en: Vec<String> = all().iter().map(|e| e.words(Lang::En)).collect();
        let expected = [
            "the model must run in a web worker",
            "could not download models/base.bin: TypeError: Failed to fetch (check your connection and retry)",
            "could not download models/base.bin: HTTP 404 Not Found",
            "fetch returned no response",
            "the response is not text",
            "the download cannot be read",
            "the download broke off: network (check your connection and retry)",
            "the server sent far more data than the model list says",
            "QuotaExceededError",
            "the model list is broken: x: y",
            "the model list is not loaded yet",
            "the model list is empty",
            "there is no model called \"gone\"",
            "base has no checkpoint at step 845",
            "base has no training curves",
            "the training curves are broken: EOF",
            "the ladder's measured table is broken: EOF",
            "base at step 845 could not be used: expected 10 bytes but got 9: the download is incomplete or wrong. Retry; if it persists the server has a damaged copy.",
            "base could not be used: the file is corrupt: its checksum does not match its contents. Retry; if it persists the server has a damaged copy.",
            "no model was trained in this tab yet: press Train first",
            "no model was trained in this tab yet",
            "bad settings",
            "top_p must be in (0, 1] (got 2)",
            "no model was tuned on your examples yet: press Tune first",
            "only a model of the page can be tuned, not the live or a tuned one",
            "tuning needs at least 2 examples (one is the query, the others its shots); there are 1",
            "example 3 alone does not fit the model's window of 128 characters",
            "steps must be 1 to 500, the batch at least 1 and the learning rate a number above 0",
            "this model has no MLPs (attention only): choose other weights to move",
            "the training code is not loaded: press Train or Tune again",
        ];
        assert_eq!(en, expected);
        assert_eq!(
            Notice::StorageFull.words(Lang::En),
            "this browser's storage is full, so the model is kept in memory for this visit only"
        );
        assert_eq!(
            Notice::Failed(WorkerError::NothingTrained).words(Lang::En),
            "no model was trained in this tab yet"
        );
    }

    /// Every error of the worker's own reaches Chinese: only detail from the browser or the
    /// model crate may stay as it came, and the values stay in place.
    #[test]
    fn chinese_words_translate_every_sentence_and_keep_the_values() {
        for e in all() {
            let (en, zh) = (e.words(Lang::En), e.words(Lang::Zh));
            let foreign = matches!(
                e,
                WorkerError::Browser(_) | WorkerError::Training(_) | WorkerError::Sampling(_)
            );
            assert_eq!(en == zh, foreign, "{en:?} → {zh:?}");
            assert!(!zh.contains('{'), "{zh}");
        }
        let zh = all()[17].words(Lang::Zh);
        assert!(
            zh.contains("845") && zh.contains("10") && zh.contains('9'),
            "{zh}"
        );
        assert!(!zh.contains("Retry") && !zh.contains("expected"), "{zh}");
        // The model crate's detail is translated where the catalogue knows it whole.
        assert!(!all()[18].words(Lang::Zh).contains("checksum"));
        assert_ne!(
            Notice::StorageFull.words(Lang::Zh),
            Notice::StorageFull.words(Lang::En)
        );
    }

    #[test]
    fn errors_travel_as_bytes() {
        for e in all() {
            let back: Option<WorkerError> = crate::protocol::unpack(&crate::protocol::pack(&e));
            assert_eq!(back, Some(e));
        }
    }
}
