//! Mail bombing: anyone may start journeys with someone else's address, so mail to one
//! address is capped across all executions and flow types, whoever starts them.

use crate::audit::audit_rows;
use crate::helpers::*;
use reqwest::StatusCode;
use std::net::{IpAddr, Ipv4Addr};

/// The default quota: at most this many mails to one address per hour.
const QUOTA: usize = 5;

/// A client address of its own for the `n`th attacker, so that no per-address limit helps.
fn client(n: u8) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(127, 0, 1, n))
}

#[tokio::test]
async fn fifty_journeys_from_fifty_addresses_deliver_at_most_the_quota_and_look_the_same() {
    let app = spawn_app().await;
    let victim = unique_email("victim");
    // The victim has an account: registrations now mail "already registered", recoveries
    // mail a reset link. Its own code is the first mail of the hour.
    register_fully(&app, "Vic", &victim).await;
    let spellings = [victim.clone(), victim.to_uppercase()];
    for n in 0..50u8 {
        let browser = Browser::from_address(&app.address, client(n + 1));
        let typed = &spellings[usize::from(n) % 2];
        if n % 2 == 0 {
            // Asserts the code page follows, as for any registration.
            to_code_page(&browser, "Mallory", typed).await;
        } else {
            let page = browser.get("/recover").await;
            let (status, page) = browser.press(&page, "continue", &[("login", typed)]).await;
            assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html);
            assert_eq!(page.h1(), "Check your e-mail", "the page never tells");
        }
    }
    assert_mail_count_stays(&app, &victim, QUOTA).await;

    let held_back: Vec<_> = audit_rows(&app)
        .await
        .into_iter()
        .filter(|r| r.action == "mail_quota.exceeded")
        .collect();
    assert_eq!(
        held_back.len(),
        50 + 1 - QUOTA,
        "one entry per mail held back"
    );
    assert!(
        held_back
            .iter()
            .all(|r| r.detail.contains(&victim.to_lowercase()))
    );
}

#[tokio::test]
async fn an_invitation_past_the_quota_is_refused_to_the_administrator() {
    let app = spawn_app().await;
    let engine = app.engine().await;
    let invitee = unique_email("invitee");
    let invite = || {
        engine.invite(
            &invitee,
            Default::default(),
            "Dorothy",
            flows::i18n::Locale::default(),
        )
    };
    // Each one replaces the last, and each sends a mail.
    for _ in 0..QUOTA {
        invite().await.expect("within the quota");
    }
    let refused = invite().await.expect_err("past the quota");
    assert!(
        matches!(refused, flows::engine::InviteError::MailQuota(_, 5)),
        "{refused:?}"
    );
    assert_mail_count_stays(&app, &invitee, QUOTA).await;
    // Refused whole: the last invitation sent is still the pending one.
    let all = app
        .store()
        .await
        .invitations("", &invitee, engine.now(), 10)
        .await
        .expect("invitations");
    assert_eq!(
        all.len(),
        QUOTA,
        "no invitation was stored for the refused one"
    );
    assert_eq!(all.iter().filter(|r| r.status == "PENDING").count(), 1);
}
