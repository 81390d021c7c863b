//! Evaluation across prompt formats: the same rules and queries written in the page's default
//! template, in formats training drew from, and in formats it never saw
//! ([`crate::rules::formats`]), exact match per format and shot count.

use serde::{Deserialize, Serialize};

use crate::eval::rule_report::{Group, exact_in, rules};
use crate::eval::sweep;
use crate::net::model::Model;
use crate::rules::formats::{self, FormatSplit, LayoutKind};
use crate::rules::space::Program;
use crate::rules::template::Template;

/// Where a scored format comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FormatGroup {
    /// The page's default template, `in:` / `out:`.
    Default,
    /// A format training drew from.
    Trained,
    /// A format training never saw.
    HeldOut,
    /// Marker words of a visitor's own, outside the space and the open vocabulary
    /// ([`formats::unseen_marker_formats`]): `English:` / `French:`.
    UnseenMarkers,
}

impl FormatGroup {
    pub const ALL: [FormatGroup; 4] = [
        FormatGroup::Default,
        FormatGroup::Trained,
        FormatGroup::HeldOut,
        FormatGroup::UnseenMarkers,
    ];

    pub fn name(self) -> &'static str {
        match self {
            FormatGroup::Default => "default template",
            FormatGroup::Trained => "trained formats",
            FormatGroup::HeldOut => "held-out formats",
            FormatGroup::UnseenMarkers => "unseen marker words",
        }
    }
}

/// One format at one shot count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FormatCell {
    pub group: FormatGroup,
    /// One example written in the format (`stone -> enots⏎`).
    pub format: String,
    pub k: usize,
    /// Prompts scored (those that fit the window).
    pub n: usize,
    pub exact_match: f32,
}

/// A whole evaluation across formats.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FormatReport {
    /// Held-out programs scored besides the fixed tasks on uncommon words.
    pub programs: usize,
    pub queries: usize,
    pub seed: u64,
    pub cells: Vec<FormatCell>,
}

/// The default template, then `per_split` trained and `per_split` held-out formats: the
/// layout kinds of a split in turn (marker words, one line per pair, bare lines), each kind's
/// formats spread evenly over the space's fixed order, so that every kind weighs alike in a
/// group's mean (the space holds many more marker formats than one-line ones, and visitors
/// write both). Last, up to `per_split` formats with marker words of a visitor's own
/// ([`formats::unseen_marker_formats`]), after the others so that earlier reports' cells
/// keep their order.
pub fn chosen(per_split: usize) -> Vec<(FormatGroup, Template)> {
    let mut out = vec![(FormatGroup::Default, Template::default())];
    for (split, group) in [
        (FormatSplit::Train, FormatGroup::Trained),
        (FormatSplit::HeldOut, FormatGroup::HeldOut),
    ] {
        let kinds: Vec<Vec<&Template>> = LayoutKind::ALL
            .iter()
            .map(|&k| {
                formats::of_split_kind(split, k)
                    .into_iter()
                    .filter(|t| **t != Template::default())
                    .collect::<Vec<_>>()
            })
            .filter(|v| !v.is_empty())
            .collect();
        let total: usize = kinds.iter().map(Vec::len).sum();
        let n = per_split.min(total);
        // How many of each kind: in turn, skipping a kind once it has given all it has.
        let mut taken = vec![0; kinds.len()];
        let mut i = 0;
        while taken.iter().sum::<usize>() < n {
            if taken[i] < kinds[i].len() {
                taken[i] += 1;
            }
            i = (i + 1) % kinds.len();
        }
        for (all, &m) in kinds.iter().zip(&taken) {
            out.extend((0..m).map(|j| (group, all[j * all.len() / m].clone())));
        }
    }
    out.extend(
        formats::unseen_marker_formats()
            .into_iter()
            .take(per_split)
            .map(|t| (FormatGroup::UnseenMarkers, t)),
    );
    out
}

/// Scores `model` in the formats of [`chosen`]`(per_split)`: the fixed tasks on uncommon
/// words and `programs` held-out programs, `queries` prompts each, at each of `shots`.
pub fn evaluate_formats(
    model: &Model,
    per_split: usize,
    programs: usize,
    queries: usize,
    seed: u64,
    shots: &[usize],
) -> FormatReport {
    let mut scored: Vec<(Group, Program)> = rules(Group::FamiliesUncommon, 0, seed)
        .into_iter()
        .map(|(_, p)| (Group::FamiliesUncommon, p))
        .collect();
    scored.extend(
        rules(Group::HeldOut, programs, seed)
            .into_iter()
            .map(|(_, p)| (Group::HeldOut, p)),
    );
    let mut cells = Vec::new();
    for (group, template) in chosen(per_split) {
        for &k in shots {
            let (n, exact_match) = exact_in(model, &template, &scored, k, queries, seed);
            cells.push(FormatCell {
                group,
                format: template.sample(),
                k,
                n,
                exact_match,
            });
        }
    }
    FormatReport {
        programs,
        queries,
        seed,
        cells,
    }
}

