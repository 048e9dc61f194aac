//! Decision steps (`RULE`) in real journeys: company addresses are asked for their
//! department, others go straight to the code. Through the hosted pages and the execution
//! API, on whichever backend the suite runs, with the funnel counting each branch taken.

use crate::api::{Api, details as api_details};
use crate::console::admin_browser;
use crate::helpers::*;
use flows::engine::{Actor, FlowDefinition};
use reqwest::StatusCode;
use serde_json::json;

/// The default registration with a decision after the password: `corp.example` (and its
/// subdomains) first give their department, everyone else goes on to the code.
fn registration_with_decision() -> FlowDefinition {
    let mut def = template_json("registration-otp");
    let steps = def["steps"].as_array_mut().unwrap();
    for step in steps.iter_mut() {
        if step["id"] == "set_password" {
            step["next"]["success"] = json!("route");
        }
    }
    steps.push(json!({
        "id": "route", "type": "RULE",
        "branches": [
            {"when": {"attribute": "email", "op": "domain_in", "values": ["corp.example", "*.corp.example"]}, "next": "department"},
            {"when": {"all": [
                {"attribute": "context.locale", "op": "equals", "value": "fr"},
                {"not": {"attribute": "family_name", "op": "present"}}
            ]}, "next": "send_code"}
        ],
        "otherwise": "send_code"
    }));
    steps.push(json!({
        "id": "department", "type": "VIEW",
        "components": [
            {"id": "heading", "type": "TYPOGRAPHY", "variant": "H1", "config": {"text": "Your department"}},
            {"id": "department_form", "type": "FORM", "components": [
                {"id": "department", "type": "INPUT", "variant": "TEXT", "config": {"identifier": "department", "label": "Department", "required": true}},
                {"id": "continue", "type": "BUTTON", "variant": "PRIMARY", "actionId": "continue", "config": {"text": "Continue", "type": "submit"}}
            ]}
        ],
        "actions": [{"ref": "continue", "next": "send_code"}]
    }));
    valid_definition(def)
}

async fn app_with_decision() -> TestApp {
    let app = spawn_app_with(Options {
        smtp: true,
        ..Options::default()
    })
    .await;
    app.publish(&registration_with_decision()).await;
    app
}

#[tokio::test]
async fn a_decision_routes_people_on_the_hosted_pages_and_the_funnel_counts_each_branch() {
    let app = app_with_decision().await;

    // A company address is asked for its department, then gets its code.
    let corp = format!("ada.{}@EU.Corp.Example", uuid::Uuid::new_v4().simple());
    let browser = app.browser();
    let page = browser.get("/register").await;
    let (status, page) = browser
        .press(&page, "continue", &details("Ada", &corp, GOOD_PASSWORD))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(page.step().as_deref(), Some("department"), "{}", page.html);
    assert_eq!(page.h1(), "Your department");
    let (status, page) = browser
        .press(&page, "continue", &[("department", "Engines")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(page.step().as_deref(), Some("enter_code"));
    let code = app.last_mail(&corp.to_lowercase(), 1).await.code();
    let (_, page) = browser.press(&page, "verify", &[("otp", &code)]).await;
    assert_eq!(page.h1(), DONE);

    // Anyone else goes straight on to the code; twice, one of them in French.
    for (email, language) in [
        (unique_email("rule.other"), None),
        (unique_email("rule.autre"), Some("fr")),
    ] {
        let mut browser = app.browser();
        browser.accept_language = language.map(str::to_owned);
        let page = browser.get("/register").await;
        let mut fields = details("Bob", &email, GOOD_PASSWORD);
        fields.retain(|(name, _)| *name != "family_name");
        let (status, page) = browser.press(&page, "continue", &fields).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html);
        assert_eq!(page.step().as_deref(), Some("enter_code"), "{email}");
    }

    // The funnel: one went by branch 1, one French address without a family name by branch
    // 2, one by otherwise.
    let (admin, _) = admin_browser(&app).await;
    let funnel = admin
        .get("/admin/funnel?type=REGISTRATION&period=24h")
        .await;
    assert_eq!(funnel.status, StatusCode::OK);
    let rows: Vec<Vec<String>> = {
        let doc = funnel.doc();
        let rows = scraper::Selector::parse(".funnel-branches tbody tr").unwrap();
        let cell = scraper::Selector::parse("th, td").unwrap();
        doc.select(&rows)
            .map(|row| {
                row.select(&cell)
                    .map(|c| c.text().collect::<String>().trim().to_owned())
                    .collect()
            })
            .collect()
    };
    let taken: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| (r[1].as_str(), r[2].as_str(), r[3].as_str()))
        .collect();
    assert_eq!(
        taken,
        [
            (
                "Branch 1: email domain_in corp.example, *.corp.example",
                "department",
                "1"
            ),
            (
                "Branch 2: context.locale equals fr and not family_name present",
                "send_code",
                "1"
            ),
            ("Otherwise", "send_code", "1"),
        ],
        "{}",
        funnel.html
    );
    // The department view counts like any other.
    assert!(funnel.text_of(".funnel-table").contains("department"));
}

#[tokio::test]
async fn a_decision_routes_clients_of_the_execution_api_the_same_way() {
    let app = app_with_decision().await;
    let api = Api::new(&app);

    let view = api.start("REGISTRATION").await;
    let corp = format!("grace.{}@corp.example", uuid::Uuid::new_v4().simple());
    let next = api.press(&view, "continue", api_details(&corp)).await;
    assert_eq!(next["flowStatus"], "INCOMPLETE", "{next}");
    let ids = crate::api::component_ids(&next);
    assert!(ids.contains(&"department".to_owned()), "{next}");
    let next = api
        .press(&next, "continue", json!({"department": "Compilers"}))
        .await;
    assert!(
        crate::api::component_ids(&next).contains(&"otp".to_owned()),
        "{next}"
    );

    let view = api.start("REGISTRATION").await;
    let next = api
        .press(&view, "continue", api_details(&unique_email("rule.api")))
        .await;
    let ids = crate::api::component_ids(&next);
    assert!(ids.contains(&"otp".to_owned()), "{next}");
    assert!(!ids.contains(&"department".to_owned()), "{next}");
}

#[tokio::test]
async fn a_definition_with_a_broken_decision_is_refused_with_its_step_and_branch() {
    let mut def = serde_json::to_value(registration_with_decision()).unwrap();
    for step in def["steps"].as_array_mut().unwrap() {
        if step["id"] == "route" {
            step["branches"][1]["when"] =
                json!({"attribute": "email", "op": "matches", "value": "(("});
            step["branches"][0]["next"] = json!("nowhere");
        }
    }
    let def: FlowDefinition = serde_json::from_value(def).unwrap();
    let app = spawn_app().await;
    let refused = app
        .engine()
        .await
        .import_and_publish(&def, "test", &Actor::cli())
        .await
        .unwrap()
        .unwrap_err();
    let flows::engine::DraftProblem::Problems { problems, .. } = refused else {
        panic!("{refused:?}");
    };
    let text: Vec<String> = problems
        .iter()
        .map(|p| format!("{} {}", p.code, p.message))
        .collect();
    let text = text.join("\n");
    for expected in [
        "branch_leads_nowhere",
        "Branch 1 of 'route'",
        "bad_regex",
        "Branch 2 of 'route'",
    ] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
}
