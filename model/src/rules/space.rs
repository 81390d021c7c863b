//! The rule space: string primitives, their kinds, and programs of one to three of them
//! applied left to right, written in a canonical text form, e.g.
//! ```text
//! drop(1) | upper(last)        stone → tonE
//! reverse | suffix(x)          stone → enotsx
//! mirror                       abc   → abccba
//! ```
//! Positions count from 1. Which programs train and which are held out is
//! [`super::split`]; the project's fixed tasks are members of the space
//! ([`super::tasks`]).
//!
//! It is long because it is the table of primitives with their text form and semantics,
//! which read best side by side.

use rand::Rng;
use rand::seq::{IndexedRandom, SliceRandom};
use serde::{Deserialize, Serialize};

use crate::rules::inputs::{self, Source};
use crate::rules::template::Shots;
use crate::rules::words::Split;

/// A class of characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Class {
    Vowels,
    Consonants,
    Digits,
    Capitals,
    Punctuation,
}

impl Class {
    const ALL: [Class; 5] = [
        Class::Vowels,
        Class::Consonants,
        Class::Digits,
        Class::Capitals,
        Class::Punctuation,
    ];

    fn name(self) -> &'static str {
        match self {
            Class::Vowels => "vowels",
            Class::Consonants => "consonants",
            Class::Digits => "digits",
            Class::Capitals => "capitals",
            Class::Punctuation => "punctuation",
        }
    }

    fn has(self, c: char) -> bool {
        match self {
            Class::Vowels => "aeiouAEIOU".contains(c),
            Class::Consonants => c.is_ascii_alphabetic() && !"aeiouAEIOU".contains(c),
            Class::Digits => c.is_ascii_digit(),
            Class::Capitals => c.is_ascii_uppercase(),
            Class::Punctuation => c.is_ascii_punctuation(),
        }
    }
}

/// Which characters a case change touches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Which {
    All,
    First,
    Last,
    /// The n-th character (from 0; written from 1).
    Nth(u8),
    Vowels,
}

impl Which {
    fn text(self) -> String {
        match self {
            Which::All => "all".into(),
            Which::First => "first".into(),
            Which::Last => "last".into(),
            Which::Nth(n) => (n + 1).to_string(),
            Which::Vowels => "vowels".into(),
        }
    }

    fn hits(self, i: usize, len: usize, c: char) -> bool {
        match self {
            Which::All => true,
            Which::First => i == 0,
            Which::Last => i + 1 == len,
            Which::Nth(n) => i == n as usize,
            Which::Vowels => Class::Vowels.has(c),
        }
    }
}

