//! The few-shot builder: presets, editable examples, query, expected answer, template, and
//! the exact prompt the model will read (or the raw prompt view).
//!
//! Long because the form, its preset choice and the template editor edit one document and
//! are read together.

use icl_model::net::tokenizer::Tokenizer;
use icl_model::rules::formats::{self, FormatSplit};
use icl_model::rules::tasks::Task;
use icl_model::rules::template::{Template, escape, unescape};
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::i18n::{Lang, use_lang};

use super::about_box::AboutBox;

use crate::doc::{Doc, Example, MAX_EXAMPLES, MAX_RAW, MAX_TEXT, View};
use crate::icons::{Icon, svg};
use crate::presets::{
    self, UNSEEN, UNSEEN_EXPLAIN, apply_named, apply_preset, explain, flip, label_of,
    more_examples, unseen_program,
};

/// A fresh random seed (presets and shuffles are reproducible from it; it goes into links).
pub fn random_seed() -> u64 {
    (js_sys::Math::random() * 9_007_199_254_740_992.0) as u64
}

/// The formats the template editor offers: a few of the format space's training part
/// ([`icl_model::rules::formats`]), the page's default first.
pub fn format_choices() -> &'static [Template] {
    static CHOICES: std::sync::OnceLock<Vec<Template>> = std::sync::OnceLock::new();
    CHOICES.get_or_init(|| {
        const WANTED: [&str; 8] = [
            "in: stone⏎out: enots⏎",
            "Q: stone⏎A: enots⏎",
            "Input: stone⏎Output: enots⏎",
            "stone -> enots⏎",
            "stone: enots⏎",
            "stone => enots⏎",
            "stone⏎enots⏎⏎",
            "\"stone\" => \"enots\"⏎",
        ];
        let train = formats::of_split(FormatSplit::Train);
        WANTED
            .iter()
            .filter_map(|w| {
                train
                    .iter()
                    .find(|t| t.sample() == *w)
                    .map(|t| (*t).clone())
            })
            .collect()
    })
}

#[derive(Properties, PartialEq)]
pub struct BuilderProps {
    pub doc: Doc,
    /// The loaded model's window, when known.
    pub block_size: Option<usize>,
    pub on_change: Callback<Doc>,
    pub on_message: Callback<String>,
}

fn input_value(e: InputEvent) -> String {
    e.target_unchecked_into::<HtmlInputElement>().value()
}

/// The fields near their limit (90 % or more), as "Query: 1,950 of 2,000 characters".
fn near_limits(lang: Lang, doc: &Doc) -> Vec<String> {
    let mut fields: Vec<(String, &str, usize)> = Vec::new();
    if doc.view == View::Raw {
        fields.push((lang.t("Prompt").into(), &doc.raw, MAX_RAW));
    } else {
        fields.push((lang.t("Query").into(), &doc.query, MAX_TEXT));
        for (i, e) in doc.examples.iter().enumerate() {
            let n = i + 1;
            fields.push((
                lang.f("Example {n} input", &[("n", &n)]),
                &e.input,
                MAX_TEXT,
            ));
            fields.push((
                lang.f("Example {n} output", &[("n", &n)]),
                &e.output,
                MAX_TEXT,
            ));
        }
    }
    fields.push((lang.t("Expected").into(), &doc.expected, MAX_TEXT));
    fields
        .into_iter()
        .filter_map(|(name, text, max)| {
            let n = text.chars().count();
            (n * 10 >= max * 9).then(|| {
                lang.f(
                    "{name}: {n} of {max} characters",
                    &[
                        ("name", &name),
                        ("n", &lang.int(n as u64)),
                        ("max", &lang.int(max as u64)),
                    ],
                )
            })
        })
        .collect()
}

/// Examples a preset writes unless told otherwise, and the most the k field takes.
const DEFAULT_SHOTS: usize = 4;
const MAX_SHOTS: usize = 16;

