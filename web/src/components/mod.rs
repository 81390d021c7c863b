//! Page components, one per file.

pub mod about_box;
pub mod attention_map;
pub mod attention_view;
pub mod builder;
pub mod chart;
pub mod compare;
pub mod completion;
pub mod compression;
pub mod download_link;
pub mod export_buttons;
pub mod focus_tip;
pub mod heads;
pub mod icl_curve;
pub mod link_choice;
pub mod live_training;
pub mod messages;
pub mod model_status;
pub mod recover;
pub mod run_panel;
pub mod scaling_strip;
pub mod settings;
pub mod side_by_side;
pub mod training;
pub mod tune_curve;
pub mod tune_panel;
pub mod tune_settings;
