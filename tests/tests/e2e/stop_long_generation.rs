//! Stop during a long generation, the notices for unknown characters and truncation, and the
//! main thread kept free while the worker generates.

use fantoccini::Locator;

use crate::harness::{
    Site, assert_no_long_task, click, js, run, set_value, start_long_run, text, wait_for,
    watch_long_tasks,
};

/// Stop ends a long generation within a token step, and the next Run works.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built site and chromedriver: run by cargo xtask test"]
async fn stop_ends_a_long_generation_and_run_works_again() {
    let site = Site::start();
    let c = site.open_ready(None).await;
    watch_long_tasks(&c).await;
    // The most the page allows: with the lean decoder a shorter run could end before Stop.
    set_value(&c, "#temperature", "1").await;
    start_long_run(&c).await;
    click(&c, "#stop").await;
    let done = wait_for(&c, "#completion[data-state=done]", 30).await;
    let reason = text(&c, ".completion-reason, #completion-h ~ .meta").await;
    let n = c
        .find_all(Locator::Css("#completion .token"))
        .await
        .unwrap()
        .len();
    eprintln!("stopped after {n} of 4096 tokens");
    assert!(n < 4096, "stopped after {n} tokens");
    assert!(reason.contains("stopped"), "{reason}");
    assert!(done.attr("data-text").await.unwrap().is_some());
    let again = run(&c).await;
    assert!(!again.ids.is_empty());
    // Ctrl+Enter in a field runs too.
    js(
        &c,
        "document.querySelector('#completion').removeAttribute('data-state');",
        vec![],
    )
    .await;
    c.find(Locator::Css("#query"))
        .await
        .unwrap()
        .send_keys("\u{E009}\u{E007}")
        .await
        .unwrap();
    wait_for(&c, "#completion[data-state=done]", 60).await;
    assert_no_long_task(&c, "generating").await;

    // Characters outside the alphabet and prompts past the window get notices.
    click(&c, "#tab-raw").await;
    set_value(&c, "#prompt", "in: é€\nout:").await;
    let unknown = wait_for(&c, "#unknown-chars", 10)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        unknown.starts_with("Characters outside the model's alphabet") && unknown.contains("): 2."),
        "{unknown}"
    );
    set_value(&c, "#prompt", &"in: abc\nout: cba\n".repeat(200)).await;
    let over = wait_for(&c, "#too-long", 10).await.text().await.unwrap();
    assert!(over.contains("will be left out"), "{over}");
    c.close().await.unwrap();
}
