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
) -> TuneReport {
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
                    let Ok(cols) = columns(model, template, item, settings) else {
                        continue;
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
    TuneReport {
        settings,
        formats,
        rules_per_group: n,
        queries,
        seed,
        cells,
        seconds_per_tune: clock.elapsed().as_secs_f64() / tunes.max(1) as f64,
    }
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
                s.push_str(&format!(" {:.0} % |", e * 100.0));
            }
            s.push('\n');
        }
        s
    }

    /// The cell of `group` at `k`.
    pub fn cell(&self, group: Group, k: usize) -> Option<&TuneCell> {
        self.cells.iter().find(|c| c.group == group && c.k == k)
    }
}
