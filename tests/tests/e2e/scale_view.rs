//! The Scale view: the "Add two numbers" preset opens it on the ladder's measured sets; its
//! button runs every rung of the ladder on the visitor's prompt (each rung's answer the one
//! its weights give natively), the toggle swaps exact match for per-character accuracy and
//! log-probability, the training-progress slider runs the rungs at their own earlier
//! checkpoints, and the table exports.

use std::time::Instant;

use fantoccini::{Client, Locator};
use icl_model::net::backend::Backend;
use icl_model::net::weights::load_verified;
use icl_model::train::ladder::rung_of;
use icl_model::zoo::manifest::{Manifest, ModelEntry};
use serde_json::json;

use crate::harness::{
    Site, assert_no_long_task, click, dist, downloaded, js, native_greedy, screenshot, text, value,
    wait_for, watch_long_tasks,
};

/// The shipped rungs, smallest first.
fn rungs() -> Vec<ModelEntry> {
    let models = dist().join("models");
    let manifest = Manifest::read(&models).unwrap();
    let mut rungs: Vec<ModelEntry> = manifest
        .models
        .into_iter()
        .filter(|e| rung_of(&e.id).is_some())
        .collect();
    rungs.sort_by_key(|e| rung_of(&e.id));
    rungs
}

/// The labels of a chart's series.
async fn series(c: &Client, chart: &str) -> Vec<String> {
    js(
        c,
        "return [...document.querySelectorAll(`#${arguments[0]} g.series`)].map(g => g.dataset.label);",
        vec![json!(chart)],
    )
    .await
    .as_array()
    .unwrap()
    .iter()
    .map(|v| v.as_str().unwrap().to_string())
    .collect()
}

/// The table's rows: label and cells' text.
async fn table(c: &Client) -> Vec<Vec<String>> {
    serde_json::from_value(
        js(
            c,
            "return [...document.querySelectorAll('#scale-table .scale-row')]
                .map(r => [...r.children].map(x => x.textContent));",
            vec![],
        )
        .await,
    )
    .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built site and chromedriver: run by cargo xtask test"]
async fn the_scale_view_runs_the_ladder_on_the_visitors_sums() {
    let rungs = rungs();
    assert!(rungs.len() >= 5, "{} rungs shipped", rungs.len());
    let site = Site::start();
    let c = site.open_ready(None).await;
    // The picker offers the page's models, not the ladder's rungs.
    let offered = js(
        &c,
        "return [...document.querySelectorAll('#model option')].map(o => o.value);",
        vec![],
    )
    .await;
    assert!(
        offered
            .as_array()
            .unwrap()
            .iter()
            .all(|v| rung_of(v.as_str().unwrap()).is_none()),
        "{offered}"
    );
    watch_long_tasks(&c).await;
    let preset = c.find(Locator::Css("#preset")).await.unwrap();
    preset.select_by_value("addition").await.unwrap();
    // The preset opens the view: the ladder's measured sets come first.
    let started = Instant::now();
    wait_for(&c, "#scale-sets g.series circle.pt", 30).await;
    println!(
        "Scale view: the ladder's curves {} ms after the preset",
        started.elapsed().as_millis()
    );
    let exact = series(&c, "scale-sets").await;
    assert!(
        exact.iter().all(|l| l.ends_with(": exact match")),
        "{exact:?}"
    );
    assert!(
        exact.iter().any(|l| l.starts_with("addition, 3-digit")),
        "{exact:?}"
    );
    assert_eq!(
        series(&c, "scale-loss").await.len(),
        2,
        "the loss and its fit"
    );
    let fit = c
        .find(Locator::Css("#scale-fit"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(fit.starts_with("fit: loss ≈"), "{fit}");

    // Every rung on the visitor's own prompt.
    let started = Instant::now();
    click(&c, "#run-scale").await;
    wait_for(&c, "#scale-prompt g.series circle.pt", 60).await;
    let first = started.elapsed().as_millis();
    wait_for(&c, "#scale-table[data-done=true]", 300).await;
    println!(
        "Scale view: first rung's point {first} ms, every rung {} ms after the button",
        started.elapsed().as_millis()
    );
    let rows = table(&c).await;
    let ids: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    let shipped: Vec<&str> = rungs.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, shipped);
    // The smallest rung's answer is the one its weights give natively on the same prompt.
    let prompt = text(&c, "#preview").await;
    let models = dist().join("models");
    let e = &rungs[0];
    let bytes = std::fs::read(models.join(&e.file)).unwrap();
    let m = load_verified(&bytes, e.bytes, &e.sha256, &Backend::Flex.device())
        .unwrap()
        .0;
    let (native, _) = native_greedy(&m, &prompt);
    assert_eq!(
        rows[0][2], native,
        "the smallest rung's completion in the browser and natively"
    );
    assert!(rows.iter().all(|r| r[3] == "✓" || r[3] == "✗"), "{rows:?}");
    assert!(
        rows.iter().all(|r| r[4].ends_with('%')),
        "every rung has its per-character accuracy: {rows:?}"
    );
    assert_eq!(
        series(&c, "scale-prompt").await,
        ["your query: exact match", "held-out queries: exact match"]
    );

    // The toggle: per-character accuracy (left axis) and log p (right axis, dashed).
    click(&c, "#measure-smooth").await;
    let smooth = series(&c, "scale-sets").await;
    assert_eq!(smooth.len(), 2 * exact.len(), "{smooth:?}");
    assert!(
        smooth
            .iter()
            .any(|l| l == "addition, 3-digit numbers: per-character accuracy"),
        "{smooth:?}"
    );
    assert_eq!(series(&c, "scale-prompt").await.len(), 4);
    js(
        &c,
        "document.querySelector('#scale').scrollIntoView(); return 0;",
        vec![],
    )
    .await;
    screenshot(&c, "scale", 1440).await;
    screenshot(&c, "scale", 375).await;

    // The table saves as CSV: one row per rung.
    click(&c, "#scale-table-export .export-csv").await;
    let model = value(&c, "#model").await;
    let csv = String::from_utf8(downloaded(&format!("scale-table_{model}.csv")).await).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), rungs.len() + 1, "{csv}");
    assert!(lines[0].starts_with("rung,parameters,completion,"), "{csv}");
    for (line, e) in lines[1..].iter().zip(&rungs) {
        assert!(
            line.starts_with(&format!("{},{},", e.id, e.params)),
            "{line}"
        );
    }

    // Training progress: the first stage runs every rung at its own first checkpoint.
    js(
        &c,
        "const s = document.querySelector('#scale-stage'); s.value = '0';
         s.dispatchEvent(new Event('change', { bubbles: true })); return 0;",
        vec![],
    )
    .await;
    wait_for(&c, "#scale-table[data-done=false]", 10).await;
    wait_for(&c, "#scale-table[data-done=true]", 300).await;
    let early = table(&c).await;
    for (row, e) in early.iter().zip(&rungs) {
        let step = e.checkpoints[0].step;
        assert_eq!(row[0], format!("{} @ step {step}", e.id));
    }
    assert_no_long_task(&c, "the rungs loaded and ran").await;
    c.close().await.ok();
}
