//! The guided tour from end to end: every step sets its state, points at an element that
//! exists, passes axe-core and is screenshotted at 1440 and 375 px; the keyboard walks it, a
//! link opens any step, the other language words it, the visitor's own work is set aside and
//! Esc leaves the page as the tour left it.

use fantoccini::Client;
use serde_json::json;

use crate::accessibility::axe_violations;
use crate::harness::{
    Site, chart_points, click, js, screenshot_at, set_value, set_viewport, text, wait_for,
    wait_ready,
};

/// Each step: the element it points at, and a selector that exists once its state is on
/// screen (its jobs done).
const STEPS: [(&str, &str); 9] = [
    ("compression", "#bpc"),
    ("curve-preview", "#curve-preview circle.pt"),
    // The recognised rule's curve, drawn beside the learned rule's of step 2.
    (
        "icl-curve",
        "#curve-chart g.series[data-series='3'] circle.pt",
    ),
    ("heads", "#heads .head-matrix"),
    ("copy-losses", "#heads button[aria-pressed=true]"),
    ("checkpoint", "#checkpoint-scores[data-step='937']"),
    ("icl-curve", "#curve-chart circle.pt"),
    ("live-train", "#live-train"),
    ("tune-start", "#tune-start"),
];

/// The step the card shows, and the id of the element marked as the step's target.
async fn shown(c: &Client) -> (u64, String) {
    let v = js(
        c,
        "const card = document.querySelector('#tour');
         const t = document.querySelectorAll('[data-tour-target]');
         return [card ? Number(card.dataset.step) : 0, t.length === 1 ? t[0].id : ('marked: ' + t.length)];",
        vec![],
    )
    .await;
    (v[0].as_u64().unwrap(), v[1].as_str().unwrap().to_string())
}

/// Waits until the card shows step `n` and its state is on screen.
async fn at_step(c: &Client, n: usize) {
    wait_for(c, &format!("#tour[data-step='{n}']"), 20).await;
    let (target, ready) = STEPS[n - 1];
    wait_for(c, ready, 60).await;
    // Idle: no run or curve still on its way.
    wait_for(c, "#completion:not([data-state=running])", 60).await;
    wait_for(c, "#measure-curve:not([disabled])", 60).await;
    wait_for(c, &format!("#{target}[data-tour-target]"), 20).await;
    assert_eq!(shown(c).await, (n as u64, target.to_string()), "step {n}");
    let hash = js(c, "return location.hash;", vec![]).await;
    assert_eq!(
        hash,
        json!(format!("#tour-{n}")),
        "the address bar links the step"
    );
}

