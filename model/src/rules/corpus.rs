//! Training sequences: few-shot episodes and repeated random strings, as token batches with a
//! loss mask (padding ignored) and an answer mask (output tokens, for the answer-only loss).
//!
//! A few-shot sequence keeps adding examples of one episode's rule until the window is full,
//! so every sequence trains every shot count from 0 up. E.g. (reverse, block 40):
//! ```text
//! <bos>in: stone\nout: enots\nin: river\nout: revir\nin: clo
//! ```
//! where `enots\n` and `revir\n` are answer tokens.

use std::sync::Arc;

use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};

use crate::net::tokenizer::{BOS, Tokenizer};
use crate::rules::formats::FormatMix;
use crate::rules::inputs::Source;
use crate::rules::space::Program;
use crate::rules::split::ProgramSplit;
use crate::rules::tasks::{Task, induction_text};
use crate::rules::template::{Shots, Template};
use crate::rules::words::Split;

/// One training sequence of `block_size + 1` tokens (inputs are `ids[..block]`, targets
/// `ids[1..]`).
#[derive(Debug, Clone, PartialEq)]
pub struct Sequence {
    pub ids: Vec<u32>,
    /// Per target position: 1 for a real token, 0 for padding.
    pub loss_mask: Vec<f32>,
    /// Per target position: whether it is part of an answer (output and its separator).
    pub answer_mask: Vec<bool>,
}

/// What a batch is drawn from.
#[derive(Debug, Clone, PartialEq)]
pub struct DataMix {
    /// Fraction of sequences that are repeated random strings.
    pub induction: f32,
    /// Tasks for the rest, drawn uniformly.
    pub tasks: Vec<Task>,
    pub template: Template,
    /// Each few-shot sequence in a template drawn from the format space's training part
    /// ([`crate::rules::formats`]); `None`: every one in `template`.
    pub formats: Option<FormatMix>,
    /// Episodes of string programs ([`crate::rules`]) in the few-shot share, if any.
    pub programs: Option<ProgramMix>,
}

/// How the rule-space share of the few-shot sequences is drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct ProgramMix {
    /// Fraction of the few-shot sequences that are programs (the rest are `tasks`).
    pub share: f32,
    /// Fraction of the program sequences that are the fixed tasks' programs (copy, reverse,
    /// ...), on the same visitor-like inputs.
    pub families: f32,
    /// The only training programs drawn, when the number of distinct rules is limited (the
    /// task-diversity probes); otherwise a fresh program each time.
    pub pool: Option<Arc<Vec<Program>>>,
    /// Fraction of the program sequences whose program maps letters through a table
    /// ([`Program::maps_letters`]): a fresh training program with a shift or a substitution
    /// among its steps, alone or composed.
    pub per_letter: f32,
    /// Programs of the whole space ([`Program::draw_extended`]) on inputs with phrases.
    pub extended: bool,
}

impl ProgramMix {
    /// `distinct` different training programs, drawn from `seed`.
    pub fn pool(distinct: usize, seed: u64) -> Vec<Program> {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed ^ 0x005e_ed0f_9a11);
        let mut seen = std::collections::HashSet::new();
        let mut pool = Vec::with_capacity(distinct);
        while pool.len() < distinct {
            let p = Program::draw(&mut rng, ProgramSplit::Train);
            if seen.insert(p.fingerprint()) {
                pool.push(p);
            }
        }
        pool
    }

    /// The program of one training sequence.
    pub fn draw(&self, rng: &mut impl Rng) -> Program {
        // No draw when there is no such share, so the runs before it keep their data.
        if self.per_letter > 0.0 && rng.random::<f32>() < self.per_letter {
            loop {
                let p = self.fresh(rng);
                if p.maps_letters() {
                    return p;
                }
            }
        }
        if rng.random::<f32>() < self.families {
            let task = *FAMILY_TASKS.choose(rng).expect("tasks");
            return Program::family(task, rng).expect("a string task");
        }
        match &self.pool {
            Some(pool) => pool.choose(rng).expect("programs").clone(),
            None => self.fresh(rng),
        }
    }

    /// A fresh training program of the mix's space.
    fn fresh(&self, rng: &mut impl Rng) -> Program {
        if self.extended {
            Program::draw_extended(rng, ProgramSplit::Train)
        } else {
            Program::draw(rng, ProgramSplit::Train)
        }
    }

    /// Where the inputs of its episodes come from.
    pub fn source(&self) -> Source {
        if self.extended {
            Source::WithPhrases
        } else {
            Source::Mixed
        }
    }
}

