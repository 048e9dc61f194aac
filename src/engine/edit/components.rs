//! The component tree of a view or end step: adding, moving and removing components, and the
//! ids and kinds offered for new ones.

use super::{
    ComponentMove, DEFAULT_OTP_DIGITS, EditError, check_new_component_id, component_parts, free_id,
    refuse,
};
use crate::engine::graph::{FlowDefinition, Step};
use crate::engine::view::{
    Component, ComponentConfig, ComponentType, Validation, Variant, flatten,
};
use crate::i18n::Said;

/// An id not yet used by any component of `step` (nested ones count), from `base`, as
/// `free_step_id` does for steps.
pub fn free_component_id(def: &FlowDefinition, step: &str, base: &str) -> String {
    let components = def.step(step).map(Step::components).unwrap_or_default();
    let all = flatten(components);
    free_id(base, "component", |id| all.iter().any(|c| c.id == id))
}

/// The component types and variants an admin may add, for select lists built from the schema:
/// (ComponentType, Option<Variant>, the catalogue key of its name, e.g. `ui.component.text_input`),
/// so that each administrator reads the list in their language.
pub fn addable_components() -> Vec<(ComponentType, Option<Variant>, &'static str)> {
    use ComponentType as T;
    use Variant as V;
    vec![
        (T::Typography, Some(V::H1), "ui.component.heading_1"),
        (T::Typography, Some(V::H2), "ui.component.heading_2"),
        (T::Typography, Some(V::H3), "ui.component.heading_3"),
        (T::Typography, Some(V::H4), "ui.component.heading_4"),
        (T::Typography, Some(V::H5), "ui.component.heading_5"),
        (T::Typography, Some(V::H6), "ui.component.heading_6"),
        (T::Typography, Some(V::Body1), "ui.component.paragraph"),
        (T::Typography, Some(V::Body2), "ui.component.small_print"),
        (T::RichText, None, "ui.component.rich_text"),
        (T::Form, None, "ui.component.form"),
        (T::Input, Some(V::Text), "ui.component.text_input"),
        (T::Input, Some(V::Email), "ui.component.email_input"),
        (T::Input, Some(V::Password), "ui.component.password_input"),
        (T::Input, Some(V::Telephone), "ui.component.telephone_input"),
        (T::Input, Some(V::Number), "ui.component.number_input"),
        (T::Input, Some(V::Date), "ui.component.date_input"),
        (T::Input, Some(V::Otp), "ui.component.otp_input"),
        (T::Input, Some(V::Checkbox), "ui.component.checkbox"),
        (T::Input, Some(V::Dropdown), "ui.component.dropdown"),
        (T::Button, Some(V::Primary), "ui.component.primary_button"),
        (
            T::Button,
            Some(V::Secondary),
            "ui.component.secondary_button",
        ),
        (T::Button, Some(V::Text), "ui.component.text_button"),
        (T::Button, Some(V::Social), "ui.component.social_button"),
        (T::Divider, None, "ui.component.divider"),
        (T::Image, None, "ui.component.image"),
    ]
}

/// Indices from the top level down to the component called `id`.
fn find_path(components: &[Component], id: &str) -> Option<Vec<usize>> {
    components.iter().enumerate().find_map(|(i, c)| {
        if c.id == id {
            return Some(vec![i]);
        }
        find_path(&c.components, id).map(|mut rest| {
            rest.insert(0, i);
            rest
        })
    })
}

/// The list holding the component at `path` (the top level for a one-index path).
fn siblings_mut<'a>(
    components: &'a mut Vec<Component>,
    path: &[usize],
) -> Option<&'a mut Vec<Component>> {
    match path.split_first() {
        None | Some((_, [])) => Some(components),
        Some((first, rest)) => siblings_mut(&mut components.get_mut(*first)?.components, rest),
    }
}

pub(super) fn component_mut<'a>(
    components: &'a mut Vec<Component>,
    path: &[usize],
) -> Option<&'a mut Component> {
    siblings_mut(components, path)?.get_mut(*path.last()?)
}

pub(super) fn unknown_component(field: &'static str, step: &str, id: &str) -> EditError {
    refuse(
        field,
        "unknown_component",
        Said::new("ui.edit.unknown_component")
            .with("step", step)
            .with("component", id),
    )
}

