//! How characters the visitor cannot see are drawn on the page: one glyph each, everywhere.

use icl_model::net::tokenizer::BOS_TEXT;

/// A token as the page shows it: newline, space and `<bos>` made visible.
pub fn shown(text: &str) -> String {
    match text {
        "\n" => "↵".to_string(),
        " " => "␣".to_string(),
        BOS_TEXT => "◆".to_string(),
        t => t.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_characters_get_glyphs() {
        assert_eq!(shown("\n"), "↵");
        assert_eq!(shown(" "), "␣");
        assert_eq!(shown(BOS_TEXT), "◆");
        assert_eq!(shown("é"), "é");
    }
}
