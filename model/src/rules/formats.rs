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
//!
//! Beyond the space, training may write marker words drawn from a vocabulary of hundreds
//! ([`open_marker_words`]: the training words, without any of the space's marker words), so
//! that no particular pair matters and "any word and a colon" can be learned; the space's
//! held-out formats stay unseen. Evaluation also asks about marker words outside both
//! ([`unseen_marker_formats`]: `English:` / `French:`), which no training draw writes.

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
    /// Marker words of the open vocabulary: `colour: stone` then `river: enots`.
    Open(&'static str, &'static str, Case),
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

/// The input prefix, what comes between input and output, and the output prefix of marker
/// words `a` and `b` on two lines.
fn markers((a, b): (&str, &str), case: Case) -> (String, String, String) {
    (
        format!("{}: ", case.apply(a)),
        "\n".to_string(),
        format!("{}: ", case.apply(b)),
    )
}

fn template(layout: Layout, quote: (&str, &str), blank: bool) -> Template {
    let (open, close) = quote;
    let end = if blank { "\n\n" } else { "\n" };
    let (input_prefix, between, output_prefix) = match layout {
        Layout::Markers(m, case) => markers(MARKERS[m], case),
        Layout::Open(a, b, case) => markers((a, b), case),
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

/// How a format of the space lays out its pairs: evaluation scores each kind alike, since a
/// visitor writes one as readily as another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LayoutKind {
    /// Marker words on two lines: `in: stone` / `out: enots`.
    Markers,
    /// One pair per line: `stone -> enots`.
    OneLine,
    /// Input and output on alternate lines, no markers.
    Bare,
}

impl LayoutKind {
    pub const ALL: [LayoutKind; 3] = [LayoutKind::Markers, LayoutKind::OneLine, LayoutKind::Bare];
}

impl Layout {
    fn kind(self) -> LayoutKind {
        match self {
            Layout::Markers(..) | Layout::Open(..) => LayoutKind::Markers,
            Layout::OneLine(_) => LayoutKind::OneLine,
            Layout::Bare => LayoutKind::Bare,
        }
    }
}

/// Every format of the space, in a fixed order, with its split and layout kind. The page's
/// default template (`in:` / `out:`) is the first and trains.
pub fn all() -> &'static [(Template, FormatSplit, LayoutKind)] {
    static ALL: OnceLock<Vec<(Template, FormatSplit, LayoutKind)>> = OnceLock::new();
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
                    if out.iter().all(|(o, _, _)| *o != t) {
                        let split = split_of(layout, &t);
                        out.push((t, split, layout.kind()));
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
        Layout::Bare | Layout::Open(..) => false,
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
        .filter(|(_, s, _)| *s == split)
        .map(|(t, _, _)| t)
        .collect()
}

/// The formats of one split laid out one way.
pub fn of_split_kind(split: FormatSplit, kind: LayoutKind) -> Vec<&'static Template> {
    all()
        .iter()
        .filter(|(_, s, k)| *s == split && *k == kind)
        .map(|(t, _, _)| t)
        .collect()
}

/// Which split `t` is in; `None` for a template outside the space.
pub fn split(t: &Template) -> Option<FormatSplit> {
    let t = t.clone().canonical();
    all().iter().find(|(f, _, _)| *f == t).map(|(_, s, _)| *s)
}

/// How training draws an episode's template.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FormatMix {
    /// Share of episodes in the page's default template (`in:` / `out:`); the others draw a
    /// training format uniformly.
    pub default_share: f32,
    /// Share of the other episodes written with two marker words of the open vocabulary
    /// ([`open_marker_words`]) in a random casing, quoting and spacing, instead of a training
    /// format of the space. Runs set up before it existed read 0 and draw as they did.
    #[serde(default)]
    pub open_markers: f32,
}