/// One primitive. Numbers are counts, or positions from 0 (written from 1). Its variants
/// make the kinds ([`Kind`]: a primitive without its arguments, named by its text form, the
/// unit held-out pairs are made of), in the order kinds were added: the first space's 31
/// (to `length`) come first, and draws index into that order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, strum::EnumDiscriminants)]
#[strum_discriminants(
    name(Kind),
    derive(Hash, strum::VariantArray, strum::IntoStaticStr),
    strum(serialize_all = "snake_case")
)]
pub enum Prim {
    /// `stone` → `stone`
    Copy,
    /// `take(2)`: `stone` → `st`
    Take(u8),
    /// `drop(2)`: `stone` → `one`
    Drop(u8),
    /// `last(2)`: `stone` → `ne`
    Last(u8),
    /// `drop_last(2)`: `stone` → `sto`
    DropLast(u8),
    /// `slice(2,3)`: three characters from the 2nd: `stone` → `ton`
    Slice(u8, u8),
    /// `rotate(2)`: `stone` → `onest`
    Rotate(u8),
    /// `swap(1,3)`: `stone` → `otsne`
    Swap(u8, u8),
    /// `stone` → `enots`
    Reverse,
    /// `evens`: the 2nd, 4th, ... characters: `stone` → `tn`
    Evens,
    /// `odds`: the 1st, 3rd, ...: `stone` → `soe`
    Odds,
    /// `to_front(3,2)`: two characters from the 3rd moved to the front: `stone` → `onste`
    ToFront(u8, u8),
    /// `to_back(1,2)`: `stone` → `onest`
    ToBack(u8, u8),
    /// `stone` → `enost`
    Sort,
    /// `upper(last)`: `stone` → `stonE`
    Upper(Which),
    /// `lower(all)`: `Paris` → `paris`
    Lower(Which),
    /// `shift(1)`: each letter one further in the alphabet: `stone` → `tupof`
    Shift(u8),
    /// `subst(qwe…)`: letter `a` becomes the first of the 26, `b` the second, ...
    Subst([u8; 26]),
    /// `replace(vowels,*)`: `stone` → `st*n*`
    Replace(Class, char),
    /// `remove(vowels)`: `stone` → `stn`
    Remove(Class),
    /// `keep(vowels)`: `stone` → `oe`
    Keep(Class),
    /// `dedup`: each character once, where it first appears: `kayak` → `kay`
    Dedup,
    /// `double`: `abc` → `aabbcc`
    Double,
    /// `repeat`: `abc` → `abcabc`
    Repeat,
    /// `double_block(2,2)`: two characters from the 2nd written twice: `stone` → `stotone`
    DoubleBlock(u8, u8),
    /// `mirror`: `abc` → `abccba`
    Mirror,
    /// `prefix(re)`: `stone` → `restone`
    Prefix(String),
    /// `suffix(ly)`: `stone` → `stonely`
    Suffix(String),
    /// `infix(-)`: `abc` → `a-b-c`
    Infix(char),
    /// `wrap([])`: `abc` → `[abc]`
    Wrap(char, char),
    /// `length`: `stone` → `5`
    Length,
    /// `reverse_words`: `big red dog` → `dog red big`
    ReverseWords,
    /// `first_word`: `big red dog` → `big`
    FirstWord,
    /// `last_word`: `big red dog` → `dog`
    LastWord,
    /// `initials`: `big red dog` → `brd`
    Initials,
    /// `title`: `big red dog` → `Big Red Dog`
    Title,
    /// `join(-)`: `big red dog` → `big-red-dog`
    Join(char),
    /// `count(vowels)`: `stone` → `2`
    Count(Class),
    /// `has(digits)`: `r2d2` → `yes`, `stone` → `no`
    Has(Class),
    /// `palindrome`: `kayak` → `yes`, `stone` → `no`
    Palindrome,
    /// `longer(4)`: more than 4 characters? `stone` → `yes`, `moon` → `no`
    Longer(u8),
    /// `words`: `big red dog` → `3`
    Words,
}

impl Kind {
    /// Every kind, in order.
    pub const ALL: &'static [Kind] = <Kind as strum::VariantArray>::VARIANTS;

    /// The kind's name, as its primitives' text form starts.
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// Whether the kind reads words of a phrase: a program with one is shown phrases.
    pub fn is_phrasal(self) -> bool {
        use Kind::*;
        matches!(
            self,
            ReverseWords | FirstWord | LastWord | Initials | Title | Join | Words
        )
    }

    /// Whether the kind's output says something about the input (a number, yes or no)
    /// rather than rewrite it: only the last step of a program.
    pub fn is_answer(self) -> bool {
        use Kind::*;
        matches!(self, Length | Count | Has | Palindrome | Longer | Words)
    }
}

/// Characters constants are made of: letters, digits and marks that read well in a prompt.
const CONST_CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789-_*#!.+=~";
const BRACKETS: [(char, char); 6] = [
    ('(', ')'),
    ('[', ']'),
    ('{', '}'),
    ('<', '>'),
    ('*', '*'),
    ('"', '"'),
];

impl Prim {
    /// The primitive's kind.
    pub fn kind(&self) -> Kind {
        Kind::from(self)
    }

    /// The canonical text form, e.g. `slice(2,3)`.
    pub fn text(&self) -> String {
        let k = self.kind().name();
        let p = |n: &u8| n + 1;
        match self {
            Prim::Take(n) | Prim::Drop(n) | Prim::Last(n) | Prim::DropLast(n) => {
                format!("{k}({n})")
            }
            Prim::Rotate(n) | Prim::Shift(n) => format!("{k}({n})"),
            Prim::Slice(i, n) | Prim::ToFront(i, n) | Prim::ToBack(i, n) => {
                format!("{k}({},{n})", p(i))
            }
            Prim::DoubleBlock(i, n) => format!("{k}({},{n})", p(i)),
            Prim::Swap(i, j) => format!("{k}({},{})", p(i), p(j)),
            Prim::Upper(w) | Prim::Lower(w) => format!("{k}({})", w.text()),
            Prim::Subst(m) => format!(
                "{k}({})",
                m.iter().map(|&b| (b'a' + b) as char).collect::<String>()
            ),
            Prim::Replace(c, to) => format!("{k}({},{to})", c.name()),
            Prim::Remove(c) | Prim::Keep(c) | Prim::Count(c) | Prim::Has(c) => {
                format!("{k}({})", c.name())
            }
            Prim::Join(c) => format!("{k}({c})"),
            Prim::Longer(n) => format!("{k}({n})"),
            Prim::Prefix(s) | Prim::Suffix(s) => format!("{k}({s})"),
            Prim::Infix(c) => format!("{k}({c})"),
            Prim::Wrap(a, b) => format!("{k}({a}{b})"),
            _ => k.to_string(),
        }
    }

