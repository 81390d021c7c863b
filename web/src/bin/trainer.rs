//! Entry point of the trainer worker: the model worker with the training code (the `train`
//! feature), started when the visitor first trains or tunes.

fn main() {
    icl_web::worker::start();
}
