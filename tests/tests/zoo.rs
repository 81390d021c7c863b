//! Fast checks of the shipped weights: the attention-only models show (or lack) the circuits
//! the page teaches.

use icl_model::eval::metrics::{HeadScores, head_scores, lean_head_scores};
use icl_model::net::backend::Backend;
use icl_model::net::model::Model;
use icl_model::net::weights::{load_verified, load_verified_lean};
use icl_model::train::ladder::rung_of;
use icl_model::train::run::{description, display_name};
use icl_model::zoo::manifest::Manifest;
use icl_model::zoo::thin::MIN_CHECKPOINTS;
use icl_tests::{default_model, repo_root};

/// The shipped models' list, `public/models/manifest.json`.
fn shipped_manifest() -> Manifest {
    Manifest::read(&repo_root().join("public/models")).unwrap()
}

fn shipped(id: &str) -> Model {
    let dir = repo_root().join("public/models");
    let manifest = shipped_manifest();
    let e = manifest
        .get(id)
        .unwrap_or_else(|| panic!("{id} is not in the manifest"));
    assert!(e.training.steps > 0, "{id} ships untrained weights");
    let bytes = std::fs::read(dir.join(&e.file)).unwrap();
    load_verified(&bytes, e.bytes, &e.sha256, &Backend::Flex.device())
        .unwrap()
        .0
}

fn scores(id: &str) -> HeadScores {
    let m = shipped(id);
    head_scores(&m.net, &m.device, 99, 16, 48)
}

/// The page reads the shipped weights without burn (`load_verified_lean`) and scores the heads
/// on that lean network: its scores are the burn network's, which training records in the
/// curves (attention within 1e-4; copying within one of the 36 letters and digits).
#[test]
fn the_pages_head_scores_are_the_burn_networks() {
    let dir = repo_root().join("public/models");
    let manifest = shipped_manifest();
    for id in ["attn2", "base", manifest.models[0].id.as_str()] {
        let e = manifest.get(id).unwrap();
        let bytes = std::fs::read(dir.join(&e.file)).unwrap();
        let (lean, _) = load_verified_lean(&bytes, e.bytes, &e.sha256).unwrap();
        let page = lean_head_scores(lean.lean(), 99, 16, 48);
        let burn = scores(id);
        let pairs = [
            (&page.induction, &burn.induction, 1e-4),
            (&page.duplicate, &burn.duplicate, 1e-4),
            (&page.previous_token, &burn.previous_token, 1e-4),
            (&page.prefix_matching, &burn.prefix_matching, 1e-4),
            (&page.copying, &burn.copying, 1.0 / 36.0 + 1e-6),
        ];
        for (a, b, tol) in pairs {
            for (x, y) in a.iter().flatten().zip(b.iter().flatten()) {
                assert!((x - y).abs() <= tol, "{id}: {x} vs {y}");
            }
        }
        assert!(
            (page.loss_second_copy - burn.loss_second_copy).abs() < 1e-3,
            "{id}"
        );
    }
}