    /// Applies the primitive to a string of characters.
    pub fn apply(&self, s: &[char]) -> Vec<char> {
        let len = s.len();
        let block = |i: u8, n: u8| {
            let a = (i as usize).min(len);
            (a, (a + n as usize).min(len))
        };
        match self {
            Prim::Copy => s.to_vec(),
            Prim::Take(n) => s[..len.min(*n as usize)].to_vec(),
            Prim::Drop(n) => s[len.min(*n as usize)..].to_vec(),
            Prim::Last(n) => s[len - len.min(*n as usize)..].to_vec(),
            Prim::DropLast(n) => s[..len - len.min(*n as usize)].to_vec(),
            Prim::Slice(i, n) => {
                let (a, b) = block(*i, *n);
                s[a..b].to_vec()
            }
            Prim::Rotate(n) => {
                let mut v = s.to_vec();
                if len > 0 {
                    v.rotate_left(*n as usize % len);
                }
                v
            }
            Prim::Swap(i, j) => {
                let mut v = s.to_vec();
                if (*i as usize) < len && (*j as usize) < len {
                    v.swap(*i as usize, *j as usize);
                }
                v
            }
            Prim::Reverse => s.iter().rev().copied().collect(),
            Prim::Evens => s.iter().skip(1).step_by(2).copied().collect(),
            Prim::Odds => s.iter().step_by(2).copied().collect(),
            Prim::ToFront(i, n) => {
                let (a, b) = block(*i, *n);
                [&s[a..b], &s[..a], &s[b..]].concat()
            }
            Prim::ToBack(i, n) => {
                let (a, b) = block(*i, *n);
                [&s[..a], &s[b..], &s[a..b]].concat()
            }
            Prim::Sort => {
                let mut v = s.to_vec();
                v.sort_unstable();
                v
            }
            Prim::Upper(w) => case(s, *w, true),
            Prim::Lower(w) => case(s, *w, false),
            Prim::Shift(n) => s.iter().map(|&c| map_letter(c, |i| (i + n) % 26)).collect(),
            Prim::Subst(m) => s
                .iter()
                .map(|&c| map_letter(c, |i| m[i as usize]))
                .collect(),
            Prim::Replace(class, to) => s
                .iter()
                .map(|&c| if class.has(c) { *to } else { c })
                .collect(),
            Prim::Remove(class) => s.iter().copied().filter(|&c| !class.has(c)).collect(),
            Prim::Keep(class) => s.iter().copied().filter(|&c| class.has(c)).collect(),
            Prim::Dedup => {
                let mut v: Vec<char> = Vec::new();
                for &c in s {
                    if !v.contains(&c) {
                        v.push(c);
                    }
                }
                v
            }
            Prim::Double => s.iter().flat_map(|&c| [c, c]).collect(),
            Prim::Repeat => [s, s].concat(),
            Prim::DoubleBlock(i, n) => {
                let (a, b) = block(*i, *n);
                [&s[..b], &s[a..b], &s[b..]].concat()
            }
            Prim::Mirror => s.iter().chain(s.iter().rev()).copied().collect(),
            Prim::Prefix(p) => p.chars().chain(s.iter().copied()).collect(),
            Prim::Suffix(p) => s.iter().copied().chain(p.chars()).collect(),
            Prim::Infix(sep) => {
                let mut v = Vec::with_capacity(2 * len);
                for (i, &c) in s.iter().enumerate() {
                    if i > 0 {
                        v.push(*sep);
                    }
                    v.push(c);
                }
                v
            }
            Prim::Wrap(a, b) => std::iter::once(*a)
                .chain(s.iter().copied())
                .chain([*b])
                .collect(),
            Prim::Length => len.to_string().chars().collect(),
            Prim::ReverseWords => words_of(s).rev().collect::<Vec<_>>().join(&' '),
            Prim::FirstWord => words_of(s).next().unwrap_or_default().to_vec(),
            Prim::LastWord => words_of(s).last().unwrap_or_default().to_vec(),
            Prim::Initials => words_of(s).filter_map(|w| w.first().copied()).collect(),
            Prim::Title => s
                .iter()
                .enumerate()
                .map(|(i, &c)| {
                    if i == 0 || s[i - 1] == ' ' {
                        c.to_ascii_uppercase()
                    } else {
                        c
                    }
                })
                .collect(),
            Prim::Join(sep) => words_of(s).collect::<Vec<_>>().join(sep),
            Prim::Count(class) => s
                .iter()
                .filter(|&&c| class.has(c))
                .count()
                .to_string()
                .chars()
                .collect(),
            Prim::Has(class) => yes_no(s.iter().any(|&c| class.has(c))),
            Prim::Palindrome => yes_no(len > 1 && s.iter().eq(s.iter().rev())),
            Prim::Longer(n) => yes_no(len > *n as usize),
            Prim::Words => words_of(s).count().to_string().chars().collect(),
        }
    }

