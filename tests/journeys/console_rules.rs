//! Decision steps edited in the console's draft editor over HTTP, with the forms the page
//! itself shows (read from its HTML, as a browser without scripts would send them): adding a
//! decision, its branches as test rows and as JSON, their order, where it leads otherwise,
//! a refused condition beside its field, and a try of the decision on sample values.

use crate::console::{admin_browser, assert_summary_links_resolve, fields};
use crate::helpers::*;
use reqwest::StatusCode;
use scraper::{ElementRef, Selector};

const REG: &str = "/admin/flows/REGISTRATION";

async fn start_draft(browser: &Browser) -> Page {
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
    draft
}

/// What a browser sends for a form: its inputs with their values, ticked checkboxes only,
/// each select's chosen option (else its first), each textarea's text.
fn form_values(form: ElementRef) -> Vec<(String, String)> {
    let controls = Selector::parse("input, select, textarea").unwrap();
    let option = Selector::parse("option").unwrap();
    let mut out = Vec::new();
    for control in form.select(&controls) {
        let e = control.value();
        let Some(name) = e.attr("name") else { continue };
        let value = match e.name() {
            "select" => {
                let options: Vec<_> = control.select(&option).collect();
                let chosen = options
                    .iter()
                    .find(|o| o.value().attr("selected").is_some())
                    .or(options.first());
                chosen
                    .and_then(|o| o.value().attr("value"))
                    .unwrap_or("")
                    .to_owned()
            }
            "textarea" => control.text().collect(),
            _ if e.attr("type") == Some("checkbox") && e.attr("checked").is_none() => continue,
            _ => e.attr("value").unwrap_or("").to_owned(),
        };
        out.push((name.to_owned(), value));
    }
    out
}

/// The first form of `page` whose fields include every one of `has` (name, value), and
/// whose field names include `with` and exclude `without`.
fn find_form(
    page: &Page,
    has: &[(&str, &str)],
    with: Option<&str>,
    without: Option<&str>,
) -> (String, Vec<(String, String)>) {
    let doc = page.doc();
    let forms = Selector::parse("form").unwrap();
    doc.select(&forms)
        .find_map(|form| {
            let values = form_values(form);
            let holds =
                |name: &str, value: &str| values.iter().any(|(k, v)| k == name && v == value);
            let named = |name: &str| values.iter().any(|(k, _)| k == name);
            let fits = has.iter().all(|(k, v)| holds(k, v))
                && with.is_none_or(named)
                && !without.is_some_and(named);
            let action = form.value().attr("action")?.to_owned();
            fits.then_some((action, values))
        })
        .unwrap_or_else(|| panic!("no form with {has:?} {with:?} on\n{}", page.html))
}

/// Changes the form's fields as a person would: a named field takes the new value, a field
/// the form lacks (a ticked checkbox) is added.
fn fill(mut values: Vec<(String, String)>, changes: &[(&str, &str)]) -> Vec<(String, String)> {
    for (name, value) in changes {
        match values.iter_mut().find(|(k, _)| k == name) {
            Some(slot) => slot.1 = (*value).to_owned(),
            None => values.push(((*name).to_owned(), (*value).to_owned())),
        }
    }
    values
}

/// Fills and sends the form found by `has` (and `with` / `without`), and follows a redirect.
async fn send(
    browser: &Browser,
    page: &Page,
    has: &[(&str, &str)],
    with_without: (Option<&str>, Option<&str>),
    changes: &[(&str, &str)],
) -> (StatusCode, Page) {
    let (action, values) = find_form(page, has, with_without.0, with_without.1);
    browser.post(&action, &fill(values, changes)).await
}

/// The branch rows form (not the JSON one) of branch `key` ("" adds one).
const ROWS: (Option<&str>, Option<&str>) = (Some("match"), Some("when_json"));
const JSON: (Option<&str>, Option<&str>) = (Some("when_json"), None);
const ANY: (Option<&str>, Option<&str>) = (None, None);

/// A query string's part as a form sends it.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Markup a screen reader can follow: ids are unique, every control has a label of its
/// own, and what `aria-describedby` and `list` name is on the page.
fn assert_markup(page: &Page) {
    let doc = page.doc();
    let all = Selector::parse("[id]").unwrap();
    let mut ids = std::collections::BTreeSet::new();
    for e in doc.select(&all) {
        let id = e.value().attr("id").unwrap();
        assert!(ids.insert(id.to_owned()), "duplicate id {id}");
    }
    let controls = Selector::parse("input:not([type=hidden]), select, textarea").unwrap();
    for c in doc.select(&controls) {
        let id = c
            .value()
            .attr("id")
            .unwrap_or_else(|| panic!("{:?} has no id", c.value()));
        let label = Selector::parse(&format!("label[for='{id}']")).unwrap();
        let text: String = doc
            .select(&label)
            .next()
            .unwrap_or_else(|| panic!("#{id} has no label"))
            .text()
            .collect();
        assert!(!text.trim().is_empty(), "#{id} has an empty label");
        for named in ["aria-describedby", "list"] {
            for target in c.value().attr(named).unwrap_or("").split_whitespace() {
                assert!(
                    ids.contains(target),
                    "#{id} {named} names #{target}, not on the page"
                );
            }
        }
    }
}