/// Every model ships the checkpoints its training settings name up to the step it has reached
/// (all of them, or thinned to no fewer than ten; at least ten once its run is done), each with a point in its curves and each
/// file as the manifest says (length and SHA-256), and the manifest describes the data its
/// settings name; the whole folder stays within 80 MB (the
/// format issue's limit: the page downloads only the model a visitor opens).
#[test]
fn models_ship_the_checkpoints_their_settings_name_within_80_mb() {
    let dir = repo_root().join("public/models");
    let manifest = shipped_manifest();
    let ids: Vec<&str> = manifest.models.iter().map(|m| m.id.as_str()).collect();
    for id in ["attn1", "attn2", "base"] {
        assert!(ids.contains(&id), "{id} is not shipped");
    }
    for e in &manifest.models {
        let id = &e.id;
        let shipped: Vec<usize> = e.checkpoints.iter().map(|c| c.step as usize).collect();
        let path = dir.join(format!("{id}/curves.json"));
        let curves: icl_model::train::run::Curves =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let reached = e.training.steps as usize;
        assert!(reached <= curves.train.steps, "{id}");
        let named: Vec<usize> = curves
            .train
            .checkpoint_steps()
            .into_iter()
            .filter(|&s| s <= reached)
            .collect();
        // Every checkpoint named, or (`icl thin`) at least ten of them.
        if shipped != named {
            assert!(
                shipped.iter().all(|s| named.contains(s)) && shipped.len() >= MIN_CHECKPOINTS,
                "{id} ships {shipped:?} of {named:?}"
            );
        }
        assert_eq!(
            shipped.last(),
            Some(&reached),
            "{id}: its weights are its last checkpoint"
        );
        // The ladder's rungs ship the few checkpoints their recipe names (the Scale view's
        // stages); every other model at least ten.
        if reached == curves.train.steps && rung_of(id).is_none() {
            assert!(
                shipped.len() >= MIN_CHECKPOINTS,
                "{id} ships {} checkpoints",
                shipped.len()
            );
        }
        // The curves keep a point for every checkpoint named (thinned ones too).
        let points: Vec<usize> = curves.points.iter().map(|p| p.step).collect();
        assert_eq!(points[1..], named[..], "{id}: curve points");
        // Every file the entry lists is there with its length and hash (a checkpoint shared
        // with the model a run continued from lives in that model's folder).
        for f in e.files() {
            let file = f.file;
            let data = std::fs::read(dir.join(file)).unwrap_or_else(|err| panic!("{file}: {err}"));
            assert_eq!(data.len() as u64, f.bytes, "{id}: {file}");
            assert_eq!(
                icl_model::net::weights::sha256_hex(&data),
                f.sha256,
                "{id}: {file}"
            );
        }
        assert_eq!(e.training.data, curves.train.describe_data(), "{id}");
        assert_eq!(e.name, display_name(&curves.train), "{id}");
        assert_eq!(e.description, description(&curves.train), "{id}");
    }
    let mut total = 0u64;
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(d).unwrap() {
            let entry = entry.unwrap();
            let meta = entry.metadata().unwrap();
            if meta.is_dir() {
                stack.push(entry.path());
            } else {
                total += meta.len();
            }
        }
    }
    assert!(total <= 80_000_000, "public/models holds {total} bytes");
}

/// The shipped ladder: five rungs or more of one family spanning a hundredfold in
/// parameters, each the size its recipe names, its weights and checkpoints as the manifest
/// says (length and checksum), its run ended; and the ladder's measured table scores exactly
/// these rungs on every set at every shot count.
#[test]
fn the_ladder_ships_whole_and_its_table_matches_it() {
    use icl_model::eval::ladder_report::{LADDER_FILE, LadderReport, TaskSet};
    use icl_model::train::config::TrainConfig;
    let dir = repo_root().join("public/models");
    let manifest = shipped_manifest();
    let mut rungs: Vec<_> = manifest
        .models
        .iter()
        .filter_map(|e| Some((rung_of(&e.id)?, e)))
        .collect();
    rungs.sort_by_key(|(n, _)| *n);
    assert!(rungs.len() >= 5, "{} rungs", rungs.len());
    let params: Vec<u64> = rungs.iter().map(|(_, e)| e.params).collect();
    assert!(params.windows(2).all(|w| w[0] < w[1]), "{params:?}");
    assert!(params[params.len() - 1] >= 100 * params[0], "{params:?}");
    for (n, e) in &rungs {
        let cfg = TrainConfig::for_preset(&e.id).unwrap();
        assert_eq!(e.params, cfg.model_config().unwrap().param_count(), "{n}");
        assert_eq!(
            e.training.steps as usize, cfg.steps,
            "rung {n} ships a finished run"
        );
        for f in e.files() {
            let data = std::fs::read(dir.join(f.file)).unwrap();
            let (m, _) = load_verified(&data, f.bytes, f.sha256, &Backend::Flex.device())
                .unwrap_or_else(|err| panic!("{}: {err}", f.file));
            assert_eq!(m.num_params() as u64, e.params, "{}", f.file);
        }
    }
    let report: LadderReport =
        serde_json::from_str(&std::fs::read_to_string(dir.join(LADDER_FILE)).unwrap()).unwrap();
    let scored: Vec<(&str, u64)> = report
        .rungs
        .iter()
        .map(|r| (r.id.as_str(), r.params))
        .collect();
    let shipped: Vec<(&str, u64)> = rungs
        .iter()
        .map(|(_, e)| (e.id.as_str(), e.params))
        .collect();
    assert_eq!(scored, shipped);
    for r in &report.rungs {
        for set in TaskSet::all() {
            for k in icl_model::eval::score::SHOTS {
                let p = r
                    .point(set, k)
                    .unwrap_or_else(|| panic!("{} {set:?} k={k}", r.id));
                assert_eq!(p.n, report.queries, "{} {set:?} k={k}", r.id);
            }
        }
        assert!(r.loss.is_some_and(|l| l.is_finite() && l > 0.0), "{}", r.id);
    }
    let fit = report.loss_fit.expect("the loss's power law");
    assert!(fit.exponent > 0.0 && fit.r2 > 0.9, "{fit:?}");
}

