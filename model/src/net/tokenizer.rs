//! Character-level tokenizer: printable ASCII, newline, and two special tokens.
//!
//! Policy for text outside the alphabet (shown by the UI): every `char` that is not printable
//! ASCII (`' '..='~'`) or `'\n'` becomes one `<unk>` token and is counted in
//! [`Encoded::unknown`]. Nothing is dropped or merged, so positions in the prompt line up with
//! characters, and no input can make encoding fail.

use serde::{Deserialize, Serialize};

/// Token id of `<bos>`, placed at the start of every sequence the model reads.
pub const BOS: u32 = 0;
/// Token id of `<unk>`, which stands for any character outside the alphabet.
pub const UNK: u32 = 1;
/// How `<bos>` is written in vocabularies and token views.
pub const BOS_TEXT: &str = "<bos>";
/// How `<unk>` is written in vocabularies and token views.
pub const UNK_TEXT: &str = "<unk>";
/// Letters and digits: the characters of the random strings that induction is trained and
/// measured on.
pub const ALPHANUMERIC: &str = "abcdefghijklmnopqrstuvwxyz0123456789";
/// What [`Tokenizer::decode`] writes for `<unk>`: the Unicode replacement character.
pub const UNK_CHAR: char = '\u{FFFD}';

/// The result of encoding a string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Encoded {
    /// One id per `char` of the input (no `<bos>`; callers prepend it).
    pub ids: Vec<u32>,
    /// How many characters were outside the alphabet and became `<unk>`.
    pub unknown: usize,
}

/// Errors from building a tokenizer out of a stored vocabulary.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum VocabError {
    #[error("vocabulary must start with {BOS_TEXT} and {UNK_TEXT}")]
    MissingSpecials,
    #[error("vocabulary entry {index} ({entry:?}) is not a single character")]
    NotAChar { index: usize, entry: String },
    #[error("vocabulary entry {index} ({entry:?}) appears twice")]
    Duplicate { index: usize, entry: String },
}

/// Maps characters to token ids and back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tokenizer {
    /// `chars[i]` is the character of token id `i + 2` (ids 0 and 1 are `<bos>` and `<unk>`).
    chars: Vec<char>,
    /// Fast path for ASCII: `ascii[b]` is the id of byte `b`, or `UNK`.
    ascii: [u32; 128],
}

impl Default for Tokenizer {
    /// The alphabet every shipped model uses: `<bos>`, `<unk>`, `'\n'`, then `' '..='~'`.
    fn default() -> Self {
        let chars = std::iter::once('\n').chain(' '..='~').collect();
        Self::from_chars(chars)
    }
}

impl Tokenizer {
    fn from_chars(chars: Vec<char>) -> Self {
        let mut ascii = [UNK; 128];
        for (i, c) in chars.iter().enumerate() {
            if c.is_ascii() {
                ascii[*c as usize] = i as u32 + 2;
            }
        }
        Self { chars, ascii }
    }

    /// Rebuilds a tokenizer from the vocabulary stored in a weight file.
    pub fn from_vocab(vocab: &[String]) -> Result<Self, VocabError> {
        if vocab.len() < 2 || vocab[0] != BOS_TEXT || vocab[1] != UNK_TEXT {
            return Err(VocabError::MissingSpecials);
        }
        let mut chars = Vec::with_capacity(vocab.len() - 2);
        for (index, entry) in vocab.iter().enumerate().skip(2) {
            let mut it = entry.chars();
            let (Some(c), None) = (it.next(), it.next()) else {
                return Err(VocabError::NotAChar {
                    index,
                    entry: entry.clone(),
                });
            };
            if chars.contains(&c) {
                return Err(VocabError::Duplicate {
                    index,
                    entry: entry.clone(),
                });
            }
            chars.push(c);
        }
        Ok(Self::from_chars(chars))
    }

    /// The vocabulary as stored in weight files: specials first, then one character per entry.
    pub fn vocab(&self) -> Vec<String> {
        [BOS_TEXT.to_string(), UNK_TEXT.to_string()]
            .into_iter()
            .chain(self.chars.iter().map(|c| c.to_string()))
            .collect()
    }

    /// Number of token ids, specials included.
    pub fn vocab_size(&self) -> usize {
        self.chars.len() + 2
    }

