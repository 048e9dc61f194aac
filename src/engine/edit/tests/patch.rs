//! Updating a component's settings through a `ComponentPatch`.

use super::*;

#[test]
fn add_then_update_round_trip() {
    let mut def = registration();
    ok(&mut def, add_nickname());
    let said = ok(
        &mut def,
        update(
            "details",
            "nickname",
            &[
                ("identifier", " nickname "),
                ("label", "Nickname"),
                ("placeholder", "e.g. Kim"),
                ("hint", "What we call you"),
                ("required", "true"),
                ("default_value", "friend"),
                ("min_length", "2"),
                ("max_length", " 40 "),
                ("pattern", "[a-z]+"),
                ("pattern_message", "Lower-case letters only"),
                ("password_policy", "false"),
                // Not used by a text input: ignored.
                ("text", "ignored"),
                ("length", "junk"),
                ("src", "javascript:alert(1)"),
                ("options", "a|A"),
            ],
        ),
    );
    assert_eq!(said, "'nickname' of 'details' saved.");
    let c = component(&def, "details", "nickname");
    assert_eq!(c.config.identifier.as_deref(), Some("nickname"));
    assert_eq!(c.config.label.as_deref(), Some("Nickname"));
    assert_eq!(c.config.placeholder.as_deref(), Some("e.g. Kim"));
    assert_eq!(c.config.hint.as_deref(), Some("What we call you"));
    assert!(c.config.required);
    assert_eq!(c.config.default_value.as_deref(), Some("friend"));
    assert_eq!(
        c.config.validations,
        vec![
            Validation::MinLength { value: 2 },
            Validation::MaxLength { value: 40 },
            Validation::Regex {
                pattern: "[a-z]+".into(),
                message: Some("Lower-case letters only".into()),
            },
        ]
    );
    assert_eq!(c.config.text, None);
    assert!(c.config.options.is_empty());
    assert_eq!(c.config.length, None);

    // The stored JSON reads back as the same thing.
    let json = serde_json::to_string(&def).unwrap();
    assert_eq!(serde_json::from_str::<FlowDefinition>(&json).unwrap(), def);

    // Fields the form did not carry stay; empty ones clear.
    ok(
        &mut def,
        update(
            "details",
            "nickname",
            &[
                ("hint", ""),
                ("min_length", ""),
                ("pattern", ""),
                ("password_policy", "true"),
            ],
        ),
    );
    let c = component(&def, "details", "nickname");
    assert_eq!(c.config.hint, None);
    assert_eq!(c.config.label.as_deref(), Some("Nickname"));
    assert_eq!(
        c.config.validations,
        vec![
            Validation::MaxLength { value: 40 },
            Validation::PasswordPolicy
        ]
    );
    // An empty patch changes nothing.
    let before = def.clone();
    ok(&mut def, update("details", "nickname", &[]));
    assert_eq!(def, before);
}

#[test]
fn update_keeps_rule_order_and_messages() {
    let mut def = registration();
    // given_name carries MAX_LENGTH 100 from the template.
    ok(
        &mut def,
        update("details", "given_name", &[("pattern", "\\p{L}+")]),
    );
    ok(
        &mut def,
        update("details", "given_name", &[("max_length", "50")]),
    );
    assert_eq!(
        component(&def, "details", "given_name").config.validations,
        vec![
            Validation::MaxLength { value: 50 },
            Validation::Regex {
                pattern: "\\p{L}+".into(),
                message: None
            },
        ]
    );
}

#[test]
fn update_variant_and_variant_specific_fields() {
    let mut def = registration();
    ok(
        &mut def,
        update(
            "details",
            "given_name",
            &[
                ("variant", "DROPDOWN"),
                ("options", "fi|Finland\r\n\r\n se | Sweden \nno"),
            ],
        ),
    );
    let c = component(&def, "details", "given_name");
    assert_eq!(c.variant, Some(Variant::Dropdown));
    let options: Vec<(&str, &str)> = c
        .config
        .options
        .iter()
        .map(|o| (o.value.as_str(), o.label.as_str()))
        .collect();
    assert_eq!(options, [("fi", "Finland"), ("se", "Sweden"), ("no", "no")]);

    // Leaving DROPDOWN drops its options; OTP gets a length; secrets lose defaults.
    ok(
        &mut def,
        update(
            "details",
            "given_name",
            &[("variant", "otp"), ("default_value", "123456")],
        ),
    );
    let c = component(&def, "details", "given_name");
    assert_eq!(c.variant, Some(Variant::Otp));
    assert!(c.config.options.is_empty());
    assert_eq!(c.config.length, Some(6));
    assert_eq!(c.config.default_value, None);
    ok(&mut def, update("enter_code", "otp", &[("length", "8")]));
    assert_eq!(component(&def, "enter_code", "otp").config.length, Some(8));

    ok(
        &mut def,
        update(
            "details",
            "heading",
            &[("variant", "H2"), ("text", "Join us")],
        ),
    );
    let heading = component(&def, "details", "heading");
    assert_eq!(heading.variant, Some(Variant::H2));
    assert_eq!(heading.config.text.as_deref(), Some("Join us"));

    ok(&mut def, add("details", ComponentType::Image, None, "logo"));
    ok(
        &mut def,
        update(
            "details",
            "logo",
            &[
                ("variant", ""),
                ("src", " /static/logo.svg "),
                ("alt", "Logo"),
            ],
        ),
    );
    let logo = component(&def, "details", "logo");
    assert_eq!(logo.config.src.as_deref(), Some("/static/logo.svg"));
    assert_eq!(logo.config.alt.as_deref(), Some("Logo"));
    assert_eq!(logo.variant, None);
}

