//! The console in the operator's language: every string of a console template comes from
//! the catalogue (a literal word in any of them fails the test), each administrator chooses
//! a language that is kept, and with no choice the browser's `Accept-Language` decides.

use crate::console::{admin_browser, fields};
use crate::helpers::*;
use reqwest::StatusCode;
use std::path::Path;

/// The words a template shows as written rather than through `layout.t(…)`: its text
/// between tags and the values of attributes people read (labels, titles, placeholders).
fn literal_words(template: &str) -> Vec<String> {
    let code = regex::Regex::new(r"(?s)\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}").unwrap();
    let without_code = code.replace_all(template, " ");
    let readable = regex::Regex::new(r#"(?:aria-label|title|placeholder|alt)="([^"]*)""#).unwrap();
    let tag = regex::Regex::new(r"(?s)<[^>]*>").unwrap();
    let entity = regex::Regex::new(r"&[a-z#0-9]+;").unwrap();
    let mut words: Vec<String> = readable
        .captures_iter(&without_code)
        .map(|c| c[1].trim().to_owned())
        .collect();
    let text = tag.replace_all(&without_code, "\n");
    let text = entity.replace_all(&text, " ");
    words.extend(text.lines().map(|l| l.trim().to_owned()));
    words
        .into_iter()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .collect()
}

#[test]
fn every_console_string_comes_from_the_catalogue() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/admin");
    let mut literal = Vec::new();
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let words = literal_words(&std::fs::read_to_string(&path).unwrap());
        seen += 1;
        if !words.is_empty() {
            literal.push(format!("{name}: {words:?}"));
        }
    }
    assert!(seen > 30, "only {seen} console templates found");
    assert!(
        literal.is_empty(),
        "console strings not in the catalogue (write them as layout.t(\"ui.…\") and add the key to src/i18n/locales/console/*.ftl):\n{}",
        literal.join("\n")
    );
}

#[test]
fn the_check_sees_a_literal_word_and_lets_a_key_through() {
    assert_eq!(
        literal_words("<h1>Users</h1><nav aria-label=\"Pages\"></nav>"),
        ["Pages", "Users"]
    );
    assert!(
        literal_words("<h1>{{ layout.t(\"ui.nav.users\") }}</h1>{% if x %} · {% endif %}")
            .is_empty()
    );
}

#[tokio::test]
async fn the_console_speaks_french_to_whoever_chose_it_or_whose_browser_asks() {
    let app = spawn_app().await;
    let (mut browser, admin) = admin_browser(&app).await;

    // No choice yet: the browser's language.
    browser.accept_language = Some("fr-CH, fr;q=0.9, en;q=0.5".into());
    let texts = browser.get("/admin/messages").await;
    assert_eq!(texts.attr("html", "lang").as_deref(), Some("fr"));
    assert_eq!(texts.h1(), "Textes et traductions");
    assert_eq!(
        texts.text_of(".site-nav a[href='/admin/users']"),
        "Utilisateurs"
    );
    assert!(
        !texts.html.contains(">ui.") && !texts.html.contains(" ui."),
        "a key shows instead of its text: {}",
        texts.html
    );
    let home = browser.get("/admin").await;
    assert_eq!(
        home.text_of("#today-title"),
        "Ce qui vous attend aujourd’hui"
    );
    // The diagram's words and a preview's banner too.
    let flow = browser.get("/admin/flows/REGISTRATION").await;
    assert!(
        flow.html.contains("Schéma du parcours") && flow.html.contains(">affichage<"),
        "{}",
        flow.html
    );
    let preview = browser
        .get("/admin/flows/REGISTRATION/versions/1/preview/details")
        .await;
    assert!(
        preview.html.contains("étape details de la version 1"),
        "{}",
        preview.html
    );
    assert!(home.text_of(".flow-card h2").contains("Inscription"));

    // English chosen and kept, whatever the browser asks.
    let account = browser.get("/admin/account").await;
    assert_eq!(account.h1(), "Votre compte");
    let (status, saved) = browser
        .post(
            "/admin/account/language",
            &fields(&[("csrf_token", &account.csrf()), ("lang", "en")]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(saved.h1(), "Your account");
    assert!(saved.notice().unwrap_or_default().contains("English"));
    assert_eq!(
        saved
            .attr("select#lang option[selected]", "value")
            .as_deref(),
        Some("en")
    );
    assert_eq!(
        browser.get("/admin/messages").await.h1(),
        "Texts and translations"
    );

    // French chosen: the Texts page, its groups and a refused save speak French.
    let (_, french) = browser
        .post(
            "/admin/account/language",
            &fields(&[("csrf_token", &account.csrf()), ("lang", "fr")]),
        )
        .await;
    assert_eq!(
        french.notice().as_deref(),
        Some("La console vous parle désormais en Français.")
    );
    browser.accept_language = Some("en".into());
    let groups = browser.get("/admin/messages").await;
    assert!(groups.text_of("ul.group-list").contains("Courriels et SMS"));
    let (status, refused) = browser
        .post(
            "/admin/messages",
            &fields(&[
                ("csrf_token", &groups.csrf()),
                ("key", "register.title"),
                ("text_fr", "Rejoignez { oops"),
            ]),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        refused.text_of(".error-summary__title"),
        "Il y a un problème"
    );
    let summary = refused.text_of("#msg-register-title summary");
    assert!(summary.contains("Créez votre compte"), "{summary}");

    // Back to the browser's: "fr" is no longer stored.
    let (_, follows) = browser
        .post(
            "/admin/account/language",
            &fields(&[("csrf_token", &account.csrf()), ("lang", "")]),
        )
        .await;
    assert_eq!(follows.h1(), "Your account");
    let audit = app.store().await.recent_audit(20).await.unwrap();
    let changes = audit
        .iter()
        .filter(|a| a.action == "admin.language_changed")
        .count();
    assert_eq!(changes, 3, "{admin}: {audit:?}");
}
