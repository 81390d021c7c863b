//! Drafts that survive a reload, a link opened over a draft, and hostile links that change
//! nothing.

use std::time::Duration;

use serde_json::json;

use crate::harness::{Site, click, js, set_value, text, value, wait_for};

/// Drafts survive a reload; a link opened over a draft asks first, and "keep mine" keeps it.
/// Hostile links each get a message and change nothing; nothing in them executes.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built site and chromedriver: run by cargo xtask test"]
async fn drafts_survive_and_hostile_links_change_nothing() {
    let site = Site::start();
    let c = site.browser().await;
    c.goto(&site.url()).await.unwrap();
    wait_for(&c, "#query", 30).await;
    set_value(&c, "#query", "my draft query").await;
    set_value(&c, ".ex-in", "edited").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    c.refresh().await.unwrap();
    wait_for(&c, "#query", 30).await;
    assert_eq!(value(&c, "#query").await, "my draft query");
    assert_eq!(value(&c, ".ex-in").await, "edited");

    // Make a link of some other state, then come back to the draft.
    set_value(&c, "#query", "the link's query").await;
    click(&c, "#share").await;
    let link = value(&c, "#share-url").await;
    set_value(&c, "#query", "my draft query").await;
    let fragment = link.split_once('#').unwrap().1.to_string();

    // Opening the link with the draft present asks; "keep mine" keeps the draft.
    tokio::time::sleep(Duration::from_millis(300)).await;
    c.goto("about:blank").await.unwrap();
    c.goto(&link).await.unwrap();
    wait_for(&c, "#link-choice", 30).await;
    assert_eq!(value(&c, "#query").await, "my draft query");
    // The dialog holds the keyboard: focus starts in it, Tab cycles its two buttons.
    let active = "return document.activeElement.id;";
    assert_eq!(js(&c, active, vec![]).await, json!("keep-mine"));
    let tab = |shift: bool| {
        let c = c.clone();
        async move {
            let keys = if shift {
                "\u{E008}\u{E004}"
            } else {
                "\u{E004}"
            };
            c.active_element()
                .await
                .unwrap()
                .send_keys(keys)
                .await
                .unwrap();
        }
    };
    tab(false).await;
    assert_eq!(js(&c, active, vec![]).await, json!("open-link"));
    tab(false).await;
    assert_eq!(js(&c, active, vec![]).await, json!("keep-mine"));
    tab(true).await;
    assert_eq!(js(&c, active, vec![]).await, json!("open-link"));
    click(&c, "#keep-mine").await;
    // Focus returns to the page's editor.
    assert_eq!(js(&c, active, vec![]).await, json!("query"));
    assert_eq!(value(&c, "#query").await, "my draft query");
    c.refresh().await.unwrap();
    wait_for(&c, "#query", 30).await;
    assert_eq!(value(&c, "#query").await, "my draft query");

    // Hostile links: each shows a message and leaves the state as it was.
    let oversized = format!("v1.{}", "A".repeat(40_000));
    let truncated = fragment[..fragment.len() - 3].to_string();
    let hostile = [
        ("malformed", "not-a-link".to_string()),
        ("truncated", truncated),
        ("oversized", oversized),
        ("future version", "v9.eNpLTEoGAAJJAS8".to_string()),
        (
            "script-laden",
            "\"><img src=x onerror=window.__pwned=1><script>window.__pwned=2</script>".to_string(),
        ),
    ];
    for (what, frag) in hostile {
        c.goto("about:blank").await.unwrap();
        c.goto(&format!("{}#{frag}", site.url())).await.unwrap();
        let msg = wait_for(&c, "#messages", 30).await.text().await.unwrap();
        assert!(msg.contains("could not be opened"), "{what}: {msg}");
        assert_eq!(value(&c, "#query").await, "my draft query", "{what}");
        let pwned = js(
            &c,
            "return window.__pwned === undefined && !document.querySelector('img[src=x]');",
            vec![],
        )
        .await;
        assert_eq!(pwned, json!(true), "{what}: something executed");
    }

    // A valid link whose fields hold markup: after "open the link" it shows as text only.
    let evil = "<img src=x onerror=window.__pwned=1>\"><script>window.__pwned=2</script>";
    set_value(&c, "#query", evil).await;
    set_value(&c, ".ex-out", evil).await;
    click(&c, "#share").await;
    let evil_link = value(&c, "#share-url").await;
    set_value(&c, "#query", "my draft query").await;
    c.goto("about:blank").await.unwrap();
    c.goto(&evil_link).await.unwrap();
    wait_for(&c, "#link-choice", 30).await;
    click(&c, "#open-link").await;
    assert_eq!(value(&c, "#query").await, evil);
    assert!(text(&c, "#preview").await.contains(evil));
    let clean = js(
        &c,
        "return window.__pwned === undefined && !document.querySelector('img[src=x]') && !document.querySelector('main script');",
        vec![],
    )
    .await;
    assert_eq!(clean, json!(true), "markup in a link became elements");

    // The draft the link replaced is set aside; Recover brings it back.
    click(&c, "#recover summary").await;
    click(&c, "#recover button.recover").await;
    assert_eq!(value(&c, "#query").await, "my draft query");

    // A draft over the page's limits opens cut to them, with a notice; the whole is kept.
    let long = "é".repeat(2_100);
    js(
        &c,
        "const d = JSON.parse(localStorage.getItem('icl-playground.draft')); d.doc.query = arguments[0]; localStorage.setItem('icl-playground.draft', JSON.stringify(d)); return 0;",
        vec![json!(long)],
    )
    .await;
    c.refresh().await.unwrap();
    let msg = wait_for(&c, "#messages", 30).await.text().await.unwrap();
    assert!(msg.contains("cut to fit"), "{msg}");
    assert_eq!(value(&c, "#query").await.chars().count(), 2_000);
    assert!(text(&c, "#limits").await.contains("Query: 2,000 of 2,000"));
    assert_eq!(
        js(
            &c,
            "return document.querySelector('#query').maxLength;",
            vec![]
        )
        .await,
        json!(2000)
    );
    let kept = js(
        &c,
        "return JSON.parse(localStorage.getItem('icl-playground.set-aside')).items.some(i => i.why === 'clamped' && i.text.length > 2100);",
        vec![],
    )
    .await;
    assert_eq!(kept, json!(true), "the whole over-limit draft is kept");
    c.close().await.unwrap();
}
