//! ICL curves whose points share their shots.
//!
//! Every point of a curve scores the same queries: query `i` comes with a list of examples
//! (its *chain*) and its k-shot prompt is the first k of them. Differences between points are
//! then the shots added, not other draws. Because the k-shot prompt of a query begins with its
//! (k-1)-shot prompt's examples, a [`Sweeper`] keeps each query's shots in a lean key/value
//! cache ([`LeanChains`]) and reads, per point, only the shots added, the query and its
//! answer: a k = 0…8 curve reads about 2.6× fewer tokens than scoring every prompt afresh.
//! Prompts that do not fit the window whole are scored afresh (truncated as
//! [`crate::net::sampling::score_batch`] does), so the result is the same either way.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::eval::score::{Labels, Scored, SweepPoint, score_answers};
use crate::net::lean::LeanChains;
use crate::net::model::LeanModel;
use crate::net::sampling::{SCORE_TOKENS, score_row};
use crate::net::tokenizer::BOS;
use crate::rules::tasks::Task;
use crate::rules::template::{Shots, Template};
use crate::rules::words::Split;

/// The shot counts of the page's ICL curve.
pub const SWEEP_KS: [usize; 9] = [0, 1, 2, 3, 4, 5, 6, 7, 8];

/// Examples each query of a preset's curve is drawn with (more when a curve asks for more):
/// enough for the page's curve.
pub const CHAIN_SHOTS: usize = SWEEP_KS[SWEEP_KS.len() - 1];

/// Positions a sweeper's shared sequences hold together at most (their keys and values take
/// 42 MB for 5 layers of width 128); queries past it are scored afresh at every point.
const SHARED_POSITIONS: usize = 8192;

/// A preset's curve: `queries` held-out episodes of `task`, each with
/// `max(shots, CHAIN_SHOTS)` examples, seeded by `seed` and the task, their outputs rewritten
/// by `labels`.
pub fn task_chains(
    task: Task,
    shots: usize,
    queries: usize,
    seed: u64,
    labels: Labels,
) -> Vec<Shots> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ ((task as u64) << 32));
    (0..queries)
        .map(|_| {
            let mut e = task.episode(&mut rng, shots.max(CHAIN_SHOTS), Split::HeldOut);
            labels.apply(&mut e, &mut rng);
            Shots {
                examples: e.examples,
                query: e.query,
                answer: e.answer,
            }
        })
        .collect()
}

/// The visitor's own examples, leave-one-out: each in turn is the query, the others (in
/// order) its chain.
pub fn leave_one_out(examples: &[(String, String)]) -> Vec<Shots> {
    (0..examples.len())
        .map(|i| {
            let others = examples
                .iter()
                .enumerate()
                .filter(|&(j, _)| j != i)
                .map(|(_, e)| e.clone())
                .collect();
            let (x, y) = &examples[i];
            Shots {
                examples: others,
                query: x.clone(),
                answer: y.clone(),
            }
        })
        .collect()
}

/// The prompts of the point at `k`: every chain with at least `k` examples, cut to its first
/// `k`.
pub fn at_shots(chains: &[Shots], k: usize) -> Vec<Shots> {
    chains
        .iter()
        .filter(|c| c.examples.len() >= k)
        .map(|c| c.first(k))
        .collect()
}

/// The distinct shot counts among `ks`, in order (a report's columns).
pub fn shot_counts(ks: impl Iterator<Item = usize>) -> Vec<usize> {
    let mut ks: Vec<usize> = ks.collect();
    ks.sort_unstable();
    ks.dedup();
    ks
}

/// One query's tokens.
#[derive(Debug)]
struct Row {
    item: Shots,
    /// `<bos>`, then every example.
    shots: Vec<u32>,
    /// `ends[k]`: where the first `k` examples end in `shots` (`ends[0] == 1`).
    ends: Vec<usize>,
    /// The query up to its answer.
    query: Vec<u32>,
    /// The answer, then the separator.
    answer: Vec<u32>,
    /// Answer tokens the log-probability sums (the separator only counts for exact match).
    scored: usize,
    /// Of those, the output prefix's space (not counted by the character accuracy).
    lead: usize,
    /// Its sequence among the shared ones.
    chain: Option<usize>,
}