/// The fixed tasks that are string programs: every task but category and lookup, which
/// `Task::WORDS` lists last.
pub const FAMILY_TASKS: &[Task] = Task::WORDS.split_at(Task::WORDS.len() - 2).0;

impl DataMix {
    /// All tasks with the given share of induction sequences.
    pub fn new(induction: f32) -> Self {
        Self {
            induction,
            tasks: Task::WORDS.to_vec(),
            template: Template::default(),
            formats: None,
            programs: None,
        }
    }

    /// A short description for the manifest.
    pub fn describe(&self, tasks: &str) -> String {
        format!(
            "{:.0}% repeated random strings, {:.0}% few-shot episodes of {tasks} (training words)",
            self.induction * 100.0,
            (1.0 - self.induction) * 100.0,
        )
    }

    /// One sequence.
    pub fn sequence(&self, rng: &mut impl Rng, tok: &Tokenizer, block_size: usize) -> Sequence {
        let len = block_size + 1;
        if (self.tasks.is_empty() && self.programs.is_none())
            || rng.random::<f32>() < self.induction
        {
            let text = induction_text(rng, len - 1);
            let mut ids = vec![BOS];
            ids.extend(tok.encode(&text).ids);
            return Sequence {
                ids,
                loss_mask: vec![1.0; len - 1],
                answer_mask: vec![false; len - 1],
            };
        }
        if let Some(pm) = &self.programs
            && (self.tasks.is_empty() || rng.random::<f32>() < pm.share)
        {
            let program = pm.draw(rng);
            // Every example is at least 13 characters long.
            let Shots {
                mut examples,
                query,
                answer,
            } = program.episode(rng, len / 13 + 1, pm.source(), Split::Train);
            examples.push((query, answer));
            return self.render(rng, &examples, tok, len);
        }
        let task = *self.tasks.choose(rng).expect("tasks");
        // Enough examples to overfill any window we train with; the rule is the episode's.
        let examples_needed = len / 6 + 2;
        let episode = task.episode(rng, examples_needed, Split::Train);
        let mut examples = episode.examples;
        examples.push((episode.query, episode.answer));
        if task == Task::Lookup {
            // Keys repeat within a sequence, so later lookups can be answered from earlier ones.
            let table = examples.clone();
            examples = (0..examples_needed)
                .map(|_| table.choose(rng).expect("table").clone())
                .collect();
        }
        examples.shuffle(rng);
        self.render(rng, &examples, tok, len)
    }