    /// Whether the kind reads the words of a phrase.
    pub fn is_phrasal(&self) -> bool {
        self.kind().is_phrasal()
    }

    /// Whether the kind answers something about its input (a number, yes or no).
    pub fn is_answer(&self) -> bool {
        self.kind().is_answer()
    }

    /// A random primitive of `kind`.
    pub(crate) fn draw(kind: Kind, rng: &mut impl Rng) -> Prim {
        let n = |rng: &mut dyn rand::RngCore, lo: u8, hi: u8| rng.random_range(lo..=hi);
        let class = |rng: &mut dyn rand::RngCore| *Class::ALL.choose(rng).expect("classes");
        let which = |rng: &mut dyn rand::RngCore| match rng.random_range(0..5) {
            0 => Which::All,
            1 => Which::First,
            2 => Which::Last,
            3 => Which::Nth(rng.random_range(1..=4)),
            _ => Which::Vowels,
        };
        let constant = |rng: &mut dyn rand::RngCore, max: usize| -> String {
            let len = rng.random_range(1..=max);
            (0..len)
                .map(|_| *CONST_CHARS.choose(rng).expect("chars") as char)
                .collect()
        };
        match kind {
            Kind::Copy => Prim::Copy,
            Kind::Take => Prim::Take(n(rng, 1, 5)),
            Kind::Drop => Prim::Drop(n(rng, 1, 4)),
            Kind::Last => Prim::Last(n(rng, 1, 5)),
            Kind::DropLast => Prim::DropLast(n(rng, 1, 4)),
            Kind::Slice => Prim::Slice(n(rng, 1, 3), n(rng, 2, 4)),
            Kind::Rotate => Prim::Rotate(n(rng, 1, 3)),
            Kind::Swap => {
                let i = n(rng, 0, 3);
                Prim::Swap(i, i + n(rng, 1, 3))
            }
            Kind::Reverse => Prim::Reverse,
            Kind::Evens => Prim::Evens,
            Kind::Odds => Prim::Odds,
            Kind::ToFront => Prim::ToFront(n(rng, 1, 4), n(rng, 1, 3)),
            Kind::ToBack => Prim::ToBack(n(rng, 0, 3), n(rng, 1, 3)),
            Kind::Sort => Prim::Sort,
            Kind::Upper => Prim::Upper(which(rng)),
            Kind::Lower => Prim::Lower(which(rng)),
            Kind::Shift => Prim::Shift(n(rng, 1, 25)),
            Kind::Subst => random_subst(rng),
            Kind::Replace => {
                Prim::Replace(class(rng), *CONST_CHARS.choose(rng).expect("c") as char)
            }
            Kind::Remove => Prim::Remove(class(rng)),
            Kind::Keep => Prim::Keep(class(rng)),
            Kind::Dedup => Prim::Dedup,
            Kind::Double => Prim::Double,
            Kind::Repeat => Prim::Repeat,
            Kind::DoubleBlock => Prim::DoubleBlock(n(rng, 0, 3), n(rng, 1, 3)),
            Kind::Mirror => Prim::Mirror,
            Kind::Prefix => Prim::Prefix(constant(rng, 3)),
            Kind::Suffix => Prim::Suffix(constant(rng, 3)),
            Kind::Infix => Prim::Infix(*b"-._*+~:/|".choose(rng).expect("c") as char),
            Kind::Wrap => {
                let (a, b) = *BRACKETS.choose(rng).expect("brackets");
                Prim::Wrap(a, b)
            }
            Kind::Length => Prim::Length,
            Kind::ReverseWords => Prim::ReverseWords,
            Kind::FirstWord => Prim::FirstWord,
            Kind::LastWord => Prim::LastWord,
            Kind::Initials => Prim::Initials,
            Kind::Title => Prim::Title,
            Kind::Join => Prim::Join(*b"-_.+/".choose(rng).expect("c") as char),
            Kind::Count => Prim::Count(class(rng)),
            Kind::Has => Prim::Has(class(rng)),
            Kind::Palindrome => Prim::Palindrome,
            Kind::Longer => Prim::Longer(n(rng, 3, 7)),
            Kind::Words => Prim::Words,
        }
    }
}

