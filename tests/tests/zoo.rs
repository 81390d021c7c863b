//! Fast checks of the shipped weights: the attention-only models show (or lack) the circuits
//! the page teaches.

use icl_model::backend::Backend;
use icl_model::manifest::{MANIFEST_FILE, Manifest};
use icl_model::metrics::{HeadScores, head_scores};
use icl_model::model::Model;
use icl_model::weights::load_verified;
use icl_tests::repo_root;

fn shipped(id: &str) -> Model {
    let dir = repo_root().join("public/models");
    let manifest =
        Manifest::parse(&std::fs::read_to_string(dir.join(MANIFEST_FILE)).unwrap()).unwrap();
    let e = manifest
        .get(id)
        .unwrap_or_else(|| panic!("{id} is not in the manifest"));
    assert!(e.training.steps > 0, "{id} ships untrained weights");
    assert!(
        e.checkpoints.len() >= 10,
        "{id} ships {} checkpoints",
        e.checkpoints.len()
    );
    let bytes = std::fs::read(dir.join(&e.file)).unwrap();
    load_verified(&bytes, e.bytes, &e.sha256, &Backend::Flex.device())
        .unwrap()
        .0
}

fn scores(id: &str) -> HeadScores {
    let m = shipped(id);
    head_scores(&m.net, &m.device, 99, 16, 48)
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