fn titles(page: &Page) -> Vec<String> {
    page.select_all("#step-route .branch__title")
}

#[tokio::test]
async fn an_owner_builds_a_decision_with_branches_and_tries_it() {
    let app = spawn_app().await;
    let (browser, _) = admin_browser(&app).await;
    let draft = start_draft(&browser).await;

    // "Decision step" is offered beside view, task and end.
    let kinds = draft.select_all("#kind-details option");
    assert!(kinds.iter().any(|k| k == "Decision step"), "{kinds:?}");
    let (status, page) = send(
        &browser,
        &draft,
        &[("op", "add_step"), ("step", "details")],
        ANY,
        &[("kind", "rule"), ("id", "route")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(page.exists("#step-route"), "{}", page.html);
    assert!(page.exists("#rule-route-new-when"), "{}", page.html);
    // The details' button now leads to the decision, so what it reads is checked.
    let (status, page) = send(
        &browser,
        &page,
        &[
            ("op", "set_target"),
            ("step", "details"),
            ("button", "continue"),
        ],
        ANY,
        &[("next", "route")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    // A first branch with one test, then a second test and "any" on its own form.
    let new_branch = [("op", "set_branch"), ("step", "route"), ("branch", "")];
    let (status, page) = send(
        &browser,
        &page,
        &new_branch,
        ROWS,
        &[
            ("t0_attribute", "email"),
            ("t0_op", "domain_in"),
            ("t0_value", "corp.example, *.corp.example"),
            ("next", "send_code"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(
        titles(&page),
        ["Branch 1: when email domain_in corp.example, *.corp.example, go to send_code"]
    );
    // One row per test plus a blank one, the attributes the flow collects suggested.
    assert!(page.exists("#rule-route-0-t1_attribute"));
    assert!(!page.exists("#rule-route-0-t2_attribute"));
    let suggested: Vec<String> = {
        let doc = page.doc();
        let sel = Selector::parse("#rule-route-attributes option").unwrap();
        doc.select(&sel)
            .filter_map(|o| o.value().attr("value").map(str::to_owned))
            .collect()
    };
    for name in [
        "email",
        "given_name",
        "context.application",
        "context.locale",
    ] {
        assert!(suggested.iter().any(|s| s == name), "{name}: {suggested:?}");
    }
    assert!(!suggested.iter().any(|s| s == "password"), "{suggested:?}");
    let (status, page) = send(
        &browser,
        &page,
        &[("op", "set_branch"), ("step", "route"), ("branch", "0")],
        ROWS,
        &[
            ("match", "any"),
            ("t1_attribute", "context.application"),
            ("t1_op", "equals"),
            ("t1_value", "partner-app"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(
        titles(&page),
        [
            "Branch 1: when email domain_in corp.example, *.corp.example or context.application equals partner-app, go to send_code"
        ]
    );
    assert_eq!(
        page.attr("#rule-route-0-match option[selected]", "value")
            .as_deref(),
        Some("any")
    );

    // A second branch, negated, then moved up: the first that holds is taken.
    let (status, page) = send(
        &browser,
        &page,
        &new_branch,
        ROWS,
        &[
            ("t0_not", "true"),
            ("t0_attribute", "context.locale"),
            ("t0_op", "in"),
            ("t0_value", "en, de"),
            ("next", "set_password"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(titles(&page).len(), 2);
    assert!(
        page.exists("#rule-route-1-t0_not[checked]"),
        "{}",
        page.html
    );
    let (status, page) = send(
        &browser,
        &page,
        &[
            ("op", "move_branch"),
            ("step", "route"),
            ("branch", "1"),
            ("direction", "up"),
        ],
        ANY,
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let order = titles(&page);
    assert!(
        order[0].contains("not context.locale in en, de"),
        "{order:?}"
    );
    assert!(order[1].contains("go to send_code"), "{order:?}");

    // Branch 1 edited as JSON, nested past what rows can show: it is then offered as JSON.
    let nested = r#"{"not": {"any": [
        {"attribute": "context.locale", "op": "equals", "value": "en"},
        {"attribute": "context.locale", "op": "equals", "value": "en-GB"}]}}"#;
    let (status, page) = send(
        &browser,
        &page,
        &[("op", "set_branch"), ("step", "route"), ("branch", "0")],
        JSON,
        &[("when_json", nested)],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html);
    assert!(
        titles(&page)[0].contains("not (context.locale equals en or context.locale equals en-GB)"),
        "{:?}",
        titles(&page)
    );
    assert!(
        !page.exists("#rule-route-0-match"),
        "rows for a nested condition"
    );
    assert!(page.exists("#rule-route-0-branch details[open] #rule-route-0-json"));
    assert_markup(&page);
    // JSON that is no condition comes back beside the textarea, as typed.
    let (status, refused) = send(
        &browser,
        &page,
        &[("op", "set_branch"), ("step", "route"), ("branch", "0")],
        JSON,
        &[("when_json", r#"{"all": 3}"#)],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let error = refused.field_error("rule-route-0-json").unwrap_or_default();
    assert!(
        error.contains("This is not a condition"),
        "{}",
        refused.html
    );
    assert_eq!(refused.text_of("#rule-route-0-json"), r#"{"all": 3}"#);
    assert_summary_links_resolve(&refused);

    // Otherwise, and a third branch whose problem shows beside it until it is removed.
    let (status, page) = send(
        &browser,
        &page,
        &[("op", "set_otherwise"), ("step", "route")],
        ANY,
        &[("next", "done")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        page.attr("#otherwise-route option[selected]", "value")
            .as_deref(),
        Some("done")
    );
    let (status, page) = send(
        &browser,
        &page,
        &new_branch,
        ROWS,
        &[
            ("t0_attribute", "nickname"),
            ("t0_op", "present"),
            ("next", "done"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html);
    let beside = page.select_all("#rule-route-2-problems li");
    assert!(
        beside.iter().any(|p| p.contains("reads 'nickname'")),
        "{beside:?}\n{}",
        page.html
    );
    assert!(
        page.exists("#problems a[href='?open=route#rule-route-2-branch']"),
        "the problem list links to the branch"
    );
    let (status, page) = send(
        &browser,
        &page,
        &[("op", "remove_branch"), ("step", "route"), ("branch", "2")],
        ANY,
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(titles(&page).len(), 2);
    assert!(!page.exists("#rule-route-2-problems"));

    // A pattern that does not compile: refused beside its value, with what was typed kept.
    let revision = page.attr("input[name=revision]", "value").unwrap();
    let (status, refused) = send(
        &browser,
        &page,
        &[("op", "set_branch"), ("step", "route"), ("branch", "1")],
        ROWS,
        &[
            ("t2_attribute", "email"),
            ("t2_op", "matches"),
            ("t2_value", "(unclosed"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let error = refused
        .field_error("rule-route-1-t2_value")
        .unwrap_or_default();
    assert!(error.contains("does not compile"), "{}", refused.html);
    assert_eq!(
        refused.attr("#rule-route-1-t2_value", "value").as_deref(),
        Some("(unclosed")
    );
    assert_eq!(
        refused
            .attr("#rule-route-1-t2_attribute", "value")
            .as_deref(),
        Some("email")
    );
    assert_eq!(
        refused
            .attr("#rule-route-1-t2_op option[selected]", "value")
            .as_deref(),
        Some("matches")
    );
    assert_summary_links_resolve(&refused);
    assert_markup(&refused);
    assert_eq!(
        refused.attr("input[name=revision]", "value"),
        Some(revision),
        "a refused edit saves nothing"
    );

    // Which branch a sample takes, from the step's own GET form.
    let try_it = |facts: &'static str, locale: &'static str| {
        let (action, values) = find_form(&page, &[], Some("facts"), None);
        let query = fill(values, &[("facts", facts), ("locale", locale)]);
        let query: Vec<String> = query
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect();
        let url = format!("{action}?{}", query.join("&"));
        let browser = &browser;
        async move { browser.get(&url).await }
    };
    let shown = try_it("email=ada@eu.corp.example", "en").await;
    assert_eq!(shown.status, StatusCode::OK);
    assert_eq!(
        shown.text_of("#outcome"),
        "Branch 2 → send_code",
        "{}",
        shown.html
    );
    let shown = try_it("email=ada@example.org", "fr").await;
    assert_eq!(shown.text_of("#outcome"), "Branch 1 → set_password");
    let shown = try_it(
        "email=ada@example.org\ncontext.application=partner-app",
        "en",
    )
    .await;
    assert_eq!(shown.text_of("#outcome"), "Branch 2 → send_code");
    let shown = try_it("email=ada@example.org", "en").await;
    assert_eq!(shown.text_of("#outcome"), "Otherwise → done");
    assert_eq!(
        shown.text_of("#facts"),
        "email=ada@example.org",
        "the sample stays in the form"
    );
    assert_markup(&shown);

    // Only a decision step of the draft can be tried.
    let missing = browser.get(&format!("{REG}/draft/decide/details")).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    // Trying is for the console's administrators only.
    let signed_out = app
        .browser()
        .get_raw(&format!("{REG}/draft/decide/route"))
        .await;
    assert_eq!(signed_out.status, StatusCode::SEE_OTHER);
    assert!(
        signed_out
            .location()
            .starts_with("/admin/login?next=/admin")
    );
}

/// Axe over what a page shows once every `<details>` is open: its serious and critical
/// violations, as `accessibility.rs` counts them.
const RUN_AXE: &str = r#"
const done = arguments[arguments.length - 1];
document.querySelectorAll('details').forEach((d) => { d.open = true; });
axe.run(document, { resultTypes: ['violations'] })
  .then((r) => done(r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', '))))
  .catch((e) => done(['axe failed: ' + String(e)]));
"#;

async fn axe_violations(client: &fantoccini::Client) -> Vec<String> {
    let path = std::env::var("FLOWS_TEST_AXE").unwrap_or_else(|_| {
        format!(
            "{}/tests/axe/node_modules/axe-core/axe.min.js",
            env!("CARGO_MANIFEST_DIR")
        )
    });
    let axe = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("axe-core is missing at {path} ({e})"));
    client.execute(&axe, vec![]).await.expect("load axe");
    let found = client
        .execute_async(RUN_AXE, vec![])
        .await
        .expect("run axe");
    serde_json::from_value(found).expect("violations")
}

/// The decision editor, a refused branch and the try page, scanned by axe in Chromium (the
/// draft editor's own scan in `accessibility.rs` starts from a template with no decision).
#[tokio::test]
async fn the_decision_editor_has_no_serious_accessibility_violation() {
    use crate::browser::{click, open_session, select, type_into, wait_for_h1};
    let app = spawn_app().await;
    let (browser, _) = admin_browser(&app).await;
    let draft = start_draft(&browser).await;
    let (_, page) = send(
        &browser,
        &draft,
        &[("op", "add_step"), ("step", "details")],
        ANY,
        &[("kind", "rule"), ("id", "route")],
    )
    .await;
    let new_branch = [("op", "set_branch"), ("step", "route"), ("branch", "")];
    let (_, page) = send(
        &browser,
        &page,
        &new_branch,
        ROWS,
        &[
            ("t0_attribute", "nickname"),
            ("t0_op", "present"),
            ("next", "done"),
        ],
    )
    .await;
    let (status, _) = send(
        &browser,
        &page,
        &new_branch,
        JSON,
        &[(
            "when_json",
            r#"{"not": {"any": [{"attribute": "email", "op": "present"}]}}"#,
        )],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    let admin = unique_email("axe.rules");
    crate::console::create_admin(&app, &admin).await;
    let client = open_session(true, &[]).await;
    let scan = async {
        let mut failures = Vec::new();
        client
            .goto(&format!("{}/admin/login", app.address))
            .await
            .expect("login page");
        type_into(&client, "#email", &admin).await;
        type_into(&client, "#password", crate::console::ADMIN_PASSWORD).await;
        click(&client, "button[type=submit].button--primary").await;
        wait_for_h1(&client, "Console").await;
        client
            .goto(&format!("{}{REG}/draft", app.address))
            .await
            .expect("draft");
        wait_for_h1(
            &client,
            "Draft of “Basic details + password + e-mail OTP verification”",
        )
        .await;
        failures.extend(axe_violations(&client).await);

        type_into(&client, "#rule-route-0-t1_attribute", "email").await;
        select(&client, "#rule-route-0-t1_op", "matches").await;
        type_into(&client, "#rule-route-0-t1_value", "(").await;
        click(
            &client,
            "#rule-route-0-branch form.branch-form button[type=submit]",
        )
        .await;
        client
            .wait()
            .at_most(std::time::Duration::from_secs(20))
            .for_element(fantoccini::Locator::Css("#rule-route-0-t1_value-error"))
            .await
            .expect("the refusal beside the value");
        failures.extend(axe_violations(&client).await);

        client
            .goto(&format!(
                "{}{REG}/draft/decide/route?facts=nickname%3DAda&locale=fr",
                app.address
            ))
            .await
            .expect("try page");
        wait_for_h1(&client, "Try decision route").await;
        failures.extend(axe_violations(&client).await);
        failures
    };
    let outcome = futures_util::FutureExt::catch_unwind(std::panic::AssertUnwindSafe(scan)).await;
    client.clone().close().await.expect("close browser");
    match outcome {
        Ok(failures) => assert!(failures.is_empty(), "{failures:#?}"),
        Err(e) => std::panic::resume_unwind(e),
    }
}
