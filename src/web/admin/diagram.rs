//! Placeholder until the diagram lands.
use crate::engine::FlowDefinition;

pub fn render(
    _def: &FlowDefinition,
    _problem_steps: &[String],
    _href: &dyn Fn(&str) -> String,
) -> String {
    String::new()
}
