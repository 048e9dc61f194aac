//! What changed between two versions, and the widgets the draft editor offers, reach a
//! French-speaking administrator in French: the sentences are the catalogue's, not English
//! built in the engine or stored in the widget files.

use crate::console::{REG, admin_browser, fields};
use crate::helpers::*;
use reqwest::StatusCode;

/// No English sentence of the diff or of the widget form, and no catalogue key, shows.
fn assert_no_english(page: &Page) {
    for english in [
        " added",
        " removed",
        "now leads to",
        "(was ",
        "Terms acceptance",
        "E-mail OTP verification",
        "(button ",
        "(outcome ",
        "The flow has no edge",
        "ui.change.",
        "ui.widget.",
        ">ui.",
    ] {
        assert!(!page.html.contains(english), "{english}: {}", page.html);
    }
}

#[tokio::test]
async fn a_french_administrator_reads_changes_and_widgets_in_french() {
    let app = spawn_app().await;
    let (mut browser, _) = admin_browser(&app).await;
    browser.accept_language = Some("fr".into());

    let flow = browser.get(REG).await;
    let (status, draft) = browser
        .post(
            &format!("{REG}/draft/start"),
            &fields(&[
                ("csrf_token", &flow.csrf()),
                ("source", "template:registration-otp"),
            ]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    // The widget form: names and descriptions, and where a widget can go, in French.
    let widgets = draft.select_all("#widget- option");
    assert!(
        widgets
            .iter()
            .any(|w| w.starts_with("Acceptation des conditions : Une page où la personne")),
        "{widgets:?}"
    );
    assert!(
        widgets
            .iter()
            .any(|w| w.starts_with("Vérification par code envoyé par e-mail")),
        "{widgets:?}"
    );
    let edges = draft.select_all("#edge- option");
    assert!(
        edges.contains(&"details → set_password (bouton continue)".to_owned()),
        "{edges:?}"
    );
    assert!(
        edges.contains(&"check_code → provision (résultat success)".to_owned()),
        "{edges:?}"
    );
    assert_no_english(&draft);

    // A widget on an edge the flow does not have is refused in French.
    let revision = draft.attr("input[name=revision]", "value").unwrap();
    let (status, refused) = browser
        .post(
            &format!("{REG}/draft/widget"),
            &fields(&[
                ("csrf_token", &draft.csrf()),
                ("revision", &revision),
                ("widget", "terms"),
                ("edge", "b:ghost:nothing"),
            ]),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let error = refused.field_error("widget-").unwrap_or_default();
    assert!(
        error.contains("Le parcours n’a pas de liaison « b:ghost:nothing »."),
        "{}",
        refused.html
    );
    assert_no_english(&refused);

    // The terms page goes in after the code is checked, and the draft is published.
    let (status, inserted) = browser
        .post(
            &format!("{REG}/draft/widget"),
            &fields(&[
                ("csrf_token", &draft.csrf()),
                ("revision", &revision),
                ("widget", "terms"),
                ("edge", "o:check_code:success"),
            ]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let notice = inserted.notice().unwrap_or_default();
    assert!(
        notice.starts_with("Widget « Acceptation des conditions » inséré"),
        "{}",
        inserted.html
    );

    let expected = [
        "Le résultat « success » mène désormais à « terms » (avant : « provision »).",
        "Étape « terms » ajoutée (page).",
    ];
    let diff = browser
        .get(&format!("{REG}/diff?from=published&to=draft"))
        .await;
    assert_eq!(diff.status, StatusCode::OK);
    let changes = diff.select_all(".change");
    assert_eq!(changes.len(), expected.len(), "{changes:?}");
    for (change, sentence) in changes.iter().zip(expected) {
        assert!(change.ends_with(sentence), "{change:?} is not {sentence:?}");
    }
    assert!(changes[1].starts_with("ajouté"), "{changes:?}");
    assert_no_english(&diff);

    let revision = inserted.attr("input[name=revision]", "value").unwrap();
    let (status, published) = browser
        .post(
            &format!("{REG}/draft/publish"),
            &fields(&[("csrf_token", &inserted.csrf()), ("revision", &revision)]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", published.html);

    // Two versions now differ by the same two changes, said the same way.
    let versions = browser.get(&format!("{REG}/diff?from=1&to=2")).await;
    assert_eq!(versions.status, StatusCode::OK);
    let changes = versions.select_all(".change");
    assert_eq!(changes.len(), expected.len(), "{changes:?}");
    for (change, sentence) in changes.iter().zip(expected) {
        assert!(change.ends_with(sentence), "{change:?} is not {sentence:?}");
    }
    assert_no_english(&versions);

    // The same comparison in English for an administrator who reads English.
    browser.accept_language = Some("en".into());
    let english = browser.get(&format!("{REG}/diff?from=1&to=2")).await;
    let changes = english.select_all(".change");
    assert!(
        changes
            .iter()
            .any(|c| c.ends_with("Outcome 'success' now leads to 'terms' (was 'provision').")),
        "{changes:?}"
    );
    assert!(
        changes
            .iter()
            .any(|c| c.ends_with("Step 'terms' added (view).")),
        "{changes:?}"
    );
}
