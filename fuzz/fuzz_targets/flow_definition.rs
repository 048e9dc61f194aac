//! The flow-definition importer: JSON text becomes a `FlowDefinition` (as the console's
//! import and the management API read it), which is validated, ordered and stored. None of
//! that may panic or hang, whatever the text; what the store keeps must read back as the
//! same definition with the same problems, or a saved draft would turn into corrupt data.

#![no_main]

use flows::engine::FlowDefinition;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The importer refuses an upload that is not UTF-8 before it parses anything.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(definition) = serde_json::from_str::<FlowDefinition>(text) else {
        return;
    };
    let problems = definition.validate();
    let views = definition.views_in_order();
    assert!(views.iter().all(|id| definition.step(id).is_some()));

    let stored = definition
        .to_stored()
        .expect("a definition that was read can be written");
    let read_back = FlowDefinition::from_stored(&stored).expect("stored text reads back");
    assert_eq!(read_back, definition);
    assert_eq!(read_back.validate(), problems);
});