#[test]
fn attn2_has_an_induction_head() {
    let s = scores("attn2");
    assert!(
        s.top_induction() >= 0.5,
        "top induction score {}",
        s.top_induction()
    );
    assert!(
        s.loss_second_copy < 0.3 * s.loss_first_copy,
        "second copy {} vs first {}",
        s.loss_second_copy,
        s.loss_first_copy
    );
}

#[test]
fn attn1_has_no_induction_head() {
    let s = scores("attn1");
    assert!(
        s.top_induction() < 0.1,
        "top induction score {}",
        s.top_induction()
    );
}

/// The layer and head with the highest induction score.
fn top_head(s: &HeadScores) -> (usize, usize) {
    let mut best = (0, 0);
    for (l, row) in s.induction.iter().enumerate() {
        for (h, &x) in row.iter().enumerate() {
            if x > s.induction[best.0][best.1] {
                best = (l, h);
            }
        }
    }
    best
}

#[test]
fn attn2_induction_head_prefix_matches_and_copies() {
    let s = scores("attn2");
    let (l, h) = top_head(&s);
    assert_eq!(
        l, 1,
        "an induction head needs a head in an earlier layer to read from"
    );
    // Uniform attention would put ~1/8 on the matching positions; a copying score is the
    // share of 36 tokens whose own logit the head raises most (chance ~1/98).
    assert!(
        s.prefix_matching[l][h] >= 0.3,
        "prefix matching {}",
        s.prefix_matching[l][h]
    );
    assert!(s.copying[l][h] >= 0.3, "copying {}", s.copying[l][h]);
    let prev = s.previous_token[0].iter().copied().fold(0.0, f32::max);
    assert!(prev >= 0.4, "no previous-token head in layer 0 ({prev})");
}

/// In a model's shipped curves the top induction score jumps between two consecutive
/// checkpoints, in the same interval where the ICL score improves most: the phase change.
/// Later phases train on other data (base's: longer rows, every task), so only the first
/// phase's checkpoints are compared; after the last the ICL score is better still.
fn assert_phase_change(model: &str) {
    let path = repo_root().join(format!("public/models/{model}/curves.json"));
    let curves: icl_model::train::run::Curves =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let end = curves.train.phase1_steps();
    let first: Vec<_> = curves.points.iter().filter(|p| p.step <= end).collect();
    if let Some(last) = curves.points.last().filter(|p| p.step > end) {
        let best = first.iter().map(|p| p.icl_score).fold(f32::MAX, f32::min);
        assert!(
            last.icl_score < best,
            "{model}: ICL score {} after the later phases, {best} in the first",
            last.icl_score
        );
    }
    let top: Vec<f32> = first
        .iter()
        .map(|p| p.induction.iter().flatten().copied().fold(0.0, f32::max))
        .collect();
    let icl: Vec<f32> = first.iter().map(|p| p.icl_score).collect();
    let argmax = |v: Vec<f32>| {
        v.iter()
            .enumerate()
            .fold((0, f32::MIN), |b, (i, &x)| if x > b.1 { (i, x) } else { b })
    };
    let (rise_at, rise) = argmax(top.windows(2).map(|w| w[1] - w[0]).collect());
    let (drop_at, drop) = argmax(icl.windows(2).map(|w| w[0] - w[1]).collect());
    let steps: Vec<usize> = first.iter().map(|p| p.step).collect();
    assert!(
        rise >= 0.15,
        "{model}: largest rise {rise} at step {}",
        steps[rise_at + 1]
    );
    assert!(
        top[rise_at] < 0.2,
        "{model}: induction was already {} before",
        top[rise_at]
    );
    assert_eq!(
        rise_at,
        drop_at,
        "{model}: induction jumps before step {} but the ICL score improves most before step {} (by {drop})",
        steps[rise_at + 1],
        steps[drop_at + 1]
    );
    assert!(
        drop >= 0.3,
        "{model}: the ICL score improves by only {drop}"
    );
}

