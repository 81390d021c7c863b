//! A worker that panics mid-run: noticed, replaced, given the model again from the cache, and the
//! next Run the same as before.

use crate::harness::{
    Site, click, crash_worker, policy_violations, run, set_value, start_long_run, text, value,
    wait_for, wait_ready,
};

/// A worker that panics mid-run is noticed, replaced and given the model again (from the
/// browser's cache); the page says what happened and the next Run gives the same completion.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built site and chromedriver: run by cargo xtask test"]
async fn a_crashed_worker_is_restarted_and_run_works_again() {
    let site = Site::start();
    let c = site.open_ready(None).await;
    let before = run(&c).await;
    let max_tokens = value(&c, "#max-tokens").await;
    start_long_run(&c).await;
    crash_worker(&c).await;
    wait_ready(&c).await;
    let cached = wait_for(&c, "[data-model=ready]", 5)
        .await
        .attr("data-cached")
        .await
        .unwrap();
    assert_eq!(
        cached.as_deref(),
        Some("true"),
        "the new worker reads the cache"
    );
    assert_eq!(text(&c, "#status").await, "Ready.");
    set_value(&c, "#max-tokens", &max_tokens).await;
    click(&c, "#stop-newline").await;
    assert_eq!(
        run(&c).await,
        before,
        "the next run works as before the crash"
    );
    assert_eq!(policy_violations(&c).await, Vec::<String>::new());
    c.close().await.unwrap();
}
