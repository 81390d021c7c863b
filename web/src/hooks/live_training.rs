//! Train, Pause and Reset of the model trained in this tab, as callbacks that tell the state
//! and the worker together.

use yew::prelude::*;

use super::{Bridge, Store, next_job};
use crate::protocol::ToWorker;
use crate::store::Action;

/// The live training callbacks.
#[derive(Clone)]
pub struct LiveJobs {
    /// Train (or resume) with the shown settings.
    pub train: Callback<()>,
    /// Pause: the worker stops after the step it is in.
    pub pause: Callback<()>,
    /// Forget the live model.
    pub reset: Callback<()>,
    /// Ask for the live model's weight file.
    pub export: Callback<()>,
}

#[hook]
pub fn use_live_training(bridge: &Bridge, state: &Store) -> LiveJobs {
    let train = {
        let (bridge, state) = (bridge.clone(), state.clone());
        Callback::from(move |_: ()| {
            if state.live.run.training {
                return;
            }
            let run = next_job();
            state.dispatch(Action::LiveStarted(run));
            bridge.send(ToWorker::Train {
                run,
                settings: state.live.settings.clone(),
                until: None,
            });
        })
    };
    // A link's run: train it again to the step it reached.
    {
        let (bridge, state) = (bridge.clone(), state.clone());
        use_effect_with(state.live.replay.clone(), move |replay| {
            if let Some(link) = replay {
                let run = next_job();
                state.dispatch(Action::LiveSettings(link.settings.clone()));
                state.dispatch(Action::LiveStarted(run));
                bridge.send(ToWorker::Train {
                    run,
                    settings: link.settings.clone(),
                    until: Some(link.step),
                });
            }
        });
    }
    let pause = {
        let bridge = bridge.clone();
        Callback::from(move |_: ()| bridge.send(ToWorker::Stop))
    };
    let reset = {
        let (bridge, state) = (bridge.clone(), state.clone());
        Callback::from(move |_: ()| {
            if state.live.run.training {
                bridge.send(ToWorker::Stop);
            }
            bridge.send(ToWorker::ResetTraining);
            state.dispatch(Action::LiveReset);
        })
    };
    let export = {
        let bridge = bridge.clone();
        Callback::from(move |_: ()| bridge.send(ToWorker::ExportLive))
    };
    LiveJobs {
        train,
        pause,
        reset,
        export,
    }
}