impl FormatMix {
    /// What the mix is, in words, for the manifest: `, 30% in the page's template, the others
    /// in the training formats (half of them with open marker words)`.
    pub fn describe(&self) -> String {
        let open = if self.open_markers > 0.0 {
            format!(
                " ({:.0}% of them with open marker words)",
                self.open_markers * 100.0
            )
        } else {
            String::new()
        };
        format!(
            ", {:.0}% in the page's template, the others in the training formats{open}",
            self.default_share * 100.0
        )
    }

    /// One episode's template.
    pub fn draw(&self, rng: &mut impl Rng) -> Template {
        if rng.random::<f32>() < self.default_share {
            return Template::default();
        }
        // Drawn only when asked for, so that the runs from before keep their sequence.
        if self.open_markers > 0.0 && rng.random::<f32>() < self.open_markers {
            return open_template(rng);
        }
        static TRAIN: OnceLock<Vec<&'static Template>> = OnceLock::new();
        let train = TRAIN.get_or_init(|| of_split(FormatSplit::Train));
        (*train.choose(rng).expect("training formats")).clone()
    }
}

/// The open vocabulary of marker words: the training words of two to ten letters, without
/// the space's marker words (so its held-out formats stay unseen) and without the held-out
/// words evaluation asks about.
pub fn open_marker_words() -> &'static [&'static str] {
    static WORDS: OnceLock<Vec<&'static str>> = OnceLock::new();
    WORDS.get_or_init(|| {
        let space: Vec<&str> = MARKERS.iter().flat_map(|&(a, b)| [a, b]).collect();
        crate::rules::words::words(crate::rules::words::Split::Train)
            .into_iter()
            .filter(|w| (2..=10).contains(&w.len()))
            .filter(|w| w.chars().all(|c| c.is_ascii_lowercase()))
            .filter(|w| !space.contains(w))
            .collect()
    })
}

/// Marker words a visitor may write that neither the space nor the open vocabulary holds
/// (none is a training word), each pair in the casing a visitor would write it: evaluation
/// asks whether "a word and a colon" was learned, not a list of words.
const UNSEEN_MARKERS: [(&str, &str, Case); 3] = [
    ("english", "french", Case::Capital),
    ("singular", "plural", Case::Lower),
    ("noun", "verb", Case::Capital),
];

/// Formats with marker words of a visitor's own ([`UNSEEN_MARKERS`]): `English: stone` /
/// `French: enots`. None is in the space, and no training draw writes them.
pub fn unseen_marker_formats() -> Vec<Template> {
    UNSEEN_MARKERS
        .iter()
        .map(|&(a, b, case)| template(Layout::Open(a, b, case), QUOTES[0], false))
        .collect()
}

