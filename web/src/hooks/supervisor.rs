//! The page's end of the connection to the model worker, and its supervisor: a worker that
//! panics (it says so before it dies) or raises an error event is terminated and replaced by a
//! new one, which reloads the model (from the browser's cache) so the visitor can run again.
//! Requests sent before a worker's wasm runs wait in a queue, as do requests sent while no
//! worker is alive: the next request starts one.
//!
//! The page starts with the inference worker, which has no training code. The first request
//! that trains or tunes ([`ToWorker::needs_trainer`]) starts the trainer worker in its place:
//! it loads the page's model first, then takes every request from then on (restarts too). The
//! inference worker answers what it was sent before and ends itself ([`ToWorker::Close`]). A
//! trainer worker that dies before its wasm runs (its files could not be fetched, say) gives
//! the page back to the inference worker.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::Uint8Array;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Event, MessageEvent, Worker, WorkerOptions, WorkerType};
use yew::prelude::*;

use super::Store;
use crate::protocol::{Envelope, ToWorker, pack, unpack};
use crate::store::Action;

/// Event a test dispatches on `window` to make the worker panic.
const CRASH_EVENT: &str = "icl-crash-worker";

/// Which of the page's two workers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// The first one: runs the models, without the training code.
    Inference,
    /// With the training code (live training and the tune), started when first needed.
    Trainer,
}

impl Kind {
    /// The trunk build target (`index.html`) of its wasm: its files are `{bin}_loader.js`,
    /// `{bin}.js` and `{bin}_bg.wasm`, next to the page.
    const fn bin(self) -> &'static str {
        match self {
            Kind::Inference => "worker",
            Kind::Trainer => "trainer",
        }
    }

    /// Its script (trunk's loader for its wasm).
    fn script(self) -> String {
        format!("{}_loader.js", self.bin())
    }
}

/// A running worker with its handlers.
struct Live {
    kind: Kind,
    /// Which worker this is, for its handlers (each worker the page starts has its own).
    id: u64,
    worker: Worker,
    /// Requests waiting for the worker's wasm to start (`None` once it runs).
    queue: Option<Vec<ToWorker>>,
    _on_message: Closure<dyn Fn(MessageEvent)>,
    _on_error: Closure<dyn Fn(Event)>,
}

struct Inner {
    live: RefCell<Option<Live>>,
    /// The worker ended last, kept until the next ends: its handler may still be running.
    dead: RefCell<Option<Live>>,
    /// The inference worker the trainer worker replaced, answering what it was sent before.
    retiring: RefCell<Option<Live>>,
    /// Which worker the page starts now.
    kind: Cell<Kind>,
    /// The id of the last worker started.
    started: Cell<u64>,
    /// The last [`ToWorker::Load`] sent: a worker started in another's place loads it first.
    load: RefCell<Option<ToWorker>>,
    dispatch: crate::store::Dispatcher,
}

