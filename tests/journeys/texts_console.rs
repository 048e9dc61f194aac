//! The console for daily work on texts and drafts: a text found from the home and changed
//! in two page loads, groups by flow and step, paging, what a language lacks, a language as a
//! file (out, edited, back in, or refused whole), and a draft editor whose steps are listed,
//! folded, and opened where the operator was working.

use crate::console::{REG, admin_browser, edit, fields, start_draft};
use crate::helpers::*;
use reqwest::StatusCode;

/// Posts `parts` as `multipart/form-data`, as a browser's file upload does.
async fn post_file(browser: &Browser, path: &str, parts: &[(&str, &str)]) -> Page {
    let boundary = "XtextsX";
    let mut body = String::new();
    for (name, value) in parts {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"texts.ftl\"\r\n\r\n{value}\r\n"
        ));
    }
    body.push_str(&format!("--{boundary}--\r\n"));
    let res = browser
        .client
        .post(format!("{}{path}", browser.base))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .expect("POST");
    let status = res.status();
    let location = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    match location {
        Some(to) if status.is_redirection() => browser.get(&to).await,
        _ => Page {
            status,
            url: path.to_owned(),
            headers: res.headers().clone(),
            html: res.text().await.expect("body"),
        },
    }
}

#[tokio::test]
async fn a_label_is_found_from_the_home_and_changed_in_two_page_loads() {
    let app = spawn_app().await;
    let (browser, _) = admin_browser(&app).await;
    let home = browser.get("/admin").await;
    assert_eq!(
        home.attr("form#find-text", "action").as_deref(),
        Some("/admin/messages")
    );
    assert_eq!(
        home.attr("form#find-text", "method").as_deref(),
        Some("get")
    );

    // Load 1: the search the home's form sends, by the words a person reads.
    let found = browser.get("/admin/messages?q=create+your+account").await;
    assert_eq!(found.status, StatusCode::OK);
    assert!(found.exists("details#msg-register-title"), "{}", found.html);
    assert!(
        found
            .text_of("#msg-register-title summary")
            .contains("Create your account")
    );
    // Load 2: the save, which comes back to the search with the key open.
    // The form carries the view it is on, as hidden fields.
    assert_eq!(
        found
            .attr("#msg-register-title input[name=view_q]", "value")
            .as_deref(),
        Some("create your account")
    );
    let form = fields(&[
        ("csrf_token", &found.csrf()),
        ("key", "register.title"),
        ("text_en", "Join us"),
        ("text_fr", ""),
        ("view_q", "create your account"),
        ("view_page", "1"),
    ]);
    let saved = browser.post_raw("/admin/messages", &form).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let back = saved.location();
    assert!(
        back.starts_with("/admin/messages?q=create+your+account")
            && back.ends_with("#msg-register-title"),
        "{back}"
    );
    let after = browser.get(&back).await;
    assert!(
        after.exists("details#msg-register-title[open]"),
        "{}",
        after.html
    );
    assert_eq!(app.browser().get("/register?lang=en").await.h1(), "Join us");

    // Any language's text finds its key, and `{{t(key)}}` as a flow writes it.
    let french = browser.get("/admin/messages?q=cr%C3%A9ez").await;
    assert!(french.exists("#msg-register-title"), "{}", french.html);
    let by_ref = browser
        .get("/admin/messages?q=%7B%7Bt(field.password)%7D%7D")
        .await;
    assert!(by_ref.exists("#msg-field-password"));
}

