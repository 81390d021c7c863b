//! The page in English and Chinese. English text is written in the components as it reads
//! and doubles as the key; each other language has one catalogue (`zh.rs`) from those keys to
//! its text. Text with values in it uses `{name}` placeholders, filled by [`Lang::f`]; what
//! others made (the worker's errors) comes as data and is worded through the same templates.
//! Numbers are grouped here; dates are written by the browser in [`Lang::locale`].

mod zh;

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use yew::prelude::*;

/// A language of the page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// The document's `lang` attribute.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-Hans",
        }
    }

    /// The language's own name, for the switch.
    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Zh => "中文",
        }
    }

    /// The catalogue of this language (none for English, the keys' own language).
    fn catalogue(self) -> Option<&'static HashMap<&'static str, &'static str>> {
        static ZH: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
        match self {
            Lang::En => None,
            Lang::Zh => Some(ZH.get_or_init(|| zh::ZH.iter().copied().collect())),
        }
    }

    /// `en` in this language (`en` itself where the catalogue lacks it).
    pub fn t(self, en: &'static str) -> &'static str {
        self.catalogue()
            .and_then(|c| c.get(en).copied())
            .unwrap_or(en)
    }

    /// Text made at run time (a model's name from the manifest, a browser's message) as the
    /// catalogue has it where it knows the whole text, else as it is.
    pub fn t_owned(self, en: &str) -> String {
        self.catalogue()
            .and_then(|c| c.get(en).copied())
            .unwrap_or(en)
            .to_string()
    }

    /// [`Lang::t`] of `template` with each `{name}` replaced by its value.
    pub fn f(self, template: &'static str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
        let mut out = self.t(template).to_string();
        for (name, value) in args {
            out = out.replace(&format!("{{{name}}}"), &value.to_string());
        }
        out
    }

    /// A whole number with the language's digit grouping (`12,345` in both).
    pub fn int(self, v: u64) -> String {
        let digits = v.to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        out
    }

    /// The locale dates are written in (the browser's `Intl` formats them, in local time).
    pub fn locale(self) -> &'static str {
        match self {
            Lang::En => "en-GB",
            Lang::Zh => "zh-CN",
        }
    }
}

/// The page's language, from the nearest [`ContextProvider`] (English without one).
#[hook]
pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_is_its_own_catalogue_and_chinese_translates() {
        assert_eq!(Lang::En.t("Run"), "Run");
        assert_ne!(Lang::Zh.t("Run"), "Run");
        assert_eq!(Lang::Zh.t("no such text"), "no such text");
    }

    #[test]
    fn placeholders_are_filled_in_either_language() {
        let n = 3;
        assert_eq!(
            Lang::En.f(
                "{n} tokens, ended by {why}",
                &[("n", &n), ("why", &"max tokens")]
            ),
            "3 tokens, ended by max tokens"
        );
        let zh = Lang::Zh.f("{n} tokens, ended by {why}", &[("n", &n), ("why", &"x")]);
        assert!(
            zh.contains('3') && zh.contains('x') && !zh.contains('{'),
            "{zh}"
        );
    }

    #[test]
    fn the_catalogue_has_no_empty_or_repeated_entries_and_keeps_placeholders() {
        let mut keys: Vec<&str> = zh::ZH.iter().map(|e| e.0).collect();
        keys.sort_unstable();
        let n = keys.len();
        keys.dedup();
        assert_eq!(keys.len(), n, "a key twice in zh.rs");
        let holes = |s: &str| {
            let mut v: Vec<String> = s
                .split('{')
                .skip(1)
                .filter_map(|p| p.split_once('}').map(|x| x.0.to_string()))
                .collect();
            v.sort();
            v
        };
        for (en, zh) in zh::ZH {
            assert!(!zh.trim().is_empty(), "{en}");
            assert_eq!(holes(en), holes(zh), "placeholders of {en:?}");
        }
    }

    /// The Rust string literal starting at `s` (just after its opening quote), unescaped.
    fn literal(s: &str) -> Option<String> {
        let mut out = String::new();
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            match c {
                '"' => return Some(out),
                '\\' => match chars.next()? {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    other => out.push(other),
                },
                c => out.push(c),
            }
        }
        None
    }

    /// Every text the page's code hands to the catalogue as a literal (`lang.t("…")`,
    /// `lang.f("…", …)`) has its Chinese.
    #[test]
    fn every_text_in_the_code_is_in_the_chinese_catalogue() {
        fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for e in std::fs::read_dir(dir).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    files(&p, out);
                } else if p.extension().is_some_and(|x| x == "rs") {
                    out.push(p);
                }
            }
        }
        let mut all = Vec::new();
        files(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut all,
        );
        let zh = Lang::Zh.catalogue().unwrap();
        let (mut seen, mut missing) = (0, Vec::new());
        for file in all.iter().filter(|f| !f.ends_with("i18n/mod.rs")) {
            let text = std::fs::read_to_string(file).unwrap();
            for call in [".t(", ".f(", "fixed("] {
                for (at, _) in text.match_indices(call) {
                    let rest = text[at + call.len()..].trim_start();
                    let Some(key) = rest.strip_prefix('"').and_then(literal) else {
                        continue;
                    };
                    seen += 1;
                    if !zh.contains_key(key.as_str()) {
                        missing.push(format!("{}: {key:?}", file.display()));
                    }
                }
            }
        }
        assert!(
            seen > 250,
            "only {seen} texts found: is the scan still right?"
        );
        assert_eq!(missing, Vec::<String>::new());
    }

    #[test]
    fn every_shipped_models_name_is_in_the_chinese_catalogue() {
        use icl_model::zoo::manifest::{MANIFEST_FILE, Manifest};
        let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../public/models")
            .join(MANIFEST_FILE);
        let manifest = Manifest::parse(&std::fs::read_to_string(file).unwrap()).unwrap();
        let zh = Lang::Zh.catalogue().unwrap();
        let missing: Vec<&str> = manifest
            .models
            .iter()
            .map(|m| m.name.as_str())
            .filter(|name| !zh.contains_key(name))
            .collect();
        assert!(manifest.models.len() > 5);
        assert_eq!(missing, Vec::<&str>::new());
    }

    #[test]
    fn text_made_elsewhere_is_translated_only_whole() {
        assert_eq!(
            Lang::En.t_owned("the model list is empty"),
            "the model list is empty"
        );
        assert_ne!(
            Lang::Zh.t_owned("the model list is empty"),
            "the model list is empty"
        );
        // No guessing which template made a sentence: unknown text stays as it came.
        let made = "could not download a/b: HTTP 404 Not Found";
        assert_eq!(Lang::Zh.t_owned(made), made);
    }

    #[test]
    fn numbers_are_grouped_and_dates_have_a_locale() {
        assert_eq!(Lang::En.int(1_234_567), "1,234,567");
        assert_eq!(Lang::En.int(999), "999");
        assert_eq!(Lang::Zh.int(1000), "1,000");
        assert_eq!(Lang::Zh.locale(), "zh-CN");
    }
}
