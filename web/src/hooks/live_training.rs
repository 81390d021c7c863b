//! Train, Pause and Reset of the model trained in this tab, as callbacks that tell the state
//! and the worker together.

use yew::prelude::*;

use super::{Bridge, Store, next_job};
use crate::protocol::ToWorker;
use crate::state::Action;

/// The live training callbacks.
#[derive(Clone)]
pub struct LiveJobs {
    /// Train (or resume) with the shown settings.
    pub train: Callback<()>,
    /// Pause: the worker stops after the step it is in.
    pub pause: Callback<()>,
    /// Forget the live model.
    pub reset: Callback<()>,
}

#[hook]
pub fn use_live_training(bridge: &Bridge, state: &Store) -> LiveJobs {
    let train = {
        let (bridge, state) = (bridge.clone(), state.clone());
        Callback::from(move |_: ()| {
            if state.live.training {
                return;
            }
            let run = next_job();
            state.dispatch(Action::LiveStarted(run));
            bridge.send(ToWorker::Train {
                run,
                settings: state.live_settings.clone(),
            });
        })
    };
    let pause = {
        let bridge = bridge.clone();
        Callback::from(move |_: ()| bridge.send(ToWorker::Stop))
    };
    let reset = {
        let (bridge, state) = (bridge.clone(), state.clone());
        Callback::from(move |_: ()| {
            if state.live.training {
                bridge.send(ToWorker::Stop);
            }
            bridge.send(ToWorker::ResetTraining);
            state.dispatch(Action::LiveReset);
        })
    };
    LiveJobs {
        train,
        pause,
        reset,
    }
}