impl Row {
    /// Tokens of the whole prompt at `k` shots with its answer.
    fn len_at(&self, k: usize) -> usize {
        self.ends[k] + self.query.len() + self.answer.len()
    }
}

/// Scores the points of one curve, keeping each query's shots between points.
#[derive(Debug)]
pub struct Sweeper<'a> {
    model: &'a LeanModel,
    template: Template,
    rows: Vec<Row>,
    chains: LeanChains,
}

impl<'a> Sweeper<'a> {
    /// A curve over `chains` (each query with its examples, as [`task_chains`] or
    /// [`leave_one_out`] draw them).
    pub fn new(model: &'a LeanModel, template: &Template, chains: Vec<Shots>) -> Self {
        let encode = |s: &str| model.tokenizer.encode(s).ids;
        let block = model.config.block_size;
        let mut rooms = Vec::new();
        let mut used = 0;
        let rows = chains
            .into_iter()
            .map(|item| {
                let mut shots = vec![BOS];
                let mut ends = vec![1];
                for (x, y) in &item.examples {
                    shots.extend(encode(&template.example(x, y)));
                    ends.push(shots.len());
                }
                let query = encode(&template.prompt(&[], &item.query));
                let answer = encode(&format!(
                    "{}{}",
                    template.answer(&item.answer),
                    template.separator
                ));
                let scored = encode(&template.answer(&item.answer)).len();
                let lead = encode(&template.answer("")).len();
                let mut row = Row {
                    item,
                    shots,
                    ends,
                    query,
                    answer,
                    scored,
                    lead,
                    chain: None,
                };
                let room = row.len_at(row.item.examples.len()).min(block);
                if !row.answer.is_empty()
                    && row.len_at(0) <= block
                    && used + room <= SHARED_POSITIONS
                {
                    row.chain = Some(rooms.len());
                    rooms.push(room);
                    used += room;
                }
                row
            })
            .collect();
        Self {
            model,
            template: template.clone(),
            rows,
            chains: model.lean().chains(&rooms),
        }
    }

    /// The curve's points at `ks`, in that order.
    pub fn points(&mut self, ks: &[usize]) -> Vec<SweepPoint> {
        ks.iter().map(|&k| self.point(k)).collect()
    }