/// The tour opened by its button over the visitor's own query, walked to the end by button,
/// key and link, in both languages; each step's state, target, axe and screenshots.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built site and chromedriver: run by cargo xtask test"]
async fn the_tour_walks_every_step_and_leaves_the_page_as_it_left_it() {
    let site = Site::start();
    let c = site.open_ready(None).await;
    set_viewport(&c, 1440, 900).await;
    set_value(&c, "#query", "my own query").await;
    click(&c, "#tour-open").await;
    at_step(&c, 1).await;
    // The visitor's query is set aside, not lost.
    wait_for(&c, "#recover", 10).await;
    assert!(
        text(&c, "#recover").await.contains("my own query"),
        "{}",
        text(&c, "#recover").await
    );
    // The card's title has focus: a screen reader reads the step.
    let focused = js(&c, "return document.activeElement.id;", vec![]).await;
    assert_eq!(focused, json!("tour-title"));

    for n in 1..=STEPS.len() {
        at_step(&c, n).await;
        match n {
            2 => {
                let answer = wait_for(&c, "#completion", 5).await;
                assert_eq!(
                    answer.attr("data-text").await.unwrap().as_deref(),
                    Some(" AlIvE")
                );
            }
            3 => {
                assert_eq!(
                    js(
                        &c,
                        "return document.querySelector('#preset').value;",
                        vec![]
                    )
                    .await,
                    json!("first_letter")
                );
                // Two rules' curves: exact match of the recognised one (series 2) is high from
                // one example on, the learned one's (series 0) not yet there.
                let recognised = chart_points(&c, 2).await;
                let learned = chart_points(&c, 0).await;
                assert_eq!(recognised.len(), 9, "{recognised:?}");
                // As the card says: near the top from k = 1 on, and above the unseen rule's.
                let from_one = |p: &[(f64, f64)]| {
                    p[1..].iter().map(|q| q.1).sum::<f64>() / (p.len() - 1) as f64
                };
                assert!(
                    recognised[1..].iter().all(|q| q.1 >= 60.0),
                    "{recognised:?}"
                );
                assert!(
                    from_one(&recognised) > from_one(&learned),
                    "recognised {recognised:?}, learned {learned:?}"
                );
            }
            5 => {
                // Without its strongest induction heads the default no longer copies; the
                // heads switched off are the ones the card names.
                let verdict = wait_for(&c, "#verdict", 20).await;
                assert_eq!(
                    verdict.attr("data-match").await.unwrap().as_deref(),
                    Some("false")
                );
                let heads = js(
                    &c,
                    "const named = document.querySelector('#tour').textContent.match(/L\\d+H\\d+/g) || [];
                     const off = [...document.querySelectorAll('#heads button[aria-pressed=true]')].map(b => b.dataset.head);
                     return [[...new Set(named)].sort(), [...new Set(off)].sort()];",
                    vec![],
                )
                .await;
                assert!(!heads[0].as_array().unwrap().is_empty(), "{heads}");
                assert_eq!(heads[0], heads[1], "named, switched off");
            }
            6 => {
                let model = js(&c, "return document.querySelector('#model').value;", vec![]).await;
                assert!(model.as_str().unwrap().contains("attn2"), "{model}");
            }
            _ => {}
        }
        let found = axe_violations(&c).await;
        assert!(found.is_empty(), "axe-core at step {n}: {found:?}");
        for (width, height) in [(375, 812), (1440, 900)] {
            screenshot_at(&c, &format!("tour-{n}"), width, height).await;
            // The step's element is in view above the card, at either width.
            let v = js(
                &c,
                "const t = document.querySelector('[data-tour-target]').getBoundingClientRect();
                 const card = document.querySelector('#tour').getBoundingClientRect();
                 return [t.top, card.top];",
                vec![],
            )
            .await;
            let (top, card) = (v[0].as_f64().unwrap(), v[1].as_f64().unwrap());
            assert!(
                top >= 0.0 && top < card,
                "step {n} at {width} px: its element starts at {top}, the card at {card}"
            );
        }
        if n == 4 {
            // The keyboard: → on the card goes on.
            js(
                &c,
                "document.querySelector('#tour-title').dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));",
                vec![],
            )
            .await;
        } else if n < STEPS.len() {
            click(&c, "#tour-next").await;
        }
    }

    // Back, a step's own button, and a link pasted into the address bar.
    click(&c, "#tour-back").await;
    at_step(&c, 8).await;
    click(&c, "#tour li:nth-child(2) button").await;
    at_step(&c, 2).await;
    js(&c, "location.hash = '#tour-6';", vec![]).await;
    at_step(&c, 6).await;

    // The other language words the card and the step keeps its state.
    click(&c, "#lang-zh-Hans").await;
    wait_for(&c, "#tour-title:lang(zh-Hans)", 10).await;
    assert_eq!(text(&c, "#tour-title").await, "训练中的相变");
    click(&c, "#lang-en").await;

    // Esc leaves: no card, no link, and the page as the step left it.
    js(
        &c,
        "document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));",
        vec![],
    )
    .await;
    wait_for(&c, "html:not(:has(#tour))", 10).await;
    assert_eq!(js(&c, "return location.hash;", vec![]).await, json!(""));
    assert_eq!(
        js(
            &c,
            "return document.querySelectorAll('[data-tour-target]').length;",
            vec![]
        )
        .await,
        json!(0)
    );
    let model = js(&c, "return document.querySelector('#model').value;", vec![]).await;
    assert!(model.as_str().unwrap().contains("attn2"), "{model}");
    wait_for(&c, "#checkpoint-scores[data-step='937']", 10).await;
}

/// A link to a step opens the page on that step, with its state, even on a first visit.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built site and chromedriver: run by cargo xtask test"]
async fn a_link_opens_the_tour_at_its_step() {
    let site = Site::start();
    let c = site.browser().await;
    c.goto(&format!("{}#tour-5", site.url())).await.unwrap();
    set_viewport(&c, 1440, 900).await;
    wait_ready(&c).await;
    at_step(&c, 5).await;
    // No first visit's run of its own, and no complaint about the link.
    assert_eq!(
        js(
            &c,
            "return document.documentElement.dataset.firstVisit || '';",
            vec![]
        )
        .await,
        json!("")
    );
    assert_eq!(text(&c, ".messages").await, "");
}
