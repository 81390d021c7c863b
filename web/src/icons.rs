//! The page's icons as inline SVG: drawn from paths, so none depends on a font having the
//! glyph (a missing glyph shows as an empty box). Each is decorative: the button that holds it
//! carries the accessible name.

use yew::prelude::*;

/// An icon the page draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Icon {
    Up,
    Down,
    Duplicate,
    Remove,
    /// The arrow between an example's input and output.
    Arrow,
}

impl Icon {
    /// The SVG path data on a 16 × 16 grid, stroked with the text colour.
    fn path(self) -> &'static str {
        match self {
            Icon::Up => "M8 13V3M3.5 7.5 8 3l4.5 4.5",
            Icon::Down => "M8 3v10M3.5 8.5 8 13l4.5-4.5",
            Icon::Duplicate => "M5.5 5.5h8v8h-8zM10.5 5.5v-3h-8v8h3",
            Icon::Remove => "M4 4l8 8M12 4l-8 8",
            Icon::Arrow => "M2.5 8h11M9 3.5 13.5 8 9 12.5",
        }
    }

    /// The class that names the icon (`icon-up`), for styles and tests.
    fn class(self) -> &'static str {
        match self {
            Icon::Up => "icon-up",
            Icon::Down => "icon-down",
            Icon::Duplicate => "icon-duplicate",
            Icon::Remove => "icon-remove",
            Icon::Arrow => "icon-arrow",
        }
    }
}

/// `icon` as an inline SVG one text line high, hidden from assistive technology.
pub fn svg(icon: Icon) -> Html {
    html! {
        <svg class={classes!("i", icon.class())} viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
            <path d={icon.path()} fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round" />
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_icon_is_a_path_on_its_grid_with_its_own_class() {
        let all = [
            Icon::Up,
            Icon::Down,
            Icon::Duplicate,
            Icon::Remove,
            Icon::Arrow,
        ];
        let mut classes: Vec<&str> = all.iter().map(|i| i.class()).collect();
        classes.sort_unstable();
        classes.dedup();
        assert_eq!(classes.len(), all.len());
        for i in all {
            let p = i.path();
            assert!(p.starts_with('M') && p.is_ascii(), "{i:?}: {p}");
            // Every coordinate stays on the 16 × 16 grid.
            for n in p
                .split(|c: char| !(c.is_ascii_digit() || c == '.'))
                .filter(|s| !s.is_empty())
            {
                let v: f32 = n.parse().unwrap();
                assert!((0.0..=16.0).contains(&v), "{i:?}: {v}");
            }
        }
    }
}
