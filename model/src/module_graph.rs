//! The crate's module graph, read from its sources: folders use only the folders listed
//! before them in `lib.rs`, and no two files import each other in a circle. Test code (a
//! file's `#[cfg(test)]` module) and comments are left out: a test may reach anywhere.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The folders, bottom first: each may use only those before it.
const LAYERS: [&str; 6] = ["net", "zoo", "rules", "eval", "train", "bench"];

/// Every source file under `dir` but the binaries.
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "bin") {
                sources(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `net/lean/chains.rs` → `net::lean::chains`; `rules/mod.rs` → `rules`.
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .filter(|p| p != "mod" && p != "lib")
        .collect();
    parts.join("::")
}

/// The code of a file without comments and without its test module.
fn code(text: &str) -> String {
    let mut out = String::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let t = line.trim_start();
        let is_mod = |n: &&str| {
            let n = n
                .trim_start_matches("pub(crate) ")
                .trim_start_matches("pub ");
            n.starts_with("mod ")
        };
        let test_only = t.starts_with("#[cfg(test)]") || t.starts_with("#[cfg(all(test");
        if test_only && lines.peek().is_some_and(is_mod) {
            break;
        }
        if !t.starts_with("//") {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The modules a file's code names (`crate::a::b::Item` → the longest known module).
fn uses(module: &str, code: &str, known: &BTreeSet<String>) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let parent = module.rsplit_once("::").map_or("", |(p, _)| p);
    for (prefix, base) in [("crate::", ""), ("super::", parent)] {
        for (at, _) in code.match_indices(prefix) {
            if at > 0 && code[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let rest = &code[at + prefix.len()..];
            let path: Vec<&str> = rest
                .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .next()
                .unwrap_or("")
                .split("::")
                .filter(|s| !s.is_empty())
                .collect();
            // `super::{…}` names the parent itself.
            let mut best = (known.contains(base)).then(|| base.to_string());
            for n in 1..=path.len() {
                let name = if base.is_empty() {
                    path[..n].join("::")
                } else {
                    format!("{base}::{}", path[..n].join("::"))
                };
                if known.contains(&name) {
                    best = Some(name);
                }
            }
            if let Some(m) = best.filter(|m| m != module) {
                found.insert(m);
            }
        }
    }
    found
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let known: BTreeSet<String> = files.iter().map(|f| module_of(&src, f)).collect();
    files
        .iter()
        .map(|f| {
            let m = module_of(&src, f);
            let text = std::fs::read_to_string(f).unwrap();
            let u = uses(&m, &code(&text), &known);
            (m, u)
        })
        .collect()
}

/// A circle of imports, if the graph has one.
fn circle(g: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    // Depth-first search with the path on a stack: 0 unseen, 1 on the path, 2 done.
    fn visit(
        g: &BTreeMap<String, BTreeSet<String>>,
        n: &str,
        state: &mut BTreeMap<String, u8>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(n.to_string(), 1);
        path.push(n.to_string());
        for m in g.get(n).into_iter().flatten() {
            match state.get(m).copied().unwrap_or(0) {
                1 => {
                    let at = path.iter().position(|p| p == m).unwrap();
                    let mut c = path[at..].to_vec();
                    c.push(m.clone());
                    return Some(c);
                }
                0 => {
                    if let Some(c) = visit(g, m, state, path) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        path.pop();
        state.insert(n.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in g.keys() {
        if state.get(n).copied().unwrap_or(0) == 0
            && let Some(c) = visit(g, n, &mut state, &mut Vec::new())
        {
            return Some(c);
        }
    }
    None
}

#[test]
fn no_file_imports_in_a_circle() {
    let g = graph();
    assert!(g.len() > 30, "{} modules read", g.len());
    assert!(
        g["eval::report"].contains("eval::sweep"),
        "the reader finds imports"
    );
    if let Some(c) = circle(&g) {
        panic!("an import circle: {}", c.join(" → "));
    }
}

#[test]
fn folders_use_only_the_folders_below_them() {
    let layer = |m: &str| LAYERS.iter().position(|l| m.split("::").next() == Some(*l));
    let mut wrong = Vec::new();
    for (m, uses) in graph() {
        let Some(a) = layer(&m) else { continue };
        for u in uses {
            if layer(&u).is_some_and(|b| b > a) {
                wrong.push(format!("{m} → {u}"));
            }
        }
    }
    assert!(wrong.is_empty(), "uses above their folder: {wrong:?}");
}

#[test]
fn the_reader_sees_circles() {
    let g: BTreeMap<String, BTreeSet<String>> = [("a", "b"), ("b", "c"), ("c", "a")]
        .into_iter()
        .map(|(x, y)| (x.to_string(), BTreeSet::from([y.to_string()])))
        .collect();
    assert_eq!(circle(&g).unwrap().len(), 4);
    let known = BTreeSet::from(["net::lean".to_string(), "net::lean::chains".to_string()]);
    let found = uses("net::lean::chains", "use super::{LeanCache};", &known);
    assert_eq!(found, BTreeSet::from(["net::lean".to_string()]));
    for tests in ["mod tests", "pub(crate) mod tests"] {
        let text = format!(
            "use crate::a::B;\n// crate::c\n#[cfg(test)]\n{tests} {{\n use crate::d;\n}}\n"
        );
        let cut = code(&text);
        assert!(cut.contains("crate::a") && !cut.contains("crate::c") && !cut.contains("crate::d"));
    }
}
