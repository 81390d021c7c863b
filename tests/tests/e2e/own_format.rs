//! Examples in a format of the visitor's own, through the template editor, answered as the
//! native model answers.

use std::time::{Duration, Instant};

use serde_json::json;

use crate::harness::{Site, js, native_greedy, native_model, run, set_value, text, value};

/// A visitor writes examples in a format of their own: the template editor offers formats
/// the learner was trained on; picking `stone -> enots` rewrites the preview in it, the
/// default model (the learner) answers in it as it does natively, the fields show the
/// format's parts, and a field edited away from the list reads as the visitor's own format.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built site and chromedriver: run by cargo xtask test"]
async fn a_visitor_writes_examples_in_a_format_of_their_own() {
    let site = Site::start();
    let model = native_model();
    let c = site.open_ready(None).await;
    let offered = js(
        &c,
        "return [...document.querySelectorAll('#format option')].map(o => o.textContent);",
        vec![],
    )
    .await;
    let offered: Vec<&str> = offered
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(
        offered.len() >= 6 && offered[0] == "in: stone⏎out: enots⏎",
        "{offered:?}"
    );
    js(
        &c,
        "const s = document.querySelector('#format');
         s.value = [...s.options].find(o => o.textContent === arguments[0]).value;
         s.dispatchEvent(new Event('change', { bubbles: true }));",
        vec![json!("stone -> enots⏎")],
    )
    .await;
    let started = Instant::now();
    let mut prompt = text(&c, "#preview").await;
    while !prompt.contains(" -> ") && started.elapsed() < Duration::from_secs(10) {
        tokio::time::sleep(Duration::from_millis(100)).await;
        prompt = text(&c, "#preview").await;
    }
    // The first visit's rule, one the learner never saw (vowels in capitals).
    assert_eq!(
        prompt,
        "stuck -> stUck\nmystery -> mystEry\nwater -> wAtEr\ntake -> tAkE\nsimple -> sImplE\nvolcano -> vOlcAnO\ntype -> typE\nkeen -> kEEn\nalive ->"
    );
    assert_eq!(value(&c, "#input-prefix").await, "");
    assert_eq!(value(&c, "#after-input").await, "");
    assert_eq!(value(&c, "#output-prefix").await, " -> ");
    assert_eq!(value(&c, "#separator").await, "\\n");
    let shown = run(&c).await;
    let (native, ids) = native_greedy(&model, &prompt);
    assert_eq!((shown.text.as_str(), &shown.ids), (native.as_str(), &ids));
    assert_eq!(shown.text.trim(), "AlIvE");
    assert_eq!(shown.matched, Some(true));
    set_value(&c, "#output-prefix", " ~> ").await;
    let started = Instant::now();
    while !value(&c, "#format").await.is_empty() && started.elapsed() < Duration::from_secs(10) {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(text(&c, "#preview").await.contains("stuck ~> stUck\n"));
    assert_eq!(text(&c, "#format option:checked").await, "(your own)");
}