/// The words of a phrase: its runs of characters between spaces.
fn words_of(s: &[char]) -> impl DoubleEndedIterator<Item = &[char]> {
    s.split(|&c| c == ' ').filter(|w| !w.is_empty())
}

fn yes_no(b: bool) -> Vec<char> {
    if b { "yes" } else { "no" }.chars().collect()
}

pub(crate) fn random_subst(rng: &mut impl Rng) -> Prim {
    let mut m: [u8; 26] = std::array::from_fn(|i| i as u8);
    m.shuffle(rng);
    Prim::Subst(m)
}

/// Changes the case of the characters `w` hits, in any alphabet (`é` → `É`; `ß` → `SS`).
fn case(s: &[char], w: Which, upper: bool) -> Vec<char> {
    let mut out = Vec::with_capacity(s.len());
    for (i, &c) in s.iter().enumerate() {
        match (w.hits(i, s.len(), c), upper) {
            (true, true) => out.extend(c.to_uppercase()),
            (true, false) => out.extend(c.to_lowercase()),
            _ => out.push(c),
        }
    }
    out
}

/// Maps a letter's alphabet index through `f`, keeping its case; other characters stay.
fn map_letter(c: char, f: impl Fn(u8) -> u8) -> char {
    if c.is_ascii_lowercase() {
        (b'a' + f(c as u8 - b'a')) as char
    } else if c.is_ascii_uppercase() {
        (b'A' + f(c as u8 - b'A')) as char
    } else {
        c
    }
}

/// One program: its primitives, applied left to right.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Program(pub Vec<Prim>);

/// The longest output a drawn program may give on the probe inputs: eight examples of
/// 12-character inputs must fit a 256-character window.
pub const MAX_OUTPUT: usize = 16;

/// Fixed inputs a program's behaviour is read on (its fingerprint and the checks of [`Program::draw`]).
const PROBES: [&str; 16] = [
    "stone",
    "kayak",
    "quokka",
    "a",
    "zebra",
    "Paris",
    "r2d2",
    "x-ray",
    "hello!",
    "jinx",
    "abcdefghijkl",
    "moon",
    "OK",
    "rhythm",
    "queue",
    "banana",
];

/// Fixed phrases a phrasal program's behaviour is read on instead of [`PROBES`].
const PHRASE_PROBES: [&str; 12] = [
    "big red dog",
    "ice cream",
    "New York",
    "a cup of tea",
    "hot sun",
    "Good Morning",
    "zip it up",
    "blue sky",
    "we ran home",
    "kayak trip",
    "an owl",
    "salt and rye",
];

pub(crate) fn fnv(bytes: impl IntoIterator<Item = u8>) -> u64 {
    bytes.into_iter().fold(0xcbf29ce484222325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
    })
}

impl Program {
    /// The program's canonical text: its primitives joined by ` | `.
    pub fn text(&self) -> String {
        let parts: Vec<String> = self.0.iter().map(Prim::text).collect();
        parts.join(" | ")
    }