    /// `examples` in the run's template or one drawn from the format space, cut or padded to
    /// `len` tokens, `<bos>` first.
    fn render(
        &self,
        rng: &mut impl Rng,
        examples: &[(String, String)],
        tok: &Tokenizer,
        len: usize,
    ) -> Sequence {
        let drawn = self.formats.map(|f| f.draw(rng));
        let t = drawn.as_ref().unwrap_or(&self.template);
        let mut ids = vec![BOS];
        let mut answer = vec![false];
        for (x, y) in examples {
            for (s, is_answer) in t.spans(x, y) {
                let e = tok.encode(s).ids;
                answer.extend(std::iter::repeat_n(is_answer, e.len()));
                ids.extend(e);
            }
            if ids.len() >= len {
                break;
            }
        }
        ids.truncate(len);
        answer.truncate(len);
        let real = ids.len() - 1;
        let pad = tok.encode(&t.separator).ids.first().copied().unwrap_or(BOS);
        ids.resize(len, pad);
        answer.resize(len, false);
        let mut loss_mask = vec![1.0; real];
        loss_mask.resize(len - 1, 0.0);
        Sequence {
            ids,
            loss_mask,
            answer_mask: answer[1..].to_vec(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn sequences_fill_the_window_and_mark_answers() {
        let tok = Tokenizer::default();
        let mix = DataMix {
            induction: 0.0,
            tasks: vec![Task::Reverse],
            template: Template::default(),
            formats: None,
            programs: None,
        };
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let s = mix.sequence(&mut rng, &tok, 64);
        assert_eq!(s.ids.len(), 65);
        assert_eq!(s.loss_mask.len(), 64);
        assert_eq!(s.answer_mask.len(), 64);
        assert_eq!(s.ids[0], BOS);
        let text = tok.decode(&s.ids);
        assert!(text.starts_with("in: "), "{text:?}");
        // Answer targets decode to reversed inputs.
        let answers: String = s.ids[1..]
            .iter()
            .zip(&s.answer_mask)
            .filter(|(_, a)| **a)
            .map(|(&i, _)| tok.char_of(i))
            .collect();
        let first = answers.split('\n').next().unwrap();
        let line = text.lines().next().unwrap().trim_start_matches("in: ");
        assert_eq!(first, line.chars().rev().collect::<String>());
    }

    #[test]
    fn induction_sequences_are_all_loss() {
        let tok = Tokenizer::default();
        let mix = DataMix::new(1.0);
        let s = mix.sequence(&mut ChaCha8Rng::seed_from_u64(2), &tok, 32);
        assert!(s.loss_mask.iter().all(|&m| m == 1.0));
        assert!(!s.answer_mask.iter().any(|&a| a));
    }

    #[test]
    fn program_sequences_show_one_training_program() {
        let tok = Tokenizer::default();
        let pool = Arc::new(ProgramMix::pool(3, 7));
        let mix = DataMix {
            induction: 0.0,
            tasks: Vec::new(),
            template: Template::default(),
            formats: None,
            programs: Some(ProgramMix {
                share: 1.0,
                families: 0.0,
                pool: Some(pool.clone()),
                per_letter: 0.0,
                extended: false,
            }),
        };
        for seed in 0..20 {
            let s = mix.sequence(&mut ChaCha8Rng::seed_from_u64(seed), &tok, 128);
            let text = tok.decode(&s.ids);
            let lines: Vec<&str> = text.lines().collect();
            let pairs: Vec<(&str, &str)> = lines
                .windows(2)
                .filter_map(|w| Some((w[0].strip_prefix("in: ")?, w[1].strip_prefix("out: ")?)))
                .take_while(|_| true)
                .collect();
            // The last pair may be cut by the window.
            let whole = &pairs[..pairs.len() - 1];
            assert!(whole.len() >= 3, "{text:?}");
            assert!(
                pool.iter()
                    .any(|p| whole.iter().all(|(x, y)| p.apply(x) == *y)),
                "{text:?}"
            );
            assert!(s.answer_mask.iter().any(|&a| a));
        }
    }

    #[test]
    fn the_program_mix_draws_training_programs_only() {
        let mix = ProgramMix {
            share: 1.0,
            families: 0.3,
            pool: None,
            per_letter: 0.0,
            extended: false,
        };
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let mut families = 0;
        for _ in 0..5_000 {
            let p = mix.draw(&mut rng);
            assert_eq!(p.split(), ProgramSplit::Train, "{}", p.text());
            families += usize::from(p.is_family_like());
        }
        assert!(
            (1_400..2_200).contains(&families),
            "{families} fixed-task programs"
        );
    }

    /// A per-letter share draws that share of training programs with a shift or a
    /// substitution, single steps and compositions both.
    #[test]
    fn a_per_letter_share_draws_letter_mapping_programs() {
        let with = |per_letter| ProgramMix {
            share: 1.0,
            families: 0.3,
            pool: None,
            per_letter,
            extended: false,
        };
        let mut b = ChaCha8Rng::seed_from_u64(5);
        let mut mapping = 0;
        let mut composed = 0;
        for _ in 0..2_000 {
            let p = with(0.5).draw(&mut b);
            assert_eq!(p.split(), ProgramSplit::Train, "{}", p.text());
            if p.maps_letters() {
                mapping += 1;
                composed += usize::from(p.0.len() > 1);
            }
        }
        // Half drawn so, plus the few the rest holds (caesar and substitution among the
        // fixed tasks' programs, shifts in fresh programs).
        assert!(
            (1_050..1_350).contains(&mapping),
            "{mapping} letter-mapping programs"
        );
        assert!(composed > mapping / 3, "{composed} of {mapping} composed");
        let mut c = ChaCha8Rng::seed_from_u64(5);
        let none = (0..2_000)
            .filter(|_| with(0.0).draw(&mut c).maps_letters())
            .count();
        assert!(none < 300, "{none} without a per-letter share");
    }
}
