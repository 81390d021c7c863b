//! "In context or in weights?": the default model tuned on a visitor's examples of a rule it gets
//! wrong in context; Stop, Reset, the tuned model's weight file, and a link that tunes the
//! same weights again in a fresh tab.

use std::time::Instant;

use fantoccini::Client;
use icl_model::net::backend::Backend;
use icl_model::train::tune::{MAX_STEPS, TuneSettings};
use serde_json::json;

use crate::harness::{
    Site, assert_no_long_task, click, downloaded, js, policy_violations, run, screenshot,
    set_value, text, value, wait_for, watch_long_tasks,
};

/// Six examples of "a dash between the letters", a visitor's rule of their own: with them in
/// the prompt it answers the query wrong (natively it swaps two letters, ` l-i-g-t-h`); tuned on
/// them with the page's default settings it answers right (measured on the shipped weights;
/// the same holds for `music`, ` m-u-s-c-i` in context).
const EXAMPLES: [(&str, &str); 6] = [
    ("stone", "s-t-o-n-e"),
    ("river", "r-i-v-e-r"),
    ("cloud", "c-l-o-u-d"),
    ("apple", "a-p-p-l-e"),
    ("grape", "g-r-a-p-e"),
    ("lemon", "l-e-m-o-n"),
];
const QUERY: (&str, &str) = ("light", "l-i-g-h-t");

/// Sets a field's value and tells the page it changed (the tune's fields listen to `change`).
async fn change(c: &Client, css: &str, value: &str) {
    js(
        c,
        "const e = document.querySelector(arguments[0]); e.value = arguments[1];
         e.dispatchEvent(new Event('change', { bubbles: true }));",
        vec![json!(css), json!(value)],
    )
    .await;
}

/// Each column's query completion and exact match, by column name.
async fn table(c: &Client) -> serde_json::Value {
    js(
        c,
        "const r = {};
         for (const td of document.querySelectorAll('#side-table tr[data-row=\"0\"] td')) r[td.dataset.column] = [td.dataset.text];
         for (const td of document.querySelectorAll('#side-table tr[data-row=\"1\"] td')) r[td.dataset.column].push(td.dataset.exact);
         return r;",
        vec![],
    )
    .await
}

/// Waits for the tune to end at `step`; the losses it reported.
async fn tuned_to(c: &Client, step: usize, secs: u64) -> String {
    let css = format!("#tune-status[data-running=false][data-step='{step}']");
    let status = wait_for(c, &css, secs).await;
    wait_for(c, "#side-table", 30).await;
    status
        .attr("data-losses")
        .await
        .unwrap()
        .unwrap_or_default()
}

/// Picks a model in the picker, as a visitor does.
async fn pick_model(c: &Client, id: &str) {
    change(c, "#model", id).await;
}

