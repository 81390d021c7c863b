//! A first visit opens on learning: a rule the model never saw, already run, its answer and
//! its ICL curve on the first screen before the visitor presses anything.

use fantoccini::Client;
use serde_json::json;

use crate::harness::{
    FIRST_VISIT_DONE, Site, js, screenshot_at, set_viewport, text, value, wait_for, wait_ready,
};

/// Where the elements `css` selects lie in the window: the highest top and the lowest bottom
/// among them, and the window's height.
async fn placed(c: &Client, css: &str) -> (f64, f64, f64) {
    let v = js(
        c,
        "const rs = [...document.querySelectorAll(arguments[0])].map(e => e.getBoundingClientRect());
         return [Math.min(...rs.map(r => r.top)), Math.max(...rs.map(r => r.bottom)), window.innerHeight];",
        vec![json!(css)],
    )
    .await;
    let n = |i: usize| v[i].as_f64().unwrap();
    (n(0), n(1), n(2))
}

/// A fresh profile at 1440 × 900: without a click the page runs a held-out rule (vowels in
/// capitals) from its eight examples and measures its curve; the right answer and the curve's
/// points lie inside the window. At 375 px the answer is on the same screen as Run.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built site and chromedriver: run by cargo xtask test"]
async fn a_first_visit_opens_on_a_rule_learned_from_examples() {
    let site = Site::start();
    let c = site.browser().await;
    c.goto(&site.url()).await.unwrap();
    set_viewport(&c, 1440, 900).await;
    wait_ready(&c).await;
    assert_eq!(js(&c, FIRST_VISIT_DONE, vec![]).await, json!(true));
    let done = wait_for(&c, "#completion[data-state=done]", 10).await;
    assert_eq!(
        done.attr("data-text").await.unwrap().as_deref(),
        Some(" AlIvE")
    );
    assert_eq!(
        wait_for(&c, "#verdict", 10)
            .await
            .attr("data-match")
            .await
            .unwrap()
            .as_deref(),
        Some("true")
    );
    // The k field says how many examples the preset wrote.
    assert_eq!(value(&c, "#shots").await, "8");
    // The picker names the rule and its group.
    assert_eq!(
        text(&c, "#preset option:checked").await,
        "A rule the model never saw"
    );
    let group = js(
        &c,
        "return document.querySelector('#preset option:checked').parentElement.label;",
        vec![],
    )
    .await;
    assert_eq!(group, json!("The model learns it from your examples"));
    let points = js(
        &c,
        "return document.querySelectorAll('#curve-preview circle.pt').length;",
        vec![],
    )
    .await;
    assert!(points.as_u64().unwrap() >= 8, "{points}");
    let full = js(
        &c,
        "return document.querySelectorAll('#curve-chart circle.pt').length;",
        vec![],
    )
    .await;
    assert_eq!(full, points, "the full chart draws the same curve");
    screenshot_at(&c, "first-visit", 1440, 900).await;
    // The answer, and the points of the small curve under it (the full chart is further
    // down).
    for css in ["#completion", "#curve-preview circle.pt"] {
        let (top, bottom, height) = placed(&c, css).await;
        assert!(
            top >= 0.0 && bottom <= height,
            "{css} lies at {top}…{bottom}, the window is {height} px high"
        );
    }
    // A phone: the answer is on the screen that shows Run.
    screenshot_at(&c, "first-visit", 375, 812).await;
    let (run_top, _, _) = placed(&c, "#run").await;
    let (_, answer_bottom, height) = placed(&c, "#completion").await;
    assert!(
        answer_bottom - run_top <= height,
        "Run at {run_top}, the answer ends at {answer_bottom}: more than a {height} px screen apart"
    );
}
