//! The tune's settings: steps, learning rate, which weights move, seed.

use icl_model::train::tune::{MAX_STEPS, Moving, TuneSettings};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::doc::{MAX_TUNE_LR, MAX_TUNE_RANK};
use crate::i18n::use_lang;

#[derive(Properties, PartialEq)]
pub struct TuneSettingsProps {
    pub settings: TuneSettings,
    /// While a tune runs the settings stay as they are.
    pub disabled: bool,
    pub on_change: Callback<TuneSettings>,
}

/// The kinds of weights that move, by their name in the model crate's text form of
/// [`Moving`] (`all`, `last:N`, `adapter:R`...), with their words; a kind the model crate
/// does not read is not offered.
const KINDS: [(&str, &str); 4] = [
    ("all", "all of them"),
    ("last", "the last blocks"),
    ("adapter", "a low-rank adapter"),
    ("mlps", "the MLPs only"),
];

/// Blocks or rank when the select is first switched to a kind that takes a number.
const FIRST_N: usize = 2;

/// The weights of kind `kind` with the number `n` (blocks or rank, for the kinds that take
/// one) held to what a link may ask for; `None` for a kind the model crate does not read.
pub fn moving_of(kind: &str, n: usize) -> Option<Moving> {
    let n = n.clamp(1, MAX_TUNE_RANK);
    format!("{kind}:{n}").parse().or_else(|_| kind.parse()).ok()
}

/// The kind of `moving` and its number, if it takes one.
fn kind_of(moving: Moving) -> (String, Option<usize>) {
    let text = moving.to_string();
    match text.split_once(':') {
        Some((kind, n)) => (kind.to_string(), n.parse().ok()),
        None => (text, None),
    }
}

#[function_component]
pub fn TuneSettingsForm(p: &TuneSettingsProps) -> Html {
    let lang = use_lang();
    let s = p.settings;
    // Text that is not a number yet (an empty field while typing) changes nothing.
    let edit = |apply: fn(&mut TuneSettings, &str) -> bool| {
        let cb = p.on_change.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlInputElement>().value();
            let mut next = s;
            if apply(&mut next, v.trim()) {
                cb.emit(next);
            }
        })
    };
    let (kind, n) = kind_of(s.moving);
    let on_kind = {
        let cb = p.on_change.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some(moving) = moving_of(&v, n.unwrap_or(FIRST_N)) {
                cb.emit(TuneSettings { moving, ..s });
            }
        })
    };
    let blocks = kind == "last";
    html! {
        <div class="fields grid tune-settings">
            <label for="tune-steps">{ lang.t("Steps") }</label>
            <input id="tune-steps" type="number" min="1" max={MAX_STEPS.to_string()} value={s.steps.to_string()} disabled={p.disabled}
                title={lang.t("Optimiser steps of the tune: each trains on a few of your examples, each the query of some of the others")}
                onchange={edit(|s, v| v.parse::<usize>().map(|x| s.steps = x.clamp(1, MAX_STEPS)).is_ok())} />
            <label for="tune-lr">{ lang.t("Learning rate") }</label>
            <input id="tune-lr" type="number" min="0.00001" max={MAX_TUNE_LR.to_string()} step="0.0001" value={s.lr.to_string()} disabled={p.disabled}
                title={lang.t("AdamW's learning rate: how far each step moves the weights")}
                onchange={edit(|s, v| match v.parse::<f64>() {
                    Ok(x) if x.is_finite() && x > 0.0 => { s.lr = x.min(MAX_TUNE_LR); true }
                    _ => false,
                })} />
            <label for="tune-moving">{ lang.t("Weights that move") }</label>
            <span class="row">
                <select id="tune-moving" disabled={p.disabled} onchange={on_kind}
                    title={lang.t("Which weights the tune changes; the others stay as shipped")}>
                    { for KINDS.iter().filter(|(k, _)| moving_of(k, FIRST_N).is_some()).map(|&(k, words)| html! {
                        <option value={k} selected={kind == k}>{ lang.t(words) }</option>
                    }) }
                </select>
                if let Some(n) = n {
                    <input id="tune-moving-n" type="number" min="1" max={MAX_TUNE_RANK.to_string()} value={n.to_string()} disabled={p.disabled}
                        aria-label={if blocks { lang.t("Blocks that move") } else { lang.t("Rank of the adapter") }}
                        title={if blocks { lang.t("How many of the last blocks move (with the final norm and the unembedding)") } else { lang.t("The adapter's rank: how many directions each weight matrix may move in") }}
                        onchange={edit(|s, v| match v.parse::<usize>().ok().and_then(|x| moving_of(&kind_of(s.moving).0, x)) {
                            Some(m) => { s.moving = m; true }
                            None => false,
                        })} />
                }
            </span>
            <label for="tune-seed">{ lang.t("Seed") }</label>
            <input id="tune-seed" type="number" min="0" value={s.seed.to_string()} disabled={p.disabled}
                title={lang.t("The seed of the episodes each step draws: the same seed tunes the same weights")}
                onchange={edit(|s, v| v.parse::<u64>().map(|x| s.seed = x).is_ok())} />
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_moving_weights_read_back_from_the_select_within_the_pages_limits() {
        for m in [Moving::All, Moving::LastBlocks(3), Moving::Adapter(8)] {
            let (kind, n) = kind_of(m);
            assert!(KINDS.iter().any(|(k, _)| *k == kind), "{kind} is offered");
            assert_eq!(moving_of(&kind, n.unwrap_or(FIRST_N)), Some(m));
        }
        assert_eq!(moving_of("adapter", 0), Some(Moving::Adapter(1)));
        assert_eq!(
            moving_of("last", 10_000),
            Some(Moving::LastBlocks(MAX_TUNE_RANK))
        );
        assert_eq!(moving_of("something else", 4), None);
        // The page's default is one of the kinds offered.
        let (default, _) = kind_of(TuneSettings::default().moving);
        assert!(KINDS.iter().any(|(k, _)| *k == default));
    }
}
