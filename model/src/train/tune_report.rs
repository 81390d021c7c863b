//! In context or in weights, measured on the rule space's held-out rules: for each prompt of
//! the rule evaluation ([`crate::eval::rule_report`], the same seeded prompts), the query's
//! exact match with no examples, with the `k` examples in context, after a tune on them
//! ([`crate::train::tune`]) with no examples, and after the tune with them in context.

use serde::{Deserialize, Serialize};

use crate::eval::in_weights::Column;
use crate::eval::rule_report::{Group, rule_items, rules};
use crate::eval::score::{Scored, score_answers};
use crate::net::model::Model;
use crate::rules::formats::{self, FormatSplit};
use crate::rules::template::{Shots, Template};
use crate::train::tune::{TuneError, TuneSettings, Tuner};

/// One group at one shot count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TuneCell {
    pub group: Group,
    pub k: usize,
    /// Prompts scored.
    pub n: usize,
    /// Exact match per column, in [`Column::ALL`]'s order.
    pub exact: [f32; 4],
    /// Mean answer log-probability (nats) per column.
    pub logprob: [f32; 4],
}

/// The whole comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TuneReport {
    pub settings: TuneSettings,
    pub formats: TuneFormats,
    pub rules_per_group: usize,
    pub queries: usize,
    pub seed: u64,
    pub cells: Vec<TuneCell>,
    /// Mean seconds per tune (the native clock of this run).
    pub seconds_per_tune: f64,
}

/// Shot counts the comparison reports.
pub const TUNE_SHOTS: [usize; 3] = [2, 4, 8];

/// The groups the comparison reports.
pub const TUNE_GROUPS: [Group; 2] = [Group::HeldOut, Group::HeldOutPair];

/// The four columns of one prompt: `None` where a prompt does not fit the window.
pub fn columns(
    model: &Model,
    template: &Template,
    item: &Shots,
    settings: TuneSettings,
) -> Result<[Option<Scored>; 4], TuneError> {
    let bare = Shots {
        examples: Vec::new(),
        ..item.clone()
    };
    let mut tuner = Tuner::new(model, template, &item.examples, settings)?;
    while !tuner.finished() {
        tuner.step();
    }
    let tuned = tuner.model();
    let both = [bare.clone(), item.clone()];
    let mut base = score_answers(model, template, &both)
        .into_iter()
        .map(Result::ok);
    let mut after = score_answers(&tuned, template, &both)
        .into_iter()
        .map(Result::ok);
    Ok([
        base.next().flatten(),
        base.next().flatten(),
        after.next().flatten(),
        after.next().flatten(),
    ])
}

/// How the compared prompts are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum TuneFormats {
    /// The page's default template, `in:` / `out:`.
    Default,
    /// The format space's held-out formats, one after another (a format of the visitor's own
    /// that training never saw).
    HeldOut,
}

impl TuneFormats {
    /// The templates the prompts take in turn.
    pub fn templates(self) -> Vec<Template> {
        match self {
            TuneFormats::Default => vec![Template::default()],
            TuneFormats::HeldOut => formats::of_split(FormatSplit::HeldOut)
                .into_iter()
                .cloned()
                .collect(),
        }
    }
}

