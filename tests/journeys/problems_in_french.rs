//! The flow builder's problems, refusals and edit summaries reach a French administrator in
//! French, while the management API keeps answering the same problems in English.

use crate::console::{REG, admin_browser, edit, fields};
use crate::helpers::*;
use crate::manage_api::create_token;
use reqwest::StatusCode;

#[tokio::test]
async fn a_french_administrator_reads_the_drafts_problems_and_edits_in_french() {
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
    assert!(draft.h1().starts_with("Brouillon de « "), "{}", draft.h1());
    // What a new component can be, and a component's variants, are named in French.
    let choices = draft.select_all("select#what-details option");
    assert!(choices.iter().any(|c| c == "Champ de texte"), "{choices:?}");
    assert!(!choices.iter().any(|c| c == "Text input"), "{choices:?}");
    assert!(
        draft
            .select_all("select option")
            .iter()
            .any(|c| c == "Bouton principal"),
        "{}",
        draft.html
    );

    // A refused edit: its reason, beside the field and in the summary, is French.
    let (status, refused) = edit(
        &browser,
        &draft,
        &[("op", "add_step"), ("kind", "view"), ("id", "details")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.html);
    assert!(
        refused
            .summary()
            .iter()
            .any(|e| e == "Il y a déjà une étape « details »."),
        "{:?}",
        refused.summary()
    );
    assert!(
        !refused.html.contains("There is already"),
        "{}",
        refused.html
    );

    // A step removed with edges leading to it: the flash says so in French, and the draft's
    // problems (those edges now lead nowhere) are French too.
    let (status, removed) = edit(
        &browser,
        &draft,
        &[("op", "remove_step"), ("step", "send_code")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", removed.html);
    let notice = removed.notice().unwrap_or_default();
    assert_eq!(
        notice,
        "Étape « send_code » supprimée ; ne mènent plus nulle part : \
         le résultat « success » de « set_password », le bouton « resend » de « enter_code ».",
        "{}",
        removed.html
    );
    let problems = removed.select_all("#problems .problem-list li");
    assert!(
        problems
            .iter()
            .any(|p| p == "« enter_code » mène à « send_code », qui n’existe pas."),
        "{problems:?}"
    );
    assert!(
        !removed.html.contains("which does not exist"),
        "{}",
        removed.html
    );
    assert!(!removed.html.contains(">ui."), "{}", removed.html);

    // A successful edit's summary alone.
    let (status, moved) = edit(
        &browser,
        &removed,
        &[
            ("op", "move_step"),
            ("step", "details"),
            ("direction", "up"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", moved.html);
    assert_eq!(
        moved.notice().as_deref(),
        Some("L’étape « details » est déjà la première.")
    );

    // The management API answers the same problem in English.
    let token = create_token(&app, "problems-in-french").await;
    let checked = reqwest::Client::new()
        .post(format!(
            "{}/api/v1/flows/REGISTRATION/validate",
            app.address
        ))
        .bearer_auth(&token)
        .send()
        .await
        .expect("request");
    assert_eq!(checked.status(), StatusCode::OK);
    let json: serde_json::Value = checked.json().await.expect("json");
    let messages: Vec<&str> = json["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .filter_map(|p| p["message"].as_str())
        .collect();
    assert!(
        messages.contains(&"'enter_code' leads to 'send_code', which does not exist."),
        "{json}"
    );
}
