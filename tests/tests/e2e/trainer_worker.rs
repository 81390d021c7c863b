//! The trainer worker (the training code, fetched on the first Train or Tune) fails without
//! taking the page down: a crash mid-training replaces it, and training code that cannot be
//! fetched is said clearly while the page keeps running on the inference worker.

use icl_tests::TRAINER_WASM;

use crate::harness::{
    Site, click, copy_dir, crash_worker, dist, policy_violations, run, wait_for, wait_ready,
};

/// Training starts the trainer worker; a panic in it is noticed, a new trainer worker gets the
/// model again, Run works and Train trains again.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built site and chromedriver: run by cargo xtask test"]
async fn a_crashed_trainer_is_restarted_and_the_page_runs_on() {
    let site = Site::start();
    let c = site.open_ready(None).await;
    click(&c, "#live-train").await;
    wait_for(&c, "#live-status[data-training=true]", 60).await;
    crash_worker(&c).await;
    wait_for(&c, "#live-status[data-training=false]", 30).await;
    wait_ready(&c).await;
    assert!(!run(&c).await.text.is_empty(), "Run works after the crash");
    click(&c, "#live-train").await;
    wait_for(&c, "#live-status[data-training=true]", 60).await;
    assert_eq!(policy_violations(&c).await, Vec::<String>::new());
    c.close().await.unwrap();
}

/// With the trainer worker's files gone (a site half-deployed, or offline before any
/// training), Train says the training code could not start and the page runs on.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built site and chromedriver: run by cargo xtask test"]
async fn training_code_that_cannot_be_fetched_is_said_and_the_page_runs_on() {
    let root = std::env::temp_dir().join(format!("icl-e2e-no-trainer-{}", std::process::id()));
    copy_dir(&dist(), &root);
    let stem = TRAINER_WASM.trim_end_matches("_bg.wasm");
    for file in [
        format!("{stem}_loader.js"),
        format!("{stem}.js"),
        TRAINER_WASM.into(),
    ] {
        std::fs::remove_file(root.join(file)).unwrap();
    }
    let site = Site::start_at(&root);
    let c = site.open_ready(None).await;
    click(&c, "#live-train").await;
    let msg = wait_for(&c, "#messages", 30).await.text().await.unwrap();
    assert!(msg.contains("the training code could not start"), "{msg}");
    wait_for(&c, "#live-status[data-training=false]", 30).await;
    wait_ready(&c).await;
    assert!(
        !run(&c).await.text.is_empty(),
        "Run works without the trainer"
    );
    c.close().await.unwrap();
    let _ = std::fs::remove_dir_all(&root);
}