/// The examples of a rule the learner gets wrong in context become right when tuned on them;
/// the tuned model is a model of every panel until Reset; Stop ends a long tune early; the
/// weight file downloads; a link tunes the same weights again in a fresh tab.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built site and chromedriver: run by cargo xtask test"]
async fn a_tune_learns_in_weights_what_the_learner_misses_in_context() {
    let started = Instant::now();
    let site = Site::start();
    let c = site.open_ready(None).await;
    watch_long_tasks(&c).await;
    // As many example rows as EXAMPLES, whatever the page opened with.
    loop {
        let rows = js(
            &c,
            "return document.querySelectorAll('#examples li').length;",
            vec![],
        )
        .await
        .as_u64()
        .unwrap() as usize;
        match rows.cmp(&EXAMPLES.len()) {
            std::cmp::Ordering::Less => click(&c, "#add-example").await,
            std::cmp::Ordering::Greater => {
                click(&c, "#examples li:last-child button[title=Remove]").await;
            }
            std::cmp::Ordering::Equal => break,
        }
    }
    for (i, (x, y)) in EXAMPLES.iter().enumerate() {
        let row = format!("#examples li:nth-child({})", i + 1);
        set_value(&c, &format!("{row} .ex-in"), x).await;
        set_value(&c, &format!("{row} .ex-out"), y).await;
    }
    set_value(&c, "#query", QUERY.0).await;
    set_value(&c, "#expected", QUERY.1).await;
    let prompt: String = EXAMPLES
        .iter()
        .map(|(x, y)| format!("in: {x}\nout: {y}\n"))
        .chain([format!("in: {}\nout:", QUERY.0)])
        .collect();
    assert_eq!(
        text(&c, "#preview").await,
        prompt,
        "the prompt the comment measured"
    );
    let steps = TuneSettings::default().steps;
    assert_eq!(value(&c, "#tune-steps").await, steps.to_string());

    // Tune with the page's defaults: in context wrong, in weights right.
    click(&c, "#tune-start").await;
    let tune_started = Instant::now();
    let losses = tuned_to(&c, steps, 300).await;
    let tune_s = tune_started.elapsed().as_secs_f64();
    let cells = table(&c).await;
    println!("tune of {steps} steps in {tune_s:.1} s: {cells}");
    let answer = format!(" {}", QUERY.1);
    assert_eq!(cells["in context"][1], "false", "{cells}");
    assert_eq!(cells["in weights"], json!([answer, "true"]), "{cells}");
    js(
        &c,
        "document.querySelector('#tune').scrollIntoView(); return 0;",
        vec![],
    )
    .await;
    for width in [375, 1440] {
        screenshot(&c, "in-weights", width).await;
    }
    assert_eq!(losses.split(' ').count(), {
        let every = steps.div_ceil(icl_model::train::tune::POINTS);
        steps.div_ceil(every)
    });
    // The table saves as CSV, one row per column; the in-context curve on the examples is
    // drawn beside the tune's.
    click(&c, ".side-by-side .export-csv").await;
    let default = icl_tests::default_model();
    let csv =
        String::from_utf8(downloaded(&format!("in-context-or-in-weights_{default}.csv")).await)
            .unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows.len(), 5, "{csv}");
    assert!(
        rows[3].starts_with(&format!("in weights,{answer},true,")),
        "{csv}"
    );
    wait_for(&c, "#tune-chart", 5).await;
    click(&c, "#tune-measure").await;
    wait_for(&c, "#tune-icl-chart", 60).await;

    // The tuned model is a model of the page: Run answers with it (the examples in the
    // prompt: the table's "both"); checkpoints do not apply.
    let tuned_name = text(&c, "#model option[value=tuned]").await;
    assert!(
        tuned_name.contains("tuned on your examples"),
        "{tuned_name}"
    );
    pick_model(&c, "tuned").await;
    let both = cells["both"][0].as_str().unwrap().to_string();
    assert_eq!(run(&c).await.text, both);
    assert_eq!(
        text(&c, "#training").await,
        "",
        "no checkpoints for the tuned model"
    );

    // Download: the project's weight file of the tuned model.
    click(&c, "#tune-export").await;
    let name = wait_for(&c, "#tune-download", 30)
        .await
        .attr("download")
        .await
        .unwrap()
        .unwrap();
    let bytes = downloaded(&name).await;
    let (_, info) = icl_model::net::weights::from_bytes(&bytes, &Backend::Flex.device())
        .expect("the downloaded file is a weight file");
    assert_eq!(info.info.get("steps"), Some(&steps.to_string()));
    assert_eq!(
        info.info.get("tuned from").map(String::as_str),
        Some(default.as_str())
    );

    // The link carries the tune.
    click(&c, "#share").await;
    let link = value(&c, "#share-url").await;

    // Stop: a tune of the most steps ends early, its weights those of the step it reached.
    change(&c, "#tune-steps", &MAX_STEPS.to_string()).await;
    click(&c, "#tune-start").await;
    wait_for(&c, "#tune-status[data-running=true]", 10).await;
    assert_eq!(
        value(&c, "#model").await,
        default,
        "off the tuned model it replaces"
    );
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    click(&c, "#tune-stop").await;
    let stopped = wait_for(
        &c,
        "#tune-status[data-running=false][data-stopped=true]",
        60,
    )
    .await;
    let at: usize = stopped
        .attr("data-step")
        .await
        .unwrap()
        .unwrap()
        .parse()
        .unwrap();
    assert!(at < MAX_STEPS, "stopped at {at}");
    println!("stopped at step {at} of {MAX_STEPS}");

    // Reset: the tuned model and the table go.
    click(&c, "#tune-reset").await;
    wait_for(&c, "#tune-status[data-step='']", 10).await;
    assert_eq!(text(&c, "#model option[value=tuned]").await, "");
    assert_eq!(text(&c, "#side-table").await, "");
    assert_eq!(policy_violations(&c).await, Vec::<String>::new());
    assert_no_long_task(&c, "tuning").await;
    c.close().await.unwrap();

    // A fresh visitor's tab tunes the same weights again from the link: the same losses at
    // the same steps, the same answers, and it opens on the tuned model.
    let fresh = site.open_ready(Some(&link)).await;
    assert_eq!(tuned_to(&fresh, steps, 300).await, losses);
    assert_eq!(table(&fresh).await, cells);
    wait_for(&fresh, "#model option[value=tuned]", 10).await;
    assert_eq!(value(&fresh, "#model").await, "tuned");
    assert_eq!(run(&fresh).await.text, both);
    fresh.close().await.unwrap();
    println!(
        "in context or in weights: {:.0} s in all",
        started.elapsed().as_secs_f64()
    );
}
