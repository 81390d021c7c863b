//! How an example is written: the one prompt format shared by training, evaluation and the
//! page. With the default [`Template`], an episode of `k` examples renders as
//! ```text
//! in: stone
//! out: enots
//! in: river
//! out: revir
//! in: cloud
//! out:
//! ```
//! and the model should answer ` duolc` (the output prefix's space is part of the prompt).
//! Training draws templates from the format space ([`super::formats`]).

use serde::{Deserialize, Serialize};

/// How an example is written. Editable in the page; training draws it from the format space
/// ([`crate::rules::formats`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct Template {
    /// Written before each input.
    pub input_prefix: String,
    /// Written before each output.
    pub output_prefix: String,
    /// Written after each output, and after each input unless `between` says otherwise.
    pub separator: String,
    /// Written after each input instead of the separator, for formats whose input and output
    /// share a line (`stone -> enots`: nothing here, ` -> ` as the output prefix) or whose
    /// items are quoted (`"`); `None` (links and drafts made before it existed): the separator.
    pub between: Option<String>,
}

impl Default for Template {
    fn default() -> Self {
        Self {
            input_prefix: "in: ".into(),
            output_prefix: "out: ".into(),
            separator: "\n".into(),
            between: None,
        }
    }
}

impl Template {
    /// What is written after each input: `between`, else the separator.
    pub fn after_input(&self) -> &str {
        self.between.as_deref().unwrap_or(&self.separator)
    }

    /// The few-shot prompt: every example, then the query's input and the output prefix.
    pub fn prompt(&self, examples: &[(String, String)], query: &str) -> String {
        let mut s = String::new();
        for (x, y) in examples {
            s.push_str(&self.example(x, y));
        }
        s.push_str(&self.input_prefix);
        s.push_str(query);
        s.push_str(self.after_input());
        s.push_str(self.output_prefix.trim_end_matches(' '));
        s
    }

    /// What should follow [`Template::prompt`]: the output (with the prefix's trailing space).
    pub fn answer(&self, output: &str) -> String {
        let space = &self.output_prefix[self.output_prefix.trim_end_matches(' ').len()..];
        format!("{space}{output}")
    }

    /// How one example `x → y` is written: its pieces in order, each marked `true` when it
    /// belongs to the answer (the output and the separator that ends it). Training's loss
    /// weights and the page's answer highlighting both read this layout.
    pub fn spans<'a>(&'a self, x: &'a str, y: &'a str) -> [(&'a str, bool); 6] {
        [
            (&self.input_prefix, false),
            (x, false),
            (self.after_input(), false),
            (&self.output_prefix, false),
            (y, true),
            (&self.separator, true),
        ]
    }

    /// Which of a window's characters (one string each, as the page shows them) are answer
    /// characters: those after an output prefix, up to the separator, spaces excepted.
    pub fn answer_positions(&self, chars: &[&str]) -> Vec<bool> {
        // Whether the characters up to `i` end with `s`.
        let ends_with = |i: usize, s: &str| {
            let n = s.chars().count();
            n > 0 && i + 1 >= n && chars[i + 1 - n..=i].concat() == s
        };
        let sep_len = self.separator.chars().count();
        let mut answer = vec![false; chars.len()];
        let mut inside = false;
        for i in 0..chars.len() {
            if inside {
                answer[i] = chars[i] != " ";
                if ends_with(i, &self.separator) {
                    inside = false;
                    answer[i + 1 - sep_len..=i].fill(false);
                }
            }
            if ends_with(i, self.output_prefix.trim_end()) {
                inside = true;
            }
        }
        answer
    }

    /// How one example `x → y` is written ([`Template::spans`] in order).
    pub fn example(&self, x: &str, y: &str) -> String {
        self.spans(x, y).iter().map(|p| p.0).collect()
    }
}

/// A few-shot prompt's parts: its examples, the query, and the query's right answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shots {
    pub examples: Vec<(String, String)>,
    pub query: String,
    pub answer: String,
}

impl Shots {
    /// The same query with only the first `k` examples.
    pub fn first(&self, k: usize) -> Shots {
        Shots {
            examples: self.examples[..k.min(self.examples.len())].to_vec(),
            query: self.query.clone(),
            answer: self.answer.clone(),
        }
    }
}

/// `\n`, `\t` and `\\` as typed in the page's template fields and on the command line; any
/// other backslash stays as it is.
pub fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('\\') => out.push('\\'),
            Some(o) => {
                out.push('\\');
                out.push(o);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// The inverse of [`unescape`].
pub fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('\n', "\\n")
        .replace('\t', "\\t")
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn answers_are_found_with_any_separator() {
        let chars = |s: &str| s.chars().map(String::from).collect::<Vec<_>>();
        let marks = |t: &Template, s: &str| {
            let c = chars(s);
            let refs: Vec<&str> = c.iter().map(String::as_str).collect();
            t.answer_positions(&refs)
                .iter()
                .map(|&a| if a { '^' } else { '.' })
                .collect::<String>()
        };
        let t = Template::default();
        assert_eq!(marks(&t, "in: ab\nout: ba\nin: c"), "............^^......");
        let bars = Template {
            separator: " | ".into(),
            ..Template::default()
        };
        let text = "in: ab | out: ba | in: c";
        assert_eq!(marks(&bars, text), "..............^^........");
        // The layout training writes is the layout the page reads back.
        let written: String = bars.spans("ab", "ba").iter().map(|s| s.0).collect();
        assert_eq!(written, "in: ab | out: ba | ");
    }

    #[test]
    fn the_default_template_writes_the_documented_prompt() {
        let t = Template::default();
        let ex = vec![
            ("stone".to_string(), "enots".to_string()),
            ("river".into(), "revir".into()),
        ];
        assert_eq!(
            t.prompt(&ex, "cloud"),
            "in: stone\nout: enots\nin: river\nout: revir\nin: cloud\nout:"
        );
        assert_eq!(t.answer("duolc"), " duolc");
    }

    #[test]
    fn escapes_round_trip() {
        for s in ["\n", "in: ", "a\\nb", "\t|\n", "\\", "x\\"] {
            assert_eq!(unescape(&escape(s)), s, "{s:?}");
        }
        assert_eq!(unescape("\\n"), "\n");
    }
}