    /// The output for `x`.
    pub fn apply(&self, x: &str) -> String {
        let mut s: Vec<char> = x.chars().collect();
        for p in &self.0 {
            s = p.apply(&s);
        }
        s.into_iter().collect()
    }

    /// Whether the program's rule is drawn at random with many values (a substitution): its
    /// examples must show the query's letters.
    pub fn needs_coverage(&self) -> bool {
        self.0.iter().any(|p| matches!(p, Prim::Subst(_)))
    }

    /// Whether a step maps each letter through a table the examples must show (a Caesar
    /// shift, a substitution): the rules read letter by letter from the examples.
    pub fn maps_letters(&self) -> bool {
        self.0
            .iter()
            .any(|p| matches!(p, Prim::Shift(_) | Prim::Subst(_)))
    }

    /// Whether a step reads the words of a phrase: its episodes show phrases.
    pub fn is_phrasal(&self) -> bool {
        self.0.iter().any(Prim::is_phrasal)
    }

    /// Whether its answers are yes or no: its episodes show both.
    fn answers_yes_no(&self) -> bool {
        self.0
            .last()
            .is_some_and(|p| matches!(p, Prim::Has(_) | Prim::Palindrome | Prim::Longer(_)))
    }

    /// The probe inputs its behaviour is read on: phrases for a phrasal program, else words.
    pub(crate) fn probes(&self) -> &'static [&'static str] {
        if self.is_phrasal() {
            &PHRASE_PROBES
        } else {
            &PROBES
        }
    }

    /// A hash of what the program does on the probe inputs.
    pub fn fingerprint(&self) -> u64 {
        fnv(self.probes().iter().flat_map(|x| {
            self.apply(x)
                .into_bytes()
                .into_iter()
                .chain(std::iter::once(0))
        }))
    }
}