impl FormatReport {
    /// Mean exact match over a group's formats at `k` (each format weighs the same).
    pub fn mean_exact(&self, group: FormatGroup, k: usize) -> f32 {
        let v: Vec<f32> = self
            .cells
            .iter()
            .filter(|c| c.group == group && c.k == k)
            .map(|c| c.exact_match)
            .collect();
        v.iter().sum::<f32>() / v.len().max(1) as f32
    }

    /// Shot counts scored, in order.
    fn shots(&self) -> Vec<usize> {
        sweep::shot_counts(self.cells.iter().map(|c| c.k))
    }

    /// A markdown table: each group's mean exact match per shot count, then every format's.
    pub fn markdown(&self) -> String {
        let ks = self.shots();
        let mut s = "| format |".to_string();
        for k in &ks {
            s += &format!(" k={k} |");
        }
        s += &format!("\n|---|{}\n", "---|".repeat(ks.len()));
        for g in FormatGroup::ALL {
            s += &format!("| **{}** |", g.name());
            for &k in &ks {
                s += &format!(" **{:.0}%** |", self.mean_exact(g, k) * 100.0);
            }
            s.push('\n');
        }
        let mut seen: Vec<(&str, FormatGroup)> = Vec::new();
        for c in &self.cells {
            if !seen.contains(&(c.format.as_str(), c.group)) {
                seen.push((&c.format, c.group));
            }
        }
        for (format, group) in seen {
            let shown = format.replace('|', "\\|").replace('`', "'");
            s += &format!("| `{shown}` ({}) |", group.name());
            for &k in &ks {
                if let Some(c) = self
                    .cells
                    .iter()
                    .find(|c| c.format == format && c.group == group && c.k == k)
                {
                    s += &format!(" {:.0}% |", c.exact_match * 100.0);
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
    use crate::net::config::ModelConfig;
    use burn::tensor::Device;

    #[test]
    fn formats_are_spread_over_both_splits_and_a_random_model_scores_zero() {
        let chosen = chosen(6);
        assert_eq!(chosen[0], (FormatGroup::Default, Template::default()));
        assert_eq!(chosen.len(), 16);
        for (g, t) in &chosen[1..] {
            match formats::split(t) {
                Some(split) => {
                    assert_eq!(*g == FormatGroup::HeldOut, split == FormatSplit::HeldOut)
                }
                None => assert_eq!(*g, FormatGroup::UnseenMarkers, "{}", t.sample()),
            }
        }
        let own = |n| {
            super::chosen(n)
                .iter()
                .filter(|(g, _)| *g == FormatGroup::UnseenMarkers)
                .count()
        };
        assert_eq!((own(6), own(1), own(0)), (3, 1, 0));
        // Each layout kind weighs alike: two formats of each of the three kinds per split, but
        // where a kind has fewer (the held-out part's one bare format; marker words give more).
        let kind = |t: &Template| {
            formats::all()
                .iter()
                .find(|(f, _, _)| f == t)
                .map(|(_, _, k)| *k)
                .unwrap()
        };
        for g in [FormatGroup::Trained, FormatGroup::HeldOut] {
            for k in LayoutKind::ALL {
                let n = chosen
                    .iter()
                    .filter(|(h, t)| *h == g && kind(t) == k)
                    .count();
                let want = match (g, k) {
                    (FormatGroup::HeldOut, LayoutKind::Bare) => 1,
                    (FormatGroup::HeldOut, LayoutKind::Markers) => 3,
                    _ => 2,
                };
                assert_eq!(n, want, "{g:?} {k:?}");
            }
        }
        let m = Model::random(ModelConfig::preset("attn1").unwrap(), 0, &Device::flex()).unwrap();
        let r = evaluate_formats(&m, 1, 1, 1, 0, &[0, 2]);
        assert_eq!(r.cells.len(), 4 * 2);
        assert!(r.cells.iter().all(|c| c.exact_match == 0.0 && c.n > 0));
        let md = r.markdown();
        assert!(
            md.contains("**held-out formats**")
                && md.contains("in: stone⏎out: enots⏎")
                && md.contains("| `English: stone⏎French: enots⏎` (unseen marker words) |"),
            "{md}"
        );
    }
}