#[function_component]
pub fn Builder(props: &BuilderProps) -> Html {
    let lang = use_lang();
    let doc = &props.doc;
    let shots = use_state(|| DEFAULT_SHOTS);
    // k follows the examples a preset wrote (a first visit's eight, a tour step's, a link's).
    {
        let shots = shots.setter();
        use_effect_with(doc.preset.as_ref().map(|p| p.used), move |used| {
            if let Some(k) = *used {
                shots.set(k.min(MAX_SHOTS));
            }
        });
    }
    // Every edit is "take the document, change it, hand it up".
    let edit = |f: fn(&mut Doc, String)| {
        let (doc, cb) = (doc.clone(), props.on_change.clone());
        Callback::from(move |e: InputEvent| {
            let mut d = doc.clone();
            f(&mut d, input_value(e));
            cb.emit(d);
        })
    };
    let on_format = {
        let (doc, cb) = (doc.clone(), props.on_change.clone());
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some(t) = v
                .parse::<usize>()
                .ok()
                .and_then(|i| format_choices().get(i))
            {
                cb.emit(Doc {
                    template: t.clone(),
                    ..doc.clone()
                });
            }
        })
    };
    let act = |f: fn(&Doc) -> Doc| {
        let (doc, cb) = (doc.clone(), props.on_change.clone());
        Callback::from(move |_: MouseEvent| cb.emit(f(&doc)))
    };
    let set_view = |v: View| {
        let (doc, cb) = (doc.clone(), props.on_change.clone());
        Callback::from(move |_: MouseEvent| {
            cb.emit(Doc {
                view: v,
                raw: if v == View::Raw && doc.view == View::Builder {
                    doc.prompt()
                } else {
                    doc.raw.clone()
                },
                ..doc.clone()
            })
        })
    };
    let preset_task = doc.preset.as_ref().and_then(|p| Task::from_name(&p.task));
    // The preset the picker shows as chosen.
    let chosen = doc.preset.as_ref().map(|p| p.task.as_str());
    // The held-out rule of the unseen-rule preset, shown on request.
    let unseen = doc
        .preset
        .as_ref()
        .filter(|p| p.task == UNSEEN)
        .map(|p| unseen_program(p.seed).text());
    let on_preset = {
        let (doc, cb, shots) = (doc.clone(), props.on_change.clone(), shots.clone());
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            match apply_named(&doc, &v, random_seed(), *shots) {
                Some(d) => cb.emit(d),
                None => cb.emit(Doc {
                    preset: None,
                    ..doc.clone()
                }),
            }
        })
    };
    let on_new = {
        let (doc, cb, shots) = (doc.clone(), props.on_change.clone(), shots.clone());
        Callback::from(move |_: MouseEvent| {
            let again = doc
                .preset
                .as_ref()
                .and_then(|p| apply_named(&doc, &p.task, random_seed(), *shots));
            cb.emit(
                again.unwrap_or_else(|| apply_preset(&doc, Task::Reverse, random_seed(), *shots)),
            );
        })
    };
    let on_more = {
        let (doc, cb, msg) = (
            doc.clone(),
            props.on_change.clone(),
            props.on_message.clone(),
        );
        Callback::from(move |_: MouseEvent| match more_examples(&doc) {
            Ok(d) => cb.emit(d),
            Err(e) => msg.emit(e),
        })
    };
    let on_shots = {
        let shots = shots.clone();
        Callback::from(move |e: InputEvent| {
            if let Ok(k) = input_value(e).parse::<usize>() {
                shots.set(k.min(MAX_SHOTS));
            }
        })
    };
    let on_shuffle = {
        let (doc, cb) = (doc.clone(), props.on_change.clone());
        Callback::from(move |_: MouseEvent| cb.emit(presets::shuffle_order(&doc, random_seed())))
    };
    let on_shuffle_labels = {
        let (doc, cb) = (doc.clone(), props.on_change.clone());
        Callback::from(move |_: MouseEvent| cb.emit(presets::shuffle_labels(&doc, random_seed())))
    };
    let on_add = act(|d| {
        let mut d = d.clone();
        if d.examples.len() < MAX_EXAMPLES {
            d.examples.push(Example::new("", ""));
        }
        d
    });
    let on_raw = {
        let (doc, cb) = (doc.clone(), props.on_change.clone());
        Callback::from(move |e: InputEvent| {
            let v = e.target_unchecked_into::<HtmlTextAreaElement>().value();
            cb.emit(Doc {
                raw: v,
                ..doc.clone()
            })
        })
    };

    let rows = doc.examples.iter().enumerate().map(|(i, ex)| {
        let n = i + 1;
        let len = doc.examples.len();
        let change = |out: bool| {
            let (doc, cb) = (doc.clone(), props.on_change.clone());
            Callback::from(move |e: InputEvent| {
                let mut d = doc.clone();
                let v = input_value(e);
                if out {
                    d.examples[i].output = v;
                } else {
                    d.examples[i].input = v;
                }
                cb.emit(d);
            })
        };
        let op = |f: fn(&mut Vec<Example>, usize)| {
            let (doc, cb) = (doc.clone(), props.on_change.clone());
            Callback::from(move |_: MouseEvent| {
                let mut d = doc.clone();
                f(&mut d.examples, i);
                cb.emit(d);
            })
        };
        html! {
            <li class="example" key={i}>
                <input class="ex-in" type="text" title={lang.t("An example input: what the rule is applied to")} spellcheck="false" aria-label={lang.f("Example {n} input", &[("n", &n)])}
                    maxlength={MAX_TEXT.to_string()} value={ex.input.clone()} oninput={change(false)} />
                <span class="arrow" aria-hidden="true">{ svg(Icon::Arrow) }</span>
                <input class="ex-out" type="text" title={lang.t("The example output: the rule applied to the input")} spellcheck="false" aria-label={lang.f("Example {n} output", &[("n", &n)])}
                    maxlength={MAX_TEXT.to_string()} value={ex.output.clone()} oninput={change(true)} />
                <span class="ex-tools">
                    <button class="icon" aria-label={lang.f("Move example {n} up", &[("n", &n)])} title={lang.t("Move up")} disabled={i == 0}
                        onclick={op(|v, i| v.swap(i - 1, i))}>{ svg(Icon::Up) }</button>
                    <button class="icon" aria-label={lang.f("Move example {n} down", &[("n", &n)])} title={lang.t("Move down")} disabled={i + 1 == len}
                        onclick={op(|v, i| v.swap(i, i + 1))}>{ svg(Icon::Down) }</button>
                    <button class="icon" aria-label={lang.f("Duplicate example {n}", &[("n", &n)])} disabled={len >= MAX_EXAMPLES}
                        title={lang.t("Duplicate")} onclick={op(|v, i| { let e = v[i].clone(); v.insert(i + 1, e) })}>{ svg(Icon::Duplicate) }</button>
                    <button class="icon" aria-label={lang.f("Remove example {n}", &[("n", &n)])} title={lang.t("Remove")}
                        onclick={op(|v, i| { v.remove(i); })}>{ svg(Icon::Remove) }</button>
                </span>
            </li>
        }
    });

    let prompt = doc.prompt();
    let enc = Tokenizer::default().encode(&prompt);
    let tokens = enc.ids.len() + 1;
    let window = props.block_size.map_or_else(
        || lang.f("{n} tokens (with <bos>)", &[("n", &tokens)]),
        |b| {
            lang.f(
                "{n} of {b} tokens (with <bos>)",
                &[("n", &tokens), ("b", &b)],
            )
        },
    );
    let over = props.block_size.filter(|&b| tokens > b).map(|b| {
        lang.f(
            "Too long for the model's window: the first {n} characters will be left out.",
            &[("n", &(tokens - b))],
        )
    });
    let unknown = (enc.unknown > 0).then(|| {
        lang.f(
            "Characters outside the model's alphabet (printable ASCII and newline; Chinese characters too): {n}. The model reads each as <unk>.",
            &[("n", &enc.unknown)],
        )
    });
    let builder = doc.view == View::Builder;
    let t = &doc.template;
    let limits = near_limits(lang, doc);

    html! {
        <section class="panel" aria-labelledby="examples-h">
            <h2 id="examples-h">{ lang.t("1 · Examples") }</h2>
            <AboutBox about="examples" />
            <p class="explain">{ lang.t("The model only ever sees one text: your examples written out with the template, then the query. It has to guess the rule from the examples and continue the pattern.") }</p>
            <div class="tabs" role="tablist" aria-label={lang.t("Prompt editor")}>
                <button role="tab" id="tab-builder" title={lang.t("Edit the prompt as examples, a query and a template")} aria-selected={builder.to_string()} class={classes!(builder.then_some("active"))} onclick={set_view(View::Builder)}>{ lang.t("Builder") }</button>
                <button role="tab" id="tab-raw" title={lang.t("Edit the whole prompt as plain text")} aria-selected={(!builder).to_string()} class={classes!((!builder).then_some("active"))} onclick={set_view(View::Raw)}>{ lang.t("Raw prompt") }</button>
            </div>
            if builder {
                <div class="row wrap">
                    <label for="preset">{ lang.t("Preset") }</label>
                    <select id="preset" title={lang.t("A task to start from, with fresh examples")} onchange={on_preset}>
                        <option value="" selected={chosen.is_none()}>{ lang.t("Your own examples") }</option>
                        { for presets::Group::ALL.into_iter().map(|g| html! {
                            <optgroup label={lang.t(g.title())} data-group={format!("{g:?}")}>
                                { for g.presets().into_iter().map(|name| html! {
                                    <option value={name} selected={chosen == Some(name)}>{ lang.t(label_of(name)) }</option>
                                }) }
                            </optgroup>
                        }) }
                    </select>
                    <label for="shots">{ lang.t("k") }</label>
                    <input id="shots" type="number" title={lang.t("How many examples the preset writes (0 to 16)")} min="0" max={MAX_SHOTS.to_string()} value={shots.to_string()} oninput={on_shots} />
                    <button id="new-examples" title={lang.t("Draw new examples and a new query of the same task")} class="secondary" onclick={on_new}>{ lang.t("New examples") }</button>
                    <button id="more-examples" title={lang.t("Add more examples of the same task")} class="secondary" onclick={on_more} disabled={doc.preset.is_none()}>{ lang.t("More examples") }</button>
                </div>
                if let Some(t) = preset_task { <p class="explain">{ lang.t(explain(t)) }</p> }
                if let Some(rule) = unseen.clone() {
                    <p class="explain">{ lang.t(UNSEEN_EXPLAIN) }</p>
                    <details id="unseen-rule">
                        <summary>{ lang.t("Show the rule") }</summary>
                        <code translate="no" data-rule={rule.clone()}>{ rule }</code>
                    </details>
                }
                <ol id="examples" aria-label={lang.t("Examples")}>{ for rows }</ol>
                <div class="row wrap">
                    <button id="add-example" title={lang.t("Add an empty example to fill in")} class="secondary" onclick={on_add} disabled={doc.examples.len() >= MAX_EXAMPLES}>{ lang.t("+ Add example") }</button>
                    <button id="shuffle-order" title={lang.t("Put the examples in a new order: does the order matter?")} class="secondary" onclick={on_shuffle}>{ lang.t("Shuffle order") }</button>
                    <button id="shuffle-labels" class="secondary" onclick={on_shuffle_labels} title={lang.t("Outputs permuted across inputs: the format stays, the mapping is gone")}>{ lang.t("Shuffle labels") }</button>
                    <button id="flip" class="secondary" onclick={act(flip)} title={lang.t("Rewrite every output with a different rule")}>{ lang.t("Flip rule") }</button>
                </div>
                <div class="fields">
                    <label for="query">{ lang.t("Query") }</label>
                    <input id="query" type="text" title={lang.t("The input the model must answer, after the examples")} spellcheck="false" maxlength={MAX_TEXT.to_string()} value={doc.query.clone()} oninput={edit(|d, v| d.query = v)} />
                    <label for="expected" title={lang.t("Optional: compared with the completion")}>{ lang.t("Expected") }</label>
                    <input id="expected" type="text" title={lang.t("The answer you expect: the completion is checked against it and its probability measured")} spellcheck="false" maxlength={MAX_TEXT.to_string()} value={doc.expected.clone()} oninput={edit(|d, v| d.expected = v)} />
                </div>
                <details class="template">
                    <summary>{ lang.t("Template") }</summary>
                    <p class="explain">{ lang.t("How each example is written out. \\n is a newline. The learner was trained on many formats (marker words, one line per pair, no markers, quotes); the other models only on “in: ”, “out: ” and a newline.") }</p>
                    <div class="fields">
                        <label for="format">{ lang.t("Format") }</label>
                        <select id="format" title={lang.t("Write the examples in one of the formats the learner was trained on")} onchange={on_format}>
                            { for format_choices().iter().enumerate().map(|(i, f)| html! {
                                <option value={i.to_string()} translate="no" selected={f.clone().canonical() == t.clone().canonical()}>{ f.sample() }</option>
                            }) }
                            if !format_choices().iter().any(|f| f.clone().canonical() == t.clone().canonical()) {
                                <option value="" selected=true>{ lang.t("(your own)") }</option>
                            }
                        </select>
                    </div>
                    <div class="fields three">
                        <label for="input-prefix">{ lang.t("Input prefix") }</label>
                        <input id="input-prefix" type="text" title={lang.t("Written before each input (\\n is a newline)")} spellcheck="false" value={escape(&t.input_prefix)} oninput={edit(|d, v| d.template.input_prefix = unescape(&v))} />
                        <label for="after-input">{ lang.t("After the input") }</label>
                        <input id="after-input" type="text" title={lang.t("Written after each input, before the output prefix (\\n is a newline)")} spellcheck="false" value={escape(t.after_input())} oninput={edit(|d, v| {
                            d.template.between = Some(unescape(&v));
                            d.template = d.template.clone().canonical();
                        })} />
                        <label for="output-prefix">{ lang.t("Output prefix") }</label>
                        <input id="output-prefix" type="text" title={lang.t("Written before each output (\\n is a newline)")} spellcheck="false" value={escape(&t.output_prefix)} oninput={edit(|d, v| d.template.output_prefix = unescape(&v))} />
                        <label for="separator">{ lang.t("Separator") }</label>
                        <input id="separator" type="text" title={lang.t("Written after each output (\\n is a newline)")} spellcheck="false" value={escape(&t.separator)} oninput={edit(|d, v| d.template.separator = unescape(&v))} />
                    </div>
                </details>
            } else {
                <label for="prompt">{ lang.t("Prompt") }</label>
                <textarea id="prompt" title={lang.t("The whole prompt the model reads, exactly")} rows="8" spellcheck="false" maxlength={MAX_RAW.to_string()} value={doc.raw.clone()} oninput={on_raw} />
                <label for="expected">{ lang.t("Expected completion") }<span class="hint">{ lang.t(" (optional)") }</span></label>
                <input id="expected" type="text" title={lang.t("The answer you expect: the completion is checked against it and its probability measured")} spellcheck="false" maxlength={MAX_TEXT.to_string()} value={doc.expected.clone()} oninput={edit(|d, v| d.expected = v)} />
            }
            if !limits.is_empty() {
                <p id="limits" class="limit">{ lang.f("Near the page's limit: {fields}.", &[("fields", &limits.join("; "))]) }</p>
            }
            <h3 class="sub">{ lang.t("What the model reads") }<span class="hint">{ format!(" · {window}") }</span></h3>
            // Focusable: a long prompt scrolls, and the keyboard must reach it.
            <pre id="preview" class="preview" translate="no" tabindex="0">{ prompt }</pre>
            if let Some(o) = over { <p class="notice" id="too-long">{ o }</p> }
            if let Some(u) = unknown { <p class="notice" id="unknown-chars">{ u }</p> }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_near_their_limit_are_named() {
        let mut d = Doc::default();
        assert!(near_limits(Lang::En, &d).is_empty());
        d.query = "é".repeat(MAX_TEXT * 9 / 10);
        d.examples[1].output = "x".repeat(MAX_TEXT);
        assert_eq!(
            near_limits(Lang::En, &d),
            vec![
                format!(
                    "Query: {} of 2,000 characters",
                    Lang::En.int(MAX_TEXT as u64 * 9 / 10)
                ),
                "Example 2 output: 2,000 of 2,000 characters".to_string(),
            ]
        );
    }
}
