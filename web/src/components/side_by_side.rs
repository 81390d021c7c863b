//! The side-by-side table of "in context or in weights?" (no examples, in context, in weights,
//! both) for the visitor's query and their examples, with its exports.

use std::rc::Rc;

use icl_model::eval::in_weights::SideColumn;
use yew::prelude::*;

use super::export_buttons::ExportButtons;
use crate::export::Format;
use crate::i18n::use_lang;
use crate::protocol::TuneRequest;
use crate::side_table::{csv, json, side_table};

#[derive(Properties, PartialEq)]
pub struct SideBySideProps {
    /// What was tuned, on which examples, for which query.
    pub request: Rc<TuneRequest>,
    /// The columns, in [`icl_model::eval::in_weights::Column::ALL`]'s order.
    pub columns: Vec<SideColumn>,
    /// Steps the tune took, and whether Stop ended it early.
    pub steps: usize,
    pub stopped: bool,
    /// The exports' name without extension.
    pub file: AttrValue,
}

#[function_component]
pub fn SideBySide(p: &SideBySideProps) -> Html {
    let lang = use_lang();
    let said = use_state(String::new);
    let table = side_table(&p.request, &p.columns, lang);
    let title = lang.f(
        "In context or in weights? Your {k} examples in the prompt, in {steps} tuning steps, or both",
        &[("k", &p.request.examples.len()), ("steps", &p.steps)],
    );
    let export = {
        let (p_request, columns, table) = (p.request.clone(), p.columns.clone(), table.clone());
        let (stem, title, said) = (p.file.to_string(), title.clone(), said.clone());
        let (steps, stopped) = (p.steps, p.stopped);
        Callback::from(move |f: Format| {
            let said = said.clone();
            crate::download::save_as(
                f,
                &stem,
                || crate::export::table_svg(&title, &table.heads, &table.rows),
                || csv(&columns),
                || json(&p_request, steps, stopped, &columns),
                lang,
                Callback::from(move |s| said.set(s)),
            );
        })
    };
    html! {
        <figure class="side-by-side">
            <table class="compare" id="side-table" data-steps={p.steps.to_string()} data-stopped={p.stopped.to_string()}>
                <caption>{ title }</caption>
                <thead><tr>
                    { for table.heads.iter().map(|h| html! { <th scope="col">{ h }</th> }) }
                </tr></thead>
                <tbody>
                    { for table.rows.iter().enumerate().map(|(i, (label, cells))| html! {
                        <tr data-row={i.to_string()}>
                            <th scope="row">{ label }</th>
                            { for cells.iter().zip(&p.columns).map(|(cell, c)| html! {
                                <td class={classes!((i == 0).then_some("mono"))} data-column={c.column.name()}
                                    data-text={(i == 0).then(|| c.query.text.clone())}
                                    data-exact={(i == 1).then(|| c.query.exact_match.map(|m| m.to_string()).unwrap_or_default())}
                                    translate={(i == 0).then_some("no")}>{ cell }</td>
                            }) }
                        </tr>
                    }) }
                </tbody>
            </table>
            <figcaption class="hint">{ lang.t("The tuned columns saw your examples during tuning (each was the query of some of the others), so their leave-one-out scores flatter them; your query was never trained on: it is the fair test.") }</figcaption>
            <ExportButtons said={(*said).clone()} on_export={export} />
        </figure>
    }
}
