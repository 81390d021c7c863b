//! Files made in the browser: bytes saved through a temporary link, and an SVG drawn onto a
//! canvas to save it as PNG. Nothing leaves the tab.

use base64::Engine;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// How much larger than the page's drawing a PNG is made (sharp on slides and papers).
const PNG_SCALE: f64 = 2.0;

/// Saves `bytes` as the file `name` of type `mime`.
pub fn save(name: &str, mime: &str, bytes: &[u8]) -> Result<(), String> {
    let fail = |_| format!("this browser could not make the file {name}");
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob =
        web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(fail)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let a: web_sys::HtmlElement = doc.create_element("a").map_err(fail)?.unchecked_into();
    a.set_attribute("href", &url).map_err(fail)?;
    a.set_attribute("download", name).map_err(fail)?;
    a.set_hidden(true);
    let body = doc.body().ok_or("no page body")?;
    body.append_child(&a).map_err(fail)?;
    a.click();
    a.remove();
    // The download has its own copy once started; the URL goes a little later.
    gloo_timers::callback::Timeout::new(30_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}

/// Saves one export of a view as `{stem}.{ext}`: the standalone drawing `svg` makes (its
/// markup, width and height) as SVG or PNG, or the text `csv` or `json` makes; only what the
/// format needs is made. `said` hears what was done ("Saved …" or why not), in `lang`.
pub fn save_as(
    format: crate::export::Format,
    stem: &str,
    svg: impl FnOnce() -> (String, f64, f64),
    csv: impl FnOnce() -> String,
    json: impl FnOnce() -> String,
    lang: crate::i18n::Lang,
    said: yew::Callback<String>,
) {
    use crate::export::Format;
    let name = format!("{stem}.{}", format.ext());
    let told = move |r: Result<(), String>, name: &str| match r {
        Ok(()) => lang.f("Saved {name}", &[("name", &name)]),
        Err(e) => e,
    };
    let result = match format {
        Format::Svg => save(&name, "image/svg+xml", svg().0.as_bytes()),
        Format::Csv => save(&name, "text/csv", csv().as_bytes()),
        Format::Json => save(&name, "application/json", json().as_bytes()),
        Format::Png => {
            let (drawing, w, h) = svg();
            let shown = name.clone();
            save_png(name, &drawing, w, h, move |r| said.emit(told(r, &shown)));
            return;
        }
    };
    said.emit(told(result, &name));
}

/// Saves the standalone SVG `svg` (`w × h`) as the PNG `name`: drawn on a canvas at
/// [`PNG_SCALE`] once the browser has read it; `done` hears how it went.
pub fn save_png(
    name: String,
    svg: &str,
    w: f64,
    h: f64,
    done: impl FnOnce(Result<(), String>) + 'static,
) {
    let fail = |e: &str| format!("this browser could not draw the PNG: {e}");
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return done(Err(fail("no document")));
    };
    let Ok(img) = doc.create_element("img") else {
        return done(Err(fail("no image")));
    };
    let img: web_sys::HtmlImageElement = img.unchecked_into();
    let drawn = {
        let img = img.clone();
        move || -> Result<(), String> {
            let canvas: web_sys::HtmlCanvasElement = doc
                .create_element("canvas")
                .map_err(|_| fail("no canvas"))?
                .unchecked_into();
            canvas.set_width((w * PNG_SCALE) as u32);
            canvas.set_height((h * PNG_SCALE) as u32);
            let ctx: web_sys::CanvasRenderingContext2d = canvas
                .get_context("2d")
                .ok()
                .flatten()
                .ok_or_else(|| fail("no 2d context"))?
                .unchecked_into();
            ctx.draw_image_with_html_image_element_and_dw_and_dh(
                &img,
                0.0,
                0.0,
                w * PNG_SCALE,
                h * PNG_SCALE,
            )
            .map_err(|_| fail("drawing failed"))?;
            let url = canvas
                .to_data_url_with_type("image/png")
                .map_err(|_| fail("the canvas could not be read"))?;
            let b64 = url.split_once(',').map(|p| p.1).unwrap_or_default();
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(b64)
                .map_err(|_| fail("the canvas gave no PNG"))?;
            save(&name, "image/png", &bytes)
        }
    };
    let done = std::rc::Rc::new(std::cell::RefCell::new(Some(done)));
    let finish = {
        let done = done.clone();
        move |r: Result<(), String>| {
            if let Some(f) = done.borrow_mut().take() {
                f(r)
            }
        }
    };
    let on_load = {
        let finish = finish.clone();
        Closure::once_into_js(move || finish(drawn()))
    };
    let on_error = Closure::once_into_js(move || finish(Err(fail("the SVG could not be read"))));
    img.set_onload(Some(on_load.unchecked_ref()));
    img.set_onerror(Some(on_error.unchecked_ref()));
    // A data URL: the page's policy allows images from `data:`, not from `blob:`.
    img.set_src(&format!(
        "data:image/svg+xml;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(svg)
    ));
}
