//! The flow builder's pages speak French to an administrator whose browser asks for it.

use crate::console::{REG, admin_browser, fields};
use crate::helpers::*;
use reqwest::StatusCode;

#[tokio::test]
async fn the_flow_builder_speaks_french() {
    let app = spawn_app().await;
    let (mut browser, _) = admin_browser(&app).await;
    browser.accept_language = Some("fr".into());

    let flow = browser.get(REG).await;
    assert_eq!(flow.h1(), "Inscription");
    assert_eq!(flow.text_of("#draft-title"), "Brouillon");
    assert!(
        flow.text_of(".step__title").contains("Début"),
        "{}",
        flow.html
    );
    assert!(!flow.html.contains(">ui."), "{}", flow.html);

    let versions = browser.get(&format!("{REG}/versions")).await;
    assert_eq!(versions.h1(), "Historique des versions");
    assert!(versions.text_of("thead").contains("État"));
    assert!(!versions.html.contains(">ui."), "{}", versions.html);

    let version = browser.get(&format!("{REG}/versions/1")).await;
    assert!(version.h1().starts_with("Version 1 : "), "{}", version.h1());
    assert_eq!(version.text_of("#steps-title"), "Étapes");
    assert!(!version.html.contains(">ui."), "{}", version.html);

    let diff = browser.get(&format!("{REG}/diff")).await;
    assert_eq!(diff.h1(), "Comparer des versions");
    assert_eq!(diff.text_of("label[for=from]"), "De");
    assert!(!diff.html.contains(">ui."), "{}", diff.html);

    let import = browser.get(&format!("{REG}/import")).await;
    assert_eq!(import.h1(), "Importer une définition");
    assert_eq!(import.text_of("label[for=definition]"), "Ou collez-le");
    assert!(!import.html.contains(">ui."), "{}", import.html);

    let (status, draft) = browser
        .post(
            &format!("{REG}/draft/start"),
            &fields(&[
                ("csrf_token", &flow.csrf()),
                ("source", "template:registration-domains-approval"),
            ]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        draft
            .notice()
            .unwrap_or_default()
            .starts_with("Brouillon commencé"),
        "{}",
        draft.html
    );
    assert!(draft.h1().starts_with("Brouillon de « "), "{}", draft.h1());
    assert_eq!(draft.text_of("#steps-title"), "Étapes");
    assert!(
        draft.text_of(".toc").contains("composant"),
        "{}",
        draft.html
    );
    assert_eq!(draft.text_of("#rule-route-branches"), "Branches");
    assert_eq!(draft.text_of("#rule-route-try"), "Essayer la décision");
    assert!(!draft.html.contains(">ui."), "{}", draft.html);
    assert!(!draft.html.contains("ui.builder."), "{}", draft.html);

    let tried = browser
        .get(&format!(
            "{REG}/draft/decide/route?facts=email%3Dada%40example.com"
        ))
        .await;
    assert_eq!(tried.h1(), "Essayer la décision route");
    assert_eq!(tried.text_of("label[for=locale]"), "Langue");
    assert!(!tried.html.contains(">ui."), "{}", tried.html);

    let discard = browser.get(&format!("{REG}/draft/discard")).await;
    assert_eq!(discard.h1(), "Abandonner le brouillon ?");
    assert!(!discard.html.contains(">ui."), "{}", discard.html);
}
