//! Damaged weights fail clearly and are never cached; good ones are cached, and the page opens
//! and completes with the site unreachable.

use fantoccini::{Client, Locator};
use icl_model::zoo::manifest::{MANIFEST_FILE, Manifest};

use crate::harness::{Site, click, copy_dir, dist, run, text, wait_for, wait_ready};

/// URLs in the page's model cache.
async fn cached_urls(c: &Client) -> Vec<String> {
    c.execute_async(
        "const done = arguments[arguments.length - 1];
         caches.open('icl-playground-models').then(c => c.keys())
           .then(k => done(k.map(r => r.url))).catch(e => done(['error: ' + e]));",
        vec![],
    )
    .await
    .unwrap()
    .as_array()
    .unwrap()
    .iter()
    .map(|v| v.as_str().unwrap().to_string())
    .collect()
}

/// A damaged weight file gives a clear message with Retry and is never cached; once the file
/// is good again Retry loads it, the next visit loads the verified copy from the cache, and
/// with the site unreachable the page still opens and completes.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built site and chromedriver: run by cargo xtask test"]
async fn damaged_weights_fail_clearly_and_good_ones_are_cached() {
    let root = std::env::temp_dir().join(format!("icl-e2e-site-{}", std::process::id()));
    copy_dir(&dist(), &root);
    let manifest = Manifest::read(&root.join("models")).unwrap();
    let file = root.join("models").join(&manifest.models[0].file);
    let good = std::fs::read(&file).unwrap();
    let mut bad = good.clone();
    let mid = bad.len() / 2;
    bad[mid] ^= 0x40;
    std::fs::write(&file, &bad).unwrap();

    let site = Site::start_at(&root);
    let c = site.browser().await;
    c.goto(&site.url()).await.unwrap();
    let failed = wait_for(&c, "[data-model=failed]", 120).await;
    let msg = failed.text().await.unwrap();
    assert!(msg.contains("could not be used"), "{msg}");
    assert!(
        text(&c, "[role=status]")
            .await
            .contains("could not be loaded")
    );
    assert!(
        !cached_urls(&c)
            .await
            .iter()
            .any(|u| u.contains(&manifest.models[0].file)),
        "a damaged file was cached"
    );

    std::fs::write(&file, &good).unwrap();
    click(&c, "#retry").await;
    wait_ready(&c).await;
    let ready = c.find(Locator::Css("[data-model=ready]")).await.unwrap();
    assert_eq!(
        ready.attr("data-cached").await.unwrap().as_deref(),
        Some("false")
    );
    assert!(
        cached_urls(&c)
            .await
            .iter()
            .any(|u| u.contains(&manifest.models[0].sha256)),
        "the verified file is cached under its hash"
    );
    c.refresh().await.unwrap();
    wait_ready(&c).await;
    let ready = c.find(Locator::Css("[data-model=ready]")).await.unwrap();
    assert_eq!(
        ready.attr("data-cached").await.unwrap().as_deref(),
        Some("true")
    );

    // A captive portal answers the model list with its own page and status 200: the page
    // reads its cached copy, and the portal's page never replaces it in the cache.
    let manifest_path = root.join("models").join(MANIFEST_FILE);
    let manifest_text = std::fs::read_to_string(&manifest_path).unwrap();
    std::fs::write(
        &manifest_path,
        "<!doctype html><title>Sign in to the Wi-Fi</title>",
    )
    .unwrap();
    c.refresh().await.unwrap();
    wait_ready(&c).await;
    let cached_list = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             caches.open('icl-playground-models')
               .then(c => c.keys().then(k => k.find(r => r.url.endsWith('/manifest.json'))).then(r => c.match(r)))
               .then(r => r.text()).then(done).catch(e => done('error: ' + e));",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        cached_list.as_str().unwrap().trim_start().starts_with('{'),
        "the cached model list was replaced: {cached_list}"
    );
    std::fs::write(&manifest_path, manifest_text).unwrap();

    // Offline: with the site unreachable, the page and the model still load from this browser.
    let shell = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             navigator.serviceWorker.ready.then(() => caches.keys())
               .then(names => names.filter(n => n.startsWith('icl-playground-shell-')))
               .then(names => names.length === 1 ? caches.open(names[0]) : Promise.reject(names))
               .then(c => c.keys()).then(k => done(k.length)).catch(e => done(-1));",
            vec![],
        )
        .await
        .unwrap();
    assert!(shell.as_i64().unwrap() >= 4, "page files cached: {shell}");
    site.server.set_offline(true);
    c.refresh().await.unwrap();
    wait_ready(&c).await;
    let ready = c.find(Locator::Css("[data-model=ready]")).await.unwrap();
    assert_eq!(
        ready.attr("data-cached").await.unwrap().as_deref(),
        Some("true")
    );
    let offline = run(&c).await;
    assert!(
        !offline.ids.is_empty(),
        "offline, the model still completes"
    );
    c.close().await.unwrap();
    let _ = std::fs::remove_dir_all(root);
}
