//! Training in the tab: Train, Pause and Resume on the live preset, and an induction head forming
//! within a minute.

use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use icl_model::net::backend::Backend;
use icl_tests::{TRAINER_WASM, WORKER_WASM};
use serde_json::json;

use crate::harness::{
    Site, assert_no_long_task, click, compare_by_model, downloaded, js, policy_violations, run,
    text, value, wait_for, watch_long_tasks,
};

/// The step the live run reports, and whether it is training.
async fn live_step(c: &Client) -> (usize, bool) {
    let v = js(
        c,
        "const e = document.querySelector('#live-status'); return [e.dataset.step || '0', e.dataset.training];",
        vec![],
    )
    .await;
    (
        v[0].as_str().unwrap().parse().unwrap_or(0),
        v[1] == json!("true"),
    )
}

/// Press Train on the 2-layer live preset: the status and chart move, Pause stops the step
/// counter within a step, Resume continues it, and within a minute of training the head
/// table shows an induction score past 0.4 with the phase change marked.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built site and chromedriver: run by cargo xtask test"]
async fn live_training_forms_an_induction_head_in_the_tab() {
    let site = Site::start();
    let c = site.open_ready(None).await;
    // The first load runs the model without the training code: the trainer worker's wasm is
    // fetched only when the visitor trains.
    assert!(site.server.was_requested(WORKER_WASM));
    assert!(
        !site.server.was_requested(TRAINER_WASM),
        "the first visit fetched the training code"
    );
    watch_long_tasks(&c).await;
    click(&c, "#live-train").await;
    wait_for(&c, "#live-chart", 30).await;
    assert!(
        site.server.was_requested(TRAINER_WASM),
        "Train fetched the training code"
    );
    tokio::time::sleep(Duration::from_secs(2)).await;
    click(&c, "#live-pause").await;
    wait_for(&c, "#live-status[data-training=false]", 10).await;
    let (paused_at, _) = live_step(&c).await;
    assert!(paused_at > 0);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        live_step(&c).await,
        (paused_at, false),
        "Pause stops the steps"
    );
    assert_eq!(text(&c, "#live-train").await, "Resume");
    click(&c, "#live-train").await;
    c.wait()
        .at_most(Duration::from_secs(30))
        .every(Duration::from_millis(100))
        .for_element(Locator::Css("#live-status[data-training=true]"))
        .await
        .unwrap();
    let started = Instant::now();
    wait_for(&c, "#live-formed", 150).await;
    let status = text(&c, "#live-status").await;
    println!(
        "live training: induction head formed ({} s of wall time after resuming): {status}",
        started.elapsed().as_secs()
    );
    let (formed_at, _) = live_step(&c).await;
    assert!(formed_at > paused_at, "Resume continued the run");
    let top: f64 = js(
        &c,
        "return Math.max(...[...document.querySelectorAll('#live-heads tbody tr td:nth-child(2)')].map(t => Number(t.textContent)));",
        vec![],
    )
    .await
    .as_f64()
    .unwrap();
    assert!(top >= 0.4, "the head table shows the induction head: {top}");
    // The top induction head's pattern on a repeated string is drawn (one image, from data).
    let pattern = js(
        &c,
        "const i = document.querySelector('#live-pattern img'); return i.complete && i.naturalWidth > 0 && i.src.startsWith('data:image/bmp') ? i.naturalWidth : 0;",
        vec![],
    )
    .await;
    assert!(pattern.as_u64().unwrap_or(0) > 10, "pattern: {pattern}");
    click(&c, "#live-pause").await;
    wait_for(&c, "#live-status[data-training=false]", 10).await;
    assert_eq!(policy_violations(&c).await, Vec::<String>::new());
    assert_no_long_task(&c, "training").await;

    // The live model is a model of the page: it completes a prompt.
    js(
        &c,
        "const s = document.querySelector('#model'); s.value = 'live'; s.dispatchEvent(new Event('change', { bubbles: true })); return 0;",
        vec![],
    )
    .await;
    let live_run = run(&c).await;
    assert!(!live_run.ids.is_empty(), "the live model completes");
    // Compare by model: the live model is a row beside the shipped ones (attn2 among them).
    let rows: Vec<String> = compare_by_model(&c)
        .await
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r[0].as_str().unwrap().to_string())
        .collect();
    assert!(
        rows.iter().any(|r| r.contains("live")) && rows.iter().any(|r| r.contains("attn2")),
        "{rows:?}"
    );
    // Download weights: the project's weight file of the live model at that step.
    let (at, _) = live_step(&c).await;
    click(&c, "#live-export").await;
    let name = wait_for(&c, "#live-download", 30)
        .await
        .attr("download")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(name, format!("live2_step{at}.bin"));
    let bytes = downloaded(&name).await;
    let (model, info) = icl_model::net::weights::from_bytes(&bytes, &Backend::Flex.device())
        .expect("the downloaded file is a weight file");
    assert_eq!(model.config.n_layers, 2);
    assert_eq!(info.info.get("step"), Some(&at.to_string()));

    // A link carries the run: a fresh visitor's tab trains it again to the same step and
    // reaches the same weights (the same head scores and repeated-string losses).
    let (step, _) = live_step(&c).await;
    let table = text(&c, "#live-heads tbody").await;
    let losses = js(
        &c,
        "return document.querySelector('#live-status').dataset.copyLosses;",
        vec![],
    )
    .await;
    click(&c, "#share").await;
    let link = value(&c, "#share-url").await;
    c.close().await.unwrap();
    let fresh = site.open_ready(Some(&link)).await;
    fresh
        .wait()
        .at_most(Duration::from_secs(150))
        .every(Duration::from_millis(200))
        .for_element(Locator::Css(&format!(
            "#live-status[data-training=false][data-step='{step}']"
        )))
        .await
        .expect("the link's run is trained again to its step");
    assert_eq!(text(&fresh, "#live-heads tbody").await, table);
    assert_eq!(
        js(
            &fresh,
            "return document.querySelector('#live-status').dataset.copyLosses;",
            vec![]
        )
        .await,
        losses
    );
    fresh.close().await.unwrap();
}
