//! The console's administration pages (settings, e-mails, applications, tokens,
//! administrators, extensions, connections, deliveries, the audit log, the funnel) in French.

use crate::console::admin_browser;
use crate::helpers::*;

#[tokio::test]
async fn the_administration_pages_speak_french() {
    let app = spawn_app().await;
    let (mut browser, _) = admin_browser(&app).await;
    browser.accept_language = Some("fr".into());
    // (page, its h1, one more element and the start of its text)
    let pages = [
        (
            "/admin/settings",
            "Réglages",
            "#limits-title",
            "Durées et limites",
        ),
        (
            "/admin/settings/branding",
            "Identité visuelle",
            "#name-title",
            "Nom et couleur",
        ),
        (
            "/admin/settings/limits",
            "Durées et limites",
            "legend h2",
            "Parcours",
        ),
        (
            "/admin/settings/password",
            "Politique de mots de passe",
            "#policy-title",
            "Ce que doit être",
        ),
        (
            "/admin/settings/emails",
            "Textes des e-mails",
            "#sms-title",
            "SMS",
        ),
        (
            "/admin/settings/applications",
            "Applications clientes",
            "#new-title",
            "Inscrire une application",
        ),
        ("/admin/tokens", "Jetons d’API", "#create", "Créer un jeton"),
        (
            "/admin/admins",
            "Administrateurs",
            "#add",
            "Ajouter un administrateur",
        ),
        (
            "/admin/extensions",
            "Extensions",
            "#add-title",
            "Ajouter une extension",
        ),
        (
            "/admin/connections",
            "Connexions",
            "#add-title",
            "Ajouter une connexion",
        ),
        (
            "/admin/deliveries",
            "Livraisons d’événements",
            "main p",
            "Les événements",
        ),
        ("/admin/audit", "Journal d’audit", "label[for=who]", "Qui"),
        (
            "/admin/funnel",
            "Entonnoir",
            "#definitions-title",
            "Ce que signifient",
        ),
    ];
    for (path, h1, css, text) in pages {
        let page = browser.get(path).await;
        assert_eq!(page.h1(), h1, "{path}");
        assert!(
            page.text_of(css).starts_with(text),
            "{path}: {}",
            page.text_of(css)
        );
        assert!(
            !page.html.contains(">ui.") && !page.html.contains("\"ui."),
            "{path}: a key shows instead of its text: {}",
            page.html
        );
    }
    let email = browser.get("/admin/settings/emails/otp").await;
    assert_eq!(email.h1(), "Code de vérification");
    assert_eq!(email.text_of("#preview-title"), "Aperçu");
    assert!(!email.html.contains(">ui."), "{}", email.html);
}