/// Compares the columns on `n` rules of each of [`TUNE_GROUPS`], `queries` prompts per rule
/// and shot count of `shots` (the table's: [`TUNE_SHOTS`]), written in `formats`;
/// `progress` hears each prompt.
pub fn evaluate_tune(
    model: &Model,
    (n, queries, seed): (usize, usize, u64),
    (shots, formats): (&[usize], TuneFormats),
    settings: TuneSettings,
    mut progress: impl FnMut(usize, usize),
) -> Result<TuneReport, TuneError> {
    let templates = formats.templates();
    let total = TUNE_GROUPS.len() * n * shots.len() * queries;
    let mut done = 0;
    let mut tunes = 0usize;
    let clock = std::time::Instant::now();
    let mut cells = Vec::new();
    for group in TUNE_GROUPS {
        let programs = rules(group, n, seed);
        for &k in shots {
            let mut scored: Vec<[Scored; 4]> = Vec::new();
            for (i, (_, program)) in programs.iter().enumerate() {
                let items = rule_items(
                    program,
                    group.source(),
                    k,
                    queries,
                    seed ^ ((i as u64) << 20),
                );
                for item in &items {
                    let template = &templates[done % templates.len()];
                    done += 1;
                    progress(done, total);
                    let cols = match columns(model, template, item, settings) {
                        Ok(cols) => cols,
                        // A prompt whose example does not fit the window is skipped, as the
                        // rule evaluation skips it; settings that cannot tune this model end
                        // the comparison.
                        Err(TuneError::TooLong(..)) => continue,
                        Err(e) => return Err(e),
                    };
                    tunes += 1;
                    if let [Some(a), Some(b), Some(c), Some(d)] = cols {
                        scored.push([a, b, c, d]);
                    }
                }
            }
            let m = scored.len().max(1) as f32;
            let mean = |f: &dyn Fn(&Scored) -> f32| {
                std::array::from_fn(|c| scored.iter().map(|s| f(&s[c])).sum::<f32>() / m)
            };
            cells.push(TuneCell {
                group,
                k,
                n: scored.len(),
                exact: mean(&|s| f32::from(u8::from(s.exact))),
                logprob: mean(&|s| s.logprob),
            });
        }
    }
    Ok(TuneReport {
        settings,
        formats,
        rules_per_group: n,
        queries,
        seed,
        cells,
        seconds_per_tune: clock.elapsed().as_secs_f64() / tunes.max(1) as f64,
    })
}

impl TuneReport {
    /// The table as markdown: exact match (%) per group, k and column.
    pub fn markdown(&self) -> String {
        let mut s = String::from("| rules | k | prompts |");
        for c in Column::ALL {
            s.push_str(&format!(" {} |", c.name()));
        }
        s.push_str("\n|---|---|---|---|---|---|---|\n");
        for cell in &self.cells {
            s.push_str(&format!(
                "| {} | {} | {} |",
                cell.group.name(),
                cell.k,
                cell.n
            ));
            for e in cell.exact {
                if cell.n == 0 {
                    s.push_str(" — |");
                } else {
                    s.push_str(&format!(" {:.0} % |", e * 100.0));
                }
            }
            s.push('\n');
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_writes_a_cell_with_no_prompt_as_a_dash_not_a_zero() {
        let cell = |n, e| TuneCell {
            group: Group::HeldOut,
            k: 8,
            n,
            exact: [e; 4],
            logprob: [0.0; 4],
        };
        let r = TuneReport {
            settings: TuneSettings::default(),
            formats: TuneFormats::Default,
            rules_per_group: 1,
            queries: 1,
            seed: 0,
            cells: vec![cell(4, 0.5), cell(0, -0.0)],
            seconds_per_tune: 0.0,
        };
        let md = r.markdown();
        assert!(
            md.contains("| held-out programs | 8 | 4 | 50 % | 50 % | 50 % | 50 % |"),
            "{md}"
        );
        assert!(
            md.contains("| held-out programs | 8 | 0 | — | — | — | — |"),
            "{md}"
        );
        assert!(!md.contains("-0"), "{md}");
    }

    #[test]
    fn settings_that_cannot_tune_the_model_end_the_comparison_with_their_error() {
        use crate::net::config::ModelConfig;
        use crate::net::tokenizer::Tokenizer;
        use crate::train::tune::Moving;
        let config = ModelConfig::new(1, 2, 32, 0, 96, Tokenizer::default().vocab_size())
            .with_attention_only(true);
        let m = Model::random(config, 1, &burn::tensor::Device::flex()).unwrap();
        let mlps = TuneSettings {
            moving: Moving::Mlps,
            ..TuneSettings::default()
        };
        let r = evaluate_tune(&m, (1, 1, 0), (&[2], TuneFormats::Default), mlps, |_, _| {});
        assert_eq!(r.err(), Some(TuneError::NoMlps));
    }
}
