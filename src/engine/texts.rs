//! The message keys flows name through `{{t(key)}}`: what the console's texts page shows as
//! in use, and by which flow.

use super::{Engine, EngineError, FlowDefinition, FlowType, flatten};
use crate::i18n::message_ref;
use std::collections::{BTreeMap, BTreeSet};

impl FlowDefinition {
    /// The message keys this definition names through `{{t(key)}}`, each once, sorted.
    pub fn message_keys(&self) -> Vec<String> {
        let keys: BTreeSet<String> = self
            .steps
            .iter()
            .flat_map(|s| step_message_keys(s.components()))
            .collect();
        keys.into_iter().collect()
    }

    /// Each step's id with the message keys its components name, in the definition's order.
    pub fn message_keys_by_step(&self) -> Vec<(String, Vec<String>)> {
        self.steps
            .iter()
            .map(|s| (s.id.clone(), step_message_keys(s.components())))
            .filter(|(_, keys)| !keys.is_empty())
            .collect()
    }
}

/// The keys one step's components name, each once, sorted.
pub fn step_message_keys(components: &[super::Component]) -> Vec<String> {
    let mut keys = BTreeSet::new();
    {
        {
            for c in flatten(components) {
                let config = &c.config;
                let texts = [
                    &config.text,
                    &config.label,
                    &config.hint,
                    &config.placeholder,
                    &config.alt,
                ];
                let options = config.options.iter().map(|o| o.label.as_str());
                for raw in texts
                    .into_iter()
                    .flatten()
                    .map(String::as_str)
                    .chain(options)
                {
                    if let Some(key) = message_ref(raw) {
                        keys.insert(key.to_owned());
                    }
                }
            }
        }
    }
    keys.into_iter().collect()
}

/// A flow that uses a key: its type, the step, and whether it is the published version or
/// the draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyUse {
    pub flow_type: FlowType,
    pub step: String,
    pub published: bool,
}

/// One flow type's definitions a person may meet or an operator is editing.
pub(super) struct FlowTexts {
    pub flow_type: FlowType,
    pub published: Option<FlowDefinition>,
    pub draft: Option<FlowDefinition>,
}

impl Engine {
    /// Each flow type's published definition and draft, read once for the texts pages.
    pub(super) async fn flow_texts(&self) -> Result<Vec<FlowTexts>, EngineError> {
        let mut out = Vec::new();
        for flow_type in FlowType::ALL {
            let published = match self.inner.store.published_flow(flow_type).await? {
                Some((id, _)) => self.flow_version(id).await?.map(|v| v.definition),
                None => None,
            };
            let draft = self.draft(flow_type).await?.map(|d| d.definition);
            out.push(FlowTexts {
                flow_type,
                published,
                draft,
            });
        }
        Ok(out)
    }

    /// Every message key the published flows and the drafts name, with where.
    pub async fn message_keys_in_use(&self) -> Result<BTreeMap<String, Vec<KeyUse>>, EngineError> {
        Ok(keys_in_use(&self.flow_texts().await?))
    }
}

/// Every message key `flows` name, with where.
pub(super) fn keys_in_use(flows: &[FlowTexts]) -> BTreeMap<String, Vec<KeyUse>> {
    let mut used: BTreeMap<String, Vec<KeyUse>> = BTreeMap::new();
    for f in flows {
        if let Some(published) = &f.published {
            add_uses(&mut used, published, f.flow_type, true);
        }
        if let Some(draft) = &f.draft {
            add_uses(&mut used, draft, f.flow_type, false);
        }
    }
    used
}

fn add_uses(
    used: &mut BTreeMap<String, Vec<KeyUse>>,
    definition: &FlowDefinition,
    flow_type: FlowType,
    published: bool,
) {
    for (step, keys) in definition.message_keys_by_step() {
        for key in keys {
            used.entry(key).or_default().push(KeyUse {
                flow_type,
                step: step.clone(),
                published,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::compiled_keys;
    use std::collections::HashSet;

    #[test]
    fn message_keys_lists_the_keys_a_flow_names() {
        let def: FlowDefinition = serde_json::from_value(serde_json::json!({
            "flowType": "REGISTRATION",
            "name": "t",
            "start": "a",
            "steps": [
                {"id": "a", "type": "VIEW", "components": [
                    {"id": "h", "type": "TYPOGRAPHY", "variant": "H1", "config": {"text": "{{t(register.title)}}"}},
                    {"id": "f", "type": "FORM", "components": [
                        {"id": "n", "type": "INPUT", "variant": "TEXT", "config": {
                            "identifier": "nickname",
                            "label": "{{t(terms.nickname)}}",
                            "hint": "{{ t(terms.nickname.hint) }}",
                            "placeholder": "{{t(field.given_name)}}"
                        }},
                        {"id": "c", "type": "INPUT", "variant": "DROPDOWN", "config": {
                            "identifier": "country",
                            "label": "Country",
                            "options": [
                                {"value": "fr", "label": "{{t(country.fr)}}"},
                                {"value": "xx", "label": "Elsewhere"}
                            ]
                        }},
                        {"id": "i", "type": "IMAGE", "config": {"src": "/x.png", "alt": "{{t(image.alt)}}"}},
                        {"id": "b", "type": "BUTTON", "variant": "PRIMARY", "actionId": "go", "config": {"text": "{{t(register.title)}}", "type": "submit"}}
                    ]}
                ], "actions": [{"ref": "b", "next": "end"}]},
                {"id": "end", "type": "END", "components": [
                    {"id": "t", "type": "TYPOGRAPHY", "variant": "BODY1", "config": {"text": "Hello {given_name}"}}
                ]}
            ]
        }))
        .unwrap();
        assert_eq!(
            def.message_keys(),
            [
                "country.fr",
                "field.given_name",
                "image.alt",
                "register.title",
                "terms.nickname",
                "terms.nickname.hint"
            ]
        );
    }

    #[test]
    fn starter_templates_name_only_known_keys() {
        let keys: HashSet<String> = compiled_keys().into_iter().collect();
        let mut seen = 0;
        for template in crate::engine::starter::all() {
            let def = template.definition().unwrap();
            for key in def.message_keys() {
                seen += 1;
                assert!(keys.contains(&key), "{}: {key}", template.id);
            }
        }
        assert!(seen > 10);
    }
}