#[test]
fn update_refusals() {
    let mut def = registration();
    // (component, the form fields sent, the field refused, its code)
    #[rustfmt::skip]
    let cases: [(&str, Fields, &str, &str); 16] = [
        ("given_name", &[("variant", "H1")], "variant", "bad_variant"),
        ("given_name", &[("variant", "HUGE")], "variant", "bad_variant"),
        ("given_name", &[("variant", "")], "variant", "bad_variant"),
        ("heading", &[("variant", "PRIMARY")], "variant", "bad_variant"),
        ("given_name", &[("min_length", "abc")], "min_length", "not_a_number"),
        ("given_name", &[("max_length", "-1")], "max_length", "not_a_number"),
        ("given_name", &[("max_length", "0")], "max_length", "out_of_range"),
        // Against the template's MAX_LENGTH 100.
        ("given_name", &[("min_length", "101")], "min_length", "min_above_max"),
        ("given_name", &[("min_length", "10"), ("max_length", "5")], "min_length", "min_above_max"),
        ("given_name", &[("pattern", "([a-z]")], "pattern", "bad_pattern"),
        ("given_name", &[("identifier", " ")], "identifier", "required"),
        ("given_name", &[("identifier", "first name")], "identifier", "invalid_identifier"),
        ("given_name", &[("id", "email")], "id", "duplicate_component"),
        ("given_name", &[("id", "given name")], "id", "invalid_id"),
        ("terms", &[("variant", "DROPDOWN"), ("options", "a\na|again")], "options", "duplicate_option"),
        ("terms", &[("variant", "DROPDOWN"), ("options", "|nothing")], "options", "bad_option"),
    ];
    for (id, fields, field, code) in cases {
        let e = refused(&mut def, update("details", id, fields));
        assert_eq!((e.field, e.code), (field, code), "{id} {fields:?}");
    }

    for (length, code) in [
        ("3", "out_of_range"),
        ("11", "out_of_range"),
        ("six", "not_a_number"),
        ("", "not_a_number"),
    ] {
        let e = refused(&mut def, update("enter_code", "otp", &[("length", length)]));
        assert_eq!((e.field, e.code), ("length", code), "{length}");
    }

    ok(&mut def, add("details", ComponentType::Image, None, "logo"));
    for src in [
        "javascript:alert(1)",
        "data:image/png;base64,AA",
        "//evil.example/x.png",
    ] {
        let e = refused(&mut def, update("details", "logo", &[("src", src)]));
        assert_eq!((e.field, e.code), ("src", "bad_src"), "{src}");
    }

    for (step, id, field, code) in [
        ("details", "ghost", "component", "unknown_component"),
        ("ghost", "email", "step", "unknown_step"),
        ("send_code", "email", "step", "not_a_view"),
    ] {
        let e = refused(&mut def, update(step, id, &[]));
        assert_eq!((e.field, e.code), (field, code), "{step} {id}");
    }
}

#[test]
fn renaming_a_button_moves_its_action() {
    let mut def = registration();
    let said = ok(
        &mut def,
        update(
            "enter_code",
            "resend",
            &[("id", "send_again"), ("text", "Send again")],
        ),
    );
    assert_eq!(said, "'resend' of 'enter_code' saved as 'send_again'.");
    let button = component(&def, "enter_code", "send_again");
    assert_eq!(button.button_action(), Some("send_again"));
    assert_eq!(button.config.text.as_deref(), Some("Send again"));
    assert!(actions(&def, "enter_code").contains(&("send_again".into(), "send_code".into())));
    assert_eq!(def.validate(), vec![]);

    // An input keeps its identifier when renamed.
    ok(&mut def, update("details", "email", &[("id", "mail")]));
    assert_eq!(
        component(&def, "details", "mail").attribute(),
        Some("email")
    );
    assert_eq!(def.validate(), vec![]);
}

#[test]
fn renaming_a_button_onto_a_stray_action_is_refused() {
    let mut def = registration();
    if let StepKind::View { actions, .. } = &mut def.steps[3].kind {
        actions.push(Action {
            button: "stray".into(),
            next: "done".into(),
        });
    }
    let e = refused(&mut def, update("enter_code", "resend", &[("id", "stray")]));
    assert_eq!((e.field, e.code), ("id", "duplicate_action"));
}

#[test]
fn control_characters_and_huge_texts_are_refused() {
    let mut def = registration();
    let before = def.clone();
    let label = |text: &str| update("details", "email", &[("label", text)]);
    for (text, code) in [
        ("a\u{0}b".to_owned(), "control_character"),
        ("a\u{1b}[31m".to_owned(), "control_character"),
        ("x".repeat(10_001), "too_long"),
    ] {
        assert_eq!(refused(&mut def, label(&text)).code, code, "{text:?}");
    }
    let info = flow_info("A\u{7}", "");
    assert_eq!(refused(&mut def, info).code, "control_character");
    assert_eq!(def, before);
    ok(&mut def, label("Line one\r\nline two\tand a tab"));
}