#[tokio::test]
async fn texts_are_grouped_by_flow_and_step_paged_and_filtered_by_missing_language() {
    let app = spawn_app().await;
    let (browser, _) = admin_browser(&app).await;
    let index = browser.get("/admin/messages").await;
    assert!(
        index.exists("a[href='/admin/messages?group=REGISTRATION']"),
        "{}",
        index.html
    );
    assert!(index.exists("a[href='/admin/messages?group=mail']"));
    assert!(
        !index.exists("details.message"),
        "the index lists groups, not keys"
    );

    let flow = browser.get("/admin/messages?group=REGISTRATION").await;
    assert!(flow.exists("#sec-REGISTRATION-details #msg-register-title"));
    assert!(flow.exists(
        "#sec-REGISTRATION-details a[href='/admin/flows/REGISTRATION/draft#step-details']"
    ));
    let step = browser
        .get("/admin/messages?group=REGISTRATION&step=details")
        .await;
    assert_eq!(step.select_all("section.texts-section").len(), 1);
    assert!(step.exists("#msg-register-title"));

    // Paging keeps the group; page two starts where page one ended.
    let first = browser.get("/admin/messages?group=pages").await;
    let next = first.attr("a[rel=next]", "href").expect("a next page");
    assert!(
        next.contains("group=pages") && next.contains("page=2"),
        "{next}"
    );
    assert_eq!(first.select_all("details.message").len(), 25);
    let second = browser.get(&next).await;
    let keys_of = |p: &Page| p.select_all("details.message code.message__key");
    assert!(
        keys_of(&first)
            .iter()
            .all(|k| !keys_of(&second).contains(k))
    );
    assert!(second.exists("a[rel=prev]"));

    // A key of one's own, in English only, is missing in French.
    let (status, _) = browser
        .post(
            "/admin/messages",
            &fields(&[
                ("csrf_token", &index.csrf()),
                ("new", "1"),
                ("key", "terms.nickname"),
                ("text_en", "Nickname"),
            ]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let index = browser.get("/admin/messages").await;
    assert!(
        index.exists("a[href='/admin/messages?group=own&missing=fr']"),
        "{}",
        index.html
    );
    let missing = browser.get("/admin/messages?missing=fr").await;
    assert!(missing.exists("#msg-terms-nickname"), "{}", missing.html);
    assert!(
        missing
            .text_of("#msg-terms-nickname summary")
            .contains("No Français")
    );
    assert!(!missing.exists("#msg-register-title"), "French has it");
}

#[tokio::test]
async fn a_language_goes_out_as_a_file_and_comes_back_whole_or_not_at_all() {
    let app = spawn_app().await;
    let (browser, _) = admin_browser(&app).await;
    let exported = browser.get("/admin/messages/export?lang=fr").await;
    assert_eq!(exported.status, StatusCode::OK);
    assert_eq!(
        exported
            .headers
            .get("content-disposition")
            .and_then(|v| v.to_str().ok()),
        Some("attachment; filename=\"flows-fr.ftl\"")
    );
    let built_in = app.browser().get("/register?lang=fr").await.h1();
    let line = format!("register-title = {built_in}\n");
    assert!(exported.html.contains(&line), "{}", exported.html);
    let csrf = browser.get("/admin/messages").await.csrf();

    // One bad line refuses the whole file, said with its line; nothing changes.
    let broken = exported
        .html
        .replace(&line, "register-title = Rejoignez-nous\n")
        .replacen("mail-otp-subject = ", "mail-otp-subject = {code} ", 1);
    let refused = post_file(
        &browser,
        "/admin/messages/import",
        &[("csrf_token", &csrf), ("lang", "fr"), ("file", &broken)],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let bad_line = broken
        .lines()
        .position(|l| l.starts_with("mail-otp-subject"))
        .unwrap()
        + 1;
    assert!(
        refused
            .text_of("#import-problems tbody")
            .contains(&bad_line.to_string()),
        "{}",
        refused.html
    );
    assert_eq!(app.browser().get("/register?lang=fr").await.h1(), built_in);

    // The mended file lands: one change, the rest as it was.
    let edited = exported
        .html
        .replace(&line, "register-title = Rejoignez-nous\n");
    let imported = post_file(
        &browser,
        "/admin/messages/import",
        &[("csrf_token", &csrf), ("lang", "fr"), ("file", &edited)],
    )
    .await;
    assert_eq!(imported.status, StatusCode::OK);
    assert!(
        imported.notice().unwrap_or_default().contains("1 changed"),
        "{}",
        imported.html
    );
    assert_eq!(
        app.browser().get("/register?lang=fr").await.h1(),
        "Rejoignez-nous"
    );
    let audit = app.store().await.recent_audit(20).await.unwrap();
    assert!(audit.iter().any(|a| a.action == "messages.imported"));

    // No forged upload: the CSRF token is checked as on every form.
    let forged = post_file(
        &browser,
        "/admin/messages/import",
        &[
            ("csrf_token", "forged"),
            ("lang", "fr"),
            ("file", &exported.html),
        ],
    )
    .await;
    assert!(forged.status.is_client_error(), "{}", forged.status);
}

#[tokio::test]
async fn the_draft_editor_lists_folds_and_opens_the_step_being_worked_on() {
    let app = spawn_app().await;
    let (browser, _) = admin_browser(&app).await;
    let draft = start_draft(&browser, "registration-otp").await;
    assert!(
        draft.exists("nav#steps ol.toc a[href='?open=details#step-details']"),
        "{}",
        draft.html
    );
    assert_eq!(draft.select_all("details.step-fold").len(), 7);
    assert!(
        !draft.exists("details.step-fold[open]"),
        "all folded at first"
    );
    assert!(
        draft.exists("#step-details a[href='/admin/messages?group=REGISTRATION&step=details']")
    );
    // The heading reads as the person sees it, its key beside it.
    let summaries = draft.select_all("#step-details .component__summary");
    assert!(
        summaries
            .iter()
            .any(|s| s.contains("Create your account") && s.contains("register.title")),
        "{summaries:?}"
    );

    // An edit comes back with its step open, and only that one.
    let saved = browser
        .post_raw(&format!("{REG}/draft/edit"), &{
            let mut f = fields(&[
                ("csrf_token", &draft.csrf()),
                (
                    "revision",
                    &draft.attr("input[name=revision]", "value").unwrap(),
                ),
            ]);
            f.extend(fields(&[
                ("op", "move_step"),
                ("step", "done"),
                ("direction", "up"),
            ]));
            f
        })
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    assert!(
        saved.location().contains("?open=done#step-done"),
        "{}",
        saved.location()
    );
    let page = browser.get(&saved.location()).await;
    assert!(page.exists("#step-done details.step-fold[open]"));
    assert_eq!(page.select_all("details.step-fold[open]").len(), 1);

    // A problem's link opens its step at the field.
    let (_, broken) = edit(
        &browser,
        &page,
        &[
            ("op", "add_step"),
            ("step", "done"),
            ("kind", "view"),
            ("id", "extra"),
        ],
    )
    .await;
    let link = broken
        .attr(".problem-list a", "href")
        .expect("a problem to fix");
    assert!(link.starts_with("?open="), "{link}");
    let jumped = browser.get(&format!("{REG}/draft{link}")).await;
    let step = link
        .trim_start_matches("?open=")
        .split('#')
        .next()
        .unwrap()
        .to_owned();
    assert!(
        jumped.exists(&format!("#step-{step} details.step-fold[open]")),
        "{}",
        jumped.html
    );
}

#[tokio::test]
async fn the_home_says_what_needs_the_operator_today_each_with_its_link() {
    let app = spawn_app().await;
    let (browser, _) = admin_browser(&app).await;
    let home = browser.get("/admin").await;
    assert!(
        home.text_of("#today").contains("Nothing waits on you"),
        "{}",
        home.html
    );

    let flow = browser.get(REG).await;
    let (status, _) = browser
        .post(
            &format!("{REG}/enabled"),
            &fields(&[("csrf_token", &flow.csrf()), ("enabled", "false")]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    app.invite(&unique_email("today.invitee"), Default::default(), "Ada")
        .await;
    let home = browser.get("/admin").await;
    assert_eq!(
        home.text_of(&format!("#today a[href='{REG}']")),
        "Self registration is switched off"
    );
    assert_eq!(
        home.text_of("#today a[href='/admin/invitations?status=pending']"),
        "1 invitation not opened yet"
    );
}
