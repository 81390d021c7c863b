//! The finishing step of every site build (trunk's post-build hook runs `cargo xtask
//! finish-site`): the Content-Security-Policy as the first element of `<head>`, with a hash
//! for each inline script trunk wrote (its loader), and a 404 page that sends deep links home.
//! Trunk's own output is otherwise unchanged, so `trunk build` alone gives the same artifact.

use std::path::Path;

use base64::Engine;
use sha2::{Digest, Sha256};

/// Where the site is served from in the end-to-end tests and on GitHub Pages: a sub-path, as
/// project pages are.
pub const SUB_PATH: &str = icl_tests::SUB_PATH;

/// The inline `<script>` bodies of `html` (scripts with a `src` have none).
fn inline_scripts(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else {
            break;
        };
        let Some(close) = after.find("</script>") else {
            break;
        };
        let tag = &after[..open_end];
        if !tag.contains(" src=") && close > open_end {
            out.push(&after[open_end + 1..close]);
        }
        rest = &after[close + "</script>".len()..];
    }
    out
}

/// The policy for a page whose inline scripts are `scripts`.
pub fn policy(scripts: &[&str]) -> String {
    let hashes: String = scripts
        .iter()
        .map(|s| {
            let digest = Sha256::digest(s.as_bytes());
            format!(
                " 'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; \
         style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; \
         connect-src 'self'; worker-src 'self'; manifest-src 'self'; object-src 'none'; \
         base-uri 'self'; form-action 'none'"
    )
}

/// `html` with the policy as the first element of `<head>`.
pub fn with_policy(html: &str) -> Result<String, String> {
    if html.contains("Content-Security-Policy") {
        return Ok(html.to_string());
    }
    let csp = policy(&inline_scripts(html));
    let at = html.find("<head>").ok_or("the page has no <head>")? + "<head>".len();
    Ok(format!(
        "{}\n    <meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">{}",
        &html[..at],
        &html[at..]
    ))
}

/// The 404 page: deep links under `public_url` go home.
pub fn not_found(public_url: &str) -> String {
    let home = if public_url.starts_with('/') || public_url.contains("://") {
        public_url
    } else {
        "/"
    };
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n    <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\">\n    <meta charset=\"utf-8\">\n    <meta http-equiv=\"refresh\" content=\"0; url={home}\">\n    <title>ICL Playground: page not found</title>\n</head>\n<body>\n    <p>There is no page here. <a href=\"{home}\">Go to the ICL Playground</a>.</p>\n</body>\n</html>\n"
    )
}

/// Finishes the built site in `dir` (trunk's staging folder).
pub fn finish(dir: &Path, public_url: &str) -> Result<(), String> {
    let index = dir.join("index.html");
    let html = std::fs::read_to_string(&index).map_err(|e| format!("{}: {e}", index.display()))?;
    std::fs::write(&index, with_policy(&html)?).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("404.html"), not_found(public_url)).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_hashes_each_inline_script_and_comes_first() {
        let html = "<!doctype html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<script src=\"/a.js\"></script>\n<script type=\"module\">import init from './app.js';\nawait init();</script>\n</head><body></body></html>";
        let scripts = inline_scripts(html);
        assert_eq!(scripts, vec!["import init from './app.js';\nawait init();"]);
        let out = with_policy(html).unwrap();
        let head = out.split("<head>").nth(1).unwrap().trim_start();
        assert!(head.starts_with("<meta http-equiv=\"Content-Security-Policy\""));
        // The hash of exactly the script's text (checked with another encoder of SHA-256).
        let expected = format!(
            "'sha256-{}'",
            base64::engine::general_purpose::STANDARD.encode(Sha256::digest(scripts[0]))
        );
        assert!(out.contains(&expected));
        assert!(!out.contains(" 'unsafe-eval'"));
        assert!(!out.contains("script-src 'self' 'unsafe-inline'"));
        assert_eq!(
            with_policy(&out).unwrap(),
            out,
            "finishing twice changes nothing"
        );
    }

    #[test]
    fn deep_links_are_sent_home() {
        let page = not_found(SUB_PATH);
        assert!(page.contains(&format!("url={SUB_PATH}\"")));
        assert!(page.contains(&format!("href=\"{SUB_PATH}\"")));
        assert!(!page.contains("<script"));
    }
}