pub(super) fn locate(
    components: &[Component],
    step: &str,
    id: &str,
) -> Result<Vec<usize>, EditError> {
    find_path(components, id).ok_or_else(|| unknown_component("component", step, id))
}

pub(super) fn check_variant(
    field: &'static str,
    kind: ComponentType,
    variant: Option<Variant>,
) -> Result<(), EditError> {
    match variant {
        Some(v) if !kind.variants().contains(&v) => Err(refuse(
            field,
            "bad_variant",
            if kind.variants().is_empty() {
                Said::new("ui.edit.no_variant").with("kind", kind.as_name())
            } else {
                Said::new("ui.edit.variant_misfit")
                    .with("variant", v.as_name())
                    .with("kind", kind.as_name())
                    .with("variants", names(kind.variants()))
            },
        )),
        _ => Ok(()),
    }
}

pub(super) fn names(variants: &[Variant]) -> String {
    variants
        .iter()
        .map(|v| v.as_name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A new component with a config that renders and validates sensibly as it is.
pub(super) fn new_component(kind: ComponentType, variant: Option<Variant>, id: &str) -> Component {
    let variant = variant.or(match kind {
        ComponentType::Input => Some(Variant::Text),
        ComponentType::Button => Some(Variant::Primary),
        ComponentType::Typography => Some(Variant::Body1),
        _ => None,
    });
    let mut config = ComponentConfig::default();
    let mut action_id = None;
    match kind {
        ComponentType::Input => match variant {
            Some(Variant::Otp) => {
                config.identifier = Some("otp".into());
                config.label = Some("{{t(field.otp)}}".into());
                config.required = true;
                config.length = Some(DEFAULT_OTP_DIGITS);
            }
            Some(Variant::Password) => {
                config.identifier = Some(id.to_owned());
                config.label = Some(id.to_owned());
                config.required = true;
                config.validations = vec![Validation::PasswordPolicy];
            }
            _ => {
                config.identifier = Some(id.to_owned());
                config.label = Some(id.to_owned());
            }
        },
        ComponentType::Button => {
            action_id = Some(id.to_owned());
            config.text = Some("Continue".into());
            config.button_type = Some("submit".into());
        }
        ComponentType::Typography => {
            let heading = !matches!(variant, Some(Variant::Body1 | Variant::Body2));
            config.text = Some(if heading { "Heading" } else { "Text" }.into());
        }
        ComponentType::RichText => config.text = Some("Text".into()),
        ComponentType::Form | ComponentType::Divider | ComponentType::Image => {}
    }
    Component {
        id: id.to_owned(),
        kind,
        variant,
        config,
        components: Vec::new(),
        action_id,
    }
}

pub(super) fn add_component(
    def: &mut FlowDefinition,
    step: &str,
    kind: ComponentType,
    variant: Option<Variant>,
    id: &str,
    parent: Option<&str>,
) -> Result<Said, EditError> {
    let (components, actions) = component_parts(def, step)?;
    if actions.is_none() && matches!(kind, ComponentType::Input | ComponentType::Button) {
        return Err(refuse(
            "kind",
            "not_in_end",
            Said::new("ui.edit.not_in_end")
                .with("step", step)
                .with("kind", kind.as_name()),
        ));
    }
    check_variant("variant", kind, variant)?;
    check_new_component_id(components, step, id)?;
    let component = new_component(kind, variant, id);
    match parent {
        None => {
            components.push(component);
            Ok(Said::new("ui.edit.component_added")
                .with("component", id)
                .with("step", step))
        }
        Some(form) => {
            if kind == ComponentType::Form {
                return Err(refuse(
                    "parent",
                    "nested_form",
                    Said::new("ui.edit.form_in_form"),
                ));
            }
            let form_component = top_level_form(components, step, "parent", form)?;
            form_component.components.push(component);
            Ok(Said::new("ui.edit.component_added_to_form")
                .with("component", id)
                .with("form", form)
                .with("step", step))
        }
    }
}

fn top_level_form<'a>(
    components: &'a mut [Component],
    step: &str,
    field: &'static str,
    form: &str,
) -> Result<&'a mut Component, EditError> {
    components
        .iter_mut()
        .find(|c| c.id == form && c.kind == ComponentType::Form)
        .ok_or_else(|| {
            refuse(
                field,
                "unknown_component",
                Said::new("ui.edit.no_form")
                    .with("step", step)
                    .with("form", form),
            )
        })
}

