//! Entry point of the model worker.

fn main() {
    icl_web::worker::start();
}