#[test]
fn attn2_curves_show_the_phase_change() {
    assert_phase_change("attn2");
}

#[test]
fn base_curves_show_the_phase_change() {
    assert_phase_change("base");
}

/// The rule learner and the page's default keep the induction story: the head forms in a
/// phase change, as base's did.
#[test]
fn learner_and_default_curves_show_the_phase_change() {
    let default = default_model();
    assert_phase_change("learner");
    if default != "learner" {
        assert_phase_change(&default);
    }
}

/// base learns from the examples in its prompt: on held-out words, easy recognition tasks are
/// right with 8 examples, the answer's log-probability rises from 0 to 8 shots, and a random
/// cipher is learned from 8 examples but not guessed without them.
#[test]
fn base_learns_in_context_on_held_out_words() {
    use icl_model::eval::report::evaluate;
    use icl_model::rules::tasks::Task;
    let m = shipped("base");
    let r = evaluate(&m, "base", None, 12, 7);
    let easy = [
        Task::Uppercase,
        Task::FirstLetter,
        Task::LastLetter,
        Task::Length,
    ];
    let at = |t: Task, k: usize| r.cell(t, k).unwrap();
    let em8 = easy.iter().map(|&t| at(t, 8).exact_match).sum::<f32>() / easy.len() as f32;
    assert!(em8 >= 0.8, "8-shot exact match on easy tasks {em8}");
    for t in easy {
        assert!(
            at(t, 8).mean_logprob > at(t, 0).mean_logprob + 0.5,
            "{}: log p {} at k=0, {} at k=8",
            t.name(),
            at(t, 0).mean_logprob,
            at(t, 8).mean_logprob
        );
    }
    // A random letter substitution can only be read from the examples: right with 8 of them,
    // not guessed without.
    let sub = |k| at(Task::Substitution, k);
    assert!(sub(0).exact_match <= 0.1, "0-shot {}", sub(0).exact_match);
    assert!(sub(8).exact_match >= 0.6, "8-shot {}", sub(8).exact_match);
    assert!(sub(8).mean_logprob > sub(0).mean_logprob + 5.0);
}

