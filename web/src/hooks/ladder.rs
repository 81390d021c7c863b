//! Asks for the ladder's measured table when the Scale view opens (and only then: the page
//! downloads what a view needs when it needs it).

use yew::prelude::*;

use super::{Bridge, Store};
use crate::doc::Vary;
use crate::protocol::ToWorker;

#[hook]
pub fn use_ladder(bridge: &Bridge, state: &Store) {
    let bridge = bridge.clone();
    let wanted = state.page.doc.explore.vary == Vary::Ladder
        && state.page.ready_model().is_some()
        && state.explore.ladder.is_none();
    use_effect_with(wanted, move |&wanted| {
        if wanted {
            bridge.send(ToWorker::Ladder);
        }
    });
}
