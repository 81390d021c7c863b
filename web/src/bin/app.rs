//! Entry point of the page (main thread).

fn main() {
    console_error_panic_hook::set_once();
    yew::Renderer::<icl_web::app::App>::new().render();
}
