//! The page's end of the connection to the model worker, and its supervisor: a worker that
//! panics (it says so before it dies) or raises an error event is terminated and replaced by a
//! new one, which reloads the model (from the browser's cache) so the visitor can run again.
//! Requests sent before a worker's wasm runs wait in a queue, as do requests sent while no
//! worker is alive: the next request starts one.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Uint8Array;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{ErrorEvent, MessageEvent, Worker, WorkerOptions, WorkerType};
use yew::prelude::*;

use super::Store;
use crate::protocol::{Envelope, ToWorker, pack, unpack};
use crate::store::Action;

/// The worker's script, next to the page (trunk's loader for the worker's wasm).
const WORKER_SCRIPT: &str = "worker_loader.js";
/// Event a test dispatches on `window` to make the worker panic.
const CRASH_EVENT: &str = "icl-crash-worker";

/// A running worker with its handlers.
struct Live {
    worker: Worker,
    /// Requests waiting for the worker's wasm to start (`None` once it runs).
    queue: Option<Vec<ToWorker>>,
    _on_message: Closure<dyn Fn(MessageEvent)>,
    _on_error: Closure<dyn Fn(ErrorEvent)>,
}

struct Inner {
    live: RefCell<Option<Live>>,
    /// The worker ended last, kept until the next ends: its handler may still be running.
    dead: RefCell<Option<Live>>,
    dispatch: crate::store::Dispatcher,
}

/// The connection to the model worker (cheap to clone; all clones share the worker).
#[derive(Clone)]
pub struct Bridge(Rc<Inner>);

impl PartialEq for Bridge {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Bridge {
    /// Sends a request, starting a worker if none is alive.
    pub fn send(&self, msg: ToWorker) {
        if self.0.live.borrow().is_none() {
            let live = self.spawn();
            *self.0.live.borrow_mut() = live;
        }
        let mut live = self.0.live.borrow_mut();
        let Some(live) = live.as_mut() else { return };
        match &mut live.queue {
            Some(q) => q.push(msg),
            None => post(&live.worker, &msg),
        }
    }

    /// Ends the worker after a crash and tells the page; the next request starts another.
    fn crashed(&self, why: String) {
        let ended = self.0.live.borrow_mut().take();
        if let Some(live) = &ended {
            live.worker.terminate();
        }
        *self.0.dead.borrow_mut() = ended;
        self.0.dispatch.dispatch(Action::WorkerCrashed(why));
    }

    fn spawn(&self) -> Option<Live> {
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Classic);
        let worker = match Worker::new_with_options(WORKER_SCRIPT, &options) {
            Ok(w) => w,
            Err(_) => {
                self.0.dispatch.dispatch(Action::WorkerCrashed(
                    "this browser could not start a web worker".into(),
                ));
                return None;
            }
        };
        let weak = Rc::downgrade(&self.0);
        let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |e: MessageEvent| {
            let Some(inner) = weak.upgrade() else { return };
            let bridge = Bridge(inner);
            let bytes = Uint8Array::new(&e.data()).to_vec();
            match unpack::<Envelope>(&bytes) {
                Some(Envelope::Loaded) => bridge.flush(),
                Some(Envelope::Out(msg)) => bridge.0.dispatch.dispatch(Action::Worker(msg)),
                Some(Envelope::Panicked(why)) => bridge.crashed(why),
                None => bridge.crashed("it sent a message the page cannot read".into()),
            }
        });
        let weak = Rc::downgrade(&self.0);
        let on_error = Closure::<dyn Fn(ErrorEvent)>::new(move |e: ErrorEvent| {
            if let Some(inner) = weak.upgrade() {
                let why = e.message();
                Bridge(inner).crashed(if why.is_empty() {
                    "an error it could not recover from".into()
                } else {
                    why
                });
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Some(Live {
            worker,
            queue: Some(Vec::new()),
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// The worker runs: sends what waited.
    fn flush(&self) {
        let mut live = self.0.live.borrow_mut();
        if let Some(live) = live.as_mut() {
            for msg in live.queue.take().unwrap_or_default() {
                post(&live.worker, &msg);
            }
        }
    }
}

fn post(worker: &Worker, msg: &ToWorker) {
    let bytes = Uint8Array::from(pack(msg).as_slice());
    let _ = worker.post_message(&bytes);
}

/// The page's worker: started on the first request, replaced when it crashes (then the model
/// is loaded again by [`super::use_model_loading`]'s restart effect).
#[hook]
pub fn use_worker(state: &Store) -> Bridge {
    let dispatch = state.dispatcher();
    let bridge = use_memo((), move |_| {
        Bridge(Rc::new(Inner {
            live: RefCell::new(None),
            dead: RefCell::new(None),
            dispatch,
        }))
    });
    let bridge = (*bridge).clone();
    {
        // A test's way to make the worker panic (harmless: it only restarts the worker).
        let bridge = bridge.clone();
        use_effect_with((), move |_| {
            let listener = Closure::<dyn Fn()>::new(move || bridge.send(ToWorker::Crash));
            let window = web_sys::window();
            if let Some(w) = &window {
                let _ = w.add_event_listener_with_callback(
                    CRASH_EVENT,
                    listener.as_ref().unchecked_ref(),
                );
            }
            move || {
                if let Some(w) = window {
                    let _ = w.remove_event_listener_with_callback(
                        CRASH_EVENT,
                        listener.as_ref().unchecked_ref(),
                    );
                }
            }
        });
    }
    bridge
}
