//! End to end in a real browser: the built site, served on 127.0.0.1, driven in headless
//! Chromium through WebDriver. Run by `cargo xtask test`, which builds the site first
//! (`ICL_DIST` points at it) and installs Chromium and chromedriver.

use std::path::PathBuf;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use icl_model::backend::Backend;
use icl_model::manifest::{MANIFEST_FILE, Manifest};
use icl_model::sampling::{SamplingConfig, complete};
use icl_model::weights::load_verified;
use icl_tests::{ChromeDriver, StaticServer, repo_root};

fn dist() -> PathBuf {
    let dir = std::env::var_os("ICL_DIST").map_or_else(|| repo_root().join("dist"), PathBuf::from);
    assert!(
        dir.join("index.html").exists(),
        "no built site at {} (run cargo xtask test)",
        dir.display()
    );
    dir
}

async fn browser(driver: &ChromeDriver) -> Client {
    ClientBuilder::rustls()
        .expect("TLS roots load")
        .capabilities(ChromeDriver::capabilities())
        .connect(&driver.url())
        .await
        .expect("a WebDriver session starts")
}

async fn wait_for(c: &Client, css: &str, secs: u64) -> fantoccini::elements::Element {
    c.wait()
        .at_most(Duration::from_secs(secs))
        .every(Duration::from_millis(100))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css} did not appear within {secs} s: {e}"))
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built site and chromedriver: run by cargo xtask test"]
async fn typed_prompt_gets_the_native_greedy_completion() {
    let dist = dist();
    let server = StaticServer::start(&dist, "127.0.0.1:0").expect("server starts");
    let driver = ChromeDriver::start().expect("chromedriver starts");
    let c = browser(&driver).await;
    c.goto(&server.url()).await.unwrap();

    // The worker fetches, verifies and loads the model.
    let status = wait_for(&c, "[data-model=ready], [data-model=failed]", 120).await;
    if status.attr("data-model").await.unwrap().as_deref() != Some("ready") {
        panic!("the model did not load: {}", status.text().await.unwrap());
    }

    let prompt = "in: apple\nout: elppa\nin: lemon\nout:";
    let area = c.find(Locator::Css("#prompt")).await.unwrap();
    area.clear().await.unwrap();
    area.send_keys(prompt).await.unwrap();
    assert_eq!(
        area.prop("value").await.unwrap().as_deref(),
        Some(prompt),
        "typing reached the box"
    );
    c.find(Locator::Css("#run"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let done = wait_for(&c, "#completion[data-state=done]", 120).await;
    let shown = done.attr("data-text").await.unwrap().unwrap_or_default();
    let mut shown_ids = Vec::new();
    for t in c
        .find_all(Locator::Css("#completion .token"))
        .await
        .unwrap()
    {
        shown_ids.push(
            t.attr("data-id")
                .await
                .unwrap()
                .unwrap()
                .parse::<u32>()
                .unwrap(),
        );
    }
    let status = c
        .find(Locator::Css("[role=status]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    c.close().await.unwrap();

    // The same weights and prompt, natively.
    let models = dist.join("models");
    let manifest =
        Manifest::parse(&std::fs::read_to_string(models.join(MANIFEST_FILE)).unwrap()).unwrap();
    let entry = &manifest.models[0];
    let bytes = std::fs::read(models.join(&entry.file)).unwrap();
    let (model, _) =
        load_verified(&bytes, entry.bytes, &entry.sha256, &Backend::Flex.device()).unwrap();
    let native = complete(&model, prompt, SamplingConfig::default(), None).unwrap();
    let native_ids: Vec<u32> = native.tokens.iter().map(|t| t.id).collect();

    assert_eq!(shown, native.text, "browser and native completions differ");
    assert_eq!(shown_ids, native_ids);
    assert!(!shown_ids.is_empty());
    assert_eq!(status, "Done.");
}
