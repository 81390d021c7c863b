//! The live part of the store: the model trained in this tab (its run as the worker reports
//! it), the settings as shown, a link's run to train again, and the weight file once asked for.

use std::rc::Rc;

use yew::Reducible;

use crate::doc::LiveLink;
use crate::live_run::{LiveRun, LiveSettings};
use crate::protocol::{FromWorker, WeightFile};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Live {
    /// The model trained in this tab.
    pub run: LiveRun,
    /// The live training settings as shown (applied by the next Train).
    pub settings: LiveSettings,
    /// A link's live run, to train again to its step (taken out of the document).
    pub replay: Option<LiveLink>,
    /// The live model's weight file, once asked for: its name and bytes.
    pub file: Option<Rc<WeightFile>>,
}

pub enum Action {
    /// The live training settings were edited.
    Settings(LiveSettings),
    /// Live training started (or resumed) as this run with the shown settings.
    Started(u64),
    /// The live model was forgotten.
    Reset,
    /// A link's live run, to be trained again.
    Replay(LiveLink),
    /// The worker died: training stops.
    WorkerCrashed,
    /// The worker's reports on training and the weight file.
    Worker(FromWorker),
}

impl Reducible for Live {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = Rc::unwrap_or_clone(self);
        match action {
            Action::Settings(l) => s.settings = l,
            Action::Started(run) => {
                let settings = s.settings.clone();
                s.run.start(run, settings);
            }
            Action::Reset => {
                s.run = LiveRun::default();
                s.file = None;
            }
            Action::Replay(l) => s.replay = Some(l),
            Action::WorkerCrashed => s.run.training = false,
            Action::Worker(msg) => match msg {
                FromWorker::Trained { run, point } => s.run.reported(run, *point),
                FromWorker::TrainingPaused { run } => s.run.paused(run),
                FromWorker::LiveWeights(file) => s.file = Some(Rc::new(file)),
                _ => {}
            },
        }
        Rc::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_trains_with_the_shown_settings_and_a_crash_or_reset_ends_it() {
        let shown = LiveSettings {
            seed: 9,
            ..LiveSettings::default()
        };
        let s = Rc::new(Live::default()).reduce(Action::Settings(shown.clone()));
        let s = s.reduce(Action::Started(4));
        assert!(s.run.training);
        assert_eq!((s.run.run, &s.run.settings), (Some(4), &shown));
        let s = s.reduce(Action::Worker(FromWorker::LiveWeights(WeightFile {
            name: "live.bin".into(),
            bytes: vec![1],
        })));
        let crashed = s.clone().reduce(Action::WorkerCrashed);
        assert!(!crashed.run.training);
        assert_eq!(serde_json::to_value(&s.run).unwrap()["run"], 4);
        let reset = s.reduce(Action::Reset);
        assert_eq!((reset.run.clone(), reset.file.clone()), Default::default());
        assert_eq!(reset.settings, shown, "the settings shown stay");
        // Exports write the job as they did: its id above, 0 before any.
        assert_eq!(serde_json::to_value(&reset.run).unwrap()["run"], 0);
    }
}
