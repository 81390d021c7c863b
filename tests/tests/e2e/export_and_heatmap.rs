//! Exports of every chart, the completion and "Export all"; the attention heatmap's zoom and
//! row pick; each panel's explanation and each control's tooltip.

use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use icl_tests::SUB_PATH;
use serde_json::json;

use crate::harness::{
    Site, assert_no_long_task, chart_points, click, downloaded, js, measure_curve,
    policy_violations, press_tab, run, screenshot, set_value, value, wait_for, watch_long_tasks,
};

/// Sends the heatmap a mouse event at fractions `fx`, `fy` of its drawing.
async fn heatmap_mouse(c: &Client, kind: &str, fx: f64, fy: f64) {
    js(
        c,
        "const p = document.querySelector('#amap .amap-plot'); const r = p.getBoundingClientRect();
         p.dispatchEvent(new MouseEvent(arguments[0], { bubbles: true, cancelable: true,
           clientX: r.left + arguments[1] * r.width, clientY: r.top + arguments[2] * r.height }));
         return 0;",
        vec![json!(kind), json!(fx), json!(fy)],
    )
    .await;
}

/// The heatmap's `(rows, cols, picked row, image width)`.
async fn heatmap_state(c: &Client) -> (String, String, String, u64) {
    let v = js(
        c,
        "const m = document.querySelector('#amap'); const i = m.querySelector('img');
         return [m.dataset.rows, m.dataset.cols, m.dataset.row, i.complete ? i.naturalWidth : 0];",
        vec![],
    )
    .await;
    let s = |i: usize| v[i].as_str().unwrap().to_string();
    (s(0), s(1), s(2), v[3].as_u64().unwrap())
}