/// A template with two different marker words of the open vocabulary.
fn open_template(rng: &mut impl Rng) -> Template {
    let words = open_marker_words();
    let a = *words.choose(rng).expect("an open vocabulary");
    let b = loop {
        let b = *words.choose(rng).expect("an open vocabulary");
        if b != a {
            break b;
        }
    };
    let case = *[Case::Lower, Case::Capital, Case::Upper]
        .choose(rng)
        .expect("three cases");
    let quote = *QUOTES.choose(rng).expect("quotes");
    template(Layout::Open(a, b, case), quote, rng.random::<bool>())
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn the_space_holds_every_named_style_on_both_sides_of_its_split() {
        let all = all();
        assert_eq!(
            all[0],
            (Template::default(), FormatSplit::Train, LayoutKind::Markers)
        );
        let samples: Vec<String> = all.iter().map(|(t, _, _)| t.sample()).collect();
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
        // Both parts have every layout kind (the held-out part one bare format).
        for kind in LayoutKind::ALL {
            for split in [FormatSplit::Train, FormatSplit::HeldOut] {
                assert!(!of_split_kind(split, kind).is_empty(), "{split:?} {kind:?}");
            }
        }
        let arrow = all.iter().find(|(t, _, _)| t.sample() == "stone -> enots⏎");
        assert_eq!(arrow.map(|(_, _, k)| *k), Some(LayoutKind::OneLine));
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
    fn a_visitors_own_marker_words_are_outside_the_space_and_the_open_vocabulary() {
        let own = unseen_marker_formats();
        let samples: Vec<String> = own.iter().map(Template::sample).collect();
        assert_eq!(
            samples,
            [
                "English: stone⏎French: enots⏎",
                "singular: stone⏎plural: enots⏎",
                "Noun: stone⏎Verb: enots⏎"
            ]
        );
        for t in &own {
            assert_eq!(split(t), None, "{}", t.sample());
        }
        let open = open_marker_words();
        let train = crate::rules::words::words(crate::rules::words::Split::Train);
        for (a, b, _) in UNSEEN_MARKERS {
            for w in [a, b] {
                assert!(!open.contains(&w) && !train.contains(&w), "{w}");
                assert!(MARKERS.iter().all(|&(x, y)| x != w && y != w), "{w}");
            }
        }
    }

    #[test]
    fn one_line_and_quoted_formats_put_the_answer_after_the_link() {
        let arrow = all()
            .iter()
            .find(|(t, _, _)| t.sample() == "\"stone\" -> \"enots\"⏎")
            .map(|(t, _, _)| t.clone())
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
            .find(|(t, _, _)| t.sample() == "stone: enots⏎")
            .map(|(t, _, _)| t.clone())
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
            open_markers: 0.0,
        };
        let drawn: Vec<Template> = (0..2000).map(|_| mix.draw(&mut rng)).collect();
        assert!(drawn.iter().all(|t| split(t) == Some(FormatSplit::Train)));
        let default = drawn.iter().filter(|t| **t == Template::default()).count();
        assert!((400..700).contains(&default), "{default}");
        let kinds: std::collections::HashSet<&Template> = drawn.iter().collect();
        assert!(kinds.len() > 100, "{}", kinds.len());
    }

    /// Open marker words: hundreds of pairs, in every casing, never a marker word of the
    /// space (so its held-out formats stay unseen) and never a held-out word.
    #[test]
    fn open_markers_draw_hundreds_of_pairs_outside_the_space() {
        use rand::SeedableRng;
        let words = open_marker_words();
        assert!(words.len() > 500, "{}", words.len());
        for w in words {
            assert!(!MARKERS.iter().any(|&(a, b)| a == *w || b == *w), "{w}");
            assert_eq!(
                crate::rules::words::split_of(w),
                crate::rules::words::Split::Train
            );
        }
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        let mix = FormatMix {
            default_share: 0.3,
            open_markers: 0.5,
        };
        let drawn: Vec<Template> = (0..4000).map(|_| mix.draw(&mut rng)).collect();
        let open: Vec<&Template> = drawn.iter().filter(|t| split(t).is_none()).collect();
        assert!((1100..1700).contains(&open.len()), "{}", open.len());
        let pairs: std::collections::HashSet<(&str, &str)> = open
            .iter()
            .map(|t| (t.input_prefix.as_str(), t.output_prefix.as_str()))
            .collect();
        assert!(pairs.len() > 1000, "{}", pairs.len());
        for t in &open {
            assert!(
                t.input_prefix.contains(": ") && t.output_prefix.contains(": "),
                "{t:?}"
            );
            assert_ne!(t.input_prefix, t.output_prefix);
        }
        assert!(
            open.iter()
                .any(|t| t.input_prefix.starts_with(|c: char| c.is_ascii_uppercase()))
        );
        // No episode is in a held-out format of the space.
        assert!(drawn.iter().all(|t| split(t) != Some(FormatSplit::HeldOut)));
        // A visitor's own pair reads as the model was trained: `English: stone` / `Pig: ...`.
        let t = open[0];
        let examples = vec![("river".to_string(), "revir".to_string())];
        assert!(t.prompt(&examples, "cloud").contains("river"));
    }
}
