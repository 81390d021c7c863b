//! The worker's end of the connection to the page: requests arrive through `onmessage` into a
//! queue the job loop reads; answers go out with `postMessage`, each as bincode bytes in an
//! [`Envelope`]. A panic is reported to the page before the worker dies, so the page can start
//! a new one.

use futures::StreamExt;
use futures::channel::mpsc::{UnboundedReceiver, unbounded};
use js_sys::Uint8Array;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use crate::protocol::{Envelope, FromWorker, ToWorker, pack, unpack};

/// The page went away: the worker stops.
pub struct Gone;

fn global() -> Option<DedicatedWorkerGlobalScope> {
    js_sys::global().dyn_into().ok()
}

fn post(envelope: &Envelope) -> Result<(), Gone> {
    let bytes = Uint8Array::from(pack(envelope).as_slice());
    let buffer = bytes.buffer();
    let transfer = js_sys::Array::of1(&buffer);
    global()
        .ok_or(Gone)?
        .post_message_with_transfer(&bytes, &transfer)
        .map_err(|_| Gone)
}

/// Requests from the page, in order.
pub struct Channel {
    rx: UnboundedReceiver<ToWorker>,
}

impl Channel {
    /// Listens to the page and tells it the worker is running. Also reports panics to it.
    pub fn open() -> Channel {
        std::panic::set_hook(Box::new(|info| {
            console_error_panic_hook::hook(info);
            let _ = post(&Envelope::Panicked(info.to_string()));
        }));
        let (tx, rx) = unbounded();
        let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |e: MessageEvent| {
            let bytes = Uint8Array::new(&e.data()).to_vec();
            match unpack::<ToWorker>(&bytes) {
                Some(ToWorker::Crash) => panic!("the page asked the worker to stop with a panic"),
                Some(msg) => {
                    let _ = tx.unbounded_send(msg);
                }
                None => web_sys::console::warn_1(&"a message that is not a request".into()),
            }
        });
        if let Some(g) = global() {
            g.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        }
        // The handler lives as long as the worker.
        on_message.forget();
        let _ = post(&Envelope::Loaded);
        Channel { rx }
    }

    /// The next request (a future that can be raced with others).
    pub fn next(&mut self) -> futures::stream::Next<'_, UnboundedReceiver<ToWorker>> {
        self.rx.next()
    }

    /// Ends the worker once the job now running returns (the page has a new one).
    pub fn close(&self) {
        if let Some(g) = global() {
            g.close();
        }
    }

    /// Sends an answer to the page.
    pub async fn send(&mut self, msg: FromWorker) -> Result<(), Gone> {
        post(&Envelope::Out(msg))
    }
}
