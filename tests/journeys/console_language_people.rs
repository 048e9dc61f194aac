//! The console's people pages in French: Users, one account and what is done to it,
//! Invitations and Approvals answer in the administrator's language, no key showing.

use crate::console::admin_browser;
use crate::helpers::*;

/// `page` speaks French: its h1 is `h1`, `selector`'s text holds `words`, and no catalogue key
/// shows instead of its text.
fn in_french(page: &Page, h1: &str, selector: &str, words: &str) {
    assert_eq!(page.h1(), h1, "{}", page.html);
    let text = page.text_of(selector);
    assert!(text.contains(words), "{selector}: {text}");
    assert!(
        !page.html.contains(">ui.") && !page.html.contains("\"ui."),
        "a key shows instead of its text: {}",
        page.html
    );
}

#[tokio::test]
async fn the_people_pages_speak_french() {
    let app = spawn_app().await;
    let (mut browser, _) = admin_browser(&app).await;
    let email = unique_email("ada");
    register_fully(&app, "Ada", &email).await;
    let id = stored_user(&app, &email).await.id;
    browser.accept_language = Some("fr".into());

    let users = browser.get("/admin/users").await;
    in_french(&users, "Utilisateurs", "legend", "Avec les comptes choisis");

    let user = browser.get(&format!("/admin/users/{id}")).await;
    in_french(
        &user,
        &email,
        "#recovery-title",
        "Récupération du mot de passe",
    );

    let confirm = browser.get(&format!("/admin/users/{id}/disable")).await;
    in_french(
        &confirm,
        &format!("Désactiver {email} ?"),
        ".actions",
        "Annuler",
    );

    let invitations = browser.get("/admin/invitations").await;
    in_french(
        &invitations,
        "Invitations",
        "#invite-title",
        "Inviter quelqu’un",
    );

    let approvals = browser.get("/admin/approvals").await;
    in_french(&approvals, "Approbations", ".card", "approbation");
}
