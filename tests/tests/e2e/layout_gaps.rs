//! The layout has no hole: at 1440, 1024 and 375 px, the largest empty square anywhere in
//! the page's content (between and inside panels) is under 300 × 300 px.

use fantoccini::Client;
use serde_json::json;

use crate::harness::{Site, js, screenshot_at, set_viewport, wait_for};

/// The largest side of an empty square allowed (px).
const MAX_GAP: f64 = 300.0;

/// The side of the largest square of `main` that no visible content covers, where it lies
/// (page coordinates) and the page's height. Content is every visible element without
/// element children (text, fields, buttons) and every picture (svg, canvas, img, pre), as
/// far as it is painted (clipped by scrolling boxes; the screen-reader-only tables not at
/// all): an empty panel's blank inside counts as a hole. Fixed elements (the tour's card, the
/// focus tip) are left out. Measured on a grid of 8 px cells.
async fn largest_gap(c: &Client) -> (f64, f64, f64, f64) {
    let v = js(
        c,
        "const CELL = 8;
         const main = document.querySelector('main');
         const box = main.getBoundingClientRect();
         const pad = parseFloat(getComputedStyle(main).paddingLeft);
         const x0 = box.left + pad, y0 = box.top + window.scrollY + pad;
         const w = Math.floor((box.width - 2 * pad) / CELL), h = Math.ceil((box.height - 2 * pad) / CELL);
         const covered = new Uint8Array(w * h);
         const pictures = new Set(['svg', 'canvas', 'img', 'pre', 'input', 'textarea', 'select', 'button']);
         // What is painted of `r`: cut by every ancestor that clips (scrolling boxes, the
         // screen-reader-only tables), none when an ancestor hides it.
         const painted = (e, r) => {
           let [l, t, rt, b] = [r.left, r.top, r.right, r.bottom];
           for (let a = e.parentElement; a && a !== main; a = a.parentElement) {
             const s = getComputedStyle(a);
             if (s.clip !== 'auto' || s.clipPath !== 'none') return null;
             if (s.overflowX !== 'visible' || s.overflowY !== 'visible') {
               const c = a.getBoundingClientRect();
               [l, t, rt, b] = [Math.max(l, c.left), Math.max(t, c.top), Math.min(rt, c.right), Math.min(b, c.bottom)];
             }
           }
           return (rt - l >= 1 && b - t >= 1) ? [l, t, rt, b] : null;
         };
         for (const e of main.querySelectorAll('*')) {
           const tag = e.tagName.toLowerCase();
           if (e.closest('svg') && tag !== 'svg') continue;
           if (e.childElementCount > 0 && !pictures.has(tag)) continue;
           const s = getComputedStyle(e);
           if (s.position === 'fixed' || s.visibility === 'hidden') continue;
           for (const r of e.getClientRects()) {
             const p = painted(e, r);
             if (!p) continue;
             const [left, top, right, bottom] = p;
             const cx0 = Math.max(0, Math.floor((left - x0) / CELL)), cx1 = Math.min(w, Math.ceil((right - x0) / CELL));
             const cy0 = Math.max(0, Math.floor((top + window.scrollY - y0) / CELL)), cy1 = Math.min(h, Math.ceil((bottom + window.scrollY - y0) / CELL));
             for (let y = cy0; y < cy1; y++) covered.fill(1, y * w + cx0, y * w + cx1);
           }
         }
         let best = 0, at = [0, 0];
         const side = new Uint16Array(w * h);
         for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
           const i = y * w + x;
           if (covered[i]) continue;
           side[i] = (x && y) ? 1 + Math.min(side[i - 1], side[i - w], side[i - w - 1]) : 1;
           if (side[i] > best) { best = side[i]; at = [x, y]; }
         }
         return [best * CELL, x0 + (at[0] + 1 - best) * CELL, y0 + (at[1] + 1 - best) * CELL, h * CELL];",
        vec![],
    )
    .await;
    let n = |i: usize| v[i].as_f64().unwrap();
    (n(0), n(1), n(2), n(3))
}

/// The first visit's page, with its answer, curve and explanation panels filled, measured at
/// three widths; each is screenshotted.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built site and chromedriver: run by cargo xtask test"]
async fn no_empty_region_over_300_px_at_three_widths() {
    let site = Site::start();
    let c = site.browser().await;
    c.goto(&site.url()).await.unwrap();
    set_viewport(&c, 1440, 900).await;
    crate::harness::wait_ready(&c).await;
    wait_for(&c, "#heads .head-matrix", 60).await;
    wait_for(&c, "#amap", 60).await;
    let mut found = Vec::new();
    for (width, height) in [(1440, 900), (1024, 768), (375, 812)] {
        screenshot_at(&c, "layout", width, height).await;
        let (side, x, y, page) = largest_gap(&c).await;
        println!(
            "layout at {width} px: largest empty square {side} px at ({x}, {y}), page {page} px high"
        );
        if side >= MAX_GAP {
            found.push(json!({"width": width, "side": side, "x": x, "y": y}));
        }
    }
    assert!(
        found.is_empty(),
        "empty regions of {MAX_GAP} px or more: {found:?}"
    );
}
