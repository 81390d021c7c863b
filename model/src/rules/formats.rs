//! The space of prompt formats a visitor may write examples in, each a [`Template`]:
//! marker words on two lines (`in: stone` / `out: enots`, `Q:` / `A:`, `Input:` / `Output:`),
//! one line per pair (`stone -> enots`, `stone => enots`, `stone, enots`, tab-separated), no
//! markers at all (input and output on alternate lines), items in quotes or brackets, and
//! blank lines between the pairs.
//!
//! The space is enumerated in a fixed order and split two ways: training draws an episode's
//! template from [`FormatSplit::Train`] only; evaluation also reports [`FormatSplit::HeldOut`],
//! formats training never sees: about one in six by a fixed hash of the template, and every
//! format with the marker pair `before:` / `after:` or the link ` >> `.

use std::sync::OnceLock;

use rand::Rng;
use rand::seq::IndexedRandom;
use serde::{Deserialize, Serialize};

use crate::rules::template::Template;

/// Which part of the format space a template belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FormatSplit {
    /// Drawn in training.
    Train,
    /// Never trained on.
    HeldOut,
}

/// Marker words written before the input and before the output, lowercase.
const MARKERS: [(&str, &str); 9] = [
    ("in", "out"),
    ("q", "a"),
    ("input", "output"),
    ("word", "answer"),
    ("x", "y"),
    ("from", "to"),
    ("text", "result"),
    ("question", "answer"),
    ("before", "after"),
];

/// What joins an input to its output on one line (the output prefix of a one-line format).
const LINKS: [&str; 9] = [
    " -> ", " => ", " = ", ": ", ", ", "\t", " | ", " : ", " >> ",
];

/// Quotes or brackets around every input and output.
const QUOTES: [(&str, &str); 5] = [("", ""), ("\"", "\""), ("'", "'"), ("[", "]"), ("(", ")")];

/// Marker words and links no training format has.
const HELD_OUT_MARKERS: [&str; 1] = ["before"];
const HELD_OUT_LINKS: [&str; 1] = [" >> "];

/// How the pairs are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// `in: stone` then `out: enots`.
    Markers(usize, Case),
    /// `stone -> enots`.
    OneLine(usize),
    /// `stone` then `enots`.
    Bare,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Case {
    Lower,
    Capital,
    Upper,
}

impl Case {
    fn apply(self, w: &str) -> String {
        match self {
            Case::Lower => w.to_string(),
            Case::Upper => w.to_ascii_uppercase(),
            Case::Capital => {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                    .unwrap_or_default()
            }
        }
    }
}

fn template(layout: Layout, quote: (&str, &str), blank: bool) -> Template {
    let (open, close) = quote;
    let end = if blank { "\n\n" } else { "\n" };
    let (input_prefix, between, output_prefix) = match layout {
        Layout::Markers(m, case) => {
            let (a, b) = MARKERS[m];
            (
                format!("{}: ", case.apply(a)),
                "\n".to_string(),
                format!("{}: ", case.apply(b)),
            )
        }
        Layout::OneLine(l) => (String::new(), String::new(), LINKS[l].to_string()),
        Layout::Bare => (String::new(), "\n".to_string(), String::new()),
    };
    Template {
        input_prefix: format!("{input_prefix}{open}"),
        output_prefix: format!("{output_prefix}{open}"),
        separator: format!("{close}{end}"),
        between: Some(format!("{close}{between}")),
    }
    .canonical()
}

impl Template {
    /// The same template with `between` left out where it equals the separator, so that two
    /// spellings of one format compare equal.
    pub fn canonical(mut self) -> Template {
        if self.between.as_deref() == Some(self.separator.as_str()) {
            self.between = None;
        }
        self
    }

    /// One example in this template, for lists and tables: `in: stone⏎out: enots⏎`.
    pub fn sample(&self) -> String {
        self.example("stone", "enots")
            .replace('\n', "⏎")
            .replace('\t', "⇥")
    }
}

/// Every format of the space, in a fixed order, with its split. The page's default template
/// (`in:` / `out:`) is the first and trains.
pub fn all() -> &'static [(Template, FormatSplit)] {
    static ALL: OnceLock<Vec<(Template, FormatSplit)>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut layouts = Vec::new();
        for m in 0..MARKERS.len() {
            for case in [Case::Lower, Case::Capital, Case::Upper] {
                layouts.push(Layout::Markers(m, case));
            }
        }
        layouts.extend((0..LINKS.len()).map(Layout::OneLine));
        layouts.push(Layout::Bare);
        let mut out = Vec::new();
        for layout in layouts {
            for &quote in &QUOTES {
                for blank in [false, true] {
                    let t = template(layout, quote, blank);
                    // `Q:` capitalised is `Q:` in capitals: one format.
                    if out.iter().all(|(o, _)| *o != t) {
                        let split = split_of(layout, &t);
                        out.push((t, split));
                    }
                }
            }
        }
        out
    })
}

fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf29ce484222325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
    })
}