pub(super) fn remove_component(
    def: &mut FlowDefinition,
    step: &str,
    component: &str,
) -> Result<Said, EditError> {
    let (components, actions) = component_parts(def, step)?;
    let path = locate(components, step, component)?;
    let index = path.last().copied().unwrap_or_default();
    let Some(removed) = siblings_mut(components, &path)
        .filter(|s| index < s.len())
        .map(|s| s.remove(index))
    else {
        return Err(unknown_component("component", step, component));
    };
    let gone: Vec<&str> = removed
        .walk()
        .into_iter()
        .filter_map(Component::button_action)
        .collect();
    let mut lost = 0;
    if let Some(actions) = actions {
        let before = actions.len();
        actions.retain(|a| !gone.contains(&a.button.as_str()));
        lost = before - actions.len();
    }
    let children = removed.components.len();
    let said = |key| {
        Said::new(key)
            .with("component", component)
            .with("step", step)
    };
    Ok(match (children, lost) {
        (0, 0) => said("ui.edit.component_removed"),
        (_, 0) => said("ui.edit.component_removed_children").with("children", children),
        (0, _) => said("ui.edit.component_removed_actions").with("lost", lost),
        _ => said("ui.edit.component_removed_both")
            .with("children", children)
            .with("lost", lost),
    })
}

pub(super) fn move_component(
    def: &mut FlowDefinition,
    step: &str,
    component: &str,
    to: &ComponentMove,
) -> Result<Said, EditError> {
    let (components, _) = component_parts(def, step)?;
    let path = locate(components, step, component)?;
    let index = path.last().copied().unwrap_or_default();
    let (parent_path, _) = path.split_at(path.len().saturating_sub(1));
    match to {
        ComponentMove::Up | ComponentMove::Down => {
            let Some(siblings) = siblings_mut(components, &path) else {
                return Err(unknown_component("component", step, component));
            };
            let up = *to == ComponentMove::Up;
            let other = if up {
                index.checked_sub(1)
            } else {
                Some(index + 1).filter(|i| *i < siblings.len())
            };
            let key = match other {
                Some(other) => {
                    siblings.swap(index, other);
                    if up {
                        "ui.edit.component_moved_up"
                    } else {
                        "ui.edit.component_moved_down"
                    }
                }
                None if up => "ui.edit.component_already_first",
                None => "ui.edit.component_already_last",
            };
            Ok(Said::new(key).with("component", component))
        }
        ComponentMove::IntoForm(form) => {
            if parent_path.len() == 1
                && components
                    .get(parent_path[0])
                    .is_some_and(|p| p.id == *form)
            {
                return Ok(Said::new("ui.edit.component_already_in_form")
                    .with("component", component)
                    .with("form", form));
            }
            let is_form =
                component_mut(components, &path).is_some_and(|c| c.kind == ComponentType::Form);
            if is_form {
                return Err(refuse(
                    "to",
                    "nested_form",
                    Said::new("ui.edit.form_into_form"),
                ));
            }
            top_level_form(components, step, "to", form)?;
            let Some(moving) = siblings_mut(components, &path)
                .filter(|s| index < s.len())
                .map(|s| s.remove(index))
            else {
                return Err(unknown_component("component", step, component));
            };
            // Found again: taking the component out may have shifted the form.
            top_level_form(components, step, "to", form)?
                .components
                .push(moving);
            Ok(Said::new("ui.edit.component_into_form")
                .with("component", component)
                .with("form", form))
        }
        ComponentMove::OutOfForm => {
            let Some(&form_index) = parent_path.last() else {
                return Err(refuse(
                    "to",
                    "not_in_form",
                    Said::new("ui.edit.not_in_form").with("component", component),
                ));
            };
            let Some(moving) = siblings_mut(components, &path)
                .filter(|s| index < s.len())
                .map(|s| s.remove(index))
            else {
                return Err(unknown_component("component", step, component));
            };
            let Some(outer) = siblings_mut(components, parent_path) else {
                return Err(unknown_component("component", step, component));
            };
            outer.insert((form_index + 1).min(outer.len()), moving);
            Ok(Said::new("ui.edit.component_out_of_form").with("component", component))
        }
    }
}