/// The page's default model's shipped `eval.json`: the figures its keep-tests score afresh
/// against.
fn default_recorded(id: &str) -> icl_model::eval::report::Report {
    let path = repo_root()
        .join("public/models")
        .join(id)
        .join(icl_model::zoo::files::EVAL_FILE);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The page's default model's figures on its shipped weights (the rule issue's bars): held-out programs
/// and held-out primitive pairs at k = 8 and k = 0, the fixed tasks on uncommon and random
/// words, copy and the random substitution. Scored afresh on the very prompts of its shipped
/// `eval.json`, none may fall more than 5 points below the figure recorded there (k = 0 none
/// may rise 5 points above it): a change to the tokenizer, the templates or the forward that
/// costs the default model its rules fails here.
#[test]
fn the_default_keeps_its_recorded_rule_figures() {
    let id = default_model();
    use icl_model::eval::rule_report::{Group, RuleReport, evaluate_rules_at};
    let m = shipped(&id);
    let recorded = default_recorded(&id)
        .rules
        .expect("the default's eval.json scores the rules");
    let fresh = evaluate_rules_at(
        &m,
        recorded.rules_per_group,
        recorded.queries,
        recorded.seed,
        &[0, 8],
    );
    let families = |r: &RuleReport, rule: &str| {
        let v: Vec<f32> = [Group::FamiliesUncommon, Group::FamiliesRandom]
            .iter()
            .filter_map(|&g| r.exact(g, rule, 8))
            .collect();
        v.iter().sum::<f32>() / v.len().max(1) as f32
    };
    let figures = |r: &RuleReport| {
        vec![
            (
                "held-out programs, k=8",
                r.mean_exact(Group::HeldOut, 8),
                0.70,
            ),
            (
                "held-out pairs, k=8",
                r.mean_exact(Group::HeldOutPair, 8),
                0.50,
            ),
            (
                "fixed tasks, k=8",
                (r.mean_exact(Group::FamiliesUncommon, 8) + r.mean_exact(Group::FamiliesRandom, 8))
                    / 2.0,
                0.90,
            ),
            ("copy, k=8", families(r, "copy"), 0.98),
            ("substitution, k=8", families(r, "substitution"), 0.90),
        ]
    };
    for ((name, now, bar), (_, then, _)) in figures(&fresh).into_iter().zip(figures(&recorded)) {
        eprintln!("{name}: {now:.2} (recorded {then:.2}, the issue's bar {bar:.2})");
        assert!(now >= then - 0.05, "{name}: {now:.2}, recorded {then:.2}");
    }
    for g in [Group::HeldOut, Group::HeldOutPair] {
        let (now, then) = (fresh.mean_exact(g, 0), recorded.mean_exact(g, 0));
        eprintln!(
            "{}, k=0: {now:.2} (recorded {then:.2}, the issue's bar ≤ 0.10)",
            g.name()
        );
        assert!(
            now <= then + 0.05,
            "{} at k=0: {now:.2}, recorded {then:.2}",
            g.name()
        );
    }
}

/// The default model's figures across prompt formats (the format issue's bar: held-out
/// formats' mean exact match at k = 8 no more than 5 points below the default template's).
/// Scored afresh on the very prompts of its shipped `eval.json`, no group's mean may fall
/// more than 5 points below the figure recorded there.
#[test]
fn the_default_keeps_its_recorded_format_figures() {
    let id = default_model();
    use icl_model::eval::format_report::{FormatGroup, evaluate_formats};
    let m = shipped(&id);
    let recorded = default_recorded(&id)
        .formats
        .expect("the default's eval.json scores the formats");
    let per_split = recorded
        .cells
        .iter()
        .filter(|c| c.group == FormatGroup::HeldOut && c.k == 8)
        .count();
    let fresh = evaluate_formats(
        &m,
        per_split,
        recorded.programs,
        recorded.queries,
        recorded.seed,
        &[8],
    );
    let formats = |r: &icl_model::eval::format_report::FormatReport| -> Vec<String> {
        r.cells
            .iter()
            .filter(|c| c.k == 8)
            .map(|c| c.format.clone())
            .collect()
    };
    assert_eq!(
        formats(&fresh),
        formats(&recorded),
        "the evaluation now chooses other formats: record eval.json anew (`icl eval --formats`)"
    );
    for g in FormatGroup::ALL {
        let (now, then) = (fresh.mean_exact(g, 8), recorded.mean_exact(g, 8));
        eprintln!("{}, k=8: {now:.2} (recorded {then:.2})", g.name());
        assert!(
            now >= then - 0.05,
            "{}: {now:.2}, recorded {then:.2}",
            g.name()
        );
    }
    let gap = fresh.mean_exact(FormatGroup::Default, 8) - fresh.mean_exact(FormatGroup::HeldOut, 8);
    eprintln!(
        "held-out formats are {:.0} points below the default template (the issue's bar: ≤ 5)",
        gap * 100.0
    );
}

/// The visitor's test on the default model's shipped weights (eleven everyday rules, four visitors'
/// examples on common words, seven formats visitors write; fixed prompts): scored afresh, the
/// whole test and each format at k = 8 may not fall more than 5 points below the figures
/// recorded in its `eval.json`.
#[test]
fn the_default_keeps_its_recorded_visitor_figures() {
    let id = default_model();
    use icl_model::eval::visitor_report::{FORMATS, evaluate_visitor};
    let m = shipped(&id);
    let recorded = default_recorded(&id)
        .visitor
        .expect("the default's eval.json scores the visitor's test (`icl eval --visitor`)");
    let fresh = evaluate_visitor(&m, &[8]);
    let (now, then) = (fresh.overall(8), recorded.overall(8));
    eprintln!("every format, k=8: {now:.2} (recorded {then:.2})");
    assert!(
        now >= then - 0.05,
        "every format: {now:.2}, recorded {then:.2}"
    );
    for f in FORMATS {
        let (now, then) = (fresh.of_format(f, 8), recorded.of_format(f, 8));
        eprintln!("{f}, k=8: {now:.2} (recorded {then:.2})");
        assert!(now >= then - 0.05, "{f}: {now:.2}, recorded {then:.2}");
    }
}
