//! What is measured about a model, from the bottom up: [`score`] (a prompt's exact match and
//! answer log-probability), [`sweep`] (ICL curves whose points share their shots),
//! [`metrics`] (head scores and the ICL score from the forward pass, of either network as
//! [`probed`] reads it), the evaluation
//! [`report`] with its [`rule_report`] and [`format_report`] parts, and the page's
//! [`analysis`] of one prompt, and the [`in_weights`] comparison of a tune with the examples in context;
//! [`visitor_report`]: everyday rules in visitors' formats, on fixed prompts;
//! [`scaling`]: what a ladder of models across sizes is measured by (character accuracy, the
//! loss's power law in compute), and the [`ladder_report`] that measures the ladder by it.

pub mod analysis;
pub mod format_report;
pub mod in_weights;
pub mod ladder_report;
pub mod metrics;
pub mod probed;
pub mod report;
pub mod rule_report;
pub mod scaling;
pub mod score;
pub mod sweep;
pub mod visitor_report;
