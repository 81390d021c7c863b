//! "Prediction is compression": the surprisal of every prompt character under the model, in
//! bits, beside what deflate (gzip's algorithm) needs for the same text.

use yew::prelude::*;

use crate::i18n::use_lang;

use super::about_box::AboutBox;

use crate::glyph::shown;
use crate::store::Analysis;

/// Bits per character deflate needs for `text` (raw deflate, best level).
pub fn deflate_bits_per_char(text: &str) -> f64 {
    let n = text.chars().count();
    if n == 0 {
        return 0.0;
    }
    let packed = miniz_oxide::deflate::compress_to_vec(text.as_bytes(), 10);
    8.0 * packed.len() as f64 / n as f64
}

#[derive(Properties, PartialEq)]
pub struct CompressionProps {
    pub analysis: Option<Analysis>,
}

#[function_component]
pub fn Compression(props: &CompressionProps) -> Html {
    let lang = use_lang();
    let body = match &props.analysis {
        None => {
            html! { <p class="placeholder">{ lang.t("Run the model to see how many bits each character of the prompt costs.") }</p> }
        }
        Some(a) => {
            let chars: Vec<char> = a.prompt.chars().collect();
            let scored = &chars[a.skipped.min(chars.len())..];
            let total: f32 = a.bits.iter().sum();
            let model_bpc = total / a.bits.len().max(1) as f32;
            let gzip = deflate_bits_per_char(&a.prompt);
            html! {
                <>
                    <p id="bpc" class="figures" data-model-bpc={format!("{model_bpc:.3}")} data-deflate-bpc={format!("{gzip:.3}")}>
                        <strong>{ lang.f("Model: {bpc} bits/char", &[("bpc", &format!("{model_bpc:.2}"))]) }</strong>
                        { lang.f(" ({total} bits for {n} characters) · deflate: {gzip} bits/char", &[("total", &format!("{total:.0}")), ("n", &a.bits.len()), ("gzip", &format!("{gzip:.2}"))]) }
                        if a.skipped > 0 { { lang.f(" · first {n} characters outside the window, not scored", &[("n", &a.skipped)]) } }
                    </p>
                    <div id="strip" class="strip" translate="no" aria-label={lang.t("Surprisal of each prompt character")}>
                        { for scored.iter().zip(&a.bits).enumerate().map(|(i, (c, b))| {
                            let text = shown(&c.to_string());
                            let style = format!("--b: {:.3}", (b / 8.0).min(1.0));
                            html! {
                                <span class={classes!("ch", (*c == '\n').then_some("nl"))} key={i} style={style} title={lang.f("{c}: {b} bits", &[("c", &text), ("b", &format!("{b:.2}"))])}>{ text }</span>
                            }
                        }) }
                    </div>
                    <p class="sr-only">{ lang.f("Per-character surprisal in bits: {list}", &[("list", &a.bits.iter().map(|b| format!("{b:.1}")).collect::<Vec<_>>().join(", "))]) }</p>
                </>
            }
        }
    };
    html! {
        <section class="panel" aria-labelledby="compression-h" id="compression">
            <h2 id="compression-h">{ lang.t("4 · Prediction is compression") }</h2>
            <AboutBox about="compression" />
            { body }
            <p class="explain">{ lang.t("A model that predicts well can compress well: a character costs −log₂ p bits. Red characters surprised the model; once it has learned the rule from your examples, later answers cost almost nothing, which gzip cannot do.") }</p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deflate_compresses_repetition() {
        let once = deflate_bits_per_char("the quick brown fox");
        let many = deflate_bits_per_char(&"the quick brown fox ".repeat(50));
        assert!(many < 1.0 && once > many, "{once} {many}");
        assert_eq!(deflate_bits_per_char(""), 0.0);
    }
}
