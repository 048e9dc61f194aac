use super::{config, hostile_text};
use crate::domain::{parse_origin, parse_return_url};
use proptest::prelude::*;

fn url_like() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec![
            "https://",
            "http://",
            "HTTPS://",
            "ftp://",
            "javascript:",
            "",
        ]),
        hostile_text(),
    )
        .prop_map(|(scheme, rest)| format!("{scheme}{rest}"))
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn origins_are_a_scheme_and_a_host_only(raw in prop_oneof![hostile_text(), url_like()]) {
        if let Ok(origin) = parse_origin(&raw) {
            prop_assert!(origin.starts_with("https://") || origin.starts_with("http://"), "{origin}");
            let host = origin.split_once("://").map(|(_, h)| h).unwrap_or_default();
            prop_assert!(!host.is_empty());
            prop_assert!(!host.chars().any(|c| c.is_whitespace() || c.is_control() || "/?#@*".contains(c)), "{:?}", origin);
            prop_assert_eq!(parse_origin(&origin), Ok(origin.clone()));
        }
    }

    #[test]
    fn return_urls_are_https_or_local_and_one_plain_line(raw in prop_oneof![hostile_text(), url_like()]) {
        if let Ok(url) = parse_return_url(&raw) {
            prop_assert!(url.starts_with("https://") || url.starts_with("http://"), "{url}");
            prop_assert!(!url.chars().any(|c| c.is_whitespace() || c.is_control()), "{:?}", url);
            prop_assert_eq!(parse_return_url(&url), Ok(url.clone()));
        }
    }
}