/// Every chart saves as SVG, PNG, CSV and JSON, named after the view and model, and each file
/// parses and holds the chart's points; the completion and "Export all" save JSON that parses;
/// the attention heatmap draws the whole window as one image, zooms into a dragged region,
/// picks a row shared with the per-character view, and zooms out; every panel has its "What am
/// I seeing?" and every control a tooltip, shown on keyboard focus too.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built site and chromedriver: run by cargo xtask test"]
async fn panels_explain_themselves_export_and_the_heatmap_zooms() {
    let site = Site::start();
    let c = site.open_ready(None).await;
    let model = value(&c, "#model").await;
    let preset = c.find(Locator::Css("#preset")).await.unwrap();
    preset.select_by_value("first_letter").await.unwrap();
    let shown = run(&c).await;
    assert!(!shown.ids.is_empty());

    // The completion, with each token's probability and alternatives.
    click(&c, "#export-completion").await;
    let v: serde_json::Value =
        serde_json::from_slice(&downloaded(&format!("completion_{model}.json")).await).unwrap();
    let tokens = v["tokens"].as_array().unwrap();
    assert_eq!(tokens.len(), shown.ids.len());
    for (t, id) in tokens.iter().zip(&shown.ids) {
        assert_eq!(t["id"].as_u64(), Some(u64::from(*id)));
        let p = t["prob"].as_f64().unwrap();
        assert!(p > 0.0 && p <= 1.0 && !t["top"].as_array().unwrap().is_empty());
    }

    // The ICL curve in four formats.
    measure_curve(&c).await;
    let exact = chart_points(&c, 0).await;
    let stem = format!("icl-curve_{model}");
    for ext in ["svg", "png", "csv", "json"] {
        click(&c, &format!("#curve-chart .export-{ext}")).await;
    }
    let svg = String::from_utf8(downloaded(&format!("{stem}.svg")).await).unwrap();
    assert!(
        svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\"") && svg.ends_with("</svg>")
    );
    assert_eq!(svg.matches("<circle").count(), 18, "both series' points");
    assert!(svg.contains("examples in the prompt (k)") && svg.contains("exact match (%)"));
    let png = downloaded(&format!("{stem}.png")).await;
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    assert_eq!(width, 2 * 560, "twice the drawing's width");
    let csv = String::from_utf8(downloaded(&format!("{stem}.csv")).await).unwrap();
    assert_eq!(csv.lines().count(), 1 + 18, "{csv}");
    let first = csv.lines().nth(1).unwrap();
    assert!(
        first.ends_with(&format!(",left,0,{}", exact[0].1)),
        "{first} vs {exact:?}"
    );
    let data: serde_json::Value =
        serde_json::from_slice(&downloaded(&format!("{stem}.json")).await).unwrap();
    assert_eq!(data["series"].as_array().unwrap().len(), 2);
    assert_eq!(data["series"][0]["points"].as_array().unwrap().len(), 9);

    // Export all: the document, the link and the results in one file.
    click(&c, "#export-all").await;
    let all: serde_json::Value =
        serde_json::from_slice(&downloaded(&format!("icl-playground_{model}.json")).await).unwrap();
    assert_eq!(all["format"], "icl-playground-export");
    assert!(all["link"].as_str().unwrap().contains(SUB_PATH));
    assert_eq!(all["icl_curves"][0]["points"].as_array().unwrap().len(), 9);
    assert_eq!(
        all["completion"]["tokens"].as_array().unwrap().len(),
        shown.ids.len()
    );

    // The heatmap: the whole window as one image.
    wait_for(&c, "#amap img", 60).await;
    let map = c.find(Locator::Css("#amap")).await.unwrap();
    let n: u64 = map.attr("data-n").await.unwrap().unwrap().parse().unwrap();
    let full = format!("0-{n}");
    let (rows, cols, _, w) = heatmap_state(&c).await;
    assert_eq!(
        (rows.as_str(), cols.as_str(), w),
        (full.as_str(), full.as_str(), n)
    );
    // Drag from a quarter to a half of the way: the view becomes that region, drawn anew.
    heatmap_mouse(&c, "mousedown", 0.25, 0.25).await;
    heatmap_mouse(&c, "mousemove", 0.5, 0.5).await;
    heatmap_mouse(&c, "mouseup", 0.5, 0.5).await;
    wait_for(&c, "#amap-reset:not([disabled])", 10).await;
    let (rows, cols, _, w) = heatmap_state(&c).await;
    let span = |r: &str| -> (u64, u64) {
        let (a, b) = r.split_once('-').unwrap();
        (a.parse().unwrap(), b.parse().unwrap())
    };
    let (r0, r1) = span(&rows);
    let (c0, c1) = span(&cols);
    assert!(
        r0 >= n / 4 - 1 && r0 <= n / 4 + 1 && r1 >= n / 2 && r1 <= n / 2 + 2,
        "{rows} of {n}"
    );
    assert_eq!((c0, c1), (r0, r1), "a square drag");
    assert_eq!(w, c1 - c0, "the image is the region");
    screenshot(&c, "heatmap-zoomed", 1440).await;
    // A click picks a row: the per-character view follows, the table reads that row.
    heatmap_mouse(&c, "mousedown", 0.99, 0.99).await;
    heatmap_mouse(&c, "mouseup", 0.99, 0.99).await;
    let picked = (r1 - 1).to_string();
    wait_for(&c, &format!("#amap[data-row='{picked}']"), 10).await;
    wait_for(&c, &format!("#attn-focus[data-q='{picked}']"), 10).await;
    let rows_in_table = js(
        &c,
        "return document.querySelectorAll('#amap-row-table tbody tr').length;",
        vec![],
    )
    .await;
    assert_eq!(rows_in_table.as_u64(), Some(r1), "positions 0..={picked}");
    click(&c, "#amap-reset").await;
    wait_for(&c, &format!("#amap[data-rows='{full}']"), 10).await;
    // The heatmap saves too: the whole window's matrix and its drawing.
    let layer = value(&c, "#attn-layer").await;
    for ext in ["svg", "png", "csv", "json"] {
        click(&c, &format!(".amap-panel .export-{ext}")).await;
    }
    let stem = format!("attention_{model}_L{layer}mean");
    let csv = String::from_utf8(downloaded(&format!("{stem}.csv")).await).unwrap();
    assert_eq!(
        csv.lines().count() as u64,
        1 + n,
        "a header and a row per position"
    );
    let m: serde_json::Value =
        serde_json::from_slice(&downloaded(&format!("{stem}.json")).await).unwrap();
    let last = m["weights"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(last.len() as u64, n);
    let total: f64 = last.iter().map(|w| w.as_f64().unwrap()).sum();
    assert!(
        (total - 1.0).abs() < 1e-3,
        "a row of attention sums to 1: {total}"
    );
    let svg = String::from_utf8(downloaded(&format!("{stem}.svg")).await).unwrap();
    assert!(svg.contains("href=\"data:image/bmp;base64,") && svg.ends_with("</svg>"));
    let png = downloaded(&format!("{stem}.png")).await;
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    // A full window: the heatmap of all 256 positions is drawn without a long main-thread task.
    watch_long_tasks(&c).await;
    click(&c, "#tab-raw").await;
    set_value(&c, "#prompt", &"in: abcde\nout: edcba\n".repeat(20)).await;
    run(&c).await;
    let drawn = Instant::now();
    wait_for(&c, "#amap[data-n='256'] img", 60).await;
    let mut full_map = heatmap_state(&c).await;
    while full_map.3 == 0 && drawn.elapsed() < Duration::from_secs(10) {
        tokio::time::sleep(Duration::from_millis(50)).await;
        full_map = heatmap_state(&c).await;
    }
    assert_eq!((full_map.0.as_str(), full_map.3), ("0-256", 256));
    println!(
        "heatmap of a full window: drawn {} ms after the run ended",
        drawn.elapsed().as_millis()
    );
    assert_no_long_task(&c, "drawing a full window's heatmap").await;
    for width in [1440, 375] {
        c.set_window_size(width, 1000).await.unwrap();
        js(
            &c,
            "document.querySelector('#amap').scrollIntoView();",
            vec![],
        )
        .await;
        screenshot(&c, "heatmap", width).await;
    }

    // Every panel says what it shows, why it matters and what to read.
    let about = js(
        &c,
        "return [...document.querySelectorAll('section.panel')].map(p => {
           const a = p.querySelector(':scope > details.about');
           return [p.querySelector('h2').textContent, a ? a.dataset.about : null,
             a ? a.querySelector('.about-what').textContent.length : 0,
             a ? a.querySelector('.about-why').textContent.length : 0,
             a ? a.querySelector('a[href^=\"https://\"]').href : ''];
         });",
        vec![],
    )
    .await;
    let panels = about.as_array().unwrap();
    println!("panels: {about}");
    assert!(panels.len() >= 10, "{about}");
    let mut keys: Vec<&str> = Vec::new();
    for p in panels {
        assert!(p[1].is_string(), "{} has no \"What am I seeing?\"", p[0]);
        assert!(
            p[2].as_u64().unwrap() > 40 && p[3].as_u64().unwrap() > 40,
            "{p}"
        );
        keys.push(p[1].as_str().unwrap());
    }
    keys.sort_unstable();
    keys.dedup();
    assert_eq!(keys.len(), panels.len(), "one explanation per panel");
    // Every control on screen has a tooltip.
    let bare = js(
        &c,
        "return [...document.querySelectorAll('main button, main select, main input, main textarea')]
           .filter(e => e.offsetParent !== null && !(e.getAttribute('title') || '').trim())
           .map(e => e.id || e.className || e.outerHTML.slice(0, 60));",
        vec![],
    )
    .await;
    assert_eq!(bare, json!([]), "controls without a tooltip");
    // A control reached by the keyboard shows its tooltip under it.
    js(
        &c,
        "document.querySelector('#run').focus(); return 0;",
        vec![],
    )
    .await;
    press_tab(&c).await;
    let tip = wait_for(&c, "#focus-tip", 10).await.text().await.unwrap();
    let title = js(
        &c,
        "return document.activeElement.getAttribute('title');",
        vec![],
    )
    .await;
    assert_eq!(json!(tip), title);
    assert_eq!(policy_violations(&c).await, Vec::<String>::new());
    c.close().await.unwrap();
}
