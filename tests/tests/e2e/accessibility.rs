//! axe-core's WCAG 2.1 A and AA checks through the page's states, and a focus outline on every
//! control Tab reaches.

use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use icl_tests::ChromeDriver;
use serde_json::json;

use crate::harness::{
    Site, click, js, press_tab, run, screenshot, start_long_run, wait_for, wait_ready,
};

/// axe-core's WCAG 2.1 A and AA violations on the page as it is now ("rule: elements").
pub(crate) async fn axe_violations(c: &Client) -> Vec<String> {
    let path =
        std::env::var("ICL_AXE").expect("ICL_AXE names axe.min.js (cargo xtask test sets it)");
    let src = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    js(c, &format!("{src}\nreturn typeof window.axe;"), vec![]).await;
    let found = js(
        c,
        "return window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
           .then(r => r.violations.map(v => v.id + ': ' + v.nodes.slice(0, 4).map(n => n.target.join(' ')).join(', ')));",
        vec![],
    )
    .await;
    found
        .as_array()
        .expect("axe returns its violations")
        .iter()
        .map(|v| v.as_str().unwrap_or_default().to_string())
        .collect()
}

/// axe-core finds nothing at first load, once the model is ready, during generation, with the
/// explain panels showing, and with an error message shown.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built site and chromedriver: run by cargo xtask test"]
async fn accessibility_checks_find_nothing() {
    let site = Site::start();
    let c = site.browser().await;
    c.goto(&site.url()).await.unwrap();
    wait_for(&c, "#query", 30).await;
    let mut found = Vec::new();
    found.push(("first load", axe_violations(&c).await));
    wait_ready(&c).await;
    found.push(("model ready", axe_violations(&c).await));
    start_long_run(&c).await;
    found.push(("generating", axe_violations(&c).await));
    click(&c, "#stop").await;
    wait_for(&c, "#completion[data-state=done]", 30).await;
    wait_for(&c, "#heads .head", 60).await;
    js(
        &c,
        "document.querySelectorAll('details').forEach(d => d.open = true); return 0;",
        vec![],
    )
    .await;
    found.push(("explain panels", axe_violations(&c).await));
    // Every control Tab reaches shows where focus is.
    let mut without_outline = Vec::new();
    for _ in 0..60 {
        press_tab(&c).await;
        let shown = js(
            &c,
            "const e = document.activeElement; const s = getComputedStyle(e);
             return [e.id || e.className || e.tagName, s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0];",
            vec![],
        )
        .await;
        if shown[1] == json!(false) {
            without_outline.push(shown[0].to_string());
        }
    }
    assert!(
        without_outline.is_empty(),
        "no visible focus on {without_outline:?}"
    );
    c.goto(&format!("{}#not-a-link", site.url())).await.unwrap();
    wait_for(&c, "#messages", 30).await;
    found.push(("error shown", axe_violations(&c).await));
    let failures: Vec<String> = found
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(when, v)| format!("{when}: {v:?}"))
        .collect();
    assert!(
        failures.is_empty(),
        "axe-core found:\n{}",
        failures.join("\n")
    );
    c.close().await.unwrap();
}

/// With the system's dark preference the page takes its dark palette, and axe-core finds no
/// contrast it lacks once the explain panels show (the other checks do not depend on colours
/// and run in light mode above).
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built site and chromedriver: run by cargo xtask test"]
async fn dark_mode_follows_the_system_and_keeps_contrast() {
    let site = Site::start();
    let mut caps = ChromeDriver::capabilities();
    caps["goog:chromeOptions"]["args"]
        .as_array_mut()
        .expect("the capabilities list Chromium's arguments")
        .push(json!("--force-dark-mode"));
    let c = ClientBuilder::new(HttpConnector::new())
        .capabilities(caps)
        .connect(&site.driver.url())
        .await
        .expect("a WebDriver session starts");
    c.goto(&site.url()).await.unwrap();
    wait_ready(&c).await;
    let looks = js(
        &c,
        "return [matchMedia('(prefers-color-scheme: dark)').matches,
                 getComputedStyle(document.body).backgroundColor,
                 getComputedStyle(document.body).color];",
        vec![],
    )
    .await;
    assert_eq!(
        looks,
        json!([true, "rgb(13, 17, 23)", "rgb(230, 237, 243)"]),
        "the dark palette"
    );
    run(&c).await;
    wait_for(&c, "#heads .head", 60).await;
    js(
        &c,
        "document.querySelectorAll('details').forEach(d => d.open = true);
         document.querySelector('#heads').scrollIntoView(); return 0;",
        vec![],
    )
    .await;
    screenshot(&c, "dark", 1440).await;
    let contrast: Vec<String> = axe_violations(&c)
        .await
        .into_iter()
        .filter(|v| v.contains("contrast"))
        .collect();
    assert!(
        contrast.is_empty(),
        "axe-core found in dark mode: {contrast:?}"
    );
    c.close().await.unwrap();
}