    /// The curve's point at `k`: every query with at least `k` examples, each with its first
    /// `k`.
    pub fn point(&mut self, k: usize) -> SweepPoint {
        let block = self.model.config.block_size;
        let mut scores: Vec<(usize, Scored)> = Vec::new();
        let mut afresh = Vec::new();
        let mut shared = Vec::new();
        for (r, row) in self.rows.iter().enumerate() {
            if row.item.examples.len() < k {
                continue;
            }
            match row.chain {
                Some(c) if row.len_at(k) <= block => shared.push((r, c)),
                _ => afresh.push(r),
            }
        }
        // Shared rows in groups of about SCORE_TOKENS new tokens, one forward each.
        let mut i = 0;
        while i < shared.len() {
            let mut parts: Vec<(usize, usize, Vec<u32>)> = Vec::new();
            let mut tokens = 0;
            while i < shared.len() && (parts.is_empty() || tokens < SCORE_TOKENS) {
                let (r, c) = shared[i];
                let row = &self.rows[r];
                // Re-read the last kept token (none when the chain is empty) so the first
                // answer token has its logits.
                let cut = self.chains.len(c).min(row.ends[k]).saturating_sub(1);
                self.chains.truncate(c, cut);
                let seq: Vec<u32> = row.shots[cut..row.ends[k]]
                    .iter()
                    .chain(&row.query)
                    .chain(&row.answer)
                    .copied()
                    .collect();
                tokens += seq.len();
                parts.push((r, cut, seq));
                i += 1;
            }
            let refs: Vec<(usize, &[u32])> = parts
                .iter()
                .map(|(r, _, seq)| (self.rows[*r].chain.expect("shared"), seq.as_slice()))
                .collect();
            let logits = self.model.lean().extend(&mut self.chains, &refs);
            let vocab = self.model.config.vocab_size;
            for ((r, cut, seq), l) in parts.iter().zip(&logits) {
                let row = &self.rows[*r];
                let first = row.ends[k] - cut + row.query.len();
                let s = score_row(seq, first, l, vocab);
                scores.push((*r, Scored::of(&s, row.lead, row.scored)));
                self.chains
                    .truncate(row.chain.expect("shared"), row.ends[k]);
            }
        }
        let items: Vec<Shots> = afresh.iter().map(|&r| self.rows[r].item.first(k)).collect();
        for (r, s) in afresh
            .into_iter()
            .zip(score_answers(self.model, &self.template, &items))
        {
            if let Ok(s) = s {
                scores.push((r, s));
            }
        }
        scores.sort_by_key(|s| s.0);
        let scores: Vec<Scored> = scores.into_iter().map(|s| s.1).collect();
        SweepPoint::of(k, &scores)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::score::score_answers;
    use crate::net::config::ModelConfig;
    use crate::net::model::Model;
    use burn::tensor::Device;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn afresh(m: &LeanModel, template: &Template, chains: &[Shots], k: usize) -> SweepPoint {
        let scores: Vec<Scored> = score_answers(m, template, &at_shots(chains, k))
            .into_iter()
            .filter_map(Result::ok)
            .collect();
        SweepPoint::of(k, &scores)
    }

    fn close(a: &SweepPoint, b: &SweepPoint) {
        assert_eq!((a.k, a.n, a.exact_match), (b.k, b.n, b.exact_match));
        assert!(
            (a.mean_logprob - b.mean_logprob).abs() < 1e-3,
            "k = {}: {} against {}",
            a.k,
            a.mean_logprob,
            b.mean_logprob
        );
    }

    /// Shot counts in any order, past the window and with an empty template: the sweeper's
    /// points equal scoring every prompt afresh.
    #[test]
    fn the_sweeper_equals_scoring_afresh() {
        for preset in ["attn1", "base"] {
            let cfg = ModelConfig::preset(preset).unwrap();
            let m = Model::random(cfg, 1, &Device::flex()).unwrap();
            let mut chains = task_chains(Task::Reverse, 12, 5, 3, Labels::Correct);
            // One query whose 12-shot prompt does not fit the window, and a short chain.
            let long = "q".repeat(m.config.block_size / 6);
            chains[1]
                .examples
                .iter_mut()
                .for_each(|e| *e = (long.clone(), long.clone()));
            chains[2].examples.truncate(3);
            let empty = Template {
                input_prefix: String::new(),
                output_prefix: String::new(),
                separator: String::new(),
                between: None,
            };
            for template in [Template::default(), empty] {
                let mut sweeper = Sweeper::new(&m, &template, chains.clone());
                let shared = sweeper.rows.iter().filter(|r| r.chain.is_some()).count();
                assert_eq!(shared, chains.len(), "every query keeps its shots");
                for k in [0, 4, 1, 12, 2, 8, 3, 0] {
                    close(&sweeper.point(k), &afresh(&m, &template, &chains, k));
                }
            }
        }
    }

    #[test]
    fn chains_are_seeded_and_nested_prompts_share_their_queries() {
        let a = task_chains(Task::Uppercase, 2, 4, 9, Labels::Correct);
        assert_eq!(a, task_chains(Task::Uppercase, 2, 4, 9, Labels::Correct));
        assert!(a.iter().all(|c| c.examples.len() == CHAIN_SHOTS));
        assert_eq!(
            task_chains(Task::Uppercase, 12, 1, 9, Labels::Correct)[0]
                .examples
                .len(),
            12
        );
        let two = at_shots(&a, 2);
        assert!(
            two.iter()
                .zip(&a)
                .all(|(p, c)| p.examples == c.examples[..2] && p.query == c.query)
        );
        let loo = leave_one_out(&[("a".into(), "A".into()), ("b".into(), "B".into())]);
        assert_eq!(
            loo[0],
            Shots {
                examples: vec![("b".into(), "B".into())],
                query: "a".into(),
                answer: "A".into(),
            }
        );
        assert_eq!(at_shots(&loo, 2), vec![]);
    }
}