fn split_of(layout: Layout, t: &Template) -> FormatSplit {
    let atom_held_out = match layout {
        Layout::Markers(m, _) => HELD_OUT_MARKERS.contains(&MARKERS[m].0),
        Layout::OneLine(l) => HELD_OUT_LINKS.contains(&LINKS[l]),
        Layout::Bare => false,
    };
    if *t == Template::default() {
        return FormatSplit::Train;
    }
    if atom_held_out || fnv(&t.sample()).is_multiple_of(6) {
        FormatSplit::HeldOut
    } else {
        FormatSplit::Train
    }
}

/// The formats of one split.
pub fn of_split(split: FormatSplit) -> Vec<&'static Template> {
    all()
        .iter()
        .filter(|(_, s)| *s == split)
        .map(|(t, _)| t)
        .collect()
}

/// Which split `t` is in; `None` for a template outside the space.
pub fn split(t: &Template) -> Option<FormatSplit> {
    let t = t.clone().canonical();
    all().iter().find(|(f, _)| *f == t).map(|(_, s)| *s)
}

/// How training draws an episode's template.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FormatMix {
    /// Share of episodes in the page's default template (`in:` / `out:`); the others draw a
    /// training format uniformly.
    pub default_share: f32,
}

impl FormatMix {
    /// One episode's template.
    pub fn draw(&self, rng: &mut impl Rng) -> Template {
        if rng.random::<f32>() < self.default_share {
            return Template::default();
        }
        static TRAIN: OnceLock<Vec<&'static Template>> = OnceLock::new();
        let train = TRAIN.get_or_init(|| of_split(FormatSplit::Train));
        (*train.choose(rng).expect("training formats")).clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn the_space_holds_every_named_style_on_both_sides_of_its_split() {
        let all = all();
        assert_eq!(all[0], (Template::default(), FormatSplit::Train));
        let samples: Vec<String> = all.iter().map(|(t, _)| t.sample()).collect();
        let unique: std::collections::HashSet<&String> = samples.iter().collect();
        assert_eq!(unique.len(), samples.len(), "every format is distinct");
        for (want, split) in [
            ("in: stone⏎out: enots⏎", FormatSplit::Train),
            ("stone⏎enots⏎", FormatSplit::Train),
            ("before: stone⏎after: enots⏎", FormatSplit::HeldOut),
            ("stone >> enots⏎", FormatSplit::HeldOut),
        ] {
            let i = samples.iter().position(|s| s == want).expect(want);
            assert_eq!(all[i].1, split, "{want}");
        }
        for must in ["Q: stone⏎A: enots⏎", "stone -> enots⏎", "stone, enots⏎"] {
            assert!(samples.iter().any(|s| s == must), "{must}");
        }
        assert!(samples.contains(&"\"stone\" => \"enots\"⏎⏎".to_string()));
        assert!(samples.contains(&"stone⇥enots⏎".to_string()));
        let held = of_split(FormatSplit::HeldOut);
        let share = held.len() as f32 / all.len() as f32;
        assert!((0.15..0.35).contains(&share), "held out {share}");
        // Held-out formats include marker words and one-line links (the hash holds out none
        // of the ten bare layouts: every one of those trains).
        let text: Vec<String> = held.iter().map(|t| t.sample()).collect();
        assert!(!text.iter().any(|s| s.starts_with("stone⏎")));
        assert!(text.iter().any(|s| s.contains(": stone⏎")));
        assert!(text.iter().any(|s| s.starts_with("stone ")));
    }

    #[test]
    fn one_line_and_quoted_formats_put_the_answer_after_the_link() {
        let arrow = all()
            .iter()
            .find(|(t, _)| t.sample() == "\"stone\" -> \"enots\"⏎")
            .map(|(t, _)| t.clone())
            .unwrap();
        let examples = vec![("river".to_string(), "revir".to_string())];
        assert_eq!(
            arrow.prompt(&examples, "cloud"),
            "\"river\" -> \"revir\"\n\"cloud\" -> \""
        );
        assert_eq!(
            format!("{}{}", arrow.answer("duolc"), arrow.separator),
            "duolc\"\n"
        );
        let colon = all()
            .iter()
            .find(|(t, _)| t.sample() == "stone: enots⏎")
            .map(|(t, _)| t.clone())
            .unwrap();
        assert_eq!(colon.prompt(&[], "cloud"), "cloud:");
        assert_eq!(colon.answer("duolc"), " duolc");
        assert!(split(&colon).is_some());
        let odd = Template {
            separator: " ; ".into(),
            ..Template::default()
        };
        assert_eq!(split(&odd), None);
        assert_eq!(split(&Template::default()), Some(FormatSplit::Train));
    }

    #[test]
    fn training_draws_only_training_formats() {
        use rand::SeedableRng;
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let mix = FormatMix {
            default_share: 0.25,
        };
        let drawn: Vec<Template> = (0..2000).map(|_| mix.draw(&mut rng)).collect();
        assert!(drawn.iter().all(|t| split(t) == Some(FormatSplit::Train)));
        let default = drawn.iter().filter(|t| **t == Template::default()).count();
        assert!((400..700).contains(&default), "{default}");
        let kinds: std::collections::HashSet<&Template> = drawn.iter().collect();
        assert!(kinds.len() > 100, "{}", kinds.len());
    }
}