    /// The id of one character (`UNK` when it is outside the alphabet).
    pub fn id(&self, c: char) -> u32 {
        if c.is_ascii() {
            self.ascii[c as usize]
        } else {
            self.chars
                .iter()
                .position(|&x| x == c)
                .map_or(UNK, |i| i as u32 + 2)
        }
    }

    /// Encodes any string; never fails. See the module docs for the out-of-alphabet policy.
    pub fn encode(&self, text: &str) -> Encoded {
        let mut unknown = 0;
        let ids = text
            .chars()
            .map(|c| {
                let id = self.id(c);
                unknown += usize::from(id == UNK);
                id
            })
            .collect();
        Encoded { ids, unknown }
    }

    /// `[<bos>] + encode(text)`: what the model reads for a prompt.
    pub fn encode_with_bos(&self, text: &str) -> Encoded {
        let mut enc = self.encode(text);
        enc.ids.insert(0, BOS);
        enc
    }

    /// Decodes ids to text: `<bos>` vanishes, `<unk>` and unknown ids become `U+FFFD`.
    pub fn decode(&self, ids: &[u32]) -> String {
        ids.iter()
            .filter(|&&id| id != BOS)
            .map(|&id| self.char_of(id))
            .collect()
    }

    /// The character of one id, as [`Tokenizer::decode`] writes it.
    pub fn char_of(&self, id: u32) -> char {
        (id as usize)
            .checked_sub(2)
            .and_then(|i| self.chars.get(i))
            .copied()
            .unwrap_or(UNK_CHAR)
    }

    /// A label for one token as token views show it (`<bos>`, `<unk>`, or the character).
    pub fn token_text(&self, id: u32) -> String {
        match id {
            BOS => BOS_TEXT.to_string(),
            UNK => UNK_TEXT.to_string(),
            _ => self.char_of(id).to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn alphabet_is_printable_ascii_newline_and_specials() {
        let t = Tokenizer::default();
        assert_eq!(t.vocab_size(), 98);
        assert_eq!(t.encode("\n").ids, vec![2]);
        assert_eq!(t.encode(" ~").ids, vec![3, 97]);
        assert_eq!(Tokenizer::from_vocab(&t.vocab()).unwrap(), t);
    }

    #[test]
    fn unknown_characters_are_counted() {
        let t = Tokenizer::default();
        let e = t.encode("héllo 👋\u{0301}\t");
        assert_eq!(e.ids.len(), 9);
        assert_eq!(e.unknown, 4);
        assert_eq!(t.decode(&e.ids), "h\u{FFFD}llo \u{FFFD}\u{FFFD}\u{FFFD}");
    }

    #[test]
    fn bad_vocabularies_are_rejected() {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            Tokenizer::from_vocab(&v(&["a"])),
            Err(VocabError::MissingSpecials)
        );
        assert!(matches!(
            Tokenizer::from_vocab(&v(&[BOS_TEXT, UNK_TEXT, "ab"])),
            Err(VocabError::NotAChar { index: 2, .. })
        ));
        assert!(matches!(
            Tokenizer::from_vocab(&v(&[BOS_TEXT, UNK_TEXT, "a", "a"])),
            Err(VocabError::Duplicate { index: 3, .. })
        ));
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod props {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn any_string_encodes_one_id_per_char(s in any::<String>()) {
                let t = Tokenizer::default();
                let e = t.encode(&s);
                prop_assert_eq!(e.ids.len(), s.chars().count());
                prop_assert!(e.ids.iter().all(|&id| (id as usize) < t.vocab_size()));
                let unk = s.chars().filter(|c| !(*c == '\n' || (' '..='~').contains(c))).count();
                prop_assert_eq!(e.unknown, unk);
            }

            #[test]
            fn in_vocabulary_text_round_trips(s in "[ -~\n]{0,200}") {
                let t = Tokenizer::default();
                let e = t.encode(&s);
                prop_assert_eq!(e.unknown, 0);
                prop_assert_eq!(t.decode(&e.ids), s);
            }

            #[test]
            fn decode_never_panics(ids in proptest::collection::vec(any::<u32>(), 0..64)) {
                let t = Tokenizer::default();
                prop_assert_eq!(t.decode(&ids).chars().count(), ids.iter().filter(|&&i| i != BOS).count());
            }
        }
    }
}
