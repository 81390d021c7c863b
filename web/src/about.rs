//! "What am I seeing?" for every panel: what is on screen in plain words, why it matters (the
//! idea of the page it shows), and the paper to read. One entry per panel, all here, so the
//! page explains itself in one place and a test can check that no panel goes without.

/// One panel's explanation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct About {
    /// The panel's `data-about` key.
    pub key: &'static str,
    /// What is on screen.
    pub what: &'static str,
    /// Why it matters: the idea it shows.
    pub why: &'static str,
    /// The paper to read, and where.
    pub paper: &'static str,
    pub url: &'static str,
    /// More papers on the same idea, and where.
    pub more: &'static [(&'static str, &'static str)],
}

const OLSSON: &str =
    "https://transformer-circuits.pub/2022/in-context-learning-and-induction-heads/index.html";

/// Every panel's explanation, in page order.
pub const ABOUT: &[About] = &[
    About {
        key: "examples",
        what: "The examples you give and the query the model must answer. They are written out with the template into one text, the prompt, which is all the model ever sees.",
        why: "In-context learning: the model's weights never change here. Whatever rule it follows, it has to find in these few lines.",
        paper: "Brown et al. 2020, Language Models are Few-Shot Learners",
        url: "https://arxiv.org/abs/2005.14165",
        more: &[],
    },
    About {
        key: "run",
        what: "Run makes the model read the prompt and write one character at a time. The settings choose the model and how each character is picked from its probabilities.",
        why: "Greedy decoding shows what the model thinks most likely; sampling with a temperature shows how sure it is. Both start from the same predicted distribution.",
        paper: "Holtzman et al. 2019, The Curious Case of Neural Text Degeneration",
        url: "https://arxiv.org/abs/1904.09751",
        more: &[],
    },
    About {
        key: "completion",
        what: "Each character the model wrote, shaded by the probability it gave that character, with the five it considered. Below, whether it matched the answer you expected.",
        why: "A right answer with low probability is a guess; a wrong one with high probability is a confident mistake. The probabilities say more than right or wrong.",
        paper: "Brown et al. 2020, Language Models are Few-Shot Learners",
        url: "https://arxiv.org/abs/2005.14165",
        more: &[],
    },
    About {
        key: "compression",
        what: "How many bits each character of the prompt costs the model (−log₂ p), against what gzip needs for the same text.",
        why: "Compression: predicting well and compressing well are the same thing. Once the model has learned the rule from the first examples, the later answers cost almost nothing.",
        paper: "Delétang et al. 2023, Language Modeling Is Compression",
        url: "https://arxiv.org/abs/2309.10668",
        more: &[],
    },
    About {
        key: "icl-curve",
        what: "The ICL curve: for k = 0 to 8 examples in the prompt, the share of held-out queries answered exactly right (solid) and the mean log-probability of the right answer (dashed).",
        why: "Exact match can leap from 0 to 100 % while the log-probability rises smoothly: a sharp \"emergent\" jump can be a gradual change seen through a coarse measure, the mirage.",
        paper: "Schaeffer et al. 2023, Are Emergent Abilities of Large Language Models a Mirage?",
        url: "https://arxiv.org/abs/2304.15004",
        more: &[],
    },
    About {
        key: "compare",
        what: "The same prompt with one thing changed per column (model, shots, labels, order, template), each with its completion and a score on a batch of held-out queries. By model, the zoo's models differ in kind: base recognises the 13 tasks it was trained on, the rule learner was trained on a space of string programs and learns a rule from the examples. Compare them on \"A rule the model never saw\". For one family across sizes, see the Scale view.",
        why: "Scaling and recognition against learning: a model that only recognises tasks it was trained on still answers with flipped labels as if they were right; one that learns from the prompt follows them.",
        paper: "Min et al. 2022, Rethinking the Role of Demonstrations",
        url: "https://arxiv.org/abs/2202.12837",
        more: &[],
    },
    About {
        key: "scale",
        what: "The ladder: one architecture, one recipe and one data mix (the rule space plus multi-digit addition) at several sizes spanning more than a hundredfold in parameters, each trained on 20 characters per parameter. Every rung answers your prompt; beside them, the ladder's own measured sets (sums by digit count, rules never trained on, the fixed tasks) and the final training loss against training compute with its fitted power law.",
        why: "Emergence or mirage? Abilities that seem to appear suddenly with size (exact match leaping from 0 to 100 %) can be a smooth improvement seen through an all-or-nothing measure: switch to per-character accuracy and log-probability and the jump may turn into a ramp. The loss itself falls as a power law of compute.",
        paper: "Schaeffer et al. 2023, Are Emergent Abilities of Large Language Models a Mirage?",
        url: "https://arxiv.org/abs/2304.15004",
        more: &[
            (
                "Wei et al. 2022, Emergent Abilities of Large Language Models",
                "https://arxiv.org/abs/2206.07682",
            ),
            (
                "Kaplan et al. 2020, Scaling Laws for Neural Language Models",
                "https://arxiv.org/abs/2001.08361",
            ),
            (
                "Hoffmann et al. 2022, Training Compute-Optimal Large Language Models",
                "https://arxiv.org/abs/2203.15556",
            ),
        ],
    },
    About {
        key: "training",
        what: "The model's training run: loss, ICL score and the top induction score at each saved checkpoint. The slider runs every panel on the checkpoint you pick.",
        why: "The phase change: in-context learning appears suddenly during training, at the same step as the induction head, while the loss bends.",
        paper: "Olsson et al. 2022, In-context Learning and Induction Heads",
        url: OLSSON,
        more: &[],
    },
    About {
        key: "heads",
        what: "A colour matrix per score (a row per layer, a column per head): induction, prefix matching, previous token, duplicate token and copying on random strings, two of them on the prompt, and the loss on a random string and its repeat. Click a cell to switch its head off.",
        why: "Induction: a head that finds the earlier occurrence of the current character and copies what followed is the mechanism behind much in-context learning. Switching it off shows what depends on it.",
        paper: "Olsson et al. 2022, In-context Learning and Induction Heads",
        url: OLSSON,
        more: &[],
    },
    About {
        key: "attention",
        what: "Where each head looks. The characters of the prompt shaded by the attention of one position, and the whole pattern as a heatmap: row = the position reading, column = the position read.",
        why: "Induction heads leave a visible trace: in the second copy of a pattern, each row lights up one step after the earlier occurrence of its character, a diagonal stripe offset from the main one.",
        paper: "Elhage et al. 2021, A Mathematical Framework for Transformer Circuits",
        url: "https://transformer-circuits.pub/2021/framework/index.html",
        more: &[],
    },
    About {
        key: "live",
        what: "A small attention-only model training in this tab: its loss, its loss on the first and second copies of a repeated string, and its heads' scores, step by step.",
        why: "The phase change, caused in front of you: the loss sits on a plateau, then drops as a previous-token head and an induction head form together. The 1-layer control cannot form one.",
        paper: "Olsson et al. 2022, In-context Learning and Induction Heads",
        url: OLSSON,
        more: &[],
    },
    About {
        key: "in-weights",
        what: "Your examples used two ways. No examples: the shipped weights answer your query alone. In context: they read your examples in the prompt first, as everywhere else on this page. In weights: a copy of the model takes a few gradient steps on your examples, each in turn the query of some of the others, and then answers with no examples in the prompt. Both: the tuned copy also reads the examples.",
        why: "In-context learning has been explained as gradient descent run inside the forward pass; here real gradient descent runs beside it, on the same examples. Watch your query, which no step trained on: if in weights catches up with in context, the examples taught the rule both ways. The examples' own scores flatter the tuned columns, since the tune saw them.",
        paper: "Akyürek et al. 2024, The Surprising Effectiveness of Test-Time Training for Abstract Reasoning",
        url: "https://arxiv.org/abs/2411.07279",
        more: &[
            (
                "Akyürek et al. 2023, What learning algorithm is in-context learning? Investigations with linear models",
                "https://arxiv.org/abs/2211.15661",
            ),
            (
                "von Oswald et al. 2023, Transformers learn in-context by gradient descent",
                "https://arxiv.org/abs/2212.07677",
            ),
            (
                "Dai et al. 2023, Why Can GPT Learn In-Context? Language Models Secretly Perform Gradient Descent as Meta-Optimizers",
                "https://arxiv.org/abs/2212.10559",
            ),
        ],
    },
];

/// The explanation of the panel `key`.
pub fn about(key: &str) -> Option<&'static About> {
    ABOUT.iter().find(|a| a.key == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_is_complete_and_distinct() {
        let mut keys: Vec<&str> = ABOUT.iter().map(|a| a.key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), ABOUT.len(), "one entry per panel");
        for a in ABOUT {
            assert!(a.what.len() > 40 && a.why.len() > 40, "{}", a.key);
            assert!(a.url.starts_with("https://"), "{}", a.key);
            assert!(!a.paper.is_empty());
            assert!(
                a.more
                    .iter()
                    .all(|(p, u)| !p.is_empty() && u.starts_with("https://"))
            );
            assert_eq!(about(a.key), Some(a));
        }
    }

    /// Every explanation reads in Chinese too (the texts are not literals the catalogue's
    /// scan of the code finds).
    #[test]
    fn every_explanation_is_in_the_chinese_catalogue() {
        use crate::i18n::Lang;
        for a in ABOUT {
            let texts = [a.what, a.why, a.paper]
                .into_iter()
                .chain(a.more.iter().map(|m| m.0));
            for en in texts {
                assert_ne!(Lang::Zh.t(en), en, "{}: {en:?}", a.key);
            }
        }
    }
}
