//! Entry point of the model worker.

use yew_agent::Registrable;

fn main() {
    console_error_panic_hook::set_once();
    icl_web::worker::ModelWorker::registrar().register();
}
