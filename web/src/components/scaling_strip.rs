//! The scaling strip under a comparison of models: score against parameter count.

use yew::prelude::*;

use crate::i18n::use_lang;

use crate::store::Comparison;

#[derive(Properties, PartialEq)]
pub struct ScalingProps {
    pub comparison: Comparison,
}

/// One model of the strip.
struct Row {
    params: u64,
    label: String,
    /// Log-probability (nats) of the expected answer.
    logprob: f32,
}

/// The same prompt's answer log-probability across the zoo's sizes.
#[function_component]
pub fn ScalingStrip(p: &ScalingProps) -> Html {
    let lang = use_lang();
    let c = &p.comparison;
    let mut rows: Vec<Row> = c
        .labels
        .iter()
        .zip(&c.params)
        .zip(&c.results)
        .filter_map(|((l, &params), r)| {
            Some(Row {
                params,
                label: l.clone(),
                logprob: r.as_ref()?.as_ref().ok()?.logprob?,
            })
        })
        .collect();
    rows.sort_by_key(|r| r.params);
    let worst = rows.iter().map(|r| r.logprob).fold(-1.0, f32::min);
    html! {
        <div id="scaling" class="scaling">
            <h3>{ lang.t("Scaling strip: log p of the expected answer by model size") }</h3>
            <ol>
                { for rows.iter().map(|Row { params: n, label: l, logprob: lp }| html! {
                    <li data-params={n.to_string()} data-logprob={lp.to_string()}>
                        <span class="who">{ lang.f("{name} ({n} parameters)", &[("name", &lang.t_owned(l)), ("n", &lang.int(*n))]) }</span>
                        <span class="bar" style={format!("width:{:.0}%", 100.0 * (1.0 - lp / worst).max(0.02))}></span>
                        <span class="val">{ lang.f("{v} nats", &[("v", &format!("{lp:.2}"))]) }</span>
                    </li>
                }) }
            </ol>
        </div>
    }
}