impl Program {
    /// `k` examples and a query for this program, inputs from `source` in `split`: all
    /// distinct, none with an empty output, the query not among the examples. For a
    /// substitution every letter of the query appears in some example when `k` allows.
    pub fn episode(&self, rng: &mut impl Rng, k: usize, source: Source, split: Split) -> Shots {
        // A rule on the words of a phrase is shown phrases; a yes-or-no rule both answers.
        let source = if self.is_phrasal() {
            Source::Phrase
        } else {
            source
        };
        let yes_no = self.answers_yes_no();
        let mut used: Vec<String> = Vec::new();
        let fresh = |rng: &mut dyn rand::RngCore, used: &mut Vec<String>, need: Option<char>| {
            let mut last = String::new();
            let want = yes_no.then(|| if rng.random_bool(0.5) { "yes" } else { "no" });
            for _ in 0..40 {
                let x = inputs::draw_from(rng, source, split);
                let fits = need.is_none_or(|c| x.contains(c));
                let y = self.apply(&x);
                // A phrase only where its answer reads well (the first space's runs
                // drew words alone, and keep their episodes).
                let phrase_fits = !x.contains(' ')
                    || (y.chars().count() <= MAX_OUTPUT
                        && !y.starts_with(' ')
                        && !y.ends_with(' '));
                let answer_fits = want.is_none_or(|w| y == w) && phrase_fits;
                if fits && answer_fits && !used.contains(&x) && !y.is_empty() {
                    used.push(x.clone());
                    return Some(x);
                }
                last = x;
            }
            // A rare letter: write it into an input.
            if let Some(c) = need {
                let mut w: Vec<char> = last.chars().take(inputs::MAX_INPUT - 1).collect();
                let at = rng.random_range(0..=w.len());
                w.insert(at, c);
                last = w.into_iter().collect();
            }
            used.push(last.clone());
            Some(last)
        };
        let query = fresh(rng, &mut used, None).expect("an input");
        let mut xs: Vec<String> = Vec::new();
        if self.needs_coverage() {
            for c in query.chars().filter(char::is_ascii_alphabetic) {
                if xs.len() < k && !xs.iter().any(|x| x.contains(c)) {
                    xs.extend(fresh(rng, &mut used, Some(c)));
                }
            }
        }
        while xs.len() < k {
            xs.push(fresh(rng, &mut used, None).expect("an input"));
        }
        xs.shuffle(rng);
        let examples = xs
            .into_iter()
            .map(|x| {
                let y = self.apply(&x);
                (x, y)
            })
            .collect();
        let answer = self.apply(&query);
        Shots {
            examples,
            query,
            answer,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::split::ProgramSplit;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn run(p: Prim, x: &str) -> String {
        Program(vec![p]).apply(x)
    }

    #[test]
    fn documented_examples_hold() {
        let cases: Vec<(Prim, &str, &str)> = vec![
            (Prim::Take(2), "stone", "st"),
            (Prim::Drop(2), "stone", "one"),
            (Prim::Last(2), "stone", "ne"),
            (Prim::DropLast(2), "stone", "sto"),
            (Prim::Slice(1, 3), "stone", "ton"),
            (Prim::Rotate(2), "stone", "onest"),
            (Prim::Swap(0, 2), "stone", "otsne"),
            (Prim::Evens, "stone", "tn"),
            (Prim::Odds, "stone", "soe"),
            (Prim::ToFront(2, 2), "stone", "onste"),
            (Prim::ToBack(0, 2), "stone", "onest"),
            (Prim::Sort, "stone", "enost"),
            (Prim::Upper(Which::Last), "stone", "stonE"),
            (Prim::Upper(Which::Nth(1)), "stone", "sTone"),
            (Prim::Lower(Which::All), "Paris", "paris"),
            (Prim::Shift(1), "stone", "tupof"),
            (Prim::Shift(1), "Zoo", "App"),
            (Prim::Replace(Class::Vowels, '*'), "stone", "st*n*"),
            (Prim::Remove(Class::Vowels), "stone", "stn"),
            (Prim::Keep(Class::Vowels), "stone", "oe"),
            (Prim::Remove(Class::Digits), "r2d2", "rd"),
            (Prim::Dedup, "kayak", "kay"),
            (Prim::Double, "abc", "aabbcc"),
            (Prim::Repeat, "abc", "abcabc"),
            (Prim::DoubleBlock(1, 2), "stone", "stotone"),
            (Prim::Mirror, "abc", "abccba"),
            (Prim::Prefix("re".into()), "stone", "restone"),
            (Prim::Suffix("ly".into()), "stone", "stonely"),
            (Prim::Infix('-'), "abc", "a-b-c"),
            (Prim::Wrap('[', ']'), "abc", "[abc]"),
            (Prim::Length, "stone", "5"),
            (Prim::Take(9), "ab", "ab"),
            (Prim::Swap(0, 7), "ab", "ab"),
        ];
        for (p, x, y) in cases {
            assert_eq!(run(p.clone(), x), y, "{}", p.text());
        }
        let p = Program(vec![Prim::Drop(1), Prim::Upper(Which::Last)]);
        assert_eq!(p.text(), "drop(1) | upper(last)");
        assert_eq!(p.apply("stone"), "tonE");
        assert_eq!(Program(vec![Prim::Slice(1, 3)]).text(), "slice(2,3)");
        assert_eq!(
            Program(vec![Prim::Replace(Class::Vowels, '*')]).text(),
            "replace(vowels,*)"
        );
        // Every kind is drawn and named after itself.
        let mut rng = ChaCha8Rng::seed_from_u64(0);
        for &k in Kind::ALL {
            let p = Prim::draw(k, &mut rng);
            assert_eq!(p.kind(), k);
            assert!(p.text().starts_with(k.name()));
        }
    }

    #[test]
    fn episodes_are_seeded_distinct_and_cover_substitutions() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        for _ in 0..300 {
            let p = Program::draw(&mut rng, ProgramSplit::Train);
            let seed = rng.random();
            let draw = |s| {
                p.episode(
                    &mut ChaCha8Rng::seed_from_u64(s),
                    8,
                    Source::Mixed,
                    Split::HeldOut,
                )
            };
            let (a, b) = (draw(seed), draw(seed));
            assert_eq!(a, b);
            let Shots {
                examples: ex,
                query: q,
                answer: ans,
            } = a;
            assert_eq!(ex.len(), 8);
            assert_eq!(ans, p.apply(&q));
            assert!(!ans.is_empty(), "{}: {q}", p.text());
            assert!(ex.iter().all(|(x, y)| *y == p.apply(x) && *x != q));
            if p.needs_coverage() {
                for c in q.chars().filter(char::is_ascii_alphabetic) {
                    assert!(ex.iter().any(|(x, _)| x.contains(c)), "{c} of {q}");
                }
            }
        }
    }
}