/// Which of the page's workers an event came from.
enum Sender {
    Live,
    Retiring,
    /// One that has been ended since.
    Gone,
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
    /// Sends a request, starting a worker if none is alive, and the trainer worker if the
    /// request needs it.
    pub fn send(&self, msg: ToWorker) {
        if matches!(msg, ToWorker::Load { .. }) {
            *self.0.load.borrow_mut() = Some(msg.clone());
        }
        if msg.needs_trainer() && self.0.kind.get() == Kind::Inference {
            self.start_trainer();
        }
        if msg == ToWorker::Stop
            && let Some(r) = self.0.retiring.borrow().as_ref()
        {
            post(&r.worker, &msg);
        }
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

    /// Starts the trainer worker in the inference worker's place: it loads the page's model
    /// first, then gets what the inference worker had not started on. A running inference
    /// worker finishes what it was sent, then ends.
    fn start_trainer(&self) {
        self.0.kind.set(Kind::Trainer);
        let mut carried = Vec::new();
        if let Some(mut old) = self.0.live.borrow_mut().take() {
            match old.queue.take() {
                Some(waiting) => {
                    old.worker.terminate();
                    carried = waiting;
                    *self.0.dead.borrow_mut() = Some(old);
                }
                None => {
                    post(&old.worker, &ToWorker::Close);
                    let earlier = self.0.retiring.borrow_mut().replace(old);
                    if let Some(earlier) = earlier {
                        earlier.worker.terminate();
                        *self.0.dead.borrow_mut() = Some(earlier);
                    }
                }
            }
        }
        let mut live = self.spawn();
        if let Some(queue) = live.as_mut().and_then(|l| l.queue.as_mut()) {
            queue.extend(self.0.load.borrow().clone());
            queue.extend(
                carried
                    .into_iter()
                    .filter(|m| !matches!(m, ToWorker::Load { .. })),
            );
        }
        *self.0.live.borrow_mut() = live;
    }

    /// Which worker `id` is.
    fn which(&self, id: u64) -> Sender {
        let is = |slot: &RefCell<Option<Live>>| slot.borrow().as_ref().is_some_and(|l| l.id == id);
        if is(&self.0.live) {
            Sender::Live
        } else if is(&self.0.retiring) {
            Sender::Retiring
        } else {
            Sender::Gone
        }
    }

    /// A worker died: the live one is replaced (see [`Bridge::crashed`]); the retiring one's
    /// jobs end.
    fn died(&self, id: u64, why: String) {
        match self.which(id) {
            Sender::Live => self.crashed(why),
            Sender::Retiring => {
                let ended = self.0.retiring.borrow_mut().take();
                if let Some(r) = &ended {
                    r.worker.terminate();
                }
                *self.0.dead.borrow_mut() = ended;
                web_sys::console::error_1(&format!("the inference worker died: {why}").into());
                self.0.dispatch.dispatch(Action::JobsLost);
            }
            Sender::Gone => {}
        }
    }

    /// Ends the worker after a crash and tells the page; the next request starts another. A
    /// trainer worker whose wasm never ran leaves the page to the inference worker.
    fn crashed(&self, why: String) {
        let ended = self.0.live.borrow_mut().take();
        let mut why = why;
        if let Some(live) = &ended {
            live.worker.terminate();
            if live.kind == Kind::Trainer && live.queue.is_some() {
                self.0.kind.set(Kind::Inference);
                why = format!("the training code could not start ({why})");
            }
        }
        *self.0.dead.borrow_mut() = ended;
        self.0.dispatch.dispatch(Action::WorkerCrashed(why));
    }

    fn spawn(&self) -> Option<Live> {
        let kind = self.0.kind.get();
        let id = self.0.started.get() + 1;
        self.0.started.set(id);
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Classic);
        let worker = match Worker::new_with_options(&kind.script(), &options) {
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
                Some(Envelope::Loaded) => bridge.flush(id),
                Some(Envelope::Out(msg)) => {
                    if !matches!(bridge.which(id), Sender::Gone) {
                        bridge.0.dispatch.dispatch(Action::Worker(msg));
                    }
                }
                Some(Envelope::Panicked(why)) => bridge.died(id, why),
                None => bridge.died(id, "it sent a message the page cannot read".into()),
            }
        });
        let weak = Rc::downgrade(&self.0);
        // An error in the worker comes as an `ErrorEvent`; a script that could not be fetched
        // as a plain `Event`, without a message.
        let on_error = Closure::<dyn Fn(Event)>::new(move |e: Event| {
            if let Some(inner) = weak.upgrade() {
                let why = js_sys::Reflect::get(&e, &"message".into())
                    .ok()
                    .and_then(|m| m.as_string())
                    .filter(|m| !m.is_empty());
                let why = why.unwrap_or_else(|| "an error it could not recover from".into());
                Bridge(inner).died(id, why);
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Some(Live {
            kind,
            id,
            worker,
            queue: Some(Vec::new()),
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// Worker `id` runs: sends what waited.
    fn flush(&self, id: u64) {
        let mut live = self.0.live.borrow_mut();
        if let Some(live) = live.as_mut().filter(|l| l.id == id) {
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
            retiring: RefCell::new(None),
            kind: Cell::new(Kind::Inference),
            started: Cell::new(0),
            load: RefCell::new(None),
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
